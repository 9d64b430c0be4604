"""Values that stay the same for the whole of one script run, looked up once per run.

Every cached lookup of a page asks for the database engine and the data revision (they
are part of every cache key, ui/cache.py), dozens of times a rerun. Both are fixed for a
run: the engine by the secrets, the revision read at the run's start (and again after a
write, which sets it anew). ``script_run()`` (app.py, around each run) opens a memo for
the run's thread; ``remembered`` answers from it and ``remember`` sets a value in it.

Streamlit runs each session's script in a thread of its own, so the memo is a
thread-local value, and ``script_run`` empties it when the run ends (also when it ends
early: st.stop, a rerun, a page switch), so that nothing of one run is seen by another.
Outside a run (plain unit tests, the CLI) nothing is remembered: every call computes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_local = threading.local()


@contextmanager
def script_run() -> Iterator[None]:
    """A memo for the values of this run (this thread), emptied when the run ends."""
    _local.values = {}
    try:
        yield
    finally:
        del _local.values


def remembered(name: str, compute: Callable[[], Any]) -> Any:
    """The run's value of ``name``: ``compute()`` at its first use in the run."""
    values = getattr(_local, "values", None)
    if values is None:
        return compute()
    try:
        return values[name]
    except KeyError:
        value = values[name] = compute()
        return value


def remember(name: str, value: Any) -> None:
    """Set the run's value of ``name`` (nothing outside a run)."""
    values = getattr(_local, "values", None)
    if values is not None:
        values[name] = value
