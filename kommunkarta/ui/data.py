"""Cached access to the curated data and what the package computes from it alone (and
from the filters): built once for all sessions, fresh after every write (``data_cache``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import distances, gazetteer, geo, profiles, selection, timeline
from ..loader import Dataset
from ..names import KommunMatcher
from ..outputs import downloads
from ..storage import store
from .cache import current_revision, data_cache, register
from .connection import database
from .text import label, lang, tr

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


@data_cache(max_entries=300)
def kommun_detail(kommun_kod: str) -> selection.KommunDetail:
    """What the overview's kommun panel shows of a kommun, built once."""
    return selection.kommun_detail(dataset(), membership_table(), kommun_kod)


@data_cache
def network_titles() -> tuple[tuple[str, str], ...]:
    """(id, short name) of every network, in the list's order: the menu's network pages,
    named at every run."""
    networks = dataset().networks
    return tuple(zip(networks["id"].tolist(), networks["short_name"].tolist(), strict=True))


def network(network_id: str) -> profiles.Network:
    return network_view(network_id).network


@data_cache(max_entries=64)
def network_view(network_id: str) -> profiles.NetworkView:
    """Everything the network's page, map, exports and slide show, built once (for each
    language: the cache key holds it)."""
    return profiles.network_view(dataset(), membership_table(), network_id, kommun_seats(), lang())


@data_cache(max_entries=64)
def network_fact_figures(network_id: str) -> tuple[tuple[str, str, str], ...]:
    """The counts the sources give about a network ("16 named of about 17"), as its page
    shows them beside the key figures: (label, text, help), escaped, once per network."""
    from .markdown import md

    facts = network_view(network_id).facts
    shown = facts[facts["figure"]]
    return tuple(
        (md(label), md(text), md(f"{tr('col_source')}: {source}"))
        for label, text, source in zip(shown["label"], shown["text"], shown["source"], strict=True)
    )


@data_cache(max_entries=64)
def nearest_member_table(network_id: str) -> pd.DataFrame:
    """Each member's nearest other member, as the page shows it: one object per network
    and language, so that the table's texts are made once (ui/styled_table.py)."""
    nearest = network_view(network_id).distances.nearest
    return pd.DataFrame(
        {
            tr("col_member"): nearest["name"],
            tr("col_seat"): nearest["seat"],
            tr("col_seat_rule"): nearest["rule"].map(lambda r: tr(f"seat_rule_{r}")),
            tr("col_nearest"): nearest["nearest"],
            tr("col_km"): nearest["km"],
            tr("col_mil"): nearest["km"] / distances.KM_PER_MIL,
        }
    )


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


@data_cache(max_entries=64)
def _summary_table(filter_key: tuple) -> pd.DataFrame:
    return label(_filtered(filter_key)[1], downloads.SUMMARY_HEADINGS)


def summary_table(filters: selection.Filters) -> pd.DataFrame:
    """The kommuner passing the filters as the overview's table shows them (and its CSV
    holds them): the shown columns under headings in the session's language. One object
    per filter, so that the table's texts are made once (ui/styled_table.py)."""
    return _summary_table(filter_key(filters))


def filter_key(filters: selection.Filters) -> tuple:
    return tuple(sorted(filters.to_query_params().items()))


def filters_from_key(key: tuple) -> selection.Filters:
    return selection.Filters.from_query_params(dict(key), filter_vocabulary())[0]
