"""Maps of a Kolada figure: every kommun classed by its value (quantile classes, a
legend with each class's range, kommuner without a value in grey) and the group's
kommuner outlined. The static map uses static_maps' canvas, borders, zoom and finish;
the interactive one maps.py's outlines, legend placement and escaping."""

from __future__ import annotations

import itertools

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .. import geo
from ..format import swedish_decimal
from ..i18n import t
from . import maps, static_maps
from .leaflet_assets import localise

# ColorBrewer YlGnBu, 5 classes: ordered, safe for every kind of colour vision.
CLASS_COLORS = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
NO_VALUE = "#dddddd"
OUTLINE = "#d81b60"


def classes(values: pd.Series, count: int = 5) -> list[tuple[float, float]]:
    """Quantile classes of the values there are: (low, high) each, lowest first."""
    known = values.dropna()
    if known.empty:
        return []
    edges = np.unique(np.quantile(known, np.linspace(0, 1, count + 1)))
    if len(edges) == 1:
        return [(float(edges[0]), float(edges[0]))]
    return [(float(a), float(b)) for a, b in itertools.pairwise(edges)]


def class_of(value: float, bounds: list[tuple[float, float]]) -> int | None:
    if value is None or value != value or not bounds:
        return None
    for i, (_, high) in enumerate(bounds):
        if value <= high:
            return i
    return len(bounds) - 1


def _class_label(low: float, high: float) -> str:
    return f"{swedish_decimal(low, 1)} – {swedish_decimal(high, 1)}"


def classed(view) -> tuple[pd.DataFrame, list[tuple[float, float]]]:
    """Every kommun with its class (None: no value) and the classes' bounds."""
    kommuner = view.kommuner
    bounds = classes(kommuner["value"])
    cls = [class_of(v, bounds) for v in kommuner["value"]]
    return kommuner.assign(cls=cls), bounds


def kolada_map_figure(view, lang: str = "sv") -> Figure:
    kommuner, bounds = classed(view)
    kom = geo.kommuner().to_crs(geo.SWEREF99TM)[["kommun_kod", "geometry"]].merge(kommuner, on="kommun_kod")
    fig, ax = static_maps._canvas()
    legend = []
    colors = CLASS_COLORS[-len(bounds) :] if bounds else []
    for i, (low, high) in enumerate(bounds):
        part = kom[kom["cls"] == i]
        if len(part):
            part.plot(ax=ax, color=colors[i], edgecolor="white", linewidth=0.2)
        legend.append(Patch(facecolor=colors[i], edgecolor="#888888", label=_class_label(low, high)))
    none = kom[kom["cls"].isna()]
    if len(none):
        none.plot(ax=ax, color=NO_VALUE, edgecolor="white", linewidth=0.2)
        legend.append(Patch(facecolor=NO_VALUE, label=t("fig_map_no_value", lang)))
    static_maps._lan_borders(ax)
    members = kom[kom["member"]]
    if len(members):
        members.boundary.plot(ax=ax, color=OUTLINE, linewidth=1.4)
        legend.append(Patch(facecolor="none", edgecolor=OUTLINE, linewidth=1.4, label=view.query.label))
    static_maps._zoom(ax, kom, [])
    title = f"{view.kpi.title} {view.map_year}"
    static_maps._finish(fig, ax, title[:90], legend, sources=[view.source_line(lang).split(": ", 1)[-1]], lang=lang)
    return fig


def kolada_map(view, lang: str = "sv") -> folium.Map:
    """The interactive map: every kommun filled by its class, with its name and value in
    the tooltip; the group's kommuner outlined; a legend of the classes."""
    kommuner, bounds = classed(view)
    colors = CLASS_COLORS[-len(bounds) :] if bounds else []
    shapes = geo.kommuner()[["kommun_kod", "geometry"]].merge(kommuner, on="kommun_kod")
    shapes = shapes.assign(
        namn=shapes["kommun"].map(maps.map_text),
        varde=[maps.map_text(swedish_decimal(v, 1)) if v == v else "–" for v in shapes["value"]],
        fill=[colors[int(c)] if c == c and c is not None else NO_VALUE for c in shapes["cls"]],
    )
    m = maps.FittedMap(tiles=None, zoom_snap=0.25, keyboard=False)
    folium.GeoJson(
        maps._geojson(shapes, ["kommun_kod", "namn", "varde", "fill"]),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 1.0,
            "color": "#ffffff",
            "weight": 0.5,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["namn", "varde"],
            aliases=[maps.map_text(t("map_kommun", lang)), maps.map_text(f"{view.kpi.id} {view.map_year}")],
        ),
        control=False,
    ).add_to(m)
    members = kommuner.loc[kommuner["member"], "kommun_kod"]
    if len(members):
        maps._paint(members, {"fill": False, "color": OUTLINE, "weight": 2.5}).add_to(m)
    rows = "".join(
        f'<div class="kk-row"><span class="kk-swatch" style="background:{c}"></span>{maps.map_text(_class_label(lo, hi))}</div>'
        for c, (lo, hi) in zip(colors, bounds, strict=True)
    )
    rows += f'<div class="kk-row"><span class="kk-swatch" style="background:{NO_VALUE}"></span>{maps.map_text(t("fig_map_no_value", lang))}</div>'
    rows += f'<div class="kk-row"><span class="kk-swatch" style="border:2px solid {OUTLINE}"></span>{maps.map_text(view.query.label)}</div>'
    legend = _ClassLegend(f"{view.kpi.id} {view.kpi.title} {view.map_year}", rows, view.source_line(lang))
    legend.add_to(m)
    maps.fit_beside_legend(m, maps.SWEDEN_FIT)
    return localise(m)


class _ClassLegend(maps.Legend):
    """A legend of classes in the place and style of the network maps' legend."""

    def __init__(self, title: str, rows: str, source: str):
        MacroElement.__init__(self)
        self._name = "Legend"
        self.html = (
            '<details open style="background:rgba(255,255,255,0.96);padding:6px 9px;border-radius:4px;'
            f"font:12px/1.3 sans-serif;width:{maps.LEGEND_WIDTH[False]}px;box-sizing:border-box;"
            'box-shadow:0 1px 4px rgba(0,0,0,.3)">'
            f"<summary><b>{maps.map_text(title)}</b></summary>{rows}"
            f'<div style="margin-top:4px;color:#444">{maps.map_text(source)}</div>'
            "<style>.kk-row{display:flex;align-items:center;gap:6px;margin:2px 0}"
            ".kk-swatch{display:inline-block;width:14px;height:14px;flex:none;box-sizing:border-box;border:1px solid #444}"
            "</style></details>"
        )
