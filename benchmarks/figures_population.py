"""Issue 23: what the population development costs a page.

    .venv/bin/python benchmarks/figures_population.py

Prints, for the curated series (290 kommuner × 72 years):
- reading and validating the two files (population_series.load: every row through the
  row model, codes and names checked, problems by file, row and field) against a bare
  pandas.read_csv of the same file (the obvious alternative, which checks nothing);
  target 1.5 s (it happens once per process, then the series is cached);
- one view (population_view: four groups, every year, gaps, index, change, members)
  per network of the curated data, against the obvious alternative for its main part
  (a pandas groupby-sum of the members per year, which neither keeps gaps nor gives the
  län, the rest and Sweden); target 100 ms per view (views are cached by their query).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kommunkarta import figures, geo, paths, population_series, selection
from kommunkarta.loader import load_dataset


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    geo.names_by_code()  # boundaries read once, as in a running app
    load_best, load_median = best(population_series.load, 3)
    csv_best, _ = best(lambda: pd.read_csv(paths.DATA_DIR / "population_series.csv", dtype={"kommun_kod": str}), 3)
    print(
        f"series load+validate: best {load_best * 1000:.0f} ms, median {load_median * 1000:.0f} ms (target 1500 ms); "
        f"bare read_csv {csv_best * 1000:.0f} ms; ratio {load_best / csv_best:.1f}x"
    )
    series = population_series.load()
    ds = load_dataset(paths.DATA_DIR)
    table = selection.membership_table(ds)
    long = series.values
    worst = 0.0
    for network_id in ds.networks["id"]:
        query = figures.network_query(table, network_id, network_id, base_year=2000)
        view_best, _ = best(lambda q=query: figures.population_view(series, q))
        plain_best, _ = best(lambda q=query: long[long["kommun_kod"].isin(q.codes)].groupby("year")["population"].sum())
        worst = max(worst, view_best)
        print(
            f"  view {network_id:32s} {len(query.codes):3d} kommuner: {view_best * 1000:6.1f} ms "
            f"(target 100 ms); groupby-sum alone {plain_best * 1000:5.1f} ms; ratio {view_best / plain_best:.1f}x"
        )
    print(f"slowest view {worst * 1000:.1f} ms (target 100 ms)")


if __name__ == "__main__":
    main()
