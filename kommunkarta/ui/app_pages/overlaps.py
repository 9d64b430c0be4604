"""Which kommuner share networks: a matrix of shared members and the combinations."""

import altair as alt
import pandas as pd
import streamlit as st

from kommunkarta import profiles, ui
from kommunkarta.ui import panels

st.title(ui.tr("overlaps_title"))
st.caption(ui.tr("overlaps_caption"))

ds, table = ui.dataset(), ui.membership_table()
matrix = profiles.overlap_matrix(table, ds.networks)
short = ds.networks.set_index("id")["short_name"]
long = (
    matrix.rename(index=short, columns=short)
    .rename_axis(index="a", columns="b")
    .stack()
    .rename("kommuner")
    .reset_index()
)
order = [short[i] for i in matrix.index]
heat = alt.Chart(long).encode(
    x=alt.X("b:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40, labelLimit=200)),
    y=alt.Y("a:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
)
chart = heat.mark_rect().encode(
    color=alt.Color("kommuner:Q", scale=alt.Scale(scheme="blues"), title=ui.tr("col_kommuner_count")),
    tooltip=["a:N", "b:N", "kommuner:Q"],
) + heat.mark_text(fontSize=12).encode(
    text="kommuner:Q",
    color=alt.condition(alt.datum.kommuner > 8, alt.value("white"), alt.value("black")),
)
st.altair_chart(chart.properties(height=460), width="stretch")

st.subheader(ui.tr("combinations_title"))
combos = profiles.network_combinations(table, ds.networks)
shared = combos[combos["networks"] >= 2]
panels.table(
    pd.DataFrame(
        {
            ui.tr("col_network_names"): shared["combination"],
            ui.tr("col_networks"): shared["networks"],
            ui.tr("col_kommuner_count"): shared["count"],
            ui.tr("col_kommun"): shared["kommuner"],
        }
    )
)
