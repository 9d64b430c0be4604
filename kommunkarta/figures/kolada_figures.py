"""Any Kolada figure for a group of kommuner against Sweden, their län and the rest.

Built on the values ``web.kolada.fetch_values`` gives (a ``KpiValues``: kpi, years,
fetched_at, values with municipality, year, gender, value, count). Group values are
given both as Kolada computes its group values, the unweighted mean of the kommuner
that have a value (with how many have one), and, for a figure that is a share,
weighted by each kommun's population; ``shown`` says which the view leads with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import geo
from ..population_series import PopulationSeries

if TYPE_CHECKING:
    from ..web.kolada import Kpi

SWEDEN = "0000"
SHARE = re.compile(r"\bandel\b|\(%\)|%|procent|\bshare\b", re.IGNORECASE)
GENDERS = ("T", "K", "M")


def is_share(kpi: Kpi) -> bool:
    """Whether the figure is a share of the kommun's people (Kolada writes "andel" or
    "(%)" in such titles): then a population-weighted mean means something."""
    return bool(SHARE.search(f"{kpi.title} {kpi.description[:200]}"))


@dataclass(frozen=True)
class KoladaQuery:
    kpi_id: str
    years: tuple[int, ...]
    codes: tuple[str, ...]
    label: str
    gender: str = "T"  # T (total), K, M; a figure with no T rows falls back to the first it has
    with_rest: bool = True


@dataclass(frozen=True)
class KoladaView:
    """``series``: per group and year: ``mean`` (unweighted, Kolada's way), ``count``
    (kommuner with a value), ``kommuner`` (in the group), ``weighted`` (population-
    weighted mean; NaN unless the figure is a share) and, for Sweden, ``kolada`` (the
    value Kolada gives for the whole country, where it has one). ``members``: each
    member's value in ``map_year`` and its rank among all kommuner with a value that
    year (1 = highest). ``kommuner``: every kommun's value in ``map_year`` (the map)."""

    query: KoladaQuery
    kpi: Kpi
    fetched_at: str
    gender: str
    share: bool
    shown: str  # "weighted" or "mean"
    years: tuple[int, ...]
    map_year: int | None
    series: pd.DataFrame
    members: pd.DataFrame
    kommuner: pd.DataFrame
    lan: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return self.map_year is None

    def source_line(self, lang: str = "sv") -> str:
        from ..i18n import t

        years = _years_text(self.years)
        return t("fig_kolada_source", lang, id=self.kpi.id, title=self.kpi.title, years=years, fetched=self.fetched_at)


def _years_text(years: tuple[int, ...]) -> str:
    if not years:
        return "–"
    if list(years) == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def _weights(series: PopulationSeries, years: list[int]) -> pd.DataFrame:
    """Each kommun's population for weighting, per year: the same year's where the series
    has it, else the nearest earlier year's (then the nearest later year's). Weights
    only: no population figure is shown from them."""
    wide = series.wide()
    if wide.empty:
        return wide
    axis = sorted(set(wide.columns) | set(years))
    filled = wide.reindex(columns=axis).ffill(axis=1).bfill(axis=1)
    return filled.reindex(columns=years)


def kolada_view(values, query: KoladaQuery, population: PopulationSeries, lang: str = "sv") -> KoladaView:
    from ..i18n import t

    kom = pd.DataFrame(geo.kommuner().drop(columns="geometry"))
    names = dict(zip(kom["kommun_kod"], kom["kommun"]))
    lan_of = dict(zip(kom["kommun_kod"], kom["lan"]))
    frame = values.values
    in_kommuner = frame.loc[frame["municipality"].isin(set(names)) & frame["value"].notna(), "gender"]
    genders = [g for g in GENDERS if (in_kommuner == g).any()]
    gender = query.gender if query.gender in genders else (genders[0] if genders else query.gender)
    frame = frame[(frame["gender"] == gender) & frame["year"].isin(set(query.years))]
    by_kommun = (
        frame[frame["municipality"].isin(set(names))]
        .pivot_table(index="municipality", columns="year", values="value", aggfunc="first", dropna=False)
        .reindex(index=list(names))
    )
    years = tuple(sorted(int(y) for y in query.years))
    by_kommun = by_kommun.reindex(columns=list(years)).astype(float)
    national = frame[frame["municipality"] == SWEDEN].set_index("year")["value"]
    share = is_share(values.kpi)
    weights = _weights(population, list(years)).reindex(index=list(names), columns=list(years))
    codes = [c for c in query.codes if c in names]
    lan = tuple(sorted({lan_of[c] for c in codes}))
    groups = {
        "members": codes,
        "lan": [c for c in names if lan_of[c] in set(lan)],
        "rest": [c for c in names if c not in set(codes)],
        "sweden": list(names),
    }
    if not query.with_rest:
        groups.pop("rest")
    lan_text = ", ".join(lan) if len(lan) <= 3 else t("fig_lan_n", lang, n=len(lan))
    labels = {
        "members": query.label,
        "lan": t("fig_group_lan", lang, lan=lan_text),
        "rest": t("fig_group_rest", lang),
        "sweden": t("fig_group_sweden", lang),
    }
    rows = []
    for group, members in groups.items():
        part = by_kommun.reindex(members)
        w = weights.reindex(members) if not weights.empty else None
        for year in years:
            v = part[year]
            has = v.notna()
            weighted = np.nan
            if share and w is not None:
                ww = w[year][has]
                if has.any() and ww.notna().all() and ww.sum() > 0:
                    weighted = float((v[has] * ww).sum() / ww.sum())
            rows.append(
                {
                    "group": group,
                    "label": labels[group],
                    "year": year,
                    "mean": float(v[has].mean()) if has.any() else np.nan,
                    "count": int(has.sum()),
                    "kommuner": len(members),
                    "weighted": weighted,
                    "kolada": float(national.get(year, np.nan)) if group == "sweden" else np.nan,
                }
            )
    series = pd.DataFrame(rows, columns=["group", "label", "year", "mean", "count", "kommuner", "weighted", "kolada"])
    with_values = [y for y in years if by_kommun[y].notna().any()]
    map_year = with_values[-1] if with_values else None
    if map_year is not None:
        latest = by_kommun[map_year]
        rank = latest.rank(ascending=False, method="min")
        ranked = int(latest.notna().sum())
    else:
        latest = pd.Series(np.nan, index=by_kommun.index)
        rank = latest
        ranked = 0
    kommuner = pd.DataFrame(
        {
            "kommun_kod": list(names),
            "kommun": [names[c] for c in names],
            "lan": [lan_of[c] for c in names],
            "value": latest.to_numpy(),
            "rank": rank.to_numpy(),
            "member": [c in set(codes) for c in names],
        }
    )
    members = kommuner[kommuner["member"]].assign(of=ranked, year=map_year)
    members = members.sort_values(["rank", "kommun"], na_position="last").reset_index(drop=True)
    return KoladaView(
        query=query,
        kpi=values.kpi,
        fetched_at=values.fetched_at,
        gender=gender,
        share=share,
        shown="weighted" if share else "mean",
        years=years,
        map_year=map_year,
        series=series,
        members=members.drop(columns="member"),
        kommuner=kommuner,
        lan=lan,
    )


def group_table(view: KoladaView) -> pd.DataFrame:
    """Per group and year, plain columns for the CLI and the workbook."""
    return view.series.assign(kpi_id=view.kpi.id, kpi_title=view.kpi.title, gender=view.gender)
