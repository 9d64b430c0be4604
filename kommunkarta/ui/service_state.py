"""The service page's state: cached layers and indexes, the analysed scope, and the
session's what-if changes (clicked shops, measuring). The page's view is service_query's."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..service import analysis, defaults, stored_layers
from ..service.view import Population
from .cache import data_cache
from .data import membership_table
from .text import tr


def own_layers() -> dict[str, tuple[stored_layers.LayerInfo, pd.DataFrame]]:
    """This session's layers (read from a visitor's file or fetch, never stored): info
    and points, projected."""
    return st.session_state.setdefault("sa_own_layers", {})


def layers_of(role: str) -> list[stored_layers.LayerInfo]:
    """The session's own layers of a role, then the stored ones."""
    return [info for info, _ in own_layers().values() if info.role == role] + stored_layers.list_layers(role)


@st.cache_resource(show_spinner=False)
def gazetteer_origins() -> pd.DataFrame:
    return analysis.gazetteer_origins()


@st.cache_resource(show_spinner=False)
def tatort_origins() -> pd.DataFrame:
    return analysis.with_xy(defaults.tatort_origins())


@st.cache_resource(show_spinner=False)
def mines() -> pd.DataFrame:
    return defaults.mines()


def population(kind: str, title: str, layer_id: str = "", imported_at: str = "") -> Population:
    """The origins a choice on the page names: the embedded tätorter, the gazetteer's
    places, or a stored layer (of places or a population grid)."""
    if kind == "tatorter":
        points = tatort_origins()
    elif kind == "gazetteer":
        points = gazetteer_origins()
    elif layer_id in own_layers():
        points = own_layers()[layer_id][1]
    else:
        points = stored_layer(layer_id, imported_at)
    return Population(kind, title, points)


@st.cache_resource(show_spinner=False, max_entries=16)
def stored_layer(layer_id: str, imported_at: str) -> pd.DataFrame:
    # imported_at is part of the key, so a layer saved again under the same id is reread.
    # Projected to SWEREF 99 TM here, once, rather than by every what-if rerun.
    return analysis.with_xy(stored_layers.load(layer_id))


@st.cache_resource(show_spinner=False, max_entries=32)
def facility_index(layer_id: str, imported_at: str, kinds: tuple[str, ...]) -> analysis.Facilities:
    return analysis.Facilities.build(analysis.facilities_of_kinds(stored_layer(layer_id, imported_at), kinds))


def layer_facilities(info: stored_layers.LayerInfo, kinds: tuple[str, ...]) -> analysis.Facilities:
    """The facility index of a stored layer (cached for all) or of the session's own
    layer (kept in the session, one at a time)."""
    own = own_layers()
    if info.id not in own:
        return facility_index(info.id, info.imported_at, kinds)
    cache = st.session_state.setdefault("sa_own_index", {})
    if (info.id, kinds) not in cache:
        cache.clear()  # one at a time: a session keeps no more than it shows
        cache[(info.id, kinds)] = analysis.Facilities.build(analysis.facilities_of_kinds(own[info.id][1], kinds))
    return cache[(info.id, kinds)]


def access_scope(kommuner: tuple[str, ...], network_id: str | None) -> tuple[str, ...]:
    """The kommuner an analysis covers: those chosen, plus a network's Swedish members."""
    codes = set(kommuner)
    if network_id:
        codes |= swedish_members(network_id)
    return tuple(sorted(codes))


@data_cache(max_entries=64)
def swedish_members(network_id: str) -> frozenset[str]:
    """The codes of a network's members in Sweden, once per data revision."""
    table = membership_table()
    return frozenset(table.loc[(table["network_id"] == network_id) & (table["country"] == "SE"), "kommun_kod"])


def take_access_click(state: dict | None, adding: bool, measuring: bool = False) -> list[dict]:
    """Act on a new click on the access map: measuring takes two points (a third starts
    over); adding places a hypothetical shop. Returns the hypothetical shops."""
    added = st.session_state.setdefault("sa_added", [])
    measure = st.session_state.setdefault("sa_measure", [])
    clicked = (state or {}).get("last_clicked")
    if clicked and clicked != st.session_state.get("sa_last_click"):
        st.session_state["sa_last_click"] = clicked
        if measuring:
            st.session_state["sa_measure"] = (measure if len(measure) < 2 else []) + [(clicked["lat"], clicked["lng"])]
        elif adding:
            n = len(added) + 1
            added.append(
                {
                    "id": f"tankt-{n}",
                    "name": f"{tr('access_added')} {n}",
                    "kind": "hypothetical",
                    "kommun_kod": "",
                    "lat": clicked["lat"],
                    "lon": clicked["lng"],
                }
            )
    return added
