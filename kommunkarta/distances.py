"""Straight-line distances ("fågelvägen") in SWEREF 99 TM between network members.

A Swedish member is placed at its kommun seat (see gazetteer.kommun_seats); a Finnish
or Norwegian member at its municipal centre (data/municipal_centres.csv). SWEREF 99 TM
is a transverse Mercator projection for Sweden; within the members' area its planar
distances stay within about 0.3 % of the geodesic ones (tested against pyproj.Geod).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer

from . import geo

KM_PER_MIL = 10.0


@functools.cache
def _to_sweref() -> Transformer:
    return Transformer.from_crs(geo.WGS84, geo.SWEREF99TM, always_xy=True)


def to_sweref(lat, lon) -> tuple[np.ndarray, np.ndarray]:
    """Metres east and north in SWEREF 99 TM."""
    x, y = _to_sweref().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


def distance_matrix_km(points: pd.DataFrame) -> pd.DataFrame:
    """Planar distances in km between every pair of ``points`` (columns name, lat, lon)."""
    x, y = to_sweref(points["lat"], points["lon"])
    xy = np.column_stack([x, y])
    km = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)) / 1000
    return pd.DataFrame(km, index=points["name"].to_list(), columns=points["name"].to_list())


def nearest_other(matrix: pd.DataFrame) -> pd.DataFrame:
    """Each member's nearest fellow member and the distance to it."""
    if len(matrix) < 2:
        return pd.DataFrame(columns=["name", "nearest", "km"])
    values = matrix.to_numpy(copy=True)
    np.fill_diagonal(values, np.inf)
    nearest = values.argmin(axis=1)
    return pd.DataFrame(
        {"name": matrix.index, "nearest": matrix.columns[nearest], "km": values[np.arange(len(values)), nearest]}
    )


@dataclass(frozen=True)
class MeetingPlace:
    best: str  # the member whose seat minimises everyone's total travel
    best_total_km: float
    totals_km: pd.Series  # every member's total, smallest first

    def total_for(self, name: str) -> float:
        return float(self.totals_km[name])


def meeting_place(matrix: pd.DataFrame) -> MeetingPlace | None:
    """The member to meet at so that the members' summed straight-line travel is least
    (everyone travels from their own seat, one trip each)."""
    if matrix.empty:
        return None
    totals = matrix.sum(axis=1).sort_values(kind="stable")
    return MeetingPlace(best=totals.index[0], best_total_km=float(totals.iloc[0]), totals_km=totals)


def member_points(table: pd.DataFrame, network_id: str, seats: pd.DataFrame, centres: pd.DataFrame) -> pd.DataFrame:
    """The places that stand for a network's members: seats of Swedish kommuner,
    centres of Finnish and Norwegian ones. Members without a known place are left out
    and listed by ``missing_points``."""
    members = table[(table["network_id"] == network_id) & table["takes_part"]].drop_duplicates(
        ["kommun_kod", "name", "country"]
    )
    swedish = members[members["country"] == "SE"].merge(seats, on="kommun_kod")
    foreign = members[members["country"] != "SE"].merge(
        centres[["name", "country", "centre", "lat", "lon", "source"]].rename(
            columns={"centre": "seat", "source": "seat_source"}
        ),
        on=["name", "country"],
    )
    foreign = foreign.assign(rule="municipal_centre")
    columns = ["name", "kommun_kod", "country", "seat", "lat", "lon", "rule", "seat_source"]
    points = pd.concat([swedish.assign(name=swedish["kommun"])[columns], foreign[columns]], ignore_index=True)
    country_order = points["country"].map({"SE": 0, "FI": 1, "NO": 2})
    return (
        points.assign(order=country_order).sort_values(["order", "name"]).drop(columns="order").reset_index(drop=True)
    )


def missing_points(table: pd.DataFrame, network_id: str, points: pd.DataFrame) -> list[str]:
    members = table[(table["network_id"] == network_id) & table["takes_part"]]
    return sorted(set(members["kommun"]) - set(points["name"]))


@dataclass(frozen=True)
class NetworkDistances:
    matrix: pd.DataFrame  # km between the members' seats
    meeting: MeetingPlace
    host_totals: dict  # the members' total travel to each host the sources name
    nearest: pd.DataFrame  # name, nearest, km, seat, rule: each member's nearest fellow
    missing: list  # members without a known place, left out


def network_distances(table: pd.DataFrame, network_id: str, points: pd.DataFrame) -> NetworkDistances | None:
    """Distances between a network's members, the least-travel meeting place, and the
    travel to the meeting hosts the data names. None with fewer than two placed members."""
    if len(points) < 2:
        return None
    matrix = distance_matrix_km(points)
    meeting = meeting_place(matrix)
    if meeting is None:  # no distances at all
        return None
    rows = table[table["network_id"] == network_id]
    hosts = [h for h in rows.loc[rows["role"] == "host", "kommun"] if h in matrix.index]
    return NetworkDistances(
        matrix=matrix,
        meeting=meeting,
        host_totals={h: meeting.total_for(h) for h in hosts},
        nearest=nearest_other(matrix).merge(points[["name", "seat", "rule"]], on="name"),
        missing=missing_points(table, network_id, points),
    )
