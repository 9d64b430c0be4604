"""The service page's map of places and shops, Streamlit side: the ring around a chosen
place, and the map drawn through the project's map component (ui.folium_component.show).

The outline of the scope is the base map, computed once per scope and language for all
sessions; the page's layers (places by distance class, shops, the what-if's shops, the
grid's squares beyond, mines, the service area along the roads, the ring and the
measured line) are computed once per frozen ServiceQuery, ring and measure, and the data
revision. A rerun that changes nothing on the map costs a cache lookup, and a what-if
click sends the new layers to the map already drawn (it is not remounted)."""

from __future__ import annotations

import folium
import streamlit as st

from ..outputs import maps
from ..service import query as service_query
from ..service.query import PageView, ServiceQuery
from . import folium_component, service_roads
from .maps import outline_map
from .text import lang, num, tr

MAP_KEY = "access_map"
MAP_HEIGHT = 620


def ring_choice(page: PageView) -> tuple:
    """The ring the page asks for (the place and the radius the user chose), as the
    rings maps.access_layers draws."""
    view = page.service
    ids = view.rows["origin_id"].tolist()  # a list at once: iterating the column is ten times slower
    ring_column, radius_column = st.columns([3, 2])
    ring_place = ring_column.selectbox(
        tr("access_ring_place"),
        ids,
        index=None,
        format_func=dict(zip(ids, view.rows["name"].tolist())).get,
        key="sa_ring",
        placeholder="–",
    )
    ring_km = radius_column.slider(
        tr("access_ring_km"),
        1.0,
        60.0,
        float(page.query.threshold_km),
        1.0,
        key="sa_ring_km",
        disabled=not ring_place,
    )
    return service_query.ring(view.rows, ring_place, ring_km)


def measure_spec(measured: list, measured_text: str) -> tuple:
    """What the map draws of the measure tool: the clicked points, and the distance's
    text once there are two."""
    if not measured:
        return ()
    return (tuple(tuple(p) for p in measured), measured_text if len(measured) == 2 else "")


def layers(page: PageView, rings: tuple, measure: tuple, language: str) -> list[folium.FeatureGroup]:
    """Every layer of the map of places and shops, for one view, ring and measure."""
    view = page.service
    drawn = maps.access_layers(
        view.rows,
        view.facilities_shown,
        page.query.threshold_km,
        view.isolated_ids,
        page.added,
        rings,
        lang=language,
        measure=(list(measure[0]), measure[1]) if measure else (),
    )
    if view.grid_beyond is not None:
        drawn.append(maps.grid_beyond_layer(view.grid_beyond, lang=language))
    if view.mines is not None:
        drawn.append(maps.mines_layer(view.mines, lang=language))
    return drawn + service_roads.map_layer(page.road)


def show(query: ServiceQuery, page: PageView, rings: tuple, measure: tuple):
    """The map of places and shops (a click adds a shop or measures); what the component
    returns: the user's clicks."""
    language = lang()
    state = folium_component.show(
        (MAP_KEY, query.scope, language),
        lambda: (outline_map(query.scope), None),
        layer_spec=(query, rings, measure),
        build_layers=lambda: layers(page, rings, measure, language),
        returned_objects=["last_clicked"],
        height=MAP_HEIGHT,
    )
    view = page.service
    if view.grid is not None and len(view.grid_beyond) < view.grid.origins_beyond:
        st.caption(tr("access_grid_drawn", drawn=num(len(view.grid_beyond)), total=num(view.grid.origins_beyond)))
    if view.mines is not None:
        st.caption(tr("access_mines_attribution"))
    return state
