"""Many points on a folium map as one compact element (issue 22).

A folium GeoJSON layer writes every point as a Feature object ({"type": "Feature",
"properties": ..., "geometry": {"type": "Point", "coordinates": ...}}) with its tooltip's
properties, and branca compiles every element's rendered script as a Jinja template: for
the service page's 5 000 squares, 2 000 places and 1 000 shops that was about half a
second per map and 1.3 MB on the wire. :class:`PointLayer` carries the points as one
array, ``[lat, lon, style, text]`` per point with the coordinates rounded to
``DECIMALS`` places, the styles once, and a few lines of script that draw an
``L.circleMarker`` per row with its style and bind one tooltip to the group (as folium's
GeoJsonTooltip does: sticky, class ``foliumtooltip``, the text in a one-cell table).

Every tooltip text passes through ``maps.map_text`` (HTML-escaped, template literal
characters as references) before it reaches the element, and the array is written so
that nothing in it can end the script, start HTML or open a Jinja tag.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement, Template

from .folium_tree import render_macros

DECIMALS = 4  # about 10 m: finer than a shop's or a place's coordinate is worth

# Characters written as JSON escapes: "<" and ">" (no "</script>", no HTML), "&" and "'"
# (as Jinja's tojson does), and in the texts "{" and "}": no Jinja delimiter (branca
# compiles a rendered element's script as a template) and no "{{'name'}}", which
# streamlit-folium turns into a variable reference in every layer's script.
_HTML = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"))
_BRACES = (("{", "\\u007b"), ("}", "\\u007d"))


def _escaped(text: str, escapes) -> str:
    for character, escape in escapes:  # str.replace: far faster than str.translate
        text = text.replace(character, escape)
    return text


def script_array(rows: list) -> str:
    """``rows`` (lists of numbers and strings, no objects: every brace is in a string)
    as JSON for a script."""
    return _escaped(json.dumps(rows, ensure_ascii=False, separators=(",", ":")), _HTML + _BRACES)


def script_styles(styles: list[dict]) -> str:
    """Marker options (our own: names, colours and numbers) as JSON for a script."""
    text = _escaped(json.dumps(styles, sort_keys=True, separators=(",", ":")), _HTML)
    assert "{{" not in text and "{%" not in text and "{#" not in text, "a style holds a Jinja delimiter"
    return text


def marker_options(style: dict) -> dict:
    """The options folium.CircleMarker(**style) gives Leaflet (its defaults filled in),
    without the unset ones."""
    return {k: v for k, v in folium.CircleMarker(**style).options.items() if v is not None}


class PointLayer(MacroElement):
    """Points drawn as circle markers on the parent layer, each with a tooltip.

    ``parts``: (rows, style) pairs, drawn in their order (later parts on top); rows have
    ``lat``, ``lon`` and ``text`` (the tooltip, already made safe by ``maps.map_text``);
    a style is what folium.CircleMarker takes (radius, color, fillColor, ...)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (parent, styles, rows) {
  var group = L.featureGroup();
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i], marker = L.circleMarker([r[0], r[1]], styles[r[2]]);
    marker.kkText = r[3];
    group.addLayer(marker);
  }
  group.bindTooltip(function (layer) {
    return "<table><tr><td>" + layer.kkText + "</td></tr></table>";
  }, {sticky: true, className: "foliumtooltip"});
  group.addTo(parent);
})({{ this._parent.get_name() }}, {{ this.styles_json }}, {{ this.rows_json }});
{% endmacro %}"""
    )

    def __init__(self, parts: Iterable[tuple[pd.DataFrame, dict]]):
        super().__init__()
        self._name = "PointLayer"
        styles: list[dict] = []
        rows: list[list] = []
        for frame, style in parts:
            if not len(frame):
                continue
            styles.append(marker_options(style))
            rows += point_rows(frame, len(styles) - 1)
        self.styles = styles
        self.rows = rows
        self.styles_json = script_styles(styles)
        self.rows_json = script_array(rows)

    def render(self, **kwargs):
        """Into the figure as text: branca would compile the script, array and all, as a
        Jinja template."""
        render_macros(self, kwargs)


def point_rows(frame: pd.DataFrame, style: int) -> list[list]:
    """[lat, lon, style, text] per row of ``frame`` (lat, lon, text)."""
    lat = np.round(frame["lat"].to_numpy(dtype=float), DECIMALS).tolist()
    lon = np.round(frame["lon"].to_numpy(dtype=float), DECIMALS).tolist()
    return [[a, o, style, t] for a, o, t in zip(lat, lon, frame["text"].tolist())]
