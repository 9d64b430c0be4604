"""Distance to service from the command line: ``service-access`` (the nearest service from
every square or place), ``vulnerable-shops`` (service whose nearest other lies beyond the
threshold), both straight-line here and along the roads with ``--roads`` (roads.py), and
``import-grid`` (a population grid stored as a layer)."""

from __future__ import annotations

import sys
from pathlib import Path

from .access import classes_file, grid_population, points_from, report_layer, rows_are_squares
from .common import amount, language, say, write
from .roads import road_arguments, road_service_access, road_vulnerable_shops


def add_commands(commands, lang: str) -> None:
    access_cmd = commands.add_parser("service-access", help="avstånd fågelvägen från varje ort till närmaste service")
    _access_arguments(access_cmd)
    access_cmd.set_defaults(handler=_service_access)

    vulnerable = commands.add_parser(
        "vulnerable-shops", help="butiker vars närmaste andra butik ligger bortom tröskeln"
    )
    _access_arguments(vulnerable)
    vulnerable.set_defaults(handler=_vulnerable_shops)

    import_grid = commands.add_parser(
        "import-grid",
        help="spara ett befolkningsrutnät (SCB:s statistik på rutor) som lager för avståndssidan",
    )
    import_grid.add_argument("path", nargs="?", type=Path, help="GeoPackage, GeoJSON eller CSV med rutor eller punkter")
    import_grid.add_argument(
        "--scb", action="store_true", help="hämta SCB:s 1 km-rutor 2025 från SCB:s öppna WFS (kräver internet)"
    )
    import_grid.add_argument("--title", default="", help="lagrets namn")
    import_grid.set_defaults(handler=_import_grid)


def _access_arguments(parser, origins_default: str | None = None) -> None:
    parser.add_argument(
        "--facilities",
        required=True,
        help="punktfil (CSV, GeoJSON, GeoPackage, Overpass JSON) eller id för ett sparat lager",
    )
    parser.add_argument(
        "--origins",
        default=origins_default,
        help="orter i stället för rutorna (en rad per ort): punktfil med befolkning, ett sparat lager, "
        "'tatorter' (SCB:s tätorter 2020, inbyggda) eller 'gazetteer' (orter från GeoNames). "
        "Utan --origins och --grid: en rad per befolkad ruta i SCB:s inbyggda rutnät 2024, tätorterna bredvid",
    )
    parser.add_argument(
        "--grid",
        default=None,
        help="befolkningsrutnät (SCB:s statistik på rutor som GeoPackage/GeoJSON/CSV, eller ett sparat rutnätslager) "
        "i stället för det inbyggda (SCB 1 km 2024); 'none' för inget rutnät",
    )
    parser.add_argument("--kind", default="", help="bara dessa typer av service, kommaseparerade (t.ex. grocery)")
    parser.add_argument("--threshold-km", type=float, default=30.0)
    parser.add_argument(
        "--detour", type=float, default=1.0, help="omvägsfaktor för uppskattat vägavstånd (1.0 = fågelvägen)"
    )
    parser.add_argument("-o", "--output", type=Path, default=None)
    parser.add_argument(
        "--classes",
        type=Path,
        default=None,
        help="skriv också befolkningen per avståndsklass (per kommun, län och för Sverige) som CSV hit",
    )
    parser.add_argument(
        "--per-kommun",
        type=Path,
        default=None,
        help="skriv också tabellen per kommun (rutnätets summa bredvid SCB:s folkmängd, med skillnaden) som CSV hit",
    )
    parser.add_argument("--lang", choices=["sv", "en"], default=language(), help="språket i --classes-filen")
    road_arguments(parser)


def _facilities(args):
    from ..service import analysis

    points = points_from(args.facilities, "facilities")
    kinds = tuple(k.strip() for k in args.kind.split(",") if k.strip())
    chosen = analysis.facilities_of_kinds(points, kinds)
    counts = ", ".join(f"{k} {n}" for k, n in chosen["kind"].value_counts().items())
    print(
        say(
            "cli_msg_facilities",
            n=amount(len(chosen)),
            counts=counts or say("cli_msg_none"),
            detour=f"{args.detour:g}",
            threshold=f"{args.threshold_km:g}",
        ),
        file=sys.stderr,
    )
    return analysis.Facilities.build(chosen)


def _access_view(args):
    """The same view the service page renders, for all Sweden: counted over the grid (the
    embedded SCB grid by default), with the places (tätorter by default) beside it."""
    import pandas as pd

    from .. import paths
    from ..service import defaults
    from ..service.view import Population, service_view

    titles = {"tatorter": "SCB:s tätorter 2020", "gazetteer": "orter i GeoNames"}
    chosen = args.origins or "tatorter"
    kind = chosen if chosen in titles else "layer"
    origins = Population(kind, titles.get(chosen, Path(chosen).name), points_from(chosen, "origins"))
    population_grid = grid_population(args)
    official = pd.read_csv(paths.default_data_dir() / "population.csv", dtype={"kommun_kod": str})
    view = service_view(
        _facilities(args),
        origins,
        threshold_km=args.threshold_km,
        detour=args.detour,
        grid=population_grid,
        official_population=official if population_grid is not None else None,
    )
    if population_grid is not None and not args.grid:
        print(defaults.GRID_SOURCE_EN if language() == "en" else defaults.GRID_SOURCE, file=sys.stderr)
    if kind == "tatorter":
        print(say("cli_msg_places_source", source=defaults.TATORTER_SOURCE), file=sys.stderr)
    return view


def _write_classes(args, view) -> None:
    """--classes for the straight-line view: the grid's squares and the places."""
    basis = "straight_km" if args.detour == 1 else "detour_km"
    parts = [(view.grid_rows, "distance_km", "km", view.grid.title, basis)] if view.grid_rows is not None else []
    classes_file(args, [*parts, (view.rows, "distance_km", "km", view.origins.title, basis)])


def _per_kommun_file(args, view) -> None:
    """With --per-kommun: the view's per-kommun table (the grid's total beside SCB's kommun
    population, with the gap), and why the two differ."""
    if not getattr(args, "per_kommun", None):
        return
    from ..i18n import t
    from ..outputs import formats

    print(t("access_grid_gap_reason", args.lang), file=sys.stderr)
    write(formats.to_csv_bytes(view.per_kommun), args.per_kommun, len(view.per_kommun))


def _people_lines(view) -> None:
    for figure in view.figures:
        unit = say("cli_msg_unit_squares" if figure.kind == "grid" else "cli_msg_unit_places")
        old = (
            say("cli_msg_old_people", beyond=amount(figure.people_70_beyond), total=amount(figure.people_70))
            if figure.people_70_beyond is not None
            else ""
        )
        print(
            say(
                "cli_msg_people_beyond",
                beyond=amount(figure.origins_beyond),
                total=amount(figure.origins),
                unit=unit,
                people_beyond=amount(figure.people_beyond),
                title=figure.title,
                people=amount(figure.people),
                old=old,
            ),
            file=sys.stderr,
        )


def _service_access(args, _extra) -> int:
    from ..outputs import formats

    if args.roads:
        return road_service_access(args)
    view = _access_view(args)
    _people_lines(view)
    _write_classes(args, view)
    _per_kommun_file(args, view)
    rows = view.grid_rows if rows_are_squares(args) else view.rows
    write(formats.to_csv_bytes(rows), args.output, len(rows))
    return 0


def _vulnerable_shops(args, _extra) -> int:
    from ..outputs import formats

    if args.roads:
        return road_vulnerable_shops(args)
    view = _access_view(args)
    result = view.vulnerable.drop(columns=["lat", "lon"])
    print(
        say("cli_msg_isolated", isolated=amount(result["isolated"].sum()), total=amount(len(result))), file=sys.stderr
    )
    if "population_lost_grid" in result:
        print(say("cli_msg_population_lost", origins=view.origins.title, grid=view.grid.title), file=sys.stderr)
    _people_lines(view)
    _write_classes(args, view)
    write(formats.to_csv_bytes(result), args.output, len(result))
    return 0


def _import_grid(args, _extra) -> int:
    from ..service import grid, stored_layers
    from ..service.importers import ImportFailed

    if bool(args.path) == bool(args.scb):
        print(say("cli_msg_grid_file_or_scb"), file=sys.stderr)
        return 2
    try:
        if args.scb:
            path = grid.fetch_wfs(
                progress=lambda n, total: print(
                    "\r" + say("cli_msg_squares_progress", n=n, total=total or "?"), end="", file=sys.stderr
                )
            )
            print(file=sys.stderr)
            from ..web.client import endpoint

            source = f"{grid.SOURCE_NOTE}: {endpoint('scb_wfs')} {grid.WFS_GRID_LAYER}"
        else:
            path, source = args.path, args.path.name
        layer = grid.read_grid(path)
    except grid.Offline as err:
        print(f"kommunkarta: {err}", file=sys.stderr)
        return 1
    except ImportFailed as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    except FileNotFoundError:
        print(say("cli_msg_no_such_file", path=args.path), file=sys.stderr)
        return 2
    report_layer(layer, Path(layer.file))
    title = args.title or (f"SCB befolkning 1 km ({grid.WFS_GRID_LAYER.split('_')[-1]})" if args.scb else path.stem)
    try:
        info = stored_layers.save(layer, title, "origins", source=source)
    except stored_layers.SaveFailed as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    people = amount(layer.points["population"].sum())
    print(say("cli_msg_grid_saved", n=amount(info.points), people=people, id=info.id), file=sys.stderr)
    return 0
