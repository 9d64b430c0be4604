"""Overpass through the one client: shops and roads against a stand-in that behaves like
Overpass, failures included. Nothing bad is cached; nothing partial is stored."""

import json
import math

import numpy as np
import pytest
from pyproj import Geod

from kommunkarta import limits
from kommunkarta.service import importers, osm, roads
from kommunkarta.web import overpass
from kommunkarta.web.client import FetchError

from .support.standins import (
    MEMORY_REMARK,
    TIMEOUT_REMARK,
    Overpass,
    Reply,
    gateway_timeout,
    overpass_answer,
    redirect_elsewhere,
    too_many_requests,
)

SHOPS = [
    {"type": "node", "id": 1, "lat": 61.83, "lon": 16.09, "tags": {"shop": "supermarket", "name": "ICA Ljusdal"}},
    {
        "type": "way",
        "id": 2,
        "center": {"lat": 61.736, "lon": 15.169},
        "tags": {"shop": "general", "name": "Lanthandel"},
    },
]
QUERY = osm.query_for("2161")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


@pytest.fixture
def service(home, monkeypatch):
    with Overpass(SHOPS) as stand_in:
        monkeypatch.setenv("KOMMUNKARTA_OVERPASS_URL", stand_in.url)
        yield stand_in


def fetch(**kw):
    kw.setdefault("backoff_s", 0.2)
    return osm.fetch(QUERY, **kw)


def cached():
    return osm.cache_file(QUERY).exists()


def test_shops_are_fetched_checked_and_cached(service):
    path = fetch()
    assert importers.read_points(path).points["name"].tolist() == ["ICA Ljusdal", "Lanthandel"]
    assert fetch() == path and len(service.requests) == 1  # from the cache
    assert service.queries == [QUERY]


def test_the_client_waits_longer_than_the_query_may_run():
    assert overpass.server_timeout(QUERY) == osm.TIMEOUT_S
    assert overpass.client_deadline(QUERY) > osm.TIMEOUT_S
    road_query = roads.overpass_query((16.0, 61.0, 16.5, 61.3))
    assert overpass.client_deadline(road_query) > overpass.server_timeout(road_query) == roads.OVERPASS_TIMEOUT_S


@pytest.mark.parametrize("remark", [TIMEOUT_REMARK, MEMORY_REMARK])
def test_a_runtime_remark_is_an_error_never_cached(service, remark):
    service.queue(Reply(200, overpass_answer(SHOPS[:1], remark=remark)))
    with pytest.raises(FetchError) as caught:
        fetch()
    assert caught.value.kind == "service_error" and remark[:30] in str(caught.value)
    assert not cached()
    fetch()  # the next click asks again, and gets the whole answer
    assert len(service.requests) == 2 and cached()


@pytest.mark.parametrize(
    "elements, said",
    [
        ([{"type": "node", "id": 1, "lat": "abc", "lon": 16.0, "tags": {"shop": "general"}}], "lat = 'abc'"),
        (5, "'elements' is int"),
        ([{"type": "node", "id": 1, "lat": float("nan"), "lon": 16.0}], "NaN"),
        ([{"type": "node", "id": 1, "lat": 61.0, "lon": float("inf")}], "Infinity"),
        (["node"], "element 1 is str"),
        ([{"type": "node", "id": "x", "lat": 61.0, "lon": 16.0}], "id 'x'"),
        ([{"type": "way", "id": 3, "center": {"lat": 161.0, "lon": 16.0}}], "outside ±90"),
        ([{"type": "node", "id": 4, "lat": 61.0, "lon": 16.0, "tags": ["shop"]}], "tags is not an object"),
    ],
)
def test_bad_elements_are_refused_and_not_cached(service, elements, said):
    service.queue(Reply(200, {"osm3s": {}, "elements": elements}))
    with pytest.raises(FetchError) as caught:
        fetch()
    assert caught.value.kind == "bad_answer" and said in str(caught.value)
    assert "Inget sparades" in str(caught.value) and not cached()


def test_a_truncated_cache_file_is_discarded_and_fetched_again(service):
    path = fetch()
    path.write_bytes(path.read_bytes()[:40])
    assert fetch() == path and len(service.requests) == 2
    assert json.loads(path.read_text(encoding="utf-8"))["elements"] == SHOPS


def test_a_cache_entry_poisoned_before_this_version_is_fetched_again(service):
    target = osm.cache_file(QUERY)
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(overpass_answer([], remark=TIMEOUT_REMARK)), encoding="utf-8")
    assert importers.read_points(fetch()).points["name"].tolist() == ["ICA Ljusdal", "Lanthandel"]
    assert len(service.requests) == 1


def test_429_with_retry_after_is_waited_out(service):
    service.queue(too_many_requests("1"))
    fetch()
    assert len(service.requests) == 2 and cached()


def test_429_without_retry_after_asks_api_status_when_a_slot_is_free(service):
    service.queue(too_many_requests(None))
    fetch()
    assert [r.path for r in service.requests] == ["/api/interpreter", "/api/status", "/api/interpreter"]


def test_504_is_busy_after_the_retries_and_nothing_is_cached(service):
    service.queue(*[gateway_timeout()] * 4)
    with pytest.raises(FetchError) as caught:
        fetch()
    assert caught.value.kind == "busy" and "HTTP 504" in str(caught.value) and not cached()
    assert "ansluten" not in str(caught.value)


def test_a_silent_server_and_a_dripping_one_end_at_the_deadline(service):
    service.queue(Reply(mode="silent"))
    with pytest.raises(FetchError) as caught:
        fetch(deadline_s=1.0)
    assert caught.value.kind == "deadline"
    service.queue(Reply(200, overpass_answer(SHOPS), mode="drip", drip_every=0.3))
    with pytest.raises(FetchError) as caught:
        fetch(deadline_s=1.5)
    assert caught.value.kind == "deadline" and not cached()


def test_an_answer_over_the_limit_is_refused(service):
    with pytest.raises(FetchError) as caught:
        fetch(max_bytes=100)
    assert caught.value.kind == "too_big" and not cached()


def test_a_redirect_to_another_host_is_not_followed_nor_cached(service):
    service.queue(redirect_elsewhere(service.port))
    with pytest.raises(FetchError) as caught:
        fetch()
    assert caught.value.kind == "redirect" and not cached() and len(service.requests) == 1


# -- roads in tiles -----------------------------------------------------------------------


def road_network():
    """A ladder of roads over 1.5 × 0.8 degrees around Ljusdal: east-west roads every 0.1°
    of latitude and north-south ones every 0.25° of longitude, nodes every 0.05°."""
    nodes, ways, ids = {}, [], {}

    def node(lat, lon):
        key = (round(lat, 4), round(lon, 4))
        if key not in ids:
            ids[key] = len(ids) + 1
            nodes[ids[key]] = key
        return ids[key]

    for i, lat in enumerate(np.arange(61.4, 62.21, 0.1)):
        refs = [node(lat, lon) for lon in np.arange(15.5, 17.01, 0.05)]
        ways.append({"id": 100 + i, "nodes": refs, "tags": {"highway": "secondary", "maxspeed": "70"}})
    for j, lon in enumerate(np.arange(15.5, 17.01, 0.25)):
        refs = [node(lat, lon) for lat in np.arange(61.4, 62.21, 0.05)]
        ways.append({"id": 200 + j, "nodes": refs, "tags": {"highway": "tertiary"}})
    ways.append({"id": 300, "nodes": [1, 2], "tags": {"highway": "footway"}})  # not for cars
    return nodes, ways


BBOX = (15.45, 61.35, 17.05, 62.25)


def test_tiles_are_at_most_50_km_and_cover_the_box():
    geod = Geod(ellps="WGS84")
    boxes = overpass.tiles(BBOX)
    assert len(boxes) > 4
    for west, south, east, north in boxes:
        width = geod.line_length([west, east], [south, south])  # the widest side, nearest the equator
        height = geod.line_length([west, west], [south, north])
        assert width <= 50_000 and height <= 50_000
    area = sum((e - w) * (n - s) for w, s, e, n in boxes)
    assert math.isclose(area, (BBOX[2] - BBOX[0]) * (BBOX[3] - BBOX[1]))
    assert min(b[0] for b in boxes) == BBOX[0] and max(b[3] for b in boxes) == pytest.approx(BBOX[3])


@pytest.fixture
def road_service(home, monkeypatch):
    with Overpass(roads=road_network()) as stand_in:
        monkeypatch.setenv("KOMMUNKARTA_OVERPASS_URL", stand_in.url)
        yield stand_in


def test_roads_come_in_tiles_merged_once_each_and_match_one_whole_answer(road_service, home, tmp_path):
    seen = []
    info = roads.fetch_roads(BBOX, "Ljusdal", progress=lambda *a: seen.append(a))
    queries = road_service.queries
    assert len(queries) == len(overpass.tiles(BBOX))
    assert all("out skel qt" in q and "[timeout:180]" in q for q in queries)
    assert ("tiles", len(queries), len(queries)) in seen
    merged = json.loads(next((home / "cache").glob("osm-roads-*.json")).read_text(encoding="utf-8"))
    ids = [(e["type"], e["id"]) for e in merged["elements"]]
    assert len(ids) == len(set(ids))  # every way and node once, though tiles share them
    nodes, ways = road_network()
    assert {i for t, i in ids if t == "way"} == {w["id"] for w in ways}
    # The same network read from one answer holding everything, written independently.
    whole = tmp_path / "whole.json"
    elements = [{"type": "way", **w} for w in ways] + [
        {"type": "node", "id": i, "lat": lat, "lon": lon} for i, (lat, lon) in nodes.items()
    ]
    whole.write_text(json.dumps(overpass_answer(elements)), encoding="utf-8")
    reference = roads.import_file(whole, "Hela")
    assert (info.nodes, info.edges, info.km) == (reference.nodes, reference.edges, reference.km)
    assert info.counts["ways_kept"] == len(ways) - 1 and info.counts["nodes_missing"] == 0
    assert info.osm_timestamp == "2026-11-20T08:14:02Z"  # the data's date, from the answers
    before = len(road_service.requests)
    roads.fetch_roads(BBOX, "Igen")
    assert len(road_service.requests) == before  # the merged answer from the cache


@pytest.mark.parametrize(
    "failure, kind",
    [
        (Reply(200, overpass_answer([], remark=TIMEOUT_REMARK)), "service_error"),
        (Reply(200, overpass_answer([{"type": "node", "id": 1, "lat": "abc", "lon": 1}])), "bad_answer"),
        (Reply(200, overpass_answer([{"type": "way", "id": 1, "nodes": "1,2"}])), "bad_answer"),
        (Reply(mode="silent"), "deadline"),
    ],
)
def test_a_failed_tile_stores_nothing(road_service, home, failure, kind):
    road_service.plan[3] = failure
    with pytest.raises(FetchError) as caught:
        roads.fetch_roads(BBOX, "Ljusdal", deadline_s=4.0, backoff_s=0.1)
    assert caught.value.kind == kind
    assert roads.list_networks() == []
    assert [p.name for p in (home / "cache").iterdir()] == []  # no merged answer, no tile, no temporary file
    info = roads.fetch_roads(BBOX, "Ljusdal")  # the next click fetches every tile again
    assert info.edges > 0


def test_the_roads_byte_limit_is_their_own(road_service):
    with pytest.raises(FetchError) as caught:
        roads.fetch_roads(BBOX, "Ljusdal", max_bytes=20_000)
    assert caught.value.kind == "too_big" and roads.list_networks() == []
    assert overpass.ROAD_BYTES > limits.POINT_FILE_BYTES  # not the point files' 50 MB
