"""The Streamlit side of editing: login, the table editor's snapshot, and showing
problems, conflicts and previews. The package does the checking and writing."""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from .. import auth, db, editing, store, vocab
from . import database, follow_data_revision, lang, secrets, tr

SWEDISH_TIME = ZoneInfo("Europe/Stockholm")


def editing_config() -> auth.EditingConfig:
    return auth.editing_config(secrets())


def current_editor() -> str | None:
    """Who is logged in to edit, or None."""
    if st.session_state.get("kk_editor"):
        return st.session_state["kk_editor"]
    config = editing_config()
    if config.oidc and getattr(st.user, "is_logged_in", False) and auth.oidc_may_edit(config, st.user.get("email")):
        return str(st.user.get("email"))
    return None


def require_editor() -> str:
    """The logged-in editor; otherwise show how to log in (or how to enable editing)
    and stop the page."""
    user = current_editor()
    if user:
        with st.sidebar:
            st.markdown(tr("logged_in_as", user=user))
            st.button(tr("logout"), on_click=_logout, key="kk_logout")
        return user
    config = editing_config()
    if not config.enabled:
        st.info(tr("edit_read_only"))
        st.markdown(tr("edit_how_to_enable", database=db.describe(str(database().url))))
        st.stop()
    st.subheader(tr("login_title"))
    if config.passwords:
        _password_form(config)
    if config.oidc and config.oidc_editors:
        if getattr(st.user, "is_logged_in", False):
            st.warning(tr("login_not_allowed", email=st.user.get("email", "?")))
        else:
            st.button(tr("login_oidc"), on_click=_oidc_login, key="kk_oidc_login")
    st.stop()


def _password_form(config: auth.EditingConfig) -> None:
    with st.form("kk_login"):
        name = st.text_input(tr("login_user"), key="kk_login_user")
        password = st.text_input(tr("login_password"), type="password", key="kk_login_password")
        submitted = st.form_submit_button(tr("login_submit"))
    if not submitted:
        return
    result = auth.attempt_login(database(), config, name, password)
    if result.user:
        st.session_state["kk_editor"] = result.user
        st.rerun()
    elif result.throttled:
        st.error(tr("login_wait", seconds=math.ceil(result.wait_seconds)))
    else:
        st.error(tr("login_failed") + (" " + tr("login_next_attempt", seconds=math.ceil(result.wait_seconds)) if result.wait_seconds else ""))


def _oidc_login() -> None:
    providers = [name for name, value in (secrets().get("auth") or {}).items() if isinstance(value, dict)]
    st.login(providers[0]) if providers else st.login()


def _logout() -> None:
    st.session_state.pop("kk_editor", None)
    if getattr(st.user, "is_logged_in", False):
        st.logout()


# -- saving ----------------------------------------------------------------------------------------


def save(changes, user: str, kind: str, note: str = "") -> bool:
    """Write the changes as ``user``; the outcome is kept for show_outcome after the
    rerun that follows. True when written."""
    try:
        batch = store.apply(database(), changes, user, kind, note)
    except store.Rejected as err:
        st.session_state["kk_edit_outcome"] = ("rejected", err.problems)
        return False
    except store.Conflicted as err:
        st.session_state["kk_edit_outcome"] = ("conflict", err.conflicts)
        return False
    key = "edit_saved" if kind == "edit" else "upload_written"
    st.session_state["kk_edit_outcome"] = ("saved", tr(key, batch=batch, counts=counts_text(changes)))
    follow_data_revision()
    return True


def show_outcome() -> None:
    """What the last save or write did."""
    outcome = st.session_state.get("kk_edit_outcome")
    if outcome is None:
        return
    kind, payload = outcome
    if kind == "saved":
        st.success(payload)
    elif kind == "rejected":
        st.error(tr("edit_rejected", n=len(payload)))
        show_problems(payload)
    elif kind == "conflict":
        st.error(tr("edit_conflict", n=len(payload)))
        show_conflicts(payload)


# -- showing results ----------------------------------------------------------------------------------


def table_label(table: str) -> str:
    return store.TABLE_LABELS[table][1 if lang() == "en" else 0]


def counts_text(changes) -> str:
    return counts_text_of(editing.action_counts(changes))


def counts_text_of(counts: dict[str, int]) -> str:
    return tr("counts_text", **{action: counts.get(action, 0) for action in ("insert", "update", "delete")})


def show_problems(problems) -> None:
    frame = pd.DataFrame(editing.problem_rows(problems), columns=["file", "row", "field", "message"])
    st.dataframe(
        frame.rename(columns={"file": tr("col_file"), "row": tr("col_row"), "field": tr("col_field"), "message": tr("col_problem")}),
        hide_index=True, width="stretch",
    )


def show_conflicts(conflicts: list[store.Conflict]) -> None:
    for conflict in conflicts:
        where = f" ({conflict.origin[0]}, {tr('col_row').lower()} {conflict.origin[1]})" if conflict.origin else ""
        st.markdown(f"**{table_label(conflict.table)}: {conflict.key}**{where}")
        deleted = tr("conflict_deleted")
        fields = editing.changed_fields(conflict.theirs, conflict.yours) or [("", "", "")]
        st.dataframe(
            pd.DataFrame(
                {
                    tr("col_field"): [f for f, _, _ in fields],
                    tr("conflict_theirs"): [t if conflict.theirs is not None else deleted for _, t, _ in fields],
                    tr("conflict_yours"): [y if conflict.yours is not None else deleted for _, _, y in fields],
                }
            ),
            hide_index=True, width="stretch",
        )


def show_updates(changes, before) -> None:
    rows = editing.update_rows(changes, before)
    frame = pd.DataFrame(rows, columns=["row", "key", "field", "before", "after"])
    st.dataframe(
        frame.rename(columns={"row": tr("col_row"), "key": tr("col_row_key"), "field": tr("col_field"), "before": tr("col_before"), "after": tr("col_after")}),
        hide_index=True, width="stretch",
    )


def show_batch(changes: list[dict]) -> None:
    """A batch's changes, field by field: what each row held before and after."""
    rows = [
        {"table": table_label(c["table_name"]), "key": c["row_key"], "action": tr(f"action_{c['action']}"), "field": f, "before": b, "after": a}
        for c in changes
        for f, b, a in editing.changed_fields(c["before"], c["after"])
    ]
    frame = pd.DataFrame(rows, columns=["table", "key", "action", "field", "before", "after"])
    st.dataframe(
        frame.rename(columns={"table": tr("col_table"), "key": tr("col_row_key"), "action": tr("col_action"),
                              "field": tr("col_field"), "before": tr("col_before"), "after": tr("col_after")}),
        hide_index=True, width="stretch",
    )


def undo(batch_id: int, user: str) -> None:
    """Undo a batch as ``user``; the outcome is kept for show_undo_outcome."""
    try:
        new_batch = store.undo(database(), batch_id, user)
    except store.Conflicted as err:
        st.session_state["kk_history_outcome"] = ("conflict", err.conflicts)
        return
    except store.Rejected as err:
        st.session_state["kk_history_outcome"] = ("rejected", err.problems)
        return
    except ValueError as err:  # undone already, by someone else meanwhile
        st.session_state["kk_history_outcome"] = ("error", str(err))
        return
    st.session_state["kk_history_outcome"] = ("undone", tr("history_undone", batch=batch_id, undo=new_batch))
    follow_data_revision()


def show_undo_outcome(batch_id: int) -> None:
    outcome = st.session_state.pop("kk_history_outcome", None)
    if outcome is None:
        return
    kind, payload = outcome
    if kind == "undone":
        st.success(payload)
    elif kind == "conflict":
        st.error(tr("history_undo_conflict", batch=batch_id))
        show_conflicts(payload)
    elif kind == "error":
        st.error(payload)
    else:
        st.error(tr("history_undo_rejected"))
        show_problems(payload)


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
        rows = list(store.current_state(database())[table].values())
        if network_id:
            rows = [r for r in rows if r.values["network_id"] == network_id]
        st.session_state["kk_edit_snapshots"] = {key: rows}  # one round at a time
    return key, st.session_state["kk_edit_snapshots"][key]


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
