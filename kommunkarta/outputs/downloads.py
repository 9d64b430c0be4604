"""Export products for meetings and reports, built the same way for the dashboard and
the command line: map images and offline HTML maps, workbooks, geodata and decks."""

from __future__ import annotations

import folium
import pandas as pd

from .. import geo, profiles, selection
from ..i18n import t
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
    summary = selection.kommun_summary(filtered, ds, lang)
    return static_maps.to_bytes(static_maps.overview_figure(summary, title, lang=lang), fmt)


def selected_networks(ds: Dataset, filtered: pd.DataFrame) -> pd.DataFrame:
    """The networks of a selection, in the order of networks.csv."""
    return ds.networks[ds.networks["id"].isin(set(filtered["network_id"]))]


def small_multiples_file(
    ds: Dataset, table: pd.DataFrame, filters: selection.Filters, fmt: str, title: str, lang: str = "sv"
) -> bytes:
    """One small map of Sweden per network of the selection, side by side (PNG or SVG)."""
    filtered = selection.apply_filters(table, filters)
    networks = selected_networks(ds, filtered)
    if networks.empty:
        raise ValueError("inget nätverk i urvalet" if lang == "sv" else "no network in the selection")
    return static_maps.to_bytes(static_maps.small_multiples_figure(networks, filtered, title, lang=lang), fmt)


def sources_table(ds: Dataset, table: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Every source behind the rows exported, with what it supports and how surely;
    headed in ``lang``."""
    heads = {c: t(f"export_{c}", lang) for c in ("network", "kommun", "role", "source", "certainty")}
    rows = table[["network_name", "kommun", "role", "source", "certainty"]].rename(columns={"network_name": "network"})
    networks = ds.networks[["name", "source", "certainty"]].rename(columns={"name": "network"})
    both = pd.concat([networks.assign(kommun="", role=t("export_the_network", lang)), rows], ignore_index=True)
    return both[list(heads)].rename(columns=heads)


# The kommun table's columns and the text keys of their headings, on the overview and
# in its workbook.
SUMMARY_HEADINGS = {
    "kommun_kod": "col_kommun_kod",
    "kommun": "col_kommun",
    "lan": "col_lan",
    "fa_namn": "col_fa",
    "population": "col_population",
    "networks": "col_networks",
    "network_names": "col_network_names",
    "other_relations": "col_other",
    "not_stated": "col_not_stated",
}


def headed(frame: pd.DataFrame, headings: dict[str, str], lang: str = "sv") -> pd.DataFrame:
    """The columns of ``headings`` (column -> text key), headed in ``lang``."""
    return frame[list(headings)].rename(columns={c: t(k, lang) for c, k in headings.items()})


def overview_workbook(ds: Dataset, filtered: pd.DataFrame, summary: pd.DataFrame, lang: str = "sv") -> bytes:
    """The overview's tables as a workbook in ``lang``: kommuner, memberships, sources."""
    return formats.to_excel_bytes(
        {
            t("sheet_kommuner", lang): headed(summary, {**SUMMARY_HEADINGS, "sources": "col_sources"}, lang),
            t("sheet_memberships", lang): formats.memberships_export(filtered),
        },
        sources_table(ds, filtered, lang),
        t("sheet_sources", lang),
    )


def memberships_workbook(ds: Dataset, memberships: pd.DataFrame, sheet: str, lang: str = "sv") -> bytes:
    """Memberships (a network's members, a kommun's networks) and their sources as a
    workbook in ``lang``; ``sheet``: the text key of the memberships sheet's name."""
    return formats.to_excel_bytes(
        {t(sheet, lang): formats.memberships_export(memberships)},
        sources_table(ds, memberships, lang),
        t("sheet_sources", lang),
    )


def deck_file(views: list[profiles.NetworkView], table: pd.DataFrame, lang: str = "sv", figure_slides=()) -> bytes:
    """``figure_slides``: deck.FigureSlide of population development or a Kolada figure."""
    return deck.build_deck(views, table, lang=lang, figure_slides=tuple(figure_slides))
