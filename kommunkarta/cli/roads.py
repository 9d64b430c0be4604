"""Along the roads from the command line: ``roads import`` and ``roads list`` (stored road
networks), and ``service-access``/``vulnerable-shops`` with ``--roads`` (road distance or
drive time, over the grid computed once and stored)."""

from __future__ import annotations

import sys
from pathlib import Path

from .access import classes_file, grid_population, points_from, rows_are_squares
from .common import amount, language, say, write


def add_commands(commands, lang: str) -> None:
    road_cmd = commands.add_parser("roads", help="vägnät för avstånd längs vägarna")
    road_kinds = road_cmd.add_subparsers(dest="roads_command", required=True)
    road_import = road_kinds.add_parser(
        "import", help="läs ett vägnät ur en OSM-fil (.osm.pbf) eller en GeoPackage med linjer"
    )
    road_import.add_argument("file", type=Path)
    road_import.add_argument("--title", default=None, help="namnet vägnätet sparas under (standard: filens namn)")
    road_import.add_argument("--layer", default=None, help="lagret i en GeoPackage med flera lager")
    road_import.set_defaults(handler=_roads_import)
    road_kinds.add_parser("list", help="de sparade vägnäten").set_defaults(handler=_roads_list)


def road_arguments(parser) -> None:
    parser.add_argument(
        "--roads", default=None, help="ett sparat vägnät (id) eller en .osm.pbf/.gpkg-fil: avstånd längs vägarna"
    )
    parser.add_argument(
        "--measure", choices=["km", "minutes"], default="km", help="med --roads: närmast i km eller i minuter bilväg"
    )
    parser.add_argument("--threshold-minutes", type=float, default=30.0, help="tröskeln med --measure minutes")


def _progress(stage: str, done: int, total) -> None:
    text = say(f"cli_msg_road_stage_{stage}") if stage in ("ways", "nodes", "graph") else stage
    print(
        f"\r{text}: {done}" + (say("cli_msg_of_total", total=total) if total else ""),
        end="\n" if total and done >= total else "",
        file=sys.stderr,
    )


def _roads_import(args, _extra) -> int:
    from ..service import roads

    try:
        info = roads.import_file(args.file, args.title, progress=_progress, layer=args.layer)
    except roads.RoadImportError as err:
        print(f"kommunkarta roads import: {err}", file=sys.stderr)
        return 1
    print(
        say(
            "cli_msg_road_imported",
            id=info.id,
            nodes=amount(info.nodes),
            edges=amount(info.edges),
            oneway=amount(info.oneway_edges),
            ferry=amount(info.ferry_edges),
            km=f"{info.km:g}",
            time=info.osm_timestamp or say("cli_msg_unknown_time"),
        )
        + (f"; {info.attribution}" if info.attribution else "")
    )
    return 0


def _roads_list(args, _extra) -> int:
    from ..service import roads

    for info in roads.list_networks():
        nodes = say("cli_msg_nodes", n=info.nodes)
        print(f"{info.id}\t{info.title}\t{info.source}\t{nodes}\t{info.km:g} km\t{info.imported_at}")
    return 0


def _road_setup(args):
    """The network, the chosen facilities and the threshold the arguments ask for."""
    from ..service import analysis as straight
    from ..service import roads

    try:
        network = roads.resolve(args.roads, progress=_progress)
    except (KeyError, roads.RoadImportError) as err:
        print(f"kommunkarta: {err.args[0] if isinstance(err, KeyError) else err}", file=sys.stderr)
        raise SystemExit(2) from None
    kinds = tuple(k.strip() for k in args.kind.split(",") if k.strip())
    chosen = straight.facilities_of_kinds(points_from(args.facilities, "facilities"), kinds)
    threshold = args.threshold_km if args.measure == "km" else args.threshold_minutes
    unit = "km" if args.measure == "km" else "min"
    print(
        say(
            "cli_msg_road_setup",
            n=amount(len(chosen)),
            network=network.info.title if network.info else args.roads,
            threshold=f"{threshold:g}",
            unit=unit,
            attribution=roads.ATTRIBUTION,
        ),
        file=sys.stderr,
    )
    return network, chosen, kinds, threshold


def _road_grid(args, network, chosen, kinds):
    """The grid squares and the road result over them: stored, or computed and stored for
    every later call and process."""
    from ..service import defaults, road_grid, stored_layers

    population = grid_population(args)
    if population is None:
        print(say("cli_msg_grid_none_needs_origins"), file=sys.stderr)
        raise SystemExit(2)
    squares = population.points.reset_index(drop=True)
    layers = {info.id: info for info in stored_layers.list_layers()}
    layer = layers.get(args.facilities)
    key = road_grid.key_for(
        network,
        chosen,
        args.measure,
        layer_id=layer.id if layer else Path(args.facilities).name,
        layer_version=layer.imported_at if layer else "",
        kinds=kinds,
        grid_id=road_grid.DEFAULT_GRID_ID if not args.grid else road_grid.grid_id_for(squares, Path(args.grid).name),
    )
    result = road_grid.stored(key)
    if result is None:
        print(say("cli_msg_road_computing", n=amount(len(squares))), file=sys.stderr)
        result = road_grid.compute(
            key, network, chosen, squares, lambda stage, done: print(f"\r{stage} {done:.0%}", end="", file=sys.stderr)
        )
        print(file=sys.stderr)
    else:
        print(say("cli_msg_road_stored", at=result.meta.get("computed_at", "?")), file=sys.stderr)
    if not args.grid:
        print(defaults.GRID_SOURCE_EN if language() == "en" else defaults.GRID_SOURCE, file=sys.stderr)
    return population, squares, result


def road_service_access(args) -> int:
    from ..outputs import formats as export
    from ..service import defaults, roads

    network, chosen, kinds, threshold = _road_setup(args)
    if rows_are_squares(args):
        population, squares, result = _road_grid(args, network, chosen, kinds)
        rows = result.rows(squares, threshold)
        beyond = rows["beyond_threshold"].to_numpy()
        people = rows["population"].to_numpy()
        straight_beyond = rows["straight_km"].to_numpy() > args.threshold_km
        print(
            say(
                "cli_msg_road_squares_beyond",
                beyond=amount(beyond.sum()),
                total=amount(len(rows)),
                people_beyond=amount(people[beyond].sum()),
                title=population.title,
                people=amount(people.sum()),
                km=f"{args.threshold_km:g}",
                straight=amount(people[straight_beyond].sum()),
            ),
            file=sys.stderr,
        )
        beside = roads.service_access(defaults.tatort_origins(), result.access(network), threshold)
        far = beside["beyond_threshold"]
        value = "road_km" if args.measure == "km" else "road_minutes"
        classes_file(
            args,
            [
                (rows, value, args.measure, population.title, value),
                (rows, "straight_km", "km", population.title, "straight_km"),
                (beside, value, args.measure, "SCB:s tätorter 2020", value),
            ],
        )
        print(
            say(
                "cli_msg_road_tatorter_beside",
                beyond=amount(far.sum()),
                total=amount(len(beside)),
                people_beyond=amount(beside.loc[far, "population"].sum()),
            ),
            file=sys.stderr,
        )
        write(export.to_csv_bytes(_no_connection(rows)), args.output, len(rows))
        return 0
    origins = points_from(args.origins, "origins")
    result = roads.service_access(origins, roads.RoadAccess.compute(network, chosen, args.measure), threshold)
    beyond, lost = result["beyond_threshold"], ~result["road_connection"]
    print(
        say(
            "cli_msg_road_places_beyond",
            beyond=amount(beyond.sum()),
            total=amount(len(result)),
            people_beyond=amount(result.loc[beyond, "population"].sum()),
            lost=amount(lost.sum()),
            far=amount(result["far_from_road"].sum()),
        ),
        file=sys.stderr,
    )
    write(export.to_csv_bytes(_no_connection(result)), args.output, len(result))
    return 0


def road_vulnerable_shops(args) -> int:
    from ..outputs import formats as export
    from ..service import roads

    network, chosen, kinds, threshold = _road_setup(args)
    if rows_are_squares(args):
        population, origins, stored = _road_grid(args, network, chosen, kinds)
        access = stored.access(network)
        note = say("cli_msg_population_lost_counts", origins=population.title)
    else:
        origins = points_from(args.origins, "origins")
        access = roads.RoadAccess.compute(network, chosen, args.measure)
        note = say("cli_msg_population_lost_counts", origins=args.origins)
    result = roads.vulnerable_facilities(origins, access, threshold).drop(columns=["lat", "lon"], errors="ignore")
    print(
        say("cli_msg_road_isolated", isolated=amount(result["isolated"].sum()), total=amount(len(result)), note=note),
        file=sys.stderr,
    )
    write(export.to_csv_bytes(_no_connection(result)), args.output, len(result))
    return 0


def _no_connection(frame):
    """Infinite road figures written as "no road connection" words, not as inf."""
    import numpy as np

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind == "f" and np.isinf(out[column]).any():
            out[column] = out[column].astype(object).where(np.isfinite(out[column]), "ingen vägförbindelse")
    return out
