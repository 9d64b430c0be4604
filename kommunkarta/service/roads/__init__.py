"""Distance and drive time along the roads: a car road network from an OpenStreetMap extract (or
a GeoPackage of road lines, or Overpass on a click), stored, and the nearest service along it.

One module per job: ``tags`` (which ways a car may use, speeds, direction), ``readers`` (PBF,
GeoPackage and Overpass JSON into flat arrays of ways), ``graph`` (intersections and contracted
edges), ``network`` (a stored network ready for queries), ``storage`` (import, list, load,
remove), ``overpass`` (the query and the fetch) and ``routing`` (snapping, the nearest facility
for every road node, what-if, service area). The names below are the package's API:
``from kommunkarta.service import roads; roads.service_access(...)``.

The straight-line counterpart is ``service.analysis``; the two use the same names for the same
things: ``service_access(origins, <what answers>, threshold…)`` (the rows' ``origin_id``,
``facility_id``, ``facility_name``, ``beyond_threshold``), ``vulnerable_facilities`` (``isolated``,
``places_lost``, ``population_lost``) and ``what_if(access, add=None, close=())``, where
``access`` is what answers the queries (``RoadAccess`` here, ``analysis.Facilities`` there). A
threshold is ``threshold`` in the measure's unit (km or minutes) and ``threshold_km`` when it is
km by straight line; ``straight_km`` is always a straight-line distance to the nearest facility.
"""

from .graph import MAX_EDGE_M, build
from .network import MEASURES, MIN_COMPONENT_M, RoadInfo, RoadNetwork
from .overpass import OVERPASS_HIGHWAYS, OVERPASS_TIMEOUT_S, fetch_roads, kommun_bbox, overpass_query
from .readers import (
    GPKG_CLASS_COLUMNS,
    GPKG_ONEWAY_COLUMNS,
    GPKG_SPEED_COLUMNS,
    MAX_GPKG_FEATURES,
    MAX_NODE_ID,
    MAX_OVERPASS_BYTES,
    Progress,
    RoadImportError,
    Ways,
    read_gpkg,
    read_overpass,
    read_pbf,
)
from .routing import (
    FAR_FROM_ROAD_M,
    SNAP_SPEED_KMH,
    RoadAccess,
    Snapped,
    in_units,
    is_beyond,
    points_xy,
    service_access,
    service_area,
    snap_cost,
    snap_points,
    vulnerable_facilities,
    what_if,
)
from .storage import ATTRIBUTION, folder, import_file, list_networks, load, remove, resolve
from .tags import (
    ACCESS_KEYS,
    CLASS_CODE,
    CLASSES,
    DEFAULT_SPEEDS_KMH,
    FERRY_SPEED_KMH,
    NOT_FOR_CARS,
    ZONE_SPEEDS_KMH,
    classify,
    parse_duration_s,
    parse_maxspeed,
    parse_oneway,
)

__all__ = [
    "ACCESS_KEYS",
    "ATTRIBUTION",
    "CLASSES",
    "CLASS_CODE",
    "DEFAULT_SPEEDS_KMH",
    "FAR_FROM_ROAD_M",
    "FERRY_SPEED_KMH",
    "GPKG_CLASS_COLUMNS",
    "GPKG_ONEWAY_COLUMNS",
    "GPKG_SPEED_COLUMNS",
    "MAX_EDGE_M",
    "MAX_GPKG_FEATURES",
    "MAX_NODE_ID",
    "MAX_OVERPASS_BYTES",
    "MEASURES",
    "MIN_COMPONENT_M",
    "NOT_FOR_CARS",
    "OVERPASS_HIGHWAYS",
    "OVERPASS_TIMEOUT_S",
    "SNAP_SPEED_KMH",
    "ZONE_SPEEDS_KMH",
    "Progress",
    "RoadAccess",
    "RoadImportError",
    "RoadInfo",
    "RoadNetwork",
    "Snapped",
    "Ways",
    "build",
    "classify",
    "fetch_roads",
    "folder",
    "import_file",
    "in_units",
    "is_beyond",
    "kommun_bbox",
    "list_networks",
    "load",
    "overpass_query",
    "parse_duration_s",
    "parse_maxspeed",
    "parse_oneway",
    "points_xy",
    "read_gpkg",
    "read_overpass",
    "read_pbf",
    "remove",
    "resolve",
    "service_access",
    "service_area",
    "snap_cost",
    "snap_points",
    "vulnerable_facilities",
    "what_if",
]
