"""Reading CSV as spreadsheet programs write it, once for every importer.

The curated files, uploads, point layers and population grids all arrive as CSV from
Excel or LibreOffice as often as from a script: with a BOM, in Windows-1252, with
semicolons or tabs. ``read_table`` accepts all of that, says what it accepted, and
limits what a file can cost while reading it (rows, columns, cell length), reporting
every row it cannot take by file, row and field.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from . import limits
from .problems import Problem


def decode(name: str, raw: bytes, problems: list[Problem], code: str = "not_utf8", level: str = "notice") -> str:
    """UTF-8 (with or without a BOM); else Windows-1252, and a problem that says so."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problems.append(Problem.of(name, raw[: err.start].count(b"\n") + 1, "-", code, level))
        return raw.decode("cp1252", errors="replace")


_LINE_END = re.compile(r"\r\n|\r|\n")


def _first_line(text: str) -> str:
    end = _LINE_END.search(text)
    return text if end is None else text[: end.start()]


def delimiter_of(text: str, candidates: tuple[str, ...] = (",", ";", "\t")) -> str:
    """The candidate the header line holds most of (the first on a tie)."""
    header = _first_line(text)
    return max(candidates, key=header.count)


def _lines(text: str):
    """The text's lines with their ends (\\n, \\r\\n or \\r, as ``newline=""`` reads
    them), one at a time: io.StringIO would hold the whole text again, four bytes a
    character."""
    start = 0
    for end in _LINE_END.finditer(text):
        yield text[start : end.end()]
        start = end.end()
    if start < len(text):
        yield text[start:]


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line in the file, values); blank lines left out
    delimiter: str


def read_table(
    name: str,
    raw: bytes,
    problems: list[Problem],
    *,
    delimiters: tuple[str, ...] = (",", ";", "\t"),
    max_rows: int = limits.TABLE_ROWS,
    not_utf8_code: str = "not_utf8",
    field_count_code: str = "field_count",
) -> Table | None:
    """The file's header and rows, or None when it cannot be read at all (the reason is
    in ``problems``). A row with the wrong number of fields or an over-long cell is a
    problem of its own and left out; the other rows are kept."""
    text = decode(name, raw, problems, not_utf8_code)
    delimiter = delimiter_of(text, delimiters)
    # A header of 100 000 columns is refused before the file is read as a table.
    try:
        first = next(csv.reader([_first_line(text)], delimiter=delimiter), [])
    except csv.Error:
        first = []
    if len(first) > limits.TABLE_COLUMNS:
        problems.append(Problem.of(name, 1, "-", "too_many_columns", n=len(first), limit=limits.TABLE_COLUMNS))
        return None
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem.of(name, 1, "-", "file_empty"))
        return None
    except csv.Error as err:
        problems.append(Problem.of(name, 1, "-", "header_unreadable", error=str(err)))
        return None
    if len(header) > limits.TABLE_COLUMNS:
        problems.append(Problem.of(name, 1, "-", "too_many_columns", n=len(header), limit=limits.TABLE_COLUMNS))
        return None
    rows: list[tuple[int, list[str]]] = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as err:  # a field past the csv module's own limit, a NUL
            problems.append(Problem.of(name, reader.line_num, "-", "row_unreadable", error=str(err)))
            return None
        line = reader.line_num
        if len(rows) >= max_rows:
            problems.append(Problem.of(name, line, "-", "too_many_rows", limit=max_rows))
            return None
        if not any(v.strip() for v in values):
            continue
        too_long = [(column, v) for column, v in zip(header, values) if len(v) > limits.CELL_CHARS]
        if too_long:
            problems += [
                Problem.of(name, line, column, "cell_too_long", n=len(v), limit=limits.CELL_CHARS)
                for column, v in too_long
            ]
            continue
        if len(values) != len(header):
            problems.append(Problem.of(name, line, "-", field_count_code, found=len(values), expected=len(header)))
            continue
        rows.append((line, values))
    return Table(header, rows, delimiter)
