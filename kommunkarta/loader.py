"""Load and validate the curated data files.

Every problem is reported with file, row and field; invalid rows are left out and
everything valid is kept, so the dashboard can start on what is sound and say what
it rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from pydantic import ValidationError
from shapely.geometry import Point

from . import csv_input, geo, limits
from .i18n import t
from .names import KommunMatcher, UnknownKommun
from .problems import Invalid, Problem, has_text, place_text
from .schema import FILES, OPTIONAL_FILES, SERIES_FILES, required_columns

MAX_FILE_BYTES = limits.DATA_FILE_BYTES


@dataclass
class Dataset:
    networks: pd.DataFrame
    memberships: pd.DataFrame
    projects: pd.DataFrame
    places: pd.DataFrame
    population: pd.DataFrame
    seats: pd.DataFrame = field(default_factory=lambda: _frame([], _SEAT_COLUMNS))
    centres: pd.DataFrame = field(default_factory=lambda: _frame([], _CENTRE_COLUMNS))
    facts: pd.DataFrame = field(default_factory=lambda: _frame([], _FACT_COLUMNS))
    problems: list[Problem] = field(default_factory=list)

    def network(self, network_id: str) -> pd.Series:
        return self.networks.set_index("id").loc[network_id]

    def in_language(self, lang: str) -> Dataset:
        """The dataset as an interface in ``lang`` names its networks: in English, ``name``
        and ``short_name`` hold the English names (the Swedish ones stay in ``name_sv``
        and ``short_name_sv``), and the notes of memberships and places are their English
        ``note_en`` (a note with no English version stays as written). Names of places and
        kommuner stay as the sources write them."""
        if lang != "en":
            return self
        networks = self.networks.assign(
            name_sv=self.networks["name"],
            short_name_sv=self.networks["short_name"],
            name=self.networks["name_en"],
            short_name=self.networks["short_name_en"],
        )
        return replace(
            self,
            networks=networks,
            memberships=_english_notes(self.memberships),
            places=_english_notes(self.places),
        )


def _english_notes(frame: pd.DataFrame) -> pd.DataFrame:
    english = frame["note_en"].fillna("")
    return frame.assign(note_sv=frame["note"], note=english.where(english != "", frame["note"]))


def capped_problems(problems, per_field: int | None = None) -> tuple[list, dict[tuple[str, str], int]]:
    """The first ``per_field`` problems of each file and field, and how many more each
    has: a million bad rows would otherwise be a million lines."""
    per_field = limits.PROBLEMS_PER_FIELD if per_field is None else per_field
    seen: dict[tuple[str, str], int] = {}
    kept: list[Problem] = []
    hidden: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (problem.file, problem.field)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= per_field:
            kept.append(problem)
        else:
            hidden[key] = hidden.get(key, 0) + 1
    return kept, hidden


def capped_problem_lines(problems, per_field: int | None = None, lang: str = "sv") -> list[str]:
    """Problems as lines, capped per file and field, then one line per field that counts the rest."""
    per_field = limits.PROBLEMS_PER_FIELD if per_field is None else per_field
    kept, hidden = capped_problems(problems, per_field)
    return [p.line(lang) for p in kept] + [
        f"{place_text(file, lang)}:-:{column}: {t('problems_more_line', lang, n=n, shown=per_field)}"
        for (file, column), n in hidden.items()
    ]


def matcher() -> KommunMatcher:
    return KommunMatcher(geo.names_by_code())


def read_rows(path: Path, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV file into (line number, row) pairs (see parse_csv)."""
    name = path.name
    if not path.exists():
        problems.append(Problem.of(name, 0, "-", "file_missing"))
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
        problems.append(Problem.of(name, 0, "-", "file_too_large", size=len(raw), limit=MAX_FILE_BYTES))
        return []
    table = csv_input.read_table(name, raw, problems, delimiters=(",", ";"), max_rows=max_rows)
    if table is None:
        return []
    if table.delimiter == ";":
        problems.append(Problem.of(name, 1, "-", "semicolons", "notice"))
    return [(line, dict(zip(table.header, values))) for line, values in table.rows]


def _validate_rows(name: str, rows, problems: list[Problem]) -> list[tuple[int, Any]]:
    model = FILES[name] if name in FILES else SERIES_FILES[name]
    known = set(model.model_fields)
    valid: list[tuple[int, Any]] = []
    if rows:
        header = set(rows[0][1])
        missing = [c for c in required_columns(model) if c not in header]
        unknown = sorted(header - known)
        for column in missing:
            problems.append(Problem.of(name, 1, column, "column_missing"))
        for column in unknown:
            problems.append(Problem.of(name, 1, column, "column_unknown"))
        if missing:
            return []
    for line, row in rows:
        row = {k: v for k, v in row.items() if k in known}
        try:
            valid.append((line, model.model_validate(row)))
        except ValidationError as err:
            for error in err.errors():
                field_name = ".".join(str(p) for p in error["loc"]) or "-"
                problems.append(_pydantic_problem(name, line, field_name, error))
    return valid


def _pydantic_problem(name: str, line: int, field_name: str, error: Mapping[str, Any]) -> Problem:
    """A validation error as a problem: ours (Invalid) with its code and parameters, one of
    pydantic's own with its message (English; see problem_pydantic_* for the Swedish)."""
    err = (error.get("ctx") or {}).get("error")
    if isinstance(err, Invalid):
        return Problem.from_invalid(name, line, field_name, err)
    message = error["msg"].removeprefix("Value error, ")
    code = f"pydantic_{error['type']}"
    if not has_text(code):
        return Problem(name, line, field_name, message)
    params = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (str, int, float))}
    params["input"] = str(error.get("input", ""))[:40]
    return Problem(name, line, field_name, message, "error", code, params)


def _reject_duplicates(name: str, rows, key, label: str, problems: list[Problem]):
    seen: dict[object, int] = {}
    kept = []
    for line, row in rows:
        k = key(row)
        if k in seen:
            problems.append(Problem.of(name, line, label, "duplicate", other_row=seen[k]))
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
    facts = _load_facts(context, network_ids)
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
        facts=_frame(facts, _FACT_COLUMNS),
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
            self.report(name, line, "geonameid", "geonameid_unknown", geonameid=geonameid)
            return None
        return places().loc[geonameid]

    def report(self, name: str, line: int, field_name: str, code: str, **params) -> None:
        self.problems.append(Problem.of(name, line, field_name, code, **params))

    def report_invalid(self, name: str, line: int, field_name: str, err: Invalid) -> None:
        self.problems.append(Problem.from_invalid(name, line, field_name, err))

    def known_network(self, name: str, line: int, network_id: str, network_ids: set[str]) -> bool:
        if network_id and network_id not in network_ids:
            self.report(name, line, "network_id", "network_unknown", network=network_id)
            return False
        return True

    def kommun_codes(self, name: str, line: int, field_name: str, text: str) -> list[str] | None:
        """Codes for a "; "-separated list of kommun names or codes; None if any is unknown."""
        codes, unknown = [], []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            try:
                codes.append(self.match.resolve(part))
            except UnknownKommun as err:
                unknown.append(err)
        if len(unknown) == 1:
            self.report_invalid(name, line, field_name, unknown[0])
        elif unknown:
            self.report(name, line, field_name, "several", parts=[(err.code, err.params) for err in unknown])
        if unknown:
            return None
        return codes


def _load_networks(context: _Context):
    name = "networks.csv"
    networks = _reject_duplicates(name, context.rows(name), lambda r: r.id, "id", context.problems)
    ids = {r.id for _, r in networks}
    kept = []
    for line, r in networks:
        if r.related_to and r.related_to not in ids:
            context.report(name, line, "related_to", "network_unknown", network=r.related_to)
            continue
        kept.append((line, r))
    return kept


def code_not_name(name: str, line: int, match: KommunMatcher, kommun_kod: str, code: str, given: str) -> Problem:
    """The row's kommun code and kommun name are two kommuner: ``code`` is the one the
    code names, ``given`` the name written beside it."""
    return Problem.of(
        name, line, "kommun_kod", "code_not_name", kommun_kod=kommun_kod, kommun=match.name(code), given=given
    )


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
                context.report_invalid(name, line, field_name, err)
                continue
            if r.kommun_kod and r.name and match.resolve_or_none(r.name) != code:
                context.problems.append(code_not_name(name, line, match, r.kommun_kod, code, r.name))
                continue
            display = match.name(code)
        elif r.kommun_kod:
            context.report(name, line, "kommun_kod", "code_only_swedish")
            continue
        elif not r.name:
            context.report(name, line, "name", "name_required_abroad")
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
            context.report(name, line, "kommun", "kommun_required")
            continue
        if r.lat is not None and codes:
            outside = _point_outside_kommuner(r.lat, r.lon, codes, shapes)
            if outside:
                context.report(name, line, "lat", outside[0], **outside[1])
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
            context.report_invalid(name, line, "kommun_kod", err)
    missing = sorted(set(context.match.names_by_code) - {code for _, _, code in kept})
    if kept and missing:
        names = ", ".join(context.match.name(c) for c in missing[:5])
        context.report(name, 0, "kommun_kod", "population_missing", n=len(missing), names=names)
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
        if codes is None or place is None:
            continue
        outside = _point_outside_kommuner(place["lat"], place["lon"], codes, shapes)
        if outside:
            context.report(name, line, "geonameid", outside[0], **outside[1])
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
                "centre_wrong_country",
                geonameid=r.geonameid,
                place=place["name"],
                country=place["country"],
                expected=r.country,
            )
            continue
        kept.append({**r.model_dump(), "lat": float(place["lat"]), "lon": float(place["lon"]), "row": line})
    return kept


def _load_facts(context: _Context, network_ids: set[str]) -> list[dict]:
    """Figures and facts of the sources about a network (read from the folder, not the database)."""
    name = "facts.csv"
    kept = []
    for line, r in _reject_duplicates(name, context.rows(name), lambda r: (r.network_id, r.id), "id", context.problems):
        if context.known_network(name, line, r.network_id, network_ids):
            kept.append({**r.model_dump(), "date": _text(r.date), "row": line})
    return kept


def _point_outside_kommuner(lat: float, lon: float, codes: list[str], shapes: gpd.GeoDataFrame) -> tuple | None:
    """None for a point in or near the kommuner; else (problem code, its parameters)."""
    point = gpd.GeoSeries([Point(lon, lat)], crs=geo.WGS84).to_crs(geo.SWEREF99TM).iloc[0]
    outlines = shapes.loc[codes].geometry.to_crs(geo.SWEREF99TM)
    distance = outlines.distance(point).min()
    if distance <= geo.BOUNDARY_TOLERANCE_M:
        return None
    actual = shapes[shapes.contains(Point(lon, lat))]
    params = {
        "lat": lat,
        "lon": lon,
        "km": round(float(distance) / 1000, 1),
        "kommuner": ", ".join(shapes.loc[codes, "kommun"]),
    }
    if len(actual):
        return "point_outside_kommun_in", {**params, "actual": actual["kommun"].iloc[0]}
    return "point_outside_kommun", params


def _text(value) -> str:
    return "" if value is None else str(value)


_NETWORK_COLUMNS = [
    "id",
    "name",
    "short_name",
    "name_en",
    "short_name_en",
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
    "note_en",
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
_SEAT_COLUMNS: list[str] = ["kommun_kod", "seat", "geonameid", "source", "certainty", "note", "row"]
_CENTRE_COLUMNS: list[str] = ["name", "country", "centre", "geonameid", "source", "certainty", "lat", "lon", "row"]
_FACT_COLUMNS: list[str] = [
    "network_id",
    "id",
    "label",
    "label_en",
    "value",
    "approximate",
    "date",
    "source",
    "certainty",
    "note",
    "note_en",
    "row",
]
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
    "note_en",
    "row",
]


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)


def _network_record(line, r) -> dict:
    # Legends and layer lists use the short name; it defaults to the full one. The
    # English names default to the English full name, and then to the Swedish names.
    return {
        **r.model_dump(),
        "short_name": r.short_name or r.name,
        "name_en": r.name_en or r.name,
        "short_name_en": r.short_name_en or r.name_en or r.short_name or r.name,
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
