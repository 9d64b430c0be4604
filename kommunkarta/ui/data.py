"""Cached access to the curated data and what the package computes from it alone (and
from the filters): built once for all sessions, fresh after every write (``data_cache``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import gazetteer, geo, paths, profiles, selection, timeline
from ..loader import Dataset
from ..names import KommunMatcher
from ..outputs import leaflet_assets
from ..storage import db, store
from .cache import current_revision, data_cache, register
from .text import lang


@st.cache_resource(show_spinner=False)
def ensure_assets() -> None:
    leaflet_assets.ensure_static_assets(paths.static_dir())


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


# Resources, not cache_data: the frames are read-only, and copying them on every rerun
# is what cache_data would do.


@st.cache_resource(show_spinner=False, max_entries=4)
def _stored_dataset(url: str, revision: int) -> Dataset:
    return store.load_from_database(database())


register(_stored_dataset)  # cleared with the data caches


@data_cache
def dataset() -> Dataset:
    """The data as the session's language names it (networks by their English names in
    English); read from the database once per revision for both languages."""
    return _stored_dataset(str(database().url), current_revision()).in_language(lang())


@data_cache
def membership_table() -> pd.DataFrame:
    return selection.membership_table(dataset())


@data_cache
def filter_vocabulary() -> selection.Vocabulary:
    return selection.vocabulary(dataset())


@st.cache_resource(show_spinner=False)
def kommun_matcher() -> KommunMatcher:
    return KommunMatcher(geo.names_by_code())


@data_cache
def kommun_seats() -> pd.DataFrame:
    return gazetteer.kommun_seats(dataset().seats)


@data_cache(max_entries=300)
def kommun_profile(kommun_kod: str) -> dict:
    return profiles.kommun_profile(dataset(), membership_table(), kommun_kod, kommun_seats())


def network(network_id: str) -> profiles.Network:
    return network_view(network_id).network


def network_view(network_id: str) -> profiles.NetworkView:
    """Everything the network's page, map, exports and slide show, built once."""
    return _network_view(network_id, st.session_state.get("f_lang", "sv"))


@data_cache(max_entries=64)
def _network_view(network_id: str, language: str) -> profiles.NetworkView:
    return profiles.network_view(dataset(), membership_table(), network_id, kommun_seats(), language)


@data_cache
def timeline_rows() -> pd.DataFrame:
    return timeline.timeline(dataset())


@data_cache(max_entries=64)
def _filtered(filter_key: tuple) -> tuple[pd.DataFrame, pd.DataFrame, selection.KeyFigures]:
    filters = filters_from_key(filter_key)
    ds = dataset()
    filtered = selection.apply_filters(membership_table(), filters)
    summary = selection.kommun_summary(filtered, ds, lang())
    return filtered, summary, selection.key_figures(summary, filtered, ds)


def filtered(filters: selection.Filters) -> tuple[pd.DataFrame, pd.DataFrame, selection.KeyFigures]:
    """(memberships passing the filters, one row per kommun, key figures)."""
    return _filtered(filter_key(filters))


def filter_key(filters: selection.Filters) -> tuple:
    return tuple(sorted(filters.to_query_params().items()))


def filters_from_key(key: tuple) -> selection.Filters:
    return selection.Filters.from_query_params(dict(key), filter_vocabulary())[0]
