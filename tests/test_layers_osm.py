"""Stored layers in the user's folder, and OpenStreetMap fetching against a local server."""

import pytest

from kommunkarta.service import importers, osm, stored_layers

from .support.standins import Overpass

OVERPASS_ANSWER = {
    "elements": [
        {"type": "node", "id": 7, "lat": 61.83, "lon": 16.09, "tags": {"shop": "supermarket", "name": "ICA Ljusdal"}}
    ]
}


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def small_layer(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(
        "name,lat,lon\nICA Ljusdal,61.83,16.09\nCoop Färila,61.80,15.85\nTornio,65.85,24.15\n", encoding="utf-8"
    )
    return importers.read_points(path, kind="grocery")


def test_layers_are_saved_listed_loaded_and_removed(home, tmp_path):
    assert stored_layers.list_layers() == []
    info = stored_layers.save(small_layer(tmp_path), "Butiker i Ljusdal", "facilities")
    again = stored_layers.save(small_layer(tmp_path), "Butiker i Ljusdal", "facilities")
    assert (info.id, again.id) == ("butiker-i-ljusdal", "butiker-i-ljusdal-2")
    assert (info.points, info.outside_sweden, info.kinds, info.source) == (2, 1, {"grocery": 2}, "b.csv")
    assert (home / "layers" / "butiker-i-ljusdal.parquet").exists()
    assert {i.id for i in stored_layers.list_layers("facilities")} == {"butiker-i-ljusdal", "butiker-i-ljusdal-2"}
    assert stored_layers.list_layers("origins") == []
    assert stored_layers.load(info.id)["name"].tolist() == ["ICA Ljusdal", "Coop Färila"]
    stored_layers.remove(info.id)
    assert [i.id for i in stored_layers.list_layers()] == ["butiker-i-ljusdal-2"]
    with pytest.raises(ValueError):
        stored_layers.save(small_layer(tmp_path), "x", "shops")


@pytest.fixture
def overpass_server():
    """A stand-in Overpass service on the loopback interface; counts its requests."""
    with Overpass(OVERPASS_ANSWER["elements"]) as stand_in:
        yield stand_in


def test_fetch_reports_progress_and_caches_the_answer(home, overpass_server):
    endpoint = overpass_server.url
    query = osm.query_for("2161")
    assert 'area["ref:se:kommun:kod"="2161"]' in query and 'nwr["shop"="supermarket"]' in query
    seen = []
    path = osm.fetch(query, endpoint=endpoint, progress=seen.append)
    assert seen and seen[-1] == path.stat().st_size
    assert importers.read_points(path).points["name"].tolist() == ["ICA Ljusdal"]
    assert osm.fetch(query, endpoint=endpoint) == path  # the second time from the cache
    assert overpass_server.queries == [query]  # one request, the query posted as data=


def test_fetch_without_a_network_says_so(home):
    with pytest.raises(osm.Offline, match="Är datorn ansluten till internet") as caught:
        osm.fetch(osm.query_for(None), endpoint="http://127.0.0.1:9/api/interpreter", use_cache=False)
    assert caught.value.kind == "offline" and "Is the computer online?" in caught.value.message("en")
