"""The command line for the editor who prepares a meeting: ``kommunkarta layers import``,
``fetch-shops`` (against a stand-in Overpass service on the loopback interface) and
``list`` store facility layers as the page does: the same importer, limits and provenance."""

import functools
import re
import urllib.parse

import pandas as pd
import pytest

from kommunkarta import cli, limits
from kommunkarta.service import importers, osm, stored_layers

from .conftest import ROOT, json_stand_in

# Shops in Ljusdal (2161) and Kiruna (2584), and one in Norway.
SHOPS = {
    "2161": [(1, "ICA Ljusdal", 61.83, 16.09), (2, "Coop Järvsö", 61.716, 16.17)],
    "2584": [(3, "Coop Kiruna", 67.855, 20.225)],
}


def overpass(query: dict, body: str) -> dict:
    text = urllib.parse.unquote_plus(body)
    codes = [code for code in SHOPS if f'"ref:se:kommun:kod"="{code}"' in text]
    rows = [shop for code in codes for shop in SHOPS[code]]
    if '"ISO3166-1"="SE"' in text:  # the national query
        rows = [shop for shops in SHOPS.values() for shop in shops] + [(9, "Rema Oslo", 59.91, 10.75)]
    return {
        "osm3s": {"timestamp_osm_base": "2026-11-30T10:00:00Z"},
        "elements": [
            {"type": "node", "id": i, "lat": lat, "lon": lon, "tags": {"shop": "supermarket", "name": name}}
            for i, name, lat, lon in rows
        ],
    }


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def stand_in(monkeypatch):
    with json_stand_in(overpass, "/api/interpreter") as (endpoint, calls):
        # The CLI calls osm.fetch as the page does; here it goes to the stand-in.
        monkeypatch.setattr(osm, "fetch", functools.partial(osm.fetch, endpoint=endpoint, use_cache=False))
        yield calls


def test_import_stores_a_layer_as_the_page_does_and_lists_it(home, tmp_path, capsys):
    shops = tmp_path / "butiker.csv"
    shops.write_text(
        "name;lat;lon\nICA Ljusdal;61,83;16,09\nCoop Järvsö;61,716;16,17\nFel;inte;16,0\nOslo;59,91;10,75\n",
        encoding="utf-8",
    )
    assert cli.main(["layers", "import", str(shops), "--title", "Butiker i Ljusdal", "--kind", "grocery"]) == 0
    out = capsys.readouterr()
    assert "butiker.csv:4:lat" in out.err  # the bad row, named by file, row and field
    assert "1 punkter utanför Sverige" in out.err
    (info,) = stored_layers.list_layers()
    assert (info.id, info.title, info.role, info.points, info.source) == (
        "butiker-i-ljusdal",
        "Butiker i Ljusdal",
        "facilities",
        2,
        "butiker.csv",
    )
    # The same as the page's importer gives.
    expected = importers.read_points(shops, kind="grocery").points
    stored = stored_layers.load(info.id)
    pd.testing.assert_frame_equal(stored.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)
    assert set(stored["kind"]) == {"grocery"} and set(stored["kommun_kod"]) == {"2161"}
    assert cli.main(["layers", "list"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("butiker-i-ljusdal\tButiker i Ljusdal\tfacilities\t2 punkter (grocery 2)\tbutiker.csv")


def test_import_refuses_a_bad_title_a_missing_file_and_a_file_over_the_limit(home, tmp_path, capsys, monkeypatch):
    shops = tmp_path / "b.csv"
    shops.write_text("name,lat,lon\nA,61.83,16.09\n", encoding="utf-8")
    assert cli.main(["layers", "import", str(shops), "--title", "x" * (limits.LAYER_TITLE_CHARS + 1)]) == 2
    assert "tecken" in capsys.readouterr().err
    assert cli.main(["layers", "import", str(tmp_path / "nej.csv")]) == 2
    assert "ingen sådan fil" in capsys.readouterr().err
    monkeypatch.setattr(importers, "MAX_BYTES", 10)
    assert cli.main(["layers", "import", str(shops)]) == 1
    assert "b.csv: filen är 27 byte; gränsen är 10" in capsys.readouterr().err
    assert stored_layers.list_layers() == []


def test_fetch_shops_per_kommun_and_network_through_overpass(home, stand_in, capsys):
    assert cli.main(["layers", "fetch-shops", "--kommun", "Ljusdal", "2584"]) == 0
    out = capsys.readouterr()
    assert len(stand_in) == 2 and '"ref:se:kommun:kod"="2161"' in urllib.parse.unquote_plus(stand_in[0])
    (info,) = stored_layers.list_layers()
    assert info.title == "OpenStreetMap Ljusdal, Kiruna" and info.points == 3
    assert "Overpass" in info.source and "2026-11-30" in info.source
    assert set(stored_layers.load(info.id)["kommun_kod"]) == {"2161", "2584"}
    assert info.id in out.out
    # A network's Swedish kommuner taking part (a meeting host is not a member), one query each.
    stand_in.clear()
    fixtures = str(ROOT / "tests" / "fixtures" / "data")
    assert cli.main(["layers", "fetch-shops", "--network", "gruvor", "--kommun", "2161", "--data-dir", fixtures]) == 0
    asked = {c for call in stand_in for c in re.findall(r'kod"="(\d{4})"', urllib.parse.unquote_plus(call))}
    assert asked == {"2161", "2418", "2417", "2083", "2521"}
    newest = next(i for i in stored_layers.list_layers() if i.id != info.id)
    assert newest.points == 2 and newest.title == "OpenStreetMap Ljusdal, Testnätverk för gruvorter"
    capsys.readouterr()
    assert cli.main(["layers", "fetch-shops", "--network", "finns_inte", "--data-dir", fixtures]) == 2
    assert "finns_inte" in capsys.readouterr().err
    assert cli.main(["layers", "fetch-shops", "--kommun", "Ljusdl"]) == 2
    assert "Ljusdal" in capsys.readouterr().err  # a suggestion


def test_fetch_shops_for_all_sweden_leaves_out_points_abroad(home, stand_in, capsys):
    assert cli.main(["layers", "fetch-shops", "--title", "OSM Sverige"]) == 0
    assert '"ISO3166-1"="SE"' in urllib.parse.unquote_plus(stand_in[0])
    (info,) = stored_layers.list_layers()
    assert info.points == 3 and info.outside_sweden == 1
    assert "1 punkter utanför Sverige" in capsys.readouterr().err


def test_fetch_shops_without_a_network_says_so(home, capsys, monkeypatch):
    monkeypatch.setattr(osm, "fetch", functools.partial(osm.fetch, endpoint="http://127.0.0.1:9/api", use_cache=False))
    assert cli.main(["layers", "fetch-shops", "--kommun", "Ljusdal"]) == 1
    assert "OpenStreetMap" in capsys.readouterr().err
    assert stored_layers.list_layers() == []
