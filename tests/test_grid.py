"""Population grids: SCB's statistik på rutor read from GeoPackage and CSV with the real
format's columns and square ids, the paged WFS fetch against a local stand-in server, and
the service view that counts the grid beside the places."""

import contextlib

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from kommunkarta import geo
from kommunkarta.distances import to_sweref
from kommunkarta.format import number
from kommunkarta.service import analysis, grid, stored_layers
from kommunkarta.service import view as view_module
from kommunkarta.service.importers import ImportFailed
from kommunkarta.service.view import Population, service_view

from .conftest import json_stand_in

# Squares (south-west corner in SWEREF 99 TM, 1 km) around Ljusdal, as SCB publishes
# them: (lat, lon of a point inside, total, age groups 65-69, 70-74, 75-79, 100+).
PLACES = {
    "ljusdal": (61.829, 16.088, 812, 40, 35, 20, 1),
    "ramsjo": (62.18, 15.65, 57, 6, 9, 4, 0),
    "los": (61.737, 15.170, 133, 10, 12, 8, 0),
    "empty": (62.0, 15.9, 0, 0, 0, 0, 0),
}


def corner(lat, lon):
    x, y = to_sweref([lat], [lon])
    return int(x[0] // 1000 * 1000), int(y[0] // 1000 * 1000)


def scb_rows():
    rows = []
    for i, (lat, lon, total, a65, a70, a75, a100) in enumerate(PLACES.values()):
        east, north = corner(lat, lon)
        rows.append(
            {
                "objectid": i + 1,
                "rutid_scb": f"{east}{north}",
                "rutid_inspire": f"SE_CRS3006RES1000mN{north}E{east}",
                "rutstorl": 1000,
                "beftotalt": total,
                "man": total // 2,
                "kvinna": total - total // 2,
                "ald0_4": 0,
                "ald65_69": a65,
                "ald70_74": a70,
                "ald75_79": a75,
                "ald100w": a100,
                "referenstid": "20251231",
                "geometry": shapely.box(east, north, east + 1000, north + 1000),
            }
        )
    return rows


@pytest.fixture
def scb_gpkg(tmp_path):
    path = tmp_path / "befolkning_1km_2025.gpkg"
    rows = scb_rows()
    # A square far out in the Gulf of Bothnia, and one whose total is not a number.
    rows.append(
        {**rows[0], "objectid": 98, "rutid_scb": "9000007000000", "geometry": shapely.box(9e5, 7e6, 901e3, 7001e3)}
    )
    gdf = gpd.GeoDataFrame(rows, crs=geo.SWEREF99TM)
    gdf["beftotalt"] = gdf["beftotalt"].astype(str)
    bad = {**rows[1], "objectid": 99, "rutid_scb": "5000006900000", "beftotalt": "x"}
    bad["geometry"] = shapely.box(500_000, 6_900_000, 501_000, 6_901_000)
    gdf = pd.concat([gdf, gpd.GeoDataFrame([bad], crs=geo.SWEREF99TM)], ignore_index=True)
    gdf.to_file(path, layer="befolkning_1km_2025")
    return path


def test_scb_geopackage_gives_centres_kommuner_and_people_aged_70_and_over(scb_gpkg):
    layer = grid.read_grid(scb_gpkg)
    points = layer.points.set_index("id")
    expected = pd.DataFrame(scb_rows()).set_index("rutid_scb")
    populated = expected[expected["beftotalt"] > 0]
    assert set(points.index) == set(populated.index)  # the empty square is not stored
    for square, row in populated.iterrows():
        centroid = row["geometry"].centroid
        assert (points.loc[square, "x"], points.loc[square, "y"]) == (centroid.x, centroid.y)
        assert points.loc[square, "population"] == row["beftotalt"]
        assert points.loc[square, "population_70"] == row["ald70_74"] + row["ald75_79"] + row["ald100w"]
    # Each centre's kommun, checked one by one against the kommun shapes.
    shapes = geo.kommuner().to_crs(geo.SWEREF99TM)
    for _square, row in points.iterrows():
        inside = shapes[shapes.contains(shapely.Point(row["x"], row["y"]))]["kommun_kod"].tolist()
        assert inside == [row["kommun_kod"]]
    assert set(points["kommun_kod"]) == {"2161"}  # Ljusdal
    assert layer.outside_sweden == 1
    errors = {(p.row, p.field) for p in layer.problems if p.level == "error"}
    assert errors == {(6, "beftotalt"), (5, "geometry")}  # the bad total (feature 6) and the square at sea
    assert any("utan befolkning" in p.message for p in layer.problems if p.level == "notice")
    assert all(p.file == "befolkning_1km_2025.gpkg" for p in layer.problems)


def test_csv_with_only_scb_square_ids_gives_the_same_centres(scb_gpkg, tmp_path):
    from_gpkg = grid.read_grid(scb_gpkg).points.set_index("id")
    table = pd.DataFrame(scb_rows()).drop(columns="geometry")
    scb = tmp_path / "rutor.csv"
    table.drop(columns="rutid_inspire").to_csv(scb, sep=";", index=False)
    inspire = tmp_path / "rutor_inspire.csv"
    table[["rutid_inspire", "beftotalt", "ald70_74"]].to_csv(inspire, index=False)
    for path in (scb, inspire):
        layer = grid.read_grid(path)
        points = layer.points.set_index("id")
        assert len(points) == 3
        centres = points[["x", "y"]].to_numpy()
        assert sorted(map(tuple, centres)) == sorted(map(tuple, from_gpkg[["x", "y"]].to_numpy()))
        assert points["population"].sum() == from_gpkg["population"].sum()


def test_square_ids_with_north_first_are_read_the_right_way_round(tmp_path):
    path = tmp_path / "rutor.csv"
    path.write_text("Ruta;Totalt\n6857000557000;25\n", encoding="utf-8")
    layer = grid.read_grid(path)
    assert (layer.points["x"].iloc[0], layer.points["y"].iloc[0]) == (557_500.0, 6_857_500.0)
    assert layer.points["kommun_kod"].tolist() == ["2161"]


def test_csv_rows_that_cannot_be_read_are_named_by_file_row_and_field(tmp_path):
    path = tmp_path / "rutor.csv"
    path.write_text(
        "rutid_scb,rutstorl,beftotalt\n"
        "5570006857000,1000,25\n"
        "55700X6857000,1000,10\n"  # not a square id
        "5570006858000,1000,-3\n"  # not a population
        "5570006859000,1000,\n",  # empty: no population, not stored
        encoding="utf-8",
    )
    layer = grid.read_grid(path)
    assert layer.points["id"].tolist() == ["5570006857000"]
    assert (layer.points["x"].iloc[0], layer.points["y"].iloc[0]) == (557_500.0, 6_857_500.0)
    errors = sorted((p.file, p.row, p.field) for p in layer.problems if p.level == "error")
    assert errors == [("rutor.csv", 3, "rutid_scb"), ("rutor.csv", 4, "beftotalt")]


def test_points_with_a_population_column_are_read_as_a_grid(tmp_path):
    """A 250 m grid as centre points in SWEREF 99 TM (Tillväxtverket's kind), no age groups."""
    path = tmp_path / "rutor_250.csv"
    path.write_text("x;y;pop\n557125;6857125;12\n557375;6857125;0\n557625;6857375;4\n", encoding="utf-8")
    layer = grid.read_grid(path)
    assert layer.points["population"].tolist() == [12, 4]
    assert "population_70" not in layer.points
    assert layer.points["kind"].unique().tolist() == [grid.GRID_KIND]


def test_a_file_without_a_population_column_is_refused(tmp_path):
    path = tmp_path / "rutor.csv"
    path.write_text("x,y,namn\n557125,6857125,a\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="befolkningskolumn"):
        grid.read_grid(path)


def test_a_stored_grid_is_recognised(scb_gpkg, tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    info = stored_layers.save(grid.read_grid(scb_gpkg), "SCB 1 km", "origins")
    assert grid.is_grid(info.kinds) and info.points == 3
    assert set(stored_layers.load(info.id).columns) >= {"x", "y", "population", "population_70", "kommun_kod"}


# -- the view: the grid counted beside the places -------------------------------------


def brute_force_beyond(points: pd.DataFrame, shops: pd.DataFrame, km: float) -> np.ndarray:
    px, py = to_sweref(points["lat"], points["lon"])
    sx, sy = to_sweref(shops["lat"], shops["lon"])
    distance = np.hypot(px[:, None] - sx[None, :], py[:, None] - sy[None, :]).min(axis=1) / 1000
    return distance > km


SHOPS = pd.DataFrame(
    {
        "id": ["ica", "coop", "los"],
        "name": ["ICA Ljusdal", "Coop Järvsö", "Handlarn Los"],
        "kind": "grocery",
        "kommun_kod": "2161",
        "lat": [61.83, 61.716, 61.736],
        "lon": [16.09, 16.17, 15.169],
    }
)


def test_view_counts_the_grid_beside_the_places(scb_gpkg, monkeypatch):
    squares = grid.read_grid(scb_gpkg).points
    places = pd.DataFrame(
        {
            "id": ["a", "b"],
            "name": ["Ljusdal", "Ramsjö"],
            "kommun_kod": "2161",
            "lat": [61.829, 62.18],
            "lon": [16.088, 15.65],
            "population": [6800, 300],
        }
    )
    official = pd.DataFrame({"kommun_kod": ["2161"], "population": [18_900]})
    facilities = analysis.Facilities.build(SHOPS)
    view = service_view(
        facilities,
        Population("layer", "Orter", places),
        threshold_km=30,
        grid=Population("grid", "SCB 1 km", squares),
        official_population=official,
    )
    beyond = brute_force_beyond(squares, SHOPS, 30)
    assert view.grid.people_beyond == squares.loc[beyond, "population"].sum() == 57  # Ramsjö's square
    assert view.grid.people_70_beyond == squares.loc[beyond, "population_70"].sum() == 13
    assert view.grid.people == squares["population"].sum()
    assert view.origins.people_beyond == 300 and view.origins.title == "Orter"
    assert [f.kind for f in view.figures] == ["grid", "layer"]
    row = view.per_kommun.set_index("kommun_kod").loc["2161"]
    assert row["grid_population_beyond"] == 57
    assert row["grid_gap"] == 18_900 - squares["population"].sum()
    assert row["grid_population_beyond_share"] == pytest.approx(57 / 18_900)
    # Closing Los leaves its square beyond, as a brute force says.
    closed = service_view(
        facilities,
        Population("layer", "Orter", places),
        threshold_km=30,
        closed=("los",),
        grid=Population("grid", "SCB 1 km", squares),
    )
    still_open = SHOPS[SHOPS["id"] != "los"]
    beyond = brute_force_beyond(squares, still_open, 30)
    assert closed.grid.people_beyond == squares.loc[beyond, "population"].sum() == 57 + 133
    assert sorted(closed.grid_beyond["population"]) == [57, 133]
    monkeypatch.setattr(view_module, "GRID_DRAW_CAP", 1)  # a map draws the most populous squares
    capped = service_view(
        facilities,
        Population("layer", "Orter", places),
        threshold_km=30,
        closed=("los",),
        grid=Population("grid", "g", squares),
    )
    assert capped.grid_beyond["population"].tolist() == [133] and capped.grid.origins_beyond == 2
    assert view.grid_beyond["population"].tolist() == [57]  # drawn on the map
    lost = view.vulnerable.set_index("id")["population_lost_grid"]
    assert lost["los"] == 133 and lost["ica"] == 0


# -- SCB's WFS, against a stand-in on the loopback interface --------------------------


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def wfs_features():
    features = []
    for row in scb_rows():
        geometry = shapely.geometry.mapping(row.pop("geometry"))
        features.append({"type": "Feature", "properties": row, "geometry": geometry})
    return features


@contextlib.contextmanager
def wfs_stand_in():
    """A stand-in for SCB's GeoServer WFS that pages by count and startIndex."""
    features = wfs_features()

    def page(query, body):
        start, count = int(query["startIndex"]), int(query["count"])
        page = features[start : start + count]
        return {
            "type": "FeatureCollection",
            "features": page,
            "numberMatched": len(features),
            "numberReturned": len(page),
        }

    with json_stand_in(page, "/geoserver/stat/wfs", record="query") as served:
        yield served


@pytest.fixture
def wfs_server():
    with wfs_stand_in() as served:
        yield served


def test_wfs_fetch_pages_reports_progress_caches_and_reads_as_a_grid(home, wfs_server):
    endpoint, calls = wfs_server
    seen = []
    path = grid.fetch_wfs(endpoint=endpoint, page_size=2, progress=lambda n, total: seen.append((n, total)))
    assert [(int(c["startIndex"]), int(c["count"])) for c in calls] == [(0, 2), (2, 2)]
    assert calls[0]["typeNames"] == grid.WFS_GRID_LAYER and calls[0]["srsName"] == "EPSG:3006"
    assert calls[0]["version"] == "2.0.0"
    assert seen == [(2, 4), (4, 4)]
    layer = grid.read_grid(path)
    assert sorted(layer.points["population"]) == [57, 133, 812]
    assert set(layer.points["kommun_kod"]) == {"2161"}
    assert grid.fetch_wfs(endpoint=endpoint, page_size=2) == path and len(calls) == 2  # from the cache


def test_wfs_fetch_refuses_a_layer_larger_than_the_cap_before_reading_it_all(home, wfs_server):
    endpoint, calls = wfs_server
    with pytest.raises(grid.Offline, match="över gränsen på 3"):
        grid.fetch_wfs(endpoint=endpoint, page_size=1, max_features=3)
    assert len(calls) == 1
    assert not grid.wfs_cache_file(grid.WFS_GRID_LAYER, endpoint).exists()


def test_wfs_fetch_without_a_network_says_so(home):
    with pytest.raises(grid.Offline, match="Är datorn ansluten till internet"):
        grid.fetch_wfs(endpoint="http://127.0.0.1:9/geoserver/stat/wfs", use_cache=False)


def test_cli_counts_the_grid_beside_the_default_tatorter(scb_gpkg, tmp_path):
    import subprocess
    import sys

    shops = tmp_path / "butiker.csv"
    SHOPS.to_csv(shops, index=False)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kommunkarta.cli",
            "service-access",
            "--facilities",
            str(shops),
            "--grid",
            str(scb_gpkg),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    squares = grid.read_grid(scb_gpkg).points
    far = brute_force_beyond(squares, SHOPS, 30)
    assert f"1 av 3 rutor ({number(squares.loc[far, 'population'].sum())} invånare) bortom tröskeln" in result.stderr
    assert "70 år och äldre: 13 av" in result.stderr
    assert "orter (" in result.stderr and "räknat i SCB:s tätorter 2020" in result.stderr
    assert "befolkning_1km_2025.gpkg:6:beftotalt" in result.stderr  # the file's bad row, named
    # No --origins: one row per populated square of the grid given, tätorter only beside.
    lines = result.stdout.splitlines()
    assert len(lines) == len(squares) + 1
    assert lines[0].split(",")[:3] == ["id", "population", "population_70"]


def test_cli_stores_a_grid_for_the_service_page(scb_gpkg, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "KOMMUNKARTA_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "kommunkarta.cli", "import-grid"]
    result = subprocess.run([*command, str(scb_gpkg), "--title", "SCB 1 km"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert f"sparade 3 befolkade rutor ({number(1002)} invånare)" in result.stderr  # 1 002, the Swedish way
    assert "befolkning_1km_2025.gpkg:6:beftotalt" in result.stderr
    missing = subprocess.run([*command, str(tmp_path / "nej.gpkg")], capture_output=True, text=True, env=env)
    assert missing.returncode == 2 and "ingen sådan fil" in missing.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOMMUNKARTA_HOME", env["KOMMUNKARTA_HOME"])
        [info] = stored_layers.list_layers("origins")
    assert grid.is_grid(info.kinds) and info.title == "SCB 1 km"
