"""Presentation mode: no sidebar or chrome, large map and figures, and a sequence of
views stepped through with Nästa/Föregående. The sequence and the step live in the
URL, so a presenter can save a sequence as a link and open it at the meeting.

Sweden is tall: the map fills the screen's height (the browser's, whatever it is), with
title and figures in a column beside it. ``screen=720|900|1080`` in the link sets a
fixed map height instead, for a screen other than the one the page is opened on."""

import re

import streamlit as st

from kommunkarta.ui import figures_section, grid_panel, map_first, panels
from kommunkarta.ui.data import filter_vocabulary, filtered, network_view
from kommunkarta.ui.maps import show_network_map, show_overview_map, small_multiples
from kommunkarta.ui.markdown import md
from kommunkarta.ui.page_registry import page
from kommunkarta.ui.sidebar import current_filters
from kommunkarta.ui.text import num, tr

OVERVIEW = "overview"
MULTIPLES = "multiples"
GRID_MAP = "gridmap"  # every populated square by distance to service (grid_panel)
# Map height in pixels for a screen of a given height (``screen=`` in the link); without
# it the map fills the window's height below the controls.
MAP_HEIGHTS = {"720": 600, "900": 780, "1080": 960}
CONTROLS_PX = 84  # the row of buttons above the map, and the page's top padding

st.html(
    """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
    [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
    [data-testid="stMainBlockContainer"] {padding-top: 1rem; max-width: 100%;}
    [data-testid="stMain"] {font-size: 1.25rem;}
    [data-testid="stMain"] h1 {font-size: 2.6rem;}
    [data-testid="stMetricValue"] {font-size: 3rem;}
    [data-testid="stMetricLabel"] p {font-size: 1.2rem;}
    [data-testid="stMain"] [data-testid="stMetric"] {margin-bottom: 1.2rem;}
    </style>"""
)

POPULATION = "population:"  # a network's population development (issue 23): population:ID

known = filter_vocabulary()
default_views = [OVERVIEW, MULTIPLES, *known.networks]
available = [*default_views, GRID_MAP, *(f"{POPULATION}{n}" for n in known.networks)]
raw_views = [v for v in st.query_params.get("views", "").split(",") if v in available]
views = raw_views or default_views  # the grid map and population steps when asked for
raw_step = st.query_params.get("step", "1")
# str.isdigit() takes "²", which int() refuses: only plain ASCII digits are a step.
if re.fullmatch(r"[0-9]{1,6}", raw_step):
    step = min(max(int(raw_step), 1), len(views))
else:
    step = 1
    st.warning(tr("ignored_params", values=md(f"step={raw_step}")))


screen = st.query_params.get("screen", "auto")
screen = screen if screen in MAP_HEIGHTS else "auto"


def go(to: int) -> None:
    st.query_params["step"] = str(to)


overview_label = tr("nav_overview")  # in this run's language, for decoding too


def label(view: str) -> str:
    if view == OVERVIEW:
        return overview_label
    if view.startswith(POPULATION):
        return tr("fig_present_step", network=known.networks[view.removeprefix(POPULATION)])
    if view == GRID_MAP:
        return tr("access_title")
    return tr("present_multiples") if view == MULTIPLES else known.networks[view]


controls = st.columns([1, 1, 3, 2])
controls[0].button(
    tr("present_previous"),
    icon=":material/arrow_back:",
    disabled=step == 1,
    on_click=go,
    args=(step - 1,),
    key="present_prev",
    width="stretch",
)
controls[1].button(
    tr("present_next"),
    icon=":material/arrow_forward:",
    disabled=step == len(views),
    on_click=go,
    args=(step + 1,),
    key="present_next",
    width="stretch",
)
controls[2].markdown(f"**{step} / {len(views)}** · {md(label(views[step - 1]))}")
with controls[3].popover(tr("present_sequence"), icon=":material/playlist_add:"):
    chosen = st.multiselect(tr("present_sequence"), available, default=views, format_func=label, key="present_views")
    if st.button(tr("present_save"), key="present_save"):
        st.query_params["views"] = ",".join(chosen)
        st.query_params["step"] = "1"
        st.rerun()
    st.caption(tr("present_save_help"))
    # Plain labels as options (the window's height, or a screen height in pixels).
    screens = {tr("present_screen_auto"): "auto", **{s: s for s in MAP_HEIGHTS}}
    chosen_label = st.radio(
        tr("present_screen"),
        list(screens),
        index=list(screens.values()).index(screen),
        horizontal=True,
        key="present_screen",
    )
    screen = screens.get(chosen_label, "auto")
    if screen == "auto":
        st.query_params.pop("screen", None)
    else:
        st.query_params["screen"] = screen
map_height = MAP_HEIGHTS.get(screen, MAP_HEIGHTS["1080"])
# The map's frame fills the window's height below the controls (or has the height of the
# chosen screen); the map inside fills its frame (base_map and network_map with
# large=True say so in their own page). Set here, the frame has its height before the
# map inside measures itself.
frame_height = f"calc(100vh - {CONTROLS_PX}px)" if screen == "auto" else f"{map_height}px"
st.html(
    f"""<style>
    [class*="st-key-present-view-"] iframe {{height: {frame_height} !important;}}
    [class*="st-key-present-view-"] img {{max-height: calc({frame_height} - 40px); object-fit: contain;}}
    </style>"""
)

view = views[step - 1]
if view == OVERVIEW:
    filters = current_filters()
    _, summary, figures = filtered(filters)
    side, main = st.columns([1, 3], gap="large")
    with side:
        st.title(tr("overview_title"))
    # A keyed container per view: the component in it is a new one, not the last view's map.
    with main, st.container(key="present-view-overview"):
        show_overview_map(
            filters,
            key="present_map_overview",
            large=True,
            with_selection=False,
            with_layer_control=False,
            height=map_height,
            returned_objects=[],
            hold=True,
        )
    # A browser's first view ends here: the figures beside the map follow once it is
    # drawn (ui/map_first.py); their code does not hold up the map's.
    map_first.hold_rest()
    with side:
        st.metric(tr("kpi_any"), num(figures.kommuner_in_any))
        st.metric(tr("kpi_two"), num(figures.kommuner_in_two_or_more))
        st.metric(tr("kpi_population"), num(figures.population_covered))
elif view == GRID_MAP:
    grid_panel.presentation_view(map_height)
elif view == MULTIPLES:
    filters = current_filters()
    st.title(tr("present_multiples"))
    with st.container(key="present-view-multiples"):
        image = small_multiples(filters)
        if image is None:
            st.info(tr("multiples_empty"))
        else:
            panels.image(image)
elif view.startswith(POPULATION):
    network_id = view.removeprefix(POPULATION)
    with st.container(key=f"present-population-{network_id}"):
        figures_section.present_population(network_id, known.networks[network_id])
else:
    shown = network_view(view)
    network, figures = shown.network, shown.figures
    side, main = st.columns([1, 3], gap="large")
    with side:
        st.title(md(network.name))
    with main, st.container(key=f"present-view-{view}"):
        show_network_map(view, key=f"present_map_{view}", large=True, height=map_height, returned_objects=[], hold=True)
    map_first.hold_rest()  # as for the overview above
    with side:
        st.metric(tr("kpi_members_sweden"), num(figures.members_sweden))
        st.metric(tr("kpi_members_abroad"), num(figures.members_abroad))
        st.metric(tr("kpi_network_population"), num(figures.population))
        st.caption(f"{tr('col_source')}: {md(network.source)}")
st.page_link(page("overview"), label=tr("present_exit"), icon=":material/close:")
