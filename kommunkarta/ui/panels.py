"""Rendering helpers shared by pages: a kommun's panel and the memberships table."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from .. import vocab
from ..format import number, percent, period
from ..outputs import formats
from .cache import data_cache
from .data import kommun_detail, kommun_matcher
from .markdown import md
from .page_registry import page
from .sidebar import sync_url
from .styled_table import display_styler
from .text import certainty_text, lang, role_text, tr


def take_map_click(clicked: dict | None) -> bool:
    """Select the kommun the user clicked; True if this is a new click. A click is new
    when its position changed, so a later choice in the list is not overridden by an
    old click."""
    if not clicked:
        return False
    drawing = clicked.get("last_active_drawing") or {}
    code = (drawing.get("properties") or {}).get("kommun_kod")
    where = clicked.get("last_object_clicked")
    click_id = (code, str(where))
    if code and click_id != st.session_state.get("kk_last_click"):
        st.session_state["kk_last_click"] = click_id
        st.session_state["kommun"] = code
        st.session_state.pop("kk_unknown_kommun", None)
        sync_url()
        return True
    return False


def _on_pick() -> None:
    code = st.session_state.get("kommun_select")
    st.session_state["kommun"] = code or None
    st.session_state.pop("kk_unknown_kommun", None)


def kommun_picker() -> str | None:
    """The kommun list, kept in step with the selection from maps and links; shows a
    clear message for an unknown kommun in the link. Returns the chosen code."""
    matcher = kommun_matcher()
    codes = sorted(matcher.names_by_code, key=lambda c: matcher.names_by_code[c])
    st.session_state["kommun_select"] = st.session_state.get("kommun")
    st.selectbox(
        tr("select_kommun"),
        codes,
        index=None,
        format_func=matcher.names_by_code.get,
        key="kommun_select",
        on_change=_on_pick,
        placeholder=tr("select_kommun"),
    )
    unknown = st.session_state.get("kk_unknown_kommun")
    if unknown is not None:
        hint = tr("did_you_mean", names=md(", ".join(unknown.suggestions))) if unknown.suggestions else ""
        st.error(tr("unknown_kommun", value=md(unknown.text), hint=hint))
    code = st.session_state.get("kommun")
    if not code:
        st.info(tr("no_kommun"))
    return code


def kommun_panel() -> None:
    code = kommun_picker()
    if not code:
        return
    detail = kommun_detail(code)
    key = ("kommun_panel", code)
    st.subheader(md(detail.kommun))
    st.caption(
        f"{md(detail.lan)} · {tr('col_fa')} {md(detail.fa_namn)} · {tr('population')} {number(detail.population, 0, lang())} · {number(detail.area_km2, 0, lang())} km²"
    )
    st.markdown(f"**{tr('networks_of_kommun')}**")
    if detail.memberships.empty:
        st.write(tr("none"))
    else:
        memberships_frame(detail.memberships, with_kommun=False, with_note=False, cache_key=key)
    st.markdown(f"**{tr('projects_of_kommun')}**")
    if detail.projects.empty:
        st.write(tr("none"))
    else:
        projects_frame(detail.projects, cache_key=key)
    if not detail.places.empty:
        st.markdown(f"**{tr('places_of_kommun')}**")
        places_frame(detail.places, cache_key=key)
    st.page_link(page("kommun"), label=tr("open_profile"), icon=":material/arrow_forward:")


def shown_table(cache_key: tuple | None, make: Callable[[], pd.DataFrame]) -> pa.Table | pd.DataFrame:
    """``make()``'s frame for st.dataframe. With ``cache_key`` (what the frame is made
    from, e.g. ("network", its id, the table's name)), it is made once per key, data
    revision and language for all sessions, as the Arrow table st.dataframe sends, so
    that a rerun neither makes it nor converts it again; without one, made now."""
    if cache_key is None:
        return make()
    return _arrow_table(cache_key, make)


@data_cache(max_entries=512)
def _arrow_table(cache_key: tuple, _make: Callable[[], pd.DataFrame]) -> pa.Table | pd.DataFrame:
    return as_arrow(_make())


def as_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """``frame`` as an Arrow table; as it is when Arrow cannot type a column (numbers and
    texts mixed in one, after an edit, say): st.dataframe then converts it with its own
    fallback, at every rerun, as before."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return frame


def dataframe(cache_key: tuple | None, make: Callable[[], pd.DataFrame]) -> None:
    """``make()``'s table across the page, without its index, made once per key
    (``shown_table``)."""
    st.dataframe(shown_table(cache_key, make), hide_index=True, width="stretch")


def projects_frame(projects: pd.DataFrame, with_partners: bool = False, cache_key: tuple | None = None) -> None:
    def make() -> pd.DataFrame:
        return pd.DataFrame(
            {
                tr("col_name"): projects["name"],
                tr("col_period"): [period(s, e) for s, e in zip(projects["start"], projects["end"])],
                tr("col_funders"): projects["funders"],
                **({tr("col_partners"): projects["partners"]} if with_partners else {}),
                tr("col_certainty"): projects["certainty"].map(certainty_text),
                tr("col_source"): projects["source"],
            }
        )

    key = None if cache_key is None else (*cache_key, "projects", with_partners)
    dataframe(key, make)


def places_frame(places: pd.DataFrame, cache_key: tuple | None = None) -> None:
    """Places with the precision of their coordinates; none is shown more exact than known."""
    if places.empty:
        return

    def make() -> pd.DataFrame:
        return pd.DataFrame(
            {
                tr("col_name"): places["name"],
                tr("col_kind"): places["kind"].map(lambda k: vocab.label(vocab.PLACE_KINDS, k, lang())),
                tr("col_precision"): places["precision"].map(lambda p: vocab.label(vocab.COORD_PRECISIONS, p, lang())),
                tr("col_coord_source"): places["coord_source"],
                tr("col_source"): places["source"],
                tr("col_note"): places["note"],
            }
        )

    key = None if cache_key is None else (*cache_key, "places")
    dataframe(key, make)


def memberships_frame(
    memberships: pd.DataFrame, with_kommun: bool = True, with_note: bool = True, cache_key: tuple | None = None
) -> None:
    """Memberships with role, period, certainty and source; not-stated rows marked ⚠.
    With ``cache_key`` (what ``memberships`` was made from, e.g. the filters), the table
    is made once per key, data revision and language, for all sessions."""
    key = None if cache_key is None else (*cache_key, "memberships", with_kommun, with_note)
    dataframe(key, lambda: _memberships_table(memberships, with_kommun, with_note))


def _memberships_table(memberships: pd.DataFrame, with_kommun: bool, with_note: bool) -> pd.DataFrame:
    return pd.DataFrame(
        {
            **(
                {tr("col_kommun"): memberships["kommun"], tr("col_country"): memberships["country"]}
                if with_kommun
                else {}
            ),
            tr("col_network"): memberships["network_name"],
            tr("col_role"): memberships["role"].map(role_text),
            tr("col_since"): memberships["since"],
            tr("col_until"): memberships["until"],
            tr("col_certainty"): memberships["certainty"].map(certainty_text),
            tr("col_source"): memberships["source"],
            **({tr("col_note"): memberships["note"]} if with_note else {}),
        }
    )


MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
}


def map_downloads(make, stem: str) -> list[tuple[str, object, str]]:
    """The map as PNG, SVG and offline HTML for ``downloads``: ``make(fmt)`` makes a file."""
    return [(tr(f"download_{fmt}"), lambda fmt=fmt: make(fmt), f"{stem}.{fmt}") for fmt in ("png", "svg", "html")]


def downloads(items: list[tuple[str, object, str]], key: str, per_row: int = 4) -> None:
    """A row of download buttons; each file is made only when its button is clicked
    (``make`` is a callable); a click reruns the page, which then shows a failed export.
    The buttons are put on the page only while their expander is open (``{key}_open``
    in the session): a closed one costs a rerun nothing."""
    failures = st.session_state.setdefault("kk_download_failures", {})
    if failures:
        st.session_state[f"{key}_open"] = True
    with st.expander(
        tr("downloads_title"), icon=":material/download:", key=f"{key}_open", on_change="rerun"
    ) as expander:
        for file_name, message in list(failures.items()):
            st.error(tr("download_failed", file=md(file_name), error=md(message)))
            failures.pop(file_name, None)
        if not expander.open:
            return
        columns = st.columns(min(len(items), per_row))
        for i, (label, make, file_name) in enumerate(items):
            columns[i % len(columns)].download_button(
                label,
                guarded(make, file_name, failures),
                file_name,
                MIME[file_name.rsplit(".", 1)[-1]],
                key=f"{key}_{i}",
                width="stretch",
            )


def guarded(make, file_name: str, failures: dict):
    """``make`` for a download button, which runs it on a thread of its own when the
    button is clicked and drops any error silently: a failure is kept in ``failures``
    (the session's), and the page shows it on its next run."""

    def run():
        try:
            return make()
        except Exception as err:
            logging.getLogger(__name__).exception("export %s failed", file_name)
            failures[file_name] = f"{type(err).__name__}: {err}"
            raise

    return run


def _whole(column: pd.Series) -> bool:
    """Every value present is a whole number."""
    values = column.to_numpy(dtype=float, na_value=np.nan)
    values = values[~np.isnan(values)]
    return bool(np.all(values == np.round(values)))


# The widest image Streamlit sends as it is given (streamlit.elements.lib.image_utils'
# MAXIMUM_CONTENT_WIDTH); a wider one it decodes, scales and encodes again at every rerun.
PAGE_IMAGE_WIDTH = 1460


def image(png: bytes, caption: str | None = None) -> None:
    """A PNG (a chart, the small multiples) across the page's width. Images made for the
    downloads are wider than Streamlit sends: scaled to its width once here, the page
    gets the same picture without Streamlit scaling it again at every rerun."""
    st.image(_page_sized(png), caption=caption, width="stretch")


@st.cache_resource(show_spinner=False, max_entries=64)
def _page_sized(png: bytes) -> bytes:
    import io

    from PIL import Image

    picture = Image.open(io.BytesIO(png))
    if picture.width <= PAGE_IMAGE_WIDTH:
        return png
    height = round(picture.height * PAGE_IMAGE_WIDTH / picture.width)
    out = io.BytesIO()
    picture.resize((PAGE_IMAGE_WIDTH, height), Image.Resampling.LANCZOS).save(out, format="PNG", optimize=False)
    return out.getvalue()


# Up to this many cells a table's numbers get their text in the interface's language.
STYLED_CELLS = 60_000


def csv_download(frame: pd.DataFrame, file_name: str, key: str) -> None:
    """A download button for ``frame`` as a CSV file for spreadsheet programs, in the
    reader's language; the file is made when asked for, not on every rerun."""
    st.download_button(
        tr("access_download"),
        partial(formats.to_csv_bytes, frame, excel=True, lang=lang()),
        file_name,
        "text/csv",
        key=key,
    )


def table(
    frame: pd.DataFrame,
    decimals: dict[str, int] | None = None,
    hide_index: bool = True,
    shares: tuple[str, ...] = (),
) -> None:
    """A sortable table whose numbers read as the interface's language writes them
    ("9 027" and "92,3" in Swedish, "9,027" and "92.3" in English, whatever the
    browser's locale) and still sort as numbers: the cells stay numbers and a pandas
    Styler gives their text, which Streamlit shows for a number column without a format
    of its own. Whole-number columns get no decimals, others one, unless ``decimals``
    (column -> decimals) says otherwise; the columns in ``shares`` hold shares (0.923)
    and read as percentages ("92,3 %", "92.3%")."""
    language = lang()
    numeric = [c for c, d in frame.dtypes.items() if pd.api.types.is_numeric_dtype(d) and d != np.dtype(bool)]
    if frame.size > STYLED_CELLS:
        # A Styler writes every cell's text at every rerun (and pandas caps how many):
        # a table this big shows its numbers in the browser's own format instead.
        st.dataframe(
            frame,
            hide_index=hide_index,
            width="stretch",
            column_config={c: st.column_config.NumberColumn(format="localized") for c in numeric},
        )
        return

    def shown(column):
        if column in shares:
            return lambda value: percent(value, (decimals or {}).get(column, 1), language)

        # Looked at when the texts are made (once per table object and key,
        # ui/styled_table.py), not at every rerun.
        @functools.cache
        def places() -> int:
            if column in (decimals or {}):
                return (decimals or {})[column]
            return 0 if pd.api.types.is_integer_dtype(frame[column]) or _whole(frame[column]) else 1

        return lambda value: number(value, places(), language)

    # (Streamlit shows the index as it is, whatever a Styler would write for it.)
    st.dataframe(
        display_styler(
            frame,
            {c: shown(c) for c in numeric},
            key=(language, tuple(sorted((decimals or {}).items())), tuple(shares)),
        ),
        hide_index=hide_index,
        width="stretch",
        column_config={c: st.column_config.NumberColumn() for c in numeric},
    )
