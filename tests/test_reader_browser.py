"""What a Swedish and an English reader see in a real Chromium (issue 24): every number
in the tables and key figures written in the page's language, every page in the
navigation with nothing folded behind Streamlit's English "View more", and the kommun
profile's map."""

import re
import time

import pytest

from .support.browser import ARTIFACTS, MAP_FRAME
from .test_browser import Visit, app_url  # noqa: F401 (app_url is a fixture)

pytestmark = pytest.mark.browser

# A number written the other language's way. Swedish: "9 027" (a space or a no-break
# space between thousands), "92,3", "92,3 %". English: "9,027", "92.3", "92.3%".
# (A decimal has one or two places here, so "22,402" is English thousands, not a Swedish decimal.)
SWEDISH_NUMBER = re.compile(r"^-?\d{1,3}([\u00a0 ]\d{3})+(,\d{1,2})?([\u00a0 ]?%)?$|^-?\d+,\d{1,2}([\u00a0 ]%)?$")
ENGLISH_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d{1,2})?%?$|^-?\d+\.\d{1,2}%?$")
PAGES = ["", "kommun?kommun=Kiruna", "overlapp", "kallor", "natverk-industrikommuner", "natverk-tornedalsradet"]


def _figures(page) -> list[str]:
    """The key figures on the page as the browser shows them. (The tables' numbers are
    drawn on a canvas from the Styler's text; test_reader reads that text through AppTest,
    and the screenshots in artifacts/ show it.)"""
    page.locator("[data-testid=stMetricValue]").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    return [t.strip() for t in page.locator("[data-testid=stMetricValue]").all_inner_texts()]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_key_figure_reads_the_pages_way(browser, app_url, lang):  # noqa: F811
    wrong, seen = {}, []
    other = ENGLISH_NUMBER if lang == "sv" else SWEDISH_NUMBER
    for path in PAGES:
        joiner = "&" if "?" in path else "?"
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{app_url}/{path}{joiner}lang={lang}")
        if path in ("overlapp", "kallor"):  # tables only: a picture of them for the reader
            page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / f"reader_{path}_{lang}.png"), full_page=True)
            page.close()
            continue
        figures = [f.removesuffix(" km²") for f in _figures(page)]
        seen += figures
        bad = [n for n in figures if other.match(n)]
        if bad:
            wrong[path] = bad
        page.screenshot(path=str(ARTIFACTS / f"reader_{path.split('?')[0] or 'overview'}_{lang}.png"), full_page=True)
        page.close()
    assert wrong == {}
    # Thousands written the page's way are among them (Kiruna's 22 402 inhabitants).
    assert ("22\u00a0402" if lang == "sv" else "22,402") in seen
    mine = SWEDISH_NUMBER if lang == "sv" else ENGLISH_NUMBER
    assert sum(1 for n in seen if mine.match(n)) >= 5, seen


def test_the_swedish_navigation_shows_every_page(browser, app_url, dataset):  # noqa: F811
    visit = Visit(browser, app_url)
    nav = visit.page.locator("[data-testid=stSidebarNav]")
    nav.wait_for()
    text = nav.inner_text()
    assert "View" not in text and "more" not in text.split()
    links = nav.locator("a").all_inner_texts()
    # The nine pages and one per network: all of them listed.
    assert len(links) == 9 + len(dataset.networks), links
    assert "Tornedalsrådet" in " ".join(links) and "Ändringshistorik" in " ".join(links)
    visit.page.close()


def _leaflet_frame(visit: Visit, timeout_s: float = 60):
    """The map's frame once Leaflet has drawn in it (a rerun may replace the frame meanwhile)."""
    deadline = time.monotonic() + timeout_s
    while True:
        visit.page.locator(MAP_FRAME).scroll_into_view_if_needed()
        for frame in visit.page.frames:
            try:
                if frame.evaluate("() => Boolean(window.map && window.map.eachLayer)"):
                    return frame
            except Exception:
                pass  # a frame detached by a rerun
        if time.monotonic() > deadline:
            visit.page.screenshot(path=str(ARTIFACTS / "kommun_map_missing.png"), full_page=True)
            raise AssertionError("the kommun map was not drawn")
        time.sleep(0.5)


@pytest.mark.parametrize("lang, title", [("sv", "Karta"), ("en", "Map")])
def test_the_kommun_profile_has_its_map(browser, app_url, lang, title):  # noqa: F811
    visit = Visit(browser, f"{app_url}/kommun?kommun=Kiruna&lang={lang}")
    visit.page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=30_000)
    frame = _leaflet_frame(visit)
    counts = frame.evaluate(
        """() => {
            let lines = 0, circles = 0, shapes = 0;
            window.map.eachLayer(l => {
                if (l instanceof L.CircleMarker) circles++;
                else if (l instanceof L.Polyline && !(l instanceof L.Polygon)) lines++;
                else if (l instanceof L.Polygon) shapes++;
            });
            return {lines, circles, shapes};
        }"""
    )
    # Kiruna takes part in five networks: one dashed line to the nearest member of each.
    assert counts["lines"] == 5 and counts["circles"] >= 5 and counts["shapes"] > 290, counts
    legend = visit.page.frame_locator(MAP_FRAME).locator(".kk-legend").inner_text()
    assert "Tornedal" in legend
    nearest = "Närmaste medlem i" if lang == "sv" else "Nearest member in"
    tooltips = frame.evaluate(
        """() => { const t = []; window.map.eachLayer(l => { if (l.getTooltip && l.getTooltip())
            t.push(l.getTooltip().getContent()); }); return t.join("\\n"); }"""
    )
    assert nearest in tooltips and "Gällivare" in tooltips
    visit.page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / f"kommun_map_{lang}.png"))
    assert visit.foreign_hosts() == set(), visit.requests
    visit.page.close()
