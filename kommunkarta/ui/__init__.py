"""The Streamlit layer, the only part of the package that imports Streamlit.

Pages import ``ui``, read the filters, call the package and render; nothing here
computes what the package can. One module a job:

- ``cache``: caches keyed on the data revision (``data_cache``), cleared after writes;
- ``data``: the database, the dataset and what is computed from data and filters;
- ``maps``: the pages' folium maps, built once and copied per rerun; the background;
- ``page_registry``: the generated network pages and their URLs;
- ``service_state``: the service page's cached layers and what-if state;
- ``service_layers``: the service page's layer management (uploads, fetches, removal);
- ``sidebar``: language, filters, background and the URL;
- ``text``: the session's language and translated texts;
- ``panels``, ``editor``: shared page parts (kommun panel, downloads; editing forms).
"""

from __future__ import annotations

from .cache import clear_data_caches, data_cache, follow_data_revision
from .data import (
    database,
    dataset,
    ensure_assets,
    filter_vocabulary,
    filtered,
    kommun_matcher,
    kommun_profile,
    kommun_seats,
    membership_table,
    network,
    network_view,
    secrets,
    timeline_rows,
)
from .maps import (
    base_map,
    custom_tiles,
    network_layers,
    network_map,
    outline_map,
    selected_layer,
    show_network_map,
    show_overview_map,
    small_multiples,
    tile_source,
    tiles,
)
from .page_registry import network_page_path, network_url_path, page, set_network_pages, set_pages
from .service_layers import fetch_national_shops, layer_manager, show_notice
from .service_query import closable_shops, service_page_view
from .service_state import (
    access_scope,
    facility_index,
    gazetteer_origins,
    layer_facilities,
    layers_of,
    own_layers,
    population,
    stored_layer,
    take_access_click,
)
from .sidebar import current_filters, select_kommun_from_text, show_notices, sidebar, sync_url
from .text import certainty_text, label, lang, role_text, tr

__all__ = [
    "access_scope",
    "base_map",
    "certainty_text",
    "clear_data_caches",
    "closable_shops",
    "current_filters",
    "custom_tiles",
    "data_cache",
    "database",
    "dataset",
    "ensure_assets",
    "facility_index",
    "layer_facilities",
    "layers_of",
    "own_layers",
    "filter_vocabulary",
    "fetch_national_shops",
    "filtered",
    "follow_data_revision",
    "gazetteer_origins",
    "kommun_matcher",
    "kommun_profile",
    "kommun_seats",
    "label",
    "layer_manager",
    "lang",
    "membership_table",
    "network",
    "network_layers",
    "network_map",
    "network_page_path",
    "network_url_path",
    "network_view",
    "outline_map",
    "page",
    "population",
    "role_text",
    "secrets",
    "select_kommun_from_text",
    "selected_layer",
    "set_network_pages",
    "set_pages",
    "show_network_map",
    "show_notice",
    "show_notices",
    "service_page_view",
    "show_overview_map",
    "sidebar",
    "small_multiples",
    "stored_layer",
    "sync_url",
    "take_access_click",
    "tile_source",
    "tiles",
    "timeline_rows",
    "tr",
]
