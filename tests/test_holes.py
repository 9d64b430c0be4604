"""The holes of issue 10, each reproduced: script in map tooltips, anonymous writes,
quadratic analysis, spreadsheet bombs, control characters, Markdown from data, mathtext,
and the rest. Browser and server-process checks are in test_browser.py and
test_no_third_party.py."""

from __future__ import annotations

import copy
import re

import pandas as pd
import pytest
from streamlit_folium import _get_feature_group_string

from kommunkarta import profiles, selection
from kommunkarta.loader import load_dataset
from kommunkarta.outputs import downloads, maps

from .conftest import SCRIPT_PAYLOADS, inject_script_payloads, payload

# -- 1. script in map text --------------------------------------------------------------------


def assert_inert(html: str, expected_shown: int = 1) -> None:
    """No payload survives in a form a browser would run, and the escaped text is there
    (looked for also with folium's JSON escapes such as \\u0026 turned back)."""
    html = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)
    for raw in ("${alert", "`+alert", "</script><script>alert", "<script>alert"):
        assert raw not in html, raw
    assert html.count("&#36;{alert(1)}") + html.count("&#96;+alert(1)+&#96;") >= expected_shown


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    import shutil

    from .conftest import DATA_DIR

    target = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    inject_script_payloads(target)
    ds = load_dataset(target)
    assert not ds.problems
    return ds, selection.membership_table(ds)


def test_map_text_neutralises_template_literals_and_html():
    assert maps.map_text("${alert(1)}") == "&#36;{alert(1)}"
    assert maps.map_text("`+alert(1)+`") == "&#96;+alert(1)+&#96;"
    assert maps.map_text("</script>") == "&lt;/script&gt;"
    assert maps.map_text("a\\u{x}") == "a&#92;u{x}"
    assert maps.map_text("\"x\" & 'y'") == "&quot;x&quot; &amp; &#x27;y&#x27;"


def test_no_script_payload_reaches_any_map_layer(hostile):
    ds, table = hostile
    properties = maps.kommun_properties(table, ds.population, "sv", ds.projects)
    # kommun shapes (networks and projects in the tooltips) and the legend
    assert_inert(maps.base_map(properties, ds.networks).get_root().render(), 3)
    layers = maps.network_layers(selection.apply_filters(table, selection.Filters()), ds.networks)
    for layer in layers:
        assert_inert(_get_feature_group_string(copy.deepcopy(layer), maps.folium.Map(), 0), 0)
    assert any("&#36;{alert(1)}" in layer.layer_name or "&#96;" in layer.layer_name for layer in layers)
    # places (name, coordinate source), foreign members, related networks, the legend
    for network_id in ("serviceutveckling_2022", "tornedalsradet", "filmpool_nord"):
        html = downloads.network_map_file(profiles.network_view(ds, table, network_id), ds, table, "html").decode()
        assert_inert(html, 2)
    tornedal = downloads.network_map_file(
        profiles.network_view(ds, table, "tornedalsradet"), ds, table, "html"
    ).decode()
    assert "Tornio &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in tornedal  # the foreign member
    assert "Centrum &#36;{alert(1)}" in tornedal  # its centre
    places = downloads.network_map_file(
        profiles.network_view(ds, table, "serviceutveckling_2022"), ds, table, "html"
    ).decode()
    assert "Plats " in places and "Källa " in places
    assert_inert(downloads.overview_map_file(ds, table, selection.Filters(), "html", "t").decode(), 3)
    assert_inert(downloads.kommun_map_file(ds, table, "2584", "html").decode(), 3)


def test_no_script_payload_reaches_the_service_map():
    facilities = pd.DataFrame(
        {"id": ["a", "b"], "name": [payload(0, "Butik"), payload(1, "Butik")], "lat": [62.0, 63.0], "lon": [15, 16]}
    )
    origins = pd.DataFrame(
        {
            "origin_id": ["o1", "o2", "o3"],
            "name": [payload(i, "Ort") for i in range(3)],
            "lat": [62.1, 62.2, 62.3],
            "lon": [15.0, 15.1, 15.2],
            "distance_km": [1.0, 25.0, 40.0],
        }
    )
    added = pd.DataFrame({"name": [payload(2, "Tänkt")], "lat": [62.5], "lon": [15.5]})
    layers = maps.access_layers(
        origins,
        facilities,
        30.0,
        vulnerable_ids=["a"],
        added=added,
        rings=((62.1, 15.0, 10.0, payload(0, "Ring")),),
        measure=([(62.0, 15.0), (62.5, 15.5)], payload(1, "Mått")),
    )
    html = "".join(_get_feature_group_string(copy.deepcopy(layer), maps.folium.Map(), 0) for layer in layers)
    assert_inert(html, 6)
    assert_inert(maps.outline_map(("2584",)).get_root().render(), 0)


@pytest.mark.parametrize("text", SCRIPT_PAYLOADS)
def test_tooltip_is_the_only_way_text_reaches_a_plain_tooltip(text):
    m = maps.folium.Map()
    maps.folium.CircleMarker([62, 15], tooltip=maps.map_text(text)).add_to(m)
    assert_inert(m.get_root().render(), 0)


# -- 3. the analysis is O(n log n) and agrees with brute force ------------------------------


def brute_force_vulnerable(origins, facilities, threshold_km):
    """Pairwise distances, the obvious way: next facility per facility, and per origin
    the facility whose closing leaves it beyond the threshold."""
    import numpy as np

    fxy = facilities[["x", "y"]].to_numpy()
    oxy = origins[["x", "y"]].to_numpy()
    ff = np.hypot(*(fxy[:, None, :] - fxy[None, :, :]).transpose(2, 0, 1)) / 1000
    np.fill_diagonal(ff, np.inf)
    of = np.hypot(*(oxy[:, None, :] - fxy[None, :, :]).transpose(2, 0, 1)) / 1000
    places = np.zeros(len(fxy), dtype=int)
    people = np.zeros(len(fxy))
    for i, row in enumerate(of):
        order = np.argsort(row, kind="stable")
        first, second = row[order[0]], row[order[1]] if len(row) > 1 else np.inf
        if first <= threshold_km < second:
            places[order[0]] += 1
            people[order[0]] += origins["population"].iloc[i]
    return pd.DataFrame(
        {"id": facilities["id"], "next_km": ff.min(axis=1), "places_lost": places, "population_lost": people}
    )


@pytest.mark.parametrize("seed", range(6))
def test_vulnerable_facilities_agree_with_brute_force(seed):
    import numpy as np

    from kommunkarta.service import analysis

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    x = rng.uniform(500_000, 600_000, n)
    y = rng.uniform(6_900_000, 7_000_000, n)
    # a third of the facilities stand where another one stands
    twins = rng.choice(n, size=n // 3)
    x[: len(twins)], y[: len(twins)] = x[twins], y[twins]
    facilities = pd.DataFrame(
        {"id": [f"f{i}" for i in range(n)], "name": "", "kind": "grocery", "kommun_kod": "", "x": x, "y": y}
    ).assign(lat=0.0, lon=0.0)
    m = int(rng.integers(1, 200))
    origins = pd.DataFrame(
        {
            "id": [f"o{i}" for i in range(m)],
            "name": "",
            "kommun_kod": "",
            "x": rng.uniform(480_000, 620_000, m),
            "y": rng.uniform(6_880_000, 7_020_000, m),
            "population": rng.integers(0, 5000, m),
        }
    ).assign(lat=0.0, lon=0.0)
    threshold = float(rng.uniform(5, 40))
    got = analysis.vulnerable_facilities(origins, analysis.Facilities.build(facilities), threshold).set_index("id")
    want = brute_force_vulnerable(origins, facilities, threshold).set_index("id").loc[got.index]
    assert np.allclose(got["next_facility_km"], want["next_km"])
    assert (got["isolated"] == (want["next_km"] > threshold)).all()
    assert (got["places_lost"] == want["places_lost"]).all()
    assert np.allclose(got["population_lost"], want["population_lost"])
    # nearest facility of each origin, against the pairwise minimum
    access = analysis.service_access(origins, analysis.Facilities.build(facilities), threshold)
    pairwise = np.hypot(
        origins["x"].to_numpy()[:, None] - x[None, :], origins["y"].to_numpy()[:, None] - y[None, :]
    ).min(axis=1)
    assert np.allclose(access["distance_km"], pairwise / 1000)


def test_k_nearest_counts_each_point_at_a_shared_site():
    import numpy as np

    from kommunkarta.service import analysis

    points = pd.DataFrame({"id": list("abcd"), "x": [0.0, 0.0, 0.0, 1000.0], "y": [0.0, 0.0, 0.0, 0.0]})
    facilities = analysis.Facilities.build(points.assign(lat=0.0, lon=0.0))
    assert len(facilities.site_xy) == 2
    dist, rows = facilities.nearest(np.array([[10.0, 0.0]]), k=4)
    assert list(dist[0]) == [10.0, 10.0, 10.0, 990.0]
    assert sorted(points["id"].iloc[rows[0, :3]]) == ["a", "b", "c"] and rows[0, 3] == 3
    dist, rows = facilities.nearest(np.array([[10.0, 0.0]]), k=6)
    assert np.isinf(dist[0, 4:]).all() and (rows[0, 4:] == -1).all()
    assert list(facilities.next_site_m()) == [0.0, 0.0, 0.0, 1000.0]


# -- 2. shared layers need the editor login; 3. a plain visit computes nothing ---------------

PASSWORD = "ett långt lösenord för test"
SHOPS_CSV = b"id,name,lat,lon\nica,ICA Ljusdal,61.83,16.09\ncoop,Coop J\xc3\xa4rvs\xc3\xb6,61.716,16.17\nlos,Handlarn Los,61.736,15.169\n"


@pytest.fixture
def service_home(tmp_path, monkeypatch):
    """A private user folder and fresh caches; one stored shop layer."""
    import streamlit as st

    from kommunkarta.service import importers, stored_layers

    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    st.cache_data.clear()
    st.cache_resource.clear()
    shops = tmp_path / "butiker.csv"
    shops.write_bytes(SHOPS_CSV)
    stored_layers.save(importers.read_points(shops, kind="grocery"), "Butiker", "facilities")
    yield tmp_path / "home"
    st.cache_data.clear()
    st.cache_resource.clear()


def app(secrets: bool = False, query: str = ""):
    from streamlit.testing.v1 import AppTest

    from kommunkarta import paths
    from kommunkarta.storage import auth

    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=90)
    if secrets:
        at.secrets["editing"] = {"users": {"anna": auth.hash_password(PASSWORD)}}
    for key, value in dict(p.split("=", 1) for p in query.split("&") if p).items():
        at.query_params[key] = value
    return at.run()


def service_as(editor: bool):
    at = app(secrets=True)
    if editor:
        at.switch_page("app_pages/edit.py").run()
        at.text_input(key="kk_login_user").input("anna")
        at.text_input(key="kk_login_password").input(PASSWORD)
        next(b for b in at.button if b.label == "Logga in").click().run()
        assert at.session_state["kk_editor"] == "anna"
    return at.switch_page("app_pages/service.py").run()


def stored_ids() -> list[str]:
    from kommunkarta.service import stored_layers

    return [i.id for i in stored_layers.list_layers()]


def test_a_visitor_cannot_store_or_remove_a_layer_but_can_analyse_a_file(service_home):
    at = service_as(editor=False)
    assert not at.exception
    assert at.button(key="sa_upload_save").disabled
    assert "kräver inloggning som redaktör" in " ".join(c.value for c in at.caption)
    assert not [s for s in at.selectbox if s.key == "sa_remove"]  # no remove for visitors
    at.file_uploader(key="sa_upload").set_value(("mina.csv", SHOPS_CSV.replace(b"ICA", b"Mitt ICA"), "text/csv"))
    at.text_input(key="sa_upload_title").input("Mina butiker")
    at.run()
    assert at.button(key="sa_upload_save").disabled and not at.button(key="sa_upload_use").disabled
    # A forged click on the disabled button (as a hand-made websocket message could
    # send) stores nothing either.
    forged = at.button(key="sa_upload_save")
    forged.proto.disabled = False
    forged.click().run()
    assert stored_ids() == ["butiker"]
    at.button(key="sa_upload_use").click().run()
    assert not at.exception
    assert "används i den här sessionen och sparas inte" in at.success[0].value
    assert stored_ids() == ["butiker"]
    own = [o for o in at.selectbox(key="sa_layer").options if o.startswith("Mina butiker")]
    assert own, at.selectbox(key="sa_layer").options
    assert at.selectbox(key="sa_layer").value.startswith("session-")  # chosen, and analysed
    nearest = set(at.dataframe[-1].value["Närmaste service"].dropna())
    assert "Mitt ICA Ljusdal" in nearest and "ICA Ljusdal" not in nearest
    # another visitor does not see it
    assert all(not o.startswith("Mina") for o in service_as(editor=False).selectbox(key="sa_layer").options)


def test_an_editor_stores_and_removes_a_layer(service_home):
    at = service_as(editor=True)
    at.file_uploader(key="sa_upload").set_value(("nya.csv", SHOPS_CSV, "text/csv"))
    at.text_input(key="sa_upload_title").input("Nya butiker")
    at.run()
    assert not at.button(key="sa_upload_save").disabled
    at.button(key="sa_upload_save").click().run()
    assert not at.exception
    assert sorted(stored_ids()) == ["butiker", "nya-butiker"]
    at.selectbox(key="sa_remove").set_value("butiker").run()
    at.button(key="sa_remove_button").click().run()
    assert stored_ids() == ["nya-butiker"]


def test_a_layer_title_of_300_characters_gets_a_clear_message(service_home):
    from kommunkarta.service import importers, stored_layers

    long_title = "Butiker i " + "Ljusdal " * 40
    assert len(long_title) > 300
    with pytest.raises(ValueError, match="högst 120"):
        stored_layers.save(importers.read_points("b.csv", SHOPS_CSV), long_title, "facilities")
    # a title just within the limit still makes a file name the file system takes
    info = stored_layers.save(importers.read_points("b.csv", SHOPS_CSV), "Å" * 120, "facilities")
    assert len(info.id) <= 60 and info.title == "Å" * 120
    info = stored_layers.save(importers.read_points("b.csv", SHOPS_CSV), "ä" * 70 + "x" * 50, "facilities")
    assert len(info.id) <= 65 and info.id in stored_ids()  # a numbered id when taken
    # The title defaults to the file's name, which the browser sends as it is.
    at = service_as(editor=True)
    at.file_uploader(key="sa_upload").set_value((long_title + ".csv", SHOPS_CSV, "text/csv"))
    at.run()
    at.button(key="sa_upload_save").click().run()
    assert not at.exception
    assert "högst 120" in at.error[0].value and "File name too long" not in at.error[0].value
    assert len(stored_ids()) == 3  # nothing stored by the refused upload


def test_a_plain_visit_never_recomputes_a_stored_layers_analysis(service_home, monkeypatch):
    from kommunkarta.service import analysis

    calls = []
    original = analysis.vulnerable_facilities

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(analysis, "vulnerable_facilities", counted)
    first = service_as(editor=False)
    assert not first.exception and calls
    calls.clear()
    second = service_as(editor=False)  # another visitor, the same layer and parameters
    assert not second.exception
    assert calls == []
    assert [m.value for m in second.metric] == [m.value for m in first.metric]


def test_a_layer_where_no_shop_is_vulnerable_shows_the_page(tmp_path, monkeypatch):
    """Three shops in one town, nationally: none isolated, none whose closing leaves
    anyone beyond 30 km. The map used to fail with 'The field n is not available'."""
    import streamlit as st

    from kommunkarta.service import importers, stored_layers

    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    st.cache_data.clear()
    st.cache_resource.clear()
    shops = b"id,name,lat,lon\na,A,61.83,16.09\nb,B,61.831,16.091\nc,C,61.832,16.092\n"
    stored_layers.save(importers.read_points("b.csv", shops, kind="grocery"), "Tre butiker", "facilities")
    at = service_as(editor=False)
    assert not at.exception
    assert [m.value for m in at.metric][2] == "0"  # no vulnerable shop
    assert not maps.access_layers(
        pd.DataFrame(columns=["origin_id", "name", "lat", "lon", "distance_km"]),
        pd.DataFrame(columns=["id", "name", "lat", "lon"]),
        30.0,
    )[0]._children


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


# -- 6. no Markdown from the data or the URL ---------------------------------------------------

PHISH = "[Logga in här](http://evil/phish) ![t](http://evil/track.png)"


def markdown_sources(at) -> list[str]:
    """The Markdown source of every element Streamlit renders as Markdown."""
    texts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        texts += [str(e.value) for e in getattr(at, kind)]
    for metric in at.metric:
        texts += [metric.label, str(metric.proto.help)]
    return texts


def assert_no_markdown_from_data(texts: list[str], shown: str) -> None:
    import re

    joined = "\n".join(texts)
    assert shown in joined or shown.replace(" ", "") in joined  # the text is there …
    for text in texts:  # … but never as a link or an image
        assert not re.search(r"(?<!\\)\]\(", text), text
        assert not re.search(r"(?<!\\)!(?<!\\)\[", text), text
        assert "http://evil" not in text, text


def test_a_link_parameter_is_shown_as_text():
    at = app(query="lan=" + PHISH)
    assert not at.exception
    assert_no_markdown_from_data(markdown_sources(at), "Logga in här")
    at = app(query="kommun=" + PHISH)
    at.switch_page("app_pages/kommun.py").run()
    assert not at.exception
    assert_no_markdown_from_data(markdown_sources(at), "Logga in här")


def test_stored_descriptions_are_shown_as_text(data_copy, monkeypatch):
    import streamlit as st

    from .conftest import edit_rows

    def inject(rows):
        rows[-1].update(description=PHISH, unknowns=PHISH, organiser=PHISH, source="https://ex.se " + PHISH)
        rows[-1]["name"] = "Nät $x^2$ :red[röd] " + PHISH

    edit_rows(data_copy / "networks.csv", inject)
    monkeypatch.setenv("KOMMUNKARTA_DATA_DIR", str(data_copy))
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(data_copy.parent / "home"))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        network_id = load_dataset(data_copy).networks.iloc[-1]["id"]
        at = app()
        from .test_app import open_network_page

        open_network_page(at, network_id)
        assert not at.exception
        texts = markdown_sources(at)
        assert_no_markdown_from_data(texts, "Logga in här")
        assert not any("$x^2$" in t or ":red[" in t for t in texts)
        at = app(query=f"views={network_id}")
        at.switch_page("app_pages/present.py").run()
        assert not at.exception
        assert_no_markdown_from_data(markdown_sources(at), "Logga in här")
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


# -- 7. matplotlib shows text as text, and a failed export says so --------------------------------

MATH_NAME = "Matte $\\foo{x}$ nät"


def test_exports_of_a_network_named_with_dollars(data_copy):
    import io

    from pptx import Presentation

    from .conftest import edit_rows

    def rename(rows):
        for row in rows:
            if row["id"] == "tornedalsradet":
                row["name"] = row["short_name"] = MATH_NAME

    edit_rows(data_copy / "networks.csv", rename)
    ds = load_dataset(data_copy)
    assert not ds.problems
    table = selection.membership_table(ds)
    png = downloads.network_map_file(profiles.network_view(ds, table, "tornedalsradet"), ds, table, "png")
    assert png.startswith(b"\x89PNG")
    svg = downloads.network_map_file(profiles.network_view(ds, table, "tornedalsradet"), ds, table, "svg").decode()
    assert MATH_NAME in svg  # the name as written, not typeset
    overview = downloads.overview_map_file(ds, table, selection.Filters(), "svg", MATH_NAME).decode()
    assert MATH_NAME in overview
    kiruna = downloads.kommun_map_file(ds, table, "2584", "svg").decode()
    assert MATH_NAME in kiruna  # in the legend of the kommun's networks
    deck = Presentation(io.BytesIO(downloads.deck_file([profiles.network_view(ds, table, "tornedalsradet")], table)))
    titles = [shape.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert MATH_NAME in titles


def test_a_failed_export_is_kept_to_be_shown():
    from kommunkarta.ui import panels

    failures = {}

    def broken():
        raise ValueError("det gick inte")

    with pytest.raises(ValueError):
        panels.guarded(broken, "karta.png", failures)()
    assert failures == {"karta.png": "ValueError: det gick inte"}
    assert panels.guarded(lambda: b"ok", "ok.png", failures)() == b"ok"


# -- 9. the listening address -----------------------------------------------------------------------


def effective_streamlit_options(command: list[str]) -> dict:
    """What streamlit's own command line makes of the command `kommunkarta run` runs."""
    from streamlit.web import cli as streamlit_cli

    assert command[1:4] == ["-m", "streamlit", "run"]
    return streamlit_cli.main.commands["run"].make_context("run", command[4:]).params


def test_run_listens_on_localhost_unless_told_otherwise(tmp_path):
    from kommunkarta import cli

    options = effective_streamlit_options(cli.streamlit_command(tmp_path / "app.py", []))
    assert options["server_address"] == "localhost"
    assert options["server_headless"] is True and options["browser_gatherUsageStats"] is False
    options = effective_streamlit_options(
        cli.streamlit_command(tmp_path / "app.py", ["--server.address", "0.0.0.0", "--server.port", "8600"])
    )
    assert options["server_address"] == "0.0.0.0" and options["server_port"] == 8600


# -- smaller: the login throttle counts parallel attempts ------------------------------------------


def test_30_parallel_login_attempts_check_only_the_free_ones(engine, monkeypatch):
    import datetime as dt
    import threading

    import sqlalchemy

    from kommunkarta.storage import auth, db

    config = auth.EditingConfig({"anna": auth.hash_password("rätt lösenord")}, False, ())
    checked = []
    verify = auth._verify
    monkeypatch.setattr(auth, "_verify", lambda *a: checked.append(1) or verify(*a))
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.timezone.utc)
    start = threading.Barrier(30)
    results = []

    def attempt():
        start.wait()
        results.append(auth.attempt_login(engine, config, "anna", "fel lösenord", now))

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 30
    assert len(checked) == auth.FREE_ATTEMPTS
    assert sum(not r.throttled for r in results) == auth.FREE_ATTEMPTS
    with engine.connect() as connection:
        failures = connection.execute(
            sqlalchemy.select(db.LoginFailure.failures).where(db.LoginFailure.user == "anna")
        ).scalar_one()
    assert failures == auth.FREE_ATTEMPTS
    # later, the right password is checked again, and clears the count
    later = now + dt.timedelta(seconds=auth.wait_after(auth.FREE_ATTEMPTS))
    assert auth.attempt_login(engine, config, "anna", "rätt lösenord", later).user == "anna"


# -- smaller: an unreachable database, a bad presentation step -------------------------------------


def all_texts(at) -> str:
    texts = markdown_sources(at) + [str(e.value) for e in at.exception]
    texts += [str(getattr(e, "value", "")) for e in at.get("code")]
    return "\n".join(texts)


def test_an_unreachable_database_says_so_without_its_host(monkeypatch, caplog):
    import streamlit as st

    # a closed port on this machine: refused at once, and nothing leaves the machine
    monkeypatch.setenv("KOMMUNKARTA_DATABASE_URL", "postgresql://kk_user:hemligt@127.0.0.1:1/kommunkarta")
    st.cache_resource.clear()
    try:
        at = app()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert "Databasen går inte att nå just nu" in at.error[0].value
    shown = all_texts(at)
    assert "127.0.0.1" not in shown and "kk_user" not in shown and "hemligt" not in shown
    assert "127.0.0.1" in caplog.text  # for whoever runs it


def test_a_presentation_step_that_is_no_number_gets_a_message():
    at = app(query="step=²")
    at.switch_page("app_pages/present.py").run()
    assert not at.exception
    assert "step=²" in "\n".join(w.value for w in at.warning).replace("\\", "")
    assert "**1 /" in at.markdown[0].value or any("**1 /" in m.value for m in at.markdown)


def test_the_service_page_refuses_a_deeply_nested_geojson_clearly(service_home):
    at = service_as(editor=False)
    at.file_uploader(key="sa_upload").set_value(("djup.geojson", b"[" * 200_000 + b"]" * 200_000, "application/json"))
    at.run()
    at.button(key="sa_upload_use").click().run()
    assert not at.exception
    assert "nästlad 200\u00a0000 nivåer djupt" in at.error[0].value.replace("\\", "")
    assert stored_ids() == ["butiker"] and not at.session_state["sa_own_layers"]
