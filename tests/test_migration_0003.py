"""Migration 0003 (issue 24) on SQLite and PostgreSQL: English notes, and the networks'
colours moved from the old seed defaults to the hue families where nobody edited them."""

import csv
import subprocess

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext

from kommunkarta.storage import db, store

from .conftest import DATA_DIR, ROOT


def _networks_at(commit: str) -> dict[str, str]:
    """Each network's colour in data/networks.csv at ``commit`` (the git history, not the migration's table)."""
    for path in ("kommunkarta/data/networks.csv", "data/networks.csv"):
        shown = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0:
            return {r["id"]: r["color"] for r in csv.DictReader(shown.stdout.splitlines())}
    pytest.skip(f"the git history ({commit}) is not available")


def _upgrade(engine, target: str) -> None:
    with engine.begin() as connection:
        command.upgrade(db._alembic_config(connection), target)


def _downgrade(engine, target: str) -> None:
    with engine.begin() as connection:
        command.downgrade(db._alembic_config(connection), target)


def _colours(engine) -> dict[str, tuple[str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, color, version FROM networks"))
        return {r.id: (r.color, r.version) for r in rows}


def _revision(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT number FROM revision WHERE id = 1")).scalar_one()


def test_unedited_old_colours_move_and_edited_ones_stay(database_url):
    # The seed colours before the hue families (43b8f3b) and after them (1e019ec), from git.
    old, new = _networks_at("43b8f3b"), _networks_at("1e019ec")
    current = {r["id"]: r["color"] for r in csv.DictReader((DATA_DIR / "networks.csv").open(encoding="utf-8"))}
    assert new == current  # the migration's targets are today's seed colours
    changed = {n for n in old if old[n].upper() != new[n].upper()}
    assert len(changed) == 8

    engine = sa.create_engine(database_url)
    try:
        _upgrade(engine, "0002")
        edited = "tornedalsradet"
        with engine.begin() as connection:
            networks = sa.Table("networks", sa.MetaData(), autoload_with=connection)
            rows = []
            for network_id, colour in old.items():
                row = {c.name: "" for c in networks.columns if c.name not in ("row_id", "version")}
                row.update(id=network_id, kind="mining", source="x", certainty="stated", version=3)
                # Someone chose a colour of their own for one network; another is stored in lower case.
                row["color"] = "#123456" if network_id == edited else colour.lower()
                rows.append(row)
            connection.execute(networks.insert(), rows)
            memberships = sa.Table("memberships", sa.MetaData(), autoload_with=connection)
            assert "note_en" not in memberships.columns
        before = _revision(engine)

        _upgrade(engine, "head")
        after = _colours(engine)
        for network_id in old:
            if network_id == edited:
                assert after[network_id] == ("#123456", 3)
            elif network_id in changed:
                assert after[network_id] == (new[network_id], 4), network_id
            else:
                assert after[network_id] == (old[network_id].lower(), 3), network_id
        assert _revision(engine) == before + 1  # caches and open forms see the change
        with engine.connect() as connection:
            for table in ("memberships", "places"):
                columns = {c["name"]: c for c in sa.inspect(connection).get_columns(table)}
                assert "note_en" in columns and not columns["note_en"]["nullable"]
            assert MigrationContext.configure(connection).get_current_revision() == db.head_revision() == "0003"

        _downgrade(engine, "0002")
        assert _colours(engine) == after  # colours stay: the new defaults are valid under 0002 too
        with engine.connect() as connection:
            assert "note_en" not in {c["name"] for c in sa.inspect(connection).get_columns("memberships")}
    finally:
        engine.dispose()


def test_a_new_database_stores_and_exports_the_english_notes(database_url, tmp_path):
    engine = store.open_database(database_url, DATA_DIR)
    try:
        written = store.export_csv(engine, tmp_path)
        assert written["memberships.csv"] > 100
        for name in ("memberships.csv", "places.csv"):
            with (tmp_path / name).open(encoding="utf-8") as f:
                exported = list(csv.DictReader(f))
            with (DATA_DIR / name).open(encoding="utf-8") as f:
                seeded = list(csv.DictReader(f))
            assert [r["note_en"] for r in exported] == [r["note_en"] for r in seeded]
            # Every Swedish note has its English version.
            assert all(r["note_en"] for r in exported if r["note"]), name
        dataset = store.load_from_database(engine)
        english = dataset.in_language("en")
        finspang = english.memberships[english.memberships["name"] == "Finspång"].iloc[0]
        assert finspang["note"].startswith('Listed as a member "f n" (at present)')
        assert finspang["note_sv"].startswith('Listad som medlem "f n"')
        assert dataset.memberships.equals(dataset.in_language("sv").memberships)
    finally:
        engine.dispose()
