"""The embedded default layers: SCB's 1 km population grid 2024 (the default population,
everyone counted), SCB's tätorter 2020 as origins beside it, and ICMM's Swedish mines.

All are derived files in ``kommunkarta/data`` written by ``scripts/build_embedded_data.py``
through the project's importer; licence and attribution are in ``data/README.md``.
"""

from __future__ import annotations

import functools

import pandas as pd

from .. import paths

TATORTER_FILE = "tatorter_2020.csv"
MINES_FILE = "mines_icmm.csv"
GRID_FILE = "befolkning_1km_2024.parquet"
GRID_SOURCE = "Källa: SCB, befolkning per km-ruta 2024 (CC0)"
GRID_SOURCE_EN = "Source: Statistics Sweden (SCB), population per km square 2024 (CC0)"
GRID_TITLE = "SCB:s befolkningsrutnät 1 km 2024"
GRID_TITLE_EN = "SCB's 1 km population grid 2024"
GRID_CELL_M = 1000
TATORTER_SOURCE = "SCB, Tätorter 2020 (öppna geodata, CC0), via github.com/borstell/swemapdata"
MINES_ATTRIBUTION = "ICMM Global Mining Dataset, September 2025 (V1) release (CC BY 4.0)"
MINES_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# ICMM's confidence in a site's position and data, best first. "Very Low" rows have
# known bad coordinates (Stekenjokk is placed near Sundsvall), so they are not drawn
# as exact positions.
CONFIDENCE_ORDER = ("High", "Moderate", "Low", "Very Low")
UNCERTAIN_CONFIDENCE = "Very Low"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(paths.EMBEDDED_DATA_DIR / name, dtype={"id": str, "kommun_kod": str}, keep_default_na=False)


@functools.cache
def _tatorter() -> pd.DataFrame:
    frame = _read(TATORTER_FILE)
    return frame.assign(kind="tatort", population=frame["population"].astype(int))


def tatort_origins() -> pd.DataFrame:
    """SCB's 2,017 tätorter of 2020 with their population, the default origins."""
    return _tatorter().copy()


@functools.cache
def _grid() -> pd.DataFrame:
    from pyproj import Transformer

    from .. import geo
    from .grid import GRID_KIND

    frame = pd.read_parquet(paths.EMBEDDED_DATA_DIR / GRID_FILE)
    lon, lat = Transformer.from_crs(geo.SWEREF99TM, geo.WGS84, always_xy=True).transform(
        frame["x"].to_numpy(dtype=float), frame["y"].to_numpy(dtype=float)
    )
    ids = frame["rutid_scb"].astype(str)
    return frame.assign(
        x=frame["x"].astype(float),
        y=frame["y"].astype(float),
        population=frame["population"].astype("int64"),
        id=ids,
        name=ids,
        kind=GRID_KIND,
        lat=lat,
        lon=lon,
    )


def population_grid() -> pd.DataFrame:
    """SCB's 1 km population grid 2024, the default population: one row per populated
    square (103,464; 10,560,818 people) with ``rutid_scb`` (int: the south-west corner),
    ``x``, ``y`` (the square's centre, SWEREF 99 TM metres), ``population``, ``kommun_kod``
    (the kommun its centre lies in, by simplified boundaries), and, as origins, ``id``
    (``rutid_scb`` as text), ``name``, ``kind`` ("ruta"), ``lat``, ``lon``. Read once per
    process; each call returns a copy. The file has no age groups."""
    return _grid().copy()


@functools.cache
def _mines() -> pd.DataFrame:
    return _read(MINES_FILE)


def mines() -> pd.DataFrame:
    """ICMM's Swedish mine sites, with ``confidence`` and ``uncertain`` (Very Low)."""
    frame = _mines().copy()
    return frame.assign(uncertain=frame["confidence"].eq(UNCERTAIN_CONFIDENCE))
