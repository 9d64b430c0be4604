"""The map first (ui/map_first.py): a browser's first view of a map page ends after its
map; the rest follows when the map's frame reports it drawn, or at once on the button.
What the frame does in Chromium is checked in tests/test_browser.py
(test_the_overview_draws_its_map_before_its_table)."""

import json
import types

import pytest
from streamlit.testing.v1 import AppTest

from kommunkarta.ui import folium_component, map_first

from .support.apptest import app, fresh_caches  # noqa: F401 (fresh_caches: an autouse fixture)
from .test_app import open_network_page, summary_table


@pytest.fixture
def as_browser(monkeypatch):
    """The session's client is a browser (AppTest's has no User-Agent)."""
    monkeypatch.setattr(map_first, "_client_is_browser", lambda: True)


def map_links(at: AppTest) -> list[str]:
    """The scripts the page's map frame loads, in their order."""
    (instance,) = [e.proto for e in at.get("component_instance") if "st_folium" in e.proto.component_name]
    return json.loads(instance.json_args)["js_links"]


def reports(at: AppTest) -> bool:
    return map_links(at)[0] == folium_component.script_url(map_first.report_script())


def waiting(at: AppTest) -> bool:
    return any(getattr(e, "key", None) == map_first.WAIT_KEY for e in at.get("flex_container")) or any(
        b.key and b.key.startswith("map_first_now_") for b in at.button
    )


def test_a_client_that_draws_no_map_gets_the_whole_page_at_once():
    at = app()
    assert not at.exception
    assert not waiting(at) and not reports(at)
    assert len(summary_table(at)) >= 79


def test_a_browsers_first_view_ends_after_the_map_and_its_frame_reports(as_browser):
    at = app()
    assert not at.exception
    assert waiting(at) and reports(at)
    assert not at.dataframe  # the table, the figures and the downloads wait
    assert not [s for s in at.selectbox if s.key == "kommun_select"]  # and the kommun panel beside the map
    assert not at.metric  # and the key figures beside it
    assert at.title and at.caption  # what stands above the map is there
    assert "Filtren och resten av sidan visas när kartan har ritats." in [c.value for c in at.caption]


def test_the_frames_report_lets_the_page_go_on(as_browser):
    at = app()
    assert waiting(at)
    # What folium_component.show's callback does with the value the frame sets
    # (map_first.took_report; AppTest cannot set a component's value).
    at.session_state[map_first.DRAWN] = {"overview_map"}
    at.run()
    assert not at.exception and not waiting(at) and not reports(at)
    assert len(summary_table(at)) >= 79
    at.run()  # and it stays so
    assert not waiting(at) and summary_table(at) is not None


def test_the_button_shows_the_rest_at_once(as_browser):
    at = app()
    at.button(key="map_first_now_overview_map").click().run()
    assert not at.exception and not waiting(at)
    assert len(summary_table(at)) >= 79
    assert at.selectbox(key="kommun_select")  # the kommun panel
    assert [m.label for m in at.metric][:4] == [  # and the key figures beside the map, two to a row
        "Kommuner i minst ett nätverk",
        "I två eller fler",
        "Invånare i dessa kommuner",
        "Finska och norska medlemmar",
    ]


def test_the_network_page_and_the_kommun_profile_wait_for_their_own_map(as_browser):
    at = open_network_page(app(), "tornedalsradet")
    assert not at.exception and waiting(at) and reports(at)
    assert not at.dataframe
    at.button(key="map_first_now_network_map_tornedalsradet").click().run()
    assert not at.exception and not waiting(at) and len(at.dataframe[0].value) > 0

    at = app(query="kommun=Kiruna")
    at.switch_page("app_pages/kommun.py").run()
    assert not at.exception and waiting(at) and reports(at)
    assert not at.dataframe
    at.session_state[map_first.DRAWN] = {"kommun_map"}
    at.run()
    assert not at.exception and not waiting(at)
    assert "Tornedalsrådet" in set(at.dataframe[0].value["Nätverk"])


def test_a_frame_that_reported_before_the_session_began_releases_the_page(as_browser, monkeypatch):
    """After a restart or a reconnect the frame keeps its map and does not report again;
    its value, flag included, comes with the new session's first run, and no callback
    runs for it."""
    monkeypatch.setattr(folium_component, "_component", lambda **arguments: {map_first.DRAWN_FLAG: True})
    at = app()
    assert not at.exception and not waiting(at)
    assert len(summary_table(at)) >= 79 and at.sidebar.multiselect


def test_a_page_that_stops_of_its_own_keeps_its_sidebar_in_a_first_view(as_browser):
    """Only a map page gets the sidebar after itself; the edit page stops for a visitor
    who is not logged in, and the service page without a layer, and both keep it."""
    at = app()
    assert waiting(at) and not at.sidebar.multiselect
    for path in ("app_pages/edit.py", "app_pages/service.py"):
        at.switch_page(path).run()
        assert not at.exception and at.sidebar.multiselect and at.sidebar.radio, path


def test_only_the_flagged_value_counts_as_the_report(monkeypatch):
    state: dict = {}
    monkeypatch.setattr(map_first.st, "session_state", state)
    map_first.took_report("m", {"last_object_clicked": {"lat": 1, "lng": 2}})
    map_first.took_report("m", None)
    map_first.took_report("m", {map_first.DRAWN_FLAG: False})
    assert "m" not in state.get(map_first.DRAWN, set())
    map_first.took_report("m", {"last_object_clicked": None, map_first.DRAWN_FLAG: True})
    assert state[map_first.DRAWN] == {"m"}


def test_the_report_script_keeps_streamlit_folium_values_and_has_a_deadline():
    script = map_first.report_script()
    assert "window.Streamlit.setComponentValue(v)" in script
    assert "g.previous_data" in script  # the last value sent, with the flag added
    assert f"v.{map_first.DRAWN_FLAG}=true" in script
    assert f">{map_first.REPORT_DEADLINE_MS}" in script


@pytest.mark.parametrize(
    ("agent", "browser"),
    [
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36", True),
        ("Python/3.11 websockets/13.1", False),
        ("", False),
    ],
)
def test_a_browser_is_known_by_its_user_agent(monkeypatch, agent, browser):
    monkeypatch.setattr(map_first.st, "context", types.SimpleNamespace(headers={"User-Agent": agent}))
    assert map_first._client_is_browser() is browser


def test_the_sidebars_widgets_wait_too_and_the_links_filters_hold(as_browser):
    at = app(query="lan=25&networks=tornedalsradet")
    assert not at.exception and waiting(at)
    assert not at.sidebar.multiselect and not at.sidebar.radio  # their code loads after the map's
    at.button(key="map_first_now_overview_map").click().run()
    assert not at.exception and not waiting(at)
    assert at.multiselect(key="f_lan").value == ["25"]
    assert at.multiselect(key="f_networks_sv").value == ["tornedalsradet"]
    kommuner = summary_table(at)
    assert set(kommuner["Län"]) == {"Norrbottens län"} and "Haparanda" in set(kommuner["Kommun"])
    at.multiselect(key="f_networks_sv").set_value([]).run()  # and they work as before
    assert not at.exception and len(summary_table(at)) > len(kommuner)


def test_a_page_without_a_map_has_its_sidebar_in_a_first_view(as_browser):
    at = app()
    at.switch_page("app_pages/timeline.py").run()
    assert not at.exception and not waiting(at)
    assert at.sidebar.multiselect and at.sidebar.radio
    assert at.title and at.dataframe  # the page itself


@pytest.mark.slow  # starts a dashboard process
def test_a_simulated_browser_tab_gets_a_map_page_in_two_runs_and_a_script_in_one():
    """tests/support/streamlit_client.py, as load.py and the deployment tests use it,
    against a dashboard process: the map's report is what brings the rest."""
    import asyncio

    from .support.streamlit_client import Session
    from .test_browser import dashboard

    async def first_view(url: str, browser: bool):
        session = Session(url, "", "lan=25", browser=browser)
        try:
            opened = await session.open()
            return opened, session
        finally:
            await session.close()

    with dashboard() as url:
        tab, tab_session = asyncio.run(first_view(url, True))
        script, script_session = asyncio.run(first_view(url, False))
    assert tab.errors == [] and script.errors == []
    assert tab.runs == 2 and script.runs == 1
    assert tab.phases["rest_s"] > 0 and script.phases["rest_s"] == 0
    assert "f_lan" in tab_session.widgets and "f_lan" in script_session.widgets  # the sidebar came with the rest
    assert tab_session.texts == script_session.texts  # and the whole page


def test_the_presentation_holds_the_figures_beside_its_map(as_browser):
    """The presentation's first step: the title beside the map at once, the figures once
    the map is drawn; the next step's map is held the same way, once."""
    at = app(query="views=overview,tornedalsradet")
    at.switch_page("app_pages/present.py").run()
    assert not at.exception and waiting(at) and reports(at)
    assert [t.value for t in at.title] == ["Kommuner i nätverk och projekt"]
    assert not at.metric
    at.session_state[map_first.DRAWN] = {"present_map_overview"}
    at.run()
    assert not at.exception and not waiting(at)
    assert [m.label for m in at.metric] == [
        "Kommuner i minst ett nätverk",
        "I två eller fler",
        "Invånare i dessa kommuner",
    ]
    at.button(key="present_next").click().run()
    assert not at.exception and waiting(at) and not at.metric
    at.button(key="map_first_now_present_map_tornedalsradet").click().run()
    assert not at.exception and not waiting(at) and len(at.metric) == 3
