"""Read point files into facility or origin layers.

Accepted: CSV (comma, semicolon or tab; UTF-8 or Windows-1252; decimal comma) with WGS 84
lat/lon or SWEREF 99 TM x/y columns, detected by name and checked by value; GeoJSON and
GeoPackage points in any CRS; OpenStreetMap Overpass JSON. Every row that cannot be
placed is reported with file, row and field; the rest is kept. Points outside Sweden
are set aside and counted.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import csv_input, geo, geofile, limits
from ..loader import Problem

MAX_BYTES = limits.POINT_FILE_BYTES
# SWEREF 99 TM values that can lie in or near Sweden.
SWEREF_X = (200_000, 1_000_000)
SWEREF_Y = (6_100_000, 7_700_000)
# The simplified kommun boundaries leave out islands up to about 10 km off the coast; a
# point that close to a kommun is Swedish if its nearest gazetteer place is (a shop in
# Tornio lies under 3 km from Haparanda kommun, but nearest to Tornio).
SWEDEN_TOLERANCE_M = 10_000
_FOREIGN_COUNTRY = {
    "finland",
    "fi",
    "suomi",
    "norge",
    "norway",
    "no",
    "danmark",
    "denmark",
    "dk",
    "tyskland",
    "germany",
}

_LAT = ("lat", "latitude", "latitud", "lat_wgs84", "wgs84_lat", "y_wgs84")
_LON = ("lon", "lng", "long", "longitude", "longitud", "lon_wgs84", "wgs84_lon", "x_wgs84")
_X = ("x_sweref99tm", "x_sweref", "sweref99tm_x", "sweref_x", "sweref_e", "e", "easting", "ost", "öst", "x_koord", "x")
_Y = ("y_sweref99tm", "y_sweref", "sweref99tm_y", "sweref_y", "sweref_n", "n", "northing", "nord", "y_koord", "y")
_NAME = ("name", "namn", "location", "butik", "butiksnamn", "ort", "tatort", "tätort", "benamning", "benämning")
_ID = ("id", "code", "kod", "urn", "osm_id", "store_id")
_POPULATION = ("population", "pop", "befolkning", "folkmangd", "folkmängd", "invanare", "invånare", "bef")
_KIND = ("kind", "typ", "type", "category", "kategori")

# The chain-store collection (se-poi) mixes grocery chains with kiosks and farm supply.
CHAIN_KINDS = {
    "ICA": "grocery",
    "Coop": "grocery",
    "Willys": "grocery",
    "Hemköp": "grocery",
    "Lidl": "grocery",
    "City Gross": "grocery",
    "Tempo": "grocery",
    "Direkten": "grocery",
    "Pressbyrån": "convenience",
    "7-Eleven": "convenience",
    "Granngården": "farm_supply",
}


_CATEGORY_KINDS = {"Drivmedel": "fuel", "Dagligvarukedjor": "grocery"}


class ImportFailed(ValueError):
    """The file as a whole cannot be read; ``problems`` says why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


# Added to the format of a file in the chain-store collection's layout (chain, category,
# location, latitude, longitude): the service page's caveat about chains only is about it.
CHAIN_FORMAT_NOTE = "; kedjebutiker"


@dataclass
class ImportedLayer:
    points: pd.DataFrame  # id, name, kind, lat, lon, population, kommun_kod
    file: str
    format: str
    outside_sweden: int = 0
    problems: list[Problem] = field(default_factory=list)


def read_points(path: Path | str, data: bytes | None = None, kind: str = "") -> ImportedLayer:
    """Read a point file (``data`` if given, else the file at ``path``)."""
    path = Path(path)
    name = path.name
    raw = data if data is not None else path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise ImportFailed(
            [
                Problem.of(
                    name,
                    0,
                    "-",
                    "layer_too_large",
                    size=f"{len(raw):,}".replace(",", " "),
                    limit=f"{MAX_BYTES:,}".replace(",", " "),
                )
            ]
        )
    suffix = path.suffix.lower()
    try:  # an archive behind any name, a GeoPackage that is no SQLite file
        geofile.check_kind(name, raw, geofile.expected_kind(name))
    except geofile.Refused as err:
        raise ImportFailed([Problem.from_invalid(name, 0, "-", err)]) from None
    if suffix == ".gpkg":
        frame, fmt, problems = _from_geodata(name, raw, "GeoPackage")
    elif suffix in (".geojson", ".json"):
        parsed = _json(name, raw)
        if isinstance(parsed, dict) and "elements" in parsed:
            frame, fmt, problems = _from_overpass(name, parsed)
        else:
            frame, fmt, problems = _from_geodata(name, raw, "GeoJSON")
    else:
        frame, fmt, problems = _from_csv(name, raw)
    if kind:
        frame["kind"] = kind
    frame = _finish(frame)
    frame, swapped = _drop_swapped(name, frame)
    located, outside = place_in_sweden(frame)
    return ImportedLayer(located, name, fmt, outside, problems + swapped)


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    if "id" in frame:
        frame["id"] = frame["id"].replace("", np.nan)
    if "id" not in frame or frame["id"].isna().any() or frame["id"].astype(str).duplicated().any():
        frame["id"] = (
            [f"p{i + 1}" for i in range(len(frame))]
            if "id" not in frame
            else [str(v) if pd.notna(v) else f"p{i + 1}" for i, v in enumerate(frame["id"])]
        )
        frame["id"] = _deduplicate(frame["id"].astype(str))
    for column, default in (("name", ""), ("kind", "facility"), ("population", 0)):
        if column not in frame:
            frame[column] = default
    frame["id"] = frame["id"].astype(str)
    frame["name"] = frame["name"].fillna("").astype(str)
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce").fillna(0).astype(int)
    columns = ["id", "name", "kind", "lat", "lon", "population"] + (["country"] if "country" in frame else [])
    return frame[columns]


def _drop_swapped(name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows whose lat and lon are the wrong way round are reported, not moved."""
    swapped = frame["lat"].between(10.9, 24.3) & frame["lon"].between(55.0, 69.2)
    problems = [
        Problem.of(name, int(i) + 2, "lat", "lat_lon_swapped", lat=r.lat, lon=r.lon)
        for i, r in frame[swapped].iterrows()
    ]
    return frame[~swapped].reset_index(drop=True), problems


def _deduplicate(ids: pd.Series) -> pd.Series:
    counts: dict[str, int] = {}
    out = []
    for value in ids:
        counts[value] = counts.get(value, 0) + 1
        out.append(value if counts[value] == 1 else f"{value}-{counts[value]}")
    return pd.Series(out, index=ids.index)


def place_in_sweden(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Keep the points in Sweden, each with its kommun; return them and how many were abroad."""
    columns = ["id", "name", "kind", "lat", "lon", "population"]
    if frame.empty:
        return frame[columns].assign(kommun_kod=pd.Series(dtype=str)), 0
    from scipy.spatial import KDTree

    from ..distances import to_sweref
    from ..gazetteer import places

    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=geo.WGS84).to_crs(
        geo.SWEREF99TM
    )
    kom = geo.kommuner()[["kommun_kod", "geometry"]].to_crs(geo.SWEREF99TM)
    joined = gpd.sjoin_nearest(points, kom, how="left", max_distance=SWEDEN_TOLERANCE_M, distance_col="gap")
    joined = joined[~joined.index.duplicated(keep="first")]
    gazetteer = places()
    gx, gy = to_sweref(gazetteer["lat"].to_numpy(), gazetteer["lon"].to_numpy())
    _, nearest = KDTree(np.column_stack([gx, gy])).query(np.column_stack([joined.geometry.x, joined.geometry.y]))
    nearest_is_swedish = gazetteer["country"].to_numpy()[nearest] == "SE"
    in_sweden = joined["kommun_kod"].notna() & ((joined["gap"] == 0) | nearest_is_swedish)
    if "country" in joined:
        stated = joined["country"].fillna("").astype(str).str.strip().str.casefold()
        in_sweden &= ~stated.isin(_FOREIGN_COUNTRY)
    located = pd.DataFrame(joined.loc[in_sweden, [*columns, "kommun_kod"]]).reset_index(drop=True)
    return located, int((~in_sweden).sum())


def json_depth(raw: bytes) -> int:
    """How deep arrays and objects nest in JSON text, found without parsing it (a parser
    recurses once per level: 200 000 levels end in RecursionError, or worse). Brackets
    inside strings do not count."""
    import re

    text = re.sub(rb"\\.", b"", raw)  # escaped characters, among them \"
    codes = np.frombuffer(text, dtype=np.uint8)
    at = np.flatnonzero((codes == 34) | (codes == 91) | (codes == 93) | (codes == 123) | (codes == 125))
    chars = codes[at]
    quote = chars == 34
    inside = (np.cumsum(quote) - quote) % 2 == 1  # an odd number of quotes before it
    brackets = chars[~quote & ~inside]
    if not len(brackets):
        return 0
    steps = np.where((brackets == 91) | (brackets == 123), 1, -1).astype(np.int32)
    return int(np.cumsum(steps).max())


def _json(name: str, raw: bytes):
    depth = json_depth(raw)
    if depth > limits.JSON_DEPTH:
        raise ImportFailed([Problem.of(name, 0, "-", "json_nested", depth=depth, limit=limits.JSON_DEPTH)])
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ImportFailed([Problem.of(name, getattr(err, "lineno", 0), "-", "invalid_json", error=str(err))]) from None
    except RecursionError:
        raise ImportFailed([Problem.of(name, 0, "-", "json_too_deep", depth="?", limit=limits.JSON_DEPTH)]) from None


def _from_geodata(name: str, raw: bytes, fmt: str):
    try:
        gdf = geofile.read_frame(name, raw, max_rows=limits.POINT_ROWS)
    except geofile.Refused as err:
        raise ImportFailed([Problem.from_invalid(name, 0, "-", err)]) from None
    except Exception as err:  # pyogrio raises several kinds
        raise ImportFailed([Problem.of(name, 0, "-", "unreadable_format", format=fmt, error=str(err))]) from None
    problems = []
    if gdf.crs is None:
        problems.append(Problem.of(name, 0, "crs", "no_crs"))
        gdf = gdf.set_crs(geo.WGS84)
    keep = []
    for i, geom in enumerate(gdf.geometry):
        if geom is None or geom.is_empty:
            problems.append(Problem.of(name, i + 1, "geometry", "no_geometry"))
        elif geom.geom_type != "Point":
            problems.append(Problem.of(name, i + 1, "geometry", "not_a_point", geometry=geom.geom_type))
        elif not (math.isfinite(geom.x) and math.isfinite(geom.y)):
            value = f"({geom.x}, {geom.y})"
            problems.append(Problem.of(name, i + 1, "geometry", "coordinate_not_finite", value=value))
        else:
            keep.append(i)
    gdf = gdf.iloc[keep]
    rows = np.array(keep, dtype=int) + 1
    with np.errstate(all="ignore"):
        gdf = gdf.to_crs(geo.WGS84)
    lat, lon = gdf.geometry.y.to_numpy(), gdf.geometry.x.to_numpy()
    on_earth = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    problems += [
        Problem.of(name, int(rows[i]), "geometry", "coordinate_out_of_range", lat=lat[i], lon=lon[i])
        for i in np.flatnonzero(~on_earth)
    ]
    gdf = gdf[on_earth]
    attributes = pd.DataFrame(gdf.drop(columns="geometry"))
    frame = _columns(attributes, {"name": _NAME, "id": _ID, "population": _POPULATION, "kind": _KIND})
    frame["lat"], frame["lon"] = lat[on_earth], lon[on_earth]
    return frame, fmt, problems


def _coordinate(value) -> float | None:
    """A number an Overpass element gives as a coordinate, or None (a string, NaN, a list)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _from_overpass(name: str, parsed: dict):
    """Points from an Overpass answer (``out center`` gives ways and relations a centre).
    Each element that is no object, or whose coordinates are not numbers on the earth, is
    a problem with its element number and field; the rest are kept. Used by the fetch as
    well, to check an answer before it is cached."""
    rows, problems = [], []
    elements = parsed.get("elements", [])
    if not isinstance(elements, list):
        raise ImportFailed([Problem.of(name, 0, "elements", "overpass_not_list", found=type(elements).__name__)])
    for i, element in enumerate(elements):
        if not isinstance(element, dict):
            problems.append(Problem.of(name, i + 1, "-", "overpass_not_object", found=type(element).__name__))
            continue
        center = element.get("center")
        if not isinstance(center, dict):
            center = {}
        given = {"lat": element.get("lat", center.get("lat")), "lon": element.get("lon", center.get("lon"))}
        tags = element.get("tags")
        if not isinstance(tags, dict):
            tags = {}
        if given["lat"] is None or given["lon"] is None:
            problems.append(
                Problem.of(
                    name,
                    i + 1,
                    "lat",
                    "no_position",
                    element=str(element.get("type", "?")),
                    element_id=str(element.get("id", "?")),
                )
            )
            continue
        lat, lon = _coordinate(given["lat"]), _coordinate(given["lon"])
        if lat is None or lon is None:
            wrong = "lat" if lat is None else "lon"
            problems.append(Problem.of(name, i + 1, wrong, "overpass_bad_coordinate", value=str(given[wrong])[:40]))
            continue
        if abs(lat) > 90 or abs(lon) > 180:
            problems.append(Problem.of(name, i + 1, "lat", "coordinate_out_of_range", lat=lat, lon=lon))
            continue
        rows.append(
            {
                "id": f"osm-{element.get('type', 'node')}-{element.get('id', i)}",
                "name": str(tags.get("name", "")),
                "kind": str(tags.get("shop") or tags.get("amenity") or "facility"),
                "lat": lat,
                "lon": lon,
            }
        )
    return pd.DataFrame(rows, columns=["id", "name", "kind", "lat", "lon"]), "OpenStreetMap (Overpass JSON)", problems


def _from_csv(name: str, raw: bytes):
    problems: list[Problem] = []
    read = csv_input.read_table(
        name,
        raw,
        problems,
        max_rows=limits.POINT_ROWS,
        not_utf8_code="layer_not_utf8",
        field_count_code="layer_field_count",
    )
    if read is None:
        raise ImportFailed(problems)
    columns = read.header
    lines = [line for line, _ in read.rows]
    records = [values for _, values in read.rows]
    table = pd.DataFrame(records, columns=columns)
    is_chain_format = {"chain", "latitude", "longitude", "location"} <= {c.lower() for c in columns}
    frame = _columns(table, {"name": _NAME, "id": _ID, "population": _POPULATION, "kind": _KIND})
    if is_chain_format:
        chain = table[_find(columns, ("chain",))]
        category = (
            table[_find(columns, ("category",))] if _find(columns, ("category",)) else pd.Series("", index=table.index)
        )
        frame["kind"] = [CHAIN_KINDS.get(c) or _CATEGORY_KINDS.get(k, "facility") for c, k in zip(chain, category)]
        frame["name"] = table[_find(columns, ("location",))]
    country = _find(columns, ("country", "land"))
    if country:
        frame["country"] = table[country]
    lat_col, lon_col = _find(columns, _LAT), _find(columns, _LON)
    x_col, y_col = _find(columns, _X), _find(columns, _Y)
    if lat_col and lon_col:
        first, second, crs, fields = table[lat_col], table[lon_col], "wgs84", (lat_col, lon_col)
    elif x_col and y_col:
        first, second, crs, fields = table[x_col], table[y_col], "xy", (x_col, y_col)
    else:
        raise ImportFailed([Problem.of(name, 1, "-", "no_coordinate_columns")])
    a, bad_a = _numbers(first)
    b, bad_b = _numbers(second)
    for position in np.flatnonzero(bad_a | bad_b):
        field_name = fields[0] if bad_a[position] else fields[1]
        value = (first if bad_a[position] else second).iloc[position]
        problems.append(Problem.of(name, lines[position], field_name, "not_a_number", value=str(value)))
    crs = _detect_crs(name, crs, a[~(bad_a | bad_b)], b[~(bad_a | bad_b)], fields)
    lat, lon, bad = _to_wgs84(crs, a, b)
    for position in np.flatnonzero(bad & ~(bad_a | bad_b)):
        problems.append(
            Problem.of(
                name,
                lines[position],
                fields[0],
                "not_coordinates",
                first=str(first.iloc[position]),
                second=str(second.iloc[position]),
                crs=_CRS_NAMES[crs],
            )
        )
    if "population" in frame:
        population, bad_population = _numbers(frame["population"].replace("", "0"))
        population_column = _find(columns, _POPULATION)
        for position in np.flatnonzero(bad_population):
            problems.append(
                Problem.of(
                    name,
                    lines[position],
                    population_column or "population",
                    "not_a_population",
                    value=str(frame["population"].iloc[position]),
                )
            )
        frame["population"] = np.nan_to_num(population, nan=0.0)
    keep = ~(bad | bad_a | bad_b)
    frame = frame[keep].assign(lat=lat[keep], lon=lon[keep])
    fmt = f"CSV ({_CRS_NAMES[crs]}, avgränsare '{read.delimiter}')"
    return frame, fmt + CHAIN_FORMAT_NOTE if is_chain_format else fmt, problems


_CRS_NAMES = {"wgs84": "WGS 84 lat/lon", "sweref": "SWEREF 99 TM x/y", "sweref_swapped": "SWEREF 99 TM, nord/öst"}


def _detect_crs(name, crs, a, b, fields) -> str:
    """Decide from the values what the coordinate columns hold."""
    if crs == "wgs84":
        if len(a) and np.median(np.abs(a)) > 1000:
            raise ImportFailed(
                [Problem.of(name, 2, fields[0], "metres_not_degrees", first=fields[0], second=fields[1])]
            )
        return "wgs84"
    if not len(a):
        return "sweref"
    x_med, y_med = np.median(a), np.median(b)
    if SWEREF_X[0] <= x_med <= SWEREF_X[1] and SWEREF_Y[0] <= y_med <= SWEREF_Y[1]:
        return "sweref"
    if SWEREF_Y[0] <= x_med <= SWEREF_Y[1] and SWEREF_X[0] <= y_med <= SWEREF_X[1]:
        return "sweref_swapped"  # geodesists' order: x north, y east
    if 10 <= x_med <= 25 and 55 <= y_med <= 70:
        return "wgs84_xy"
    raise ImportFailed(
        [
            Problem.of(
                name, 2, fields[0], "crs_unclear", first=fields[0], second=fields[1], x=float(x_med), y=float(y_med)
            )
        ]
    )


def _numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    text = (
        column.astype(str)
        .str.strip()
        .str.replace("\u2212", "-", regex=False)
        .str.replace(r"[\s\u00a0]", "", regex=True)
        .str.replace(",", ".", regex=False)
    )
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    return values, np.isnan(values)


def _to_wgs84(crs: str, a: np.ndarray, b: np.ndarray):
    from pyproj import Transformer

    if crs == "wgs84":
        lat, lon = a, b
    elif crs == "wgs84_xy":
        lat, lon = b, a
    else:
        x, y = (a, b) if crs == "sweref" else (b, a)
        lon, lat = Transformer.from_crs(geo.SWEREF99TM, geo.WGS84, always_xy=True).transform(
            np.nan_to_num(x), np.nan_to_num(y)
        )
        lat, lon = np.asarray(lat), np.asarray(lon)
    bad = ~((np.abs(lat) <= 90) & (np.abs(lon) <= 180))
    return lat, lon, bad


def _find(columns, candidates) -> str | None:
    folded = {re.sub(r"[^a-zåäö0-9_]", "", c.casefold()): c for c in columns}
    for candidate in candidates:
        if candidate in folded:
            return folded[candidate]
    return None


def _columns(table: pd.DataFrame, wanted: dict[str, tuple]) -> pd.DataFrame:
    out = pd.DataFrame(index=table.index)
    for target, candidates in wanted.items():
        column = _find(list(table.columns), candidates)
        if column is not None:
            out[target] = table[column].to_numpy()
    return out
