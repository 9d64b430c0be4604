"""SCB's WFS (GeoServer) through the one client, against a stand-in that pages, caps,
lies about its total and refuses as GeoServer does."""

import json

import pytest

from kommunkarta.service import grid
from kommunkarta.web import scb
from kommunkarta.web.client import FetchError

from .support.standins import Reply, ScbWfs, exception_report, grid_feature

# Squares around Ljusdal (SWEREF 99 TM, south-west corners), with their people.
SQUARES = [(545_000, 6_853_000, 812), (546_000, 6_853_000, 57), (545_000, 6_854_000, 133), (560_000, 6_860_000, 9)]


def features(swapped: bool = False):
    return [grid_feature(e, n, p, swapped=swapped) for e, n, p in SQUARES]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


def serve(monkeypatch, stand_in):
    monkeypatch.setenv("KOMMUNKARTA_SCB_WFS_URL", stand_in.url)
    return stand_in


def cache_files(home):
    return sorted(p.name for p in (home / "cache").glob("*")) if (home / "cache").exists() else []


def read_population(path) -> list[int]:
    return sorted(int(p) for p in grid.read_grid(path).points["population"])


@pytest.mark.parametrize("matched", [True, False])
def test_pages_with_and_without_number_matched_sorted_and_read_as_a_grid(home, monkeypatch, matched):
    with serve(monkeypatch, ScbWfs(features(), server_page=1000, matched=matched)) as wfs:
        seen = []
        path = scb.fetch_wfs(page_size=3, progress=lambda n, total: seen.append((n, total)))
    starts = [int(r.query["startIndex"]) for r in wfs.requests]
    # With the total stated, paging stops there; without it, at the first empty page.
    assert starts == ([0, 3] if matched else [0, 3, 4])
    assert all(r.query["sortBy"] == "rutid_scb ASC" for r in wfs.requests)
    assert wfs.requests[0].query["srsName"] == "EPSG:3006" and wfs.requests[0].query["version"] == "2.0.0"
    assert seen[-1] == (4, 4 if matched else None)
    assert read_population(path) == sorted(p for *_, p in SQUARES)
    assert set(grid.read_grid(path).points["kommun_kod"]) == {"2161"}


def test_short_pages_from_a_server_cap_are_followed_from_where_they_stopped(home, monkeypatch):
    with serve(monkeypatch, ScbWfs(features(), server_page=2)) as wfs:
        path = scb.fetch_wfs(page_size=3)
    assert [int(r.query["startIndex"]) for r in wfs.requests] == [0, 2]
    assert len(json.loads(path.read_text(encoding="utf-8"))["features"]) == 4


def test_without_sort_by_geoserver_refuses_and_the_report_is_shown(home, monkeypatch):
    with serve(monkeypatch, ScbWfs(features())):
        with pytest.raises(FetchError) as caught:
            scb.fetch_wfs(sort_by=None)
    err = caught.value
    assert err.kind == "service_error" and "HTTP 400" in str(err)
    assert "Cannot do natural order without a primary key" in str(err) and "<ows:" not in str(err)
    assert cache_files(home) == []


def test_a_million_matched_at_one_feature_a_page_stops_at_the_page_cap(home, monkeypatch):
    with serve(monkeypatch, ScbWfs([], matched=1_000_000, endless=True)) as wfs:
        with pytest.raises(FetchError) as caught:
            scb.fetch_wfs(max_pages=25)
    err = caught.value
    assert err.kind == "page_cap" and len(wfs.requests) == 25
    assert "gränsen på 25" in str(err) and "25 av 1\u00a0000\u00a0000" in str(err)
    assert "limit of 25" in err.message("en")
    assert cache_files(home) == []


def test_more_features_than_the_cap_are_refused(home, monkeypatch):
    with serve(monkeypatch, ScbWfs(features(), server_page=1, matched=False)) as wfs:
        with pytest.raises(FetchError) as caught:
            scb.fetch_wfs(max_features=3)
    assert caught.value.kind == "feature_cap" and len(wfs.requests) == 4 and cache_files(home) == []
    with serve(monkeypatch, ScbWfs(features(), server_page=1)) as wfs:
        with pytest.raises(FetchError) as caught:
            scb.fetch_wfs(max_features=3)
    assert caught.value.kind == "feature_cap" and len(wfs.requests) == 1  # refused by the stated total


def test_swapped_axes_are_turned_east_first_not_left_outside_sweden(home, monkeypatch):
    with serve(monkeypatch, ScbWfs(features(swapped=True))):
        path = scb.fetch_wfs()
    layer = grid.read_grid(path)
    assert layer.outside_sweden == 0 and read_population(path) == sorted(p for *_, p in SQUARES)
    first = json.loads(path.read_text(encoding="utf-8"))["features"][0]["geometry"]["coordinates"][0][0]
    assert first == [545_000, 6_853_000]


def test_a_feature_without_geometry_refuses_the_answer(home, monkeypatch):
    broken = features()
    broken[2]["geometry"] = None
    with serve(monkeypatch, ScbWfs(broken)):
        with pytest.raises(FetchError) as caught:
            scb.fetch_wfs()
    assert caught.value.kind == "bad_answer" and "feature 3" in str(caught.value) and "no geometry" in str(caught.value)
    assert cache_files(home) == []


def test_an_exception_report_with_status_200_is_an_error(home, monkeypatch):
    report = exception_report("InvalidParameterValue", "Feature type stat:nope unknown")
    with serve(monkeypatch, ScbWfs(features())) as wfs:
        wfs.queue(Reply(200, report.body, content_type="application/xml"))
        with pytest.raises(FetchError) as caught:
            scb.fetch_wfs()
    assert caught.value.kind == "service_error" and "stat:nope unknown" in str(caught.value)


def test_the_byte_limit_is_the_grid_readers(home, monkeypatch):
    import inspect

    from kommunkarta import limits

    assert grid.MAX_BYTES == limits.GRID_FILE_BYTES == grid.WFS_MAX_BYTES
    assert inspect.signature(scb.fetch_wfs).parameters["max_bytes"].default == limits.GRID_FILE_BYTES
    with serve(monkeypatch, ScbWfs(features(), server_page=1)):
        with pytest.raises(FetchError) as caught:
            scb.fetch_wfs(max_bytes=2000)  # two pages' worth, shared by all pages
    assert caught.value.kind == "too_big" and cache_files(home) == []


def test_a_truncated_cache_is_fetched_again_and_a_good_one_is_reused(home, monkeypatch):
    with serve(monkeypatch, ScbWfs(features())) as wfs:
        path = scb.fetch_wfs()
        assert scb.fetch_wfs() == path and len(wfs.requests) == 1
        path.write_bytes(path.read_bytes()[:500])
        assert scb.fetch_wfs() == path and len(wfs.requests) == 2
    assert read_population(path) == sorted(p for *_, p in SQUARES)


def test_a_dripping_wfs_ends_at_the_deadline(home, monkeypatch):
    with serve(monkeypatch, ScbWfs(features())) as wfs:
        wfs.queue(Reply(200, b"{" + b" " * 200 + b"}", mode="drip", drip_every=0.3))
        with pytest.raises(FetchError) as caught:
            scb.fetch_wfs(deadline_s=1.5)
    assert caught.value.kind == "deadline" and cache_files(home) == []


def test_the_cli_says_what_happened(home, monkeypatch, capsys):
    from kommunkarta.cli import main

    with serve(monkeypatch, ScbWfs([], matched=2_000_000, endless=True)) as wfs:
        code = main(["import-grid", "--scb"])
    assert code == 1 and len(wfs.requests) == 1
    err = capsys.readouterr().err
    assert "SCB:s WFS" in err and "har 2\u00a0000\u00a0000 objekt, över gränsen" in err and "Traceback" not in err
