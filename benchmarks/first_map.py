"""Time to the first map (issues 15 and 22): from navigation until all 290 kommun shapes
are drawn, in Debian's Chromium driven by Playwright, on the overview, a network page,
the kommun profile and the presentation.

    .venv/bin/python benchmarks/first_map.py [--runs 5] [--cold-runs 3] [--no-cold] [--grace 20]
        [--cold-page overview --cold-page presentation ...]
    .venv/bin/python benchmarks/first_map.py --timeline

``--timeline`` prints one warm visit of each page and of the bare folium map event by
event (resources of the page and of the map's frame with their sizes, websocket
messages, elements as they appear, long tasks, the map frame's render message and
window.map, the moment all shapes are drawn), to see where the time goes.

Measured in the same run, the obvious alternative: a bare folium map of the same 290
kommun shapes (folium.GeoJson of geo.kommuner(), Leaflet served locally the same way)
shown by streamlit-folium in a one-line Streamlit app; visits alternate between the
pages and the alternative, so a change in the machine's load weighs on all alike. Warm:
the server's start-up warm-up has ended and the server has drawn the page once (its
caches are full); each visit is a new browser context, so nothing is cached in the
browser either (the shapes file is fetched on every visit). Cold: the dashboard started anew by `kommunkarta run` (same home, as
at a restart) for every visit, the visit made --grace seconds after the health check
answers; with the start-up warm-up (ui/warmup.py) and, for comparison, without it
(KOMMUNKARTA_NO_WARMUP=1), with the time to a healthy server for each. Median of the
visits. Targets (issue 22): warm <= 1.1 s and faster than the bare folium map; the first
visitor after a start <= 1.5 s.

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
import signal
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
from tests.support.browser import chromium  # noqa: E402

TARGET_WARM_S = 1.1
TARGET_COLD_S = 1.5
KOMMUNER = 290
# The dashboard's pages with a national map of every kommun, and their links.
PAGES = {
    "overview": "/",
    "network page": "/natverk-tornedalsradet",
    "kommun profile": "/kommun?kommun=Kiruna",  # as the overview's kommun panel and a shared link open it
    "presentation": "/presentation?views=overview",
}

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
      if (shapes >= __KOMMUNER__ && window.__kkShapes === undefined) window.__kkShapes = now;
      if (shapes >= __KOMMUNER__ && painted > 0 && window.__kkPainted === undefined) window.__kkPainted = now;
    }
    if (window.__kkShapes === undefined || window.__kkPainted === undefined) requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
""".replace("__KOMMUNER__", str(KOMMUNER))

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


def warmup_running(server_pid: int) -> bool:
    """Whether the start-up warm-up that `kommunkarta run` started beside the server
    (ui/warmup.py, a child of the server's process) is still at work."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes()
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == server_pid and b"kommunkarta.ui.warmup" in command:
            return True
    return False


@contextmanager
def server(script: Path | None, home: Path, warmup: bool = True, timing: dict | None = None, settled: bool = False):
    """A server on a free port: ``script`` under `streamlit run`, or (None) the dashboard
    by `kommunkarta run`, with its start-up warm-up unless ``warmup`` is False;
    ``settled``: yielded once that warm-up has ended (a warm server is not still
    warming up while it is measured)."""
    port = free_port()
    env = dict(os.environ, KOMMUNKARTA_HOME=str(home))
    address = ["--server.port", str(port), "--server.address", "127.0.0.1"]
    if script is None:
        command = [str(Path(sys.executable).parent / "kommunkarta"), "run", *address]
        env["KOMMUNKARTA_NO_WARMUP"] = "0" if warmup else "1"
        cwd = home
    else:
        command = [sys.executable, "-m", "streamlit", "run", str(script), *run.STREAMLIT_OPTIONS, *address]
        cwd = script.parent
    log = open(home / f"streamlit-{port}.log", "w")
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)
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
            time.sleep(0.1)
        if timing is not None:
            timing["healthy_s"] = time.monotonic() - started
        while settled and script is None and warmup_running(process.pid):
            if time.monotonic() > deadline + 120:
                raise RuntimeError(f"the start-up warm-up did not end; see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # the server and its warm-up
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


# --timeline: in every frame (the page and the map's frame), what happened when, in
# milliseconds since the epoch so that the frames' clocks line up: the websocket's
# messages (page), elements as they enter the page (by data-testid), long tasks, the
# scripts' load events, the first render message and window.map (map frame).
TIMELINE_PROBE = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const log = (window.__kkLog = []);
  const top = window.top === window;
  if (top) {
    const Native = window.WebSocket;
    window.WebSocket = function (...args) {
      const socket = new Native(...args);
      socket.addEventListener('message', (e) => {
        const size = e.data.byteLength !== undefined ? e.data.byteLength : (e.data.size || e.data.length || 0);
        log.push([now(), 'ws', size]);
      });
      return socket;
    };
    window.WebSocket.prototype = Native.prototype;
    Object.assign(window.WebSocket, Native);
    const seen = new Set();
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid], iframe')) {
        if ((el.getAttribute('data-testid') || '').startsWith('glide-cell')) continue;  // a table's cells
        const id = el.tagName === 'IFRAME' ? 'iframe ' + (el.title || '') : el.getAttribute('data-testid');
        if (!seen.has(id)) { seen.add(id); log.push([now(), 'element', id]); }
      }
    }).observe(document, {subtree: true, childList: true});
  } else {
    window.addEventListener('message', (e) => {
      if (e.data && e.data.type && !log.some((x) => x[1] === 'message ' + e.data.type)) log.push([now(), 'message ' + e.data.type, 0]);
    });
    let map;
    Object.defineProperty(window, 'map', {configurable: true, get: () => map, set: (v) => { map = v; log.push([now(), 'window.map set', 0]); }});
    document.addEventListener('load', (e) => {
      if (e.target.tagName === 'SCRIPT') log.push([now(), 'script loaded', e.target.src]);
    }, true);
  }
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) log.push([performance.timeOrigin + entry.startTime, 'long task', entry.duration]);
    }).observe({type: 'longtask', buffered: true});
  } catch (e) {}
})();
"""

COLLECT = """() => {
  const out = {origin: performance.timeOrigin, log: window.__kkLog || [], resources: [], navigation: null};
  for (const e of performance.getEntriesByType('resource'))
    out.resources.push([performance.timeOrigin + e.startTime, performance.timeOrigin + e.responseEnd, e.name, e.initiatorType, e.decodedBodySize]);
  const n = performance.getEntriesByType('navigation')[0];
  if (n) out.navigation = [n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd].map((t) => performance.timeOrigin + t);
  return out;
}"""


def timeline(browser, url: str, width: int = 1400, height: int = 1000) -> list[tuple[float, float | None, str, str]]:
    """One visit's events: (start s, end s or None, frame, what), times from navigation."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(PROBE)
    page.add_init_script(TIMELINE_PROBE)
    page.goto(url)
    page.wait_for_function("() => window.__kkShapes !== undefined", timeout=60_000)
    page.wait_for_timeout(1500)  # what follows the drawing (other elements, long tasks)
    main = page.evaluate(COLLECT)
    shapes = page.evaluate("() => window.__kkShapes")
    origin = main["origin"]
    frames = [("page", main)]
    for frame in page.frames[1:]:
        with contextlib.suppress(Exception):
            frames.append((frame.name or frame.url.rsplit("/", 2)[-2], frame.evaluate(COLLECT)))
    page.close()
    events: list[tuple[float, float | None, str, str]] = []

    def at(t):
        return (t - origin) / 1000

    for name, data in frames:
        if data["navigation"]:
            response, dom, load = data["navigation"]
            events.append((at(data["origin"]), at(response), name, "document"))
            events.append((at(dom), None, name, "DOMContentLoaded"))
            events.append((at(load), None, name, "load"))
        for start, end, resource, kind, size in data["resources"]:
            short = resource.split("?")[0].replace(url, "")
            events.append((at(start), at(end), name, f"{kind} {short} ({size / 1e3:,.0f} kB)"))
        for t, what, detail in data["log"]:
            if what == "ws":
                events.append((at(t), None, name, f"websocket message {detail / 1e3:,.1f} kB"))
            elif what == "long task":
                events.append((at(t), at(t + detail), name, f"long task {detail:.0f} ms"))
            elif what == "script loaded":
                events.append((at(t), None, name, f"script loaded {str(detail).replace(url, '')}"))
            else:
                events.append((at(t), None, name, f"{what} {detail or ''}".strip()))
    events.append((at(shapes), None, "page", f"PROBE: {KOMMUNER} shapes drawn"))
    return sorted(events, key=lambda e: e[0])


def print_timeline(label: str, events) -> None:
    print(f"\n== {label} ==")
    for start, end, frame, what in events:
        span = f"-{end:6.3f} ({(end - start) * 1000:5.0f} ms)" if end is not None else " " * 18
        print(f"{start:7.3f}{span}  [{frame[:14]:>14}] {what}")


def ws_add(counter, payload) -> None:
    counter[0] += len(payload)


def median_of(samples: list[dict], field: str) -> float | None:
    values = [s[field] for s in samples if s[field] is not None]
    return statistics.median(values) if values else None


def measure(
    browser, bare_script: Path, runs: int, cold_runs: int, grace: float, cold_pages: tuple[str, ...] = ("overview",)
) -> dict[str, dict[str, list[dict]]]:
    """Visits to each page and to the alternative, taken in turn (overview, bare, network
    page, presentation, overview, ...), so that a change in the machine's load during the
    run weighs on all alike. Cold: each of ``cold_pages`` as the first visit after a start
    (the overview also without the warm-up), and the bare map."""
    labels = [*PAGES, "bare folium"]
    results: dict[str, dict[str, list[dict]]] = {label: {"warm": []} for label in labels}
    home = Path(tempfile.mkdtemp(prefix="kk-bench-"))
    bare_home = Path(tempfile.mkdtemp(prefix="kk-bench-bare-"))
    try:
        shutil.copytree(paths.static_dir(), bare_script.parent / "static", dirs_exist_ok=True)
        with contextlib.ExitStack() as stack:
            app = stack.enter_context(server(None, home, settled=True))
            bare = stack.enter_context(server(bare_script, bare_home))
            urls = {label: app + path for label, path in PAGES.items()} | {"bare folium": bare}
            for url in urls.values():
                visit(browser, url)  # fills the server's caches
            for _ in range(runs):
                for label in labels:
                    results[label]["warm"].append(visit(browser, urls[label]))
        for _ in range(cold_runs):
            for label, kind, script, where, warm in (
                *((page, "cold", None, home, True) for page in cold_pages),
                ("overview", "cold, no warm-up", None, home, False),
                ("bare folium", "cold", bare_script, bare_home, True),
            ):
                timing: dict = {}
                with server(script, where, warmup=warm, timing=timing) as url:
                    time.sleep(grace)
                    sample = visit(browser, url + (PAGES[label] if script is None else ""))
                sample["healthy_s"] = timing["healthy_s"]
                results[label].setdefault(kind, []).append(sample)
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(bare_home, ignore_errors=True)
    for label, kinds in results.items():
        for kind, samples in kinds.items():
            shapes, painted = median_of(samples, "shapes_s"), median_of(samples, "painted_s")
            ws, http = median_of(samples, "ws_bytes"), median_of(samples, "http_bytes")
            line = f"{label} {kind}: 290 shapes drawn {shapes:.2f} s (median of {len(samples)}"
            runs_text = ", ".join(f"{s['shapes_s']:.2f}" for s in samples)
            line += f"; runs {runs_text})"
            if painted is not None and label == "overview":
                line += f", network layers painted {painted:.2f} s"
            line += f", websocket {ws / 1e3:,.0f} kB, HTTP {http / 1e3:,.0f} kB"
            if "healthy_s" in samples[0]:
                line += f", healthy after {median_of(samples, 'healthy_s'):.1f} s"
            print(line, flush=True)
    return results


def show_timelines(browser, bare_script: Path) -> None:
    """A warm visit of each page and of the bare folium map, event by event."""
    home = Path(tempfile.mkdtemp(prefix="kk-bench-"))
    bare_home = Path(tempfile.mkdtemp(prefix="kk-bench-bare-"))
    try:
        shutil.copytree(paths.static_dir(), bare_script.parent / "static", dirs_exist_ok=True)
        with server(None, home, settled=True) as app, server(bare_script, bare_home) as bare:
            urls = {label: app + path for label, path in PAGES.items()} | {"bare folium": bare}
            for url in urls.values():
                visit(browser, url)  # fills the server's caches
            for label, url in urls.items():
                print_timeline(f"{label}: {url}", timeline(browser, url))
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(bare_home, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--no-cold", action="store_true", help="warm server only")
    parser.add_argument("--grace", type=float, default=20.0, help="seconds between the health check and a cold visit")
    parser.add_argument(
        "--cold-page",
        action="append",
        choices=list(PAGES),
        help="a page measured as the first visit after a start (repeatable; default: the overview)",
    )
    parser.add_argument(
        "--timeline", action="store_true", help="print what happens when during one warm visit of each page, then stop"
    )
    args = parser.parse_args()

    load_before = os.getloadavg()
    run.prepare_runtime()
    bare_dir = Path(tempfile.mkdtemp(prefix="kk-bare-"))
    bare_script = bare_dir / "bare_app.py"
    bare_script.write_text(BARE_APP)
    if args.timeline:
        try:
            with chromium() as browser:
                show_timelines(browser, bare_script)
        finally:
            shutil.rmtree(bare_dir, ignore_errors=True)
        return 0
    try:
        with chromium() as browser:
            results = measure(
                browser,
                bare_script,
                args.runs,
                0 if args.no_cold else args.cold_runs,
                args.grace,
                tuple(args.cold_page or ["overview"]),
            )
    finally:
        shutil.rmtree(bare_dir, ignore_errors=True)
    bare = results["bare folium"]
    figures = {}
    print()
    for label in PAGES:
        for kind, samples in results[label].items():
            ours = median_of(samples, "shapes_s")
            theirs = median_of(bare.get("cold" if kind.startswith("cold") else kind, []), "shapes_s")
            target = TARGET_WARM_S if kind == "warm" else TARGET_COLD_S
            verdict = "OK" if ours <= target and (kind != "warm" or ours < theirs) else "OVER TARGET"
            figures[f"{label}, {kind}"] = {
                "s": round(ours, 3),
                "bare_s": round(theirs, 3),
                "ratio": round(ours / theirs, 2),
            }
            print(
                f"{label}, {kind}: {ours:.2f} s, bare folium {theirs:.2f} s, ratio {ours / theirs:.2f} "
                f"(target <= {target} s{', and faster than bare' if kind == 'warm' else ''}) {verdict}"
            )
    load_after = os.getloadavg()
    print(
        f"load average (1, 5, 15 min) before {', '.join(f'{v:.1f}' for v in load_before)}, "
        f"after {', '.join(f'{v:.1f}' for v in load_after)}, on {os.cpu_count()} cores"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
