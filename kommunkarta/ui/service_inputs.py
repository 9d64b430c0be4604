"""The service page's inputs, Streamlit side: the widgets that choose the layers, the
scope, the threshold and the measure, read into one frozen ServiceQuery (service.query);
and the what-if (hypothetical shops clicked on the map, shops closed, the measure tool)
added to it. Everything above the map is drawn on every run, whatever its state:
Streamlit knows elements by their position, and a map that moves down is remounted (and
loses its zoom)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from ..i18n import t
from ..service import analysis, grid
from ..service import query as service_query
from ..service.query import GAZETTEER, TATORTER, LayerRef, ServiceQuery
from . import service_roads
from .data import filter_vocabulary, kommun_matcher
from .service_layers import fetch_national_shops, layer_manager
from .service_map import MAP_KEY, measure_spec
from .service_query import closable_shops
from .service_state import access_scope, layers_of, take_access_click
from .text import lang, num, tr

NO_GRID = "none"


@dataclass(frozen=True)
class WhatIf:
    """The query with the what-if added, and what the measure tool has measured."""

    query: ServiceQuery
    measure: tuple  # service_map.measure_spec: the points clicked, the distance's text


def query() -> ServiceQuery:
    """Everything the inputs say, as one frozen query: the cache key and the view's
    argument. Without a facility layer the page offers to fetch or load one, and stops."""
    # Labels are made in this run's language, also when a later run decodes the widgets'
    # values (Streamlit keeps a select widget's value as its label).
    language = lang()
    facility_layers = layers_of("facilities")
    if not facility_layers:
        st.warning(tr("access_no_layer"))
        fetch_national_shops()
        layer_manager(expanded=True)
        st.stop()
    layer_manager(expanded=False)
    # Listed again: a layer just saved or read is among them, and chosen below.
    facility_layers = layers_of("facilities")

    origin_layers = layers_of("origins")
    place_layers = [i for i in origin_layers if not grid.is_grid(i.kinds)]
    grid_layers = [i for i in origin_layers if grid.is_grid(i.kinds)]
    matcher = kommun_matcher()
    known = filter_vocabulary()

    st.subheader(tr("access_layers"))
    left, middle, right, far = st.columns(4)
    by_id = {i.id: i for i in facility_layers}
    layer_id = left.selectbox(
        tr("access_facility_layer"),
        list(by_id),
        format_func=lambda i: f"{by_id[i].title} ({num(by_id[i].points)}; {by_id[i].imported_at[:10]})",
        key="sa_layer",
    )
    layer = by_id[layer_id]
    kinds_available = sorted(layer.kinds)
    default_kinds = ["grocery"] if "grocery" in kinds_available else kinds_available
    kinds = tuple(
        middle.multiselect(tr("access_kinds"), kinds_available, default=default_kinds, key=f"sa_kinds_{layer_id}")
    )
    places_by_id = {i.id: i for i in place_layers}
    origin_titles = {
        TATORTER: tr("access_tatorter"),
        GAZETTEER: tr("access_gazetteer"),
        **{i.id: f"{i.title} ({num(i.points)})" for i in place_layers},
    }
    origin_id = right.selectbox(
        tr("access_origin_layer"), list(origin_titles), format_func=origin_titles.get, key="sa_origins"
    )
    # The embedded national grid is the default population; a stored grid, when there is one, first.
    grids_by_id = {i.id: i for i in grid_layers}
    embedded = service_query.embedded_grid(language)
    grid_titles = {
        NO_GRID: tr("access_no_grid"),
        **{i.id: f"{i.title} ({num(i.points)})" for i in grid_layers},
        embedded.id: tr("access_embedded_grid_option", title=embedded.title),
    }
    grid_id = far.selectbox(
        tr("access_grid_layer"),
        list(grid_titles),
        index=1,
        format_func=grid_titles.get,
        key="sa_grid",
    )

    # A network's scope from the link (a network page's "the full analysis"), taken once per link.
    url_network = st.query_params.get("network")
    if url_network in known.networks and st.session_state.get("sa_url_network") != url_network:
        st.session_state["sa_network"] = st.session_state["sa_url_network"] = url_network
    left, middle, right = st.columns(3)
    scope_kommuner = left.multiselect(
        tr("access_scope"),
        sorted(matcher.names_by_code, key=matcher.names_by_code.get),
        format_func=matcher.names_by_code.get,
        key="sa_kommuner",
        placeholder=tr("filter_all"),
    )
    network_id = middle.selectbox(
        tr("access_network"),
        list(known.networks),
        index=None,
        format_func=known.networks.get,
        key="sa_network",
        placeholder="–",
    )
    presets = dict(analysis.THRESHOLD_PRESETS_KM)
    choice = right.radio(
        tr("access_threshold"),
        [*list(presets), "own"],
        index=2,
        key="sa_threshold_choice",
        format_func=lambda p: t(f"access_threshold_{p}", language),
    )
    threshold = presets.get(choice) or right.slider(
        tr("access_threshold_free"), 1.0, 60.0, 30.0, 0.5, key="sa_threshold"
    )
    with st.container(horizontal=True):
        use_detour = st.toggle(tr("access_detour"), key="sa_detour_on")
        detour = (
            st.number_input(tr("access_detour_factor"), 1.0, 2.0, 1.3, 0.05, key="sa_detour", disabled=not use_detour)
            if use_detour
            else 1.0
        )
        area_share = st.toggle(tr("access_area_share"), key="sa_area")
        show_mines = st.toggle(tr("access_mines_toggle"), value=True, key="sa_mines")
    road_choice = service_roads.controls(threshold)  # None: straight line only

    return ServiceQuery(
        facilities=LayerRef.of(layer),
        kinds=kinds,
        origins=origin_id,
        origins_layer=LayerRef.of(places_by_id[origin_id]) if origin_id in places_by_id else None,
        grid=LayerRef.of(grids_by_id[grid_id])
        if grid_id in grids_by_id
        else (embedded if grid_id == embedded.id else None),
        scope=access_scope(tuple(scope_kommuner), network_id),
        network=network_id,
        threshold_km=float(threshold),
        detour=float(detour),
        area_share=area_share,
        mines=show_mines,
        roads=road_choice,
    )


def what_if(query: ServiceQuery) -> WhatIf:
    """Hypothetical shops from clicks on the map, shops to close, and the measure tool."""
    st.subheader(tr("access_whatif"))
    with st.container(horizontal=True):
        adding = st.toggle(tr("access_whatif_add"), key="sa_add_mode")
        measuring = st.toggle(tr("access_measure"), key="sa_measure_mode")
    added = take_access_click(st.session_state.get(MAP_KEY), adding, measuring)
    measured = st.session_state.get("sa_measure", [])
    _, measured_text = service_query.measured(measured, lang())
    in_scope = closable_shops(query.layers)
    closed = st.multiselect(
        tr("access_whatif_close"),
        list(in_scope["id"]),
        format_func=dict(zip(in_scope["id"], in_scope["name"])).get,
        key="sa_closed",
        placeholder="–",
    )
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(tr("access_whatif_added", n=len(added)))
        st.caption(measured_text or tr("access_measure_help"))
        if st.button(tr("access_whatif_clear"), key="sa_clear", disabled=not added):
            st.session_state["sa_added"] = []
            st.rerun()
    return WhatIf(
        replace(query, added=tuple((a["lat"], a["lon"]) for a in added), closed=tuple(closed)),
        measure_spec(measured, measured_text),
    )
