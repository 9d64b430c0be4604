"""kommunkarta.gc_policy: long-lived objects frozen out of the collector's way, and frozen
objects that have become cyclic garbage freed at the next freeze."""

import gc
import weakref

import pytest

from kommunkarta import gc_policy


@pytest.fixture(autouse=True)
def unfrozen(monkeypatch):
    monkeypatch.setattr(gc_policy, "_runs", 0)
    yield
    gc.unfreeze()


class Node:
    def __init__(self):
        self.other = self  # a cycle: only the cyclic collector frees it


def test_it_freezes_at_the_first_runs_and_then_every_so_often():
    due = [n for n in range(1, 2 * gc_policy.REFREEZE_EVERY + 1) if gc_policy.after_script_run()]
    assert due == sorted(gc_policy.FREEZE_AT | {gc_policy.REFREEZE_EVERY, 2 * gc_policy.REFREEZE_EVERY})
    assert gc.get_freeze_count() > 0


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
