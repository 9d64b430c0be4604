"""The roads of an area from OpenStreetMap through Overpass, on a click: the query, the area
of a few kommuner, and the fetch in tiles (``web.overpass``), stored as an imported file is."""

from __future__ import annotations

import hashlib

from ... import paths
from ...web import overpass as web_overpass
from .readers import Progress
from .storage import RoadInfo, import_file
from .tags import CLASSES

OVERPASS_HIGHWAYS = "|".join(c for c in CLASSES if c != "ferry" and not c.endswith("_link"))
OVERPASS_TIMEOUT_S = 180  # one tile's [timeout:]; the client waits longer


def overpass_query(bbox: tuple[float, float, float, float], timeout_s: int = OVERPASS_TIMEOUT_S) -> str:
    """Overpass QL for the car roads and ferries in ``bbox`` (west, south, east, north, degrees):
    the ways with their tags and node lists, then their nodes compactly (``out skel qt``: id
    and position only). What ``import_file`` reads from an Overpass JSON answer."""
    west, south, east, north = bbox
    box = f"({south:.5f},{west:.5f},{north:.5f},{east:.5f})"
    return (
        f"[out:json][timeout:{timeout_s}];"
        f'(way["highway"~"^({OVERPASS_HIGHWAYS})(_link)?$"]{box};way["route"="ferry"]{box};)->.w;'
        ".w out body qt;node(w.w);out skel qt;"
    )


def kommun_bbox(kommun_kods, margin_km: float = 30.0) -> tuple[float, float, float, float]:
    """The kommuner's bounding box widened by ``margin_km``, so that a shop across the border counts."""
    from ... import geo

    shapes = geo.kommuner()
    shapes = shapes[shapes["kommun_kod"].isin(set(kommun_kods))].to_crs(geo.SWEREF99TM)
    if shapes.empty:
        raise KeyError(f"inga kända kommuner bland {list(kommun_kods)}")
    west, south, east, north = shapes.total_bounds
    m = margin_km * 1000
    lon, lat = _to_wgs84().transform([west - m, east + m], [south - m, north + m])
    return float(lon[0]), float(lat[0]), float(lon[1]), float(lat[1])


def _to_wgs84():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


def fetch_roads(
    bbox, title: str, endpoint: str | None = None, progress: Progress | None = None, **fetch_options
) -> RoadInfo:
    """Fetch the roads of ``bbox`` from OpenStreetMap and store them: one Overpass query per
    tile of at most 50 × 50 km, each answer checked; nothing is kept or stored until every
    tile arrived (the merged answer is cached). Raises ``web.client.FetchError`` saying what
    happened. ``fetch_options`` go to ``web.overpass.fetch_road_tiles`` (deadline, caps)."""
    key = hashlib.sha256(f"{overpass_query((0, 0, 1, 1))}|{[round(v, 5) for v in bbox]}".encode()).hexdigest()[:16]
    path = web_overpass.fetch_road_tiles(
        tuple(bbox),
        overpass_query,
        paths.cache_dir() / f"osm-roads-{key}.json",
        url=endpoint,
        progress=progress,
        **fetch_options,
    )
    return import_file(path, title, progress)
