"""Service access on real data (../shared/data) and on points built by hand."""

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from kommunkarta import distances
from kommunkarta.service import analysis, importers

from .conftest import SHARED_DIR

STORES = SHARED_DIR / "data" / "shops_fuel_se_poi" / "stores.csv"
TATORTER = SHARED_DIR / "data" / "tatorter_2020" / "tatorter_2020.csv"
needs_shared_data = pytest.mark.skipif(
    not (STORES.exists() and TATORTER.exists()),
    reason="the chain-store and tätort files are not in ../shared/data (CI has them)",
)


def sweref_points(xy, **columns) -> pd.DataFrame:
    xy = np.asarray(xy, dtype=float)
    frame = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]})
    frame["id"] = [f"p{i}" for i in range(len(frame))]
    frame["name"] = frame["id"]
    frame["kommun_kod"] = "2161"
    frame["kind"] = "grocery"
    frame["lat"], frame["lon"] = np.nan, np.nan
    frame["population"] = columns.get("population", [100] * len(frame))
    return frame


@pytest.fixture(scope="module")
def stores():
    return analysis.facilities_of_kinds(importers.read_points(STORES).points, ("grocery",))


@pytest.fixture(scope="module")
def tatorter():
    return importers.read_points(TATORTER).points


@needs_shared_data
def test_nearest_store_agrees_with_brute_force(stores, tatorter):
    facilities = analysis.Facilities.build(stores)
    result = analysis.service_access(tatorter, facilities)
    origins = analysis.with_xy(tatorter)
    fx, fy = facilities.points["x"].to_numpy(), facilities.points["y"].to_numpy()
    sample = origins.sample(300, random_state=1)
    for row in sample.itertuples():
        brute = np.sqrt((fx - row.x) ** 2 + (fy - row.y) ** 2).min() / 1000
        assert result.loc[row.Index, "distance_km"] == pytest.approx(brute)


@needs_shared_data
def test_distances_agree_with_geodesics(stores, tatorter):
    result = analysis.service_access(tatorter, analysis.Facilities.build(stores))
    by_id = stores.set_index("id")
    geod = Geod(ellps="GRS80")
    checked = result[result["distance_km"] > 1].sample(200, random_state=2)
    for row in checked.itertuples():
        store = by_id.loc[row.facility_id]
        geodesic = geod.inv(row.lon, row.lat, store["lon"], store["lat"])[2] / 1000
        assert row.distance_km == pytest.approx(geodesic, rel=0.005)


@needs_shared_data
def test_national_figures_on_real_data(stores, tatorter):
    result = analysis.service_access(tatorter, analysis.Facilities.build(stores), threshold_km=30)
    assert len(result) == 2017 and result["population"].sum() == pd.read_csv(TATORTER)["pop"].sum()
    beyond = result[result["beyond_threshold"]]
    assert 0 < len(beyond) < 20  # a handful of tätorter lie beyond 3 mil of a chain grocery store
    assert (beyond["distance_km"] > 30).all()
    vulnerable = analysis.vulnerable_facilities(tatorter, analysis.Facilities.build(stores), 30)
    assert vulnerable["isolated"].sum() == (vulnerable["next_facility_km"] > 30).sum() > 0


def test_threshold_edge_is_within():
    facilities = analysis.Facilities.build(sweref_points([[500_000, 7_000_000]]))
    origins = sweref_points([[470_000, 7_000_000], [469_999, 7_000_000], [500_000, 7_030_000]])
    result = analysis.service_access(origins, facilities, threshold_km=30)
    assert result["distance_km"].tolist() == pytest.approx([30.0, 30.001, 30.0])
    assert result["beyond_threshold"].tolist() == [False, True, False]


def test_detour_factor_scales_the_distance():
    facilities = analysis.Facilities.build(sweref_points([[500_000, 7_000_000]]))
    origins = sweref_points([[480_000, 7_000_000]])
    assert analysis.service_access(origins, facilities, 30, detour=1.3)["distance_km"].iloc[0] == pytest.approx(26.0)
    assert analysis.service_access(origins, facilities, 25, detour=1.3)["beyond_threshold"].iloc[0]


def test_empty_and_single_facility_layers_give_clear_results():
    origins = sweref_points([[480_000, 7_000_000], [600_000, 7_100_000]])
    empty = analysis.service_access(origins, analysis.Facilities.build(sweref_points(np.empty((0, 2)))))
    assert (
        np.isinf(empty["distance_km"]).all() and empty["beyond_threshold"].all() and empty["facility_id"].isna().all()
    )
    one = analysis.Facilities.build(sweref_points([[500_000, 7_000_000]]))
    vulnerable = analysis.vulnerable_facilities(origins, one, 30)
    assert np.isinf(vulnerable["next_facility_km"].iloc[0]) and vulnerable["isolated"].iloc[0]
    assert vulnerable["places_lost"].iloc[0] == 1  # the near place would have nothing left within 30 km


def test_duplicate_points_protect_each_other():
    facilities = analysis.Facilities.build(sweref_points([[500_000, 7_000_000], [500_000, 7_000_000]]))
    vulnerable = analysis.vulnerable_facilities(sweref_points([[490_000, 7_000_000]]), facilities, 30)
    assert (vulnerable["next_facility_km"] == 0).all() and (vulnerable["places_lost"] == 0).all()


def test_what_a_closure_would_cost():
    # Shops A and B 40 km apart; place 1 is 10 km from A (and 50 from B), place 2 is
    # 20 km from both. Closing A leaves place 1 beyond 30 km; place 2 keeps B.
    facilities = analysis.Facilities.build(sweref_points([[500_000, 7_000_000], [540_000, 7_000_000]]))
    origins = sweref_points([[490_000, 7_000_000], [520_000, 7_000_000]], population=[300, 50])
    vulnerable = analysis.vulnerable_facilities(origins, facilities, 30).set_index("id")
    assert vulnerable.loc["p0", ["places_lost", "population_lost", "isolated"]].tolist() == [1, 300, True]
    assert vulnerable.loc["p1", ["places_lost", "population_lost"]].tolist() == [0, 0]
    closed = analysis.what_if(facilities, close=("p0",))
    assert analysis.service_access(origins, closed, 30)["beyond_threshold"].tolist() == [True, False]
    added = analysis.what_if(facilities, add=sweref_points([[491_000, 7_000_000]]).assign(id="new"))
    assert analysis.service_access(origins, added, 30)["facility_id"].iloc[0] == "new"


def test_kommun_figures_and_area_share():
    grid = analysis.grid_origins(["2161"])  # Ljusdal, 1 km cells
    from kommunkarta import geo

    area = geo.kommuner().set_index("kommun_kod").loc["2161", "area_km2"]
    assert len(grid) == pytest.approx(area, rel=0.02)
    x, y = distances.to_sweref(grid["lat"], grid["lon"])
    centre = [[float(np.median(x)), float(np.median(y))]]
    facilities = analysis.Facilities.build(sweref_points(centre))
    cells = analysis.service_access(grid, facilities, 30)
    origins = sweref_points(centre, population=[1000])
    table = analysis.kommun_access(analysis.service_access(origins, facilities, 30), cells).set_index("kommun_kod")
    expected = (cells["distance_km"] > 30).mean()
    assert table.loc["2161", "area_beyond_share"] == pytest.approx(expected) and 0 < expected < 1
    assert table.loc["2161", "population_beyond"] == 0


def test_distance_bands():
    assert [analysis.distance_band(km) for km in (0.5, 2.0, 2.1, 10, 25, 30, 31)] == [0, 0, 1, 1, 3, 3, 4]


def test_a_shop_added_by_its_coordinates_is_found():
    # The what-if map gives a clicked point as lat/lon only, beside projected shops.
    shops = analysis.with_xy(
        pd.DataFrame(
            {
                "id": ["ica"],
                "name": ["ICA Ljusdal"],
                "kind": "grocery",
                "kommun_kod": "2161",
                "lat": [61.83],
                "lon": [16.09],
            }
        )
    )
    clicked = pd.DataFrame(
        {"id": ["new"], "name": ["Ny"], "kind": "hypothetical", "kommun_kod": "", "lat": [62.3], "lon": [15.3]}
    )
    origins = pd.DataFrame(
        {"id": ["r"], "name": ["Ramsjö"], "kommun_kod": "2161", "lat": [62.18], "lon": [15.65], "population": [300]}
    )
    result = analysis.service_access(origins, analysis.what_if(analysis.Facilities.build(shops), add=clicked), 30)
    assert result["facility_id"].iloc[0] == "new" and result["distance_km"].iloc[0] < 30


def test_measured_distance_is_straight_line_in_sweref():
    from pyproj import Geod

    ljusdal, los = (61.829, 16.088), (61.737, 15.170)
    km = analysis.straight_km(ljusdal, los)
    assert km == pytest.approx(Geod(ellps="GRS80").inv(16.088, 61.829, 15.170, 61.737)[2] / 1000, rel=0.005)
    assert analysis.straight_km(ljusdal, ljusdal) == 0


def test_scoped_analysis_and_what_matters_nationally():
    # Shop p0 alone serves place p0 (closing it strands 300 people); p1 and p2 stand together.
    facilities = analysis.Facilities.build(
        sweref_points([[500_000, 7_000_000], [700_000, 7_000_000], [701_000, 7_000_000]])
    )
    origins = sweref_points([[490_000, 7_000_000], [705_000, 7_000_000]], population=[300, 50])
    national = analysis.analyse(facilities, origins, (), 30)
    assert set(national.facilities_shown["id"]) == {"p0"}  # p1 and p2 back each other up
    assert analysis.facilities_that_matter(national.vulnerable) == {"p0"}
    assert set(analysis.closable(facilities, origins, (), 30)["id"]) == {"p0"}
    scoped = analysis.analyse(facilities, origins, ("2161",), 30, closed=("p0",))
    assert scoped.rows["beyond_threshold"].tolist() == [True, False]
    assert set(scoped.facilities_shown["id"]) == {"p1", "p2"}  # every shop of the scope
