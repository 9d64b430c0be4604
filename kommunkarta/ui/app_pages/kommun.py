"""Kommun profile: everything one kommun takes part in, with sources."""

import pandas as pd
import streamlit as st

from kommunkarta import distances, ui
from kommunkarta.outputs import downloads
from kommunkarta.ui import panels
from kommunkarta.ui.markdown import md


def kommun_map(code: str, profile) -> None:
    """The kommun on the map with the fellow members of its networks, the nearest of
    each marked, and its places and mines (issue 24); drawn by ui.show_kommun_map."""
    st.subheader(ui.tr("kommun_map_title"))
    st.caption(ui.tr("kommun_map_caption"))
    with st.container(key="kommun-map"):
        ui.show_kommun_map(code)
    unlocated = profile.places[profile.places["lat"].isna()]
    if len(unlocated):
        st.caption(ui.tr("kommun_map_unlocated", names=md(", ".join(unlocated["name"]))))


st.title(ui.tr("profile_title"))
code = panels.kommun_picker()
if code:
    profile = ui.kommun_profile(code)
    st.header(md(profile.kommun))
    kpi = st.columns(4)
    kpi[0].metric(ui.tr("population"), ui.num(profile.population))
    kpi[1].metric(ui.tr("col_lan"), profile.lan)
    kpi[2].metric(ui.tr("col_fa"), profile.fa_namn)
    kpi[3].metric(ui.tr("kpi_area"), f"{ui.num(round(profile.area_km2))} km²")
    st.caption(
        ui.tr(
            "profile_seat",
            seat=md(profile.seat),
            rule=ui.tr(f"seat_rule_{profile.seat_rule}"),
            source=md(profile.seat_source),
        )
        + " · "
        + ui.tr("profile_neighbours", names=md(", ".join(profile.neighbours) or "–"))
    )

    ds, table = ui.dataset(), ui.membership_table()
    panels.downloads(
        [
            *panels.map_downloads(
                lambda fmt: downloads.kommun_map_file(ds, table, code, fmt, ui.lang()), profile.kommun
            ),
            (
                ui.tr("download_xlsx"),
                lambda: downloads.memberships_workbook(ds, profile.memberships, "sheet_memberships", ui.lang()),
                f"{profile.kommun}.xlsx",
            ),
        ],
        key=f"profile_downloads_{code}",
    )

    kommun_map(code, profile)

    st.subheader(ui.tr("networks_of_kommun"))
    if profile.memberships.empty:
        st.info(ui.tr("profile_no_networks"))
    else:
        panels.memberships_frame(profile.memberships, with_kommun=False)

    nearest = profile.nearest_members
    if len(nearest):
        st.subheader(ui.tr("nearest_title"))
        st.caption(ui.tr("distances_caption"))
        panels.table(
            pd.DataFrame(
                {
                    ui.tr("col_network"): nearest["network_name"],
                    ui.tr("col_nearest"): nearest["nearest"],
                    ui.tr("col_km"): nearest["km"],
                    ui.tr("col_mil"): nearest["km"] / distances.KM_PER_MIL,
                }
            ),
            decimals={ui.tr("col_km"): 0, ui.tr("col_mil"): 1},
        )

    st.subheader(ui.tr("projects_of_kommun"))
    if profile.projects.empty:
        st.write(ui.tr("none"))
    else:
        panels.projects_frame(profile.projects, with_partners=True)

    if not profile.places.empty:
        st.subheader(ui.tr("places_of_kommun"))
        panels.places_frame(profile.places)
