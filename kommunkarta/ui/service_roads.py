"""The service page along the roads (issue 12), Streamlit only: the choice of a stored road
network and measure, the cached road computation, the figures and tables beside the straight
line, the service-area layer, and the on-click fetch of the roads of chosen kommuner from
OpenStreetMap (stored only by a logged-in editor)."""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st

from ..i18n import t
from ..outputs.maps import map_text
from ..service import osm, roads
from ..service.query import RoadsRef
from ..service.road_view import MINUTE_PRESETS, RoadView, finite_or_none
from . import panels
from .data import kommun_matcher
from .login import current_editor
from .markdown import md
from .text import lang, num, tr

NO_ROADS = "none"


def controls(threshold_km: float) -> RoadsRef | None:
    """The road network (none: straight line, as without roads) and the measure; in minutes
    the threshold is chosen here, in km it is the page's threshold along the roads."""
    language = lang()
    networks = {i.id: i for i in roads.list_networks()}
    titles = {NO_ROADS: tr("roads_none"), **{i: f"{n.title} ({n.imported_at[:10]})" for i, n in networks.items()}}
    left, middle, right = st.columns(3)
    road_id = left.selectbox(tr("roads_network"), list(titles), format_func=titles.get, key="sa_roads")
    if road_id == NO_ROADS or road_id not in networks:
        return None
    network = networks[road_id]
    measure = middle.radio(
        tr("roads_measure"),
        list(roads.MEASURES),
        format_func=lambda m: t(f"roads_measure_{m}", language),
        horizontal=True,
        key="sa_roads_measure",
    )
    if measure == "km":
        return RoadsRef(network.id, network.imported_at, network.title, "km", float(threshold_km))
    choice = right.radio(
        tr("roads_threshold_minutes"),
        [*list(MINUTE_PRESETS), "own"],
        index=1,
        format_func=lambda p: t(f"roads_preset_{p}", language),
        horizontal=True,
        key="sa_roads_preset",
    )
    minutes = MINUTE_PRESETS.get(choice) or right.slider(
        tr("roads_minutes_free"), 1.0, 120.0, 30.0, 1.0, key="sa_roads_minutes"
    )
    return RoadsRef(network.id, network.imported_at, network.title, "minutes", float(minutes))


@st.cache_resource(show_spinner=False, max_entries=4)
def road_network(road_id: str, imported_at: str) -> roads.RoadNetwork:
    # imported_at is part of the key: a network stored again under the same id is reread.
    return roads.load(road_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def road_access(
    road_id: str,
    road_imported_at: str,
    layer_id: str,
    layer_imported_at: str,
    kinds: tuple[str, ...],
    measure: str,
    _facilities: pd.DataFrame,
) -> roads.RoadAccess:
    """roads.RoadAccess.compute, cached per road network, facility layer (id and version),
    kinds and measure; the facilities themselves are not hashed."""
    return roads.RoadAccess.compute(road_network(road_id, road_imported_at), _facilities, measure)


def _threshold_text(road: RoadView) -> str:
    value = num(road.threshold, 1 if road.threshold % 1 else 0)
    return f"{value} km" if road.measure == "km" else f"{value} min"


def map_layer(road: RoadView | None) -> list[folium.FeatureGroup]:
    """The service area: the roads within the threshold, as one GeoJSON of lines."""
    if road is None or not len(road.area):
        return []
    area = road.area
    lines = [
        [[a, b], [c, d]]
        for a, b, c, d in zip(area["lon_from"], area["lat_from"], area["lon_to"], area["lat_to"], strict=True)
    ]
    group = folium.FeatureGroup(
        name=map_text(f"{t('roads_area_layer', lang(), threshold=_threshold_text(road))} ({road.attribution})"),
        show=True,
    )
    folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiLineString", "coordinates": lines}},
        style_function=lambda _: {"color": "#1a9641", "weight": 2, "opacity": 0.8},
    ).add_to(group)
    return [group]


def show(road: RoadView | None, matcher) -> None:
    """Figures, tables and files along the roads, the straight line beside them."""
    if road is None:
        return
    threshold = _threshold_text(road)
    st.subheader(tr("roads_title"))
    st.caption(tr("roads_attribution", attribution=road.attribution))
    figures = [
        (tr("roads_people_beyond", threshold=threshold), num(road.people_beyond_road)),
        (
            tr("roads_people_beyond_straight", km=num(road.threshold_km, 1 if road.threshold_km % 1 else 0)),
            num(road.people_beyond_straight),
        ),
        (
            tr("roads_places_beyond", threshold=threshold),
            f"{num(road.places_beyond_road)} / {num(len(road.rows))}",
        ),
        (tr("roads_vulnerable", threshold=threshold), num(road.isolated)),
        (tr("roads_no_connection"), num(road.no_connection)),
        (tr("roads_far"), num(road.far_from_road)),
    ]
    for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, value)
    if road.area_segments > len(road.area):
        st.caption(tr("roads_area_drawn", drawn=num(len(road.area)), total=num(road.area_segments)))
    rows = road.rows
    no_road = tr("roads_no_road_text")
    far = tr("roads_far_text")
    shown = pd.DataFrame(
        {
            tr("col_name"): rows["name"] if "name" in rows else rows["origin_id"],
            tr("col_kommun"): rows["kommun_kod"].map(matcher.names_by_code),
            tr("population"): rows["population"],
            tr("col_facility"): rows["facility_name"].where(rows["road_connection"], no_road),
            tr("roads_col_road_km"): finite_or_none(rows["road_km"]),
            tr("roads_col_minutes"): finite_or_none(rows["road_minutes"]),
            tr("roads_col_straight_km"): finite_or_none(rows["straight_km"]),
            tr("roads_col_ratio"): finite_or_none(rows["road_to_straight"], 2),
            tr("roads_col_note"): [
                no_road if not connected else (far if is_far else "")
                for connected, is_far in zip(rows["road_connection"], rows["far_from_road"], strict=True)
            ],
            tr("roads_col_attribution"): road.attribution,
        }
    ).sort_values([tr("roads_col_road_km")], ascending=False, na_position="first")
    with st.expander(tr("roads_origin_table"), expanded=True):
        panels.table(shown)
        panels.csv_download(shown, "avstand_vag_per_ort.csv", key="sa_dl_roads")
    unit = "km" if road.measure == "km" else "minutes"
    vulnerable = road.vulnerable
    vulnerable = vulnerable[vulnerable["isolated"] | (vulnerable["population_lost"] > 0)]
    table = pd.DataFrame(
        {
            tr("col_name"): vulnerable["name"] if "name" in vulnerable else vulnerable["id"],
            tr("col_kommun"): vulnerable["kommun_kod"].map(matcher.names_by_code),
            tr(f"roads_col_next_{unit}"): finite_or_none(vulnerable[f"next_facility_{unit}"]),
            tr("col_places_lost"): vulnerable["places_lost"],
            tr("col_people_lost"): vulnerable["population_lost"],
            tr("roads_col_attribution"): road.attribution,
        }
    )
    st.markdown(f"**{tr('roads_vulnerable_table', threshold=threshold)}**")
    panels.table(table)
    panels.csv_download(table, "sarbara_butiker_vag.csv", key="sa_dl_roads_vulnerable")


def fetch_button(kommuner: tuple[str, ...] = ()) -> None:
    """Fetch the car roads of chosen kommuner (with a 30 km margin) from OpenStreetMap on a
    click, and store them as a road network: only for a logged-in editor."""
    st.divider()
    st.markdown(f"**{tr('roads_fetch_title')}**")
    st.caption(tr("roads_fetch_note"))
    matcher = kommun_matcher()
    chosen = st.multiselect(
        tr("roads_fetch_kommuner"),
        sorted(matcher.names_by_code, key=matcher.names_by_code.get),
        default=[k for k in kommuner if k in matcher.names_by_code],
        format_func=matcher.names_by_code.get,
        key="sa_roads_kommuner",
    )
    editor = current_editor()
    if not editor:
        st.caption(tr("roads_fetch_login"))
    if st.button(tr("roads_fetch_button"), disabled=not (editor and chosen), key="sa_roads_fetch"):
        bar = st.progress(0.0, text="OpenStreetMap …")

        def progress(stage, n, total):
            if stage == "tiles" and total:
                bar.progress(min(n / total, 1.0), text=tr("roads_fetch_tiles", n=n, total=total))
            elif stage == "download":
                bar.progress(min(n / 50e6, 1.0), text=f"{n // 1024:,} kB".replace(",", " "))
            elif total:
                bar.progress(min(n / total, 1.0), text=f"{stage} …")

        try:
            title = "OpenStreetMap " + ", ".join(matcher.names_by_code[k] for k in chosen[:3])
            info = roads.fetch_roads(roads.kommun_bbox(chosen), title, progress=progress)
        except osm.Offline as err:
            st.error(f"{md(err.message(lang()))}\n\n{tr('roads_fetch_offline')}")
        except roads.RoadImportError as err:
            st.error(f"{md(err)}\n\n{tr('roads_fetch_offline')}")
        else:
            st.session_state["sa_roads"] = info.id
            st.success(tr("roads_fetched", title=info.title, km=num(int(info.km))))
        finally:
            bar.empty()
