"""Presentation mode: no sidebar or chrome, large map and figures, and a sequence of
views stepped through with Nästa/Föregående. The sequence and the step live in the
URL, so a presenter can save a sequence as a link and open it at the meeting."""

import streamlit as st
from streamlit_folium import st_folium

from kommunkarta import ui
from kommunkarta.format import swedish_int

OVERVIEW = "overview"
# Map height in pixels for a screen of a given height, so title, figures and map fit.
MAP_HEIGHTS = {"720": 430, "900": 580, "1080": 760}

st.html(
    """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
    [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
    [data-testid="stMainBlockContainer"] {padding-top: 1rem; max-width: 100%;}
    [data-testid="stMain"] {font-size: 1.25rem;}
    [data-testid="stMain"] h1 {font-size: 2.6rem;}
    [data-testid="stMetricValue"] {font-size: 3rem;}
    [data-testid="stMetricLabel"] p {font-size: 1.2rem;}
    </style>"""
)

known = ui.filter_vocabulary()
available = [OVERVIEW] + list(known.networks)
raw_views = [v for v in st.query_params.get("views", "").split(",") if v in available]
views = raw_views or available
step = min(
    max(int(st.query_params.get("step", "1")) if st.query_params.get("step", "1").isdigit() else 1, 1), len(views)
)


screen = st.query_params.get("screen", "720")
screen = screen if screen in MAP_HEIGHTS else "720"


def go(to: int) -> None:
    st.query_params["step"] = str(to)


overview_label = ui.tr("nav_overview")  # in this run's language, for decoding too


def label(view: str) -> str:
    return overview_label if view == OVERVIEW else known.networks[view]


controls = st.columns([1, 1, 3, 2])
controls[0].button(
    ui.tr("present_previous"),
    icon=":material/arrow_back:",
    disabled=step == 1,
    on_click=go,
    args=(step - 1,),
    key="present_prev",
    width="stretch",
)
controls[1].button(
    ui.tr("present_next"),
    icon=":material/arrow_forward:",
    disabled=step == len(views),
    on_click=go,
    args=(step + 1,),
    key="present_next",
    width="stretch",
)
controls[2].markdown(f"**{step} / {len(views)}** · {label(views[step - 1])}")
with controls[3].popover(ui.tr("present_sequence"), icon=":material/playlist_add:"):
    chosen = st.multiselect(ui.tr("present_sequence"), available, default=views, format_func=label, key="present_views")
    if st.button(ui.tr("present_save"), key="present_save"):
        st.query_params["views"] = ",".join(chosen)
        st.query_params["step"] = "1"
        st.rerun()
    st.caption(ui.tr("present_save_help"))
    screen = st.radio(
        ui.tr("present_screen"),
        list(MAP_HEIGHTS),
        index=list(MAP_HEIGHTS).index(screen),
        horizontal=True,
        key="present_screen",
    )
    st.query_params["screen"] = screen
map_height = MAP_HEIGHTS[screen]

view = views[step - 1]
if view == OVERVIEW:
    filters = ui.current_filters()
    _, summary, figures = ui.filtered(filters)
    st.title(ui.tr("overview_title"))
    kpi = st.columns(3)
    kpi[0].metric(ui.tr("kpi_any"), swedish_int(figures.kommuner_in_any))
    kpi[1].metric(ui.tr("kpi_two"), swedish_int(figures.kommuner_in_two_or_more))
    kpi[2].metric(ui.tr("kpi_population"), swedish_int(figures.population_covered))
    # A keyed container per view: the component in it is a new one, not the last view's map.
    with st.container(key="present-view-overview"):
        st_folium(
            ui.base_map(large=True),
            feature_group_to_add=ui.network_layers(filters, large=True),
            returned_objects=[],
            key="present_map_overview",
            render=False,
            height=map_height,
            use_container_width=True,
        )
else:
    from kommunkarta import profiles

    network = ui.network(view)
    figures = profiles.network_figures(ui.membership_table(), view)
    st.title(network.name)
    kpi = st.columns(3)
    kpi[0].metric(ui.tr("kpi_members_sweden"), swedish_int(figures.members_sweden))
    kpi[1].metric(ui.tr("kpi_members_abroad"), swedish_int(figures.members_abroad))
    kpi[2].metric(ui.tr("kpi_network_population"), swedish_int(figures.population))
    with st.container(key=f"present-view-{view}"):
        st_folium(
            ui.network_map(view, large=True),
            returned_objects=[],
            key=f"present_map_{view}",
            render=False,
            height=map_height,
            use_container_width=True,
        )
    st.caption(f"{ui.tr('col_source')}: {network.source}")
st.page_link("app_pages/overview.py", label=ui.tr("present_exit"), icon=":material/close:")
