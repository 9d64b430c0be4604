"""The kommun profile's map (issue 24) on the fixture data: the kommun with the fellow
members of its networks, the nearest of each marked, its places and mines, and the
overview's legend; and the profile page draws it."""

import folium
import pyproj
import pytest
from streamlit.testing.v1 import AppTest

from kommunkarta import gazetteer, paths, profiles
from kommunkarta.outputs import maps
from kommunkarta.outputs.folium_tree import walk

HEDEMORA = "2083"


@pytest.fixture(scope="module")
def hedemora(fixture_dataset, fixture_table):
    seats = gazetteer.kommun_seats(fixture_dataset.seats)
    profile = profiles.kommun_profile(fixture_dataset, fixture_table, HEDEMORA, seats)
    relations = fixture_table[fixture_table["network_id"].isin(set(profile.memberships["network_id"]))]
    properties = maps.kommun_properties(fixture_table, fixture_dataset.population, "en", fixture_dataset.projects)
    m = maps.kommun_map(
        HEDEMORA, relations, fixture_dataset.networks, properties, profile.nearest_members, profile.places, "en"
    )
    return profile, seats, m


def _codes(element) -> set[str]:
    """The kommuner a layer paints or outlines: the shapes come from the shared shapes
    script, the layer names them by code (KommunPaint, KommunLayer)."""
    return {
        code
        for child in walk(element)
        if isinstance(child, maps.KommunPaint | maps.KommunLayer)
        for code in (child.codes or [])
    }


def test_the_map_draws_the_fellow_members_of_each_network(hedemora, fixture_dataset, fixture_table):
    profile, _, m = hedemora
    names = fixture_dataset.networks.set_index("id")["short_name"]
    groups = {g.layer_name: g for g in walk(m) if isinstance(g, folium.FeatureGroup)}
    for network_id in set(profile.memberships["network_id"]):
        rows = fixture_table[(fixture_table["network_id"] == network_id) & (fixture_table["country"] == "SE")]
        assert _codes(groups[names[network_id]]) == set(rows["kommun_kod"]), network_id
    # Only the kommun's own networks, and the overview's legend for them.
    drawn = {names[n] for n in set(profile.memberships["network_id"])}
    assert set(groups) & set(names) == drawn
    legend = next(e for e in walk(m) if isinstance(e, maps.Legend)).html
    assert all(name in legend for name in drawn) and not any(n in legend for n in set(names) - drawn)
    assert _codes([g for g in walk(m) if getattr(g, "layer_name", "") == "Vald kommun"]) == {HEDEMORA}


def test_the_nearest_member_is_the_one_nearest_on_the_ellipsoid(hedemora, fixture_table):
    profile, seats, m = hedemora
    geod = pyproj.Geod(ellps="GRS80")
    at = seats.set_index("kommun_kod")
    (row,) = profile.nearest_members.itertuples()  # Hedemora takes part in one network
    members = fixture_table[(fixture_table["network_id"] == row.network_id) & fixture_table["takes_part"]]
    others = [c for c in members["kommun_kod"].unique() if c != HEDEMORA]
    km = {
        c: geod.inv(at.loc[HEDEMORA, "lon"], at.loc[HEDEMORA, "lat"], at.loc[c, "lon"], at.loc[c, "lat"])[2] / 1000
        for c in others
    }
    nearest = min(km, key=km.get)
    assert row.nearest == members.set_index("kommun_kod").loc[nearest, "kommun"]
    assert row.km == pytest.approx(km[nearest], rel=0.01)  # SWEREF 99 TM against the ellipsoid
    markers = [e for e in walk(m) if isinstance(e, folium.CircleMarker) and e.location]
    (marker,) = [e for e in markers if e.location == [at.loc[nearest, "lat"], at.loc[nearest, "lon"]]]
    label = next(e for e in walk(marker) if isinstance(e, folium.Tooltip)).text
    assert label == f"Nearest member in {row.network_name}: {row.nearest}, {round(row.km):,} km in a straight line"
    lines = [e for e in walk(m) if isinstance(e, folium.PolyLine)]
    assert [line.locations for line in lines] == [
        [[at.loc[HEDEMORA, "lat"], at.loc[HEDEMORA, "lon"]], [at.loc[nearest, "lat"], at.loc[nearest, "lon"]]]
    ]


def test_the_places_and_mines_with_coordinates_are_on_the_map(hedemora):
    profile, _, m = hedemora
    located = profile.places.dropna(subset=["lat"])
    assert "Garpenberg" in set(located["name"])
    points = [
        (f["properties"]["n"], f["geometry"]["coordinates"])
        for e in walk(m)
        if isinstance(getattr(e, "data", None), dict)
        for f in e.data.get("features", [])
        if f.get("geometry", {}).get("type") == "Point"
    ]
    for place in located.itertuples():
        (found,) = [p for p in points if p[0].startswith(place.name + " – ")]
        assert found[1] == [round(place.lon, 5), round(place.lat, 5)]
    garpenberg = next(name for name, _ in points if name.startswith("Garpenberg"))
    assert garpenberg.startswith("Garpenberg – mine (coordinate: the locality; ")


def test_the_profile_page_draws_the_map_in_both_languages():
    for language, title, unlocated in (("sv", "Karta", "Utan koordinater"), ("en", "Map", "Without coordinates")):
        at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=120)
        at.query_params["lang"] = language
        at.query_params["kommun"] = "Kiruna"
        at.run()
        at.switch_page("app_pages/kommun.py").run()
        assert not at.exception, at.exception
        assert title in [s.value for s in at.subheader]
        # Kiirunavaara is known only to its kommun: named beside the map, not drawn on it.
        assert any(c.value.startswith(unlocated) and "Kiirunavaara" in c.value for c in at.caption)
