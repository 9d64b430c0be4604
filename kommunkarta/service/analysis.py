"""Service access: how far places are from everyday service, straight-line in SWEREF 99 TM.

Distances are "fågelvägen". An optional detour factor (1.2–1.35 is typical for roads)
turns them into a clearly labelled estimate of road distance. A place is *beyond* a
threshold when its distance is strictly greater than it: a place exactly 30 km away is
within 3 mil.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import KDTree

from .. import distances

# The named thresholds: Kolada's 2 km measure, the 10 km limit for special operating
# support to rural shops, and the 3 mil of the sources.
THRESHOLD_PRESETS_KM = {"kolada": 2.0, "driftstod": 10.0, "3mil": 30.0}
DISTANCE_BANDS_KM = (2.0, 10.0, 20.0, 30.0)

ORIGIN_COLUMNS = ["id", "name", "kommun_kod", "lat", "lon", "population"]
FACILITY_COLUMNS = ["id", "name", "kind", "kommun_kod", "lat", "lon"]


def with_xy(points: pd.DataFrame) -> pd.DataFrame:
    """Add SWEREF 99 TM metres (x east, y north) unless present."""
    if {"x", "y"} <= set(points.columns):
        return points
    x, y = distances.to_sweref(points["lat"].to_numpy(), points["lon"].to_numpy())
    return points.assign(x=x, y=y)


@dataclass(frozen=True)
class Facilities:
    """A facility layer ready for queries. Points at the same spot (a chain's duplicate
    rows, a mall's shops) are collapsed into one *site* with a count, and the KD-tree is
    built over the sites: a tree over many identical points degenerates into one huge
    leaf that every query scans, which made the analysis grow with the square of the
    points. Every query is then a k-nearest query over the sites: O(n log n) in all."""

    points: pd.DataFrame
    tree: KDTree | None  # over the distinct sites
    site_xy: np.ndarray  # (sites, 2)
    site_of: np.ndarray  # per point row, its site
    site_count: np.ndarray  # per site, how many points stand there
    site_start: np.ndarray  # per site, where its point rows begin in ``site_members``
    site_members: np.ndarray  # point rows ordered by site

    @classmethod
    def build(cls, points: pd.DataFrame) -> Facilities:
        points = with_xy(points).reset_index(drop=True)
        xy = points[["x", "y"]].to_numpy(dtype=float).reshape(-1, 2)
        # One complex number per point makes the site lookup a hash, not a sort of rows.
        site_of, sites = pd.factorize(xy[:, 0] + 1j * xy[:, 1], use_na_sentinel=False)
        site_of = np.asarray(site_of, dtype=np.intp)
        site_xy = np.column_stack([sites.real, sites.imag]) if len(sites) else np.empty((0, 2))
        site_count = np.bincount(site_of, minlength=len(site_xy))
        members = np.argsort(site_of, kind="stable")
        start = np.concatenate([[0], np.cumsum(site_count)[:-1]]).astype(int) if len(site_count) else site_count
        tree = KDTree(site_xy) if len(site_xy) else None
        return cls(points, tree, site_xy, site_of, site_count, start, members)

    def nearest(self, xy: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Distances (m) and row positions of the k nearest facilities for each point
        (points at one site count once each); inf and -1 where there are fewer than k."""
        n = len(xy)
        dist = np.full((n, k), np.inf)
        rows = np.full((n, k), -1)
        if self.tree is None or n == 0:
            return dist, rows
        sites = min(k, len(self.site_xy))  # k sites hold at least k points
        site_dist, site_idx = self.tree.query(xy, k=sites, workers=-1)
        site_dist, site_idx = site_dist.reshape(n, sites), site_idx.reshape(n, sites)
        filled = np.zeros(n, dtype=int)
        for j in range(sites):
            count = self.site_count[site_idx[:, j]]
            for nth in range(k):
                take = np.flatnonzero((filled < k) & (count > nth))
                if not len(take):
                    break
                column = filled[take]
                dist[take, column] = site_dist[take, j]
                rows[take, column] = self.site_members[self.site_start[site_idx[take, j]] + nth]
                filled[take] += 1
        return dist, rows

    def next_site_m(self) -> np.ndarray:
        """Per point, the distance (m) to the nearest other facility: 0 where another
        stands at the same site."""
        if self.tree is None:
            return np.empty(0)
        if len(self.site_xy) < 2:
            other = np.full(len(self.site_xy), np.inf)
        else:
            # Asked in the tree's own order, neighbouring queries walk the same nodes:
            # about 2.5 times faster for a million sites than in the file's order.
            order = self.tree.indices
            other = np.empty(len(self.site_xy))
            other[order] = self.tree.query(self.site_xy[order], k=2, workers=-1)[0][:, 1]
        other = np.where(self.site_count > 1, 0.0, other)
        return other[self.site_of]


def service_access(
    origins: pd.DataFrame,
    facilities: Facilities,
    threshold_km: float = 30.0,
    detour: float = 1.0,
    known: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """One row per origin: its nearest facility and the distance to it in km
    (straight line × ``detour``), and whether that is beyond ``threshold_km``.
    ``known``: ``facilities.nearest`` of the origins, when already known."""
    origins = with_xy(origins).reset_index(drop=True)
    dist, idx = known if known is not None else facilities.nearest(origins[["x", "y"]].to_numpy(), k=1)
    km = dist[:, 0] / 1000 * detour
    found = idx[:, 0] >= 0
    nearest = facilities.points.iloc[np.where(found, idx[:, 0], 0)] if len(facilities.points) else None
    return pd.DataFrame(
        {
            "origin_id": origins["id"].to_numpy(),
            "name": origins["name"].to_numpy(),
            "kommun_kod": origins["kommun_kod"].to_numpy(),
            "lat": origins["lat"].to_numpy(),
            "lon": origins["lon"].to_numpy(),
            "population": origins["population"].to_numpy(),
            "facility_id": np.where(found, nearest["id"].to_numpy(), None) if nearest is not None else None,
            "facility_name": np.where(found, nearest["name"].to_numpy(), None) if nearest is not None else None,
            "distance_km": km,
            "beyond_threshold": km > threshold_km,
        }
    )


def kommun_access(access: pd.DataFrame, area_access: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per kommun: places and people beyond the threshold, and nearest-distance figures.
    With a grid result (``area_access``), also the share of the kommun's area beyond."""
    frame = access.assign(pop_beyond=access["population"].where(access["beyond_threshold"], 0))
    grouped = frame.groupby("kommun_kod")
    table = pd.DataFrame(
        {
            "places": grouped.size(),
            "places_beyond": grouped["beyond_threshold"].sum().astype(int),
            "population": grouped["population"].sum(),
            "population_beyond": grouped["pop_beyond"].sum(),
            "median_km": grouped["distance_km"].median(),
            "mean_km": grouped["distance_km"].mean(),
            "max_km": grouped["distance_km"].max(),
        }
    )
    table["population_beyond_share"] = (
        table["population_beyond"] / table["population"].where(table["population"] > 0)
    ).fillna(0.0)
    if area_access is not None and len(area_access):
        cells = area_access.groupby("kommun_kod")["beyond_threshold"].agg(["size", "sum"])
        table["area_beyond_share"] = (cells["sum"] / cells["size"]).reindex(table.index)
    return table.reset_index()


def vulnerable_facilities(
    origins: pd.DataFrame,
    facilities: Facilities,
    threshold_km: float = 30.0,
    detour: float = 1.0,
    nearest: tuple[np.ndarray, np.ndarray] | None = None,
    next_site_m: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per facility: the distance to the next facility, whether that is beyond
    the threshold, and the places and people who would end up beyond the threshold if
    this facility closed (those now within it for whom it is the nearest, and whose
    next nearest lies beyond). ``nearest`` (``facilities.nearest`` of the origins, k=2)
    and ``next_site_m`` (``facilities.next_site_m()``): when already known."""
    points = facilities.points
    if points.empty:
        return pd.DataFrame(
            columns=[
                "id",
                "name",
                "kind",
                "kommun_kod",
                "lat",
                "lon",
                "next_facility_km",
                "isolated",
                "places_lost",
                "population_lost",
            ]
        )
    next_km = (next_site_m if next_site_m is not None else facilities.next_site_m()) / 1000 * detour
    if nearest is not None:
        odist, oidx = nearest
    else:
        origins = with_xy(origins)
        odist, oidx = facilities.nearest(origins[["x", "y"]].to_numpy(), k=2)
    first_km, second_km = odist[:, 0] / 1000 * detour, odist[:, 1] / 1000 * detour
    lost = (first_km <= threshold_km) & (second_km > threshold_km) & (oidx[:, 0] >= 0)
    population = origins["population"].to_numpy()
    places_lost = np.bincount(oidx[lost, 0], minlength=len(points))
    population_lost = np.bincount(oidx[lost, 0], weights=population[lost], minlength=len(points))
    table = points[["id", "name", "kind", "kommun_kod", "lat", "lon"]].assign(
        next_facility_km=next_km,
        isolated=next_km > threshold_km,
        places_lost=places_lost.astype(int),
        population_lost=population_lost.astype(int),
    )
    return table.sort_values(["population_lost", "next_facility_km"], ascending=False).reset_index(drop=True)


def what_if(access: Facilities, add: pd.DataFrame | None = None, close: Iterable[str] = ()) -> Facilities:
    """The facility layer with the facilities of ``close`` (ids) closed and hypothetical ones
    (``add``) added: the same signature as ``roads.what_if``, whose ``access`` is a RoadAccess."""
    points = access.points
    points = with_xy(points[~points["id"].isin(set(close))])
    if add is not None and len(add):
        points = pd.concat([points, with_xy(add)], ignore_index=True)
    return Facilities.build(points)


def distance_band(km: float, bands=DISTANCE_BANDS_KM) -> int:
    """0 for within the first band edge, len(bands) for beyond the last."""
    return int(np.searchsorted(bands, km, side="left"))


def grid_origins(kommun_kods, cell_m: float = 1000.0) -> pd.DataFrame:
    """Centres of a regular grid (cell_m × cell_m, in SWEREF 99 TM) inside the kommuner,
    as origins with no population: for the share of a kommun's area beyond a threshold."""
    from .. import geo

    shapes = geo.kommuner()
    shapes = shapes[shapes["kommun_kod"].isin(set(kommun_kods))].to_crs(geo.SWEREF99TM)
    frames = []
    for code, shape in zip(shapes["kommun_kod"], shapes.geometry):
        west, south, east, north = shape.bounds
        xs = np.arange(np.floor(west / cell_m) * cell_m + cell_m / 2, east, cell_m)
        ys = np.arange(np.floor(south / cell_m) * cell_m + cell_m / 2, north, cell_m)
        gx, gy = np.meshgrid(xs, ys)
        import shapely

        inside = shapely.contains_xy(shape, gx.ravel(), gy.ravel())
        frames.append(pd.DataFrame({"x": gx.ravel()[inside], "y": gy.ravel()[inside], "kommun_kod": code}))
    grid = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["x", "y", "kommun_kod"])
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(geo.SWEREF99TM, geo.WGS84, always_xy=True).transform(
        grid["x"].to_numpy(), grid["y"].to_numpy()
    )
    return grid.assign(id=[f"cell-{i}" for i in range(len(grid))], name="", lat=lat, lon=lon, population=0)


def gazetteer_origins() -> pd.DataFrame:
    """The embedded default origins: Swedish places of the gazetteer with their population."""
    from ..gazetteer import places
    from .importers import place_in_sweden

    swedish = places()[places()["country"] == "SE"].reset_index()
    frame = pd.DataFrame(
        {
            "id": "geonames-" + swedish["geonameid"].astype(str),
            "name": swedish["name"],
            "kind": "place",
            "lat": swedish["lat"],
            "lon": swedish["lon"],
            "population": swedish["population"].astype(int),
        }
    )
    located, _ = place_in_sweden(frame)
    return located


def facilities_of_kinds(points: pd.DataFrame, kinds=()) -> pd.DataFrame:
    return points[points["kind"].isin(kinds)] if kinds else points


def straight_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The straight-line distance in km between two (lat, lon) points, in SWEREF 99 TM."""
    x, y = distances.to_sweref([a[0], b[0]], [a[1], b[1]])
    return float(np.hypot(x[1] - x[0], y[1] - y[0]) / 1000)


def facilities_that_matter(vulnerable: pd.DataFrame) -> set:
    """Ids of the facilities that matter for access: isolated ones, and those whose
    closure would leave someone beyond the threshold."""
    return set(vulnerable.loc[vulnerable["isolated"] | (vulnerable["population_lost"] > 0), "id"])


def closable(
    facilities: Facilities, origins: pd.DataFrame, scope: tuple, threshold_km: float, detour: float = 1.0
) -> pd.DataFrame:
    """The facilities offered for closing in a what-if: those in scope, or nationally
    those that matter (the same ones a national map draws)."""
    if scope:
        return facilities.points[facilities.points["kommun_kod"].isin(scope)]
    matters = facilities_that_matter(vulnerable_facilities(origins, facilities, threshold_km, detour))
    return facilities.points[facilities.points["id"].isin(matters)]


@dataclass(frozen=True)
class ScopedAccess:
    rows: pd.DataFrame  # one per origin in scope
    per_kommun: pd.DataFrame
    vulnerable: pd.DataFrame  # the facilities in scope
    facilities_shown: pd.DataFrame  # what a map of the scope should draw


def analyse(
    facilities: Facilities,
    origins: pd.DataFrame,
    scope: tuple,
    threshold_km: float,
    detour: float = 1.0,
    added: pd.DataFrame | None = None,
    closed: tuple = (),
    grid: pd.DataFrame | None = None,
    nearest: tuple[np.ndarray, np.ndarray] | None = None,
    next_site_m: np.ndarray | None = None,
) -> ScopedAccess:
    """Access for the origins in ``scope`` (kommun codes; empty for all Sweden), with
    what-if changes applied. Vulnerability is judged against every origin, since a
    shop near a border serves places on both sides. Nationally only the facilities
    that matter are drawn: thousands of dots would hide the places. ``nearest`` (of every
    origin, k=2) and ``next_site_m``: what ``vulnerable_facilities`` takes, when known."""
    if (added is not None and len(added)) or closed:
        facilities = what_if(facilities, added, closed)
    chosen = origins["kommun_kod"].isin(scope).to_numpy() if scope else None
    in_scope = origins if chosen is None else origins[chosen]
    scoped = nearest if nearest is None or chosen is None else (nearest[0][chosen], nearest[1][chosen])
    rows = service_access(in_scope, facilities, threshold_km, detour, known=scoped)
    cells = service_access(grid, facilities, threshold_km, detour) if grid is not None else None
    vulnerable = vulnerable_facilities(origins, facilities, threshold_km, detour, nearest, next_site_m)
    points = facilities.points
    if scope:
        vulnerable = vulnerable[vulnerable["kommun_kod"].isin(scope)]
        shown = points[points["kommun_kod"].isin(scope)]
    else:
        shown = points[points["id"].isin(facilities_that_matter(vulnerable)) | (points["kind"] == "hypothetical")]
    return ScopedAccess(rows, kommun_access(rows, cells), vulnerable, shown)
