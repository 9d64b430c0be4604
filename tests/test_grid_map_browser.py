"""The grid map in Debian's Chromium (issue 21, section 4): every populated square of the
embedded national grid drawn as one image overlay, the legend of the classes, and a click
on a square showing its figures; nothing asked of another host."""

import time

import pytest

from .support.browser import ARTIFACTS, store_shop_layer
from .test_browser import Visit, dashboard

pytestmark = pytest.mark.browser


def test_the_grid_map_draws_every_square_as_one_image_and_a_click_shows_the_square(browser, tmp_path):
    from kommunkarta.service import defaults

    home = tmp_path / "home"
    store_shop_layer(home)
    squares = defaults.population_grid()
    # Ljusdal's most populous square: its centre is where the click goes.
    square = squares[squares["kommun_kod"] == "2161"].nlargest(1, "population").iloc[0]
    with dashboard(home=home) as url:
        visit = Visit(browser, url + "/service")
        visit.page.get_by_text("varje befolkad ruta efter avståndsklass").click()
        frame = grid_frame(visit.page)
        # One image, not a shape per square; the legend names the classes.
        assert frame.evaluate("() => document.querySelectorAll('img.leaflet-image-layer').length") == 1
        assert frame.evaluate("() => document.querySelectorAll('.leaflet-overlay-pane path').length") < 500
        legend = frame.evaluate("() => document.querySelector('.kk-grid-legend').innerText")
        assert "över 30 km" in legend and "0–2 km" in legend
        # Zoomed in, as a user would to pick out one square of 1 km; again if a rerun
        # replaced the map's frame in between.
        shown = visit.page.get_by_text(f"Ruta {square['rutid_scb']} (Ljusdal)")
        for _ in range(4):
            frame = grid_frame(visit.page)
            frame.evaluate(f"() => window.map.setView([{square['lat']}, {square['lon']}], 12, {{animate: false}})")
            visit.page.wait_for_timeout(1000)
            if frame.is_detached() or frame.evaluate("() => window.map.getZoom()") != 12:
                continue
            x, y = frame.evaluate(
                f"() => {{ const p = window.map.latLngToContainerPoint([{square['lat']}, {square['lon']}]);"
                " return [p.x, p.y]; }"
            )
            frame.locator(".leaflet-container").click(position={"x": x, "y": y})
            try:
                shown.wait_for(timeout=20_000)
                break
            except Exception:
                continue
        visit.page.screenshot(path=str(ARTIFACTS / "grid_map.png"), full_page=True)
        assert shown.is_visible()
        people = f"{int(square['population']):,}".replace(",", "\u00a0")
        assert f"{people} invånare" in shown.inner_text()
        visit.page.screenshot(path=str(ARTIFACTS / "grid_map.png"), full_page=True)
        assert visit.foreign_hosts() == set(), visit.requests
        visit.page.close()


def grid_frame(page, timeout_s: float = 90):
    """The component frame whose Leaflet map holds the grid's image, once it has loaded."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate(
                    "() => { const i = document.querySelector('img.leaflet-image-layer');"
                    " return Boolean(window.map && i && i.complete && i.naturalWidth > 1000); }"
                ):
                    return frame
            except Exception:
                pass  # a frame detached by a rerun
        time.sleep(0.2)
    raise AssertionError("no grid map on the page")
