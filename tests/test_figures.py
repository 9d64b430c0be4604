"""Issue 23: population development per network from the curated series, and Kolada
figures for a group against its län, the rest and Sweden. Group figures are checked
against plain sums over the CSV rows."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from kommunkarta import figures, geo, paths, population_series
from kommunkarta.figures.population import change_table
from kommunkarta.web.kolada import Kpi, KpiValues

from .conftest import FIXTURE_DATA_DIR, edit_rows

SERIES_CSV = paths.DATA_DIR / "population_series.csv"


def csv_rows(path=SERIES_CSV) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def plain_sum(rows, codes, year) -> int | None:
    """The sum over ``codes`` in ``year`` from the CSV rows, None if any is missing."""
    values = {r["kommun_kod"]: int(r["population"]) for r in rows if int(r["year"]) == year}
    if any(c not in values for c in codes):
        return None
    return sum(values[c] for c in codes)


@pytest.fixture(scope="module")
def series():
    return population_series.load()


def test_the_curated_series_loads_whole_with_its_sources(series):
    assert series.problems == []
    assert len(series.values) == len(csv_rows()) == 290 * 72
    assert series.years == (*range(1950, 2020), 2021, 2025)
    # every value carries the source and certainty of its year
    assert (series.values["source"].str.startswith("https://github.com/")).all()
    before = series.values[series.values["year"] < 2000]
    assert set(before["certainty"]) == {"likely"}
    assert set(series.values.loc[series.values["year"] >= 2000, "certainty"]) == {"stated"}


def test_the_series_agrees_with_population_csv_and_the_provenance(series):
    population = pd.read_csv(paths.DATA_DIR / "population.csv", dtype={"kommun_kod": str})
    y2025 = series.values[series.values["year"] == 2025].set_index("kommun_kod")["population"]
    assert y2025.to_dict() == population.set_index("kommun_kod")["population"].to_dict()
    totals = series.values.groupby("year")["population"].sum()
    # Sweden's totals that PROVENANCE.txt says the kommuner were checked against
    assert totals[2019] == 10_327_589 and totals[2021] == 10_452_326 and totals[2025] == 10_605_520


def test_members_together_equal_a_plain_sum_of_the_csv_rows(series, table):
    rows = csv_rows()
    members = sorted(
        set(
            table.loc[
                (table["network_id"] == "gruvkommuner") & table["takes_part"] & (table["country"] == "SE"), "kommun_kod"
            ]
        )
    )
    query = figures.network_query(table, "gruvkommuner", "Gruvkommuner", base_year=1990, from_year=2000, to_year=2025)
    view = figures.population_view(series, query)
    assert view.query.codes == tuple(members)
    got = view.series[view.series["group"] == "members"].set_index("year")
    lan_of = dict(zip(geo.kommuner()["kommun_kod"], geo.kommuner()["lan"]))
    lan_codes = [c for c in lan_of if lan_of[c] in {lan_of[m] for m in members}]
    rest = [c for c in lan_of if c not in set(members)]
    for year in (1950, 1990, 2000, 2019, 2021, 2025):
        assert got.loc[year, "population"] == plain_sum(rows, members, year)
        by_group = view.series[view.series["year"] == year].set_index("group")["population"]
        assert by_group["lan"] == plain_sum(rows, lan_codes, year)
        assert by_group["rest"] == plain_sum(rows, rest, year)
        assert by_group["sweden"] == plain_sum(rows, list(lan_of), year)
        assert by_group["rest"] + got.loc[year, "population"] == by_group["sweden"]
    base = plain_sum(rows, members, 1990)
    assert got.loc[2025, "index"] == pytest.approx(plain_sum(rows, members, 2025) / base * 100)
    change = view.change.set_index("group").loc["members"]
    start, end = plain_sum(rows, members, 2000), plain_sum(rows, members, 2025)
    assert change["change"] == end - start
    assert change["change_pct"] == pytest.approx((end - start) / start * 100)
    per_member = view.members.set_index("kommun_kod")
    assert per_member["change"].sum() == end - start
    first = members[0]
    assert per_member.loc[first, "from_population"] == plain_sum(rows, [first], 2000)


def test_years_the_series_lacks_are_gaps_not_interpolated(series, table):
    view = figures.population_view(series, figures.network_query(table, "gruvkommuner", "G"))
    members = view.series[view.series["group"] == "members"].set_index("year")
    assert list(members.index) == list(range(1950, 2026))
    assert view.gap_years() == (2020, 2022, 2023, 2024)
    assert members.loc[[2020, 2022, 2023, 2024], "population"].isna().all()
    assert members.loc[[2020, 2022, 2023, 2024], "index"].isna().all()


def test_a_kommun_missing_a_year_makes_that_year_a_gap_for_its_groups(tmp_path):
    import shutil

    for name in ("population_series.csv", "population_series_sources.csv"):
        shutil.copy(FIXTURE_DATA_DIR / name, tmp_path / name)
    edit_rows(
        tmp_path / "population_series.csv",
        lambda rows: [r for r in rows if (r["kommun_kod"], r["year"]) != ("2418", "2015")],
    )
    series = population_series.load(tmp_path)
    assert series.problems == []
    view = figures.population_view(series, figures.PopulationQuery(("2417", "2418"), "Malå och Norsjö"))
    by = view.series.set_index(["group", "year"])["population"]
    assert math.isnan(by[("members", 2015)]) and math.isnan(by[("lan", 2015)]) and math.isnan(by[("sweden", 2015)])
    assert not math.isnan(by[("rest", 2015)])  # Malå is not in the rest
    assert by[("members", 2016)] == plain_sum(csv_rows(tmp_path / "population_series.csv"), ["2417", "2418"], 2016)
    # a chosen year without a value moves to the nearest year the group has
    view = figures.population_view(series, figures.PopulationQuery(("2418",), "Malå", from_year=2020, to_year=2023))
    assert (view.from_year, view.to_year) == (2019, 2021)


def test_bad_rows_are_named_by_file_row_and_field(tmp_path):
    (tmp_path / "population_series_sources.csv").write_text(
        "from_year,to_year,source,certainty,note\n"
        "2010,2019,https://example.se/a,stated,\n"
        "2015,2016,https://example.se/b,stated,\n"
        "2021,2020,https://example.se/c,säker,\n",
        encoding="utf-8",
    )
    (tmp_path / "population_series.csv").write_text(
        "kommun_kod,kommun,year,population\n"
        "2418,Malå,2015,3000\n"
        "2418,Malå,2015,3001\n"
        "9999,,2015,10\n"
        "2417,Norsjö,2030,4000\n"
        "2417,Kiruna,2016,4000\n"
        "2417,Norsjö,2017,många\n"
        "2417,Norsjö,2018,=1+1\n",
        encoding="utf-8",
    )
    series = population_series.load(tmp_path)
    where = {(p.file, p.row, p.field) for p in series.problems}
    assert ("population_series_sources.csv", 3, "from_year") in where  # overlaps row 2
    assert ("population_series_sources.csv", 4, "certainty") in where
    assert ("population_series.csv", 3, "year") in where  # duplicate of row 2
    assert ("population_series.csv", 4, "kommun_kod") in where  # unknown kommun
    assert ("population_series.csv", 5, "year") in where  # no source for 2030
    assert ("population_series.csv", 6, "kommun_kod") in where  # name is another kommun's
    assert ("population_series.csv", 7, "population") in where
    assert ("population_series.csv", 8, "population") in where
    assert list(series.values["population"]) == [3000]  # the one valid row is kept
    assert all(p.text("en") for p in series.problems)


def test_a_selection_and_a_kommun_profile(series, table):
    from kommunkarta import selection

    filters = selection.Filters(lan=("25",))
    filtered = selection.apply_filters(table, filters)
    query = figures.selection_query(filtered, "Norrbotten")
    view = figures.population_view(series, query)
    assert set(view.query.codes) <= {c for c in geo.names_by_code() if c.startswith("25")}
    profile = figures.population_view(series, figures.kommun_query("2584", from_year=2000, to_year=2021))
    assert set(profile.change["group"]) == {"members", "lan", "sweden"}
    rows = csv_rows()
    kiruna = profile.change.set_index("group").loc["members"]
    assert kiruna["change"] == plain_sum(rows, ["2584"], 2021) - plain_sum(rows, ["2584"], 2000)
    table_rows = change_table(profile)
    assert list(table_rows["kind"]) == ["group", "group", "group", "member"]


# -- Kolada -------------------------------------------------------------------------------


def kpi_values(kpi_id="N07530", title="Andel invånare inom 2 km till dagligvarubutik, (%)", genders=("T",), skip=()):
    codes = list(geo.names_by_code())
    rows = []
    for i, code in enumerate(codes):
        for year in (2018, 2019):
            for g in genders:
                value = np.nan if (code, year) in skip else float((i * 7 + year) % 97) + (0.5 if g == "K" else 0)
                rows.append((code, year, g, value, np.nan))
    rows += [("0000", 2019, "T", 81.5, np.nan), ("0025", 2019, "T", 70.0, np.nan)]
    frame = pd.DataFrame(rows, columns=["municipality", "year", "gender", "value", "count"])
    return KpiValues(Kpi(kpi_id, title, "", len(genders) > 1, "K", ""), (2018, 2019), "2026-12-07T10:00:00Z", frame)


def test_kolada_group_values_both_ways_against_plain_python(series):
    values = kpi_values(skip={("2584", 2019)})
    members = ("2584", "2580", "2523", "0180")
    view = figures.kolada_view(values, figures.KoladaQuery("N07530", (2018, 2019), members, "Testgrupp"), series)
    assert view.share and view.shown == "weighted"
    got = view.series[(view.series["group"] == "members") & (view.series["year"] == 2019)].iloc[0]
    plain = {r.municipality: r.value for r in values.values.itertuples() if r.year == 2019 and r.gender == "T"}
    have = [c for c in members if not math.isnan(plain[c])]
    assert got["count"] == 3 and got["kommuner"] == 4
    assert got["mean"] == pytest.approx(sum(plain[c] for c in have) / 3)
    pop = {r["kommun_kod"]: int(r["population"]) for r in csv_rows() if r["year"] == "2019"}
    assert got["weighted"] == pytest.approx(sum(plain[c] * pop[c] for c in have) / sum(pop[c] for c in have))
    sweden = view.series[(view.series["group"] == "sweden") & (view.series["year"] == 2019)].iloc[0]
    assert sweden["kolada"] == 81.5 and sweden["count"] == 289
    # 2020 is not in the series: weights come from the nearest earlier year (2019)
    ranks = view.members.set_index("kommun_kod")
    known = sorted((v for c, v in plain.items() if c in geo.names_by_code() and not math.isnan(v)), reverse=True)
    assert ranks.loc["2580", "rank"] == known.index(plain["2580"]) + 1
    assert math.isnan(ranks.loc["2584", "value"]) and ranks.loc["2580", "of"] == 289


def test_a_figure_that_is_not_a_share_is_shown_as_kolada_computes_it(series):
    values = kpi_values("N00001", "Medianinkomst, kr")
    view = figures.kolada_view(values, figures.KoladaQuery("N00001", (2018, 2019), ("2584",), "K"), series)
    assert not view.share and view.shown == "mean" and view.series["weighted"].isna().all()


def test_a_figure_with_gender_rows_only_falls_back_to_a_gender(series):
    values = kpi_values(genders=("K", "M"))
    view = figures.kolada_view(values, figures.KoladaQuery("N07530", (2018, 2019), ("2584",), "K"), series)
    assert view.gender == "K" and not view.empty


def test_the_workbook_carries_sources_and_neutralises_formulas(series, table):
    from openpyxl import load_workbook

    from kommunkarta.outputs import figure_downloads

    population = figures.population_view(series, figures.PopulationQuery(("2584", "2580"), '=HYPERLINK("x")'))
    values = kpi_values(title="=cmd andel (%)")
    kolada = figures.kolada_view(values, figures.KoladaQuery("N07530", (2018, 2019), ("2584",), "+Grupp"), series)
    book = load_workbook(io.BytesIO(figure_downloads.figures_workbook(population, kolada)))
    assert "Källor" in book.sheetnames
    sources = [[c.value for c in row] for row in book["Källor"].iter_rows(values_only=False)]
    text = " ".join(str(v) for row in sources for v in row)
    assert "Källa: Kolada, N07530" in text and "2018–2019" in text and "github.com/odectra" in text
    every = [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.lstrip().startswith(("=", "+")) for v in every)
    assert '\'=HYPERLINK("x")' in every


def test_a_kolada_figure_from_the_stand_in_reaches_the_map_the_deck_and_the_workbook(series, tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from pptx import Presentation

    from kommunkarta.outputs import deck, figure_downloads, figure_maps, static_maps
    from kommunkarta.web import kolada

    from .support.standins import Kolada, kolada_row

    codes = sorted(geo.names_by_code())
    rows = [
        kolada_row("N00002", c, y, {"T": (10 + i % 40 + (y - 2018), 1)})
        for i, c in enumerate(codes)
        for y in (2018, 2019)
    ]
    rows.append(kolada_row("N00002", "2584", 2020, {"T": (None, None)}))
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    with Kolada(rows) as stand_in:
        monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", stand_in.url)
        values = kolada.fetch_values("N00002", (2018, 2019, 2020))
    members = ("2584", "2580", "2523")
    view = figures.kolada_view(values, figures.KoladaQuery("N00002", values.years, members, "Malmfälten <b>"), series)
    assert view.map_year == 2019  # 2020 has no value anywhere
    source = "Källa: Kolada, N00002 Invånare 0-19 år, andel av befolkningen, 2018–2020"
    assert view.source_line().startswith(source)
    # the map: classed, a legend with every class, members outlined, text escaped
    html = figure_maps.kolada_map(view).get_root().render()
    # the legend reaches the page through Jinja's tojson: escaped once by map_text, then as JSON
    assert "Malmf\\u00e4lten \\u0026lt;b\\u0026gt;" in html or "Malmfälten \\u0026lt;b\\u0026gt;" in html
    assert "Malmfälten <b>" not in html and "Malmfälten \\u003cb\\u003e" not in html
    classed, bounds = figure_maps.classed(view)
    assert len(bounds) == 5 and classed["cls"].notna().sum() == 290
    for low, high in bounds:  # in the legend, written as JSON
        assert json.dumps(figure_maps._class_label(low, high))[1:-1] in html
    assert figure_maps.OUTLINE in html
    from kommunkarta.outputs import formats

    offline = formats.standalone_html(figure_maps.kolada_map(view))  # works with no internet: Leaflet inlined
    assert b"<!DOCTYPE html>" in offline[:200] and b"unpkg" not in offline and b"cdn.jsdelivr" not in offline
    png = static_maps.to_bytes(figure_maps.kolada_map_figure(view), "png")
    assert png.startswith(b"\x89PNG")
    # the deck: a slide with the chart and the source line
    population = figures.population_view(series, figures.PopulationQuery(members, "Malmfälten"))
    pptx = deck.build_deck(
        [], None, figure_slides=(figure_downloads.population_slide(population), figure_downloads.kolada_slide(view))
    )
    texts = [
        shape.text_frame.text
        for slide in Presentation(io.BytesIO(pptx)).slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    assert any(source in text for text in texts)
    assert any("Folkmängd: Malmfälten" in text for text in texts)
    # the workbook: the figure's sheets and a sheet of sources naming Kolada, the id, title and years
    book = load_workbook(io.BytesIO(figure_downloads.figures_workbook(population, view)))
    assert {"Kolada grupper", "Kolada medlemmar", "Källor"} <= set(book.sheetnames)
    sources = " ".join(str(c.value) for row in book["Källor"].iter_rows() for c in row)
    assert source in sources
    kolada_members = [[c.value for c in row] for row in book["Kolada medlemmar"].iter_rows()]
    assert {r[0] for r in kolada_members[1:]} == set(members)


def test_charts_and_slides_show_a_name_with_dollars_as_written(series):
    from kommunkarta.outputs import figure_charts, figure_downloads, static_maps

    name = "Matte $\\foo{x}$ nät"
    view = figures.population_view(series, figures.PopulationQuery(("2584", "2580"), name))
    for measure in ("index", "people"):
        svg = static_maps.to_bytes(figure_charts.population_figure(view, measure), "svg").decode()
        assert name in svg  # the name as written, not typeset (and no ValueError from mathtext)
    assert figure_downloads.population_slide(view).image.startswith(b"\x89PNG")
