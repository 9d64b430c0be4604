"""Distance and drive time along the roads: a car road network, stored, and the nearest service along it.

**Import.** ``import_file`` reads an OpenStreetMap extract (``.osm.pbf``, with pyosmium, in two
streaming passes: first the ways, then the coordinates of only the nodes those ways use, so
memory grows with the road network, not with the file) or a GeoPackage of road lines (for
example a processed NVDB network). It keeps what a car can drive on:

* ``highway`` = motorway, trunk, primary, secondary, tertiary (and their ``*_link``),
  unclassified, residential, living_street and service;
* not when the most specific of ``motorcar``, ``motor_vehicle``, ``vehicle``, ``access`` says
  ``no``, ``private``, ``agricultural`` or ``forestry``;
* ``route=ferry`` ways (unless closed to cars the same way), at ``FERRY_SPEED_KMH`` or, when the
  way has a ``duration`` (``HH:MM``, ``HH:MM:SS`` or minutes), at the speed that duration gives.

Direction: ``oneway`` = yes/true/1 (along the way), -1/reverse (against it), no/false/0 (both);
``highway=motorway`` and ``junction=roundabout|circular`` are one-way unless tagged ``oneway=no``;
other values (``reversible``, ``alternating``) count as two-way.

Speed: ``maxspeed`` as a number (km/h), ``"50 mph"``, ``"50 km/h"``, or an implicit zone of
``ZONE_SPEEDS_KMH`` (``SE:rural`` = 70 …); the first of several (``"50;70"``); anything else
(``signals``, ``none``, ``variable``) gives the default of the road class in ``DEFAULT_SPEEDS_KMH``.
Drive time is length / speed, at the speed limit: no junction delays, so it is a lower bound.

**Graph.** Nodes are the intersections and dead ends; chains of degree-two nodes are contracted
into one edge, except that a chain keeps a node every ``MAX_EDGE_M`` metres so that a place along
a long road snaps to a point on it and not to its far end. Lengths are planar metres in SWEREF 99
TM (EPSG:3006, via pyproj). A network is kept in ``$KOMMUNKARTA_HOME/roads/<id>/``: ``graph.npz``
(nodes: OSM id, lon, lat, x, y; edges: from, to, length, time, one-way, class, ferry) and
``info.json`` (source file, OSM timestamp, bounding box, counts).

**Routing.** Origins and facilities are snapped to the nearest road node (cKDTree); the snap
distance is added as a straight line (driven at ``SNAP_SPEED_KMH`` for drive time) and reported,
and points more than ``FAR_FROM_ROAD_M`` from any road are flagged. All origins are answered by
ONE multi-source Dijkstra (``scipy.sparse.csgraph.dijkstra`` with ``min_only=True``) over the
reversed graph, from one virtual node per facility (its snap as the edge to its road node), so
one-way streets are followed from the origin to the shop. A node no shop can reach has an infinite
distance: "no road connection". The second-nearest shop (vulnerable shops) comes from one more
Dijkstra over the edges inside each shop's catchment, entered across the catchment borders; a
closed shop in a what-if recomputes only its catchment; an added shop only the area it wins.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from .. import distances, paths

ATTRIBUTION = "© OpenStreetMap contributors, ODbL"

# Road classes kept, with the speed (km/h) used when a way has no usable maxspeed. The values
# are the Swedish general limits and typical signed limits per class; they are this project's
# assumption, not a source's.
DEFAULT_SPEEDS_KMH = {
    "motorway": 110.0,
    "trunk": 90.0,
    "primary": 80.0,
    "secondary": 70.0,
    "tertiary": 60.0,
    "unclassified": 50.0,
    "residential": 40.0,
    "motorway_link": 60.0,
    "trunk_link": 50.0,
    "primary_link": 50.0,
    "secondary_link": 50.0,
    "tertiary_link": 40.0,
    "living_street": 7.0,
    "service": 20.0,
    "ferry": 15.0,
}
CLASSES = tuple(DEFAULT_SPEEDS_KMH)
CLASS_CODE = {name: code for code, name in enumerate(CLASSES)}
FERRY_SPEED_KMH = DEFAULT_SPEEDS_KMH["ferry"]
# Implicit maxspeed values (OSM wiki "Default speed limits" for the Nordic countries).
ZONE_SPEEDS_KMH = {
    "SE:urban": 50.0,
    "SE:rural": 70.0,
    "SE:motorway": 110.0,
    "SE:trunk": 90.0,
    "SE:living_street": 7.0,
    "NO:urban": 50.0,
    "NO:rural": 80.0,
    "NO:motorway": 110.0,
    "FI:urban": 50.0,
    "FI:rural": 80.0,
    "FI:motorway": 120.0,
    "DK:urban": 50.0,
    "DK:rural": 80.0,
    "DK:motorway": 130.0,
}
NOT_FOR_CARS = {"no", "private", "agricultural", "forestry", "agricultural;forestry"}
ACCESS_KEYS = ("motorcar", "motor_vehicle", "vehicle", "access")  # most specific first
SNAP_SPEED_KMH = 30.0  # the straight leg between a point and its road node
FAR_FROM_ROAD_M = 2000.0
MAX_EDGE_M = 1000.0
MIN_COMPONENT_M = 500.0  # points snap only to road pieces at least this long (see RoadNetwork.snap)
MEASURES = ("km", "minutes")
MAX_GPKG_FEATURES = 20_000_000

Progress = Callable[[str, int, "int | None"], None]


class RoadImportError(ValueError):
    """A road file that cannot be read: says which file and why."""


# -- tags ------------------------------------------------------------------------------------


def parse_maxspeed(value: str | None) -> float | None:
    """km/h from an OSM maxspeed value, or None when it gives no usable number."""
    if not value:
        return None
    first = value.split(";")[0].strip()
    if first in ZONE_SPEEDS_KMH:
        return ZONE_SPEEDS_KMH[first]
    if first == "walk":
        return 7.0
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?", first)
    if not match:
        return None
    speed = float(match.group(1)) * (1.609344 if match.group(2) == "mph" else 1.0)
    return speed if speed > 0 else None


def parse_duration_s(value: str | None) -> float | None:
    """Seconds from an OSM duration (``HH:MM``, ``HH:MM:SS`` or minutes), else None."""
    if not value:
        return None
    parts = value.strip().split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if len(numbers) == 1:
        seconds = numbers[0] * 60
    elif len(numbers) == 2:
        seconds = numbers[0] * 3600 + numbers[1] * 60
    elif len(numbers) == 3:
        seconds = numbers[0] * 3600 + numbers[1] * 60 + numbers[2]
    else:
        return None
    return seconds if seconds > 0 else None


def parse_oneway(value: str | None, implied: bool = False) -> int:
    """1 along the way, -1 against it, 0 both ways."""
    if value in ("yes", "true", "1"):
        return 1
    if value in ("-1", "reverse"):
        return -1
    if value in ("no", "false", "0"):
        return 0
    return 1 if implied else 0


def classify(get: Callable[[str], str | None]) -> tuple[int, int, float, float] | None:
    """(class code, oneway, speed km/h, duration s or nan) for a way a car can use, else None.
    ``get`` looks up a tag value (``tags.get``)."""
    for key in ACCESS_KEYS:
        value = get(key)
        if value is not None:
            if value in NOT_FOR_CARS:
                return None
            break
    if get("route") == "ferry":
        duration = parse_duration_s(get("duration"))
        return CLASS_CODE["ferry"], parse_oneway(get("oneway")), FERRY_SPEED_KMH, duration if duration else np.nan
    highway = get("highway")
    if highway not in CLASS_CODE or highway == "ferry" or get("area") == "yes":
        return None
    implied = highway == "motorway" or get("junction") in ("roundabout", "circular")
    speed = parse_maxspeed(get("maxspeed")) or DEFAULT_SPEEDS_KMH[highway]
    return CLASS_CODE[highway], parse_oneway(get("oneway"), implied), speed, np.nan


# -- reading ---------------------------------------------------------------------------------


@dataclass
class _Ways:
    """Ways as flat arrays: ``refs[offsets[i]:offsets[i+1]]`` are way i's node keys."""

    offsets: np.ndarray
    refs: np.ndarray
    road_class: np.ndarray
    oneway: np.ndarray
    speed_kmh: np.ndarray
    duration_s: np.ndarray
    node_keys: np.ndarray  # sorted keys of the nodes with a location
    lon: np.ndarray
    lat: np.ndarray
    counts: dict = field(default_factory=dict)
    timestamp: str = ""


def _read_pbf(path: Path, progress: Progress | None) -> _Ways:
    import osmium
    import osmium.filter

    try:
        header = osmium.io.Reader(str(path), osmium.osm.NOTHING).header()
    except RuntimeError as err:
        raise RoadImportError(f"{path.name}: ingen läsbar OSM-fil ({err})") from None
    timestamp = header.get("osmosis_replication_timestamp") or header.get("timestamp") or ""
    from array import array

    refs, offsets = array("q"), array("q", [0])
    classes, oneways, speeds, durations = array("b"), array("b"), array("f"), array("f")
    seen = skipped = 0
    ways = osmium.FileProcessor(str(path), osmium.osm.WAY).with_filter(osmium.filter.KeyFilter("highway", "route"))
    try:
        for way in ways:
            seen += 1
            kept = classify(way.tags.get)
            if kept is None:
                skipped += 1
                continue
            refs.extend([n.ref for n in way.nodes])
            offsets.append(len(refs))
            code, oneway, speed, duration = kept
            classes.append(code)
            oneways.append(oneway)
            speeds.append(speed)
            durations.append(duration)
            if progress and seen % 50_000 == 0:
                progress("ways", seen, None)
    except RuntimeError as err:
        raise RoadImportError(f"{path.name}: filen kunde inte läsas som OSM ({err})") from None
    if progress:
        progress("ways", seen, seen)
    refs_np = np.frombuffer(refs, dtype=np.int64)
    wanted = np.unique(refs_np)
    keys, lon, lat = np.empty(len(wanted), np.int64), np.empty(len(wanted)), np.empty(len(wanted))
    found = 0
    nodes = osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(osmium.filter.IdFilter(wanted))
    for node in nodes:
        location = node.location
        if location.valid():
            keys[found], lon[found], lat[found] = node.id, location.lon, location.lat
            found += 1
            if progress and found % 200_000 == 0:
                progress("nodes", found, len(wanted))
    if progress:
        progress("nodes", found, len(wanted))
    order = np.argsort(keys[:found], kind="stable")
    return _Ways(
        offsets=np.frombuffer(offsets, dtype=np.int64),
        refs=refs_np,
        road_class=np.frombuffer(classes, dtype=np.int8),
        oneway=np.frombuffer(oneways, dtype=np.int8),
        speed_kmh=np.frombuffer(speeds, dtype=np.float32),
        duration_s=np.frombuffer(durations, dtype=np.float32),
        node_keys=keys[:found][order],
        lon=lon[:found][order],
        lat=lat[:found][order],
        counts={
            "ways_read": seen,
            "ways_skipped": skipped,
            "ways_kept": len(classes),
            "nodes_referenced": len(wanted),
            "nodes_missing": len(wanted) - found,
        },
        timestamp=timestamp,
    )


# Columns a GeoPackage of road lines may have; the first present is used.
GPKG_ONEWAY_COLUMNS = ("oneway",)  # OSM values; yes/1/true = along the line's drawing direction
GPKG_SPEED_COLUMNS = ("maxspeed", "speed_kmh", "hastighet")  # km/h
GPKG_CLASS_COLUMNS = ("highway",)  # an OSM road class; otherwise "unclassified"


def _read_gpkg(path: Path, progress: Progress | None, layer: str | None = None) -> _Ways:
    import pyogrio

    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception as err:  # pyogrio raises its own DataSourceError and others
        raise RoadImportError(f"{path.name}: ingen läsbar GeoPackage ({err})") from None
    if info["features"] > MAX_GPKG_FEATURES:
        raise RoadImportError(f"{path.name}: {info['features']} linjer, mer än {MAX_GPKG_FEATURES} tillåtna")
    frame = pyogrio.read_dataframe(path, layer=layer)
    if frame.crs is None:
        raise RoadImportError(f"{path.name}: lagret saknar koordinatsystem")
    frame = frame.to_crs("EPSG:4326")
    if progress:
        progress("ways", len(frame), len(frame))
    import shapely

    columns = {c.lower(): c for c in frame.columns}

    def column(names):
        return next((columns[n] for n in names if n in columns), None)

    geoms = shapely.get_parts(frame.geometry.to_numpy(), return_index=True)
    parts, row_of_part = geoms
    kinds = shapely.get_type_id(parts)
    bad = np.flatnonzero(kinds != 1)
    if len(bad):
        raise RoadImportError(f"{path.name}: rad {int(row_of_part[bad[0]]) + 1}: geometri är inte en linje")
    coords, part_of_coord = shapely.get_coordinates(parts, return_index=True)
    counts = np.bincount(part_of_coord, minlength=len(parts))
    offsets = np.concatenate([[0], np.cumsum(counts)])
    # Lines meet where their end points coincide (to the centimetre in SWEREF 99 TM).
    x, y = distances.to_sweref(coords[:, 1], coords[:, 0])
    grid = np.round(x * 100).astype(np.int64) * 10**10 + np.round(y * 100).astype(np.int64)
    keys, first = np.unique(grid, return_index=True)
    speed_col, oneway_col, class_col = (
        column(GPKG_SPEED_COLUMNS),
        column(GPKG_ONEWAY_COLUMNS),
        column(GPKG_CLASS_COLUMNS),
    )
    classes = np.full(len(frame), CLASS_CODE["unclassified"], np.int8)
    if class_col:
        classes = frame[class_col].map(CLASS_CODE).fillna(CLASS_CODE["unclassified"]).astype(np.int8).to_numpy()
    speeds = np.array([DEFAULT_SPEEDS_KMH[CLASSES[c]] for c in classes], np.float32)
    if speed_col:
        given = np.array(
            [parse_maxspeed(None if pd.isna(v) else str(v)) or np.nan for v in frame[speed_col]], np.float32
        )
        bad = np.flatnonzero(frame[speed_col].notna().to_numpy() & np.isnan(given))
        if len(bad):
            raise RoadImportError(
                f"{path.name}: rad {bad[0] + 1}: {speed_col}: {frame[speed_col].iloc[bad[0]]!r} är ingen hastighet"
            )
        speeds = np.where(np.isnan(given), speeds, given)
    oneways = np.zeros(len(frame), np.int8)
    if oneway_col:
        oneways = np.array(
            [parse_oneway(None if pd.isna(v) else str(v).strip().lower()) for v in frame[oneway_col]], np.int8
        )
    return _Ways(
        offsets=offsets,
        refs=grid,
        road_class=classes[row_of_part],
        oneway=oneways[row_of_part],
        speed_kmh=speeds[row_of_part],
        duration_s=np.full(len(parts), np.nan, np.float32),
        node_keys=keys,
        lon=coords[first, 0],
        lat=coords[first, 1],
        counts={
            "ways_read": len(frame),
            "ways_skipped": 0,
            "ways_kept": len(frame),
            "nodes_referenced": len(keys),
            "nodes_missing": 0,
        },
    )


# -- OpenStreetMap through Overpass, on a click ------------------------------------------------

OVERPASS_HIGHWAYS = "|".join(c for c in CLASSES if c != "ferry" and not c.endswith("_link"))
MAX_OVERPASS_BYTES = 1_500_000_000


def overpass_query(bbox: tuple[float, float, float, float], timeout_s: int = 300) -> str:
    """Overpass QL for the car roads and ferries in ``bbox`` (west, south, east, north, degrees),
    with their nodes: what ``import_file`` reads from an Overpass JSON answer."""
    west, south, east, north = bbox
    box = f"({south:.5f},{west:.5f},{north:.5f},{east:.5f})"
    return (
        f"[out:json][timeout:{timeout_s}];"
        f'(way["highway"~"^({OVERPASS_HIGHWAYS})(_link)?$"]{box};way["route"="ferry"]{box};);'
        "(._;>;);out body qt;"
    )


def kommun_bbox(kommun_kods, margin_km: float = 30.0) -> tuple[float, float, float, float]:
    """The kommuner's bounding box widened by ``margin_km``, so that a shop across the border counts."""
    from .. import geo

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


def fetch_roads(bbox, title: str, endpoint: str | None = None, progress: Progress | None = None) -> RoadInfo:
    """Fetch the roads of ``bbox`` from OpenStreetMap (Overpass; the answer is cached) and store
    them. Raises the Overpass module's ``Offline`` with a clear message without a network."""
    from . import osm

    query = overpass_query(bbox)
    path = osm.fetch(
        query,
        endpoint=endpoint or osm.DEFAULT_ENDPOINT,
        progress=(lambda n: progress("download", n, None)) if progress else None,
    )
    return import_file(path, title, progress)


def _read_overpass(path: Path, progress: Progress | None) -> _Ways:
    if path.stat().st_size > MAX_OVERPASS_BYTES:
        raise RoadImportError(f"{path.name}: {path.stat().st_size:,} byte, mer än {MAX_OVERPASS_BYTES:,} tillåtna")
    try:
        elements = json.loads(path.read_text(encoding="utf-8"))["elements"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as err:
        raise RoadImportError(f"{path.name}: inget Overpass-svar i JSON ({err})") from None
    node_ids, lons, lats = [], [], []
    refs, offsets = [], [0]
    classes, oneways, speeds, durations = [], [], [], []
    seen = skipped = 0
    for element in elements:
        kind = element.get("type")
        if kind == "node" and "lat" in element:
            node_ids.append(element["id"])
            lons.append(element["lon"])
            lats.append(element["lat"])
        elif kind == "way":
            seen += 1
            kept = classify(element.get("tags", {}).get)
            if kept is None:
                skipped += 1
                continue
            refs.extend(element.get("nodes", []))
            offsets.append(len(refs))
            for column, value in zip((classes, oneways, speeds, durations), kept):
                column.append(value)
    if progress:
        progress("ways", seen, seen)
    keys = np.array(node_ids, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    keys, first = np.unique(keys[order], return_index=True)
    wanted = np.unique(np.array(refs, dtype=np.int64))
    return _Ways(
        offsets=np.array(offsets, dtype=np.int64),
        refs=np.array(refs, dtype=np.int64),
        road_class=np.array(classes, dtype=np.int8),
        oneway=np.array(oneways, dtype=np.int8),
        speed_kmh=np.array(speeds, dtype=np.float32),
        duration_s=np.array(durations, dtype=np.float32),
        node_keys=keys,
        lon=np.array(lons)[order][first],
        lat=np.array(lats)[order][first],
        counts={
            "ways_read": seen,
            "ways_skipped": skipped,
            "ways_kept": len(classes),
            "nodes_referenced": len(wanted),
            "nodes_missing": int((~np.isin(wanted, keys)).sum()),
        },
    )


# -- building the graph ----------------------------------------------------------------------


def _build(ways: _Ways, progress: Progress | None = None) -> dict[str, np.ndarray]:
    """Intersections, dead ends and the contracted edges between them.

    First within each way: a node that no other way (nor this one again) uses is dropped, unless
    it marks a whole km along the way; then across ways by ``_contract``. The first step works on
    arrays as long as the node references and leaves ``_contract`` a few segments per way."""
    n_ways = len(ways.offsets) - 1
    n_refs = len(ways.refs)
    n_nodes = len(ways.node_keys)
    way_of_ref = np.repeat(np.arange(n_ways, dtype=np.int32), np.diff(ways.offsets))
    pos = np.searchsorted(ways.node_keys, ways.refs).astype(np.int32)
    if n_nodes:
        np.minimum(pos, n_nodes - 1, out=pos)
        located = ways.node_keys[pos] == ways.refs
    else:
        located = np.zeros(n_refs, bool)
    x, y = distances.to_sweref(ways.lat, ways.lon)
    same_way = np.zeros(n_refs, bool)  # ref i and ref i + 1 are consecutive in one way
    same_way[:-1] = way_of_ref[:-1] == way_of_ref[1:]
    step = np.zeros(n_refs)  # metres from ref i to ref i + 1
    ok = np.flatnonzero(same_way & located & np.roll(located, -1))
    step[ok] = np.hypot(x[pos[ok]] - x[pos[ok + 1]], y[pos[ok]] - y[pos[ok + 1]])
    before = np.concatenate([[0.0], np.cumsum(step)[:-1]])  # metres before ref i, counted over all ways
    way_start = ways.offsets[:-1]
    along = before - before[np.minimum(way_start, max(n_refs - 1, 0))][way_of_ref]
    keep = ~located | (np.bincount(pos[located], minlength=n_nodes)[pos] > 1)
    keep[way_start[np.diff(ways.offsets) > 0]] = True
    keep[ways.offsets[1:][np.diff(ways.offsets) > 0] - 1] = True
    keep[1:] |= ~located[:-1]  # both neighbours of a node without a location end a piece
    keep[:-1] |= ~located[1:]
    bucket = np.floor((along + 1.0) / MAX_EDGE_M)
    keep[1:] |= same_way[:-1] & (bucket[1:] != bucket[:-1])
    closed = np.flatnonzero(
        (np.diff(ways.offsets) > 2) & (ways.refs[way_start] == ways.refs[np.maximum(ways.offsets[1:] - 1, 0)])
    )
    keep[ways.offsets[closed] + np.diff(ways.offsets)[closed] // 2] = True  # a ring keeps a node half-way round
    del bucket, along
    kept = np.flatnonzero(keep)
    del keep
    first, second = kept[:-1], kept[1:]
    valid = (way_of_ref[first] == way_of_ref[second]) & located[first] & located[second]
    first, second = first[valid], second[valid]
    a, b, seg_way = pos[first], pos[second], way_of_ref[first]
    length = before[second] - before[first]
    del before, step, first, second, kept, valid, way_of_ref, pos, located, same_way
    nonzero = a != b
    a, b, seg_way, length = a[nonzero], b[nonzero], seg_way[nonzero], length[nonzero]
    speed = ways.speed_kmh.astype(float)[seg_way] / 3.6
    duration = ways.duration_s.astype(float)
    timed = ~np.isnan(duration)
    if timed.any():  # a ferry with a duration: its speed from the whole way's length
        way_length = np.bincount(seg_way, weights=length, minlength=n_ways)
        way_speed = np.where(timed & (way_length > 0), way_length / np.where(timed, duration, 1.0), np.nan)
        speed = np.where(np.isnan(way_speed[seg_way]), speed, way_speed[seg_way])
    time = length / speed
    direction = ways.oneway[seg_way]
    a, b = np.where(direction == -1, b, a), np.where(direction == -1, a, b)
    edges = _contract(
        a,
        b,
        length,
        time,
        direction != 0,
        ways.road_class[seg_way],
        ways.road_class[seg_way] == CLASS_CODE["ferry"],
        n_nodes,
    )
    used = np.unique(np.concatenate([edges["src"], edges["dst"]]))
    remap = np.full(len(ways.node_keys), -1, np.int64)
    remap[used] = np.arange(len(used))
    return {
        "osm_id": ways.node_keys[used],
        "lon": ways.lon[used],
        "lat": ways.lat[used],
        "x": x[used],
        "y": y[used],
        "src": remap[edges["src"]].astype(np.int32),
        "dst": remap[edges["dst"]].astype(np.int32),
        "length_m": edges["length"].astype(np.float32),
        "time_s": edges["time"].astype(np.float32),
        "oneway": edges["oneway"],
        "road_class": edges["road_class"].astype(np.int8),
        "ferry": edges["ferry"],
    }


def _contract(a, b, length, time, oneway, road_class, ferry, n_nodes) -> dict[str, np.ndarray]:
    """Join chains of degree-two nodes into single edges (segment a→b is one-way when ``oneway``)."""
    n_seg = len(a)
    if n_seg == 0:
        empty = np.zeros(0)
        return {
            "src": empty.astype(np.int64),
            "dst": empty.astype(np.int64),
            "length": empty,
            "time": empty,
            "oneway": empty.astype(bool),
            "road_class": empty.astype(np.int8),
            "ferry": empty.astype(bool),
        }
    ends = np.concatenate([a, b])
    seg_of_end = np.concatenate([np.arange(n_seg), np.arange(n_seg)])
    order = np.argsort(ends, kind="stable")
    degree = np.bincount(ends, minlength=n_nodes)
    start = np.concatenate([[0], np.cumsum(degree)])[:-1]
    kept = degree != 2

    def links():
        v = np.flatnonzero(~kept)
        s1, s2 = seg_of_end[order[start[v]]], seg_of_end[order[start[v] + 1]]
        o1 = np.where(a[s1] == v, b[s1], a[s1])
        o2 = np.where(a[s2] == v, b[s2], a[s2])
        enters1, enters2 = b[s1] == v, b[s2] == v
        same = oneway[s1] == oneway[s2]
        through = same & (~oneway[s1] | (enters1 != enters2)) & (o1 != o2)
        return v, s1, s2, through

    v, s1, s2, through = links()
    kept[v[~through]] = True
    v, s1, s2 = v[through], s1[through], s2[through]
    graph = sparse.coo_matrix((np.ones(len(v)), (s1, s2)), shape=(n_seg, n_seg)).tocsr()
    _, comp = csgraph.connected_components(graph, directed=False)
    is_end = kept[a] | kept[b]
    rings = np.setdiff1d(np.unique(comp), np.unique(comp[is_end]))
    if len(rings):  # a ring road with no intersection at all: keep one of its nodes
        _, first_of_comp = np.unique(comp, return_index=True)
        kept[a[first_of_comp[rings]]] = True
        v, s1, s2, through = links()
        v, s1, s2 = v[through], s1[through], s2[through]
        graph = sparse.coo_matrix((np.ones(len(v)), (s1, s2)), shape=(n_seg, n_seg)).tocsr()
        _, comp = csgraph.connected_components(graph, directed=False)
        is_end = kept[a] | kept[b]
    # Walk each chain from one of its end segments: the hop count is the position along it.
    end_segs = np.flatnonzero(is_end)
    _, pick = np.unique(comp[end_segs], return_index=True)
    roots = end_segs[pick]
    root = n_seg
    walk = sparse.coo_matrix(
        (np.ones(len(v) + len(roots)), (np.concatenate([s1, np.full(len(roots), root)]), np.concatenate([s2, roots]))),
        shape=(n_seg + 1, n_seg + 1),
    ).tocsr()
    hops, pred = csgraph.dijkstra(walk, directed=False, indices=root, unweighted=True, return_predecessors=True)
    position = hops[:n_seg].astype(np.int64) - 1
    pred = np.where(pred[:n_seg] >= n_seg, -1, pred[:n_seg])
    first_entry = np.where(kept[a], a, b)
    p = np.where(pred >= 0, pred, 0)
    shared = np.where((a == a[p]) | (a == b[p]), a, b)
    entry = np.where(position == 0, first_entry, shared)
    leave = np.where(entry == a, b, a)
    seq = np.lexsort((position, comp))
    cum = np.cumsum(length[seq])
    chain_start = np.concatenate([[True], comp[seq][1:] != comp[seq][:-1]])
    base = np.maximum.accumulate(np.where(chain_start, np.arange(n_seg), 0))
    before = cum - length[seq] - (cum[base] - length[seq][base])
    bucket = np.floor((before + 1.0) / MAX_EDGE_M)  # a node at a whole km (give or take OSM's centimetres) is kept
    new_piece = chain_start | np.concatenate([[True], bucket[1:] != bucket[:-1]])
    piece = np.cumsum(new_piece) - 1
    heads = np.flatnonzero(new_piece)
    tails = np.concatenate([heads[1:], [n_seg]]) - 1
    n_pieces = len(heads)
    first_seg, last_seg = seq[heads], seq[tails]
    src, dst = entry[first_seg], leave[last_seg]
    along = entry[first_seg] == a[first_seg]  # a one-way chain runs the way its first segment does
    is_oneway = oneway[first_seg]
    src, dst = np.where(is_oneway & ~along, dst, src), np.where(is_oneway & ~along, src, dst)
    return {
        "src": src,
        "dst": dst,
        "length": np.bincount(piece, weights=length[seq], minlength=n_pieces),
        "time": np.bincount(piece, weights=time[seq], minlength=n_pieces),
        "oneway": is_oneway,
        "road_class": road_class[first_seg],
        "ferry": np.bincount(piece, weights=ferry[seq].astype(float), minlength=n_pieces) > 0,
    }


# -- storage ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoadInfo:
    id: str
    title: str
    source: str  # file name
    format: str  # osm.pbf or gpkg
    osm_timestamp: str  # from the PBF header, when it has one
    imported_at: str
    bbox: list  # [west, south, east, north] in degrees
    nodes: int
    edges: int
    oneway_edges: int
    ferry_edges: int
    km: float
    counts: dict  # what the reader saw
    reader: str
    attribution: str


def folder() -> Path:
    return paths.home() / "roads"


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "vagnat"


def import_file(
    path: Path | str, title: str | None = None, progress: Progress | None = None, layer: str | None = None
) -> RoadInfo:
    """Read a road network from an OSM PBF file or a GeoPackage of lines and store it."""
    path = Path(path)
    if not path.is_file():
        raise RoadImportError(f"{path}: filen finns inte")
    name = path.name.lower()
    if name.endswith(".pbf"):
        import osmium.version

        ways, fmt, reader = _read_pbf(path, progress), "osm.pbf", f"pyosmium {osmium.version.pyosmium_release}"
    elif name.endswith(".gpkg"):
        ways, fmt, reader = _read_gpkg(path, progress, layer), "gpkg", "pyogrio"
    elif name.endswith(".json"):
        ways, fmt, reader = _read_overpass(path, progress), "overpass", "Overpass JSON"
    else:
        raise RoadImportError(f"{path.name}: okänt format; ett vägnät läses från .osm.pbf, .gpkg eller Overpass-JSON")
    graph = _build(ways, progress)
    if not len(graph["src"]):
        raise RoadImportError(f"{path.name}: inga vägar för bil i filen")
    if progress:
        progress("graph", len(graph["src"]), len(graph["src"]))
    title = title or path.name.split(".")[0]
    folder().mkdir(parents=True, exist_ok=True)
    base = road_id = _slug(title)
    n = 1
    while (folder() / road_id).exists():
        n += 1
        road_id = f"{base}-{n}"
    info = RoadInfo(
        id=road_id,
        title=title,
        source=path.name,
        format=fmt,
        osm_timestamp=ways.timestamp,
        imported_at=dt.datetime.now().isoformat(timespec="seconds"),
        bbox=[
            float(graph["lon"].min()),
            float(graph["lat"].min()),
            float(graph["lon"].max()),
            float(graph["lat"].max()),
        ],
        nodes=len(graph["x"]),
        edges=len(graph["src"]),
        oneway_edges=int(graph["oneway"].sum()),
        ferry_edges=int(graph["ferry"].sum()),
        km=round(float(graph["length_m"].sum()) / 1000, 1),
        counts=ways.counts,
        reader=reader,
        attribution=ATTRIBUTION if fmt in ("osm.pbf", "overpass") else "",
    )
    target = folder() / road_id
    target.mkdir()
    np.savez(target / "graph.npz", **graph)
    (target / "info.json").write_text(json.dumps(asdict(info), ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def list_networks() -> list[RoadInfo]:
    if not folder().is_dir():
        return []
    infos = []
    for meta in folder().glob("*/info.json"):
        try:
            info = RoadInfo(**json.loads(meta.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            continue
        if (meta.parent / "graph.npz").exists():
            infos.append(info)
    return sorted(infos, key=lambda i: i.imported_at, reverse=True)


def load(road_id: str) -> RoadNetwork:
    target = folder() / road_id
    if not (target / "graph.npz").exists():
        raise KeyError(f"inget sparat vägnät {road_id!r}")
    info = RoadInfo(**json.loads((target / "info.json").read_text(encoding="utf-8")))
    with np.load(target / "graph.npz") as arrays:
        return RoadNetwork({k: arrays[k] for k in arrays.files}, info)


def remove(road_id: str) -> None:
    shutil.rmtree(folder() / road_id, ignore_errors=True)


# -- routing ---------------------------------------------------------------------------------


@dataclass
class _Graph:
    """The arcs of one measure: R propagates from shops towards origins (the reverse of
    driving), G is its transpose. Parallel arcs are merged to the better one."""

    reverse: sparse.csr_matrix
    reverse_other: np.ndarray  # the other measure along each arc of ``reverse``
    forward: sparse.csr_matrix
    forward_other: np.ndarray


def _csr(rows, cols, weight, other, n) -> tuple[sparse.csr_matrix, np.ndarray]:
    """A CSR matrix of the arcs, parallel arcs merged to the one with the least weight, and the
    other measure aligned with its data."""
    key = rows.astype(np.int64) * n + cols
    order = np.argsort(key, kind="stable")
    key, weight, other = key[order], weight[order], other[order]
    start = np.concatenate([[True], key[1:] != key[:-1]])
    if not start.all():  # parallel arcs: keep the lightest of each group
        group = np.cumsum(start) - 1
        lightest = np.minimum.reduceat(weight, np.flatnonzero(start))
        candidate = np.flatnonzero(weight == lightest[group])
        _, first = np.unique(group[candidate], return_index=True)
        pick = candidate[first]
        key, weight, other = key[pick], weight[pick], other[pick]
    rows_sorted = key // n
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows_sorted, minlength=n))])
    matrix = sparse.csr_matrix((np.maximum(weight, 1e-6), (key % n).astype(np.int32), indptr), shape=(n, n))
    return matrix, other


def _arc_values(matrix: sparse.csr_matrix, values: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``values`` of the arcs rows[i] → cols[i] of ``matrix`` (one arc per pair), scanning the rows."""
    out = np.zeros(len(rows))
    start = matrix.indptr[rows]
    degree = matrix.indptr[rows + 1] - start
    todo = np.arange(len(rows))
    k = 0
    while len(todo):
        todo = todo[degree[todo] > k]
        position = start[todo] + k
        hit = matrix.indices[position] == cols[todo]
        out[todo[hit]] = values[position[hit]]
        todo = todo[~hit]
        k += 1
    return out


class RoadNetwork:
    """A stored road network, ready for queries."""

    def __init__(self, arrays: dict[str, np.ndarray], info: RoadInfo | None = None):
        self.arrays = arrays
        self.info = info
        self.n = len(arrays["x"])
        self._graphs: dict[str, _Graph] = {}
        self._tree = None

    @property
    def xy(self) -> np.ndarray:
        return np.column_stack([self.arrays["x"], self.arrays["y"]])

    def graph(self, measure: str) -> _Graph:
        if measure not in MEASURES:
            raise ValueError(f"measure must be one of {MEASURES}")
        if measure not in self._graphs:
            e = self.arrays
            src, dst = e["src"].astype(np.int64), e["dst"].astype(np.int64)
            length, time = e["length_m"].astype(float), e["time_s"].astype(float)
            both = ~e["oneway"]
            # Driving arcs u→v; the reverse graph has v→u.
            frm = np.concatenate([src, dst[both]])
            to = np.concatenate([dst, src[both]])
            main = np.concatenate([length, length[both]]) if measure == "km" else np.concatenate([time, time[both]])
            other = np.concatenate([time, time[both]]) if measure == "km" else np.concatenate([length, length[both]])
            reverse, reverse_other = _csr(to, frm, main, other, self.n)
            forward, forward_other = _csr(frm, to, main, other, self.n)
            self._graphs[measure] = _Graph(reverse, reverse_other, forward, forward_other)
        return self._graphs[measure]

    def _snap_tree(self) -> tuple[cKDTree, np.ndarray]:
        """A KD-tree over the nodes of road pieces at least MIN_COMPONENT_M long: a point is not
        snapped onto a short fragment (a yard behind a private gate) that leads nowhere."""
        if self._tree is None:
            e = self.arrays
            graph = sparse.coo_matrix((np.ones(len(e["src"])), (e["src"], e["dst"])), shape=(self.n, self.n))
            _, comp = csgraph.connected_components(graph, directed=False)
            size = np.bincount(comp[e["src"]], weights=e["length_m"].astype(float), minlength=comp.max() + 1)
            nodes = np.flatnonzero(size[comp] >= MIN_COMPONENT_M)
            if not len(nodes):
                nodes = np.arange(self.n)
            self._tree = (cKDTree(self.xy[nodes]), nodes)
        return self._tree

    def snap(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The nearest road node of each point (SWEREF 99 TM metres) and the distance to it (m)."""
        tree, nodes = self._snap_tree()
        if len(xy) == 0:
            return np.zeros(0, np.int64), np.zeros(0)
        dist, idx = tree.query(np.asarray(xy, dtype=float), k=1, workers=-1)
        return nodes[idx], dist

    def edges_lonlat(self) -> pd.DataFrame:
        e = self.arrays
        return pd.DataFrame(
            {
                "lon_from": e["lon"][e["src"]],
                "lat_from": e["lat"][e["src"]],
                "lon_to": e["lon"][e["dst"]],
                "lat_to": e["lat"][e["dst"]],
            }
        )


def _xy(points: pd.DataFrame) -> np.ndarray:
    if {"x", "y"} <= set(points.columns):
        return points[["x", "y"]].to_numpy(dtype=float)
    x, y = distances.to_sweref(points["lat"].to_numpy(dtype=float), points["lon"].to_numpy(dtype=float))
    return np.column_stack([x, y])


def _snap_cost(snap_m: np.ndarray, measure: str) -> tuple[np.ndarray, np.ndarray]:
    """(main, other) cost of the straight leg to the road, in the units of the measure's graph."""
    seconds = snap_m / (SNAP_SPEED_KMH / 3.6)
    return (snap_m, seconds) if measure == "km" else (seconds, snap_m)


def _accumulate(pred: np.ndarray, step: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Sum of ``step`` along each node's predecessor chain, plus ``base`` at its root (pointer jumping)."""
    total = step.copy()
    jump = pred.copy()
    roots = jump < 0
    total[roots] += base[roots]
    live = np.flatnonzero(~roots)
    while len(live):
        target = jump[live]
        total[live] += total[target]
        jump[live] = jump[target]
        live = live[jump[live] >= 0]
    return total


@dataclass
class RoadAccess:
    """The nearest open facility along the roads for every road node, under one measure.

    Node arrays have ``network.n + len(facilities)`` entries: the road nodes, then one virtual
    node per facility (the shop itself, joined to its road node by its snap)."""

    network: RoadNetwork
    measure: str
    facilities: pd.DataFrame  # with x, y
    fac_node: np.ndarray
    fac_snap_m: np.ndarray
    open: np.ndarray  # bool per facility
    dist: np.ndarray  # main measure (m or s) from the nearest open facility; inf: no road connection
    other: np.ndarray  # the other measure along the same path
    source: np.ndarray  # facility row of the nearest, -1 where none
    _second: np.ndarray | None = None

    # -- construction

    @classmethod
    def compute(cls, network: RoadNetwork, facilities: pd.DataFrame, measure: str = "km") -> RoadAccess:
        facilities = facilities.reset_index(drop=True)
        xy = _xy(facilities)
        facilities = facilities.assign(x=xy[:, 0], y=xy[:, 1])
        node, snap = network.snap(xy)
        state = cls(
            network,
            measure,
            facilities,
            node,
            snap,
            np.ones(len(facilities), bool),
            np.zeros(0),
            np.zeros(0),
            np.zeros(0, np.int64),
        )
        state._solve_all()
        return state

    def _augmented(self) -> sparse.csr_matrix:
        """The reverse graph with one row per facility (its arc to its road node) appended."""
        g = self.network.graph(self.measure).reverse
        n, f = self.network.n, len(self.facilities)
        main, _ = _snap_cost(self.fac_snap_m, self.measure)
        indptr = np.concatenate([g.indptr, g.indptr[-1] + np.arange(1, f + 1)])
        indices = np.concatenate([g.indices, self.fac_node.astype(np.int32)])
        data = np.concatenate([g.data, np.maximum(main, 1e-6)])
        return sparse.csr_matrix((data, indices, indptr), shape=(n + f, n + f))

    def _step_other(self, pred: np.ndarray, nodes: np.ndarray) -> np.ndarray:
        """The other measure along the arc pred → node (0 where there is no predecessor)."""
        g = self.network.graph(self.measure)
        n = self.network.n
        out = np.zeros(len(nodes))
        road = (pred >= 0) & (pred < n)
        out[road] = _arc_values(g.reverse, g.reverse_other, pred[road], nodes[road])
        virtual = pred >= n
        out[virtual] = _snap_cost(self.fac_snap_m, self.measure)[1][pred[virtual] - n]
        return out

    def _solve_all(self) -> None:
        n, f = self.network.n, len(self.facilities)
        sources = n + np.flatnonzero(self.open)
        if not len(sources):
            self.dist, self.other = np.full(n + f, np.inf), np.full(n + f, np.inf)
            self.source = np.full(n + f, -1)
            return
        dist, pred, src = csgraph.dijkstra(self._augmented(), indices=sources, min_only=True, return_predecessors=True)
        pred = np.where(pred < 0, -1, pred)
        self.dist = dist
        self.source = np.where(src >= 0, src - n, -1)
        step = self._step_other(pred, np.arange(n + f))
        other = _accumulate(pred, step, np.zeros(n + f))
        self.other = np.where(np.isfinite(dist), other, np.inf)
        self._second = None

    # -- what-if

    def close(self, ids) -> RoadAccess:
        """The same with the facilities of ``ids`` closed: only their catchments are recomputed."""
        closing = self.open & self.facilities["id"].isin(set(ids)).to_numpy()
        if not closing.any():
            return self
        n, f = self.network.n, len(self.facilities)
        g = self.network.graph(self.measure)
        new_open = self.open & ~closing
        affected = np.flatnonzero(np.isin(self.source, np.flatnonzero(closing)))
        road = affected[affected < n]
        local = np.full(n + f, -1, np.int64)
        local[road] = np.arange(len(road))
        m = len(road)
        # Arcs inside the catchment (reverse graph rows of its nodes).
        rev = g.reverse
        counts = np.diff(rev.indptr)[road]
        rows = np.repeat(road, counts)
        idx = _ranges(rev.indptr[road], counts)
        cols, weight, other = rev.indices[idx], rev.data[idx], g.reverse_other[idx]
        inside = local[cols] >= 0
        # Entries across the border: forward arcs w → u with u outside reach w at dist[u] + arc.
        fwd = g.forward
        fcounts = np.diff(fwd.indptr)[road]
        frow = np.repeat(road, fcounts)
        fidx = _ranges(fwd.indptr[road], fcounts)
        fu = fwd.indices[fidx]
        outside = (local[fu] < 0) & np.isfinite(self.dist[fu])
        entry_node = frow[outside]
        entry_main = self.dist[fu[outside]] + fwd.data[fidx[outside]]
        entry_other = self.other[fu[outside]] + g.forward_other[fidx[outside]]
        entry_fac = self.source[fu[outside]]
        # Open facilities whose road node lies in the catchment enter there too.
        here = np.flatnonzero(new_open & (local[self.fac_node] >= 0))
        main_snap, other_snap = _snap_cost(self.fac_snap_m[here], self.measure)
        entry_node = np.concatenate([entry_node, self.fac_node[here]])
        entry_main = np.concatenate([entry_main, main_snap])
        entry_other = np.concatenate([entry_other, other_snap])
        entry_fac = np.concatenate([entry_fac, here])
        k = len(entry_node)
        sub_rows = np.concatenate([local[rows[inside]], m + np.arange(k)])
        sub_cols = np.concatenate([local[cols[inside]], local[entry_node]])
        sub_w = np.concatenate([weight[inside], np.maximum(entry_main, 1e-6)])
        sub_other = np.concatenate([other[inside], entry_other])
        dist, other_new, source = self.dist.copy(), self.other.copy(), self.source.copy()
        dist[affected], other_new[affected], source[affected] = np.inf, np.inf, -1
        if k:
            sub = sparse.csr_matrix((sub_w, (sub_rows, sub_cols)), shape=(m + k, m + k))
            sub_key = sub_rows.astype(np.int64) * (m + k) + sub_cols
            order = np.argsort(sub_key)
            d, p, s = csgraph.dijkstra(sub, indices=m + np.arange(k), min_only=True, return_predecessors=True)
            p = np.where(p < 0, -1, p)
            reached = np.flatnonzero(np.isfinite(d[:m]))
            step = np.zeros(m + k)
            has = p[:m] >= 0
            keys = p[:m][has].astype(np.int64) * (m + k) + np.arange(m)[has]
            where = order[np.searchsorted(sub_key[order], keys)]
            step[:m][has] = sub_other[where]
            total = _accumulate(p, step, np.zeros(m + k))
            dist[road[reached]] = d[reached]
            other_new[road[reached]] = total[reached]
            source[road[reached]] = entry_fac[s[reached] - m]
        return RoadAccess(
            self.network,
            self.measure,
            self.facilities,
            self.fac_node,
            self.fac_snap_m,
            new_open,
            dist,
            other_new,
            source,
        )

    def add(self, points: pd.DataFrame) -> RoadAccess:
        """The same with hypothetical facilities added: only the area they win is recomputed."""
        if points is None or not len(points):
            return self
        points = points.reset_index(drop=True)
        xy = _xy(points)
        points = points.assign(x=xy[:, 0], y=xy[:, 1])
        node, snap = self.network.snap(xy)
        n, f, k = self.network.n, len(self.facilities), len(points)
        facilities = pd.concat([self.facilities, points], ignore_index=True)
        pad = np.full(k, np.inf)
        state = RoadAccess(
            self.network,
            self.measure,
            facilities,
            np.concatenate([self.fac_node, node]),
            np.concatenate([self.fac_snap_m, snap]),
            np.concatenate([self.open, np.ones(k, bool)]),
            np.concatenate([self.dist, pad]),
            np.concatenate([self.other, pad]),
            np.concatenate([self.source, np.full(k, -1)]),
        )
        graph = state._augmented()
        new = n + f + np.arange(k)
        finite = self.dist[np.isfinite(self.dist)]
        # The first search radius: the median distance, from a sample (a median of millions costs ~80 ms).
        limit = max(float(np.median(finite[:: max(1, len(finite) // 20_000)])) if len(finite) else 1.0, 1.0)
        while True:
            d, p, s = csgraph.dijkstra(graph, indices=new, min_only=True, return_predecessors=True, limit=limit)
            better = d < state.dist
            # Could the new facilities win a node beyond the limit? Only across an arc that leaves
            # a won node towards one the search did not reach.
            won = np.flatnonzero(better)
            counts = np.diff(graph.indptr)[won]
            idx = _ranges(graph.indptr[won], counts)
            heads = graph.indices[idx]
            beyond = ~np.isfinite(d[heads]) & (np.repeat(d[won], counts) + graph.data[idx] < state.dist[heads])
            if not beyond.any() or not np.isfinite(limit):
                break
            limit = limit * 4 if limit < 1e9 else np.inf
        p = np.where(p < 0, -1, p)
        reached = np.flatnonzero(np.isfinite(d))
        step = state._step_other(p[reached], reached)
        pos = np.full(n + f + k, -1, np.int64)
        pos[reached] = np.arange(len(reached))
        local_pred = np.where(p[reached] >= 0, pos[np.maximum(p[reached], 0)], -1)
        total = _accumulate(local_pred, step, np.zeros(len(reached)))
        win = reached[better[reached]]
        state.dist[win] = d[win]
        state.other[win] = total[better[reached]]
        state.source[win] = s[win] - n
        return state

    # -- queries

    def second(self) -> np.ndarray:
        """For every node, the main measure from the nearest open facility other than its own
        nearest (one Dijkstra over the arcs inside catchments, entered across their borders)."""
        if self._second is not None:
            return self._second
        graph = self._augmented()
        size = graph.shape[0]
        rows = np.repeat(np.arange(size, dtype=np.int32), np.diff(graph.indptr))
        cols, weight = graph.indices, graph.data
        src_row, src_col = self.source[rows], self.source[cols]
        usable = src_row >= 0  # reached from an open facility (a closed one's own node is not)
        inside = usable & (src_row == src_col)
        border = np.flatnonzero(usable & (src_row != src_col))
        entry = np.full(size, np.inf)
        np.minimum.at(entry, cols[border], self.dist[rows[border]] + weight[border])
        seeds = np.flatnonzero(np.isfinite(entry))
        # The same arcs, those across catchment borders made impassable, and a super source
        # (the last row) with an arc to every node entered across a border.
        data = np.where(inside, weight, np.inf)
        h = sparse.csr_matrix(
            (
                np.concatenate([data, np.maximum(entry[seeds], 1e-6)]),
                np.concatenate([cols, seeds.astype(np.int32)]),
                np.concatenate([graph.indptr, [graph.indptr[-1] + len(seeds)]]),
            ),
            shape=(size + 1, size + 1),
        )
        self._second = csgraph.dijkstra(h, indices=size)[:size]
        return self._second

    def without_own(self, facility: np.ndarray, node: np.ndarray) -> np.ndarray:
        """Main measure at ``node`` from the nearest open facility other than ``facility``."""
        second = self.second()
        return np.where(self.source[node] == facility, second[node], self.dist[node])


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated arange(start, start + count) for each pair."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    ends = np.cumsum(counts)
    offsets = np.repeat(starts - (ends - counts), counts)
    return np.arange(total) + offsets


def _in_units(value: np.ndarray, measure_unit: str) -> np.ndarray:
    return value / 1000 if measure_unit == "km" else value / 60


def _beyond(value: np.ndarray, threshold: float, measure: str) -> np.ndarray:
    """Strictly greater than the threshold (km or minutes), compared at whole metres or
    hundredths of a minute: OSM coordinates carry centimetres, finer differences are noise."""
    decimals = 3 if measure == "km" else 2
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(value), np.round(value, decimals), np.inf) > threshold


@dataclass(frozen=True)
class Snapped:
    """Points snapped to a network: keep it to answer several questions about the same points."""

    node: np.ndarray
    snap_m: np.ndarray
    xy: np.ndarray


def snap_points(network: RoadNetwork, points: pd.DataFrame) -> Snapped:
    xy = _xy(points)
    node, snap = network.snap(xy)
    return Snapped(node, snap, xy)


def service_access(
    origins: pd.DataFrame, access: RoadAccess, threshold: float = 30.0, snapped: Snapped | None = None
) -> pd.DataFrame:
    """One row per origin: the nearest open facility along the roads, road km and drive minutes
    to it (the path that is shortest in the access's measure), the straight-line distance to the
    nearest facility beside it and their ratio, and whether the origin is beyond ``threshold``
    (km or minutes as the measure; beyond means strictly greater). Unreachable: inf, and
    ``road_connection`` False."""
    origins = origins.reset_index(drop=True)
    snapped = snapped or snap_points(access.network, origins)
    main_snap, other_snap = _snap_cost(snapped.snap_m, access.measure)
    main = main_snap + access.dist[snapped.node]
    other = other_snap + access.other[snapped.node]
    metres, seconds = (main, other) if access.measure == "km" else (other, main)
    fac = access.source[snapped.node]
    found = fac >= 0
    points = access.facilities
    road_km, road_minutes = metres / 1000, seconds / 60
    straight = np.full(len(origins), np.inf)
    open_xy = points.loc[access.open, ["x", "y"]].to_numpy(dtype=float)
    if len(open_xy) and len(origins):
        straight = cKDTree(open_xy).query(snapped.xy, k=1, workers=-1)[0]
    straight_km = straight / 1000
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(found & (straight_km > 0), road_km / straight_km, np.nan)
    value = road_km if access.measure == "km" else road_minutes
    rows = {c: origins[c].to_numpy() for c in ("id", "name", "kommun_kod", "lat", "lon", "population") if c in origins}
    frame = pd.DataFrame(rows).rename(columns={"id": "origin_id"})
    pick = np.where(found, fac, 0)
    return frame.assign(
        facility_id=np.where(found, points["id"].to_numpy()[pick], None) if len(points) else None,
        facility_name=np.where(found, points["name"].to_numpy()[pick], None)
        if len(points) and "name" in points
        else None,
        road_km=np.where(found, road_km, np.inf),
        road_minutes=np.where(found, road_minutes, np.inf),
        straight_km=straight_km,
        road_to_straight=ratio,
        snap_m=snapped.snap_m,
        far_from_road=snapped.snap_m > FAR_FROM_ROAD_M,
        road_connection=found,
        beyond_threshold=_beyond(np.where(found, value, np.inf), threshold, access.measure),
    )


def vulnerable_facilities(
    origins: pd.DataFrame, access: RoadAccess, threshold: float = 30.0, snapped: Snapped | None = None
) -> pd.DataFrame:
    """One row per open facility: the next open facility along the roads (km or minutes as the
    measure; inf when none can be reached), whether that is beyond the threshold, and the places
    and people who would end up beyond it if this facility closed."""
    unit = "km" if access.measure == "km" else "minutes"
    points = access.facilities[access.open].reset_index(drop=True)
    rows = np.flatnonzero(access.open)
    main_snap, _ = _snap_cost(access.fac_snap_m[rows], access.measure)
    next_main = main_snap + access.without_own(rows, access.fac_node[rows])
    origins = origins.reset_index(drop=True)
    snapped = snapped or snap_points(access.network, origins)
    o_snap, _ = _snap_cost(snapped.snap_m, access.measure)
    fac = access.source[snapped.node]
    first = o_snap + access.dist[snapped.node]
    second = o_snap + access.second()[snapped.node]
    first_beyond = _beyond(_in_units(first, unit), threshold, access.measure)
    lost = (fac >= 0) & ~first_beyond & _beyond(_in_units(second, unit), threshold, access.measure)
    population = origins["population"].to_numpy(dtype=float) if "population" in origins else np.zeros(len(origins))
    f = len(access.facilities)
    places_lost = np.bincount(fac[lost], minlength=f)[rows]
    population_lost = np.bincount(fac[lost], weights=population[lost], minlength=f)[rows]
    columns = [c for c in ("id", "name", "kind", "kommun_kod", "lat", "lon") if c in points]
    next_value = _in_units(next_main, unit)
    table = points[columns].assign(
        **{f"next_facility_{unit}": next_value},
        snap_m=access.fac_snap_m[rows],
        isolated=_beyond(next_value, threshold, access.measure),
        places_lost=places_lost.astype(int),
        population_lost=population_lost.astype(int),
    )
    return table.sort_values(["population_lost", f"next_facility_{unit}"], ascending=False).reset_index(drop=True)


def what_if(access: RoadAccess, add: pd.DataFrame | None = None, close=()) -> RoadAccess:
    """The access with facilities closed (ids) and hypothetical ones added, recomputing only
    what the change can affect."""
    return access.close(close).add(add)


def service_area(
    access: RoadAccess, threshold: float, bbox: tuple[float, float, float, float] | None = None
) -> pd.DataFrame:
    """The network's edges as lon/lat lines, each with ``within``: both its ends within the
    threshold of an open facility along the roads. ``bbox`` (west, south, east, north) keeps the
    edges with an end inside it."""
    e = access.network.arrays
    unit = "km" if access.measure == "km" else "minutes"
    near = ~_beyond(_in_units(access.dist, unit), threshold, access.measure)
    within = near[e["src"]] & near[e["dst"]]
    frame = access.network.edges_lonlat().assign(within=within)
    if bbox is not None:
        west, south, east, north = bbox
        lon, lat = e["lon"], e["lat"]
        inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        frame = frame[inside[e["src"]] | inside[e["dst"]]]
    return frame.reset_index(drop=True)


def resolve(source: str, progress: Progress | None = None) -> RoadNetwork:
    """A stored network by id, or a file (.osm.pbf / .gpkg) imported and stored first."""
    if source in {info.id for info in list_networks()}:
        return load(source)
    path = Path(source)
    if path.is_file():
        return load(import_file(path, progress=progress).id)
    raise KeyError(f"{source}: inget sparat vägnät och ingen sådan fil")
