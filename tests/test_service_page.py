"""The service page with AppTest: tätorter as origins without any upload, a population
grid counted beside them, and the one-click national shop fetch (against a loopback
stand-in for Overpass, and offline)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kommunkarta import geo, paths
from kommunkarta.distances import to_sweref
from kommunkarta.format import swedish_int
from kommunkarta.service import defaults, grid, importers, osm, query, stored_layers

from .conftest import json_stand_in
from .support.apptest import fresh_caches, service_as  # noqa: F401 (fresh_caches: an autouse fixture)
from .test_grid import scb_rows, wfs_stand_in

SHOPS_CSV = (
    "id,name,lat,lon\nica,ICA Ljusdal,61.83,16.09\ncoop,Coop Järvsö,61.716,16.17\nlos,Handlarn Los,61.736,15.169\n"
)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture
def shops_only(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    path = tmp_path / "butiker.csv"
    path.write_text(SHOPS_CSV, encoding="utf-8")
    stored_layers.save(importers.read_points(path, kind="grocery"), "Butiker", "facilities")
    return pd.read_csv(path)


def beyond(points: pd.DataFrame, shops: pd.DataFrame, km: float) -> np.ndarray:
    """Brute force: every point against every shop."""
    px, py = to_sweref(points["lat"], points["lon"])
    sx, sy = to_sweref(shops["lat"], shops["lon"])
    return np.hypot(px[:, None] - sx[None, :], py[:, None] - sy[None, :]).min(axis=1) / 1000 > km


def test_tatorter_are_the_origins_without_any_upload(shops_only):
    at = service_as()
    assert not at.exception
    assert at.selectbox(key="sa_origins").value == "tatorter"
    tatorter = defaults.tatort_origins()
    far = beyond(tatorter, shops_only, 30)
    assert metric(at, "Orter bortom 30 km") == f"{swedish_int(int(far.sum()))} / {swedish_int(len(tatorter))}"
    # Issue 21: the embedded national grid is the default population, the tätorter beside it.
    assert at.selectbox(key="sa_grid").value == query.EMBEDDED_GRID
    assert metric(at, "Invånare bortom 30 km (SCB:s tätorter)") == swedish_int(
        int(tatorter.loc[far, "population"].sum())
    )
    squares = defaults.population_grid()
    far_squares = beyond(squares, shops_only, 30)
    assert metric(at, "Invånare bortom 30 km (rutnät)") == swedish_int(
        int(squares.loc[far_squares, "population"].sum())
    )
    captions = " ".join(c.value for c in at.caption)
    assert "Räknat i SCB:s tätorter 2020" in captions and "88 %" in captions
    assert (
        f"Räknat i SCB:s befolkningsrutnät 1 km 2024: {swedish_int(len(squares))} befolkade rutor"
        f" med {swedish_int(int(squares['population'].sum()))} invånare"
    ) in captions
    assert "ICMM Global Mining Dataset, September 2025 (V1)" in captions and "CC BY 4.0" in captions


def test_grid_and_tatorter_are_counted_side_by_side(shops_only, tmp_path):
    squares = tmp_path / "befolkning_1km_2025.gpkg"
    gpd.GeoDataFrame(scb_rows(), crs=geo.SWEREF99TM).to_file(squares)
    stored_layers.save(grid.read_grid(squares), "SCB 1 km 2025", "origins")
    at = service_as()
    assert not at.exception
    assert at.selectbox(key="sa_grid").value == "scb-1-km-2025"  # a stored grid is used at once
    cells = grid.read_grid(squares).points
    far = beyond(cells, shops_only, 30)
    tatorter = defaults.tatort_origins()
    far_places = beyond(tatorter, shops_only, 30)
    assert metric(at, "Invånare bortom 30 km (rutnät)") == swedish_int(int(cells.loc[far, "population"].sum()))
    assert metric(at, "Invånare bortom 30 km (SCB:s tätorter)") == swedish_int(
        int(tatorter.loc[far_places, "population"].sum())
    )
    assert metric(at, "70 år och äldre bortom 30 km") == swedish_int(int(cells.loc[far, "population_70"].sum()))
    captions = " ".join(c.value for c in at.caption)
    assert "Räknat i SCB 1 km 2025: 3 befolkade rutor" in captions and "Räknat i SCB:s tätorter 2020" in captions
    per_kommun = at.dataframe[0].value.set_index("Kommun")
    official = pd.read_csv(paths.DATA_DIR / "population.csv", dtype={"kommun_kod": str})
    ljusdal = int(official.set_index("kommun_kod").loc["2161", "population"])
    assert per_kommun.loc["Ljusdal", "Invånare bortom (rutnät)"] == cells.loc[far, "population"].sum()
    assert per_kommun.loc["Ljusdal", "Folkmängd 2025 (SCB)"] == ljusdal
    assert per_kommun.loc["Ljusdal", "Skillnad: folkmängd minus rutnät"] == ljusdal - cells["population"].sum()
    # Without the grid, the tätort figure stands alone again.
    at.selectbox(key="sa_grid").set_value("none").run()
    assert metric(at, "Invånare bortom 30 km") == swedish_int(int(tatorter.loc[far_places, "population"].sum()))


@pytest.fixture
def overpass(monkeypatch):
    answer = {
        "osm3s": {"timestamp_osm_base": "2026-11-20T08:14:02Z"},
        "elements": [
            {"type": "node", "id": 1, "lat": 61.83, "lon": 16.09, "tags": {"shop": "supermarket", "name": "ICA"}},
            {"type": "way", "id": 2, "center": {"lat": 61.736, "lon": 15.169}, "tags": {"shop": "general"}},
        ],
    }
    with json_stand_in(lambda query, body: answer, "/api/interpreter") as (url, calls):
        monkeypatch.setenv("KOMMUNKARTA_OVERPASS_URL", url)
        yield calls


def test_an_empty_page_leads_with_the_national_fetch_and_then_analyses(tmp_path, monkeypatch, overpass):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    at = service_as(editor=True)
    assert not at.exception and not overpass  # nothing is asked before the click
    assert at.button(key="sa_osm_national").label == "Hämta alla livsmedelsbutiker i Sverige från OpenStreetMap"
    at.button(key="sa_osm_national").click().run()
    assert not at.exception
    assert len(overpass) == 1 and "ISO3166-1" in overpass[0] and "general" in overpass[0]
    assert "Hämtade 2 butiker från OpenStreetMap (data från 2026-11-20)" in at.success[0].value
    assert [i.title for i in stored_layers.list_layers("facilities")] == ["OpenStreetMap Sverige 2026-11-20"]
    assert at.selectbox(key="sa_origins").value == "tatorter" and len(at.metric) >= 3  # the first analysis


def test_a_visitors_national_fetch_is_analysed_but_not_stored(tmp_path, monkeypatch, overpass):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    at = service_as()
    at.button(key="sa_osm_national").click().run()
    assert not at.exception and len(overpass) == 1
    assert "sparas inte" in at.success[0].value
    assert stored_layers.list_layers() == []  # storing needs the editor login
    assert at.selectbox(key="sa_layer").value.startswith("session-") and len(at.metric) >= 3
    # another visitor starts from the empty page
    assert [b for b in service_as().button if b.key == "sa_osm_national"]


def test_a_visitors_scb_grid_is_counted_but_not_stored(shops_only, monkeypatch, scb_wfs):
    endpoint, calls = scb_wfs
    monkeypatch.setenv("KOMMUNKARTA_SCB_WFS_URL", endpoint)
    at = service_as()
    at.button(key="sa_scb_fetch").click().run()
    assert not at.exception and calls
    assert "används i den här sessionen och sparas inte" in at.success[0].value
    assert stored_layers.list_layers("origins") == []
    at.run()
    assert at.selectbox(key="sa_grid").value.startswith("session-")
    assert metric(at, "Invånare bortom 30 km (rutnät)") == "57"


def test_the_national_fetch_offline_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KOMMUNKARTA_OVERPASS_URL", "http://127.0.0.1:9/api/interpreter")
    at = service_as()
    at.button(key="sa_osm_national").click().run()
    assert not at.exception
    assert "Är datorn ansluten till internet" in at.error[0].value
    assert stored_layers.list_layers() == []


@pytest.fixture
def scb_wfs():
    with wfs_stand_in() as served:
        yield served


def test_the_scb_grid_is_fetched_on_a_click_and_counted_beside_the_tatorter(shops_only, monkeypatch, scb_wfs):
    endpoint, calls = scb_wfs
    monkeypatch.setenv("KOMMUNKARTA_SCB_WFS_URL", endpoint)
    at = service_as(editor=True)
    assert not calls  # nothing is asked before the click
    at.button(key="sa_scb_fetch").click().run()
    assert not at.exception
    assert calls and calls[0]["typeNames"] == grid.WFS_GRID_LAYER
    assert "Sparade 3 punkter" in at.success[0].value
    [info] = stored_layers.list_layers("origins")
    assert grid.is_grid(info.kinds) and endpoint in info.source
    at.run()
    assert at.selectbox(key="sa_grid").value == info.id
    assert metric(at, "Invånare bortom 30 km (rutnät)") == "57"  # Ramsjö's square, as test_grid's brute force


def test_the_scb_grid_fetch_offline_says_so(shops_only, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_SCB_WFS_URL", "http://127.0.0.1:9/geoserver/stat/wfs")
    at = service_as()
    at.button(key="sa_scb_fetch").click().run()
    assert not at.exception
    assert "Kunde inte nå SCB" in at.error[0].value and "Är datorn ansluten till internet" in at.error[0].value


# -- the per-kommun shop button, against a stand-in that behaves like Overpass --------------

KOMMUN_SHOPS = [
    {"type": "node", "id": 11, "lat": 61.83, "lon": 16.09, "tags": {"shop": "supermarket", "name": "ICA Ljusdal"}},
    {"type": "node", "id": 12, "lat": 61.716, "lon": 16.17, "tags": {"shop": "supermarket", "name": "Coop Järvsö"}},
    {
        "type": "way",
        "id": 13,
        "center": {"lat": 61.736, "lon": 15.169},
        "tags": {"shop": "general", "name": "Handlarn"},
    },
]


@pytest.fixture
def kommun_overpass(shops_only, monkeypatch):
    from .support.standins import Overpass

    with Overpass(KOMMUN_SHOPS) as stand_in:
        monkeypatch.setenv("KOMMUNKARTA_OVERPASS_URL", stand_in.url)
        yield stand_in


def click_kommun_fetch(at: AppTest, code: str = "2161") -> AppTest:
    at.selectbox(key="sa_osm_kommun").set_value(code)
    return at.button(key="sa_osm_fetch").click().run()


def test_the_per_kommun_shop_button_fetches_that_kommun_and_stores_it(kommun_overpass):
    at = service_as(editor=True)
    assert not at.exception and not kommun_overpass.requests  # nothing is asked before the click
    click_kommun_fetch(at)
    assert not at.exception
    [query] = kommun_overpass.queries
    assert query == osm.query_for("2161") and '"ref:se:kommun:kod"="2161"' in query
    assert "Sparade 3 punkter" in at.success[0].value
    [info] = [i for i in stored_layers.list_layers("facilities") if i.title == "OpenStreetMap Ljusdal"]
    assert info.points == 3 and kommun_overpass.url in info.source
    names = sorted(stored_layers.load(info.id)["name"])
    assert names == sorted(e["tags"]["name"] for e in KOMMUN_SHOPS)
    assert at.selectbox(key="sa_layer").value == info.id
    click_kommun_fetch(at)  # a second click is answered from the cache
    assert not at.exception and len(kommun_overpass.requests) == 1


def test_the_per_kommun_shop_button_says_what_went_wrong_and_stores_nothing(kommun_overpass):
    from .support.standins import TIMEOUT_REMARK, Reply, overpass_answer, too_many_requests

    at = service_as(editor=True)
    before = [i.id for i in stored_layers.list_layers("facilities")]
    kommun_overpass.queue(Reply(200, overpass_answer(KOMMUN_SHOPS[:1], remark=TIMEOUT_REMARK)))
    click_kommun_fetch(at)
    assert not at.exception
    assert "Query timed out" in at.error[0].value and "HTTP 200" in at.error[0].value
    kommun_overpass.queue(too_many_requests("3600"))
    click_kommun_fetch(at)
    assert not at.exception
    assert "för många frågor" in at.error[0].value and "ansluten till internet" not in at.error[0].value
    assert [i.id for i in stored_layers.list_layers("facilities")] == before
    assert not osm.cache_file(osm.query_for("2161")).exists()


def test_in_english_a_busy_overpass_is_said_in_english(kommun_overpass):
    from .support.standins import gateway_timeout

    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/service.py").run()
    busy = gateway_timeout()
    busy.headers["Retry-After"] = "0"  # the page's own backoff (5, 10, 20 s) is not waited out in a test
    kommun_overpass.queue(*[busy] * 4)
    at.selectbox(key="sa_osm_kommun").set_value("2161")
    at.button(key="sa_osm_fetch").click().run()
    assert not at.exception
    message = at.error[0].value
    assert "is busy right now" in message and "HTTP 504" in message and "upptagen" not in message
    assert len(kommun_overpass.requests) == 4  # the first try and three retries
