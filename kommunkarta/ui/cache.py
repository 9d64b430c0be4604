"""Caches of what is computed from the curated data, fresh by construction.

``data_cache`` is ``st.cache_resource`` with the data revision as part of every key:
an entry built before a write (by any session, or any process of a shared
deployment) is never served after it, whether or not anyone remembered to clear it.
The session's language is part of every key too: the dataset names its networks in
the interface's language, so everything built from it is in that language.
Every such cache is also registered, so that entries of an old revision are dropped
instead of waiting for eviction.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import streamlit as st

from ..storage import db
from . import run_memo
from .connection import database
from .text import lang

_REGISTRY: list = []
# The data revision this process last saw for each database, read once per rerun.
_seen_revision: dict[str, int] = {}


def data_cache(fn: Callable | None = None, *, max_entries: int | None = None):
    """Cache ``fn`` for all sessions, keyed by its arguments, the data revision and the
    session's language."""

    def decorate(fn: Callable):
        def keyed(revision, language, *args, **kwargs):
            return fn(*args, **kwargs)

        # Streamlit tells caches apart by module, qualified name and source, and reads
        # argument names (a leading _ means: not hashed) from the signature.
        keyed.__module__ = fn.__module__
        keyed.__qualname__ = f"{fn.__qualname__}[revision]"
        signature = inspect.signature(fn)
        revision, language = (
            inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            for name in ("cache_revision", "cache_language")  # names no cached function uses
        )
        keyed.__signature__ = signature.replace(parameters=[revision, language, *signature.parameters.values()])
        cached = st.cache_resource(show_spinner=False, max_entries=max_entries)(keyed)
        _REGISTRY.append(cached)

        @functools.wraps(fn)
        def call(*args, **kwargs):
            return cached(current_revision(), lang(), *args, **kwargs)

        call.clear = cached.clear
        return call

    return decorate(fn) if fn is not None else decorate


def register(cached) -> None:
    """Clear ``cached`` (a Streamlit cache) with the data caches."""
    _REGISTRY.append(cached)


def current_revision() -> int:
    """The data revision this run builds from: the one read at its start (or after its
    own write), looked up once per run (ui/run_memo.py)."""
    return run_memo.remembered("revision", _seen)


def _seen() -> int:
    engine = database()
    key = str(engine.url)
    if key not in _seen_revision:
        _seen_revision[key] = db.revision(engine)
    return _seen_revision[key]


def follow_data_revision() -> None:
    """Read the data revision (one small query per rerun); when anyone has written since,
    drop every entry built from older data."""
    engine = database()
    current = db.revision(engine)
    key = str(engine.url)
    if _seen_revision.get(key, current) != current:
        clear_data_caches()
    _seen_revision[key] = current
    run_memo.remember("revision", current)


def clear_data_caches() -> None:
    for cached in _REGISTRY:
        cached.clear()
