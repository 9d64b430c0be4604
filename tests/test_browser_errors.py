"""What a visitor sees when a link or a file is wrong (issue 19, item 7), in Debian's
Chromium: ``/?years=2012-2030`` opens the page, and a malformed upload gives a message
naming the file, row and field; neither shows a stack trace or a path on the server."""

import json
import re

import pytest

from kommunkarta import selection

from .conftest import ROOT
from .support.browser import ARTIFACTS
from .test_browser import dashboard

pytestmark = pytest.mark.browser

# What a stack trace or a server path looks like on a page.
LEAKS = re.compile(r"Traceback|File \"|line \d+, in |site-packages|\.py\b|/home/|/usr/|/tmp/|/work/")


def no_leak(text: str) -> None:
    found = LEAKS.search(text)
    assert found is None, (
        f"the page shows {found.group(0)!r}: …{text[max(0, found.start() - 200) : found.end() + 200]}…"
    )
    assert str(ROOT) not in text


def test_a_period_past_this_year_and_a_malformed_upload_show_no_trace(browser, tmp_path):
    last = selection.LAST_YEAR + 4
    with dashboard(home=tmp_path / "home") as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/?years=2012-{last}")
        page.get_by_role("slider").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        text = page.inner_text("body")
        no_leak(text)
        assert str(last) in text and "2012" in text  # the slider shows the link's period
        assert "This app has encountered an error" not in text

        # A GeoJSON shop layer with one coordinate of Infinity and one valid shop.
        features = [
            {"type": "Feature", "properties": {"name": "Fel"}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
            {
                "type": "Feature",
                "properties": {"name": "ICA"},
                "geometry": {"type": "Point", "coordinates": [18.0686, 59.3293]},
            },
        ]
        broken = json.dumps({"type": "FeatureCollection", "features": features}).replace("[0, 0]", "[Infinity, 59.0]")
        page.goto(f"{url}/service")
        page.locator("input[type=file]").first.set_input_files(
            files=[{"name": "butiker.geojson", "mimeType": "application/geo+json", "buffer": broken.encode()}]
        )
        page.get_by_text("butiker.geojson").first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Läs in för mig (sparas inte)").click()
        # After the rerun the layer is listed and the loading panel folds: open it again.
        message = page.get_by_text("1 punkter ur butiker.geojson").first
        message.wait_for(state="attached", timeout=60_000)
        if not message.is_visible():
            page.get_by_text("Ladda in ett lager").first.click()
        message.wait_for(timeout=30_000)
        page.get_by_text("är oändlig eller alldeles för stor").first.wait_for(timeout=30_000)
        text = page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "malformed-upload.png"), full_page=True)
        no_leak(text)
        assert (
            "butiker.geojson:1:geometry: koordinaten (inf, 59.0) är oändlig eller alldeles för stor för ett läge"
            in text
        )

        # A zip behind a GeoPackage's name: refused by its first bytes, with the file named.
        page.locator("input[type=file]").first.set_input_files(
            files=[{"name": "bomb.gpkg", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04" + b"\0" * 200}]
        )
        page.get_by_text("bomb.gpkg").first.wait_for(state="attached", timeout=30_000)
        page.get_by_role("button", name="Läs in för mig (sparas inte)").click()
        refused = page.get_by_text("zip-arkiv").first
        refused.wait_for(state="attached", timeout=60_000)
        if not refused.is_visible():  # the loading panel folded after the rerun: open it
            page.get_by_text("Ladda in ett lager").first.click()
        refused.wait_for(timeout=30_000)
        no_leak(page.inner_text("body"))
        page.close()
