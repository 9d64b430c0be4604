"""Files of the population and Kolada figures: a workbook with a sheet of sources, the
charts as images, tables for the command line; and the deck's slides of them."""

from __future__ import annotations

import pandas as pd

from ..figures.kolada_figures import group_table
from ..figures.population import change_table
from ..i18n import t
from . import formats

POPULATION_HEADINGS = {
    "kind": "fig_col_kind",
    "group": "fig_col_group",
    "kommun_kod": "col_kommun_kod",
    "label": "fig_col_label",
    "kommuner": "fig_col_kommuner",
    "from_year": "fig_col_from_year",
    "from_population": "fig_col_from",
    "to_year": "fig_col_to_year",
    "to_population": "fig_col_to",
    "change": "fig_col_change",
    "change_pct": "fig_col_change_pct",
}
SERIES_HEADINGS = {
    "label": "fig_col_label",
    "year": "fig_col_year",
    "population": "fig_col_population",
    "index": "fig_col_index",
}
KOLADA_HEADINGS = {
    "kpi_id": "fig_col_kpi",
    "kpi_title": "fig_col_kpi_title",
    "label": "fig_col_label",
    "year": "fig_col_year",
    "gender": "fig_col_gender",
    "mean": "fig_col_mean",
    "count": "fig_col_count",
    "kommuner": "fig_col_kommuner",
    "weighted": "fig_col_weighted",
    "kolada": "fig_col_kolada_sweden",
}
MEMBER_HEADINGS = {
    "kommun_kod": "col_kommun_kod",
    "kommun": "col_kommun",
    "lan": "col_lan",
    "year": "fig_col_year",
    "value": "fig_col_value",
    "rank": "fig_col_rank",
    "of": "fig_col_rank_of",
}


def _headed(frame: pd.DataFrame, headings: dict[str, str], lang: str) -> pd.DataFrame:
    return frame[list(headings)].rename(columns={c: t(k, lang) for c, k in headings.items()})


def population_rows(view, lang: str = "sv") -> pd.DataFrame:
    """One row per group and per member with the change, headed in ``lang``."""
    frame = change_table(view)
    frame = frame.assign(kind=frame["kind"].map(lambda k: t(f"fig_kind_{k}", lang)))
    return _headed(frame, POPULATION_HEADINGS, lang)


def population_sources(view, lang: str = "sv") -> pd.DataFrame:
    sources = view.sources
    return pd.DataFrame(
        {
            t("fig_col_what", lang): [t("fig_population_what", lang, year=y) for y in sources["year"]],
            t("col_source", lang): sources["source"],
            t("col_certainty", lang): sources["certainty"],
            t("col_note", lang): sources["note_en" if lang == "en" else "note"],
        }
    )


def kolada_sources(view, lang: str = "sv") -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("fig_col_what", lang): [f"{view.kpi.id} {view.kpi.title}"],
            t("col_source", lang): [view.source_line(lang)],
            t("col_certainty", lang): [t("fig_kolada_certainty", lang)],
            t("col_note", lang): [t("fig_shown_weighted" if view.shown == "weighted" else "fig_shown_mean", lang)],
        }
    )


def figures_workbook(population=None, kolada=None, lang: str = "sv") -> bytes:
    """The population development (groups, members, every year) and a Kolada figure
    (groups per year, members with rank), with a sheet of sources."""
    sheets: dict[str, pd.DataFrame] = {}
    sources = []
    if population is not None and not population.empty:
        sheets[t("fig_sheet_change", lang)] = population_rows(population, lang)
        sheets[t("fig_sheet_series", lang)] = _headed(population.series, SERIES_HEADINGS, lang)
        sources.append(population_sources(population, lang))
    if kolada is not None and not kolada.empty:
        sheets[t("fig_sheet_kolada", lang)] = _headed(group_table(kolada), KOLADA_HEADINGS, lang)
        sheets[t("fig_sheet_kolada_members", lang)] = _headed(kolada.members, MEMBER_HEADINGS, lang)
        sources.append(kolada_sources(kolada, lang))
    if not sheets:
        raise ValueError(t("fig_nothing_to_export", lang))
    return formats.to_excel_bytes(sheets, pd.concat(sources, ignore_index=True), t("sheet_sources", lang))


def population_slide(view, lang: str = "sv"):
    """A slide for the deck: the index chart and the change, with the source."""
    from ..format import swedish_decimal, swedish_int
    from . import figure_charts, static_maps
    from .deck import FigureSlide

    change = view.change.set_index("group")
    lines = [t("fig_change_between", lang, start=view.from_year, end=view.to_year)]
    for group in change.index:
        row = change.loc[group]
        lines.append(
            f"{row['label']}: {swedish_int(row['to_population'])} ({_signed(row['change'], swedish_int)}, "
            f"{_signed(row['change_pct'], lambda v: swedish_decimal(v, 1))} %)"
        )
    image = static_maps.to_bytes(figure_charts.population_figure(view, "index", lang), "png")
    return FigureSlide(t("fig_slide_population", lang, label=view.query.label), image, tuple(lines))


def kolada_slide(view, lang: str = "sv"):
    from . import figure_charts, static_maps
    from .deck import FigureSlide

    column = view.shown
    latest = view.series[view.series["year"] == view.map_year]
    lines = [f"{view.kpi.id} {view.kpi.title}", f"{view.map_year}:"]
    for row in latest.itertuples():
        lines.append(f"{row.label}: {figure_charts.value_text(getattr(row, column))} ({row.count}/{row.kommuner})")
    lines.append(figure_charts.shown_text(view, lang))
    image = static_maps.to_bytes(figure_charts.kolada_figure(view, lang), "png")
    return FigureSlide(f"{view.kpi.title}"[:90], image, tuple(lines), view.source_line(lang))


def _signed(value, fmt) -> str:
    if value != value:
        return "–"
    return ("+" if value > 0 else "") + fmt(value)
