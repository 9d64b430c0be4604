"""What the service page and the CLI show: one view object per analysis.

The page reads its inputs, calls :func:`service_view` and renders the result; the CLI's
``service-access`` and ``vulnerable-shops`` write its ``rows`` and ``vulnerable``. Every
figure of people beyond the threshold says which population it counts: the origins (SCB's
tätorter, GeoNames places or a stored layer) and, when one is loaded, a population grid,
which counts everyone, side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import analysis

# What a population is: the embedded tätorter, the gazetteer's places, a stored layer of
# places, or a population grid (every populated square).
POPULATION_KINDS = ("tatorter", "gazetteer", "layer", "grid")
GRID_DRAW_CAP = 5_000  # squares beyond the threshold drawn on a map, the most populous first


@dataclass(frozen=True)
class Population:
    """Origins with a population, and what they are."""

    kind: str  # one of POPULATION_KINDS
    title: str  # e.g. "SCB:s tätorter 2020" or a stored layer's title
    points: pd.DataFrame  # id, name, kommun_kod, lat, lon, population [, population_70, x, y]

    @property
    def has_age_groups(self) -> bool:
        return "population_70" in self.points


@dataclass(frozen=True)
class PeopleBeyond:
    """One population's figures: origins (places or squares) and people beyond."""

    kind: str
    title: str
    origins: int
    origins_beyond: int
    people: int
    people_beyond: int
    people_70: int | None = None  # None: the population has no age groups
    people_70_beyond: int | None = None

    @property
    def share_beyond(self) -> float:
        return self.people_beyond / self.people if self.people else 0.0


@dataclass(frozen=True)
class ServiceView:
    threshold_km: float
    detour: float
    origins: PeopleBeyond  # the places drawn on the map
    grid: PeopleBeyond | None  # the population grid, when one is loaded
    rows: pd.DataFrame  # one per origin in scope (analysis.service_access)
    per_kommun: pd.DataFrame  # analysis.kommun_access, with grid columns when a grid is loaded
    vulnerable: pd.DataFrame  # every facility in scope (analysis.vulnerable_facilities) [+ population_lost_grid]
    facilities_shown: pd.DataFrame  # what a map of the scope draws
    mines: pd.DataFrame | None = None  # the mines layer, when asked for
    # The grid's squares beyond the threshold for the map (lat, lon, population,
    # distance_km), the most populous GRID_DRAW_CAP of them; grid.origins_beyond says how many in all.
    grid_beyond: pd.DataFrame | None = None
    # One row per square of the grid in scope (grid_rows): the CLI's default output.
    grid_rows: pd.DataFrame | None = None

    @property
    def figures(self) -> tuple[PeopleBeyond, ...]:
        """The population figures, the grid's first: it counts everyone."""
        return (self.grid, self.origins) if self.grid is not None else (self.origins,)

    @property
    def isolated_ids(self) -> list:
        return list(self.vulnerable.loc[self.vulnerable["isolated"], "id"])

    @property
    def isolated(self) -> int:
        return int(self.vulnerable["isolated"].sum())

    @property
    def vulnerable_that_matter(self) -> pd.DataFrame:
        """Isolated facilities and those whose closing would leave someone beyond."""
        lost = self.vulnerable["population_lost"] > 0
        if "population_lost_grid" in self.vulnerable:
            lost |= self.vulnerable["population_lost_grid"] > 0
        return self.vulnerable[self.vulnerable["isolated"] | lost]


@dataclass(frozen=True)
class Nearest:
    """What the view needs that depends neither on the threshold nor on the scope: the
    nearest and second-nearest facility of every origin and of every grid square
    (``analysis.Facilities.nearest``, k=2: metres in a straight line, and rows) and each
    facility's distance to the next (metres). The detour factor multiplies the metres, so
    one Nearest serves every threshold, scope and factor of a facility layer, what-if,
    origins and grid (the service page caches it on the query without them)."""

    facilities: analysis.Facilities  # the what-if applied
    origins: tuple[np.ndarray, np.ndarray]  # of every origin, in the order of its points
    next_site_m: np.ndarray
    grid: tuple[np.ndarray, np.ndarray] | None = None  # of every square, in the order of its points


def nearest_distances(
    facilities: analysis.Facilities,
    origins: Population,
    grid: Population | None = None,
    added: pd.DataFrame | None = None,
    closed: tuple = (),
) -> Nearest:
    """The threshold-free part of a view (see Nearest), the what-if applied."""
    if (added is not None and len(added)) or closed:
        facilities = analysis.what_if(facilities, added, closed)
    of_origins = facilities.nearest(analysis.with_xy(origins.points)[["x", "y"]].to_numpy(), k=2)
    of_grid = (
        facilities.nearest(analysis.with_xy(grid.points)[["x", "y"]].to_numpy(), k=2) if grid is not None else None
    )
    return Nearest(facilities, of_origins, facilities.next_site_m(), of_grid)


def grid_distances(squares: pd.DataFrame, facilities: analysis.Facilities, detour: float = 1.0) -> np.ndarray:
    """Each square's distance in km to its nearest facility (straight line × ``detour``):
    numbers only, since a grid has hundreds of thousands of squares and needs no names."""
    xy = analysis.with_xy(squares)[["x", "y"]].to_numpy()
    dist, _ = facilities.nearest(xy, k=1)
    return dist[:, 0] / 1000 * detour


def people_beyond(population: Population, points: pd.DataFrame, beyond: np.ndarray) -> PeopleBeyond:
    """The figures of ``points`` (in scope), ``beyond`` saying which lie beyond."""
    beyond = np.asarray(beyond, dtype=bool)
    people = points["population"].to_numpy()
    old = points["population_70"].to_numpy() if "population_70" in points else None
    return PeopleBeyond(
        kind=population.kind,
        title=population.title,
        origins=len(points),
        origins_beyond=int(beyond.sum()),
        people=int(people.sum()),
        people_beyond=int(people[beyond].sum()),
        people_70=int(old.sum()) if old is not None else None,
        people_70_beyond=int(old[beyond].sum()) if old is not None else None,
    )


def grid_per_kommun(squares: pd.DataFrame, beyond: np.ndarray, official: pd.DataFrame | None) -> pd.DataFrame:
    """Per kommun from the grid: people and people 70+ beyond the threshold, the share
    of the kommun's official population beyond, and the gap between the grid's total and
    the official one (``official``: kommun_kod, population from data/population.csv)."""
    population = squares["population"].to_numpy()
    frame = pd.DataFrame(
        {
            "kommun_kod": squares["kommun_kod"].to_numpy(),
            "grid_population": population,
            "grid_population_beyond": np.where(beyond, population, 0),
        }
    )
    if "population_70" in squares:
        frame["grid_population_70_beyond"] = np.where(beyond, squares["population_70"].to_numpy(), 0)
    table = frame.groupby("kommun_kod").sum()
    if official is not None:
        total = official.set_index("kommun_kod")["population"].reindex(table.index)
        table["official_population"] = total
        table["grid_gap"] = total - table["grid_population"]
        table["grid_population_beyond_share"] = table["grid_population_beyond"] / total.where(total > 0)
    else:
        table["grid_population_beyond_share"] = table["grid_population_beyond"] / table["grid_population"]
    return table.reset_index()


def service_view(
    facilities: analysis.Facilities,
    origins: Population,
    scope: tuple = (),
    threshold_km: float = 30.0,
    detour: float = 1.0,
    added: pd.DataFrame | None = None,
    closed: tuple = (),
    area_grid: pd.DataFrame | None = None,
    grid: Population | None = None,
    official_population: pd.DataFrame | None = None,
    mines: pd.DataFrame | None = None,
    nearest: Nearest | None = None,
) -> ServiceView:
    """The analysis of ``scope`` (kommun codes; empty for all Sweden) with the what-if
    changes applied, counted in ``origins`` and, when given, in the population ``grid``.
    ``nearest``: ``nearest_distances`` of the same facilities, what-if, origins and grid,
    when already known."""
    if nearest is None:
        nearest = nearest_distances(facilities, origins, grid, added, closed)
    facilities = nearest.facilities
    scoped = analysis.analyse(
        facilities,
        origins.points,
        scope,
        threshold_km,
        detour,
        grid=area_grid,
        nearest=nearest.origins,
        next_site_m=nearest.next_site_m,
    )
    in_scope = origins.points if not scope else origins.points[origins.points["kommun_kod"].isin(scope)]
    origin_figures = people_beyond(origins, in_scope, scoped.rows["beyond_threshold"].to_numpy())
    per_kommun, vulnerable, grid_figures, grid_beyond, square_rows = (
        scoped.per_kommun,
        scoped.vulnerable,
        None,
        None,
        None,
    )
    shown = scoped.facilities_shown
    if grid is not None and nearest.grid is not None:
        chosen = grid.points["kommun_kod"].isin(scope).to_numpy() if scope else slice(None)
        squares = grid.points[chosen]
        metres = nearest.grid[0][chosen]
        km, second_km = metres[:, 0] / 1000 * detour, metres[:, 1] / 1000 * detour
        beyond = km > threshold_km
        square_rows = grid_rows(squares, km, second_km, beyond)
        grid_figures = people_beyond(grid, squares, beyond)
        far = squares.loc[beyond, ["lat", "lon", "population"]].assign(distance_km=km[beyond])
        grid_beyond = far.nlargest(GRID_DRAW_CAP, "population")
        per_kommun = per_kommun.merge(
            grid_per_kommun(squares, beyond, official_population), on="kommun_kod", how="outer"
        )
        for column in ("places", "places_beyond", "population", "population_beyond"):
            per_kommun[column] = per_kommun[column].fillna(0).astype(int)
        lost = analysis.vulnerable_facilities(
            grid.points, facilities, threshold_km, detour, nearest.grid, nearest.next_site_m
        )
        vulnerable = vulnerable.assign(
            population_lost_grid=vulnerable["id"].map(lost.set_index("id")["population_lost"]).fillna(0).astype(int)
        )
        if not scope:  # nationally, also the shops that matter to people the places leave out
            matter = set(vulnerable.loc[vulnerable["population_lost_grid"] > 0, "id"])
            points = facilities.points
            shown = points[points["id"].isin(matter) | points["id"].isin(set(shown["id"]))]
    return ServiceView(
        threshold_km=threshold_km,
        detour=detour,
        origins=origin_figures,
        grid=grid_figures,
        rows=scoped.rows,
        per_kommun=per_kommun,
        vulnerable=vulnerable,
        facilities_shown=shown,
        grid_beyond=grid_beyond,
        mines=mines,
        grid_rows=square_rows,
    )


def grid_rows(squares: pd.DataFrame, km: np.ndarray, second_km: np.ndarray, beyond: np.ndarray) -> pd.DataFrame:
    """One row per square: its id (``rutid_scb`` for SCB's grid), population, kommun, the
    straight-line km (× detour) to the nearest and the second-nearest facility, and whether
    it lies beyond the threshold."""
    ids = squares["rutid_scb"] if "rutid_scb" in squares else squares["id"]
    frame = pd.DataFrame(
        {
            "rutid_scb" if "rutid_scb" in squares else "id": ids.to_numpy(),
            "population": squares["population"].to_numpy(),
            "kommun_kod": squares["kommun_kod"].to_numpy(),
            "distance_km": km,
            "second_km": second_km,
            "beyond_threshold": beyond,
        }
    )
    if "population_70" in squares:
        frame.insert(2, "population_70", squares["population_70"].to_numpy())
    return frame
