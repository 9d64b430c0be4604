"""The service page along the roads (issue 12) with AppTest: a hand-made road network (the one
of test_roads, written with pyosmium), a stored shop layer and a stored layer of places. The
page's road figures must equal roads.service_access computed directly; an island place shows
"no road connection"; the OpenStreetMap attribution is on the page and in the file."""

import io

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kommunkarta import paths
from kommunkarta.format import swedish_int
from kommunkarta.service import importers, road_view, roads, stored_layers

from .support.apptest import app, fresh_caches  # noqa: F401 (fresh_caches: an autouse fixture)
from .test_roads import NODES, lonlat, overpass_server, write_pbf  # noqa: F401  (a fixture)

pytest.importorskip("osmium")


def csv_of(rows: list[tuple]) -> str:
    lines = ["id,name,lat,lon,population"]
    for name, (x, y), people in rows:
        lon, lat = lonlat(x, y)
        lines.append(f"{name},{name},{lat},{lon},{people}")
    return "\n".join(lines) + "\n"


SHOPS = [("shop-B", NODES["B"], 0), ("shop-C", NODES["C"], 0)]
PLACES = [
    ("by-A", NODES["A"], 120),
    ("by-X", NODES["X"], 40),
    ("by-G", NODES["G"], 30),  # on the island reached by ferry
    ("by-H", NODES["H"], 25),  # on the island with no connection
    ("by-far", (15000, 4000), 10),  # 4 km from the nearest road
]


@pytest.fixture
def stored(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    network = roads.import_file(write_pbf(tmp_path / "small.osm.pbf"), "Liten")
    shops = tmp_path / "butiker.csv"
    shops.write_text(csv_of(SHOPS), encoding="utf-8")
    shop_layer = stored_layers.save(importers.read_points(shops, kind="grocery"), "Butiker", "facilities")
    places = tmp_path / "orter.csv"
    places.write_text(csv_of(PLACES), encoding="utf-8")
    place_layer = stored_layers.save(importers.read_points(places, kind="place"), "Orter", "origins")
    return network, shop_layer, place_layer


def road_page(place_layer, network, measure="km") -> AppTest:
    at = app(timeout=120).switch_page("app_pages/service.py").run()
    at.selectbox(key="sa_origins").set_value(place_layer.id).run()
    at.selectbox(key="sa_roads").set_value(network.id).run()
    if measure != "km":
        at.radio(key="sa_roads_measure").set_value(measure).run()
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def road_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Km längs vägarna" in d.value.columns).set_index("Namn")


def direct(network, shop_layer, place_layer, measure="km", threshold=30.0) -> pd.DataFrame:
    access = roads.RoadAccess.compute(roads.load(network.id), stored_layers.load(shop_layer.id), measure)
    return roads.service_access(stored_layers.load(place_layer.id), access, threshold).set_index("name")


def test_road_figures_equal_the_package_and_the_island_has_no_connection(stored):
    network, shop_layer, place_layer = stored
    at = road_page(place_layer, network)
    assert not at.exception
    expected = direct(network, shop_layer, place_layer)
    table = road_table(at)
    assert set(table.index) == {name for name, _, _ in PLACES}
    for name, row in expected.iterrows():
        shown = table.loc[name]
        if row["road_connection"]:
            assert shown["Km längs vägarna"] == pytest.approx(round(row["road_km"], 1))
            assert shown["Minuter med bil"] == pytest.approx(round(row["road_minutes"], 1))
            assert shown["Väg / fågelväg"] == pytest.approx(round(row["road_to_straight"], 2))
        else:
            assert pd.isna(shown["Km längs vägarna"]) and pd.isna(shown["Minuter med bil"])
        assert shown["Km fågelvägen"] == pytest.approx(round(row["straight_km"], 1))
    # The island without a ferry: no road connection, never 0; the ferry island is reached.
    assert not expected.loc["by-H", "road_connection"] and expected.loc["by-G", "road_connection"]
    assert table.loc["by-H", "Anmärkning"] == "ingen vägförbindelse"
    assert table.loc["by-H", "Närmaste service"] == "ingen vägförbindelse"
    assert table.loc["by-far", "Anmärkning"] == "mer än 2 km från en väg"
    assert expected.loc["by-far", "far_from_road"]
    assert metric(at, "Orter utan vägförbindelse") == "1"
    assert metric(at, "Orter mer än 2 km från en väg") == "1"
    beyond = expected["beyond_threshold"].to_numpy()
    people = expected["population"].to_numpy()
    assert metric(at, "Invånare bortom 30 km längs vägarna") == swedish_int(int(people[beyond].sum()))
    straight = expected["straight_km"].to_numpy() > 30
    assert metric(at, "Invånare bortom 30 km fågelvägen") == swedish_int(int(people[straight].sum()))
    # Attribution on the page and in the table the file is made of.
    captions = " ".join(c.value for c in at.caption)
    assert roads.ATTRIBUTION in captions
    assert set(table["Vägdata"]) == {roads.ATTRIBUTION}


def test_minutes_threshold_and_vulnerable_shops_along_the_roads(stored):
    network, shop_layer, place_layer = stored
    at = road_page(place_layer, network, measure="minutes")
    assert not at.exception
    at.radio(key="sa_roads_preset").set_value("15min").run()
    expected = direct(network, shop_layer, place_layer, "minutes", 15.0)
    beyond = expected["beyond_threshold"].to_numpy()
    people = expected["population"].to_numpy()
    assert metric(at, "Invånare bortom 15 min längs vägarna") == swedish_int(int(people[beyond].sum()))
    access = roads.RoadAccess.compute(roads.load(network.id), stored_layers.load(shop_layer.id), "minutes")
    vulnerable = roads.vulnerable_facilities(stored_layers.load(place_layer.id), access, 15.0)
    assert metric(at, "Sårbara butiker (15 min längs vägarna)") == swedish_int(int(vulnerable["isolated"].sum()))


def test_closing_a_shop_goes_through_the_roads_what_if(stored):
    network, shop_layer, place_layer = stored
    at = road_page(place_layer, network)
    at.multiselect(key="sa_closed").set_value(["shop-C"]).run()
    assert not at.exception
    access = roads.RoadAccess.compute(roads.load(network.id), stored_layers.load(shop_layer.id), "km")
    # Independent of the incremental what-if: the network computed afresh without shop-C.
    fresh = roads.RoadAccess.compute(
        roads.load(network.id), stored_layers.load(shop_layer.id).query("id != 'shop-C'"), "km"
    )
    expected = roads.service_access(stored_layers.load(place_layer.id), fresh, 30.0).set_index("name")
    table = road_table(at)
    before = roads.service_access(stored_layers.load(place_layer.id), access, 30.0).set_index("name")
    for name in ("by-A", "by-X", "by-G"):
        assert table.loc[name, "Km längs vägarna"] == pytest.approx(round(expected.loc[name, "road_km"], 1))
    assert expected.loc["by-G", "road_km"] > before.loc["by-G", "road_km"]  # the ferry island now goes to B


def test_service_area_is_capped_and_the_file_carries_the_attribution(stored):
    network, shop_layer, place_layer = stored
    access = roads.RoadAccess.compute(roads.load(network.id), stored_layers.load(shop_layer.id), "km")
    places = stored_layers.load(place_layer.id)
    full = road_view.road_view(access, places, 30.0, 30.0)
    area = roads.service_area(access, 30.0)
    assert full.area_segments == int(area["within"].sum()) == len(full.area)
    capped = road_view.road_view(access, places, 30.0, 30.0, draw_cap=3)
    assert len(capped.area) == 3 and capped.area_segments == full.area_segments
    from kommunkarta.outputs import formats

    at = road_page(place_layer, network)
    table = road_table(at).reset_index()
    text = formats.to_csv_bytes(table, excel=True).decode("utf-8-sig")
    assert roads.ATTRIBUTION in text
    assert "ingen vägförbindelse" in pd.read_csv(io.StringIO(text), sep=";")["Anmärkning"].tolist()
    assert np.isinf(places.pipe(lambda p: roads.service_access(p, access, 30.0))["road_km"]).sum() == 1


def test_the_road_figures_in_english(stored):
    network, shop_layer, place_layer = stored
    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=120)
    at.query_params["lang"] = "en"
    at = at.run().switch_page("app_pages/service.py").run()
    at.selectbox(key="sa_origins").set_value(place_layer.id).run()
    at.selectbox(key="sa_roads").set_value(network.id).run()
    assert not at.exception
    expected = direct(network, shop_layer, place_layer)
    people = expected["population"].to_numpy()
    assert metric(at, "People beyond 30 km by road") == swedish_int(
        int(people[expected["beyond_threshold"].to_numpy()].sum())
    )
    table = next(d.value for d in at.dataframe if "Km by road" in d.value.columns).set_index("Name")
    assert table.loc["by-H", "Note"] == "no road connection"
    assert "Along the roads" in [h.value for h in at.subheader]


def test_fetching_roads_needs_the_editor_login(stored):
    network, _shop_layer, place_layer = stored
    at = road_page(place_layer, network)
    assert at.button(key="sa_roads_fetch").disabled
    assert "Logga in som redaktör för att spara ett vägnät som alla ser." in [c.value for c in at.caption]


@pytest.mark.browser
def test_browser_draws_road_figures_and_service_area_with_no_other_host(browser, tmp_path):
    from .support.browser import ARTIFACTS
    from .test_browser import Visit, dashboard

    home = tmp_path / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOMMUNKARTA_HOME", str(home))
        network = roads.import_file(write_pbf(tmp_path / "small.osm.pbf"), "Liten")
        shops = tmp_path / "butiker.csv"
        shops.write_text(csv_of(SHOPS), encoding="utf-8")
        stored_layers.save(importers.read_points(shops, kind="grocery"), "Butiker", "facilities")
        area = roads.service_area(
            roads.RoadAccess.compute(roads.load(network.id), stored_layers.load("butiker"), "km"), 30.0
        )
    with dashboard(home=home) as url:
        visit = Visit(browser, url + "/service")
        heading = visit.page.get_by_text("Längs vägarna", exact=True)
        for _ in range(3):  # a rerun still under way on a busy machine may swallow the choice
            choose = visit.page.locator('[data-testid="stSelectbox"]').filter(has_text="Vägnät").locator("input")
            choose.click()
            choose.fill("Liten")
            choose.press("Enter")
            try:
                heading.wait_for(timeout=30_000)
                break
            except Exception:
                continue
        heading.wait_for(timeout=30_000)
        visit.page.get_by_text("Invånare bortom 30 km längs vägarna").wait_for(timeout=30_000)
        assert visit.page.get_by_text(roads.ATTRIBUTION).count() >= 1
        visit.page.wait_for_timeout(2000)
        lines = (
            "() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.Polyline && !(l instanceof L.Polygon)"
            " && l.options.color === '#1a9641') n++; }); return n; }"
        )
        deadline = 40
        while visit.map_frame().evaluate(lines) == 0 and deadline:
            visit.page.wait_for_timeout(500)
            deadline -= 1
        assert visit.map_frame().evaluate(lines) >= 1  # the service area drawn
        assert int(area["within"].sum()) > 0
        visit.page.screenshot(path=str(ARTIFACTS / "service_roads.png"), full_page=True)
        assert visit.foreign_hosts() == set(), visit.requests
        visit.page.close()


def test_an_editor_fetches_the_roads_of_a_kommun_on_a_click(stored, overpass_server, monkeypatch):  # noqa: F811
    from kommunkarta.web import overpass

    endpoint, calls = overpass_server
    monkeypatch.setenv("KOMMUNKARTA_OVERPASS_URL", endpoint)
    network, _shop_layer, place_layer = stored
    at = road_page(place_layer, network)
    assert not calls  # nothing is asked before the click
    at.session_state["kk_editor"] = "redaktor"
    at.run()
    at.multiselect(key="sa_roads_kommuner").set_value(["2161"]).run()
    assert not at.button(key="sa_roads_fetch").disabled
    at.button(key="sa_roads_fetch").click().run()
    assert not at.exception and len(calls) == len(overpass.tiles(roads.kommun_bbox(["2161"])))  # one per tile
    fetched = [i for i in roads.list_networks() if i.id != network.id]
    assert [i.title for i in fetched] == ["OpenStreetMap Ljusdal"] and fetched[0].format == "overpass"
    assert at.selectbox(key="sa_roads").value == fetched[0].id  # chosen for the analysis at once
    assert "Vägnätet OpenStreetMap Ljusdal sparat" in at.success[0].value


def test_the_road_fetch_offline_says_where_to_get_an_extract(stored, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_OVERPASS_URL", "http://127.0.0.1:9/api/interpreter")
    network, _shop_layer, place_layer = stored
    at = road_page(place_layer, network)
    at.session_state["kk_editor"] = "redaktor"
    at.run()
    at.multiselect(key="sa_roads_kommuner").set_value(["2161"]).run()
    at.button(key="sa_roads_fetch").click().run()
    assert not at.exception
    assert "Är datorn ansluten till internet" in at.error[0].value and "geofabrik" in at.error[0].value
    assert [i.id for i in roads.list_networks()] == [network.id]


def test_a_hypothetical_shop_goes_through_the_roads_what_if(stored):
    network, shop_layer, place_layer = stored
    at = road_page(place_layer, network)
    lon, lat = lonlat(*NODES["X"])
    shop = {"id": "tankt-1", "name": "Tänkt 1", "kind": "hypothetical", "kommun_kod": "", "lat": lat, "lon": lon}
    at.session_state["sa_added"] = [shop]
    at.run()
    assert not at.exception
    # Independent of the incremental what-if: computed afresh with the shop among the others.
    shops = pd.concat([stored_layers.load(shop_layer.id), pd.DataFrame([shop])], ignore_index=True)
    fresh = roads.RoadAccess.compute(roads.load(network.id), shops, "km")
    expected = roads.service_access(stored_layers.load(place_layer.id), fresh, 30.0).set_index("name")
    table = road_table(at)
    assert expected.loc["by-X", "facility_id"] == "tankt-1" and table.loc["by-X", "Km längs vägarna"] == 0
    for name in ("by-A", "by-G"):
        assert table.loc[name, "Km längs vägarna"] == pytest.approx(round(expected.loc[name, "road_km"], 1))


def test_with_roads_chosen_no_caption_calls_the_distances_straight_line(stored):
    """Issue 21, section 8: where roads are chosen the caveats name the road network and
    measure; the straight-line figures say they are straight-line."""
    network, _, place_layer = stored
    at = road_page(place_layer, network)
    captions = " ".join(c.value for c in at.caption)
    assert "fågelvägen" not in captions
    assert "Längs vägarna räknas på vägnätet Liten (kilometer)" in captions
    assert metric(at, "Orter bortom 30 km i rak linje").endswith("/ 5")
    at.selectbox(key="sa_roads").set_value("none").run()
    assert "Avstånden är fågelvägen" in " ".join(c.value for c in at.caption)


def test_the_road_distance_over_the_grid_is_computed_beside_the_page_and_then_shown(stored):
    """Issue 21: without a stored road result over the grid the page offers to compute it
    (beside the page, never in the rerun) and shows the straight line meanwhile; once stored,
    the page shows it (people beyond along the roads, classes by road km) from the file."""
    from kommunkarta.service import defaults, road_grid

    network, _, place_layer = stored
    at = road_page(place_layer, network)
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Vägavståndet för hela rutnätet är inte räknat än" in captions
    road_grid._RUNNING.clear()
    at.button(key="sa_road_grid_start").click().run()
    assert not at.exception
    [future] = road_grid._RUNNING.values()
    digest = future.result(timeout=300)  # the worker beside the page
    at.run()
    assert not at.exception
    squares = defaults.population_grid()
    people = squares["population"].to_numpy()
    with np.load(road_grid.folder() / digest / "squares.npz") as arrays:  # the stored file itself
        road_km, straight_km = arrays["road_km"], arrays["straight_km"]
    by_road = int(people[road_km > 30].sum())
    by_straight = int(people[straight_km > 30].sum())
    captions = " ".join(c.value for c in at.caption)
    assert f"{swedish_int(by_road)} invånare bor bortom 30 km längs vägarna" in captions
    assert f"({swedish_int(by_straight)} i rak linje)" in captions
    table = next(d.value for d in at.dataframe if "Avståndsklass" in d.value.columns)
    road_rows = table[(table["Mått"] == "km längs vägarna") & (table["Område"] == "Sverige")]
    assert road_rows["Invånare"].sum() == int(people.sum())
    beyond = road_rows[road_rows["Avståndsklass"].isin([">30", "ingen vägförbindelse"])]["Invånare"].sum()
    assert beyond == by_road
    # the straight line stays beside it
    assert set(table["Mått"]) == {"km längs vägarna", "km fågelvägen"}


def test_a_what_if_over_the_grid_along_the_roads_equals_a_fresh_computation(stored):
    """A hypothetical shop on the page changes the stored road result over the grid as a
    fresh routing with the shop added does (roads.RoadAccess.compute, roads.service_access)."""
    from kommunkarta.service import defaults, road_grid

    network, shop_layer, place_layer = stored
    at = road_page(place_layer, network)
    road_grid._RUNNING.clear()
    at.button(key="sa_road_grid_start").click().run()
    [future] = road_grid._RUNNING.values()
    future.result(timeout=300)
    lon, lat = lonlat(*NODES["X"])
    at.session_state["sa_added"] = [
        {"id": "tankt-1", "name": "Tänkta butiker 1", "kind": "hypothetical", "kommun_kod": "", "lat": lat, "lon": lon}
    ]
    at.run()
    assert not at.exception
    shops = stored_layers.load(shop_layer.id)
    with_new = pd.concat(
        [shops, pd.DataFrame([{"id": "tankt-1", "name": "ny", "kind": "grocery", "lat": lat, "lon": lon}])],
        ignore_index=True,
    )
    squares = defaults.population_grid()
    fresh = roads.service_access(squares, roads.RoadAccess.compute(roads.load(network.id), with_new, "km"), 30.0)
    expected = int(fresh.loc[fresh["beyond_threshold"], "population"].sum())
    before = roads.service_access(squares, roads.RoadAccess.compute(roads.load(network.id), shops, "km"), 30.0)
    # the new shop moves someone within 30 km (else this test could not fail)
    assert fresh["road_km"].lt(before["road_km"]).any()
    assert expected != int(before.loc[before["beyond_threshold"], "population"].sum())
    captions = " ".join(c.value for c in at.caption)
    assert f"{swedish_int(expected)} invånare bor bortom 30 km längs vägarna" in captions
    assert "Tänk om-ändringarna är med" in captions
