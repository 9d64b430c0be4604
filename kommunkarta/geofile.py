"""What an uploaded file is, and reading geodata from it within limits, for every reader
that hands a file to GDAL (point layers, population grids, road GeoPackages).

GDAL opens a file by its content, not its name: a zip or gzip named ``.geojson`` is
unpacked (the size limit saw only the compressed bytes), and a GeoPackage's feature
table may be a view that SQLite computes row by row for ever. So, before GDAL sees a file:

* ``check_kind``: its first bytes must be what its name says (a GeoPackage is an SQLite
  database, a GeoJSON file is JSON text); an archive or compressed stream (zip, gzip,
  bzip2, xz, 7z, zstd, rar, tar) is refused whatever its name;
* ``check_geopackage``: every table the GeoPackage registers (``gpkg_contents``), and
  GeoPackage's own tables, must be real tables (no views, no virtual tables), each
  feature table with its geometry column, and no more rows than the limit; SQLite runs
  these checks under a deadline.

``read_frame`` then reads in batches, stops at the row limit and at the wall-clock limit
(``limits.READ_SECONDS``), and says which was reached.
"""

from __future__ import annotations

import io
import sqlite3
import time
import warnings
from pathlib import Path

from . import limits
from .problems import Invalid

# Magic numbers of archives and compressed streams: GDAL (or pyogrio) opens several of
# them by content (/vsizip/, /vsigzip/, /vsitar/, …).
CONTAINERS = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"Rar!\x1a\x07", "rar"),
)
SQLITE = b"SQLite format 3\x00"
# GeoPackage's own tables that GDAL reads when it opens a file.
_GPKG_TABLES = ("gpkg_contents", "gpkg_geometry_columns", "gpkg_spatial_ref_sys")
_BATCH = 65_536


class Refused(Invalid):
    """A file refused before it is read, or a reading stopped at a limit."""


def container_of(head: bytes) -> str | None:
    """The kind of archive or compressed stream ``head`` starts, or None."""
    for magic, kind in CONTAINERS:
        if head.startswith(magic):
            if kind == "bzip2" and not (head[3:4].isdigit() and head[4:10] == b"1AY&SY"):
                continue  # a text file that starts with "BZh"
            return kind
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    return None


def kind_of(head: bytes) -> str:
    """What the first bytes of a file say it is: an archive's kind, ``sqlite``, ``json``
    or ``other``."""
    container = container_of(head)
    if container:
        return container
    if head.startswith(SQLITE):
        return "sqlite"
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    text = text.lstrip(b" \t\r\n\x1e")  # \x1e: a GeoJSON text sequence (RFC 8142)
    if text[:1] in (b"{", b"["):
        return "json"
    return "other"


def _head(source: Path | bytes) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source[:512])
    with open(source, "rb") as handle:
        return handle.read(512)


def check_kind(name: str, source: Path | bytes, expected: str) -> None:
    """Refuse a file whose content is not ``expected`` (``sqlite`` for a GeoPackage,
    ``json`` for GeoJSON), and any archive or compressed stream, before anything opens it.
    ``expected`` ``text``: anything but an archive (a CSV file)."""
    head = _head(source)
    found = kind_of(head)
    if container_of(head):
        raise Refused("file_is_archive", file=name, kind=found)
    if expected != "text" and found != expected:
        raise Refused("file_not_format", file=name, expected=_FORMAT_NAMES[expected], found=_FORMAT_NAMES[found])


_FORMAT_NAMES = {"sqlite": "GeoPackage (SQLite)", "json": "JSON", "other": "?", "text": "text"}


def expected_kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return "sqlite" if suffix == ".gpkg" else "json" if suffix in (".geojson", ".json") else "text"


def _connect(source: Path | bytes) -> sqlite3.Connection:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if data[18:20] == b"\x02\x02":
            # WAL mode (QGIS saves so): an uploaded file has no -wal file beside it, and
            # an in-memory copy opens only as a rollback-journal database.
            data = data[:18] + b"\x01\x01" + data[20:]
        con = sqlite3.connect(":memory:")
        try:
            con.deserialize(data)
        except sqlite3.DatabaseError:
            con.close()
            raise
        return con
    return sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)


def check_geopackage(name: str, source: Path | bytes, max_rows: int, seconds: float = limits.READ_SECONDS) -> None:
    """Refuse a GeoPackage that GDAL should not open: a registered table or one of
    GeoPackage's own tables that is a view or a virtual table, a feature table without
    its geometry column, more rows than ``max_rows``. SQLite stops after ``seconds``."""
    try:
        con = _connect(source)
    except sqlite3.DatabaseError as err:
        raise Refused("gpkg_unreadable", file=name, error=str(err)) from None
    deadline = time.monotonic() + seconds
    con.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        # SQLite's names are case-insensitive: "Roads" in gpkg_contents is the view "roads".
        kinds = {
            str(n).casefold(): (t, (s or "").lstrip().upper())
            for t, n, s in con.execute("SELECT type, name, sql FROM sqlite_master")
        }

        def real_table(table: str) -> bool:
            kind, sql = kinds.get(str(table).casefold(), ("", ""))
            return kind == "table" and not sql.startswith("CREATE VIRTUAL")

        for table in _GPKG_TABLES:
            if table in kinds and not real_table(table):
                raise Refused("gpkg_view", file=name, table=table)
        if "gpkg_contents" not in kinds:
            raise Refused("gpkg_no_contents", file=name)
        registered = con.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall()
        geometry_columns = (
            {
                str(t).casefold(): str(c)
                for t, c in con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns")
            }
            if "gpkg_geometry_columns" in kinds
            else {}
        )
        for table, data_type in registered:
            if data_type not in ("features", "attributes"):
                continue
            if str(table).casefold() not in kinds:
                continue  # registered but absent: GDAL leaves it out too
            if not real_table(table):
                raise Refused("gpkg_view", file=name, table=str(table))
            if data_type == "features":
                column = geometry_columns.get(str(table).casefold())
                quoted = '"' + str(table).replace('"', '""') + '"'
                present = {str(row[1]).casefold() for row in con.execute(f"PRAGMA table_info({quoted})")}
                if column is None or column.casefold() not in present:
                    raise Refused("gpkg_no_geometry", file=name, table=str(table), column=str(column or "-"))
                rows = con.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]
                if rows > max_rows:
                    raise Refused("too_many_features", file=name, n=f"{rows:,}", limit=f"{max_rows:,}")
    except sqlite3.OperationalError as err:
        if time.monotonic() > deadline:
            raise Refused("read_too_long", file=name, seconds=f"{seconds:g}") from None
        raise Refused("gpkg_unreadable", file=name, error=str(err)) from None
    except sqlite3.DatabaseError as err:
        raise Refused("gpkg_unreadable", file=name, error=str(err)) from None
    finally:
        con.close()


def check(name: str, source: Path | bytes, max_rows: int, expected: str | None = None) -> str:
    """Everything that is checked before GDAL sees a file; returns its kind."""
    expected = expected or expected_kind(name)
    check_kind(name, source, expected)
    if expected == "sqlite":
        check_geopackage(name, source, max_rows)
    return expected


def read_frame(
    name: str,
    source: Path | bytes,
    *,
    max_rows: int,
    seconds: float = limits.READ_SECONDS,
    layer: str | None = None,
    expected: str | None = None,
):
    """The file's features as a GeoDataFrame, after ``check``; the reading stops with
    ``Refused`` past ``max_rows`` features or ``seconds`` of wall-clock time. Errors of
    GDAL itself come through as they are (callers word them)."""
    import geopandas as gpd
    import pyarrow as pa
    import pyogrio
    import shapely

    check(name, source, max_rows, expected)
    start = time.monotonic()
    batches = []
    rows = 0
    opened = io.BytesIO(bytes(source)) if isinstance(source, bytes | bytearray | memoryview) else source
    with warnings.catch_warnings():
        # Read from memory, a GeoPackage has no file name for GDAL to check.
        warnings.filterwarnings("ignore", message=".*non conformant file extension")
        warnings.filterwarnings("ignore", message=".*WAL-enabled database")  # GDAL reopens it read-only
        with pyogrio.open_arrow(opened, layer=layer, use_pyarrow=True, batch_size=_BATCH) as (meta, reader):
            schema = reader.schema
            for batch in reader:
                rows += batch.num_rows
                if rows > max_rows:
                    raise Refused("too_many_features", file=name, n=f"> {max_rows:,}", limit=f"{max_rows:,}")
                if time.monotonic() - start > seconds:
                    raise Refused("read_too_long", file=name, seconds=f"{seconds:g}")
                batches.append(batch)
    table = pa.Table.from_batches(batches, schema)
    geometry_name = meta.get("geometry_name") or "wkb_geometry"
    if geometry_name not in table.column_names:
        raise Refused("no_geometry_column", file=name)
    geometry = shapely.from_wkb(table.column(geometry_name).to_numpy(zero_copy_only=False), on_invalid="ignore")
    attributes = table.drop_columns([geometry_name]).to_pandas()
    return gpd.GeoDataFrame(attributes, geometry=gpd.GeoSeries(geometry, crs=meta.get("crs")), crs=meta.get("crs"))
