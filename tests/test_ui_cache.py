"""Caches of the Streamlit layer follow the data revision by construction."""

import ast
from pathlib import Path

from sqlalchemy import update

from kommunkarta import ui
from kommunkarta.storage import db
from kommunkarta.ui import cache

UI_DIR = Path(ui.__file__).parent
# What the caches of ui/data.py and ui/maps.py compute from the curated data.
DATA_FUNCTIONS = {
    "dataset",
    "membership_table",
    "filter_vocabulary",
    "kommun_seats",
    "kommun_profile",
    "member_points",
    "network",
    "timeline_rows",
    "filtered",
    "_filtered",
    "_kommun_properties",
    "database",
}


def _bump_revision(engine) -> None:
    with engine.begin() as connection:
        connection.execute(update(db.Revision).where(db.Revision.id == 1).values(number=db.Revision.number + 1))


def test_a_data_cache_is_fresh_after_a_write_even_when_nobody_clears_it(monkeypatch):
    calls = []

    @cache.data_cache
    def computed(x: int) -> tuple[int, int]:
        calls.append(x)
        return x, len(calls)

    ui.follow_data_revision()
    first = computed(2)
    assert computed(2) == first and calls == [2]  # one computation for every caller
    monkeypatch.setattr(cache, "clear_data_caches", lambda: None)  # forget to clear
    _bump_revision(ui.database())  # someone wrote, in this or another process
    ui.follow_data_revision()  # what every rerun does first
    assert computed(2) != first and calls == [2, 2]


def test_a_write_drops_the_entries_of_the_old_revision():
    calls = []

    @cache.data_cache
    def computed() -> int:
        calls.append(1)
        return len(calls)

    ui.follow_data_revision()
    computed()
    _bump_revision(ui.database())
    ui.follow_data_revision()
    computed()
    assert len(calls) == 2


def _cached_functions():
    for path in sorted(UI_DIR.glob("*.py")):
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
    offenders = []
    for filename, node in _cached_functions():
        if not _decorator_names(node) & {"st.cache_resource", "st.cache_data"}:
            continue
        called = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        if called & DATA_FUNCTIONS - {"database"}:
            offenders.append(f"{filename}:{node.name} calls {sorted(called & DATA_FUNCTIONS)}")
    assert offenders == []
    # and the data caches exist where the test looks for them
    assert any("data_cache" in _decorator_names(node) for _, node in _cached_functions())
