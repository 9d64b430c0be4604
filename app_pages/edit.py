"""Edit data: networks, memberships, projects and places in a table editor, or by
uploading CSV or Excel with a preview. Only for a logged-in editor."""

import streamlit as st

from kommunkarta.i18n import t
from kommunkarta.storage import db
from kommunkarta.ui import editor as ed
from kommunkarta.ui.data import dataset, network
from kommunkarta.ui.login import require_editor
from kommunkarta.ui.text import lang, tr

st.title(tr("edit_title"))
user = require_editor()
# Option labels are bound to the language of this run: a widget's value is decoded with
# the labels it was drawn with.
language = lang()

mode = st.radio(
    tr("edit_mode"),
    ["table", "upload"],
    format_func=lambda m: t(f"edit_mode_{m}", language),
    horizontal=True,
    key="kk_edit_mode",
)
tables = list(db.CURATED)
network_ids = list(dataset().networks["id"])


if mode == "table":
    left, right = st.columns([1, 1])
    table = left.selectbox(
        tr("edit_table"), tables, format_func=lambda t_: t(f"table_{t_}", language), key="kk_edit_table"
    )
    network_id = None
    if table == "memberships":
        network_id = right.selectbox(
            tr("edit_network_filter"),
            [None, *network_ids],
            key="kk_edit_network",
            format_func=lambda n: t("edit_all_networks", language) if n is None else network(n).short_name,
        )
    st.caption(tr("edit_table_help"))
    key, rows = ed.table_editor(table, network_id, network_ids)
    save_column, discard_column = st.columns([1, 3])
    if save_column.button(tr("edit_save"), type="primary", key="kk_edit_save"):
        if ed.save(ed.editor_changes(table, key, rows, network_id), user, "edit"):
            ed.new_editing_round()
        st.rerun()
    if discard_column.button(tr("edit_discard"), key="kk_edit_discard"):
        ed.new_editing_round()
        st.rerun()
    ed.show_outcome()

else:
    st.caption(tr("upload_help"))
    generation = st.session_state.setdefault("kk_upload_generation", 0)
    uploaded = st.file_uploader(tr("upload_file"), type=["csv", "txt", "xlsx"], key=f"kk_upload_{generation}")
    left, right = st.columns([1, 1])
    table = left.selectbox(
        tr("upload_table"),
        [None, *tables],
        key="kk_upload_table",
        format_func=lambda t_: t("upload_table_auto", language) if t_ is None else t(f"table_{t_}", language),
    )
    upload_mode = right.radio(
        tr("upload_mode"),
        ["upsert", "replace"],
        format_func=lambda m: t(f"upload_{m}", language),
        key="kk_upload_mode",
    )
    ed.show_outcome()
    if uploaded is not None:
        preview = ed.upload_preview(uploaded, table, upload_mode)
        ed.show_preview(preview)
        if st.button(tr("upload_write"), type="primary", disabled=not preview.can_write, key="kk_upload_write"):
            if ed.save(
                preview.changes, user, "upload", note=f"{uploaded.name} ({tr(f'upload_{upload_mode}').lower()})"
            ):
                st.session_state["kk_upload_generation"] = generation + 1
                ed.new_editing_round()
            ed.forget_preview()  # written, or refused: the next preview reads the database afresh
            st.rerun()
