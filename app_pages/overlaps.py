"""Which kommuner share networks: a matrix of shared members and the combinations."""

import altair as alt
import pandas as pd
import streamlit as st

from kommunkarta import profiles
from kommunkarta.ui import panels
from kommunkarta.ui.data import dataset, membership_table
from kommunkarta.ui.text import tr

st.title(tr("overlaps_title"))
st.caption(tr("overlaps_caption"))

ds, table = dataset(), membership_table()
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
    color=alt.Color("kommuner:Q", scale=alt.Scale(scheme="blues"), title=tr("col_kommuner_count")),
    tooltip=["a:N", "b:N", "kommuner:Q"],
) + heat.mark_text(fontSize=12).encode(
    text="kommuner:Q",
    color=alt.condition(alt.datum.kommuner > 8, alt.value("white"), alt.value("black")),
)
st.altair_chart(chart.properties(height=460), width="stretch")

st.subheader(tr("combinations_title"))
combos = profiles.network_combinations(table, ds.networks)
shared = combos[combos["networks"] >= 2]
panels.table(
    pd.DataFrame(
        {
            tr("col_network_names"): shared["combination"],
            tr("col_networks"): shared["networks"],
            tr("col_kommuner_count"): shared["count"],
            tr("col_kommun"): shared["kommuner"],
        }
    )
)
