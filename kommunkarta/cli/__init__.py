"""The ``kommunkarta`` command: run the dashboard, validate the data, export it.

``main`` builds the parser, one command family at a time (each module beside its handlers:
run.py, curated.py, service.py, roads.py, layers.py, figures.py, db.py), chooses the
language of the help and the messages, and hands the arguments to the command's handler."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from . import common, curated, db, figures, layers, roads, run, service

# The command families, in the order their commands stand in the help.
FAMILIES = (run, curated, service, roads, layers, figures, db)


def cli_language(argv: list[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of the command's help and messages: ``--lang`` wherever it stands,
    else the environment's (LC_ALL, LC_MESSAGES, LANG: Swedish for sv_*, English for
    any other language it names); Swedish when it names none (C, POSIX, unset)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        elif arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        else:
            continue
        if value in ("sv", "en"):
            return value
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").split(".")[0]
        if value and value not in ("C", "POSIX"):
            return "sv" if value.lower().startswith("sv") else "en"
    return "sv"


def _is_lang(args: list[str], i: int) -> bool:
    """Whether ``args[i]`` is ``--lang``, ``--lang=X`` or the value after ``--lang``."""
    return args[i] == "--lang" or args[i].startswith("--lang=") or (i > 0 and args[i - 1] == "--lang")


def main(argv: list[str] | None = None) -> int:
    from ..i18n import t
    from ..i18n.reader import translate_parser

    argv = sys.argv[1:] if argv is None else list(argv)
    lang = cli_language(argv)
    common.set_language(lang)
    parser = argparse.ArgumentParser(prog="kommunkarta", description="Kommunkartan: kommuner i nätverk och projekt.")
    commands = parser.add_subparsers(dest="command", required=True)
    for family in FAMILIES:
        family.add_commands(commands, lang)

    translate_parser(parser, lang)
    args, extra = parser.parse_known_args(argv)
    # --lang is taken by every command: one without a --lang of its own leaves it over.
    extra = [a for i, a in enumerate(extra) if not _is_lang(extra, i)]
    if extra and args.command != "run":
        parser.error(t("cli_unknown_arguments", lang, args=" ".join(extra)))
    from ..storage.db import DatabaseURLError

    try:
        return args.handler(args, extra)
    except DatabaseURLError as err:  # a URL no server takes: said as such
        print(f"kommunkarta: {err}", file=sys.stderr)
        return 2
