"""The service page's grid section (issue 21, sections 3 and 4), Streamlit side: people by
distance class (tables and downloads), the stored road distance over the grid (or a
computation started beside the page, with progress, straight line meanwhile), and the
grid map: every populated square coloured by its distance class as one image, a click
showing the square's figures, an offline HTML download."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import streamlit as st

from ..i18n import t
from ..outputs import formats, grid_maps
from ..service import figures, grid_map, road_grid
from ..service.query import EMBEDDED_GRID, PageView, ServiceQuery, grid_class_table, hypothetical_shops
from . import folium_component, panels, service_roads
from .cache import data_cache
from .service_query import PageSources, embedded_grid_points
from .text import lang, num, tr


def _squares(query: ServiceQuery) -> pd.DataFrame:
    """The grid's squares in scope, in the order of the view's grid rows."""
    points = PageSources().population("grid", query.grid.title, query.grid).points
    return points if not query.scope else points[points["kommun_kod"].isin(query.scope)]


def _road_key(query: ServiceQuery) -> road_grid.Key | None:
    """The key of the stored road result for the query (the embedded grid, roads chosen)."""
    if query.roads is None or query.grid is None or query.grid.id != EMBEDDED_GRID:
        return None
    r, f = query.roads, query.facilities
    network = service_roads.road_network(r.id, r.version)
    facilities = PageSources().facilities(f, query.kinds).points
    return road_grid.key_for(network, facilities, r.measure, f.id, f.version, query.kinds)


@st.cache_resource(show_spinner=False, max_entries=8)
def _stored(key: road_grid.Key) -> road_grid.GridRoads | None:
    return road_grid.stored(key)


def stored_road_result(query: ServiceQuery) -> tuple[road_grid.Key | None, road_grid.GridRoads | None]:
    """The stored road result over the grid for the query, with its what-if applied
    (road_grid.what_if: only the catchments a change touches are routed again)."""
    key = _road_key(query)
    if key is None:
        return None, None
    found = _stored(key)
    if found is None:
        _stored.clear()  # look again on the next rerun: another process may store it
        return key, None
    if query.added or query.closed:
        return key, _what_if(key, query.added, query.closed, lang(), found, query).result
    return key, found


@st.cache_resource(show_spinner=False, max_entries=4)
def _routing_state(key: road_grid.Key, _base: road_grid.GridRoads, road_id: str, road_version: str):
    """The stored routing state as a RoadAccess over the network (read once per key)."""
    return _base.access(service_roads.road_network(road_id, road_version))


@st.cache_resource(show_spinner=False, max_entries=16)
def _what_if(key: road_grid.Key, added: tuple, closed: tuple, language: str, _base, _query) -> road_grid.WhatIf:
    access = _routing_state(key, _base, _query.roads.id, _query.roads.version)
    shops = hypothetical_shops(added, language)
    return road_grid.what_if(_base, access, embedded_grid_points(), shops, closed)


def road_section(query: ServiceQuery, key: road_grid.Key | None, result) -> None:
    """The stored road result's headline, or the offer to compute it beside the page."""
    if key is None:
        return
    st.subheader(tr("grid_road_title"))
    r = query.roads
    unit = "km" if r.measure == "km" else "min"
    threshold = f"{num(r.threshold, 1 if r.threshold % 1 else 0)} {unit}"
    if result is not None:
        squares = _squares(query)
        mask = _scope_mask(query)
        people = squares["population"].to_numpy()
        beyond = result.beyond(r.threshold)[mask]
        straight = result.straight_km[mask] > query.threshold_km
        st.caption(
            tr(
                "grid_road_stored",
                squares=num(int(mask.sum())),
                when=str(result.meta.get("computed_at", ""))[:16].replace("T", " "),
                people=num(int(people[beyond].sum())),
                threshold=threshold,
                straight=num(int(people[straight].sum())),
            )
        )
        if query.added or query.closed:
            st.caption(tr("grid_road_what_if_applied"))
        return
    st.caption(tr("grid_road_missing"))
    progress = road_grid.progress_of(key)
    if progress is None and st.button(tr("grid_road_start"), key="sa_road_grid_start"):
        facilities = PageSources().facilities(query.facilities, query.kinds).points
        # The network's process-wide copy (already loaded for the page's road view); in a
        # worker thread beside the page, never in the rerun.
        network = service_roads.road_network(query.roads.id, query.roads.version)
        road_grid.compute_in_background(key, network, facilities, None)
        progress = road_grid.progress_of(key) or ("queued", 0.0)
    if progress is not None:
        _progress(key)


@st.fragment(run_every=1.0)
def _progress(key: road_grid.Key) -> None:
    """The computation's progress, read every second beside the page; when it is done
    the whole page runs again and shows the stored result."""
    progress = road_grid.progress_of(key)
    if progress is None or progress[0] == "done":
        if road_grid.stored(key) is None:
            st.error(tr("grid_road_failed", error="–"))
            return
        _stored.clear()
        st.rerun()
    stage, done = progress
    label = road_grid.stage_text(stage, lang())
    st.progress(min(max(done, 0.0), 1.0), text=tr("grid_road_progress", stage=label, percent=f"{done:.0%}"))


def _scope_mask(query: ServiceQuery) -> np.ndarray:
    points = PageSources().population("grid", query.grid.title, query.grid).points
    if not query.scope:
        return np.ones(len(points), dtype=bool)
    return points["kommun_kod"].isin(query.scope).to_numpy()


def class_tables(query: ServiceQuery, page: PageView, result, network_name: str = "") -> None:
    """People by distance class for the top area (Sweden, or the scope), the rest in an
    expander; the whole table as a download in the page's language."""
    tables = _class_tables(
        class_table_key(query), result.key.digest if result is not None else "", network_name, page, result
    )
    st.subheader(tr("grid_classes_title"))
    st.caption(tr("grid_classes_caption"))
    panels.table(tables.top)
    # Every län and kommun (thousands of rows): made only while the expander is open
    # (opening it runs the page again); the download below holds them all.
    box = st.expander(tr("grid_classes_all"), key="sa_classes_all_open", on_change="rerun")
    if box.open:
        with box:
            panels.table(tables.rest)
    panels.csv_download(
        tables.whole,
        "avstandsklasser.csv" if lang() == "sv" else "distance_classes.csv",
        key="sa_dl_classes",
    )


@dataclass(frozen=True)
class ClassTables:
    """The class table as shown, in the session's language: the top area's rows (Sweden,
    or the scope), the rest, and the whole (the download)."""

    top: pd.DataFrame
    rest: pd.DataFrame
    whole: pd.DataFrame


def class_table_key(query: ServiceQuery) -> ServiceQuery:
    """The query as far as the class tables depend on it: the distances and people of the
    squares and places in scope, whatever the threshold, the mines and the area share."""
    return replace(query, threshold_km=0.0, mines=False, area_share=False)


@data_cache(max_entries=16)
def _class_tables(query: ServiceQuery, road_digest: str, network_name: str, _page: PageView, _result) -> ClassTables:
    """grid_class_table, cached by the query (class_table_key) and the stored road result
    (its digest), split and labelled once: the same objects at every rerun, so that their
    texts are made once too (ui/styled_table.py); ``_page`` is the view of any query with
    that key."""
    language = lang()
    mask = _scope_mask(query) if _result is not None else None
    table = grid_class_table(query, _page.service, language, _result, mask, network_name)
    top = table[table["level"] == ("network" if query.scope else "sweden")]
    rest = table[table["level"] != top["level"].iloc[0]] if len(top) else table
    return ClassTables(
        figures.labelled(top, language), figures.labelled(rest, language), figures.labelled(table, language)
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def _image(key: str, _render) -> grid_map.GridImage:
    """The grid map's image for a question, from disk or rendered once and stored."""
    return grid_map.cached_image(key, _render)


def _basis(result) -> tuple[str, str]:
    """The measure and basis the grid map colours by: the stored road result's, else the straight line."""
    if result is not None:
        return result.measure, "road_km" if result.measure == "km" else "road_minutes"
    return "km", "straight_km"


def grid_values(query: ServiceQuery, page: PageView, result) -> tuple[np.ndarray, str, str]:
    """The values the grid map colours by: along the roads from the stored result, else
    the straight line; their measure and basis."""
    measure, basis = _basis(result)
    if result is not None:
        return result.value[_scope_mask(query)], measure, basis
    return page.service.grid_rows["distance_km"].to_numpy(), measure, basis


def grid_map_image(query: ServiceQuery, page: PageView, result) -> tuple[str, grid_map.GridImage, str, str]:
    """The grid map's image (its cache key, the image, measure and basis): the squares'
    classes are worked out only when the image is neither in memory nor on disk."""
    measure, basis = _basis(result)
    key = grid_map.cache_key(
        query.grid,
        query.facilities,
        query.kinds,
        query.scope,
        query.detour,
        query.added,
        query.closed,
        result.key.digest if result is not None else basis,
    )

    def render() -> grid_map.GridImage:
        values, _, _ = grid_values(query, page, result)
        x, y = grid_map.sweref_xy(_squares(query))
        return grid_map.render(x, y, grid_map.distance_class(values, measure), grid_map.colours_of(measure))

    return key, _image(key, render), measure, basis


def show_grid_map(
    query: ServiceQuery, page: PageView, result, *, key: str, height: int, large: bool = False, returned_objects=()
):
    """The grid map through the project's map component: the map's script is made once
    per image, title, language and size for all sessions. Returns the component's value
    and the image."""
    image_key, image, measure, basis = grid_map_image(query, page, result)
    language = lang()
    title = f"{t(f'dclass_basis_{basis}', language)} – {query.grid.title}"
    with_no_connection = result is not None

    def build():
        m = grid_maps.grid_class_map(
            image, measure, title, language, with_no_connection=with_no_connection, large=large
        )
        if large:
            m.get_root().render()  # the presentation's map was rendered whole, as st_folium does by default
        return m, None

    state = folium_component.show(
        (key, image_key, measure, title, language, with_no_connection, large),
        build,
        returned_objects=list(returned_objects),
        height=height,
    )
    return state, image, (measure, title, language, with_no_connection, large)


PLACES_MAP, GRID_MAP = "places", "grid"


def map_choice(query: ServiceQuery) -> str:
    """Which map the page draws: the places and shops, or (with a grid) the grid map."""
    if query.grid is None:
        return PLACES_MAP
    language = lang()
    return st.radio(
        tr("grid_map_choice"),
        [PLACES_MAP, GRID_MAP],
        format_func=lambda v: t(f"grid_map_choice_{v}", language),
        horizontal=True,
        key="sa_map_view",
    )


def grid_map_section(query: ServiceQuery, page: PageView, result) -> None:
    """The map of every populated square by distance class; a click shows the square."""
    state, image, (measure, title, language, with_no_connection, _) = show_grid_map(
        query, page, result, key="sa_grid_map", height=620, returned_objects=["last_clicked"]
    )
    st.caption(
        tr(
            "grid_map_drawn",
            squares=num(image.squares),
            kb=num(len(image.png) // 1024),
            source=query.grid.source or query.grid.title,
        )
    )
    clicked = (state or {}).get("last_clicked")
    if clicked:
        st.markdown(square_text(query, page, result, clicked["lat"], clicked["lng"]))
    else:
        st.caption(tr("grid_map_click"))
    st.download_button(
        tr("grid_map_download"),
        # Made when asked for, not on every rerun.
        lambda: formats.standalone_html(
            grid_maps.grid_class_map(image, measure, title, language, with_no_connection=with_no_connection)
        ),
        "rutnatskarta.html",
        "text/html",
        key="sa_dl_grid_map",
    )


def square_text(query: ServiceQuery, page: PageView, result, lat: float, lon: float) -> str:
    """The clicked square's figures, or that there is no populated square there."""
    from .data import kommun_matcher

    squares = _squares(query)
    at = grid_map.square_at(squares, lat, lon)
    if at is None:
        return tr("grid_map_no_square")
    rows = page.service.grid_rows
    row = rows.iloc[at]
    x, y = grid_map.sweref_xy(squares.iloc[[at]])
    values, measure, _ = grid_values(query, page, result)
    labels = grid_map.class_labels(measure, lang())
    klass = int(grid_map.distance_class(values[at : at + 1], measure)[0])
    road = ""
    if result is not None:
        value = values[at]
        unit = "km" if measure == "km" else "min"
        shown = num(value, 1) + f" {unit}" if np.isfinite(value) else t("dclass_no_connection", lang())
        road = tr("grid_map_square_road", value=shown)
    return tr(
        "grid_map_square",
        rutid=grid_map.square_id(float(x[0]), float(y[0])),
        kommun=kommun_matcher().names_by_code.get(row["kommun_kod"], row["kommun_kod"]),
        people=num(int(row["population"])),
        km=num(float(row["distance_km"]), 1),
        second=num(float(row["second_km"]), 1) if np.isfinite(row["second_km"]) else "–",
        road=road,
        klass=labels[klass] if klass < len(labels) else t("dclass_no_connection", lang()),
    )


def show(query: ServiceQuery, page: PageView, key, result, network_name: str = "") -> None:
    """The grid section: the road result over the grid (or its computation), class tables."""
    if query.grid is None or page.service.grid_rows is None:
        return
    road_section(query, key, result)
    class_tables(query, page, result, network_name)


def presentation_view(map_height: int) -> None:
    """The presentation step "gridmap": the national grid map by distance class beside the
    people beyond 3 mil (grid and tätorter), for the shop layer the service page would choose."""
    from ..ui.markdown import md
    from .network_access import network_query
    from .service_query import service_page_view

    query = network_query(None)
    st.title(tr("access_title"))
    if query is None:
        st.info(tr("access_no_layer"))
        return
    page = service_page_view(query)
    _, result = stored_road_result(query)
    side, main = st.columns([1, 3], gap="large")
    with side:
        for figure in page.figures[1:3]:
            st.metric(figure.label, figure.value)
        st.caption(md(query.facilities.title))
    with main, st.container(key="present-view-gridmap"):
        show_grid_map(query, page, result, key="present_map_gridmap", height=map_height, large=True)
