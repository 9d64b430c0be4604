"""The warm-up (ui/warmup.py) against a running dashboard: after the health check it
opens the start page, the presentation, every network's page and a kommun profile, each
run to its end, so that the first visitor after a start finds the shared caches full."""

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
    with dashboard() as url:
        assert warmup.main([url]) == 0
    networks = [(network_url_path(n), "", True) for n in dataset.networks["id"]]
    assert len(networks) >= 10  # every network of data/networks.csv has a page
    assert calls == [("", "", True), ("presentation", "", True), *networks, ("kommun", "kommun=Kiruna", True)]
