"""Filters, the kommun summary and key figures, on the real data."""

import pytest

from kommunkarta import selection


@pytest.fixture(scope="module")
def known(dataset):
    return selection.vocabulary(dataset)


def summary_for(dataset, table, **filters):
    filtered = selection.apply_filters(table, selection.Filters(**filters))
    summary = selection.kommun_summary(filtered, dataset)
    return filtered, summary, selection.key_figures(summary, filtered, dataset)


def test_unfiltered_view_counts_the_kommuner_taking_part(dataset, table):
    _, summary, figures = summary_for(dataset, table)
    taking_part = table[table["takes_part"] & (table["country"] == "SE")]
    assert figures.kommuner_in_any == taking_part["kommun_kod"].nunique()
    per_kommun = taking_part.groupby("kommun_kod")["network_id"].nunique()
    assert figures.kommuner_in_two_or_more == (per_kommun >= 2).sum()
    assert figures.population_total == 10_605_520  # SCB 31 Dec 2025
    assert figures.foreign_members == 10  # Tornedalsrådet's Finnish and Norwegian members
    kiruna = summary.set_index("kommun")["network_names"]["Kiruna"]
    assert "Tornedalsrådet" in kiruna and "Filmpool Nord AB (ägare)" in kiruna


def test_lan_filter_keeps_only_that_lan(dataset, table, known):
    _, summary, figures = summary_for(dataset, table, lan=("20",))
    assert set(summary["lan"]) == {"Dalarnas län"}
    assert len(summary) == 15  # every Dalarna kommun was invited to Dalalab
    assert figures.foreign_members == 0


def test_fa_filter_keeps_only_that_region(dataset, table, known):
    kiruna_fa = next(code for code, name in known.fa.items() if name == "Kiruna")
    _, summary, _ = summary_for(dataset, table, fa=(kiruna_fa,))
    assert set(summary["kommun"]) == {"Kiruna", "Pajala"}


def test_network_filter_keeps_that_network(dataset, table):
    filtered, summary, figures = summary_for(dataset, table, networks=("industrikommuner",))
    assert set(filtered["network_id"]) == {"industrikommuner"}
    assert figures.kommuner_in_any == 19
    assert figures.kommuner_in_two_or_more == 0
    # Skellefteå relates to the network only as a cancelled meeting host.
    row = summary.set_index("kommun").loc["Skellefteå"]
    assert row["networks"] == 0 and "planerad värd" in row["other_relations"]


def test_certainty_filter(dataset, table):
    filtered, _, _ = summary_for(dataset, table, certainty=("likely", "unverified"))
    assert set(filtered["certainty"]) <= {"likely", "unverified"}
    assert "dalalab_stora_etableringar" in set(filtered["network_id"])
    assert "industrikommuner" in set(filtered["network_id"])  # the likely meeting hosts


def test_period_filter_uses_the_membership_or_network_dates(dataset, table):
    filtered, _, _ = summary_for(dataset, table, years=(2023, 2026))
    networks = set(filtered["network_id"])
    assert "serviceutveckling_2022" in networks  # 2022–2024
    assert "serviceutveckling_pilot_2012" not in networks  # 2012–2015
    assert "gruvkommuner" not in networks  # 2020-12 – 2022-11
    assert "industrikommuner" in networks  # since 2015, no end known: kept
    early, _, _ = summary_for(dataset, table, years=(2012, 2012))
    assert "serviceutveckling_pilot_2012" in set(early["network_id"])
    assert "serviceutveckling_2022" not in set(early["network_id"])


def test_filters_combine(dataset, table):
    _, summary, _ = summary_for(dataset, table, lan=("25",), networks=("tornedalsradet",))
    assert set(summary["kommun"]) == {"Haparanda", "Övertorneå", "Pajala", "Kiruna"}


def test_an_empty_selection_is_empty_not_an_error(dataset, table):
    _, summary, figures = summary_for(dataset, table, lan=("01",), networks=("tornedalsradet",))
    assert summary.empty and figures.kommuner_in_any == 0 and figures.population_covered == 0


def test_filters_round_trip_through_the_url(known):
    filters = selection.Filters(
        lan=("20", "25"), fa=("01",), networks=("gruvkommuner",), certainty=("stated",), years=(2015, 2024)
    )
    params = filters.to_query_params()
    assert params == {
        "lan": "20,25",
        "fa": "01",
        "networks": "gruvkommuner",
        "certainty": "stated",
        "years": "2015-2024",
    }
    assert selection.Filters.from_query_params(params, known) == (filters, [])
    assert selection.Filters().to_query_params() == {}


def test_unknown_url_values_are_dropped_and_reported(known):
    filters, ignored = selection.Filters.from_query_params(
        {"lan": "20,99", "networks": "nope", "years": "2030-2010"}, known
    )
    assert filters == selection.Filters(lan=("20",))
    assert ignored == ["lan=99", "networks=nope", "years=2030-2010"]


def test_kommun_detail_collects_networks_projects_and_places(dataset, table):
    kiruna = selection.kommun_detail(dataset, table, "2584")
    assert kiruna.lan == "Norrbottens län" and kiruna.population == 22402
    assert {"tornedalsradet", "filmpool_nord", "industrikommuner"} <= set(kiruna.memberships["network_id"])
    assert {"co_kiruna", "kirunabo", "rit2021"} <= set(
        kiruna.projects["id"]
    )  # RIT2021 names Kiruna; the first RIT no kommun
    assert "gruva_kiirunavaara" in set(kiruna.places["id"])
    with pytest.raises(KeyError):
        selection.kommun_detail(dataset, table, "9999")
