"""The service page's layer management, Streamlit only: the one-click fetch of every
grocery shop in Sweden that leads an empty page, uploads of shops, places and population
grids, OpenStreetMap per kommun, SCB's population grid, and removing stored layers.

Storing a layer every visitor sees, and removing one, needs the editor login (as the
edit pages); a visitor's file or fetch is kept in their own session only."""

from __future__ import annotations

import streamlit as st

from .. import limits
from ..i18n import t
from ..loader import capped_problem_lines
from ..service import analysis, grid, osm, stored_layers
from ..service.importers import ImportFailed, read_points
from ..web.client import endpoint as web_endpoint
from . import service_roads
from .data import kommun_matcher
from .login import current_editor
from .markdown import md
from .service_state import own_layers
from .text import lang, num, tr

MAX_UPLOAD_MB = 50
UPLOAD_ROLES = ("facilities", "origins", "grid")


def scb_endpoint() -> str:
    return web_endpoint("scb_wfs")


def show_notice() -> None:
    """What a fetch said before the rerun that shows its result."""
    if notice := st.session_state.pop("sa_notice", None):
        st.success(notice)


def choose(info) -> None:
    """Choose a new layer for the analysis below (whose selects are made after this)."""
    key = "sa_layer" if info.role == "facilities" else ("sa_grid" if grid.is_grid(info.kinds) else "sa_origins")
    st.session_state[key] = info.id


def saved_message(info) -> None:
    """Say what was saved, and choose it for the analysis below."""
    choose(info)
    st.success(
        tr(
            "access_saved",
            points=num(info.points),
            title=md(info.title),
            outside=num(info.outside_sweden),
        )
    )


def keep(layer, title: str, role: str, source: str) -> stored_layers.LayerInfo:
    """Store the layer for everyone when an editor is logged in (checked at the moment
    of writing); otherwise keep it in this session only. Raises ValueError for a bad title."""
    if current_editor():
        return stored_layers.save(layer, title, role, source=source)
    info = stored_layers.session_info(layer, title, role, source=source)
    own_layers()[info.id] = (info, analysis.with_xy(layer.points))
    return info


def kept_message(info) -> str:
    """What keeping a layer did: stored, or used in this session only."""
    return tr(
        "access_used_own" if info.id in own_layers() else "access_saved",
        points=num(info.points),
        title=md(info.title),
        outside=num(info.outside_sweden),
    )


def problem_text(problems) -> str:
    """Problems as lines in the session's language, capped per file and field."""
    return "\n".join(capped_problem_lines(problems, lang=lang()))


def show_problems(problems) -> None:
    errors = [p for p in problems if p.level != "notice"]
    for notice in (p for p in problems if p.level == "notice"):
        st.caption(md(notice))
    if errors:
        st.warning(tr("access_problems", n=len(errors)))
        st.code(problem_text(errors), language=None)


def show_import_failure(err: ImportFailed) -> None:
    st.error(md(problem_text(err.problems)).replace("\n", "  \n"))  # a line each


def fetch_national_shops() -> None:
    """The one action of an empty page: every grocery shop in Sweden from OpenStreetMap."""
    st.caption(tr("access_national_note"))
    if st.button(tr("access_national_fetch"), type="primary", key="sa_osm_national"):
        bar = st.progress(0.0, text="OpenStreetMap …")
        try:
            answer = osm.fetch(
                osm.national_query(),
                progress=lambda n: bar.progress(min(n / 30e6, 1.0), text=f"{n // 1024:,} kB".replace(",", " ")),
            )
            layer = read_points(answer)
            date = osm.data_date(answer)
            info = keep(
                layer,
                f"OpenStreetMap Sverige {date}".strip(),
                "facilities",
                source=f"OpenStreetMap ({osm.current_endpoint()})",
            )
        except osm.Offline as err:
            bar.empty()
            st.error(md(err.message(lang())))
        except ImportFailed as err:
            bar.empty()
            show_import_failure(err)
        else:
            choose(info)
            # Said after the rerun that shows the analysis.
            st.session_state["sa_notice"] = tr(
                "access_fetched",
                points=num(info.points),
                date=date or "?",
                outside=num(info.outside_sweden),
            ) + ("" if current_editor() else " " + tr("access_not_stored"))
            st.rerun()


def read_upload(upload, role: str, kind: str):
    limit = grid.MAX_BYTES if role == "grid" else MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        st.error(tr("access_too_big", name=md(upload.name), mb=limit // 2**20))
        return None
    try:
        if role == "grid":
            return grid.read_grid(upload.name, upload.getvalue())
        return read_points(upload.name, upload.getvalue(), kind=kind.strip())
    except ImportFailed as err:
        show_import_failure(err)
        return None


def layer_manager(expanded: bool) -> None:
    # Labels in this run's language, also when a later run decodes the radio's value.
    language = lang()
    with st.expander(tr("access_load"), expanded=expanded):
        upload = st.file_uploader(tr("access_file"), type=["csv", "txt", "json", "geojson", "gpkg"], key="sa_upload")
        title = st.text_input(tr("access_title_input"), key="sa_upload_title", max_chars=limits.LAYER_TITLE_CHARS)
        role = st.radio(
            tr("access_role"),
            list(UPLOAD_ROLES),
            format_func=lambda r: t(f"access_role_{r}", language),
            horizontal=True,
            key="sa_upload_role",
        )
        if role == "grid":
            st.caption(tr("access_grid_cli"))
        kind = st.text_input(tr("access_kind"), key="sa_upload_kind")
        editor = current_editor()
        with st.container(horizontal=True):
            use = st.button(tr("access_use_own"), disabled=upload is None, key="sa_upload_use")
            save = st.button(tr("access_save"), disabled=upload is None or not editor, key="sa_upload_save")
        if not editor:
            st.caption(tr("access_save_needs_login"))
        if upload is not None and (use or save):
            name = title.strip() or upload.name
            stored_role = "origins" if role == "grid" else role
            problem = stored_layers.title_problem(name)
            layer = None if problem else read_upload(upload, role, kind)
            if problem:
                st.error(md(problem))
            elif layer is not None and save and current_editor():  # checked again at the moment of writing
                try:
                    saved_message(stored_layers.save(layer, name, stored_role, source=upload.name))
                    show_problems(layer.problems)
                except stored_layers.SaveFailed as err:
                    show_import_failure(err)
            elif layer is not None:
                info = stored_layers.session_info(layer, name, stored_role, source=upload.name)
                own_layers()[info.id] = (info, analysis.with_xy(layer.points))
                choose(info)
                # Shown after the rerun that lists the new layer among the others.
                st.session_state["sa_own_notice"] = (kept_message(info), layer.problems)
                st.rerun()
        if notice := st.session_state.pop("sa_own_notice", None):
            st.success(notice[0])
            show_problems(notice[1])
        st.divider()
        st.markdown(f"**{tr('access_osm')}**")
        st.caption(tr("access_osm_note"))
        matcher = kommun_matcher()
        kommun = st.selectbox(
            tr("access_osm_kommun"),
            sorted(matcher.names_by_code, key=matcher.names_by_code.get),
            index=None,
            format_func=matcher.names_by_code.get,
            key="sa_osm_kommun",
        )
        if st.button(tr("access_osm_button"), key="sa_osm_fetch"):
            bar = st.progress(0.0, text="OpenStreetMap …")
            try:
                answer = osm.fetch(
                    osm.query_for(kommun), progress=lambda n: bar.progress(min(n / 5e6, 1.0), text=f"{n // 1024} kB")
                )
                layer = read_points(answer)
                name = f"OpenStreetMap {matcher.names_by_code[kommun] if kommun else 'Sverige'}"
                info = keep(layer, name, "facilities", source=f"OpenStreetMap via Overpass ({osm.current_endpoint()})")
                choose(info)
                st.success(kept_message(info))
            except osm.Offline as err:
                st.error(md(err.message(lang())))
            except ImportFailed as err:
                show_import_failure(err)
            finally:
                bar.empty()
        st.divider()
        st.markdown(f"**{tr('access_scb')}**")
        st.caption(tr("access_scb_note"))
        if st.button(tr("access_scb_button"), key="sa_scb_fetch"):
            bar = st.progress(0.0, text="SCB …")
            try:
                answer = grid.fetch_wfs(
                    progress=lambda n, total: bar.progress(
                        min(n / (total or 120_000), 1.0), text=tr("access_scb_progress", n=num(n))
                    ),
                )
                layer = grid.read_grid(answer)
                info = keep(
                    layer,
                    f"SCB befolkning 1 km ({grid.WFS_GRID_LAYER.split('_')[-1]})",
                    "origins",
                    source=f"{grid.SOURCE_NOTE}: {scb_endpoint()} {grid.WFS_GRID_LAYER}",
                )
            except grid.Offline as err:
                st.error(md(err.message(lang())))
            except ImportFailed as err:
                show_import_failure(err)
            else:
                choose(info)
                st.success(kept_message(info))
                show_problems(layer.problems)
            finally:
                bar.empty()
        service_roads.fetch_button(tuple(st.session_state.get("sa_kommuner", ())))
        stored = stored_layers.list_layers()
        if stored and editor:
            st.divider()
            doomed = st.selectbox(
                tr("access_remove"),
                [i.id for i in stored],
                index=None,
                format_func=lambda i: next(x.title for x in stored if x.id == i),
                key="sa_remove",
            )
            if doomed and st.button(tr("access_remove"), key="sa_remove_button"):
                if current_editor():  # checked again at the moment of writing
                    stored_layers.remove(doomed)
                st.rerun()
