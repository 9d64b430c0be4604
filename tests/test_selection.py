"""Filters, the kommun summary and key figures, on the fixture data (tests/fixtures/data).

Expected values are computed independently from the fixture CSV rows as the csv module
reads them (brute force below), or derived by hand from those rows as the comments say.
What today's curated data gives is asserted in test_curated_facts.py."""

import pytest

from kommunkarta import selection

# The roles that count as taking part, as data/README.md lists them.
TAKING_PART = {
    "member",
    "participant",
    "administrator",
    "owner",
    "pilot",
    "ambassador",
    "area",
    "partial_area",
    "financer",
}


@pytest.fixture(scope="module")
def known(fixture_dataset):
    return selection.vocabulary(fixture_dataset)


@pytest.fixture(scope="module")
def rows(fixture_rows):
    """Each membership row with its network's dates, as the csv module reads them."""
    networks = {n["id"]: n for n in fixture_rows("networks.csv")}
    return [
        {**r, "start": networks[r["network_id"]]["start"], "end": networks[r["network_id"]]["end"]}
        for r in fixture_rows("memberships.csv")
    ]


@pytest.fixture(scope="module")
def population(fixture_rows):
    return {r["kommun_kod"]: int(r["population"]) for r in fixture_rows("population.csv")}


def summary_for(dataset, table, **filters):
    filtered = selection.apply_filters(table, selection.Filters(**filters))
    summary = selection.kommun_summary(filtered, dataset)
    return filtered, summary, selection.key_figures(summary, filtered, dataset)


def brute_force(rows, lan=(), networks=(), certainty=(), years=None):
    """The rows a filter keeps, by the rules of data/README.md: a kommun code's first two
    digits are its län; a period filter uses the membership's own years, else its
    network's, and an unknown bound excludes nothing."""
    kept = []
    for r in rows:
        if lan and r["kommun_kod"][:2] not in lan:
            continue
        if networks and r["network_id"] not in networks:
            continue
        if certainty and r["certainty"] not in certainty:
            continue
        if years:
            first = (r["since"] or r["start"])[:4]
            last = (r["until"] or r["end"])[:4]
            if (first and int(first) > years[1]) or (last and int(last) < years[0]):
                continue
        kept.append(r)
    return kept


def keys(rows) -> set:
    return {(r["network_id"], r["kommun_kod"] or r["name"], r["role"]) for r in rows}


def frame_keys(filtered) -> set:
    return {
        (n, k if k == k and k else name, role)
        for n, k, name, role in zip(filtered["network_id"], filtered["kommun_kod"], filtered["name"], filtered["role"])
    }


def expected_figures(kept, population):
    swedish = [r for r in kept if r["country"] == "SE" and r["role"] in TAKING_PART]
    per_kommun = {}
    for r in swedish:
        per_kommun.setdefault(r["kommun_kod"], set()).add(r["network_id"])
    foreign = {r["name"] for r in kept if r["country"] != "SE" and r["role"] in TAKING_PART}
    return (
        len(per_kommun),
        sum(len(n) >= 2 for n in per_kommun.values()),
        sum(population[c] for c in per_kommun),
        len(foreign),
    )


def test_unfiltered_view_counts_the_kommuner_taking_part(fixture_dataset, fixture_table, rows, population):
    filtered, summary, figures = summary_for(fixture_dataset, fixture_table)
    assert frame_keys(filtered) == keys(rows)
    got = (
        figures.kommuner_in_any,
        figures.kommuner_in_two_or_more,
        figures.population_covered,
        figures.foreign_members,
    )
    assert got == expected_figures(rows, population)
    # By hand: ten Swedish kommuner take part; Malå, Norsjö (mining and rural service),
    # Sorsele (rural service and its pilot round) and Pajala (mining and the council) in
    # two networks; Tornio, Ylitornio and Lyngen abroad.
    assert (figures.kommuner_in_any, figures.kommuner_in_two_or_more, figures.foreign_members) == (10, 4, 3)
    assert figures.population_total == sum(population.values())
    by_name = summary.set_index("kommun")
    assert by_name.loc["Pajala", "network_names"] == "Testnätverk för gruvorter; Testrådet över gränserna"
    # Skellefteå (a meeting host) and Falun (invited) relate without taking part: listed, not counted.
    assert (
        by_name.loc["Skellefteå", "networks"] == 0 and "värd för möte" in by_name.loc["Skellefteå", "other_relations"]
    )
    assert by_name.loc["Falun", "networks"] == 0 and "inbjuden" in by_name.loc["Falun", "other_relations"]
    assert set(summary["kommun_kod"]) == {r["kommun_kod"] for r in rows if r["country"] == "SE"}
    assert list(summary["networks"]) == sorted(summary["networks"], reverse=True)  # most networks first


def test_lan_filter_keeps_only_that_lan(fixture_dataset, fixture_table, rows, population):
    filtered, summary, figures = summary_for(fixture_dataset, fixture_table, lan=("20",))
    kept = brute_force(rows, lan=("20",))
    assert frame_keys(filtered) == keys(kept)
    assert set(summary["lan"]) == {"Dalarnas län"}
    assert set(summary["kommun"]) == {"Hedemora", "Ludvika", "Falun"}  # the Dalarna rows of memberships.csv
    assert (
        figures.kommuner_in_any,
        figures.kommuner_in_two_or_more,
        figures.population_covered,
        figures.foreign_members,
    ) == expected_figures(kept, population)
    assert figures.foreign_members == 0


def test_fa_filter_keeps_only_that_region(fixture_dataset, fixture_table, known):
    kiruna_fa = next(code for code, name in known.fa.items() if name == "Kiruna")
    filtered, summary, _ = summary_for(fixture_dataset, fixture_table, fa=(kiruna_fa,))
    # The FA region Kiruna is Kiruna and Pajala (Tillväxtverket's FA regions 2015); of
    # the fixture's Norrbotten kommuner Haparanda and Övertorneå lie in other regions.
    assert set(summary["kommun"]) == {"Kiruna", "Pajala"}
    assert set(filtered["network_id"]) == {"gruvor", "gransrad"}
    assert (filtered["country"] == "SE").all()  # a foreign member has no FA region


def test_network_filter_keeps_that_network(fixture_dataset, fixture_table, rows, population):
    filtered, summary, figures = summary_for(fixture_dataset, fixture_table, networks=("gransrad",))
    assert set(filtered["network_id"]) == {"gransrad"}
    assert frame_keys(filtered) == keys(brute_force(rows, networks=("gransrad",)))
    assert (figures.kommuner_in_any, figures.kommuner_in_two_or_more, figures.foreign_members) == (4, 0, 3)
    assert figures.population_covered == sum(population[c] for c in ("2583", "2518", "2521", "2584"))
    # Haparanda is a member and a meeting host: one kommun, both relations shown.
    haparanda = summary.set_index("kommun").loc["Haparanda"]
    assert haparanda["networks"] == 1 and "värd för möte" in haparanda["other_relations"]
    _, mining, _ = summary_for(fixture_dataset, fixture_table, networks=("gruvor",))
    row = mining.set_index("kommun").loc["Skellefteå"]  # only a meeting host of the mining network
    assert row["networks"] == 0 and "värd för möte" in row["other_relations"]
    _, summary, figures = summary_for(fixture_dataset, fixture_table, networks=("etablering",))
    assert figures.kommuner_in_any == 0 and set(summary["kommun"]) == {"Falun", "Ludvika", "Hedemora"}


def test_certainty_filter(fixture_dataset, fixture_table, rows):
    wanted = ("likely", "unverified")
    filtered, summary, _ = summary_for(fixture_dataset, fixture_table, certainty=wanted)
    assert set(filtered["certainty"]) <= set(wanted)
    assert frame_keys(filtered) == keys(brute_force(rows, certainty=wanted))
    assert set(filtered["network_id"]) == {"gruvor", "landsbygd", "landsbygd_pilot", "gransrad", "etablering"}
    assert (
        "Testnätverk för service på landsbygden (obekräftad)"
        in summary.set_index("kommun").loc["Ludvika", "not_stated"]
    )
    stated, _, _ = summary_for(fixture_dataset, fixture_table, certainty=("stated",))
    assert len(stated) + len(filtered) == len(fixture_table) == len(rows)


@pytest.mark.parametrize("years", [(2023, 2026), (2012, 2012), (2021, 2021), (2022, 2022), (1990, 2000), (2030, 2040)])
def test_period_filter_uses_the_membership_or_network_dates(fixture_dataset, fixture_table, rows, years):
    filtered, _, _ = summary_for(fixture_dataset, fixture_table, years=years)
    assert frame_keys(filtered) == keys(brute_force(rows, years=years))


def test_period_filter_by_hand(fixture_dataset, fixture_table):
    filtered, _, _ = summary_for(fixture_dataset, fixture_table, years=(2023, 2026))
    networks = set(filtered["network_id"])
    assert "landsbygd" in networks  # 2022–2024
    assert "landsbygd_pilot" not in networks  # 2012–2015
    assert "gruvor" not in networks  # 2020-12 – 2022-11; Norsjö's undated row has its network's period
    assert "gransrad" in networks  # since 1987, no end known: kept
    early, _, _ = summary_for(fixture_dataset, fixture_table, years=(2012, 2012))
    assert set(early["network_id"]) == {"landsbygd_pilot", "gransrad"}
    assert set(early.loc[early["network_id"] == "gransrad", "kommun"]) == set(early["kommun"]) - {"Sorsele", "Storuman"}
    assert "Kiruna" in set(early["kommun"])  # in the council since 2010, no end known
    assert ("gransrad", "Haparanda", "host") not in {
        tuple(r) for r in early[["network_id", "kommun", "role"]].to_numpy()
    }
    # Pajala left the mining network in 2021-06: its own date, not the network's end (2022), decides.
    late, _, _ = summary_for(fixture_dataset, fixture_table, years=(2022, 2022), networks=("gruvor",))
    assert set(late["kommun"]) == {"Malå", "Norsjö", "Hedemora"}


def test_filters_combine(fixture_dataset, fixture_table, rows):
    filtered, summary, _ = summary_for(fixture_dataset, fixture_table, lan=("25",), networks=("gransrad",))
    assert set(summary["kommun"]) == {"Haparanda", "Övertorneå", "Pajala", "Kiruna"}
    assert frame_keys(filtered) == keys(brute_force(rows, lan=("25",), networks=("gransrad",)))
    combined = {"lan": ("24",), "certainty": ("likely",), "years": (2012, 2013)}
    filtered, summary, _ = summary_for(fixture_dataset, fixture_table, **combined)
    assert frame_keys(filtered) == keys(brute_force(rows, **combined))
    assert set(summary["kommun"]) == {"Sorsele", "Storuman"}  # the pilot round's likely rows


def test_an_empty_selection_is_empty_not_an_error(fixture_dataset, fixture_table, rows):
    for filters in ({"lan": ("01",), "networks": ("gransrad",)}, {"years": (1950, 1960)}):
        assert brute_force(rows, **filters) == []
        _, summary, figures = summary_for(fixture_dataset, fixture_table, **filters)
        assert summary.empty and figures.kommuner_in_any == 0 and figures.population_covered == 0
        assert figures.foreign_members == 0 and figures.population_share == 0


def test_filters_round_trip_through_the_url(known):
    filters = selection.Filters(
        lan=("20", "25"), fa=("60",), networks=("gransrad", "gruvor"), certainty=("stated",), years=(2015, 2024)
    )
    params = filters.to_query_params()
    assert params == {
        "lan": "20,25",
        "fa": "60",
        "networks": "gransrad,gruvor",
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


def test_kommun_detail_collects_networks_projects_and_places(fixture_dataset, fixture_table, fixture_rows, population):
    def of(name, column, code):
        # a "; "-separated list of kommun names in the fixture CSV; compared by name
        names = {"2584": "Kiruna", "2083": "Hedemora"}
        return {r["id"] for r in fixture_rows(name) if names[code] in r[column].split("; ")}

    for code, lan in (("2584", "Norrbottens län"), ("2083", "Dalarnas län")):
        detail = selection.kommun_detail(fixture_dataset, fixture_table, code)
        assert detail.lan == lan and detail.population == population[code]
        expected = {r["network_id"] for r in fixture_rows("memberships.csv") if r["kommun_kod"] == code}
        assert set(detail.memberships["network_id"]) == expected
        assert set(detail.projects["id"]) == of("projects.csv", "kommuner", code)
        assert set(detail.places["id"]) == of("places.csv", "kommun", code)
    kiruna = selection.kommun_detail(fixture_dataset, fixture_table, "2584")
    assert set(kiruna.projects["id"]) == {"kirunabostad", "destination"} and set(kiruna.places["id"]) == {
        "gruva_kiirunavaara"
    }
    gotland = selection.kommun_detail(fixture_dataset, fixture_table, "0980")  # in no network
    assert gotland.memberships.empty and gotland.projects.empty and gotland.population == population["0980"]
    with pytest.raises(KeyError):
        selection.kommun_detail(fixture_dataset, fixture_table, "9999")
