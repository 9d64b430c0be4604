"""The nearest service along the roads.

Origins and facilities are snapped to the nearest road node (cKDTree); the snap distance is added
as a straight line (driven at ``SNAP_SPEED_KMH`` for drive time) and reported, and points more
than ``FAR_FROM_ROAD_M`` from any road are flagged. All origins are answered by ONE multi-source
Dijkstra (``scipy.sparse.csgraph.dijkstra`` with ``min_only=True``) over the reversed graph, from
one virtual node per facility (its snap as the edge to its road node), so one-way streets are
followed from the origin to the shop. A node no shop can reach has an infinite distance: "no road
connection". The second-nearest shop (vulnerable shops) comes from one more Dijkstra over the
edges inside each shop's catchment, entered across the catchment borders; a closed shop in a
what-if recomputes only its catchment; an added shop only the area it wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from ... import distances
from .network import RoadNetwork

SNAP_SPEED_KMH = 30.0  # the straight leg between a point and its road node
FAR_FROM_ROAD_M = 2000.0


def points_xy(points: pd.DataFrame) -> np.ndarray:
    if {"x", "y"} <= set(points.columns):
        return points[["x", "y"]].to_numpy(dtype=float)
    x, y = distances.to_sweref(points["lat"].to_numpy(dtype=float), points["lon"].to_numpy(dtype=float))
    return np.column_stack([x, y])


def snap_cost(snap_m: np.ndarray, measure: str) -> tuple[np.ndarray, np.ndarray]:
    """(main, other) cost of the straight leg to the road, in the units of the measure's graph."""
    seconds = snap_m / (SNAP_SPEED_KMH / 3.6)
    return (snap_m, seconds) if measure == "km" else (seconds, snap_m)


def _arc_values(matrix: sparse.csr_matrix, values: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``values`` of the arcs rows[i] → cols[i] of ``matrix`` (one arc per pair), scanning the rows."""
    out = np.zeros(len(rows))
    start = matrix.indptr[rows]
    degree = matrix.indptr[rows + 1] - start
    todo = np.arange(len(rows))
    k = 0
    while len(todo):
        todo = todo[degree[todo] > k]
        position = start[todo] + k
        hit = matrix.indices[position] == cols[todo]
        out[todo[hit]] = values[position[hit]]
        todo = todo[~hit]
        k += 1
    return out


def _accumulate(pred: np.ndarray, step: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Sum of ``step`` along each node's predecessor chain, plus ``base`` at its root (pointer jumping)."""
    total = step.copy()
    jump = pred.copy()
    roots = jump < 0
    total[roots] += base[roots]
    live = np.flatnonzero(~roots)
    while len(live):
        target = jump[live]
        total[live] += total[target]
        jump[live] = jump[target]
        live = live[jump[live] >= 0]
    return total


@dataclass
class RoadAccess:
    """The nearest open facility along the roads for every road node, under one measure.

    Node arrays have ``network.n + len(facilities)`` entries: the road nodes, then one virtual
    node per facility (the shop itself, joined to its road node by its snap)."""

    network: RoadNetwork
    measure: str
    facilities: pd.DataFrame  # with x, y
    fac_node: np.ndarray
    fac_snap_m: np.ndarray
    open: np.ndarray  # bool per facility
    dist: np.ndarray  # main measure (m or s) from the nearest open facility; inf: no road connection
    other: np.ndarray  # the other measure along the same path
    source: np.ndarray  # facility row of the nearest, -1 where none
    _second: np.ndarray | None = None

    # -- construction

    @classmethod
    def compute(cls, network: RoadNetwork, facilities: pd.DataFrame, measure: str = "km") -> RoadAccess:
        facilities = facilities.reset_index(drop=True)
        xy = points_xy(facilities)
        facilities = facilities.assign(x=xy[:, 0], y=xy[:, 1])
        node, snap = network.snap(xy)
        state = cls(
            network,
            measure,
            facilities,
            node,
            snap,
            np.ones(len(facilities), bool),
            np.zeros(0),
            np.zeros(0),
            np.zeros(0, np.int64),
        )
        state._solve_all()
        return state

    def _augmented(self) -> sparse.csr_matrix:
        """The reverse graph with one row per facility (its arc to its road node) appended."""
        g = self.network.graph(self.measure).reverse
        n, f = self.network.n, len(self.facilities)
        main, _ = snap_cost(self.fac_snap_m, self.measure)
        indptr = np.concatenate([g.indptr, g.indptr[-1] + np.arange(1, f + 1)])
        indices = np.concatenate([g.indices, self.fac_node.astype(np.int32)])
        data = np.concatenate([g.data, np.maximum(main, 1e-6)])
        return sparse.csr_matrix((data, indices, indptr), shape=(n + f, n + f))

    def _step_other(self, pred: np.ndarray, nodes: np.ndarray) -> np.ndarray:
        """The other measure along the arc pred → node (0 where there is no predecessor)."""
        g = self.network.graph(self.measure)
        n = self.network.n
        out = np.zeros(len(nodes))
        road = (pred >= 0) & (pred < n)
        out[road] = _arc_values(g.reverse, g.reverse_other, pred[road], nodes[road])
        virtual = pred >= n
        out[virtual] = snap_cost(self.fac_snap_m, self.measure)[1][pred[virtual] - n]
        return out

    def _solve_all(self) -> None:
        n, f = self.network.n, len(self.facilities)
        sources = n + np.flatnonzero(self.open)
        if not len(sources):
            self.dist, self.other = np.full(n + f, np.inf), np.full(n + f, np.inf)
            self.source = np.full(n + f, -1)
            return
        dist, pred, src = csgraph.dijkstra(self._augmented(), indices=sources, min_only=True, return_predecessors=True)
        pred = np.where(pred < 0, -1, pred)
        self.dist = dist
        self.source = np.where(src >= 0, src - n, -1)
        step = self._step_other(pred, np.arange(n + f))
        other = _accumulate(pred, step, np.zeros(n + f))
        self.other = np.where(np.isfinite(dist), other, np.inf)
        self._second = None

    # -- what-if

    def close(self, ids) -> RoadAccess:
        """The same with the facilities of ``ids`` closed: only their catchments are recomputed."""
        closing = self.open & self.facilities["id"].isin(set(ids)).to_numpy()
        if not closing.any():
            return self
        n, f = self.network.n, len(self.facilities)
        g = self.network.graph(self.measure)
        new_open = self.open & ~closing
        affected = np.flatnonzero(np.isin(self.source, np.flatnonzero(closing)))
        road = affected[affected < n]
        local = np.full(n + f, -1, np.int64)
        local[road] = np.arange(len(road))
        m = len(road)
        # Arcs inside the catchment (reverse graph rows of its nodes).
        rev = g.reverse
        counts = np.diff(rev.indptr)[road]
        rows = np.repeat(road, counts)
        idx = _ranges(rev.indptr[road], counts)
        cols, weight, other = rev.indices[idx], rev.data[idx], g.reverse_other[idx]
        inside = local[cols] >= 0
        # Entries across the border: forward arcs w → u with u outside reach w at dist[u] + arc.
        fwd = g.forward
        fcounts = np.diff(fwd.indptr)[road]
        frow = np.repeat(road, fcounts)
        fidx = _ranges(fwd.indptr[road], fcounts)
        fu = fwd.indices[fidx]
        outside = (local[fu] < 0) & np.isfinite(self.dist[fu])
        entry_node = frow[outside]
        entry_main = self.dist[fu[outside]] + fwd.data[fidx[outside]]
        entry_other = self.other[fu[outside]] + g.forward_other[fidx[outside]]
        entry_fac = self.source[fu[outside]]
        # Open facilities whose road node lies in the catchment enter there too.
        here = np.flatnonzero(new_open & (local[self.fac_node] >= 0))
        main_snap, other_snap = snap_cost(self.fac_snap_m[here], self.measure)
        entry_node = np.concatenate([entry_node, self.fac_node[here]])
        entry_main = np.concatenate([entry_main, main_snap])
        entry_other = np.concatenate([entry_other, other_snap])
        entry_fac = np.concatenate([entry_fac, here])
        k = len(entry_node)
        sub_rows = np.concatenate([local[rows[inside]], m + np.arange(k)])
        sub_cols = np.concatenate([local[cols[inside]], local[entry_node]])
        sub_w = np.concatenate([weight[inside], np.maximum(entry_main, 1e-6)])
        sub_other = np.concatenate([other[inside], entry_other])
        dist, other_new, source = self.dist.copy(), self.other.copy(), self.source.copy()
        dist[affected], other_new[affected], source[affected] = np.inf, np.inf, -1
        if k:
            sub = sparse.csr_matrix((sub_w, (sub_rows, sub_cols)), shape=(m + k, m + k))
            sub_key = sub_rows.astype(np.int64) * (m + k) + sub_cols
            order = np.argsort(sub_key)
            d, p, s = csgraph.dijkstra(sub, indices=m + np.arange(k), min_only=True, return_predecessors=True)
            p = np.where(p < 0, -1, p)
            reached = np.flatnonzero(np.isfinite(d[:m]))
            step = np.zeros(m + k)
            has = p[:m] >= 0
            keys = p[:m][has].astype(np.int64) * (m + k) + np.arange(m)[has]
            where = order[np.searchsorted(sub_key[order], keys)]
            step[:m][has] = sub_other[where]
            total = _accumulate(p, step, np.zeros(m + k))
            dist[road[reached]] = d[reached]
            other_new[road[reached]] = total[reached]
            source[road[reached]] = entry_fac[s[reached] - m]
        return RoadAccess(
            self.network,
            self.measure,
            self.facilities,
            self.fac_node,
            self.fac_snap_m,
            new_open,
            dist,
            other_new,
            source,
        )

    def add(self, points: pd.DataFrame) -> RoadAccess:
        """The same with hypothetical facilities added: only the area they win is recomputed."""
        if points is None or not len(points):
            return self
        points = points.reset_index(drop=True)
        xy = points_xy(points)
        points = points.assign(x=xy[:, 0], y=xy[:, 1])
        node, snap = self.network.snap(xy)
        n, f, k = self.network.n, len(self.facilities), len(points)
        facilities = pd.concat([self.facilities, points], ignore_index=True)
        pad = np.full(k, np.inf)
        state = RoadAccess(
            self.network,
            self.measure,
            facilities,
            np.concatenate([self.fac_node, node]),
            np.concatenate([self.fac_snap_m, snap]),
            np.concatenate([self.open, np.ones(k, bool)]),
            np.concatenate([self.dist, pad]),
            np.concatenate([self.other, pad]),
            np.concatenate([self.source, np.full(k, -1)]),
        )
        graph = state._augmented()
        new = n + f + np.arange(k)
        finite = self.dist[np.isfinite(self.dist)]
        # The first search radius: the median distance, from a sample (a median of millions costs ~80 ms).
        limit = max(float(np.median(finite[:: max(1, len(finite) // 20_000)])) if len(finite) else 1.0, 1.0)
        while True:
            d, p, s = csgraph.dijkstra(graph, indices=new, min_only=True, return_predecessors=True, limit=limit)
            better = d < state.dist
            # Could the new facilities win a node beyond the limit? Only across an arc that leaves
            # a won node towards one the search did not reach.
            won = np.flatnonzero(better)
            counts = np.diff(graph.indptr)[won]
            idx = _ranges(graph.indptr[won], counts)
            heads = graph.indices[idx]
            beyond = ~np.isfinite(d[heads]) & (np.repeat(d[won], counts) + graph.data[idx] < state.dist[heads])
            if not beyond.any() or not np.isfinite(limit):
                break
            limit = limit * 4 if limit < 1e9 else np.inf
        p = np.where(p < 0, -1, p)
        reached = np.flatnonzero(np.isfinite(d))
        step = state._step_other(p[reached], reached)
        pos = np.full(n + f + k, -1, np.int64)
        pos[reached] = np.arange(len(reached))
        local_pred = np.where(p[reached] >= 0, pos[np.maximum(p[reached], 0)], -1)
        total = _accumulate(local_pred, step, np.zeros(len(reached)))
        win = reached[better[reached]]
        state.dist[win] = d[win]
        state.other[win] = total[better[reached]]
        state.source[win] = s[win] - n
        return state

    # -- queries

    def second(self) -> np.ndarray:
        """For every node, the main measure from the nearest open facility other than its own
        nearest (one Dijkstra over the arcs inside catchments, entered across their borders)."""
        if self._second is not None:
            return self._second
        graph = self._augmented()
        size = graph.shape[0]
        rows = np.repeat(np.arange(size, dtype=np.int32), np.diff(graph.indptr))
        cols, weight = graph.indices, graph.data
        src_row, src_col = self.source[rows], self.source[cols]
        usable = src_row >= 0  # reached from an open facility (a closed one's own node is not)
        inside = usable & (src_row == src_col)
        border = np.flatnonzero(usable & (src_row != src_col))
        entry = np.full(size, np.inf)
        np.minimum.at(entry, cols[border], self.dist[rows[border]] + weight[border])
        seeds = np.flatnonzero(np.isfinite(entry))
        # The same arcs, those across catchment borders made impassable, and a super source
        # (the last row) with an arc to every node entered across a border.
        data = np.where(inside, weight, np.inf)
        h = sparse.csr_matrix(
            (
                np.concatenate([data, np.maximum(entry[seeds], 1e-6)]),
                np.concatenate([cols, seeds.astype(np.int32)]),
                np.concatenate([graph.indptr, [graph.indptr[-1] + len(seeds)]]),
            ),
            shape=(size + 1, size + 1),
        )
        self._second = csgraph.dijkstra(h, indices=size)[:size]
        return self._second

    def without_own(self, facility: np.ndarray, node: np.ndarray) -> np.ndarray:
        """Main measure at ``node`` from the nearest open facility other than ``facility``."""
        second = self.second()
        return np.where(self.source[node] == facility, second[node], self.dist[node])


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated arange(start, start + count) for each pair."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    ends = np.cumsum(counts)
    offsets = np.repeat(starts - (ends - counts), counts)
    return np.arange(total) + offsets


def in_units(value: np.ndarray, measure_unit: str) -> np.ndarray:
    return value / 1000 if measure_unit == "km" else value / 60


def is_beyond(value: np.ndarray, threshold: float, measure: str) -> np.ndarray:
    """Strictly greater than the threshold (km or minutes), compared at whole metres or
    hundredths of a minute: OSM coordinates carry centimetres, finer differences are noise."""
    decimals = 3 if measure == "km" else 2
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(value), np.round(value, decimals), np.inf) > threshold


@dataclass(frozen=True)
class Snapped:
    """Points snapped to a network: keep it to answer several questions about the same points."""

    node: np.ndarray
    snap_m: np.ndarray
    xy: np.ndarray


def snap_points(network: RoadNetwork, points: pd.DataFrame) -> Snapped:
    xy = points_xy(points)
    node, snap = network.snap(xy)
    return Snapped(node, snap, xy)


def service_access(
    origins: pd.DataFrame, access: RoadAccess, threshold: float = 30.0, snapped: Snapped | None = None
) -> pd.DataFrame:
    """One row per origin: the nearest open facility along the roads, road km and drive minutes
    to it (the path that is shortest in the access's measure), the straight-line distance to the
    nearest facility beside it and their ratio, and whether the origin is beyond ``threshold``
    (km or minutes as the measure; beyond means strictly greater). Unreachable: inf, and
    ``road_connection`` False."""
    origins = origins.reset_index(drop=True)
    snapped = snapped or snap_points(access.network, origins)
    main_snap, other_snap = snap_cost(snapped.snap_m, access.measure)
    main = main_snap + access.dist[snapped.node]
    other = other_snap + access.other[snapped.node]
    metres, seconds = (main, other) if access.measure == "km" else (other, main)
    fac = access.source[snapped.node]
    found = fac >= 0
    points = access.facilities
    road_km, road_minutes = metres / 1000, seconds / 60
    straight = np.full(len(origins), np.inf)
    open_xy = points.loc[access.open, ["x", "y"]].to_numpy(dtype=float)
    if len(open_xy) and len(origins):
        straight = cKDTree(open_xy).query(snapped.xy, k=1, workers=-1)[0]
    straight_km = straight / 1000
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(found & (straight_km > 0), road_km / straight_km, np.nan)
    value = road_km if access.measure == "km" else road_minutes
    rows = {c: origins[c].to_numpy() for c in ("id", "name", "kommun_kod", "lat", "lon", "population") if c in origins}
    frame = pd.DataFrame(rows).rename(columns={"id": "origin_id"})
    pick = np.where(found, fac, 0)
    return frame.assign(
        facility_id=np.where(found, points["id"].to_numpy()[pick], None) if len(points) else None,
        facility_name=np.where(found, points["name"].to_numpy()[pick], None)
        if len(points) and "name" in points
        else None,
        road_km=np.where(found, road_km, np.inf),
        road_minutes=np.where(found, road_minutes, np.inf),
        straight_km=straight_km,
        road_to_straight=ratio,
        snap_m=snapped.snap_m,
        far_from_road=snapped.snap_m > FAR_FROM_ROAD_M,
        road_connection=found,
        beyond_threshold=is_beyond(np.where(found, value, np.inf), threshold, access.measure),
    )


def vulnerable_facilities(
    origins: pd.DataFrame, access: RoadAccess, threshold: float = 30.0, snapped: Snapped | None = None
) -> pd.DataFrame:
    """One row per open facility: the next open facility along the roads (km or minutes as the
    measure; inf when none can be reached), whether that is beyond the threshold, and the places
    and people who would end up beyond it if this facility closed."""
    unit = "km" if access.measure == "km" else "minutes"
    points = access.facilities[access.open].reset_index(drop=True)
    rows = np.flatnonzero(access.open)
    main_snap, _ = snap_cost(access.fac_snap_m[rows], access.measure)
    next_main = main_snap + access.without_own(rows, access.fac_node[rows])
    origins = origins.reset_index(drop=True)
    snapped = snapped or snap_points(access.network, origins)
    o_snap, _ = snap_cost(snapped.snap_m, access.measure)
    fac = access.source[snapped.node]
    first = o_snap + access.dist[snapped.node]
    second = o_snap + access.second()[snapped.node]
    first_beyond = is_beyond(in_units(first, unit), threshold, access.measure)
    lost = (fac >= 0) & ~first_beyond & is_beyond(in_units(second, unit), threshold, access.measure)
    population = origins["population"].to_numpy(dtype=float) if "population" in origins else np.zeros(len(origins))
    f = len(access.facilities)
    places_lost = np.bincount(fac[lost], minlength=f)[rows]
    population_lost = np.bincount(fac[lost], weights=population[lost], minlength=f)[rows]
    columns = [c for c in ("id", "name", "kind", "kommun_kod", "lat", "lon") if c in points]
    next_value = in_units(next_main, unit)
    table = points[columns].assign(
        **{f"next_facility_{unit}": next_value},
        snap_m=access.fac_snap_m[rows],
        isolated=is_beyond(next_value, threshold, access.measure),
        places_lost=places_lost.astype(int),
        population_lost=population_lost.astype(int),
    )
    return table.sort_values(["population_lost", f"next_facility_{unit}"], ascending=False).reset_index(drop=True)


def what_if(access: RoadAccess, add: pd.DataFrame | None = None, close: Iterable[str] = ()) -> RoadAccess:
    """The access with facilities closed (ids) and hypothetical ones added, recomputing only
    what the change can affect."""
    return access.close(close).add(add)


def service_area(
    access: RoadAccess, threshold: float, bbox: tuple[float, float, float, float] | None = None
) -> pd.DataFrame:
    """The network's edges as lon/lat lines, each with ``within``: both its ends within the
    threshold of an open facility along the roads. ``bbox`` (west, south, east, north) keeps the
    edges with an end inside it."""
    e = access.network.arrays
    unit = "km" if access.measure == "km" else "minutes"
    near = ~is_beyond(in_units(access.dist, unit), threshold, access.measure)
    within = near[e["src"]] & near[e["dst"]]
    frame = access.network.edges_lonlat().assign(within=within)
    if bbox is not None:
        west, south, east, north = bbox
        lon, lat = e["lon"], e["lat"]
        inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        frame = frame[inside[e["src"]] | inside[e["dst"]]]
    return frame.reset_index(drop=True)
