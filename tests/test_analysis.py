"""The service analysis: the vulnerable facilities in O(n log n) agree with brute force, and
the nearest search counts each point of a shared site (issue 10.3)."""

from __future__ import annotations

import pandas as pd
import pytest

# -- 3. the analysis is O(n log n) and agrees with brute force ------------------------------


def brute_force_vulnerable(origins, facilities, threshold_km):
    """Pairwise distances, the obvious way: next facility per facility, and per origin
    the facility whose closing leaves it beyond the threshold."""
    import numpy as np

    fxy = facilities[["x", "y"]].to_numpy()
    oxy = origins[["x", "y"]].to_numpy()
    ff = np.hypot(*(fxy[:, None, :] - fxy[None, :, :]).transpose(2, 0, 1)) / 1000
    np.fill_diagonal(ff, np.inf)
    of = np.hypot(*(oxy[:, None, :] - fxy[None, :, :]).transpose(2, 0, 1)) / 1000
    places = np.zeros(len(fxy), dtype=int)
    people = np.zeros(len(fxy))
    for i, row in enumerate(of):
        order = np.argsort(row, kind="stable")
        first, second = row[order[0]], row[order[1]] if len(row) > 1 else np.inf
        if first <= threshold_km < second:
            places[order[0]] += 1
            people[order[0]] += origins["population"].iloc[i]
    return pd.DataFrame(
        {"id": facilities["id"], "next_km": ff.min(axis=1), "places_lost": places, "population_lost": people}
    )


@pytest.mark.parametrize("seed", range(6))
def test_vulnerable_facilities_agree_with_brute_force(seed):
    import numpy as np

    from kommunkarta.service import analysis

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    x = rng.uniform(500_000, 600_000, n)
    y = rng.uniform(6_900_000, 7_000_000, n)
    # a third of the facilities stand where another one stands
    twins = rng.choice(n, size=n // 3)
    x[: len(twins)], y[: len(twins)] = x[twins], y[twins]
    facilities = pd.DataFrame(
        {"id": [f"f{i}" for i in range(n)], "name": "", "kind": "grocery", "kommun_kod": "", "x": x, "y": y}
    ).assign(lat=0.0, lon=0.0)
    m = int(rng.integers(1, 200))
    origins = pd.DataFrame(
        {
            "id": [f"o{i}" for i in range(m)],
            "name": "",
            "kommun_kod": "",
            "x": rng.uniform(480_000, 620_000, m),
            "y": rng.uniform(6_880_000, 7_020_000, m),
            "population": rng.integers(0, 5000, m),
        }
    ).assign(lat=0.0, lon=0.0)
    threshold = float(rng.uniform(5, 40))
    got = analysis.vulnerable_facilities(origins, analysis.Facilities.build(facilities), threshold).set_index("id")
    want = brute_force_vulnerable(origins, facilities, threshold).set_index("id").loc[got.index]
    assert np.allclose(got["next_facility_km"], want["next_km"])
    assert (got["isolated"] == (want["next_km"] > threshold)).all()
    assert (got["places_lost"] == want["places_lost"]).all()
    assert np.allclose(got["population_lost"], want["population_lost"])
    # nearest facility of each origin, against the pairwise minimum
    access = analysis.service_access(origins, analysis.Facilities.build(facilities), threshold)
    pairwise = np.hypot(
        origins["x"].to_numpy()[:, None] - x[None, :], origins["y"].to_numpy()[:, None] - y[None, :]
    ).min(axis=1)
    assert np.allclose(access["distance_km"], pairwise / 1000)


def test_k_nearest_counts_each_point_at_a_shared_site():
    import numpy as np

    from kommunkarta.service import analysis

    points = pd.DataFrame({"id": list("abcd"), "x": [0.0, 0.0, 0.0, 1000.0], "y": [0.0, 0.0, 0.0, 0.0]})
    facilities = analysis.Facilities.build(points.assign(lat=0.0, lon=0.0))
    assert len(facilities.site_xy) == 2
    dist, rows = facilities.nearest(np.array([[10.0, 0.0]]), k=4)
    assert list(dist[0]) == [10.0, 10.0, 10.0, 990.0]
    assert sorted(points["id"].iloc[rows[0, :3]]) == ["a", "b", "c"] and rows[0, 3] == 3
    dist, rows = facilities.nearest(np.array([[10.0, 0.0]]), k=6)
    assert np.isinf(dist[0, 4:]).all() and (rows[0, 4:] == -1).all()
    assert list(facilities.next_site_m()) == [0.0, 0.0, 0.0, 1000.0]
