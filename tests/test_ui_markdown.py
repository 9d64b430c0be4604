"""No Markdown from the data or the URL (ui/markdown.py): a link or an image in a stored
text or a link parameter is shown as text on every page (issue 10.6)."""

from __future__ import annotations

import re

from kommunkarta.loader import load_dataset

from .support.apptest import app, markdown_sources

# -- 6. no Markdown from the data or the URL ---------------------------------------------------

PHISH = "[Logga in här](http://evil/phish) ![t](http://evil/track.png)"


def assert_no_markdown_from_data(texts: list[str], shown: str) -> None:

    joined = "\n".join(texts)
    assert shown in joined or shown.replace(" ", "") in joined  # the text is there …
    for text in texts:  # … but never as a link or an image
        assert not re.search(r"(?<!\\)\]\(", text), text
        assert not re.search(r"(?<!\\)!(?<!\\)\[", text), text
        assert "http://evil" not in text, text


def test_a_link_parameter_is_shown_as_text():
    at = app(query="lan=" + PHISH)
    assert not at.exception
    assert_no_markdown_from_data(markdown_sources(at), "Logga in här")
    at = app(query="kommun=" + PHISH)
    at.switch_page("app_pages/kommun.py").run()
    assert not at.exception
    assert_no_markdown_from_data(markdown_sources(at), "Logga in här")


def test_stored_descriptions_are_shown_as_text(data_copy, monkeypatch):
    import streamlit as st

    from .conftest import edit_rows

    def inject(rows):
        rows[-1].update(description=PHISH, unknowns=PHISH, organiser=PHISH, source="https://ex.se " + PHISH)
        rows[-1]["name"] = "Nät $x^2$ :red[röd] " + PHISH

    edit_rows(data_copy / "networks.csv", inject)
    monkeypatch.setenv("KOMMUNKARTA_DATA_DIR", str(data_copy))
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(data_copy.parent / "home"))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        network_id = load_dataset(data_copy).networks.iloc[-1]["id"]
        at = app()
        from .test_app import open_network_page

        open_network_page(at, network_id)
        assert not at.exception
        texts = markdown_sources(at)
        assert_no_markdown_from_data(texts, "Logga in här")
        assert not any("$x^2$" in t or ":red[" in t for t in texts)
        at = app(query=f"views={network_id}")
        at.switch_page("app_pages/present.py").run()
        assert not at.exception
        assert_no_markdown_from_data(markdown_sources(at), "Logga in här")
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
