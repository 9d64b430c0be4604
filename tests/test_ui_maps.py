"""The pages' maps go to the component with exactly the arguments st_folium would give
it, though computed once for all sessions and reruns."""

import copy
import json
import re
import threading
import urllib.parse
from importlib.metadata import version

import folium
import pytest
import streamlit_folium

from kommunkarta import selection
from kommunkarta.ui import folium_component
from kommunkarta.ui import maps as ui_maps
from kommunkarta.ui.cache import follow_data_revision
from kommunkarta.ui.maps import (
    base_map,
    network_layers,
    network_map,
    selected_layer,
    show_network_map,
    show_overview_map,
)

from .support.map_component import as_st_folium_sends, comparable


def _preloaded(data_url: str) -> list[list[str]]:
    """The [url, kind] pairs that a preloader script asks for, read back from its data: URL."""
    script = urllib.parse.unquote(data_url.removeprefix(folium_component.PRELOAD_PREFIX))
    return json.loads(re.search(r"(\[\[.*\]\])\.forEach", script).group(1))


@pytest.mark.parametrize(
    "filters", [selection.Filters(), selection.Filters(lan=("25",)), selection.Filters(networks=("gruvkommuner",))]
)
@pytest.mark.parametrize(("background", "chosen"), [(None, None), ("osm", "2584")])
def test_the_overview_map_gets_what_st_folium_would_send(component, monkeypatch, filters, background, chosen):
    """Also with a background of tiles (a base layer the layer control names, by the name
    st_folium gives it in the map's script) and a chosen kommun (its outline layer)."""
    monkeypatch.setattr(ui_maps, "tiles", lambda: background)
    monkeypatch.setattr(ui_maps.st, "session_state", {"kommun": chosen} if chosen else {})
    returned = ["last_active_drawing", "last_object_clicked"]
    follow_data_revision()
    streamlit_folium.st_folium(
        base_map(),
        feature_group_to_add=network_layers(filters) + selected_layer(),
        layer_control=folium.LayerControl(collapsed=True),
        returned_objects=returned,
        key="overview_map",
        render=False,
        height=720,
        use_container_width=True,
    )
    show_overview_map(filters, returned_objects=returned, height=720)
    show_overview_map(filters, returned_objects=returned, height=720)  # from the cache
    direct = comparable(component[0])
    cached, again = (as_st_folium_sends(c) for c in component[1:])
    assert direct["feature_group"] and "map_div.addLayer(feature_group_feature_group_0)" in direct["feature_group"]
    assert ("tile_layer_div_0" in direct["layer_control"]) == (background == "osm")
    assert (len(selected_layer()) == 1) == (chosen is not None)
    assert cached == direct and again == direct


def test_a_network_map_gets_what_st_folium_would_send(component):
    follow_data_revision()
    streamlit_folium.st_folium(
        network_map("tornedalsradet"),
        returned_objects=[],
        key="network_map_tornedalsradet",
        render=False,
        height=560,
        use_container_width=True,
    )
    show_network_map("tornedalsradet", key="network_map_tornedalsradet", returned_objects=[], height=560)
    direct, cached = comparable(component[0]), as_st_folium_sends(component[1])
    assert "Tornedalsrådet" in direct["script"] or "Tornedalsr" in direct["script"]
    assert cached == direct


def test_the_map_frame_asks_for_all_its_scripts_at_once(component):
    """streamlit-folium's frame loads js_links one after another; the first script show
    sends is a data: URL (no request) that preloads every other script and stylesheet of
    the map, each exactly once, so they arrive in one round trip."""
    follow_data_revision()
    show_overview_map(selection.Filters(), returned_objects=[], height=720)
    (arguments,) = component
    preloader, *scripts = arguments["js_links"]
    assert scripts and not any(u.startswith("data:") for u in scripts)
    assert all(u.startswith("/app/static/") for u in scripts + arguments["css_links"])  # the app's own files
    assert any(re.search(r"/app/static/kk/kommuner-[0-9a-f]{16}\.js$", u) for u in scripts)
    expected = [[u, "script"] for u in scripts] + [[u, "style"] for u in arguments["css_links"]]
    assert _preloaded(preloader) == expected
    assert folium_component.preloading([], []) == []  # nothing to load: nothing put first


def test_capturing_leaves_st_folium_working():
    real = streamlit_folium._component_func
    folium_component.capture(copy.deepcopy(network_map("tornedalsradet")), render=False, key="x")
    assert streamlit_folium._component_func is real


def test_capturing_never_reaches_another_sessions_map(component):
    """Sessions capture while others draw their maps: no drawing may meet the recorder."""
    fig = network_map("tornedalsradet")
    captured = []

    def capture_many():
        for _ in range(15):
            captured.append(folium_component.capture(copy.deepcopy(fig), render=False, key="x"))

    worker = threading.Thread(target=capture_many)
    worker.start()
    drawn = 0
    while worker.is_alive() or drawn == 0:
        streamlit_folium.st_folium(copy.deepcopy(fig), render=False, key="y")  # raises if it met the recorder
        drawn += 1
    worker.join()
    assert len(captured) == 15 and len(component) == drawn


def test_a_filter_change_sends_what_is_painted_not_the_map(component):
    """The map stays (same script, same component key: streamlit-folium does not remount
    it); what a filter change sends is the painted layers, by kommun code, in a few kB.
    The outlines are in the static shapes file that the map loads."""
    follow_data_revision()
    show_overview_map(selection.Filters(), returned_objects=[], height=720)
    show_overview_map(selection.Filters(lan=("25",)), returned_objects=[], height=720)
    everything, norrbotten = component
    assert everything["key"] == norrbotten["key"] and everything["script"] == norrbotten["script"]
    assert everything["feature_group"] != norrbotten["feature_group"]
    assert "kk.paint(" in norrbotten["feature_group"] and '"2584"' in norrbotten["feature_group"]
    assert '"2062"' not in norrbotten["feature_group"]  # Mora, in Dalarna
    for arguments in (everything, norrbotten):
        sent = sum(len(str(v)) for k, v in arguments.items() if k != "on_change")  # with the preloader
        assert sent < 40_000, sent  # the whole map was about 360 kB
        assert "coordinates" not in arguments["script"] + arguments["feature_group"]
        assert [u for u in arguments["js_links"] if re.search(r"/app/static/kk/kommuner-[0-9a-f]{16}\.js$", u)]


def test_the_private_parts_of_streamlit_folium_are_those_read():
    """folium_component reaches into streamlit-folium 0.27 (pyproject: <0.28): st_folium
    calls the module's _component_func, with the arguments show passes, and writes the
    map's script and its layers' with the functions _layer_base and _layer_arguments
    call (whose output the overview's and service map's tests compare with st_folium's)."""
    assert version("streamlit-folium").startswith("0.27.")
    assert callable(streamlit_folium._component_func)
    for name in ("_component_func", "_get_map_string", "_get_feature_group_string", "_get_layer_control_string"):
        assert name in streamlit_folium.st_folium.__code__.co_names, name
    captured = folium_component.capture(copy.deepcopy(network_map("tornedalsradet")), render=False, key="x")
    assert set(folium_component._BASE + folium_component._LAYERS) <= set(captured)
