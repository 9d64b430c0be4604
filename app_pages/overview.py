"""Start page: the national map of networks, key figures, a kommun's detail and the table."""

from functools import partial

import streamlit as st

from kommunkarta.outputs import downloads, formats, maps
from kommunkarta.ui import figures_section, map_first, panels
from kommunkarta.ui.data import dataset, filter_key, membership_table, summary_table
from kommunkarta.ui.data import filtered as filtered_memberships
from kommunkarta.ui.maps import show_overview_map, small_multiples
from kommunkarta.ui.sidebar import current_filters
from kommunkarta.ui.text import lang, num, pct, tr

filters = current_filters()
filtered, summary, figures = filtered_memberships(filters)

st.title(tr("overview_title"))
st.caption(tr("overview_caption"))


def key_figures(per_row: int) -> None:
    """The selection's four key figures, ``per_row`` to a row."""
    shown = [
        (tr("kpi_any"), num(figures.kommuner_in_any), None),
        (tr("kpi_two"), num(figures.kommuner_in_two_or_more), None),
        (
            tr("kpi_population"),
            num(figures.population_covered),
            tr("kpi_population_help", share=pct(figures.population_share)),
        ),
        (tr("kpi_foreign"), num(figures.foreign_members), None),
    ]
    for start in range(0, len(shown), per_row):
        for column, (label, value, help_text) in zip(st.columns(per_row), shown[start : start + per_row]):
            column.metric(label, value, help=help_text)


# A click on the map arrives as the component's state before this rerun starts, so the
# map below can already outline the kommun just chosen.
panels.take_map_click(st.session_state.get("overview_map"))

VIEWS = {"map": "map_view_map", "multiples": "map_view_multiples"}
if st.session_state.get("overview_view") not in VIEWS:
    # A link can open the small multiples: ?view=multiples
    st.session_state["overview_view"] = st.query_params.get("view") if st.query_params.get("view") in VIEWS else "map"
view = st.segmented_control(
    tr("map_view"),
    list(VIEWS),
    format_func=lambda v: tr(VIEWS[v]),
    key="overview_view",
    label_visibility="collapsed",
)

if view == "multiples":
    key_figures(4)
    with st.container(key="overview-multiples"):
        image = small_multiples(filters)
        if image is None:
            st.info(tr("multiples_empty"))
        else:
            panels.image(image, caption=tr("multiples_caption"))
else:
    map_column, detail_column = st.columns([5, 3], gap="medium")
    with map_column:
        show_overview_map(
            filters, returned_objects=["last_active_drawing", "last_object_clicked"], height=720, hold=True
        )
        st.caption(tr("map_help"))
        if maps.too_many_for_layers(filtered):
            st.info(tr("map_count_note", budget=num(maps.NETWORK_LAYER_BUDGET)))
        # A browser's first view ends here; the key figures, the kommun panel and the rest
        # follow once the map is drawn (ui/map_first.py). Beside the map, not above it,
        # they move nothing when they come, and the map needs no element's code before
        # its own.
        map_first.hold_rest()

    with detail_column:
        key_figures(2)
        panels.kommun_panel()

st.subheader(tr("table_title"))
if summary.empty:
    st.info(tr("empty_selection"))
else:
    shown = summary_table(filters)
    panels.table(shown)
    st.download_button(  # the file is made when asked for, not on every rerun
        tr("download_csv"),
        partial(formats.to_csv_bytes, shown, excel=True, lang=lang()),
        file_name="kommunkartan_kommuner.csv",
        mime="text/csv",
    )

ds, table = dataset(), membership_table()
title = tr("overview_title")
panels.downloads(
    [
        *panels.map_downloads(
            lambda fmt: downloads.overview_map_file(ds, table, filters, fmt, title, lang()), "kommunkartan"
        ),
        (
            tr("download_multiples_png"),
            lambda: small_multiples(filters, "png") or b"",
            "kommunkartan_natverk.png",
        ),
        (
            tr("download_multiples_svg"),
            lambda: small_multiples(filters, "svg") or b"",
            "kommunkartan_natverk.svg",
        ),
        (
            tr("download_xlsx"),
            lambda: downloads.overview_workbook(ds, filtered, summary, lang()),
            "kommunkartan.xlsx",
        ),
        (
            tr("download_geojson"),
            lambda: formats.kommuner_geodata(summary).to_json(drop_id=True, ensure_ascii=False).encode("utf-8"),
            "kommunkartan.geojson",
        ),
        (
            tr("download_gpkg"),
            lambda: formats.to_geopackage_bytes(formats.kommuner_geodata(summary)),
            "kommunkartan.gpkg",
        ),
    ],
    key="overview_downloads",
)

# Made only while open (a rerun opens it): a closed expander costs a filter change nothing.
with st.expander(tr("memberships_title"), key="overview_memberships", on_change="rerun") as memberships:
    if memberships.open:
        st.caption(tr("not_stated_note"))
        panels.memberships_frame(filtered, cache_key=filter_key(filters))

figures_section.selection_figures(filtered)  # issue 23: the selection's population development
