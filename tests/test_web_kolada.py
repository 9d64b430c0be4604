"""Kolada's API v3 through the one client, against a stand-in that behaves like Kolada."""

import math

import pandas as pd
import pytest

from kommunkarta.web import client, kolada

from .support.standins import Kolada, Reply, kolada_row, too_many_requests

YEARS = (2022, 2023, 2024)


def population_rows():
    """N01951 for three kommuner and Sweden, T/K/M; Kolada has no 2024 value for Ljusdal."""
    rows = []
    for code, base in (("0000", 10_400_000), ("2161", 18_900), ("2584", 29_700), ("0180", 980_000)):
        for year in YEARS:
            if code == "2161" and year == 2024:
                rows.append(kolada_row("N01951", code, year, {"T": (None, None)}))
                continue
            total = base + (year - 2022) * 100
            rows.append(
                kolada_row("N01951", code, year, {"T": (total, 1), "K": (total // 2, 1), "M": (total - total // 2, 1)})
            )
    return rows


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml of the project's
    return tmp_path / "home"


@pytest.fixture
def service(home, monkeypatch):
    with Kolada(population_rows(), server_page=2) as stand_in:
        monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", stand_in.url)
        yield stand_in


def expected(rows) -> pd.DataFrame:
    """The rows flattened by hand, one per municipality × year × gender."""
    flat = []
    for row in rows:
        for v in row["values"]:
            value = math.nan if v["value"] is None else float(v["value"])
            count = math.nan if v["count"] is None else float(v["count"])
            flat.append((row["municipality"], int(row["period"]), v["gender"], value, count))
    frame = pd.DataFrame(flat, columns=["municipality", "year", "gender", "value", "count"])
    return frame.sort_values(["municipality", "year", "gender"]).reset_index(drop=True)


def test_values_follow_next_url_to_the_end_and_are_cached_for_everyone(service, home):
    result = kolada.fetch_values("N01951", [2024, 2022, 2023])
    data_requests = [r for r in service.requests if r.path.startswith("/v3/data/")]
    assert len(data_requests) == 6  # 12 rows, two per page: next_url followed to the end
    assert result.kpi.title == "Invånare totalt, antal" and result.kpi.is_divided_by_gender is True
    assert result.years == YEARS and result.fetched_at.endswith("Z")
    got = result.values
    assert list(got.columns) == ["municipality", "year", "gender", "value", "count"]
    assert got["year"].dtype == "int64" and got["value"].dtype == "float64"
    pd.testing.assert_frame_equal(got, expected(population_rows()), check_dtype=False)
    ljusdal_2024 = got[(got["municipality"] == "2161") & (got["year"] == 2024)]
    assert ljusdal_2024["gender"].tolist() == ["T"] and math.isnan(ljusdal_2024["value"].iloc[0])
    # A second call, and cached_values, ask nothing: the cache is a file every process reads.
    before = len(service.requests)
    again = kolada.fetch_values("N01951", YEARS)
    offline = kolada.cached_values("N01951", YEARS)
    assert len(service.requests) == before
    pd.testing.assert_frame_equal(again.values, got)
    assert offline.fetched_at == result.fetched_at and offline.kpi == result.kpi
    assert (home / "cache" / "kolada").is_dir() and len(list((home / "cache" / "kolada").iterdir())) == 1
    assert kolada.cached_values("N01951", [2020]) is None  # never asks the network
    assert len(service.requests) == before


def test_more_than_25_years_are_split_into_lists_kolada_accepts(home, monkeypatch):
    rows = [kolada_row("N00002", "2161", y, {"T": (20.0 + (y % 7), None)}) for y in range(1990, 2031)]
    with Kolada(rows) as stand_in:
        monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", stand_in.url)
        result = kolada.fetch_values("N00002", range(1990, 2031))
    lists = [r.path.rsplit("/", 1)[1].split(",") for r in stand_in.requests if r.path.startswith("/v3/data/")]
    assert [len(x) for x in lists] == [25, 16]
    assert result.values["year"].tolist() == list(range(1990, 2031))
    assert result.values["value"].tolist() == [20.0 + (y % 7) for y in range(1990, 2031)]
    assert result.values["count"].isna().all()


def test_a_kpi_with_only_women_and_men(home, monkeypatch):
    rows = [kolada_row("U00001", "2161", 2023, {"K": (51.5, 120), "M": (48.5, 110)})]
    with Kolada(rows) as stand_in:
        monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", stand_in.url)
        result = kolada.fetch_values("U00001", [2023])
    assert result.values[["gender", "value", "count"]].values.tolist() == [["K", 51.5, 120.0], ["M", 48.5, 110.0]]


def test_a_429_is_waited_out_as_retry_after_says(service):
    service.queue(too_many_requests("1"))
    result = kolada.fetch_values("N01951", YEARS)
    assert len(result.values) == len(expected(population_rows()))
    assert service.requests[0].path == service.requests[1].path == "/v3/kpi/N01951"


def test_a_429_longer_than_the_deadline_says_rate_limited_not_offline(service, home):
    service.queue(too_many_requests("3600"))
    with pytest.raises(client.FetchError) as caught:
        kolada.fetch_values("N01951", YEARS, deadline_s=5)
    err = caught.value
    assert err.kind == "rate_limited" and err.retry_after == 3600
    assert "ansluten till internet" not in str(err) and "3600 s" in str(err)
    assert "too many requests" in err.message("en") and "The internet connection works" in err.message("en")
    assert kolada.cached_values("N01951", YEARS) is None  # nothing kept


def test_v2_answers_410_and_says_the_address_is_gone(service, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", service.url.replace("/v3", "/v2"))
    with pytest.raises(client.FetchError) as caught:
        kolada.kpi("N01951")
    assert caught.value.kind == "gone" and "410" in str(caught.value) and "discontinued" in str(caught.value)


@pytest.mark.parametrize(
    "bad, said",
    [
        ({"gender": "X", "status": "", "value": 1, "count": 1}, "gender"),
        ({"gender": "T", "status": "", "value": "12", "count": 1}, "is not a number"),
        ({"gender": "T", "status": "", "value": float("nan"), "count": 1}, "NaN"),
    ],
)
def test_a_bad_value_refuses_the_whole_answer_and_nothing_is_cached(home, monkeypatch, bad, said):
    rows = population_rows()
    rows[3]["values"].append(bad)
    with Kolada(rows) as stand_in:
        monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", stand_in.url)
        with pytest.raises(client.FetchError) as caught:
            kolada.fetch_values("N01951", YEARS)
    assert caught.value.kind == "bad_answer" and said in str(caught.value)
    assert not (home / "cache" / "kolada").exists() or not list((home / "cache" / "kolada").glob("*.json"))


def test_an_unknown_kpi_and_rows_of_another_kpi_or_year_are_refused(service):
    service.queue(Reply(200, {"values": [], "count": 0}))  # the metadata lookup finds nothing
    with pytest.raises(client.FetchError) as caught:
        kolada.fetch_values("N01951", YEARS)
    assert caught.value.kind == "not_found" and "N01951" in str(caught.value)
    meta = Reply(200, {"values": [service.kpis["N01951"]], "count": 1})
    for row, said in (
        (kolada_row("N00002", "2161", 2022, {"T": (1.0, 1)}), "asked for N01951"),
        (kolada_row("N01951", "2161", 1999, {"T": (1.0, 1)}), "1999"),
    ):
        service.queue(meta, Reply(200, {"values": [*population_rows()[:1], row], "count": 2}))
        with pytest.raises(client.FetchError) as caught:
            kolada.fetch_values("N01951", YEARS)
        assert caught.value.kind == "bad_answer" and said in str(caught.value)
    assert kolada.cached_values("N01951", YEARS) is None


def test_a_truncated_cache_file_is_discarded_and_fetched_again(service, home):
    first = kolada.fetch_values("N01951", YEARS)
    path = kolada.cache_file("N01951", YEARS)
    path.write_bytes(path.read_bytes()[:100])  # a full disk cut it short
    assert kolada.cached_values("N01951", YEARS) is None and not path.exists()
    before = len(service.requests)
    again = kolada.fetch_values("N01951", YEARS)
    assert len(service.requests) > before and path.exists()
    pd.testing.assert_frame_equal(again.values, first.values)


def test_search_and_metadata(service):
    found = kolada.search_kpis("invånare")
    assert [k.id for k in found] == ["N01951", "N00002"]
    assert kolada.search_kpis("invånare", limit=1) == found[:1]
    meta = kolada.kpi("N00002")
    assert meta == kolada.Kpi(
        "N00002", "Invånare 0-19 år, andel av befolkningen", "Andel invånare 0-19 år.", False, "K", "Befolkning"
    )
    with pytest.raises(client.FetchError) as caught:
        kolada.kpi("N99999")
    assert caught.value.kind == "not_found"
    with pytest.raises(ValueError):
        kolada.fetch_values("../../etc", YEARS)


def test_without_a_network_it_says_so(home, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", "http://127.0.0.1:9/v3")
    with pytest.raises(client.FetchError) as caught:
        kolada.fetch_values("N01951", YEARS)
    assert caught.value.kind == "offline" and "Är datorn ansluten till internet" in str(caught.value)


def test_a_next_url_on_another_host_is_refused_and_one_by_plain_http_is_asked_as_configured(service):
    first = {"values": population_rows()[:1], "count": 1}
    meta = Reply(200, {"values": [service.kpis["N01951"]], "count": 1})
    service.queue(meta, Reply(200, {**first, "next_url": "http://elsewhere.example/v3/data/kpi/N01951/year/2022"}))
    with pytest.raises(client.FetchError) as caught:
        kolada.fetch_values("N01951", YEARS)
    assert caught.value.kind == "redirect" and "elsewhere.example" in str(caught.value)
    assert kolada.cached_values("N01951", YEARS) is None
    # The same host by another port (as a proxy in front might write it): asked on the configured one.
    elsewhere_port = service.url.replace(str(service.port), "1")
    service.queue(meta, Reply(200, {**first, "next_url": elsewhere_port + "/data/kpi/N01951/year/2023"}))
    result = kolada.fetch_values("N01951", YEARS)
    assert service.requests[-1].path == "/v3/data/kpi/N01951/year/2023"
    assert set(result.values["year"]) == {2022, 2023}
