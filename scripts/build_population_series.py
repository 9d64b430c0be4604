"""Build the curated population series in data/ from the research file in
../shared/research/kommun_population (see its PROVENANCE.txt).

    .venv/bin/python scripts/build_population_series.py [--shared ../shared/research/kommun_population]

Writes
- data/population_series.csv: kommun_kod, kommun, year, population (31 December,
  today's kommun borders), one row per kommun and year that the research holds;
- data/population_series_sources.csv: for each run of years, where the
  values were read (source), how surely (certainty) and what was checked (note).

The research file's column ``kalla`` (A, B, C) names the origin of each value; the
years of each origin, and their certainty, are taken from PROVENANCE.txt and checked
here against the file: a value whose year and origin disagree with the table below
stops the build. Nothing is interpolated: missing years stay missing.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

# (first year, last year, origin in the research file, source, certainty, note, note in English); from PROVENANCE.txt.
A_URL = "https://github.com/odectra/popu-sweden/blob/13b654d0bc234bb30c78068a8f2abc754df2b6c9/data/folkmangd.csv"
B_URL = "https://github.com/mattiasnordin/Regression/blob/9f8e7e318ea1de961081fde3441e6a9702535134/data/raw/municip_data.csv"
C_URL = (
    "https://github.com/manserlandsson/prikko/blob/0b9682a3d6915dd78e3af572c496d729eeef2152/pipeline/data/kommuner.json"
)
RUNS = [
    (
        1950,
        1999,
        "A",
        A_URL,
        "likely",
        "SCB BE0101 (folkmängd 31 dec, dagens kommungränser); samma serie som 2000–2019, men åren före 2000 är inte kontrollerade mot rikets summa",
        "SCB BE0101 (population on 31 Dec, today's kommun borders); the same series as 2000–2019, but the years before 2000 are not checked against Sweden's total",
    ),
    (
        2000,
        2019,
        "A",
        A_URL,
        "stated",
        "SCB BE0101 (folkmängd 31 dec, dagens kommungränser); de 290 kommunerna summerar till rikets folkmängd varje år 2000–2019 (2019: 10 327 589); stämmer med Region Hallands och regionfakta.com:s (Norrbotten) siffror",
        "SCB BE0101 (population on 31 Dec, today's kommun borders); the 290 kommuner sum to Sweden's population every year 2000–2019 (2019: 10 327 589); agrees with Region Halland's and regionfakta.com's (Norrbotten) figures",
    ),
    (
        2021,
        2021,
        "B",
        B_URL,
        "stated",
        "SCB (Statistikdatabasen) via en läroboks data; de 290 kommunerna summerar till rikets 10 452 326",
        "SCB (Statistical Database) via a textbook's data; the 290 kommuner sum to Sweden's 10 452 326",
    ),
    (
        2025,
        2025,
        "C",
        C_URL,
        "stated",
        "SCB via Kolada (N01951), samma värden som population.csv; summa 10 605 520",
        "SCB via Kolada (N01951), the same values as population.csv; sum 10 605 520",
    ),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "research" / "kommun_population")
    args = parser.parse_args()
    source = args.shared / "kommun_folkmangd_1950_2025.csv"
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    origin_of = {year: origin for first, last, origin, *_ in RUNS for year in range(first, last + 1)}
    out = []
    for line, row in enumerate(rows, start=2):
        year = int(row["ar"])
        if origin_of.get(year) != row["kalla"]:
            print(
                f"{source}:{line}: year {year} read from {row['kalla']}, expected {origin_of.get(year)}",
                file=sys.stderr,
            )
            return 1
        out.append(
            {
                "kommun_kod": row["kommunkod"],
                "kommun": row["kommun"],
                "year": year,
                "population": int(row["folkmangd_31dec"]),
            }
        )
    out.sort(key=lambda r: (r["kommun_kod"], r["year"]))
    with (DATA / "population_series.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["kommun_kod", "kommun", "year", "population"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    with (DATA / "population_series_sources.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["from_year", "to_year", "source", "certainty", "note", "note_en"])
        for first, last, _, url, certainty, note, note_en in RUNS:
            writer.writerow([first, last, url, certainty, note, note_en])
    print(f"{len(out)} rows, {len({r['kommun_kod'] for r in out})} kommuner, {len({r['year'] for r in out})} years")
    return 0


if __name__ == "__main__":
    sys.exit(main())
