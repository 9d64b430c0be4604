"""Road distance over the population grid, computed once and shared by every session and process.

The nearest facility along the roads for every populated square (the embedded 1 km grid by
default) costs a multi-source Dijkstra over the whole road network: seconds. It is computed
once per *key* — (road network id and version, facility layer id and version, kinds, measure,
the facilities themselves, the grid) — and persisted under
``$KOMMUNKARTA_HOME/road_grid/<key>/``:

* ``squares.npz``: per square its road node and snap, the road km and drive minutes to the
  nearest open facility (the path shortest in the key's measure), that facility's row, the
  second-nearest along the roads, and the straight line to the nearest beside it;
* ``state.npz``: the routing state of every road node (distance, other measure, nearest
  facility), so that a what-if (close or add a shop) recomputes only the affected catchment;
* ``facilities.parquet`` and ``meta.json`` (the key's parts, when and how long).

Writing is atomic (a temporary folder renamed into place) and guarded by a lock file
(``fcntl.flock``), so two processes never compute the same key at once: the second waits,
then reads what the first wrote. Several hosts may share ``$KOMMUNKARTA_HOME`` (a shared
volume): nothing here assumes one process.

:func:`stored` answers from disk or returns None (cheap: it never computes). :func:`compute`
computes with a progress callback; :func:`compute_in_background` runs it in a worker thread
beside the page, never inside a visitor's rerun.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import multiprocessing
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from .. import paths
from . import roads

FORMAT_VERSION = 1
DEFAULT_GRID_ID = "scb-befolkning-1km-2024"
Progress = Callable[[str, float], None]  # (stage, fraction done 0..1)
STAGES = ("load", "snap", "routing", "squares", "write", "second", "done")


@dataclass(frozen=True)
class Key:
    """What a stored result depends on. ``facilities`` is a digest of the chosen facilities
    (ids and positions), so a changed layer never reuses an old result."""

    road_id: str
    road_version: str
    layer_id: str
    layer_version: str
    kinds: tuple
    measure: str
    facilities: str
    grid_id: str = DEFAULT_GRID_ID

    @property
    def digest(self) -> str:
        text = json.dumps([FORMAT_VERSION, *self.__dict__.values()], default=list, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def facilities_digest(facilities: pd.DataFrame) -> str:
    """A digest of the facilities' ids and positions (metres, rounded to a decimetre)."""
    xy = roads.points_xy(facilities)
    frame = pd.DataFrame(
        {"id": facilities["id"].astype(str).to_numpy(), "x": xy[:, 0].round(1), "y": xy[:, 1].round(1)}
    )
    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()).hexdigest()[:24]


def key_for(
    network: roads.RoadNetwork,
    facilities: pd.DataFrame,
    measure: str = "km",
    layer_id: str = "",
    layer_version: str = "",
    kinds=(),
    grid_id: str = DEFAULT_GRID_ID,
    road_id: str | None = None,
    road_version: str | None = None,
) -> Key:
    """The key of a network, the chosen facilities (``layer_id`` and ``layer_version``: a
    stored layer's id and import time, or a file's name and digest) and a measure. A stored
    network is named by its id and import time; give ``road_id``/``road_version`` otherwise."""
    info = network.info
    if road_id is None:
        if info is None:
            raise ValueError("an unstored road network needs road_id and road_version")
        road_id, road_version = info.id, f"{info.imported_at}|{info.nodes}|{info.edges}"
    if measure not in roads.MEASURES:
        raise ValueError(f"measure must be one of {roads.MEASURES}")
    return Key(
        road_id,
        road_version or "",
        layer_id,
        layer_version,
        tuple(sorted(kinds)),
        measure,
        facilities_digest(facilities),
        grid_id,
    )


def grid_id_for(squares: pd.DataFrame, name: str) -> str:
    """The grid part of a key for a grid other than the embedded one: its name and a digest
    of its squares' ids and populations."""
    frame = pd.DataFrame({"id": squares["id"].astype(str).to_numpy(), "p": squares["population"].to_numpy()})
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()).hexdigest()[:16]
    return f"{name}:{digest}"


def folder() -> Path:
    return paths.home() / "road_grid"


@dataclass
class GridRoads:
    """A stored result: per square (in the grid's row order) the figures along the roads and
    by straight line. Distances are km, times minutes; inf where no open facility can be
    reached by road."""

    key: Key
    meta: dict
    node: np.ndarray  # road node of each square
    snap_m: np.ndarray
    road_km: np.ndarray
    road_minutes: np.ndarray
    facility: np.ndarray  # row in ``facilities`` of the nearest along the roads, -1 where none
    second: np.ndarray  # the second-nearest along the roads, in the key's measure; NaN until computed
    straight_km: np.ndarray  # straight line to the nearest open facility
    _facilities: pd.DataFrame | None = field(default=None, repr=False)
    path: Path | None = None
    _state: dict | None = field(default=None, repr=False)

    @property
    def facilities(self) -> pd.DataFrame:
        """The facilities of the key (read from disk on first use)."""
        if self._facilities is None:
            if self.path is None:
                raise ValueError("no facilities")
            self._facilities = pd.read_parquet(self.path / "facilities.parquet")
        return self._facilities

    @property
    def has_second(self) -> bool:
        """Whether the second-nearest along the roads is in (it is computed after the nearest)."""
        return "second_at" in self.meta

    @property
    def measure(self) -> str:
        return self.key.measure

    @property
    def value(self) -> np.ndarray:
        """The key's measure: road km or drive minutes."""
        return self.road_km if self.measure == "km" else self.road_minutes

    def beyond(self, threshold: float) -> np.ndarray:
        return roads.is_beyond(self.value, threshold, self.measure)

    def rows(self, squares: pd.DataFrame, threshold: float) -> pd.DataFrame:
        """One row per square: ``rutid_scb`` (or ``id``), ``population``, ``kommun_kod``, the
        nearest facility along the roads, road km, drive minutes, the second-nearest, the
        straight line and the ratio of road to straight, and ``beyond_threshold``."""
        found = self.facility >= 0
        pick = np.where(found, self.facility, 0)
        ids = self.facilities["id"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(found & (self.straight_km > 0), self.road_km / self.straight_km, np.nan)
        unit = "km" if self.measure == "km" else "minutes"
        base = {c: squares[c].to_numpy() for c in ("rutid_scb", "id", "population", "kommun_kod") if c in squares}
        if "rutid_scb" in base:
            base.pop("id", None)
        return pd.DataFrame(base).assign(
            facility_id=np.where(found, ids[pick], None) if len(ids) else None,
            road_km=self.road_km,
            road_minutes=self.road_minutes,
            **{f"second_road_{unit}": self.second},
            straight_km=self.straight_km,
            road_to_straight=ratio,
            snap_m=self.snap_m,
            far_from_road=self.snap_m > roads.FAR_FROM_ROAD_M,
            road_connection=found,
            beyond_threshold=self.beyond(threshold),
        )

    def state(self) -> dict:
        """The routing state of every road node (memory-mapped from disk when stored)."""
        if self._state is None:
            if self.path is None:
                raise ValueError("no routing state")
            with np.load(self.path / "state.npz") as arrays:
                self._state = {k: arrays[k] for k in arrays.files}
            if (self.path / "second.npz").exists():
                with np.load(self.path / "second.npz") as arrays:
                    self._state["second"] = arrays["node_second"]
        return self._state

    def access(self, network: roads.RoadNetwork) -> roads.RoadAccess:
        """The routing state as a roads.RoadAccess over ``network`` (the key's network), for a what-if."""
        s = self.state()
        if len(s["dist"]) != network.n + len(self.facilities):
            raise ValueError("the stored result belongs to another road network")
        access = roads.RoadAccess(
            network,
            self.measure,
            self.facilities,
            np.asarray(s["fac_node"]),
            np.asarray(s["fac_snap_m"]),
            np.asarray(s["open"]),
            np.asarray(s["dist"]),
            np.asarray(s["other"]),
            np.asarray(s["source"]),
        )
        if "second" in s:
            access._second = np.asarray(s["second"])
        return access


# -- computing ---------------------------------------------------------------------------------


def _figures(access: roads.RoadAccess, node: np.ndarray, snap_m: np.ndarray, xy: np.ndarray):
    """Per square: road km, drive minutes, nearest facility, straight km (the square's snap
    leg added as in roads.service_access)."""
    main_snap, other_snap = roads.snap_cost(snap_m, access.measure)
    main = main_snap + access.dist[node]
    other = other_snap + access.other[node]
    metres, seconds = (main, other) if access.measure == "km" else (other, main)
    facility = access.source[node]
    found = facility >= 0
    road_km = np.where(found, metres / 1000, np.inf)
    road_minutes = np.where(found, seconds / 60, np.inf)
    open_xy = access.facilities.loc[access.open, ["x", "y"]].to_numpy(dtype=float)
    straight = np.full(len(node), np.inf)
    if len(open_xy) and len(node):
        straight = cKDTree(open_xy).query(xy, k=1, workers=_workers(len(xy)))[0]
    return road_km, road_minutes, facility, straight / 1000


def _second(access: roads.RoadAccess, node: np.ndarray, snap_m: np.ndarray) -> np.ndarray:
    unit = "km" if access.measure == "km" else "minutes"
    main_snap, _ = roads.snap_cost(snap_m, access.measure)
    return roads.in_units(main_snap + access.second()[node], unit)


def _squares_xy(squares: pd.DataFrame) -> np.ndarray:
    if {"x", "y"} <= set(squares.columns):
        return np.column_stack([squares["x"].to_numpy(dtype=float), squares["y"].to_numpy(dtype=float)])
    return roads.points_xy(squares)


def _workers(n: int) -> int:
    """Threads for a KD-tree query: all cores for many points, one for a few (threads cost more)."""
    return -1 if n > 20_000 else 1


def compute_result(
    key: Key,
    network: roads.RoadNetwork,
    facilities: pd.DataFrame,
    squares: pd.DataFrame,
    progress: Progress | None = None,
    second: bool = False,
) -> GridRoads:
    """Compute (not store) the result of ``key``: the nearest along the roads for every square
    and, with ``second``, the second-nearest too."""
    say = progress or (lambda stage, done: None)
    xy = _squares_xy(squares)
    say("snap", 0.0)
    node, snap_m = network.snap(xy)
    say("routing", 0.1)
    access = roads.RoadAccess.compute(network, facilities, key.measure)
    say("squares", 0.6)
    road_km, road_minutes, facility, straight_km = _figures(access, node, snap_m, xy)
    if second:
        say("second", 0.7)
    second_value = _second(access, node, snap_m) if second else np.full(len(node), np.nan)
    state = {
        "fac_node": access.fac_node,
        "fac_snap_m": access.fac_snap_m,
        "open": access.open,
        "dist": access.dist,
        "other": access.other,
        "source": access.source,
    }
    if second:
        state["second"] = access.second()
    return GridRoads(
        key=key,
        meta={"second_at": True} if second else {},
        node=node.astype(np.int64),
        snap_m=snap_m,
        road_km=road_km,
        road_minutes=road_minutes,
        facility=facility.astype(np.int64),
        second=second_value,
        straight_km=straight_km,
        _facilities=access.facilities,
        _state=state,
    )


_SQUARE_ARRAYS = ("node", "snap_m", "road_km", "road_minutes", "facility", "straight_km")


def _write(result: GridRoads, target: Path, seconds: float) -> None:
    """Write into a temporary folder beside ``target`` and rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.tmp"
    temporary.mkdir()
    try:
        np.savez(temporary / "squares.npz", **{name: getattr(result, name) for name in _SQUARE_ARRAYS})
        np.savez(temporary / "state.npz", **{k: v for k, v in result.state().items() if k != "second"})
        facilities = result.facilities
        keep = [c for c in ("id", "name", "kind", "kommun_kod", "lat", "lon", "x", "y") if c in facilities]
        frame = facilities[keep].copy()
        for column in ("id", "name", "kind", "kommun_kod"):
            if column in frame:
                frame[column] = frame[column].astype(str)
        frame.to_parquet(temporary / "facilities.parquet", index=False)
        meta = {
            "key": {**result.key.__dict__, "kinds": list(result.key.kinds)},
            "format": FORMAT_VERSION,
            "computed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(seconds, 3),
            "squares": len(result.node),
            "facilities": len(result.facilities),
            "host": os.uname().nodename,
            "pid": os.getpid(),
        }
        (temporary / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        result.meta = meta
        if target.exists():  # a damaged result (stored() could not read it): set aside, then replaced
            aside = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.old"
            os.rename(target, aside)
            shutil.rmtree(aside, ignore_errors=True)
        os.rename(temporary, target)  # atomic on one file system; the lock keeps others out
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def stored(key: Key) -> GridRoads | None:
    """The stored result of ``key``, or None. Never computes: reads the per-square arrays
    (a few MB) and leaves the routing state on disk until a what-if asks for it."""
    target = folder() / key.digest
    try:
        meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
        with np.load(target / "squares.npz") as arrays:
            values = {name: arrays[name] for name in _SQUARE_ARRAYS}
        second = np.full(len(values["node"]), np.nan)
        if (target / "second.npz").exists():
            with np.load(target / "second.npz") as arrays:
                second = arrays["second"]
            meta["second_at"] = True
    except (OSError, ValueError, KeyError, EOFError):
        return None
    return GridRoads(key=key, meta=meta, path=target, second=second, **values)


@contextlib.contextmanager
def _lock(key: Key, part: str = ""):
    folder().mkdir(parents=True, exist_ok=True)
    with open(folder() / f"{key.digest}{part}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def compute(
    key: Key,
    network: roads.RoadNetwork,
    facilities: pd.DataFrame,
    squares: pd.DataFrame,
    progress: Progress | None = None,
    second: bool = True,
) -> GridRoads:
    """The stored result of ``key``, computed and stored first if no process has done so.
    Under the key's lock: a process that waited for another finds the result and reads it.
    The nearest along the roads is stored first (what the figures of people beyond need);
    with ``second``, the second-nearest follows under a lock of its own, so that a process
    waiting for the nearest does not wait for it too."""
    result = stored(key)
    if result is None:
        with _lock(key):
            result = stored(key)
            if result is None:
                start = time.perf_counter()
                result = compute_result(key, network, facilities, squares, progress)
                if progress:
                    progress("write", 0.6)
                target = folder() / key.digest
                _write(result, target, time.perf_counter() - start)
                result.path = target
    if second and not result.has_second:
        with _lock(key, ".second"):
            found = stored(key)
            if found is not None and found.has_second:
                return found
            if progress:
                progress("second", 0.7)
            access = result.access(network)
            node_second = access.second()
            main_snap, _ = roads.snap_cost(result.snap_m, key.measure)
            unit = "km" if key.measure == "km" else "minutes"
            result.second = roads.in_units(main_snap + node_second[result.node], unit)
            result.state()["second"] = node_second
            assert result.path is not None  # a stored result, or one just written to its folder
            _write_second(result.path, result.second, node_second)
            result.meta["second_at"] = True
    if progress:
        progress("done", 1.0)
    return result


def _write_second(target: Path, second: np.ndarray, node_second: np.ndarray) -> None:
    temporary = target / f".second.{uuid.uuid4().hex[:8]}.npz"
    try:
        with open(temporary, "wb") as handle:
            np.savez(handle, second=second, node_second=node_second)
        os.replace(temporary, target / "second.npz")
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove(key: Key) -> None:
    shutil.rmtree(folder() / key.digest, ignore_errors=True)


# -- in the background -----------------------------------------------------------------------
#
# Progress is written to ``<key>.progress.json`` beside the result, so that every process
# (another dashboard process behind nginx, another host on the shared volume) can show how
# far a computation has come, whoever started it.

_THREADS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="road-grid")
_PROCESSES: ProcessPoolExecutor | None = None
_RUNNING: dict[str, Future] = {}
_GUARD = threading.Lock()
STALE_S = 600  # a progress file not touched for this long belongs to a computation that died


def _progress_file(key: Key) -> Path:
    return folder() / f"{key.digest}.progress.json"


def _reporter(key: Key) -> Progress:
    target = _progress_file(key)

    def report(stage: str, done: float) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_text(json.dumps({"stage": stage, "done": done, "pid": os.getpid()}), encoding="utf-8")
        os.replace(temporary, target)

    return report


def _run(key: Key, network: roads.RoadNetwork | str, facilities: pd.DataFrame, squares: pd.DataFrame | None) -> str:
    """The work of a background computation (in a thread, or in a process of its own, where
    the network is loaded by its id and the default grid read from the package)."""
    report = _reporter(key)
    try:
        report("load", 0.0)
        if isinstance(network, str):
            network = roads.load(network)
        if squares is None:
            from .defaults import population_grid

            squares = population_grid()
        compute(key, network, facilities, squares, report)
    finally:
        _progress_file(key).unlink(missing_ok=True)
    return key.digest


def compute_in_background(
    key: Key,
    network: roads.RoadNetwork | str,
    facilities: pd.DataFrame,
    squares: pd.DataFrame | None = None,
    process: bool = False,
) -> Future:
    """Start (or join) the computation of ``key`` beside the page and return its future
    (its value: the key's digest; read the result with :func:`stored`). The page calls this
    on a click or when it finds no stored result, shows :func:`progress_of` while it runs and
    :func:`stored` on a later rerun; it never waits here. ``network``: a loaded network, or a
    stored network's id (loaded in the worker). ``squares``: None for the embedded grid.
    With ``process``, the work runs in a process of its own (spawned; the network given by
    id), so that the dashboard's process stays free for its visitors."""
    global _PROCESSES
    with _GUARD:
        running = _RUNNING.get(key.digest)
        if running is not None and not running.done():
            return running
        if process:
            if not isinstance(network, str):
                raise ValueError("a background process loads the network by its id")
            if _PROCESSES is None:
                _PROCESSES = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            future = _PROCESSES.submit(_run, key, network, facilities, squares)
        else:
            future = _THREADS.submit(_run, key, network, facilities, squares)
        _RUNNING[key.digest] = future
        return future


def stage_text(stage: str, lang: str = "sv") -> str:
    """What a stage of :func:`progress_of` is, in words, for a progress bar."""
    from ..i18n import t

    return t(f"road_grid_stage_{stage}" if stage in (*STAGES, "queued") else "road_grid_stage_queued", lang)


def progress_of(key: Key) -> tuple[str, float] | None:
    """(stage, fraction done) of a computation of ``key`` running in any process that shares
    ``$KOMMUNKARTA_HOME``, or None when none runs (or it stopped without a word for STALE_S)."""
    target = _progress_file(key)
    try:
        if time.time() - target.stat().st_mtime > STALE_S:
            return None
        state = json.loads(target.read_text(encoding="utf-8"))
        return str(state["stage"]), float(state["done"])
    except (OSError, ValueError, KeyError):
        running = _RUNNING.get(key.digest)
        return ("queued", 0.0) if running is not None and not running.done() else None


# -- what-if -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    result: GridRoads  # per square after the change
    access: roads.RoadAccess  # the changed routing state (for a further change)
    changed_squares: np.ndarray  # positions of the squares whose figures were recomputed


def what_if(
    base: GridRoads,
    access: roads.RoadAccess,
    squares: pd.DataFrame,
    add: pd.DataFrame | None = None,
    close=(),
) -> WhatIf:
    """The grid's figures with facilities closed (ids) and hypothetical ones added, along
    the roads: roads.what_if recomputes only the catchments the change touches, and only the
    squares on road nodes whose nearest facility or distance changed are answered again; the
    rest come from the stored result. ``access`` is ``base.access(network)``, kept by the
    caller. The second-nearest is not recomputed (NaN for changed squares)."""
    changed = roads.what_if(access, add, tuple(close))
    n = access.network.n
    differs = (changed.dist[:n] != access.dist[:n]) | (changed.source[:n] != access.source[:n])
    moved = np.flatnonzero(differs[base.node])
    result = GridRoads(
        key=base.key,
        meta={**base.meta, "what_if": True},
        node=base.node,
        snap_m=base.snap_m,
        road_km=base.road_km.copy(),
        road_minutes=base.road_minutes.copy(),
        facility=base.facility.copy(),
        second=base.second.copy(),
        straight_km=base.straight_km.copy(),
        _facilities=changed.facilities,
        path=None,
    )
    all_xy = _squares_xy(squares)
    xy = all_xy[moved]
    if len(moved):
        road_km, road_minutes, facility, _ = _figures(changed, base.node[moved], base.snap_m[moved], xy)
        result.road_km[moved], result.road_minutes[moved], result.facility[moved] = road_km, road_minutes, facility
        result.second[moved] = np.nan
    result.straight_km[:] = _straight_after(base, access, changed, all_xy)
    return WhatIf(result, changed, moved)


def _straight_after(base: GridRoads, before: roads.RoadAccess, changed: roads.RoadAccess, xy: np.ndarray) -> np.ndarray:
    """Straight line to the nearest open facility after the change: the stored value, except
    for the squares a closed facility served (by straight line: those whose stored value
    equals the distance to it) and those an added facility is nearer to."""
    out = base.straight_km.copy()
    facilities = changed.facilities
    was_open = np.zeros(len(facilities), bool)
    was_open[: len(before.open)] = before.open
    closed = np.flatnonzero(was_open & ~changed.open)
    added = np.flatnonzero(~was_open & changed.open)
    if not len(closed) and not len(added):
        return out
    fxy = facilities[["x", "y"]].to_numpy(dtype=float)
    if len(added):
        near = cKDTree(fxy[added]).query(xy, k=1, workers=-1)[0] / 1000
        out = np.minimum(out, near)
    if len(closed):
        by_closed = cKDTree(fxy[closed]).query(xy, k=1, workers=-1)[0] / 1000
        served = np.flatnonzero(np.isclose(by_closed, base.straight_km, rtol=0, atol=1e-9))
        if len(served):
            open_xy = fxy[changed.open]
            out[served] = (
                cKDTree(open_xy).query(xy[served], k=1, workers=_workers(len(served)))[0] / 1000
                if len(open_xy)
                else np.inf
            )
    return out
