"""Straight-line distances in SWEREF 99 TM, checked by hand and against pyproj.Geod."""

import math

import pandas as pd
import pytest
from pyproj import Geod

from kommunkarta import distances, gazetteer, geo

GEOD = Geod(ellps="GRS80")


def geodesic_km(a, b) -> float:
    return GEOD.inv(a[1], a[0], b[1], b[0])[2] / 1000


@pytest.fixture(scope="module")
def seats(dataset):
    return gazetteer.kommun_seats(dataset.seats)


def test_planar_distance_equals_pythagoras_on_the_projected_points():
    points = pd.DataFrame({"name": ["a", "b"], "lat": [59.3293, 57.7089], "lon": [18.0686, 11.9746]})
    x, y = distances.to_sweref(points["lat"], points["lon"])
    by_hand = math.hypot(x[1] - x[0], y[1] - y[0]) / 1000
    assert distances.distance_matrix_km(points).loc["a", "b"] == pytest.approx(by_hand)
    assert by_hand == pytest.approx(geodesic_km((59.3293, 18.0686), (57.7089, 11.9746)), rel=0.005)


@pytest.mark.parametrize("network_id", ["industrikommuner", "tornedalsradet", "gruvkommuner", "serviceutveckling_2022"])
def test_member_distances_agree_with_geodesics_within_half_a_percent(table, dataset, seats, network_id):
    points = distances.member_points(table, network_id, seats, dataset.centres)
    matrix = distances.distance_matrix_km(points)
    coords = dict(zip(points["name"], zip(points["lat"], points["lon"])))
    for a in matrix.index:
        for b in matrix.columns:
            if a < b and matrix.loc[a, b] > 1:
                assert matrix.loc[a, b] == pytest.approx(geodesic_km(coords[a], coords[b]), rel=0.005), (a, b)


def test_nearest_and_meeting_place_on_a_line():
    # Three seats 0, 30 and 100 km apart along a line: the middle one is nearest to both
    # ends' travel, and the totals are sums of the other two distances.
    matrix = pd.DataFrame(
        [[0, 30, 100], [30, 0, 70], [100, 70, 0]], index=list("abc"), columns=list("abc"), dtype=float
    )
    nearest = distances.nearest_other(matrix).set_index("name")
    assert nearest.loc["a", "nearest"] == "b" and nearest.loc["c", "nearest"] == "b" and nearest.loc["c", "km"] == 70
    meeting = distances.meeting_place(matrix)
    assert meeting.best == "b" and meeting.best_total_km == 100
    assert meeting.total_for("a") == 130 and meeting.total_for("c") == 170


def test_a_lone_member_has_no_nearest_and_an_empty_network_no_meeting():
    assert distances.nearest_other(pd.DataFrame([[0.0]], index=["a"], columns=["a"])).empty
    assert distances.meeting_place(pd.DataFrame()) is None






def test_every_kommun_has_a_seat_near_it(dataset, seats):
    assert len(seats) == 290 and seats["kommun_kod"].is_unique
    assert set(seats["rule"]) <= {"gazetteer", "override", "kommun_centre"}
    shapes = geo.kommuner().set_index("kommun_kod").to_crs(geo.SWEREF99TM)
    x, y = distances.to_sweref(seats["lat"], seats["lon"])
    import geopandas as gpd

    points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=geo.SWEREF99TM, index=seats["kommun_kod"])
    gap = shapes.geometry.loc[points.index].distance(points, align=False)
    assert (gap.to_numpy() <= 3_000).all()




