"""Python's cyclic garbage collector in a dashboard process, kept off the visitors' time.

A dashboard process holds some 350 000 long-lived objects: the modules, the geodata,
and the caches shared by all sessions (datasets, folium maps, component arguments).
Python's generational collector walks all of them at every full collection, and under a
meeting's load that happened every ten script runs or so, for about a third of a second
each time, with every session waiting (a ``gc.callbacks`` probe during a 20-user
benchmarks/load.py run saw some 4 s of full collections in about 125 runs). Streamlit's
own collection after every run is switched off for the same reason
(``runner.postScriptGC``).

``script_run()`` (app.py wraps every run in it) moves what has survived a collection
into the permanent generation (``gc.freeze``), which the collector skips. After the
first run (the start-up warm-up), and then every ``REFREEZE_EVERY`` runs, it unfreezes
everything and collects once ("full"), so that frozen objects which have since become
cyclic garbage (an evicted cache entry of folium elements, say) are freed then: what can
wait for collection is bounded by what those runs leave behind. A full collection walks
the whole process (some 450 000 objects, a third of a second with every session
waiting), so it waits for a moment when no other run is in progress (at most another
``REFREEZE_EVERY`` runs; then it is done anyway). After a few runs in between
(``FREEZE_AT``: while the first visitors fill the caches) it only collects the objects
that are not frozen yet and freezes the survivors, which costs in proportion to what
those runs have built, not to the whole process. Objects without cycles are freed by
their reference count as always, frozen or not.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Runs after which the process collects what is not frozen yet and freezes it; after
# the first run and every REFREEZE_EVERY-th a full collection is due.
FREEZE_AT = frozenset({3, 10, 30})
REFREEZE_EVERY = 300

_lock = threading.Lock()
_runs = 0
_running = 0  # script runs in progress, in all sessions
_full_due_since: int | None = None  # the run after which a full collection became due


@contextmanager
def script_run(freeze: bool = False) -> Iterator[None]:
    """Around a script run: counts it while it runs, and collects when it is time at its
    end (also when it ends early: st.stop, a rerun, a page switch). ``freeze``: collect
    what is not frozen yet and freeze it at the end of this run in any case (the runs of
    the start-up warm-up, ui/warmup.py, which fill the shared caches before anyone
    waits: what each built is frozen at once, at a cost in proportion to it)."""
    global _running
    with _lock:
        _running += 1
    try:
        yield
    finally:
        if after_script_run() is None and freeze:
            collect_and_freeze(full=False)


def after_script_run() -> str | None:
    """Count a finished script run; collect and freeze when it is time. Returns "full"
    or "partial" when it collected, else None."""
    global _runs, _running, _full_due_since
    with _lock:
        _running = max(_running - 1, 0)
        _runs += 1
        if _full_due_since is None and (_runs == 1 or _runs % REFREEZE_EVERY == 0):
            _full_due_since = _runs
        overdue = _full_due_since is not None and _runs - _full_due_since >= REFREEZE_EVERY
        full = _full_due_since is not None and (_running == 0 or overdue)
        if full:
            _full_due_since = None
        kind = "full" if full else "partial" if _runs in FREEZE_AT else None
    if kind is not None:
        collect_and_freeze(full=full)
    return kind


def collect_and_freeze(full: bool = True) -> None:
    """Collect, then freeze the survivors: everything (``full``: frozen objects are
    unfrozen first), or only what is not frozen yet."""
    with _lock:
        if full:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
