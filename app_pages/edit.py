"""Edit data: networks, memberships, projects and places in a table editor, or by
uploading CSV or Excel with a preview. Only for a logged-in editor."""

import pandas as pd
import streamlit as st

from kommunkarta import db, editing, ui
from kommunkarta.ui import editing as ed

st.title(ui.tr("edit_title"))
user = ed.require_editor()

mode = st.radio(ui.tr("edit_mode"), ["table", "upload"], format_func=lambda m: ui.tr(f"edit_mode_{m}"), horizontal=True, key="kk_edit_mode")
tables = list(db.CURATED)
network_ids = list(ui.dataset().networks["id"])


if mode == "table":
    left, right = st.columns([1, 1])
    table = left.selectbox(ui.tr("edit_table"), tables, format_func=ed.table_label, key="kk_edit_table")
    network_id = None
    if table == "memberships":
        network_id = right.selectbox(
            ui.tr("edit_network_filter"), [None, *network_ids], key="kk_edit_network",
            format_func=lambda n: ui.tr("edit_all_networks") if n is None else ui.network(n).short_name,
        )
    st.caption(ui.tr("edit_table_help"))
    key, rows = ed.editor_snapshot(table, network_id)
    frame = pd.DataFrame([r.values for r in rows], columns=db.DATA_COLUMNS[table])
    st.data_editor(frame, key=key, num_rows="dynamic", hide_index=True, width="stretch", column_config=ed.column_config(table, network_ids))
    save_column, discard_column = st.columns([1, 3])
    if save_column.button(ui.tr("edit_save"), type="primary", key="kk_edit_save"):
        delta = st.session_state.get(key, {})
        changes = editing.editor_changes(
            table, rows, delta.get("edited_rows", {}), delta.get("added_rows", []), delta.get("deleted_rows", []), ed.table_label(table)
        )
        if not changes:
            st.session_state["kk_edit_outcome"] = ("saved", ui.tr("edit_nothing"))
        elif ed.save(changes, user, "edit"):
            ed.new_editing_round()
        st.rerun()
    if discard_column.button(ui.tr("edit_discard"), key="kk_edit_discard"):
        st.session_state.pop("kk_edit_outcome", None)
        ed.new_editing_round()
        st.rerun()
    ed.show_outcome()

else:
    st.caption(ui.tr("upload_help"))
    generation = st.session_state.setdefault("kk_upload_generation", 0)
    uploaded = st.file_uploader(ui.tr("upload_file"), type=["csv", "txt", "xlsx"], key=f"kk_upload_{generation}")
    left, right = st.columns([1, 1])
    table = left.selectbox(
        ui.tr("upload_table"), [None, *tables], key="kk_upload_table",
        format_func=lambda t: ui.tr("upload_table_auto") if t is None else ed.table_label(t),
    )
    upload_mode = right.radio(ui.tr("upload_mode"), ["upsert", "replace"], format_func=lambda m: ui.tr(f"upload_{m}"), key="kk_upload_mode")
    ed.show_outcome()
    if uploaded is not None:
        # The preview is made once per file and choice: its versions are what the
        # write checks against, so a row someone saves meanwhile becomes a conflict.
        preview_key = (uploaded.file_id, table, upload_mode)
        if st.session_state.get("kk_preview", (None, None))[0] != preview_key:
            sheets, problems = editing.read_upload(uploaded.name, uploaded.getvalue(), table)
            st.session_state["kk_preview"] = (preview_key, editing.plan_upload(ui.database(), sheets, upload_mode, problems))
            st.session_state.pop("kk_edit_outcome", None)
        preview: editing.Preview = st.session_state["kk_preview"][1]

        for notice in preview.notices:
            st.info(f"{ui.tr('upload_notices')} {notice}")
        if preview.problems:
            st.error(ui.tr("upload_problems", n=len(preview.problems)))
            ed.show_problems(preview.problems)
        if preview.conflicts:
            st.error(ui.tr("edit_conflict", n=len(preview.conflicts)))
            ed.show_conflicts(preview.conflicts)
        counts = editing.action_counts(preview.changes)
        columns = st.columns(4)
        for column, (label, n) in zip(columns, [("upload_added", counts["insert"]), ("upload_changed", counts["update"]),
                                                ("upload_removed", counts["delete"]), ("upload_unchanged", preview.unchanged)]):
            column.metric(ui.tr(label), n)
        for action, label in (("insert", "upload_added"), ("delete", "upload_removed")):
            rows = preview.rows(action)
            if rows:
                with st.expander(f"{ui.tr(label)} ({len(rows)})", expanded=action == "insert"):
                    for table_name in dict.fromkeys(c.table for c in rows):
                        values = [c.values or preview.before[(c.table, c.row_id)] for c in rows if c.table == table_name]
                        st.caption(ed.table_label(table_name))
                        st.dataframe(pd.DataFrame(values, columns=db.DATA_COLUMNS[table_name]), hide_index=True, width="stretch")
        if preview.rows("update"):
            with st.expander(f"{ui.tr('upload_changed')} ({counts['update']})", expanded=True):
                ed.show_updates(preview.changes, preview.before)
        if not preview.changes and not preview.problems:
            st.info(ui.tr("upload_nothing"))
        if st.button(ui.tr("upload_write"), type="primary", disabled=not preview.can_write, key="kk_upload_write"):
            if ed.save(preview.changes, user, "upload", note=f"{uploaded.name} ({ui.tr(f'upload_{upload_mode}').lower()})"):
                st.session_state["kk_upload_generation"] = generation + 1
                ed.new_editing_round()
            # Written, or refused: either way the next preview reads the database afresh.
            st.session_state.pop("kk_preview", None)
            st.rerun()
