"""The warm-up (ui/warmup.py) against a running dashboard: after the health check it
opens the start page, the presentation, every network's page and a kommun profile, each
run to its end, then the service page's preset questions when shops are stored, so that
the first visitor after a start finds the shared caches full."""

import pytest

from kommunkarta.ui import warmup
from kommunkarta.ui.page_registry import network_url_path

from .support.browser import store_shop_layer
from .test_browser import dashboard

pytestmark = pytest.mark.browser  # a running server, as the browser tests use


def test_the_warm_up_opens_every_page_that_draws_the_national_map(dataset, tmp_path, monkeypatch):
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
    with dashboard(home=tmp_path / "home") as url:  # a home of its own: no layer of shops
        assert warmup.main([url]) == 0
    networks = [(network_url_path(n), "", True) for n in dataset.networks["id"]]
    assert len(networks) >= 10  # every network of data/networks.csv has a page
    assert calls == [("", "", True), ("presentation", "", True), *networks, ("kommun", "kommun=Kiruna", True)]
    assert service == [[]]  # the service page, without a layer of shops, asks nothing


def test_the_warm_up_asks_the_service_page_for_sweden_and_every_network_at_each_preset(dataset, tmp_path, monkeypatch):
    """With a layer of shops stored, the warm-up ends on the service page: Sweden, then
    every network of data/networks.csv, each at every preset threshold (their labels as
    the page writes them), each run finished without an exception on the page. The page
    answered each question, not the default again: its key figures name the threshold,
    and its count of the grid's people is that of the network's Swedish kommuner, summed
    here from the embedded grid."""
    from kommunkarta.format import number
    from kommunkarta.i18n import t
    from kommunkarta.selection import membership_table
    from kommunkarta.service import defaults
    from kommunkarta.service.analysis import THRESHOLD_PRESETS_KM

    monkeypatch.setenv("KOMMUNKARTA_NO_WARMUP", "1")
    home = tmp_path / "home"
    store_shop_layer(home)
    asked, pages = [], []
    real = warmup.service_questions
    monkeypatch.setattr(warmup, "service_questions", lambda url: asked.extend(real(url)) or asked)
    real_run = warmup.Tab.run

    def recording(tab):  # what the service page showed at each of its runs
        finished = real_run(tab)
        if tab.page == warmup.SERVICE_PAGE:
            pages.append(list(tab.texts))
        return finished

    monkeypatch.setattr(warmup.Tab, "run", recording)
    with dashboard(home=home) as url:
        assert warmup.main([url]) == 0
    km_by_label = {t(f"access_threshold_{p}", "sv"): km for p, km in THRESHOLD_PRESETS_KM.items()}
    networks = ["", *dataset.networks["name"]]
    assert sorted(asked) == sorted((n, p) for n in networks for p in km_by_label)
    assert asked[: len(km_by_label)] == [("", p) for p in km_by_label]  # Sweden first: a chosen network stays
    assert len(asked) == len(networks) * len(km_by_label) >= 11 * 3

    grid = defaults.population_grid()
    table = membership_table(dataset)
    ids = dict(zip(dataset.networks["name"], dataset.networks["id"]))
    assert len(pages) == 1 + len(asked)  # the first view, then one run per question
    for (name, label), texts in zip(asked, pages[1:], strict=True):
        km = number(km_by_label[label], 0)
        assert f"Orter bortom {km} km" in texts, (name, label)
        if name:
            members = table[(table["network_id"] == ids[name]) & (table["country"] == "SE")]["kommun_kod"]
            people = grid.loc[grid["kommun_kod"].isin(set(members)), "population"].sum()
        else:
            people = grid["population"].sum()
        counted = [x for x in texts if x.startswith("Räknat i SCB:s befolkningsrutnät")]
        assert len(counted) == 1 and f" med {number(people, 0)} invånare," in counted[0], (name, label, counted)
