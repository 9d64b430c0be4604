"""How the members are doing (issue 23): the population development and a Kolada
figure on the network page, the kommun profile and the presentation. The pages call
``population_section`` and ``kolada_section``; everything computed lives in
``kommunkarta.figures``, and the views are cached by their frozen query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from .. import figures, population_series
from ..figures.population import PopulationQuery
from ..format import number
from ..i18n import t
from ..outputs import figure_charts, figure_downloads, static_maps
from . import panels
from .cache import data_cache
from .markdown import md
from .text import certainty_text, lang, num, tr

# Searches offered beside the picker, by the network's kind: (the button's text key, a
# Kolada id or a search of Kolada's titles, which are Swedish). Ids only where the issue
# names them.
_GROWTH = (
    ("fig_suggest_population_change", "search", "befolkningsförändring"),
    ("fig_suggest_employment", "search", "förvärvsarbetande"),
    ("fig_suggest_median_income", "search", "medianinkomst"),
    ("fig_suggest_tax_base", "search", "skattekraft"),
)
SUGGESTIONS = {
    "mining": _GROWTH,
    "industry": _GROWTH,
    "rural_service": (("fig_suggest_N07530", "kpi", "N07530"), ("fig_suggest_N07531", "kpi", "N07531")),
}
DEFAULT_YEARS = (2015, 2024)


@st.cache_resource(show_spinner=False, max_entries=2)
def _series(data_dir: str, mtimes: tuple) -> population_series.PopulationSeries:
    return population_series.load(data_dir)


def series() -> population_series.PopulationSeries:
    """The curated series, read once per process (again when its files change)."""
    from .. import paths

    folder = paths.default_data_dir()
    names = (population_series.SERIES_FILE, population_series.SOURCES_FILE)
    mtimes = tuple((folder / n).stat().st_mtime_ns if (folder / n).exists() else 0 for n in names)
    return _series(str(folder), mtimes)


def _per_query(what: str, query: PopulationQuery, language: str, make: Callable, *extra: str):
    """``make(query)``, made once per ``what``, query, language and ``extra`` for all
    sessions. Keyed by the query's repr (every field of the frozen query, exact): a string
    Streamlit hashes at once, where hashing the dataclass cost about a millisecond a call,
    several calls a rerun."""
    return _cached(what, repr(query), language, extra, query, make)


@st.cache_resource(show_spinner=False, max_entries=768)
def _cached(what: str, query_key: str, language: str, extra: tuple, _query: PopulationQuery, _make: Callable):
    return _make(_query)


def population_view(query: PopulationQuery, language: str) -> figures.PopulationView:
    return _per_query("view", query, language, lambda q: figures.population_view(series(), q, language))


def _chart(query: PopulationQuery, measure: str, language: str) -> bytes:
    def make(q: PopulationQuery) -> bytes:
        figure = figure_charts.population_figure(population_view(q, language), measure, language)
        return static_maps.to_bytes(figure, "png")

    return _per_query("chart", query, language, make, measure)


def _members_table(query: PopulationQuery, language: str) -> pd.DataFrame:
    """Each member's change between the two years, as the page's table shows it: one
    object per query and language, so that its texts are made once (ui/styled_table.py)."""

    def make(q: PopulationQuery) -> pd.DataFrame:
        members = population_view(q, language).members
        return pd.DataFrame(
            {
                t("col_kommun", language): members["kommun"],
                t("col_lan", language): members["lan"],
                t("fig_col_from", language): members["from_population"],
                t("fig_col_to", language): members["to_population"],
                t("fig_col_change", language): members["change"],
                t("fig_col_change_pct", language): members["change_pct"].round(1),
            }
        )

    return _per_query("members", query, language, make)


@dataclass(frozen=True)
class ChangeFigure:
    """One group's key figure in the section: its population in the later year and the
    change, as st.metric shows them."""

    label: str
    value: str
    delta: str
    help: str


def _change_figures(query: PopulationQuery, language: str) -> tuple[tuple[ChangeFigure, ...], str]:
    """The key figures of each group and the sources' line, written once per query and
    language."""

    def make(q: PopulationQuery) -> tuple[tuple[ChangeFigure, ...], str]:
        view = population_view(q, language)

        def written(value, decimals: int) -> str:
            return _signed(value, lambda v: number(v, decimals, language))

        shown = tuple(
            ChangeFigure(
                md(row["label"]),
                number(row["to_population"], 0, language),
                f"{written(row['change_pct'], 1)} % ({view.from_year}–{view.to_year})",
                md(
                    t(
                        "fig_change_help",
                        language,
                        change=written(row["change"], 0),
                        start=view.from_year,
                        end=view.to_year,
                    )
                ),
            )
            for row in view.change.to_dict("records")
        )
        return shown, md(figure_charts.population_source_line(view, language))

    return _per_query("change", query, language, make)


def _signed(value, fmt) -> str:
    if value is None or value != value:
        return "–"
    return ("+" if value > 0 else "") + fmt(value)


def chosen_query(query: PopulationQuery, key: str) -> PopulationQuery:
    """``query`` with the years chosen in the section's widgets (their last values)."""
    state = st.session_state
    return replace(
        query,
        base_year=state.get(f"{key}_base", query.base_year),
        from_year=state.get(f"{key}_from", query.from_year),
        to_year=state.get(f"{key}_to", query.to_year),
    )


def population_section(query: PopulationQuery, key: str) -> figures.PopulationView | None:
    """The group's population against its län, the rest and Sweden: chart (index or
    people), change between two years for the group and each member, sources."""
    st.subheader(tr("fig_population_title"))
    first = population_view(query, lang())
    if first.empty:
        st.info(tr("fig_population_none"))
        return None
    years = list(first.years)
    controls = st.columns(4)
    base = controls[0].selectbox(tr("fig_base_year"), years, index=_index(years, 2000), key=f"{key}_base")
    start = controls[1].selectbox(tr("fig_from_year"), years, index=_index(years, 2000), key=f"{key}_from")
    end = controls[2].selectbox(tr("fig_to_year"), years, index=len(years) - 1, key=f"{key}_to")
    measures = {"index": tr("fig_measure_index"), "people": tr("fig_measure_people")}
    measure = controls[3].radio(
        tr("fig_measure"), list(measures), format_func=measures.get, horizontal=True, key=f"{key}_measure"
    )
    chosen = replace(query, base_year=base, from_year=start, to_year=end)
    view = population_view(chosen, lang())
    shown, source_line = _change_figures(chosen, lang())
    for column, figure in zip(st.columns(len(shown)), shown, strict=True):
        column.metric(figure.label, figure.value, delta=figure.delta, delta_color="off", help=figure.help)
    panels.image(_chart(chosen, measure, lang()))
    st.caption(source_line)
    if query.abroad:
        st.caption(tr("fig_abroad_not_counted", n=query.abroad))
    if view.missing:
        st.caption(tr("fig_missing", names=md(", ".join(view.missing))))
    if len(view.members) > 1:
        st.markdown(f"**{tr('fig_members_change', start=view.from_year, end=view.to_year)}**")
        panels.table(_members_table(chosen, lang()))
    # Made only while open (a rerun opens it): closed, it costs a change of year nothing.
    with st.expander(tr("fig_sources_title"), key=f"{key}_sources_open", on_change="rerun") as box:
        if not box.open:
            return view
        note = "note_en" if lang() == "en" else "note"
        sources = view.sources.groupby(["source", "certainty", note], sort=False)["year"].agg(["min", "max"])
        st.dataframe(
            pd.DataFrame(
                {
                    tr("fig_col_years"): [
                        f"{a}–{b}" if a != b else str(a) for a, b in zip(sources["min"], sources["max"])
                    ],
                    tr("col_source"): sources.index.get_level_values(0),
                    tr("col_certainty"): [certainty_text(c) for c in sources.index.get_level_values(1)],
                    tr("col_note"): sources.index.get_level_values(2),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    return view


def _index(years: list[int], wanted: int) -> int:
    return years.index(min(years, key=lambda y: (abs(y - wanted), y)))


# -- Kolada ----------------------------------------------------------------------------


def _kolada():
    """The Kolada client, or None where this build has none."""
    try:
        from ..web import kolada
    except ImportError:
        return None
    return kolada


def _fetch_error():
    try:
        from ..web.client import FetchError
    except ImportError:  # pragma: no cover - no client in this build
        return ()
    return FetchError


@st.cache_resource(show_spinner=False, max_entries=64)
def _kolada_view(_values, fetched_at: str, query: figures.KoladaQuery, language: str) -> figures.KoladaView:
    return figures.kolada_view(_values, query, series(), language)


def kolada_section(codes: tuple[str, ...], label: str, kind: str, key: str, with_rest: bool = True):
    """Pick any Kolada figure (a search of Kolada's titles, only on a click) and show it
    for the group against its län, the rest and Sweden: chart, map, members' values and
    ranks, group values both ways. A failed fetch says what happened and keeps what was
    fetched before. Returns the view shown, or None."""
    st.subheader(tr("fig_kolada_title"))
    st.caption(tr("fig_kolada_intro"))
    kolada = _kolada()
    if kolada is None:
        st.info(tr("fig_kolada_unavailable"))
        return None
    state = st.session_state
    hits_key, values_key, error_key = f"{key}_kolada_hits", f"{key}_kolada_values", f"{key}_kolada_error"
    suggestions = SUGGESTIONS.get(kind, ())
    if suggestions:
        st.caption(tr("fig_kolada_suggestions"))
        columns = st.columns(len(suggestions))
        for i, (column, (text_key, how, what)) in enumerate(zip(columns, suggestions, strict=True)):
            if column.button(tr(text_key), key=f"{key}_kolada_suggest_{i}", width="stretch"):
                _search(kolada, what, hits_key, error_key, by_id=how == "kpi")
    with st.form(key=f"{key}_kolada_form", border=False):
        search = st.columns([3, 1])
        text = search[0].text_input(tr("fig_kolada_search"), key=f"{key}_kolada_text", max_chars=100)
        clicked = search[1].form_submit_button(
            tr("fig_kolada_search_button"), width="stretch", key=f"{key}_kolada_submit"
        )
    if clicked and text.strip():
        _search(kolada, text.strip(), hits_key, error_key)
    if state.get(error_key):
        st.error(state[error_key])
    hits = state.get(hits_key) or []
    if state.get(hits_key) == []:
        st.info(tr("fig_kolada_no_hits"))
    kpi = None
    if hits:
        by_id = {h.id: h for h in hits}
        chosen = st.selectbox(
            tr("fig_kolada_pick"), list(by_id), format_func=lambda i: f"{i} – {by_id[i].title}", key=f"{key}_kolada_kpi"
        )
        kpi = by_id.get(chosen)
    years = st.slider(tr("fig_kolada_years"), 1990, 2025, DEFAULT_YEARS, key=f"{key}_kolada_years")
    year_list = tuple(range(years[0], years[1] + 1))
    if kpi is not None and st.button(
        tr("fig_kolada_fetch", id=kpi.id), icon=":material/download:", key=f"{key}_kolada_fetch", type="primary"
    ):
        try:
            with st.spinner(tr("fig_kolada_fetching")):
                state[values_key] = kolada.fetch_values(kpi.id, year_list)
            state.pop(error_key, None)
        except _fetch_error() as err:
            state[error_key] = tr("fig_kolada_failed", error=md(err.message(lang())))
            st.rerun()
        except ValueError as err:
            state[error_key] = md(str(err))
            st.rerun()
    values = state.get(values_key)
    if values is None and kpi is not None:
        values = kolada.cached_values(kpi.id, year_list)  # never asks the network
    if values is None:
        return None
    query = figures.KoladaQuery(values.kpi.id, tuple(values.years), tuple(codes), label, with_rest=with_rest)
    view = _kolada_view(values, values.fetched_at, query, lang())
    show_kolada(view, key)
    return view


def _search(kolada, text: str, hits_key: str, error_key: str, by_id: bool = False) -> None:
    state = st.session_state
    try:
        with st.spinner(tr("fig_kolada_searching")):
            state[hits_key] = [kolada.kpi(text)] if by_id else kolada.search_kpis(text, limit=50)
        state.pop(error_key, None)
    except _fetch_error() as err:
        state[error_key] = tr("fig_kolada_failed", error=md(err.message(lang())))


@st.cache_resource(show_spinner=False, max_entries=64)
def _kolada_images(_view, view_key: tuple, language: str) -> tuple[bytes, bytes]:
    from ..outputs import figure_maps

    chart = static_maps.to_bytes(figure_charts.kolada_figure(_view, language), "png")
    image = static_maps.to_bytes(figure_maps.kolada_map_figure(_view, language), "png")
    return chart, image


def show_kolada(view: figures.KoladaView, key: str) -> None:
    if view.empty:
        st.warning(tr("fig_kolada_empty", id=md(view.kpi.id), years=md(f"{view.years[0]}–{view.years[-1]}")))
        return
    st.markdown(f"**{md(view.kpi.id)} {md(view.kpi.title)}**")
    if view.gender != "T":
        st.caption(tr("fig_kolada_gender", gender=view.gender))
    st.caption(figure_charts.shown_text(view, lang()))
    chart, image = _kolada_images(view, (view.query, view.fetched_at), lang())
    tabs = st.tabs([tr("fig_tab_chart"), tr("fig_tab_map"), tr("fig_tab_members"), tr("fig_tab_groups")])
    with tabs[0]:
        panels.image(chart)
    with tabs[1]:
        panels.image(image)
    with tabs[2]:
        members = view.members
        panels.table(
            pd.DataFrame(
                {
                    tr("col_kommun"): members["kommun"],
                    tr("col_lan"): members["lan"],
                    tr("fig_col_value") + f" {view.map_year}": members["value"],
                    tr("fig_col_rank"): members["rank"],
                    tr("fig_col_rank_of"): members["of"],
                }
            )
        )
    with tabs[3]:
        series = view.series
        panels.table(
            pd.DataFrame(
                {
                    tr("fig_col_label"): series["label"],
                    tr("fig_col_year"): series["year"],
                    tr("fig_col_mean"): series["mean"].round(2),
                    tr("fig_col_count"): series["count"],
                    tr("fig_col_kommuner"): series["kommuner"],
                    tr("fig_col_weighted"): series["weighted"].round(2),
                    tr("fig_col_kolada_sweden"): series["kolada"],
                }
            )
        )
    st.caption(md(view.source_line(lang())))


def downloads(population, kolada, stem: str, key: str, deck=None) -> None:
    """The figures as a workbook with its sources, the charts as images, and (``deck``: a
    callable of the language making the deck with the figures' slides) a PowerPoint.
    Files are made on a click, on a thread without the session: the language is read
    now."""
    language = lang()

    def chart() -> bytes:
        return static_maps.to_bytes(figure_charts.population_figure(population, "index", language), "png")

    items = [
        (
            tr("fig_download_xlsx"),
            lambda: figure_downloads.figures_workbook(population, kolada, language),
            f"{stem}_folkmangd.xlsx",
        )
    ]
    if population is not None:
        items.append((tr("fig_download_png"), chart, f"{stem}_folkmangd.png"))
    if kolada is not None and not kolada.empty:
        from ..outputs import figure_maps, formats

        def kolada_map(fmt: str) -> bytes:
            if fmt == "html":
                return formats.standalone_html(figure_maps.kolada_map(kolada, language))
            return static_maps.to_bytes(figure_maps.kolada_map_figure(kolada, language), fmt)

        for fmt in ("png", "html"):
            items.append(
                (
                    tr(f"fig_download_kolada_map_{fmt}"),
                    lambda fmt=fmt: kolada_map(fmt),
                    f"{stem}_{kolada.kpi.id}_{kolada.map_year}.{fmt}",
                )
            )
    if deck is not None:
        items.append((tr("download_pptx"), lambda: deck(language), f"{stem}_tal.pptx"))
    panels.downloads(items, key=key)


def slides(population, kolada, language: str) -> list:
    out = []
    if population is not None and not population.empty:
        out.append(figure_downloads.population_slide(population, language))
    if kolada is not None and not kolada.empty:
        out.append(figure_downloads.kolada_slide(kolada, language))
    return out


# -- what the pages call -----------------------------------------------------------------


@data_cache(max_entries=64)
def network_population_query(network_id: str, label: str) -> PopulationQuery:
    """The network's Swedish members taking part, as a population query (once per data
    revision, not at every rerun)."""
    from .data import membership_table

    return figures.network_query(membership_table(), network_id, label)


def network_figures(view) -> None:
    """The network page's section: population development, a Kolada figure, their
    downloads (workbook with sources, chart, a deck with the network's slide and theirs)."""
    from ..outputs import downloads as network_downloads
    from .data import membership_table

    network = view.network
    table = membership_table()
    key = f"fig_{network.id}"
    population = population_section(network_population_query(network.id, network.short_name or network.name), key)
    codes = population.query.codes if population is not None else ()
    kolada = kolada_section(codes, network.short_name or network.name, network.kind, key)
    downloads(
        population,
        kolada,
        network.id,
        key=f"{key}_downloads",
        deck=lambda language: network_downloads.deck_file(
            [view], table, language, slides(population, kolada, language)
        ),
    )


def kommun_figures(kommun_kod: str) -> None:
    """The kommun profile's section: the kommun against its län and Sweden."""
    from .. import figures as fig

    key = f"fig_kommun_{kommun_kod}"
    population = population_section(fig.kommun_query(kommun_kod), key)
    label = population.query.label if population is not None else kommun_kod
    kolada = kolada_section((kommun_kod,), label, "", key, with_rest=False)
    downloads(population, kolada, kommun_kod, key=f"{key}_downloads")


def present_population(network_id: str, label: str) -> None:
    """The presentation step: the network's population index against its län, the rest
    and Sweden, large, with the change of the members together."""

    view = population_view(replace(network_population_query(network_id, label), base_year=2000), lang())
    if view.empty:
        st.info(tr("fig_population_none"))
        return
    side, main = st.columns([1, 3], gap="large")
    with side:
        st.title(md(label))
        change = view.change.set_index("group")
        for group in change.index:
            row = change.loc[group]
            st.metric(
                md(row["label"]),
                f"{_signed(row['change_pct'], lambda v: num(v, 1))} %",
                help=f"{view.from_year}–{view.to_year}",
            )
        st.caption(f"{view.from_year}–{view.to_year}")
    with main:
        panels.image(_chart(view.query, "index", lang()))
        st.caption(md(figure_charts.population_source_line(view, lang())))


def selection_figures(filtered: pd.DataFrame) -> None:
    """The overview's selection: the kommuner taking part in any network of the filtered
    memberships, against their län, the rest and Sweden; drawn only when asked (a chart
    per filter change would slow every change)."""
    from .. import figures as fig

    if st.toggle(tr("fig_selection_toggle"), key="fig_overview_show"):
        population_section(fig.selection_query(filtered, tr("fig_selection_label")), "fig_overview")
