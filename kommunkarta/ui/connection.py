"""The secrets and the database connection of the Streamlit layer (the one place that
reads them, so that the caches, the data and the editing forms all use one engine)."""

from __future__ import annotations

import os
import threading

import streamlit as st
from streamlit import config

from .. import paths
from ..storage import db, store
from . import run_memo

# Where Streamlit found no secrets file: (the st.secrets object, the files' stamps).
# Without a file Streamlit looks for one again, under a lock shared by all sessions,
# at every use; the pages read the secrets many times a rerun (each cached lookup asks
# for the database), and under a meeting's load sessions queued on that lock.
_no_file: tuple | None = None
_no_file_lock = threading.Lock()


def _stamps() -> tuple:
    """What can tell that a secrets file appeared or changed: each configured path's
    modification time, size and inode (None where there is nothing)."""
    stamps = []
    for path in config.get_option("secrets.files"):
        try:
            stat = os.stat(path)
        except OSError:
            stamps.append((path, None))
        else:
            stamps.append((path, stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(stamps)


def secrets() -> dict:
    """The secrets as a plain dict; empty without a secrets file."""
    global _no_file
    store_ = st.secrets  # AppTest puts a store of its own in place: compared by identity
    no_file = _no_file
    if no_file is not None and no_file[0] is store_ and no_file[1] == _stamps():
        return {}
    try:
        return store_.to_dict()
    except Exception:  # no secrets file: Streamlit raises rather than returning nothing
        with _no_file_lock:
            _no_file = (store_, _stamps())
        return {}


# The engines by (URL, data folder): every cached lookup asks for the database, and a
# plain dict answers in a fraction of Streamlit's cache lookup.
_engines: dict[tuple[str, str], object] = {}


def database():
    """The engine of the configured database (upgraded, and seeded on first use); looked
    up once per script run (ui/run_memo.py)."""
    return run_memo.remembered("database", _configured_database)


def _configured_database():
    key = (db.database_url(secrets()), str(paths.default_data_dir()))
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = _database(*key)
    return engine


@st.cache_resource(show_spinner=False)
def _database(url: str, data_dir: str):
    return store.open_database(url, data_dir)
