"""A stored road network ready for queries (``RoadNetwork``: its arrays, the graph of each
measure as sparse matrices, snapping to the nearest road node) and what it is (``RoadInfo``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

MIN_COMPONENT_M = 500.0  # points snap only to road pieces at least this long (see RoadNetwork.snap)
MEASURES = ("km", "minutes")


@dataclass(frozen=True)
class RoadInfo:
    id: str
    title: str
    source: str  # file name
    format: str  # osm.pbf or gpkg
    osm_timestamp: str  # from the PBF header, when it has one
    imported_at: str
    bbox: list  # [west, south, east, north] in degrees
    nodes: int
    edges: int
    oneway_edges: int
    ferry_edges: int
    km: float
    counts: dict  # what the reader saw
    reader: str
    attribution: str


@dataclass
class _Graph:
    """The arcs of one measure: R propagates from shops towards origins (the reverse of
    driving), G is its transpose. Parallel arcs are merged to the better one."""

    reverse: sparse.csr_matrix
    reverse_other: np.ndarray  # the other measure along each arc of ``reverse``
    forward: sparse.csr_matrix
    forward_other: np.ndarray


def _csr(rows, cols, weight, other, n) -> tuple[sparse.csr_matrix, np.ndarray]:
    """A CSR matrix of the arcs, parallel arcs merged to the one with the least weight, and the
    other measure aligned with its data."""
    key = rows.astype(np.int64) * n + cols
    order = np.argsort(key, kind="stable")
    key, weight, other = key[order], weight[order], other[order]
    start = np.concatenate([[True], key[1:] != key[:-1]])
    if not start.all():  # parallel arcs: keep the lightest of each group
        group = np.cumsum(start) - 1
        lightest = np.minimum.reduceat(weight, np.flatnonzero(start))
        candidate = np.flatnonzero(weight == lightest[group])
        _, first = np.unique(group[candidate], return_index=True)
        pick = candidate[first]
        key, weight, other = key[pick], weight[pick], other[pick]
    rows_sorted = key // n
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows_sorted, minlength=n))])
    matrix = sparse.csr_matrix((np.maximum(weight, 1e-6), (key % n).astype(np.int32), indptr), shape=(n, n))
    return matrix, other


class RoadNetwork:
    """A stored road network, ready for queries."""

    def __init__(self, arrays: dict[str, np.ndarray], info: RoadInfo | None = None):
        self.arrays = arrays
        self.info = info
        self.n = len(arrays["x"])
        self._graphs: dict[str, _Graph] = {}
        self._tree: tuple[cKDTree, np.ndarray] | None = None

    @property
    def xy(self) -> np.ndarray:
        return np.column_stack([self.arrays["x"], self.arrays["y"]])

    def graph(self, measure: str) -> _Graph:
        if measure not in MEASURES:
            raise ValueError(f"measure must be one of {MEASURES}")
        if measure not in self._graphs:
            e = self.arrays
            src, dst = e["src"].astype(np.int64), e["dst"].astype(np.int64)
            length, time = e["length_m"].astype(float), e["time_s"].astype(float)
            both = ~e["oneway"]
            # Driving arcs u→v; the reverse graph has v→u.
            frm = np.concatenate([src, dst[both]])
            to = np.concatenate([dst, src[both]])
            main = np.concatenate([length, length[both]]) if measure == "km" else np.concatenate([time, time[both]])
            other = np.concatenate([time, time[both]]) if measure == "km" else np.concatenate([length, length[both]])
            reverse, reverse_other = _csr(to, frm, main, other, self.n)
            forward, forward_other = _csr(frm, to, main, other, self.n)
            self._graphs[measure] = _Graph(reverse, reverse_other, forward, forward_other)
        return self._graphs[measure]

    def _snap_tree(self) -> tuple[cKDTree, np.ndarray]:
        """A KD-tree over the nodes of road pieces at least MIN_COMPONENT_M long: a point is not
        snapped onto a short fragment (a yard behind a private gate) that leads nowhere."""
        if self._tree is None:
            e = self.arrays
            graph = sparse.coo_matrix((np.ones(len(e["src"])), (e["src"], e["dst"])), shape=(self.n, self.n))
            _, comp = csgraph.connected_components(graph, directed=False)
            size = np.bincount(comp[e["src"]], weights=e["length_m"].astype(float), minlength=comp.max() + 1)
            nodes = np.flatnonzero(size[comp] >= MIN_COMPONENT_M)
            if not len(nodes):
                nodes = np.arange(self.n)
            self._tree = (cKDTree(self.xy[nodes]), nodes)
        return self._tree

    def snap(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The nearest road node of each point (SWEREF 99 TM metres) and the distance to it (m)."""
        tree, nodes = self._snap_tree()
        if len(xy) == 0:
            return np.zeros(0, np.int64), np.zeros(0)
        dist, idx = tree.query(np.asarray(xy, dtype=float), k=1, workers=-1)
        return nodes[idx], dist

    def edges_lonlat(self) -> pd.DataFrame:
        e = self.arrays
        return pd.DataFrame(
            {
                "lon_from": e["lon"][e["src"]],
                "lat_from": e["lat"][e["src"]],
                "lon_to": e["lon"][e["dst"]],
                "lat_to": e["lat"][e["dst"]],
            }
        )
