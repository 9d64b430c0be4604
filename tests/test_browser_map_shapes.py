"""Sweden sent once (issue 22), in Debian's Chromium: the kommun shapes come as one
static file named by its content, which a filter change does not fetch again; the
filter change repaints the right kommuner in the right colours, in the same map."""

import re

import pandas as pd
import pytest

from kommunkarta import selection
from kommunkarta.outputs import maps

from .support.browser import MAP_FRAME
from .test_browser import Visit, app_url  # noqa: F401 (app_url is a fixture)

pytestmark = pytest.mark.browser

SHAPES = re.compile(r"/app/static/kk/kommuner-[0-9a-f]{16}\.js$")

# In the map's frame: the fill colour of every kommun the filter layers on the map paint,
# by code (outlines, such as the chosen kommun's, are not fills). streamlit-folium keeps
# the groups it has taken off the map in window.feature_group.
FILLS_BY_CODE_JS = """() => {
  const fills = {};
  for (const group of (window.feature_group || [])) {
    if (!window.map.hasLayer(group)) continue;
    group.eachLayer(layer => {
      if (!layer.eachLayer) return;
      layer.eachLayer(shape => {
        if (!shape.feature || shape.options.fill === false) return;
        const code = shape.feature.properties.kommun_kod;
        (fills[code] = fills[code] || []).push(shape.options.fillColor);
      });
    });
  }
  return fills;
}"""


def expected_fills(table: pd.DataFrame, networks: pd.DataFrame, lan: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """The fills the overview should show, worked out here from the membership table: a
    kommun taking part in one network of the selection has that network's colour
    (stated or not), one in several the grey of its count."""
    part = table[(table["country"] == "SE") & table["takes_part"]]
    if lan:
        part = part[part["kommun_kod"].str[:2].isin(lan)]
    colour = networks.set_index("id")["color"]
    fills = {}
    for code, rows in part.groupby("kommun_kod"):
        ids = set(rows["network_id"])
        if len(ids) == 1:
            fills[code] = [colour[ids.pop()]]
        else:
            fills[code] = [
                next(c for low, high, c in maps.MULTI_BANDS if low <= len(ids) and (high is None or len(ids) <= high))
            ]
    return fills


def choose_lan(visit: Visit, name: str) -> None:
    """Pick a län in the sidebar's län filter, as a user does."""
    box = visit.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    box.click()
    visit.page.keyboard.type(name)
    visit.page.keyboard.press("Enter")
    visit.page.keyboard.press("Escape")


def test_a_filter_change_repaints_the_right_kommuner_without_fetching_the_shapes_again(browser, app_url, dataset):  # noqa: F811
    table = selection.membership_table(dataset)
    visit = Visit(browser, app_url)
    frame = visit.map_frame()
    frame.evaluate("() => { window.kkSameMap = true; }")  # gone if the map were built anew
    before = frame.evaluate(FILLS_BY_CODE_JS)
    assert before == expected_fills(table, dataset.networks)
    assert "2062" in before and "2584" in before  # Mora (Dalarna) and Kiruna (Norrbotten)

    choose_lan(visit, "Norrbottens")
    visit.page.wait_for_url(re.compile(r"lan=25"), timeout=30_000)
    expected = expected_fills(table, dataset.networks, lan=("25",))
    deadline = visit.page.evaluate("() => Date.now()") + 30_000
    while True:
        after = frame.evaluate(FILLS_BY_CODE_JS)
        if after == expected or visit.page.evaluate("() => Date.now()") > deadline:
            break
        visit.page.wait_for_timeout(250)
    assert after == expected
    assert "2062" not in after and after["2584"] == before["2584"]  # Mora gone, Kiruna still in its grey
    assert frame.evaluate("() => window.kkSameMap === true")  # the same map, repainted in place
    shapes = [u for u in visit.requests if SHAPES.search(u)]
    assert len(shapes) == 1, shapes  # fetched once, for the first view (preloaded, then run: one request)
    preloaded = frame.evaluate("() => [...document.querySelectorAll('link[rel=preload]')].map(l => l.href)")
    assert shapes[0] in preloaded  # asked for at once with Leaflet and the tooltips (folium_component.preloading)
    assert visit.foreign_hosts() == set(), visit.requests
    visit.page.close()


@pytest.mark.parametrize("path", ["/natverk-tornedalsradet", "/presentation?views=overview"])
def test_every_map_draws_from_the_same_shapes_file(browser, app_url, path):  # noqa: F811
    """The network pages and the presentation load the one shapes file the overview loads (so a browser that has it cached fetches nothing), and draw
    every kommun from it."""
    overview = Visit(browser, app_url)
    (url,) = {u for u in overview.requests if SHAPES.search(u)}
    overview.page.close()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(app_url + path)
    if page.locator(MAP_FRAME).count() == 0:
        page.locator(MAP_FRAME).first.wait_for(state="attached", timeout=45_000)
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed(timeout=45_000)
    shapes = page.frame_locator(MAP_FRAME).first.locator(".leaflet-overlay-pane path.leaflet-interactive")
    shapes.first.wait_for(state="attached", timeout=45_000)
    assert {u for u in requests if SHAPES.search(u)} == {url}
    assert shapes.count() >= 290  # every kommun, clickable (drawn or outside the view), and any points
    page.close()
