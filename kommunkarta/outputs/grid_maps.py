"""The grid map (issue 21, section 4): every populated square coloured by its distance
class, drawn as one image overlay (service.grid_map renders it in Web Mercator) over the
län borders, with a legend of the classes. The same map serves the service page, the
presentation mode and the offline HTML export (the image is inlined as a data URL)."""

from __future__ import annotations

import folium
from branca.element import MacroElement

from .. import geo
from ..i18n import t
from ..service import grid_map
from .leaflet_assets import localise
from .maps import FittedMap, Legend, map_text


class GridLegend(MacroElement):
    """The classes' colours and names, a Leaflet control at the top right."""

    _template = Legend._template

    def __init__(self, labels: list[str], colours: list[str], title: str, large: bool = False):
        super().__init__()
        self._name = "GridLegend"
        items = "".join(
            f'<div class="kk-row"><span class="kk-swatch" style="background:{c}"></span>{map_text(label)}</div>'
            for c, label in zip(colours, labels)
        )
        self.html = (
            '<details open class="kk-grid-legend" style="background:rgba(255,255,255,0.94);padding:6px 9px;'
            f"border-radius:4px;font:{'17px/1.35' if large else '12px/1.3'} sans-serif;width:{260 if large else 210}px;"
            'box-sizing:border-box;box-shadow:0 1px 4px rgba(0,0,0,.3)">'
            f"<summary><b>{map_text(title)}</b></summary>{items}"
            "<style>.kk-row{display:flex;align-items:center;gap:6px;margin:2px 0}"
            ".kk-swatch{display:inline-block;width:14px;height:14px;flex:none;border:1px solid #444}</style></details>"
        )


def legend_rows(measure: str, lang: str = "sv", with_no_connection: bool = False) -> tuple[list[str], list[str]]:
    """The legend's labels and colours of a measure's classes."""
    labels = grid_map.class_labels(measure, lang)
    colours = list(grid_map.colours_of(measure))
    if with_no_connection:
        return [*labels, t("dclass_no_connection", lang)], colours
    return labels, colours[: len(labels)]


def grid_class_map(
    image: grid_map.GridImage,
    measure: str,
    title: str,
    lang: str = "sv",
    with_no_connection: bool = False,
    large: bool = False,
) -> folium.Map:
    """The squares' image over the län borders, fitted to it, with the classes' legend."""
    m = FittedMap(tiles=None, zoom_snap=0.25, keyboard=False)
    borders = geo.lan_borders()
    borders = borders.assign(lan=borders["lan"].map(map_text))
    folium.GeoJson(
        borders[["lan_kod", "lan", "geometry"]].to_json(),
        # Lines only: a filled shape would cover the squares' image below it.
        style_function=lambda _: {"fill": False, "color": "#6f6f6f", "weight": 0.8},
        interactive=False,
        control=False,
        name="lan",
    ).add_to(m)
    folium.raster_layers.ImageOverlay(
        image.data_url,
        bounds=[list(image.bounds[0]), list(image.bounds[1])],
        name=map_text(title),
        opacity=0.9,
        interactive=False,
        zindex=400,
        class_name="kk-grid-overlay",
    ).add_to(m)
    labels, colours = legend_rows(measure, lang, with_no_connection)
    GridLegend(labels, colours, title, large).add_to(m)
    m.fit_bounds([list(image.bounds[0]), list(image.bounds[1])])
    return localise(m)
