"""The dashboard in a real headless Chromium (Debian's package, driven by Playwright):
what only a browser shows — the map drawn, clicked, and drawn with no other host."""

import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import edit_rows, wait_until_serving
from .support.browser import ARTIFACTS, MAP_FRAME, store_shop_layer, whole_page

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard(data_dir: Path | None = None, home: Path | None = None, secrets: str | None = None):
    """`kommunkarta run` on a free localhost port, until the block ends. ``secrets`` is
    the text of a secrets.toml, put where Streamlit looks for the user's."""
    port = _free_port()
    env = dict(os.environ)
    if secrets is not None:
        user_home = Path(tempfile.mkdtemp(prefix="kk-user-"))
        (user_home / ".streamlit").mkdir()
        (user_home / ".streamlit" / "secrets.toml").write_text(secrets, encoding="utf-8")
        env["HOME"] = str(user_home)
    if data_dir:
        env["KOMMUNKARTA_DATA_DIR"] = str(data_dir)
        # The dashboard reads a database filled from data/ on first start: a new one,
        # so that it is filled from data_dir.
        home = home or data_dir.parent / "home"
    if home:
        env["KOMMUNKARTA_HOME"] = str(home)
    log = open(ARTIFACTS / f"streamlit-{port}.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kommunkarta.cli",
            "run",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_until_serving(url, server):
            raise RuntimeError(f"the dashboard did not start; see {log.name}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def app_url(browser):
    with dashboard() as url:
        yield url


class Visit:
    """A page with every request it made recorded."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(url)
        # Component frames load lazily: one below the fold loads when scrolled to.
        self.page.locator(MAP_FRAME).scroll_into_view_if_needed(timeout=45_000)
        self.map = self.page.frame_locator(MAP_FRAME)
        self.map.locator(".leaflet-overlay-pane path:visible").first.wait_for(timeout=45_000)
        whole_page(self.page)  # what follows the map comes once the map is drawn

    def map_frame(self, timeout_s: float = 15):
        """The component frame that holds the Leaflet map (waits while a rerun replaces it)."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.page.locator(MAP_FRAME).scroll_into_view_if_needed()
            for frame in self.page.frames:
                try:
                    if frame.evaluate("() => Boolean(window.map)"):
                        return frame
                except Exception:
                    pass  # a frame detached by a rerun
            if time.monotonic() > deadline:
                raise AssertionError("no Leaflet map on the page")
            time.sleep(0.2)

    def settle(self, quiet_s: float = 1.0, timeout_s: float = 45) -> None:
        """Wait until no script run has been in progress for ``quiet_s`` (Streamlit shows
        its status widget while one is): a download button's file belongs to the run that
        drew it, and a click during a later run can ask for a file that run replaced."""
        deadline = time.monotonic() + timeout_s
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < quiet_s:
            if self.page.locator('[data-testid="stStatusWidget"]').count():
                quiet_since = time.monotonic()
            if time.monotonic() > deadline:
                raise AssertionError("the page kept running")
            time.sleep(0.1)

    def foreign_hosts(self) -> set[str]:
        hosts = {urlparse(u).hostname for u in self.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
        return hosts - {"127.0.0.1", "localhost"}

    def click_kommun(self, lat: float, lon: float):
        frame = self.map_frame()
        x, y = frame.evaluate(
            f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }}"
        )
        self.map.locator(".leaflet-container").click(position={"x": x, "y": y})


# Runs in the page (not in its frames): when the rest-of-page note, all kommun shapes in
# the map's frame and the first table appear, in the page's clock.
ORDER_PROBE = """
(() => {
  if (window.top !== window) return;
  const seen = window.__kkOrder = {};
  function check() {
    const t = performance.now();
    if (!seen.wait && document.querySelector('.st-key-map-first-wait')) seen.wait = t;
    if (!seen.table && document.querySelector('[data-testid="stDataFrame"]')) seen.table = t;
    for (const frame of document.querySelectorAll('iframe')) {
      let pane = null;
      try { pane = frame.contentDocument && frame.contentDocument.querySelector('.leaflet-overlay-pane'); } catch (e) {}
      if (!seen.map && pane && pane.querySelectorAll('path.leaflet-interactive').length >= 290) seen.map = t;
    }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
"""


def test_the_overview_draws_its_map_before_its_table(browser, app_url):
    """A browser's first view ends after the map (ui/map_first.py): the table and the
    rest follow in the rerun that the map's frame starts once it has drawn every kommun."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(ORDER_PROBE)
    page = context.new_page()
    page.goto(app_url)
    page.wait_for_function("() => window.__kkOrder && window.__kkOrder.table", timeout=60_000)
    order = page.evaluate("() => window.__kkOrder")
    assert order.get("wait") and order.get("map"), order
    assert order["wait"] < order["table"] and order["map"] < order["table"], order
    whole_page(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    context.close()


def test_national_map_draws_every_kommun_with_no_other_host(browser, app_url):
    visit = Visit(browser, app_url)
    base_shapes = visit.map.locator(".leaflet-overlay-pane path.leaflet-interactive")
    assert base_shapes.count() >= 290
    painted = visit.map.locator(".leaflet-overlay-pane path:not(.leaflet-interactive)")
    assert painted.count() > 100  # network layers and län borders
    legend = visit.map.locator(".kk-legend")
    assert legend.is_visible() and "Tornedalsrådet" in legend.inner_text()
    assert visit.map.locator(".leaflet-control-layers").count() == 1
    assert visit.map.locator(".leaflet-control-scale-line").inner_text().endswith("km")
    visit.page.wait_for_timeout(1000)
    visit.page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    assert visit.foreign_hosts() == set(), visit.requests
    assert any("/app/static/vendor/leaflet-" in u for u in visit.requests)
    visit.page.close()


def test_hover_shows_the_kommun_and_click_selects_it(browser, app_url):
    visit = Visit(browser, app_url)
    visit.click_kommun(68.1925, 20.6554)  # a point inside Kiruna kommun
    tooltip = visit.map.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert "Kiruna" in tooltip.inner_text() and "Norrbottens län" in tooltip.inner_text()
    visit.page.get_by_role("heading", name="Kiruna").wait_for(timeout=20_000)
    assert "kommun=2584" in visit.page.url
    visit.map.locator('path[stroke="#d81b60"]').wait_for(timeout=10_000)  # the chosen kommun is outlined
    # Tables are drawn on a canvas; their cells are also in an accessible (hidden) grid.
    visit.page.locator("td[role=gridcell]").get_by_text("Tornedalsrådet", exact=True).first.wait_for(
        state="attached", timeout=20_000
    )
    visit.page.screenshot(path=str(ARTIFACTS / "kommun_selected.png"), full_page=True)
    assert visit.foreign_hosts() == set()
    visit.page.close()


def test_filtered_link_paints_only_the_chosen_network(browser, app_url):
    visit = Visit(browser, app_url + "/?networks=tornedalsradet")
    visit.page.wait_for_timeout(1500)
    frame = visit.map_frame()
    painted = frame.evaluate(
        """() => { let n = 0; for (const fg of (window.feature_group || [])) fg.eachLayer(g => g.eachLayer ? g.eachLayer(() => n++) : n++); return n; }"""
    )
    assert painted == 4  # Haparanda, Övertorneå, Pajala, Kiruna
    visit.page.close()


def test_the_overview_tables_download_on_click_and_the_closed_expanders_open(browser, app_url, dataset, table):
    """The CSV and the workbook are made when clicked; the downloads and the memberships
    are put on the page when their expander is opened (a rerun), with what they hold."""
    import csv

    from kommunkarta import selection

    visit = Visit(browser, app_url + "/?networks=tornedalsradet")
    page = visit.page
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Ladda ned tabellen (CSV för Excel)").click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    summary = selection.kommun_summary(
        selection.apply_filters(table, selection.Filters(networks=("tornedalsradet",))), dataset
    )
    assert sorted(r["Kommun"] for r in rows) == sorted(summary["kommun"])  # Haparanda, Kiruna, ...
    assert page.get_by_role("button", name="Kartbild (PNG)").count() == 0  # closed: not made
    page.get_by_text("Ladda ned kartan och tabellerna").click()  # a rerun puts the buttons on the page
    page.get_by_role("button", name="Tabeller (Excel, med källor)").wait_for(timeout=30_000)
    visit.settle()
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Tabeller (Excel, med källor)").click(timeout=30_000)
    assert download.value.suggested_filename == "kommunkartan.xlsx"
    tables = page.locator('[data-testid="stDataFrame"]')
    before = tables.count()
    page.get_by_text("Medlemskap med källa och säkerhet").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length > {before}", timeout=30_000
    )
    assert not visit.foreign_hosts()
    page.close()


def test_html_in_the_data_shows_as_text(browser, data_copy):
    def inject(rows):
        rows[0]["name"] = rows[0]["short_name"] = "<img src=x onerror=alert(1)>"

    edit_rows(data_copy / "networks.csv", inject)
    edit_rows(data_copy / "projects.csv", lambda rows: rows[0].update(name="<script>alert(2)</script>"))
    with dashboard(data_copy) as url:
        visit = Visit(browser, url + "/?kommun=Malå")
        visit.map.locator(".kk-legend").wait_for()
        assert "<img src=x onerror=alert(1)>" in visit.map.locator(".kk-legend").inner_text()
        visit.page.locator("td[role=gridcell]").get_by_text("<script>alert(2)</script>", exact=True).first.wait_for(
            state="attached", timeout=20_000
        )
        visit.page.wait_for_timeout(500)
        assert visit.dialogs == []
        assert visit.foreign_hosts() == set()
        visit.page.close()


def test_network_page_opens_from_a_link_and_leads_to_a_profile(browser, app_url):
    visit = Visit(browser, app_url + "/natverk-tornedalsradet")
    visit.page.get_by_role("heading", name="Tornedalsrådet").first.wait_for()
    assert visit.page.get_by_text("Page not found").count() == 0  # a shared link opens the page itself
    frame = visit.map_frame()
    markers = frame.evaluate(
        "() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }"
    )
    assert markers == 10  # the Finnish and Norwegian members at their municipal centres
    visit.page.screenshot(path=str(ARTIFACTS / "network_tornedalsradet.png"), full_page=True)
    visit.click_kommun(68.1925, 20.6554)  # Kiruna
    visit.page.wait_for_url("**/kommun?kommun=2584", timeout=20_000)
    visit.page.get_by_role("heading", name="Kiruna").first.wait_for(timeout=20_000)
    visit.page.locator("td[role=gridcell]").get_by_text("Filmpool Nord AB (ägare)", exact=True).first.wait_for(
        state="attached"
    )
    visit.page.screenshot(path=str(ARTIFACTS / "profile_kiruna.png"), full_page=True)
    assert visit.foreign_hosts() == set(), visit.requests
    visit.page.close()


def test_service_page_draws_points_offline_and_adds_a_shop_where_clicked(browser, tmp_path):
    home = tmp_path / "home"
    store_shop_layer(home)
    with dashboard(home=home) as url:
        visit = Visit(browser, url + "/service")
        frame = visit.map_frame()
        count = "() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }"
        before = frame.evaluate(count)
        assert before > 1000  # the gazetteer's places and the two shops
        visit.page.get_by_text("Klicka på kartan för att lägga till en tänkt butik").click()
        visit.page.wait_for_timeout(1500)
        visit.map_frame().evaluate("() => { window.kkSameMap = true; }")
        visit.click_kommun(62.3, 15.3)  # an empty spot in Ljusdal kommun
        visit.page.get_by_text("Tänkta butiker: 1").wait_for(timeout=20_000)
        added = "() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.CircleMarker && l.options.color === '#0571b0') n++; }); return n; }"
        for _ in range(40):  # the map is updated after the rerun that lists the shop
            if visit.map_frame().evaluate(added):
                break
            visit.page.wait_for_timeout(250)
        visit.page.screenshot(path=str(ARTIFACTS / "service_added_shop.png"), full_page=True)
        assert visit.map_frame().evaluate(added) == 1  # the hypothetical shop, where it was clicked
        assert visit.map_frame().evaluate("() => window.kkSameMap === true")  # updated in place, not remounted
        # Its tooltip names it, as every point's names the place, shop or square.
        frame = visit.map_frame()
        x, y = frame.evaluate("() => { const p = window.map.latLngToContainerPoint([62.3, 15.3]); return [p.x, p.y]; }")
        visit.map.locator(".leaflet-container").hover(position={"x": x, "y": y})
        visit.map.locator(".leaflet-tooltip").first.wait_for(timeout=10_000)
        assert visit.map.locator(".leaflet-tooltip").first.inner_text() == "Tänkta butiker 1"
        # The measure tool: two clicks give the straight-line distance between them.
        visit.page.get_by_text("Klicka på kartan för att lägga till en tänkt butik").click()
        visit.page.get_by_text("Mät avstånd: klicka två punkter på kartan").click()
        visit.page.wait_for_timeout(1500)
        visit.click_kommun(61.829, 16.088)
        visit.page.wait_for_timeout(1500)
        visit.click_kommun(61.737, 15.170)
        visit.page.get_by_text("km fågelvägen").first.wait_for(timeout=20_000)
        measured = visit.page.get_by_text("Uppmätt:").first.inner_text()
        km = float(measured.split(":")[1].split("km")[0].strip().replace(",", ".").replace("\u00a0", ""))
        assert 45 < km < 52  # Ljusdal to Los, about 48 km
        visit.page.screenshot(path=str(ARTIFACTS / "service.png"), full_page=True)
        assert visit.foreign_hosts() == set(), visit.requests
        visit.page.close()


def test_exported_html_map_draws_with_networking_off(browser, tmp_path, dataset, table):
    from kommunkarta import selection
    from kommunkarta.outputs import downloads

    path = tmp_path / "karta.html"
    path.write_bytes(downloads.overview_map_file(dataset, table, selection.Filters(), "html", "Kommunkartan"))
    context = browser.new_context()
    blocked = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file:")
            else (blocked.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.goto(path.as_uri())
    page.locator(".leaflet-overlay-pane path.leaflet-interactive").first.wait_for(timeout=20_000)
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() >= 290
    assert page.locator(".kk-legend").is_visible()
    page.screenshot(path=str(ARTIFACTS / "exported_map.png"))
    assert blocked == []  # it asked for nothing beyond the file itself
    context.close()


def test_presentation_mode_steps_through_two_views(browser, app_url):
    visit = Visit(browser, app_url + "/presentation?views=overview,tornedalsradet")
    page = visit.page
    assert not page.locator('[data-testid="stSidebar"]').is_visible()  # no chrome on the projector
    page.get_by_role("heading", name="Kommuner i nätverk och projekt").first.wait_for()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("heading", name="Tornedalsrådet").first.wait_for(timeout=20_000)
    page.wait_for_url("**step=2**")
    # The map shown is the council's own (its Finnish and Norwegian members as points),
    # not the last view's. While a rerun swaps the maps, two frames may exist at once.
    markers = "() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }"
    deadline = time.monotonic() + 30
    found = False
    while not found and time.monotonic() < deadline:
        for frame in page.frames:
            try:
                found = found or frame.evaluate(f"() => Boolean(window.map) && ({markers})() === 10")
            except Exception:
                pass  # a frame being replaced
        time.sleep(0.3)
    assert found
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(ARTIFACTS / "presentation.png"))
    page.get_by_role("button", name="Föregående").click()
    page.get_by_role("heading", name="Kommuner i nätverk och projekt").first.wait_for(timeout=20_000)
    assert visit.foreign_hosts() == set()
    page.close()


def test_no_page_asks_another_host_for_anything(browser, app_url, dataset):
    from kommunkarta.ui import page_registry as ui

    paths = [
        "",
        "kommun?kommun=Kiruna",
        "presentation",
        "tidslinje",
        "overlapp",
        "service",
        "kallor",
        "redigera",
        "historik",
    ]
    paths += [ui.network_url_path(n) for n in dataset.networks["id"]]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for path in paths:
        page.goto(f"{app_url}/{path}")
        page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=30_000)
        page.wait_for_timeout(800)
        whole_page(page)
    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}, sorted(set(requests))[:20]
    page.close()


def test_an_editor_logs_in_changes_a_cell_and_saves(browser, tmp_path):
    """The table editor is a canvas that only a browser drives: a double-click opens a
    cell, the typed text replaces it, and Spara writes it to the database."""
    from kommunkarta.storage import auth, db, store

    home = tmp_path / "home"
    secrets = f'[editing.users]\nanna = "{auth.hash_password("ett långt lösenord")}"\n'
    new_name = "Nationellt nätverk för gruvkommuner (Georange)"
    with dashboard(home=home, secrets=secrets) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        requests, sockets = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("websocket", lambda socket: sockets.append(socket))
        page.goto(url + "/redigera")
        page.get_by_label("Användarnamn").fill("anna")
        page.get_by_label("Lösenord").fill("ett långt lösenord")
        page.get_by_role("button", name="Logga in").click()
        page.get_by_text("Inloggad som").wait_for(timeout=20_000)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=20_000)
        box = grid.bounding_box()
        # The first data row's "name" cell: below the 35 px header, right of the id column.
        page.mouse.dblclick(box["x"] + 300, box["y"] + 35 + 17)
        cell = page.locator("textarea.gdg-input")
        cell.wait_for(timeout=10_000)
        assert cell.input_value() == "Nationellt nätverk för gruvkommuner"
        cell.fill(new_name)
        # The edit reaches the server as widget state; only then does Spara see it.
        with sockets[0].expect_event("framesent", timeout=20_000):
            cell.press("Enter")
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Spara").click()
        page.get_by_text("Sparat som ändring 2 (0 nya, 1 ändrade, 0 borttagna).").wait_for(timeout=20_000)
        page.screenshot(path=str(ARTIFACTS / "edit_saved.png"))
        # The table as a workbook to edit in Excel, made on the click, with the saved name.
        with page.expect_download(timeout=20_000) as download:
            page.get_by_role("button", name="Ladda ner som Excel").click()
        from openpyxl import load_workbook

        assert download.value.suggested_filename == "networks.xlsx"
        book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
        sheet = book["networks"]
        assert sheet.max_row == 12 and [c.value for c in sheet[2]][:2] == ["gruvkommuner", new_name]
        hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
        assert hosts == {"127.0.0.1"}
        page.close()
    engine = db.make_engine(f"sqlite:///{home / 'kommunkarta.sqlite'}")
    networks = {r.values["id"]: r.values for r in store.current_state(engine)["networks"].values()}
    assert networks["gruvkommuner"]["name"] == new_name
    [batch] = [b for b in store.history(engine) if b.kind == "edit"]
    assert batch.user == "anna" and batch.counts == {"update": 1}
    engine.dispose()


def test_stopping_kommunkarta_run_stops_the_server():
    """`kommunkarta run` becomes the streamlit process, so stopping it stops the server
    (it used to leave streamlit running behind it)."""
    with dashboard() as url:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=5) as response:
            assert response.read() == b"ok"
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "/_stcore/health", timeout=2)


def test_script_in_any_text_field_runs_nowhere(browser, data_copy, tmp_path):
    """Issue 10.1: `${alert(1)}`, `` `+alert(1)+` `` and `</script><script>…` in every
    text field that reaches a map (network, project, place and foreign member names,
    coordinate sources, a service layer's point names): no dialog on any page, the
    presentation, or the exported HTML maps. With them a Jinja expression, which no
    page or file shows evaluated (folium renders its elements' output as a template
    again on the server)."""
    import pandas as pd

    from kommunkarta import profiles, selection
    from kommunkarta.loader import load_dataset
    from kommunkarta.outputs import downloads
    from kommunkarta.service import importers, stored_layers

    from .conftest import TEMPLATE_EVALUATED, inject_script_payloads, payload

    inject_script_payloads(data_copy)
    home = data_copy.parent / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOMMUNKARTA_HOME", str(home))
        shops = pd.DataFrame(
            {
                "id": ["s1", "s2", "s3"],
                "name": [payload(i, "Butik") for i in range(3)],
                "lat": [61.83, 61.736, 64.25],
                "lon": [16.09, 15.169, 20.24],
            }
        )
        shops_file = tmp_path / "butiker.csv"
        shops.to_csv(shops_file, index=False)
        stored_layers.save(importers.read_points(shops_file, kind="grocery"), payload(0, "Lager"), "facilities")
    dialogs = []

    def watched(viewport=None):
        """A page that records every dialog, also those a sandboxed frame (Streamlit's
        component frames have no allow-modals) would swallow: alert, confirm and prompt
        announce themselves on the console in every frame before anything else runs."""
        page = browser.new_page(viewport=viewport)
        page.add_init_script(
            "for (const f of ['alert', 'confirm', 'prompt']) { window[f] = (m) => console.log('KK-DIALOG ' + f + ' ' + m); }"
        )
        page.on("console", lambda m: m.text.startswith("KK-DIALOG") and dialogs.append((page.url, m.text)))
        page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
        return page

    with dashboard(data_copy, home=home) as url:
        ds = load_dataset(data_copy)
        page = watched({"width": 1400, "height": 1000})
        paths = [
            "",
            "?networks=tornedalsradet,serviceutveckling_2022",
            "kommun?kommun=Kiruna",
            "presentation?views=overview,tornedalsradet,serviceutveckling_2022&step=1",
            "presentation?views=overview,tornedalsradet,serviceutveckling_2022&step=2",
            "presentation?views=overview,tornedalsradet,serviceutveckling_2022&step=3",
            "tidslinje",
            "overlapp",
            "service",
            "kallor",
            "redigera",
            "historik",
        ] + [f"natverk-{n.replace('_', '-')}" for n in ds.networks["id"]]
        for path in paths:
            page.goto(f"{url}/{path}")
            page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=30_000)
            if page.locator(MAP_FRAME).count():
                page.locator(MAP_FRAME).first.scroll_into_view_if_needed(timeout=30_000)
                page.frame_locator(MAP_FRAME).first.locator(".leaflet-overlay-pane path").first.wait_for(
                    state="attached", timeout=30_000
                )
                # hover the map so that tooltips open, too
                box = page.locator(MAP_FRAME).first.bounding_box()
                for dx, dy in ((0.5, 0.5), (0.3, 0.3), (0.6, 0.25)):
                    page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
                    page.wait_for_timeout(150)
            page.wait_for_timeout(600)
            whole_page(page)  # the tables and figures below a map, too
            for frame in page.frames:
                assert TEMPLATE_EVALUATED not in frame.content(), (path, frame.url)
        page.close()
        table = selection.membership_table(ds)
        files = {
            "overview.html": downloads.overview_map_file(ds, table, selection.Filters(), "html", "t"),
            "kiruna.html": downloads.kommun_map_file(ds, table, "2584", "html"),
        }
        for network_id in ds.networks["id"]:
            view = profiles.network_view(ds, table, network_id)
            files[f"{network_id}.html"] = downloads.network_map_file(view, ds, table, "html")
        for name, payload_bytes in files.items():
            path = tmp_path / name
            path.write_bytes(payload_bytes)
            page = watched()
            page.goto(path.as_uri())
            page.locator(".leaflet-overlay-pane path").first.wait_for(state="attached", timeout=20_000)
            page.wait_for_timeout(300)
            assert TEMPLATE_EVALUATED not in page.content(), name
            page.close()
    assert dialogs == []


def test_the_server_asks_no_other_host_for_anything(browser, tmp_path, dataset, monkeypatch):
    """Issue 10.8: `kommunkarta run` and the streamlit process it becomes run with an
    audit hook (tests/audit/sitecustomize.py) that records every lookup of a non-local
    host name and every connection to a non-loopback address. Through the start and a
    walk of every page, with a stored service layer, it records nothing."""
    from kommunkarta.service import importers, stored_layers
    from kommunkarta.ui import page_registry as ui

    home = tmp_path / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOMMUNKARTA_HOME", str(home))
        shops = tmp_path / "butiker.csv"
        shops.write_text("id,name,lat,lon\nica,ICA Ljusdal,61.83,16.09\nlos,Handlarn Los,61.736,15.169\n")
        stored_layers.save(importers.read_points(shops, kind="grocery"), "Butiker", "facilities")
    log = tmp_path / "audit.log"
    log.write_text("")
    hook_dir = Path(__file__).parent / "audit"
    monkeypatch.setenv("KK_AUDIT_LOG", str(log))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(hook_dir), os.environ.get("PYTHONPATH")])))
    # the hook is live in a child process: a lookup of a foreign name is recorded (and refused)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import socket\ntry: socket.getaddrinfo('checkip.amazonaws.com', 443)\nexcept OSError: pass",
        ],
        env=dict(os.environ),
    )
    assert probe.returncode == 0 and "checkip.amazonaws.com" in log.read_text()
    log.write_text("")
    paths = ["", "kommun?kommun=Kiruna", "presentation", "tidslinje", "overlapp", "service", "kallor", "redigera"]
    paths += ["historik"] + [ui.network_url_path(n) for n in dataset.networks["id"]]
    with dashboard(home=home) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for path in paths:
            page.goto(f"{url}/{path}")
            page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=30_000)
            page.wait_for_timeout(500)
            whole_page(page)
        page.close()
    assert log.read_text() == ""


# -- issue 15: readable on the big screen -----------------------------------------------------

SCREENS = [(1400, 1000), (1920, 1080)]

# In the map's frame: the legend's colours, and the fill of every drawn shape and dot.
FILLS_JS = """() => {
  const rgb = c => { const m = c.match(/\\d+/g); return m ? m.slice(0, 3).join(',') : c; };
  const legend = new Set();
  document.querySelectorAll('.kk-legend .kk-swatch, .kk-legend .kk-mini').forEach(e => {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && !bg.startsWith('rgba(0, 0, 0, 0)')) legend.add(rgb(bg));
  });
  const fills = {};
  document.querySelectorAll('.leaflet-overlay-pane path').forEach(p => {
    const s = getComputedStyle(p);
    if (s.fill === 'none' || parseFloat(s.fillOpacity) === 0 || s.display === 'none') return;
    const key = rgb(s.fill) + '@' + s.fillOpacity;
    fills[key] = (fills[key] || 0) + 1;
  });
  const dots = new Set();
  document.querySelectorAll('.leaflet-marker-pane .kk-dot').forEach(d => dots.add(rgb(getComputedStyle(d).backgroundColor)));
  return {legend: [...legend], fills, dots: [...dots]};
}"""

# In the map's frame: is any kommun shape under the legend? Every 3 px of the legend's
# box is asked which elements lie there, through the legend.
LEGEND_OVER_LAND_JS = """() => {
  const legend = document.querySelector('.kk-legend');
  const box = legend.getBoundingClientRect();
  let hits = 0, probes = 0;
  for (let x = box.left; x <= box.right; x += 3) {
    for (let y = box.top; y <= box.bottom; y += 3) {
      probes++;
      if (document.elementsFromPoint(x, y).some(e => e.matches('path.leaflet-interactive'))) hits++;
    }
  }
  const shapes = [...document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive')];
  const land = shapes.map(p => p.getBoundingClientRect());
  const union = {
    left: Math.min(...land.map(r => r.left)), right: Math.max(...land.map(r => r.right)),
    top: Math.min(...land.map(r => r.top)), bottom: Math.max(...land.map(r => r.bottom)),
  };
  return {hits, probes, shapes: shapes.length, box: [box.left, box.top, box.width, box.height], union,
          frame: [innerWidth, innerHeight]};
}"""


def _hex_to_rgb(color: str) -> str:
    color = color.lstrip("#")
    return ",".join(str(int(color[i : i + 2], 16)) for i in (0, 2, 4))


def _open_map(browser, url: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed(timeout=60_000)
    page.frame_locator(MAP_FRAME).first.locator(".kk-legend").wait_for(timeout=60_000)
    page.frame_locator(MAP_FRAME).first.locator(".leaflet-overlay-pane path:not(.leaflet-interactive)").first.wait_for(
        timeout=30_000
    )
    page.wait_for_timeout(800)  # the last layers of the same render
    frame = next(f for f in page.frames if f.evaluate("() => Boolean(window.map)"))
    return page, frame


@pytest.mark.parametrize("width,height", SCREENS)
def test_every_fill_on_the_overview_is_a_legend_entry(browser, app_url, dataset, width, height):
    """No blended fills: every shape's fill and every dot is a colour the legend shows,
    each fill is opaque (so none can mix with one below), and what the eye sees inside
    Sweden (the screenshot's pixels) is legend colours and lines, nothing else."""
    page, frame = _open_map(browser, app_url, width, height)
    found = frame.evaluate(FILLS_JS)
    legend = set(found["legend"])
    assert {_hex_to_rgb(c) for c in dataset.networks["color"]} <= legend
    fills = {key.split("@")[0] for key in found["fills"]}
    assert fills <= legend, fills - legend
    assert {key.split("@")[1] for key in found["fills"]} == {"1"}  # opaque: nothing blends
    assert len(fills) >= 8  # networks, greys of counts and the plain background all drawn
    assert found["dots"] and set(found["dots"]) <= legend | {"255,255,255"}
    # The pixels: every colour covering a visible share of Sweden is near a legend colour
    # or a line colour (borders, outlines); a blend of two fills would be neither.
    from PIL import Image

    frame_box = page.locator(MAP_FRAME).first.bounding_box()
    land = frame.evaluate(LEGEND_OVER_LAND_JS)["union"]
    clip = {
        "x": frame_box["x"] + land["left"],
        "y": frame_box["y"] + land["top"],
        "width": land["right"] - land["left"],
        "height": min(land["bottom"], frame_box["height"]) - land["top"],
    }
    shot = ARTIFACTS / f"overview_{width}x{height}.png"
    page.screenshot(path=str(shot))
    image = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    pixels = image.getcolors(maxcolors=1 << 20)
    total = image.width * image.height
    allowed = [tuple(int(v) for v in c.split(",")) for c in legend]
    allowed += [(0x9A, 0x9A, 0x9A), (0x44, 0x44, 0x44), (0x55, 0x55, 0x55), (0x11, 0x11, 0x11), (0xDD, 0xDD, 0xDD)]
    allowed += [(255, 255, 255), (0, 0, 0), (0x22, 0x22, 0x22)]
    strangers = {
        color: count
        for count, color in pixels
        if count > total * 0.002 and min(sum(abs(a - b) for a, b in zip(color, ok)) for ok in allowed) > 24
    }
    assert not strangers, strangers
    page.close()


@pytest.mark.parametrize("width,height", SCREENS)
@pytest.mark.parametrize("path", ["", "/presentation?views=overview"])
def test_the_legend_never_covers_a_kommun(browser, app_url, path, width, height):
    page, frame = _open_map(browser, app_url + path, width, height)
    found = frame.evaluate(LEGEND_OVER_LAND_JS)
    assert found["shapes"] >= 290 and found["probes"] > 500
    assert found["hits"] == 0, found
    page.close()


@pytest.mark.parametrize("width,height", SCREENS)
def test_presentation_fills_the_screen_height_with_figures_beside_the_map(browser, app_url, width, height):
    page, frame = _open_map(browser, app_url + "/presentation?views=overview", width, height)
    map_box = page.locator(MAP_FRAME).first.bounding_box()
    assert map_box["height"] >= 0.85 * height and map_box["y"] + map_box["height"] <= height + 2
    figure = page.locator('[data-testid="stMetric"]').first.bounding_box()
    assert figure["x"] + figure["width"] <= map_box["x"]  # beside the map, not above it
    land = frame.evaluate(LEGEND_OVER_LAND_JS)["union"]
    assert land["bottom"] - land["top"] >= 0.8 * map_box["height"]  # Sweden fills the height
    page.screenshot(path=str(ARTIFACTS / f"presentation_{width}x{height}.png"))
    page.close()


def test_screen_parameter_still_fixes_the_map_height(browser, app_url):
    page, _ = _open_map(browser, app_url + "/presentation?views=overview&screen=720", 1920, 1080)
    assert abs(page.locator(MAP_FRAME).first.bounding_box()["height"] - 600) <= 2
    page.close()


@pytest.mark.parametrize("width,height", SCREENS)
def test_small_multiples_on_the_overview_and_in_presentation(browser, app_url, width, height):
    for path, name in (("/?view=multiples", "multiples"), ("/presentation?views=multiples", "presentation_multiples")):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(app_url + path)
        image = page.locator('[data-testid="stImage"] img').first
        image.wait_for(timeout=90_000)
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        box = image.bounding_box()
        assert box["width"] > 0.5 * width or box["height"] > 0.6 * height
        page.screenshot(path=str(ARTIFACTS / f"{name}_{width}x{height}.png"))
        page.close()
