"""Start page: the national map of networks, key figures, a kommun's detail and the table."""

import streamlit as st

from kommunkarta import ui
from kommunkarta.outputs import downloads, formats, maps
from kommunkarta.ui import panels

filters = ui.current_filters()
filtered, summary, figures = ui.filtered(filters)

st.title(ui.tr("overview_title"))
st.caption(ui.tr("overview_caption"))

kpi = st.columns(4)
kpi[0].metric(ui.tr("kpi_any"), ui.num(figures.kommuner_in_any))
kpi[1].metric(ui.tr("kpi_two"), ui.num(figures.kommuner_in_two_or_more))
kpi[2].metric(
    ui.tr("kpi_population"),
    ui.num(figures.population_covered),
    help=ui.tr("kpi_population_help", share=ui.pct(figures.population_share)),
)
kpi[3].metric(ui.tr("kpi_foreign"), ui.num(figures.foreign_members))

# A click on the map arrives as the component's state before this rerun starts, so the
# map below can already outline the kommun just chosen.
panels.take_map_click(st.session_state.get("overview_map"))

VIEWS = {"map": "map_view_map", "multiples": "map_view_multiples"}
if st.session_state.get("overview_view") not in VIEWS:
    # A link can open the small multiples: ?view=multiples
    st.session_state["overview_view"] = st.query_params.get("view") if st.query_params.get("view") in VIEWS else "map"
view = st.segmented_control(
    ui.tr("map_view"),
    list(VIEWS),
    format_func=lambda v: ui.tr(VIEWS[v]),
    key="overview_view",
    label_visibility="collapsed",
)

if view == "multiples":
    with st.container(key="overview-multiples"):
        image = ui.small_multiples(filters)
        if image is None:
            st.info(ui.tr("multiples_empty"))
        else:
            st.image(image, caption=ui.tr("multiples_caption"), width="stretch")
else:
    map_column, detail_column = st.columns([5, 3], gap="medium")
    with map_column:
        ui.show_overview_map(filters, returned_objects=["last_active_drawing", "last_object_clicked"], height=720)
        st.caption(ui.tr("map_help"))
        if maps.too_many_for_layers(filtered):
            st.info(ui.tr("map_count_note", budget=ui.num(maps.NETWORK_LAYER_BUDGET)))

    with detail_column:
        panels.kommun_panel()

st.subheader(ui.tr("table_title"))
if summary.empty:
    st.info(ui.tr("empty_selection"))
else:
    shown = ui.label(summary, downloads.SUMMARY_HEADINGS)
    panels.table(shown)
    st.download_button(
        ui.tr("download_csv"),
        formats.to_csv_bytes(shown, excel=True, lang=ui.lang()),
        file_name="kommunkartan_kommuner.csv",
        mime="text/csv",
    )

ds, table = ui.dataset(), ui.membership_table()
title = ui.tr("overview_title")
panels.downloads(
    [
        *panels.map_downloads(
            lambda fmt: downloads.overview_map_file(ds, table, filters, fmt, title, ui.lang()), "kommunkartan"
        ),
        (
            ui.tr("download_multiples_png"),
            lambda: ui.small_multiples(filters, "png") or b"",
            "kommunkartan_natverk.png",
        ),
        (
            ui.tr("download_multiples_svg"),
            lambda: ui.small_multiples(filters, "svg") or b"",
            "kommunkartan_natverk.svg",
        ),
        (
            ui.tr("download_xlsx"),
            lambda: downloads.overview_workbook(ds, filtered, summary, ui.lang()),
            "kommunkartan.xlsx",
        ),
        (
            ui.tr("download_geojson"),
            lambda: formats.kommuner_geodata(summary).to_json(drop_id=True, ensure_ascii=False).encode("utf-8"),
            "kommunkartan.geojson",
        ),
        (
            ui.tr("download_gpkg"),
            lambda: formats.to_geopackage_bytes(formats.kommuner_geodata(summary)),
            "kommunkartan.gpkg",
        ),
    ],
    key="overview_downloads",
)

with st.expander(ui.tr("memberships_title")):
    st.caption(ui.tr("not_stated_note"))
    panels.memberships_frame(filtered)
