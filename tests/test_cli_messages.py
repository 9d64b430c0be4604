"""The command line's messages in both languages (issue 24): ``--lang`` or the
environment's language chooses them, amounts are written as that language writes
numbers, and no message is a Swedish literal outside ``say``."""

import ast
import csv
import re
import string
from pathlib import Path

import pytest

from kommunkarta import paths
from kommunkarta.i18n import cli_messages
from kommunkarta.service import importers

from .conftest import ROOT, run_cli

SWEDISH = {"LANG": "sv_SE.UTF-8"}
ENGLISH = {"LANG": "en_GB.UTF-8"}
NBSP = "\u00a0"


def rows_in(name: str) -> int:
    with (paths.default_data_dir() / name).open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def test_validate_counts_in_each_language():
    counts = {name: rows_in(f"{name}.csv") for name in ("networks", "memberships", "projects", "places")}
    assert all(n < 1000 for n in counts.values())  # so no thousands separator below
    english = run_cli("validate", "--lang", "en", env=SWEDISH)  # --lang before the environment
    assert english.returncode == 0, english.stderr
    assert english.stderr.strip() == (
        f"OK: {counts['networks']} networks, {counts['memberships']} memberships, "
        f"{counts['projects']} projects, {counts['places']} places"
    )
    swedish = run_cli("validate", env=SWEDISH)
    assert swedish.stderr.strip() == (
        f"OK: {counts['networks']} nätverk, {counts['memberships']} medlemskap, "
        f"{counts['projects']} projekt, {counts['places']} platser"
    )
    assert run_cli("validate", env=ENGLISH).stderr == english.stderr  # the environment alone


def test_layers_import_and_list_in_each_language(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    shops = tmp_path / "butiker.csv"
    shops.write_text("name,lat,lon\nICA Ljusdal,61.83,16.09\nOslo,59.91,10.75\n", encoding="utf-8")
    english = run_cli("layers", "import", shops, "--title", "Shops", "--kind", "grocery", "--lang", "en")
    assert english.returncode == 0, english.stderr
    assert "butiker.csv: 1 points outside Sweden were left out" in english.stderr
    assert english.stdout.strip() == "shops\t1 points (grocery 1)\tShops"
    listed = run_cli("layers", "list", env=SWEDISH).stdout.strip().split("\t")
    assert listed[:4] == ["shops", "Shops", "facilities", "1 punkter (grocery 1)"]
    assert run_cli("layers", "list", "--lang", "en").stdout.strip().split("\t")[3] == "1 points (grocery 1)"

    missing = run_cli("layers", "import", tmp_path / "nej.csv", env=ENGLISH)
    assert (
        missing.returncode == 2 and f"kommunkarta layers import: {tmp_path / 'nej.csv'}: no such file" in missing.stderr
    )
    missing = run_cli("layers", "import", tmp_path / "nej.csv", env=SWEDISH)
    assert f"kommunkarta layers import: {tmp_path / 'nej.csv'}: ingen sådan fil" in missing.stderr


def test_amounts_follow_the_language(tmp_path, monkeypatch):
    """A file over the size limit: its size and the limit as each language writes them."""
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(importers, "MAX_BYTES", 1000)
    big = tmp_path / "stor.csv"
    big.write_text("name,lat,lon\n" + "A,61.83,16.09\n" * 100, encoding="utf-8")
    size = big.stat().st_size
    assert size == 13 + 14 * 100 == 1413
    english = run_cli("layers", "import", big, "--lang", "en")
    assert english.returncode == 1
    assert "kommunkarta layers import: stor.csv: the file is 1,413 bytes; the limit is 1,000" in english.stderr
    swedish = run_cli("layers", "import", big, env=SWEDISH)
    assert f"stor.csv: filen är 1{NBSP}413 byte; gränsen är 1{NBSP}000" in swedish.stderr


def test_db_import_dry_run_in_each_language(tmp_path):
    url = f"sqlite:///{tmp_path / 'kk.sqlite'}"
    database = {"KOMMUNKARTA_DATABASE_URL": url}
    assert (
        run_cli("db", "upgrade", "--lang", "en", env=database)
        .stdout.strip()
        .endswith("schema (empty) → 0003; filled from data/ (change 1)")
    )
    upload = tmp_path / "medlemmar.csv"
    upload.write_text(
        "network_id,kommun_kod,name,country,role,since,until,source,certainty,note\n"
        "industrikommuner,,Falu kommun,SE,member,2024,,https://example.se/a,likely,\n",
        encoding="utf-8",
    )
    english = run_cli("db", "import", upload, "--dry-run", "--lang", "en", env=database)
    assert english.returncode == 0, english.stderr
    assert english.stdout.strip() == "dry run: 1 new, 0 changed, 0 removed, 0 unchanged"
    swedish = run_cli("db", "import", upload, "--dry-run", env={**database, **SWEDISH})
    assert swedish.stdout.strip() == "provkörning: 1 nya, 0 ändrade, 0 borttagna, 0 oförändrade"


def test_figures_years_message_in_each_language():
    english = run_cli("figures", "kolada", "N01951", "--years", "soon", env=ENGLISH)
    assert english.returncode == 2 and "--years soon: write e.g. 2015-2024 or 2018,2020" in english.stderr
    swedish = run_cli("figures", "kolada", "N01951", "--years", "snart", "--lang", "sv", env=ENGLISH)
    assert swedish.returncode == 2 and "--years snart: skriv t.ex. 2015-2024 eller 2018,2020" in swedish.stderr


def test_service_access_figures_in_each_language(tmp_path):
    """Amounts in the distance summary: 7 500 people in all, the Swedish and the English way."""
    shops = tmp_path / "butiker.csv"
    shops.write_text("name,lat,lon\nICA Ljusdal,61.83,16.09\nHandlarn Los,61.736,15.169\n", encoding="utf-8")
    places = tmp_path / "orter.csv"
    places.write_text(
        "name,lat,lon,population\nLjusdal,61.829,16.088,6800\nLos,61.737,15.170,400\nRamsjö,62.18,15.65,300\n",
        encoding="utf-8",
    )
    command = ("service-access", "--facilities", shops, "--origins", places, "--grid", "none", "--threshold-km", "30")
    english = run_cli(*command, "--lang", "en")
    assert english.returncode == 0, english.stderr
    assert "service: 2 points (facility 2); straight-line distance × 1, threshold 30 km" in english.stderr
    assert "1 of 3 places (300 inhabitants) beyond the threshold (counted in " in english.stderr
    assert ": 7,500 inhabitants)" in english.stderr
    swedish = run_cli(*command, env=SWEDISH)
    assert "service: 2 punkter (facility 2); avstånd fågelvägen × 1, tröskel 30 km" in swedish.stderr
    assert "1 av 3 orter (300 invånare) bortom tröskeln (räknat i " in swedish.stderr
    assert f": 7{NBSP}500 invånare)" in swedish.stderr


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_texts_with_the_same_fields():
    for key, (sv, en) in cli_messages.TEXTS.items():
        assert key.startswith("cli_msg_") and sv and en, key
        assert fields(sv) == fields(en), key


# -- no Swedish literal printed outside say ---------------------------------------------
#
# The rule: in kommunkarta/cli/, the string literals (and the literal parts of f-strings)
# given directly as arguments to print(), getpass(), SystemExit() or <parser>.error() must
# contain no Swedish letter (å, ä, ö) and none of the common Swedish words below. Text for
# the user goes through say(key, ...), whose texts live in kommunkarta/i18n/.

SWEDISH_WORDS = (
    "av och för till från med som är inga ingen inget saknas kräver skriv sparat sparade varning "
    "punkter noder rutor orter invånare tröskeln nätverk fil filen lager provkörning"
).split()
SWEDISH_PATTERN = re.compile(r"[åäöÅÄÖ]|\b(?:" + "|".join(SWEDISH_WORDS) + r")\b", re.IGNORECASE)
MESSAGE_CALLS = {"print", "getpass", "SystemExit", "error"}


def literal_parts(node: ast.expr) -> list[str]:
    """The literal text of a string constant or of an f-string's literal parts; what is
    computed (a say(...) call, a variable) is not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [part.value for part in node.values if isinstance(part, ast.Constant) and isinstance(part.value, str)]
    if isinstance(node, ast.BinOp):  # "a" + f"b"
        return literal_parts(node.left) + literal_parts(node.right)
    return []


def swedish_literals(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name not in MESSAGE_CALLS:
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            found += [(node.lineno, text) for text in literal_parts(arg) if SWEDISH_PATTERN.search(text)]
    return found


def test_the_rule_catches_a_swedish_literal_and_passes_say():
    assert swedish_literals('print(f"{n} punkter")') == [(1, " punkter")]
    assert swedish_literals('print("kan inte öppna", file=sys.stderr)')
    assert swedish_literals('raise SystemExit(f"{a} av {b}")')
    assert swedish_literals('parser.error("ange en fil")') == [(1, "ange en fil")]
    assert swedish_literals('print(say("cli_msg_points", n=3))') == []
    assert swedish_literals("print(f\"{info.id}\\t{say('cli_msg_points', n=1)}\")") == []


@pytest.mark.parametrize("module", sorted((ROOT / "kommunkarta" / "cli").glob("*.py")), ids=lambda p: p.name)
def test_no_swedish_literal_is_printed_outside_say(module: Path):
    assert swedish_literals(module.read_text(encoding="utf-8")) == []
