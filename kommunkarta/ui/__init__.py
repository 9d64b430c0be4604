"""The Streamlit layer, the only part of the package that imports Streamlit.

Pages (``app_pages/``) import what they use from the module it lives in, read the
filters, call the package and render; nothing here computes what the package can. One
module a job:

- ``connection``: the secrets and the database engine;
- ``cache``: caches keyed on the data revision (``data_cache``), cleared after writes;
- ``data``: the dataset and what is computed from data and filters;
- ``maps``: the pages' folium maps, built once and copied per rerun; the background; Leaflet
  beside the running script (``ensure_assets``);
- ``folium_component``: the map component (a private copy of streamlit-folium's st_folium);
- ``page_registry``: the pages and the generated network pages, and their URLs;
- ``service_state``: the service page's cached layers and what-if state;
- ``service_layers``: the service page's layer management (uploads, fetches, removal);
- ``service_roads``: the service page's road distances (networks, minutes, the panel);
- ``sidebar``: language, filters, background and the URL;
- ``text``: the session's language and translated texts; ``markdown``: text shown as text;
- ``panels``, ``editor``: shared page parts (kommun panel, downloads; editing forms).
"""
