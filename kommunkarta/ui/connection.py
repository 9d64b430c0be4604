"""The secrets and the database connection of the Streamlit layer (the one place that
reads them, so that the caches, the data and the editing forms all use one engine)."""

from __future__ import annotations

import streamlit as st

from .. import paths
from ..storage import db, store


def secrets() -> dict:
    """The secrets as a plain dict; empty without a secrets file."""
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file: Streamlit raises rather than returning nothing
        return {}


def database():
    """The engine of the configured database (upgraded, and seeded on first use)."""
    return _database(db.database_url(secrets()), str(paths.default_data_dir()))


@st.cache_resource(show_spinner=False)
def _database(url: str, data_dir: str):
    return store.open_database(url, data_dir)
