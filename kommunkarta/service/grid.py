"""Population grids: SCB's "statistik på rutor" and any file of squares or points with a
population column, as origins that count everyone, and SCB's open WFS fetched on a click.

SCB's grid files (1 km squares in SWEREF 99 TM, CC0; GeoPackage from SCB's open geodata
or the WFS ``https://geodata.scb.se/geoserver/stat/wfs`` layer ``stat:befolkning_1km_2025``)
have the columns ``rutid_scb`` (the square's south-west corner, east then north:
``3940006133000``), ``rutid_inspire`` (``SE_CRS3006RES1000mN6133000E394000``), ``rutstorl``
(side in metres), ``beftotalt`` (total population), ``man``, ``kvinna``, age groups
``ald0_4`` … ``ald95_99``, ``ald100w`` (older files: ``ald0_5`` … ``ald95_100``) and
``referenstid``. Older files name the square ``Ruta`` and the population ``Pop`` or
``Totalt``. SCB protects individuals by perturbing small counts, so the age groups need
not add up to ``beftotalt``; the total is always taken from ``beftotalt``.

A square with no population is not stored. The square's centre is its origin, and the
square belongs to the kommun its centre lies in (a spatial join, not a loop); a centre
just outside the simplified kommun boundaries (islands, coast) goes to the nearest kommun
within 10 km; farther ones are reported.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import csv_input, geo, geofile, limits
from ..loader import Problem
from ..web.client import FetchError
from .importers import SWEDEN_TOLERANCE_M, ImportedLayer, ImportFailed

GRID_KIND = "ruta"  # the kind of every point of a grid layer: how a stored grid is recognised
MAX_BYTES = limits.GRID_FILE_BYTES  # a 250 m grid of Sweden as polygons is about 250 MB
MAX_SQUARES = limits.GRID_SQUARES

WFS_ENDPOINT = "https://geodata.scb.se/geoserver/stat/wfs"
WFS_GRID_LAYER = "stat:befolkning_1km_2025"
WFS_PAGE_SIZE = 20_000
WFS_MAX_FEATURES = 1_000_000
WFS_MAX_BYTES = limits.GRID_FILE_BYTES  # one limit with the reader
TIMEOUT_S = 120
SOURCE_NOTE = "SCB, statistik på rutor (CC0)"

_ID = ("rutid_scb", "rutid", "rut_id", "ruta", "rutid_inspire", "id")
_POPULATION = ("beftotalt", "totalbefolkning", "totalt", "pop", "population", "befolkning", "folkmangd", "bef")
_SIZE = ("rutstorl", "rutstorlek", "cellsize", "size")
_X = ("x", "x_sweref99tm", "x_koord", "e", "easting", "ost")
_Y = ("y", "y_sweref99tm", "y_koord", "n", "northing", "nord")
_LAT = ("lat", "latitude", "latitud")
_LON = ("lon", "lng", "longitude", "longitud")
# Age groups as SCB names them: ald70_74 (or ald70_75), ald100w ("and older").
_AGE = re.compile(r"^ald(\d+)(?:_(\d+)|w)$")
OLD_AGE = 70
_INSPIRE = re.compile(r"RES(\d+)mN(\d+)E(\d+)$")


Offline = FetchError  # the WFS fetch's errors (kommunkarta.web.scb), by their old name


def _fold(name: str) -> str:
    return re.sub(r"[^a-z0-9_]", "", str(name).casefold().replace("ä", "a").replace("å", "a").replace("ö", "o"))


def _find(columns, candidates) -> str | None:
    folded = {_fold(c): c for c in columns}
    return next((folded[c] for c in candidates if c in folded), None)


def old_age_columns(columns) -> list[str]:
    """The age-group columns of people aged 70 and over."""
    return [c for c in columns if (m := _AGE.match(_fold(c))) and int(m.group(1)) >= OLD_AGE]


def read_grid(path: Path | str, data: bytes | None = None) -> ImportedLayer:
    """Read a population grid (GeoPackage, GeoJSON or CSV; squares or points) into
    origins: one point per populated square at its centre, with its kommun, population
    and, where the file has age groups, ``population_70`` (people aged 70 and over)."""
    path = Path(path)
    name = path.name
    size = len(data) if data is not None else path.stat().st_size
    if size > MAX_BYTES:
        raise ImportFailed([Problem.of(name, 0, "-", "grid_file_size", size=size, limit=MAX_BYTES)])
    suffix = path.suffix.lower()
    try:  # an archive behind any name, a GeoPackage that is no SQLite file
        geofile.check_kind(name, data if data is not None else path, geofile.expected_kind(name))
    except geofile.Refused as err:
        raise ImportFailed([Problem.from_invalid(name, 0, "-", err)]) from None
    if suffix in (".gpkg", ".geojson", ".json"):
        table, x, y, problems, rows, xy_field = _from_geodata(name, path, data)
        fmt = "GeoPackage" if suffix == ".gpkg" else "GeoJSON"
    else:
        raw = data if data is not None else path.read_bytes()
        table, x, y, problems, rows, xy_field = _from_csv(name, raw)
        fmt = "CSV"
    if len(table) > MAX_SQUARES:
        raise ImportFailed([Problem.of(name, 0, "-", "grid_squares", n=len(table), limit=MAX_SQUARES)])
    population_column = _find(table.columns, _POPULATION)
    if population_column is None:
        raise ImportFailed([Problem.of(name, 1, "-", "grid_no_population", examples=", ".join(_POPULATION[:4]))])
    population, bad = _counts(table[population_column])
    problems += [
        Problem.of(
            name, int(rows[i]), population_column, "grid_bad_population", value=str(table[population_column].iloc[i])
        )
        for i in np.flatnonzero(bad)
    ]
    bad_xy = ~(np.isfinite(x) & np.isfinite(y))
    reported = {p.row for p in problems if p.field == xy_field}  # said more precisely by the reader
    problems += [
        Problem.of(name, int(rows[i]), xy_field, "grid_bad_position", value=str(table[xy_field].iloc[i]))
        if xy_field in table
        else Problem.of(name, int(rows[i]), xy_field, "grid_no_geometry")
        for i in np.flatnonzero(bad_xy & ~bad)
        if int(rows[i]) not in reported
    ]
    keep = ~bad & ~bad_xy & (population > 0)
    zero = int((~bad & ~bad_xy & (population <= 0)).sum())
    if zero:
        problems.append(
            Problem.of(
                name,
                0,
                population_column,
                "grid_empty_squares_one" if zero == 1 else "grid_empty_squares",
                "notice",
                n=zero,
            )
        )
    old_columns = old_age_columns(table.columns)
    old = None
    if old_columns:
        parts = [_counts(table[c]) for c in old_columns]
        old = np.sum([np.where(b, 0, v) for v, b in parts], axis=0)
    id_column = _find(table.columns, _ID)
    ids = (
        table[id_column].astype(str).to_numpy()
        if id_column
        else np.array([f"ruta-{int(a)}-{int(b)}" if ok else "" for a, b, ok in zip(x, y, ~bad_xy)], dtype=object)
    )
    frame = pd.DataFrame(
        {"id": ids, "x": x, "y": y, "population": population, "row": rows}
        | ({"population_70": old} if old is not None else {})
    )[keep]
    frame = frame.drop_duplicates("id")
    located, outside = _locate(frame)
    problems += [
        Problem.of(name, int(r), "geometry", "grid_outside_sweden", id=str(i), km=SWEDEN_TOLERANCE_M // 1000)
        for i, r in zip(outside["id"], outside["row"])
    ]
    located = located.drop(columns="row")
    return ImportedLayer(located, name, f"{fmt} (befolkningsrutnät)", len(outside), problems)


def _counts(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Whole non-negative numbers; empty counts as 0 (SCB leaves empty groups blank)."""
    text = column.astype(str).str.strip().str.replace(r"[\s\u00a0]", "", regex=True).str.replace(",", ".")
    text = text.where(~text.isin(["", "nan", "None", "<NA>"]), "0")
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(values) | (values < 0)
    return np.where(bad, 0, np.round(values)).astype(np.int64), bad


def _from_geodata(name: str, path: Path, data: bytes | None):
    try:
        gdf = geofile.read_frame(name, data if data is not None else path, max_rows=MAX_SQUARES)
    except geofile.Refused as err:
        raise ImportFailed([Problem.from_invalid(name, 0, "-", err)]) from None
    except Exception as err:  # pyogrio raises several kinds
        raise ImportFailed([Problem.of(name, 0, "-", "grid_unreadable", error=str(err))]) from None
    problems = []
    if gdf.crs is None:
        problems.append(Problem.of(name, 0, "crs", "grid_no_crs"))
        gdf = gdf.set_crs(geo.SWEREF99TM)
    with np.errstate(all="ignore"):
        geometry = gdf.geometry.to_crs(geo.SWEREF99TM)
        empty = geometry.isna() | geometry.is_empty
        # A square's centre is the middle of its extent; for a point, the point.
        bounds = geometry.bounds.to_numpy()
        x = np.where(empty, np.nan, (bounds[:, 0] + bounds[:, 2]) / 2)
        y = np.where(empty, np.nan, (bounds[:, 1] + bounds[:, 3]) / 2)
    # A geometry with a coordinate of Infinity, or one far off the earth (1e308).
    off = np.flatnonzero(~empty.to_numpy() & ~(np.isfinite(x) & np.isfinite(y) & (np.abs(x) < 1e8) & (np.abs(y) < 1e8)))
    problems += [
        Problem.of(name, int(i) + 1, "geometry", "coordinate_not_finite", value=str(gdf.geometry.iloc[i])[:60])
        for i in off
    ]
    x[off], y[off] = np.nan, np.nan
    return pd.DataFrame(gdf.drop(columns=gdf.geometry.name)), x, y, problems, np.arange(len(gdf)) + 1, "geometry"


def _from_csv(name: str, raw: bytes):
    problems: list[Problem] = []
    # The one lenient CSV reader, with its column, cell and row limits (a file of
    # 100 000 columns is refused at its header).
    read = csv_input.read_table(
        name,
        raw,
        problems,
        max_rows=MAX_SQUARES,
        not_utf8_code="layer_not_utf8",
        field_count_code="layer_field_count",
    )
    if read is None:
        raise ImportFailed(problems)
    table = pd.DataFrame([values for _, values in read.rows], columns=read.header, dtype=object)
    lines = np.array([line for line, _ in read.rows], dtype=np.int64)
    columns = list(table.columns)
    x_col, y_col = _find(columns, _X), _find(columns, _Y)
    lat_col, lon_col = _find(columns, _LAT), _find(columns, _LON)
    if x_col and y_col:
        x, bad_x = _numbers(table[x_col])
        y, bad_y = _numbers(table[y_col])
        finite = x[np.isfinite(x)]
        if len(finite) and np.median(finite) > 1_000_000:  # geodesists' order: x north, y east
            x, y = y, x
    elif lat_col and lon_col:
        lat, bad_x = _numbers(table[lat_col])
        lon, bad_y = _numbers(table[lon_col])
        from ..distances import to_sweref

        x, y = to_sweref(np.nan_to_num(lat), np.nan_to_num(lon))
        x, y = np.where(bad_x | bad_y, np.nan, x), np.where(bad_x | bad_y, np.nan, y)
    else:
        x, y, xy_field, notes = _centres_from_ids(name, table)
        return table, x, y, problems + notes, lines, xy_field
    xy_field = x_col if x_col and y_col else lat_col
    return table, x, y, problems, lines, xy_field


def _numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    text = column.astype(str).str.strip().str.replace(r"[\s\u00a0]", "", regex=True).str.replace(",", ".")
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    return values, np.isnan(values)


def _centres_from_ids(name: str, table: pd.DataFrame):
    """Centres from SCB's square ids: ``rutid_inspire`` carries the size; ``rutid_scb``
    (east, then seven digits north, of the south-west corner) takes it from ``rutstorl``."""
    columns = list(table.columns)
    inspire, scb = _find(columns, ("rutid_inspire",)), _find(columns, ("rutid_scb", "rutid", "rut_id", "ruta"))
    size_col = _find(columns, _SIZE)
    n = len(table)
    if inspire:
        parts = table[inspire].astype(str).str.extract(_INSPIRE).astype(float).to_numpy()
        size, north, east = parts[:, 0], parts[:, 1], parts[:, 2]
        bad = np.isnan(size) | np.isnan(north) | np.isnan(east)
        field = inspire
    elif scb:
        text = table[scb].astype(str).str.strip()
        valid = text.str.fullmatch(r"\d{12,14}")
        east = pd.to_numeric(text.str[:-7].where(valid), errors="coerce").to_numpy(dtype=float)
        north = pd.to_numeric(text.str[-7:].where(valid), errors="coerce").to_numpy(dtype=float)
        if np.isfinite(north).any() and np.nanmedian(north) < 1_000_000:  # north first (6133000394000)
            north = pd.to_numeric(text.str[:7].where(valid), errors="coerce").to_numpy(dtype=float)
            east = pd.to_numeric(text.str[7:].where(valid), errors="coerce").to_numpy(dtype=float)
        size = _numbers(table[size_col])[0] if size_col else np.full(n, 1000.0)
        bad = np.isnan(east) | np.isnan(north) | np.isnan(size)
        field = scb
    else:
        raise ImportFailed([Problem.of(name, 1, "-", "grid_no_columns")])
    notes = []
    if scb and not inspire and not size_col:
        notes.append(Problem.of(name, 1, field, "grid_no_size", "notice"))
    x = np.where(bad, np.nan, east + size / 2)
    y = np.where(bad, np.nan, north + size / 2)
    return x, y, field, notes


def _locate(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each centre's kommun by a spatial join; centres just off the simplified coast go to
    the nearest kommun within the tolerance. Returns the located squares and the rest."""
    from pyproj import Transformer

    columns = ["id", "name", "kind", "lat", "lon", "population", "kommun_kod", "x", "y"]
    extra = [c for c in ("population_70", "row") if c in frame]
    if frame.empty:
        return pd.DataFrame(columns=columns + extra), frame
    points = gpd.GeoDataFrame(
        frame.reset_index(drop=True),
        geometry=gpd.points_from_xy(frame["x"], frame["y"]),
        crs=geo.SWEREF99TM,
    )
    kommuner = _kommuner_sweref()
    inside = gpd.sjoin(points, kommuner, how="left", predicate="within")
    inside = inside[~inside.index.duplicated(keep="first")]
    codes = inside["kommun_kod"].reindex(points.index)
    missing = codes.isna().to_numpy()
    if missing.any():
        near = gpd.sjoin_nearest(points[missing], kommuner, how="left", max_distance=SWEDEN_TOLERANCE_M)
        near = near[~near.index.duplicated(keep="first")]
        codes[missing] = near["kommun_kod"].reindex(points.index[missing]).to_numpy()
    located = points.assign(kommun_kod=codes.to_numpy())
    outside = located[located["kommun_kod"].isna()]
    located = located[located["kommun_kod"].notna()]
    lon, lat = Transformer.from_crs(geo.SWEREF99TM, geo.WGS84, always_xy=True).transform(
        located["x"].to_numpy(), located["y"].to_numpy()
    )
    located = pd.DataFrame(located.drop(columns="geometry")).assign(
        name=located["id"].to_numpy(), kind=GRID_KIND, lat=lat, lon=lon
    )
    return located[columns + extra].reset_index(drop=True), pd.DataFrame(outside.drop(columns="geometry"))


def _kommuner_sweref() -> gpd.GeoDataFrame:
    return geo.kommuner()[["kommun_kod", "geometry"]].to_crs(geo.SWEREF99TM)


def is_grid(kinds: dict) -> bool:
    """Whether a stored origin layer (by its kinds) is a population grid."""
    return set(kinds) == {GRID_KIND}


# --- SCB's open WFS: fetched by kommunkarta.web.scb ---------------------------------


def wfs_cache_file(type_name: str, endpoint: str) -> Path:
    from ..web import scb

    return scb.wfs_cache_file(type_name, endpoint)


def fetch_wfs(type_name: str = WFS_GRID_LAYER, endpoint: str | None = None, **options) -> Path:
    """SCB's WFS layer as a cached GeoJSON file: see ``kommunkarta.web.scb.fetch_wfs``."""
    from ..web import scb

    return scb.fetch_wfs(type_name, endpoint, **options)
