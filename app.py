"""Kommunkartan: entry point. Builds navigation and owns the shared sidebar."""

from functools import partial

import streamlit as st

from kommunkarta import ui
from app_pages.network import render as render_network

st.set_page_config(page_title="Kommunkartan", page_icon="🗺️", layout="wide")
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
            st.Page("app_pages/overview.py", title=ui.tr("nav_overview"), icon=":material/map:", default=True),
            st.Page("app_pages/kommun.py", title=ui.tr("nav_profile"), icon=":material/location_city:", url_path="kommun"),
            st.Page("app_pages/present.py", title=ui.tr("nav_present"), icon=":material/slideshow:", url_path="presentation"),
        ],
        ui.tr("nav_group_networks"): list(network_pages.values()),
        ui.tr("nav_group_projects"): [
            st.Page("app_pages/timeline.py", title=ui.tr("nav_timeline"), icon=":material/timeline:", url_path="tidslinje"),
        ],
        ui.tr("nav_group_analysis"): [
            st.Page("app_pages/service.py", title=ui.tr("nav_service"), icon=":material/store:", url_path="service"),
            st.Page("app_pages/overlaps.py", title=ui.tr("nav_overlaps"), icon=":material/join_inner:", url_path="overlapp"),
        ],
        ui.tr("nav_group_data"): [
            st.Page("app_pages/sources.py", title=ui.tr("nav_sources"), icon=":material/menu_book:", url_path="kallor"),
            st.Page("app_pages/edit.py", title=ui.tr("nav_edit"), icon=":material/edit:", url_path="redigera"),
            st.Page("app_pages/history.py", title=ui.tr("nav_history"), icon=":material/history:", url_path="historik"),
        ],
    }
)
ui.show_notices()
navigation.run()
