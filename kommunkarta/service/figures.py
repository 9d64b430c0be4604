"""The figures the field publishes (Tillväxtverket's Pipos, Nordregio): population by
distance class, per kommun, per network, per län and for Sweden, as counts and shares that
add up to the total; the second-nearest facility per square; the grid's total per kommun
beside SCB's kommun population, with the gap.

One tidy table (one row per area, population and class) serves the page, the command line
and the downloads; :func:`labelled` gives it headers and words in Swedish or English.
Every row names its population (the grid, tätorter, a user's file) and its measure
(road km, drive minutes, straight line).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..i18n import t

# Upper edges; a value exactly on an edge belongs to the class below it (a place exactly
# 30 km away is within 3 mil, as the analysis counts it).
KM_EDGES = (2.0, 5.0, 10.0, 20.0, 30.0)
MINUTE_EDGES = (5.0, 10.0, 20.0, 30.0)
LEVELS = ("sweden", "lan", "kommun", "network")
NO_CONNECTION = "no_connection"

# What a distance is: along the roads (km or minutes) or the straight line (km).
BASES = {"road_km": "km", "road_minutes": "minutes", "straight_km": "km", "detour_km": "km"}


def class_labels(measure: str) -> list[str]:
    """Labels of the classes of a measure: 0–2, 2–5 … >30 (km); <5, 5–10 … >30 (minutes)."""
    edges = KM_EDGES if measure == "km" else MINUTE_EDGES
    first = [f"0–{edges[0]:g}"] if measure == "km" else [f"<{edges[0]:g}"]
    middle = [f"{a:g}–{b:g}" for a, b in itertools.pairwise(edges)]
    return first + middle + [f">{edges[-1]:g}"]


def class_of(values: np.ndarray, measure: str) -> np.ndarray:
    """The class index of each value (0 for the first class); len(classes) for infinite
    or missing values (no road connection)."""
    edges = np.asarray(KM_EDGES if measure == "km" else MINUTE_EDGES)
    values = np.asarray(values, dtype=float)
    index = np.searchsorted(edges, values, side="left")
    return np.where(np.isfinite(values), index, len(edges) + 1)


def _areas(
    kommun_kod: np.ndarray, levels: Iterable[str], networks: Mapping[str, tuple[str, Iterable[str]]] | None
) -> list[tuple[str, str, str, np.ndarray]]:
    """(level, area code, area name, row mask) for every area asked for."""
    from .. import geo

    kommuner = pd.DataFrame(geo.kommuner().drop(columns="geometry"))
    kommun_names = dict(zip(kommuner["kommun_kod"], kommuner["kommun"]))
    lan_names = dict(zip(kommuner["lan_kod"], kommuner["lan"]))
    codes = pd.Series(kommun_kod, dtype=str)
    out = []
    for level in levels:
        if level == "sweden":
            out.append(("sweden", "SE", "Sverige", np.ones(len(codes), bool)))
        elif level == "lan":
            lan = codes.str[:2].to_numpy()
            for code in sorted(set(lan)):
                out.append(("lan", code, lan_names.get(code, code), lan == code))
        elif level == "kommun":
            values = codes.to_numpy()
            for code, rows in pd.Series(np.arange(len(values))).groupby(values):
                mask = np.zeros(len(values), bool)
                mask[rows.to_numpy()] = True
                out.append(("kommun", code, kommun_names.get(code, code), mask))
        elif level == "network":
            for network_id, (name, members) in (networks or {}).items():
                out.append(("network", network_id, name, codes.isin(set(members)).to_numpy()))
        else:
            raise ValueError(f"level must be one of {LEVELS}")
    return out


def distance_classes(
    values: np.ndarray,
    population: np.ndarray,
    kommun_kod: np.ndarray,
    measure: str,
    population_title: str,
    basis: str,
    levels: Iterable[str] = LEVELS,
    networks: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    ages: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Population by distance class per area: one row per (area, class) with ``places``
    (origins or squares), ``people`` and ``share`` of the area's people; the shares of an
    area add up to 1 and its people to the area's total. ``basis`` says what the values are
    (``road_km``, ``road_minutes``, ``straight_km`` or ``detour_km``: straight × a detour factor), ``population_title`` whose people
    (e.g. "SCB:s befolkningsrutnät 1 km 2024"). ``networks``: id → (name, member kommun
    codes). ``ages``: name → people of that age group per origin, counted the same way.
    A class "no road connection" is added where a value is infinite."""
    if basis not in BASES or BASES[basis] != measure:
        raise ValueError(f"basis {basis!r} does not measure {measure!r}")
    labels = class_labels(measure)
    index = class_of(values, measure)
    has_unreachable = bool((index == len(labels)).any())
    n_classes = len(labels) + (1 if has_unreachable else 0)
    population = np.asarray(population, dtype=float)
    areas = _areas(np.asarray(kommun_kod), levels, networks)
    if not areas:
        return pd.DataFrame()
    # One row of classes per area, then one frame: a frame per area (hundreds of kommuner)
    # cost far more than the counting.
    people, places = [], []
    groups: dict[str, list[np.ndarray]] = {age: [] for age in ages or {}}
    for _, _, _, mask in areas:
        rows = index[mask]
        people.append(np.bincount(rows, weights=population[mask], minlength=n_classes)[:n_classes])
        places.append(np.bincount(rows, minlength=n_classes)[:n_classes])
        for age, counts in (ages or {}).items():
            counts = np.asarray(counts, dtype=float)
            groups[age].append(np.bincount(rows, weights=counts[mask], minlength=n_classes)[:n_classes])
    people_by_area = np.vstack(people)
    totals = people_by_area.sum(axis=1, keepdims=True)
    frame = pd.DataFrame(
        {
            "level": np.repeat(np.array([a[0] for a in areas], dtype=object), n_classes),
            "area": np.repeat(np.array([a[1] for a in areas], dtype=object), n_classes),
            "area_name": np.repeat(np.array([a[2] for a in areas], dtype=object), n_classes),
            "population_title": population_title,
            "basis": basis,
            "measure": measure,
            "class_order": np.tile(np.arange(n_classes), len(areas)),
            "distance_class": (labels + ([NO_CONNECTION] if has_unreachable else [])) * len(areas),
            "places": np.concatenate(places),
            "people": people_by_area.round().astype(np.int64).ravel(),
            "share": _shares(people_by_area, totals).ravel(),
        }
    )
    for age, counted in groups.items():
        group = np.vstack(counted)
        frame[age] = group.round().astype(np.int64).ravel()
        frame[f"{age}_share"] = _shares(group, group.sum(axis=1, keepdims=True)).ravel()
    return frame


def _shares(counts: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Each row's counts as shares of its total; 0 where the total is 0."""
    return np.divide(counts, totals, out=np.zeros_like(counts, dtype=float), where=totals > 0)


def network_members(dataset) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Network id → (name, the Swedish kommuner taking part) from a loaded dataset."""
    from .. import selection

    table = selection.membership_table(dataset)
    table = table[table["takes_part"] & table["kommun_kod"].fillna("").str.fullmatch(r"\d{4}")]
    return {
        network_id: (str(group["network_name"].iloc[0]), tuple(sorted(set(group["kommun_kod"]))))
        for network_id, group in table.groupby("network_id")
    }


def second_nearest_km(xy: np.ndarray, facilities, detour: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Per point, the straight-line km (× ``detour``) to the nearest and the second-nearest
    facility (analysis.Facilities: points at one site count once each)."""
    dist, _ = facilities.nearest(np.asarray(xy, dtype=float), k=2)
    return dist[:, 0] / 1000 * detour, dist[:, 1] / 1000 * detour


def grid_and_official(squares: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """Per kommun: the grid's people beside SCB's kommun population (``official``:
    kommun_kod, population; data/population.csv), the gap (official - grid) and its share.
    They differ because the grid is another date (31 Dec 2024 against the official year),
    leaves out people without a coordinate, and its squares are assigned to kommuner by the
    square's centre within simplified boundaries: a square near a border can be counted in
    the neighbour (text ``access_grid_gap_reason``)."""
    grid = squares.groupby("kommun_kod")["population"].sum().rename("grid_population")
    table = pd.concat([grid, official.set_index("kommun_kod")["population"].rename("official_population")], axis=1)
    table = table.fillna(0).astype(np.int64)
    table["gap"] = table["official_population"] - table["grid_population"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["gap_share"] = np.where(
            table["official_population"] > 0, table["gap"] / table["official_population"], np.nan
        )
    return table.rename_axis("kommun_kod").reset_index()


_COLUMN_KEYS = {
    "level": "dclass_col_level",
    "area": "dclass_col_area",
    "area_name": "dclass_col_area_name",
    "population_title": "dclass_col_population",
    "basis": "dclass_col_basis",
    "distance_class": "dclass_col_class",
    "places": "dclass_col_places",
    "people": "dclass_col_people",
    "share": "dclass_col_share",
    "population_70": "dclass_col_people_70",
    "population_70_share": "dclass_col_share_70",
}


def labelled(table: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """The class table for people: levels, bases and classes in words, headers in ``lang``;
    ``class_order`` and ``measure`` dropped (the basis names the measure)."""
    out = table.drop(columns=[c for c in ("class_order", "measure") if c in table]).copy()
    if "level" in out and "area_name" in out:
        out.loc[out["level"] == "sweden", "area_name"] = t("dclass_sweden", lang)
    if "level" in out:
        out["level"] = out["level"].map(lambda v: t(f"dclass_level_{v}", lang))
    if "basis" in out:
        out["basis"] = out["basis"].map(lambda v: t(f"dclass_basis_{v}", lang))
    if "distance_class" in out:
        out["distance_class"] = out["distance_class"].replace({NO_CONNECTION: t("dclass_no_connection", lang)})
    return out.rename(columns={c: t(k, lang) for c, k in _COLUMN_KEYS.items() if c in out})
