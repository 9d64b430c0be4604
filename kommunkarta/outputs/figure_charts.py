"""Charts of population development and of Kolada figures (matplotlib): one line per
group (the members, their län, the rest, Sweden), a marker on every year with a value
and a break at every year without one, gap years shaded and named; the source line
under each chart. Every text is plain (static_maps.to_bytes turns mathtext off)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..format import swedish_decimal, swedish_int
from ..i18n import t

COLORS = {"members": "#d55e00", "lan": "#0072b2", "rest": "#999999", "sweden": "#222222"}
STYLES = {"members": "-", "lan": "-", "rest": "--", "sweden": ":"}
WIDTH_IN, HEIGHT_IN, DPI = 10.0, 5.6, 160


def _gaps(ax, years: list[int], present: set[int], lang: str) -> None:
    """Shade each run of years without data, and say so once in the legend."""
    missing = [y for y in years if y not in present]
    first = True
    for y in missing:
        ax.axvspan(y - 0.5, y + 0.5, color="#eeeeee", zorder=0, label=t("fig_no_data", lang) if first else None)
        first = False


def _source(fig, text: str) -> None:
    import textwrap

    lines = textwrap.wrap(text, width=190)[:3]
    fig.text(0.01, 0.012, "\n".join(lines), fontsize=7, color="#444444", va="bottom", linespacing=1.3)


def population_figure(view, measure: str = "index", lang: str = "sv") -> Figure:
    """The population of each group over the years: ``index`` (base year = 100) on one
    axis, or ``people`` (one panel per group, each on its own scale)."""
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    series = view.series
    years = sorted(int(y) for y in series["year"].unique()) if len(series) else []
    present = set(view.years)
    groups = list(dict.fromkeys(series["group"]))
    title = (
        t("fig_chart_index", lang, label=view.query.label, base=view.base_year)
        if measure == "index"
        else t("fig_chart_people", lang, label=view.query.label)
    )
    fig.text(0.01, 0.965, title, fontsize=13, fontweight="bold", va="top")
    if measure == "index":
        ax = fig.add_axes((0.07, 0.12, 0.66, 0.76))
        _gaps(ax, years, present, lang)
        for group in groups:
            rows = series[series["group"] == group]
            ax.plot(
                rows["year"],
                rows["index"],
                STYLES[group],
                color=COLORS[group],
                marker="o",
                markersize=2.5,
                linewidth=1.8 if group == "members" else 1.2,
                label=rows["label"].iloc[0],
            )
        ax.axhline(100, color="#bbbbbb", linewidth=0.8, zorder=0)
        ax.set_ylabel(t("fig_index_axis", lang, base=view.base_year))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        ax.grid(axis="y", color="#eeeeee")
    else:
        n = max(len(groups), 1)
        for i, group in enumerate(groups):
            ax = fig.add_axes((0.07 + i * 0.93 / n, 0.12, 0.93 / n - 0.07, 0.72))
            _gaps(ax, years, present, lang)
            rows = series[series["group"] == group]
            ax.plot(rows["year"], rows["population"], "-", color=COLORS[group], marker="o", markersize=2)
            ax.set_title(rows["label"].iloc[0], fontsize=8.5)
            ax.yaxis.set_major_formatter(lambda v, _: swedish_int(v))
            ax.tick_params(labelsize=7)
    _source(fig, population_source_line(view, lang))
    return fig


def population_source_line(view, lang: str = "sv") -> str:
    """Källa: SCB … with the certainty of the years shown where it is not plain."""
    sources = view.sources
    likely = sources.loc[sources["certainty"] != "stated", "year"]
    note = ""
    if len(likely):
        note = " " + t("fig_population_likely", lang, first=int(likely.min()), last=int(likely.max()))
    gaps = view.gap_years()
    gap_text = " " + t("fig_gaps", lang, years=", ".join(map(str, gaps))) if gaps else ""
    return t("fig_population_source", lang) + note + gap_text


def kolada_figure(view, lang: str = "sv") -> Figure:
    """The figure for each group over the chosen years: the value shown (weighted or
    Kolada's unweighted mean), and Kolada's own value for Sweden where it gives one."""
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    series = view.series
    fig.text(0.01, 0.965, f"{view.kpi.id} {view.kpi.title}"[:110], fontsize=12, fontweight="bold", va="top")
    fig.text(0.01, 0.91, shown_text(view, lang), fontsize=8.5, va="top", color="#333333")
    ax = fig.add_axes((0.07, 0.12, 0.66, 0.72))
    years = list(view.years)
    column = view.shown
    present = {int(y) for y in series.loc[series[column].notna(), "year"]}
    _gaps(ax, years, present, lang)
    for group in dict.fromkeys(series["group"]):
        rows = series[series["group"] == group]
        ax.plot(
            rows["year"],
            rows[column],
            STYLES[group],
            color=COLORS[group],
            marker="o",
            markersize=3,
            linewidth=1.8 if group == "members" else 1.2,
            label=rows["label"].iloc[0],
        )
        if group == "sweden" and rows["kolada"].notna().any():
            ax.plot(rows["year"], rows["kolada"], "x", color=COLORS[group], label=t("fig_sweden_kolada", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.grid(axis="y", color="#eeeeee")
    ax.set_xticks(years if len(years) <= 15 else years[:: max(1, len(years) // 10)])
    _source(fig, view.source_line(lang))
    return fig


def shown_text(view, lang: str = "sv") -> str:
    if view.shown == "weighted":
        return t("fig_shown_weighted", lang)
    return t("fig_shown_mean", lang)


def value_text(value: float) -> str:
    return "–" if value is None or (isinstance(value, float) and np.isnan(value)) else swedish_decimal(value, 1)
