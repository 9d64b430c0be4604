"""Distance to service: nearest shop from every place, the 3-mil rule, vulnerable shops
and what-if, for the whole country, some kommuner or a network's kommuner.

The page reads its inputs into one ServiceQuery (service.query), which is both the cache
key and the argument of the view, asks for that one view (service_page_view) and
renders it: key figures per population, caveats, the map, and the tables."""

from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

from kommunkarta.i18n import t
from kommunkarta.outputs import maps
from kommunkarta.service import analysis, grid
from kommunkarta.service import query as service_query
from kommunkarta.service.query import GAZETTEER, TATORTER, LayerRef, PageView, ServiceQuery
from kommunkarta.ui import grid_panel, panels, service_roads
from kommunkarta.ui.data import filter_vocabulary, kommun_matcher
from kommunkarta.ui.maps import outline_map
from kommunkarta.ui.service_layers import fetch_national_shops, layer_manager, show_notice
from kommunkarta.ui.service_query import closable_shops, service_page_view
from kommunkarta.ui.service_state import access_scope, layers_of, take_access_click
from kommunkarta.ui.text import lang, num, tr

NO_GRID = "none"
# Labels are made in this run's language, also when a later run decodes the widgets'
# values (Streamlit keeps a select widget's value as its label).
language = lang()

st.title(tr("access_title"))
st.caption(tr("access_page_caption"))
show_notice()


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

# -- inputs ---------------------------------------------------------------------------
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
threshold = presets.get(choice) or right.slider(tr("access_threshold_free"), 1.0, 60.0, 30.0, 0.5, key="sa_threshold")
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

# Everything the inputs say, as one frozen query: the cache key and the view's argument.
query = ServiceQuery(
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

# What if: hypothetical shops from clicks on the map, and shops to close.
st.subheader(tr("access_whatif"))
with st.container(horizontal=True):
    adding = st.toggle(tr("access_whatif_add"), key="sa_add_mode")
    measuring = st.toggle(tr("access_measure"), key="sa_measure_mode")
added = take_access_click(st.session_state.get("access_map"), adding, measuring)
measured = st.session_state.get("sa_measure", [])
measured_km, measured_text = service_query.measured(measured, language)
in_scope = closable_shops(query.layers)
closed = st.multiselect(
    tr("access_whatif_close"),
    list(in_scope["id"]),
    format_func=dict(zip(in_scope["id"], in_scope["name"])).get,
    key="sa_closed",
    placeholder="–",
)
# Everything above the map is drawn on every run, whatever its state: Streamlit knows
# elements by their position, and a map that moves down is remounted (and loses its zoom).
with st.container(horizontal=True, vertical_alignment="center"):
    st.caption(tr("access_whatif_added", n=len(added)))
    st.caption(measured_text or tr("access_measure_help"))
    if st.button(tr("access_whatif_clear"), key="sa_clear", disabled=not added):
        st.session_state["sa_added"] = []
        st.rerun()

query = replace(query, added=tuple((a["lat"], a["lon"]) for a in added), closed=tuple(closed))
page: PageView = service_page_view(query)
view = page.service

# -- key figures: each population and measure named, the grid's beside the places' -----
for column, figure in zip(st.columns(len(page.figures)), page.figures):
    column.metric(figure.label, figure.value)
for line in page.counts:
    st.caption(line)
for caveat in page.caveats:
    st.caption(caveat)
st.caption(page.distance_label)

# -- map -------------------------------------------------------------------------------
ring_column, radius_column = st.columns([3, 2])
ring_place = ring_column.selectbox(
    tr("access_ring_place"),
    list(view.rows["origin_id"]),
    index=None,
    format_func=dict(zip(view.rows["origin_id"], view.rows["name"])).get,
    key="sa_ring",
    placeholder="–",
)
ring_km = radius_column.slider(
    tr("access_ring_km"), 1.0, 60.0, float(threshold), 1.0, key="sa_ring_km", disabled=not ring_place
)
rings = service_query.ring(view.rows, ring_place, ring_km)

st.caption(tr("access_national_shops") if not query.scope else tr("access_scope_shops"))
layers = maps.access_layers(
    view.rows,
    view.facilities_shown,
    threshold,
    view.isolated_ids,
    page.added,
    rings,
    lang=lang(),
    measure=(measured, measured_text) if measured_km is not None else ((measured, "") if measured else ()),
)
if view.grid_beyond is not None:
    layers.append(maps.grid_beyond_layer(view.grid_beyond, lang=lang()))
if view.mines is not None:
    layers.append(maps.mines_layer(view.mines, lang=lang()))
layers += service_roads.map_layer(page.road)
# One map at a time: the places and shops (clicks add shops or measure), or every
# populated square of the grid by distance class (a click shows the square).
road_key, road_result = grid_panel.stored_road_result(query)
if grid_panel.map_choice(query) == grid_panel.GRID_MAP:
    grid_panel.grid_map_section(query, page, road_result)
else:
    st_folium(
        outline_map(query.scope),
        feature_group_to_add=layers,
        returned_objects=["last_clicked"],
        key="access_map",
        render=False,
        height=620,
        use_container_width=True,
    )
    if view.grid is not None and len(view.grid_beyond) < view.grid.origins_beyond:
        st.caption(
            tr(
                "access_grid_drawn",
                drawn=num(len(view.grid_beyond)),
                total=num(view.grid.origins_beyond),
            )
        )
    if view.mines is not None:
        st.caption(tr("access_mines_attribution"))
service_roads.show(page.road, matcher)


# -- tables ----------------------------------------------------------------------------
st.subheader(tr("access_kommun_table"))
shown = service_query.kommun_table(view, matcher.names_by_code, language)
if view.grid is not None:
    st.caption(tr("access_grid_gap_reason" if query.grid.id == service_query.EMBEDDED_GRID else "access_grid_gap_note"))
panels.table(shown)
panels.csv_download(shown, "avstand_per_kommun.csv", key="sa_dl_kommun")

# The grid: its road result (or the offer to compute it), people by distance class.
grid_panel.show(query, page, road_key, road_result, known.networks.get(query.network, "") if query.network else "")

st.subheader(tr("access_vulnerable_table"))
st.caption(tr("access_vulnerable_caption"))
shown = service_query.vulnerable_table(view, matcher.names_by_code, language)
panels.table(shown)
panels.csv_download(shown, "sarbara_butiker.csv", key="sa_dl_vulnerable")

with st.expander(tr("access_origin_table")):
    shown = service_query.origin_table(view, matcher.names_by_code, language)
    panels.table(shown)
    panels.csv_download(shown, "avstand_per_ort.csv", key="sa_dl_origins")
