"""Road files read into flat arrays of ways (``Ways``): an OpenStreetMap extract (``.osm.pbf``,
with pyosmium, in two streaming passes: first the ways, then the coordinates of only the nodes
those ways use, so memory grows with the road network, not with the file), a GeoPackage of road
lines (for example a processed NVDB network) and an Overpass JSON answer. Each keeps what
``tags.classify`` says a car can drive on; a file that cannot be read raises ``RoadImportError``
naming the file, and the row or element where it can.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

import numpy as np
import pandas as pd

from ... import distances, limits
from .tags import CLASS_CODE, CLASSES, DEFAULT_SPEEDS_KMH, classify, parse_maxspeed, parse_oneway

MAX_GPKG_FEATURES = limits.ROAD_FEATURES
# OSM node ids are positive and (2026) below 2^34; osmium's id filter holds a bitmap up
# to the largest id it is given, so a larger one is refused.
MAX_NODE_ID = 2**40
MAX_OVERPASS_BYTES = limits.OVERPASS_ROADS_BYTES  # a merged answer of all tiles


Progress = Callable[[str, int, "int | None"], None]


class RoadImportError(ValueError):
    """A road file that cannot be read: says which file and why."""


@dataclass
class Ways:
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


class _KeptWays:
    """The ways a reader keeps, column by column, in compact arrays while it reads."""

    def __init__(self) -> None:
        self.refs, self.offsets = array("q"), array("q", [0])
        self.classes, self.oneways = array("b"), array("b")
        self.speeds, self.durations = array("f"), array("f")

    def add(self, way_refs: list[int], kept: tuple[int, int, float, float]) -> None:
        """One way: its node ids and what ``tags.classify`` said of it."""
        self.refs.extend(way_refs)
        self.offsets.append(len(self.refs))
        code, oneway, speed, duration = kept
        self.classes.append(code)
        self.oneways.append(oneway)
        self.speeds.append(speed)
        self.durations.append(duration)

    def __len__(self) -> int:
        return len(self.classes)

    def counts(self, seen: int, skipped: int, too_short: int) -> dict[str, int]:
        """What became of the ways read: ``Ways.counts`` but for the nodes."""
        return {"ways_read": seen, "ways_skipped": skipped, "ways_too_short": too_short, "ways_kept": len(self)}

    def columns(self) -> dict[str, np.ndarray]:
        """``Ways``' columns of the ways, not the nodes."""
        return {
            "offsets": np.frombuffer(self.offsets, dtype=np.int64),
            "refs": np.frombuffer(self.refs, dtype=np.int64),
            "road_class": np.frombuffer(self.classes, dtype=np.int8),
            "oneway": np.frombuffer(self.oneways, dtype=np.int8),
            "speed_kmh": np.frombuffer(self.speeds, dtype=np.float32),
            "duration_s": np.frombuffer(self.durations, dtype=np.float32),
        }


def read_pbf(path: Path, progress: Progress | None) -> Ways:
    import osmium
    import osmium.filter

    try:
        header = osmium.io.Reader(str(path), osmium.osm.NOTHING).header()
    except RuntimeError as err:
        raise RoadImportError(f"{path.name}: ingen läsbar OSM-fil ({err})") from None
    timestamp = header.get("osmosis_replication_timestamp") or header.get("timestamp") or ""
    kept_ways = _KeptWays()
    seen = skipped = too_short = 0
    ways = osmium.FileProcessor(str(path), osmium.osm.WAY).with_filter(osmium.filter.KeyFilter("highway", "route"))
    try:
        for way in ways:
            seen += 1
            kept = classify(way.tags.get)
            if kept is None:
                skipped += 1
                continue
            # osmium's stubs type every item as any OSM object; FileProcessor(…, WAY) yields ways only
            way_refs = [n.ref for n in way.nodes]  # type: ignore[union-attr]
            if len(way_refs) < 2:  # an empty way, or one node: no road to drive
                too_short += 1
                continue
            outside = [r for r in way_refs if not 0 < r <= MAX_NODE_ID]
            if outside:
                limit = f"{MAX_NODE_ID:,}".replace(",", " ")
                raise RoadImportError(
                    f"{path.name}: väg {way.id}: nod-id {outside[0]} är inget OSM-id (1 till {limit});"
                    " negativa id har noder som ännu inte laddats upp (JOSM): spara ett utdrag från OSM"
                )
            kept_ways.add(way_refs, kept)
            if progress and seen % 50_000 == 0:
                progress("ways", seen, None)
    except RuntimeError as err:
        raise RoadImportError(f"{path.name}: filen kunde inte läsas som OSM ({err})") from None
    if progress:
        progress("ways", seen, seen)
    columns = kept_ways.columns()
    wanted = np.unique(columns["refs"])
    keys, lon, lat = np.empty(len(wanted), np.int64), np.empty(len(wanted)), np.empty(len(wanted))
    found = 0
    nodes = osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(osmium.filter.IdFilter(wanted))
    for node in nodes:
        location = node.location  # type: ignore[union-attr]  # osmium's stubs: FileProcessor(…, NODE) yields nodes
        if location.valid():
            keys[found], lon[found], lat[found] = node.id, location.lon, location.lat
            found += 1
            if progress and found % 200_000 == 0:
                progress("nodes", found, len(wanted))
    if progress:
        progress("nodes", found, len(wanted))
    order = np.argsort(keys[:found], kind="stable")
    return Ways(
        **columns,
        node_keys=keys[:found][order],
        lon=lon[:found][order],
        lat=lat[:found][order],
        counts={
            **kept_ways.counts(seen, skipped, too_short),
            "nodes_referenced": len(wanted),
            "nodes_missing": len(wanted) - found,
        },
        timestamp=timestamp,
    )


# Columns a GeoPackage of road lines may have; the first present is used.
GPKG_ONEWAY_COLUMNS = ("oneway",)  # OSM values; yes/1/true = along the line's drawing direction
GPKG_SPEED_COLUMNS = ("maxspeed", "speed_kmh", "hastighet")  # km/h
GPKG_CLASS_COLUMNS = ("highway",)  # an OSM road class; otherwise "unclassified"


def read_gpkg(path: Path, progress: Progress | None, layer: str | None = None) -> Ways:
    from ... import geofile

    try:  # no archive, no view, at most MAX_GPKG_FEATURES lines, within the time limit
        frame = geofile.read_frame(path.name, path, max_rows=MAX_GPKG_FEATURES, layer=layer, expected="sqlite")
    except geofile.Refused as err:
        raise RoadImportError(f"{path.name}: {err}") from None
    except Exception as err:  # pyogrio raises its own DataSourceError and others
        raise RoadImportError(f"{path.name}: ingen läsbar GeoPackage ({err})") from None
    if frame.crs is None:
        raise RoadImportError(f"{path.name}: lagret saknar koordinatsystem")
    with np.errstate(all="ignore"):
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
    off_earth = np.flatnonzero(
        ~(np.isfinite(coords).all(axis=1) & (np.abs(coords[:, 1]) <= 90) & (np.abs(coords[:, 0]) <= 180))
    )
    if len(off_earth):
        lon, lat = coords[off_earth[0]]
        row = int(row_of_part[part_of_coord[off_earth[0]]]) + 1
        raise RoadImportError(
            f"{path.name}: rad {row}: geometry: punkten ({lat:g}, {lon:g}) ligger utanför jorden"
            " (latitud högst ±90, longitud högst ±180)"
        )
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
    return Ways(
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


def _not_a_number(name: str):
    raise ValueError(f"{name} är inget tal")


def _coordinate(value: object, bound: float) -> float | None:
    """A JSON number within ±``bound`` as a float, else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value) and abs(value) <= bound:
        return float(value)
    return None


def _is_osm_id(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_NODE_ID


def read_overpass(path: Path, progress: Progress | None) -> Ways:
    if path.stat().st_size > MAX_OVERPASS_BYTES:
        raise RoadImportError(f"{path.name}: {path.stat().st_size:,} byte, mer än {MAX_OVERPASS_BYTES:,} tillåtna")
    try:
        answer = json.loads(path.read_text(encoding="utf-8"), parse_constant=_not_a_number)
        elements = answer["elements"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError) as err:
        raise RoadImportError(f"{path.name}: inget Overpass-svar i JSON ({err})") from None
    if isinstance(answer.get("remark"), str) and "error" in answer["remark"].lower():
        raise RoadImportError(f"{path.name}: Overpass avbröt frågan: {answer['remark'][:300]}")
    if not isinstance(elements, list):
        raise RoadImportError(f"{path.name}: elements är {type(elements).__name__}, ingen lista")
    node_ids: list[int] = []
    lons: list[float] = []
    lats: list[float] = []
    kept_ways = _KeptWays()
    seen = skipped = too_short = 0
    for number, element in enumerate(elements, start=1):
        where = f"{path.name}: element {number}"
        if not isinstance(element, dict):
            raise RoadImportError(f"{where}: inget JSON-objekt utan {type(element).__name__}")
        kind = element.get("type")
        if kind == "node" and "lat" in element:
            node_id = element.get("id")
            if not _is_osm_id(node_id):
                raise RoadImportError(f"{where}: id: {str(node_id)[:40]!r} är inget OSM-id")
            checked = {}
            for field_name, bound in (("lat", 90), ("lon", 180)):
                value = element.get(field_name)
                coordinate = _coordinate(value, bound)
                if coordinate is None:
                    raise RoadImportError(f"{where}: {field_name}: {str(value)[:40]!r} är ingen koordinat")
                checked[field_name] = coordinate
            node_ids.append(node_id)
            lons.append(checked["lon"])
            lats.append(checked["lat"])
        elif kind == "way":
            seen += 1
            given = element.get("tags")
            tags = {str(k): str(v) for k, v in given.items() if v is not None} if isinstance(given, dict) else {}
            kept = classify(tags.get)
            if kept is None:
                skipped += 1
                continue
            way_refs = element.get("nodes", [])
            if not isinstance(way_refs, list) or not all(_is_osm_id(r) for r in way_refs):
                raise RoadImportError(f"{where}: nodes: ingen lista av OSM-id")
            if len(way_refs) < 2:
                too_short += 1
                continue
            kept_ways.add(way_refs, kept)
    if progress:
        progress("ways", seen, seen)
    keys = np.array(node_ids, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    keys, first = np.unique(keys[order], return_index=True)
    columns = kept_ways.columns()
    wanted = np.unique(columns["refs"])
    return Ways(
        **columns,
        node_keys=keys,
        lon=np.array(lons)[order][first],
        lat=np.array(lats)[order][first],
        counts={
            **kept_ways.counts(seen, skipped, too_short),
            "nodes_referenced": len(wanted),
            "nodes_missing": int((~np.isin(wanted, keys)).sum()),
        },
        timestamp=str((answer.get("osm3s") or {}).get("timestamp_osm_base", "")),
    )
