"""Kommun profile: everything one kommun takes part in, with sources."""

import pandas as pd
import streamlit as st

from kommunkarta import distances
from kommunkarta.outputs import downloads
from kommunkarta.ui import figures_section, map_first, panels
from kommunkarta.ui.data import dataset, kommun_profile, membership_table
from kommunkarta.ui.maps import show_kommun_map
from kommunkarta.ui.markdown import md
from kommunkarta.ui.text import lang, num, tr


def kommun_map(code: str, profile) -> None:
    """The kommun on the map with the fellow members of its networks, the nearest of
    each marked, and its places and mines (issue 24); drawn by show_kommun_map."""
    st.subheader(tr("kommun_map_title"))
    st.caption(tr("kommun_map_caption"))
    with st.container(key="kommun-map"):
        show_kommun_map(code, hold=True)
    unlocated = profile.places[profile.places["lat"].isna()]
    if len(unlocated):
        st.caption(tr("kommun_map_unlocated", names=md(", ".join(unlocated["name"]))))


st.title(tr("profile_title"))
code = panels.kommun_picker()
if code:
    profile = kommun_profile(code)
    st.header(md(profile.kommun))
    st.caption(
        tr(
            "profile_seat",
            seat=md(profile.seat),
            rule=tr(f"seat_rule_{profile.seat_rule}"),
            source=md(profile.seat_source),
        )
        + " · "
        + tr("profile_neighbours", names=md(", ".join(profile.neighbours) or "–"))
    )

    map_column, side = st.columns([5, 3], gap="medium")
    with map_column:
        kommun_map(code, profile)
        # A browser's first view ends here; the key figures and downloads beside the map
        # and the rest follow once the map is drawn (ui/map_first.py), moving nothing.
        map_first.hold_rest()
    with side:
        population, area = st.columns(2)
        population.metric(tr("population"), num(profile.population))
        area.metric(tr("kpi_area"), f"{num(round(profile.area_km2))} km²")
        # Names, not numbers: as text they wrap in the narrow column instead of being cut.
        st.markdown(f"**{tr('col_lan')}:** {md(profile.lan)}  \n**{tr('col_fa')}:** {md(profile.fa_namn)}")
        ds, table = dataset(), membership_table()
        panels.downloads(
            [
                *panels.map_downloads(
                    lambda fmt: downloads.kommun_map_file(ds, table, code, fmt, lang()), profile.kommun
                ),
                (
                    tr("download_xlsx"),
                    lambda: downloads.memberships_workbook(ds, profile.memberships, "sheet_memberships", lang()),
                    f"{profile.kommun}.xlsx",
                ),
            ],
            key=f"profile_downloads_{code}",
            per_row=2,  # the column beside the map is narrow
        )

    st.subheader(tr("networks_of_kommun"))
    if profile.memberships.empty:
        st.info(tr("profile_no_networks"))
    else:
        panels.memberships_frame(profile.memberships, with_kommun=False, cache_key=("kommun", code))

    nearest = profile.nearest_members
    if len(nearest):
        st.subheader(tr("nearest_title"))
        st.caption(tr("distances_caption"))
        panels.table(
            pd.DataFrame(
                {
                    tr("col_network"): nearest["network_name"],
                    tr("col_nearest"): nearest["nearest"],
                    tr("col_km"): nearest["km"],
                    tr("col_mil"): nearest["km"] / distances.KM_PER_MIL,
                }
            ),
            decimals={tr("col_km"): 0, tr("col_mil"): 1},
        )

    st.subheader(tr("projects_of_kommun"))
    if profile.projects.empty:
        st.write(tr("none"))
    else:
        panels.projects_frame(profile.projects, with_partners=True, cache_key=("kommun", code))

    if not profile.places.empty:
        st.subheader(tr("places_of_kommun"))
        panels.places_frame(profile.places, cache_key=("kommun", code))

    figures_section.kommun_figures(code)  # issue 23: the kommun against its län and Sweden
