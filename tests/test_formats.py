import csv
import io
import json

import pandas as pd

from kommunkarta.outputs import formats


def test_cells_that_look_like_formulas_are_neutralised():
    frame = pd.DataFrame({"a": ['=HYPERLINK("x")', "+46", "-1", "@SUM(A1)", "Kiruna", "a=b"], "n": [1, 2, 3, 4, 5, 6]})
    rows = list(csv.reader(io.StringIO(formats.to_csv_bytes(frame).decode("utf-8"))))
    assert [r[0] for r in rows[1:]] == ['\'=HYPERLINK("x")', "'+46", "'-1", "'@SUM(A1)", "Kiruna", "a=b"]
    assert [r[1] for r in rows[1:]] == ["1", "2", "3", "4", "5", "6"]  # numbers stay numbers


def test_excel_csv_has_semicolons_and_a_bom():
    data = formats.to_csv_bytes(pd.DataFrame({"kommun": ["Åre"], "invånare": [11000]}), excel=True)
    assert data.startswith("\ufeff".encode("utf-8"))
    assert data.decode("utf-8-sig").splitlines() == ["kommun;invånare", "Åre;11000"]


def test_membership_export_has_one_row_per_relation_with_the_documented_columns(dataset, table):
    frame = formats.memberships_export(table)
    assert list(frame.columns) == formats.MEMBERSHIP_EXPORT_COLUMNS
    assert len(frame) == len(dataset.memberships)
    swedish = frame[frame["country"] == "SE"]
    assert swedish["kommun_kod"].str.fullmatch(r"\d{4}").all()
    assert (frame.loc[frame["country"] != "SE", "kommun_kod"] == "").all()


def test_geojson_export_gives_swedish_rows_their_boundary(table):
    frame = formats.memberships_export(table)
    collection = json.loads(formats.to_geojson_bytes(frame))
    features = collection["features"]
    assert len(features) == len(frame)
    kiruna = next(f for f in features if f["properties"]["kommun"] == "Kiruna")
    assert kiruna["geometry"]["type"] in ("Polygon", "MultiPolygon")
    enontekio = next(f for f in features if f["properties"]["kommun"] == "Enontekiö")
    assert enontekio["geometry"] is None
    assert kiruna["properties"]["kommun_kod"] == "2584"
