"""The Streamlit side of editing: the table editor's snapshot, saving and undoing, and
showing problems, conflicts and previews. The package does the checking and writing; who
may edit is ``ui.login``'s."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from .. import limits, vocab
from ..loader import capped_problems
from ..problems import place_text
from ..storage import db, store, uploads
from .cache import follow_data_revision
from .connection import database
from .markdown import md
from .text import lang, tr

SWEDISH_TIME = ZoneInfo("Europe/Stockholm")


# -- writing --------------------------------------------------------------------------------------
# A write's outcome is kept in the session and shown once, after the rerun that follows
# the button press.

EDIT_OUTCOME, UNDO_OUTCOME = "kk_edit_outcome", "kk_history_outcome"


def _record(outcome_key: str, write, success) -> bool:
    """Run a store write and keep what came of it under ``outcome_key``."""
    try:
        batch = write()
    except store.Rejected as err:
        st.session_state[outcome_key] = ("rejected", err.problems)
        return False
    except store.Conflicted as err:
        st.session_state[outcome_key] = ("conflict", err.conflicts)
        return False
    except store.AlreadyUndone as err:  # by someone else meanwhile
        st.session_state[outcome_key] = ("error", tr("history_already_undone", undo=err.by))
        return False
    except ValueError as err:
        st.session_state[outcome_key] = ("error", str(err))
        return False
    st.session_state[outcome_key] = ("done", success(batch))
    follow_data_revision()
    return True


def save(changes, user: str, kind: str, note: str = "") -> bool:
    """Write the changes as ``user``; True when written."""
    if not changes:
        st.session_state[EDIT_OUTCOME] = ("done", tr("edit_nothing"))
        return False
    key = "edit_saved" if kind == "edit" else "upload_written"
    return _record(
        EDIT_OUTCOME,
        lambda: store.apply(database(), changes, user, kind, note),
        lambda batch: tr(key, batch=batch, counts=counts_text(changes)),
    )


def undo(batch_id: int, user: str) -> bool:
    return _record(
        UNDO_OUTCOME,
        lambda: store.undo(database(), batch_id, user),
        lambda new_batch: tr("history_undone", batch=batch_id, undo=new_batch),
    )


def show_outcome(outcome_key: str = EDIT_OUTCOME, **texts) -> None:
    """What the last write did, once. ``texts`` may name the "conflict" and "rejected"
    headlines (default: those of a save)."""
    outcome = st.session_state.pop(outcome_key, None)
    if outcome is None:
        return
    kind, payload = outcome
    if kind == "done":
        st.success(payload)
    elif kind == "error":
        st.error(md(payload))
    elif kind == "conflict":
        st.error(texts.get("conflict") or tr("edit_conflict", n=len(payload)))
        show_conflicts(payload)
    else:
        st.error(texts.get("rejected") or tr("edit_rejected", n=len(payload)))
        show_problems(payload)


# -- showing results ----------------------------------------------------------------------------------


def table_label(table: str) -> str:
    return tr(f"table_{table}")


def counts_text(changes) -> str:
    return counts_text_of(uploads.action_counts(changes))


def counts_text_of(counts: dict[str, int]) -> str:
    return tr("counts_text", **{action: counts.get(action, 0) for action in ("insert", "update", "delete")})


def show_problems(problems) -> None:
    """The problems in a table: the first few of each field, and how many more there are."""
    problems, hidden = capped_problems(problems)
    frame = pd.DataFrame(uploads.problem_rows(problems, lang()), columns=["file", "row", "field", "message"])
    st.dataframe(
        frame.rename(
            columns={
                "file": tr("col_file"),
                "row": tr("col_row"),
                "field": tr("col_field"),
                "message": tr("col_problem"),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    for (file, column), n in hidden.items():
        st.caption(tr("problems_more", n=n, file=file, field=column, shown=limits.PROBLEMS_PER_FIELD))


def show_conflicts(conflicts: list[store.Conflict]) -> None:
    for conflict in conflicts:
        where = (
            f" ({place_text(conflict.origin[0], lang())}, {tr('col_row').lower()} {conflict.origin[1]})"
            if conflict.origin
            else ""
        )
        st.markdown(f"**{table_label(conflict.table)}: {md(conflict.key)}**{md(where)}")
        deleted = tr("conflict_deleted")
        fields = uploads.changed_fields(conflict.theirs, conflict.yours) or [("", "", "")]
        st.dataframe(
            pd.DataFrame(
                {
                    tr("col_field"): [f for f, _, _ in fields],
                    tr("conflict_theirs"): [t if conflict.theirs is not None else deleted for _, t, _ in fields],
                    tr("conflict_yours"): [y if conflict.yours is not None else deleted for _, _, y in fields],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def show_updates(changes, before) -> None:
    rows = uploads.update_rows(changes, before)
    frame = pd.DataFrame(rows, columns=["row", "key", "field", "before", "after"])
    st.dataframe(
        frame.rename(
            columns={
                "row": tr("col_row"),
                "key": tr("col_row_key"),
                "field": tr("col_field"),
                "before": tr("col_before"),
                "after": tr("col_after"),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def show_batch(changes: list[dict]) -> None:
    """A batch's changes, field by field: what each row held before and after."""
    rows = [
        {
            "table": table_label(c["table_name"]),
            "key": c["row_key"],
            "action": tr(f"action_{c['action']}"),
            "field": f,
            "before": b,
            "after": a,
        }
        for c in changes
        for f, b, a in uploads.changed_fields(c["before"], c["after"])
    ]
    frame = pd.DataFrame(rows, columns=["table", "key", "action", "field", "before", "after"])
    st.dataframe(
        frame.rename(
            columns={
                "table": tr("col_table"),
                "key": tr("col_row_key"),
                "action": tr("col_action"),
                "field": tr("col_field"),
                "before": tr("col_before"),
                "after": tr("col_after"),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def local_time(moment) -> str:
    return moment.astimezone(SWEDISH_TIME).strftime("%Y-%m-%d %H:%M")


# -- the table editor ---------------------------------------------------------------------------------


def editor_snapshot(table: str, network_id: str | None) -> tuple[str, list[store.StoredRow]]:
    """The rows the editor shows, read once per editing round: positions in the editor's
    changes refer to them, and their versions tell a later save whether anyone else
    saved meanwhile. Returns (widget key, rows)."""
    generation = st.session_state.setdefault("kk_edit_generation", 0)
    key = f"kk_editor_{table}_{network_id or 'alla'}_{generation}"
    if key not in st.session_state.get("kk_edit_snapshots", {}):
        rows = list(store.current_state(database(), (table,))[table].values())
        if network_id:
            rows = [r for r in rows if r.values["network_id"] == network_id]
        st.session_state["kk_edit_snapshots"] = {key: rows}  # one round at a time
    return key, st.session_state["kk_edit_snapshots"][key]


def table_editor(table: str, network_id: str | None, network_ids: list[str]) -> tuple[str, list[store.StoredRow]]:
    """The table editor on this round's snapshot, and the same rows as files to edit in
    a spreadsheet and upload again; returns (widget key, rows shown)."""
    key, rows = editor_snapshot(table, network_id)
    if key in st.session_state and not uploads.editor_state_ok(
        st.session_state[key], len(rows), db.DATA_COLUMNS[table]
    ):
        new_editing_round()  # a state this editor never made (crafted): start afresh
        key, rows = editor_snapshot(table, network_id)
    frame = pd.DataFrame([r.values for r in rows], columns=db.DATA_COLUMNS[table])
    st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=column_config(table, network_ids),
    )
    name = f"{table}-{network_id}" if network_id else table
    excel, csv = st.columns(2)
    # The files are made on the click, not on every rerun (10 000 rows: 1.5 s).
    excel.download_button(
        tr("edit_download_xlsx"),
        lambda: uploads.table_file(table, rows, "xlsx"),
        f"{name}.xlsx",
        key="kk_edit_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )
    csv.download_button(
        tr("edit_download_csv"),
        lambda: uploads.table_file(table, rows, "csv"),
        f"{name}.csv",
        mime="text/csv",
        key="kk_edit_csv",
        on_click="ignore",
    )
    return key, rows


def new_editing_round() -> None:
    st.session_state["kk_edit_generation"] = st.session_state.get("kk_edit_generation", 0) + 1


def column_config(table: str, network_ids: list[str]) -> dict:
    """Choices where the data has a vocabulary, so that the editor offers them."""
    choices = {
        "certainty": list(vocab.CERTAINTIES),
        "coord_certainty": ["", *vocab.CERTAINTIES],
        "kind": list(vocab.NETWORK_KINDS if table == "networks" else vocab.PLACE_KINDS),
        "role": list(vocab.ROLES),
        "country": list(vocab.COUNTRIES),
        "precision": list(vocab.COORD_PRECISIONS),
        "network_id": ([""] if table != "memberships" else []) + network_ids,
        "related_to": ["", *network_ids],
    }
    return {
        column: st.column_config.SelectboxColumn(column, options=options)
        for column, options in choices.items()
        if column in db.DATA_COLUMNS[table]
    }


def editor_changes(
    table: str, key: str, rows: list[store.StoredRow], network_id: str | None = None
) -> list[store.RowChange]:
    """The row changes the editor ``key`` holds against the snapshot ``rows``; rows added
    while one network's members are shown belong to that network."""
    delta = st.session_state.get(key, {})
    defaults = {"network_id": network_id, "country": "SE"} if network_id else None
    return uploads.editor_changes(
        table,
        rows,
        delta.get("edited_rows", {}),
        delta.get("added_rows", []),
        delta.get("deleted_rows", []),
        table_label(table),
        defaults,
    )


# -- uploads ----------------------------------------------------------------------------------------


def upload_preview(uploaded, table: str | None, mode: str) -> uploads.Preview:
    """The preview of an uploaded file, made once per file and choice: its versions are
    what the write checks against, so a row someone saves meanwhile is a conflict."""
    key = (uploaded.file_id, table, mode)
    cached = st.session_state.get("kk_preview")
    if not cached or cached[0] != key:
        sheets, problems = uploads.read_upload(uploaded.name, uploaded.getvalue(), table)
        cached = st.session_state["kk_preview"] = (key, uploads.plan_upload(database(), sheets, mode, problems))
    return cached[1]


def forget_preview() -> None:
    st.session_state.pop("kk_preview", None)


def show_preview(preview: uploads.Preview) -> None:
    """Notices, problems and conflicts; then the counts, and the rows added, removed and
    changed (field by field)."""
    for notice in preview.notices:
        st.info(f"{tr('upload_notices')} {md(notice.line(lang()))}")
    if preview.problems:
        st.error(tr("upload_problems", n=len(preview.problems)))
        show_problems(preview.problems)
    if preview.conflicts:
        st.error(tr("edit_conflict", n=len(preview.conflicts)))
        show_conflicts(preview.conflicts)
    counts = uploads.action_counts(preview.changes)
    figures = [
        ("upload_added", counts["insert"]),
        ("upload_changed", counts["update"]),
        ("upload_removed", counts["delete"]),
        ("upload_unchanged", preview.unchanged),
    ]
    for column, (label, n) in zip(st.columns(4), figures):
        column.metric(tr(label), n)
    for action, label in (("insert", "upload_added"), ("delete", "upload_removed")):
        changes = preview.rows(action)
        if changes:
            with st.expander(f"{tr(label)} ({len(changes)})", expanded=action == "insert"):
                for table in dict.fromkeys(c.table for c in changes):
                    st.caption(table_label(table))
                    values = [c.values or preview.before[(c.table, c.row_id)] for c in changes if c.table == table]
                    st.dataframe(pd.DataFrame(values, columns=db.DATA_COLUMNS[table]), hide_index=True, width="stretch")
    if counts["update"]:
        with st.expander(f"{tr('upload_changed')} ({counts['update']})", expanded=True):
            show_updates(preview.changes, preview.before)
    if not preview.changes and not preview.problems:
        st.info(tr("upload_nothing"))
