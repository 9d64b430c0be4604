"""What a Swedish and an English reader notice (issue 24): numbers in the reader's way,
messages and the command line's help in both languages, English notes."""

import argparse
import re
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from kommunkarta import cli, csv_input, format, i18n, paths
from kommunkarta.i18n import reader
from kommunkarta.service import grid

from .conftest import run_cli
from .support.apptest import open_lazy_expanders

NBSP = "\u00a0"


def by_hand(value: float, decimals: int, group: str, point: str) -> str:
    """Digits grouped in threes from the right, written out one by one (an independent
    computation on the exact binary value, rounded half to even as Python's format does)."""
    exact = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    sign, digits = ("-", str(-exact)) if exact < 0 else ("", str(exact))
    whole, _, fraction = digits.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + group.join(groups) + (point + fraction if decimals else "")


@pytest.mark.parametrize(
    "value, decimals",
    [
        *[(0, 0), (7, 0), (999, 0), (1000, 0), (9027, 0), (2_166_418, 0), (10_605_520, 0), (92.34, 1), (1234.5, 2)],
        *[(-45_678.91, 1), (0.05, 1), (123_456_789.125, 2)],
    ],
)
def test_numbers_read_as_each_language_writes_them(value, decimals):
    assert format.number(value, decimals, "sv") == by_hand(value, decimals, NBSP, ",")
    assert format.number(value, decimals, "en") == by_hand(value, decimals, ",", ".")


def test_percentages_and_missing_values():
    assert format.percent(0.9234, 1, "sv") == f"92,3{NBSP}%"
    assert format.percent(0.9234, 1, "en") == "92.3%"
    assert format.percent(12.5, 0, "sv") == f"1{NBSP}250{NBSP}%"
    assert format.number(float("inf"), 1, "sv") == "∞"  # no road to any shop
    for missing in (None, float("nan")):
        assert format.number(missing, 0, "en") == format.percent(missing, 1, "sv") == "–"
    # The Swedish helpers the rest of the package uses agree with the language-aware ones.
    assert format.number(2_166_418, 0, "sv") == format.swedish_int(2_166_418)
    assert format.number(1234.56, 1, "sv") == format.swedish_decimal(1234.56, 1)


def test_the_limits_messages_read_in_both_languages():
    problems = []
    long_cell = "x" * 10_001
    table = csv_input.read_table("f.csv", f"a,b\n1,{long_cell}\n".encode(), problems)
    assert table is not None and table.rows == []
    (problem,) = problems
    assert (problem.row, problem.field) == (2, "b")
    assert problem.text("sv") == f"cellen har 10{NBSP}001 tecken; högst 10{NBSP}000"
    assert problem.text("en") == "the cell has 10,001 characters; at most 10,000"
    problems = []
    assert csv_input.read_table("f.csv", b"a\n1\n2\n3\n", problems, max_rows=2) is None
    assert [p.text("en") for p in problems] == ["the file has more than 2 rows; split it"]


def test_the_grid_importers_messages_read_in_both_languages():
    with pytest.raises(grid.ImportFailed) as failed:
        grid.read_grid("rutor.csv", b"x;y;folk\n1;2;3\n")
    (problem,) = failed.value.problems
    assert problem.text("sv").startswith("hittar ingen befolkningskolumn (t.ex. ")
    assert problem.text("en").startswith("no population column found (for example ")
    layer = grid.read_grid("rutor.csv", b"x;y;Beftotalt\n500000;7000000;12\n510000;7000000;0\n520000;7000000;many\n")
    texts = {p.row: (p.text("sv"), p.text("en")) for p in layer.problems}
    assert texts[4] == ("'many' är ingen folkmängd", "'many' is not a population count")
    assert texts[0] == ("1 ruta utan befolkning sparades inte", "1 square without population was not stored")


def test_every_problem_code_has_both_languages():
    codes = [k for k in i18n.TEXTS if k.startswith("problem_")]
    for key in codes:
        sv, en = i18n.TEXTS[key]
        assert (sv and en and sv != en) or key.endswith("_one"), key


def _parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command line's parser as ``kommunkarta --lang LANG`` builds it."""
    captured = []

    def grab(self, *args, **kwargs):
        captured.append(self)
        raise SystemExit(0)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(argparse.ArgumentParser, "parse_known_args", grab)
        with pytest.raises(SystemExit):
            cli.main(["--lang", lang, "validate"])
    return captured[0]


def test_every_help_text_of_the_command_line_has_an_english_translation():
    texts = reader.parser_texts(_parser())
    assert len(texts) > 40
    english = {en for key, (sv, en) in i18n.TEXTS.items() if key.startswith("cli_")}
    swedish = {sv for key, (sv, en) in i18n.TEXTS.items() if key.startswith("cli_")}
    assert [text for _, _, text in texts if text not in english] == []
    assert not english & swedish


@pytest.mark.parametrize(
    "args, env, english, key",
    [
        (["--help"], {"LANG": "en_GB.UTF-8"}, True, "cli_description"),
        (["--help"], {"LANG": "sv_SE.UTF-8"}, False, "cli_description"),
        (["--help"], {"LANG": "C.UTF-8"}, False, "cli_run"),
        (["--help"], {"LANG": "sv_SE.UTF-8", "LC_ALL": "en_US.UTF-8"}, True, "cli_run"),
        (["db", "import", "--help", "--lang", "en"], {"LANG": "sv_SE.UTF-8"}, True, "cli_db_dry_run"),
        (["db", "import", "--help"], {"LANG": "de_DE.UTF-8"}, True, "cli_db_dry_run"),
        (["validate", "--help", "--lang=sv"], {"LANG": "en_US.UTF-8"}, False, "cli_data_dir"),
    ],
)
def test_the_command_line_follows_lang_or_the_environment(args, env, english, key):
    result = run_cli(*args, env=env)
    sv, en = i18n.TEXTS[key]
    shown = " ".join(result.stdout.split())  # argparse wraps the lines
    assert result.returncode == 0 and (en if english else sv) in shown and (sv if english else en) not in shown


def test_the_environment_language_reaches_the_messages(tmp_path):
    bad = tmp_path / "data"
    bad.mkdir()
    result = run_cli("validate", bad, env={"LANG": "en_US.UTF-8"})
    assert result.returncode == 1 and "networks.csv" in result.stdout + result.stderr
    assert "file" in (result.stdout + result.stderr).lower() and "saknas" not in result.stdout + result.stderr


# -- tables: numbers stay numbers (sorting) and read the page's way (a Styler's text) --------
SV_NUMBER = re.compile(r"^(–|-?\d{1,3}(\u00a0\d{3})*(,\d+)?(\u00a0%)?)$")
EN_NUMBER = re.compile(r"^(–|-?\d{1,3}(,\d{3})*(\.\d+)?%?)$")


def _shown_tables(at) -> list[tuple[pd.DataFrame, pd.DataFrame | None]]:
    """Each table on the page: its values and the text the browser shows for them (the
    Styler's display values; None for a table without them)."""
    tables = []
    for frame in at.dataframe:
        proto = frame.proto.arrow_data if frame.proto.HasField("arrow_data") else frame.proto
        shown = proto.styler.display_values
        text = pa.ipc.open_stream(shown).read_all().to_pandas() if shown else None
        tables.append((frame.value, text))
    return tables


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_table_number_reads_the_pages_way_and_stays_a_number(lang, dataset):
    from .test_app import open_network_page

    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["kommun"] = "Kiruna"
    at.run()
    pages = {"overview": _shown_tables(at)}
    for page in ("app_pages/kommun.py", "app_pages/overlaps.py", "app_pages/sources.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
        pages[page] = _shown_tables(at)
    for network in ("industrikommuner", "tornedalsradet"):
        open_lazy_expanders(at, network_ids=[network])  # the distance matrix too
        open_network_page(at, network)
        pages[network] = _shown_tables(at)
    pattern, checked, grouped = (SV_NUMBER if lang == "sv" else EN_NUMBER), 0, 0
    for page, tables in pages.items():
        for values, text in tables:
            numeric = [c for c in values.columns if pd.api.types.is_numeric_dtype(values[c])]
            if not numeric:
                continue
            assert text is not None, (page, list(values.columns))  # every number through panels.table
            for column in numeric:
                assert pd.api.types.is_numeric_dtype(values[column])  # sorts as a number
                for value, shown in zip(values[column], text[column].astype(str)):
                    assert pattern.match(shown), (page, column, value, shown)
                    checked += 1
                    grouped += value >= 1000
    assert checked > 500 and grouped > 50


def test_downloads_keep_numbers_numbers_in_the_readers_format():
    import io

    import openpyxl

    from kommunkarta.outputs import formats

    frame = pd.DataFrame({"kommun": ["Kiruna", "Pajala"], "folkmängd": [22402, 5706], "km": [12.5, 3.25]})
    book = openpyxl.load_workbook(io.BytesIO(formats.to_excel_bytes({"t": frame})))
    sheet = book["t"]
    assert [c.value for c in sheet["B"][1:]] == [22402, 5706] and sheet["B2"].number_format == "#,##0"
    assert sheet["C2"].value == 12.5 and sheet["C2"].number_format == "#,##0.0#####"
    # A spreadsheet's CSV in the interface's language: no grouping, so numbers stay numbers.
    swedish = formats.to_csv_bytes(frame, excel=True, lang="sv").decode("utf-8-sig").splitlines()
    english = formats.to_csv_bytes(frame, excel=True, lang="en").decode("utf-8-sig").splitlines()
    assert swedish[1:] == ["Kiruna;22402;12,5", "Pajala;5706;3,25"]
    assert english[1:] == ["Kiruna,22402,12.5", "Pajala,5706,3.25"]
    # A program's CSV: plain numbers whatever the language.
    assert formats.to_csv_bytes(frame).decode().splitlines()[1] == "Kiruna,22402,12.5"
    assert pd.read_csv(io.StringIO("\n".join(swedish)), sep=";", decimal=",")["km"].tolist() == [12.5, 3.25]


def test_notes_read_in_english_and_the_swedish_stays_beside_them(dataset):
    from kommunkarta import profiles

    english = dataset.in_language("en")
    notes = english.memberships.set_index(["network_id", "name"])
    finspang = notes.loc[("industrikommuner", "Finspång")]
    assert finspang["note"].startswith('Listed as a member "f n" (at present) in an undated press release (003)')
    assert finspang["note_sv"].startswith('Listad som medlem "f n" i ett odaterat pressmeddelande (003)')
    mora = notes.loc[("serviceutveckling_2022", "Mora")]
    assert mora["certainty"] == "stated" and "The membership is stated" in mora["note"]
    assert "Likely but not explicit" in mora["note"]  # the note says what the certainty says
    places = english.places.set_index("id")
    assert places.loc["ammarnas", "note"] == "Service point according to Sorsele's page; no coordinates were found."
    facts = profiles.network_facts(dataset, "gruvkommuner", "en").set_index("id")
    assert facts.loc["participants_named", "note"] == "The 17th kommun is not identified."
    assert profiles.network_facts(dataset, "gruvkommuner").set_index("id").loc["participants_named", "note"] == (
        "Den 17:e kommunen är inte identifierad."
    )
    # Every note of the data has its English version.
    for frame in (dataset.memberships, dataset.places, dataset.facts):
        assert ((frame["note"] == "") | (frame["note_en"] != "")).all()


def test_the_command_lines_messages_follow_its_language(tmp_path):
    missing = tmp_path / "finns-inte"
    swedish = run_cli("validate", missing, env={"LANG": "sv_SE.UTF-8"})
    english = run_cli("validate", missing, env={"LANG": "en_US.UTF-8"})
    assert swedish.returncode == english.returncode == 2
    assert swedish.stderr.strip() == f"{missing}: mappen finns inte"
    assert english.stderr.strip() == f"{missing}: the folder does not exist"
    out = tmp_path / "medlemmar.csv"
    for language in ({"LC_ALL": "en_GB.UTF-8"}, {}):
        args = ("export", "memberships", "--format", "csv", "-o", out) + (("--lang", "en") if not language else ())
        written = run_cli(*args, env=language)  # every command takes --lang
        rows = len(out.read_text(encoding="utf-8").splitlines()) - 1
        assert written.returncode == 0 and written.stderr.strip().endswith(f"{rows} rows to {out}"), written
