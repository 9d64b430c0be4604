"""The folium maps of the pages: built once per data revision, language and choice for
all sessions, and handed to each rerun as a copy.

streamlit-folium changes the folium objects it is given (it adds the feature groups to
the map and renames elements), so the cached objects are copied for every rerun: a
shared object would grow on every rerun and differ between sessions.
"""

from __future__ import annotations

import logging
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from .. import paths, selection, settings
from ..i18n import t
from ..outputs import downloads, leaflet_assets, maps, static_maps
from ..outputs.folium_tree import copy_sharing_data
from . import folium_component
from .cache import data_cache
from .connection import secrets
from .data import dataset, filter_key, filtered, filters_from_key, membership_table, network_view
from .text import lang


def ensure_assets() -> None:
    """Put Leaflet in the ``static/`` folder beside the script Streamlit runs (``app.py``
    of a checkout, or ``kommunkarta run``'s script), which it serves at /app/static/: the
    maps ask the app itself for Leaflet, never a CDN. Streamlit looks the files up at
    each request, so a folder made after the server started is served."""
    ctx = get_script_run_ctx()
    main_script = Path(ctx.main_script_path) if ctx is not None and ctx.main_script_path else paths.APP_SCRIPT
    _ensure_assets(str(paths.static_dir(main_script)))


@st.cache_resource(show_spinner=False)
def _ensure_assets(static_dir: str) -> None:
    try:
        leaflet_assets.ensure_static_assets(Path(static_dir))
    except OSError as err:  # a read-only checkout: the maps cannot draw, and the log says why
        logging.getLogger("kommunkarta").error("Leaflet cannot be put in %s: %s", static_dir, err)


@data_cache
def _kommun_properties(language: str) -> pd.DataFrame:
    return maps.kommun_properties(membership_table(), dataset().population, language, dataset().projects)


@data_cache
def _base_map(tiles: str | None, language: str, large: bool = False) -> folium.Map:
    m = maps.base_map(
        _kommun_properties(language),
        dataset().networks,
        tiles=tiles,
        lang=language,
        large=large,
        count_mode=maps.too_many_for_layers(membership_table()),
    )
    m.get_root().render()  # once, so st_folium can skip it (render=False)
    return m


def base_map(large: bool = False) -> folium.Map:
    """A fresh copy of the rendered base map for the session's background and language
    (``large``: legend for a projector); pass it to st_folium with render=False."""
    return copy_sharing_data(_base_map(tile_source(), lang(), large))


def network_layers(filters: selection.Filters, large: bool = False) -> list[folium.FeatureGroup]:
    """The filtered networks' layers, built anew: they are asked for only when the map
    component's cached arguments for these filters are missing (folium_component), and
    fresh objects need no copy (a copy of folium elements compiles their templates again).
    The memberships passing the filters are the page's own (data.filtered), not filtered again."""
    return maps.network_layers(filtered(filters)[0], dataset().networks, lang(), large=large)


def selected_layer() -> list[folium.FeatureGroup]:
    """The outline of the chosen kommun, to add to the map's dynamic layers."""
    return maps.selected_layer(st.session_state.get("kommun"))  # boundaries only: no data in it


@data_cache(max_entries=64)
def _network_map(network_id: str, language: str, large: bool = False) -> folium.Map:
    view = network_view(network_id)
    m = maps.network_map(
        view.network,
        view.relations,
        _kommun_properties(language),
        view.foreign_points,
        view.places,
        list(view.related),
        lang=language,
        large=large,
    )
    m.get_root().render()
    return m


def network_map(network_id: str, large: bool = False) -> folium.Map:
    return copy_sharing_data(_network_map(network_id, lang(), large))


@st.cache_resource(show_spinner=False, max_entries=8)
def _outline_map(codes: tuple[str, ...], language: str) -> folium.Map:
    m = maps.outline_map(codes, lang=language)  # boundaries only: no data in it
    m.get_root().render()
    return m


def outline_map(codes: tuple[str, ...]) -> folium.Map:
    return copy_sharing_data(_outline_map(codes, lang()))


def tiles() -> str | None:
    """The chosen background: None, "osm" or "custom"."""
    choice = st.session_state.get("kk_tiles", "none")
    return None if choice in (None, "none", False) else choice


def custom_tiles():
    section = secrets().get("tiles")
    return settings.custom_tiles(dict(section) if isinstance(section, dict) else {})


def tile_source():
    """What base_map draws under the kommuner for the chosen background."""
    choice = tiles()
    return custom_tiles() if choice == "custom" else choice


def show_overview_map(
    filters: selection.Filters,
    *,
    key: str = "overview_map",
    large: bool = False,
    with_selection: bool = True,
    with_layer_control: bool = True,
    height: int = 720,
    returned_objects: list[str] | None = None,
    hold: bool = False,
):
    """The national map with the filtered networks' layers (and the chosen kommun).
    ``hold``: the page holds its rest until the map is drawn (ui/map_first.py)."""
    chosen = st.session_state.get("kommun") if with_selection else None
    return folium_component.show(
        (key, tile_source(), lang(), large, with_layer_control),
        lambda: (base_map(large), folium.LayerControl(collapsed=True) if with_layer_control else None),
        layer_spec=(filter_key(filters), chosen),
        build_layers=lambda: network_layers(filters, large) + (selected_layer() if with_selection else []),
        returned_objects=returned_objects,
        height=height,
        hold=hold,
    )


def show_network_map(
    network_id: str,
    *,
    key: str,
    large: bool = False,
    height: int = 560,
    returned_objects: list[str] | None = None,
    hold: bool = False,
):
    """A network's own map: its members, related programmes, places and foreign members."""
    return folium_component.show(
        (key, network_id, lang(), large),
        lambda: (network_map(network_id, large), None),
        returned_objects=returned_objects,
        height=height,
        hold=hold,
    )


@data_cache(max_entries=16)
def _small_multiples(key: tuple, language: str, fmt: str) -> bytes | None:
    rows = filtered(filters_from_key(key))[0]
    networks = downloads.selected_networks(dataset(), rows)
    if networks.empty:
        return None
    figure = static_maps.small_multiples_figure(networks, rows, t("multiples_title", language), lang=language)
    return static_maps.to_bytes(figure, fmt)


def small_multiples(filters: selection.Filters, fmt: str = "png") -> bytes | None:
    """One small map of Sweden per network of the selection, side by side, as an image
    (None when the selection has no network); made once per selection and language."""
    return _small_multiples(filter_key(filters), lang(), fmt)


@data_cache(max_entries=32)
def _kommun_map(kommun_kod: str, language: str) -> folium.Map:
    from .data import kommun_profile

    table, profile = membership_table(), kommun_profile(kommun_kod)
    relations = table[table["network_id"].isin(set(profile.memberships["network_id"]))]
    m = maps.kommun_map(
        kommun_kod,
        relations,
        dataset().networks,
        _kommun_properties(language),
        profile.nearest_members,
        profile.places,
        lang=language,
    )
    m.get_root().render()
    return m


def show_kommun_map(kommun_kod: str, *, key: str = "kommun_map", height: int = 560, hold: bool = False):
    """The kommun profile's map (outputs.maps.kommun_map), built once per data revision,
    kommun and language, drawn through the project's map component."""
    return folium_component.show(
        (key, kommun_kod, lang()),
        lambda: (copy_sharing_data(_kommun_map(kommun_kod, lang())), None),
        returned_objects=[],
        height=height,
        hold=hold,
    )
