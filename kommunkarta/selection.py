"""Filters, joins and figures behind the overview: pure functions on a Dataset."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

from . import geo, limits, vocab
from .loader import Dataset

FIRST_YEAR = 1985
LAST_YEAR = dt.date.today().year
# A link may ask for a period up to this many years past LAST_YEAR (planned projects);
# the period slider then reaches as far as the link asks (``period_slider_end``).
YEARS_AHEAD = 10
# Unknown link values named in the warning, and characters of each; the rest are counted.
SHOWN_UNKNOWN = limits.UNKNOWN_VALUES_SHOWN
SHOWN_VALUE_CHARS = 40


def valid_years(value, default: tuple[int, int]) -> tuple[int, int]:
    """``value`` as a period the link check and the slider both accept, else ``default``."""
    try:
        first, last = (int(v) for v in value)
    except (TypeError, ValueError):
        return default
    return (first, last) if FIRST_YEAR <= first <= last <= LAST_YEAR + YEARS_AHEAD else default


def period_slider_end(years: tuple[int, int]) -> int:
    """The period slider's last year: this year, or the period's end when a link asked
    for a later one (up to ``YEARS_AHEAD`` years ahead)."""
    return max(LAST_YEAR, years[1])


def _capped(ignored: list[str]) -> list[str]:
    shown = [v if len(v) <= SHOWN_VALUE_CHARS else v[: SHOWN_VALUE_CHARS - 1] + "…" for v in ignored[:SHOWN_UNKNOWN]]
    rest = len(ignored) - len(shown)
    return shown + ([f"… (+{rest:,})".replace(",", " ")] if rest > 0 else [])


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the view to. Empty tuples mean "all"."""

    lan: tuple[str, ...] = ()  # län codes, "25"
    fa: tuple[str, ...] = ()  # FA region codes, "01"
    networks: tuple[str, ...] = ()  # network ids
    certainty: tuple[str, ...] = ()  # stated / likely / unverified
    years: tuple[int, int] | None = None  # inclusive; None = any period

    def to_query_params(self) -> dict[str, str]:
        """Only what differs from the default, so a plain link stays plain."""
        params = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "years":
                if value:
                    params["years"] = f"{value[0]}-{value[1]}"
            elif value:
                params[f.name] = ",".join(value)
        return params

    @classmethod
    def from_query_params(cls, params: Mapping[str, str], known: Vocabulary) -> tuple[Filters, list[str]]:
        """Read filters from URL parameters; unknown values are dropped and reported."""
        ignored: list[str] = []
        values: dict[str, Any] = {}
        for name, allowed in (
            ("lan", known.lan),
            ("fa", known.fa),
            ("networks", known.networks),
            ("certainty", known.certainty),
        ):
            raw = [v for v in str(params.get(name, "")).split(",") if v]
            values[name] = tuple(v for v in raw if v in allowed)
            ignored += [f"{name}={v}" for v in raw if v not in allowed]
        raw_years = str(params.get("years", ""))
        if raw_years:
            try:
                first, last = (int(y) for y in raw_years.split("-"))
                if not FIRST_YEAR <= first <= last <= LAST_YEAR + YEARS_AHEAD:
                    raise ValueError
                values["years"] = (first, last)
            except ValueError:
                ignored.append(f"years={raw_years}")
        return cls(**values), _capped(ignored)


@dataclass(frozen=True)
class Vocabulary:
    """The values a filter may take, with their display labels."""

    lan: dict[str, str] = field(default_factory=dict)
    fa: dict[str, str] = field(default_factory=dict)
    networks: dict[str, str] = field(default_factory=dict)
    certainty: dict[str, str] = field(default_factory=dict)


def vocabulary(ds: Dataset) -> Vocabulary:
    kom = geo.kommuner()
    lan = kom.drop_duplicates("lan_kod").sort_values("lan_kod")
    fa = kom.drop_duplicates("fa_kod").sort_values("fa_kod")
    return Vocabulary(
        lan=dict(zip(lan["lan_kod"], lan["lan"])),
        fa=dict(zip(fa["fa_kod"], fa["fa_namn"])),
        networks=dict(zip(ds.networks["id"], ds.networks["name"])),
        certainty={k: v[0] for k, v in vocab.CERTAINTIES.items()},
    )


def membership_table(ds: Dataset) -> pd.DataFrame:
    """One row per membership, joined with its network and, for Swedish kommuner,
    with län, FA region and population. An empty ``since``/``until`` is not known (a
    kommun listed in an undated source, say) and stays empty: it is not the network's
    start. ``first_year``/``last_year`` are the bounds a period filter uses: the
    membership's own years, else its network's (a membership cannot lie outside its
    network's period), NaN where neither is known."""
    kom = pd.DataFrame(geo.kommuner().drop(columns="geometry"))
    nets = ds.networks.rename(
        columns={
            "id": "network_id",
            "name": "network_name",
            "source": "network_source",
            "certainty": "network_certainty",
        }
    )
    table = ds.memberships.merge(
        nets[["network_id", "network_name", "kind", "start", "end", "color"]],
        on="network_id",
        how="left",
        validate="many_to_one",
    )
    table = table.merge(kom, on="kommun_kod", how="left")
    table = table.merge(ds.population[["kommun_kod", "population"]], on="kommun_kod", how="left")
    table["kommun"] = table["kommun"].fillna(table["name"])
    table["takes_part"] = table["role"].map(vocab.takes_part)
    since = table["since"].where(table["since"] != "", table["start"])
    until = table["until"].where(table["until"] != "", table["end"])
    table["first_year"] = pd.to_numeric(since.str[:4], errors="coerce")
    table["last_year"] = pd.to_numeric(until.str[:4], errors="coerce")
    return table.drop(columns=["start", "end"])


def apply_filters(table: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Memberships that pass the filters. A period filter keeps memberships whose
    known period overlaps it; an unknown start or end does not exclude a row."""
    mask = pd.Series(True, index=table.index)
    if filters.lan:
        mask &= table["lan_kod"].isin(filters.lan)
    if filters.fa:
        mask &= table["fa_kod"].isin(filters.fa)
    if filters.networks:
        mask &= table["network_id"].isin(filters.networks)
    if filters.certainty:
        mask &= table["certainty"].isin(filters.certainty)
    if filters.years:
        first, last = filters.years
        mask &= ~(table["first_year"] > last) & ~(table["last_year"] < first)
    return table[mask]


def kommun_summary(filtered: pd.DataFrame, ds: Dataset, lang: str = "sv") -> pd.DataFrame:
    """One row per Swedish kommun with at least one filtered membership; roles and
    certainties in the text columns are labelled in ``lang``.

    Gathered in one pass over the rows (a filter change computes it anew for every
    visitor; per-kommun pandas groups cost tens of milliseconds for a few hundred rows)."""
    columns = ["kommun_kod", "kommun", "lan", "fa_namn", "population", "takes_part", "network_id", "network_name"]
    swedish = filtered.loc[filtered["country"] == "SE", [*columns, "role", "certainty", "source"]]
    if swedish.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    # per kommun: its attributes (first row), networks taken part in (ids, names), other
    # relations, not stated, sources
    gathered: dict[str, tuple[tuple, set, set, set, set, set]] = {}
    for code, kommun, lan, fa, population, takes, network_id, name, role, certainty, source in zip(
        *(swedish[c].tolist() for c in [*columns, "role", "certainty", "source"])
    ):
        entry = gathered.get(code)
        if entry is None:
            entry = gathered[code] = ((kommun, lan, fa, population), set(), set(), set(), set(), set())
        _, ids, names, other, not_stated, sources = entry
        if takes:
            ids.add(network_id)
            names.add(name)
        else:
            other.add(f"{name} ({vocab.label(vocab.ROLES, role, lang)})")
        if certainty != "stated":
            not_stated.add(f"{name} ({vocab.label(vocab.CERTAINTIES, certainty, lang)})")
        sources.add(source)
    rows = sorted(
        (
            (
                code,
                *attributes,
                len(ids),
                "; ".join(sorted(names)),
                "; ".join(sorted(other)),
                "; ".join(sorted(not_stated)),
                " | ".join(sorted(sources)),
            )
            for code, (attributes, ids, names, other, not_stated, sources) in gathered.items()
        ),
        key=lambda row: (-row[5], row[1]),  # most networks first, then by name
    )
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    summary["population"] = summary["population"].astype("Int64")
    summary["networks"] = summary["networks"].astype(int)
    return summary


SUMMARY_COLUMNS = [
    "kommun_kod",
    "kommun",
    "lan",
    "fa_namn",
    "population",
    "networks",
    "network_names",
    "other_relations",
    "not_stated",
    "sources",
]


@dataclass(frozen=True)
class KeyFigures:
    kommuner_in_any: int
    kommuner_in_two_or_more: int
    population_covered: int
    population_total: int
    foreign_members: int

    @property
    def population_share(self) -> float:
        return self.population_covered / self.population_total if self.population_total else 0.0


def key_figures(summary: pd.DataFrame, filtered: pd.DataFrame, ds: Dataset) -> KeyFigures:
    taking_part = summary[summary["networks"] > 0]
    foreign = filtered[(filtered["country"] != "SE") & filtered["takes_part"]]
    return KeyFigures(
        kommuner_in_any=len(taking_part),
        kommuner_in_two_or_more=int((taking_part["networks"] >= 2).sum()),
        population_covered=int(taking_part["population"].fillna(0).sum()),
        population_total=int(ds.population["population"].sum()),
        foreign_members=foreign["name"].nunique(),
    )


@dataclass(frozen=True)
class KommunDetail:
    """Everything known about one kommun: attributes, memberships and projects."""

    kommun_kod: str
    kommun: str
    lan: str
    fa_namn: str
    population: int | None
    area_km2: float
    memberships: pd.DataFrame
    projects: pd.DataFrame
    places: pd.DataFrame


def kommun_detail(ds: Dataset, table: pd.DataFrame, kommun_kod: str) -> KommunDetail:
    """Everything known about one kommun: attributes, memberships and projects."""
    kom = geo.kommuner().set_index("kommun_kod")
    if kommun_kod not in kom.index:
        raise KeyError(kommun_kod)
    row = kom.loc[kommun_kod]
    population = ds.population.set_index("kommun_kod")["population"].get(kommun_kod)
    memberships = table[table["kommun_kod"] == kommun_kod]
    projects = ds.projects[ds.projects["kommun_kods"].map(lambda codes: kommun_kod in codes)]
    places = ds.places[ds.places["kommun_kods"].map(lambda codes: kommun_kod in codes)]
    return KommunDetail(
        kommun_kod=kommun_kod,
        kommun=row["kommun"],
        lan=row["lan"],
        fa_namn=row["fa_namn"],
        population=None if population is None else int(population),
        area_km2=float(row["area_km2"]),
        memberships=memberships,
        projects=projects,
        places=places,
    )
