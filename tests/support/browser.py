"""Debian's Chromium through Playwright, and a walk through every page of a running
dashboard that checks what only a browser shows: each page drawn, each map drawn with
Leaflet from the app itself, and no request to any other host."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"  # screenshots of browser tests
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these Chromium calls Google's hosts at start; here that is noise, not the app.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# The pages by URL path (app.py), and whether each draws a map on a plain visit.
PAGES = {
    "": True,  # overview
    "kommun?kommun=Kiruna": True,
    "presentation": True,
    "tidslinje": False,
    "overlapp": False,
    "service": True,  # with a stored shop layer (store_shop_layer)
    "kallor": False,
    "redigera": False,
    "historik": False,
}


def require_browser() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append("Debian's chromium (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason + "; .ci/run installs them, so CI must not skip")
        pytest.skip(reason)


@contextmanager
def chromium() -> Iterator:
    """Debian's Chromium, headless, through Playwright (also for the benchmarks)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def browser():
    require_browser()
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as launched:
        yield launched


def whole_page(page, timeout_ms: float = 45_000, quiet_ms: float = 500) -> None:
    """Wait until the page shows all of itself: a browser's first view of a map page
    holds what follows the map until the map is drawn (ui/map_first.py), in a container
    that the rest replaces, and the run that brings the rest has ended (no element left
    from the run before, no run in progress, for ``quiet_ms``)."""
    page.wait_for_function("() => !document.querySelector('.st-key-map-first-wait')", timeout=timeout_ms)
    busy = '() => Boolean(document.querySelector(\'[data-stale="true"], [data-testid="stStatusWidget"]\'))'
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < quiet_ms / 1000:
        if page.evaluate(busy):
            quiet_since = time.monotonic()
        if time.monotonic() > deadline:
            raise AssertionError("the page kept running")
        time.sleep(0.05)


def store_shop_layer(home: Path) -> None:
    """Two shops as a stored layer in ``home`` (a KOMMUNKARTA_HOME), so that the service
    page draws its map on a plain visit."""
    import csv
    import tempfile

    from kommunkarta.service import importers, stored_layers

    with pytest.MonkeyPatch.context() as patch, tempfile.TemporaryDirectory() as folder:
        patch.setenv("KOMMUNKARTA_HOME", str(home))
        shops = Path(folder) / "butiker.csv"
        with shops.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([("id", "name", "lat", "lon"), ("ica", "ICA Ljusdal", 61.83, 16.09)])
            csv.writer(f).writerow(("los", "Handlarn Los", 61.736, 15.169))
        stored_layers.save(importers.read_points(shops, kind="grocery"), "Butiker", "facilities")


def every_page(network_ids) -> dict[str, bool]:
    """Every page's URL path (the fixed pages, then one per network) -> draws a map."""
    from kommunkarta.ui.page_registry import network_url_path

    return PAGES | {network_url_path(n): True for n in network_ids}


def walk_every_page(browser, url: str, pages: dict[str, bool]) -> dict[str, int]:
    """Open each page of the dashboard at ``url``; every one shows its title and no
    exception, every map page draws its Leaflet map (shapes in the overlay pane), Leaflet
    comes from the app's /app/static/, and no request goes to another host. Returns the
    number of shapes drawn on each map page."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    drawn = {}
    try:
        for path, has_map in pages.items():
            try:
                page.goto(f"{url}/{path}")
                page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
                if has_map:
                    page.locator(MAP_FRAME).first.scroll_into_view_if_needed(timeout=60_000)
                    shapes = page.frame_locator(MAP_FRAME).first.locator(
                        ".leaflet-overlay-pane path, .leaflet-marker-pane > *"
                    )
                    shapes.first.wait_for(state="attached", timeout=60_000)
                    drawn[path] = shapes.count()
                else:
                    page.wait_for_timeout(500)
                whole_page(page)
            except Exception as err:
                raise AssertionError(f"the page /{path} at {url}: {err}") from err
            errors = page.locator('[data-testid="stException"]')
            assert errors.count() == 0, (path, errors.first.inner_text())
    finally:
        page.close()
    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts <= {"127.0.0.1", "localhost"}, sorted(set(requests))[:20]
    leaflet = [u for u in requests if "/app/static/vendor/leaflet-" in u and u.endswith("leaflet.js")]
    assert leaflet, "Leaflet was not loaded from the app itself"
    return drawn
