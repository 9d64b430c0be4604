"""``kommunkarta db`` (upgrade, import, export, history, undo: the curated data in the
database, every write with its history) and ``kommunkarta hash-password`` (an editor's
login for .streamlit/secrets.toml)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .common import amount, database, problem_lines, say


def add_commands(commands, lang: str) -> None:
    database_cmd = commands.add_parser("db", help="databasen: uppgradera, importera, exportera, historik")
    db_commands = database_cmd.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser(
        "upgrade", help="skapa eller uppgradera databasens tabeller (och fyll en ny databas från data/)"
    ).set_defaults(handler=_db_upgrade)
    db_import = db_commands.add_parser("import", help="importera en CSV- eller Excel-fil: alla rader eller ingen")
    db_import.add_argument("file", type=Path)
    db_import.add_argument(
        "--table",
        choices=["networks", "memberships", "projects", "places"],
        help="tabellen filen gäller (standard: filens eller bladets namn, annars kolumnerna)",
    )
    db_import.add_argument(
        "--replace", action="store_true", help="filen blir hela tabellen: rader som saknas i filen tas bort"
    )
    db_import.add_argument("--dry-run", action="store_true", help="visa vad som skulle ändras, men skriv inget")
    db_import.add_argument("--user", default=None, help="vem som står för ändringen i historiken (standard: $USER)")
    db_import.set_defaults(handler=_db_import)
    db_export = db_commands.add_parser("export", help="skriv tabellerna som CSV i data/-formatet")
    db_export.add_argument("directory", type=Path)
    db_export.set_defaults(handler=_db_export)
    db_history = db_commands.add_parser("history", help="de senaste ändringarna")
    db_history.add_argument("--limit", type=int, default=20)
    db_history.set_defaults(handler=_db_history)
    db_undo = db_commands.add_parser("undo", help="ångra en ändring (dess nummer i historiken)")
    db_undo.add_argument("batch", type=int)
    db_undo.add_argument("--user", default=None)
    db_undo.set_defaults(handler=_db_undo)

    hasher = commands.add_parser(
        "hash-password", help="skriv ut en lösenordshash för [editing.users] i .streamlit/secrets.toml"
    )
    hasher.add_argument("user", help="användarnamnet, t.ex. anna")
    hasher.set_defaults(handler=_hash_password)


def _user(args) -> str:
    return args.user or f"cli:{os.environ.get('USER') or os.environ.get('USERNAME') or 'okänd'}"


def _db_upgrade(args, _extra) -> int:
    from ..storage import db, store

    url = db.database_url()
    engine = db.make_engine(url)
    before, after = db.upgrade(engine)
    seeded = store.seed(engine)
    print(
        f"{db.describe(url)}: schema {before or say('cli_msg_schema_empty')} → {after}"  # "schema" in both languages
        + (say("cli_msg_seeded", batch=seeded) if seeded else "")
    )
    return 0


def _db_import(args, _extra) -> int:
    from ..storage import store, uploads

    if not args.file.is_file():
        print(say("cli_msg_no_file", file=args.file), file=sys.stderr)
        return 2
    engine = database()
    sheets, problems = uploads.read_upload(args.file.name, args.file.read_bytes(), args.table)
    preview = uploads.plan_upload(engine, sheets, "replace" if args.replace else "upsert", problems)
    for notice in preview.notices:
        print(say("cli_msg_notice", text=notice), file=sys.stderr)
    for line in problem_lines(preview.problems):
        print(line, file=sys.stderr)
    for conflict in preview.conflicts:
        print(say("cli_msg_conflict", table=conflict.table, key=conflict.key), file=sys.stderr)
    counts = say(
        "cli_msg_unchanged", counts=_counts_text(uploads.action_counts(preview.changes)), n=amount(preview.unchanged)
    )
    if preview.problems or preview.conflicts:
        print(say("cli_msg_nothing_imported_errors", n=amount(len(preview.problems)), counts=counts), file=sys.stderr)
        return 1
    if args.dry_run or not preview.changes:
        print(say("cli_msg_dry_run" if args.dry_run else "cli_msg_nothing_to_change", counts=counts))
        return 0
    try:
        batch = store.apply(
            engine,
            preview.changes,
            _user(args),
            "import",
            note=f"{args.file.name}{' (ersätter)' if args.replace else ''}",
        )
    except (store.Conflicted, store.Rejected) as err:
        return _refused(
            err, say("cli_msg_nothing_imported"), lambda c: say("cli_msg_changed_meanwhile", table=c.table, key=c.key)
        )
    print(say("cli_msg_imported", batch=batch, counts=counts))
    return 0


def _db_export(args, _extra) -> int:
    from ..storage import store

    for name, rows in store.export_csv(database(), args.directory).items():
        print(say("cli_msg_rows_in", path=args.directory / name, rows=rows))
    return 0


def _db_history(args, _extra) -> int:
    from ..storage import store

    for batch in store.history(database(), limit=args.limit):
        counts = _counts_text(batch.counts)
        undone = say("cli_msg_undone_by", batch=batch.undone_by) if batch.undone_by else ""
        print(
            f"{batch.batch_id:>5}  {batch.at.astimezone():%Y-%m-%d %H:%M}  {batch.user:<20} {batch.kind:<7} "
            f"{counts}  {batch.note}{undone}"
        )
    return 0


def _hash_password(args, _extra) -> int:
    from getpass import getpass

    from ..storage.auth import hash_password

    password = getpass(say("cli_msg_password_prompt"))
    if len(password) < 12:
        print(say("cli_msg_password_short"), file=sys.stderr)
        return 2
    if getpass(say("cli_msg_password_again")) != password:
        print(say("cli_msg_password_differ"), file=sys.stderr)
        return 2
    print(say("cli_msg_secrets_hint"))
    print("[editing.users]")
    print(f'{args.user.strip().casefold()} = "{hash_password(password)}"')
    return 0


def _counts_text(counts: dict[str, int]) -> str:
    return say(
        "cli_msg_change_counts",
        insert=amount(counts.get("insert", 0)),
        update=amount(counts.get("update", 0)),
        delete=amount(counts.get("delete", 0)),
    )


def _db_undo(args, _extra) -> int:
    from ..storage import store

    try:
        batch = store.undo(database(), args.batch, _user(args))
    except (LookupError, ValueError) as err:
        print(err, file=sys.stderr)
        return 2
    except (store.Conflicted, store.Rejected) as err:
        return _refused(
            err,
            say("cli_msg_cannot_undo"),
            lambda c: say("cli_msg_changed_after", table=c.table, key=c.key, batch=args.batch),
        )
    print(say("cli_msg_undone", undone=args.batch, batch=batch))
    return 0


def _refused(err, headline: str, conflict_text) -> int:
    """Print why a write was refused: each conflict, or each problem."""
    from ..storage import store

    lines = (
        [say("cli_msg_conflict_line", text=conflict_text(c)) for c in err.conflicts]
        if isinstance(err, store.Conflicted)
        else problem_lines(err.problems)
    )
    print(f"{headline}:", *lines, sep="\n", file=sys.stderr)
    return 1
