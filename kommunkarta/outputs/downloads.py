"""Export products for meetings and reports, built the same way for the dashboard and
the command line: map images and offline HTML maps, workbooks, geodata and decks."""

from __future__ import annotations

from types import SimpleNamespace

import folium
import pandas as pd

from .. import distances, gazetteer, geo, profiles, selection
from ..loader import Dataset
from . import deck, formats, maps, static_maps


def network_record(ds: Dataset, network_id: str) -> SimpleNamespace:
    if network_id not in set(ds.networks["id"]):
        raise KeyError(f"okänt nätverk '{network_id}'; välj bland {', '.join(ds.networks['id'])}")
    return SimpleNamespace(**ds.networks.set_index("id", drop=False).loc[network_id].to_dict())


def foreign_points(
    ds: Dataset, table: pd.DataFrame, network_id: str, seats: pd.DataFrame | None = None
) -> pd.DataFrame:
    seats = gazetteer.kommun_seats(ds.seats) if seats is None else seats
    points = distances.member_points(table, network_id, seats, ds.centres)
    return points[points["country"] != "SE"]


def network_map_file(ds: Dataset, table: pd.DataFrame, network_id: str, fmt: str, lang: str = "sv") -> bytes:
    network = network_record(ds, network_id)
    points = foreign_points(ds, table, network_id)
    if fmt == "html":
        related = [
            (network_record(ds, other), table[table["network_id"] == other])
            for other in profiles.related_networks(ds, network_id)["id"]
            if other != network_id
        ]
        m = maps.network_map(
            network,
            table[table["network_id"] == network_id],
            maps.kommun_properties(table, ds.population, lang, ds.projects),
            points,
            profiles.network_places(ds, network_id),
            related,
            lang=lang,
        )
        return formats.standalone_html(m)
    return static_maps.to_bytes(static_maps.network_figure(network, table, points, lang=lang), fmt)


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


def deck_file(ds: Dataset, table: pd.DataFrame, network_ids: list[str], lang: str = "sv") -> bytes:
    seats = gazetteer.kommun_seats(ds.seats)
    networks = [network_record(ds, n) for n in network_ids]
    points = {n: foreign_points(ds, table, n, seats) for n in network_ids}
    return deck.build_deck(networks, table, points, lang=lang)
