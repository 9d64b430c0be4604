"""The grid map in the browser (issue 21, section 4): every populated square of the embedded
national grid (103,464 squares) coloured by its distance class, from navigation until drawn,
in Debian's Chromium driven by Playwright. Target: <= 1.5 s.

    .venv/bin/python benchmarks/grid_map.py [--runs 3] [--timeout 120]

Measured in the same run, the obvious alternative: the same squares as folium GeoJSON
polygons (one 1 km square each, coloured by class) over the same län borders. Both maps
are the offline HTML export (formats.standalone_html: Leaflet inlined), opened from a
file with every request to a host refused; visits alternate, so a change in the machine's
load weighs on both alike. The moment of drawing is taken inside the page on every
animation frame: the overlay image loaded and decoded, or all the squares' paths in the
overlay pane. Also printed: rendering the image (once per question, then read from
$KOMMUNKARTA_HOME/cache/grid_maps) and the files' sizes.

Distances: straight line from every square to the nearest of SCB's tätorter (the embedded
stand-in for a shop layer; the chain-store file is never used here).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402

from kommunkarta.outputs import formats, grid_maps  # noqa: E402
from kommunkarta.outputs.leaflet_assets import localise  # noqa: E402
from kommunkarta.service import analysis, defaults, grid_map  # noqa: E402
from tests.support.browser import chromium  # noqa: E402

TARGET_S = 1.5

PROBE = """
(() => {
  function check() {
    const now = performance.now() / 1000;
    const image = document.querySelector('img.leaflet-image-layer');
    if (image && image.complete && image.naturalWidth > 0 && window.__kkDrawn === undefined) {
      image.decode().then(() => requestAnimationFrame(() => { window.__kkDrawn = performance.now() / 1000; }));
      return;
    }
    const pane = document.querySelector('.leaflet-overlay-pane');
    const paths = pane ? pane.querySelectorAll('path.kk-square').length : 0;
    if (window.__kkSquares && paths >= window.__kkSquares && window.__kkDrawn === undefined) {
      window.__kkDrawn = now;
      return;
    }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
"""


def squares_and_classes():
    squares = defaults.population_grid()
    places = analysis.Facilities.build(analysis.with_xy(defaults.tatort_origins()).assign(kind="grocery"))
    km = places.nearest(squares[["x", "y"]].to_numpy(), k=1)[0][:, 0] / 1000
    return squares, grid_map.distance_class(km, "km")


def image_map(squares, classes, home: Path) -> tuple[bytes, float, float]:
    import os

    os.environ["KOMMUNKARTA_HOME"] = str(home)
    x, y = squares["x"].to_numpy(), squares["y"].to_numpy()
    key = grid_map.cache_key("benchmark", len(x))
    start = time.perf_counter()
    image = grid_map.cached_image(key, lambda: grid_map.render(x, y, classes, grid_map.colours_of("km")))
    rendered = time.perf_counter() - start
    start = time.perf_counter()
    image = grid_map.cached_image(key, lambda: grid_map.render(x, y, classes, grid_map.colours_of("km")))
    read = time.perf_counter() - start
    m = grid_maps.grid_class_map(image, "km", "km fågelvägen – SCB:s befolkningsrutnät 1 km 2024")
    return formats.standalone_html(m), rendered, read


def polygon_map(squares, classes) -> bytes:
    """The alternative: one GeoJSON polygon per square, in its class's colour."""
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs(3006, 4326, always_xy=True)
    x, y = squares["x"].to_numpy(), squares["y"].to_numpy()
    corners = [(-500, -500), (500, -500), (500, 500), (-500, 500), (-500, -500)]
    ring = [to_lonlat.transform(x + dx, y + dy) for dx, dy in corners]
    colours = grid_map.colours_of("km")
    features = [
        {
            "type": "Feature",
            "properties": {"c": colours[int(c)]},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[round(lon[i], 5), round(lat[i], 5)] for lon, lat in ring]],
            },
        }
        for i, c in enumerate(classes)
    ]
    m = folium.Map(tiles=None)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: {
            "fillColor": f["properties"]["c"],
            "color": f["properties"]["c"],
            "weight": 0,
            "fillOpacity": 0.9,
            "className": "kk-square",
        },
    ).add_to(m)
    m.fit_bounds([[55.2, 10.9], [69.1, 24.2]])
    return formats.standalone_html(localise(m))


def visit(browser, path: Path, squares: int, timeout_s: float) -> float | None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    page.add_init_script(f"window.__kkSquares = {squares};" if "polygons" in path.name else "")
    page.add_init_script(PROBE)
    try:
        page.goto(path.as_uri(), timeout=timeout_s * 1000)
        page.wait_for_function("() => window.__kkDrawn !== undefined", timeout=timeout_s * 1000)
        return page.evaluate("() => window.__kkDrawn")
    except Exception as error:  # the alternative may not finish in time
        print(f"  {path.name}: not drawn within {timeout_s:.0f} s ({type(error).__name__})")
        return None
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kk-grid-map-"))
    try:
        squares, classes = squares_and_classes()
        page, rendered, read = image_map(squares, classes, work / "home")
        (work / "image.html").write_bytes(page)
        (work / "polygons.html").write_bytes(polygon_map(squares, classes))
        print(f"squares: {len(squares):,}")
        print(f"image rendered once: {rendered:.2f} s; read back from the cache: {read * 1000:.0f} ms")
        for name in ("image.html", "polygons.html"):
            print(f"{name}: {(work / name).stat().st_size / 1e6:.1f} MB")
        times: dict[str, list[float | None]] = {"image.html": [], "polygons.html": []}
        with chromium() as browser:
            for _ in range(args.runs):
                for name in times:
                    times[name].append(visit(browser, work / name, len(squares), args.timeout))
        medians = {}
        for name, samples in times.items():
            done = [s for s in samples if s is not None]
            medians[name] = statistics.median(done) if done else None
            shown = ", ".join(f"{s:.2f}" if s is not None else "–" for s in samples)
            print(f"{name}: drawn after {shown} s; median {medians[name] or float('nan'):.2f} s")
        image_s, polygons_s = medians["image.html"], medians["polygons.html"]
        verdict = "met" if image_s is not None and image_s <= TARGET_S else "MISSED"
        print(f"grid map (image overlay): {image_s:.2f} s, target <= {TARGET_S} s: {verdict}")
        if polygons_s is not None:
            print(f"GeoJSON polygons: {polygons_s:.2f} s; ratio polygons / image: {polygons_s / image_s:.1f}")
        else:
            print(f"GeoJSON polygons: not drawn within {args.timeout:.0f} s; ratio > {args.timeout / image_s:.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
