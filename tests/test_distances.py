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


# -- on the fixture data (tests/fixtures/data): expected values by brute force on pyproj.Geod --


@pytest.fixture(scope="module")
def fixture_seats(fixture_dataset):
    return gazetteer.kommun_seats(fixture_dataset.seats)


def fixture_points(fixture_table, fixture_dataset, fixture_seats, network_id):
    return distances.member_points(fixture_table, network_id, fixture_seats, fixture_dataset.centres)


def geodesic_totals(points) -> dict[str, float]:
    """Each member's summed travel to all others along the ellipsoid, by brute force."""
    coords = dict(zip(points["name"], zip(points["lat"], points["lon"])))
    return {a: sum(geodesic_km(coords[a], coords[b]) for b in coords if b != a) for a in coords}


@pytest.mark.parametrize("network_id", ["gruvor", "landsbygd", "landsbygd_pilot", "gransrad"])
def test_fixture_member_distances_agree_with_geodesics(fixture_table, fixture_dataset, fixture_seats, network_id):
    points = fixture_points(fixture_table, fixture_dataset, fixture_seats, network_id)
    matrix = distances.distance_matrix_km(points)
    coords = dict(zip(points["name"], zip(points["lat"], points["lon"])))
    for a in matrix.index:
        for b in matrix.columns:
            if a != b:
                assert matrix.loc[a, b] == pytest.approx(geodesic_km(coords[a], coords[b]), rel=0.005), (a, b)


def test_members_are_placed_on_both_sides_of_the_borders(fixture_table, fixture_dataset, fixture_seats, fixture_rows):
    points = fixture_points(fixture_table, fixture_dataset, fixture_seats, "gransrad").set_index("name")
    members = {
        r["kommun_kod"] or r["name"]
        for r in fixture_rows("memberships.csv")
        if r["network_id"] == "gransrad" and r["role"] == "member"
    }
    assert len(points) == len(members) == 7  # Haparanda's host row adds no point
    assert list(points["country"]) == ["SE"] * 4 + ["FI"] * 2 + ["NO"]  # Sweden first, then Finland, Norway
    assert points.loc["Lyngen", "seat"] == "Lyngseidet" and points.loc["Lyngen", "rule"] == "municipal_centre"
    centres = {r["name"]: r["centre"] for r in fixture_rows("municipal_centres.csv")}
    assert {n: points.loc[n, "seat"] for n in centres} == centres
    assert set(points.loc[points["country"] == "SE", "rule"]) == {"gazetteer"}
    matrix = distances.distance_matrix_km(points.reset_index())
    assert matrix.loc["Haparanda", "Tornio (Torneå)"] < 5  # twin towns across the river


def test_a_member_without_a_known_place_is_listed_missing(fixture_table, fixture_dataset, fixture_seats):
    centres = fixture_dataset.centres[fixture_dataset.centres["name"] != "Lyngen"]
    points = distances.member_points(fixture_table, "gransrad", fixture_seats, centres)
    assert "Lyngen" not in set(points["name"]) and len(points) == 6
    result = distances.network_distances(fixture_table, "gransrad", points)
    assert result.missing == ["Lyngen"] and "Lyngen" not in result.matrix.index


@pytest.mark.parametrize("network_id", ["gruvor", "landsbygd", "gransrad"])
def test_meeting_place_is_the_least_total_travel(fixture_table, fixture_dataset, fixture_seats, network_id):
    points = fixture_points(fixture_table, fixture_dataset, fixture_seats, network_id)
    meeting = distances.meeting_place(distances.distance_matrix_km(points))
    totals = geodesic_totals(points)
    assert meeting.best == min(totals, key=totals.get)
    assert meeting.best_total_km == pytest.approx(min(totals.values()), rel=0.005)
    for name, total in totals.items():
        assert meeting.total_for(name) == pytest.approx(total, rel=0.005)
    assert list(meeting.totals_km) == sorted(meeting.totals_km)


def test_network_distances_name_the_meeting_place_and_the_hosts_totals(
    fixture_table, fixture_dataset, fixture_seats, fixture_rows
):
    points = fixture_points(fixture_table, fixture_dataset, fixture_seats, "gransrad")
    result = distances.network_distances(fixture_table, "gransrad", points)
    assert result.meeting.best_total_km == result.meeting.totals_km.min()
    hosts = {
        r["name"] for r in fixture_rows("memberships.csv") if r["network_id"] == "gransrad" and r["role"] == "host"
    }
    assert set(result.host_totals) == hosts == {"Haparanda"}
    assert result.host_totals["Haparanda"] == pytest.approx(geodesic_totals(points)["Haparanda"], rel=0.005)
    assert list(result.nearest.columns) == ["name", "nearest", "km", "seat", "rule"] and result.missing == []
    nearest = result.nearest.set_index("name")
    assert (
        nearest.loc["Haparanda", "nearest"] == "Tornio (Torneå)"
        and nearest.loc["Tornio (Torneå)", "nearest"] == "Haparanda"
    )
    # The mining network's only host (Skellefteå) takes no part: no member travels "to" it.
    mining = distances.network_distances(
        fixture_table, "gruvor", fixture_points(fixture_table, fixture_dataset, fixture_seats, "gruvor")
    )
    assert mining.host_totals == {}
    lone = points.iloc[:1]
    assert distances.network_distances(fixture_table, "gransrad", lone) is None
    empty = fixture_points(fixture_table, fixture_dataset, fixture_seats, "etablering")
    assert empty.empty and distances.network_distances(fixture_table, "etablering", empty) is None


def test_a_seat_override_replaces_the_gazetteer_pick(fixture_dataset, fixture_seats, fixture_rows):
    override = fixture_rows("seats.csv")[0]  # Mörbylånga -> geonameid 2691348
    entry = gazetteer.places().loc[int(override["geonameid"])]
    seat = fixture_seats.set_index("kommun_kod").loc["0840"]
    assert (seat["seat"], seat["rule"]) == (override["seat"], "override")
    assert (seat["lat"], seat["lon"]) == pytest.approx((float(entry["lat"]), float(entry["lon"])))
    # Without the row, the gazetteer's own pick stands (the misplaced "Södra Sandby" the note names).
    default = gazetteer.kommun_seats(fixture_dataset.seats.iloc[0:0]).set_index("kommun_kod").loc["0840"]
    assert default["rule"] != "override" and default["seat"] != override["seat"]
    assert fixture_seats.set_index("kommun_kod").loc["2584", "rule"] == "gazetteer"  # no override: the gazetteer's


def test_every_kommun_has_a_seat_near_it(dataset, seats):
    assert len(seats) == 290 and seats["kommun_kod"].is_unique
    assert set(seats["rule"]) <= {"gazetteer", "override", "kommun_centre"}
    shapes = geo.kommuner().set_index("kommun_kod").to_crs(geo.SWEREF99TM)
    x, y = distances.to_sweref(seats["lat"], seats["lon"])
    import geopandas as gpd

    points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=geo.SWEREF99TM, index=seats["kommun_kod"])
    gap = shapes.geometry.loc[points.index].distance(points, align=False)
    assert (gap.to_numpy() <= 3_000).all()
