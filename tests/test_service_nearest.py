"""The nearest shops of every place and square, computed once per layers and what-if and
shared by every threshold, scope and detour factor (view.Nearest, issue 22): the views
made from one Nearest agree with distances worked out here by brute force, and the page
searches for nearest shops once however often the threshold or the network changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kommunkarta.distances import to_sweref
from kommunkarta.service import defaults, importers, query, stored_layers, view

from .support.apptest import app, fresh_caches  # noqa: F401 (fresh_caches: an autouse fixture)
from .support.calls import calls_to
from .support.service_sources import PlainSources

SHOPS_CSV = (
    "id,name,lat,lon\nica,ICA Ljusdal,61.83,16.09\ncoop,Coop Järvsö,61.716,16.17\nlos,Handlarn Los,61.736,15.169\n"
    "kiruna,Coop Kiruna,67.855,20.225\nlund,ICA Lund,55.704,13.191\nvisby,Coop Visby,57.636,18.294\n"
)
SHOPS = importers.read_points("butiker.csv", SHOPS_CSV.encode(), kind="grocery").points


def brute_km(points: pd.DataFrame, shops: pd.DataFrame) -> np.ndarray:
    """Every point's straight-line km to every shop, sorted per point (nearest first)."""
    px, py = to_sweref(points["lat"].to_numpy(), points["lon"].to_numpy())
    sx, sy = to_sweref(shops["lat"].to_numpy(), shops["lon"].to_numpy())
    return np.sort(np.hypot(px[:, None] - sx[None, :], py[:, None] - sy[None, :]) / 1000, axis=1)


def asked(threshold_km=30.0, scope=(), detour=1.0, added=()):
    layer = query.LayerRef("butiker", "1", "Butiker")
    return query.ServiceQuery(
        layer,
        ("grocery",),
        query.TATORTER,
        grid=query.embedded_grid(),
        scope=scope,
        threshold_km=threshold_km,
        detour=detour,
        added=added,
    )


@pytest.mark.parametrize("added", [(), ((62.3, 15.3),)])
def test_one_nearest_serves_every_threshold_scope_and_detour(added):
    sources = PlainSources(SHOPS)
    shared = query.nearest_of(asked(added=added), sources)
    shops = SHOPS if not added else pd.concat([SHOPS, pd.DataFrame({"lat": [62.3], "lon": [15.3]})])
    places = defaults.tatort_origins()
    grid = defaults.population_grid()
    place_km, grid_km = brute_km(places, shops), brute_km(grid, shops)
    for threshold, scope, detour in [
        (2.0, (), 1.0),
        (10.0, ("2161", "2132"), 1.3),
        (30.0, (), 1.3),
        (30.0, ("2584",), 1.0),
    ]:
        question = asked(threshold, scope, detour, added)
        assert question.distances == asked(added=added).distances
        page = query.page_view(question, sources, "sv", closable_shops=SHOPS, nearest=shared)
        fresh = query.page_view(question, sources, "sv", closable_shops=SHOPS)
        in_places = places["kommun_kod"].isin(scope).to_numpy() if scope else np.ones(len(places), bool)
        in_grid = grid["kommun_kod"].isin(scope).to_numpy() if scope else np.ones(len(grid), bool)
        km = place_km[in_places, 0] * detour
        np.testing.assert_allclose(page.service.rows["distance_km"].to_numpy(), km, rtol=1e-9)
        assert page.service.origins.origins_beyond == int((km > threshold).sum())
        square_km = grid_km[in_grid] * detour
        assert page.service.grid.origins_beyond == int((square_km[:, 0] > threshold).sum())
        assert page.service.grid.people_beyond == int(
            grid["population"].to_numpy()[in_grid][square_km[:, 0] > threshold].sum()
        )
        # People a closing would leave beyond, over the whole grid: within now, the second beyond.
        every = grid_km * detour
        lost = (every[:, 0] <= threshold) & (every[:, 1] > threshold)
        assert page.service.vulnerable["population_lost_grid"].sum() <= int(grid["population"].to_numpy()[lost].sum())
        if not scope:
            assert page.service.vulnerable["population_lost_grid"].sum() == int(
                grid["population"].to_numpy()[lost].sum()
            )
        # The same view as one computed without the shared distances.
        assert page.figures == fresh.figures
        pd.testing.assert_frame_equal(page.service.per_kommun, fresh.service.per_kommun)
        pd.testing.assert_frame_equal(page.service.vulnerable, fresh.service.vulnerable)
        pd.testing.assert_frame_equal(page.service.grid_rows, fresh.service.grid_rows)


def test_the_closable_shops_nationally_are_those_that_matter():
    sources = PlainSources(SHOPS)
    for threshold in (10.0, 30.0):
        question = asked(threshold)
        shared = query.nearest_of(question.layers, sources)
        fast = query.closable(question, sources, nearest=lambda shared=shared: shared)
        assert list(fast["id"]) == list(query.closable(question, sources)["id"])
        # By brute force: isolated (the next shop beyond) or the only one within reach of a place.
        shop_km = brute_km(SHOPS, SHOPS)[:, 1]
        places = defaults.tatort_origins()
        px, py = to_sweref(places["lat"].to_numpy(), places["lon"].to_numpy())
        sx, sy = to_sweref(SHOPS["lat"].to_numpy(), SHOPS["lon"].to_numpy())
        km = np.hypot(px[:, None] - sx[None, :], py[:, None] - sy[None, :]) / 1000
        order = np.sort(km, axis=1)
        alone = (order[:, 0] <= threshold) & (order[:, 1] > threshold)
        needed = set(SHOPS["id"].to_numpy()[np.argmin(km[alone], axis=1)]) if alone.any() else set()
        assert set(fast["id"]) == set(SHOPS["id"][shop_km > threshold]) | needed


@pytest.fixture
def shop_layer(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    stored_layers.save(
        importers.read_points("butiker.csv", SHOPS_CSV.encode(), kind="grocery"), "Butiker", "facilities"
    )


def test_the_page_searches_for_nearest_shops_once_whatever_the_threshold_and_network(shop_layer, monkeypatch):
    searched = calls_to(monkeypatch, "nearest_distances", view, query)
    at = app().switch_page("app_pages/service.py").run()
    assert not at.exception and len(searched) == 1
    figures = {}
    for threshold in ("driftstod", "kolada", "3mil"):
        at.radio(key="sa_threshold_choice").set_value(threshold).run()
        figures[threshold] = next(m.value for m in at.metric if m.label.startswith("Orter bortom"))
    at.selectbox(key="sa_network").set_value("serviceutveckling_2022").run()
    at.radio(key="sa_threshold_choice").set_value("driftstod").run()
    assert not at.exception and len(searched) == 1
    # The figures are those of the threshold: fewer places beyond a wider one.
    beyond = {k: int(v.split("/")[0].replace("\u00a0", "").strip()) for k, v in figures.items()}
    assert beyond["kolada"] >= beyond["driftstod"] >= beyond["3mil"]
