"""Network pages' and kommun profiles' content, and the overlaps between networks."""

import json

from kommunkarta import profiles, timeline


def test_overlap_matrix_counts_shared_kommuner(dataset, table):
    matrix = profiles.overlap_matrix(table, dataset.networks)
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert matrix.loc["industrikommuner", "industrikommuner"] == 19
    assert matrix.loc["serviceutveckling_2022", "serviceutveckling_2022"] == 15
    # Malå and Norsjö are both mining kommuner and rural-service kommuner.
    assert matrix.loc["gruvkommuner", "serviceutveckling_2022"] == 2
    # The four Swedish Tornedal kommuner are in the council and own Filmpool Nord.
    assert matrix.loc["tornedalsradet", "filmpool_nord"] == 4
    # Invited and example relations are not membership: Dalalab has no participant.
    assert "dalalab_stora_etableringar" not in matrix.index


def test_combinations_list_each_kommun_once(dataset, table):
    combos = profiles.network_combinations(table, dataset.networks)
    assert combos["count"].sum() == table[table["takes_part"] & (table["country"] == "SE")]["kommun_kod"].nunique()
    top = combos.iloc[0]
    assert top["networks"] == 5 and set(top["kommuner"].split(", ")) == {"Haparanda", "Pajala", "Övertorneå"}


def test_neighbours_are_mutual(dataset):
    assert set(profiles.neighbours("2584")) == {"2521", "2523"}  # Kiruna: Pajala, Gällivare
    for code in ("0180", "2080", "1480"):
        for other in profiles.neighbours(code):
            assert code in profiles.neighbours(other)
    assert profiles.neighbours("0980") == []  # Gotland


def test_network_figures(table):
    council = profiles.network_figures(table, "tornedalsradet")
    assert (council.members_sweden, council.members_abroad, council.lan) == (4, 10, ("Norrbottens län",))
    assert council.population == 9027 + 22402 + 5706 + 3995


def test_mining_panel_sets_mine_hosts_beside_participants(dataset, table):
    hosts = profiles.mine_hosts(dataset, table, "gruvkommuner").set_index("kommun")
    assert hosts.loc["Kiruna", "takes_part"] == False  # noqa: E712 - a mine host outside the network
    assert "Kiirunavaara" in hosts.loc["Kiruna", "mines"]
    assert hosts.loc["Hedemora", "takes_part"] and "Garpenberg" in hosts.loc["Hedemora", "mines"]


def test_related_programmes_hang_off_the_rural_service_network(dataset):
    related = set(profiles.related_networks(dataset, "serviceutveckling_2022")["id"])
    assert related == {"serviceutveckling_2024", "serviceutveckling_pilot_2012", "service_i_samverkan"}
    assert "serviceutveckling_2022" in set(profiles.related_networks(dataset, "service_i_samverkan")["id"])


def test_kiruna_profile(dataset, table):
    profile = profiles.profile_as_dict(profiles.kommun_profile(dataset, table, "2584"))
    networks = {m["network_name"] for m in profile["memberships"]}
    assert {"Tornedalsrådet", "Filmpool Nord AB (ägare)", "Nätverket för starka industrikommuner"} <= networks
    nearest = {n["network_id"]: n["nearest"] for n in profile["nearest_fellow_members"]}
    assert nearest["filmpool_nord"] == "Gällivare" and nearest["industrikommuner"] == "Luleå"
    assert {"c/o Kiruna", "Kirunabo"} <= {p["name"] for p in profile["projects"]}
    assert json.loads(json.dumps(profile, ensure_ascii=False)) == profile  # plain types only
    text = profiles.profile_as_text(profile)
    assert text.startswith("Kiruna (2584), Norrbottens län") and "Grannkommuner: Pajala, Gällivare" in text


def test_ludvika_profile(dataset, table):
    profile = profiles.profile_as_dict(profiles.kommun_profile(dataset, table, "2085"))
    networks = {m["network_id"] for m in profile["memberships"]}
    assert {"serviceutveckling_2022", "dalalab_stora_etableringar"} <= networks


def test_timeline_draws_dates_to_their_precision(dataset):
    import datetime as dt

    rows = timeline.timeline(dataset, today=dt.date(2026, 11, 23)).set_index("id")
    kirunabo = rows.loc["kirunabo"]
    assert (str(kirunabo["start"].date()), str(kirunabo["end"].date())) == ("2018-01-01", "2019-12-31")
    assert (kirunabo["start_precision"], kirunabo["end_precision"]) == ("year", "year")
    torsboda = rows.loc["torsboda_industrial_park"]
    assert torsboda["open_end"] and str(torsboda["end"].date()) == "2026-11-23"
    assert "tornedalen_leder_t4" not in rows.index  # no known date: listed elsewhere, not drawn


def test_timeline_filters(dataset):
    rows = timeline.timeline(dataset)
    kiruna = timeline.filter_timeline(rows, kommuner=("2584",))
    # RIT2021 (Kiruna and Luleå among its financers) has no known start, so it is not drawn;
    # the first RIT (2015–2018) names no kommun.
    assert set(kiruna["id"]) == {"co_kiruna", "kirunabo", "hallbar_destinationsutveckling"}
    assert "rit" in set(rows["id"]) and "rit2021" not in set(rows["id"])
    assert set(timeline.filter_timeline(rows, funder="vinnova")["id"]) == {"kirunabo"}
    assert set(timeline.filter_timeline(rows, networks=("gruvkommuner",))["id"]) == {
        "gruvkommuner_natverk",
        "mining_society_project",
        "gruvkommuner",
    }
    in_2013 = timeline.filter_timeline(rows, years=(2013, 2013))
    assert "hallbar_destinationsutveckling" in set(in_2013["id"]) and "kirunabo" not in set(in_2013["id"])


def test_network_catalogue_counts_each_networks_participants_once(dataset, table):
    catalogue = profiles.network_catalogue(dataset, table).set_index("id")
    for network_id, count in catalogue["members"].items():
        rows = table[(table["network_id"] == network_id) & table["takes_part"]]
        assert count == len(set(zip(rows["country"], rows["kommun"])))  # counted independently
    assert list(catalogue.index) == list(dataset.networks["id"])
