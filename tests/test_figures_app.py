"""Issue 23 page flow (AppTest, fixture data): a network page shows its members'
population development against Sweden from the embedded series, with no internet;
the kommun profile shows the kommun against its län and Sweden."""

from __future__ import annotations

import csv
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kommunkarta import paths

from .conftest import FIXTURE_DATA_DIR
from .test_app import open_network_page

APP = str(paths.APP_SCRIPT)


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch, tmp_path):
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("KOMMUNKARTA_DATA_DIR", str(FIXTURE_DATA_DIR))
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))  # a new database, filled from the fixture
    # No request may leave the machine: Kolada is not asked until a click.
    monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", "http://127.0.0.1:9/v3")
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def series_sum(codes, year) -> int:
    with open(FIXTURE_DATA_DIR / "population_series.csv", encoding="utf-8") as f:
        return sum(
            int(r["population"]) for r in csv.DictReader(f) if r["kommun_kod"] in codes and r["year"] == str(year)
        )


def fixture_members(network_id: str) -> set[str]:
    with open(FIXTURE_DATA_DIR / "memberships.csv", encoding="utf-8") as f:
        return {
            r["kommun_kod"]
            for r in csv.DictReader(f)
            if r["network_id"] == network_id
            and r["country"] == "SE"
            and r["role"] in ("participant", "member", "pilot")
        }


def plain(text: str) -> str:
    """A label as shown: md() escapes punctuation with a backslash."""
    return re.sub(r"\\(.)", r"\1", text)


def metric(at, label: str):
    return next(m for m in at.metric if plain(m.label) == label)


def test_network_page_shows_population_development_against_sweden():
    at = AppTest.from_file(APP, default_timeout=120).run()
    open_network_page(at, "gruvor")
    assert not at.exception
    assert any("Folkmängd över tid" in h.value for h in at.subheader)
    members = fixture_members("gruvor")
    label = "Gruvorter (test)"
    shown = metric(at, label)
    assert shown.value.replace("\u00a0", "") == str(series_sum(members, 2025))
    sweden = metric(at, "Riket")
    assert sweden.value.replace("\u00a0", "") == str(series_sum(set(_all_codes()), 2025)) == "10605520"
    assert at.selectbox(key="fig_gruvor_base").value == 2010  # the fixture's series starts in 2010
    # choose other years: the change follows
    at.selectbox(key="fig_gruvor_from").set_value(2015)
    at.selectbox(key="fig_gruvor_to").set_value(2021).run()
    assert not at.exception
    start, end = series_sum(members, 2015), series_sum(members, 2021)
    pct = f"{(end - start) / start * 100:+.1f}".replace(".", ",")
    assert metric(at, label).delta.startswith(pct)
    table = next(df.value for df in at.dataframe if "Förändring (invånare)" in df.value.columns)
    assert set(table["Kommun"]) == {_names()[c] for c in members}
    assert table["Förändring (invånare)"].sum() == end - start
    at.radio(key="fig_gruvor_measure").set_value("people").run()
    assert not at.exception
    assert any("Källa: SCB" in plain(c.value) for c in at.caption)
    assert any("2020, 2022, 2023, 2024" in plain(c.value) for c in at.caption)  # gaps are said, not filled
    assert at.get("download_button") == []  # made only while their expander is open
    assert not [df for df in at.dataframe if "År" in df.value.columns]  # the sources too
    at.session_state["fig_gruvor_downloads_open"] = True  # the reader opens them
    at.session_state["fig_gruvor_sources_open"] = True
    at.run()
    shown = next(df.value for df in at.dataframe if "År" in df.value.columns)
    with (FIXTURE_DATA_DIR / "population_series_sources.csv").open(encoding="utf-8") as f:
        written = list(csv.DictReader(f))
    # every source of the years shown, as the sources file writes it, with its years
    assert set(shown["Källa"]) <= {r["source"] for r in written} and len(shown) >= 1
    assert all(re.fullmatch(r"\d{4}(–\d{4})?", years) for years in shown["År"])
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Talen som Excel (med källor)" in labels and "Folkmängdsdiagrammet (PNG)" in labels
    # nothing asked of Kolada: the picker waits for a click
    assert any("Valfritt nyckeltal från Kolada" in h.value for h in at.subheader)


def test_kommun_profile_compares_the_kommun_with_its_lan_and_sweden():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["kommun"] = "2418"
    at.run()
    at.switch_page("app_pages/kommun.py").run()
    assert not at.exception
    assert metric(at, "Malå").value.replace("\u00a0", "") == str(series_sum({"2418"}, 2025))
    labels = {plain(m.label) for m in at.metric}
    assert "Riket" in labels and any(label.startswith("Län: Västerbottens län") for label in labels)
    assert "Övriga kommuner" not in labels


def test_english_page_has_the_section_in_english():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    open_network_page(at, "gruvor")
    assert not at.exception
    assert any("Population over time" in h.value for h in at.subheader)
    assert "Sweden" in {plain(m.label) for m in at.metric}


def _all_codes():
    from kommunkarta import geo

    return geo.names_by_code()


def _names():
    from kommunkarta import geo

    return geo.names_by_code()


# -- a Kolada figure through the loopback stand-in ------------------------------------------


def share_rows(kpi="N00002", years=(2018, 2019)):
    """A value for every kommun and Sweden; none for Pajala in 2019."""
    from .support.standins import kolada_row

    rows = []
    for i, code in enumerate(sorted(_all_codes())):
        for year in years:
            value = None if (code, year) == ("2521", 2019) else round(15 + (i * 13 % 90) / 10 + (year - 2018) * 0.1, 1)
            rows.append(kolada_row(kpi, code, year, {"T": (value, 1)}))
    rows += [kolada_row(kpi, "0000", y, {"T": (21.3, 1)}) for y in years]
    return rows


def test_a_kolada_figure_is_fetched_on_a_click_and_shown_with_its_source(monkeypatch):
    from .support.standins import Kolada

    rows = share_rows()
    with Kolada(rows, server_page=200) as stand_in:
        monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", stand_in.url)
        at = AppTest.from_file(APP, default_timeout=120).run()
        open_network_page(at, "gruvor")
        assert not at.exception
        assert stand_in.requests == []  # nothing asked until a click
        at.text_input(key="fig_gruvor_kolada_text").set_value("andel")
        at.button(key="fig_gruvor_kolada_submit").click().run()
        assert not at.exception
        assert [r.path for r in stand_in.requests] == ["/v3/kpi"]
        at.selectbox(key="fig_gruvor_kolada_kpi").set_value("N00002")
        at.slider(key="fig_gruvor_kolada_years").set_value((2018, 2019)).run()
        at.button(key="fig_gruvor_kolada_fetch").click().run()
        assert not at.exception, at.exception
        captions = [plain(c.value) for c in at.caption]
        source = "Källa: Kolada, N00002 Invånare 0-19 år, andel av befolkningen, 2018–2019"
        assert any(c.startswith(source) for c in captions)
        assert any("vägda med kommunernas folkmängd" in c for c in captions)  # a share: weighted, and said so
        members = next(df.value for df in at.dataframe if "Värde 2019" in df.value.columns)
        plain_values = {r["municipality"]: r["values"][0]["value"] for r in rows if r["period"] == 2019}
        expected = {_names()[c]: plain_values[c] for c in fixture_members("gruvor")}
        got = dict(zip(members["Kommun"], members["Värde 2019"]))
        assert set(got) == set(expected)
        for name, value in expected.items():
            assert (value is None and got[name] != got[name]) or got[name] == value
        ranked = sorted((v for c, v in plain_values.items() if c != "0000" and v is not None), reverse=True)
        malå = members.set_index("Kommun").loc["Malå"]
        assert malå["Rang (1 = högst)"] == ranked.index(plain_values["2418"]) + 1
        groups = next(df.value for df in at.dataframe if "Kommuner med värde" in df.value.columns)
        row = groups[(groups["År"] == 2019) & (groups["Namn"] == "Gruvorter (test)")].iloc[0]
        have = [plain_values[c] for c in fixture_members("gruvor") if plain_values[c] is not None]
        assert row["Kommuner med värde"] == len(have) == 3 and row["Antal kommuner"] == 4
        assert row["Ovägt medel (Koladas sätt)"] == pytest.approx(sum(have) / 3, abs=0.01)
        images = len(at.image)
        assert images >= 3  # population chart, Kolada chart, Kolada map
        at.session_state["fig_gruvor_downloads_open"] = True
        at.run()
        labels = [b.proto.label for b in at.get("download_button")]
        assert "Kartan över nyckeltalet (interaktiv HTML)" in labels
    # Kolada gone: another year range fails, says why, and keeps what was fetched before
    at.slider(key="fig_gruvor_kolada_years").set_value((2017, 2019)).run()
    at.button(key="fig_gruvor_kolada_fetch").click().run()
    assert not at.exception
    assert at.error and "Hämtningen misslyckades" in plain(at.error[0].value)
    assert any(plain(c.value).startswith(source) for c in at.caption)


def test_population_development_is_a_presentation_step():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["views"] = "overview,population:gruvor"
    at.query_params["step"] = "2"
    at.run()
    at.switch_page("app_pages/present.py").run()
    assert not at.exception
    assert any(
        "2 / 2" in plain(m.value) and "Folkmängd: Testnätverk för gruvorter" in plain(m.value) for m in at.markdown
    )
    members = fixture_members("gruvor")
    start, end = series_sum(members, 2010), series_sum(members, 2025)
    pct = f"{(end - start) / start * 100:+.1f}".replace(".", ",")
    assert metric(at, "Testnätverk för gruvorter").value.startswith(pct)
    assert len(at.image) == 1


def test_the_overview_selection_shows_its_population_when_asked():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert not any("Folkmängd över tid" in h.value for h in at.subheader)  # nothing drawn until asked
    at.multiselect(key="f_networks_sv").set_value(["gruvor"])
    at.toggle(key="fig_overview_show").set_value(True).run()
    assert not at.exception
    members = fixture_members("gruvor")
    assert metric(at, "Kommunerna i urvalet").value.replace("\u00a0", "") == str(series_sum(members, 2025))


def test_rural_service_suggests_the_issues_key_figures_and_says_when_kolada_cannot_be_reached(monkeypatch):
    from .support.standins import KPIS, Kolada

    kpis = {
        **KPIS,
        "N07530": {
            **KPIS["N00002"],
            "id": "N07530",
            "title": "Invånare med högst 2 km till dagligvarubutik, andel (%)",
        },
    }
    with Kolada(share_rows("N07530"), kpis=kpis) as stand_in:
        monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", stand_in.url)
        at = AppTest.from_file(APP, default_timeout=120).run()
        open_network_page(at, "landsbygd")
        assert not at.exception and stand_in.requests == []
        suggestions = [b for b in at.button if (b.key or "").startswith("fig_landsbygd_kolada_suggest_")]
        assert [plain(b.label) for b in suggestions] == [
            "N07530: inom 2 km till dagligvarubutik",
            "N07531: barn inom 2 km till skola",
        ]
        suggestions[0].click().run()
        assert [r.path for r in stand_in.requests] == ["/v3/kpi/N07530"]
        assert at.selectbox(key="fig_landsbygd_kolada_kpi").value == "N07530"
    # Kolada unreachable: the next search says so, and the list found before stays
    at.button(key="fig_landsbygd_kolada_suggest_1").click().run()
    assert not at.exception
    assert at.error and "Hämtningen misslyckades" in plain(at.error[0].value)
    assert at.selectbox(key="fig_landsbygd_kolada_kpi").value == "N07530"
