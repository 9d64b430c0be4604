"""The embedded default layers (SCB's tätorter 2020, ICMM's Swedish mines): rebuilt from
../shared/data by the project's script they equal the shipped files, and they agree with
the source files read independently; the wheel carries them."""

import importlib.util
import sys

import numpy as np
import pandas as pd
import pytest

from kommunkarta import paths
from kommunkarta.service import defaults

from .conftest import ROOT, SHARED_DIR

TATORTER = SHARED_DIR / "data" / "tatorter_2020" / "tatorter_2020.csv"
MINES = SHARED_DIR / "data" / "mines_icmm" / "mines_sweden.csv"
GRID = SHARED_DIR / "data" / "befolkning_1km_2024" / "befolkning_1km_2024.csv"
needs_shared_data = pytest.mark.skipif(
    not (TATORTER.exists() and MINES.exists()),
    reason="the tätort and mine files are not in ../shared/data (CI has them)",
)


def build_script():
    spec = importlib.util.spec_from_file_location("build_embedded_data", ROOT / "scripts" / "build_embedded_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_embedded_data"] = module
    spec.loader.exec_module(module)
    return module


def test_embedded_tatorter_are_origins_of_every_kommun_without_the_shared_folder():
    origins = defaults.tatort_origins()
    assert len(origins) == origins["id"].nunique() == 2017
    assert set(origins.columns) >= {"id", "name", "kommun_kod", "lat", "lon", "population"}
    assert origins["kommun_kod"].str.fullmatch(r"\d{4}").all()
    # Every tätort code begins with its kommun's code (SCB's scheme: 1233TB107).
    assert (origins["id"].str[:4] == origins["kommun_kod"]).all()
    assert origins["lat"].between(55, 69.1).all() and origins["lon"].between(10.9, 24.2).all()


def test_embedded_mines_carry_confidence_and_mark_very_low_as_uncertain():
    mines = defaults.mines()
    assert len(mines) == 24
    assert set(mines["confidence"]) <= set(defaults.CONFIDENCE_ORDER)
    assert (mines["uncertain"] == (mines["confidence"] == "Very Low")).all()
    assert mines["uncertain"].any() and not mines["uncertain"].all()


@needs_shared_data
def test_embedded_files_agree_with_the_source_files():
    source = pd.read_csv(TATORTER, dtype={"code": str, "mun_code": str}).set_index("code")
    shipped = defaults.tatort_origins().set_index("id")
    assert set(shipped.index) == set(source.index)
    assert (shipped["population"] == source.loc[shipped.index, "pop"]).all()
    assert (shipped["kommun_kod"] == source.loc[shipped.index, "mun_code"].str.zfill(4)).all()
    assert np.allclose(shipped["lat"], source.loc[shipped.index, "lat"], atol=1e-6)
    assert np.allclose(shipped["lon"], source.loc[shipped.index, "lon"], atol=1e-6)
    mines = pd.read_csv(MINES, dtype=str).set_index("ICMMID")
    shipped = defaults.mines().set_index("id")
    assert set(shipped.index) == set(mines.index)
    assert (shipped["confidence"] == mines.loc[shipped.index, "Confidence Factor"]).all()
    assert (shipped["name"] == mines.loc[shipped.index, "Mine Name"]).all()


@needs_shared_data
def test_the_build_script_rebuilds_the_shipped_files(tmp_path):
    assert build_script().main(["--shared", str(SHARED_DIR / "data"), "--out", str(tmp_path)]) == 0
    for name in (defaults.TATORTER_FILE, defaults.MINES_FILE):
        assert (tmp_path / name).read_bytes() == (paths.EMBEDDED_DATA_DIR / name).read_bytes(), name
    rebuilt = pd.read_parquet(tmp_path / defaults.GRID_FILE)
    pd.testing.assert_frame_equal(rebuilt, pd.read_parquet(paths.EMBEDDED_DATA_DIR / defaults.GRID_FILE))


def test_the_embedded_grid_is_every_populated_square_of_sweden():
    squares = defaults.population_grid()
    assert len(squares) == squares["rutid_scb"].nunique() == 103_464
    assert int(squares["population"].sum()) == 10_560_818
    assert squares["kommun_kod"].str.fullmatch(r"\d{4}").all()
    # Every kommun has people in the grid.
    assert squares["kommun_kod"].nunique() == 290
    assert (squares["id"] == squares["rutid_scb"].astype(str)).all()
    assert squares["lat"].between(55, 69.1).all() and squares["lon"].between(10.9, 24.2).all()
    # Read once per process; the caller gets its own copy.
    squares.loc[0, "population"] = -1
    assert defaults.population_grid().loc[0, "population"] > 0


@pytest.mark.skipif(not GRID.exists(), reason="the grid file is not in ../shared/data (CI has it)")
def test_the_embedded_grid_agrees_with_the_source_file_and_centres_the_squares():
    source = pd.read_csv(GRID, dtype={"rutid_scb": str}).set_index("rutid_scb")
    shipped = defaults.population_grid().set_index("id")
    assert set(shipped.index) == set(source.index)
    assert (shipped["population"] == source.loc[shipped.index, "beftotalt"]).all()
    # The id is the SOUTH-WEST corner: the centre lies 500 m east and north of it.
    east = shipped.index.str[:6].astype(int).to_numpy()
    north = shipped.index.str[6:].astype(int).to_numpy()
    assert (shipped["x"].to_numpy() == east + 500).all() and (shipped["y"].to_numpy() == north + 500).all()
    # The squares holding the centres of Kiruna and Stockholm lie in those kommuner.
    from kommunkarta.distances import to_sweref

    for (lat, lon), code in (((67.8557, 20.2253), "2584"), ((59.3293, 18.0686), "0180")):
        x, y = to_sweref([lat], [lon])
        square = f"{int(x[0] // 1000 * 1000)}{int(y[0] // 1000 * 1000)}"
        assert shipped.loc[square, "kommun_kod"] == code
        assert shipped.loc[square, "population"] > 100


def test_the_wheel_carries_the_embedded_layers():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"data/*.csv"' in text
    assert '"data/*.parquet"' in text
    for name in (defaults.TATORTER_FILE, defaults.MINES_FILE, defaults.GRID_FILE):
        assert (paths.EMBEDDED_DATA_DIR / name).exists()
    readme = (paths.EMBEDDED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "ICMM Global Mining Dataset, September 2025 (V1)" in readme and "CC BY 4.0" in readme
    assert "Källa: SCB, befolkning per km-ruta 2024" in readme
    assert (paths.EMBEDDED_DATA_DIR / defaults.GRID_FILE).stat().st_size < 1_000_000
