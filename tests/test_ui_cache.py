"""Caches of the Streamlit layer follow the data revision by construction."""

import ast
import importlib
from pathlib import Path

from sqlalchemy import update

from kommunkarta import paths, ui
from kommunkarta.storage import db
from kommunkarta.ui import cache
from kommunkarta.ui.cache import follow_data_revision
from kommunkarta.ui.connection import database

UI_DIR = Path(ui.__file__).parent


def _data_functions() -> set[str]:
    """What reads the curated data: every cache registered with the data caches (each
    ``data_cache`` and each ``register``ed one, imported from every module of ui/), and
    every function of ui/ that calls one of them, directly or through another."""
    for path in sorted(UI_DIR.glob("*.py")):
        importlib.import_module(f"kommunkarta.ui.{path.stem}" if path.stem != "__init__" else "kommunkarta.ui")
    names = {cached.__qualname__.removesuffix("[revision]") for cached in cache._REGISTRY}
    functions = [
        node
        for path in sorted(UI_DIR.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef) and not node.decorator_list
    ]
    while True:
        callers = {node.name for node in functions if _called(node) & names} - names
        if not callers:
            return names
        names |= callers


def _called(node) -> set[str]:
    return {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def _bump_revision(engine) -> None:
    with engine.begin() as connection:
        connection.execute(update(db.Revision).where(db.Revision.id == 1).values(number=db.Revision.number + 1))


def test_a_data_cache_is_fresh_after_a_write_even_when_nobody_clears_it(monkeypatch):
    calls = []

    @cache.data_cache
    def computed(x: int) -> tuple[int, int]:
        calls.append(x)
        return x, len(calls)

    follow_data_revision()
    first = computed(2)
    assert computed(2) == first and calls == [2]  # one computation for every caller
    monkeypatch.setattr(cache, "clear_data_caches", lambda: None)  # forget to clear
    _bump_revision(database())  # someone wrote, in this or another process
    follow_data_revision()  # what every rerun does first
    assert computed(2) != first and calls == [2, 2]


def test_a_write_drops_the_entries_of_the_old_revision():
    calls = []

    @cache.data_cache
    def computed() -> int:
        calls.append(1)
        return len(calls)

    follow_data_revision()
    computed()
    _bump_revision(database())
    follow_data_revision()
    computed()
    assert len(calls) == 2


def _cached_functions():
    """The decorated functions of ui/ and of the app (app.py and its pages)."""
    for path in [*sorted(UI_DIR.glob("*.py")), paths.APP_SCRIPT, *sorted(paths.PAGES_DIR.glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.decorator_list:
                yield path.name, node


def _decorator_names(node) -> set[str]:
    names = set()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        names.add(ast.unparse(target))
    return names


def test_no_plain_streamlit_cache_reads_the_data():
    """A cache that reads the data must be a data_cache, or it would serve old data
    after an edit; plain st.cache_* is only for what the data cannot change."""
    data_functions = _data_functions()
    # the registry is what the test reads: the data, its caches and what calls them are in it
    assert {"dataset", "_stored_dataset", "membership_table", "network_view", "network", "filtered"} <= data_functions
    offenders = []
    for filename, node in _cached_functions():
        if not _decorator_names(node) & {"st.cache_resource", "st.cache_data"}:
            continue
        if _called(node) & data_functions:
            offenders.append(f"{filename}:{node.name} calls {sorted(_called(node) & data_functions)}")
    assert offenders == []
    # and the data caches exist where the test looks for them
    assert any("data_cache" in _decorator_names(node) for _, node in _cached_functions())


# -- the engine and the revision, looked up once per script run (ui/run_memo.py) ----------------


def test_a_run_looks_up_the_engine_once_and_keeps_its_revision_until_its_own_write(monkeypatch):
    from kommunkarta.ui import connection, run_memo

    lookups = []
    original = connection._configured_database
    monkeypatch.setattr(connection, "_configured_database", lambda: lookups.append(1) or original())
    engine = database()
    with run_memo.script_run():
        follow_data_revision()  # what app.py does first in every run
        start = cache.current_revision()
        assert all(database() is engine for _ in range(5)) and cache.current_revision() == start
        assert len(lookups) == 2  # one before the run, one in it
        _bump_revision(engine)  # another process writes while this run renders
        assert cache.current_revision() == start  # the run builds from one revision throughout
        follow_data_revision()  # this run's own write reads the revision again (ui/editor.py)
        assert cache.current_revision() == start + 1
    # After the run nothing is remembered: every call asks again.
    database(), database()
    assert len(lookups) == 4


def test_a_run_memo_is_its_threads_own_and_ends_with_the_run():
    import threading

    from kommunkarta.ui import run_memo

    seen = {}

    def other_run():
        with run_memo.script_run():
            seen["other"] = run_memo.remembered("x", lambda: "other thread")

    with run_memo.script_run():
        assert run_memo.remembered("x", lambda: "this thread") == "this thread"
        thread = threading.Thread(target=other_run)
        thread.start()
        thread.join()
        assert run_memo.remembered("x", lambda: "again") == "this thread"
    assert seen == {"other": "other thread"}
    assert run_memo.remembered("x", lambda: "outside") == "outside"  # ended with the run
    run_memo.remember("x", "ignored")  # outside a run: nothing to remember in
    assert run_memo.remembered("x", lambda: "still outside") == "still outside"
