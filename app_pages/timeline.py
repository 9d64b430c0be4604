"""Projects and networks on a time line, filterable by network, kommun, funder, theme and year."""

import altair as alt
import pandas as pd
import streamlit as st

from kommunkarta import timeline
from kommunkarta.ui.data import kommun_matcher, timeline_rows
from kommunkarta.ui.sidebar import current_filters
from kommunkarta.ui.text import certainty_text, tr

st.title(tr("timeline_title"))
st.caption(tr("timeline_caption"))

rows = timeline_rows()
filters = current_filters()
matcher = kommun_matcher()
columns = st.columns(3)
kommuner = columns[0].multiselect(
    tr("col_kommun"),
    sorted(matcher.names_by_code, key=matcher.names_by_code.get),
    format_func=matcher.names_by_code.get,
    key="tl_kommuner",
)
funder = columns[1].text_input(tr("col_funders"), key="tl_funder")
theme = columns[2].text_input(tr("col_theme"), key="tl_theme")
shown = timeline.filter_timeline(rows, filters.networks, kommuner, funder, theme, filters.years)

if shown.empty:
    st.info(tr("empty_selection"))
else:
    chart_rows = shown.assign(
        kind_text=shown["kind"].map(lambda k: tr(f"timeline_{k}")),
        period=[f"{s}–{e}" if e else f"{s}–" for s, e in zip(shown["start_text"], shown["end_text"])],
        known=[
            tr(f"precision_{s}") + " / " + tr(f"precision_{e}")
            for s, e in zip(shown["start_precision"], shown["end_precision"])
        ],
    )
    # A date known only to the year spans the whole year and is drawn lighter, so a
    # bar never looks more exact than its source.
    chart = (
        alt.Chart(chart_rows)
        .mark_bar(height=14)
        .encode(
            x=alt.X("start:T", title=None),
            x2="end:T",
            y=alt.Y("label:N", sort=alt.EncodingSortField("start"), title=None, axis=alt.Axis(labelLimit=420)),
            color=alt.Color("kind_text:N", title=None, scale=alt.Scale(range=["#0072B2", "#E69F00"])),
            opacity=alt.condition(alt.datum.start_precision == "year", alt.value(0.55), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("label:N", title=tr("col_name")),
                alt.Tooltip("period:N", title=tr("col_period")),
                alt.Tooltip("known:N", title=tr("timeline_known")),
                alt.Tooltip("funders:N", title=tr("col_funders")),
                alt.Tooltip("kommuner:N", title=tr("col_kommun")),
                alt.Tooltip("source:N", title=tr("col_source")),
            ],
        )
        .properties(height=max(120, 24 * len(chart_rows)))
    )
    st.altair_chart(chart, width="stretch")
    st.caption(tr("timeline_legend"))
    st.dataframe(
        pd.DataFrame(
            {
                tr("col_name"): shown["label"],
                tr("col_kind"): shown["kind"].map(lambda k: tr(f"timeline_{k}")),
                tr("col_period"): chart_rows["period"],
                tr("col_network"): shown["network_name"],
                tr("col_kommun"): shown["kommuner"],
                tr("col_funders"): shown["funders"],
                tr("col_theme"): shown["theme"],
                tr("col_certainty"): shown["certainty"].map(certainty_text),
                tr("col_source"): shown["source"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
