"""``kommunkarta layers``: the service layers of the distance page, for everyone: a point
file imported, food shops fetched from OpenStreetMap, the stored layers listed."""

from __future__ import annotations

import sys
from pathlib import Path

from .access import report_layer
from .common import amount, load, problem_lines, say


def add_commands(commands, lang: str) -> None:
    layers_cmd = commands.add_parser("layers", help="servicelager för avståndssidan: importera, hämta, lista")
    kinds = layers_cmd.add_subparsers(dest="layers_command", required=True)
    layer_import = kinds.add_parser(
        "import", help="spara en punktfil (CSV, GeoJSON, GeoPackage, Overpass JSON) som servicelager för alla"
    )
    layer_import.add_argument("file", type=Path)
    layer_import.add_argument("--title", default=None, help="lagrets namn (standard: filens namn)")
    layer_import.add_argument("--kind", default="", help="typ för punkter utan egen typ, t.ex. grocery")
    layer_import.set_defaults(handler=_layers_import)
    fetch = kinds.add_parser(
        "fetch-shops",
        help="hämta livsmedelsbutiker från OpenStreetMap (Overpass; kräver internet) och spara dem som servicelager",
    )
    fetch.add_argument("--kommun", nargs="*", default=[], help="kommunernas namn eller koder (standard: hela Sverige)")
    fetch.add_argument("--network", default=None, help="ett nätverks id: dess svenska medlemskommuner")
    fetch.add_argument("--title", default=None, help="lagrets namn (standard: OpenStreetMap och området)")
    fetch.add_argument("--data-dir", type=Path, default=None)
    fetch.set_defaults(handler=_layers_fetch_shops)
    kinds.add_parser("list", help="de sparade lagren").set_defaults(handler=_layers_list)


def _store_layer(layer, title: str, source: str) -> int:
    """Store a read layer as the page does (same limits, same provenance) and say what was kept."""
    from ..service import stored_layers

    report_layer(layer, Path(layer.file))
    try:
        info = stored_layers.save(layer, title, "facilities", source=source)
    except ValueError as err:
        print(f"kommunkarta layers: {err}", file=sys.stderr)
        return 2
    kinds = ", ".join(f"{k} {n}" for k, n in info.kinds.items()) or say("cli_msg_none")
    print(f"{info.id}\t{say('cli_msg_points', n=info.points)} ({kinds})\t{info.title}")
    return 0


def _layers_import(args, _extra) -> int:
    from ..service import importers, stored_layers
    from ..service.importers import ImportFailed, read_points

    title = args.title or args.file.name.split(".")[0]
    if problem := stored_layers.title_problem(title):
        print(f"kommunkarta layers import: {problem}", file=sys.stderr)
        return 2
    if not args.file.is_file():
        print(say("cli_msg_layers_no_file", file=args.file), file=sys.stderr)
        return 2
    if args.file.stat().st_size > importers.MAX_BYTES:  # before anything is read, as the page's upload
        size, limit = args.file.stat().st_size, importers.MAX_BYTES
        print(
            say("cli_msg_layers_too_big", file=args.file.name, size=amount(size), limit=amount(limit)), file=sys.stderr
        )
        return 1
    try:
        layer = read_points(args.file, kind=args.kind.strip())
    except ImportFailed as err:
        for line in problem_lines(err.problems):
            print(line, file=sys.stderr)
        return 1
    return _store_layer(layer, title, args.file.name)


def _fetch_kommuner(args) -> tuple[list[str], str] | None:
    """The kommun codes the arguments name and a title for them; [] for all Sweden."""
    from ..loader import matcher
    from ..names import UnknownKommun
    from ..service import figures

    codes: list[str] = []
    names = []
    for text in args.kommun:
        try:
            codes.append(matcher().resolve(text))
        except UnknownKommun as err:
            print(f"kommunkarta layers fetch-shops: {err}", file=sys.stderr)
            return None
        names.append(matcher().name(codes[-1]))
    if args.network:
        members = figures.network_members(load(args.data_dir))
        if args.network not in members:
            print(say("cli_msg_no_network_id", network=repr(args.network)), file=sys.stderr)
            return None
        network_name, network_codes = members[args.network]
        codes += [c for c in network_codes if c not in codes]
        names.append(network_name)
    return codes, ", ".join(names) or "Sverige"


def _layers_fetch_shops(args, _extra) -> int:
    import pandas as pd

    from ..service import osm, stored_layers
    from ..service.importers import ImportedLayer, ImportFailed, read_points

    chosen = _fetch_kommuner(args)
    if chosen is None:
        return 2
    codes, area = chosen
    title = args.title or f"OpenStreetMap {area}"
    if problem := stored_layers.title_problem(title):
        print(f"kommunkarta layers fetch-shops: {problem}", file=sys.stderr)
        return 2
    queries = [osm.query_for(code) for code in codes] or [osm.national_query()]
    parts, problems, outside, dates = [], [], 0, set()
    for n, query in enumerate(queries, 1):
        print(say("cli_msg_osm_progress", n=n, total=len(queries)), file=sys.stderr)
        try:
            answer = osm.fetch(query)
            layer = read_points(answer)
        except osm.Offline as err:
            print(f"kommunkarta: {err}", file=sys.stderr)
            return 1
        except ImportFailed as err:
            for line in problem_lines(err.problems):
                print(line, file=sys.stderr)
            return 1
        parts.append(layer.points)
        problems += layer.problems
        outside += layer.outside_sweden
        dates.add(osm.data_date(answer))
    points = pd.concat(parts, ignore_index=True).drop_duplicates("id") if parts else pd.DataFrame()
    date = max(dates - {""}, default="")
    merged = ImportedLayer(points, f"OpenStreetMap {area}", "Overpass JSON", outside, problems)
    return _store_layer(
        merged, title, f"OpenStreetMap via Overpass ({osm.DEFAULT_ENDPOINT}), data {date or 'okänt datum'}"
    )


def _layers_list(args, _extra) -> int:
    from ..service import stored_layers

    for info in stored_layers.list_layers():
        kinds = ", ".join(f"{k} {n}" for k, n in info.kinds.items())
        print(
            f"{info.id}\t{info.title}\t{info.role}\t{say('cli_msg_points', n=info.points)} ({kinds})\t{info.source}"
            f"\t{info.imported_at}"
        )
    return 0
