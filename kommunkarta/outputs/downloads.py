"""Export products for meetings and reports, built the same way for the dashboard and
the command line: map images and offline HTML maps, workbooks, geodata and decks."""

from __future__ import annotations

import folium
import pandas as pd

from .. import geo, profiles, selection
from ..loader import Dataset
from . import deck, formats, maps, static_maps


def network_map_file(view: profiles.NetworkView, ds: Dataset, table: pd.DataFrame, fmt: str, lang: str = "sv") -> bytes:
    """The network's map as PNG, SVG or a standalone HTML map (``ds`` and ``table`` give
    the kommun tooltips of the HTML map)."""
    if fmt == "html":
        m = maps.network_map(
            view.network,
            view.relations,
            maps.kommun_properties(table, ds.population, lang, ds.projects),
            view.foreign_points,
            view.places,
            list(view.related),
            lang=lang,
        )
        return formats.standalone_html(m)
    return static_maps.to_bytes(static_maps.network_figure(view.network, table, view.foreign_points, lang=lang), fmt)


def kommun_map_file(ds: Dataset, table: pd.DataFrame, kommun_kod: str, fmt: str, lang: str = "sv") -> bytes:
    memberships = table[table["kommun_kod"] == kommun_kod]
    if fmt == "html":
        m = maps.base_map(maps.kommun_properties(table, ds.population, lang, ds.projects), ds.networks, lang=lang)
        for layer in maps.selected_layer(kommun_kod):
            layer.add_to(m)
        west, south, east, north = geo.kommuner().set_index("kommun_kod").loc[[kommun_kod]].total_bounds
        m.fit_bounds([[south, west], [north, east]])
        return formats.standalone_html(m)
    return static_maps.to_bytes(
        static_maps.kommun_figure(kommun_kod, memberships, profiles.neighbours(kommun_kod), lang=lang), fmt
    )


def overview_map_file(
    ds: Dataset, table: pd.DataFrame, filters: selection.Filters, fmt: str, title: str, lang: str = "sv"
) -> bytes:
    filtered = selection.apply_filters(table, filters)
    if fmt == "html":
        m = maps.base_map(maps.kommun_properties(table, ds.population, lang, ds.projects), ds.networks, lang=lang)
        for layer in maps.network_layers(filtered, ds.networks, lang):
            layer.add_to(m)
        folium.LayerControl(collapsed=True).add_to(m)
        return formats.standalone_html(m)
    summary = selection.kommun_summary(filtered, ds)
    return static_maps.to_bytes(static_maps.overview_figure(summary, title, lang=lang), fmt)


def sources_table(ds: Dataset, table: pd.DataFrame) -> pd.DataFrame:
    """Every source behind the rows exported, with what it supports and how surely."""
    rows = table[["network_name", "kommun", "role", "source", "certainty"]].rename(
        columns={
            "network_name": "nätverk",
            "kommun": "kommun",
            "role": "roll",
            "source": "källa",
            "certainty": "säkerhet",
        }
    )
    networks = ds.networks[["name", "source", "certainty"]].rename(
        columns={"name": "nätverk", "source": "källa", "certainty": "säkerhet"}
    )
    return pd.concat([networks.assign(kommun="", roll="(nätverket)"), rows], ignore_index=True)[
        ["nätverk", "kommun", "roll", "källa", "säkerhet"]
    ]


def deck_file(views: list[profiles.NetworkView], table: pd.DataFrame, lang: str = "sv") -> bytes:
    return deck.build_deck(views, table, lang=lang)
