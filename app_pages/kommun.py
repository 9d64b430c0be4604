"""Kommun profile: everything one kommun takes part in, with sources."""

import pandas as pd
import streamlit as st

from kommunkarta import distances
from kommunkarta.format import swedish_decimal, swedish_int
from kommunkarta.outputs import downloads
from kommunkarta.ui import figures_section, panels
from kommunkarta.ui.data import dataset, kommun_profile, membership_table
from kommunkarta.ui.markdown import md
from kommunkarta.ui.text import lang, tr

st.title(tr("profile_title"))
code = panels.kommun_picker()
if code:
    profile = kommun_profile(code)
    st.header(md(profile.kommun))
    kpi = st.columns(4)
    kpi[0].metric(tr("population"), swedish_int(profile.population))
    kpi[1].metric(tr("col_lan"), profile.lan)
    kpi[2].metric(tr("col_fa"), profile.fa_namn)
    kpi[3].metric(tr("kpi_area"), f"{swedish_int(round(profile.area_km2))} km²")
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

    ds, table = dataset(), membership_table()
    panels.downloads(
        [
            *panels.map_downloads(lambda fmt: downloads.kommun_map_file(ds, table, code, fmt, lang()), profile.kommun),
            (
                tr("download_xlsx"),
                lambda: downloads.memberships_workbook(ds, profile.memberships, "sheet_memberships", lang()),
                f"{profile.kommun}.xlsx",
            ),
        ],
        key=f"profile_downloads_{code}",
    )

    st.subheader(tr("networks_of_kommun"))
    if profile.memberships.empty:
        st.info(tr("profile_no_networks"))
    else:
        panels.memberships_frame(profile.memberships, with_kommun=False)

    nearest = profile.nearest_members
    if len(nearest):
        st.subheader(tr("nearest_title"))
        st.caption(tr("distances_caption"))
        st.dataframe(
            pd.DataFrame(
                {
                    tr("col_network"): nearest["network_name"],
                    tr("col_nearest"): nearest["nearest"],
                    tr("col_km"): nearest["km"].map(lambda km: swedish_decimal(km, 0)),
                    tr("col_mil"): nearest["km"].map(lambda km: swedish_decimal(km / distances.KM_PER_MIL, 1)),
                }
            ),
            hide_index=True,
            width="stretch",
        )

    st.subheader(tr("projects_of_kommun"))
    if profile.projects.empty:
        st.write(tr("none"))
    else:
        panels.projects_frame(profile.projects, with_partners=True)

    if not profile.places.empty:
        st.subheader(tr("places_of_kommun"))
        panels.places_frame(profile.places)

    figures_section.kommun_figures(code)  # issue 23: the kommun against its län and Sweden
