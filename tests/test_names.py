import pytest

from kommunkarta import geo
from kommunkarta.names import KommunMatcher, UnknownKommun


@pytest.fixture(scope="module")
def matcher():
    return KommunMatcher(geo.names_by_code())


@pytest.mark.parametrize(
    "text, code",
    [
        ("Falu kommun", "2080"),
        ("Falun", "2080"),
        ("Trollhättans stad", "1488"),
        ("Malung-Sälens kommun", "2023"),
        ("Region Gotland", "0980"),
        ("114", "0114"),
        ("0114", "0114"),
        ("Göteborgs stad", "1480"),
        ("Stockholms stad", "0180"),
        ("Borlänge kommun", "2081"),
        ("Åtvidabergs kommun", "0561"),
        ("  örnsköldsvik ", "2284"),
        ("Borås kommun", "1490"),  # ends in s itself
        ("Bollnäs", "2183"),
        ("Upplands Väsby kommun", "0114"),
    ],
)
def test_resolves_the_ways_kommuner_are_written(matcher, text, code):
    assert matcher.resolve(text) == code


def test_there_are_290_kommuner(matcher):
    assert len(matcher.names_by_code) == 290


def test_unknown_name_suggests_the_closest_kommuner(matcher):
    with pytest.raises(UnknownKommun) as caught:
        matcher.resolve("Trollhätan")
    assert caught.value.suggestions[0] == "Trollhättan"
    assert "menar du Trollhättan" in str(caught.value)


@pytest.mark.parametrize("text", ["9999", "", "Atlantis", "Helsingfors stad"])
def test_rejects_what_is_not_a_kommun(matcher, text):
    with pytest.raises(UnknownKommun):
        matcher.resolve(text)
