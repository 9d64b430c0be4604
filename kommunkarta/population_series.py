"""The curated population series: every kommun's population on 31 December, year by
year, with the source and certainty of each year (data/population_series.csv and
data/population_series_sources.csv; see data/README.md).

Read on its own rather than as part of the Dataset: 20 000 rows that no edit changes
need not be validated on every write. The rules are the loader's: every problem by
file, row and field; invalid rows left out, everything valid kept.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import geo, paths
from .loader import _reject_duplicates, _validate_rows, code_not_name, read_rows
from .names import KommunMatcher, UnknownKommun
from .problems import Problem

SERIES_FILE = "population_series.csv"
SOURCES_FILE = "population_series_sources.csv"
COLUMNS = ["kommun_kod", "year", "population", "source", "certainty"]
SOURCE_COLUMNS = ["from_year", "to_year", "source", "certainty", "note", "note_en"]


@dataclass(frozen=True)
class PopulationSeries:
    """``values``: one row per kommun and year (kommun_kod, year, population, source,
    certainty); ``sources``: the runs of years and where they were read. A year with no
    row is not known: it is never filled in."""

    values: pd.DataFrame
    sources: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    # Computed once per series (a frozen dataclass keeps cached_property's value in its
    # __dict__): every view reads them.
    @functools.cached_property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(int(y) for y in self.values["year"].unique()))

    @functools.cached_property
    def _wide(self) -> pd.DataFrame:
        return self.values.pivot(index="kommun_kod", columns="year", values="population").astype(float)

    def wide(self) -> pd.DataFrame:
        """Kommuner × years of population (NaN where a kommun has no value); shared, not
        to be changed."""
        return self._wide

    @functools.cached_property
    def _year_sources(self) -> pd.DataFrame:
        years = set(self.years)
        rows = [
            {"year": year, **{c: run[c] for c in ("source", "certainty", "note", "note_en")}}
            for run in self.sources.to_dict("records")
            for year in range(int(run["from_year"]), int(run["to_year"]) + 1)
            if year in years
        ]
        return pd.DataFrame(rows, columns=["year", "source", "certainty", "note", "note_en"]).sort_values("year")

    def year_sources(self) -> pd.DataFrame:
        """One row per year that has values: year, source, certainty, note, note_en."""
        return self._year_sources


def empty() -> PopulationSeries:
    return PopulationSeries(pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=SOURCE_COLUMNS))


def load(data_dir: Path | str | None = None) -> PopulationSeries:
    """The series in ``data_dir`` (default: the curated data). Without the two files,
    an empty series (and no problem: the files are optional)."""
    data_dir = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    if not (data_dir / SERIES_FILE).exists() and not (data_dir / SOURCES_FILE).exists():
        return empty()
    problems: list[Problem] = []
    runs = _load_sources(data_dir, problems)
    by_year: dict[int, dict] = {}
    for run in runs:
        for year in range(run["from_year"], run["to_year"] + 1):
            by_year[year] = run
    match = KommunMatcher(geo.names_by_code())
    name = SERIES_FILE
    rows = _reject_duplicates(
        name,
        _validate_rows(name, read_rows(data_dir / name, problems), problems),
        lambda r: (r.kommun_kod.zfill(4), r.year),
        "year",
        problems,
    )
    records = []
    resolved: dict[str, str | UnknownKommun] = {}
    named: dict[tuple[str, str], bool] = {}  # (name, code): whether the name is the code's
    for line, r in rows:
        if r.kommun_kod not in resolved:
            try:
                resolved[r.kommun_kod] = match.resolve(r.kommun_kod)
            except UnknownKommun as err:
                resolved[r.kommun_kod] = err
        code = resolved[r.kommun_kod]
        if isinstance(code, UnknownKommun):
            problems.append(Problem.from_invalid(name, line, "kommun_kod", code))
            continue
        if r.kommun and (r.kommun, code) not in named:
            named[(r.kommun, code)] = match.resolve_or_none(r.kommun) == code
        if r.kommun and not named[(r.kommun, code)]:
            problems.append(code_not_name(name, line, match, r.kommun_kod, code, r.kommun))
            continue
        year_run = by_year.get(r.year)
        if year_run is None:
            problems.append(
                Problem.of(name, line, "year", "series_year_without_source", year=r.year, sources=SOURCES_FILE)
            )
            continue
        records.append((code, r.year, r.population, year_run["source"], year_run["certainty"]))
    values = pd.DataFrame.from_records(records, columns=COLUMNS)
    values = values.astype({"year": int, "population": int}) if len(values) else values
    sources = pd.DataFrame.from_records([{c: run[c] for c in SOURCE_COLUMNS} for run in runs], columns=SOURCE_COLUMNS)
    return PopulationSeries(values.sort_values(["kommun_kod", "year"]).reset_index(drop=True), sources, problems)


def _load_sources(data_dir: Path, problems: list[Problem]) -> list[dict]:
    name = SOURCES_FILE
    kept: list[dict] = []
    for line, r in _validate_rows(name, read_rows(data_dir / name, problems), problems):
        if r.to_year < r.from_year:
            problems.append(Problem.of(name, line, "to_year", "end_before_start", start=r.from_year, end=r.to_year))
            continue
        overlap = next((k for k in kept if r.from_year <= k["to_year"] and k["from_year"] <= r.to_year), None)
        if overlap is not None:
            problems.append(Problem.of(name, line, "from_year", "series_years_overlap", other_row=overlap["row"]))
            continue
        kept.append({**r.model_dump(), "row": line})
    return kept
