"""Benchmarks of issue 10 ("Close the holes"): one command, figures and ratios against
the code before the fix, measured in the same run.

    .venv/bin/python benchmarks/security.py              # all
    .venv/bin/python benchmarks/security.py vulnerable   # one or more of: vulnerable bombs geobombs

Targets: `vulnerable-shops` for 1 000 000 facilities x 2 000 origins <= 10 s (the
analysis from a table of lat/lon: projection, index and query). Spreadsheet bombs
(a 0.5 MB .xlsx with a 500 MB cell; 2 000 000 rows): refused in <= 5 s and <= 300 MB.
Map-file bombs of issue 19 (``geobombs``, also run by ``bombs``: a zip of a 1 GB GeoJSON
as a grid and as a shop layer, a never-ending GeoPackage view, a grid CSV of 100 000
columns): refused from the page's reader and from the command line in <= 5 s and
<= 300 MB above a process that only imports the same and reads the file.
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
    def build(cls, points: pd.DataFrame) -> OldFacilities:
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
    return results + bench_geo_bombs()


# -- map-file bombs (issue 19) ----------------------------------------------------------------
# Each is refused by the reader the page calls (read_grid / read_points on the uploaded
# bytes) and by the command line (import-grid, roads import), in a process of its own.
# The obvious alternative is the reading before the fix: GDAL through geopandas (and
# pandas.read_csv for a grid CSV), run on a smaller bomb, or, for the never-ending view,
# stopped after a while.

_GEO_IMPORTS = "from kommunkarta.service import grid, roads\nfrom kommunkarta.service.importers import read_points\nfrom kommunkarta import cli"
_OUTCOME = "outcome = repr(str(err)[:70])"


def _refusal(call: str) -> str:
    return f"try:\n    {call}\n    outcome = 'ACCEPTED'\nexcept Exception as err:\n    {_OUTCOME}"


def _cli(args: str) -> str:
    return (
        f"try:\n    code = cli.main([{args}, sys.argv[1]])\nexcept SystemExit as stop:\n    code = stop.code\n"
        "outcome = f'exit {code}'"
    )


_OLD_GEO = (
    "import io, warnings\nimport geopandas as gpd",
    "frame = gpd.read_file(io.BytesIO(raw))\noutcome = f'read {len(frame)} features'",
)
_OLD_CSV = (
    "import io\nimport pandas as pd",
    "frame = pd.read_csv(io.BytesIO(raw), dtype=str)\noutcome = f'read {frame.shape}'",
)


def _zip_bomb(path: Path, inner: str, megabytes: int) -> Path:
    """A zip holding a GeoJSON of ``megabytes`` MB of squares (deflate, level 9)."""
    import zipfile

    square = (
        b'{"type":"Feature","properties":{"beftotalt":5,"name":"ICA"},"geometry":{"type":"Polygon",'
        b'"coordinates":[[[674000,6580000],[675000,6580000],[675000,6581000],[674000,6581000],[674000,6580000]]]}},'
    )
    chunk = square * ((1 << 20) // len(square))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(inner, "w", force_zip64=True) as member:
            member.write(
                b'{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3006"}},"features":['
            )
            for _ in range(megabytes):
                member.write(chunk)
            member.write(square[:-1] + b"]}")
    return path


def _endless_view(path: Path) -> Path:
    import sqlite3

    import geopandas as gpd
    import shapely

    gpd.GeoDataFrame({"name": ["ICA"], "beftotalt": [5]}, geometry=[shapely.Point(18.07, 59.33)], crs=4326).to_file(
        path, layer="pts"
    )
    with sqlite3.connect(path) as con:
        con.execute(
            "CREATE VIEW bomb AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1e11) "
            "SELECT x AS fid, (SELECT geom FROM pts) AS geom, 'ICA' AS name, 5 AS beftotalt FROM c"
        )
        con.execute("DELETE FROM gpkg_geometry_columns")
        con.execute("DELETE FROM gpkg_contents")
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('bomb', 'features', 'bomb', 4326)"
        )
        con.execute("INSERT INTO gpkg_geometry_columns VALUES ('bomb', 'geom', 'POINT', 4326, 0, 0)")
    return path


def _wide_csv(path: Path, columns: int, rows: int) -> Path:
    header = ",".join(["x", "y", "beftotalt"] + [f"c{i}" for i in range(columns - 3)])
    row = ",".join(["674000", "6580000", "5"] + ["12"] * (columns - 3))
    path.write_text(header + "\n" + "\n".join([row] * rows) + "\n")
    return path


def _old_stopped(path: Path, seconds: float) -> str:
    """The reading before the fix, stopped after ``seconds``: its CPU time and memory then."""
    import subprocess

    script = (
        "import resource, sys, threading, time, os\nimport geopandas as gpd\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"def stop():\n    time.sleep({seconds})\n"
        "    print('still reading after', "
        + str(seconds)
        + ", 's, +%d MB' % ((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024), flush=True)\n"
        "    os._exit(0)\n"
        "threading.Thread(target=stop, daemon=True).start()\n"
        "frame = gpd.read_file(sys.argv[1])\nprint('read', len(frame), flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=seconds + 120, cwd=ROOT
    )
    return (done.stdout.strip() or done.stderr[-300:]).replace("\n", " ")


def bench_geo_bombs() -> list[dict]:
    """The map-file bombs of issue 19, each refused from the page's reader and from the
    command line: time, peak memory, and memory above a process that imports the same
    and reads the file's bytes only."""
    import tempfile

    results = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        home = folder / "home"
        import os

        os.environ["KOMMUNKARTA_HOME"] = str(home)
        (folder / "small").mkdir()
        bombs = [
            # label, file, page call, command-line arguments, old reading (code, smaller file) or None
            (
                "zip bomb (1 GB GeoJSON) named .geojson, as a grid",
                _zip_bomb(folder / "rutor.geojson", "rutor.geojson", 1024),
                _refusal("grid.read_grid('rutor.geojson', raw)"),
                "'import-grid'",
                (
                    _OLD_GEO,
                    _zip_bomb(folder / "small" / "rutor.geojson", "rutor.geojson", 50),
                    "a twentieth (50 MB inside)",
                ),
            ),
            (
                "zip bomb (1 GB GeoJSON) named .gpkg, as a shop layer",
                _zip_bomb(folder / "butiker.gpkg", "butiker.geojson", 1024),
                _refusal("read_points('butiker.gpkg', raw)"),
                "'service-access', '--facilities'",
                (
                    _OLD_GEO,
                    _zip_bomb(folder / "small" / "butiker.gpkg", "butiker.geojson", 50),
                    "a twentieth (50 MB inside)",
                ),
            ),
            (
                "never-ending view registered as the layer (.gpkg)",
                _endless_view(folder / "vy.gpkg"),
                _refusal("read_points('vy.gpkg', raw)"),
                "'roads', 'import'",
                None,
            ),
            (
                "grid CSV of 100,000 columns x 200 rows",
                _wide_csv(folder / "bred.csv", 100_000, 200),
                _refusal("grid.read_grid('bred.csv', raw)"),
                "'import-grid'",
                (_OLD_CSV, _wide_csv(folder / "small" / "bred.csv", 100_000, 20), "a tenth (20 rows)"),
            ),
        ]
        for label, path, call, cli_args, old in bombs:
            size = path.stat().st_size / 1e6
            base = _measure((_GEO_IMPORTS, "outcome = 'baseline'"), path)[1]
            seconds, peak, _, outcome = _measure((_GEO_IMPORTS, call), path)
            cli_seconds, cli_peak, _, cli_outcome = _measure((_GEO_IMPORTS, _cli(cli_args)), path)
            extra = {}
            if old is None:
                extra["before_the_fix"] = _old_stopped(path, 20)
            else:
                (old_code, small, share) = old
                old_base = _measure((old_code[0], "outcome = 'baseline'"), small)[1]
                old_seconds, old_peak, _, old_outcome = _measure(old_code, small, timeout=900)
                extra["before_the_fix_on_" + share.split(" (")[0].replace(" ", "_")] = (
                    f"{old_seconds:.2f} s, +{old_peak - old_base:.0f} MB ({old_outcome})"
                )
                extra["ratio_vs_before_on_less"] = f"{old_seconds / max(seconds, 1e-4):,.0f}x"
            results.append(
                report(
                    f"{label} ({size:.2f} MB file): page reader refused in",
                    seconds,
                    "s",
                    5,
                    peak_rss_mb=round(peak),
                    message=outcome,
                    **extra,
                )
            )
            results.append(report(f"{label}: page reader, memory above baseline", peak - base, "MB", 300))
            results.append(
                report(
                    f"{label}: command line ({cli_args.replace(chr(39), '')}) refused in",
                    cli_seconds,
                    "s",
                    5,
                    outcome=cli_outcome,
                )
            )
            results.append(report(f"{label}: command line, memory above baseline", cli_peak - base, "MB", 300))
    return results


BENCHMARKS = {"vulnerable": bench_vulnerable, "bombs": bench_bombs, "geobombs": bench_geo_bombs}


def main(argv: list[str]) -> int:
    for name in argv or list(BENCHMARKS):
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
