"""AppTest helpers shared by the page tests: the app with secrets and a link, the service
page as a visitor or an editor, a user folder with a stored shop layer, and every text a
page renders as Markdown."""

from __future__ import annotations

import pytest

PASSWORD = "ett långt lösenord för test"
SHOPS_CSV = b"id,name,lat,lon\nica,ICA Ljusdal,61.83,16.09\ncoop,Coop J\xc3\xa4rvs\xc3\xb6,61.716,16.17\nlos,Handlarn Los,61.736,15.169\n"


def clear_caches() -> None:
    """Empty Streamlit's caches: they live in the process, and a test that changes the
    data must not see another test's dataset."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def fresh_caches():
    """Empty caches before and after each test of a module that imports this fixture."""
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def service_home(tmp_path, monkeypatch):
    """A private user folder and fresh caches; one stored shop layer."""
    from kommunkarta.service import importers, stored_layers

    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    clear_caches()
    shops = tmp_path / "butiker.csv"
    shops.write_bytes(SHOPS_CSV)
    stored_layers.save(importers.read_points(shops, kind="grocery"), "Butiker", "facilities")
    yield tmp_path / "home"
    clear_caches()


def app(secrets: bool | dict = False, query: str | dict = "", timeout: float = 90):
    """The app run once: ``secrets`` True for the editor anna with PASSWORD, or the
    secrets themselves; ``query`` the URL's query string or its parameters."""
    from streamlit.testing.v1 import AppTest

    from kommunkarta import paths
    from kommunkarta.storage import auth

    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=timeout)
    if secrets is True:
        at.secrets["editing"] = {"users": {"anna": auth.hash_password(PASSWORD)}}
    elif secrets:
        for key, value in secrets.items():
            at.secrets[key] = value
    if isinstance(query, str):
        query = dict(p.split("=", 1) for p in query.split("&") if p)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def service_as(editor: bool = False):
    """The service page for a visitor, or for an editor logged in on the edit page."""
    at = app(secrets=True)
    if editor:
        at.switch_page("app_pages/edit.py").run()
        at.text_input(key="kk_login_user").input("anna")
        at.text_input(key="kk_login_password").input(PASSWORD)
        next(b for b in at.button if b.label == "Logga in").click().run()
        assert at.session_state["kk_editor"] == "anna"
    return at.switch_page("app_pages/service.py").run()


def stored_ids() -> list[str]:
    from kommunkarta.service import stored_layers

    return [i.id for i in stored_layers.list_layers()]


def markdown_sources(at) -> list[str]:
    """The Markdown source of every element Streamlit renders as Markdown."""
    texts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        texts += [str(e.value) for e in getattr(at, kind)]
    for metric in at.metric:
        texts += [metric.label, str(metric.proto.help)]
    return texts


def all_texts(at) -> str:
    texts = markdown_sources(at) + [str(e.value) for e in at.exception]
    texts += [str(getattr(e, "value", "")) for e in at.get("code")]
    return "\n".join(texts)


def open_lazy_expanders(at, network_ids=(), kommun_codes=()) -> None:
    """Open, for the next run, the expanders whose content is made only while open (the
    downloads, the overview's memberships), as a reader's click would."""
    keys = ["overview_downloads_open", "overview_memberships"]
    keys += [k for code in kommun_codes for k in (f"profile_downloads_{code}_open", f"fig_kommun_{code}_sources_open")]
    keys.append("fig_overview_sources_open")
    keys += [
        k
        for n in network_ids
        for k in (
            f"network_downloads_{n}_open",
            f"fig_{n}_downloads_open",
            f"fig_{n}_sources_open",
            f"distance_matrix_{n}_open",
        )
    ]
    for key in keys:
        at.session_state[key] = True
