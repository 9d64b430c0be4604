"""Text from the data in the folium maps is shown as text: no script in a tooltip, popup,
legend or layer name runs (issue 10.1)."""

from __future__ import annotations

import copy
import re

import pandas as pd
import pytest
from folium.elements import JSCSSMixin
from streamlit_folium import _get_feature_group_string

from kommunkarta import profiles, selection
from kommunkarta.loader import load_dataset
from kommunkarta.outputs import downloads, maps
from kommunkarta.outputs.folium_tree import walk

from .conftest import SCRIPT_PAYLOADS, TEMPLATE_EVALUATED, TEMPLATE_PAYLOAD, inject_script_payloads, payload
from .support.published import with_published

# -- 1. script in map text --------------------------------------------------------------------


def assert_inert(html: str, expected_shown: int = 1) -> None:
    """No payload survives in a form a browser would run, and the escaped text is there
    (looked for also with folium's JSON escapes such as \\u0026 turned back)."""
    html = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)
    for raw in ("${alert", "`+alert", "</script><script>alert", "<script>alert", TEMPLATE_PAYLOAD, TEMPLATE_EVALUATED):
        assert raw not in html, raw
    assert html.count("&#36;&#123;alert(1)&#125;") + html.count("&#96;+alert(1)+&#96;") >= expected_shown


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    import shutil

    from .conftest import DATA_DIR

    target = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    inject_script_payloads(target)
    ds = load_dataset(target)
    assert not ds.problems
    return ds, selection.membership_table(ds)


def test_map_text_neutralises_template_literals_and_html():
    assert maps.map_text("${alert(1)}") == "&#36;&#123;alert(1)&#125;"
    assert maps.map_text("{{ 7*7 }} {% raw %}") == "&#123;&#123; 7*7 &#125;&#125; &#123;% raw %&#125;"
    assert maps.map_text("`+alert(1)+`") == "&#96;+alert(1)+&#96;"
    assert maps.map_text("</script>") == "&lt;/script&gt;"
    assert maps.map_text("a\\u{x}") == "a&#92;u&#123;x&#125;"
    assert maps.map_text("\"x\" & 'y'") == "&quot;x&quot; &amp; &#x27;y&#x27;"


def test_no_script_payload_reaches_any_map_layer(hostile):
    ds, table = hostile
    properties = maps.kommun_properties(table, ds.population, "sv", ds.projects)
    # kommun shapes (networks and projects in the tooltips) and the legend
    assert_inert(with_published(maps.base_map(properties, ds.networks).get_root().render()), 3)
    layers = maps.network_layers(selection.apply_filters(table, selection.Filters()), ds.networks)
    for layer in layers:
        assert_inert(_get_feature_group_string(copy.deepcopy(layer), maps.folium.Map(), 0), 0)
    assert any("&#36;&#123;alert(1)&#125;" in layer.layer_name or "&#96;" in layer.layer_name for layer in layers)
    # places (name, coordinate source), foreign members, related networks, the legend
    for network_id in ("serviceutveckling_2022", "tornedalsradet", "filmpool_nord"):
        html = downloads.network_map_file(profiles.network_view(ds, table, network_id), ds, table, "html").decode()
        assert_inert(html, 2)
    tornedal = downloads.network_map_file(
        profiles.network_view(ds, table, "tornedalsradet"), ds, table, "html"
    ).decode()
    assert "Tornio &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in tornedal  # the foreign member
    assert "Centrum &#36;&#123;alert(1)&#125;" in tornedal  # its centre
    places = downloads.network_map_file(
        profiles.network_view(ds, table, "serviceutveckling_2022"), ds, table, "html"
    ).decode()
    assert "Plats " in places and "Källa " in places
    assert_inert(downloads.overview_map_file(ds, table, selection.Filters(), "html", "t").decode(), 3)
    assert_inert(downloads.kommun_map_file(ds, table, "2584", "html").decode(), 3)


def test_no_script_payload_reaches_the_service_map():
    facilities = pd.DataFrame(
        {"id": ["a", "b"], "name": [payload(0, "Butik"), payload(1, "Butik")], "lat": [62.0, 63.0], "lon": [15, 16]}
    )
    origins = pd.DataFrame(
        {
            "origin_id": ["o1", "o2", "o3"],
            "name": [payload(i, "Ort") for i in range(3)],
            "lat": [62.1, 62.2, 62.3],
            "lon": [15.0, 15.1, 15.2],
            "distance_km": [1.0, 25.0, 40.0],
        }
    )
    added = pd.DataFrame({"name": [payload(2, "Tänkt")], "lat": [62.5], "lon": [15.5]})
    layers = maps.access_layers(
        origins,
        facilities,
        30.0,
        vulnerable_ids=["a"],
        added=added,
        rings=((62.1, 15.0, 10.0, payload(0, "Ring")),),
        measure=([(62.0, 15.0), (62.5, 15.5)], payload(1, "Mått")),
    )
    html = "".join(_get_feature_group_string(copy.deepcopy(layer), maps.folium.Map(), 0) for layer in layers)
    assert_inert(html, 6)
    assert_inert(maps.outline_map(("2584",)).get_root().render(), 0)


@pytest.mark.parametrize("text", [*SCRIPT_PAYLOADS, TEMPLATE_PAYLOAD])
def test_tooltip_is_the_only_way_text_reaches_a_plain_tooltip(text):
    m = maps.folium.Map()
    maps.folium.CircleMarker([62, 15], tooltip=maps.map_text(text)).add_to(m)
    assert_inert(m.get_root().render(), 0)


# -- 2. the layers' own render -----------------------------------------------------------------


@pytest.mark.parametrize("hidden", [False, True])
def test_the_painted_layers_render_into_the_figure_what_folium_renders(
    fixture_dataset, fixture_table, monkeypatch, hidden
):
    """PaintedGroup, KommunPaint and NetworkDots keep each macro's output as text instead
    of having branca compile it as a template and render it again: the map's HTML
    (header with the shapes script, scripts) is the same as with folium's own render, on
    the layers of every network with dots where kommuner share networks, the chosen
    kommun's outline, and (``hidden``) layers shown only when ticked."""
    m = maps.folium.Map(tiles=None)
    layers = maps.network_layers(selection.apply_filters(fixture_table, selection.Filters()), fixture_dataset.networks)
    for layer in [*layers, *maps.selected_layer("2584")]:
        layer.show = not hidden
        layer.add_to(m)
    kinds = {type(element) for element in walk(m)}
    assert {maps.PaintedGroup, maps.KommunPaint, maps.NetworkDots} <= kinds
    ours, theirs = copy.deepcopy(m), copy.deepcopy(m)  # the same element names in both
    html = ours.get_root().render()
    monkeypatch.setattr(maps._UsesShapes, "render", JSCSSMixin.render)
    monkeypatch.setattr(maps.PaintedGroup, "render", maps.folium.FeatureGroup.render)
    assert theirs.get_root().render() == html
    assert "kk.paint(" in html and "kk.dots(" in html and maps.shapes_url() in html
    assert (".addTo(map_" in html) != hidden  # each shown layer added to the map
