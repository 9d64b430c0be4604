"""Maps on the page at the cost of a cache lookup.

``st_folium`` turns its folium objects into JavaScript on every call: rendering the
templates of every element and the GeoJSON of every layer. For a map that depends only
on the data, the filters and the language, that work is the same for every session and
every rerun, and under a meeting's load it was most of a rerun's time. ``show`` does it
once: it lets ``st_folium`` compute the base map's arguments (so the output is exactly
what ``st_folium`` sends), keeps them for all sessions with the data revision in the
key, and afterwards hands the cached arguments straight to the component.

The base map and the layers are kept apart: the base map's script (most of the bytes)
is computed once per map, and each filter's layers once per filter, with the functions
``st_folium`` writes them with, on a copy of the map as ``st_folium`` leaves it
(``_layer_base``) instead of rendering the whole map again (tests/test_ui_maps.py
compares the result with ``st_folium``'s own).

One change to what ``st_folium`` sends: its frame loads the map's scripts one after
another (Leaflet, the shapes, the tooltips; each awaited before the next is asked for).
``show`` puts a small script first (``preloading``, a ``data:`` URL: no request) that asks
for all of them, and the stylesheets, at once, so the frame waits for one round trip
instead of one per file; the scripts then run in their order from what has arrived.
"""

from __future__ import annotations

import functools
import json
import types
import urllib.parse
from collections.abc import Callable

import folium
import streamlit as st
import streamlit_folium

from ..outputs.folium_tree import copy_sharing_data
from . import map_first
from .cache import data_cache

# Arguments that st_folium computes from the folium objects, and so can be cached.
_BASE = ("script", "header", "html", "id", "key", "default", "css_links", "js_links")
_LAYERS = ("feature_group", "layer_control")
# The component itself, as st_folium calls it.
_component = streamlit_folium._component_func


class _Captured(Exception):
    def __init__(self, arguments: dict):
        self.arguments = arguments


def _record(**arguments):
    raise _Captured(arguments)


@functools.cache
def _recording_st_folium():
    """st_folium with a recorder in place of its component: a copy of the function with
    globals of its own, so that no other session's st_folium (or ``show``) ever calls the
    recorder, however many sessions capture at once."""
    original = streamlit_folium.st_folium
    recording = types.FunctionType(
        original.__code__,
        {**original.__globals__, "_component_func": _record},
        original.__name__,
        original.__defaults__,
        original.__closure__,
    )
    recording.__kwdefaults__ = original.__kwdefaults__
    return recording


def capture(fig, **st_folium_arguments) -> dict:
    """The arguments ``st_folium(fig, **st_folium_arguments)`` would pass to its component."""
    try:
        _recording_st_folium()(fig, **st_folium_arguments)
    except _Captured as captured:
        return captured.arguments
    raise RuntimeError("st_folium did not call its component")


# Runs first in the map's frame: a <link rel="preload"> for each script and stylesheet
# the frame will load, so that all are on their way before the first is awaited.
_PRELOAD = (
    "(function(){var d=document;__LINKS__.forEach(function(x){var l=d.createElement('link');"
    "l.rel='preload';l.as=x[1];l.href=x[0];d.head.appendChild(l);});})();"
)
PRELOAD_PREFIX = "data:text/javascript;charset=utf-8,"


def preloading(js_links: list[str], css_links: list[str]) -> list[str]:
    """``js_links`` with a first script (a data: URL, loaded without a request) that asks
    for every one of them and every stylesheet at once."""
    links = [[u, "script"] for u in js_links if not u.startswith("data:")] + [[u, "style"] for u in css_links]
    if not links:
        return list(js_links)
    return [script_url(_PRELOAD.replace("__LINKS__", json.dumps(links))), *js_links]


def script_url(script: str) -> str:
    """A script as a ``data:`` URL: the frame runs it without a request."""
    return PRELOAD_PREFIX + urllib.parse.quote(script, safe="")


# Each page's map has its base here: the overview, the presentation's steps, every network
# page, the kommun profiles visited and the service map of Sweden and of every network
# (the start-up warm-up alone makes some 26).
@data_cache(max_entries=64)
def _base_arguments(spec: tuple, returned_objects: tuple | None, _build: Callable) -> dict:
    fig, _ = _build()
    arguments = capture(fig, returned_objects=returned_objects, render=False, key=spec[0])
    arguments["js_links"] = preloading(arguments["js_links"], arguments["css_links"])
    return {name: arguments[name] for name in _BASE}


@data_cache(max_entries=64)
def _layer_base(spec: tuple, _build: Callable) -> tuple:
    """The map of ``spec`` as st_folium leaves it once it has written the map's script
    (every element renamed to the name the script gives it: map_div, ...), with its
    layer control: what st_folium adds the layers to. Without what rendering put into
    its figure: the layers' strings never read it, and a copy would compile it again."""
    fig, layer_control = _build()
    if not isinstance(fig, folium.Map):  # st_folium would take a Figure's first child
        raise TypeError(f"a map's base is a folium.Map, not {type(fig).__name__}")
    fig.render()  # as st_folium does before it writes the script
    streamlit_folium._get_map_string(fig)
    root = fig.get_root()
    for part in (root.header, root.html, root.script):
        part._children.clear()
    return fig, layer_control


@data_cache(max_entries=256)
def _layer_arguments(spec: tuple, layer_spec: tuple, _build: Callable, _build_layers: Callable) -> dict:
    """What st_folium sends for ``_build_layers()`` on the map of ``spec``: the same
    functions it calls for them (streamlit-folium 0.27, pinned; tests/test_ui_maps.py
    checks the result against st_folium's own), on a copy of the map's base, without
    rendering the whole map again as st_folium would."""
    layers = _build_layers()
    if not layers:
        return dict.fromkeys(_LAYERS)
    fig, layer_control = copy_sharing_data(_layer_base(spec, _build))
    feature_group = "".join(
        streamlit_folium._get_feature_group_string(layer, map=fig, idx=idx) for idx, layer in enumerate(layers)
    )
    control = streamlit_folium._get_layer_control_string(layer_control, fig) if layer_control is not None else None
    return {"feature_group": feature_group, "layer_control": control}


def show(
    spec: tuple,
    build: Callable,
    *,
    layer_spec: tuple = (),
    build_layers: Callable | None = None,
    returned_objects: list[str] | None = None,
    height: int = 700,
    on_change: Callable | None = None,
    hold: bool = False,
):
    """Put a map on the page, as ``st_folium(..., use_container_width=True)`` would.

    ``spec`` names the map: its first item is the widget key, the rest everything the
    map depends on beyond the data (language, background, size). ``build()`` returns
    (a rendered folium map, a LayerControl or None); ``build_layers()`` the feature groups
    added on top, named by ``layer_spec`` (the filters, the chosen kommun). Returns what
    the component returns: the user's clicks.

    ``hold``: the page holds its rest until this map is drawn (``map_first.hold_rest()``
    after it); while it waits, the map's frame reports when it has drawn.
    """
    key = spec[0]
    returned = tuple(returned_objects) if returned_objects is not None else None
    arguments = _base_arguments(spec, returned, build)
    layers = (
        _layer_arguments(spec, layer_spec, build, build_layers) if build_layers is not None else dict.fromkeys(_LAYERS)
    )
    hash_key = arguments["key"]

    if hold:
        map_first.holding(key)
        if map_first.pending(key):
            arguments = {**arguments, "js_links": [script_url(map_first.report_script()), *arguments["js_links"]]}

    def changed():  # what st_folium's own on_change does, and the map-first report
        st.session_state[key] = st.session_state.get(hash_key, {})
        map_first.took_report(key, st.session_state[key])
        if on_change is not None:
            on_change()

    value = _component(
        **arguments,
        **layers,
        height=height,
        width=None,
        returned_objects=list(returned) if returned is not None else None,
        zoom=None,
        center=None,
        return_on_hover=False,
        pixelated=False,
        on_change=changed,
        wrap_longitude=False,
    )
    # A frame that reported before this session began (a reconnect) sends its value with
    # the session's first run, and no callback runs for it.
    map_first.took_report(key, value)
    return value
