"""The service page's map layers (issue 22): the time to build them and write them as the
script streamlit-folium sends, and its size, for the national view of the chain stores of
../shared/data at the three preset thresholds, with the embedded tätorter and grid.

    .venv/bin/python benchmarks/service_map_layers.py

Against the obvious alternative measured in the same run: the same points as folium
GeoJSON layers of circle markers with a GeoJsonTooltip (maps._points_layer, what the page
drew before). Also the page view with the nearest distances cached on the query without
its threshold (service.view.nearest) against computing them for every threshold."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
from streamlit_folium import _get_feature_group_string  # noqa: E402

from kommunkarta.outputs import maps  # noqa: E402
from kommunkarta.service import importers  # noqa: E402
from kommunkarta.service import query as service_query  # noqa: E402
from tests.support.service_sources import PlainSources  # noqa: E402

STORES = ROOT.parent / "shared" / "data" / "shops_fuel_se_poi" / "stores.csv"
THRESHOLDS = (2.0, 10.0, 30.0)
REPEAT = 3
TARGET_S = 0.15  # build and write the layers of one question (was about 0.5 s)


def geojson_layers(page) -> list[folium.FeatureGroup]:
    """The layers as the page drew them before: a folium GeoJSON layer per style."""
    view = page.service
    groups = []
    group = folium.FeatureGroup(name="f")
    shops = view.facilities_shown
    maps._points_layer(shops, maps.FACILITY_STYLE).add_to(group)
    vulnerable = shops[shops["id"].isin(set(view.isolated_ids))]
    if len(vulnerable):
        maps._points_layer(vulnerable, maps.VULNERABLE_STYLE).add_to(group)
    groups.append(group)
    rows, km = view.rows, page.query.threshold_km
    group = folium.FeatureGroup(name="o")
    for band, chosen in (
        ("within", rows["distance_km"] <= km * 2 / 3),
        ("near", (rows["distance_km"] > km * 2 / 3) & (rows["distance_km"] <= km)),
        ("beyond", rows["distance_km"] > km),
    ):
        if chosen.any():
            maps._points_layer(rows[chosen], maps.ORIGIN_STYLES[band]).add_to(group)
    groups.append(group)
    if view.grid_beyond is not None and len(view.grid_beyond):
        group = folium.FeatureGroup(name="g")
        labels = [
            f"{p} personer, {d:.1f} km" for p, d in zip(view.grid_beyond["population"], view.grid_beyond["distance_km"])
        ]
        maps._points_layer(view.grid_beyond.assign(name=labels), maps.GRID_BEYOND_STYLE).add_to(group)
        groups.append(group)
    return groups


def compact_layers(page) -> list[folium.FeatureGroup]:
    view = page.service
    drawn = maps.access_layers(view.rows, view.facilities_shown, page.query.threshold_km, view.isolated_ids)
    if view.grid_beyond is not None:
        drawn.append(maps.grid_beyond_layer(view.grid_beyond))
    return drawn


def written(layers) -> str:
    """What streamlit-folium writes of the layers (as _layer_arguments does, on a fresh map)."""
    m = folium.Map()
    return "".join(_get_feature_group_string(layer, m, i) for i, layer in enumerate(layers))


def timed(make) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(REPEAT):
        start = time.perf_counter()
        size = len(written(make()).encode())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


class Sources(PlainSources):
    def area_grid(self, scope):
        return None

    def mines(self):
        return None


def main() -> int:
    if not STORES.exists():
        print(f"{STORES} is absent: nothing to measure")
        return 0
    shops = importers.read_points(STORES).points
    kinds = ("grocery",) if "grocery" in set(shops["kind"]) else ()
    sources = Sources(shops)
    layer = service_query.LayerRef("butiker", "1", "Kedjebutiker")
    worst = 0.0
    for km in THRESHOLDS:
        asked = service_query.ServiceQuery(
            layer, kinds, service_query.TATORTER, grid=service_query.embedded_grid(), threshold_km=km
        )
        page = service_query.page_view(asked, sources, "sv", closable_shops=shops)
        points = len(page.service.rows) + len(page.service.facilities_shown) + len(page.service.grid_beyond)
        old_s, old_bytes = timed(lambda page=page: geojson_layers(page))
        new_s, new_bytes = timed(lambda page=page: compact_layers(page))
        worst = max(worst, new_s)
        print(
            f"{km:4.0f} km, {points} points: compact {new_s * 1000:6.0f} ms {new_bytes / 1000:7.0f} kB;"
            f" GeoJSON layers {old_s * 1000:6.0f} ms {old_bytes / 1000:7.0f} kB;"
            f" ratio {old_s / new_s:4.1f}x time, {old_bytes / new_bytes:4.1f}x bytes"
        )
    print(
        f"target: layers of one question <= {TARGET_S} s: worst {worst:.3f} s {'ok' if worst <= TARGET_S else 'OVER'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
