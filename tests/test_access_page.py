"""The service page as one query and one view (issue 21, sections 9 and 8): the frozen
ServiceQuery is the cache key and the view's argument; the caveats are about the layers
actually chosen; every figure names its population and measure. Figures are checked
against a brute-force computation (every point against every shop)."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kommunkarta import paths
from kommunkarta.distances import to_sweref
from kommunkarta.format import swedish_int
from kommunkarta.service import defaults, importers, query, stored_layers
from kommunkarta.ui import service_query

from .support.apptest import app, fresh_caches  # noqa: F401 (fresh_caches: an autouse fixture)
from .support.calls import calls_to
from .support.service_sources import PlainSources

SHOPS_CSV = (
    "id,name,lat,lon\nica,ICA Ljusdal,61.83,16.09\ncoop,Coop Järvsö,61.716,16.17\nlos,Handlarn Los,61.736,15.169\n"
)
CHAINS_CSV = (
    "chain,category,location,latitude,longitude,country\n"
    "ICA,butiker,ICA Ljusdal,61.83,16.09,Sverige\n"
    "Coop,butiker,Coop Järvsö,61.716,16.17,Sverige\n"
)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    return tmp_path


def store(tmp_path, text: str, title: str, source: str = "") -> stored_layers.LayerInfo:
    path = tmp_path / f"{title}.csv"
    path.write_text(text, encoding="utf-8")
    return stored_layers.save(importers.read_points(path, kind="grocery"), title, "facilities", source=source)


def page() -> AppTest:
    return app().switch_page("app_pages/service.py").run()


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def brute_beyond(points: pd.DataFrame, shops: pd.DataFrame, km: float) -> np.ndarray:
    px, py = to_sweref(points["lat"], points["lon"])
    sx, sy = to_sweref(shops["lat"], shops["lon"])
    return np.hypot(px[:, None] - sx[None, :], py[:, None] - sy[None, :]).min(axis=1) / 1000 > km


# -- the query object ---------------------------------------------------------------------


def test_the_query_is_frozen_hashable_and_its_layers_leave_out_the_what_if():
    shops = query.LayerRef("butiker", "2026-12-01T10:00:00", "Butiker")
    asked = query.ServiceQuery(shops, ("grocery",), "tatorter", threshold_km=30.0, added=((61.5, 15.0),), closed=("x",))
    same = query.ServiceQuery(shops, ("grocery",), "tatorter", threshold_km=30.0, added=((61.5, 15.0),), closed=("x",))
    assert asked == same and hash(asked) == hash(same)
    with pytest.raises(dataclasses.FrozenInstanceError):
        asked.threshold_km = 10.0
    assert asked.layers.added == () and asked.layers.closed == ()
    assert asked.layers == dataclasses.replace(same, added=(), closed=())
    # another version of the same layer is another question
    newer = dataclasses.replace(asked, facilities=dataclasses.replace(shops, version="2026-12-02T10:00:00"))
    assert newer != asked


class FixtureSources(PlainSources):
    """query.Sources over plain frames, no Streamlit; nothing beyond shops and places asked."""

    def road_access(self, q):
        raise AssertionError("no roads asked for")

    def area_grid(self, scope):
        raise AssertionError("no area share asked for")

    def mines(self):
        raise AssertionError("no mines asked for")


def test_the_page_view_counts_what_a_brute_force_counts_with_the_what_if(home):
    info = store(home, SHOPS_CSV, "Butiker")
    shops = stored_layers.load(info.id)
    asked = query.ServiceQuery(
        query.LayerRef.of(info), ("grocery",), "tatorter", threshold_km=30.0, added=((62.18, 15.65),), closed=("los",)
    )
    view = query.page_view(asked, FixtureSources(shops))
    tatorter = defaults.tatort_origins()
    open_shops = pd.concat(
        [shops[shops["id"] != "los"][["lat", "lon"]], pd.DataFrame({"lat": [62.18], "lon": [15.65]})]
    )
    far = brute_beyond(tatorter, open_shops, 30)
    values = {f.label: f.value for f in view.figures}
    assert values["Orter bortom 30 km"] == f"{swedish_int(int(far.sum()))} / {swedish_int(len(tatorter))}"
    assert values["Invånare bortom 30 km"] == swedish_int(int(tatorter.loc[far, "population"].sum()))
    assert view.added["name"].tolist() == ["Tänkta butiker 1"]
    assert set(view.closable["id"]) <= set(shops["id"])


# -- one view, cached by the query -----------------------------------------------------------


def test_a_rerun_that_changes_nothing_computes_nothing(home, monkeypatch):
    store(home, SHOPS_CSV, "Butiker")
    asked = calls_to(monkeypatch, "page_view", service_query)
    at = page()
    assert not at.exception and len(asked) == 1
    at.run()
    assert len(asked) == 1  # the same query: served from the cache
    at.radio(key="sa_threshold_choice").set_value("driftstod").run()
    assert len(asked) == 2 and asked[-1].threshold_km == 10.0
    assert asked[-1].facilities.id == "butiker" and asked[-1].origins == "tatorter"
    at.radio(key="sa_threshold_choice").set_value("3mil").run()
    assert len(asked) == 2  # back to the first question: cached


# -- caveats about the layers actually chosen -------------------------------------------------


def test_osm_shops_say_their_completeness_is_unknown_and_nothing_about_chains(home):
    store(home, SHOPS_CSV, "OpenStreetMap Sverige", source="OpenStreetMap (https://overpass-api.de/api/interpreter)")
    at = page()
    assert not at.exception
    text = captions(at)
    assert "OpenStreetMap, som frivilliga kartlägger" in text
    assert "Kedjebutiksfilen" not in text and "Kedjebutiksfilen" not in " ".join(i.value for i in at.info)
    assert "fågelvägen" in text  # no roads chosen: the distances are straight-line, and it is said


def test_the_chain_store_caveat_only_for_the_chain_store_file(home):
    info = store(home, CHAINS_CSV, "Kedjor")
    assert importers.CHAIN_FORMAT_NOTE in info.format
    at = page()
    assert "Kedjebutiksfilen har bara kedjor" in captions(at)


def test_a_users_file_is_taken_as_uploaded(home):
    store(home, SHOPS_CSV, "Mina butiker")
    at = page()
    text = captions(at)
    assert "Butikerna är lagret Mina butiker som det lästes in" in text
    assert "Kedjebutiksfilen" not in text and "OpenStreetMap, som frivilliga" not in text


def test_the_caveats_in_english(home):
    store(home, SHOPS_CSV, "OpenStreetMap Sverige", source="OpenStreetMap (https://overpass-api.de/api/interpreter)")
    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    at = at.switch_page("app_pages/service.py").run()
    text = captions(at)
    assert "mapped by volunteers: how complete the layer is, nobody knows" in text
    assert "Distances are straight-line" in text


# -- the grid by default, distance classes --------------------------------------------------


def test_the_grid_is_the_default_and_its_classes_add_up_as_a_brute_force_count(home):
    info = store(home, SHOPS_CSV, "Butiker")
    shops = stored_layers.load(info.id)
    at = page()
    assert not at.exception
    assert at.selectbox(key="sa_grid").value == query.EMBEDDED_GRID
    squares = defaults.population_grid()
    # brute force: every square's centre against every shop, binned by explicit comparison
    sx, sy = to_sweref(shops["lat"], shops["lon"])
    km = np.hypot(squares["x"].to_numpy()[:, None] - sx[None, :], squares["y"].to_numpy()[:, None] - sy[None, :])
    km = km.min(axis=1) / 1000
    edges = [0, 2, 5, 10, 20, 30]
    expected = [
        int(squares.loc[(km > lo) & (km <= hi) if lo else (km <= hi), "population"].sum())
        for lo, hi in zip(edges, [*edges[1:], np.inf])
    ]
    expected[-1] = int(squares.loc[km > 30, "population"].sum())
    table = next(d.value for d in at.dataframe if "Avståndsklass" in d.value.columns)
    grid_rows = table[(table["Befolkning"] == "SCB:s befolkningsrutnät 1 km 2024") & (table["Område"] == "Sverige")]
    assert grid_rows["Invånare"].tolist() == expected
    assert grid_rows["Avståndsklass"].tolist() == ["0–2", "2–5", "5–10", "10–20", "20–30", ">30"]
    assert set(grid_rows["Mått"]) == {"km fågelvägen"}
    assert grid_rows["Andel"].sum() == pytest.approx(1.0)
    # the tätorter beside the grid, counted the same way
    tatorter = defaults.tatort_origins()
    places = table[(table["Befolkning"] == "SCB:s tätorter 2020 (inbyggda)") & (table["Område"] == "Sverige")]
    far = brute_beyond(tatorter, shops, 30)
    assert places["Invånare"].iloc[-1] == int(tatorter.loc[far, "population"].sum())
    # people beyond 3 mil over the whole grid, with tätorter beside it
    assert next(m.value for m in at.metric if m.label == "Invånare bortom 30 km (rutnät)") == swedish_int(expected[-1])
    # per kommun: the grid's total beside SCB's population, the gap and why
    per_kommun = next(d.value for d in at.dataframe if "Skillnad: folkmängd minus rutnät" in d.value.columns)
    ljusdal = per_kommun.set_index("Kommun").loc["Ljusdal"]
    grid_total = int(squares.loc[squares["kommun_kod"] == "2161", "population"].sum())
    assert ljusdal["Invånare i rutnätet"] == grid_total
    assert ljusdal["Skillnad: folkmängd minus rutnät"] == ljusdal["Folkmängd 2025 (SCB)"] - grid_total
    assert "förenklade kommungränser" in captions(at)
    assert "Källa: SCB, befolkning per km-ruta 2024" in captions(at)
    # the grid map instead of the places' map: every populated square in one image
    at.radio(key="sa_map_view").set_value("grid").run()
    assert not at.exception
    assert f"{swedish_int(len(squares))} befolkade rutor ritade som en bild" in captions(at)
    downloads = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ned rutnätskartan (HTML, fungerar utan nät)" in downloads


def test_the_class_table_in_english_and_scoped_to_a_network(home):
    store(home, SHOPS_CSV, "Butiker")
    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    at = at.switch_page("app_pages/service.py").run()
    at.selectbox(key="sa_network").set_value("serviceutveckling_2022").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Distance class" in d.value.columns)
    assert set(table["Level"]) == {"Network"} and set(table["Measure"]) == {"km straight line"}
    members = service_members()
    squares = defaults.population_grid()
    in_network = squares[squares["kommun_kod"].isin(members)]
    grid_rows = table[table["Population"] == "SCB's 1 km population grid 2024"]
    assert grid_rows["People"].sum() == int(in_network["population"].sum())


def service_members() -> set:
    from kommunkarta import selection
    from kommunkarta.loader import load_dataset

    ds = load_dataset(paths.DATA_DIR)
    table = selection.membership_table(ds)
    chosen = table[(table["network_id"] == "serviceutveckling_2022") & (table["country"] == "SE")]
    return set(chosen["kommun_kod"])


# -- the network pages ------------------------------------------------------------------------


def network_page(network_id: str) -> AppTest:
    from .test_app import open_network_page

    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=90).run()
    return open_network_page(at, network_id)


def test_a_network_page_without_a_shop_layer_shows_no_access_panel(home):
    at = network_page("serviceutveckling_2022")
    assert not at.exception
    assert "Avstånd till service i medlemskommunerna" not in [s.value for s in at.subheader]


def test_a_network_page_counts_its_members_beyond_3_mil_as_a_kd_tree_does(home):
    from scipy.spatial import cKDTree

    info = store(home, SHOPS_CSV, "Butiker")
    shops = stored_layers.load(info.id)
    at = network_page("serviceutveckling_2022")
    assert not at.exception
    assert "Avstånd till service i medlemskommunerna" in [s.value for s in at.subheader]
    members = service_members()
    squares = defaults.population_grid()
    sx, sy = to_sweref(shops["lat"], shops["lon"])
    km = cKDTree(np.column_stack([sx, sy])).query(squares[["x", "y"]].to_numpy())[0] / 1000
    in_network = squares["kommun_kod"].isin(members).to_numpy()
    expected = int(squares.loc[in_network & (km > 30), "population"].sum())
    values = {m.label: m.value for m in at.metric}
    assert values["Invånare bortom 3 mil (rutnät, rak linje)"] == swedish_int(expected)
    tatorter = defaults.tatort_origins()
    places = tatorter[tatorter["kommun_kod"].isin(members)]
    far = brute_beyond(places, shops, 30)
    assert values["Invånare bortom 3 mil (SCB:s tätorter)"] == swedish_int(int(places.loc[far, "population"].sum()))
    # vulnerable shops among the members: a shop whose nearest other shop is beyond 3 mil
    own = shops[shops["kommun_kod"].isin(members)]
    ox, oy = to_sweref(own["lat"], own["lon"])
    gap = np.hypot(ox[:, None] - sx[None, :], oy[:, None] - sy[None, :])
    gap[gap == 0] = np.inf
    assert values["Sårbara butiker (nästa butik bortom 3 mil)"] == swedish_int(int((gap.min(axis=1) > 30_000).sum()))
    [link] = [p for p in at.get("page_link") if p.proto.label == "Hela analysen för nätverket"]
    assert link.proto.query_string == "network=serviceutveckling_2022" and link.proto.page.endswith("service")


def test_the_service_page_takes_a_network_scope_from_the_link(home):
    store(home, SHOPS_CSV, "Butiker")
    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=90)
    at.query_params["network"] = "serviceutveckling_2022"
    at.run()
    at = at.switch_page("app_pages/service.py").run()
    assert not at.exception
    assert at.selectbox(key="sa_network").value == "serviceutveckling_2022"
    table = next(d.value for d in at.dataframe if "Avståndsklass" in d.value.columns)
    assert set(table["Nivå"]) == {"Nätverk"}


def test_the_presentation_shows_the_grid_map_when_asked_for(home):
    store(home, SHOPS_CSV, "Butiker")
    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=90)
    at.query_params["views"] = "overview,gridmap"
    at.query_params["step"] = "2"
    at.run()
    at.switch_page("app_pages/present.py").run()
    assert not at.exception
    assert at.title[0].value == "Avstånd till service"
    assert [m.label for m in at.metric] == ["Invånare bortom 30 km (rutnät)", "Invånare bortom 30 km (SCB:s tätorter)"]
    # not in the default sequence: the presentation without views= steps as before
    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=90).run()
    at.switch_page("app_pages/present.py").run()
    assert "gridmap" not in at.multiselect(key="present_views").value
