"""What an input may cost (kommunkarta/limits.py) and what it may hold: spreadsheet bombs,
oversized cells and rows, deep GeoJSON and a million bad rows are refused early with a
clear message; control characters are row and field problems and formula starts are
neutralised (issue 10.4, 10.5). The other holes of issue 10 are tested beside their
modules: test_outputs_maps, test_analysis, test_service_layers, test_ui_markdown,
test_static_maps, test_ui_connection, test_cli and test_auth."""

from __future__ import annotations

import pandas as pd
import pytest

from kommunkarta.loader import load_dataset

# -- 4. spreadsheet bombs -----------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="networks" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
NETWORK_COLUMNS = ["id", "name", "kind", "source", "certainty"]


def handmade_xlsx(write_rows, dimension: str = "") -> bytes:
    """An .xlsx written part by part, its sheet ("networks") streamed by
    ``write_rows(write)``: a bomb need not exist in memory to be built."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"")
                + b"<sheetData>"
            )
            write_rows(sheet.write)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def xml_row(number: int, values: list[str]) -> bytes:
    from xml.sax.saxutils import escape

    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def network_row(i: int, name: str = "") -> list[str]:
    return [f"bomb_{i}", name or f"Nätverk {i}", "collaboration", "https://example.se/", "stated"]


@pytest.fixture
def cli_home(tmp_path, monkeypatch):
    """The command line's database in a folder of the test's own; its revision."""
    from kommunkarta.storage import db, store

    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KOMMUNKARTA_DATABASE_URL", raising=False)
    engine = store.open_database(db.database_url({}))

    def state():
        return db.revision(engine), {t: len(rows) for t, rows in store.current_state(engine).items()}

    yield state
    engine.dispose()


def cli_import(path, capsys) -> tuple[int, str]:
    from kommunkarta import cli

    code = cli.main(["db", "import", str(path)])
    return code, capsys.readouterr().err


def test_a_handmade_workbook_is_read(tmp_path, cli_home, capsys):
    """The builder makes workbooks that import: the bombs below fail for their size only."""

    def rows(write):
        write(xml_row(1, NETWORK_COLUMNS))
        write(xml_row(2, network_row(1)))

    path = tmp_path / "networks.xlsx"
    path.write_bytes(handmade_xlsx(rows))
    before = cli_home()
    code, err = cli_import(path, capsys)
    assert code == 0, err
    assert cli_home()[1]["networks"] == before[1]["networks"] + 1


def test_a_workbook_with_a_500_mb_cell_is_refused_before_it_is_opened(tmp_path, cli_home, capsys, monkeypatch):
    import openpyxl

    chunk = b"A" * (1 << 20)

    def rows(write):
        write(xml_row(1, NETWORK_COLUMNS))
        write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>bomb</t></is></c><c r="B2" t="inlineStr"><is><t>')
        for _ in range(500):
            write(chunk)
        write(b"</t></is></c></row>")

    raw = handmade_xlsx(rows)
    assert len(raw) < 600_000  # half a megabyte that unpacks to 500 MB
    path = tmp_path / "networks.xlsx"
    path.write_bytes(raw)

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    before = cli_home()
    code, err = cli_import(path, capsys)
    assert code == 1
    assert "xl/worksheets/sheet1.xml packas upp till ca 500 MB; gränsen är 40 MB" in err
    assert cli_home() == before


def test_a_sheet_of_2_million_rows_is_refused(tmp_path, cli_home, capsys):
    """3–4 MB of rows: refused by the unpacked size of the sheet, before reading."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'

    def rows(write):
        write(xml_row(1, NETWORK_COLUMNS))
        for _ in range(200):
            write(row * 10_000)

    path = tmp_path / "networks.xlsx"
    path.write_bytes(handmade_xlsx(rows))
    before = cli_home()
    code, err = cli_import(path, capsys)
    assert code == 1 and "packas upp till" in err and "dela upp filen" in err
    assert cli_home() == before


def test_rows_past_the_limit_stop_the_reading(tmp_path, cli_home, capsys):
    """Rows small enough to pass the size checks are counted while reading, and a sheet
    that claims a million rows and columns in its dimension is not believed."""
    from kommunkarta import limits

    def rows(write):
        write(xml_row(1, NETWORK_COLUMNS))
        for i in range(limits.TABLE_ROWS + 5):
            write(f'<row r="{i + 2}"><c r="A{i + 2}"><v>{i}</v></c></row>'.encode())

    path = tmp_path / "networks.xlsx"
    path.write_bytes(handmade_xlsx(rows, dimension="A1:XFD1048576"))
    before = cli_home()
    code, err = cli_import(path, capsys)
    assert code == 1 and f"networks.xlsx [networks]:{limits.TABLE_ROWS + 2}:-: bladet har fler än 100" in err
    assert cli_home() == before
    # the same dimension on a small sheet reads its two rows, not a million empty ones
    from kommunkarta.storage import uploads

    small = handmade_xlsx(lambda w: (w(xml_row(1, NETWORK_COLUMNS)), w(xml_row(2, network_row(1)))), "A1:XFD1048576")
    sheets, problems = uploads.read_upload("networks.xlsx", small)
    assert problems == [] and len(sheets[0].rows) == 1


def test_a_csv_upload_of_2_million_rows_is_refused(tmp_path, cli_home, capsys):
    path = tmp_path / "networks.csv"
    path.write_bytes(b"id\n" + b"x\n" * 2_000_000)
    before = cli_home()
    code, err = cli_import(path, capsys)
    assert code == 1 and "filen har fler än 100\u00a0000 rader" in err
    assert cli_home() == before


def test_a_cell_over_the_length_limits_is_a_row_and_field_problem(tmp_path, cli_home, capsys):
    from kommunkarta import limits

    def rows(write):
        write(xml_row(1, NETWORK_COLUMNS))
        write(xml_row(2, network_row(1)))
        write(xml_row(3, network_row(2, "N" * (limits.CELL_CHARS + 1))))  # past what is read
        write(xml_row(4, network_row(3, "M" * (limits.LINE_CHARS + 1))))  # past the schema's name
        write(xml_row(5, network_row(4)))

    path = tmp_path / "networks.xlsx"
    path.write_bytes(handmade_xlsx(rows))
    before = cli_home()
    code, err = cli_import(path, capsys)
    assert code == 1
    assert "networks.xlsx [networks]:3:name: cellen har 10\u00a0001 tecken; högst 10\u00a0000" in err
    from kommunkarta.storage import uploads

    sheets, problems = uploads.read_upload("networks.xlsx", path.read_bytes())
    assert [(p.row, p.field) for p in problems] == [(3, "name")]
    sheets[0].rows = [r for r in sheets[0].rows if r[0] != 3]
    from kommunkarta.storage import db, store

    preview = uploads.plan_upload(store.open_database(db.database_url({})), sheets, "upsert")
    assert [(p.row, p.field) for p in preview.problems] == [(4, "name")]
    assert "högst 2 000" in preview.problems[0].message
    assert cli_home() == before


def test_geojson_nested_200000_deep_gets_a_clear_message():
    from kommunkarta.service import importers

    with pytest.raises(importers.ImportFailed) as refused:
        importers.read_points("djup.geojson", b"[" * 200_000 + b"]" * 200_000)
    assert "nästlad 200\u00a0000 nivåer djupt; gränsen är 64" in str(refused.value)
    # brackets in strings do not count, and ordinary GeoJSON passes
    text = b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"[[[[\\"[[["},'
    text += b'"geometry":{"type":"Point","coordinates":[16.09,61.83]}}]}'
    assert importers.json_depth(text) == 5
    assert importers.read_points("b.geojson", text).points["name"].tolist() == ['[[[["[[[']


def test_an_import_of_a_million_bad_rows_lists_a_few_per_field(tmp_path, capsys):
    from kommunkarta import cli, limits

    path = tmp_path / "punkter.csv"
    path.write_bytes(b"name,lat,lon\n" + b"x,abc,16.0\n" * 30_000 + b"ok,61.83,16.09\n")
    code = cli.main(["vulnerable-shops", "--facilities", str(path), "--origins", str(path)])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("punkter.csv:")]  # problem lines
    assert len(lines) <= 2 * (limits.PROBLEMS_PER_FIELD + 1), len(lines)
    assert f"… och {30_000 - limits.PROBLEMS_PER_FIELD} problem till i samma fält" in err
    assert code == 0


# -- 5. control characters and formulas ---------------------------------------------------------

HIDDEN_FORMULA = "https://ex.se/b\r=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "field, value",
    [
        ("source", HIDDEN_FORMULA),
        ("name", "Nät\nverk"),
        ("name", "Nät\x00verk"),
        ("short_name", "Kort\tnamn"),
        ("source", "https://ex.se/\u2028x"),
    ],
)
def test_control_characters_in_a_single_line_field_are_a_row_and_field_problem(data_copy, field, value):
    from .conftest import edit_rows

    edit_rows(data_copy / "networks.csv", lambda rows: rows[0].update({field: value}))
    ds = load_dataset(data_copy)
    [problem] = [p for p in ds.problems if p.file == "networks.csv"]
    # the row's line in the file (a quoted line break makes a record end a line later)
    assert problem.row == 2 + value.count("\n") + value.count("\r") and problem.field == field
    assert "styrtecken" in problem.message
    assert len(ds.networks) == 10  # the rest is kept


def test_long_text_keeps_its_line_breaks(data_copy):
    from .conftest import edit_rows

    edit_rows(data_copy / "networks.csv", lambda rows: rows[0].update(description="Rad ett.\r\nRad två.\tMed tabb."))
    ds = load_dataset(data_copy)
    assert not ds.problems
    assert ds.networks.iloc[0]["description"] == "Rad ett.\r\nRad två.\tMed tabb."


def test_an_upload_with_a_carriage_return_is_refused(tmp_path, cli_home, capsys):
    import csv as csvmodule
    import io

    text = io.StringIO()
    writer = csvmodule.writer(text)
    writer.writerow(NETWORK_COLUMNS)
    writer.writerow(["cr_test", "Nätverk", "collaboration", HIDDEN_FORMULA, "stated"])
    path = tmp_path / "networks.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    before = cli_home()
    code, err = cli_import(path, capsys)
    assert code == 1 and "networks.csv:3:source: texten innehåller ett styrtecken, vagnretur (CR)" in err
    assert cli_home() == before


def test_csv_exports_keep_a_carriage_return_inside_its_cell():
    import csv as csvmodule
    import io

    from kommunkarta.outputs import formats

    frame = pd.DataFrame({"källa": [HIDDEN_FORMULA, "vanlig"], "n": [1, 2]})
    for excel in (False, True):
        text = formats.to_csv_bytes(frame, excel=excel).decode("utf-8-sig")
        rows = list(csvmodule.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))
        assert rows == [["källa", "n"], [HIDDEN_FORMULA, "1"], ["vanlig", "2"]]
        # A spreadsheet that starts a row at any bare CR or LF outside quotes sees no "=cmd" row.
        outside = "".join(part for i, part in enumerate(text.split('"')) if i % 2 == 0)
        assert not any(line.startswith("=") for line in outside.replace("\r", "\n").split("\n"))


@pytest.mark.parametrize("value", ["=1+1", " =1+1", "\u00a0=HYPERLINK(x)", "\t+1", "  @SUM(A1)", "\r\n-2"])
def test_formula_starts_after_spaces_are_neutralised(value):
    from kommunkarta.outputs import formats

    assert formats.neutralise_cell(value) == "'" + value
    assert formats.neutralise_cell("Ljusdal - Los") == "Ljusdal - Los"


def test_db_export_quotes_a_stored_carriage_return(tmp_path, cli_home):
    """A value stored before control characters were refused still exports so that it
    reads back as one row."""
    import csv as csvmodule

    import sqlalchemy

    from kommunkarta.storage import db, store

    engine = store.open_database(db.database_url({}))
    with engine.begin() as connection:
        connection.execute(
            sqlalchemy.update(db.Network).where(db.Network.id == "gruvkommuner").values(source=HIDDEN_FORMULA)
        )
    store.export_csv(engine, tmp_path / "ut")
    with (tmp_path / "ut" / "networks.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csvmodule.DictReader(f))
    assert len(rows) == 11
    assert next(r for r in rows if r["id"] == "gruvkommuner")["source"] == HIDDEN_FORMULA
