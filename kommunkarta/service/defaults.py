"""The embedded default layers: SCB's tätorter 2020 as origins and ICMM's Swedish mines.

Both are derived files in ``geodata/`` (``paths.GEODATA_DIR``) written by ``scripts/build_embedded_data.py``
through the project's importer; licence and attribution are in ``geodata/README.md``.
"""

from __future__ import annotations

import functools

import pandas as pd

from .. import paths

TATORTER_FILE = "tatorter_2020.csv"
MINES_FILE = "mines_icmm.csv"
TATORTER_SOURCE = "SCB, Tätorter 2020 (öppna geodata, CC0), via github.com/borstell/swemapdata"
MINES_ATTRIBUTION = "ICMM Global Mining Dataset, September 2025 (V1) release (CC BY 4.0)"
MINES_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# ICMM's confidence in a site's position and data, best first. "Very Low" rows have
# known bad coordinates (Stekenjokk is placed near Sundsvall), so they are not drawn
# as exact positions.
CONFIDENCE_ORDER = ("High", "Moderate", "Low", "Very Low")
UNCERTAIN_CONFIDENCE = "Very Low"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(paths.GEODATA_DIR / name, dtype={"id": str, "kommun_kod": str}, keep_default_na=False)


@functools.cache
def _tatorter() -> pd.DataFrame:
    frame = _read(TATORTER_FILE)
    return frame.assign(kind="tatort", population=frame["population"].astype(int))


def tatort_origins() -> pd.DataFrame:
    """SCB's 2,017 tätorter of 2020 with their population, the default origins."""
    return _tatorter().copy()


@functools.cache
def _mines() -> pd.DataFrame:
    return _read(MINES_FILE)


def mines() -> pd.DataFrame:
    """ICMM's Swedish mine sites, with ``confidence`` and ``uncertain`` (Very Low)."""
    frame = _mines().copy()
    return frame.assign(uncertain=frame["confidence"].eq(UNCERTAIN_CONFIDENCE))
