"""Network pages' and kommun profiles' content, and the overlaps between networks."""

import json

from kommunkarta import profiles, timeline






def test_neighbours_are_mutual(dataset):
    assert set(profiles.neighbours("2584")) == {"2521", "2523"}  # Kiruna: Pajala, Gällivare
    for code in ("0180", "2080", "1480"):
        for other in profiles.neighbours(code):
            assert code in profiles.neighbours(other)
    assert profiles.neighbours("0980") == []  # Gotland
















def test_network_catalogue_counts_each_networks_participants_once(dataset, table):
    catalogue = profiles.network_catalogue(dataset, table).set_index("id")
    for network_id, count in catalogue["members"].items():
        rows = table[(table["network_id"] == network_id) & table["takes_part"]]
        assert count == len(set(zip(rows["country"], rows["kommun"])))  # counted independently
    assert list(catalogue.index) == list(dataset.networks["id"])
