"""What every command of ``kommunkarta`` shares: the run's language and its messages, the
data a command reads (files or the database), problems as lines, and output written to a
file or standard output."""

from __future__ import annotations

import sys
from pathlib import Path

# The language of this run's help and messages (main sets it: --lang or the environment).
_language = "sv"


def set_language(lang: str) -> None:
    """Make ``lang`` the language of this run's messages (``main`` calls it first)."""
    global _language
    _language = lang


def language() -> str:
    """The language of this run's messages."""
    return _language


def say(message: str, /, **values) -> str:
    """A message of the command in this run's language (i18n.reader's ``cli_msg_*``)."""
    from ..i18n import t

    if "key" in values:  # t's own first parameter is called key: such a text is filled in here
        return t(message, _language).format(**values)
    return t(message, _language, **values)


def amount(value, decimals: int = 0) -> str:
    """An amount in a message, written as this run's language writes numbers."""
    from ..format import number

    return number(value, decimals, _language)


def problem_lines(problems, lang: str | None = None) -> list[str]:
    """The problems as lines, at most limits.PROBLEMS_PER_FIELD per file and field, in
    ``lang`` (by default this run's language)."""
    from ..loader import capped_problem_lines

    return capped_problem_lines(problems, lang=lang or _language)


def write(payload: bytes, output: Path | None, rows: int) -> None:
    if output:
        output.write_bytes(payload)
        print(say("cli_msg_rows_to", rows=rows, output=output), file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload)


def load(data_dir: Path | None):
    """The files of ``data_dir`` when given; else what the dashboard shows (the database)."""
    if data_dir:
        from ..loader import load_dataset

        return load_dataset(data_dir)
    from ..storage import store

    return store.load_from_database(database())


def database():
    from ..storage import db, store

    url = db.database_url()
    try:
        return store.open_database(url)
    except Exception as err:  # a server that is down, a wrong password, a locked file
        raise SystemExit(say("cli_msg_no_database", db=db.describe(url), err=err)) from None
