"""Problems with data, in any language: a problem carries a code and its parameters, and
is put into words when it is shown (Swedish by default, as the command line prints it).

The texts are the ``problem_<code>`` entries of :mod:`kommunkarta.i18n`. A problem
without a code (a message from a library, already in English) is shown as it came.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .format import number
from .i18n import TEXTS

# Rows held in the database are named by their table and this mark, in each language.
DATABASE_MARK = {"sv": " (databasen)", "en": " (database)"}


def database_label(table: str) -> str:
    return f"{table}{DATABASE_MARK['sv']}"


def place_text(text: str, lang: str = "sv") -> str:
    """A file or table label (``memberships (databasen)``) in ``lang``."""
    return text.replace(DATABASE_MARK["sv"], DATABASE_MARK[lang]) if lang != "sv" else text


# Parameters that are amounts (not ids, codes or years): written as the reader writes numbers.
AMOUNTS = {"n", "limit", "size", "depth", "found", "expected", "mb"}


def _value_text(name: str, value, lang: str):
    """A parameter as the problem shows it: a file label in ``lang``; an amount of five
    digits or more grouped by thousands as ``lang`` writes it ("120 000" / "120,000")."""
    if isinstance(value, str):
        return place_text(value, lang)
    if name in AMOUNTS and isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return number(value, 0, lang)
    return value


def render(code: str, params: dict, lang: str = "sv") -> str:
    """The words for a problem code. ``several``: parts of one field, each a (code,
    params) pair, joined by "; "."""
    if code == "several":
        return "; ".join(render(c, p, lang) for c, p in params["parts"])
    values = {k: _value_text(k, v, lang) for k, v in params.items()}
    sv, en = TEXTS[f"problem_{code}"]
    return (en if lang == "en" else sv).format(**values)


def has_text(code: str) -> bool:
    return code == "several" or f"problem_{code}" in TEXTS


class Invalid(ValueError):
    """A value that cannot be taken, with a code and parameters to say why in any language.
    Its message is the Swedish text, so code that prints a ValueError prints that."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(render(code, params))


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # line in the file; 1 is the header
    field: str
    message: str  # the Swedish text (what the command line prints)
    # "notice": read as meant but worth saying (a semicolon file, Windows-1252); the
    # row is kept. "error": the row, or the column, was not taken.
    level: str = "error"
    code: str = ""  # a key of the problem texts; empty: ``message`` is all there is
    params: dict = dataclasses.field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, file: str, row: int, field_name: str, code: str, level: str = "error", **params) -> Problem:
        return cls(file, row, field_name, render(code, params), level, code, params)

    @classmethod
    def from_invalid(cls, file: str, row: int, field_name: str, err: Invalid, level: str = "error") -> Problem:
        return cls(file, row, field_name, str(err), level, err.code, err.params)

    @property
    def other_row(self) -> int | None:
        """For a duplicate: the row it repeats."""
        return self.params.get("other_row")

    def text(self, lang: str = "sv") -> str:
        """The problem in words, in ``lang``."""
        return render(self.code, self.params, lang) if self.code and has_text(self.code) else self.message

    def place(self, lang: str = "sv") -> str:
        return place_text(self.file, lang)

    def line(self, lang: str = "sv") -> str:
        """``file:row:field: text``, as the command line prints it."""
        return f"{self.place(lang)}:{self.row}:{self.field}: {self.text(lang)}"

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.field}: {self.message}"
