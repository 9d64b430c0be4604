"""The service page's figures and tables, Streamlit side: the key figures (each naming
its population and measure), what was counted and the caveats; the tables per kommun, of
vulnerable shops and per place, each with its CSV download (made when asked for)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..service import query as service_query
from ..service.query import PageView, ServiceQuery
from . import panels
from .cache import data_cache
from .text import lang, tr


# Two tables for each question: the start-up warm-up alone asks 36 (ui/warmup.py).
@data_cache(max_entries=128)
def _table(name: str, query: ServiceQuery, _page: PageView, _names_by_code: dict) -> pd.DataFrame:
    """The table ``name`` (service.query's kommun_table or vulnerable_table) of a page
    view, made once per query, data revision and language instead of on every rerun."""
    return getattr(service_query, name)(_page.service, _names_by_code, lang())


def key_figures(page: PageView) -> None:
    """The key figures per population, the grid's beside the places', and their captions."""
    for column, figure in zip(st.columns(len(page.figures)), page.figures):
        column.metric(figure.label, figure.value)
    for line in page.counts:
        st.caption(line)
    for caveat in page.caveats:
        st.caption(caveat)
    st.caption(page.distance_label)


def kommun_table(page: PageView, names_by_code: dict) -> None:
    st.subheader(tr("access_kommun_table"))
    view, query = page.service, page.query
    shown = _table("kommun_table", query, page, names_by_code)
    if view.grid is not None:
        st.caption(
            tr("access_grid_gap_reason" if query.grid.id == service_query.EMBEDDED_GRID else "access_grid_gap_note")
        )
    panels.table(shown)
    panels.csv_download(shown, "avstand_per_kommun.csv", key="sa_dl_kommun")


def vulnerable_table(page: PageView, names_by_code: dict) -> None:
    st.subheader(tr("access_vulnerable_table"))
    st.caption(tr("access_vulnerable_caption"))
    shown = _table("vulnerable_table", page.query, page, names_by_code)
    panels.table(shown)
    panels.csv_download(shown, "sarbara_butiker.csv", key="sa_dl_vulnerable")


def origin_table(page: PageView, names_by_code: dict) -> None:
    """Every place with its nearest shop, in an expander whose table (thousands of rows)
    is made only while it is open: opening it runs the page again."""
    box = st.expander(tr("access_origin_table"), key="sa_origin_table_open", on_change="rerun")
    if box.open:
        with box:
            shown = service_query.origin_table(page.service, names_by_code, lang())
            panels.table(shown)
            panels.csv_download(shown, "avstand_per_ort.csv", key="sa_dl_origins")
