"""Who may edit: the editor login (user names with password hashes under
``[editing.users]``, or the organisation's accounts through Streamlit's OIDC login),
shown on the pages that write. The checking and throttling are ``storage.auth``'s."""

from __future__ import annotations

import math

import streamlit as st

from .. import limits
from ..storage import auth, db
from .connection import database, secrets
from .markdown import md
from .text import tr


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
            st.markdown(tr("logged_in_as", user=md(user)))
            st.button(tr("logout"), on_click=_logout, key="kk_logout")
        return user
    config = editing_config()
    if not config.enabled:
        st.info(tr("edit_read_only"))
        st.markdown(tr("edit_how_to_enable", database=db.describe_for_visitors(database().url)))
        st.stop()
    st.subheader(tr("login_title"))
    if config.passwords:
        _password_form(config)
    if config.oidc and config.oidc_editors:
        if getattr(st.user, "is_logged_in", False):
            st.warning(tr("login_not_allowed", email=md(st.user.get("email", "?"))))
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
    result = auth.attempt_login(database(), config, name, password, client=_client())
    if result.user:
        st.session_state["kk_editor"] = result.user
        st.rerun()
    elif result.bad_name:
        st.error(tr("login_bad_name", limit=limits.LOGIN_NAME_CHARS))
    elif result.throttled:
        st.error(tr("login_wait", seconds=math.ceil(result.wait_seconds)))
    else:
        st.error(
            tr("login_failed")
            + (" " + tr("login_next_attempt", seconds=math.ceil(result.wait_seconds)) if result.wait_seconds else "")
        )


def _client() -> str:
    """The visitor's address for the per-client login throttle: the connection's, or,
    through the proxy on this machine (deploy/nginx sets X-Real-IP), the proxy's word."""
    address = st.context.ip_address or st.context.headers.get("X-Real-IP") or "localhost"
    return str(address)[: auth.CLIENT_CHARS]


def _oidc_login() -> None:
    providers = [name for name, value in (secrets().get("auth") or {}).items() if isinstance(value, dict)]
    st.login(providers[0]) if providers else st.login()


def _logout() -> None:
    st.session_state.pop("kk_editor", None)
    if getattr(st.user, "is_logged_in", False):
        st.logout()
