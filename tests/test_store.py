"""The storage suite: migrations, seeding, uploads, history, undo and conflicts, each
on SQLite and on a real PostgreSQL server (the ``engine`` fixture)."""

import csv
import io
import shutil
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from openpyxl import Workbook
from sqlalchemy import func, select

from kommunkarta.loader import load_dataset
from kommunkarta.schema import FILES
from kommunkarta.storage import db, store, uploads

from .conftest import DATA_DIR

INDUSTRY = "industrikommuner"


def counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {t: connection.execute(select(func.count()).select_from(m)).scalar_one() for t, m in db.CURATED.items()}


def upload(engine, name: str, raw: bytes, mode="upsert", table=None) -> uploads.Preview:
    sheets, problems = uploads.read_upload(name, raw, table)
    return uploads.plan_upload(engine, sheets, mode, problems)


def messages(preview) -> list[str]:
    return [str(p) for p in preview.problems]


def membership(state, network_id, name):
    return next(
        r for r in state["memberships"].values() if r.values["network_id"] == network_id and r.values["name"] == name
    )


MEMBERSHIP_HEADER = "network_id;kommun_kod;name;country;role;since;until;source;certainty;note"


def swedish_excel_csv(*lines: str) -> bytes:
    """What Excel on a Swedish Windows writes: semicolons, CRLF, Windows-1252."""
    return ("\r\n".join((MEMBERSHIP_HEADER, *lines)) + "\r\n").encode("cp1252")


# -- schema and seeding ---------------------------------------------------------------------


def test_migrations_build_exactly_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert context.get_current_revision() == db.head_revision()
        assert compare_metadata(context, db.Base.metadata) == []


def test_model_columns_are_the_data_files_columns():
    for table, file in db.FILE_OF.items():
        assert db.DATA_COLUMNS[table] == list(FILES[file].model_fields)


def test_seeded_database_shows_what_the_files_show_and_exports_back(engine, tmp_path):
    from_files = load_dataset(DATA_DIR)
    from_database = store.load_from_database(engine, DATA_DIR)
    for name in ("networks", "memberships", "projects", "places"):
        expected = getattr(from_files, name).drop(columns="row")
        assert getattr(from_database, name).drop(columns="row").equals(expected), name
    assert from_database.problems == []

    exported = tmp_path / "data"
    written = store.export_csv(engine, exported)
    assert written == {"networks.csv": 11, "memberships.csv": 153, "projects.csv": 11, "places.csv": 43}
    for other in ("population.csv", "seats.csv", "municipal_centres.csv"):
        shutil.copy(DATA_DIR / other, exported / other)
    again = load_dataset(exported)
    assert again.problems == []
    for name in ("networks", "memberships", "projects", "places"):
        assert getattr(again, name).drop(columns="row").equals(getattr(from_files, name).drop(columns="row")), name


def test_seeding_happens_once(engine, database_url):
    before = store.history(engine)
    assert [(b.kind, b.counts) for b in before] == [("seed", {"insert": 11 + 153 + 11 + 43})]
    again = store.open_database(database_url, DATA_DIR)
    assert len(store.history(again)) == 1
    again.dispose()


def test_seeding_keeps_valid_rows_and_records_the_rejected(database_url, data_copy):
    from .conftest import edit_rows

    def break_one(rows):
        rows[0]["certainty"] = "säker"

    edit_rows(data_copy / "memberships.csv", break_one)
    engine = store.open_database(database_url, data_copy)
    try:
        dataset = store.load_from_database(engine, data_copy)
        assert len(dataset.memberships) == 152
        assert [str(p) for p in dataset.problems] == [
            "memberships.csv:2:certainty: 'säker' är inte ett av stated, likely, unverified"
        ]
    finally:
        engine.dispose()


# -- uploads ---------------------------------------------------------------------------------


def test_swedish_excel_csv_adds_a_member_with_notices(engine):
    rows_before = counts(engine)["memberships"]
    preview = upload(
        engine,
        "medlemmar.csv",
        swedish_excel_csv(
            f"{INDUSTRY};;Falu kommun;SE;member;2024;;https://example.se/nytt-medlemskap;likely;Ny medlem enligt årsmötet i Örebro"
        ),
    )
    assert preview.problems == [] and preview.can_write
    assert [p.message for p in preview.notices] == [
        "filen är inte UTF-8; den lästes som Windows-1252 – spara den som UTF-8",
        "filen använder semikolon som avgränsare; den lästes ändå, men spara den med komma",
    ]
    [added] = preview.rows("insert")
    assert added.values["kommun_kod"] == "2080" and added.values["name"] == "Falun"
    assert added.values["note"] == "Ny medlem enligt årsmötet i Örebro"

    store.apply(engine, preview.changes, "anna", "upload")
    dataset = store.load_from_database(engine, DATA_DIR)
    members = dataset.memberships[dataset.memberships["network_id"] == INDUSTRY]
    assert "Falun" in set(members["name"]) and len(dataset.memberships) == rows_before + 1


def test_upload_with_bom_and_decimal_commas_updates_a_place(engine):
    state = store.current_state(engine)
    place = next(r for r in state["places"].values() if r.values["id"] == "solleron")
    raw = "\ufeffid;lat;lon\r\nsolleron;60,92;14,62\r\n".encode("utf-8")
    preview = upload(engine, "platser.csv", raw)
    assert preview.problems == []
    [changed] = preview.rows("update")
    assert (changed.values["lat"], changed.values["lon"]) == ("60.92", "14.62")
    # Columns the upload lacks keep their stored values.
    assert changed.values["name"] == "Sollerön" and changed.values["source"] == place.values["source"]
    assert preview.before[("places", place.row_id)]["lat"] == "60.91"


def test_a_failing_row_rolls_the_whole_upload_back(engine):
    before, revision = counts(engine), db.revision(engine)
    preview = upload(
        engine,
        "medlemmar.csv",
        swedish_excel_csv(
            f"{INDUSTRY};;Falun;SE;member;2024;;https://example.se/a;likely;",
            f"{INDUSTRY};;Trollhätan;SE;member;2024;;https://example.se/a;likely;",
            f"{INDUSTRY};;Gävle;SE;member;2025;2023;https://example.se/a;osäker;",
        ),
    )
    assert messages(preview) == [
        "medlemmar.csv:3:name: okänd kommun 'Trollhätan'; menar du Trollhättan?",
        "medlemmar.csv:4:until: slutet 2023 ligger före starten 2025",
        "medlemmar.csv:4:certainty: 'osäker' är inte ett av stated, likely, unverified",
    ]
    assert not preview.can_write
    with pytest.raises(store.Rejected) as rejected:
        store.apply(engine, preview.changes, "anna", "upload")
    assert len(rejected.value.problems) == 3
    assert counts(engine) == before and db.revision(engine) == revision
    assert len(store.history(engine)) == 1


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        (
            "dubbletter.csv",
            swedish_excel_csv(
                f"{INDUSTRY};;Falun;SE;member;2024;;https://example.se/a;likely;",
                f"{INDUSTRY};2080;;SE;member;2024;;https://example.se/b;likely;",
            ),
            "dubbletter.csv:3:role: dubblett av rad 2 (industrikommuner / Falun (SE) / member)",
        ),
        (
            "vind.csv",
            swedish_excel_csv(
                "vindkraft;;Falun;SE;member;2024;;https://example.se/a;likely;",
            ),
            "vind.csv:2:network_id: okänt nätverk 'vindkraft'",
        ),
        (
            "formel.csv",
            swedish_excel_csv(
                f'{INDUSTRY};;Falun;SE;member;2024;;=HYPERLINK("http://x.se");likely;',
            ),
            'formel.csv:2:source: cellen innehåller en formel (=HYPERLINK("http://x.se")); skriv in värdet i stället',
        ),
        (
            "minus.csv",
            swedish_excel_csv(
                f"{INDUSTRY};;Falun;SE;member;2024;;https://example.se/a;likely;-kolla med kansliet",
            ),
            "minus.csv:2:note: '-kolla med kansliet' börjar med '-' och skulle läsas som en formel i Excel",
        ),
        ("typ.csv", b"id;lat;lon\nsolleron;norr;14,62\n", "typ.csv:2:lat: 'norr' är inget tal"),
        ("sweref.csv", b"id;lat;lon\nsolleron;6756000;480000\n", "sweref.csv:2:lat: 6756000.0 är inga grader"),
        ("platser.csv", b"id;latitud\nsolleron;60.9\n", "platser.csv:1:latitud: okänd kolumn för places"),
        ("vad.csv", b"kommun;antal\nFalun;3\n", "vad.csv:1:-: kan inte avgöra vilken tabell filen gäller"),
        # An empty file must not read as "remove every row" to a replacing upload.
        ("projekt.csv", b"id;name;source;certainty\r\n", "projekt.csv:0:-: filen har inga rader att läsa in"),
    ],
)
def test_bad_uploads_are_refused_by_row_and_field(engine, name, raw, expected):
    before = counts(engine)
    preview = upload(engine, name, raw)
    assert any(m.startswith(expected) for m in messages(preview)), messages(preview)
    assert not preview.can_write
    assert counts(engine) == before


def test_uploading_stored_rows_again_changes_nothing(engine, tmp_path):
    store.export_csv(engine, tmp_path)
    preview = upload(engine, "memberships.csv", (tmp_path / "memberships.csv").read_bytes(), mode="replace")
    assert preview.problems == [] and preview.changes == [] and preview.unchanged == 153


def test_oversized_upload_is_refused_before_reading():
    sheets, problems = uploads.read_upload("stor.csv", b"x" * (uploads.MAX_UPLOAD_BYTES + 1))
    assert sheets == [] and str(problems[0]) == "stor.csv:0:-: filen är 5,0 MB; gränsen är 5 MB – dela upp den"


def test_replacing_a_networks_members_removes_those_missing_and_nothing_else(engine):
    state = store.current_state(engine)
    members = [r.values for r in state["memberships"].values() if r.values["network_id"] == INDUSTRY]
    kept = members[1:]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=db.DATA_COLUMNS["memberships"], delimiter=";")
    writer.writeheader()
    writer.writerows(kept)
    raw = text.getvalue().encode("cp1252")
    preview = upload(engine, "industri.csv", raw, mode="replace")
    assert preview.problems == []
    [removed] = preview.rows("delete")
    assert preview.before[("memberships", removed.row_id)]["name"] == members[0]["name"]
    assert preview.rows("insert") == [] and preview.unchanged == len(kept)
    store.apply(engine, preview.changes, "anna", "upload")
    after = counts(engine)
    assert after["memberships"] == 152 and after["networks"] == 11


def test_workbook_with_a_sheet_per_table_is_one_transaction(engine):
    book = Workbook()
    networks = book.active
    networks.title = "networks"
    networks.append(["id", "name", "kind", "source", "certainty", "start"])
    networks.append(["vindkraft", "Vindkraftskommuner", "collaboration", "https://example.se/vind", "stated", 2023])
    members = book.create_sheet("medlemskap")
    members.append(["network_id", "name", "country", "role", "source", "certainty"])
    members.append(["vindkraft", "Strömsund", "SE", "member", "https://example.se/vind", "stated"])
    members.append(["vindkraft", 2260, "SE", "member", "https://example.se/vind", "stated"])  # Ånge by its code
    book.create_sheet("Anteckningar").append(["Att göra", "ringa kansliet"])
    raw = io.BytesIO()
    book.save(raw)
    preview = upload(engine, "vindkraft.xlsx", raw.getvalue())
    assert preview.problems == [], messages(preview)
    [notice] = preview.notices  # the notes sheet is said, and does not stop the upload
    assert str(notice).startswith(
        "vindkraft.xlsx [Anteckningar]:1:-: bladet lästes inte: kan inte avgöra vilken tabell"
    )
    assert {(c.table, c.values.get("name")) for c in preview.rows("insert")} == {
        ("networks", "Vindkraftskommuner"),
        ("memberships", "Strömsund"),
        ("memberships", "Ånge"),
    }
    store.apply(engine, preview.changes, "anna", "upload")
    dataset = store.load_from_database(engine, DATA_DIR)
    assert "vindkraft" in set(dataset.networks["id"])
    assert set(dataset.memberships.loc[dataset.memberships["network_id"] == "vindkraft", "name"]) == {
        "Strömsund",
        "Ånge",
    }


def test_workbook_formulas_are_refused(engine):
    book = Workbook()
    sheet = book.active
    sheet.title = "projects"
    sheet.append(["id", "name", "source", "certainty"])
    sheet.append(["nytt", '=CONCAT("a";"b")', "https://example.se", "stated"])
    raw = io.BytesIO()
    book.save(raw)
    preview = upload(engine, "projekt.xlsx", raw.getvalue())
    assert messages(preview) == [
        'projekt.xlsx [projects]:2:name: cellen innehåller en formel (=CONCAT("a";"b")); skriv in värdet i stället'
    ]


def test_a_change_that_breaks_other_rows_is_refused(engine):
    state = store.current_state(engine)
    network = next(r for r in state["networks"].values() if r.values["id"] == INDUSTRY)
    with pytest.raises(store.Rejected) as rejected:
        store.apply(
            engine, [store.RowChange("networks", "delete", network.row_id, None, network.version)], "anna", "edit"
        )
    problems = rejected.value.problems
    referring = sum(
        r.values["network_id"] == INDUSTRY for t in ("memberships", "projects", "places") for r in state[t].values()
    )
    assert referring > 19 and len(problems) == referring
    assert all(p.field == "network_id" and "okänt nätverk 'industrikommuner'" in p.message for p in problems)
    assert counts(engine)["networks"] == 11


# -- history, undo and conflicts ----------------------------------------------------------------


def test_history_records_who_when_before_and_after_and_undo_restores(engine):
    state = store.current_state(engine)
    kiruna = membership(state, "gruvkommuner", "Pajala")
    edited = {**kiruna.values, "certainty": "likely", "note": "Ändrad"}
    batch = store.apply(
        engine,
        [store.RowChange("memberships", "update", kiruna.row_id, edited, kiruna.version)],
        "anna",
        "edit",
        "rättning",
    )
    [record] = [b for b in store.history(engine) if b.batch_id == batch]
    assert (record.user, record.kind, record.note, record.counts) == ("anna", "edit", "rättning", {"update": 1})
    [change] = store.batch_changes(engine, batch)
    assert change["before"] == kiruna.values and change["after"] == edited
    assert (change["version_before"], change["version_after"]) == (1, 2)

    undo = store.undo(engine, batch, "bertil")
    restored = store.current_state(engine)["memberships"][kiruna.row_id]
    assert restored.values == kiruna.values and restored.version == 3
    history = {b.batch_id: b for b in store.history(engine)}
    assert history[batch].undone_by == undo and history[undo].undoes == batch and history[undo].user == "bertil"
    with pytest.raises(ValueError):
        store.undo(engine, batch, "bertil")


def test_undoing_a_delete_brings_the_row_back_under_its_id(engine):
    state = store.current_state(engine)
    row = membership(state, INDUSTRY, "Oskarshamn")
    batch = store.apply(
        engine, [store.RowChange("memberships", "delete", row.row_id, None, row.version)], "anna", "edit"
    )
    assert row.row_id not in store.current_state(engine)["memberships"]
    store.undo(engine, batch, "anna")
    back = store.current_state(engine)["memberships"][row.row_id]
    assert back.values == row.values
    # ...and the undo can itself be undone.
    redo = store.history(engine)[0].batch_id
    store.undo(engine, redo, "anna")
    assert row.row_id not in store.current_state(engine)["memberships"]


def test_undo_of_a_row_changed_since_is_a_conflict(engine):
    state = store.current_state(engine)
    row = membership(state, INDUSTRY, "Oskarshamn")
    first = store.apply(
        engine,
        [store.RowChange("memberships", "update", row.row_id, {**row.values, "note": "ett"}, row.version)],
        "anna",
        "edit",
    )
    store.apply(
        engine,
        [store.RowChange("memberships", "update", row.row_id, {**row.values, "note": "två"}, row.version + 1)],
        "bertil",
        "edit",
    )
    with pytest.raises(store.Conflicted) as conflict:
        store.undo(engine, first, "anna")
    [c] = conflict.value.conflicts
    assert c.theirs["note"] == "två" and c.yours == row.values
    assert store.current_state(engine)["memberships"][row.row_id].values["note"] == "två"


def test_two_editors_on_one_row_the_later_save_gets_a_conflict(engine):
    state = store.current_state(engine)
    row = membership(state, INDUSTRY, "Oskarshamn")  # both editors read version 1
    anna = {**row.values, "note": "Annas text"}
    bertil = {**row.values, "certainty": "likely", "note": "Bertils text"}
    store.apply(
        engine,
        [store.RowChange("memberships", "update", row.row_id, anna, row.version, ("Medlemskap", 5))],
        "anna",
        "edit",
    )
    with pytest.raises(store.Conflicted) as conflict:
        store.apply(
            engine,
            [store.RowChange("memberships", "update", row.row_id, bertil, row.version, ("Medlemskap", 5))],
            "bertil",
            "edit",
        )
    [c] = conflict.value.conflicts
    assert (c.yours, c.theirs, c.origin) == (bertil, anna, ("Medlemskap", 5))
    assert store.current_state(engine)["memberships"][row.row_id].values == anna  # nothing overwritten


def test_deleting_a_row_someone_else_changed_is_a_conflict(engine):
    row = membership(store.current_state(engine), INDUSTRY, "Oskarshamn")
    store.apply(
        engine,
        [store.RowChange("memberships", "update", row.row_id, {**row.values, "note": "ny"}, row.version)],
        "anna",
        "edit",
    )
    with pytest.raises(store.Conflicted) as conflict:
        store.apply(engine, [store.RowChange("memberships", "delete", row.row_id, None, row.version)], "bertil", "edit")
    assert conflict.value.conflicts[0].yours is None and conflict.value.conflicts[0].theirs["note"] == "ny"


def test_concurrent_writers_queue_and_both_land(engine):
    lines = {
        "anna": f"{INDUSTRY};;Falun;SE;member;2024;;https://example.se/a;likely;",
        "bertil": f"{INDUSTRY};;Åre;SE;member;2024;;https://example.se/b;likely;",
    }
    previews = {user: upload(engine, f"{user}.csv", swedish_excel_csv(line)) for user, line in lines.items()}
    errors = []

    def write(user):
        try:
            store.apply(engine, previews[user].changes, user, "upload")
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=write, args=(user,)) for user in previews]
    revision = db.revision(engine)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.revision(engine) == revision + 2
    assert counts(engine)["memberships"] == 155


def test_editor_delta_becomes_row_changes(engine):
    rows = list(store.current_state(engine)["projects"].values())
    changes = uploads.editor_changes(
        "projects",
        rows,
        edited={"1": {"name": "Samhälle och gruva <b>fet</b>"}},
        added=[
            {
                "id": "nytt_projekt",
                "name": "Nytt",
                "source": "https://example.se",
                "certainty": "stated",
                "kommuner": "Falu kommun; Borlänge",
            }
        ],
        deleted=[2],
        label="Projekt",
    )
    assert [(c.action, c.origin) for c in changes] == [
        ("update", ("Projekt", 2)),
        ("insert", ("Projekt", 12)),
        ("delete", ("Projekt", 3)),
    ]
    assert changes[1].values["kommuner"] == "Falun; Borlänge"
    store.apply(engine, changes, "anna", "edit")
    projects = store.load_from_database(engine, DATA_DIR).projects.set_index("id")
    assert projects.loc[rows[1].values["id"], "name"] == "Samhälle och gruva <b>fet</b>"
    assert rows[2].values["id"] not in projects.index and "nytt_projekt" in projects.index


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_downloaded_table_uploads_again_unchanged_and_carries_an_edit(engine, fmt):
    rows = [r for r in store.current_state(engine)["memberships"].values() if r.values["network_id"] == INDUSTRY]
    raw = uploads.table_file("memberships", rows, fmt)
    preview = upload(engine, f"memberships-{INDUSTRY}.{fmt}", raw, mode="replace")
    assert preview.problems == [] and preview.changes == [] and preview.unchanged == len(rows)

    if fmt == "xlsx":  # what a coordinator does in Excel: change a cell, save, upload
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw))
        sheet = book["memberships"]
        header = [c.value for c in sheet[1]]
        sheet.cell(2, header.index("certainty") + 1, "likely")
        edited = io.BytesIO()
        book.save(edited)
        preview = upload(engine, "memberships.xlsx", edited.getvalue(), mode="replace")
        [change] = preview.changes
        assert (
            change.action == "update"
            and change.values["certainty"] == "likely"
            and change.origin == ("memberships.xlsx [memberships]", 2)
        )


def test_rows_added_in_a_networks_member_list_belong_to_it(engine):
    rows = [r for r in store.current_state(engine)["memberships"].values() if r.values["network_id"] == INDUSTRY]
    [change] = uploads.editor_changes(
        "memberships",
        rows,
        {},
        [{"name": "Falu kommun", "role": "member", "source": "https://example.se", "certainty": "stated"}],
        [],
        "Medlemskap",
        defaults={"network_id": INDUSTRY, "country": "SE"},
    )
    assert (change.values["network_id"], change.values["country"], change.values["kommun_kod"]) == (
        INDUSTRY,
        "SE",
        "2080",
    )
    assert store.check(engine, [change]) == ([], [])
