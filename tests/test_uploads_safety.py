"""Workbooks with malformed XML or a control character in a sheet name (issue 19, Low):
a message naming the file, never a parse error from lxml or ElementTree."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from kommunkarta.storage import uploads


def workbook() -> dict[str, bytes]:
    book = Workbook()
    sheet = book.active
    sheet.title = "networks"
    sheet.append(["id", "name"])
    sheet.append(["n1", "Ett nätverk"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rebuilt(parts: dict[str, bytes], part: str, change) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, change(data) if name == part else data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "part, change",
    [
        ("xl/workbook.xml", lambda d: d.replace(b'name="networks"', b'name="net&#1;works"')),  # escaped
        ("xl/workbook.xml", lambda d: d.replace(b'name="networks"', b'name="net\x01works"')),  # raw
        ("xl/workbook.xml", lambda d: d[:-30]),
        ("xl/worksheets/sheet1.xml", lambda d: d[:-30]),
    ],
    ids=["sheet-name-char-ref", "sheet-name-raw", "workbook-cut", "sheet-cut"],
)
def test_malformed_workbook_xml_gives_a_message(part, change):
    parts = workbook()
    sheets, problems = uploads.read_upload("natverk.xlsx", rebuilt(parts, part, lambda d: d))
    assert sheets and not [p for p in problems if p.level == "error"]  # the workbook itself reads
    sheets, problems = uploads.read_upload("natverk.xlsx", rebuilt(parts, part, change))
    assert sheets == []
    assert [(p.file, p.row, p.code) for p in problems] == [("natverk.xlsx", 0, "workbook_unreadable")]
    assert "XML" in problems[0].message
