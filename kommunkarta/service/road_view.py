"""What the service page shows along the roads: one view object built from a stored road
network (service.roads), the facilities and the origins in scope.

Road distance and drive time to the nearest shop for every origin beside the straight line,
people beyond the threshold by road and by straight line, vulnerable shops along the roads,
and the service area (the roads within the threshold) as a bounded set of line segments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import roads

# Road threshold presets in minutes of driving; in km the page's presets apply along the roads.
MINUTE_PRESETS = {"15min": 15.0, "30min": 30.0, "45min": 45.0}
AREA_DRAW_CAP = 20_000  # service-area segments drawn on a map at most


@dataclass(frozen=True)
class RoadView:
    measure: str  # km or minutes
    threshold: float  # in the measure's unit
    threshold_km: float  # the straight-line threshold the comparison counts against (as ServiceView's)
    rows: pd.DataFrame  # roads.service_access per origin in scope
    people: int
    people_beyond_road: int
    people_beyond_straight: int
    places_beyond_road: int
    places_beyond_straight: int
    no_connection: int  # origins no open shop can reach by road
    far_from_road: int  # origins more than roads.FAR_FROM_ROAD_M from a road
    vulnerable: pd.DataFrame  # roads.vulnerable_facilities for the origins in scope
    area: pd.DataFrame  # lon_from, lat_from, lon_to, lat_to of the roads within the threshold (capped)
    area_segments: int  # how many segments are within the threshold in all (in the drawn box)
    attribution: str

    @property
    def isolated(self) -> int:
        return int(self.vulnerable["isolated"].sum())


def road_view(
    access: roads.RoadAccess,
    origins: pd.DataFrame,
    threshold: float,
    threshold_km: float,
    added: pd.DataFrame | None = None,
    closed: tuple = (),
    draw_cap: int = AREA_DRAW_CAP,
) -> RoadView:
    """The view along the roads for ``origins`` (already in scope), with the what-if changes
    applied through roads.what_if (only what they can affect is recomputed). ``threshold_km``
    is the straight-line threshold the people beyond by straight line are counted against."""
    if (added is not None and len(added)) or closed:
        access = roads.what_if(access, added, tuple(closed))
    origins = origins.reset_index(drop=True)
    snapped = roads.snap_points(access.network, origins)
    rows = roads.service_access(origins, access, threshold, snapped=snapped)
    vulnerable = roads.vulnerable_facilities(origins, access, threshold, snapped=snapped)
    people = rows["population"].to_numpy(dtype=float) if "population" in rows else np.zeros(len(rows))
    beyond_road = rows["beyond_threshold"].to_numpy(dtype=bool)
    beyond_straight = rows["straight_km"].to_numpy(dtype=float) > threshold_km
    area = roads.service_area(access, threshold, bbox=_bbox(origins, access))
    within = area[area["within"]]
    drawn = within.iloc[_spread(len(within), draw_cap)] if len(within) > draw_cap else within
    info = access.network.info
    return RoadView(
        measure=access.measure,
        threshold=threshold,
        threshold_km=threshold_km,
        rows=rows,
        people=int(people.sum()),
        people_beyond_road=int(people[beyond_road].sum()),
        people_beyond_straight=int(people[beyond_straight].sum()),
        places_beyond_road=int(beyond_road.sum()),
        places_beyond_straight=int(beyond_straight.sum()),
        no_connection=int((~rows["road_connection"]).sum()),
        far_from_road=int(rows["far_from_road"].sum()),
        vulnerable=vulnerable,
        area=drawn[["lon_from", "lat_from", "lon_to", "lat_to"]].reset_index(drop=True),
        area_segments=len(within),
        attribution=(info.attribution if info is not None else "") or roads.ATTRIBUTION,
    )


def _spread(n: int, cap: int) -> np.ndarray:
    """``cap`` row positions spread evenly over ``n`` rows."""
    return np.unique(np.linspace(0, n - 1, cap).astype(np.int64))


def _bbox(origins: pd.DataFrame, access: roads.RoadAccess) -> tuple[float, float, float, float] | None:
    """The origins' and open shops' box with a margin of about 0.3 degrees: the area a map of them shows."""
    lon = pd.concat([origins["lon"], access.facilities.loc[access.open, "lon"]]) if len(origins) else None
    if lon is None or not len(lon):
        return None
    lat = pd.concat([origins["lat"], access.facilities.loc[access.open, "lat"]])
    return float(lon.min()) - 0.5, float(lat.min()) - 0.3, float(lon.max()) + 0.5, float(lat.max()) + 0.3


def finite_or_none(values: pd.Series, digits: int = 1) -> pd.Series:
    """Rounded figures with infinity (no road connection) as None, for tables and files."""
    return values.where(np.isfinite(values.astype(float))).round(digits)
