"""The database behind the dashboard: models, connection, migrations and seeding.

The curated tables hold rows in the ``data/`` CSV format (text columns named as in
the files, coordinates as numbers), so that ``db export`` writes files the loader
reads and git can keep. Every row has a surrogate ``row_id`` and a ``version`` that
each save increases; an editor's save names the version it saw, which is how two
editors changing one row are told apart (see :mod:`kommunkarta.changes`).

The same models and migrations serve SQLite (the embedded default) and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .. import paths
from ..problems import Invalid

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class Base(DeclarativeBase):
    pass


class _Curated:
    """What every curated table has besides its data columns."""

    row_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class Network(_Curated, Base):
    __tablename__ = "networks"
    id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str] = mapped_column(Text, default="")
    name_en: Mapped[str] = mapped_column(Text, default="")
    short_name_en: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(40))
    organiser: Mapped[str] = mapped_column(Text, default="")
    funder: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[str] = mapped_column(String(10), default="")
    end: Mapped[str] = mapped_column(String(10), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    unknowns: Mapped[str] = mapped_column(Text, default="")
    related_to: Mapped[str] = mapped_column(String(100), default="")
    color: Mapped[str] = mapped_column(String(7), default="")
    source: Mapped[str] = mapped_column(Text)
    certainty: Mapped[str] = mapped_column(String(20))


class Membership(_Curated, Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("network_id", "kommun_kod", "name", "country", "role", name="uq_membership"),)
    network_id: Mapped[str] = mapped_column(String(100), index=True)
    kommun_kod: Mapped[str] = mapped_column(String(4), default="")
    name: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str] = mapped_column(String(2))
    role: Mapped[str] = mapped_column(String(40))
    since: Mapped[str] = mapped_column(String(10), default="")
    until: Mapped[str] = mapped_column(String(10), default="")
    source: Mapped[str] = mapped_column(Text)
    certainty: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")


class Project(_Curated, Base):
    __tablename__ = "projects"
    id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(Text)
    kommuner: Mapped[str] = mapped_column(Text, default="")
    network_id: Mapped[str] = mapped_column(String(100), default="")
    start: Mapped[str] = mapped_column(String(10), default="")
    end: Mapped[str] = mapped_column(String(10), default="")
    funders: Mapped[str] = mapped_column(Text, default="")
    partners: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text)
    certainty: Mapped[str] = mapped_column(String(20))


class Place(_Curated, Base):
    __tablename__ = "places"
    id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(Text)
    kommun: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(40))
    network_id: Mapped[str] = mapped_column(String(100), default="")
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    precision: Mapped[str] = mapped_column(String(20))
    coord_source: Mapped[str] = mapped_column(Text, default="")
    coord_certainty: Mapped[str] = mapped_column(String(20), default="")
    source: Mapped[str] = mapped_column(Text)
    certainty: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")


class Batch(Base):
    """One save, upload, import, undo or the first seeding: the unit of history and undo."""

    __tablename__ = "batches"
    batch_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # seed, edit, upload, import, undo
    note: Mapped[str] = mapped_column(Text, default="")
    # What the seeding found wrong in data/ (kind seed only): Problem fields as dicts.
    problems: Mapped[list] = mapped_column(JSON, default=list)
    undoes: Mapped[int | None] = mapped_column(ForeignKey("batches.batch_id"), nullable=True)
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("batches.batch_id"), nullable=True)


class Change(Base):
    """One row's change: before and after in the data/ format, and the versions."""

    __tablename__ = "changes"
    change_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.batch_id"), index=True)
    table_name: Mapped[str] = mapped_column(String(20))
    row_id: Mapped[int] = mapped_column(Integer)
    row_key: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(10))  # insert, update, delete
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    version_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version_after: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Revision(Base):
    """One row, increased by every write: caches follow it, and writers queue on it."""

    __tablename__ = "revision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginFailure(Base):
    """Failed logins per user name, so that guessing slows down across processes."""

    __tablename__ = "login_failures"
    user: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# Table name -> model and the data/ file it mirrors, in the order rows are validated.
CuratedModel = type[Network] | type[Membership] | type[Project] | type[Place]
CURATED: dict[str, CuratedModel] = {
    "networks": Network,
    "memberships": Membership,
    "projects": Project,
    "places": Place,
}
FILE_OF = {name: f"{name}.csv" for name in CURATED}
DATA_COLUMNS = {
    name: [c.name for c in model.__table__.columns if c.name not in ("row_id", "version")]
    for name, model in CURATED.items()
}
NUMBER_COLUMNS = {"lat", "lon"}


# -- connection -------------------------------------------------------------------------


def read_secrets() -> dict:
    """``.streamlit/secrets.toml`` as Streamlit reads it: the user's, then the working
    directory's (which wins). The command line reads them here; the dashboard uses st.secrets."""
    merged: dict = {}
    for path in (Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"):
        if path.is_file():
            with path.open("rb") as f:
                merged.update(tomllib.load(f))
    return merged


def database_url(secrets: dict | None = None) -> str:
    """``$KOMMUNKARTA_DATABASE_URL``, else ``[database] url`` in the secrets, else SQLite
    in the user data folder (``$KOMMUNKARTA_HOME``)."""
    url = os.environ.get("KOMMUNKARTA_DATABASE_URL", "").strip()
    if url:
        return url
    secrets = read_secrets() if secrets is None else secrets
    url = str((secrets.get("database") or {}).get("url", "")).strip()
    if url:
        return url
    return f"sqlite:///{paths.home() / 'kommunkarta.sqlite'}"


# PostgreSQL keeps names (of roles and databases) to NAMEDATALEN - 1 bytes.
POSTGRES_NAME_BYTES = 63


class DatabaseURLError(Invalid):
    """The database URL cannot be right, whatever the server says: told as such, not as
    an unreachable database. The message names the part, never its value."""


def check_url(url: str) -> None:
    """Refuse a database URL with a part no server takes: a NUL character anywhere, or a
    PostgreSQL user or database name longer than PostgreSQL's names."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if "\x00" in url:
        raise DatabaseURLError("db_url_nul", part="URL")
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as err:
        raise DatabaseURLError("db_url_unreadable", error=str(err)[:200]) from None
    parts = {"user": parsed.username, "password": parsed.password, "database": parsed.database, "host": parsed.host}
    for part, value in parts.items():
        if value and "\x00" in str(value):
            raise DatabaseURLError("db_url_nul", part=part)
    if parsed.get_backend_name() == "postgresql":
        for part in ("user", "database"):
            length = len(str(parts[part] or "").encode("utf-8"))
            if length > POSTGRES_NAME_BYTES:
                raise DatabaseURLError("db_name_too_long", part=part, n=length, limit=POSTGRES_NAME_BYTES)


def make_engine(url: str) -> Engine:
    check_url(url)
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # A writer waits up to 30 s for another; WAL lets readers go on meanwhile.
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")  # psycopg 3, not psycopg2
    return create_engine(url, pool_pre_ping=True)


def describe(url: str) -> str:
    """The URL without its password, to print for whoever runs the dashboard."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def describe_for_visitors(url) -> str:
    """What a visitor may be told: an SQLite file's path, but of a server only its kind,
    not its host or user."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return (
        parsed.database or "SQLite"
        if parsed.get_backend_name() == "sqlite"
        else parsed.get_backend_name().replace("postgresql", "PostgreSQL")
    )


# -- migrations ---------------------------------------------------------------------------


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the newest migration; returns (revision before, after)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.begin() as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        command.upgrade(_alembic_config(connection), "head")
        after = MigrationContext.configure(connection).get_current_revision()
    assert after is not None, "alembic upgraded to no revision"
    return before, after


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert head is not None, "the migrations folder has no head"
    return head


# -- reading ------------------------------------------------------------------------------


def revision(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(Revision.number).where(Revision.id == 1)).scalar_one_or_none() or 0


def lock_for_writing(connection) -> int:
    """Start a write: increase the revision as the transaction's first statement, which
    makes every other writer wait (a row lock in PostgreSQL, the write lock in SQLite)
    until this one commits or rolls back. Returns the new revision."""
    now = dt.datetime.now(dt.UTC)
    number = connection.execute(
        update(Revision)
        .where(Revision.id == 1)
        .values(number=Revision.number + 1, changed_at=now)
        .returning(Revision.number)
    ).scalar_one_or_none()
    if number is None:
        raise RuntimeError("databasen saknar sin revisionsrad; kör 'kommunkarta db upgrade'")
    return number


def text_value(column: str, value) -> str:
    """A column's value in the data/ CSV format."""
    if value is None:
        return ""
    if column in NUMBER_COLUMNS:
        return format(float(value), ".10g")
    return str(value)


def last_change(engine: Engine) -> dt.datetime | None:
    with engine.connect() as connection:
        moment = connection.execute(select(func.max(Batch.at))).scalar_one_or_none()
    return as_utc(moment) if moment else None


def as_utc(moment: dt.datetime) -> dt.datetime:
    # SQLite gives back naive datetimes; every one was written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
