"""Benchmarks of issue 10 ("Close the holes"): one command, figures and ratios against
the code before the fix, measured in the same run.

    .venv/bin/python benchmarks/security.py              # all
    .venv/bin/python benchmarks/security.py vulnerable   # one or more of: vulnerable bombs

Targets: `vulnerable-shops` for 1 000 000 facilities x 2 000 origins <= 10 s (the
analysis from a table of lat/lon: projection, index and query). Spreadsheet bombs
(a 0.5 MB .xlsx with a 500 MB cell; 2 000 000 rows): refused in <= 5 s and <= 300 MB.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import KDTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kommunkarta.service import analysis  # noqa: E402


def report(name: str, value: float, unit: str, target: float | None = None, **extra) -> dict:
    verdict = "" if target is None else ("  OK" if value <= target else "  OVER TARGET")
    target_text = "" if target is None else f" (target <= {target:g} {unit})"
    details = "".join(f", {k} {v}" for k, v in extra.items())
    print(f"{name}: {value:,.2f} {unit}{target_text}{details}{verdict}", flush=True)
    return {"name": name, "value": value, "unit": unit, "target": target, **extra}


# -- the code before the fix (kommunkarta/service/access.py at commit 628979b) --------------


@dataclass(frozen=True)
class OldFacilities:
    points: pd.DataFrame
    tree: KDTree | None

    @classmethod
    def build(cls, points: pd.DataFrame) -> "OldFacilities":
        points = analysis.with_xy(points).reset_index(drop=True)
        tree = KDTree(points[["x", "y"]].to_numpy()) if len(points) else None
        return cls(points, tree)

    def nearest(self, xy: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        n = len(xy)
        if self.tree is None or n == 0:
            return np.full((n, k), np.inf), np.full((n, k), -1)
        kk = min(k, len(self.points))
        dist, idx = self.tree.query(xy, k=kk, workers=-1)
        dist, idx = dist.reshape(n, kk), idx.reshape(n, kk)
        if kk < k:
            dist = np.hstack([dist, np.full((n, k - kk), np.inf)])
            idx = np.hstack([idx, np.full((n, k - kk), -1)])
        return dist, idx


def old_vulnerable(origins: pd.DataFrame, facilities: OldFacilities, threshold_km: float = 30.0) -> pd.DataFrame:
    points = facilities.points
    fdist, _ = facilities.nearest(points[["x", "y"]].to_numpy(), k=2)
    next_km = fdist[:, 1] / 1000
    origins = analysis.with_xy(origins)
    odist, oidx = facilities.nearest(origins[["x", "y"]].to_numpy(), k=2)
    first_km, second_km = odist[:, 0] / 1000, odist[:, 1] / 1000
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


# -- vulnerable-shops -----------------------------------------------------------------------


def _facilities(n: int, crowded: float = 0.0, spots: int = 100, seed: int = 1) -> pd.DataFrame:
    """n shops spread over Sweden's box; with ``crowded``, that share of them stands at
    ``spots`` places only (rows geocoded to a town's centre, a file that repeats rows)."""
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(55.5, 68.5, n), rng.uniform(12.0, 23.5, n)
    k = int(n * crowded)
    if k:
        pick = rng.integers(0, spots, k)
        lat[:k], lon[:k] = lat[-spots:][pick], lon[-spots:][pick]
    return pd.DataFrame(
        {
            "id": np.char.add("f", np.arange(n).astype(str)),
            "name": "Butik",
            "kind": "grocery",
            "kommun_kod": "",
            "lat": lat,
            "lon": lon,
        }
    )


def _origins(n: int = 2_000, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "id": [f"o{i}" for i in range(n)],
            "name": "Ort",
            "kommun_kod": "",
            "lat": rng.uniform(55.5, 68.5, n),
            "lon": rng.uniform(12.0, 23.5, n),
            "population": rng.integers(50, 5_000, n),
        }
    )


def _run_new(facilities: pd.DataFrame, origins: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    result = analysis.vulnerable_facilities(origins, analysis.Facilities.build(facilities))
    return time.perf_counter() - start, result


def _run_old(facilities: pd.DataFrame, origins: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    result = old_vulnerable(origins, OldFacilities.build(facilities))
    return time.perf_counter() - start, result


def bench_vulnerable(n: int = 1_000_000) -> list[dict]:
    origins = _origins()
    results = []
    # Distinct points: the old code was O(n log n) here; both run in full.
    facilities = _facilities(n)
    new_s, new = _run_new(facilities, origins)
    old_s, old = _run_old(facilities, origins)
    columns = ["next_facility_km", "places_lost", "population_lost"]
    same = new.set_index("id").sort_index()[columns].equals(old.set_index("id").sort_index()[columns])
    results.append(
        report(
            f"vulnerable-shops, {n:,} distinct shops x {len(origins):,} origins",
            new_s,
            "s",
            10,
            old_s=round(old_s, 2),
            ratio=f"{old_s / new_s:.1f}x",
            same_result=same,
        )
    )
    # Half the shops at 10 spots (rows geocoded to a few town centres): a KD-tree over
    # identical points is one leaf that every query scans, n/20 points deep. The old code is timed on samples of the same mix and
    # extrapolated with the growth exponent fitted to them.
    facilities = _facilities(n, crowded=0.5, spots=10)
    new_s, new = _run_new(facilities, origins)
    samples = []
    for m in (40_000, 80_000, 160_000, 320_000):
        sample = _facilities(m, crowded=0.5, spots=10, seed=3)
        samples.append((m, _run_old(sample, origins)[0]))
    ms, ts = np.array(samples, dtype=float).T
    exponent = float(np.polyfit(np.log(ms[1:]), np.log(ts[1:]), 1)[0])
    old_s = float(ts[-1] * (n / ms[-1]) ** exponent)
    # the same answer as the old code, where the old code can still be run
    sample = _facilities(20_000, crowded=0.5, spots=10, seed=4)
    a, b = _run_new(sample, origins)[1], _run_old(sample, origins)[1]
    same = a.set_index("id").sort_index()[columns].equals(b.set_index("id").sort_index()[columns])
    results.append(
        report(
            f"vulnerable-shops, {n:,} shops, half at 10 spots, x {len(origins):,} origins",
            new_s,
            "s",
            10,
            old_s_extrapolated=round(old_s),
            old_samples=", ".join(f"{int(m):,}: {t:.2f} s" for m, t in samples),
            old_growth_exponent=round(exponent, 2),
            ratio=f"{old_s / new_s:,.0f}x",
            same_result_on_20000=same,
        )
    )
    return results


# -- spreadsheet bombs ------------------------------------------------------------------------

_MEASURE = """
import resource, sys, time
from pathlib import Path
{imports}
raw = Path(sys.argv[1]).read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
{call}
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(seconds, peak / 1024, (peak - before) / 1024, outcome)
"""
_NEW = (
    "from kommunkarta.storage import uploads",
    "sheets, problems = uploads.read_upload(Path(sys.argv[1]).name, raw)\n"
    "outcome = repr(problems[0].message[:70]) if problems else 'ACCEPTED'",
)
# What the code before the fix did with a workbook: open it read-only and read every row.
_OLD = (
    "import io\nfrom openpyxl import load_workbook",
    "book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)\n"
    "rows = sum(1 for sheet in book.worksheets for _ in sheet.iter_rows(values_only=True))\n"
    "outcome = f'read {rows} rows'",
)


def _measure(code: tuple[str, str], path: Path, timeout: float = 600) -> tuple[float, float, float, str]:
    import subprocess

    script = _MEASURE.format(imports=code[0], call=code[1])
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    seconds, peak, grown, outcome = done.stdout.strip().split(" ", 3)
    return float(seconds), float(peak), float(grown), outcome


def bench_bombs() -> list[dict]:
    """Each bomb is refused in its own process, whose time and peak memory are measured;
    the old reading (openpyxl read-only, every row) runs on a tenth of each bomb."""
    import tempfile

    from tests.test_limits import NETWORK_COLUMNS, handmade_xlsx, xml_row

    def big_cell(mb: int):
        chunk = b"A" * (1 << 20)

        def rows(write):
            write(xml_row(1, NETWORK_COLUMNS))
            write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>bomb</t></is></c><c r="B2" t="inlineStr"><is><t>')
            for _ in range(mb):
                write(chunk)
            write(b"</t></is></c></row>")

        return rows

    def many_rows(n: int):
        row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'

        def rows(write):
            write(xml_row(1, NETWORK_COLUMNS))
            for _ in range(n // 10_000):
                write(row * 10_000)

        return rows

    results = []
    with tempfile.TemporaryDirectory() as folder:
        for label, full, tenth in (
            ("a 500 MB cell", big_cell(500), big_cell(50)),
            ("2,000,000 rows", many_rows(2_000_000), many_rows(200_000)),
        ):
            path, small = Path(folder) / "networks.xlsx", Path(folder) / "small" / "networks.xlsx"
            small.parent.mkdir(exist_ok=True)
            path.write_bytes(handmade_xlsx(full))
            small.write_bytes(handmade_xlsx(tenth))
            # Peak memory over a process that imports the same and reads the file only.
            base = _measure((_NEW[0], "outcome = 'baseline'"), path)[1]
            seconds, peak, _, outcome = _measure(_NEW, path)
            old_base = _measure((_OLD[0], "outcome = 'baseline'"), small)[1]
            old_seconds, old_peak, _, old_outcome = _measure(_OLD, small)
            results.append(
                report(
                    f"spreadsheet bomb, {label} ({path.stat().st_size / 1e6:.2f} MB file): refused in",
                    seconds,
                    "s",
                    5,
                    peak_rss_mb=round(peak),
                    above_imports_mb=round(peak - base),
                    message=outcome,
                    old_reading_on_a_tenth=f"{old_seconds:.2f} s, +{old_peak - old_base:.0f} MB ({old_outcome})",
                    ratio_vs_old_on_a_tenth=f"{old_seconds / max(seconds, 1e-4):,.0f}x",
                )
            )
            results.append(report(f"spreadsheet bomb, {label}: peak memory", peak, "MB", 300))
    return results


BENCHMARKS = {"vulnerable": bench_vulnerable, "bombs": bench_bombs}


def main(argv: list[str]) -> int:
    for name in argv or list(BENCHMARKS):
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
