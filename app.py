"""Kommunkartan: entry point. Builds navigation and owns the shared sidebar."""

import streamlit as st

from kommunkarta import ui

st.set_page_config(page_title="Kommunkartan", page_icon="🗺️", layout="wide")
ui.ensure_assets()
ui.sidebar()

navigation = st.navigation(
    {
        ui.tr("nav_group_maps"): [
            st.Page("pages/overview.py", title=ui.tr("nav_overview"), icon=":material/map:", default=True),
        ],
        ui.tr("nav_group_data"): [
            st.Page("pages/sources.py", title=ui.tr("nav_sources"), icon=":material/menu_book:", url_path="kallor"),
        ],
    }
)
ui.show_notices()
navigation.run()
