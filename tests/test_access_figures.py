"""The figures the field publishes (service.figures) against brute-force sums, and the
embedded grid as the default population of the command line, against a KD-tree."""

import csv
import functools
import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy.spatial import KDTree

from kommunkarta import paths
from kommunkarta.format import number
from kommunkarta.service import defaults, figures

from .conftest import ROOT


def brute(values, population, mask, low, high):
    """People with low < value <= high (low None: from minus infinity), by a Python loop."""
    total = 0
    for v, p, m in zip(values, population, mask):
        if m and np.isfinite(v) and (low is None or v > low) and v <= high:
            total += p
    return total


def test_population_by_km_class_adds_up_and_equals_a_brute_force_sum():
    rng = np.random.default_rng(7)
    n = 3000
    values = rng.exponential(8.0, n)
    values[:5] = [2.0, 5.0, 30.0, 30.0001, 0.0]  # on the edges: 2.0 is in 0–2, 30.0 within 20–30
    values[5:8] = np.inf  # no road connection
    population = rng.integers(0, 400, n)
    kommuner = rng.choice(["2161", "2183", "0180", "1280"], n)
    networks = {"glesbygd": ("Glesbygdsnätet", ("2161", "2183")), "tom": ("Tomt nätverk", ())}
    table = figures.distance_classes(
        values,
        population,
        kommuner,
        "km",
        "Testrutor",
        "road_km",
        networks=networks,
        ages={"population_70": population // 5},
    )
    edges = [(None, 2), (2, 5), (5, 10), (10, 20), (20, 30), (30, np.inf)]
    assert list(table.loc[table["level"] == "sweden", "distance_class"]) == [
        "0–2",
        "2–5",
        "5–10",
        "10–20",
        "20–30",
        ">30",
        figures.NO_CONNECTION,
    ]
    areas = {
        ("sweden", "SE"): np.ones(n, bool),
        ("lan", "21"): np.isin(kommuner, ["2161", "2183"]),
        ("lan", "01"): kommuner == "0180",
        ("kommun", "1280"): kommuner == "1280",
        ("network", "glesbygd"): np.isin(kommuner, ["2161", "2183"]),
    }
    for (level, code), mask in areas.items():
        rows = table[(table["level"] == level) & (table["area"] == code)].reset_index(drop=True)
        for i, (low, high) in enumerate(edges):
            assert rows.loc[i, "people"] == brute(values, population, mask, low, high), (level, code, i)
            assert rows.loc[i, "places"] == sum(
                1 for v, m in zip(values, mask) if m and np.isfinite(v) and (low is None or v > low) and v <= high
            )
        assert rows.loc[6, "people"] == population[mask & ~np.isfinite(values)].sum()
        assert rows["people"].sum() == population[mask].sum()
        assert rows["share"].sum() == pytest.approx(1.0)
        assert rows["population_70"].sum() == (population // 5)[mask].sum()
    assert table.loc[table["level"] == "lan", "area_name"].isin(["Gävleborgs län", "Stockholms län", "Skåne län"]).all()
    empty = table[table["area"] == "tom"]
    assert (empty["people"] == 0).all() and (empty["share"] == 0).all()
    assert (table["population_title"] == "Testrutor").all() and (table["basis"] == "road_km").all()


def test_minute_classes_and_both_languages():
    values = np.array([4.99, 5.0, 5.01, 10.0, 19.0, 25.0, 31.0])
    table = figures.distance_classes(
        values, np.ones(7), np.array(["2161"] * 7), "minutes", "Tätorter", "road_minutes", levels=("sweden",)
    )
    assert list(table["distance_class"]) == ["<5", "5–10", "10–20", "20–30", ">30"]
    assert list(table["people"]) == [2, 2, 1, 1, 1]
    english = figures.labelled(table, "en")
    assert {"Level", "Area", "Distance class", "People", "Share", "Measure", "Population"} <= set(english.columns)
    assert set(english["Measure"]) == {"minutes by car"} and set(english["Area"]) == {"Sweden"}
    swedish = figures.labelled(table, "sv")
    assert set(swedish["Mått"]) == {"minuter med bil"} and set(swedish["Område"]) == {"Sverige"}
    with pytest.raises(ValueError):
        figures.distance_classes(values, np.ones(7), np.array(["2161"] * 7), "km", "x", "road_minutes")


def test_grid_beside_scb_kommun_population_with_the_gap():
    squares = defaults.population_grid()
    official = pd.read_csv(paths.DATA_DIR / "population.csv", dtype={"kommun_kod": str})
    table = figures.grid_and_official(squares, official).set_index("kommun_kod")
    assert len(table) == 290
    assert table["grid_population"].sum() == squares["population"].sum()
    kiruna = squares.loc[squares["kommun_kod"] == "2584", "population"].sum()
    assert table.loc["2584", "grid_population"] == kiruna
    assert table.loc["2584", "gap"] == table.loc["2584", "official_population"] - kiruna
    # Most kommuner agree within a few per cent; the median ratio is about 1.
    ratio = table["grid_population"] / table["official_population"]
    assert 0.97 < ratio.median() < 1.03


def test_second_nearest_straight_line_against_a_kd_tree():
    from kommunkarta.service import analysis

    rng = np.random.default_rng(3)
    shops = pd.DataFrame(
        {"id": [f"s{i}" for i in range(50)], "x": rng.uniform(5e5, 6e5, 50), "y": rng.uniform(6.8e6, 6.9e6, 50)}
    )
    shops = pd.concat([shops, shops.iloc[[0]].assign(id="twin")], ignore_index=True)  # two shops on one site
    xy = np.column_stack([rng.uniform(5e5, 6e5, 400), rng.uniform(6.8e6, 6.9e6, 400)])
    first, second = figures.second_nearest_km(xy, analysis.Facilities.build(shops))
    expected = KDTree(shops[["x", "y"]].to_numpy()).query(xy, k=2)[0] / 1000
    np.testing.assert_allclose(first, expected[:, 0])
    np.testing.assert_allclose(second, expected[:, 1])


def test_service_access_counts_every_populated_square_by_default(tmp_path):
    shops = tmp_path / "butiker.csv"
    rng = np.random.default_rng(5)
    lat, lon = rng.uniform(55.5, 68.5, 300), rng.uniform(12.5, 23.5, 300)
    pd.DataFrame({"name": [f"B{i}" for i in range(300)], "lat": lat.round(5), "lon": lon.round(5)}).to_csv(
        shops, index=False
    )
    classes = tmp_path / "klasser.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kommunkarta.cli",
            "service-access",
            "--facilities",
            str(shops),
            "--classes",
            str(classes),
            "--per-kommun",
            str(tmp_path / "kommuner.csv"),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    rows = pd.read_csv(io.StringIO(result.stdout), dtype={"kommun_kod": str})
    assert list(rows.columns[:3]) == ["rutid_scb", "population", "kommun_kod"]
    assert {"distance_km", "second_km", "beyond_threshold"} <= set(rows.columns)
    assert len(rows) == 103_464 and rows["population"].sum() == 10_560_818
    # The distance against a KD-tree over the shops the importer kept (those in Sweden), from
    # the square's centre (the id's south-west corner + 500 m).
    from kommunkarta.distances import to_sweref
    from kommunkarta.service.importers import read_points

    kept = read_points(shops).points
    assert 50 < len(kept) < 300  # the random box also covers sea, Norway and Finland
    x, y = to_sweref(kept["lat"].to_numpy(), kept["lon"].to_numpy())
    centres = np.column_stack(
        [
            rows["rutid_scb"].astype(str).str[:6].astype(float) + 500,
            rows["rutid_scb"].astype(str).str[6:].astype(float) + 500,
        ]
    )
    tree = KDTree(np.column_stack([x, y]))
    expected = tree.query(centres, k=2)[0] / 1000
    np.testing.assert_allclose(rows["distance_km"], expected[:, 0], rtol=1e-9)
    np.testing.assert_allclose(rows["second_km"], expected[:, 1], rtol=1e-9)
    assert (rows["beyond_threshold"] == (expected[:, 0] > 30)).all()
    people_beyond = int(rows.loc[rows["beyond_threshold"], "population"].sum())
    beyond_squares = int(rows["beyond_threshold"].sum())
    # --lang en: the messages in English too, amounts as English writes them (issue 24)
    en = functools.partial(number, lang="en")
    said = f"{en(beyond_squares)} of {en(103464)} squares ({en(people_beyond)} inhabitants) beyond the threshold"
    assert said in result.stderr
    assert f"counted in SCB:s befolkningsrutnät 1 km 2024: {en(10560818)} inhabitants" in result.stderr
    assert "counted in SCB:s tätorter 2020" in result.stderr  # tätorter beside
    assert "Source: Statistics Sweden (SCB), population per km square 2024" in result.stderr
    table = list(csv.DictReader(classes.open(encoding="utf-8")))
    sweden = [r for r in table if r["Level"] == "Sweden" and r["Population"].startswith("SCB:s befolkningsrutnät")]
    assert sum(int(r["People"]) for r in sweden) == 10_560_818
    assert int(next(r for r in sweden if r["Distance class"] == ">30")["People"]) == people_beyond
    # Per kommun: the grid's total beside SCB's kommun population, the gap, and why.
    per_kommun = pd.read_csv(tmp_path / "kommuner.csv", dtype={"kommun_kod": str}).set_index("kommun_kod")
    official = pd.read_csv(paths.DATA_DIR / "population.csv", dtype={"kommun_kod": str})
    official = official.set_index("kommun_kod")["population"]
    grid_total = rows.groupby("kommun_kod")["population"].sum()
    assert (per_kommun["grid_population"] == grid_total.reindex(per_kommun.index)).all()
    assert (per_kommun["official_population"] == official.reindex(per_kommun.index)).all()
    assert (per_kommun["grid_gap"] == official.reindex(per_kommun.index) - grid_total.reindex(per_kommun.index)).all()
    assert "simplified boundaries" in result.stderr
