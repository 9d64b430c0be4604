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

    navigation = st.navigation(
        {
            ui.tr("nav_group_maps"): [
                st.Page(PAGES / "overview.py", title=ui.tr("nav_overview"), icon=":material/map:", default=True),
                st.Page(
                    PAGES / "kommun.py", title=ui.tr("nav_profile"), icon=":material/location_city:", url_path="kommun"
                ),
                st.Page(
                    PAGES / "present.py",
                    title=ui.tr("nav_present"),
                    icon=":material/slideshow:",
                    url_path="presentation",
                ),
            ],
            ui.tr("nav_group_networks"): list(network_pages.values()),
            ui.tr("nav_group_projects"): [
                st.Page(
                    PAGES / "timeline.py", title=ui.tr("nav_timeline"), icon=":material/timeline:", url_path="tidslinje"
                ),
            ],
            ui.tr("nav_group_analysis"): [
                st.Page(PAGES / "service.py", title=ui.tr("nav_service"), icon=":material/store:", url_path="service"),
                st.Page(
                    PAGES / "overlaps.py",
                    title=ui.tr("nav_overlaps"),
                    icon=":material/join_inner:",
                    url_path="overlapp",
                ),
            ],
            ui.tr("nav_group_data"): [
                st.Page(
                    PAGES / "sources.py", title=ui.tr("nav_sources"), icon=":material/menu_book:", url_path="kallor"
                ),
                st.Page(PAGES / "edit.py", title=ui.tr("nav_edit"), icon=":material/edit:", url_path="redigera"),
                st.Page(
                    PAGES / "history.py", title=ui.tr("nav_history"), icon=":material/history:", url_path="historik"
                ),
            ],
        }
    )
    ui.show_notices()
    navigation.run()


if __name__ == "__main__":
    main()
