"""Network pages' and kommun profiles' content, and the overlaps between networks.

The behaviour is tested on the fixture data (tests/fixtures/data), its expected values
computed from the fixture CSV rows with the csv module or derived by hand from them;
what today's curated data gives is asserted in test_curated_facts.py."""

import datetime as dt
import json
from collections import defaultdict

import pytest
from pyproj import Geod

from kommunkarta import distances, gazetteer, profiles, timeline

from .test_selection import TAKING_PART

GEOD = Geod(ellps="GRS80")


@pytest.fixture(scope="module")
def participants(fixture_rows) -> dict[str, set[str]]:
    """Network id -> the kommuner taking part (Swedish by code, others by name), from the CSV."""
    members = defaultdict(set)
    for r in fixture_rows("memberships.csv"):
        if r["role"] in TAKING_PART:
            members[r["network_id"]].add(r["kommun_kod"] or r["name"])
    return members


@pytest.fixture(scope="module")
def fixture_seats(fixture_dataset):
    return gazetteer.kommun_seats(fixture_dataset.seats)


def test_overlap_matrix_counts_shared_kommuner(fixture_dataset, fixture_table, participants):
    matrix = profiles.overlap_matrix(fixture_table, fixture_dataset.networks)
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    swedish = {n: {k for k in kommuner if k.isdigit()} for n, kommuner in participants.items()}
    assert set(matrix.index) == {n for n, kommuner in swedish.items() if kommuner}
    for a in matrix.index:
        for b in matrix.columns:
            assert matrix.loc[a, b] == len(swedish[a] & swedish[b]), (a, b)
    # By hand: Malå and Norsjö are in the mining and the rural-service network; Pajala in
    # the mining network and the council; Sorsele in the rural-service network and its pilot round.
    assert matrix.loc["gruvor", "landsbygd"] == 2 and matrix.loc["gruvor", "gransrad"] == 1
    assert matrix.loc["landsbygd", "landsbygd_pilot"] == 1 and matrix.loc["gransrad", "gransrad"] == 4
    # Invited and example relations are not membership: the establishment lab has no participant.
    assert "etablering" not in matrix.index


def test_combinations_list_each_kommun_once(fixture_dataset, fixture_table, fixture_rows):
    combos = profiles.network_combinations(fixture_table, fixture_dataset.networks)
    per_kommun = defaultdict(set)
    for r in fixture_rows("memberships.csv"):
        if r["role"] in TAKING_PART and r["country"] == "SE":
            per_kommun[r["name"]].add(r["network_id"])
    expected = defaultdict(set)
    for kommun, networks in per_kommun.items():
        expected[frozenset(networks)].add(kommun)
    got = {frozenset(ids): set(kommuner.split(", ")) for ids, kommuner in zip(combos["network_id"], combos["kommuner"])}
    assert got == dict(expected)
    assert combos["count"].sum() == len(per_kommun) == 10
    assert list(combos["networks"]) == sorted(combos["networks"], reverse=True)  # largest sets first
    top = combos.iloc[0]
    assert top["networks"] == 2 and set(top["kommuner"].split(", ")) == {"Malå", "Norsjö"}
    assert top["combination"] == "Gruvorter (test) + Landsbygdsservice (test)"


def test_neighbours_are_mutual(dataset):
    assert set(profiles.neighbours("2584")) == {"2521", "2523"}  # Kiruna: Pajala, Gällivare
    for code in ("0180", "2080", "1480"):
        for other in profiles.neighbours(code):
            assert code in profiles.neighbours(other)
    assert profiles.neighbours("0980") == []  # Gotland


def test_network_figures(fixture_table, fixture_rows):
    population = {r["kommun_kod"]: int(r["population"]) for r in fixture_rows("population.csv")}
    council = profiles.network_figures(fixture_table, "gransrad")
    # Haparanda, Övertorneå, Pajala and Kiruna; Tornio, Ylitornio and Lyngen abroad.
    # Haparanda's second row (meeting host) does not count twice.
    assert (council.members_sweden, council.members_abroad, council.lan) == (4, 3, ("Norrbottens län",))
    assert council.population == sum(population[c] for c in ("2583", "2518", "2521", "2584"))
    service = profiles.network_figures(fixture_table, "landsbygd")
    assert (service.members_sweden, service.members_abroad) == (4, 0)
    assert service.lan == ("Dalarnas län", "Västerbottens län")  # Ludvika; Malå, Norsjö, Sorsele
    lab = profiles.network_figures(fixture_table, "etablering")
    assert (lab.members_sweden, lab.members_abroad, lab.population, lab.lan) == (0, 0, 0, ())


def test_mining_panel_sets_mine_hosts_beside_participants(fixture_dataset, fixture_table, participants):
    hosts = profiles.mine_hosts(fixture_dataset, fixture_table, "gruvor").set_index("kommun")
    assert hosts.loc["Kiruna", "takes_part"] == False  # noqa: E712 - a mine host outside the network
    assert "Kiirunavaara" in hosts.loc["Kiruna", "mines"]
    assert hosts.loc["Hedemora", "takes_part"] and "Garpenberg" in hosts.loc["Hedemora", "mines"]
    # Every participant and every kommun with a mine in places.csv, once.
    assert set(hosts["kommun_kod"]) == participants["gruvor"] | {"2584", "2083"}
    assert hosts.loc["Malå", "takes_part"] and hosts.loc["Malå", "mines"] == ""


def test_related_programmes_hang_off_the_rural_service_network(fixture_dataset):
    assert set(profiles.related_networks(fixture_dataset, "landsbygd")["id"]) == {"landsbygd_pilot"}
    assert set(profiles.related_networks(fixture_dataset, "landsbygd_pilot")["id"]) == {"landsbygd"}
    assert profiles.related_networks(fixture_dataset, "gransrad").empty


def test_network_view_is_built_once_from_the_data(fixture_dataset, fixture_table, fixture_rows, fixture_seats):
    view = profiles.network_view(fixture_dataset, fixture_table, "landsbygd", fixture_seats)
    assert view.network.kind == "rural_service" and view.network.name == "Testnätverk för service på landsbygden"
    assert [(n.id, set(rel["kommun"])) for n, rel in view.related] == [("landsbygd_pilot", {"Sorsele", "Storuman"})]
    assert view.figures == profiles.network_figures(fixture_table, "landsbygd")
    assert list(view.relations["takes_part"]) == sorted(view.relations["takes_part"], reverse=True)  # members first
    assert set(view.places["id"]) == {"ammarnas"} and view.mine_hosts is None and view.mines is None
    assert set(view.projects["id"]) == {"servicepunkter"}
    council = profiles.network_view(fixture_dataset, fixture_table, "gransrad", fixture_seats)
    # Its own project, and projects outside any network that name a member (Kiruna, Pajala).
    members = {"Haparanda", "Övertorneå", "Pajala", "Kiruna"}
    expected = {
        p["id"]
        for p in fixture_rows("projects.csv")
        if p["network_id"] == "gransrad" or (not p["network_id"] and members & set(p["kommuner"].split("; ")))
    }
    assert set(council.projects["id"]) == expected == {"granslederna", "kirunabostad", "destination"}
    assert council.related == () and len(council.points) == 7
    assert set(council.foreign_points["name"]) == {"Tornio (Torneå)", "Ylitornio", "Lyngen"}
    mining = profiles.network_view(fixture_dataset, fixture_table, "gruvor", fixture_seats)
    assert set(mining.mines["id"]) == {"gruva_kiirunavaara", "gruva_garpenberg"} and mining.mine_hosts is not None
    facts = mining.facts.set_index("id")
    assert facts.loc["participants_about", "text"] == "ca 5" and facts.loc["participants_about", "figure"]
    assert not facts.loc["wind_up", "figure"] and facts.loc["wind_up", "text"] == "2022-11-30"
    with pytest.raises(KeyError, match="gransrad"):
        profiles.network(fixture_dataset, "nope")


def _nearest_by_geodesic(name, members, points):
    """The nearest other member along the ellipsoid, by brute force."""
    at = points.set_index("name")
    km = {
        other: GEOD.inv(at.loc[name, "lon"], at.loc[name, "lat"], at.loc[other, "lon"], at.loc[other, "lat"])[2] / 1000
        for other in members
        if other != name
    }
    best = min(km, key=km.get)
    return best, km[best]


def test_pajala_profile(fixture_dataset, fixture_table, fixture_seats):
    profile = profiles.profile_as_dict(profiles.kommun_profile(fixture_dataset, fixture_table, "2521", fixture_seats))
    assert {m["network_id"] for m in profile["memberships"]} == {"gruvor", "gransrad"}
    nearest = {n["network_id"]: (n["nearest"], n["km"]) for n in profile["nearest_fellow_members"]}
    assert set(nearest) == {"gruvor", "gransrad"}
    for network_id, (name, km) in nearest.items():
        points = distances.member_points(fixture_table, network_id, fixture_seats, fixture_dataset.centres)
        best, best_km = _nearest_by_geodesic("Pajala", list(points["name"]), points)
        assert name == best and km == pytest.approx(best_km, rel=0.005, abs=0.1)
    assert {p["id"] for p in profile["projects"]} == {"destination"}
    assert json.loads(json.dumps(profile, ensure_ascii=False)) == profile  # plain types only
    text = profiles.profile_as_text(profile)
    assert text.startswith("Pajala (2521), Norrbottens län")
    assert "Grannkommuner: " + ", ".join(profile["neighbours"]) in text and "Kiruna" in profile["neighbours"]
    assert "Testrådet över gränserna: medlem, period okänd" in text
    assert "Testnätverk för gruvorter: deltagare" in text


def test_a_profile_of_a_kommun_in_no_network(fixture_dataset, fixture_table, fixture_seats):
    profile = profiles.profile_as_dict(profiles.kommun_profile(fixture_dataset, fixture_table, "0980", fixture_seats))
    assert profile["memberships"] == [] and profile["nearest_fellow_members"] == [] and profile["projects"] == []
    assert profile["neighbours"] == []  # Gotland
    assert "  (inga)" in profiles.profile_as_text(profile)


def test_hedemora_profile_lists_relations_that_are_not_membership(fixture_dataset, fixture_table, fixture_seats):
    profile = profiles.profile_as_dict(profiles.kommun_profile(fixture_dataset, fixture_table, "2083", fixture_seats))
    roles = {(m["network_id"], m["role"], m["takes_part"]) for m in profile["memberships"]}
    assert roles == {("gruvor", "participant", True), ("etablering", "example", False)}
    assert [n["network_id"] for n in profile["nearest_fellow_members"]] == ["gruvor"]  # not the lab: no member there
    assert {p["id"] for p in profile["places"]} == {"gruva_garpenberg"}


def _year_span(start: str, end: str, today: dt.date) -> tuple[int, int]:
    return int(start[:4]), int(end[:4]) if end else today.year


def test_timeline_draws_dates_to_their_precision(fixture_dataset, fixture_rows):
    today = dt.date(2026, 11, 23)
    rows = timeline.timeline(fixture_dataset, today=today).set_index("id")
    drawn = {r["id"] for r in fixture_rows("projects.csv") + fixture_rows("networks.csv") if r["start"]}
    assert set(rows.index) == drawn
    assert "granslederna" not in rows.index  # no known date: listed elsewhere, not drawn
    kirunabostad = rows.loc["kirunabostad"]  # 2018–2019
    assert (str(kirunabostad["start"].date()), str(kirunabostad["end"].date())) == ("2018-01-01", "2019-12-31")
    assert (kirunabostad["start_precision"], kirunabostad["end_precision"]) == ("year", "year")
    destination = rows.loc["destination"]  # 2012-03 – 2014-06
    assert (str(destination["start"].date()), str(destination["end"].date())) == ("2012-03-01", "2014-06-30")
    assert (destination["start_precision"], destination["end_precision"]) == ("month", "month")
    service = rows.loc["servicepunkter"]  # from 2022-09, no end known
    assert service["open_end"] and str(service["end"].date()) == "2026-11-23" and service["end_precision"] == "unknown"
    mining = rows.loc["gruvdialog"]
    assert mining["start_precision"] == "day" and str(mining["end"].date()) == "2022-11-30"
    council = rows.loc["gransrad"]
    assert council["kind"] == "network" and council["open_end"] and str(council["start"].date()) == "1987-01-01"
    assert list(rows["start"]) == sorted(rows["start"])


def test_timeline_filters(fixture_dataset, fixture_rows):
    today = dt.date(2026, 11, 23)
    rows = timeline.timeline(fixture_dataset, today=today)
    projects = [p for p in fixture_rows("projects.csv") if p["start"]]
    networks = [n for n in fixture_rows("networks.csv") if n["start"]]

    def names(p):
        return set(p["kommuner"].split("; ")) if p["kommuner"] else set()

    kiruna = timeline.filter_timeline(rows, kommuner=("2584",))
    assert set(kiruna["id"]) == {p["id"] for p in projects if "Kiruna" in names(p)} == {"kirunabostad", "destination"}
    for funder in ("vinnova", "TILLVÄXTVERKET"):
        expected = {p["id"] for p in projects if funder.casefold() in p["funders"].casefold()}
        expected |= {n["id"] for n in networks if funder.casefold() in n["funder"].casefold()}
        assert set(timeline.filter_timeline(rows, funder=funder)["id"]) == expected
    assert set(timeline.filter_timeline(rows, funder="vinnova")["id"]) == {"kirunabostad"}
    assert set(timeline.filter_timeline(rows, networks=("gruvor",))["id"]) == {"gruvdialog", "gruvor"}
    assert set(timeline.filter_timeline(rows, theme="turism")["id"]) == {"destination"}  # the other has no date
    for years in ((2013, 2013), (2019, 2020), (2025, 2026)):
        expected = {
            r["id"]
            for r in projects + networks
            if _year_span(r["start"], r["end"], today)[0] <= years[1]
            and _year_span(r["start"], r["end"], today)[1] >= years[0]
        }
        assert set(timeline.filter_timeline(rows, years=years)["id"]) == expected, years
    in_2013 = set(timeline.filter_timeline(rows, years=(2013, 2013))["id"])
    assert in_2013 == {"destination", "landsbygd_pilot", "gransrad"} and "kirunabostad" not in in_2013


def test_network_catalogue_counts_each_networks_participants_once(dataset, table):
    catalogue = profiles.network_catalogue(dataset, table).set_index("id")
    for network_id, count in catalogue["members"].items():
        rows = table[(table["network_id"] == network_id) & table["takes_part"]]
        assert count == len(set(zip(rows["country"], rows["kommun"])))  # counted independently
    assert list(catalogue.index) == list(dataset.networks["id"])


def test_network_catalogue_on_the_fixture(fixture_dataset, fixture_table, participants, fixture_rows):
    catalogue = profiles.network_catalogue(fixture_dataset, fixture_table).set_index("id")
    assert dict(catalogue["members"]) == {n["id"]: len(participants[n["id"]]) for n in fixture_rows("networks.csv")}
    assert dict(catalogue["members"]) == {
        "gruvor": 4,
        "landsbygd": 4,
        "landsbygd_pilot": 2,
        "gransrad": 7,
        "etablering": 0,
    }
