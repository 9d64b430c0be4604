"""The warm-up (ui/warmup.py) against a running dashboard: after the health check it
opens the start page, the presentation, every network's page and a kommun profile, each
run to its end, then the service page's preset questions when shops are stored, so that
the first visitor after a start finds the shared caches full."""

import pytest

from kommunkarta.ui import warmup
from kommunkarta.ui.page_registry import network_url_path

from .test_browser import dashboard

pytestmark = pytest.mark.browser  # a running server, as the browser tests use


def test_the_warm_up_opens_every_page_that_draws_the_national_map(dataset, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_NO_WARMUP", "1")  # this test runs the warm-up itself
    calls = []
    real_visit = warmup.visit

    def recording(base_url, page, *args, **kwargs):
        finished = real_visit(base_url, page, *args, **kwargs)
        calls.append((page, kwargs.get("query", ""), finished))
        return finished

    monkeypatch.setattr(warmup, "visit", recording)
    service = []
    real_questions = warmup.service_questions
    monkeypatch.setattr(warmup, "service_questions", lambda url: service.append(real_questions(url)))
    with dashboard() as url:
        assert warmup.main([url]) == 0
    networks = [(network_url_path(n), "", True) for n in dataset.networks["id"]]
    assert len(networks) >= 10  # every network of data/networks.csv has a page
    assert calls == [("", "", True), ("presentation", "", True), *networks, ("kommun", "kommun=Kiruna", True)]
    assert service == [[]]  # the service page, without a layer of shops, asks nothing


def test_the_warm_up_asks_the_service_page_for_sweden_and_every_network_at_each_preset(dataset, tmp_path, monkeypatch):
    """With a layer of shops stored, the warm-up ends on the service page: Sweden, then
    every network of data/networks.csv, each at every preset threshold (their labels as
    the page writes them), each run finished without an exception on the page."""
    from kommunkarta.i18n import t
    from kommunkarta.service import importers, stored_layers
    from kommunkarta.service.analysis import THRESHOLD_PRESETS_KM

    monkeypatch.setenv("KOMMUNKARTA_NO_WARMUP", "1")
    home = tmp_path / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOMMUNKARTA_HOME", str(home))
        shops = tmp_path / "butiker.csv"
        shops.write_text("id,name,lat,lon\nica,ICA Ljusdal,61.83,16.09\nlos,Handlarn Los,61.736,15.169\n")
        stored_layers.save(importers.read_points(shops, kind="grocery"), "Butiker", "facilities")
    asked = []
    real = warmup.service_questions
    monkeypatch.setattr(warmup, "service_questions", lambda url: asked.extend(real(url)) or asked)
    with dashboard(home=home) as url:
        assert warmup.main([url]) == 0
    presets = [t(f"access_threshold_{p}", "sv") for p in THRESHOLD_PRESETS_KM]
    networks = ["", *dataset.networks["name"]]
    assert sorted(asked) == sorted((n, p) for n in networks for p in presets)
    assert asked[: len(presets)] == [("", p) for p in presets]  # Sweden first: a chosen network stays
    assert len(asked) == len(networks) * len(presets) >= 11 * 3
