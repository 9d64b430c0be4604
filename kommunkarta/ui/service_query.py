"""The service page's one view, Streamlit side: the layers a ServiceQuery names, read
through the page's caches (a session's own layers from its session), and the PageView
cached for all sessions with the query as its key."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import geo
from ..service import analysis, defaults, roads
from ..service.query import EMBEDDED_GRID, LayerRef, PageView, ServiceQuery, closable, nearest_of, page_view
from ..service.view import Nearest, Population
from . import service_state
from .cache import data_cache
from .data import dataset
from .markdown import md
from .service_roads import road_access
from .text import lang


class PageSources:
    """query.Sources over the page's caches."""

    def facilities(self, layer: LayerRef, kinds: tuple[str, ...]) -> analysis.Facilities:
        own = service_state.own_layers()
        if layer.id in own:
            return service_state.layer_facilities(own[layer.id][0], kinds)
        return service_state.facility_index(layer.id, layer.version, kinds)

    def population(self, kind: str, title: str, layer: LayerRef | None) -> Population:
        if layer is not None and layer.id == EMBEDDED_GRID:
            return Population(kind, title, embedded_grid_points())
        if layer is None:
            return service_state.population(kind, title)
        return service_state.population(kind, title, layer.id, layer.version)

    def road_access(self, query: ServiceQuery) -> roads.RoadAccess:
        facilities = self.facilities(query.facilities, query.kinds)
        r, f = query.roads, query.facilities
        return road_access(r.id, r.version, f.id, f.version, query.kinds, r.measure, facilities.points)

    def area_grid(self, scope: tuple[str, ...]) -> pd.DataFrame:
        return _area_grid(scope)

    def official_population(self) -> pd.DataFrame:
        return dataset().population

    def mines(self) -> pd.DataFrame:
        return service_state.mines()


@st.cache_resource(show_spinner=False)
def embedded_grid_points() -> pd.DataFrame:
    """The embedded national grid, read once per process (x, y already in SWEREF 99 TM)."""
    return defaults.population_grid()


@st.cache_resource(show_spinner=False, max_entries=32)
def _area_grid(scope: tuple[str, ...]) -> pd.DataFrame:
    return analysis.grid_origins(scope or tuple(geo.kommuner()["kommun_kod"]))


@data_cache(max_entries=16)
def _nearest(query: ServiceQuery) -> Nearest:
    """The nearest shops of every place and square (view.Nearest, about 4 MB with the
    national grid), cached on the query without its threshold, scope and detour factor
    (query.distances): a new threshold or network costs no nearest-neighbour search."""
    return nearest_of(query, PageSources(), lang())


def nearest(query: ServiceQuery) -> Nearest:
    return _nearest(query.distances)


@data_cache(max_entries=64)
def closable_shops(query: ServiceQuery) -> pd.DataFrame:
    """The shops offered for closing, cached on the query without its what-if."""
    layers = query.layers
    return closable(layers, PageSources(), lang(), nearest=lambda: nearest(layers))


@data_cache(max_entries=64)
def _page_view(query: ServiceQuery) -> PageView:
    # A resource, not copied: the page only reads the view. Keyed by the query, the data
    # revision and the language.
    return page_view(
        query, PageSources(), lang(), closable_shops=closable_shops(query.layers), escape=md, nearest=nearest(query)
    )


def service_page_view(query: ServiceQuery) -> PageView:
    """The page's view of ``query``, computed once per query for all sessions."""
    if query.roads is not None:
        from .text import tr

        with st.spinner(tr("roads_computing")):
            return _page_view(query)
    return _page_view(query)
