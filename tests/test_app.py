"""Page flow with Streamlit's AppTest: filters, the URL and the kommun panel."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from kommunkarta import geo

from .conftest import edit_rows
from .support.apptest import app, fresh_caches  # noqa: F401 (fresh_caches: an autouse fixture)


def run(query_params=None) -> AppTest:
    return app(query=query_params or {}, timeout=60)


def summary_table(at: AppTest):
    """The table of kommuner in the selection (the one with a Kommunkod column)."""
    return next(df.value for df in at.dataframe if "Kommunkod" in df.value.columns or "Code" in df.value.columns)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_overview_runs_and_shows_the_national_figures():
    at = run()
    assert not at.exception
    assert at.title[0].value == "Kommuner i nätverk och projekt"
    assert metric(at, "Kommuner i minst ett nätverk") == "79"
    assert metric(at, "Finska och norska medlemmar") == "10"
    kommuner = summary_table(at)
    assert len(kommuner) >= 79 and "Kiruna" in set(kommuner["Kommun"])
    assert not at.warning  # no rejected rows, no ignored parameters


def test_lan_filter_changes_table_figures_and_url():
    at = run()
    at.multiselect(key="f_lan").set_value(["20"]).run()
    kommuner = summary_table(at)
    assert set(kommuner["Län"]) == {"Dalarnas län"} and len(kommuner) == 15
    assert metric(at, "Finska och norska medlemmar") == "0"
    assert at.query_params["lan"] == "20"


def test_network_filter_changes_the_table():
    at = run()
    at.multiselect(key="f_networks_sv").set_value(["industrikommuner"]).run()
    kommuner = summary_table(at)
    assert metric(at, "Kommuner i minst ett nätverk") == "19"
    assert set(kommuner.loc[kommuner["Antal nätverk"] > 0, "Nätverk"]) == {"Nätverket för starka industrikommuner"}


def test_fa_and_certainty_filters_change_the_table():
    at = run()
    fa_kiruna = next(o for o in at.multiselect(key="f_fa").options if o.endswith(" Kiruna"))
    at.multiselect(key="f_fa").set_value([fa_kiruna.split()[0]]).run()
    assert set(summary_table(at)["Kommun"]) == {"Kiruna", "Pajala"}
    at.multiselect(key="f_fa").set_value([]).run()
    at.multiselect(key="kk_certainty_sv").set_value(["likely"]).run()
    kommuner = summary_table(at)
    assert (kommuner["Ej uppgivet i källan"].str.len() > 0).all()


def test_period_filter_changes_the_table():
    at = run()
    before = len(summary_table(at))
    at.toggle(key="f_period_on").set_value(True).run()
    at.slider(key="f_years").set_value((2012, 2015)).run()
    after = summary_table(at)
    assert len(after) < before
    assert "Pilotkommuner för serviceutveckling 2012–2015" in " ".join(after["Nätverk"])
    assert "15 kommuner arbetar för bättre service i landsbygder (2022–2024)" not in " ".join(after["Nätverk"])
    assert at.query_params["years"] == "2012-2015"


def test_query_parameters_reproduce_the_view():
    at = run({"lan": "25", "networks": "tornedalsradet,filmpool_nord", "years": "2020-2026"})
    assert at.multiselect(key="f_lan").value == ["25"]
    assert at.multiselect(key="f_networks_sv").value == ["tornedalsradet", "filmpool_nord"]
    assert at.toggle(key="f_period_on").value is True
    kommuner = summary_table(at)
    assert set(kommuner["Län"]) == {"Norrbottens län"}
    assert "Haparanda" in set(kommuner["Kommun"]) and "Arjeplog" in set(kommuner["Kommun"])
    # The link the page then shows is the same view.
    assert at.query_params["lan"] == "25" and at.query_params["networks"] == "tornedalsradet,filmpool_nord"


def test_unknown_link_values_are_ignored_with_a_warning():
    at = run({"lan": "20,99", "networks": "finns_inte"})
    assert not at.exception
    assert at.multiselect(key="f_lan").value == ["20"]
    warning = shown(at.warning[0].value)  # link values are escaped for Markdown
    assert "lan=99" in warning and "networks=finns_inte" in warning


def test_a_kommun_in_the_link_opens_its_panel():
    at = run({"kommun": "Kiruna"})
    assert at.subheader[0].value == "Kiruna"
    memberships = at.dataframe[0].value
    assert {"Tornedalsrådet", "Filmpool Nord AB (ägare)", "Nätverket för starka industrikommuner"} <= set(
        memberships["Nätverk"]
    )
    assert memberships["Källa"].str.len().min() > 0
    assert at.query_params["kommun"] == "2584"


def test_choosing_a_kommun_in_the_list_opens_its_panel():
    at = run()
    at.selectbox(key="kommun_select").set_value("2085").run()
    assert at.subheader[0].value == "Ludvika"
    networks = set(at.dataframe[0].value["Nätverk"])
    assert "15 kommuner arbetar för bättre service i landsbygder (2022–2024)" in networks
    assert "Hållbara samhällen runt stora etableringar och expansion (Dalalab)" in networks


def test_an_unknown_kommun_gets_a_clear_message():
    at = run({"kommun": "Trollhätan"})
    assert not at.exception
    assert "Trollhätan" in at.error[0].value and "Trollhättan" in at.error[0].value


def test_rejected_rows_are_listed_and_the_rest_still_shown(data_copy, monkeypatch):
    def break_one(rows):
        rows[0]["certainty"] = "säker"

    edit_rows(data_copy / "memberships.csv", break_one)
    monkeypatch.setenv("KOMMUNKARTA_DATA_DIR", str(data_copy))
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(data_copy.parent / "home"))  # a new database, filled from data_copy
    at = run()
    assert not at.exception
    assert "1 rad i datafilerna underkändes" in at.expander[0].label  # singular since issue 15
    assert "memberships.csv:2:certainty:" in at.expander[0].code[0].value
    assert len(summary_table(at)) > 70  # the valid rows are all there


def test_english_switch_translates_the_interface():
    at = run({"lang": "en", "certainty": "likely"})
    assert at.multiselect(key="kk_certainty_en").value == ["likely"]
    assert at.title[0].value == "Kommuner in networks and projects"
    in_english = metric(at, "Kommuner in at least one network")
    at.radio(key="f_lang").set_value("sv").run()
    assert at.title[0].value == "Kommuner i nätverk och projekt"
    assert at.multiselect(key="kk_certainty_sv").value == ["likely"]  # the filter survives the switch
    assert metric(at, "Kommuner i minst ett nätverk") == in_english
    assert at.query_params["certainty"] == "likely"


def test_sources_page_lists_every_network_with_source_and_unknowns():
    at = run()
    at.switch_page("app_pages/sources.py").run()
    assert not at.exception
    networks = at.dataframe[0].value
    assert len(networks) == 11
    gruv = networks[networks["Nätverk"] == "Nationellt nätverk för gruvkommuner"].iloc[0]
    assert gruv["Kommuner som deltar"] == 16 and "17" in gruv["Vad som inte är känt"]
    assert (networks["Källa"].str.len() > 0).all()


def open_network_page(at: AppTest, network_id: str) -> AppTest:
    """Network pages are callables, which AppTest.switch_page cannot name by file; pick
    the page st.navigation registered under the network's URL path."""
    from kommunkarta.ui import page_registry as ui

    url_path = ui.network_url_path(network_id)
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path)
    at.run()
    at._page_hash = ""  # later runs stay on the page the last run ended on, as a browser does
    return at


def test_every_network_in_the_data_has_a_page_that_renders(dataset):
    at = run()
    for network in dataset.networks.itertuples():
        open_network_page(at, network.id)
        assert not at.exception, (network.id, at.exception)
        assert shown(at.title[0].value) == network.name
        members = at.dataframe[0].value
        assert len(members) == (dataset.memberships["network_id"] == network.id).sum()
        assert (members["Källa"].str.len() > 0).all()


def test_network_pages_show_their_kind_panel():
    at = open_network_page(run(), "gruvkommuner")
    assert "Gruvor och gruvkommuner" in [h.value for h in at.subheader]
    assert metric(at, "Kommuner i Sverige") == "16"
    assert "17" in at.info[0].value  # the unknown 17th kommun is said
    # The article's "ett 17-tal" beside the 16 the project page names, as figures.
    assert metric(at, "Deltagande kommuner enligt artikeln") == "ca 17"
    assert metric(at, "Namngivna deltagare på projektsidan") == "16"
    facts = next(df.value for df in at.dataframe if "Uppgift" in df.value.columns).set_index("Uppgift")
    assert facts.loc["Projektet avslutat enligt artikel daterad", "Värde"] == "2023-10-06"
    assert facts.loc["Deltagande kommuner enligt artikeln", "Källa"] == "000_a722be53be16a2b9.txt"
    # The mines are listed as a layer of their own, not as the network's places.
    places = [df.value for df in at.dataframe if "Typ" in df.value.columns]
    assert len(places) == 1 and len(places[0]) == 17 and set(places[0]["Typ"]) == {"gruva"}
    at = open_network_page(at, "dalalab_stora_etableringar")
    assert "Deltagande enligt källan" in [h.value for h in at.subheader]
    at = open_network_page(at, "tornedalsradet")
    countries = " ".join(shown(m.value) for m in at.markdown)
    assert "**Finland:** Enontekiö, Kolari" in countries and "**Norge:** Kåfjord, Lyngen" in countries
    assert metric(at, "Kommuner i Finland och Norge") == "10"
    assert any("Minst sammanlagd resväg" in m.value for m in at.markdown)
    at = open_network_page(at, "leader_tornedalen")
    assert any(shown(w.value).startswith("Kiruna: bara en del av kommunen ingår") for w in at.warning)
    at = open_network_page(at, "industrikommuner")
    assert "Möten och värdar" in [h.value for h in at.subheader]
    assert any("Med mötet i **Luleå**" in shown(m.value) for m in at.markdown)


def profile(query_params) -> AppTest:
    at = run(query_params)
    return at.switch_page("app_pages/kommun.py").run()


def test_kiruna_profile_lists_its_networks():
    at = profile({"kommun": "Kiruna"})
    assert not at.exception
    assert at.header[0].value == "Kiruna"
    # beside the map: the figures, and the län and FA region as text that can wrap
    kommun = geo.kommuner().set_index("kommun").loc["Kiruna"]
    assert [m.label for m in at.metric][:2] == ["Folkmängd", "Yta"]
    assert f"**Län:** {kommun['lan']}  \n**FA-region:** {kommun['fa_namn']}" in [m.value for m in at.markdown]
    networks = set(at.dataframe[0].value["Nätverk"])
    assert {"Tornedalsrådet", "Filmpool Nord AB (ägare)", "Nätverket för starka industrikommuner"} <= networks
    nearest = at.dataframe[1].value.set_index("Nätverk")
    assert nearest.loc["Filmpool Nord AB (ägare)", "Närmaste medlem"] == "Gällivare"


def test_ludvika_profile_lists_rural_service_and_the_dalarna_project():
    at = profile({"kommun": "2085"})
    networks = set(at.dataframe[0].value["Nätverk"])
    assert "15 kommuner arbetar för bättre service i landsbygder (2022–2024)" in networks
    assert "Hållbara samhällen runt stora etableringar och expansion (Dalalab)" in networks


def test_profile_of_an_unknown_kommun_says_so():
    at = profile({"kommun": "Luleåå"})
    assert not at.exception
    assert "Luleåå" in at.error[0].value and "Luleå" in at.error[0].value
    assert not at.main.header


def test_timeline_and_overlap_pages_render_and_filter():
    at = run({"networks": "gruvkommuner"})
    at.switch_page("app_pages/timeline.py").run()
    assert not at.exception
    names = set(at.dataframe[0].value["Namn"])
    assert names == {"Nationellt nätverk för gruvkommuner", "Samhälle och gruva (Mining Society Project)"}
    at.text_input(key="tl_funder").set_value("Swedish Mining").run()
    assert len(at.dataframe[0].value) == 3
    at.switch_page("app_pages/overlaps.py").run()
    assert not at.exception
    combos = at.dataframe[0].value
    assert combos.iloc[0]["Antal nätverk"] == 5


@pytest.fixture
def service_home(tmp_path, monkeypatch):
    """A user folder with a small shop layer and a place layer around Ljusdal."""
    from kommunkarta.service import importers, stored_layers

    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    shops = tmp_path / "butiker.csv"
    shops.write_text(
        "id,name,lat,lon\nica,ICA Ljusdal,61.83,16.09\ncoop,Coop Järvsö,61.716,16.17\nlos,Handlarn Los,61.736,15.169\n",
        encoding="utf-8",
    )
    places = tmp_path / "orter.csv"
    places.write_text(
        "name,lat,lon,population\nLjusdal,61.829,16.088,6800\nLos,61.737,15.170,400\nRamsjö,62.18,15.65,300\n",
        encoding="utf-8",
    )
    stored_layers.save(importers.read_points(shops, kind="grocery"), "Butiker", "facilities")
    stored_layers.save(importers.read_points(places), "Orter", "origins")
    return tmp_path / "home"


def service_page(query_params=None) -> AppTest:
    at = run(query_params)
    return at.switch_page("app_pages/service.py").run()


def test_service_page_without_a_layer_says_how_to_load_one(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "empty"))
    at = service_page()
    assert not at.exception
    assert "Inget servicelager är inläst" in at.warning[0].value
    assert "Ladda in ett lager" in [e.label for e in at.expander]


def test_service_page_figures_and_what_if(service_home):
    at = service_page()
    assert not at.exception
    at.selectbox(key="sa_grid").set_value("none").run()  # the places alone, without the default grid beside them
    at.selectbox(key="sa_origins").set_value("orter").run()
    assert metric(at, "Orter bortom 30 km") == "1 / 3" and metric(at, "Invånare bortom 30 km") == "300"
    assert "fågelvägen" in [c.value for c in at.caption]
    at.multiselect(key="sa_closed").set_value(["los"]).run()
    assert metric(at, "Orter bortom 30 km") == "2 / 3" and metric(at, "Invånare bortom 30 km") == "700"
    at.radio(key="sa_threshold_choice").set_value("driftstod").run()
    assert metric(at, "Orter bortom 10 km") == "2 / 3"
    at.toggle(key="sa_detour_on").set_value(True).run()
    assert any("uppskattat vägavstånd" in c.value for c in at.caption)


def test_service_page_for_a_network(service_home):
    at = run()
    open_network_page(at, "serviceutveckling_2022")
    at.button(key="open_access_serviceutveckling_2022").click().run()
    assert at.selectbox(key="sa_network").value == "serviceutveckling_2022"
    at.selectbox(key="sa_grid").set_value("none").run()  # the places alone, without the default grid beside them
    at.selectbox(key="sa_origins").set_value("orter").run()
    per_kommun = at.dataframe[0].value
    assert set(per_kommun["Kommun"]) == {"Ljusdal"}  # the only member kommun with places in the layer


def test_presentation_steps_through_a_saved_sequence():
    at = run({"views": "overview,tornedalsradet,gruvkommuner", "step": "2"})
    at.switch_page("app_pages/present.py").run()
    assert not at.exception
    assert at.title[0].value == "Tornedalsrådet"
    at.button(key="present_next").click().run()
    assert at.title[0].value == "Nationellt nätverk för gruvkommuner" and at.query_params["step"] == "3"
    assert at.button(key="present_next").disabled
    at.button(key="present_prev").click().run()
    at.button(key="present_prev").click().run()
    assert at.title[0].value == "Kommuner i nätverk och projekt" and at.query_params["step"] == "1"
    assert at.query_params["views"] == "overview,tornedalsradet,gruvkommuner"  # the link keeps the sequence


def test_the_presentation_draws_no_sidebar_and_keeps_the_filters():
    at = run({"lan": "25", "networks": "tornedalsradet", "lang": "en"})
    assert at.multiselect(key="f_lan").value == ["25"]
    at.multiselect(key="f_fa").set_value(["01"]).run()  # a choice made in the sidebar ...
    at.switch_page("app_pages/present.py").run()
    assert not at.exception
    assert not at.sidebar.multiselect and not at.sidebar.radio and not at.sidebar.selectbox  # hidden: not drawn
    assert at.query_params["lan"] == "25" and at.query_params["fa"] == "01" and at.query_params["lang"] == "en"
    at.switch_page("app_pages/overview.py").run()  # ... holds after the presentation
    assert at.multiselect(key="f_lan").value == ["25"] and at.multiselect(key="f_fa").value == ["01"]
    assert at.radio(key="f_lang").value == "en"
    assert at.query_params["networks"] == "tornedalsradet"


def shown(markdown: str) -> str:
    """What a reader sees of Markdown source: text from the data arrives escaped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def images(at: AppTest) -> list:
    return [e for e in at.main if type(e).__name__ == "Image"]


def test_overview_switches_to_one_small_map_per_network():
    at = run()
    assert not at.exception and not images(at)  # the interactive map by default
    at.button_group(key="overview_view").set_value("multiples").run()
    assert not at.exception
    [image] = images(at)
    assert image.proto.imgs[0].caption.startswith("En liten karta per valt nätverk")
    everything = image.proto.imgs[0].url
    at.multiselect(key="f_networks_sv").set_value(["tornedalsradet", "filmpool_nord"]).run()
    [image] = images(at)
    assert image.proto.imgs[0].url != everything  # the image follows the selection
    # A link opens the view.
    at = run({"view": "multiples", "lan": "25", "networks": "dalalab_stora_etableringar"})
    assert not images(at) and any("Inget nätverk i urvalet" in i.value for i in at.info)


def test_presentation_shows_the_small_multiples_as_a_step():
    at = run({"views": "overview,multiples", "step": "2"})
    at.switch_page("app_pages/present.py").run()
    assert not at.exception
    assert at.title[0].value == "Alla nätverk sida vid sida" and len(images(at)) == 1
    at.button(key="present_prev").click().run()
    assert at.title[0].value == "Kommuner i nätverk och projekt" and not images(at)


def rendered_texts(at: AppTest) -> list[str]:
    """Every text the page shows: headings, prose, notices, labels and table headings."""
    texts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        texts += [shown(e.value) for e in getattr(at, kind)]
    for kind in ("button", "selectbox", "multiselect", "radio", "toggle", "slider", "text_input", "expander"):
        texts += [getattr(e, "label", "") for e in getattr(at, kind)]
    texts += [m.label for m in at.metric]
    for frame in at.dataframe:
        texts += [str(c) for c in frame.value.columns]
    return [t for t in texts if t]


def swedish_only_phrases() -> list[str]:
    """The fixed part of every interface text whose Swedish differs from its English."""
    from kommunkarta.i18n import TEXTS

    phrases = []
    for sv, en in TEXTS.values():
        fixed = sv.split("{")[0].strip()
        if sv != en and len(fixed) >= 8 and fixed not in en:
            phrases.append(fixed)
    return phrases


def test_every_interface_text_has_an_english_translation():
    from kommunkarta.i18n import TEXTS

    assert all(sv.strip() and en.strip() for sv, en in TEXTS.values())
    same = [key for key, (sv, en) in TEXTS.items() if sv == en]
    # Only names and units read the same in both languages.
    assert set(same) <= {
        "app_title",
        "language",
        "map_kommun",
        "col_kommun",
        "col_kommuner_count",
        "col_km",
        "col_mil",
        "tiles_osm",
        "download_pptx",
        "download_geojson",
        "download_gpkg",
        "nav_group_data",
        "access_facility_layer",
        "access_facilities",
        "filter_period",
        "col_period",
        "seat_rule_override",
        "col_median_km",
        "access_threshold_3mil",
        "roads_preset_15min",  # units
        "roads_preset_30min",
        "roads_preset_45min",
        "sheet_kommuner",
        "export_kommun",
    }


def test_the_english_switch_leaves_no_swedish_interface_text_on_any_page(service_home, dataset):
    phrases = swedish_only_phrases()
    at = run({"lang": "en", "kommun": "Kiruna"})
    pages = [
        "app_pages/overview.py",
        "app_pages/kommun.py",
        "app_pages/timeline.py",
        "app_pages/overlaps.py",
        "app_pages/service.py",
        "app_pages/sources.py",
        "app_pages/present.py",
        "app_pages/edit.py",
        "app_pages/history.py",
    ]
    seen = {}
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        seen[page] = rendered_texts(at)
    for network in dataset.networks["id"]:
        open_network_page(at, network)
        seen[network] = rendered_texts(at)
    # Names, descriptions and notes from the data stay as the sources write them.
    data = [
        str(v)
        for frame in (dataset.networks, dataset.memberships, dataset.projects, dataset.places)
        for column in ("name", "description", "unknowns", "note", "short_name")
        if column in frame
        for v in frame[column]
        if str(v)
    ]
    data.sort(key=len, reverse=True)

    def interface_part(text: str) -> str:
        for value in data:
            text = text.replace(value, "")
        return text

    left = {
        (page, phrase)
        for page, texts in seen.items()
        for text in texts
        for phrase in phrases
        if phrase in interface_part(text)
    }
    assert left == set()
    assert any("Kommuner in networks and projects" in t for t in seen["app_pages/overview.py"])


def test_a_configured_tile_server_can_be_chosen(monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_TILES_URL", "https://karta.ljusdal.se/tiles/{z}/{x}/{y}.png")
    monkeypatch.setenv("KOMMUNKARTA_TILES_ATTRIBUTION", "Ljusdals kommun")
    at = run()
    assert at.selectbox(key="kk_tiles").value == "none"  # no background by default
    assert at.selectbox(key="kk_tiles").options == ["—", "OpenStreetMap", "Ljusdals kommun"]
    at.selectbox(key="kk_tiles").set_value("custom").run()
    assert not at.exception and at.query_params["tiles"] == "custom"
