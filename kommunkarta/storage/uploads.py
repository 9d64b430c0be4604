"""Edits and uploads turned into row changes, with a preview before anything is written.

An upload (CSV in any spreadsheet dialect, or an Excel workbook with a sheet per
table) either adds and updates rows by their key (``upsert``) or replaces (``replace``,
which also removes the rows it lacks: of the whole table, or for memberships of the
networks the upload names). A column the upload does
not have keeps the stored value. The preview lists added, changed and removed rows
and every problem by file, row and field; :func:`kommunkarta.store.apply` then writes
it in one transaction.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Literal

import pandas as pd
from sqlalchemy import Engine

from .. import limits
from ..format import swedish_decimal
from ..loader import Problem, matcher, parse_csv
from ..problems import database_label
from ..schema import FILES
from ..schema import required_columns as _required
from . import db, store

Mode = Literal["upsert", "replace"]
MAX_UPLOAD_BYTES = limits.UPLOAD_BYTES

# Names a file or sheet may have for each table (file stem or sheet title, any case).
_TABLE_NAMES = {
    "networks": {"networks", "nätverk", "natverk"},
    "memberships": {"memberships", "medlemskap", "medlemmar"},
    "projects": {"projects", "projekt"},
    "places": {"places", "platser"},
}


# The columns that identify a row (memberships also need kommun_kod or name).
_KEY_COLUMNS = {
    "networks": ["id"],
    "memberships": ["network_id", "country", "role"],
    "projects": ["id"],
    "places": ["id"],
}


@dataclass
class Sheet:
    """The rows of one table in an upload."""

    label: str  # how problems name it: the file, and the sheet of a workbook
    table: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


@dataclass
class Preview:
    changes: list[store.RowChange] = field(default_factory=list)
    before: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)  # stored values of changed rows
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)  # errors: nothing may be written
    notices: list[Problem] = field(default_factory=list)  # read as meant, but worth saying
    conflicts: list[store.Conflict] = field(default_factory=list)

    def rows(self, action: str) -> list[store.RowChange]:
        return [c for c in self.changes if c.action == action]

    @property
    def can_write(self) -> bool:
        return bool(self.changes) and not self.problems and not self.conflicts


def table_named(name: str) -> str | None:
    lowered = name.strip().casefold()
    return next((t for t, names in _TABLE_NAMES.items() if lowered in names), None)


def detect_table(columns: list[str]) -> str | None:
    """The one table that knows every column and has its key among them (or, of
    several, the one whose required columns are all there); None when unclear."""
    fitting = [
        t for t in db.CURATED if set(columns) <= set(db.DATA_COLUMNS[t]) and set(_KEY_COLUMNS[t]) <= set(columns)
    ]
    if len(fitting) > 1:
        fitting = [t for t in fitting if set(_required(FILES[db.FILE_OF[t]])) <= set(columns)]
    return fitting[0] if len(fitting) == 1 else None


def read_upload(name: str, raw: bytes, table: str | None = None) -> tuple[list[Sheet], list[Problem]]:
    """The sheets of an uploaded file, and what is wrong with it as a whole.

    ``table`` says which table a CSV file or a one-sheet workbook holds; without it
    the file's or sheet's name, or else its columns, decide."""
    name = PurePath(name).name
    if len(raw) > MAX_UPLOAD_BYTES:
        return [], [
            Problem.of(
                name,
                0,
                "-",
                "upload_too_large",
                size_sv=swedish_decimal(len(raw) / 1e6),
                size=f"{len(raw) / 1e6:.1f}",
                limit=f"{MAX_UPLOAD_BYTES / 1e6:.0f}",
            )
        ]
    problems: list[Problem] = []
    if raw[:4] == b"PK\x03\x04":
        refused = workbook_problem(name, raw)
        if refused:
            return [], [refused]
        try:
            sheets = _read_workbook(name, raw, table, problems)
        except SyntaxError as err:  # malformed XML in a part: lxml's and ElementTree's errors
            return [], [Problem.of(name, 0, "-", "workbook_unreadable", error=f"XML: {err}"[:300])]
    elif name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        return [], [Problem.of(name, 0, "-", "not_a_workbook")]
    else:
        rows = parse_csv(name, raw, problems)
        columns = list(rows[0][1]) if rows else []
        chosen = table or table_named(PurePath(name).stem) or detect_table(columns)
        sheets = [Sheet(name, chosen, columns, rows)] if chosen and rows else []
        if rows and not chosen:
            problems.append(_undetected(name, columns))
    if not sheets and not any(p.level == "error" for p in problems):
        # Nothing to read must not read as "remove everything" to a replacing upload.
        problems.append(Problem.of(name, 0, "-", "no_rows"))
    for sheet in sheets:
        problems += _header_problems(sheet)
        problems += _formula_problems(sheet)
    return sheets, problems


# (a sheet beside others, any columns) -> problem code
_UNDETECTED = {
    (False, True): "table_unclear",
    (False, False): "table_unclear_no_columns",
    (True, True): "sheet_not_read_table_unclear",
    (True, False): "sheet_not_read_table_unclear_no_columns",
}


def _undetected(label: str, columns: list[str], notice: bool = False) -> Problem:
    names = ", ".join(sorted(n for names in _TABLE_NAMES.values() for n in names if n.isascii()))
    return Problem.of(
        label,
        1,
        "-",
        _UNDETECTED[notice, bool(columns)],
        "notice" if notice else "error",
        columns=", ".join(columns),
        names=names,
    )


def workbook_problem(name: str, raw: bytes) -> Problem | None:
    """Why a workbook (a zip) is refused before anything in it is unpacked: too many
    parts, or parts that unpack to more than the limits (a 0.5 MB file can hold a
    500 MB cell). The sizes are the zip directory's; Python's zipfile never unpacks
    more than a part's stated size, so a file cannot lie its way past them."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        return Problem.of(name, 0, "-", "workbook_unreadable", error=str(err))
    mb = limits.MB
    if len(parts) > limits.WORKBOOK_PARTS:
        return Problem.of(name, 0, "-", "workbook_parts", n=len(parts), limit=limits.WORKBOOK_PARTS)
    biggest = max(parts, key=lambda p: p.file_size, default=None)
    if biggest is not None and biggest.file_size > limits.WORKBOOK_PART_BYTES:
        return Problem.of(
            name,
            0,
            "-",
            "workbook_part_size",
            part=biggest.filename,
            mb=round(biggest.file_size / mb),
            limit=limits.WORKBOOK_PART_BYTES // mb,
        )
    total = sum(p.file_size for p in parts)
    if total > limits.WORKBOOK_UNCOMPRESSED_BYTES:
        return Problem.of(
            name, 0, "-", "workbook_total_size", mb=round(total / mb), limit=limits.WORKBOOK_UNCOMPRESSED_BYTES // mb
        )
    return None


def _read_workbook(name: str, raw: bytes, table: str | None, problems: list[Problem]) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        # Formulas are read as written (data_only=False) so that they can be refused.
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        problems.append(Problem.of(name, 0, "-", "workbook_unreadable", error=str(err)))
        return []
    sheets, unread = [], []
    worksheets = book.worksheets
    for sheet in worksheets:
        label = f"{name} [{sheet.title}]"
        # The sheet's own claim of its size (its dimension) is not believed: rows and
        # columns are counted while reading, and the reading stops one past the limits.
        sheet.reset_dimensions()
        rows_iter = sheet.iter_rows(values_only=True, max_col=limits.TABLE_COLUMNS + 1, max_row=limits.TABLE_ROWS + 2)
        try:
            header = [store.cell_text(v) for v in next(rows_iter)]
        except StopIteration:
            continue
        while header and not header[-1]:
            header.pop()
        if len(header) > limits.TABLE_COLUMNS:
            problems.append(Problem.of(label, 1, "-", "sheet_too_many_columns", limit=limits.TABLE_COLUMNS))
            book.close()
            return []
        chosen = table_named(sheet.title) or (table if len(worksheets) == 1 else None) or detect_table(header)
        if not chosen or not any(header):
            if any(header):
                unread.append(_undetected(label, header, notice=True))
            continue
        rows = []
        # A formula cell reads as its text ("=A1+1"), which _formula_problems refuses.
        for number, values in enumerate(rows_iter, start=2):
            if number > limits.TABLE_ROWS + 1:
                problems.append(Problem.of(label, number, "-", "sheet_too_many_rows", limit=limits.TABLE_ROWS))
                book.close()
                return []
            values = list(values[: len(header)]) + [None] * (len(header) - len(values))
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            rows.append((number, _cells(label, number, header, values, problems)))
        if not rows:  # an empty sheet must not read as "remove everything" when replacing
            unread.append(Problem.of(label, 2, "-", "sheet_empty", "notice"))
            continue
        sheets.append(Sheet(label, chosen, header, rows))
    book.close()
    # A sheet beside the tables (notes, sources) is said but does not stop the upload;
    # a workbook with no table in it does.
    problems += [p if sheets else replace(p, level="error") for p in unread]
    return sheets


def _cells(label: str, number: int, header: list[str], values, problems: list[Problem]) -> dict[str, str]:
    """A row's cells as text; a cell longer than limits.CELL_CHARS is a problem of its
    row and field, and only its beginning is kept (for the message)."""
    cells = {}
    for column, value in zip(header, values):
        text = store.cell_text(value)
        if len(text) > limits.CELL_CHARS:
            problems.append(Problem.of(label, number, column, "cell_too_long", n=len(text), limit=limits.CELL_CHARS))
            text = text[: limits.CELL_CHARS]
        cells[column] = text
    return cells


def _header_problems(sheet: Sheet) -> list[Problem]:
    problems = []
    known = db.DATA_COLUMNS[sheet.table]
    for column in sheet.columns:
        if column not in known:
            problems.append(
                Problem.of(
                    sheet.label, 1, column or "-", "column_unknown_for", table=sheet.table, known=", ".join(known)
                )
            )
    seen = set()
    for column in sheet.columns:
        if column in seen:
            problems.append(Problem.of(sheet.label, 1, column, "column_twice"))
        seen.add(column)
    for column in _KEY_COLUMNS[sheet.table]:
        if column not in sheet.columns:
            problems.append(Problem.of(sheet.label, 1, column, "key_column_missing"))
    if sheet.table == "memberships" and not {"kommun_kod", "name"} & set(sheet.columns):
        problems.append(Problem.of(sheet.label, 1, "name", "kommun_column_missing"))
    return problems


def _formula_problems(sheet: Sheet) -> list[Problem]:
    return [
        Problem.of(sheet.label, line, column, "formula_cell", value=value[:40])
        for line, row in sheet.rows
        for column, value in row.items()
        if value.startswith("=")
    ]


def plan_upload(engine: Engine, sheets: list[Sheet], mode: Mode, reading_problems: Sequence[Problem] = ()) -> Preview:
    """What writing the upload would change, and every problem with it; writes nothing."""
    preview = Preview(
        problems=[p for p in reading_problems if p.level == "error"],
        notices=[p for p in reading_problems if p.level != "error"],
    )
    if preview.problems or not sheets:
        return preview
    state = store.current_state(engine)
    match = matcher()
    for sheet in sheets:
        _plan_sheet(sheet, state[sheet.table], mode, match, preview)
    if preview.problems:
        preview.problems.sort(key=lambda p: (p.file, p.row))
        return preview
    problems, conflicts = store.check(engine, preview.changes, state=state)
    preview.problems += sorted(problems, key=lambda p: (p.file, p.row))
    preview.conflicts += conflicts
    return preview


def _plan_sheet(sheet: Sheet, stored: dict[int, store.StoredRow], mode: Mode, match, preview: Preview) -> None:
    table = sheet.table
    by_key = {store.natural_key(table, r.values): r for r in stored.values()}
    seen: dict[tuple, int] = {}
    for line, raw in sheet.rows:
        values = store.canonical(table, raw, match)
        key = store.natural_key(table, values)
        if key in seen:
            field_name = "role" if table == "memberships" else "id"
            preview.problems.append(
                Problem.of(
                    sheet.label,
                    line,
                    field_name,
                    "duplicate_key",
                    other_row=seen[key],
                    key=store.key_text(table, values),
                )
            )
            continue
        seen[key] = line
        current = by_key.get(key)
        if current is None:
            preview.changes.append(store.RowChange(table, "insert", values=values, origin=(sheet.label, line)))
            continue
        # Columns the upload lacks keep their stored values.
        merged = store.canonical(table, {**current.values, **{c: raw[c] for c in sheet.columns if c in raw}}, match)
        if merged == current.values:
            preview.unchanged += 1
            continue
        preview.before[(table, current.row_id)] = current.values
        preview.changes.append(
            store.RowChange(table, "update", current.row_id, merged, current.version, (sheet.label, line))
        )
    if mode == "replace":
        # A membership list replaces the members of the networks it names, so that a
        # coordinator can upload their network's list without touching the others.
        networks = {k[0] for k in seen} if table == "memberships" else None
        for key, current in by_key.items():
            if key not in seen and (networks is None or key[0] in networks):
                preview.before[(table, current.row_id)] = current.values
                preview.changes.append(
                    store.RowChange(
                        table, "delete", current.row_id, None, current.version, (database_label(table), current.row_id)
                    )
                )


def editor_state_ok(state, rows: int, columns: list[str]) -> bool:
    """Whether a table editor's state (as the browser sends it) can be applied to a
    snapshot of ``rows`` rows with ``columns``: edited and deleted positions in range,
    cells only of known columns. A crafted state is not."""
    if not isinstance(state, dict):
        return False
    edited, added, deleted = state.get("edited_rows", {}), state.get("added_rows", []), state.get("deleted_rows", [])
    known = set(columns)

    def position(value) -> bool:
        try:
            return 0 <= int(value) < rows
        except (TypeError, ValueError):
            return False

    def cells(value) -> bool:
        return isinstance(value, dict) and all(isinstance(c, str) and c in known for c in value)

    return (
        isinstance(edited, dict)
        and all(position(p) and cells(c) for p, c in edited.items())
        and isinstance(added, list)
        and all(cells(c) for c in added)
        and isinstance(deleted, list)
        and all(position(p) for p in deleted)
    )


def editor_changes(
    table: str,
    original: list[store.StoredRow],
    edited: dict,
    added: list[dict],
    deleted: list[int],
    label: str,
    defaults: dict[str, str] | None = None,
) -> list[store.RowChange]:
    """Row changes from a table editor's delta (Streamlit's data_editor state): edited
    rows by position with the changed cells, added rows (``defaults`` fill the cells
    left empty: a network's members get its id), deleted positions. The versions are
    those the editor was shown, so a row saved by someone else meanwhile is a
    conflict, not an overwrite."""
    match = matcher()
    changes = []
    for position, cells in sorted(edited.items(), key=lambda item: int(item[0])):
        row = original[int(position)]
        values = store.canonical(table, {**row.values, **{c: store.cell_text(v) for c, v in cells.items()}}, match)
        if values != row.values:
            changes.append(
                store.RowChange(table, "update", row.row_id, values, row.version, (label, int(position) + 1))
            )
    for n, cells in enumerate(added, start=len(original) + 1):
        typed = {c: store.cell_text(v) for c, v in cells.items() if store.cell_text(v)}
        if typed:
            changes.append(
                store.RowChange(
                    table,
                    "insert",
                    values=store.canonical(table, {**(defaults or {}), **typed}, match),
                    origin=(label, n),
                )
            )
    for position in sorted(deleted):
        row = original[int(position)]
        changes.append(store.RowChange(table, "delete", row.row_id, None, row.version, (label, int(position) + 1)))
    return changes


def table_file(table: str, rows: list[store.StoredRow], fmt: Literal["xlsx", "csv"]) -> bytes:
    """A table's rows as a file to edit in a spreadsheet and upload again: a workbook
    whose sheet is named after the table, or CSV as Swedish Excel opens it."""
    from ..outputs import formats

    frame = pd.DataFrame([r.values for r in rows], columns=db.DATA_COLUMNS[table])
    return formats.to_excel_bytes({table: frame}) if fmt == "xlsx" else formats.to_csv_bytes(frame, excel=True)


# -- what the preview, a conflict and the history show ------------------------------------------


def changed_fields(before: dict[str, str] | None, after: dict[str, str] | None) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field that differs; a missing side is empty."""
    before, after = before or {}, after or {}
    return [
        (c, before.get(c, ""), after.get(c, ""))
        for c in dict.fromkeys([*before, *after])
        if before.get(c, "") != after.get(c, "")
    ]


def problem_rows(problems: list[Problem], lang: str = "sv") -> list[dict]:
    return [{"file": p.place(lang), "row": p.row, "field": p.field, "message": p.text(lang)} for p in problems]


def update_rows(changes: list[store.RowChange], before: dict[tuple[str, int], dict[str, str]]) -> list[dict]:
    """One row per changed field of the updates among ``changes``."""
    return [
        {
            "row": c.origin[1] if c.origin else c.row_id,
            "key": store.key_text(c.table, c.row),
            "field": f,
            "before": b,
            "after": a,
        }
        for c in changes
        if c.action == "update"
        for f, b, a in changed_fields(before.get((c.table, c.stored_id)), c.row)
    ]


def action_counts(changes: list[store.RowChange]) -> dict[str, int]:
    return {action: sum(c.action == action for c in changes) for action in ("insert", "update", "delete")}
