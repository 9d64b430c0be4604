"""Uploaded geodata checked before GDAL sees it (issue 19, items 1-3 and 7): a GeoPackage
whose feature table is a never-ending view, a zip behind a .geojson or .gpkg name, a grid
CSV of 100 000 columns, and the files that used to end in a traceback (Infinity and 1e308
coordinates, Overpass elements with strings, NaN or no object, a layer without geometry,
a grid with ``inf``): each refused or reported by file, row and field, from the importers
and from the command line."""

from __future__ import annotations

import gzip
import io
import json
import math
import sqlite3
import threading
import zipfile

import geopandas as gpd
import pytest
import shapely

from kommunkarta import geofile
from kommunkarta.distances import to_sweref
from kommunkarta.service import grid, roads
from kommunkarta.service.importers import ImportFailed, read_points

from .conftest import run_cli

STOCKHOLM = (59.3293, 18.0686)
UPPSALA = (59.8586, 17.6389)
# A never-ending view, as the attacker registered it (issue 19, item 1).
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1e11)"


def finishes(call, seconds: float = 90):
    """``call()``'s result or exception, run in a thread so that a reading that never ends
    fails this test instead of hanging the run (no figure of speed is asserted)."""
    out: dict = {}

    def run():
        try:
            out["value"] = call()
        except BaseException as err:
            out["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the reading did not end"
    return out


def sweref_square(lat, lon):
    x, y = to_sweref([lat], [lon])
    east, north = int(x[0] // 1000 * 1000), int(y[0] // 1000 * 1000)
    return shapely.box(east, north, east + 1000, north + 1000)


def shops_gpkg(path, geometry="point"):
    if geometry == "line":
        geoms = [shapely.LineString([(18.0, 59.3), (18.1, 59.31)])]
    else:
        geoms = [shapely.Point(STOCKHOLM[1], STOCKHOLM[0])]
    gpd.GeoDataFrame({"name": ["ICA"], "beftotalt": [5]}, geometry=geoms, crs=4326).to_file(path, layer="pts")
    return path


def with_endless_view(path, geometry="point", endless=True):
    """A GeoPackage whose only registered feature table is a recursive view."""
    shops_gpkg(path, geometry)
    with sqlite3.connect(path) as con:
        stop = ENDLESS if endless else ENDLESS.replace("1e11", "3")
        con.execute(
            f"CREATE VIEW bomb AS {stop} SELECT x AS fid, (SELECT geom FROM pts) AS geom, "
            "'ICA' AS name, 5 AS beftotalt FROM c"
        )
        con.execute("DELETE FROM gpkg_geometry_columns")
        con.execute("DELETE FROM gpkg_contents")
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('bomb', 'features', 'bomb', 4326)"
        )
        kind = "LINESTRING" if geometry == "line" else "POINT"
        con.execute(f"INSERT INTO gpkg_geometry_columns VALUES ('bomb', 'geom', '{kind}', 4326, 0, 0)")
    return path


def grid_geojson() -> bytes:
    squares = [sweref_square(*STOCKHOLM), sweref_square(*UPPSALA)]
    frame = gpd.GeoDataFrame({"beftotalt": [120, 80]}, geometry=squares, crs=3006)
    return frame.to_json().encode()


def zipped(name: str, payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, payload)
    return buffer.getvalue()


# -- item 1: a never-ending view ---------------------------------------------------------------


def test_a_view_registered_as_the_shop_layer_is_refused(tmp_path):
    raw = with_endless_view(tmp_path / "butiker.gpkg").read_bytes()
    out = finishes(lambda: read_points("butiker.gpkg", raw))
    err = out.get("error")
    assert isinstance(err, ImportFailed), out
    assert [(p.file, p.code) for p in err.problems] == [("butiker.gpkg", "gpkg_view")]
    assert "bomb" in err.problems[0].message and "vy" in err.problems[0].message


def test_a_view_registered_as_the_grid_is_refused_from_the_page_and_the_command_line(tmp_path):
    path = with_endless_view(tmp_path / "rutor.gpkg")
    out = finishes(lambda: grid.read_grid("rutor.gpkg", path.read_bytes()))
    assert isinstance(out.get("error"), ImportFailed), out
    assert out["error"].problems[0].code == "gpkg_view"
    result = finishes(lambda: run_cli("import-grid", path))["value"]
    assert result.returncode == 1
    assert "rutor.gpkg" in result.stderr and "bomb" in result.stderr and "vy" in result.stderr


def test_a_view_registered_as_a_road_network_is_refused_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    path = with_endless_view(tmp_path / "vagar.gpkg", geometry="line")
    out = finishes(lambda: roads.import_file(path))
    assert isinstance(out.get("error"), roads.RoadImportError), out
    assert "vagar.gpkg" in str(out["error"]) and "bomb" in str(out["error"])
    result = finishes(lambda: run_cli("roads", "import", path))["value"]
    assert result.returncode == 1 and "bomb" in result.stderr
    assert not (tmp_path / "home" / "roads").exists() or not any((tmp_path / "home" / "roads").iterdir())


def test_a_finite_view_is_refused_too_and_a_plain_table_is_read(tmp_path):
    """Views are refused whatever they hold; the same file with the table registered reads."""
    raw = with_endless_view(tmp_path / "b.gpkg", endless=False).read_bytes()
    with pytest.raises(ImportFailed) as caught:
        read_points("b.gpkg", raw)
    assert caught.value.problems[0].code == "gpkg_view"
    layer = read_points("a.gpkg", shops_gpkg(tmp_path / "a.gpkg").read_bytes())
    assert list(layer.points["name"]) == ["ICA"]
    assert layer.points[["lat", "lon"]].iloc[0].tolist() == pytest.approx(list(STOCKHOLM))


def test_rows_past_the_limit_stop_the_reading(tmp_path):
    path = tmp_path / "many.gpkg"
    points = [shapely.Point(18 + i / 1000, 59.3) for i in range(30)]
    gpd.GeoDataFrame({"name": [f"s{i}" for i in range(30)]}, geometry=points, crs=4326).to_file(path)
    with pytest.raises(geofile.Refused) as caught:
        geofile.read_frame("many.gpkg", path, max_rows=29)
    assert caught.value.code == "too_many_features"
    # GeoJSON has no table to count before reading: the batches stop it.
    raw = gpd.read_file(path).to_json().encode()
    with pytest.raises(geofile.Refused) as caught:
        geofile.read_frame("many.geojson", raw, max_rows=29)
    assert caught.value.code == "too_many_features"
    assert len(geofile.read_frame("many.geojson", raw, max_rows=30)) == 30


def test_the_wall_clock_limit_stops_a_reading(tmp_path):
    path = shops_gpkg(tmp_path / "a.gpkg")
    with pytest.raises(geofile.Refused) as caught:
        geofile.read_frame("a.gpkg", path, max_rows=10, seconds=-1)
    assert caught.value.code == "read_too_long"


# -- item 2: an archive behind a map's name ----------------------------------------------------


def test_a_zipped_geojson_named_geojson_is_refused_as_a_grid(tmp_path):
    raw = zipped("rutor.geojson", grid_geojson())
    assert grid.read_grid("rutor.geojson", grid_geojson()).points["population"].sum() == 200  # unpacked, it reads
    with pytest.raises(ImportFailed) as caught:
        grid.read_grid("rutor.geojson", raw)
    problem = caught.value.problems[0]
    assert (problem.file, problem.code, problem.params["kind"]) == ("rutor.geojson", "file_is_archive", "zip")
    (tmp_path / "rutor.geojson").write_bytes(raw)
    result = run_cli("import-grid", tmp_path / "rutor.geojson")
    assert result.returncode == 1 and "zip" in result.stderr and "rutor.geojson" in result.stderr


def test_a_zip_named_gpkg_is_refused_as_a_shop_layer(tmp_path):
    shops = gpd.GeoDataFrame({"name": ["ICA"]}, geometry=[shapely.Point(STOCKHOLM[1], STOCKHOLM[0])], crs=4326)
    raw = zipped("butiker.geojson", shops.to_json().encode())
    with pytest.raises(ImportFailed) as caught:
        read_points("butiker.gpkg", raw)
    assert caught.value.problems[0].code == "file_is_archive"


@pytest.mark.parametrize(
    "pack, kind",
    [(gzip.compress, "gzip"), (lambda b: zipped("x.gpkg", b), "zip")],
)
def test_every_reader_refuses_archives(tmp_path, pack, kind):
    raw = pack(shops_gpkg(tmp_path / "a.gpkg").read_bytes())
    for call in (
        lambda: read_points("a.gpkg", raw),
        lambda: grid.read_grid("a.gpkg", raw),
        lambda: read_points("a.csv", raw),
    ):
        with pytest.raises(ImportFailed) as caught:
            call()
        assert caught.value.problems[0].code == "file_is_archive"
        assert caught.value.problems[0].params["kind"] == kind
    (tmp_path / "v.gpkg").write_bytes(raw)
    with pytest.raises(roads.RoadImportError, match=kind):
        roads.import_file(tmp_path / "v.gpkg")


def test_a_file_whose_content_is_not_its_name_is_refused():
    with pytest.raises(ImportFailed) as caught:
        read_points("a.gpkg", b'{"type": "FeatureCollection", "features": []}')
    assert caught.value.problems[0].code == "file_not_format"


# -- item 3: a grid CSV of 100 000 columns -----------------------------------------------------


def test_a_grid_csv_of_100000_columns_is_refused_at_its_header():
    header = ",".join(["x", "y", "beftotalt"] + [f"c{i}" for i in range(100_000 - 3)])
    row = ",".join(["500000", "6600000", "5"] + ["1"] * (100_000 - 3))
    raw = (header + "\n" + "\n".join([row] * 3)).encode()
    with pytest.raises(ImportFailed) as caught:
        grid.read_grid("wide.csv", raw)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.code, problem.params["n"]) == (
        "wide.csv",
        1,
        "too_many_columns",
        100_000,
    )


def test_the_grid_csv_reader_reports_rows_by_their_line_in_the_file():
    """Through csv_input: a row with the wrong number of fields is reported and left out,
    and later rows keep their own line numbers."""
    x, y = to_sweref([STOCKHOLM[0]], [STOCKHOLM[1]])
    text = f"x;y;beftotalt\n{x[0]:.0f};{y[0]:.0f};7\n1;2\n\n{x[0]:.0f};{y[0]:.0f};abc\n"
    layer = grid.read_grid("rutor.csv", text.encode())
    assert int(layer.points["population"].sum()) == 7
    assert {(p.row, p.field) for p in layer.problems if p.level == "error"} == {(3, "-"), (5, "beftotalt")}


# -- item 7: clear messages instead of tracebacks ----------------------------------------------


def feature(lon, lat, name):
    return {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}


@pytest.mark.parametrize("bad, code", [("Infinity", "coordinate_not_finite"), ("1e308", "coordinate_out_of_range")])
def test_geojson_with_infinite_or_huge_coordinates(bad, code):
    collection = {
        "type": "FeatureCollection",
        "features": [feature(0, 0, "bad"), feature(STOCKHOLM[1], STOCKHOLM[0], "ok")],
    }
    text = json.dumps(collection).replace("[0, 0]", f"[{bad}, 59.0]")
    layer = read_points("butiker.geojson", text.encode())
    assert list(layer.points["name"]) == ["ok"]
    assert [(p.file, p.row, p.field, p.code) for p in layer.problems] == [("butiker.geojson", 1, "geometry", code)]


def test_overpass_json_with_strings_nan_and_non_objects():
    elements = [
        {"type": "node", "id": 1, "lat": "abc", "lon": 18.0},
        {"type": "node", "id": 2, "lat": 59.3, "lon": float("nan")},
        5,
        {
            "type": "node",
            "id": 4,
            "lat": STOCKHOLM[0],
            "lon": STOCKHOLM[1],
            "tags": {"name": "ICA", "shop": "supermarket"},
        },
        {"type": "way", "id": 5, "center": {"lat": 91.0, "lon": 18.0}},
    ]
    raw = json.dumps({"elements": elements}).encode()
    layer = read_points("overpass.json", raw)
    assert list(layer.points["name"]) == ["ICA"]
    assert [(p.row, p.field, p.code) for p in layer.problems] == [
        (1, "lat", "overpass_bad_coordinate"),
        (2, "lon", "overpass_bad_coordinate"),
        (3, "-", "overpass_not_object"),
        (5, "lat", "coordinate_out_of_range"),
    ]
    with pytest.raises(ImportFailed) as caught:
        read_points("overpass.json", b'{"elements": 5}')
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("elements", "overpass_not_list")


def test_a_geopackage_whose_registered_table_has_no_geometry_column(tmp_path):
    path = shops_gpkg(tmp_path / "a.gpkg")
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE plain (fid INTEGER PRIMARY KEY, name TEXT)")
        con.execute("INSERT INTO plain (name) VALUES ('ICA')")
        con.execute("DELETE FROM gpkg_geometry_columns")
        con.execute("DELETE FROM gpkg_contents")
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('plain', 'features', 'plain', 4326)"
        )
        con.execute("INSERT INTO gpkg_geometry_columns VALUES ('plain', 'geom', 'POINT', 4326, 0, 0)")
    for call in (lambda: read_points("a.gpkg", path.read_bytes()), lambda: grid.read_grid(path)):
        with pytest.raises(ImportFailed) as caught:
            call()
        problem = caught.value.problems[0]
        assert (problem.file, problem.code, problem.params["table"]) == ("a.gpkg", "gpkg_no_geometry", "plain")


def test_a_grid_csv_with_inf_coordinates():
    x, y = to_sweref([STOCKHOLM[0]], [STOCKHOLM[1]])
    text = f"x,y,beftotalt\ninf,6600000,5\n{x[0]:.0f},{y[0]:.0f},9\n"
    layer = grid.read_grid("rutor.csv", text.encode())
    assert int(layer.points["population"].sum()) == 9
    assert [(p.file, p.row, p.field) for p in layer.problems if p.level == "error"] == [("rutor.csv", 2, "x")]
    assert "inf" in layer.problems[0].message


def test_a_road_geopackage_with_a_point_off_the_earth(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    for lat in (91.0, 1e308):
        path = tmp_path / "vagar.gpkg"
        lines = [shapely.LineString([(18.0, 59.3), (18.1, 59.31)]), shapely.LineString([(18.0, 59.3), (18.0, lat)])]
        gpd.GeoDataFrame({"highway": ["primary", "primary"]}, geometry=lines, crs=4326).to_file(path)
        with pytest.raises(roads.RoadImportError) as caught:
            roads.import_file(path)
        assert "vagar.gpkg: rad 2" in str(caught.value) and "utanför jorden" in str(caught.value)


# -- road files: OSM ids and ways that cannot be roads -----------------------------------------

osmium = pytest.importorskip("osmium")


def write_pbf(path, nodes: dict, ways: list):
    with osmium.SimpleWriter(str(path)) as writer:
        for node_id, (lon, lat) in nodes.items():
            writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat)))
        for i, refs in enumerate(ways):
            writer.add_way(osmium.osm.mutable.Way(id=i + 1, nodes=refs, tags={"highway": "primary"}))
    return path


def test_an_empty_way_is_left_out_and_the_rest_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    path = write_pbf(tmp_path / "a.osm.pbf", {1: (18.0, 59.3), 2: (18.01, 59.3)}, [[1, 2], [], [2]])
    info = roads.import_file(path)
    assert (info.counts["ways_kept"], info.counts["ways_too_short"], info.edges) == (1, 2, 1)
    # the one road: 0.01 degrees of longitude at 59.3 degrees north (km to one decimal)
    assert info.km == pytest.approx(0.01 * 111.32 * math.cos(math.radians(59.3)), abs=0.05)


@pytest.mark.parametrize("bad", [-2, 2**62])
def test_node_ids_outside_osm_are_refused_with_the_way(tmp_path, monkeypatch, bad):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    path = write_pbf(tmp_path / "a.osm.pbf", {1: (18.0, 59.3), bad: (18.01, 59.3)}, [[1, bad]])
    with pytest.raises(roads.RoadImportError) as caught:
        roads.import_file(path)
    assert f"a.osm.pbf: väg 1: nod-id {bad}" in str(caught.value)


@pytest.mark.parametrize(
    "element, expected",
    [
        ({"type": "node", "id": 1, "lat": "abc", "lon": 18.0}, "element 1: lat: 'abc'"),
        ({"type": "node", "id": 1, "lat": 91, "lon": 18.0}, "element 1: lat: '91'"),
        (5, "element 1: inget JSON-objekt"),
        ({"type": "way", "id": 9, "nodes": ["x"], "tags": {"highway": "primary"}}, "element 1: nodes"),
    ],
)
def test_road_overpass_json_names_the_element_and_field(tmp_path, monkeypatch, element, expected):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    path = tmp_path / "vagar.json"
    path.write_text(json.dumps({"elements": [element]}))
    with pytest.raises(roads.RoadImportError, match=expected):
        roads.import_file(path)


@pytest.mark.parametrize("bad", ["Infinity", "1e308"])
def test_a_grid_geojson_with_infinite_or_huge_coordinates(bad):
    features = [
        {"type": "Feature", "properties": {"beftotalt": 5}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
        {
            "type": "Feature",
            "properties": {"beftotalt": 7},
            "geometry": {"type": "Point", "coordinates": [18.07, 59.33]},
        },
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features}).replace("[0, 0]", f"[{bad}, 59]")
    layer = grid.read_grid("rutor.geojson", text.encode())
    assert int(layer.points["population"].sum()) == 7
    assert [(p.file, p.row, p.field, p.code) for p in layer.problems] == [
        ("rutor.geojson", 1, "geometry", "coordinate_not_finite")
    ]


# -- nothing valid refused ----------------------------------------------------------------------


def test_a_geopackage_saved_in_wal_mode_reads(tmp_path):
    """QGIS saves GeoPackages in WAL mode; uploaded alone, the file reads as before."""
    path = shops_gpkg(tmp_path / "qgis.gpkg")
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    raw = path.read_bytes()
    assert raw[18:20] == b"\x02\x02"
    layer = read_points("qgis.gpkg", raw)
    assert list(layer.points["name"]) == ["ICA"]


def test_a_view_is_found_whatever_the_case_of_its_registered_name(tmp_path):
    path = with_endless_view(tmp_path / "b.gpkg")
    with sqlite3.connect(path) as con:
        con.execute("UPDATE gpkg_contents SET table_name = 'BOMB'")
        con.execute("UPDATE gpkg_geometry_columns SET table_name = 'BOMB'")
    out = finishes(lambda: read_points("b.gpkg", path.read_bytes()))
    assert isinstance(out.get("error"), ImportFailed), out
    assert out["error"].problems[0].code == "gpkg_view"


def test_text_that_starts_like_a_magic_number_is_not_an_archive():
    x, y = to_sweref([STOCKHOLM[0]], [STOCKHOLM[1]])
    text = f"BZh_id,x,y,beftotalt\nr1,{x[0]:.0f},{y[0]:.0f},4\n"
    assert int(grid.read_grid("rutor.csv", text.encode()).points["population"].sum()) == 4
