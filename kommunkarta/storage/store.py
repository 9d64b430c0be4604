"""Reading and changing the curated data in the database.

Every write goes through :func:`apply`: it locks out other writers, checks that no
row changed since the writer read it (a conflict otherwise, with both versions),
validates the whole resulting data with the same loader that reads ``data/`` (so a
row is accepted in the database exactly when it would be accepted in a file), and
records each row's before and after in the history. A write is one transaction:
all rows or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, delete, func, insert, select, update

from .. import paths
from ..loader import Dataset, Problem, load_dataset, matcher, read_rows
from ..names import KommunMatcher
from ..problems import Invalid, database_label
from ..schema import _decimal
from . import db

Action = Literal["insert", "update", "delete"]


@dataclass(frozen=True)
class StoredRow:
    row_id: int
    version: int
    values: dict[str, str]  # the data/ CSV format


State = dict[str, dict[int, StoredRow]]  # table -> row_id -> row


@dataclass(frozen=True)
class RowChange:
    """A change to one row. ``values`` is the whole row after an insert or update;
    ``expected_version`` is the version the editor saw (None: whatever is stored)."""

    table: str
    action: Action
    row_id: int | None = None
    values: dict[str, str] | None = None
    expected_version: int | None = None
    origin: tuple[str, int] | None = None  # (file or table shown to the user, its row)

    @property
    def stored_id(self) -> int:
        """The stored row an update or delete changes."""
        if self.row_id is None:
            raise ValueError(f"{self.action} in {self.table} names no stored row")
        return self.row_id

    @property
    def row(self) -> dict[str, str]:
        """The whole row after an insert or update."""
        if self.values is None:
            raise ValueError(f"{self.action} in {self.table} carries no row")
        return self.values


@dataclass(frozen=True)
class Conflict:
    """Someone else saved the row after this editor read it."""

    table: str
    row_id: int
    key: str
    yours: dict[str, str] | None  # None: you deleted it
    theirs: dict[str, str] | None  # None: they deleted it
    origin: tuple[str, int] | None = None


class Rejected(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class AlreadyUndone(ValueError):
    """The batch has been undone already (``by``: the batch that undid it)."""

    def __init__(self, batch_id: int, by: int):
        super().__init__(f"ändring {batch_id} är redan ångrad (av ändring {by})")
        self.batch_id = batch_id
        self.by = by


class Conflicted(Exception):
    def __init__(self, conflicts: list[Conflict]):
        super().__init__("; ".join(f"{c.table} {c.key}" for c in conflicts))
        self.conflicts = conflicts


# -- canonical rows -------------------------------------------------------------------------


def canonical(table: str, raw: dict, match: KommunMatcher) -> dict[str, str]:
    """A row in the data/ format: every column present, text stripped, kommuner by their
    official names (and a member's code), coordinates with a decimal point. What cannot
    be read is kept as given, for the validation to report."""
    values = {c: cell_text(raw.get(c)) for c in db.DATA_COLUMNS[table]}
    if table == "memberships" and values["country"] == "SE":
        code = match.resolve_or_none(values["kommun_kod"] or values["name"])
        named = match.resolve_or_none(values["name"]) if values["name"] else code
        if code and named == code:
            values["kommun_kod"], values["name"] = code, match.name(code)
    for column in ("kommuner", "kommun"):
        if values.get(column):
            parts = [p.strip() for p in values[column].split(";") if p.strip()]
            codes = [match.resolve_or_none(p) for p in parts]
            known = [c for c in codes if c is not None]
            if len(known) == len(codes):
                values[column] = "; ".join(match.name(c) for c in known)
    for column in db.NUMBER_COLUMNS & set(values):
        try:
            number = _decimal(values[column])
        except Invalid:
            continue
        values[column] = "" if number is None else db.text_value(column, number)
    return values


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def natural_key(table: str, values: dict[str, str]) -> tuple:
    """What makes a row unique (the loader's duplicate rule)."""
    if table == "memberships":
        return (
            values["network_id"],
            values["kommun_kod"] or values["name"].casefold(),
            values["country"],
            values["role"],
        )
    return (values["id"],)


def key_text(table: str, values: dict[str, str]) -> str:
    if table == "memberships":
        return f"{values['network_id']} / {values['name'] or values['kommun_kod']} ({values['country']}) / {values['role']}"
    return values["id"]


# -- reading ------------------------------------------------------------------------------------


def read_state(connection, tables=tuple(db.CURATED)) -> State:
    state: State = {}
    for table in tables:
        model = db.CURATED[table]
        columns = db.DATA_COLUMNS[table]
        rows = connection.execute(select(model.__table__).order_by(model.row_id)).mappings()
        state[table] = {
            r["row_id"]: StoredRow(r["row_id"], r["version"], {c: db.text_value(c, r[c]) for c in columns})
            for r in rows
        }
    return state


def current_state(engine: Engine, tables=tuple(db.CURATED)) -> State:
    with engine.connect() as connection:
        return read_state(connection, tables)


def load_from_database(engine: Engine, data_dir: Path | None = None) -> Dataset:
    """The dataset the dashboard shows: the curated tables from the database, the other
    files (population, seats, centres) from ``data_dir``. Rows the first seeding
    rejected are listed among its problems, as the loader lists a file's."""
    with engine.connect() as connection:
        state = read_state(connection)
        seed_problems = connection.execute(select(db.Batch.problems).where(db.Batch.kind == "seed")).scalars().all()
    dataset = load_dataset(data_dir or paths.default_data_dir(), _as_tables(_values(state)))
    origins = {(t, row_id): (database_label(t), row_id) for t, rows in state.items() for row_id in rows}
    dataset.problems = [Problem(**p) for problems in seed_problems for p in problems] + [
        _relabel(p, origins) for p in dataset.problems
    ]
    return dataset


def _values(state: State) -> dict[str, dict[int, dict[str, str]]]:
    return {t: {row_id: r.values for row_id, r in rows.items()} for t, rows in state.items()}


def _as_tables(values: dict[str, dict[int, dict[str, str]]]) -> dict:
    """Rows by table as the loader takes them in memory, in place of the files."""
    return {db.FILE_OF[t]: list(rows.items()) for t, rows in values.items()}


# -- validation ---------------------------------------------------------------------------------

_TABLE_OF_FILE = {f: t for t, f in db.FILE_OF.items()}


def _relabel(problem: Problem, origins: dict[tuple[str, int], tuple[str, int]]) -> Problem:
    """A problem found on rows held in memory, named by where the user knows the row from
    (a duplicate's other row too)."""
    table = _TABLE_OF_FILE.get(problem.file)
    if table is None:
        return problem
    source, row = origins.get((table, problem.row), (problem.file, problem.row))
    if problem.code == "duplicate" and problem.other_row is not None:
        other_source, other = origins.get((table, problem.other_row), (source, problem.other_row))
        if other_source == source:
            return Problem.of(source, row, problem.field, "duplicate", problem.level, other_row=other)
        return Problem.of(
            source, row, problem.field, "duplicate_in", problem.level, other_row=other, other_source=other_source
        )
    return replace(problem, file=source, row=row)


def _validate(state: State, changes: list[RowChange], data_dir: Path | None) -> list[Problem]:
    """The problems the changes would bring: every problem on a changed row, and any
    new problem on another row (a membership whose network is deleted, say)."""
    proposed = _values(state)
    origins: dict[tuple[str, int], tuple[str, int]] = {}
    touched: set[tuple[str, int]] = set()
    for n, change in enumerate(changes, start=1):
        ref = change.stored_id if change.action != "insert" else -n  # new rows: below every row_id
        if change.action == "delete":
            proposed[change.table].pop(ref, None)
        else:
            proposed[change.table][ref] = change.row
            touched.add((change.table, ref))
        origins[(change.table, ref)] = change.origin or (database_label(change.table), ref)
    for table, rows in state.items():
        for row_id in rows:
            origins.setdefault((table, row_id), (database_label(table), row_id))

    data_dir = data_dir or paths.default_data_dir()
    found = [
        p
        for p in load_dataset(data_dir, _as_tables(proposed)).problems
        if p.file in _TABLE_OF_FILE and p.level == "error"
    ]
    on_changed = [p for p in found if (_TABLE_OF_FILE[p.file], p.row) in touched]
    elsewhere = [p for p in found if (_TABLE_OF_FILE[p.file], p.row) not in touched]
    if elsewhere:
        before = {
            (p.file, p.row, p.field, p.message) for p in load_dataset(data_dir, _as_tables(_values(state))).problems
        }
        elsewhere = [p for p in elsewhere if (p.file, p.row, p.field, p.message) not in before]
    return [_relabel(p, origins) for p in on_changed + elsewhere]


def _conflicts(state: State, changes: list[RowChange]) -> list[Conflict]:
    conflicts = []
    for change in changes:
        stored = state[change.table].get(change.row_id) if change.row_id is not None else None
        if change.action == "insert":
            if stored is not None:  # an undone delete whose id is taken again
                conflicts.append(
                    Conflict(
                        change.table,
                        change.stored_id,
                        key_text(change.table, change.row),
                        change.values,
                        stored.values,
                        change.origin,
                    )
                )
            continue
        if change.expected_version is None:
            continue
        if stored is None or stored.version != change.expected_version:
            shown = change.values or (stored.values if stored else {})
            conflicts.append(
                Conflict(
                    change.table,
                    change.stored_id,
                    key_text(change.table, shown) if shown else str(change.row_id),
                    yours=change.values if change.action == "update" else None,
                    theirs=stored.values if stored else None,
                    origin=change.origin,
                )
            )
    return conflicts


def check(
    engine: Engine, changes: list[RowChange], data_dir: Path | None = None, state: State | None = None
) -> tuple[list[Problem], list[Conflict]]:
    """What :func:`apply` would refuse, without writing anything (an upload's preview).
    ``state``: the rows already read for the changes, so they are not read twice."""
    state = state or current_state(engine)
    return _validate(state, changes, data_dir), _conflicts(state, changes)


# -- writing ----------------------------------------------------------------------------------


def apply(
    engine: Engine,
    changes: list[RowChange],
    user: str,
    kind: str,
    note: str = "",
    data_dir: Path | None = None,
    undoes: int | None = None,
) -> int | None:
    """Write the changes in one transaction and record them; returns the batch id
    (None when there was nothing to write). Raises Conflicted or Rejected, having
    written nothing."""
    if not changes:
        return None
    with engine.begin() as connection:
        db.lock_for_writing(connection)
        state = read_state(connection)
        conflicts = _conflicts(state, changes)
        if conflicts:
            raise Conflicted(conflicts)
        problems = _validate(state, changes, data_dir)
        if problems:
            raise Rejected(problems)
        return _write(connection, state, changes, user, kind, note, undoes=undoes)


def _write(
    connection,
    state: State,
    changes: list[RowChange],
    user: str,
    kind: str,
    note: str,
    undoes: int | None = None,
    problems: list[dict] | None = None,
) -> int:
    now = dt.datetime.now(dt.UTC)
    batch_id = connection.execute(
        insert(db.Batch)
        .values(at=now, user=user, kind=kind, note=note, problems=problems or [], undoes=undoes)
        .returning(db.Batch.batch_id)
    ).scalar_one()
    if undoes is not None:
        connection.execute(update(db.Batch).where(db.Batch.batch_id == undoes).values(undone_by=batch_id))
    history = []
    inserts: dict[str, list[tuple[RowChange, dict]]] = {}
    for change in changes:
        model = db.CURATED[change.table]
        stored = state[change.table].get(change.row_id) if change.row_id is not None else None
        if change.action == "insert":
            record = _stored_values(change.table, change.row)
            if change.row_id is not None:  # an undone delete comes back under its old id
                record["row_id"] = change.row_id
            inserts.setdefault(change.table, []).append((change, record))
            continue
        if stored is None:
            raise ValueError(f"{change.action} in {change.table}: row {change.row_id} is not stored")
        if change.action == "update":
            connection.execute(
                update(model)
                .where(model.row_id == change.row_id)
                .values(**_stored_values(change.table, change.row), version=stored.version + 1)
            )
            history.append(
                _history(batch_id, change.table, change.row_id, "update", stored, change.values, stored.version + 1)
            )
        else:
            connection.execute(delete(model).where(model.row_id == change.row_id))
            history.append(_history(batch_id, change.table, change.row_id, "delete", stored, None, None))
    for table, items in inserts.items():
        model = db.CURATED[table]
        # Rows with and without an old id go separately: executemany needs one shape.
        for group in ([i for i in items if "row_id" in i[1]], [i for i in items if "row_id" not in i[1]]):
            if not group:
                continue
            ids = (
                connection.execute(
                    insert(model).returning(model.row_id, sort_by_parameter_order=True),
                    [{**record, "version": 1} for _, record in group],
                )
                .scalars()
                .all()
            )
            history += [
                _history(batch_id, table, row_id, "insert", None, change.values, 1)
                for (change, _), row_id in zip(group, ids)
            ]
    if history:
        connection.execute(insert(db.Change), history)
    return batch_id


def _stored_values(table: str, values: dict[str, str]) -> dict:
    return {
        c: (float(values[c]) if values[c] else None) if c in db.NUMBER_COLUMNS else values[c]
        for c in db.DATA_COLUMNS[table]
    }


def _history(batch_id, table, row_id, action, stored: StoredRow | None, after, version_after) -> dict:
    shown = after or (stored.values if stored else {})
    return {
        "batch_id": batch_id,
        "table_name": table,
        "row_id": row_id,
        "row_key": key_text(table, shown),
        "action": action,
        "before": stored.values if stored else None,
        "after": after,
        "version_before": stored.version if stored else None,
        "version_after": version_after,
    }


# -- seeding ------------------------------------------------------------------------------------


def open_database(url: str | None = None, data_dir: Path | str | None = None) -> Engine:
    """An engine for the configured database, upgraded to the newest schema and, if it
    has never held data, seeded from ``data/``."""
    engine = db.make_engine(url or db.database_url())
    db.upgrade(engine)
    seed(engine, Path(data_dir) if data_dir else None)
    return engine


def seed(engine: Engine, data_dir: Path | None = None) -> int | None:
    """Fill a database that has never held data from the files of ``data_dir``; rows the
    loader rejects stay out and are recorded with the seeding. Returns the batch id,
    or None if the database had data already."""
    data_dir = data_dir or paths.default_data_dir()
    with engine.connect() as connection:
        if connection.execute(select(db.Batch.batch_id).limit(1)).first() is not None:
            return None
    match = matcher()
    problems: list[Problem] = []
    files = {t: read_rows(data_dir / db.FILE_OF[t], problems) for t in db.CURATED}
    tables = {db.FILE_OF[t]: rows for t, rows in files.items()}
    problems += load_dataset(data_dir, tables).problems
    rejected = {(p.file, p.row) for p in problems if p.level == "error"}
    changes = [
        RowChange(t, "insert", values=canonical(t, raw, match), origin=(db.FILE_OF[t], line))
        for t, rows in files.items()
        for line, raw in rows
        if (db.FILE_OF[t], line) not in rejected
    ]
    with engine.begin() as connection:
        db.lock_for_writing(connection)
        if connection.execute(select(db.Batch.batch_id).limit(1)).first() is not None:
            return None  # another process seeded meanwhile
        return _write(
            connection,
            read_state(connection),
            changes,
            "kommunkarta",
            "seed",
            note=str(data_dir),  # where the seed data came from; the kind says what it is
            problems=[asdict(p) for p in problems if p.file in _TABLE_OF_FILE],
        )


# -- history and undo ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchRecord:
    batch_id: int
    at: dt.datetime
    user: str
    kind: str
    note: str
    undoes: int | None
    undone_by: int | None
    counts: dict[str, int] = field(default_factory=dict)  # action -> rows


def history(engine: Engine, limit: int | None = 50) -> list[BatchRecord]:
    """The newest batches first, with how many rows each inserted, updated, deleted."""
    with engine.connect() as connection:
        query = select(db.Batch).order_by(db.Batch.batch_id.desc())
        if limit:
            query = query.limit(limit)
        batches = connection.execute(query).mappings().all()
        ids = [b["batch_id"] for b in batches]
        counts: dict[int, dict[str, int]] = {}
        if ids:
            rows = connection.execute(
                select(db.Change.batch_id, db.Change.action, func.count())
                .where(db.Change.batch_id.in_(ids))
                .group_by(db.Change.batch_id, db.Change.action)
            )
            for batch_id, action, n in rows:
                counts.setdefault(batch_id, {})[action] = n
    return [
        BatchRecord(
            b["batch_id"],
            db.as_utc(b["at"]),
            b["user"],
            b["kind"],
            b["note"],
            b["undoes"],
            b["undone_by"],
            counts.get(b["batch_id"], {}),
        )
        for b in batches
    ]


def batch_changes(engine: Engine, batch_id: int) -> list[dict]:
    with engine.connect() as connection:
        rows = (
            connection.execute(select(db.Change).where(db.Change.batch_id == batch_id).order_by(db.Change.change_id))
            .mappings()
            .all()
        )
    return [dict(r) for r in rows]


def undo(engine: Engine, batch_id: int, user: str, data_dir: Path | None = None) -> int | None:
    """Undo a batch as a new batch: inserted rows are deleted, updated rows get their
    earlier values, deleted rows come back. A row changed since is a conflict (undo
    the later change first); the result is validated like any write."""
    with engine.connect() as connection:
        batch = connection.execute(select(db.Batch).where(db.Batch.batch_id == batch_id)).mappings().first()
    if batch is None:
        raise LookupError(f"ändring {batch_id} finns inte")
    if batch["undone_by"] is not None:
        raise AlreadyUndone(batch_id, batch["undone_by"])
    changes = []
    for c in reversed(batch_changes(engine, batch_id)):
        origin = (database_label(c["table_name"]), c["row_id"])
        if c["action"] == "insert":
            changes.append(RowChange(c["table_name"], "delete", c["row_id"], None, c["version_after"], origin))
        elif c["action"] == "update":
            changes.append(RowChange(c["table_name"], "update", c["row_id"], c["before"], c["version_after"], origin))
        else:
            changes.append(RowChange(c["table_name"], "insert", c["row_id"], c["before"], None, origin))
    return apply(engine, changes, user, "undo", note=f"Ångrar ändring {batch_id}", data_dir=data_dir, undoes=batch_id)


# -- export -------------------------------------------------------------------------------------


def export_csv(engine: Engine, directory: Path) -> dict[str, int]:
    """Write the curated tables as data/ CSV files (UTF-8, comma), ready for git.
    Returns rows written per file."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for table, rows in current_state(engine).items():
        buffer = io.StringIO()
        # Every cell quoted where some cell holds a control character: the csv module
        # would leave a bare carriage return unquoted, and the file would not read back.
        control = any(
            isinstance(v, str) and any(ord(c) < 32 or 127 <= ord(c) < 160 for c in v)
            for r in rows.values()
            for v in r.values.values()
        )
        writer = csv.DictWriter(
            buffer,
            fieldnames=db.DATA_COLUMNS[table],
            lineterminator="\n",
            quoting=csv.QUOTE_ALL if control else csv.QUOTE_MINIMAL,
        )
        writer.writeheader()
        writer.writerows(r.values for r in rows.values())
        (directory / db.FILE_OF[table]).write_text(buffer.getvalue(), encoding="utf-8")
        written[db.FILE_OF[table]] = len(rows)
    return written
