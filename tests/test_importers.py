"""Reading point files: formats, Swedish dialects, coordinate systems, bad rows."""

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

from kommunkarta.service import importers

from .test_access import STORES, TATORTER, needs_shared_data


@needs_shared_data
def test_chain_store_file_is_sorted_into_kinds_and_foreign_shops_left_out():
    layer = importers.read_points(STORES)
    source = pd.read_csv(STORES, dtype=str)
    assert layer.points["kind"].value_counts().to_dict() == {"grocery": 3017, "convenience": 393, "farm_supply": 107}
    assert layer.outside_sweden + len(layer.points) == len(source)  # every row accounted for
    finnish = source[source["country"] == "Finland"]["urn"].dropna()
    assert not set(finnish) & set(layer.points["id"])  # Tornio's shops too, a river's width from Haparanda
    assert layer.points["id"].is_unique and layer.problems == []


@needs_shared_data
def test_scb_tatorter_file_gives_origins_with_population():
    layer = importers.read_points(TATORTER)
    assert len(layer.points) == 2017 and layer.outside_sweden == 0  # islands kept, though off the simplified coast
    assert layer.points.set_index("name").loc["Vrångö", "kommun_kod"] == "1480"


def test_swedish_excel_csv_with_sweref_coordinates(tmp_path):
    text = "Namn;X_koord;Y_koord;Befolkning\r\nLjusdal;555812,5;6853456,0;6 800\r\nFärila;563000;6847000;1 900\r\nSkräp;abc;6847000;10\r\nOklar;563100;6847100;många\r\n"
    path = tmp_path / "orter.csv"
    path.write_bytes(text.encode("cp1252"))
    layer = importers.read_points(path)
    assert layer.format.startswith("CSV (SWEREF 99 TM x/y, avgränsare ';')")
    assert layer.points["name"].tolist() == ["Ljusdal", "Färila", "Oklar"]
    assert layer.points["population"].tolist() == [6800, 1900, 0]
    assert set(layer.points["kommun_kod"]) == {"2161"}
    assert [str(p) for p in layer.problems] == [
        "orter.csv:3:-: filen är inte UTF-8; den lästes som Windows-1252",
        "orter.csv:4:X_koord: 'abc' är inget tal",
        "orter.csv:5:Befolkning: 'många' är ingen folkmängd; raden sparades utan folkmängd",
    ]


def test_sweref_with_north_first_is_recognised(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("name,x,y\nLjusdal,6853456,555812\n", encoding="utf-8")
    layer = importers.read_points(path)
    assert layer.format.startswith("CSV (SWEREF 99 TM, nord/öst") and layer.points["kommun_kod"].tolist() == ["2161"]


def test_degrees_in_metre_columns_and_unknown_systems_are_refused(tmp_path):
    path = tmp_path / "fel.csv"
    path.write_text("name,lat,lon\nA,6853456,555812\n", encoding="utf-8")
    with pytest.raises(importers.ImportFailed, match="meter, inte grader"):
        importers.read_points(path)
    path.write_text("name,x,y\nA,1234,5678\n", encoding="utf-8")
    with pytest.raises(importers.ImportFailed, match="kan inte avgöra koordinatsystemet"):
        importers.read_points(path)
    path.write_text("name,adress\nA,Storgatan 1\n", encoding="utf-8")
    with pytest.raises(importers.ImportFailed, match="hittar inga koordinatkolumner"):
        importers.read_points(path)


def test_swapped_lat_lon_rows_are_reported_and_foreign_points_counted(tmp_path):
    path = tmp_path / "butiker.csv"
    path.write_text(
        "name,lat,lon\nLjusdal,61.83,16.09\nBytt,16.09,61.83\nOslo,59.91,10.75\nPrag,50.08,14.43\n", encoding="utf-8"
    )
    layer = importers.read_points(path)
    assert layer.points["name"].tolist() == ["Ljusdal"]
    assert [str(p) for p in layer.problems] == ["butiker.csv:3:lat: lat 16.09 och lon 61.83 verkar ha bytt plats"]
    assert layer.outside_sweden == 2


def test_geojson_in_sweref_and_geopackage(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"namn": ["Ljusdal", "Område"], "pop": [6800, 0]},
        geometry=[Point(555812, 6853456), Polygon([(0, 0), (1, 0), (1, 1)])],
        crs="EPSG:3006",
    )
    gdf.to_file(tmp_path / "p.geojson", driver="GeoJSON")
    layer = importers.read_points(tmp_path / "p.geojson")
    assert layer.points["name"].tolist() == ["Ljusdal"] and layer.points["lat"].iloc[0] == pytest.approx(
        61.81, abs=0.01
    )
    assert [p.field for p in layer.problems] == ["geometry"] and "ingen punkt" in layer.problems[0].message
    gdf.iloc[:1].to_file(tmp_path / "p.gpkg", driver="GPKG")
    assert importers.read_points(tmp_path / "p.gpkg").points["population"].tolist() == [6800]


def test_overpass_json(tmp_path):
    answer = {
        "elements": [
            {
                "type": "node",
                "id": 1,
                "lat": 61.83,
                "lon": 16.09,
                "tags": {"shop": "supermarket", "name": "ICA Ljusdal"},
            },
            {
                "type": "way",
                "id": 2,
                "center": {"lat": 61.95, "lon": 15.9},
                "tags": {"shop": "convenience", "name": "Lanthandeln"},
            },
            {"type": "relation", "id": 3, "tags": {"shop": "general"}},
        ]
    }
    path = tmp_path / "osm.json"
    path.write_text(json.dumps(answer), encoding="utf-8")
    layer = importers.read_points(path)
    assert layer.points[["id", "kind"]].values.tolist() == [["osm-node-1", "supermarket"], ["osm-way-2", "convenience"]]
    assert str(layer.problems[0]) == "osm.json:3:lat: relation 3 saknar position"


def test_oversized_and_broken_files_fail_clearly(tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "MAX_BYTES", 100)
    with pytest.raises(importers.ImportFailed, match="gränsen är 100"):
        importers.read_points("stor.csv", b"x" * 101)
    monkeypatch.undo()
    with pytest.raises(importers.ImportFailed, match="ogiltig JSON"):
        importers.read_points("trasig.geojson", b"{not json")


def test_text_is_kept_as_text_and_ids_made_unique(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        'id,name,lat,lon\n1,"<b>=SUM(A1)</b>",61.83,16.09\n1,B,61.84,16.1\n,C,61.85,16.1\n', encoding="utf-8"
    )
    points = importers.read_points(path).points
    assert points["name"].iloc[0] == "<b>=SUM(A1)</b>"
    assert points["id"].tolist() == ["1", "1-2", "p3"]
