"""Reading back what maps draw as point_layers.PointLayer: its styles and rows, from the
script streamlit-folium sends or a rendered page."""

from __future__ import annotations

import json
import re

_CALL = re.compile(r"\}\)\((\w+), (\[.*?\]), (\[.*?\])\);\n", re.S)


def drawn_points(script: str) -> list[tuple[str, list[dict], list[list]]]:
    """Every PointLayer in ``script``: (parent layer's variable, styles, rows), each row
    [lat, lon, style index, tooltip text], read as the browser reads them (JSON)."""
    return [(parent, json.loads(styles), json.loads(rows)) for parent, styles, rows in _CALL.findall(script)]
