"""A filter change on the overview map (issue 22): the CPU time to write the filtered
networks' layers and the layer control as the script streamlit-folium sends
(ui/folium_component._layer_arguments: the layers written on a copy of the map as
st_folium leaves it, renamed once), for a few filters of the curated data.

    .venv/bin/python benchmarks/overview_layers.py [--runs 20]

Against the obvious alternative measured in the same run: ``st_folium`` itself, given
the same map and layers (``feature_group_to_add``, ``layer_control``, ``render=False``),
which renders the whole map again to write them. Both answers are checked equal first.
Also the share of the writing that goes into the layers' own elements: the same layers
with folium's render for PaintedGroup, KommunPaint and NetworkDots (which compiles each
element's output as a Jinja template once more) against ours (kept as text).
CPU time (time.process_time), median of ``--runs``; one process, no server."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILTERS = {  # label -> Filters arguments
    "all of Sweden": {},
    "one län (Norrbotten)": {"lan": ("25",)},
    "two networks": {"networks": ("tornedalsradet", "serviceutveckling_2022")},
}


def cpu_ms(run, runs: int) -> float:
    run()  # caches of the base map filled, code paths warm
    times = []
    for _ in range(runs):
        start = time.process_time()
        run()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


@contextlib.contextmanager
def folium_render():
    """PaintedGroup, KommunPaint and NetworkDots rendered by folium's own render."""
    from folium import FeatureGroup
    from folium.elements import JSCSSMixin

    from kommunkarta.outputs import maps

    saved = maps.PaintedGroup.render, maps._UsesShapes.render
    maps.PaintedGroup.render, maps._UsesShapes.render = FeatureGroup.render, JSCSSMixin.render
    try:
        yield
    finally:
        maps.PaintedGroup.render, maps._UsesShapes.render = saved


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ["KOMMUNKARTA_HOME"] = tempfile.mkdtemp(prefix="kk-layers-")
    logging.disable(logging.WARNING)  # Streamlit's "no script run context" in bare mode
    warnings.filterwarnings("ignore")

    import folium

    from kommunkarta import selection
    from kommunkarta.ui import folium_component, maps

    spec = ("overview_map", None, "sv", False, True)  # the overview's map, no background

    def build():
        return maps.base_map(False), folium.LayerControl(collapsed=True)

    layer_arguments = folium_component._layer_arguments.__wrapped__  # uncached: the work itself
    print(f"CPU ms to write a filter's layers (median of {args.runs}):")
    print(f"{'filter':24} {'ours':>7} {'st_folium':>10} {'ratio':>6}   {'folium renders':>15} {'ratio':>6}")
    for label, arguments in FILTERS.items():
        filters = selection.Filters(**arguments)

        def ours(filters=filters):
            return layer_arguments(spec, (), build, lambda: maps.network_layers(filters, False))

        def st_folium(filters=filters):
            fig, control = build()
            layers = maps.network_layers(filters, False)
            written = folium_component.capture(
                fig, feature_group_to_add=layers, layer_control=control, render=False, key=spec[0]
            )
            return {name: written[name] for name in folium_component._LAYERS}

        if ours() != st_folium():
            raise SystemExit(f"{label}: the layers differ from what st_folium writes")
        ours_ms, theirs_ms = cpu_ms(ours, args.runs), cpu_ms(st_folium, args.runs)
        with folium_render():
            if ours() != st_folium():
                raise SystemExit(f"{label}: folium's render writes other layers")
            folium_ms = cpu_ms(ours, args.runs)
        print(
            f"{label:24} {ours_ms:7.1f} {theirs_ms:10.1f} {theirs_ms / ours_ms:5.1f}x"
            f"   {folium_ms:15.1f} {folium_ms / ours_ms:5.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
