"""The ``kommunkarta`` command: run the dashboard, validate the data, export it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import limits, paths
from .outputs import leaflet_assets


def capped_problem_lines(problems, lang: str = "sv") -> list[str]:
    """The problems as lines, at most limits.PROBLEMS_PER_FIELD per file and field."""
    from .loader import capped_problem_lines

    return capped_problem_lines(problems, lang=lang)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kommunkarta", description="Kommunkartan: kommuner i nätverk och projekt.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="starta dashboarden (övriga argument går vidare till streamlit run)")
    run.set_defaults(handler=_run)

    validate = commands.add_parser("validate", help="validera datafilerna; skriver fil:rad:fält: fel")
    validate.add_argument("data_dir", nargs="?", type=Path, default=None, help="mapp med datafilerna (standard: data/)")
    validate.add_argument("--lang", choices=["sv", "en"], default="sv", help="felens språk (standard: sv)")
    validate.set_defaults(handler=_validate)

    export_cmd = commands.add_parser("export", help="exportera data")
    export_kinds = export_cmd.add_subparsers(dest="what", required=True)
    memberships = export_kinds.add_parser("memberships", help="en rad per kommun och nätverk")
    memberships.add_argument("--format", choices=["csv", "json", "geojson"], default="csv")
    memberships.add_argument("-o", "--output", type=Path, default=None, help="fil att skriva (standard: standard ut)")
    memberships.add_argument("--data-dir", type=Path, default=None)
    memberships.set_defaults(handler=_export_memberships)

    projects = export_kinds.add_parser("projects", help="en rad per projekt")
    projects.add_argument("--format", choices=["csv", "json"], default="csv")
    projects.add_argument("-o", "--output", type=Path, default=None)
    projects.add_argument("--data-dir", type=Path, default=None)
    projects.set_defaults(handler=_export_projects)

    export_map = export_kinds.add_parser("map", help="en karta som PNG, SVG eller fristående HTML")
    target = export_map.add_mutually_exclusive_group(required=True)
    target.add_argument("--network", help="nätverkets id (se data/networks.csv)")
    target.add_argument("--kommun", help="kommunens namn eller kod")
    target.add_argument(
        "--small-multiples",
        metavar="NÄTVERK",
        nargs="?",
        const="",
        help="en liten karta per nätverk, sida vid sida (PNG eller SVG); nätverkens id kommaseparerade, utan: alla",
    )
    export_map.add_argument("--format", choices=["png", "svg", "html"], default="png")
    export_map.add_argument("--lang", choices=["sv", "en"], default="sv")
    export_map.add_argument("-o", "--output", type=Path, required=True)
    export_map.add_argument("--data-dir", type=Path, default=None)
    export_map.set_defaults(handler=_export_map)

    export_deck = export_kinds.add_parser("deck", help="en PowerPoint-presentation, en bild per nätverk")
    export_deck.add_argument("--networks", required=True, help="nätverkens id, kommaseparerade")
    export_deck.add_argument("--lang", choices=["sv", "en"], default="sv")
    export_deck.add_argument("-o", "--output", type=Path, required=True)
    export_deck.add_argument("--data-dir", type=Path, default=None)
    export_deck.set_defaults(handler=_export_deck)

    profile = commands.add_parser("profile", help="allt om en kommun: nätverk, projekt, grannar, närmaste medlemmar")
    profile.add_argument("kommun", help="kommunens namn eller kod, t.ex. Kiruna, 'Falu kommun' eller 2584")
    profile.add_argument("--format", choices=["text", "json"], default="text")
    profile.add_argument("--data-dir", type=Path, default=None)
    profile.set_defaults(handler=_profile)

    access_cmd = commands.add_parser("service-access", help="avstånd fågelvägen från varje ort till närmaste service")
    _access_arguments(access_cmd, origins_default="tatorter")
    access_cmd.set_defaults(handler=_service_access)

    vulnerable = commands.add_parser(
        "vulnerable-shops", help="butiker vars närmaste andra butik ligger bortom tröskeln"
    )
    _access_arguments(vulnerable, origins_default="tatorter")
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
    _roads_commands(commands)  # issue 12: roads import, --roads/--measure

    database = commands.add_parser("db", help="databasen: uppgradera, importera, exportera, historik")
    db_commands = database.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser(
        "upgrade", help="skapa eller uppgradera databasens tabeller (och fyll en ny databas från data/)"
    ).set_defaults(handler=_db_upgrade)
    db_import = db_commands.add_parser("import", help="importera en CSV- eller Excel-fil: alla rader eller ingen")
    db_import.add_argument("file", type=Path)
    db_import.add_argument(
        "--table",
        choices=["networks", "memberships", "projects", "places"],
        help="tabellen filen gäller (standard: filens eller bladets namn, annars kolumnerna)",
    )
    db_import.add_argument(
        "--replace", action="store_true", help="filen blir hela tabellen: rader som saknas i filen tas bort"
    )
    db_import.add_argument("--dry-run", action="store_true", help="visa vad som skulle ändras, men skriv inget")
    db_import.add_argument("--user", default=None, help="vem som står för ändringen i historiken (standard: $USER)")
    db_import.set_defaults(handler=_db_import)
    db_export = db_commands.add_parser("export", help="skriv tabellerna som CSV i data/-formatet")
    db_export.add_argument("directory", type=Path)
    db_export.set_defaults(handler=_db_export)
    db_history = db_commands.add_parser("history", help="de senaste ändringarna")
    db_history.add_argument("--limit", type=int, default=20)
    db_history.set_defaults(handler=_db_history)
    db_undo = db_commands.add_parser("undo", help="ångra en ändring (dess nummer i historiken)")
    db_undo.add_argument("batch", type=int)
    db_undo.add_argument("--user", default=None)
    db_undo.set_defaults(handler=_db_undo)

    hasher = commands.add_parser(
        "hash-password", help="skriv ut en lösenordshash för [editing.users] i .streamlit/secrets.toml"
    )
    hasher.add_argument("user", help="användarnamnet, t.ex. anna")
    hasher.set_defaults(handler=_hash_password)

    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "run":
        parser.error(f"okända argument: {' '.join(extra)}")
    return args.handler(args, extra)


def streamlit_command(script: Path, extra: list[str]) -> list[str]:
    """The command `kommunkarta run` becomes: our options, then the user's, which win
    (streamlit takes the last of a repeated option): ``--server.address 0.0.0.0``
    serves the network instead of this machine only."""
    return [sys.executable, "-m", "streamlit", "run", str(script), *STREAMLIT_OPTIONS, *extra]


def _run(args, extra: list[str]) -> int:
    command = streamlit_command(prepare_runtime(), extra)
    _start_warmup(command)
    # Streamlit takes this process's place, so that a stop signal (Ctrl-C, a service
    # manager, a test ending) reaches the server itself instead of leaving it running
    # behind a stopped parent. The working directory is kept: Streamlit reads
    # .streamlit/secrets.toml (logins, the database URL) from there.
    os.execv(sys.executable, command)


def _start_warmup(command: list[str]) -> None:
    """The server's first visit, by the server's own machine (ui/warmup.py): it waits
    for the health check, opens the start page and the presentation, and exits, so the
    first person after a start finds the caches full. It stays in this process group,
    so stopping the group stops it. KOMMUNKARTA_NO_WARMUP=1 leaves it out."""
    if os.environ.get("KOMMUNKARTA_NO_WARMUP") == "1":
        return
    import subprocess

    url = own_url(command)
    subprocess.Popen(
        [sys.executable, "-m", "kommunkarta.ui.warmup", url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def own_url(command: list[str]) -> str:
    """The URL at which this machine reaches the server that ``command`` starts (the
    last of each repeated option wins, as in streamlit)."""
    options = {"--server.address": "localhost", "--server.port": "8501", "--server.baseUrlPath": ""}
    for i, word in enumerate(command):
        name, _, value = word.partition("=")
        if name in options:
            options[name] = value if value else (command[i + 1] if i + 1 < len(command) else "")
    host = options["--server.address"]
    if host in ("", "0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    base = options["--server.baseUrlPath"].strip("/")
    return f"http://{host}:{options['--server.port']}" + (f"/{base}" if base else "")


# Given on the command line so that they hold wherever the command is started, and so
# that no config file can turn them off. A manually set server.address also keeps
# Streamlit from asking a third-party host for this machine's external address, which
# it does at every headless start otherwise.
STREAMLIT_OPTIONS = (
    "--server.address",
    "localhost",
    "--server.headless",
    "true",
    "--server.enableStaticServing",
    "true",
    "--server.maxUploadSize",
    str(limits.STREAMLIT_UPLOAD_MB),
    "--browser.gatherUsageStats",
    "false",
    "--client.toolbarMode",
    "viewer",
    "--theme.base",
    "light",
    # Speed under a meeting's load (benchmarks/load.py): Streamlit's full garbage
    # collection after every script run walked the ~300 000 objects of the shared caches
    # and took most of the server's time; Python's own generational collection still
    # runs. Watching the package's files for changes is for development, not a server.
    "--runner.postScriptGC",
    "false",
    "--server.fileWatcherType",
    "none",
)


def prepare_runtime() -> Path:
    """The main script Streamlit runs, with Leaflet in the ``static/`` folder beside it."""
    runtime = paths.runtime_dir()
    leaflet_assets.ensure_static_assets(paths.static_dir())
    script = runtime / "streamlit_app.py"
    text = "# Written by `kommunkarta run`.\nfrom kommunkarta.ui.app import main\n\nmain()\n"
    if not script.is_file() or script.read_text() != text:
        temporary = script.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text)
        temporary.replace(script)  # atomic: processes of one deployment share the folder
    return script


def _load(data_dir: Path | None):
    """The files of ``data_dir`` when given; else what the dashboard shows (the database)."""
    if data_dir:
        from .loader import load_dataset

        return load_dataset(data_dir)
    from .storage import store

    return store.load_from_database(_database())


def _database():
    from .storage import db, store

    url = db.database_url()
    try:
        return store.open_database(url)
    except Exception as err:  # a server that is down, a wrong password, a locked file
        raise SystemExit(f"kan inte öppna databasen {db.describe(url)}: {err}") from None


def _user(args) -> str:
    return args.user or f"cli:{os.environ.get('USER') or os.environ.get('USERNAME') or 'okänd'}"


def _db_upgrade(args, _extra) -> int:
    from .storage import db, store

    url = db.database_url()
    engine = db.make_engine(url)
    before, after = db.upgrade(engine)
    seeded = store.seed(engine)
    print(
        f"{db.describe(url)}: schema {before or '(tomt)'} → {after}"
        + (f"; fylld från data/ (ändring {seeded})" if seeded else "")
    )
    return 0


def _db_import(args, _extra) -> int:
    from .storage import store, uploads

    if not args.file.is_file():
        print(f"{args.file}: filen finns inte", file=sys.stderr)
        return 2
    engine = _database()
    sheets, problems = uploads.read_upload(args.file.name, args.file.read_bytes(), args.table)
    preview = uploads.plan_upload(engine, sheets, "replace" if args.replace else "upsert", problems)
    for notice in preview.notices:
        print(f"obs: {notice}", file=sys.stderr)
    for line in capped_problem_lines(preview.problems):
        print(line, file=sys.stderr)
    for conflict in preview.conflicts:
        print(f"konflikt: {conflict.table} {conflict.key} ändrades av någon annan", file=sys.stderr)
    counts = f"{_counts_text(uploads.action_counts(preview.changes))}, {preview.unchanged} oförändrade"
    if preview.problems or preview.conflicts:
        print(f"inget importerades: {len(preview.problems)} fel ({counts} om felen rättas)", file=sys.stderr)
        return 1
    if args.dry_run or not preview.changes:
        print(f"{'provkörning' if args.dry_run else 'inget att ändra'}: {counts}")
        return 0
    try:
        batch = store.apply(
            engine,
            preview.changes,
            _user(args),
            "import",
            note=f"{args.file.name}{' (ersätter)' if args.replace else ''}",
        )
    except (store.Conflicted, store.Rejected) as err:
        return _refused(err, "inget importerades", lambda c: f"{c.table} {c.key} ändrades av någon annan under tiden")
    print(f"importerat som ändring {batch}: {counts}")
    return 0


def _db_export(args, _extra) -> int:
    from .storage import store

    for name, rows in store.export_csv(_database(), args.directory).items():
        print(f"{args.directory / name}: {rows} rader")
    return 0


def _db_history(args, _extra) -> int:
    from .storage import store

    for batch in store.history(_database(), limit=args.limit):
        counts = _counts_text(batch.counts)
        undone = f" [ångrad av {batch.undone_by}]" if batch.undone_by else ""
        print(
            f"{batch.batch_id:>5}  {batch.at.astimezone():%Y-%m-%d %H:%M}  {batch.user:<20} {batch.kind:<7} {counts}  {batch.note}{undone}"
        )
    return 0


def _hash_password(args, _extra) -> int:
    from getpass import getpass

    from .storage.auth import hash_password

    password = getpass("Lösenord: ")
    if len(password) < 12:
        print("välj ett lösenord på minst 12 tecken", file=sys.stderr)
        return 2
    if getpass("Samma lösenord igen: ") != password:
        print("lösenorden är inte lika", file=sys.stderr)
        return 2
    print("# Lägg till i .streamlit/secrets.toml:")
    print("[editing.users]")
    print(f'{args.user.strip().casefold()} = "{hash_password(password)}"')
    return 0


def _counts_text(counts: dict[str, int]) -> str:
    return f"{counts.get('insert', 0)} nya, {counts.get('update', 0)} ändrade, {counts.get('delete', 0)} borttagna"


def _db_undo(args, _extra) -> int:
    from .storage import store

    try:
        batch = store.undo(_database(), args.batch, _user(args))
    except (LookupError, ValueError) as err:
        print(err, file=sys.stderr)
        return 2
    except (store.Conflicted, store.Rejected) as err:
        return _refused(
            err,
            "kan inte ångra",
            lambda c: f"{c.table} {c.key} har ändrats efter ändring {args.batch}; ångra den senare ändringen först",
        )
    print(f"ändring {args.batch} ångrad som ändring {batch}")
    return 0


def _refused(err, headline: str, conflict_text) -> int:
    """Print why a write was refused: each conflict, or each problem."""
    from .storage import store

    lines = (
        [f"konflikt: {conflict_text(c)}" for c in err.conflicts]
        if isinstance(err, store.Conflicted)
        else capped_problem_lines(err.problems)
    )
    print(f"{headline}:", *lines, sep="\n", file=sys.stderr)
    return 1


def _validate(args, _extra) -> int:
    data_dir = args.data_dir or paths.default_data_dir()
    if not data_dir.is_dir():
        print(f"{data_dir}: mappen finns inte", file=sys.stderr)
        return 2
    dataset = _load(data_dir)
    for line in capped_problem_lines(dataset.problems, lang=args.lang):
        print(line)
    counts = f"{len(dataset.networks)} nätverk, {len(dataset.memberships)} medlemskap, {len(dataset.projects)} projekt, {len(dataset.places)} platser"
    if dataset.problems:
        print(f"{len(dataset.problems)} problem; giltiga rader: {counts}", file=sys.stderr)
        return 1
    print(f"OK: {counts}", file=sys.stderr)
    return 0


def _export_memberships(args, _extra) -> int:
    from . import selection
    from .outputs import formats

    dataset = _load(args.data_dir)
    for line in capped_problem_lines(dataset.problems):
        print(f"varning: {line}", file=sys.stderr)
    frame = formats.memberships_export(selection.membership_table(dataset))
    writer = {"csv": formats.to_csv_bytes, "json": formats.to_json_bytes, "geojson": formats.to_geojson_bytes}[
        args.format
    ]
    _write(writer(frame), args.output, len(frame))
    return 0


def _access_arguments(parser, origins_default: str) -> None:
    parser.add_argument(
        "--facilities",
        required=True,
        help="punktfil (CSV, GeoJSON, GeoPackage, Overpass JSON) eller id för ett sparat lager",
    )
    parser.add_argument(
        "--origins",
        default=origins_default,
        help="punktfil med befolkning, ett sparat lager, 'tatorter' (SCB:s tätorter 2020, inbyggda) "
        "eller 'gazetteer' (orter från ortsregistret GeoNames)",
    )
    parser.add_argument(
        "--grid",
        default=None,
        help="befolkningsrutnät (SCB:s statistik på rutor som GeoPackage/GeoJSON/CSV, eller ett sparat rutnätslager): "
        "räknar alla invånare, bredvid orterna",
    )
    parser.add_argument("--kind", default="", help="bara dessa typer av service, kommaseparerade (t.ex. grocery)")
    parser.add_argument("--threshold-km", type=float, default=30.0)
    parser.add_argument(
        "--detour", type=float, default=1.0, help="omvägsfaktor för uppskattat vägavstånd (1.0 = fågelvägen)"
    )
    parser.add_argument("-o", "--output", type=Path, default=None)
    _road_arguments(parser)


def _report_layer(layer, path: Path) -> None:
    for line in capped_problem_lines(layer.problems):
        print(line, file=sys.stderr)
    if layer.outside_sweden:
        print(f"{path.name}: {layer.outside_sweden} punkter utanför Sverige lämnades utanför", file=sys.stderr)


def _points(source: str, role: str, reader=None):
    """Points from a file, a stored layer id, or (origins) the embedded tätorter or the
    gazetteer; problems to stderr."""
    from .service import analysis, defaults, stored_layers
    from .service.importers import ImportFailed, read_points

    if role == "origins" and source == "gazetteer":
        return analysis.gazetteer_origins()
    if role == "origins" and source == "tatorter":
        return defaults.tatort_origins()
    path = Path(source)
    if path.exists():
        try:
            layer = (reader or read_points)(path)
        except ImportFailed as err:
            for line in capped_problem_lines(err.problems):
                print(line, file=sys.stderr)
            raise SystemExit(1) from None
        _report_layer(layer, path)
        return layer.points
    if source in {info.id for info in stored_layers.list_layers()}:
        return stored_layers.load(source)
    print(f"kommunkarta: {source}: ingen sådan fil eller sparat lager", file=sys.stderr)
    raise SystemExit(2)


def _facilities(args):
    from .service import analysis

    points = _points(args.facilities, "facilities")
    kinds = tuple(k.strip() for k in args.kind.split(",") if k.strip())
    chosen = analysis.facilities_of_kinds(points, kinds)
    counts = ", ".join(f"{k} {n}" for k, n in chosen["kind"].value_counts().items())
    print(
        f"service: {len(chosen)} punkter ({counts or 'inga'}); avstånd fågelvägen × {args.detour:g}, tröskel {args.threshold_km:g} km",
        file=sys.stderr,
    )
    return analysis.Facilities.build(chosen)


def _access_view(args):
    """The same view the service page renders, for all Sweden."""
    import pandas as pd

    from . import paths
    from .service import defaults, grid
    from .service.view import Population, service_view

    titles = {"tatorter": "SCB:s tätorter 2020", "gazetteer": "orter i GeoNames"}
    kind = args.origins if args.origins in titles else "layer"
    origins = Population(kind, titles.get(args.origins, Path(args.origins).name), _points(args.origins, "origins"))
    population_grid = official = None
    if args.grid:
        population_grid = Population("grid", Path(args.grid).name, _points(args.grid, "origins", grid.read_grid))
        official = pd.read_csv(paths.default_data_dir() / "population.csv", dtype={"kommun_kod": str})
    view = service_view(
        _facilities(args),
        origins,
        threshold_km=args.threshold_km,
        detour=args.detour,
        grid=population_grid,
        official_population=official,
    )
    if kind == "tatorter":
        print(f"orter: {defaults.TATORTER_SOURCE}", file=sys.stderr)
    return view


def _people_lines(view) -> None:
    for figure in view.figures:
        unit = "rutor" if figure.kind == "grid" else "orter"
        old = (
            f"; 70 år och äldre: {figure.people_70_beyond} av {figure.people_70}"
            if figure.people_70_beyond is not None
            else ""
        )
        print(
            f"{figure.origins_beyond} av {figure.origins} {unit} ({figure.people_beyond} invånare) bortom tröskeln"
            f" (räknat i {figure.title}: {figure.people} invånare{old})",
            file=sys.stderr,
        )


def _service_access(args, _extra) -> int:
    from .outputs import formats

    if args.roads:
        return _road_service_access(args)
    view = _access_view(args)
    _people_lines(view)
    _write(formats.to_csv_bytes(view.rows), args.output, len(view.rows))
    return 0


def _vulnerable_shops(args, _extra) -> int:
    from .outputs import formats

    if args.roads:
        return _road_vulnerable_shops(args)
    view = _access_view(args)
    result = view.vulnerable.drop(columns=["lat", "lon"])
    print(f"{int(result['isolated'].sum())} av {len(result)} har närmaste andra punkt bortom tröskeln", file=sys.stderr)
    _people_lines(view)
    _write(formats.to_csv_bytes(result), args.output, len(result))
    return 0


def _import_grid(args, _extra) -> int:
    from .service import grid, stored_layers
    from .service.importers import ImportFailed

    if bool(args.path) == bool(args.scb):
        print("kommunkarta import-grid: ange antingen en fil eller --scb", file=sys.stderr)
        return 2
    try:
        if args.scb:
            path = grid.fetch_wfs(
                progress=lambda n, total: print(f"\r{n} av {total or '?'} rutor", end="", file=sys.stderr)
            )
            print(file=sys.stderr)
            source = f"{grid.SOURCE_NOTE}: {grid.WFS_ENDPOINT} {grid.WFS_GRID_LAYER}"
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
        print(f"kommunkarta: {args.path}: ingen sådan fil", file=sys.stderr)
        return 2
    _report_layer(layer, Path(layer.file))
    title = args.title or (f"SCB befolkning 1 km ({grid.WFS_GRID_LAYER.split('_')[-1]})" if args.scb else path.stem)
    info = stored_layers.save(layer, title, "origins", source=source)
    people = int(layer.points["population"].sum())
    print(f"sparade {info.points} befolkade rutor ({people} invånare) som lagret '{info.id}'", file=sys.stderr)
    return 0


def _write(payload: bytes, output: Path | None, rows: int) -> None:
    if output:
        output.write_bytes(payload)
        print(f"{rows} rader till {output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload)


def _export_projects(args, _extra) -> int:
    from .outputs import formats

    dataset = _load(args.data_dir)
    for line in capped_problem_lines(dataset.problems):
        print(f"varning: {line}", file=sys.stderr)
    frame = formats.projects_export(dataset)
    writer = {"csv": formats.to_csv_bytes, "json": formats.to_json_bytes}[args.format]
    _write(writer(frame), args.output, len(frame))
    return 0


def _export_map(args, _extra) -> int:
    from . import profiles, selection
    from .i18n import t
    from .loader import matcher
    from .names import UnknownKommun
    from .outputs import downloads

    dataset = _load(args.data_dir)
    table = selection.membership_table(dataset)
    try:
        if args.small_multiples is not None:
            if args.format == "html":
                print("kommunkarta export map: --small-multiples ger PNG eller SVG", file=sys.stderr)
                return 2
            ids = tuple(n.strip() for n in args.small_multiples.split(",") if n.strip())
            for network_id in ids:
                profiles.network(dataset, network_id)  # a clear error for an unknown id
            title = t("multiples_title", args.lang)
            filters = selection.Filters(networks=ids)
            payload = downloads.small_multiples_file(dataset, table, filters, args.format, title, args.lang)
        elif args.network:
            view = profiles.network_view(dataset, table, args.network)
            payload = downloads.network_map_file(view, dataset, table, args.format, args.lang)
        else:
            payload = downloads.kommun_map_file(dataset, table, matcher().resolve(args.kommun), args.format, args.lang)
    except (KeyError, UnknownKommun) as err:
        print(f"kommunkarta export map: {err.args[0] if isinstance(err, KeyError) else err}", file=sys.stderr)
        return 2
    args.output.write_bytes(payload)
    print(f"{len(payload):,} byte till {args.output}".replace(",", " "), file=sys.stderr)
    return 0


def _export_deck(args, _extra) -> int:
    from . import gazetteer, profiles, selection
    from .outputs import downloads

    dataset = _load(args.data_dir)
    ids = [n.strip() for n in args.networks.split(",") if n.strip()]
    try:
        table = selection.membership_table(dataset)
        seats = gazetteer.kommun_seats(dataset.seats)
        views = [profiles.network_view(dataset, table, n, seats) for n in ids]
        payload = downloads.deck_file(views, table, args.lang)
    except KeyError as err:
        print(f"kommunkarta export deck: {err.args[0]}", file=sys.stderr)
        return 2
    args.output.write_bytes(payload)
    print(f"{len(ids) + 1} bilder till {args.output}", file=sys.stderr)
    return 0


def _profile(args, _extra) -> int:
    import json

    from . import profiles, selection
    from .loader import matcher
    from .names import UnknownKommun

    dataset = _load(args.data_dir)
    try:
        code = matcher().resolve(args.kommun)
    except UnknownKommun as err:
        print(f"kommunkarta profile: {err}", file=sys.stderr)
        return 2
    profile = profiles.profile_as_dict(profiles.kommun_profile(dataset, selection.membership_table(dataset), code))
    if args.format == "json":
        print(json.dumps(profile, ensure_ascii=False, indent=1))
    else:
        print(profiles.profile_as_text(profile))
    return 0


# -- along the roads (issue 12) --------------------------------------------------------------


def _roads_commands(commands) -> None:
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


def _road_arguments(parser) -> None:
    parser.add_argument(
        "--roads", default=None, help="ett sparat vägnät (id) eller en .osm.pbf/.gpkg-fil: avstånd längs vägarna"
    )
    parser.add_argument(
        "--measure", choices=["km", "minutes"], default="km", help="med --roads: närmast i km eller i minuter bilväg"
    )
    parser.add_argument("--threshold-minutes", type=float, default=30.0, help="tröskeln med --measure minutes")


def _progress(stage: str, done: int, total) -> None:
    text = {"ways": "vägar lästa", "nodes": "noder", "graph": "kanter i vägnätet"}.get(stage, stage)
    print(
        f"\r{text}: {done}" + (f" av {total}" if total else ""),
        end="\n" if total and done >= total else "",
        file=sys.stderr,
    )


def _roads_import(args, _extra) -> int:
    from .service import roads

    try:
        info = roads.import_file(args.file, args.title, progress=_progress, layer=args.layer)
    except roads.RoadImportError as err:
        print(f"kommunkarta roads import: {err}", file=sys.stderr)
        return 1
    print(
        f"{info.id}: {info.nodes} noder, {info.edges} kanter ({info.oneway_edges} enkelriktade, {info.ferry_edges} färjor), "
        f"{info.km:g} km väg; OSM-tid {info.osm_timestamp or 'okänd'}"
        + (f"; {info.attribution}" if info.attribution else "")
    )
    return 0


def _roads_list(args, _extra) -> int:
    from .service import roads

    for info in roads.list_networks():
        print(f"{info.id}\t{info.title}\t{info.source}\t{info.nodes} noder\t{info.km:g} km\t{info.imported_at}")
    return 0


def _road_setup(args):
    """The facilities, the origins and the access along the roads the arguments ask for."""
    from .service import analysis as straight
    from .service import roads

    try:
        network = roads.resolve(args.roads, progress=_progress)
    except (KeyError, roads.RoadImportError) as err:
        print(f"kommunkarta: {err.args[0] if isinstance(err, KeyError) else err}", file=sys.stderr)
        raise SystemExit(2) from None
    kinds = tuple(k.strip() for k in args.kind.split(",") if k.strip())
    chosen = straight.facilities_of_kinds(_points(args.facilities, "facilities"), kinds)
    threshold = args.threshold_km if args.measure == "km" else args.threshold_minutes
    unit = "km" if args.measure == "km" else "min"
    print(
        f"service: {len(chosen)} punkter; längs vägarna ({network.info.title if network.info else args.roads}), "
        f"tröskel {threshold:g} {unit}; {roads.ATTRIBUTION}",
        file=sys.stderr,
    )
    return roads, roads.RoadAccess.compute(network, chosen, args.measure), _points(args.origins, "origins"), threshold


def _road_service_access(args) -> int:
    from .outputs import formats as export

    roads, road_access, origins, threshold = _road_setup(args)
    result = roads.service_access(origins, road_access, threshold)
    beyond, lost = result["beyond_threshold"], ~result["road_connection"]
    print(
        f"{int(beyond.sum())} av {len(result)} orter ({int(result.loc[beyond, 'population'].sum())} invånare) bortom tröskeln; "
        f"{int(lost.sum())} utan vägförbindelse, {int(result['far_from_road'].sum())} mer än 2 km från en väg",
        file=sys.stderr,
    )
    _write(export.to_csv_bytes(_no_connection(result)), args.output, len(result))
    return 0


def _road_vulnerable_shops(args) -> int:
    from .outputs import formats as export

    roads, road_access, origins, threshold = _road_setup(args)
    result = roads.vulnerable_facilities(origins, road_access, threshold).drop(columns=["lat", "lon"], errors="ignore")
    print(
        f"{int(result['isolated'].sum())} av {len(result)} har närmaste andra punkt längs vägarna bortom tröskeln",
        file=sys.stderr,
    )
    _write(export.to_csv_bytes(_no_connection(result)), args.output, len(result))
    return 0


def _no_connection(frame):
    """Infinite road figures written as "no road connection" words, not as inf."""
    import numpy as np

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind == "f" and np.isinf(out[column]).any():
            out[column] = out[column].astype(object).where(np.isfinite(out[column]), "ingen vägförbindelse")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
