"""Kommunkartan: the Streamlit entry point. Builds navigation and owns the shared sidebar.

``streamlit run app.py`` from a checkout (Streamlit Community Cloud does the same), or
``kommunkarta run``, which starts Streamlit on a short script that runs this file from the
installed package (kommunkarta/_site/app.py); tests run it with AppTest. Either way the
``__main__`` guard calls ``main()``. The pages are the files in ``app_pages/`` beside it.
"""

import importlib.util
import logging
import sys
from functools import partial
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import DBAPIError

from kommunkarta import gc_policy
from kommunkarta.problems import render
from kommunkarta.storage.db import DatabaseURLError
from kommunkarta.ui import map_first, run_memo, warmup
from kommunkarta.ui.cache import follow_data_revision
from kommunkarta.ui.data import network_titles
from kommunkarta.ui.maps import ensure_assets
from kommunkarta.ui.page_registry import network_url_path, set_network_pages, set_pages
from kommunkarta.ui.sidebar import initialise, show_notices, sidebar
from kommunkarta.ui.text import lang, tr

PAGES = Path(__file__).resolve().parent / "app_pages"


def render_network(network_id: str) -> None:
    """The generated page of one network: ``render`` of app_pages/network.py, loaded once."""
    name = "kommunkarta_pages_network"
    module = sys.modules.get(name)
    if module is None or getattr(module, "__file__", None) != str(PAGES / "network.py"):
        spec = importlib.util.spec_from_file_location(name, PAGES / "network.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    module.render(network_id)


def main() -> None:
    st.set_page_config(page_title="Kommunkartan", page_icon="🗺️", layout="wide")
    # The engine, data revision, language and client looked up once for the run; the run
    # counted for the garbage collector's timing (a run of the start-up warm-up freezes
    # what it built at once).
    with run_memo.script_run(), gc_policy.script_run(freeze=map_first.user_agent() == warmup.USER_AGENT):
        try:
            _main()
        except DatabaseURLError as err:  # a URL no server takes: say so, not "unreachable"
            logging.getLogger("kommunkarta").error("the database URL is wrong: %s", err)
            st.error(tr("database_url_wrong", reason=render(err.code, err.params, lang())))
        except DBAPIError as err:
            # The host, user and driver's message are for whoever runs the dashboard (the
            # log); a visitor is told what happened, not where the database lives.
            logging.getLogger("kommunkarta").error("the database cannot be reached: %s", err)
            st.error(tr("database_unreachable"))


def _main() -> None:
    ensure_assets()
    follow_data_revision()
    initialise()  # the link's language and filters, before pages are named

    # A network is data: every row of data/networks.csv gets its own page and URL.
    network_pages = {
        network_id: st.Page(
            partial(render_network, network_id),
            title=short_name,
            url_path=network_url_path(network_id),
            icon=":material/hub:",
        )
        for network_id, short_name in network_titles()
    }
    set_network_pages(network_pages)

    # (file, title key, icon, URL path); the first group's first page is the start page.
    groups = {
        "nav_group_maps": [
            ("overview", "nav_overview", ":material/map:", None),
            ("kommun", "nav_profile", ":material/location_city:", "kommun"),
            ("present", "nav_present", ":material/slideshow:", "presentation"),
        ],
        "nav_group_projects": [("timeline", "nav_timeline", ":material/timeline:", "tidslinje")],
        "nav_group_analysis": [
            ("service", "nav_service", ":material/store:", "service"),
            ("overlaps", "nav_overlaps", ":material/join_inner:", "overlapp"),
        ],
        "nav_group_data": [
            ("sources", "nav_sources", ":material/menu_book:", "kallor"),
            ("edit", "nav_edit", ":material/edit:", "redigera"),
            ("history", "nav_history", ":material/history:", "historik"),
        ],
    }
    pages = {
        name: st.Page(PAGES / f"{name}.py", title=tr(title), icon=icon, url_path=url_path, default=name == "overview")
        for entries in groups.values()
        for name, title, icon, url_path in entries
    }
    set_pages(pages)
    sections = {tr(group): [pages[name] for name, *_ in entries] for group, entries in groups.items()}
    sections = {tr("nav_group_maps"): sections.pop(tr("nav_group_maps"))} | {
        tr("nav_group_networks"): list(network_pages.values()),
        **sections,
    }
    # Every page shown: folded, the menu would offer Streamlit's own English "View more".
    navigation = st.navigation(sections, expanded=True)
    presentation = navigation.url_path == pages["present"].url_path  # it hides the sidebar: not drawn
    # Until a browser's session has a map drawn, a page that holds its rest for its map
    # (ui/map_first.py) gets the sidebar's widgets after it, so that their code does not
    # load before the map's: a held run ends before them, and they come with the rest.
    map_pages = {pages["overview"].url_path, pages["kommun"].url_path, *(p.url_path for p in network_pages.values())}
    widgets_after = navigation.url_path in map_pages and map_first.first_view()
    sidebar(show=not presentation and not widgets_after)
    show_notices()
    if not widgets_after:
        navigation.run()
        return
    try:
        navigation.run()
    finally:  # also when the page stopped or failed, unless it held its rest for the map
        if not map_first.held():
            sidebar()


if __name__ == "__main__":
    main()
