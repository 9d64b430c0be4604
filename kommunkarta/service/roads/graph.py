"""The graph of a road network built from its ways: nodes are the intersections and dead ends;
chains of degree-two nodes are contracted into one edge, except that a chain keeps a node every
``MAX_EDGE_M`` metres so that a place along a long road snaps to a point on it and not to its far
end. Lengths are planar metres in SWEREF 99 TM (EPSG:3006, via pyproj).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from ... import distances
from .readers import Progress, Ways
from .tags import CLASS_CODE

MAX_EDGE_M = 1000.0


def build(ways: Ways, progress: Progress | None = None) -> dict[str, np.ndarray]:
    """Intersections, dead ends and the contracted edges between them.

    First within each way: a node that no other way (nor this one again) uses is dropped, unless
    it marks a whole km along the way; then across ways by ``_contract``. The first step works on
    arrays as long as the node references and leaves ``_contract`` a few segments per way."""
    n_ways = len(ways.offsets) - 1
    n_refs = len(ways.refs)
    n_nodes = len(ways.node_keys)
    way_of_ref = np.repeat(np.arange(n_ways, dtype=np.int32), np.diff(ways.offsets))
    pos = np.searchsorted(ways.node_keys, ways.refs).astype(np.int32)
    if n_nodes:
        np.minimum(pos, n_nodes - 1, out=pos)
        located = ways.node_keys[pos] == ways.refs
    else:
        located = np.zeros(n_refs, bool)
    x, y = distances.to_sweref(ways.lat, ways.lon)
    same_way = np.zeros(n_refs, bool)  # ref i and ref i + 1 are consecutive in one way
    same_way[:-1] = way_of_ref[:-1] == way_of_ref[1:]
    step = np.zeros(n_refs)  # metres from ref i to ref i + 1
    ok = np.flatnonzero(same_way & located & np.roll(located, -1))
    step[ok] = np.hypot(x[pos[ok]] - x[pos[ok + 1]], y[pos[ok]] - y[pos[ok + 1]])
    before = np.concatenate([[0.0], np.cumsum(step)[:-1]])  # metres before ref i, counted over all ways
    way_start = ways.offsets[:-1]
    along = before - before[np.minimum(way_start, max(n_refs - 1, 0))][way_of_ref]
    keep = ~located | (np.bincount(pos[located], minlength=n_nodes)[pos] > 1)
    keep[way_start[np.diff(ways.offsets) > 0]] = True
    keep[ways.offsets[1:][np.diff(ways.offsets) > 0] - 1] = True
    keep[1:] |= ~located[:-1]  # both neighbours of a node without a location end a piece
    keep[:-1] |= ~located[1:]
    bucket = np.floor((along + 1.0) / MAX_EDGE_M)
    keep[1:] |= same_way[:-1] & (bucket[1:] != bucket[:-1])
    closed = np.flatnonzero(
        (np.diff(ways.offsets) > 2) & (ways.refs[way_start] == ways.refs[np.maximum(ways.offsets[1:] - 1, 0)])
    )
    keep[ways.offsets[closed] + np.diff(ways.offsets)[closed] // 2] = True  # a ring keeps a node half-way round
    del bucket, along
    kept = np.flatnonzero(keep)
    del keep
    first, second = kept[:-1], kept[1:]
    valid = (way_of_ref[first] == way_of_ref[second]) & located[first] & located[second]
    first, second = first[valid], second[valid]
    a, b, seg_way = pos[first], pos[second], way_of_ref[first]
    length = before[second] - before[first]
    del before, step, first, second, kept, valid, way_of_ref, pos, located, same_way
    nonzero = a != b
    a, b, seg_way, length = a[nonzero], b[nonzero], seg_way[nonzero], length[nonzero]
    speed = ways.speed_kmh.astype(float)[seg_way] / 3.6
    duration = ways.duration_s.astype(float)
    timed = ~np.isnan(duration)
    if timed.any():  # a ferry with a duration: its speed from the whole way's length
        way_length = np.bincount(seg_way, weights=length, minlength=n_ways)
        way_speed = np.where(timed & (way_length > 0), way_length / np.where(timed, duration, 1.0), np.nan)
        speed = np.where(np.isnan(way_speed[seg_way]), speed, way_speed[seg_way])
    time = length / speed
    direction = ways.oneway[seg_way]
    a, b = np.where(direction == -1, b, a), np.where(direction == -1, a, b)
    edges = _contract(
        a,
        b,
        length,
        time,
        direction != 0,
        ways.road_class[seg_way],
        ways.road_class[seg_way] == CLASS_CODE["ferry"],
        n_nodes,
    )
    used = np.unique(np.concatenate([edges["src"], edges["dst"]]))
    remap = np.full(len(ways.node_keys), -1, np.int64)
    remap[used] = np.arange(len(used))
    return {
        "osm_id": ways.node_keys[used],
        "lon": ways.lon[used],
        "lat": ways.lat[used],
        "x": x[used],
        "y": y[used],
        "src": remap[edges["src"]].astype(np.int32),
        "dst": remap[edges["dst"]].astype(np.int32),
        "length_m": edges["length"].astype(np.float32),
        "time_s": edges["time"].astype(np.float32),
        "oneway": edges["oneway"],
        "road_class": edges["road_class"].astype(np.int8),
        "ferry": edges["ferry"],
    }


def _contract(a, b, length, time, oneway, road_class, ferry, n_nodes) -> dict[str, np.ndarray]:
    """Join chains of degree-two nodes into single edges (segment a→b is one-way when ``oneway``)."""
    n_seg = len(a)
    if n_seg == 0:
        empty = np.zeros(0)
        return {
            "src": empty.astype(np.int64),
            "dst": empty.astype(np.int64),
            "length": empty,
            "time": empty,
            "oneway": empty.astype(bool),
            "road_class": empty.astype(np.int8),
            "ferry": empty.astype(bool),
        }
    ends = np.concatenate([a, b])
    seg_of_end = np.concatenate([np.arange(n_seg), np.arange(n_seg)])
    order = np.argsort(ends, kind="stable")
    degree = np.bincount(ends, minlength=n_nodes)
    start = np.concatenate([[0], np.cumsum(degree)])[:-1]
    kept = degree != 2

    def links():
        v = np.flatnonzero(~kept)
        s1, s2 = seg_of_end[order[start[v]]], seg_of_end[order[start[v] + 1]]
        o1 = np.where(a[s1] == v, b[s1], a[s1])
        o2 = np.where(a[s2] == v, b[s2], a[s2])
        enters1, enters2 = b[s1] == v, b[s2] == v
        same = oneway[s1] == oneway[s2]
        through = same & (~oneway[s1] | (enters1 != enters2)) & (o1 != o2)
        return v, s1, s2, through

    v, s1, s2, through = links()
    kept[v[~through]] = True
    v, s1, s2 = v[through], s1[through], s2[through]
    graph = sparse.coo_matrix((np.ones(len(v)), (s1, s2)), shape=(n_seg, n_seg)).tocsr()
    _, comp = csgraph.connected_components(graph, directed=False)
    is_end = kept[a] | kept[b]
    rings = np.setdiff1d(np.unique(comp), np.unique(comp[is_end]))
    if len(rings):  # a ring road with no intersection at all: keep one of its nodes
        _, first_of_comp = np.unique(comp, return_index=True)
        kept[a[first_of_comp[rings]]] = True
        v, s1, s2, through = links()
        v, s1, s2 = v[through], s1[through], s2[through]
        graph = sparse.coo_matrix((np.ones(len(v)), (s1, s2)), shape=(n_seg, n_seg)).tocsr()
        _, comp = csgraph.connected_components(graph, directed=False)
        is_end = kept[a] | kept[b]
    # Walk each chain from one of its end segments: the hop count is the position along it.
    end_segs = np.flatnonzero(is_end)
    _, pick = np.unique(comp[end_segs], return_index=True)
    roots = end_segs[pick]
    root = n_seg
    walk = sparse.coo_matrix(
        (np.ones(len(v) + len(roots)), (np.concatenate([s1, np.full(len(roots), root)]), np.concatenate([s2, roots]))),
        shape=(n_seg + 1, n_seg + 1),
    ).tocsr()
    hops, pred = csgraph.dijkstra(walk, directed=False, indices=root, unweighted=True, return_predecessors=True)
    position = hops[:n_seg].astype(np.int64) - 1
    pred = np.where(pred[:n_seg] >= n_seg, -1, pred[:n_seg])
    first_entry = np.where(kept[a], a, b)
    p = np.where(pred >= 0, pred, 0)
    shared = np.where((a == a[p]) | (a == b[p]), a, b)
    entry = np.where(position == 0, first_entry, shared)
    leave = np.where(entry == a, b, a)
    seq = np.lexsort((position, comp))
    cum = np.cumsum(length[seq])
    chain_start = np.concatenate([[True], comp[seq][1:] != comp[seq][:-1]])
    base = np.maximum.accumulate(np.where(chain_start, np.arange(n_seg), 0))
    before = cum - length[seq] - (cum[base] - length[seq][base])
    bucket = np.floor((before + 1.0) / MAX_EDGE_M)  # a node at a whole km (give or take OSM's centimetres) is kept
    new_piece = chain_start | np.concatenate([[True], bucket[1:] != bucket[:-1]])
    piece = np.cumsum(new_piece) - 1
    heads = np.flatnonzero(new_piece)
    tails = np.concatenate([heads[1:], [n_seg]]) - 1
    n_pieces = len(heads)
    first_seg, last_seg = seq[heads], seq[tails]
    src, dst = entry[first_seg], leave[last_seg]
    along = entry[first_seg] == a[first_seg]  # a one-way chain runs the way its first segment does
    is_oneway = oneway[first_seg]
    src, dst = np.where(is_oneway & ~along, dst, src), np.where(is_oneway & ~along, src, dst)
    return {
        "src": src,
        "dst": dst,
        "length": np.bincount(piece, weights=length[seq], minlength=n_pieces),
        "time": np.bincount(piece, weights=time[seq], minlength=n_pieces),
        "oneway": is_oneway,
        "road_class": road_class[first_seg],
        "ferry": np.bincount(piece, weights=ferry[seq].astype(float), minlength=n_pieces) > 0,
    }
