"""kommunkarta.gc_policy: long-lived objects frozen out of the collector's way, and frozen
objects that have become cyclic garbage freed at the next freeze."""

import gc
import weakref

import pytest

from kommunkarta import gc_policy


@pytest.fixture(autouse=True)
def unfrozen(monkeypatch):
    monkeypatch.setattr(gc_policy, "_runs", 0)
    monkeypatch.setattr(gc_policy, "_running", 0)
    monkeypatch.setattr(gc_policy, "_full_due_since", None)
    yield
    gc.unfreeze()


class Node:
    def __init__(self):
        self.other = self  # a cycle: only the cyclic collector frees it


def test_it_freezes_at_the_first_runs_and_then_every_so_often(monkeypatch):
    calls = []
    original = gc_policy.collect_and_freeze
    monkeypatch.setattr(gc_policy, "collect_and_freeze", lambda full: calls.append(full) or original(full=full))
    for _ in range(2 * gc_policy.REFREEZE_EVERY):
        with gc_policy.script_run():
            pass
    due = sorted(gc_policy.FREEZE_AT | {1, gc_policy.REFREEZE_EVERY, 2 * gc_policy.REFREEZE_EVERY})
    assert len(calls) == len(due)
    # The first run and every REFREEZE_EVERY-th walk everything; the runs between only the new.
    assert calls == [n == 1 or n % gc_policy.REFREEZE_EVERY == 0 for n in due]
    assert gc.get_freeze_count() > 0


def test_a_partial_freeze_walks_only_what_is_not_frozen_yet():
    old = Node()
    gc_policy.collect_and_freeze(full=True)
    new = Node()
    walked = []
    gc.callbacks.append(lambda phase, info: walked.append(info["generation"]) if phase == "start" else None)
    try:
        gc_policy.collect_and_freeze(full=False)
    finally:
        gc.callbacks.pop()
    assert walked == [2]  # one collection, of the oldest generation
    assert not any(o is old or o is new for o in gc.get_objects())  # both frozen now
    gone = weakref.ref(new)
    del new
    gc_policy.collect_and_freeze(full=False)
    assert gone() is not None  # a frozen cycle is not freed by a partial freeze ...
    gc_policy.collect_and_freeze(full=True)
    assert gone() is None  # ... only by the next full one


def test_frozen_objects_are_skipped_and_frozen_garbage_is_freed_at_the_next_freeze():
    kept = Node()
    gc_policy.collect_and_freeze()
    assert not any(o is kept for o in gc.get_objects())  # frozen: the collector does not walk it
    gone = weakref.ref(kept)
    del kept
    gc.collect()
    assert gone() is not None  # a frozen cycle waits ...
    gc_policy.collect_and_freeze()
    assert gone() is None  # ... until the next freeze collects everything once


def test_a_full_collection_waits_until_no_other_run_is_in_progress(monkeypatch):
    calls = []
    monkeypatch.setattr(gc_policy, "collect_and_freeze", lambda full: calls.append(full))
    monkeypatch.setattr(gc_policy, "_runs", gc_policy.REFREEZE_EVERY - 1)
    with gc_policy.script_run():  # another session's run, still in progress ...
        with gc_policy.script_run():
            pass  # ... when this one ends as run REFREEZE_EVERY: the full collection waits
        assert calls == []
    assert calls == [True]  # done when the last run in progress ends
    # At most REFREEZE_EVERY runs late: then it is done whatever else runs.
    monkeypatch.setattr(gc_policy, "_runs", 2 * gc_policy.REFREEZE_EVERY - 1)
    with gc_policy.script_run():
        for _ in range(gc_policy.REFREEZE_EVERY + 1):
            with gc_policy.script_run():
                pass
        assert calls == [True, True]
    assert calls == [True, True]


def test_a_run_that_ends_early_is_counted_too():
    with pytest.raises(RuntimeError), gc_policy.script_run():
        raise RuntimeError("st.rerun, st.stop and a page switch end a run with an exception")
    assert gc_policy._runs == 1 and gc_policy._running == 0


def test_a_warm_up_run_freezes_what_it_built_at_its_end(monkeypatch):
    """A run of the start-up warm-up (app.py: its User-Agent) freezes what it built,
    however many runs the process has made; other runs only at their counts."""
    monkeypatch.setattr(gc_policy, "_runs", 40)  # beyond FREEZE_AT's counts, before a full one
    calls = []
    original = gc_policy.collect_and_freeze
    monkeypatch.setattr(gc_policy, "collect_and_freeze", lambda full: calls.append(full) or original(full=full))
    with gc_policy.script_run():
        visitor = Node()
    assert calls == [] and any(o is visitor for o in gc.get_objects())  # not frozen
    with gc_policy.script_run(freeze=True):
        built = Node()
    assert calls == [False]  # a partial freeze, not a full collection
    assert not any(o is built or o is visitor for o in gc.get_objects())  # both frozen now


def test_the_app_freezes_after_the_runs_of_its_own_warm_up_only(monkeypatch, tmp_path):
    """app.py tells the warm-up's runs by the User-Agent the warm-up client sends."""
    from streamlit.testing.v1 import AppTest

    from kommunkarta import paths
    from kommunkarta.ui import map_first, warmup

    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(gc_policy, "_runs", 40)
    calls = []
    monkeypatch.setattr(gc_policy, "collect_and_freeze", lambda full: calls.append(full))
    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=60).run()  # a visitor's run
    assert not at.exception and calls == []
    monkeypatch.setattr(map_first, "_read_user_agent", lambda: warmup.USER_AGENT)
    at.run()  # the warm-up's
    assert not at.exception and calls == [False]
    assert not warmup.USER_AGENT.startswith("Mozilla/")  # the warm-up is not taken for a browser
