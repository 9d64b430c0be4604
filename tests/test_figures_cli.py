"""``kommunkarta figures population|kolada`` (issue 23): one row per member, the members
together, the län, the rest and Sweden, with the change; a Kolada figure through the
loopback stand-in, then from the shared cache with the stand-in gone."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kommunkarta import geo

from .conftest import FIXTURE_DATA_DIR, run_cli
from .test_figures_app import fixture_members, series_sum, share_rows


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_population_rows_per_member_and_group_with_the_change():
    result = run_cli(
        "figures", "population", "--network", "gruvor", "--from", "2012", "--to", "2025", "--data-dir", FIXTURE_DATA_DIR
    )
    assert result.returncode == 0, result.stderr
    rows = rows_of(result.stdout)
    groups = {r["group"]: r for r in rows if r["kind"] == "group"}
    members = [r for r in rows if r["kind"] == "member"]
    codes = fixture_members("gruvor")
    assert {r["kommun_kod"] for r in members} == codes
    assert set(groups) == {"members", "lan", "rest", "sweden"}
    start, end = series_sum(codes, 2012), series_sum(codes, 2025)
    assert int(groups["members"]["from_population"]) == start and int(groups["members"]["to_population"]) == end
    assert int(groups["members"]["change"]) == end - start
    assert float(groups["members"]["change_pct"]) == pytest.approx((end - start) / start * 100, abs=0.005)
    assert int(groups["sweden"]["to_population"]) == 10_605_520
    assert int(groups["rest"]["to_population"]) + end == 10_605_520
    assert sum(int(r["change"]) for r in members) == end - start
    assert all(r["certainty"] == "stated" and "github.com" in r["source"] for r in rows)


def test_population_says_when_a_year_is_not_in_the_series():
    result = run_cli(
        "figures",
        "population",
        "--network",
        "gruvor",
        "--to",
        "2023",
        "--format",
        "json",
        "--data-dir",
        FIXTURE_DATA_DIR,
    )
    assert result.returncode == 0
    assert "2023" in result.stderr and "2021" in result.stderr
    assert {r["to_year"] for r in json.loads(result.stdout)} == {2021}


def test_population_of_an_unknown_network_names_the_known_ones():
    result = run_cli("figures", "population", "--network", "nope", "--data-dir", FIXTURE_DATA_DIR)
    assert result.returncode == 2 and "gruvor" in result.stderr


def test_kolada_through_the_stand_in_then_from_the_cache_offline(tmp_path):
    from .support.standins import Kolada

    env = {"KOMMUNKARTA_HOME": tmp_path / "home"}
    args = (
        "figures",
        "kolada",
        "N00002",
        "--years",
        "2018-2019",
        "--network",
        "gruvor",
        "--data-dir",
        FIXTURE_DATA_DIR,
    )
    rows = share_rows()
    with Kolada(rows) as stand_in:
        first = run_cli(*args, env={**env, "KOMMUNKARTA_KOLADA_URL": stand_in.url})
        assert first.returncode == 0, first.stderr
        asked = len(stand_in.requests)
    assert asked > 0
    out = rows_of(first.stdout)
    assert all(
        r["source"].startswith("Källa: Kolada, N00002 Invånare 0-19 år, andel av befolkningen, 2018–2019") for r in out
    )
    members = {r["kommun_kod"]: r for r in out if r["kind"] == "member"}
    plain = {r["municipality"]: r["values"][0]["value"] for r in rows if r["period"] == 2019}
    assert set(members) == fixture_members("gruvor")
    for code, row in members.items():
        assert (row["value"] == "" and plain[code] is None) or float(row["value"]) == plain[code]
    together = next(r for r in out if r["group"] == "members" and r["year"] == "2019")
    have = [plain[c] for c in members if plain[c] is not None]
    assert int(together["count"]) == len(have) and float(together["mean"]) == pytest.approx(sum(have) / len(have))
    assert together["shown"] == "weighted"
    # the stand-in is gone: the same figure comes from the shared cache, nothing asked
    again = run_cli(*args, env={**env, "KOMMUNKARTA_KOLADA_URL": "http://127.0.0.1:9/v3"})
    assert again.returncode == 0 and again.stdout == first.stdout
    # a figure never fetched cannot be had offline: said clearly, exit 1
    offline = run_cli(
        "figures",
        "kolada",
        "N00002",
        "--years",
        "2010-2011",
        env={**env, "KOMMUNKARTA_KOLADA_URL": "http://127.0.0.1:9/v3"},
    )
    assert offline.returncode == 1 and offline.stdout == "" and "Kolada" in offline.stderr


def test_kolada_without_a_network_gives_every_kommun_and_sweden(tmp_path):
    from .support.standins import Kolada

    with Kolada(share_rows()) as stand_in:
        result = run_cli(
            "figures",
            "kolada",
            "N00002",
            "--years",
            "2018,2019",
            "--format",
            "json",
            env={"KOMMUNKARTA_HOME": tmp_path / "home", "KOMMUNKARTA_KOLADA_URL": stand_in.url},
        )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len([r for r in rows if r["kind"] == "kommun"]) == len(geo.names_by_code())
    sweden = [r for r in rows if r["kind"] == "group"]
    assert {r["group"] for r in sweden} == {"sweden"} and {r["kolada"] for r in sweden} == {21.3}


def test_validate_names_a_bad_row_of_the_series(tmp_path):
    import shutil

    from .conftest import edit_rows

    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA_DIR, target)

    def break_one(rows):
        rows[4]["population"] = "fyra"

    edit_rows(target / "population_series.csv", break_one)
    result = run_cli("validate", target)
    assert result.returncode == 1
    assert "population_series.csv:6:population:" in result.stdout
