"""The service page's question and its answer, without Streamlit.

:class:`ServiceQuery` is everything the page's inputs say (the facility layer and its
version, kinds, origins, grid, scope, threshold, detour, what-if, roads and measure): a
frozen, hashable value that is both the cache key of the page's view and the argument of
:func:`page_view`. :class:`PageView` is what the page renders: the straight-line view
(view.ServiceView), the view along the roads (road_view.RoadView) when roads are chosen,
the shops offered for closing, the key figures with their labels (each naming its
population and measure) and the caveats about the layers actually chosen.

Layers are resolved through a :class:`Sources` (the Streamlit layer passes one with its
caches and the session's own layers); the package never reads a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

import pandas as pd

from ..distances import KM_PER_MIL
from ..format import swedish_decimal, swedish_int, swedish_percent
from ..i18n import t
from . import analysis, road_view, roads
from .importers import CHAIN_FORMAT_NOTE
from .view import Nearest, PeopleBeyond, Population, ServiceView, nearest_distances, service_view

TATORTER, GAZETTEER = "tatorter", "gazetteer"
BUILT_IN_ORIGINS = (TATORTER, GAZETTEER)
# What a facility layer is, for its caveat: OpenStreetMap, the chain-store file, any other file.
OSM, CHAINS, FILE = "osm", "chains", "file"


@dataclass(frozen=True)
class LayerRef:
    """A stored (or a session's own) layer: its id and version, and what it says about itself."""

    id: str
    version: str  # imported_at: a layer stored again under the same id is another version
    title: str = ""
    source: str = ""  # the file or service it came from
    format: str = ""

    @classmethod
    def of(cls, info) -> LayerRef:
        """From a stored_layers.LayerInfo."""
        return cls(info.id, info.imported_at, info.title, info.source, info.format)

    @property
    def provenance(self) -> str:
        """OSM, CHAINS (the chain-store collection) or FILE (anything else a user loaded)."""
        if "openstreetmap" in self.source.lower() or "overpass" in self.format.lower():
            return OSM
        if CHAIN_FORMAT_NOTE.strip("; ") in self.format:
            return CHAINS
        return FILE


@dataclass(frozen=True)
class RoadsRef:
    """A stored road network, the measure (km or minutes) and the threshold in its unit."""

    id: str
    version: str
    title: str
    measure: str
    threshold: float


@dataclass(frozen=True)
class ServiceQuery:
    facilities: LayerRef
    kinds: tuple[str, ...]
    origins: str  # TATORTER, GAZETTEER or a layer id
    origins_layer: LayerRef | None = None  # when origins is a layer
    grid: LayerRef | None = None  # the population grid, or None
    scope: tuple[str, ...] = ()  # kommun codes; empty: all Sweden
    network: str | None = None  # the network the scope includes (its Swedish members)
    threshold_km: float = 30.0
    detour: float = 1.0
    added: tuple[tuple[float, float], ...] = ()  # hypothetical shops (lat, lon)
    closed: tuple[str, ...] = ()  # shops closed in the what-if
    area_share: bool = False
    mines: bool = False
    roads: RoadsRef | None = None  # None: straight line only

    @property
    def layers(self) -> ServiceQuery:
        """The same question without the what-if: what the list of closable shops depends on."""
        return replace(self, added=(), closed=(), area_share=False, mines=False, roads=None)

    @property
    def distances(self) -> ServiceQuery:
        """What view.Nearest depends on: the layers and the what-if's shops, not the
        threshold, the scope or the detour factor."""
        return replace(
            self, scope=(), network=None, threshold_km=0.0, detour=1.0, area_share=False, mines=False, roads=None
        )


EMBEDDED_GRID = "scb-befolkning-1km-2024"  # the embedded grid's id (road_grid.DEFAULT_GRID_ID)


def embedded_grid(lang: str = "sv") -> LayerRef:
    """The embedded national 1 km grid (SCB 2024, CC0) as a layer: the default population."""
    from . import defaults

    title = defaults.GRID_TITLE_EN if lang == "en" else defaults.GRID_TITLE
    source = defaults.GRID_SOURCE_EN if lang == "en" else defaults.GRID_SOURCE
    return LayerRef(EMBEDDED_GRID, defaults.GRID_FILE, title, source, "parquet")


class Sources(Protocol):
    """How layers are read: the Streamlit layer caches them and knows a session's own."""

    def facilities(self, layer: LayerRef, kinds: tuple[str, ...]) -> analysis.Facilities: ...

    def population(self, kind: str, title: str, layer: LayerRef | None) -> Population: ...

    def road_access(self, query: ServiceQuery) -> roads.RoadAccess: ...

    def area_grid(self, scope: tuple[str, ...]) -> pd.DataFrame: ...

    def official_population(self) -> pd.DataFrame: ...

    def mines(self) -> pd.DataFrame: ...


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


@dataclass(frozen=True)
class PageView:
    query: ServiceQuery
    lang: str
    service: ServiceView
    road: road_view.RoadView | None
    closable: pd.DataFrame  # the shops offered for closing (id, name)
    figures: tuple[Figure, ...]  # the key figures, each naming its population and measure
    counts: tuple[str, ...]  # one line per population: what was counted
    caveats: tuple[str, ...]  # about the layers actually chosen
    distance_label: str  # the measure of the straight-line figures
    added: pd.DataFrame | None = field(default=None)  # the hypothetical shops, named


def hypothetical_shops(added: tuple[tuple[float, float], ...], lang: str = "sv") -> pd.DataFrame | None:
    """The what-if's hypothetical shops as facility rows, named in ``lang``."""
    if not added:
        return None
    return pd.DataFrame(
        [
            {
                "id": f"tankt-{n}",
                "name": f"{t('access_added', lang)} {n}",
                "kind": "hypothetical",
                "kommun_kod": "",
                "lat": lat,
                "lon": lon,
            }
            for n, (lat, lon) in enumerate(added, start=1)
        ]
    )


def origin_title(query: ServiceQuery, lang: str = "sv") -> str:
    if query.origins == TATORTER:
        return t("access_tatorter", lang)
    if query.origins == GAZETTEER:
        return t("access_gazetteer", lang)
    return query.origins_layer.title if query.origins_layer else query.origins


def origin_population(query: ServiceQuery, sources: Sources, lang: str = "sv") -> Population:
    if query.origins in BUILT_IN_ORIGINS:
        return sources.population(query.origins, origin_title(query, lang), None)
    return sources.population("layer", origin_title(query, lang), query.origins_layer)


def closable(query: ServiceQuery, sources: Sources, lang: str = "sv", nearest=None) -> pd.DataFrame:
    """The shops offered for closing: those in scope, or nationally those that matter.
    ``nearest``: a callable giving ``nearest_of(query)`` (view.Nearest), when one is
    at hand; asked for only nationally."""
    facilities = sources.facilities(query.facilities, query.kinds)
    if query.scope or nearest is None:
        origins = origin_population(query, sources, lang)
        return analysis.closable(facilities, origins.points, query.scope, query.threshold_km, query.detour)
    known: Nearest = nearest()
    origins = origin_population(query, sources, lang)
    vulnerable = analysis.vulnerable_facilities(
        origins.points, known.facilities, query.threshold_km, query.detour, known.origins, known.next_site_m
    )
    return facilities.points[facilities.points["id"].isin(analysis.facilities_that_matter(vulnerable))]


def nearest_of(query: ServiceQuery, sources: Sources, lang: str = "sv") -> Nearest:
    """view.Nearest of ``query``: the same for every threshold, scope and detour factor
    (cache it on ``query.distances``)."""
    facilities = sources.facilities(query.facilities, query.kinds)
    origins = origin_population(query, sources, lang)
    grid = sources.population("grid", query.grid.title, query.grid) if query.grid is not None else None
    return nearest_distances(facilities, origins, grid, hypothetical_shops(query.added, lang), query.closed)


def page_view(
    query: ServiceQuery, sources: Sources, lang: str = "sv", closable_shops=None, escape=str, nearest=None
) -> PageView:
    """Everything the service page shows for ``query``. ``escape`` makes a layer's title
    (from an upload) safe where the page renders it as Markdown. ``nearest``: the query's
    view.Nearest, when already known (the page caches it for all thresholds)."""
    facilities = sources.facilities(query.facilities, query.kinds)
    origins = origin_population(query, sources, lang)
    grid = sources.population("grid", query.grid.title, query.grid) if query.grid is not None else None
    added = hypothetical_shops(query.added, lang)
    service = service_view(
        facilities,
        origins,
        query.scope,
        query.threshold_km,
        query.detour,
        added=added,
        closed=query.closed,
        area_grid=sources.area_grid(query.scope) if query.area_share else None,
        grid=grid,
        official_population=sources.official_population(),
        mines=sources.mines() if query.mines else None,
        nearest=nearest,
    )
    road = None
    if query.roads is not None:
        points = origins.points
        in_scope = points if not query.scope else points[points["kommun_kod"].isin(query.scope)]
        road = road_view.road_view(
            sources.road_access(query),
            in_scope,
            query.roads.threshold,
            query.threshold_km,
            added=added,
            closed=query.closed,
        )
    if closable_shops is None:
        closable_shops = closable(query, sources, lang)
    return PageView(
        query=query,
        lang=lang,
        service=service,
        road=road,
        closable=closable_shops[["id", "name"]],
        figures=key_figures(query, service, lang, escape),
        counts=count_lines(query, service, lang, escape),
        caveats=caveats(query, service, lang, escape),
        distance_label=distance_label(query, lang),
        added=added,
    )


def km_text(km: float) -> str:
    return swedish_decimal(km, 1 if km % 1 else 0)


def short_population(figure: PeopleBeyond, lang: str = "sv", escape=str) -> str:
    """A population's short name for a label: its kind's name, or a layer's title
    (``escape``d where it becomes Markdown)."""
    if figure.kind in ("grid", TATORTER, GAZETTEER):
        return t(f"access_short_{figure.kind}", lang)
    return escape(figure.title)


def distance_label(query: ServiceQuery, lang: str = "sv") -> str:
    """The measure of the page's straight-line figures."""
    if query.detour != 1.0:
        return t("access_distance_label_road", lang, factor=swedish_decimal(query.detour, 2))
    if query.roads is not None:
        return t("access_measure_straight_beside_roads", lang)
    return t("access_distance_label", lang)


def key_figures(query: ServiceQuery, service: ServiceView, lang: str = "sv", escape=str) -> tuple[Figure, ...]:
    """The key figures: places beyond, people beyond per population (the grid's first),
    people 70+ beyond, isolated shops. With roads chosen, the labels say the figures are
    straight-line (the road figures stand in their own section)."""
    km = km_text(query.threshold_km)
    straight = query.roads is not None
    suffix = " " + t("access_in_straight_line", lang) if straight else ""
    both = service.grid is not None
    figures = [
        Figure(
            t("kpi_places_beyond", lang, km=km) + suffix,
            f"{swedish_int(service.origins.origins_beyond)} / {swedish_int(service.origins.origins)}",
        )
    ]
    for figure in service.figures:
        label = (
            t("kpi_people_beyond_in", lang, km=km, population=short_population(figure, lang, escape))
            if both
            else t("kpi_people_beyond", lang, km=km)
        )
        figures.append(Figure(label + suffix, swedish_int(figure.people_beyond)))
    if service.grid is not None and service.grid.people_70_beyond is not None:
        figures.append(Figure(t("kpi_old_beyond", lang, km=km) + suffix, swedish_int(service.grid.people_70_beyond)))
    figures.append(Figure(t("kpi_vulnerable", lang, km=km) + suffix, swedish_int(service.isolated)))
    return tuple(figures)


def _ours(query: ServiceQuery, figure: PeopleBeyond) -> bool:
    """Whether a population's title is the project's own (not from an upload)."""
    embedded = figure.kind == "grid" and query.grid is not None and query.grid.id == EMBEDDED_GRID
    return figure.kind in BUILT_IN_ORIGINS or embedded


def count_lines(query: ServiceQuery, service: ServiceView, lang: str = "sv", escape=str) -> tuple[str, ...]:
    """One line per population: what it counts and how many of them are beyond."""
    km = km_text(query.threshold_km)
    return tuple(
        t(
            "access_counts",
            lang,
            title=figure.title if _ours(query, figure) else escape(figure.title),
            origins=swedish_int(figure.origins),
            unit=t("access_unit_grid" if figure.kind == "grid" else "access_unit_places", lang),
            people=swedish_int(figure.people),
            beyond=swedish_int(figure.people_beyond),
            share=swedish_percent(figure.share_beyond),
            km=km,
        )
        for figure in service.figures
    )


def caveats(query: ServiceQuery, service: ServiceView, lang: str = "sv", escape=str) -> tuple[str, ...]:
    """What the chosen layers leave out, and only that: the facility layer's completeness
    (OpenStreetMap: unknown; the chain-store file: chains only; a user's file: as
    uploaded), the origins' coverage (tätorter hold about 88 %; a grid counts everyone) and
    the measure (straight line, or along the chosen roads)."""
    lines = []
    provenance = query.facilities.provenance
    if provenance == OSM:
        lines.append(t("access_caveat_osm", lang))
    elif provenance == CHAINS:
        lines.append(t("access_caveat_chains", lang))
    else:
        lines.append(t("access_caveat_file", lang, title=escape(query.facilities.title)))
    if query.origins == TATORTER and service.grid is None:
        lines.append(t("access_tatort_caveat", lang))
    elif query.origins == TATORTER:
        lines.append(t("access_caveat_tatorter_beside", lang))
    elif query.origins == GAZETTEER:
        lines.append(t("access_caveat_gazetteer", lang))
    elif service.grid is None:
        lines.append(t("access_caveat_own_origins", lang, title=escape(origin_title(query, lang))))
    if query.grid is not None and query.grid.id == EMBEDDED_GRID:
        lines.append(t("access_caveat_embedded_grid", lang, source=query.grid.source))
    if query.roads is not None:
        measure = t(f"roads_measure_{query.roads.measure}", lang).lower()
        lines.append(t("access_caveat_roads", lang, title=escape(query.roads.title), measure=measure))
    elif query.detour != 1.0:
        lines.append(t("access_caveat_detour", lang, factor=swedish_decimal(query.detour, 2)))
    else:
        lines.append(t("access_caveat_straight", lang))
    return tuple(lines)


def ring(rows: pd.DataFrame, origin_id, km: float) -> tuple:
    """The ring of ``km`` around one origin of the view's rows, as maps.access_layers draws it."""
    if origin_id is None or origin_id not in set(rows["origin_id"]):
        return ()
    row = rows.set_index("origin_id").loc[origin_id]
    return ((row["lat"], row["lon"], km, f"{row['name']}: {swedish_decimal(km, 0)} km"),)


def measured(points: list, lang: str = "sv") -> tuple[float | None, str]:
    """The straight-line distance between two measured points and its text."""
    if len(points) != 2:
        return None, ""
    km = analysis.straight_km(*points)
    return km, t("access_measured", lang, km=swedish_decimal(km, 1), mil=swedish_decimal(km / KM_PER_MIL, 2))


def _percent_or_dash(value) -> str:
    return swedish_percent(value) if pd.notna(value) else "–"


def counted_in(service: ServiceView, lang: str = "sv") -> str:
    """The origins' population named after a column of people, e.g. " (SCB:s tätorter)"."""
    return f" ({short_population(service.origins, lang)})"


def kommun_table(service: ServiceView, names_by_code: dict, lang: str = "sv") -> pd.DataFrame:
    """Per kommun, in ``lang``: places and people beyond in the origins, and with a grid
    its people beyond, its total beside SCB's kommun population and the gap."""
    per_kommun = service.per_kommun
    origins = counted_in(service, lang)

    def optional(column: str, label_key: str, render=None) -> dict:
        if column not in per_kommun:
            return {}
        values = per_kommun[column]
        return {t(label_key, lang): values.map(render) if render else values}

    table = pd.DataFrame(
        {
            t("col_kommun", lang): per_kommun["kommun_kod"].map(names_by_code),
            t("col_places", lang): per_kommun["places"],
            t("col_places_beyond", lang): per_kommun["places_beyond"],
            t("col_population_beyond", lang) + origins: per_kommun["population_beyond"],
            t("col_share_beyond", lang) + origins: per_kommun["population_beyond_share"].map(_percent_or_dash),
            **optional("grid_population_beyond", "col_grid_beyond"),
            **optional("grid_population_beyond_share", "col_grid_share", _percent_or_dash),
            **optional("grid_population_70_beyond", "col_grid_old"),
            **optional("official_population", "col_official_population"),
            **optional("grid_population", "col_grid_total"),
            **optional("grid_gap", "col_grid_gap"),
            **optional("area_beyond_share", "col_area_beyond", _percent_or_dash),
            t("col_median_km", lang): per_kommun["median_km"].round(1),
            t("col_max_km", lang): per_kommun["max_km"].round(1),
        }
    )
    by = t("col_grid_beyond", lang) if service.grid is not None else t("col_population_beyond", lang) + origins
    return table.sort_values(by, ascending=False)


def vulnerable_table(service: ServiceView, names_by_code: dict, lang: str = "sv") -> pd.DataFrame:
    """The shops that matter: isolated ones and those whose closing leaves someone beyond."""
    vulnerable = service.vulnerable_that_matter
    return pd.DataFrame(
        {
            t("col_name", lang): vulnerable["name"],
            t("col_kommun", lang): vulnerable["kommun_kod"].map(names_by_code),
            t("col_next_km", lang): vulnerable["next_facility_km"].round(1),
            t("col_places_lost", lang): vulnerable["places_lost"],
            t("col_people_lost", lang) + counted_in(service, lang): vulnerable["population_lost"],
            **(
                {t("col_people_lost_grid", lang): vulnerable["population_lost_grid"]}
                if "population_lost_grid" in vulnerable
                else {}
            ),
        }
    )


def origin_table(service: ServiceView, names_by_code: dict, lang: str = "sv") -> pd.DataFrame:
    rows = service.rows
    return pd.DataFrame(
        {
            t("col_name", lang): rows["name"],
            t("col_kommun", lang): rows["kommun_kod"].map(names_by_code),
            t("population", lang): rows["population"],
            t("col_facility", lang): rows["facility_name"],
            t("col_distance", lang): rows["distance_km"].round(1),
        }
    ).sort_values(t("col_distance", lang), ascending=False)


SCOPE_AREA = "urval"  # the chosen kommuner as one area of the class tables


def grid_class_table(
    query: ServiceQuery,
    service: ServiceView,
    lang: str = "sv",
    road=None,
    road_mask=None,
    network_name: str = "",
) -> pd.DataFrame:
    """People by distance class (figures.distance_classes) in the grid and, beside it, in
    the origins (straight line), and along the roads over the grid when a stored result
    (road_grid.GridRoads, ``road_mask`` its squares in scope) is given; nationally for
    Sweden, per län and per kommun, in a scope for the scope (the network or the chosen
    kommuner) and per kommun. Headers and words in ``lang`` (figures.labelled)."""
    from . import figures

    levels: tuple[str, ...]
    if query.scope:
        levels = ("network", "kommun")
        name = network_name or t("access_chosen_kommuner", lang)
        networks = {query.network or SCOPE_AREA: (name, query.scope)}
    else:
        levels, networks = ("sweden", "lan", "kommun"), None
    tables = []
    if service.grid_rows is not None:
        rows = service.grid_rows
        grid_title = query.grid.title if query.grid is not None else ""
        if road is not None:
            tables.append(
                figures.distance_classes(
                    road.value[road_mask] if road_mask is not None else road.value,
                    rows["population"].to_numpy(),
                    rows["kommun_kod"].to_numpy(),
                    road.measure,
                    grid_title,
                    "road_km" if road.measure == "km" else "road_minutes",
                    levels,
                    networks,
                )
            )
        tables.append(
            figures.distance_classes(
                rows["distance_km"].to_numpy(),
                rows["population"].to_numpy(),
                rows["kommun_kod"].to_numpy(),
                "km",
                grid_title,
                "straight_km",
                levels,
                networks,
            )
        )
    origins = service.rows
    tables.append(
        figures.distance_classes(
            origins["distance_km"].to_numpy(),
            origins["population"].to_numpy(),
            origins["kommun_kod"].to_numpy(),
            "km",
            service.origins.title,
            "straight_km",
            levels,
            networks,
        )
    )
    return pd.concat(tables, ignore_index=True)
