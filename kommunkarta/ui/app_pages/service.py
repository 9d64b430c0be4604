"""Distance to service: nearest shop from every place, the 3-mil rule, vulnerable shops
and what-if, for the whole country, some kommuner or a network's kommuner."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from kommunkarta import limits, ui
from kommunkarta.format import swedish_decimal, swedish_int, swedish_percent
from kommunkarta.i18n import t
from kommunkarta.outputs import formats, maps
from kommunkarta.service import analysis, osm, stored_layers
from kommunkarta.service.importers import ImportFailed, read_points
from kommunkarta.ui import editor as ed
from kommunkarta.ui import panels
from kommunkarta.ui.markdown import md

GAZETTEER = "gazetteer"
# Labels are made in this run's language, also when a later run decodes the widgets'
# values (Streamlit keeps a select widget's value as its label).
language = ui.lang()
# Who may store and remove layers that every visitor sees: the editor login of the
# edit pages. A visitor's own file is analysed for their session only.
editor = ed.current_editor()

st.title(ui.tr("access_title"))
st.caption(ui.tr("access_caption"))
st.info(ui.tr("access_limits"))


def own_layers() -> dict[str, tuple[stored_layers.LayerInfo, pd.DataFrame]]:
    """This session's layers: read from a visitor's file, never stored."""
    return st.session_state.setdefault("sa_own_layers", {})


def show_problems(problems) -> None:
    if problems:
        st.warning(ui.tr("access_problems", n=len(problems)))
        st.code(report_problems(problems), language=None)


def report_problems(problems) -> str:
    from kommunkarta.loader import capped_problem_lines

    return "\n".join(capped_problem_lines(problems))


def read_upload(upload, kind: str):
    """The uploaded point file as a layer; None (and the reasons shown) if it cannot be read."""
    try:
        return read_points(upload.name, upload.getvalue(), kind=kind.strip())
    except ImportFailed as err:
        st.error(md(report_problems(err.problems)).replace("\n", "  \n"))  # a line each
        return None


def layer_manager(expanded: bool) -> None:
    with st.expander(ui.tr("access_load"), expanded=expanded):
        upload = st.file_uploader(ui.tr("access_file"), type=["csv", "txt", "json", "geojson", "gpkg"], key="sa_upload")
        title = st.text_input(ui.tr("access_title_input"), key="sa_upload_title", max_chars=limits.LAYER_TITLE_CHARS)
        role = st.radio(
            ui.tr("access_role"),
            list(stored_layers.ROLES),
            format_func=lambda r: t(f"access_role_{r}", language),
            horizontal=True,
            key="sa_upload_role",
        )
        kind = st.text_input(ui.tr("access_kind"), key="sa_upload_kind")
        with st.container(horizontal=True):
            use = st.button(ui.tr("access_use_own"), disabled=upload is None, key="sa_upload_use")
            save = st.button(ui.tr("access_save"), disabled=upload is None or not editor, key="sa_upload_save")
        if not editor:
            st.caption(ui.tr("access_save_needs_login"))
        if upload is not None and (use or save):
            name = title.strip() or upload.name
            problem = stored_layers.title_problem(name)
            layer = None if problem else read_upload(upload, kind)
            if problem:
                st.error(md(problem))
            elif layer is not None and save and ed.current_editor():
                info = stored_layers.save(layer, name, role, source=upload.name)
                st.success(
                    ui.tr(
                        "access_saved",
                        points=swedish_int(info.points),
                        title=md(info.title),
                        outside=swedish_int(info.outside_sweden),
                    )
                )
                show_problems(layer.problems)
            elif layer is not None:
                info = stored_layers.session_info(layer, name, role, source=upload.name)
                own_layers()[info.id] = (info, analysis.with_xy(layer.points))
                # Shown after the rerun that lists the new layer among the others.
                st.session_state["sa_own_notice"] = (
                    ui.tr(
                        "access_used_own",
                        points=swedish_int(info.points),
                        title=md(info.title),
                        outside=swedish_int(info.outside_sweden),
                    ),
                    layer.problems,
                )
                if role == "facilities":
                    st.session_state["sa_layer"] = info.id
                st.rerun()
        notice = st.session_state.pop("sa_own_notice", None)
        if notice:
            st.success(notice[0])
            show_problems(notice[1])
        st.divider()
        st.markdown(f"**{ui.tr('access_osm')}**")
        st.caption(ui.tr("access_osm_note"))
        matcher = ui.kommun_matcher()
        kommun = st.selectbox(
            ui.tr("access_osm_kommun"),
            sorted(matcher.names_by_code, key=matcher.names_by_code.get),
            index=None,
            format_func=matcher.names_by_code.get,
            key="sa_osm_kommun",
        )
        if st.button(ui.tr("access_osm_button"), key="sa_osm_fetch"):
            bar = st.progress(0.0, text="OpenStreetMap …")
            try:
                answer = osm.fetch(
                    osm.query_for(kommun), progress=lambda n: bar.progress(min(n / 5e6, 1.0), text=f"{n // 1024} kB")
                )
                layer = read_points(answer)
                name = f"OpenStreetMap {matcher.names_by_code[kommun] if kommun else 'Sverige'}"
                source = f"OpenStreetMap via Overpass ({osm.DEFAULT_ENDPOINT})"
                if ed.current_editor():
                    info = stored_layers.save(layer, name, "facilities", source=source)
                else:
                    info = stored_layers.session_info(layer, name, "facilities", source=source)
                    own_layers()[info.id] = (info, analysis.with_xy(layer.points))
                st.success(
                    ui.tr(
                        "access_saved" if ed.current_editor() else "access_used_own",
                        points=swedish_int(info.points),
                        title=md(info.title),
                        outside=swedish_int(info.outside_sweden),
                    )
                )
            except osm.Offline as err:
                st.error(md(str(err)))
            except ImportFailed as err:
                st.error(md(report_problems(err.problems)).replace("\n", "  \n"))  # a line each
            finally:
                bar.empty()
        stored = stored_layers.list_layers()
        if stored and editor:
            st.divider()
            doomed = st.selectbox(
                ui.tr("access_remove"),
                [i.id for i in stored],
                index=None,
                format_func=lambda i: next(x.title for x in stored if x.id == i),
                key="sa_remove",
            )
            if doomed and st.button(ui.tr("access_remove"), key="sa_remove_button"):
                if ed.current_editor():  # checked again at the moment of writing
                    stored_layers.remove(doomed)
                st.rerun()


def layers_of(role: str) -> list[stored_layers.LayerInfo]:
    return [info for info, _ in own_layers().values() if info.role == role] + stored_layers.list_layers(role)


def layer_points(info: stored_layers.LayerInfo) -> pd.DataFrame:
    own = own_layers()
    return own[info.id][1] if info.id in own else ui.stored_layer(info.id, info.imported_at)


def facility_index(info: stored_layers.LayerInfo, kinds: tuple[str, ...]) -> analysis.Facilities:
    own = own_layers()
    if info.id not in own:
        return ui.facility_index(info.id, info.imported_at, kinds)
    cache = st.session_state.setdefault("sa_own_index", {})
    if (info.id, kinds) not in cache:
        cache.clear()  # one at a time: a session keeps no more than it shows
        cache[(info.id, kinds)] = analysis.Facilities.build(analysis.facilities_of_kinds(own[info.id][1], kinds))
    return cache[(info.id, kinds)]


facility_layers = layers_of("facilities")
if not facility_layers:
    st.warning(ui.tr("access_no_layer"))
    layer_manager(expanded=True)
    st.stop()
layer_manager(expanded=False)

origin_layers = layers_of("origins")
matcher = ui.kommun_matcher()
known = ui.filter_vocabulary()

st.subheader(ui.tr("access_layers"))
left, middle, right = st.columns(3)
by_id = {i.id: i for i in facility_layers}
layer_id = left.selectbox(
    ui.tr("access_facility_layer"),
    list(by_id),
    format_func=lambda i: f"{by_id[i].title} ({swedish_int(by_id[i].points)}; {by_id[i].imported_at[:10]})",
    key="sa_layer",
)
layer = by_id[layer_id]
kinds_available = sorted(layer.kinds)
default_kinds = ["grocery"] if "grocery" in kinds_available else kinds_available
kinds = tuple(
    middle.multiselect(ui.tr("access_kinds"), kinds_available, default=default_kinds, key=f"sa_kinds_{layer_id}")
)
origin_options = [GAZETTEER] + [i.id for i in origin_layers]
origin_titles = {
    GAZETTEER: ui.tr("access_gazetteer"),
    **{i.id: f"{i.title} ({swedish_int(i.points)})" for i in origin_layers},
}
origin_id = right.selectbox(
    ui.tr("access_origin_layer"), origin_options, format_func=origin_titles.get, key="sa_origins"
)

left, middle, right = st.columns(3)
scope_kommuner = left.multiselect(
    ui.tr("access_scope"),
    sorted(matcher.names_by_code, key=matcher.names_by_code.get),
    format_func=matcher.names_by_code.get,
    key="sa_kommuner",
    placeholder=ui.tr("filter_all"),
)
network_id = middle.selectbox(
    ui.tr("access_network"),
    list(known.networks),
    index=None,
    format_func=known.networks.get,
    key="sa_network",
    placeholder="–",
)
presets = dict(analysis.THRESHOLD_PRESETS_KM)
choice = right.radio(
    ui.tr("access_threshold"),
    list(presets) + ["own"],
    index=2,
    key="sa_threshold_choice",
    format_func=lambda p: t(f"access_threshold_{p}", language),
)
threshold = presets.get(choice) or right.slider(
    ui.tr("access_threshold_free"), 1.0, 60.0, 30.0, 0.5, key="sa_threshold"
)
with st.container(horizontal=True):
    use_detour = st.toggle(ui.tr("access_detour"), key="sa_detour_on")
    detour = (
        st.number_input(ui.tr("access_detour_factor"), 1.0, 2.0, 1.3, 0.05, key="sa_detour", disabled=not use_detour)
        if use_detour
        else 1.0
    )
    area_share = st.toggle(ui.tr("access_area_share"), key="sa_area")
distance_label = (
    ui.tr("access_distance_label_road", factor=swedish_decimal(detour, 2))
    if use_detour
    else ui.tr("access_distance_label")
)

scope = ui.access_scope(tuple(scope_kommuner), network_id)
facilities = facility_index(layer, kinds)
origins = (
    ui.gazetteer_origins()
    if origin_id == GAZETTEER
    else layer_points(next(i for i in origin_layers if i.id == origin_id))
)

# What if: hypothetical shops from clicks on the map, and shops to close.
st.subheader(ui.tr("access_whatif"))
with st.container(horizontal=True):
    adding = st.toggle(ui.tr("access_whatif_add"), key="sa_add_mode")
    measuring = st.toggle(ui.tr("access_measure"), key="sa_measure_mode")
added = ui.take_access_click(st.session_state.get("access_map"), adding, measuring)
measured = st.session_state.get("sa_measure", [])
measured_km = analysis.straight_km(*measured) if len(measured) == 2 else None
# Names the facility and origin layers (and their versions) for the cached analyses.
layers_key = (
    layer.id,
    layer.imported_at,
    kinds,
    origin_id,
    next((i.imported_at for i in origin_layers if i.id == origin_id), ""),
)
closable = ui.closable_facilities(layers_key, facilities, origins, scope, threshold, detour)
in_scope = closable
closed = st.multiselect(
    ui.tr("access_whatif_close"),
    list(in_scope["id"]),
    format_func=dict(zip(in_scope["id"], in_scope["name"])).get,
    key="sa_closed",
    placeholder="–",
)
# Everything above the map is drawn on every run, whatever its state: Streamlit knows
# elements by their position, and a map that moves down is remounted (and loses its zoom).
with st.container(horizontal=True, vertical_alignment="center"):
    st.caption(ui.tr("access_whatif_added", n=len(added)))
    st.caption(
        ui.tr("access_measured", km=swedish_decimal(measured_km, 1), mil=swedish_decimal(measured_km / 10, 2))
        if measured_km is not None
        else ui.tr("access_measure_help")
    )
    if st.button(ui.tr("access_whatif_clear"), key="sa_clear", disabled=not added):
        st.session_state["sa_added"] = []
        st.rerun()

result = ui.access_result(
    layers_key, facilities, origins, scope, threshold, detour, tuple(added), tuple(closed), area_share
)

kpi = st.columns(3)
beyond = result.rows["beyond_threshold"]
km_text = swedish_decimal(threshold, 1 if threshold % 1 else 0)
kpi[0].metric(ui.tr("kpi_places_beyond", km=km_text), f"{swedish_int(int(beyond.sum()))} / {swedish_int(len(beyond))}")
kpi[1].metric(ui.tr("kpi_people_beyond", km=km_text), swedish_int(int(result.rows.loc[beyond, "population"].sum())))
kpi[2].metric(ui.tr("kpi_vulnerable", km=km_text), swedish_int(int(result.vulnerable["isolated"].sum())))
st.caption(distance_label)

ring_column, radius_column = st.columns([3, 2])
ring_place = ring_column.selectbox(
    ui.tr("access_ring_place"),
    list(result.rows["origin_id"]),
    index=None,
    format_func=dict(zip(result.rows["origin_id"], result.rows["name"])).get,
    key="sa_ring",
    placeholder="–",
)
ring_km = radius_column.slider(
    ui.tr("access_ring_km"), 1.0, 60.0, float(threshold), 1.0, key="sa_ring_km", disabled=not ring_place
)
rings = ()
if ring_place:
    row = result.rows.set_index("origin_id").loc[ring_place]
    rings = ((row["lat"], row["lon"], ring_km, f"{row['name']}: {swedish_decimal(ring_km, 0)} km"),)

st.caption(ui.tr("access_national_shops") if not scope else ui.tr("access_scope_shops"))
st_folium(
    ui.outline_map(tuple(scope)),
    feature_group_to_add=maps.access_layers(
        result.rows,
        result.facilities_shown,
        threshold,
        result.vulnerable.loc[result.vulnerable["isolated"], "id"],
        pd.DataFrame(added) if added else None,
        rings,
        lang=ui.lang(),
        measure=(
            measured,
            ui.tr("access_measured", km=swedish_decimal(measured_km, 1), mil=swedish_decimal(measured_km / 10, 2)),
        )
        if measured_km is not None
        else ((measured, "") if measured else ()),
    ),
    returned_objects=["last_clicked"],
    key="access_map",
    render=False,
    height=620,
    use_container_width=True,
)

st.subheader(ui.tr("access_kommun_table"))
per_kommun = result.per_kommun.assign(kommun=result.per_kommun["kommun_kod"].map(matcher.names_by_code))
shown = pd.DataFrame(
    {
        ui.tr("col_kommun"): per_kommun["kommun"],
        ui.tr("col_places"): per_kommun["places"],
        ui.tr("col_places_beyond"): per_kommun["places_beyond"],
        ui.tr("col_population_beyond"): per_kommun["population_beyond"],
        ui.tr("col_share_beyond"): per_kommun["population_beyond_share"].map(swedish_percent),
        **(
            {
                ui.tr("col_area_beyond"): per_kommun["area_beyond_share"].map(
                    lambda v: swedish_percent(v) if pd.notna(v) else "–"
                )
            }
            if "area_beyond_share" in per_kommun
            else {}
        ),
        ui.tr("col_median_km"): per_kommun["median_km"].round(1),
        ui.tr("col_max_km"): per_kommun["max_km"].round(1),
    }
).sort_values(ui.tr("col_population_beyond"), ascending=False)
panels.table(shown)
# The files are made when asked for (a callable), not on every rerun.
st.download_button(
    ui.tr("access_download"),
    lambda table=shown: formats.to_csv_bytes(table, excel=True),
    "avstand_per_kommun.csv",
    "text/csv",
    key="sa_dl_kommun",
)

st.subheader(ui.tr("access_vulnerable_table"))
st.caption(ui.tr("access_vulnerable_caption"))
vulnerable = result.vulnerable[result.vulnerable["isolated"] | (result.vulnerable["population_lost"] > 0)]
shown = pd.DataFrame(
    {
        ui.tr("col_name"): vulnerable["name"],
        ui.tr("col_kommun"): vulnerable["kommun_kod"].map(matcher.names_by_code),
        ui.tr("col_next_km"): vulnerable["next_facility_km"].round(1),
        ui.tr("col_places_lost"): vulnerable["places_lost"],
        ui.tr("col_people_lost"): vulnerable["population_lost"],
    }
)
panels.table(shown)
st.download_button(
    ui.tr("access_download"),
    lambda table=shown: formats.to_csv_bytes(table, excel=True),
    "sarbara_butiker.csv",
    "text/csv",
    key="sa_dl_vulnerable",
)

with st.expander(ui.tr("access_origin_table")):
    rows = result.rows
    shown = pd.DataFrame(
        {
            ui.tr("col_name"): rows["name"],
            ui.tr("col_kommun"): rows["kommun_kod"].map(matcher.names_by_code),
            ui.tr("population"): rows["population"],
            ui.tr("col_facility"): rows["facility_name"],
            ui.tr("col_distance"): rows["distance_km"].round(1),
        }
    ).sort_values(ui.tr("col_distance"), ascending=False)
    panels.table(shown)
    st.download_button(
        ui.tr("access_download"),
        lambda table=shown: formats.to_csv_bytes(table, excel=True),
        "avstand_per_ort.csv",
        "text/csv",
        key="sa_dl_origins",
    )
