"""Python's cyclic garbage collector in a dashboard process, kept off the visitors' time.

A dashboard process holds some 350 000 long-lived objects: the modules, the geodata,
and the caches shared by all sessions (datasets, folium maps, component arguments).
Python's generational collector walks all of them at every full collection, and under a
meeting's load that happened every ten script runs or so, for about a third of a second
each time, with every session waiting (a ``gc.callbacks`` probe during a 20-user
benchmarks/load.py run saw some 4 s of full collections in about 125 runs). Streamlit's own collection after every run is switched off for the same
reason (``runner.postScriptGC``).

``after_script_run`` (called by app.py at the end of every run) moves what has survived
a full collection into the permanent generation (``gc.freeze``), which the collector
skips: at the first runs (the start-up warm-up fills the caches) and then every
``REFREEZE_EVERY`` runs. Before each freeze everything is unfrozen and collected once,
so that frozen objects which have since become cyclic garbage (an evicted cache entry
of folium elements, say) are freed then: what can wait for collection is bounded by
what ``REFREEZE_EVERY`` runs leave behind. Objects without cycles are freed by their
reference count as always, frozen or not.
"""

from __future__ import annotations

import gc
import threading

# Runs after which the process collects and freezes: the warm-up's first runs, then
# every REFREEZE_EVERY runs.
FREEZE_AT = frozenset({1, 3, 10, 30})
REFREEZE_EVERY = 300

_lock = threading.Lock()
_runs = 0


def after_script_run() -> bool:
    """Count a finished script run; collect and freeze when it is time. True if it did."""
    global _runs
    with _lock:
        _runs += 1
        due = _runs in FREEZE_AT or _runs % REFREEZE_EVERY == 0
    if due:
        collect_and_freeze()
    return due


def collect_and_freeze() -> None:
    """Collect everything once (frozen objects included), then freeze the survivors."""
    with _lock:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
