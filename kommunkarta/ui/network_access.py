"""Access to service on a network page (issue 21, section 5): when a shop layer exists,
people beyond 3 mil in the member kommuner (the embedded grid, along the roads where a
stored road result over the grid exists, tätorter beside), the vulnerable shops among
them, and a link to the full analysis scoped to the network. The view is the service
page's own (the same ServiceQuery, the same cache)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ..service import analysis, road_grid, roads
from ..service.query import TATORTER, LayerRef, ServiceQuery, embedded_grid
from . import service_roads
from .page_registry import page
from .service_query import PageSources, embedded_grid_points, service_page_view
from .service_state import access_scope, layers_of
from .text import lang, num, pct, tr

THRESHOLD_KM = analysis.THRESHOLD_PRESETS_KM["3mil"]


def network_query(network_id: str | None) -> ServiceQuery | None:
    """The question a network page asks: the shop layer chosen on the service page (else
    the first), groceries, the embedded grid with tätorter beside, the network's Swedish
    members (all Sweden without a network), 3 mil. None without a shop layer or members."""
    layers = layers_of("facilities")
    scope = access_scope((), network_id) if network_id else ()
    if not layers or (network_id and not scope):
        return None
    chosen = st.session_state.get("sa_layer")
    layer = next((i for i in layers if i.id == chosen), layers[0])
    kinds = ("grocery",) if "grocery" in layer.kinds else tuple(sorted(layer.kinds))
    return ServiceQuery(
        facilities=LayerRef.of(layer),
        kinds=kinds,
        origins=TATORTER,
        grid=embedded_grid(lang()),
        scope=scope,
        network=network_id,
        threshold_km=THRESHOLD_KM,
    )


def people_beyond_by_road(query: ServiceQuery) -> tuple[int, str] | None:
    """People beyond 3 mil along the roads in the scope from a stored result over the grid
    (the first road network with one), and the network's title; None where none is stored."""
    facilities = PageSources().facilities(query.facilities, query.kinds).points
    for info in roads.list_networks():
        network = service_roads.road_network(info.id, info.imported_at)
        key = road_grid.key_for(network, facilities, "km", query.facilities.id, query.facilities.version, query.kinds)
        result = road_grid.stored(key)
        if result is not None:
            squares = embedded_grid_points()
            in_scope = squares["kommun_kod"].isin(query.scope).to_numpy()
            people = squares["population"].to_numpy()
            return int(people[in_scope & result.beyond(THRESHOLD_KM)].sum()), info.title
    return None


def show(network_id: str) -> None:
    """The panel, or nothing when no shop layer is loaded."""
    query = network_query(network_id)
    if query is None:
        return
    st.subheader(tr("network_access_title"))
    view = service_page_view(query).service
    by_road = people_beyond_by_road(query)
    figures = [(tr("network_access_grid"), num(view.grid.people_beyond))]
    if by_road is not None:
        figures.append((tr("network_access_road"), num(by_road[0])))
    figures += [
        (tr("network_access_tatorter"), num(view.origins.people_beyond)),
        (tr("network_access_vulnerable"), num(view.isolated)),
    ]
    for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, value)
    share = view.grid.people_beyond / view.grid.people if view.grid.people else np.nan
    st.caption(
        tr(
            "network_access_caption",
            layer=query.facilities.title,
            grid=query.grid.title,
            people=num(view.grid.people),
            share=pct(share) if np.isfinite(share) else "–",
            roads=tr("network_access_roads", network=by_road[1]) if by_road else tr("network_access_no_roads"),
        )
    )
    st.page_link(
        page("service"),
        label=tr("network_access_link"),
        icon=":material/store:",
        query_params={"network": network_id, **({"lang": lang()} if lang() != "sv" else {})},
    )
