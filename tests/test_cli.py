"""The kommunkarta command, run as a user runs it."""

import csv
import io
import json
import os
import subprocess
import sys
import types

from kommunkarta import paths

from .conftest import DATA_DIR, edit_rows, read_csv, run_cli, write_csv


def kommunkarta(*args, cwd=None):
    return run_cli(*args, cwd=cwd)


def test_the_installed_command_runs_as_a_process():
    """Smoke test of the real entry point; the other tests call cli.main in-process."""
    result = subprocess.run([sys.executable, "-m", "kommunkarta.cli", "validate"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr.startswith("OK: ")
    exported = subprocess.run(
        [sys.executable, "-m", "kommunkarta.cli", "export", "memberships", "--format", "csv"],
        capture_output=True,
        text=True,
    )
    assert exported.returncode == 0 and exported.stdout.startswith("kommun_kod,kommun,")


def test_validate_passes_on_the_curated_data():
    result = kommunkarta("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("OK: ")


def test_validate_prints_every_problem_and_fails(data_copy):
    def break_two(rows):
        rows[0]["certainty"] = "kanske"
        rows[1]["kommun_kod"], rows[1]["name"] = "", "Ljusnasberg"

    edit_rows(data_copy / "memberships.csv", break_two)
    result = kommunkarta("validate", data_copy)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("memberships.csv:2:certainty: 'kanske' är inte ett av")
    assert lines[1].startswith("memberships.csv:3:name: okänd kommun 'Ljusnasberg'; menar du Ljusnarsberg")
    assert len(lines) == 2
    assert "2 problem" in result.stderr


def test_validate_reports_a_missing_folder(tmp_path):
    result = kommunkarta("validate", tmp_path / "nope")
    assert result.returncode == 2 and "finns inte" in result.stderr


def test_export_memberships_as_csv_to_stdout():
    result = kommunkarta("export", "memberships", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "kommun_kod",
        "kommun",
        "country",
        "network_id",
        "network_name",
        "role",
        "since",
        "until",
        "source",
        "certainty",
    ]
    falun = [r for r in rows if r["kommun"] == "Falun" and r["network_id"] == "serviceutveckling_2022"]
    assert falun and falun[0]["kommun_kod"] == "2080" and falun[0]["source"].startswith("001_5065ea7d1c997246.txt")
    assert any(r["kommun_kod"] == "0512" for r in rows)  # leading zero kept as text


def test_export_memberships_as_json_and_geojson_to_files(tmp_path):
    for fmt in ("json", "geojson"):
        out = tmp_path / f"m.{fmt}"
        result = kommunkarta("export", "memberships", "--format", fmt, "-o", out)
        assert result.returncode == 0, result.stderr
        data = json.loads(out.read_text(encoding="utf-8"))
        records = data if fmt == "json" else [f["properties"] for f in data["features"]]
        assert {r["network_id"] for r in records} >= {"gruvkommuner", "industrikommuner", "tornedalsradet"}
        assert sum(1 for r in records if r["network_id"] == "industrikommuner" and r["role"] == "member") == 19


def test_unknown_arguments_are_refused():
    result = kommunkarta("validate", DATA_DIR, "--bogus")
    assert result.returncode == 2 and "okända argument" in result.stderr


def test_profile_as_text_and_json():
    text = kommunkarta("profile", "Falu kommun")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Falun (2080), Dalarnas län")
    assert "15 kommuner arbetar för bättre service i landsbygder (2022–2024): deltagare" in text.stdout
    data = json.loads(kommunkarta("profile", "2584", "--format", "json").stdout)
    assert data["kommun"] == "Kiruna" and data["seat"]["name"] == "Kiruna"
    assert {"tornedalsradet", "filmpool_nord", "industrikommuner"} <= {m["network_id"] for m in data["memberships"]}


def test_profile_of_an_unknown_kommun_suggests_names():
    result = kommunkarta("profile", "Kirna")
    assert result.returncode == 2 and "menar du Kiruna" in result.stderr and result.stdout == ""


def test_export_projects(tmp_path):
    rows = list(csv.DictReader(io.StringIO(kommunkarta("export", "projects").stdout)))
    kirunabo = next(r for r in rows if r["id"] == "kirunabo")
    assert (kirunabo["kommuner"], kirunabo["start"], kirunabo["start_precision"]) == ("Kiruna", "2018", "year")
    out = tmp_path / "p.json"
    assert kommunkarta("export", "projects", "--format", "json", "-o", out).returncode == 0
    assert {p["id"] for p in json.loads(out.read_text(encoding="utf-8"))} >= {
        "co_kiruna",
        "rit",
        "gruvkommuner_natverk",
    }


def write_shops(tmp_path):
    shops = tmp_path / "butiker.csv"
    shops.write_text(
        "name;lat;lon\nICA Ljusdal;61,83;16,09\nCoop Järvsö;61,716;16,17\nHandlarn Los;61,736;15,169\n",
        encoding="utf-8",
    )
    places = tmp_path / "orter.csv"
    places.write_text(
        "name,lat,lon,population\nLjusdal,61.829,16.088,6800\nLos,61.737,15.170,400\nRamsjö,62.18,15.65,300\n",
        encoding="utf-8",
    )
    return shops, places


def test_service_access_and_vulnerable_shops_on_small_files(tmp_path):
    shops, places = write_shops(tmp_path)
    result = kommunkarta("service-access", "--facilities", shops, "--origins", places, "--threshold-km", "30")
    assert result.returncode == 0, result.stderr
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert list(next(iter(rows.values()))) == [
        "origin_id",
        "name",
        "kommun_kod",
        "lat",
        "lon",
        "population",
        "facility_id",
        "facility_name",
        "distance_km",
        "beyond_threshold",
    ]
    assert rows["Los"]["facility_name"] == "Handlarn Los" and float(rows["Los"]["distance_km"]) < 1
    assert rows["Ramsjö"]["beyond_threshold"] == "True" and float(rows["Ramsjö"]["distance_km"]) > 30
    assert "1 av 3 orter (300 invånare) bortom tröskeln" in result.stderr
    vulnerable = kommunkarta("vulnerable-shops", "--facilities", shops, "--origins", places)
    shops_rows = {r["name"]: r for r in csv.DictReader(io.StringIO(vulnerable.stdout))}
    assert shops_rows["Handlarn Los"]["isolated"] == "True" and shops_rows["Handlarn Los"]["population_lost"] == "400"


def test_service_access_reports_a_missing_file(tmp_path):
    result = kommunkarta("service-access", "--facilities", tmp_path / "finns-inte.csv")
    assert result.returncode == 2 and "ingen sådan fil eller sparat lager" in result.stderr


def test_export_map_and_deck(tmp_path):
    for target, fmt in (
        (["--network", "gruvkommuner"], "png"),
        (["--kommun", "Falu kommun"], "svg"),
        (["--network", "tornedalsradet"], "html"),
    ):
        out = tmp_path / f"map.{fmt}"
        result = kommunkarta("export", "map", *target, "--format", fmt, "-o", out)
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 10_000
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    deck = tmp_path / "d.pptx"
    result = kommunkarta("export", "deck", "--networks", "gruvkommuner,industrikommuner", "-o", deck)
    assert result.returncode == 0 and "3 bilder" in result.stderr
    assert kommunkarta("export", "map", "--network", "nope", "-o", tmp_path / "x.png").returncode == 2


def test_export_small_multiples(tmp_path):
    out = tmp_path / "multiples.svg"
    result = kommunkarta(
        "export",
        "map",
        "--small-multiples",
        "tornedalsradet,gruvkommuner",
        "--format",
        "svg",
        "--lang",
        "en",
        "-o",
        out,
    )
    assert result.returncode == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert "The networks side by side" in svg and "Tornedalsrådet" in svg and "Gruvkommuner (Georange)" in svg
    assert "Filmpool Nord" not in svg
    result = kommunkarta("export", "map", "--small-multiples", "--format", "png", "-o", tmp_path / "all.png")
    assert result.returncode == 0 and (tmp_path / "all.png").stat().st_size > 50_000
    result = kommunkarta("export", "map", "--small-multiples", "nope", "-o", tmp_path / "x.png")
    assert result.returncode == 2 and "nope" in result.stderr
    result = kommunkarta("export", "map", "--small-multiples", "--format", "html", "-o", tmp_path / "x.html")
    assert result.returncode == 2 and "PNG eller SVG" in result.stderr


# -- kommunkarta db -------------------------------------------------------------------------


def db_command(*args, url: str):
    return run_cli("db", *args, env={"KOMMUNKARTA_DATABASE_URL": url})


def test_db_upgrade_import_history_undo_and_export(tmp_path):
    url = f"sqlite:///{tmp_path / 'kk.sqlite'}"
    first = db_command("upgrade", url=url)
    assert first.returncode == 0 and first.stdout.strip().endswith("schema (tomt) → 0003; fylld från data/ (ändring 1)")
    assert db_command("upgrade", url=url).stdout.strip().endswith("schema 0003 → 0003")

    upload = tmp_path / "medlemmar.csv"
    upload.write_bytes(
        "network_id;kommun_kod;name;country;role;since;until;source;certainty;note\r\n"
        "industrikommuner;;Falu kommun;SE;member;2024;;https://example.se/a;likely;\r\n".encode("cp1252")
    )
    dry = db_command("import", upload, "--dry-run", url=url)
    assert dry.returncode == 0 and dry.stdout.strip() == "provkörning: 1 nya, 0 ändrade, 0 borttagna, 0 oförändrade"
    done = db_command("import", upload, "--user", "anna", url=url)
    assert (
        done.returncode == 0
        and done.stdout.strip() == "importerat som ändring 2: 1 nya, 0 ändrade, 0 borttagna, 0 oförändrade"
    )
    assert "semikolon" in done.stderr  # the notice

    history = db_command("history", "--limit", "5", url=url).stdout.splitlines()
    assert (
        len(history) == 2
        and "anna" in history[0]
        and "import" in history[0]
        and "1 nya" in history[0]
        and "seed" in history[1]
    )

    exported = db_command("export", tmp_path / "ut", url=url)
    assert exported.returncode == 0 and f"{tmp_path / 'ut' / 'memberships.csv'}: 154 rader" in exported.stdout
    with open(tmp_path / "ut" / "memberships.csv", encoding="utf-8") as f:
        assert any(r["name"] == "Falun" and r["network_id"] == "industrikommuner" for r in csv.DictReader(f))

    undone = db_command("undo", "2", "--user", "anna", url=url)
    assert undone.returncode == 0 and undone.stdout.strip() == "ändring 2 ångrad som ändring 3"
    assert "154" not in db_command("export", tmp_path / "ut2", url=url).stdout


def test_db_import_refuses_a_bad_file_and_writes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'kk.sqlite'}"
    upload = tmp_path / "medlemmar.csv"
    upload.write_text(
        "network_id,name,country,role,source,certainty\n"
        "industrikommuner,Falun,SE,member,https://example.se/a,likely\n"
        "industrikommuner,Trollhätan,SE,member,https://example.se/a,likely\n",
        encoding="utf-8",
    )
    result = db_command("import", upload, url=url)
    assert result.returncode == 1
    assert "medlemmar.csv:3:name: okänd kommun 'Trollhätan'; menar du Trollhättan?" in result.stderr
    assert "inget importerades: 1 fel" in result.stderr
    assert len(db_command("history", url=url).stdout.splitlines()) == 1  # only the seeding


def test_db_import_names_a_row_someone_else_changed_meanwhile(tmp_path, monkeypatch):
    """Between the import's reading of the database and its write, another editor saves
    the same row: the import writes nothing and says which row."""
    from kommunkarta.storage import store, uploads

    url = f"sqlite:///{tmp_path / 'kk.sqlite'}"
    assert db_command("upgrade", url=url).returncode == 0
    fields, rows = read_csv(DATA_DIR / "memberships.csv")
    mine, theirs = tmp_path / "memberships.csv", tmp_path / "theirs" / "memberships.csv"
    theirs.parent.mkdir()
    write_csv(mine, fields, [{**rows[0], "note": "min ändring"}])
    write_csv(theirs, fields, [{**rows[0], "note": "deras ändring"}])
    real_check = store.check

    def check_after_someone_else_saved(engine, changes, *args, **kwargs):
        monkeypatch.setattr(store, "check", real_check)
        sheets, problems = uploads.read_upload(theirs.name, theirs.read_bytes(), None)
        store.apply(engine, uploads.plan_upload(engine, sheets, "upsert", problems).changes, "cli:bertil", "import")
        return real_check(engine, changes, *args, **kwargs)

    monkeypatch.setattr(store, "check", check_after_someone_else_saved)
    result = db_command("import", mine, url=url)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "inget importerades:",
        "konflikt: memberships gruvkommuner / Lindesberg (SE) / participant ändrades av någon annan under tiden",
    ]
    history = db_command("history", url=url).stdout.splitlines()
    assert len(history) == 2 and "bertil" in history[0]  # theirs, not mine


def test_a_message_with_a_key_of_its_own_is_said_in_either_language():
    """The preview's conflict message names the row's {key}: filled in, not taken for
    the message's own key (a TypeError before the commands became a package)."""
    from kommunkarta.cli import common

    try:
        common.set_language("en")
        assert common.say("cli_msg_conflict", table="networks", key="gruvor") == (
            "conflict: networks gruvor was changed by someone else"
        )
    finally:
        common.set_language("sv")
    assert common.say("cli_msg_conflict", table="networks", key="gruvor") == (
        "konflikt: networks gruvor ändrades av någon annan"
    )
    assert common.say("cli_msg_rows_in", path="ut/networks.csv", rows=154) == "ut/networks.csv: 154 rader"


def test_db_commands_say_which_database_cannot_be_opened(tmp_path):
    result = db_command("history", url="postgresql://kommunkarta:hemligt@127.0.0.1:1/kommunkarta")
    assert result.returncode == 1
    assert "kan inte öppna databasen postgresql://kommunkarta:***@127.0.0.1:1/kommunkarta" in result.stderr
    assert "hemligt" not in result.stderr


def test_cli_reads_the_database_unless_given_a_folder(tmp_path):
    url = f"sqlite:///{tmp_path / 'kk.sqlite'}"
    db_command("upgrade", url=url)
    upload = tmp_path / "natverk.csv"
    upload.write_text("id,name\nindustrikommuner,Starka industrikommuner (nytt namn)\n", encoding="utf-8")
    assert db_command("import", upload, url=url).returncode == 0
    env = {"KOMMUNKARTA_DATABASE_URL": url}
    from_database = run_cli("export", "projects", "--format", "json", env=env)
    from_files = run_cli("export", "projects", "--format", "json", "--data-dir", DATA_DIR, env=env)
    assert from_database.returncode == 0 and from_files.returncode == 0
    profile = run_cli("profile", "Oskarshamn", env=env)
    assert "Starka industrikommuner (nytt namn)" in profile.stdout


# -- 9. the listening address -----------------------------------------------------------------------


def effective_streamlit_options(command: list[str]) -> dict:
    """What streamlit's own command line makes of the command `kommunkarta run` runs."""
    from streamlit.web import cli as streamlit_cli

    assert command[1:4] == ["-m", "streamlit", "run"]
    return streamlit_cli.main.commands["run"].make_context("run", command[4:]).params


def test_run_listens_on_localhost_unless_told_otherwise(tmp_path):
    from kommunkarta.cli import run

    options = effective_streamlit_options(run.streamlit_command(tmp_path / "app.py", []))
    assert options["server_address"] == "localhost"
    assert options["server_headless"] is True and options["browser_gatherUsageStats"] is False
    options = effective_streamlit_options(
        run.streamlit_command(tmp_path / "app.py", ["--server.address", "0.0.0.0", "--server.port", "8600"])
    )
    assert options["server_address"] == "0.0.0.0" and options["server_port"] == 8600


def test_the_script_kommunkarta_run_starts_runs_the_app_as_its_main_script():
    """`kommunkarta run` starts Streamlit on a short script of its own (prepare_runtime),
    which runs the installed app.py as ``__main__`` from its code compiled once, until
    the file changes."""
    from streamlit.testing.v1 import AppTest

    from kommunkarta.cli import run

    at = AppTest.from_file(str(run.prepare_runtime()), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Kommuner i nätverk och projekt"  # the start page
    hits = run._compiled.cache_info().hits
    at.run()
    assert not at.exception and run._compiled.cache_info().hits == hits + 1


def test_run_app_runs_app_py_as_main_and_again_when_it_changes(tmp_path, monkeypatch):
    from kommunkarta.cli import run

    script, seen = tmp_path / "app.py", []
    monkeypatch.setattr(paths, "APP_SCRIPT", script)
    monkeypatch.setitem(sys.modules, "kk_probe", types.SimpleNamespace(seen=seen))
    script.write_text("import kk_probe\n\nkk_probe.seen.append((__name__, __file__, 1))\n")
    run.run_app()
    run.run_app()
    script.write_text("import kk_probe\n\nkk_probe.seen.append((__name__, __file__, 2))\n")
    later = os.stat(script).st_mtime_ns + 10**9
    os.utime(script, ns=(later, later))
    run.run_app()
    assert seen == [("__main__", str(script), 1)] * 2 + [("__main__", str(script), 2)]
