"""SCB's open WFS (GeoServer, WFS 2.0) through the one client: a population grid layer,
page by page, checked and cached.

GeoServer's paging, as documented: ``count`` and ``startIndex`` page through a layer, but
only in a stable order, so ``sortBy`` is sent (GeoServer refuses ``startIndex`` on a
layer without a primary key: "Cannot do natural order without a primary key"). A page
may hold fewer features than asked (a server-side cap), so paging goes on from where
the last page ended: up to ``numberMatched`` when the server states it, else until an
empty page. Pages, features and bytes are capped (bytes by the grid reader's own limit,
``limits.GRID_FILE_BYTES``), and the whole fetch has one deadline. An error answer is an
OGC exception report, whose text is shown.

Every feature is checked before anything is kept: a geometry with finite coordinates.
Coordinates given north first (a server or proxy that follows EPSG's axis order for
SWEREF 99 TM) are turned east first, as the grid's CSV reader does, instead of leaving
every square "outside Sweden".
"""

from __future__ import annotations

import hashlib
import json
import math
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from .. import limits, paths
from . import client
from .client import Deadline, FetchError

SERVICE = "scb_wfs"
GRID_LAYER = "stat:befolkning_1km_2025"
SORT_BY = "rutid_scb"
PAGE_SIZE = 20_000
MAX_FEATURES = limits.WFS_FEATURES
MAX_PAGES = limits.FETCH_PAGES
DEADLINE_S = 900.0
# SWEREF 99 TM over Sweden: east 180–1 000 km, north 6 050–7 750 km.
EAST = (150_000.0, 1_050_000.0)
NORTH = (6_000_000.0, 7_800_000.0)


def wfs_cache_file(type_name: str, endpoint: str) -> Path:
    key = hashlib.sha256(f"{endpoint}|{type_name}".encode()).hexdigest()[:16]
    return paths.cache_dir() / f"scb-wfs-{key}.geojson"


def wfs_url(endpoint: str, type_name: str, start: int, count: int, sort_by: str | None = SORT_BY) -> str:
    query = {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeNames": type_name,
        "outputFormat": "application/json",
        "srsName": "EPSG:3006",
        "count": count,
        "startIndex": start,
    }
    if sort_by:
        query["sortBy"] = f"{sort_by} ASC"
    return f"{endpoint}?{urllib.parse.urlencode(query)}"


def fetch_wfs(
    type_name: str = GRID_LAYER,
    endpoint: str | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    use_cache: bool = True,
    page_size: int = PAGE_SIZE,
    max_features: int = MAX_FEATURES,
    max_bytes: int = limits.GRID_FILE_BYTES,
    max_pages: int = MAX_PAGES,
    sort_by: str | None = SORT_BY,
    deadline_s: float = DEADLINE_S,
    backoff_s: float = 5.0,
) -> Path:
    """Fetch every feature of a WFS layer and return the path of the cached GeoJSON
    (SWEREF 99 TM, east first). ``progress(features so far, features in all or None)``
    after every page. Raises ``FetchError``: over ``max_features`` (stated or counted),
    ``max_pages``, ``max_bytes`` or the deadline, nothing is kept."""
    endpoint = endpoint or client.endpoint(SERVICE)
    target = wfs_cache_file(type_name, endpoint)
    if use_cache and client.read_cache(target, _cached_ok) is not None:
        return target
    where = client.host(endpoint)
    deadline = Deadline(deadline_s)
    features: list = []
    matched: int | None = None
    received = pages = swapped = 0
    start = 0
    while True:
        if pages >= max_pages:
            raise FetchError(
                "page_cap", SERVICE, host=where, pages=max_pages, features=len(features), matched=matched or "?"
            )
        url = wfs_url(endpoint, type_name, start, page_size, sort_by)
        body = client.request(
            url, service=SERVICE, deadline=deadline, max_bytes=max_bytes - received, backoff_s=backoff_s
        )
        received += len(body)
        pages += 1
        if body.lstrip()[:1] == b"<":  # an exception report with status 200
            raise FetchError("service_error", SERVICE, host=where, status=200, detail=client.explain(body))
        page = client.parse_json(body, SERVICE, url)
        batch = page.get("features") if isinstance(page, dict) else None
        if not isinstance(batch, list):
            raise FetchError("bad_answer", SERVICE, host=where, detail="no list of 'features' (not GeoJSON)")
        stated = page.get("numberMatched")
        if isinstance(stated, int) and not isinstance(stated, bool):
            matched = stated
            if matched > max_features:
                raise FetchError("feature_cap", SERVICE, host=where, features=matched, limit=max_features)
        swapped += _check_page(batch, len(features), where)
        features += batch
        if len(features) > max_features:
            raise FetchError("feature_cap", SERVICE, host=where, features=len(features), limit=max_features)
        if progress:
            progress(len(features), matched)
        start += len(batch)
        # A page may hold fewer than asked (GeoServer caps a page): ask on from where it
        # stopped, up to the stated total, or until an empty page.
        if not batch or (matched is not None and start >= matched):
            break
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        "features": features,
        "kommunkarta": {"endpoint": endpoint, "layer": type_name, "pages": pages, "axes_swapped": swapped},
    }
    data = json.dumps(collection, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return client.atomic_write(target, data, SERVICE)


def _check_page(batch: list, before: int, where: str) -> int:
    """Check every feature (a geometry of finite coordinates); turn north-first ones east
    first. Returns how many were turned."""
    swapped = 0
    for n, feature in enumerate(batch, start=before + 1):
        label = f"feature {n}"
        if not isinstance(feature, dict):
            raise FetchError("bad_answer", SERVICE, host=where, detail=f"{label} is not an object")
        label = f"feature {n} ({str(feature.get('id', '?'))[:60]})"
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or not geometry.get("coordinates"):
            raise FetchError("bad_answer", SERVICE, host=where, detail=f"{label} has no geometry")
        pairs = list(_pairs(geometry["coordinates"], label, where))
        if not pairs:
            raise FetchError("bad_answer", SERVICE, host=where, detail=f"{label} has no coordinates")
        x, y = pairs[0]
        if not _east_north(x, y) and _east_north(y, x):
            geometry["coordinates"] = _swap(geometry["coordinates"])
            swapped += 1
    return swapped


def _pairs(coordinates, label: str, where: str, depth: int = 0):
    if depth > 4 or not isinstance(coordinates, list):
        raise FetchError("bad_answer", SERVICE, host=where, detail=f"{label}: coordinates are not nested lists")
    if coordinates and not isinstance(coordinates[0], list):
        if len(coordinates) < 2 or not all(_finite(v) for v in coordinates):
            raise FetchError(
                "bad_answer", SERVICE, host=where, detail=f"{label}: {str(coordinates)[:60]} is no position"
            )
        yield float(coordinates[0]), float(coordinates[1])
        return
    for part in coordinates:
        yield from _pairs(part, label, where, depth + 1)


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _east_north(x: float, y: float) -> bool:
    return EAST[0] <= x <= EAST[1] and NORTH[0] <= y <= NORTH[1]


def _swap(coordinates):
    if coordinates and not isinstance(coordinates[0], list):
        return [coordinates[1], coordinates[0], *coordinates[2:]]
    return [_swap(part) for part in coordinates]


def _cached_ok(raw: bytes) -> bool:
    collection = json.loads(raw.decode("utf-8"), parse_constant=client.reject_constant)
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        raise ValueError("not a feature collection")
    if "kommunkarta" not in collection:
        raise ValueError("not written by this fetch")
    _check_page(collection["features"], 0, "cache")
    return True
