"""The map component as tests see it: every call recorded, and what folium_component.show
sends compared with what streamlit-folium's own st_folium sends."""

from __future__ import annotations

import pytest
import streamlit_folium

from kommunkarta.ui import folium_component


@pytest.fixture
def component(monkeypatch):
    """The arguments of every call of the map component (st_folium's and ours)."""
    calls = []

    def record(**arguments):
        calls.append(arguments)
        return None

    monkeypatch.setattr(streamlit_folium, "_component_func", record)
    monkeypatch.setattr(folium_component, "_component", record)
    return calls


def comparable(arguments: dict) -> dict:
    """A call's arguments without its callback (a new function each time)."""
    return {k: v for k, v in arguments.items() if k != "on_change"}


def as_st_folium_sends(arguments: dict) -> dict:
    """What ``folium_component.show`` sent, without the script it puts first (the
    preloader of Leaflet and the shapes; tests/test_ui_maps.py checks that one)."""
    js_links = arguments["js_links"]
    assert js_links[0].startswith(folium_component.PRELOAD_PREFIX)
    return comparable(arguments) | {"js_links": js_links[1:]}
