"""Distance to service: nearest shop from every place, the 3-mil rule, vulnerable shops
and what-if, for the whole country, some kommuner or a network's kommuner.

The page reads its inputs, asks the package for one view (service.view.service_view)
and renders it: key figures per population, the map, and the tables."""

from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from kommunkarta import ui
from kommunkarta.distances import KM_PER_MIL
from kommunkarta.i18n import t
from kommunkarta.outputs import formats, maps
from kommunkarta.service import analysis, grid
from kommunkarta.service.view import ServiceView
from kommunkarta.ui import panels, service_roads
from kommunkarta.ui.markdown import md

TATORTER, GAZETTEER, NO_GRID = "tatorter", "gazetteer", "none"
# Labels are made in this run's language, also when a later run decodes the widgets'
# values (Streamlit keeps a select widget's value as its label).
language = ui.lang()

st.title(ui.tr("access_title"))
st.caption(ui.tr("access_caption"))
st.info(ui.tr("access_limits"))
ui.show_notice()


facility_layers = ui.layers_of("facilities")
if not facility_layers:
    st.warning(ui.tr("access_no_layer"))
    ui.fetch_national_shops()
    ui.layer_manager(expanded=True)
    st.stop()
ui.layer_manager(expanded=False)
# Listed again: a layer just saved or read is among them, and chosen below.
facility_layers = ui.layers_of("facilities")

origin_layers = ui.layers_of("origins")
place_layers = [i for i in origin_layers if not grid.is_grid(i.kinds)]
grid_layers = [i for i in origin_layers if grid.is_grid(i.kinds)]
matcher = ui.kommun_matcher()
known = ui.filter_vocabulary()

# -- inputs ---------------------------------------------------------------------------
st.subheader(ui.tr("access_layers"))
left, middle, right, far = st.columns(4)
by_id = {i.id: i for i in facility_layers}
layer_id = left.selectbox(
    ui.tr("access_facility_layer"),
    list(by_id),
    format_func=lambda i: f"{by_id[i].title} ({ui.num(by_id[i].points)}; {by_id[i].imported_at[:10]})",
    key="sa_layer",
)
layer = by_id[layer_id]
kinds_available = sorted(layer.kinds)
default_kinds = ["grocery"] if "grocery" in kinds_available else kinds_available
kinds = tuple(
    middle.multiselect(ui.tr("access_kinds"), kinds_available, default=default_kinds, key=f"sa_kinds_{layer_id}")
)
places_by_id = {i.id: i for i in place_layers}
origin_titles = {
    TATORTER: ui.tr("access_tatorter"),
    GAZETTEER: ui.tr("access_gazetteer"),
    **{i.id: f"{i.title} ({ui.num(i.points)})" for i in place_layers},
}
origin_id = right.selectbox(
    ui.tr("access_origin_layer"), list(origin_titles), format_func=origin_titles.get, key="sa_origins"
)
grids_by_id = {i.id: i for i in grid_layers}
grid_titles = {NO_GRID: ui.tr("access_no_grid"), **{i.id: f"{i.title} ({ui.num(i.points)})" for i in grid_layers}}
grid_id = far.selectbox(
    ui.tr("access_grid_layer"),
    list(grid_titles),
    index=1 if grid_layers else 0,
    format_func=grid_titles.get,
    key="sa_grid",
)

left, middle, right = st.columns(3)
scope_kommuner = left.multiselect(
    ui.tr("access_scope"),
    sorted(matcher.names_by_code, key=matcher.names_by_code.get),
    format_func=matcher.names_by_code.get,
    key="sa_kommuner",
    placeholder=ui.tr("filter_all"),
)
network_id = middle.selectbox(
    ui.tr("access_network"),
    list(known.networks),
    index=None,
    format_func=known.networks.get,
    key="sa_network",
    placeholder="–",
)
presets = dict(analysis.THRESHOLD_PRESETS_KM)
choice = right.radio(
    ui.tr("access_threshold"),
    list(presets) + ["own"],
    index=2,
    key="sa_threshold_choice",
    format_func=lambda p: t(f"access_threshold_{p}", language),
)
threshold = presets.get(choice) or right.slider(
    ui.tr("access_threshold_free"), 1.0, 60.0, 30.0, 0.5, key="sa_threshold"
)
with st.container(horizontal=True):
    use_detour = st.toggle(ui.tr("access_detour"), key="sa_detour_on")
    detour = (
        st.number_input(ui.tr("access_detour_factor"), 1.0, 2.0, 1.3, 0.05, key="sa_detour", disabled=not use_detour)
        if use_detour
        else 1.0
    )
    area_share = st.toggle(ui.tr("access_area_share"), key="sa_area")
    show_mines = st.toggle(ui.tr("access_mines_toggle"), value=True, key="sa_mines")
road_choice = service_roads.controls(threshold)  # None: straight line only

scope = ui.access_scope(tuple(scope_kommuner), network_id)
facilities = ui.layer_facilities(layer, kinds)
if origin_id in (TATORTER, GAZETTEER):
    origins = ui.population(origin_id, origin_titles[origin_id])
else:
    chosen = places_by_id[origin_id]
    origins = ui.population("layer", chosen.title, chosen.id, chosen.imported_at)
population_grid = (
    ui.population("grid", grids_by_id[grid_id].title, grid_id, grids_by_id[grid_id].imported_at)
    if grid_id != NO_GRID
    else None
)

# What if: hypothetical shops from clicks on the map, and shops to close.
st.subheader(ui.tr("access_whatif"))
with st.container(horizontal=True):
    adding = st.toggle(ui.tr("access_whatif_add"), key="sa_add_mode")
    measuring = st.toggle(ui.tr("access_measure"), key="sa_measure_mode")
added = ui.take_access_click(st.session_state.get("access_map"), adding, measuring)
measured = st.session_state.get("sa_measure", [])
measured_km = analysis.straight_km(*measured) if len(measured) == 2 else None
measured_text = (
    ui.tr("access_measured", km=ui.num(measured_km, 1), mil=ui.num(measured_km / KM_PER_MIL, 2))
    if measured_km is not None
    else ""
)
# Names the facility, origin and grid layers (and their versions) for the cached analyses.
layers_key = (
    layer.id,
    layer.imported_at,
    kinds,
    origin_id,
    places_by_id[origin_id].imported_at if origin_id in places_by_id else "",
    grid_id,
    grids_by_id[grid_id].imported_at if grid_id in grids_by_id else "",
)
in_scope = ui.closable_facilities(layers_key, facilities, origins.points, scope, threshold, detour)
closed = st.multiselect(
    ui.tr("access_whatif_close"),
    list(in_scope["id"]),
    format_func=dict(zip(in_scope["id"], in_scope["name"])).get,
    key="sa_closed",
    placeholder="–",
)
# Everything above the map is drawn on every run, whatever its state: Streamlit knows
# elements by their position, and a map that moves down is remounted (and loses its zoom).
with st.container(horizontal=True, vertical_alignment="center"):
    st.caption(ui.tr("access_whatif_added", n=len(added)))
    st.caption(measured_text or ui.tr("access_measure_help"))
    if st.button(ui.tr("access_whatif_clear"), key="sa_clear", disabled=not added):
        st.session_state["sa_added"] = []
        st.rerun()

view: ServiceView = ui.access_view(
    layers_key,
    facilities,
    origins,
    scope,
    threshold,
    detour,
    tuple(added),
    tuple(closed),
    area_share,
    grid=population_grid,
    show_mines=show_mines,
)
road_view = service_roads.view(road_choice, layer, kinds, facilities, origins.points, scope, threshold, added, closed)

# -- key figures: each population named, the grid's beside the places' ----------------
km_text = ui.num(threshold, 1 if threshold % 1 else 0)
short = {
    "grid": ui.tr("access_short_grid"),
    "tatorter": ui.tr("access_short_tatorter"),
    "gazetteer": ui.tr("access_short_gazetteer"),
}
both = view.grid is not None
figures = [
    (
        ui.tr("kpi_places_beyond", km=km_text),
        f"{ui.num(view.origins.origins_beyond)} / {ui.num(view.origins.origins)}",
    )
]


def title_text(figure) -> str:
    """A population's title as Markdown: a layer's title (from an upload) escaped."""
    return figure.title if figure.kind in (TATORTER, GAZETTEER) else md(figure.title)


for figure in view.figures:
    label = (
        ui.tr("kpi_people_beyond_in", km=km_text, population=short.get(figure.kind, title_text(figure)))
        if both
        else ui.tr("kpi_people_beyond", km=km_text)
    )
    figures.append((label, ui.num(figure.people_beyond)))
if view.grid is not None and view.grid.people_70_beyond is not None:
    figures.append((ui.tr("kpi_old_beyond", km=km_text), ui.num(view.grid.people_70_beyond)))
figures.append((ui.tr("kpi_vulnerable", km=km_text), ui.num(view.isolated)))
for column, (label, value) in zip(st.columns(len(figures)), figures):
    column.metric(label, value)
for figure in view.figures:
    st.caption(
        ui.tr(
            "access_counts",
            title=title_text(figure),
            origins=ui.num(figure.origins),
            unit=ui.tr("access_unit_grid" if figure.kind == "grid" else "access_unit_places"),
            people=ui.num(figure.people),
            beyond=ui.num(figure.people_beyond),
            share=ui.pct(figure.share_beyond),
            km=km_text,
        )
    )
if view.origins.kind == "tatorter" and not both:
    st.caption(ui.tr("access_tatort_caveat"))
distance_label = (
    ui.tr("access_distance_label_road", factor=ui.num(detour, 2)) if use_detour else ui.tr("access_distance_label")
)
st.caption(distance_label)

# -- map -------------------------------------------------------------------------------
ring_column, radius_column = st.columns([3, 2])
ring_place = ring_column.selectbox(
    ui.tr("access_ring_place"),
    list(view.rows["origin_id"]),
    index=None,
    format_func=dict(zip(view.rows["origin_id"], view.rows["name"])).get,
    key="sa_ring",
    placeholder="–",
)
ring_km = radius_column.slider(
    ui.tr("access_ring_km"), 1.0, 60.0, float(threshold), 1.0, key="sa_ring_km", disabled=not ring_place
)
rings = ()
if ring_place:
    row = view.rows.set_index("origin_id").loc[ring_place]
    rings = ((row["lat"], row["lon"], ring_km, f"{row['name']}: {ui.num(ring_km, 0)} km"),)

st.caption(ui.tr("access_national_shops") if not scope else ui.tr("access_scope_shops"))
layers = maps.access_layers(
    view.rows,
    view.facilities_shown,
    threshold,
    view.isolated_ids,
    pd.DataFrame(added) if added else None,
    rings,
    lang=ui.lang(),
    measure=(measured, measured_text) if measured_km is not None else ((measured, "") if measured else ()),
)
if view.grid_beyond is not None:
    layers.append(maps.grid_beyond_layer(view.grid_beyond, lang=ui.lang()))
if view.mines is not None:
    layers.append(maps.mines_layer(view.mines, lang=ui.lang()))
layers += service_roads.map_layer(road_view)
st_folium(
    ui.outline_map(tuple(scope)),
    feature_group_to_add=layers,
    returned_objects=["last_clicked"],
    key="access_map",
    render=False,
    height=620,
    use_container_width=True,
)
if view.grid is not None and len(view.grid_beyond) < view.grid.origins_beyond:
    st.caption(
        ui.tr(
            "access_grid_drawn",
            drawn=ui.num(len(view.grid_beyond)),
            total=ui.num(view.grid.origins_beyond),
        )
    )
if view.mines is not None:
    st.caption(ui.tr("access_mines_attribution"))
service_roads.show(road_view, matcher)

# -- tables ----------------------------------------------------------------------------
st.subheader(ui.tr("access_kommun_table"))
per_kommun = view.per_kommun.assign(kommun=view.per_kommun["kommun_kod"].map(matcher.names_by_code))
# Each figure of people names the population it counts.
counted_in = f" ({short.get(view.origins.kind, view.origins.title)})"


def optional(column: str, label_key: str, render=None) -> dict:
    if column not in per_kommun:
        return {}
    values = per_kommun[column]
    return {ui.tr(label_key): values.map(render) if render else values}


shown = pd.DataFrame(
    {
        ui.tr("col_kommun"): per_kommun["kommun"],
        ui.tr("col_places"): per_kommun["places"],
        ui.tr("col_places_beyond"): per_kommun["places_beyond"],
        ui.tr("col_population_beyond") + counted_in: per_kommun["population_beyond"],
        ui.tr("col_share_beyond") + counted_in: per_kommun["population_beyond_share"],
        **optional("grid_population_beyond", "col_grid_beyond"),
        **optional("grid_population_beyond_share", "col_grid_share"),
        **optional("grid_population_70_beyond", "col_grid_old"),
        **optional("official_population", "col_official_population"),
        **optional("grid_population", "col_grid_total"),
        **optional("grid_gap", "col_grid_gap"),
        **optional("area_beyond_share", "col_area_beyond"),
        ui.tr("col_median_km"): per_kommun["median_km"].round(1),
        ui.tr("col_max_km"): per_kommun["max_km"].round(1),
    }
).sort_values(ui.tr("col_grid_beyond") if both else ui.tr("col_population_beyond") + counted_in, ascending=False)
if both:
    st.caption(ui.tr("access_grid_gap_note"))
shares = (ui.tr("col_share_beyond") + counted_in, ui.tr("col_grid_share"), ui.tr("col_area_beyond"))
panels.table(shown, shares=shares)
# The files are made when asked for (a callable), not on every rerun.
st.download_button(
    ui.tr("access_download"),
    partial(formats.to_csv_bytes, shown, excel=True, lang=ui.lang()),
    "avstand_per_kommun.csv",
    "text/csv",
    key="sa_dl_kommun",
)

st.subheader(ui.tr("access_vulnerable_table"))
st.caption(ui.tr("access_vulnerable_caption"))
vulnerable = view.vulnerable_that_matter
shown = pd.DataFrame(
    {
        ui.tr("col_name"): vulnerable["name"],
        ui.tr("col_kommun"): vulnerable["kommun_kod"].map(matcher.names_by_code),
        ui.tr("col_next_km"): vulnerable["next_facility_km"].round(1),
        ui.tr("col_places_lost"): vulnerable["places_lost"],
        ui.tr("col_people_lost") + counted_in: vulnerable["population_lost"],
        **(
            {ui.tr("col_people_lost_grid"): vulnerable["population_lost_grid"]}
            if "population_lost_grid" in vulnerable
            else {}
        ),
    }
)
panels.table(shown)
st.download_button(
    ui.tr("access_download"),
    partial(formats.to_csv_bytes, shown, excel=True, lang=ui.lang()),
    "sarbara_butiker.csv",
    "text/csv",
    key="sa_dl_vulnerable",
)

with st.expander(ui.tr("access_origin_table")):
    rows = view.rows
    shown = pd.DataFrame(
        {
            ui.tr("col_name"): rows["name"],
            ui.tr("col_kommun"): rows["kommun_kod"].map(matcher.names_by_code),
            ui.tr("population"): rows["population"],
            ui.tr("col_facility"): rows["facility_name"],
            ui.tr("col_distance"): rows["distance_km"].round(1),
        }
    ).sort_values(ui.tr("col_distance"), ascending=False)
    panels.table(shown)
    st.download_button(
        ui.tr("access_download"),
        partial(formats.to_csv_bytes, shown, excel=True, lang=ui.lang()),
        "avstand_per_ort.csv",
        "text/csv",
        key="sa_dl_origins",
    )
