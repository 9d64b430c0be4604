"""Time to the first map (issue 15, item 5): from navigation until all 290 kommun shapes
are drawn on the overview, in Debian's Chromium driven by Playwright.

    .venv/bin/python benchmarks/first_map.py [--runs 5] [--no-cold]

Measured in the same run, the obvious alternative: a bare folium map of the same 290
kommun shapes (folium.GeoJson of geo.kommuner(), Leaflet served locally the same way)
shown by streamlit-folium in a one-line Streamlit app; visits to the two alternate, so a
change in the machine's load weighs on both alike. Warm: the server has already
drawn the page once (its caches are full); each visit is a new browser page. Cold: a new
server for every visit (a fresh process, empty caches), timed from the navigation, not
from the server start. Median of --runs visits each. Target: overview warm <= 1.2 s.

The moment of drawing is taken inside the page: a script in every frame counts the
interactive SVG paths of Leaflet's overlay pane on every animation frame and records
the time at which there are 290 (and, for the overview, the network layers too).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kommunkarta import paths  # noqa: E402
from kommunkarta.cli import run  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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
TARGET_WARM_S = 1.2
KOMMUNER = 290

# Runs in the page: on every animation frame, looks into the map's component frame
# (same origin) and records when Leaflet's overlay pane holds all kommun shapes, and
# when the painted (non-interactive) network layers are there too.
PROBE = """
(() => {
  if (window.top !== window) return;
  function check() {
    for (const frame of document.querySelectorAll('iframe')) {
      let pane = null;
      try { pane = frame.contentDocument && frame.contentDocument.querySelector('.leaflet-overlay-pane'); } catch (e) {}
      if (!pane) continue;
      const shapes = pane.querySelectorAll('path.leaflet-interactive').length;
      const painted = pane.querySelectorAll('path:not(.leaflet-interactive)').length;
      const now = performance.timeOrigin + performance.now();
      if (shapes >= %d && window.__kkShapes === undefined) window.__kkShapes = now;
      if (shapes >= %d && painted > 0 && window.__kkPainted === undefined) window.__kkPainted = now;
    }
    if (window.__kkShapes === undefined || window.__kkPainted === undefined) requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
""" % (KOMMUNER, KOMMUNER)

BARE_APP = '''"""The bare alternative: folium's own GeoJson of the same 290 shapes in st_folium."""
import folium
import streamlit as st
from streamlit_folium import st_folium

from kommunkarta import geo
from kommunkarta.outputs.leaflet_assets import localise

st.set_page_config(layout="wide")


@st.cache_resource
def shapes():
    return geo.kommuner()[["kommun_kod", "kommun", "geometry"]]


m = folium.Map(location=[62.5, 16.5], zoom_start=5, tiles=None)
folium.GeoJson(shapes(), tooltip=folium.GeoJsonTooltip(fields=["kommun"])).add_to(m)
st_folium(localise(m), height=720, use_container_width=True, returned_objects=[])
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(script: Path, home: Path):
    port = free_port()
    env = dict(os.environ, KOMMUNKARTA_HOME=str(home))
    command = [sys.executable, "-m", "streamlit", "run", str(script), *run.STREAMLIT_OPTIONS]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    log = open(home / f"streamlit-{port}.log", "w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=script.parent)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start; see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def visit(browser, url: str, width: int = 1400, height: int = 1000) -> dict:
    """Seconds from navigation until all kommun shapes are drawn (and painted)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(PROBE)
    sizes: dict[str, int] = {}

    def record(response):
        try:
            if "/_stcore/stream" in response.url:
                return
            sizes[response.url] = len(response.body())
        except Exception:
            pass

    page.on("response", record)
    # The websocket frames carry the map's script; count their bytes too.
    ws_bytes = [0]
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: ws_add(ws_bytes, payload)))
    page.goto(url)
    page.wait_for_function("() => window.__kkShapes !== undefined", timeout=60_000)
    shapes = page.evaluate("() => (window.__kkShapes - performance.timeOrigin) / 1000")
    try:
        page.wait_for_function("() => window.__kkPainted !== undefined", timeout=5_000)
        painted = page.evaluate("() => (window.__kkPainted - performance.timeOrigin) / 1000")
    except Exception:
        painted = None
    page.close()
    return {"shapes_s": shapes, "painted_s": painted, "ws_bytes": ws_bytes[0], "http_bytes": sum(sizes.values())}


def ws_add(counter, payload) -> None:
    counter[0] += len(payload)


def median_of(samples: list[dict], field: str) -> float | None:
    values = [s[field] for s in samples if s[field] is not None]
    return statistics.median(values) if values else None


def measure(browser, scripts: dict[str, Path], runs: int, cold: bool) -> dict[str, dict[str, list[dict]]]:
    """Visits to each app, taken in turn (app, alternative, app, ...), so that a change
    in the machine's load during the run weighs on both alike."""
    results: dict[str, dict[str, list[dict]]] = {label: {"warm": []} for label in scripts}
    homes = {label: Path(tempfile.mkdtemp(prefix="kk-bench-")) for label in scripts}
    try:
        for script in scripts.values():
            if script.parent != paths.runtime_dir():
                shutil.copytree(paths.static_dir(), script.parent / "static", dirs_exist_ok=True)
        with contextlib.ExitStack() as stack:
            urls = {label: stack.enter_context(server(script, homes[label])) for label, script in scripts.items()}
            for url in urls.values():
                visit(browser, url)  # fills the server's caches
            for _ in range(runs):
                for label, url in urls.items():
                    results[label]["warm"].append(visit(browser, url))
        if cold:
            for _ in range(runs):
                for label, script in scripts.items():
                    with server(script, homes[label]) as url:
                        results[label].setdefault("cold", []).append(visit(browser, url))
    finally:
        for home in homes.values():
            shutil.rmtree(home, ignore_errors=True)
    for label, kinds in results.items():
        for kind, samples in kinds.items():
            shapes, painted = median_of(samples, "shapes_s"), median_of(samples, "painted_s")
            ws = median_of(samples, "ws_bytes")
            line = f"{label} {kind}: 290 shapes drawn {shapes:.2f} s (median of {len(samples)}"
            runs_text = ", ".join(f"{s['shapes_s']:.2f}" for s in samples)
            line += f"; runs {runs_text})"
            if painted is not None and label == "overview":
                line += f", network layers painted {painted:.2f} s"
            line += f", websocket {ws / 1e3:,.0f} kB"
            print(line, flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-cold", action="store_true", help="warm server only")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    app_script = run.prepare_runtime()
    bare_dir = Path(tempfile.mkdtemp(prefix="kk-bare-"))
    bare_script = bare_dir / "bare_app.py"
    bare_script.write_text(BARE_APP)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            results = measure(
                browser, {"overview": app_script, "bare folium": bare_script}, args.runs, not args.no_cold
            )
            browser.close()
        app, bare = results["overview"], results["bare folium"]
    finally:
        shutil.rmtree(bare_dir, ignore_errors=True)
    figures = {}
    for kind in app:
        ours, theirs = median_of(app[kind], "shapes_s"), median_of(bare[kind], "shapes_s")
        figures[kind] = {"overview_s": round(ours, 3), "bare_s": round(theirs, 3), "ratio": round(ours / theirs, 2)}
        verdict = ""
        if kind == "warm":
            verdict = "  OK" if ours <= TARGET_WARM_S else "  OVER TARGET"
            verdict = f" (target <= {TARGET_WARM_S} s){verdict}"
        print(f"{kind}: overview {ours:.2f} s, bare folium {theirs:.2f} s, ratio {ours / theirs:.2f}{verdict}")
    print(f"load average during the run: {', '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
