"""Benchmark of issue 13: a population grid as origins.

    .venv/bin/python benchmarks/grid.py        # or: benchmarks/run.py grid

600 000 populated squares (a 250 m grid of Sweden: square centres on the 250 m lattice
inside the kommuner) x 3 500 shops (the 2 017 tätorter's centres and 1 483 more points in
Sweden), straight-line. Target: <= 0.5 s for every square's nearest shop and whether it
lies beyond 30 km (view.grid_distances, what the service view runs on a grid). Measured in the same run: the obvious
alternative, geopandas.sjoin_nearest, and the whole service view with the grid (figures,
per kommun, vulnerable shops judged against every square).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kommunkarta import geo  # noqa: E402
from kommunkarta.service import analysis, defaults  # noqa: E402
from kommunkarta.service.view import Population, grid_distances, service_view  # noqa: E402

CELL_M = 250


def _inside_sweden(rng, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n distinct 250 m square centres inside the kommuner, with each one's kommun."""
    import shapely

    shapes = geo.kommuner().to_crs(geo.SWEREF99TM)
    sweden = shapely.union_all(shapes.geometry.to_numpy())
    shapely.prepare(sweden)
    west, south, east, north = sweden.bounds
    xs, ys = [], []
    seen: set = set()
    while len(seen) < n:
        x = (rng.uniform(west, east, 4 * n) // CELL_M) * CELL_M + CELL_M / 2
        y = (rng.uniform(south, north, 4 * n) // CELL_M) * CELL_M + CELL_M / 2
        keep = shapely.contains_xy(sweden, x, y)
        for a, b in zip(x[keep], y[keep]):
            if (a, b) not in seen and len(seen) < n:
                seen.add((a, b))
                xs.append(a)
                ys.append(b)
    x, y = np.array(xs), np.array(ys)
    import geopandas as gpd

    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=geo.SWEREF99TM)
    joined = gpd.sjoin(points, shapes[["kommun_kod", "geometry"]], predicate="within")
    codes = joined[~joined.index.duplicated()]["kommun_kod"].reindex(points.index).fillna("").to_numpy()
    return x, y, codes


def squares_and_shops(n_squares: int = 600_000, n_shops: int = 3_500, seed: int = 13):
    rng = np.random.default_rng(seed)
    x, y, codes = _inside_sweden(rng, n_squares)
    squares = pd.DataFrame(
        {
            "id": np.arange(n_squares).astype(str),
            "name": "",
            "kommun_kod": codes,
            "lat": 0.0,
            "lon": 0.0,
            "x": x,
            "y": y,
            "population": rng.integers(1, 60, n_squares),
            "population_70": rng.integers(0, 10, n_squares),
        }
    )
    tatorter = analysis.with_xy(defaults.tatort_origins())
    more = n_shops - len(tatorter)
    sx, sy, scodes = _inside_sweden(rng, more)
    shops = pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(n_shops)],
            "name": "",
            "kind": "grocery",
            "kommun_kod": np.concatenate([tatorter["kommun_kod"].to_numpy(), scodes]),
            "lat": 0.0,
            "lon": 0.0,
            "x": np.concatenate([tatorter["x"].to_numpy(), sx]),
            "y": np.concatenate([tatorter["y"].to_numpy(), sy]),
        }
    )
    return squares, shops


def bench_grid(rounds: int = 5) -> list[dict]:
    import geopandas as gpd

    from benchmarks.report import report

    squares, shops = squares_and_shops()
    ours, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        facilities = analysis.Facilities.build(shops)
        km = grid_distances(squares, facilities)
        beyond = km > 30.0
        ours.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    ours_s = statistics.median(ours)
    start = time.perf_counter()
    left = gpd.GeoDataFrame(geometry=gpd.points_from_xy(squares["x"], squares["y"]), crs=3006)
    right = gpd.GeoDataFrame(geometry=gpd.points_from_xy(shops["x"], shops["y"]), crs=3006)
    joined = gpd.sjoin_nearest(left, right, distance_col="d")
    theirs_s = time.perf_counter() - start
    joined = joined[~joined.index.duplicated()]
    assert np.allclose(joined["d"].sort_index().to_numpy() / 1000, km)  # the same answer
    view_times = []
    official = pd.DataFrame({"kommun_kod": geo.kommuner()["kommun_kod"], "population": 10_000})
    for _ in range(3):
        start = time.perf_counter()
        view = service_view(
            facilities,
            Population("tatorter", "SCB:s tätorter 2020", analysis.with_xy(defaults.tatort_origins())),
            threshold_km=30.0,
            grid=Population("grid", "benchmark grid", squares),
            official_population=official,
        )
        view_times.append(time.perf_counter() - start)
    assert view.grid.people_beyond == int(squares.loc[beyond, "population"].sum())
    return [
        report(
            "grid: nearest shop and 30 km flag, 600 000 squares x 3 500 shops",
            ours_s,
            "s",
            0.5,
            sjoin_nearest_s=round(theirs_s, 2),
            ratio=f"{ours_s / theirs_s:.3f}",
            fastest_s=round(min(ours), 3),
            cpu_s=round(statistics.median(cpu), 3),
            squares_beyond=int(beyond.sum()),
        ),
        report(
            "grid: whole service view (tätorter + grid, per kommun, vulnerable shops)",
            statistics.median(view_times),
            "s",
            None,
        ),
    ]


if __name__ == "__main__":
    print("Kommunkartan benchmark: population grid")
    bench_grid()
