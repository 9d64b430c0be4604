"""The service page's state: cached layers and indexes, the analysed scope, and the
session's what-if changes (clicked shops, measuring)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import geo
from ..service import analysis, defaults, stored_layers
from ..service.view import Population, ServiceView, service_view
from .data import dataset, membership_table
from .text import tr


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


def access_scope(kommuner: tuple[str, ...], network_id: str | None) -> tuple[str, ...]:
    """The kommuner an analysis covers: those chosen, plus a network's Swedish members."""
    codes = set(kommuner)
    if network_id:
        table = membership_table()
        codes |= set(table.loc[(table["network_id"] == network_id) & (table["country"] == "SE"), "kommun_kod"])
    return tuple(sorted(codes))


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


@st.cache_resource(show_spinner=False, max_entries=32)
def closable_facilities(
    layers_key: tuple,
    _facilities: analysis.Facilities,
    _origins: pd.DataFrame,
    scope: tuple[str, ...],
    threshold: float,
    detour: float,
) -> pd.DataFrame:
    """analysis.closable, cached; ``layers_key`` names the facility and origin layers,
    whose objects are not hashed."""
    return analysis.closable(_facilities, _origins, scope, threshold, detour)


@st.cache_resource(show_spinner=False, max_entries=32)
def _grid(scope: tuple[str, ...]) -> pd.DataFrame:
    return analysis.grid_origins(scope or tuple(geo.kommuner()["kommun_kod"]))


def access_view(
    facilities: analysis.Facilities,
    origins: Population,
    scope: tuple[str, ...],
    threshold: float,
    detour: float,
    added: tuple[dict, ...],
    closed: tuple[str, ...],
    area_share: bool,
    grid: Population | None = None,
    show_mines: bool = False,
) -> ServiceView:
    """view.service_view with the session's what-if changes, the cached area grid, the
    kommuner's official population and (when asked for) the mines layer."""
    return service_view(
        facilities,
        origins,
        scope,
        threshold,
        detour,
        added=pd.DataFrame(list(added)) if added else None,
        closed=closed,
        area_grid=_grid(scope) if area_share else None,
        grid=grid,
        official_population=dataset().population,
        mines=mines() if show_mines else None,
    )
