"""Change history: every save, upload and import with who, when, before and after;
any of them can be undone. Only for a logged-in editor (the history names people)."""

import pandas as pd
import streamlit as st

from kommunkarta.storage import store
from kommunkarta.ui import editor as ed
from kommunkarta.ui.connection import database
from kommunkarta.ui.login import require_editor
from kommunkarta.ui.text import tr

st.title(tr("history_title"))
user = require_editor()
st.caption(tr("history_help"))

batches = store.history(database(), limit=500)


def note(batch: store.BatchRecord) -> str:
    """The note of a change; the notes the dashboard writes itself in the reader's language."""
    if batch.kind == "seed":
        return tr("history_note_seed", source=batch.note)
    if batch.kind == "undo" and batch.undoes:
        return tr("history_note_undo", batch=batch.undoes)
    return batch.note


if not batches:
    st.info(tr("history_empty"))
    st.stop()

st.dataframe(
    pd.DataFrame(
        {
            tr("col_change_no"): [b.batch_id for b in batches],
            tr("col_when"): [ed.local_time(b.at) for b in batches],
            tr("col_who"): [b.user for b in batches],
            tr("col_kind_of_change"): [tr(f"batch_{b.kind}") for b in batches],
            tr("col_rows"): [ed.counts_text_of(b.counts) for b in batches],
            tr("col_note"): [note(b) for b in batches],
            tr("col_undone_by"): [b.undone_by for b in batches],
        }
    ),
    hide_index=True,
    width="stretch",
)

by_id = {b.batch_id: b for b in batches}
chosen = st.selectbox(
    tr("history_pick"),
    list(by_id),
    key="kk_history_batch",
    format_func=lambda n: f"{n} · {ed.local_time(by_id[n].at)} · {by_id[n].user} · {tr(f'batch_{by_id[n].kind}')}",
)
batch = by_id[chosen]
ed.show_batch(store.batch_changes(database(), chosen))

ed.show_outcome(
    ed.UNDO_OUTCOME, conflict=tr("history_undo_conflict", batch=chosen), rejected=tr("history_undo_rejected")
)

if batch.undone_by:
    st.info(tr("history_already_undone", undo=batch.undone_by))
elif batch.kind != "seed" and st.button(tr("history_undo", batch=chosen), key="kk_history_undo"):
    ed.undo(chosen, user)
    st.rerun()
