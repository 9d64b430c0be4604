"""Population development of a group of kommuner (a network's Swedish members, a
selection, one kommun) against Sweden, the group's län and the kommuner outside it.

A group's total for a year is known only when every kommun of the group has a value
that year; otherwise the year is a gap (NaN), as are the years the series does not
hold at all (2020, 2022–2024 in the curated data). Nothing is interpolated.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import geo
from ..population_series import PopulationSeries

# The lines of a chart, in drawing order: the group itself, its län, the rest, Sweden.
GROUPS = ("members", "lan", "rest", "sweden")
SOURCE_TEXT = "SCB (BE0101, folkmängd 31 december)"


@dataclass(frozen=True)
class PopulationQuery:
    """What one population view shows: the group's kommun codes, its name, the base
    year of the index (None: the first year the group has), and the two years of the
    change (None: first and last year the group has). ``with_rest``: also the kommuner
    outside the group (a network); a kommun profile compares with its län and Sweden."""

    codes: tuple[str, ...]
    label: str
    base_year: int | None = None
    from_year: int | None = None
    to_year: int | None = None
    with_rest: bool = True
    abroad: int = 0  # members outside Sweden (no Swedish series): counted, not summed


def network_query(table: pd.DataFrame, network_id: str, label: str, **years) -> PopulationQuery:
    """The Swedish kommuner taking part in the network."""
    part = table[(table["network_id"] == network_id) & table["takes_part"]]
    codes = tuple(sorted(set(part.loc[part["country"] == "SE", "kommun_kod"])))
    abroad = part.loc[part["country"] != "SE", "name"].nunique()
    return PopulationQuery(codes, label, abroad=int(abroad), **years)


def selection_query(filtered: pd.DataFrame, label: str, **years) -> PopulationQuery:
    """The Swedish kommuner taking part in any network of a filtered membership table."""
    part = filtered[filtered["takes_part"]]
    codes = tuple(sorted(set(part.loc[part["country"] == "SE", "kommun_kod"])))
    abroad = part.loc[part["country"] != "SE", "name"].nunique()
    return PopulationQuery(codes, label, abroad=int(abroad), **years)


def kommun_query(kommun_kod: str, **years) -> PopulationQuery:
    return PopulationQuery((kommun_kod,), geo.names_by_code()[kommun_kod], with_rest=False, **years)


@dataclass(frozen=True)
class PopulationView:
    """``series``: one row per group and year from the first to the last year of the
    data, gaps included (group, label, year, population — NaN in a gap — and index);
    ``change``: per group, the population in the two years, the change in people and
    per cent; ``members``: the same per kommun of the group; ``sources``: the years
    shown with where they were read and how surely."""

    query: PopulationQuery
    base_year: int | None
    from_year: int | None
    to_year: int | None
    years: tuple[int, ...]  # the years the data holds for the group
    series: pd.DataFrame
    change: pd.DataFrame
    members: pd.DataFrame
    sources: pd.DataFrame
    lan: tuple[str, ...]
    missing: tuple[str, ...]  # kommuner of the group with no value at all

    @property
    def empty(self) -> bool:
        return not self.years or not self.query.codes

    def gap_years(self) -> tuple[int, ...]:
        """Years between the first and the last without a value for the group."""
        members = self.series[self.series["group"] == "members"]
        return tuple(int(y) for y in members.loc[members["population"].isna(), "year"])


@functools.cache
def _kommuner() -> tuple[tuple[str, ...], dict[str, str], dict[str, str]]:
    """Every kommun's code, name and län, read once."""
    kom = geo.kommuner()
    codes = tuple(kom["kommun_kod"])
    return codes, dict(zip(codes, kom["kommun"])), dict(zip(codes, kom["lan"]))


def _total(matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The sum over the kommuner of ``rows`` (a mask) for each year; NaN where any of
    them has no value."""
    part = matrix[rows]
    total = part.sum(axis=0)  # NaN wherever one is NaN: a gap stays a gap
    return total if rows.any() else np.full(matrix.shape[1], np.nan)


def population_view(series: PopulationSeries, query: PopulationQuery, lang: str = "sv") -> PopulationView:
    all_codes, names, lan_of = _kommuner()
    wide = series.wide()
    codes = [c for c in query.codes if c in names]
    have = wide.reindex(codes).notna()
    years_with = tuple(int(y) for y in have.columns[have.any(axis=0)]) if len(codes) else ()
    missing = tuple(names[c] for c in codes if c not in wide.index or not wide.loc[c].notna().any())
    lan = tuple(sorted({lan_of[c] for c in codes}))
    if not years_with:
        return PopulationView(
            query,
            None,
            None,
            None,
            (),
            _empty_series(),
            _empty_change(),
            _empty_members(),
            series.year_sources().iloc[0:0],
            lan,
            missing,
        )
    axis = list(range(min(series.years), max(series.years) + 1))
    matrix = wide.reindex(index=list(all_codes), columns=axis).to_numpy()
    column = {y: i for i, y in enumerate(axis)}
    base = _chosen(query.base_year, years_with, years_with[0])
    start = _chosen(query.from_year, years_with, years_with[0])
    end = _chosen(query.to_year, years_with, years_with[-1])
    chosen = np.isin(np.array(all_codes), codes)
    in_lan = np.array([lan_of[c] in set(lan) for c in all_codes])
    groups = {"members": chosen, "lan": in_lan, "rest": ~chosen, "sweden": np.ones(len(all_codes), bool)}
    if not query.with_rest:
        groups.pop("rest")
    labels = _labels(query, lan, lang)
    totals = {group: _total(matrix, rows) for group, rows in groups.items()}
    frame = pd.DataFrame(
        {
            "group": np.repeat(list(groups), len(axis)),
            "label": np.repeat([labels[g] for g in groups], len(axis)),
            "year": np.tile(axis, len(groups)),
            "population": np.concatenate([totals[g] for g in groups]),
            "index": np.concatenate([totals[g] / totals[g][column[base]] * 100 for g in groups]),
            "kommuner": np.repeat([int(rows.sum()) for rows in groups.values()], len(axis)),
        }
    )
    change = _with_change(
        pd.DataFrame(
            {
                "group": list(groups),
                "label": [labels[g] for g in groups],
                "kommuner": [int(rows.sum()) for rows in groups.values()],
                "from_population": [totals[g][column[start]] for g in groups],
                "to_population": [totals[g][column[end]] for g in groups],
            }
        )
    )
    row_of = {c: i for i, c in enumerate(all_codes)}
    per_member = _with_change(
        pd.DataFrame(
            {
                "kommun_kod": codes,
                "kommun": [names[c] for c in codes],
                "lan": [lan_of[c] for c in codes],
                "from_population": [matrix[row_of[c], column[start]] for c in codes],
                "to_population": [matrix[row_of[c], column[end]] for c in codes],
            }
        )
    ).sort_values("change_pct", ascending=False, na_position="last")
    sources = series.year_sources()
    sources = sources[sources["year"].isin(set(years_with))].reset_index(drop=True)
    return PopulationView(
        query, base, start, end, years_with, frame, change, per_member.reset_index(drop=True), sources, lan, missing
    )


def _chosen(year: int | None, years: tuple[int, ...], default: int) -> int:
    """A chosen year the data holds; otherwise the nearest year it holds (never a gap)."""
    if year is None:
        return default
    return min(years, key=lambda y: (abs(y - year), y))


def _with_change(frame: pd.DataFrame) -> pd.DataFrame:
    change = frame["to_population"] - frame["from_population"]
    return frame.assign(change=change, change_pct=change / frame["from_population"] * 100)


def _labels(query: PopulationQuery, lan: tuple[str, ...], lang: str) -> dict[str, str]:
    from ..i18n import t

    lan_text = ", ".join(lan) if len(lan) <= 3 else t("fig_lan_n", lang, n=len(lan))
    return {
        "members": query.label,
        "lan": t("fig_group_lan", lang, lan=lan_text),
        "rest": t("fig_group_rest", lang),
        "sweden": t("fig_group_sweden", lang),
    }


def _empty_series() -> pd.DataFrame:
    return pd.DataFrame(columns=["group", "label", "year", "population", "index", "kommuner"])


def _empty_change() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["group", "label", "kommuner", "from_population", "to_population", "change", "change_pct"]
    )


def _empty_members() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["kommun_kod", "kommun", "lan", "from_population", "to_population", "change", "change_pct"]
    )


def change_table(view: PopulationView) -> pd.DataFrame:
    """Per group and per member, one row each, with the change: what the CLI and the
    workbook write (plain columns, numbers as numbers)."""
    groups = view.change.assign(kind="group", kommun_kod="")
    members = view.members.assign(kind="member", group="members", label=view.members["kommun"], kommuner=1)
    columns = [
        "kind",
        "group",
        "kommun_kod",
        "label",
        "kommuner",
        "from_population",
        "to_population",
        "change",
        "change_pct",
    ]
    both = pd.concat([groups[columns], members[columns]], ignore_index=True)
    people = {c: both[c].astype(float).round().astype("Int64") for c in ("from_population", "to_population", "change")}
    return both.assign(
        **people, from_year=view.from_year, to_year=view.to_year, change_pct=both["change_pct"].astype(float).round(2)
    )
