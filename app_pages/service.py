"""Distance to service: nearest shop from every place, the 3-mil rule, vulnerable shops
and what-if, for the whole country, some kommuner or a network's kommuner.

The page reads its inputs into one ServiceQuery (service.query), which is both the cache
key and the argument of the view, asks for that one view (service_page_view) and
renders it: key figures per population, caveats, the map, and the tables."""

import streamlit as st

from kommunkarta.ui import grid_panel, service_inputs, service_map, service_roads, service_tables
from kommunkarta.ui.data import filter_vocabulary, kommun_matcher
from kommunkarta.ui.service_layers import show_notice
from kommunkarta.ui.service_query import service_page_view
from kommunkarta.ui.text import tr

st.title(tr("access_title"))
st.caption(tr("access_page_caption"))
show_notice()

# -- inputs: one frozen query, with the what-if added ------------------------------------
what_if = service_inputs.what_if(service_inputs.query())
query = what_if.query
page = service_page_view(query)
matcher = kommun_matcher()

# -- key figures: each population and measure named, the grid's beside the places' -----
service_tables.key_figures(page)

# -- map: the places and shops (clicks add shops or measure), or every populated square
# of the grid by distance class (a click shows the square) ------------------------------
rings = service_map.ring_choice(page)
st.caption(tr("access_national_shops") if not query.scope else tr("access_scope_shops"))
road_key, road_result = grid_panel.stored_road_result(query)
if grid_panel.map_choice(query) == grid_panel.GRID_MAP:
    grid_panel.grid_map_section(query, page, road_result)
else:
    service_map.show(query, page, rings, what_if.measure)
service_roads.show(page.road, matcher)

# -- tables ----------------------------------------------------------------------------
service_tables.kommun_table(page, matcher.names_by_code)
# The grid: its road result (or the offer to compute it), people by distance class.
network_name = filter_vocabulary().networks.get(query.network, "") if query.network else ""
grid_panel.show(query, page, road_key, road_result, network_name)
service_tables.vulnerable_table(page, matcher.names_by_code)
service_tables.origin_table(page, matcher.names_by_code)
