"""Load and validate the curated data files.

Every problem is reported with file, row and field; invalid rows are left out and
everything valid is kept, so the dashboard can start on what is sound and say what
it rejected.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pydantic import ValidationError
from shapely.geometry import Point

from . import geo
from .names import KommunMatcher, UnknownKommun
from .schema import FILES, required_columns

MAX_FILE_BYTES = 20 * 1024 * 1024
# A place's point may lie this far outside its kommun (coast lines are simplified).
PLACE_TOLERANCE_M = 3_000


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # line in the file; 1 is the header
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.field}: {self.message}"


@dataclass
class Dataset:
    networks: pd.DataFrame
    memberships: pd.DataFrame
    projects: pd.DataFrame
    places: pd.DataFrame
    population: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def network(self, network_id: str) -> pd.Series:
        return self.networks.set_index("id").loc[network_id]


def matcher() -> KommunMatcher:
    return KommunMatcher(geo.names_by_code())


def read_rows(path: Path, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV file into (line number, row) pairs.

    Accepts what spreadsheet programs write (a BOM, semicolons, Windows-1252) but
    reports it, since the curated files are meant to be UTF-8 with commas.
    """
    name = path.name
    if not path.exists():
        problems.append(Problem(name, 0, "-", "filen saknas"))
        return []
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(name, 0, "-", f"filen är {len(raw):,} byte; gränsen är {MAX_FILE_BYTES:,}"))
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(Problem(name, line, "-", "filen är inte UTF-8; den lästes som Windows-1252 – spara den som UTF-8"))
        text = raw.decode("cp1252", errors="replace")
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    if delimiter == ";":
        problems.append(Problem(name, 1, "-", "filen använder semikolon som avgränsare; den lästes ändå, men spara den med komma"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(name, 1, "-", "filen är tom"))
        return []
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(Problem(name, line, "-", f"raden har {len(values)} fält men rubriken har {len(header)} (saknas citattecken kring en text med komma?)"))
            continue
        rows.append((line, dict(zip(header, values))))
    return rows


def _validate_rows(name: str, rows, problems: list[Problem]) -> list[tuple[int, object]]:
    model = FILES[name]
    known = set(model.model_fields)
    valid = []
    if rows:
        header = set(rows[0][1])
        missing = [c for c in required_columns(model) if c not in header]
        unknown = sorted(header - known)
        for column in missing:
            problems.append(Problem(name, 1, column, "kolumnen saknas"))
        for column in unknown:
            problems.append(Problem(name, 1, column, "okänd kolumn (stavfel?); den lästes inte"))
        if missing:
            return []
    for line, row in rows:
        row = {k: v for k, v in row.items() if k in known}
        try:
            valid.append((line, model.model_validate(row)))
        except ValidationError as err:
            for error in err.errors():
                field_name = ".".join(str(p) for p in error["loc"]) or "-"
                message = error["msg"].removeprefix("Value error, ")
                problems.append(Problem(name, line, field_name, message))
    return valid


def _reject_duplicates(name: str, rows, key, label: str, problems: list[Problem]):
    seen: dict[object, int] = {}
    kept = []
    for line, row in rows:
        k = key(row)
        if k in seen:
            problems.append(Problem(name, line, label, f"dubblett av rad {seen[k]}"))
            continue
        seen[k] = line
        kept.append((line, row))
    return kept


def load_dataset(data_dir: Path | str) -> Dataset:
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    match = matcher()
    kommun_shapes = geo.kommuner().set_index("kommun_kod")

    def rows_of(name):
        return _validate_rows(name, read_rows(data_dir / name, problems), problems)

    # networks
    networks = _reject_duplicates("networks.csv", rows_of("networks.csv"), lambda r: r.id, "id", problems)
    network_ids = {r.id for _, r in networks}
    kept_networks = []
    for line, r in networks:
        if r.related_to and r.related_to not in network_ids:
            problems.append(Problem("networks.csv", line, "related_to", f"okänt nätverk '{r.related_to}'"))
            continue
        kept_networks.append((line, r))

    # memberships
    memberships = []
    for line, r in rows_of("memberships.csv"):
        if r.network_id not in network_ids:
            problems.append(Problem("memberships.csv", line, "network_id", f"okänt nätverk '{r.network_id}'"))
            continue
        if r.country == "SE":
            try:
                code = match.resolve(r.kommun_kod or r.name)
                if r.kommun_kod and r.name and match.resolve(r.name) != code:
                    raise UnknownKommun(f"{r.kommun_kod}/{r.name}", [])
            except UnknownKommun as err:
                field_name = "kommun_kod" if r.kommun_kod else "name"
                if err.text.count("/"):
                    message = f"kommunkoden {r.kommun_kod} ({match.names_by_code.get(code, '?')}) stämmer inte med namnet '{r.name}'"
                else:
                    message = str(err)
                problems.append(Problem("memberships.csv", line, field_name, message))
                continue
            display = match.name(code)
        else:
            if r.kommun_kod:
                problems.append(Problem("memberships.csv", line, "kommun_kod", "kommunkod anges bara för svenska kommuner"))
                continue
            if not r.name:
                problems.append(Problem("memberships.csv", line, "name", "namn krävs för finska och norska kommuner"))
                continue
            code, display = "", r.name
        memberships.append((line, r, code, display))
    deduped = _reject_duplicates(
        "memberships.csv",
        [(line, (r, code, display)) for line, r, code, display in memberships],
        lambda t: (t[0].network_id, t[1] or t[2].casefold(), t[0].country, t[0].role),
        "role",
        problems,
    )

    # projects
    projects = []
    for line, r in _reject_duplicates("projects.csv", rows_of("projects.csv"), lambda r: r.id, "id", problems):
        if r.network_id and r.network_id not in network_ids:
            problems.append(Problem("projects.csv", line, "network_id", f"okänt nätverk '{r.network_id}'"))
            continue
        codes, bad = [], []
        for part in filter(None, (p.strip() for p in r.kommuner.split(";"))):
            try:
                codes.append(match.resolve(part))
            except UnknownKommun as err:
                bad.append(str(err))
        if bad:
            problems.append(Problem("projects.csv", line, "kommuner", "; ".join(bad)))
            continue
        projects.append((line, r, codes))

    # places
    places = []
    for line, r in _reject_duplicates("places.csv", rows_of("places.csv"), lambda r: r.id, "id", problems):
        if r.network_id and r.network_id not in network_ids:
            problems.append(Problem("places.csv", line, "network_id", f"okänt nätverk '{r.network_id}'"))
            continue
        codes, bad = [], []
        for part in filter(None, (p.strip() for p in r.kommun.split(";"))):
            try:
                codes.append(match.resolve(part))
            except UnknownKommun as err:
                bad.append(str(err))
        if bad:
            problems.append(Problem("places.csv", line, "kommun", "; ".join(bad)))
            continue
        if not codes and r.precision != "unknown":
            problems.append(Problem("places.csv", line, "kommun", "kommun krävs (utom när precision är 'unknown')"))
            continue
        if r.lat is not None and codes:
            message = _point_outside_kommuner(r.lat, r.lon, codes, kommun_shapes)
            if message:
                problems.append(Problem("places.csv", line, "lat", message))
                continue
        places.append((line, r, codes))

    # population
    population = []
    for line, r in _reject_duplicates("population.csv", rows_of("population.csv"), lambda r: r.kommun_kod.zfill(4), "kommun_kod", problems):
        try:
            code = match.resolve(r.kommun_kod)
        except UnknownKommun as err:
            problems.append(Problem("population.csv", line, "kommun_kod", str(err)))
            continue
        population.append((line, r, code))
    missing = sorted(set(match.names_by_code) - {code for _, _, code in population})
    if population and missing:
        names = ", ".join(match.name(c) for c in missing[:5])
        problems.append(Problem("population.csv", 0, "kommun_kod", f"{len(missing)} kommuner saknar folkmängd ({names}…)"))

    return Dataset(
        networks=_frame([_network_record(line, r) for line, r in kept_networks], _NETWORK_COLUMNS),
        memberships=_frame([_membership_record(line, *t) for line, t in deduped], _MEMBERSHIP_COLUMNS),
        projects=_frame([_project_record(line, r, codes) for line, r, codes in projects], _PROJECT_COLUMNS),
        places=_frame([_place_record(line, r, codes) for line, r, codes in places], _PLACE_COLUMNS),
        population=_frame(
            [{"kommun_kod": code, "population": r.population, "date": r.date, "source": r.source} for _, r, code in population],
            ["kommun_kod", "population", "date", "source"],
        ),
        problems=problems,
    )


def _point_outside_kommuner(lat: float, lon: float, codes: list[str], shapes: gpd.GeoDataFrame) -> str | None:
    point = gpd.GeoSeries([Point(lon, lat)], crs=geo.WGS84).to_crs(geo.SWEREF99TM).iloc[0]
    outlines = shapes.loc[codes].geometry.to_crs(geo.SWEREF99TM)
    distance = outlines.distance(point).min()
    if distance <= PLACE_TOLERANCE_M:
        return None
    actual = shapes[shapes.contains(Point(lon, lat))]
    where = f"; punkten ligger i {actual['kommun'].iloc[0]}" if len(actual) else ""
    return f"punkten {lat}, {lon} ligger {distance / 1000:.1f} km utanför {', '.join(shapes.loc[codes, 'kommun'])}{where}"


def _text(value) -> str:
    return "" if value is None else str(value)


_NETWORK_COLUMNS = ["id", "name", "short_name", "name_en", "kind", "organiser", "funder", "start", "end", "description", "unknowns", "related_to", "color", "source", "certainty", "row"]
_MEMBERSHIP_COLUMNS = ["network_id", "kommun_kod", "name", "country", "role", "since", "until", "source", "certainty", "note", "row"]
_PROJECT_COLUMNS = ["id", "name", "kommun_kods", "network_id", "start", "start_precision", "end", "end_precision", "funders", "partners", "theme", "description", "source", "certainty", "row"]
_PLACE_COLUMNS = ["id", "name", "kommun_kods", "kind", "network_id", "lat", "lon", "precision", "coord_source", "coord_certainty", "source", "certainty", "note", "row"]


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)


def _network_record(line, r) -> dict:
    # Legends and layer lists use the short name; it defaults to the full one.
    return {**r.model_dump(), "short_name": r.short_name or r.name, "start": _text(r.start), "end": _text(r.end), "row": line}


def _membership_record(line, r, code, display) -> dict:
    return {**r.model_dump(), "kommun_kod": code, "name": display, "since": _text(r.since), "until": _text(r.until), "row": line}


def _project_record(line, r, codes) -> dict:
    record = r.model_dump(exclude={"kommuner"})
    return {
        **record,
        "kommun_kods": tuple(codes),
        "start": _text(r.start),
        "start_precision": r.start.precision if r.start else "",
        "end": _text(r.end),
        "end_precision": r.end.precision if r.end else "",
        "row": line,
    }


def _place_record(line, r, codes) -> dict:
    return {**r.model_dump(exclude={"kommun"}), "kommun_kods": tuple(codes), "row": line}
