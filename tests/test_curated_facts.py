"""The curated facts against their sources (issue 16): every citation exact, every
certainty earned. The checks that read the source documents and the research need
../shared, which CI has and a user's machine does not; they skip without it."""

import csv
import json
import re
from urllib.parse import urlsplit

import pytest

from kommunkarta import distances, gazetteer, geo, profiles, selection, timeline
from kommunkarta.loader import load_dataset

from .conftest import DATA_DIR, SHARED_DIR, read_csv, write_csv

SOURCES_DIR = SHARED_DIR / "sources"
RESEARCH_DIR = SHARED_DIR / "research"
needs_shared = pytest.mark.skipif(
    not SOURCES_DIR.is_dir() or not RESEARCH_DIR.is_dir(),
    reason="../shared (source documents, research) is absent: CI and developers have it, users do not",
)

# The tables whose rows are facts shown to users, each with source and certainty.
CURATED = ["networks.csv", "memberships.csv", "projects.csv", "places.csv", "facts.csv"]
SOURCE_FILE = re.compile(r"^00[0-4]_[0-9a-f]{16}\.txt$")
URL = re.compile(r"https?://[^\s;,\"'<>]+")


def rows(name: str) -> list[dict]:
    return read_csv(DATA_DIR / name)[1]


def row(name: str, **key) -> dict:
    found = [r for r in rows(name) if all(r[k] == v for k, v in key.items())]
    assert len(found) == 1, (name, key, len(found))
    return found[0]


def source_parts(text: str) -> list[str]:
    return [p.strip() for p in text.split(";") if p.strip()]


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SOURCES_DIR.glob("*.txt"))}


@pytest.fixture(scope="module")
def research_text() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in sorted(RESEARCH_DIR.rglob("*")) if p.is_file()
    )


# -- citations ------------------------------------------------------------------------------


def test_every_url_in_the_data_is_well_formed():
    found = 0
    for path in sorted(DATA_DIR.glob("*.csv")):
        for line, r in enumerate(read_csv(path)[1], start=2):
            for column, value in r.items():
                for url in URL.findall(value or ""):
                    found += 1
                    parts = urlsplit(url)
                    where = f"{path.name}:{line}:{column}: {url}"
                    assert parts.scheme in ("http", "https"), where
                    assert "." in parts.netloc and " " not in url, where
                    assert not url.startswith(("http://http", "https://http")), where
    assert found > 100  # the check ran on the data, not on nothing


def test_every_source_is_a_url_or_a_source_document():
    for name in CURATED:
        for line, r in enumerate(rows(name), start=2):
            for part in source_parts(r["source"]):
                assert SOURCE_FILE.match(part) or URL.match(part), (
                    f"{name}:{line}: '{part}' is neither a URL nor a source document"
                )


@needs_shared
def test_cited_documents_exist(documents):
    assert len(documents) == 5
    for name in CURATED:
        for r in rows(name):
            for part in source_parts(r["source"]):
                if SOURCE_FILE.match(part):
                    assert part in documents, part


def _urls(text: str) -> set[str]:
    return {u.rstrip(".)") for u in URL.findall(text)}


@needs_shared
def test_every_url_is_copied_verbatim_from_the_research(research_text, documents):
    # Whole addresses, not substrings: a URL cut after a path segment is a substring
    # of the research's and still wrong.
    known = _urls(research_text) | _urls("\n".join(documents.values()))
    checked = set()
    for name in CURATED:
        for line, r in enumerate(rows(name), start=2):
            for value in r.values():
                for url in _urls(value or ""):
                    checked.add(url)
                    assert url in known, f"{name}:{line}: {url} is not in ../shared/research"
    assert len(checked) > 40


def _years(*dates: str) -> set[str]:
    return {d[:4] for d in dates if d}


def _terms(name: str, r: dict, kommun_names: list[str], place_names: list[str]) -> set[str]:
    """The kommuner, places and dates a row names (what its source has to contain)."""
    text = " ".join(v for k, v in r.items() if k != "source")
    terms = {p for p in place_names if p.casefold() in text.casefold()}
    if name == "memberships.csv":
        code = r["kommun_kod"].zfill(4) if r["kommun_kod"] else ""
        terms |= {geo.names_by_code()[code] if code else r["name"]} | _years(r["since"], r["until"])
    elif name == "projects.csv":
        terms |= set(source_parts(r["kommuner"])) | _years(r["start"], r["end"])
        terms |= {part.strip() for part in re.split(r"[()]", r["name"]) if len(part.strip()) > 3}
    elif name == "places.csv":
        terms |= {r["name"]} | set(source_parts(r["kommun"]))
    elif name == "networks.csv":
        terms |= {r["name"], r["short_name"]} | _years(r["start"], r["end"])
        terms |= {k for k in kommun_names if re.search(rf"\b{re.escape(k)}\b", r["description"])}
    return {t for t in terms if t}


@needs_shared
def test_a_stated_row_citing_a_source_document_names_something_that_document_contains(documents):
    kommun_names = sorted(geo.names_by_code().values())
    place_names = [p["name"] for p in rows("places.csv")]
    checked = 0
    for name in ["networks.csv", "memberships.csv", "projects.csv", "places.csv"]:
        for line, r in enumerate(rows(name), start=2):
            cited = [p for p in source_parts(r["source"]) if SOURCE_FILE.match(p)]
            if r["certainty"] != "stated" or not cited:
                continue
            terms = _terms(name, r, kommun_names, place_names)
            for document in cited:
                text = documents[document].casefold()
                checked += 1
                assert any(t.casefold() in text for t in terms), (
                    f"{name}:{line}: {document} names none of {sorted(terms)}"
                )
    assert checked > 60


# Count facts are checked against an independent count below; the others must quote
# their document.
COUNTED = {
    ("gruvkommuner", "participants_about"),
    ("industrikommuner", "members_listed"),
    ("filmpool_nord", "owner_kommuner_004"),
    ("dalalab_stora_etableringar", "meetings"),
}


@needs_shared
def test_a_fact_citing_a_source_document_quotes_it(documents):
    def normal(text: str) -> str:
        return text.casefold().replace("–", "-")

    for line, fact in enumerate(rows("facts.csv"), start=2):
        cited = [p for p in source_parts(fact["source"]) if SOURCE_FILE.match(p)]
        if not cited or (fact["network_id"], fact["id"]) in COUNTED:
            continue
        assert any(normal(fact["value"]) in normal(documents[d]) for d in cited), (
            f"facts.csv:{line}: '{fact['value']}' is not in {cited}"
        )


# -- figures --------------------------------------------------------------------------------


@needs_shared
def test_about_17_mining_kommuner_of_which_16_are_named(documents, dataset, table):
    article = documents["000_a722be53be16a2b9.txt"]
    about = row("facts.csv", network_id="gruvkommuner", id="participants_about")
    named = row("facts.csv", network_id="gruvkommuner", id="participants_named")
    assert "ett 17-tal kommuner" in article.casefold() and (about["value"], about["approximate"]) == ("17", "yes")
    assert about["date"] == "2023-10-06" and "2023-10-06" in article.split("\n\n")[1]
    participants = table[(table["network_id"] == "gruvkommuner") & table["takes_part"]]
    assert int(named["value"]) == participants["kommun_kod"].nunique() == 16
    assert len(dataset.projects.set_index("id").loc["gruvkommuner_natverk", "kommun_kods"]) == 16


@needs_shared
def test_counts_of_the_other_sources(documents, table):
    release, dalalab, kiruna = (
        documents[d] for d in ("003_4678b3cb008819f7.txt", "002_1a82417db400c4bf.txt", "004_a16b07d851e55101.txt")
    )
    listed = release.split("samlar f n följande kommuner:")[1].split(".")[0]
    names = [n.strip() for n in re.split(r",| och ", listed) if n.strip()]
    assert len(names) == int(row("facts.csv", network_id="industrikommuner", id="members_listed")["value"]) == 19
    members = table[(table["network_id"] == "industrikommuner") & (table["role"] == "member")]
    assert len(members) == 19 and all("003_4678b3cb008819f7.txt" in s for s in members["source"])
    assert "15 av medlemskommunerna" in release
    assert "14 av 15 kommuner" in dalalab and "totalt fyra träffarna" in dalalab
    assert row("facts.csv", network_id="dalalab_stora_etableringar", id="meetings")["value"] == "4"
    assert "ägs av tolv kommuner i Norrbotten samt av Norrbottens läns landsting" in kiruna
    assert row("facts.csv", network_id="filmpool_nord", id="owner_kommuner_004")["value"] == "12"
    owners = table[(table["network_id"] == "filmpool_nord") & table["takes_part"]]
    # The map shows 13 owner kommuner; the two beyond the source's twelve are only likely.
    assert len(owners) == 13 and set(owners.loc[owners["certainty"] == "likely", "kommun"]) == {
        "Gällivare",
        "Haparanda",
    }
    council = table[(table["network_id"] == "tornedalsradet") & table["takes_part"]]
    assert len(council) == int(row("facts.csv", network_id="tornedalsradet", id="members_2022")["value"]) == 14


def test_network_facts_are_shown_as_figures_with_their_source(dataset):
    facts = profiles.network_facts(dataset, "gruvkommuner").set_index("id")
    assert facts.loc["participants_about", "text"] == "ca 17" and facts.loc["participants_named", "text"] == "16"
    assert facts.loc[["participants_about", "participants_named"], "figure"].all()
    assert not facts.loc["finished", "figure"]
    english = profiles.network_facts(dataset, "gruvkommuner", "en").set_index("id")
    assert english.loc["participants_about", ["label", "text"]].tolist() == [
        "Municipalities taking part, per the article",
        "about 17",
    ]
    assert (facts["source"].str.len() > 0).all() and set(facts["certainty"]) <= {"stated", "likely", "unverified"}
    assert profiles.network_facts(dataset, "serviceutveckling_pilot_2012").empty


def test_a_bad_fact_row_is_reported_by_file_row_and_field(data_copy):
    fields, facts = read_csv(data_copy / "facts.csv")
    facts[0]["network_id"] = "finns_inte"
    facts[1]["approximate"] = "kanske"
    write_csv(data_copy / "facts.csv", fields, facts)
    ds = load_dataset(data_copy)
    assert {(p.file, p.row, p.field) for p in ds.problems} == {
        ("facts.csv", 2, "network_id"),
        ("facts.csv", 3, "approximate"),
    }
    assert len(ds.facts) == len(facts) - 2


def test_facts_are_optional(data_copy):
    (data_copy / "facts.csv").unlink()
    ds = load_dataset(data_copy)
    assert ds.facts.empty and not ds.problems


# -- certainty of the corrected rows -----------------------------------------------------------


def test_undated_industry_members_have_no_invented_dates(dataset, table):
    members = [r for r in rows("memberships.csv") if r["network_id"] == "industrikommuner" and r["role"] == "member"]
    assert len(members) == 19
    assert all(r["since"] == r["until"] == "" and "odaterat pressmeddelande" in r["note"] for r in members)
    profile = profiles.profile_as_dict(profiles.kommun_profile(dataset, table, "1784"))  # Arvika
    industry = next(m for m in profile["memberships"] if m["network_id"] == "industrikommuner")
    assert (industry["since"], industry["until"]) == ("", "")
    line = next(x for x in profiles.profile_as_text(profile).splitlines() if "industrikommuner" in x)
    assert "period okänd" in line and "2015" not in line
    # A period filter still knows the network was founded in 2015: no member before that.
    arvika = table[(table["kommun_kod"] == "1784") & (table["network_id"] == "industrikommuner")]
    assert selection.apply_filters(arvika, selection.Filters(years=(2010, 2014))).empty
    assert len(selection.apply_filters(arvika, selection.Filters(years=(2016, 2016)))) == 1


def test_filmpool_nord_share_purchases_are_only_proposed():
    for code in ("2523", "2583"):  # Gällivare, Haparanda
        owner = row("memberships.csv", network_id="filmpool_nord", kommun_kod=code)
        assert owner["certainty"] == "likely" and "inte bekräftat" in owner["note"]
    owners = [r for r in rows("memberships.csv") if r["network_id"] == "filmpool_nord"]
    # 004 names only Kiruna among the owners: no other row cites it.
    assert [r["name"] for r in owners if "004_a16b07d851e55101.txt" in r["source"]] == ["Kiruna"]


def test_fiskeomrade_end_is_a_planned_wind_up_not_a_known_end():
    assert row("networks.csv", id="fiskeomrade_tornedalen")["end"] == ""
    assert all(r["until"] == "" for r in rows("memberships.csv") if r["network_id"] == "fiskeomrade_tornedalen")
    planned = row("facts.csv", network_id="fiskeomrade_tornedalen", id="planned_wind_up")
    assert planned["value"] == "2023" and "inte bekräftat" in planned["note"]


def test_mora_places_are_likely_and_gesunda_is_no_pilot_place():
    mora = [r for r in rows("places.csv") if r["kommun"] == "Mora"]
    assert len(mora) == 6 and {r["certainty"] for r in mora} == {"likely"}
    assert row("places.csv", id="gesunda")["kind"] == "dialogue_place"


def test_projects_say_what_their_sources_say():
    dalalab = row("projects.csv", id="dalalab_larprojekt")
    assert (dalalab["funders"], dalalab["partners"], dalalab["certainty"]) == ("", "", "likely")
    co_kiruna = row("projects.csv", id="co_kiruna")
    assert (
        "LKAB" in co_kiruna["funders"]
        and "https://www.kiruna.se/stadsomvandling/foretag/projekt-och-samarbete/navet/" in co_kiruna["source"]
    )
    assert "https://www.kiruna.se/stadsomvandling/foretag/projekt-och-samarbete/;" not in co_kiruna["source"] + ";"
    assert "Regeringen" not in row("projects.csv", id="hallbar_destinationsutveckling")["funders"]
    rit, rit2021 = row("projects.csv", id="rit"), row("projects.csv", id="rit2021")
    assert (rit["start"], rit["end"]) == ("2015", "2018") and rit2021["end"] == "2023-09"
    assert {"Region Norrbotten", "Sparbanken Nord", "Kiruna kommun", "Luleå kommun"} <= set(
        source_parts(rit2021["funders"])
    )
    # Samhälle och gruva (issue 24): its page is described by the research without an
    # address, and no source names its partners, project number or leader.
    society = row("projects.csv", id="mining_society_project")
    assert (society["partners"], society["source"], society["certainty"]) == (
        "Georange (projektägare)",
        "000_a722be53be16a2b9.txt",
        "likely",
    )
    assert not {"Kaunis", "SGU", "201904834", "AKK"} & set(re.findall(r"[\w]+", society["description"]))
    for umea in ("botsmark", "holmon", "sormjole", "overboda"):
        assert row("places.csv", id=umea)["source"] == "https://www.umea.se/landsbygdsprojekt"


def test_notes_do_not_doubt_what_the_source_document_names():
    assert "unverified" not in row("memberships.csv", network_id="serviceutveckling_2022", kommun_kod="2182")["note"]
    assert "not confirmed" not in row("memberships.csv", network_id="serviceutveckling_2022", kommun_kod="0561")["note"]
    assert "Trönö namnges i 001" in row("places.csv", id="trono")["note"]


# -- coordinates and mines ------------------------------------------------------------------


def test_coordinates_carry_no_more_precision_than_their_source():
    located = [r for r in rows("places.csv") if r["lat"]]
    assert located
    for r in located:
        assert r["precision"] == "locality" and r["coord_certainty"] == "unverified", r["id"]
        for value in (r["lat"], r["lon"]):
            assert len(value.split(".")[1]) <= 2, (r["id"], value)
        assert "0,01°" in r["coord_source"], r["id"]


def test_mines_are_their_own_layer(dataset):
    mines = profiles.mines(dataset)
    assert len(mines) == 17 and (mines["network_id"] == "").all()
    assert profiles.network_places(dataset, "gruvkommuner").empty
    kiirunavaara = mines.set_index("id").loc["gruva_kiirunavaara"]
    assert kiirunavaara["precision"] == "kommun" and kiirunavaara[["lat", "lon"]].isna().all()
    # Every mine says which year its status is from.
    assert all(re.search(r"\b(2012–13|2015|2019)\b", note) for note in mines["note"])


def test_the_data_folder_has_the_files_the_readme_describes():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in DATA_DIR.glob("*.csv"):
        assert f"## {path.name}" in readme, path.name
    with (DATA_DIR / "facts.csv").open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    section = readme.split("## facts.csv")[1].split("\n## ")[0]
    described = {
        c.strip() for line in section.splitlines() if line.startswith("| ") for c in line.split("|")[1].split(",")
    }
    assert set(header) <= described, set(header) - described


# -- Facts of today's curated data that other tests used to rely on ----------------------------
# Moved verbatim from test_query.py (now test_selection.py), test_profiles.py and test_distances.py (issue 11,
# item 8): they count today's members, so a network added to data/ changes them. The
# behaviour they checked is tested on tests/fixtures/data in those files.


@pytest.fixture(scope="module")
def known(dataset):
    return selection.vocabulary(dataset)


@pytest.fixture(scope="module")
def seats(dataset):
    return gazetteer.kommun_seats(dataset.seats)


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


def test_tornedalsradet_members_are_placed_on_both_sides_of_the_borders(table, dataset, seats):
    points = distances.member_points(table, "tornedalsradet", seats, dataset.centres).set_index("name")
    assert len(points) == 14
    assert points.loc["Lyngen", "seat"] == "Lyngseidet" and points.loc["Lyngen", "rule"] == "municipal_centre"
    matrix = distances.distance_matrix_km(points.reset_index())
    assert matrix.loc["Haparanda", "Tornio (Torneå)"] < 5  # twin towns across the river


def test_industry_meeting_totals(table, dataset, seats):
    points = distances.member_points(table, "industrikommuner", seats, dataset.centres)
    meeting = distances.meeting_place(distances.distance_matrix_km(points))
    assert meeting.best_total_km == meeting.totals_km.min()
    # Luleå hosted the meeting the source describes; from the north, it is far from least.
    assert meeting.total_for("Luleå") > 2 * meeting.best_total_km
    assert meeting.best in set(points["name"])


def test_seat_overrides_replace_misplaced_gazetteer_entries(seats):
    by_code = seats.set_index("kommun_kod")
    assert by_code.loc["0840", ["seat", "rule"]].tolist() == ["Mörbylånga", "override"]  # not "Södra Sandby"
    assert by_code.loc["1715", ["seat", "rule"]].tolist() == ["Kil", "override"]
    assert by_code.loc["2584", ["seat", "rule"]].tolist() == ["Kiruna", "gazetteer"]


def test_network_distances_name_the_meeting_place_and_the_hosts_totals(table, dataset, seats):
    points = distances.member_points(table, "industrikommuner", seats, dataset.centres)
    result = distances.network_distances(table, "industrikommuner", points)
    assert result.meeting.best_total_km == result.meeting.totals_km.min()
    assert set(result.host_totals) == {"Luleå", "Oxelösund", "Kiruna", "Örnsköldsvik"}  # every recorded meeting host
    assert result.host_totals["Luleå"] == pytest.approx(result.matrix.loc["Luleå"].sum())
    assert list(result.nearest.columns) == ["name", "nearest", "km", "seat", "rule"] and result.missing == []
    lone = distances.member_points(table, "industrikommuner", seats, dataset.centres).iloc[:1]
    assert distances.network_distances(table, "industrikommuner", lone) is None


# -- every membership against its research row (issue 24) ------------------------------------
# The research's network ids and the data's; a vocabulary, not a list of exceptions.
RESEARCH_NETWORKS = {
    "A_gruvkommuner_natverk": "gruvkommuner",
    "B_svenska_industrikommuner": "industrikommuner",
    "C_tvv_15_kommuner_service_2022_2024": "serviceutveckling_2022",
    "C0_tvv_pilotkommuner_service_2012_2015": "serviceutveckling_pilot_2012",
    "C1_hssl_service_i_samverkan_2018_2020": "service_i_samverkan",
    "C2_tvv_8_kommuner_service_2024_2025": "serviceutveckling_2024",
    "D_dalalab_stora_etableringar_2024_2025": "dalalab_stora_etableringar",
    "E_filmpool_nord_owners": "filmpool_nord",
    "E_fiskeomrade_tornedalen_haparanda_skargard": "fiskeomrade_tornedalen",
    "E_leader_tornedalen_2020": "leader_tornedalen",
    "E_tornedalsradet": "tornedalsradet",
}
# The research's words for a role (first match wins) and the data's roles they allow.
RESEARCH_ROLES = [
    (r"^not owner", set()),
    (r"^planned host", {"planned_host"}),
    (r"^host", {"host"}),
    (r"administrator", {"member", "administrator"}),
    (r"^member", {"member"}),
    (r"^participant", {"participant"}),
    (r"^pilot", {"pilot"}),
    (r"^ambassador", {"ambassador"}),
    (r"^invited", {"invited"}),
    (r"example", {"example"}),
    (r"^owner", {"owner"}),
    (r"only|parts\)", {"partial_area"}),
    (r"area", {"area"}),
]
RANK = {"unverified": 0, "likely": 1, "stated": 2}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


def _research_roles(text: str) -> set[str]:
    return next(roles for pattern, roles in RESEARCH_ROLES if re.search(pattern, text))


def _research_date(text: str) -> str:
    found = DATE.match(text.strip())
    return found.group(0) if found else ""


def _name_forms(name: str) -> set[str]:
    """A name and each of its forms: "Tornio (Torneå)" is also "Tornio" and "Torneå"."""
    return {name.casefold().strip()} | {w.casefold().strip() for w in re.split(r"[()]", name) if w.strip()}


def _same_kommun(research_name: str, names: set[str]) -> bool:
    return any(_name_forms(research_name) & _name_forms(n) for n in names)


@needs_shared
def test_every_membership_says_what_its_research_row_says(documents):
    """A membership citing a page of the research says what the research's row for that
    network and kommun says: the kommun, the network, a role the research's word allows,
    dates no more precise than the research's and equal to them as far as given, and a
    certainty no higher than the research's, unless a cited source document (000–004)
    names the kommun itself."""
    with (RESEARCH_DIR / "network_members.csv").open(encoding="utf-8", newline="") as f:
        research = list(csv.DictReader(f))
    names_by_code = geo.names_by_code()
    checked = 0
    for line, r in enumerate(rows("memberships.csv"), start=2):
        where = f"memberships.csv:{line} ({r['network_id']}, {r['name'] or r['kommun_kod']})"
        urls = _urls(r["source"])
        candidates = [
            x
            for x in research
            if RESEARCH_NETWORKS.get(x["network_id"]) == r["network_id"] and urls & _urls(x["source"])
        ]
        if not candidates:
            # No page of the research cited: the row rests on a source document, which
            # test_a_stated_row_citing_a_source_document_names_something_that_document_contains reads.
            assert any(SOURCE_FILE.match(p) for p in source_parts(r["source"])), f"{where}: no source checked"
            continue
        names = {r["name"], names_by_code.get(r["kommun_kod"].zfill(4), "")} - {""}
        same = [x for x in candidates if _same_kommun(x["kommun_name"], names)]
        assert same, f"{where}: the research names no such kommun for this network and page"
        matching = [x for x in same if r["role"] in _research_roles(x["role"])]
        assert matching, f"{where}: role {r['role']} is not the research's {[x['role'] for x in same]}"
        cited = [documents[p] for p in source_parts(r["source"]) if SOURCE_FILE.match(p)]

        def same_date(mine: str, theirs: str, cited: list[str] = cited) -> bool:
            # As precise as the research or less; or a date a cited source document writes.
            return _research_date(theirs).startswith(mine) or any(mine in text for text in cited)

        dated = [x for x in matching if same_date(r["since"], x["since"]) and same_date(r["until"], x["until"])]
        assert dated, f"{where}: dates {r['since']}–{r['until']} are not the research's"
        documented = any(any(n.casefold() in text.casefold() for n in names) for text in cited)
        ceiling = max(RANK[x["certainty"]] for x in dated)
        assert RANK[r["certainty"]] <= ceiling or documented, (
            f"{where}: {r['certainty']} is more certain than the research's row"
        )
        checked += 1
    assert checked > 100


# The research's own word for a place (network_places.csv, note) and the kind it makes.
PLACE_WORDS = [
    (r"not a serviceort|dialogues", "dialogue_place"),
    (r"servicepunkt|serviceort", "service_place"),
    (r"focus", "focus_place"),
    (r"meeting", "dialogue_place"),
    (r"pilot ort", "pilot_place"),
]


@needs_shared
def test_every_researched_place_is_the_kind_the_research_calls_it(documents):
    """A place of the research (network_places.csv) is in places.csv as the kind of
    place the research's own word names (a 'servicepunkt' is no pilot place), in the
    research's kommun, at a certainty no higher than the research's unless a cited
    source document names the place."""
    with (RESEARCH_DIR / "network_places.csv").open(encoding="utf-8", newline="") as f:
        research = [r for r in csv.DictReader(f) if r["network"] == "C"]
    places = {r["name"]: r for r in rows("places.csv")}
    checked = 0
    for x in research:
        mine = places[x["place"]]
        kinds = [kind for pattern, kind in PLACE_WORDS if re.search(pattern, x["note"])]
        where = f"places.csv:{list(places).index(x['place']) + 2} ({x['place']})"
        if kinds:
            assert mine["kind"] == kinds[0], f"{where}: {mine['kind']}, but the research says '{x['note']}'"
        assert mine["kommun"] == x["kommun"] and mine["network_id"] == "serviceutveckling_2022", where
        cited = [documents[p] for p in source_parts(mine["source"]) if SOURCE_FILE.match(p)]
        documented = any(x["place"] in text for text in cited)
        assert RANK[mine["certainty"]] <= RANK[x["place_certainty"]] or documented, where
        checked += 1
    assert checked == len(research) > 20
