"""Kommunkartan: the Streamlit entry point. Builds navigation and owns the shared sidebar.

``kommunkarta run`` starts Streamlit on a two-line script that calls ``main()``; tests
run this file itself (AppTest), where the ``__main__`` guard calls it.
"""

import logging
from functools import partial
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import DBAPIError

from kommunkarta import ui
from kommunkarta.ui.app_pages.network import render as render_network

PAGES = Path(__file__).resolve().parent / "app_pages"


def main() -> None:
    st.set_page_config(page_title="Kommunkartan", page_icon="🗺️", layout="wide")
    try:
        _main()
    except DBAPIError as err:
        # The host, user and driver's message are for whoever runs the dashboard (the
        # log); a visitor is told what happened, not where the database lives.
        logging.getLogger("kommunkarta").error("the database cannot be reached: %s", err)
        st.error(ui.tr("database_unreachable"))


def _main() -> None:
    ui.ensure_assets()
    ui.follow_data_revision()
    ui.sidebar()

    # A network is data: every row of data/networks.csv gets its own page and URL.
    network_pages = {
        network.id: st.Page(
            partial(render_network, network.id),
            title=network.short_name,
            url_path=ui.network_url_path(network.id),
            icon=":material/hub:",
        )
        for network in ui.dataset().networks.itertuples()
    }
    ui.set_network_pages(network_pages)

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
        name: st.Page(
            PAGES / f"{name}.py", title=ui.tr(title), icon=icon, url_path=url_path, default=name == "overview"
        )
        for entries in groups.values()
        for name, title, icon, url_path in entries
    }
    ui.set_pages(pages)
    sections = {ui.tr(group): [pages[name] for name, *_ in entries] for group, entries in groups.items()}
    sections = {ui.tr("nav_group_maps"): sections.pop(ui.tr("nav_group_maps"))} | {
        ui.tr("nav_group_networks"): list(network_pages.values()),
        **sections,
    }
    # Every page shown: folded, the menu would offer Streamlit's own English "View more".
    navigation = st.navigation(sections, expanded=True)
    ui.show_notices()
    navigation.run()


if __name__ == "__main__":
    main()
