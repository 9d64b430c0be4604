"""The folium maps, asserted as rendered HTML fragments (as geopandas' explore tests do)."""

import copy
import json
import re

import pytest
from streamlit_folium import _get_feature_group_string, _get_map_string

from kommunkarta import geo, selection
from kommunkarta.loader import load_dataset
from kommunkarta.outputs import leaflet_assets, maps

from .conftest import edit_rows


def unescaped(html: str) -> str:
    """The page with folium's JSON escapes (\\u00e4, \\u003c) turned back into characters."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)


def rendered(element) -> str:
    return unescaped(element.get_root().render())


def compact(html: str) -> str:
    return "".join(html.split())


@pytest.fixture(scope="module")
def properties(dataset, table):
    return maps.kommun_properties(table, dataset.population)


@pytest.fixture(scope="module")
def base_html(dataset, properties):
    return rendered(maps.base_map(properties, dataset.networks))


def painted(html: str) -> list[tuple[list[str], dict]]:
    """The kommuner each paint of the map's script asks for, by code, with their style."""
    return [
        (json.loads(codes), json.loads(style))
        for codes, style in re.findall(r"kk\.paint\([\w]+, (\[[^\]]*\]), (\{[^}]*\})\);", html)
    ]


def published_json(html: str, stem: str, variable: str):
    """The data that a published script of the map (named in its <script src>) assigns
    to ``variable`` (a regular expression)."""
    (url,) = set(re.findall(rf'src="(/app/static/kk/{stem}-[0-9a-f]+\.js)"', html))
    script = leaflet_assets.published_content(url).decode()
    value = re.search(rf"\n\s*{variable} = (.*);\n", script).group(1)
    quoted = re.fullmatch(r"JSON\.parse\('(.*)'\)", value)
    if quoted:  # a JavaScript string: \\ \' \n stand for \ ' and a line break
        value = re.sub(r"\\(.)", lambda m: {"n": "\n"}.get(m.group(1), m.group(1)), quoted.group(1))
    return json.loads(value)


def test_base_map_draws_all_290_kommuner_with_codes_and_tooltips(base_html):
    shapes = published_json(base_html, "kommuner", r"kk\.kommuner")
    assert sorted(shapes) == sorted(geo.kommuner()["kommun_kod"]) and len(shapes) == 290
    assert {g["type"] for g in shapes.values()} <= {"Polygon", "MultiPolygon"}
    props = published_json(base_html, "kommun-info", r'kk\.props\["[0-9a-f]+"\]')
    assert len(props) == 290
    namn, lan, befolkning, natverk, _projekt = props["2584"]
    assert namn == "Kiruna" and lan == "Norrbottens län"
    assert befolkning == "22\u00a0402"
    assert "Tornedalsrådet" in natverk
    assert "kk.features(null, {fields: " in base_html  # all kommuner, with their tooltip fields
    assert '["Kommun","Län","Folkmängd2025","Nätverk","Projekt"]' in compact(base_html)


def test_base_map_requests_nothing_from_other_hosts(base_html):
    resources = re.findall(r'(?:src|href)="([^"]+)"', base_html)
    assert resources, "the map should load Leaflet from somewhere"
    assert all(url.startswith("/app/static/vendor/leaflet-") for url in resources[:2]), resources
    # the shapes and the tooltips: the app's own static files, named by their content
    assert [re.sub(r"-[0-9a-f]{16}\.js$", "", url) for url in resources[2:]] == [
        "/app/static/kk/kommuner",
        "/app/static/kk/kommun-info",
    ]
    assert not re.search(r"https?://(?!www\.w3\.org)", base_html.replace("http://www.w3.org", ""))


def test_openstreetmap_tiles_only_when_asked(dataset, properties):
    assert "tile.openstreetmap.org" not in rendered(maps.base_map(properties, dataset.networks))
    assert "tile.openstreetmap.org" in rendered(maps.base_map(properties, dataset.networks, tiles="osm"))


def test_legend_lists_every_network_and_the_line_styles(dataset, base_html):
    for short_name in dataset.networks["short_name"]:
        assert short_name in base_html
    assert "I flera nätverk" in base_html and "Sannolik eller obekräftad" in base_html
    for label in ("2 nätverk", "3–4 nätverk", "5+ nätverk"):
        assert label in base_html
    assert "imperial: false" in base_html


def test_legend_stands_beside_sweden_not_on_it(base_html):
    """The legend is at the top right, and the map is fitted to Sweden in the room left
    of it (the browser test checks the drawn result)."""
    html = compact(base_html)
    assert 'L.control({position:"topright"})' in html
    padding = f'"paddingBottomRight":[{maps.LEGEND_WIDTH[False] + maps.LEGEND_MARGIN},0]'
    assert padding in html and f"width:{maps.LEGEND_WIDTH[False]}px" in html


def test_every_fill_of_the_overview_is_a_legend_entry_and_opaque(dataset, table, base_html):
    """No blended fills: every fill colour in the network layers is one the legend shows,
    and every fill is opaque, so that stacked fills cannot mix into a colour of their own."""
    layers = maps.network_layers(selection.apply_filters(table, selection.Filters()), dataset.networks)
    html = compact("".join(_get_feature_group_string(copy.deepcopy(layer), maps.folium.Map(), 0) for layer in layers))
    fills = set(re.findall(r'"fillColor":"(#[0-9A-Fa-f]{6})"', html))
    legend = set(re.findall(r"background:(#[0-9A-Fa-f]{6})", compact(base_html)))
    assert fills and fills <= legend, fills - legend
    assert set(re.findall(r'"fillOpacity":([0-9.]+)', html)) == {"1.0"}
    # The kommuner in several networks are filled by their count, not in any network's colour.
    multi = {b[2] for b in maps.MULTI_BANDS}
    assert fills & multi and fills - multi <= set(dataset.networks["color"])


def test_a_kommun_in_several_networks_has_one_dot_per_network(dataset, table):
    """Kiruna (2584) is in the four Tornedalen collaborations and more: one dot each, in
    the network's colour, side by side; its fill is the grey of its count."""
    part = table[(table["kommun_kod"] == "2584") & table["takes_part"]]
    expected = set(part["network_id"])
    assert len(expected) >= 4
    layers = maps.network_layers(selection.apply_filters(table, selection.Filters()), dataset.networks)
    by_name = {layer.layer_name: layer for layer in layers}
    lat, lon = maps._centres()["2584"]
    found, anchors = set(), set()
    for network in dataset.networks.itertuples():
        layer = by_name.get(network.short_name)
        if layer is None:
            continue
        html = compact(_get_feature_group_string(copy.deepcopy(layer), maps.folium.Map(), 0))
        for color, dots in re.findall(r'kk\.dots\(\w+,"([^"]+)",\d+,(\[\[.*?\]\])\);', html):
            for dot_lat, dot_lon, anchor, stated in json.loads(dots):
                if (dot_lat, dot_lon) == (lat, lon):
                    found.add(network.id)
                    assert color == network.color
                    certain = part.loc[part["network_id"] == network.id, "certainty"].eq("stated").any()
                    assert stated == int(certain)  # filled when stated, a ring otherwise
                    anchors.add(anchor)
    assert found == expected
    assert len(anchors) == len(expected)  # each dot in a place of its own


def test_base_map_is_identical_across_builds(dataset, properties):
    # streamlit-folium remounts the map when this string changes (its component key).
    first = _get_map_string(copy.deepcopy(maps.base_map(properties, dataset.networks)))
    second = _get_map_string(copy.deepcopy(maps.base_map(properties, dataset.networks)))
    assert first == second


def layer_features(layer) -> int:
    html = _get_feature_group_string(copy.deepcopy(layer), maps.folium.Map(), 0)
    return sum(len(codes) for codes, _ in painted(html))


def test_one_layer_per_network_in_the_selection(dataset, table):
    layers = maps.network_layers(selection.apply_filters(table, selection.Filters()), dataset.networks)
    names = [layer.layer_name for layer in layers]
    assert names == ["Två eller fler nätverk", *dataset.networks["short_name"]]
    by_name = dict(zip(names, layers))
    # Filled: the members in no other network; outlined: Skellefteå as planned host.
    swedish = table[(table["country"] == "SE") & table["takes_part"]]
    networks_of = swedish.groupby("kommun_kod")["network_id"].nunique()
    members = set(swedish.loc[swedish["network_id"] == "industrikommuner", "kommun_kod"])
    only_here = {k for k in members if networks_of[k] == 1}
    assert 0 < len(only_here) < 19
    assert layer_features(by_name["Starka industrikommuner"]) == len(only_here) + 1
    # The four Swedish members are also in other networks: dots, not fills.
    assert layer_features(by_name["Tornedalsrådet"]) == 0
    assert layer_features(by_name["Två eller fler nätverk"]) == 19


def test_layers_follow_the_filters(dataset, table):
    filtered = selection.apply_filters(
        table, selection.Filters(lan=("25",), networks=("tornedalsradet", "filmpool_nord"))
    )
    layers = maps.network_layers(filtered, dataset.networks)
    assert [layer.layer_name for layer in layers] == ["Två eller fler nätverk", "Tornedalsrådet", "Filmpool Nord"]
    assert layer_features(layers[0]) == 4  # the four Tornedal kommuner are in both


def test_relations_that_are_not_membership_are_drawn_as_outlines(dataset, table):
    filtered = selection.apply_filters(table, selection.Filters(networks=("dalalab_stora_etableringar",)))
    (layer,) = maps.network_layers(filtered, dataset.networks)
    html = compact(_get_feature_group_string(copy.deepcopy(layer), maps.folium.Map(), 0))
    assert '"dashArray":"25"' in html and '"fill":false' in html  # invited and examples
    assert '"fillOpacity":1.0' not in html  # no participant


def test_text_from_data_is_escaped_in_the_map(data_copy):
    def inject(rows):
        rows[0]["name"] = rows[0]["short_name"] = "<script>alert(1)</script>"

    edit_rows(data_copy / "networks.csv", inject)
    dataset = load_dataset(data_copy)
    table = selection.membership_table(dataset)
    html = rendered(maps.base_map(maps.kommun_properties(table, dataset.population), dataset.networks))
    layers = maps.network_layers(selection.apply_filters(table, selection.Filters()), dataset.networks)
    layer_html = unescaped(_get_feature_group_string(copy.deepcopy(layers[0]), maps.folium.Map(), 0))
    (url,) = re.findall(r'src="(/app/static/kk/kommun-info-[0-9a-f]+\.js)"', html)
    tooltips = unescaped(leaflet_assets.published_content(url).decode())
    assert "<script>alert(1)" not in html and "<script>alert(1)" not in layer_html
    assert "<script>alert(1)" not in tooltips and "</script" not in tooltips
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # legend
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tooltips  # tooltips show it as text


def test_map_labels_follow_the_language_but_names_stay_as_written(dataset, table):
    properties = maps.kommun_properties(table, dataset.population, "en")
    html = compact(rendered(maps.base_map(properties, dataset.networks, lang="en")))
    assert '["Kommun","County","Population2025","Networks","Projects"]' in html
    assert "Inseveralnetworks" in html and "Ifleranätverk" not in html
    assert "Tornedalsrådet" in html  # a name from the data is not translated
    dalalab = properties.set_index("kommun_kod").loc["2081", "natverk"]  # Borlänge
    assert "(likely)" not in dalalab  # invited only: not taking part
    mora = properties.set_index("kommun_kod").loc["2062", "natverk"]
    assert "15 kommuner arbetar för bättre service i landsbygder (2022–2024)" in mora


def test_background_is_none_osm_or_a_tile_server_of_ones_own(dataset, properties, monkeypatch):
    from kommunkarta import settings

    monkeypatch.delenv("KOMMUNKARTA_TILES_URL", raising=False)
    assert settings.custom_tiles() is None
    monkeypatch.setenv("KOMMUNKARTA_TILES_URL", "https://karta.ljusdal.se/tiles/{z}/{x}/{y}.png")
    monkeypatch.setenv("KOMMUNKARTA_TILES_ATTRIBUTION", "© Ljusdals kommun")
    own = settings.custom_tiles()
    html = rendered(maps.base_map(properties, dataset.networks, tiles=own))
    assert "https://karta.ljusdal.se/tiles/{z}/{x}/{y}.png" in html and "© Ljusdals kommun" in html
    monkeypatch.setenv("KOMMUNKARTA_TILES_URL", "https://karta.ljusdal.se/tiles.png")
    with pytest.raises(ValueError, match="must hold"):
        settings.custom_tiles()


def test_a_projector_gets_a_larger_legend(dataset, properties):
    assert "font:17px" in rendered(maps.base_map(properties, dataset.networks, large=True))
    assert "font:12px" in rendered(maps.base_map(properties, dataset.networks))


def test_many_national_networks_are_drawn_as_counts_not_a_layer_each(table):
    """40 networks of 250 kommuner each (10 000 pairs) would be a layer each and 7 MB
    on every filter change; the map shows the number of networks per kommun instead."""
    import folium
    import pandas as pd

    template = table[(table["country"] == "SE") & table["takes_part"]].iloc[0]
    codes = sorted(maps.kommun_properties(table, pd.DataFrame({"kommun_kod": [], "population": []}))["kommun_kod"])[
        :250
    ]
    many = pd.DataFrame(
        [{**template, "network_id": f"n{i:02d}", "kommun_kod": code} for i in range(40) for code in codes]
    )
    networks = pd.DataFrame(
        {"id": [f"n{i:02d}" for i in range(40)], "short_name": [f"N{i}" for i in range(40)], "color": ["#000000"] * 40}
    )
    assert maps.too_many_for_layers(many) and not maps.too_many_for_layers(table)
    [layer] = maps.network_layers(many, networks)
    assert layer.layer_name == "Antal nätverk per kommun"
    m = folium.Map()
    layer.add_to(m)
    html = m.get_root().render()
    assert len(html) < 1_000_000
    codes = [code for paint_codes, _ in painted(html) for code in paint_codes]
    assert len(codes) == len(set(codes)) == 250  # each kommun once, in the band of its count
    assert maps.COUNT_BANDS[-1][2] in html  # 40 networks: the darkest band
    # The tooltip names ten networks and counts the rest.
    names = pd.DataFrame({"kommun_kod": codes, "population": 1000})
    tooltip = (
        maps.kommun_properties(many.assign(network_name=many["network_id"]), names)
        .set_index("kommun_kod")
        .loc[codes[0], "natverk"]
    )
    assert tooltip.count("<br>") == 10 and tooltip.endswith("… och 30 till (se kommunprofilen)")


def test_maps_tell_their_bounds_without_walking_every_coordinate(table, dataset, monkeypatch):
    """streamlit-folium asks for the bounds on every rerun; the fitted bounds answer."""
    import folium.features

    m = maps.base_map(maps.kommun_properties(table, dataset.population), dataset.networks)

    def walk(*_args, **_kwargs):
        raise AssertionError("walked the coordinates")

    monkeypatch.setattr(folium.features, "get_bounds", walk)
    assert m.get_bounds() == maps.SWEDEN_FIT
    outline = maps.outline_map(("2584",))
    south, north = outline.get_bounds()[0][0], outline.get_bounds()[1][0]
    assert 67 < south < north < 69.1  # Kiruna


def test_a_rendered_map_is_not_rendered_again(dataset, properties, monkeypatch):
    """streamlit-folium renders the map on every rerun even with render=False; a map
    already rendered into its figure keeps what it has instead of rendering every shape
    layer's script again."""
    import folium

    m = maps.base_map(properties, dataset.networks)
    first = m.get_root().render()
    calls = []
    original = folium.GeoJson.render
    monkeypatch.setattr(folium.GeoJson, "render", lambda self, **kw: (calls.append(1), original(self, **kw))[1])
    m.render()
    assert calls == []
    assert m.get_root().render() == first


def test_published_scripts_are_named_by_content_and_served_beside_leaflet(tmp_path):
    import hashlib
    import time

    url = leaflet_assets.publish("probe", "var probe = 1;\n")
    name = url.rsplit("/", 1)[1]
    assert url.startswith("/app/static/kk/")
    assert name == "probe-" + hashlib.sha256(b"var probe = 1;\n").hexdigest()[:16] + ".js"
    leaflet_assets.ensure_static_assets(tmp_path)  # published before: written now
    written = tmp_path / "kk" / name
    assert written.read_text() == "var probe = 1;\n"
    assert written.stat().st_mtime < time.time() - 20 * 365 * 86400  # a browser keeps it fresh
    other = leaflet_assets.publish("probe", "var probe = 2;\n")  # published after: written at once
    assert other != url and (tmp_path / "kk" / other.rsplit("/", 1)[1]).read_text() == "var probe = 2;\n"
    assert leaflet_assets.published_content(other) == b"var probe = 2;\n"
