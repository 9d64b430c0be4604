"""English everywhere (issue 15): problems with codes in both languages, the translation
table without unused or one-sided keys, English network names, English exports, and a
walk of every page in English that looks for Swedish wherever it is rendered."""

from __future__ import annotations

import ast
import io
import re
import string
import typing
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from pydantic_core import core_schema
from streamlit.testing.v1 import AppTest

from kommunkarta import geo, i18n, paths, profiles, selection
from kommunkarta.loader import load_dataset
from kommunkarta.outputs import downloads, formats
from kommunkarta.problems import has_text
from kommunkarta.storage import auth, db, store, uploads

from .conftest import DATA_DIR, edit_rows, read_csv, write_csv
from .support.apptest import open_lazy_expanders
from .support.published import js_unescaped

PACKAGE = Path(paths.__file__).resolve().parent

# Words of the Swedish interface that carry no å, ä or ö (those are caught by their
# letters). None of them is an English word the interface uses.
SWEDISH_WORDS = {
    "och",
    "med",
    "som",
    "inte",
    "eller",
    "av",
    "den",
    "det",
    "att",
    "har",
    "kan",
    "ska",
    "alla",
    "inga",
    "ingen",
    "nya",
    "rad",
    "rader",
    "fel",
    "kolumn",
    "kolumnen",
    "filen",
    "fil",
    "ladda",
    "ned",
    "ner",
    "visa",
    "sparad",
    "karta",
    "kartan",
    "kommunen",
    "tabell",
    "tabellen",
    "namn",
    "roll",
    "medlem",
    "medlemmar",
    "medlemskap",
    "deltagare",
    "sannolik",
    "exempel",
    "pilotkommun",
    "samarbete",
    "gruvkommuner",
    "industri",
    "butiker",
    "butik",
    "orter",
    "ort",
    "invånare",
    "folkmängd",
    "yta",
    "nummer",
    "typ",
    "okänd",
    "saknas",
    "dubblett",
    "datum",
    "tal",
    "punkten",
    "ligger",
    "utanför",
    "redigera",
    "logga",
    "spara",
    "ändring",
    "tidslinje",
    "projekt",
    "platser",
    "lager",
    "uppgiven",
    "obekräftad",
    "inbjuden",
    "databasen",
    "bladet",
    "grunddata",
}
WORD = re.compile(r"[^\W\d_]+")


def swedish_words(text: str, allowed: set[str]) -> set[str]:
    """Words of ``text`` that read as Swedish: a letter å, ä or ö, or a common Swedish
    interface word, unless ``allowed`` (names from the data, the English table's own)."""
    found = set()
    for word in WORD.findall(text):
        lower = word.casefold()
        if lower in allowed:
            continue
        if set("åäö") & set(lower) or lower in SWEDISH_WORDS:
            found.add(word)
    return found


def words_of(values) -> set[str]:
    return {w.casefold() for v in values for w in WORD.findall(str(v))}


def english_table_words() -> set[str]:
    """Words the English texts use on purpose ("kommun", "län", "Språk / Language")."""
    return words_of(en.split("{")[0] + " " + en for _, en in i18n.TEXTS.values())


def test_the_word_check_finds_swedish_and_passes_english():
    allowed = english_table_words()
    assert swedish_words("1 rader i datafilerna underkändes", allowed) == {"rader", "underkändes"}
    assert swedish_words("Medlem (uppgiven i källan)", allowed) == {"Medlem", "uppgiven", "källan"}
    assert swedish_words("Kommuner in at least one network", allowed) == set()
    assert swedish_words("Kiruna (ägare)", allowed | {"kiruna"}) == {"ägare"}


# -- problems -----------------------------------------------------------------------------------


def broken_copy(data_copy: Path) -> Path:
    """The data with one of every kind of mistake the loader finds."""

    def memberships(rows):
        rows[0]["certainty"] = "säker"
        rows[1]["since"] = "hösten 2020"
        rows[3]["since"], rows[3]["until"] = "2022", "2020"
        rows[4]["network_id"] = "okant_natverk"
        rows[5]["role"] = ""
        rows[6]["kommun_kod"], rows[6]["name"] = "2080", "Mora"
        rows[8]["kommun_kod"], rows[8]["name"] = "", "Hedemorra"
        rows[9]["note"] = "=SUM(A1)"
        rows.append(dict(rows[7]))  # a duplicate

    def places(rows):
        rows[0]["lat"], rows[0]["lon"] = "6900000", "500000"
        rows[1]["lat"], rows[1]["lon"] = "48.85", "2.35"
        rows[2]["lat"] = "norr"

    def projects(rows):
        rows[0]["kommuner"] = "Hedemorra; Trollhätan"
        rows[1]["start"] = "2022-13"

    edit_rows(data_copy / "memberships.csv", memberships)
    edit_rows(data_copy / "places.csv", places)
    edit_rows(data_copy / "projects.csv", projects)
    fields, rows = read_csv(data_copy / "networks.csv")
    rows.append({**rows[0], "id": "Gruv kommuner"})  # not an id
    write_csv(data_copy / "networks.csv", [*fields, "farg"], [{**r, "farg": ""} for r in rows])
    return data_copy


def test_every_problem_has_a_code_and_reads_in_both_languages(data_copy, dataset):
    problems = load_dataset(broken_copy(data_copy)).problems
    assert len(problems) >= 15
    allowed = english_table_words() | words_of(geo.names_by_code().values()) | {"säker", "hösten", "hedemorra"}
    allowed |= {"trollhätan", "trollhättan", "norr", "natverk", "okant", "farg"} | words_of(dataset.networks["id"])
    for problem in problems:
        assert problem.code and has_text(problem.code), problem
        if not problem.code.startswith("pydantic_"):
            assert problem.text("sv") == problem.message  # what the command line prints, unchanged
        english = problem.text("en")
        assert english != problem.text("sv") or not swedish_words(problem.text("sv"), allowed)
        assert swedish_words(english, allowed) == set(), (str(problem), english)
    by_text = [p.line("en") for p in problems]
    assert "memberships.csv:2:certainty: 'säker' is not one of stated, likely, unverified" in by_text
    assert "memberships.csv:3:since: 'hösten 2020' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD" in by_text, by_text
    assert "memberships.csv:5:until: the end 2020 lies before the start 2022" in by_text
    assert "memberships.csv:8:kommun_kod: the kommun code 2080 (Falun) does not match the name 'Mora'" in by_text
    assert any(
        line.startswith("projects.csv:2:kommuner: unknown kommun 'Hedemorra'; do you mean Hedemora")
        and "; unknown kommun 'Trollhätan'; do you mean Trollhättan?" in line
        for line in by_text
    ), by_text
    assert "networks.csv:1:farg: unknown column (a typo?); it was not read" in by_text
    [duplicate] = [p for p in problems if p.code == "duplicate"]
    assert duplicate.other_row == 9 and duplicate.text("en") == "duplicate of row 9"


def test_a_duplicate_of_a_stored_row_names_that_row_by_its_number(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'k.sqlite'}")
    db.upgrade(engine)
    store.seed(engine, DATA_DIR)
    stored = next(iter(store.current_state(engine)["memberships"].values()))
    again = {**stored.values, "note": "again"}
    with pytest.raises(store.Rejected) as rejected:
        store.apply(
            engine, [store.RowChange("memberships", "insert", values=again, origin=("Medlemskap", 7))], "a", "edit"
        )
    [problem] = rejected.value.problems
    assert (problem.file, problem.row, problem.code) == ("Medlemskap", 7, "duplicate_in")
    assert problem.other_row == stored.row_id
    assert problem.message == f"dubblett av rad {stored.row_id} i memberships (databasen)"
    assert problem.line("en") == f"Medlemskap:7:role: duplicate of row {stored.row_id} in memberships (database)"


def test_upload_problems_read_in_english():
    _sheets, problems = uploads.read_upload("vad.xlsx", b"not a workbook")
    assert [p.text("en") for p in problems] == ["the file is not an Excel workbook (.xlsx); save it as .xlsx or CSV"]
    _sheets, problems = uploads.read_upload("vad.csv", b"kommun;antal\nFalun;3\n")
    assert problems[1].text("en").startswith("cannot tell which table the file is for (columns: kommun, antal)")
    assert [p.code for p in problems] == ["semicolons", "table_unclear"]
    big = uploads.read_upload("stor.csv", b"x" * (uploads.MAX_UPLOAD_BYTES + 1))[1][0]
    assert big.message.startswith("filen är 5,0 MB") and big.text("en").startswith("the file is 5.0 MB")


# -- the translation table ----------------------------------------------------------------------


def _code_strings() -> tuple[set[str], set[str], set[str]]:
    """(string literals, f-string prefixes, keys passed literally to t/tr) in the package
    and the app (app.py and its pages, which live beside the package)."""
    literals, prefixes, called = set(), set(), set()
    for path in [*PACKAGE.rglob("*.py"), paths.APP_SCRIPT, *paths.PAGES_DIR.glob("*.py")]:
        if "i18n" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                prefixes.add(node.values[0].value)
            elif isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ("t", "tr") and node.args and isinstance(node.args[0], ast.Constant):
                    called.add(node.args[0].value)
    return literals, prefixes, called


def _used(key: str, literals: set[str], prefixes: set[str]) -> bool:
    if key in literals:
        return True
    if key.endswith("_one") and _used(key.removesuffix("_one"), literals, prefixes):
        return True  # the singular form t() picks for n == 1
    pydantic_types = set(typing.get_args(core_schema.ErrorType))
    for prefix in prefixes:
        if prefix and key.startswith(prefix) and len(prefix) >= 4:
            rest = key[len(prefix) :]
            if rest in literals:  # f"batch_{kind}" with "seed" somewhere in the code
                return True
            if rest.startswith("pydantic_") and rest.removeprefix("pydantic_") in pydantic_types:
                return True  # f"pydantic_{error['type']}" for one of pydantic's error types
    return False


def test_every_translation_key_is_used_and_every_used_key_exists():
    from kommunkarta.i18n.reader import parser_texts

    from .test_reader import _parser

    literals, prefixes, called = _code_strings()
    # The command line's help is translated by its Swedish text (i18n.reader.translate_parser).
    literals |= {text for _, _, text in parser_texts(_parser("sv"))}
    unused = sorted(
        key for key in i18n.TEXTS if not _used(key, literals, prefixes) and i18n.TEXTS[key][0] not in literals
    )
    assert unused == []
    assert sorted(called - set(i18n.TEXTS)) == []


def test_every_text_has_both_languages_with_the_same_placeholders():
    fields = string.Formatter()
    for key, pair in i18n.TEXTS.items():
        assert isinstance(pair, tuple) and len(pair) == 2 and all(p.strip() for p in pair), key
        # A parameter may have a Swedish form of its own (a number with a decimal comma).
        sv, en = ({f.removesuffix("_sv") for _, f, _, _ in fields.parse(text) if f} for text in pair)
        assert sv == en, key


def test_counted_texts_have_their_singular():
    assert i18n.t("rejected_rows", "en", n=1) == "1 row of the data files was rejected and is not shown"
    assert i18n.t("rejected_rows", "en", n=2) == "2 rows of the data files were rejected and are not shown"
    assert i18n.t("upload_problems", "en", n=1).startswith("The file cannot be written: 1 problem.")
    assert i18n.t("rejected_rows", "sv", n=1).startswith("1 rad i datafilerna")


# -- network names and exports ------------------------------------------------------------------


def test_every_network_has_english_names_and_the_english_dataset_uses_them(dataset):
    assert (dataset.networks["name_en"] != dataset.networks["name"]).sum() >= 9
    _, rows = read_csv(DATA_DIR / "networks.csv")
    assert all(r["name_en"] and r["short_name_en"] for r in rows)
    english = dataset.in_language("en")
    assert list(english.networks["name"]) == [r["name_en"] for r in rows]
    assert list(english.networks["short_name"]) == [r["short_name_en"] for r in rows]
    assert list(english.networks["name_sv"]) == list(dataset.networks["name"])
    assert dataset.in_language("sv") is dataset


def test_english_tables_label_roles_and_certainty_in_english(dataset):
    english = dataset.in_language("en")
    table = selection.membership_table(english)
    summary = selection.kommun_summary(table, english, "en")
    other = " ".join(summary["other_relations"]) + " " + " ".join(summary["not_stated"])
    assert "(meeting host)" in other and "(likely)" in other
    assert not re.search(r"\((ägare|värd för möte|sannolik|obekräftad|inbjuden)\)", other)
    swedish = selection.kommun_summary(selection.membership_table(dataset), dataset)
    assert "(värd för möte)" in " ".join(swedish["other_relations"])


def test_english_workbook_has_english_sheets_headings_and_network_names(dataset):
    from openpyxl import load_workbook

    english = dataset.in_language("en")
    table = selection.membership_table(english)
    summary = selection.kommun_summary(table, english, "en")
    book = load_workbook(io.BytesIO(downloads.overview_workbook(english, table, summary, "en")))
    assert book.sheetnames == ["Kommuner", "Memberships", "Sources"]
    heads = {name: [c.value for c in book[name][1]] for name in book.sheetnames}
    assert heads["Sources"] == ["network", "kommun", "role", "source", "certainty"]
    assert heads["Kommuner"][:3] == ["Code", "Kommun", "County"]
    allowed = english_table_words() | words_of(geo.names_by_code().values())
    for name, row in heads.items():
        assert swedish_words(" ".join(map(str, row)), allowed) == set(), (name, row)
    networks = {row[0] for row in book["Sources"].iter_rows(min_row=2, values_only=True)}
    renamed = dataset.networks["name"] != dataset.networks["name_en"]
    assert set(english.networks["name"]) <= networks and not networks & set(dataset.networks["name"][renamed])
    roles = {row[2] for row in book["Sources"].iter_rows(min_row=2, values_only=True)}
    assert "(the network)" in roles and "(nätverket)" not in roles
    members = load_workbook(
        io.BytesIO(
            downloads.memberships_workbook(
                english, table[table["network_id"] == "tornedalsradet"], "sheet_members", "en"
            )
        )
    )
    assert members.sheetnames == ["Members", "Sources"]
    csv_head = formats.to_csv_bytes(downloads.headed(summary, downloads.SUMMARY_HEADINGS, "en")).decode().split("\n")[0]
    assert (
        csv_head
        == "Code,Kommun,County,FA region,Population 2025,Networks,Network names,Other relations,Not stated by the source"
    )


def test_the_swedish_workbook_is_as_before(dataset):
    from openpyxl import load_workbook

    table = selection.membership_table(dataset)
    book = load_workbook(io.BytesIO(downloads.memberships_workbook(dataset, table, "sheet_memberships")))
    assert book.sheetnames == ["Medlemskap", "Källor"]
    assert [c.value for c in book["Källor"][1]] == ["nätverk", "kommun", "roll", "källa", "säkerhet"]


def test_the_migration_adds_the_english_short_name(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'k.sqlite'}")
    db.upgrade(engine)
    assert "short_name_en" in db.DATA_COLUMNS["networks"]
    store.seed(engine, DATA_DIR)
    stored = {r.values["id"]: r.values for r in store.current_state(engine)["networks"].values()}
    assert stored["tornedalsradet"]["short_name_en"] == "Tornedal Council"


# -- the walk -----------------------------------------------------------------------------------

EDITORS = {"editing": {"users": {"Anna": auth.hash_password("rätt lösenord")}}}


def _texts(at: AppTest) -> list[str]:
    """Everything a page shows as text: headings, prose, notices, code, labels, options,
    metrics, and every table's headings and cells."""
    texts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success", "code"):
        texts += [str(e.value) for e in getattr(at, kind)]
    for kind in (
        "button",
        "selectbox",
        "multiselect",
        "radio",
        "toggle",
        "checkbox",
        "slider",
        "text_input",
        "number_input",
        "expander",
        "tabs",
    ):
        for element in getattr(at, kind):
            texts.append(str(getattr(element, "label", "") or ""))
            texts += [str(o) for o in getattr(element, "options", None) or []]
            texts.append(str(getattr(element, "help", "") or ""))
            texts.append(str(getattr(element, "placeholder", "") or ""))
    for metric in at.metric:
        texts += [metric.label, str(metric.value), str(metric.proto.help or "")]
    for frame in at.dataframe:
        value = frame.value
        texts += [str(c) for c in value.columns]
        for column in value.columns:
            if not pd.api.types.is_numeric_dtype(value[column]):
                texts += [str(v) for v in value[column].head(400)]
    for element in at.get("download_button"):
        texts.append(element.proto.label)
    return [t for t in texts if t and t.strip()]


def _data_values(dataset) -> list[str]:
    """Texts from the data, which stay as the sources write them: removed before the check."""
    frames = {
        "networks": ("description", "unknowns", "organiser", "funder", "source"),
        # Notes are not here: the English interface shows their English version (note_en).
        "memberships": ("source", "name"),
        "projects": ("name", "description", "funders", "partners", "theme", "source"),
        "places": ("name", "source", "coord_source"),
        "seats": ("seat", "source", "note"),
        "centres": ("name", "centre", "source"),
        "facts": ("value", "source"),  # not the label and note: English has label_en and note_en
    }
    values = {
        str(v).strip()
        for frame, columns in frames.items()
        for column in columns
        for v in getattr(dataset, frame)[column]
        if str(v).strip()
    }
    values |= {part.strip() for v in list(values) for part in re.split(r"[;|]", v) if len(part.strip()) > 3}
    return sorted(values, key=len, reverse=True)


# A quotation: "…", “…”, ”…” or '…' (an apostrophe inside a word, as in "kommun's", is none).
QUOTATION = re.compile(r'"[^"]+"|“[^”]+”|”[^”]+”|(?<!\w)\'[^\']+\'(?!\w)')


def _names(dataset) -> set[str]:
    """Words of names: kommuner, län, FA regions, places of the gazetteer and the data."""
    from kommunkarta import gazetteer

    kom = geo.kommuner()
    return (
        words_of(kom["kommun"])
        | words_of(kom["lan"])
        | words_of(kom["fa_namn"])
        | words_of(gazetteer.places()["name"])
        | words_of(dataset.memberships["name"])
        | words_of(dataset.places["name"])
        | words_of(dataset.centres["centre"])
        | words_of(pd.read_csv(paths.GEODATA_DIR / "tatorter_2020.csv", dtype=str)["name"])  # default origins
        | words_of(pd.read_csv(paths.GEODATA_DIR / "mines_icmm.csv", dtype=str)["name"])
    )


@pytest.fixture
def english_walk(tmp_path, monkeypatch, data_copy):
    """The app on data with one rejected row, a shop layer, and editing switched on."""
    from kommunkarta.service import importers, stored_layers

    def break_one(rows):
        rows[0]["certainty"] = "säker"

    edit_rows(data_copy / "memberships.csv", break_one)
    monkeypatch.setenv("KOMMUNKARTA_DATA_DIR", str(data_copy))
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    shops = tmp_path / "butiker.csv"
    shops.write_text(
        "id,name,lat,lon\nica,ICA Ljusdal,61.83,16.09\ncoop,Coop Järvsö,61.716,16.17\nlos,Handlarn Los,61.736,15.169\n",
        encoding="utf-8",
    )
    stored_layers.save(importers.read_points(shops, kind="grocery"), "Butiker", "facilities")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def test_no_swedish_interface_text_anywhere_in_english(english_walk, dataset):
    from .test_app import open_network_page

    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=90)
    for key, value in EDITORS.items():
        at.secrets[key] = value
    at.query_params["lang"] = "en"
    at.query_params["kommun"] = "Kiruna"
    # Every lazily made expander open, so that its texts are read too.
    open_all = partial(open_lazy_expanders, at, network_ids=list(dataset.networks["id"]), kommun_codes=["2584"])
    open_all()
    at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert i18n.t("download_xlsx", "en") in labels and i18n.t("download_csv", "en") in labels  # opened: read too
    seen: dict[str, list[str]] = {"overview": _texts(at)}
    assert any("1 row of the data files was rejected" in e.label for e in at.expander), [e.label for e in at.expander]
    for page in (
        "app_pages/kommun.py",
        "app_pages/timeline.py",
        "app_pages/overlaps.py",
        "app_pages/service.py",
        "app_pages/sources.py",
        "app_pages/present.py",
    ):
        open_all()
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        seen[page] = _texts(at)
        if page == "app_pages/sources.py":
            sources = at.dataframe[0].value
    titles = {}
    for network in dataset.networks["id"]:
        open_all()
        open_network_page(at, network)
        assert not at.exception, (network, at.exception)
        seen[network] = _texts(at)
        titles[network] = re.sub(r"\\(.)", r"\1", at.title[0].value)  # as a reader sees the escaped title

    # Editing: log in, then upload a file with mistakes; the problems are in English.
    at.switch_page("app_pages/edit.py").run()
    at.text_input(key="kk_login_user").input("anna")
    at.text_input(key="kk_login_password").input("rätt lösenord")
    next(b for b in at.button if b.label == "Log in").click().run()
    seen["edit"] = _texts(at)
    at.radio(key="kk_edit_mode").set_value("upload").run()
    bad = (
        "network_id;kommun_kod;name;country;role;since;until;source;certainty;note\r\n"
        "industrikommuner;;Trollhätan;SE;member;2024;;https://example.se/a;likely;\r\n"
        "industrikommuner;;Mora;SE;member;2024;;https://example.se/a;säker;\r\n"
        "industrikommuner;;Falun;SE;member;2025;2023;https://example.se/a;likely;\r\n"
        "vindkraft;;Falun;SE;member;2024;;https://example.se/a;likely;\r\n"
    ).encode("cp1252")
    at.file_uploader[0].set_value(("medlemmar.csv", bad, "text/csv"))
    at.run()
    assert not at.exception
    assert at.error[0].value == "The file cannot be written: 4 problems. The database is unchanged."
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["File or table", "Row", "Field", "Problem"]
    assert "unknown kommun 'Trollhätan'; do you mean Trollhättan?" in set(problems["Problem"])
    assert "the end 2023 lies before the start 2025" in set(problems["Problem"])
    assert "'säker' is not one of stated, likely, unverified" in set(problems["Problem"])
    seen["upload"] = _texts(at)
    at.switch_page("app_pages/history.py").run()
    assert not at.exception
    seen["history"] = _texts(at)

    data = _data_values(dataset)
    allowed = (
        english_table_words() | _names(dataset) | words_of(["Butiker", "ICA Ljusdal", "Coop Järvsö", "Handlarn Los"])
    )
    allowed |= {"säker", "trollhätan", "hedemorra", "vindkraft", "anna", "medlemmar"}  # the test's own input
    # Names in the English notes that are neither kommuner nor places of the data.
    allowed |= words_of(["Petikträsk", "Petiknäs", "Hannäs", "Västra Götaland", "Öland", "Stefan Löfven"])
    allowed |= words_of(dataset.networks["id"])  # identifiers, as the editor and the history show them

    # The editor and the history show the stored rows as they are: Swedish names included.
    stored = sorted(
        (
            set(data)
            | set(dataset.networks["name"])
            | set(dataset.networks["short_name"])
            | set(dataset.memberships["note"])  # the stored Swedish notes
            | set(dataset.places["note"])
        )
        - {""},
        key=len,
        reverse=True,
    )

    def interface_part(text: str, data: list[str]) -> str:
        text = re.sub(r"\\(.)", r"\1", text)  # data escaped for Markdown reads as itself
        for value in data:
            if value in text:
                text = text.replace(value, " ")
        return QUOTATION.sub(" ", text)  # the sources' own words, marked as quotations

    left = {}
    for page, texts in seen.items():
        for text in texts:
            words = swedish_words(interface_part(text, stored if page in ("edit", "history") else data), allowed)
            if words:
                left.setdefault(page, {})[text[:120]] = sorted(words)
    assert left == {}
    # Network names where the interface puts them: page titles, the filter, the sources table.
    assert titles == dict(zip(dataset.networks["id"], dataset.networks["name_en"]))
    assert at.multiselect(key="f_networks_en").options == list(dataset.networks["name_en"])
    assert list(sources["Network"]) == list(dataset.networks["name_en"])


def _shown_text_of_html(raw: bytes) -> str:
    """The text of an offline HTML map: Leaflet's own script left out, JavaScript's
    escapes of non-ASCII letters read back, HTML entities too."""
    import html

    text = re.sub(r"<script>/\* @preserve.*?</script>", " ", raw.decode("utf-8"), flags=re.S)
    return html.unescape(js_unescaped(text))  # also the published scripts an export inlines


@pytest.mark.parametrize("lang, expect_swedish", [("en", False), ("sv", True)])
def test_maps_and_decks_in_english_carry_no_swedish(dataset, lang, expect_swedish):
    from pptx import Presentation

    from kommunkarta.outputs import maps

    shown = dataset.in_language(lang)
    table = selection.membership_table(shown)
    files = [
        downloads.overview_map_file(shown, table, selection.Filters(), "html", "T", lang),
        downloads.network_map_file(
            profiles.network_view(shown, table, "serviceutveckling_2022", lang=lang), shown, table, "html", lang
        ),
        downloads.kommun_map_file(shown, table, "2584", "html", lang),
    ]
    texts = [_shown_text_of_html(raw) for raw in files]
    views = [profiles.network_view(shown, table, n, lang=lang) for n in ("tornedalsradet", "gruvkommuner")]
    deck = Presentation(io.BytesIO(downloads.deck_file(views, table, lang)))
    texts.append(
        " ".join(
            p.text for slide in deck.slides for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs
        )
    )
    data = _data_values(dataset)
    # The tooltips' property keys are identifiers in the page, never shown (the aliases are).
    allowed = english_table_words() | _names(dataset) | words_of(dataset.networks["id"]) | words_of(maps.TOOLTIP_FIELDS)
    found = set()
    for text in texts:
        for value in data:
            if value in text:
                text = text.replace(value, " ")
        found |= swedish_words(text, allowed)
    # The same check finds the Swedish of the Swedish maps, so it would find it in English.
    assert bool(found) == expect_swedish, sorted(found)


def test_point_layer_problems_read_in_english():
    from kommunkarta.service import importers

    raw = "name;lat;lon;population\nA;61,83;16,09;12\nB;norr;16,1;3\nC;16.17;61.71;4\nD;61.7;15.1;många\n".encode(
        "cp1252"
    )
    layer = importers.read_points("butiker.csv", data=raw)
    assert {p.code for p in layer.problems} == {"layer_not_utf8", "not_a_number", "lat_lon_swapped", "not_a_population"}
    english = [p.line("en") for p in layer.problems]
    assert "butiker.csv:3:lat: 'norr' is not a number" in english
    assert "butiker.csv:5:population: 'många' is not a population; the row was saved without one" in english
    allowed = english_table_words() | {"norr", "många"}
    assert all(swedish_words(p.text("en"), allowed) == set() for p in layer.problems)
    assert all(p.text("sv") == p.message for p in layer.problems)
    with pytest.raises(importers.ImportFailed) as failed:
        importers.read_points("tom.csv", data=b"name;x\nA;1\n")
    assert failed.value.problems[0].text("en").startswith("finds no coordinate columns")


def test_validate_prints_problems_in_english_when_asked(data_copy, capsys):
    from kommunkarta import cli

    def break_two(rows):
        rows[0]["certainty"] = "kanske"
        rows[1]["kommun_kod"], rows[1]["name"] = "", "Ljusnasberg"

    edit_rows(data_copy / "memberships.csv", break_two)
    assert cli.main(["validate", str(data_copy), "--lang", "en"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "memberships.csv:2:certainty: 'kanske' is not one of stated, likely, unverified",
        "memberships.csv:3:name: unknown kommun 'Ljusnasberg'; do you mean Ljusnarsberg, Lindesberg, Hallsberg?",
    ]
    assert cli.main(["validate", str(data_copy)]) == 1
    assert capsys.readouterr().out.splitlines()[1] == (
        "memberships.csv:3:name: okänd kommun 'Ljusnasberg'; menar du Ljusnarsberg, Lindesberg, Hallsberg?"
    )
