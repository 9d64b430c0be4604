"""The curated data from the command line: ``validate`` (the files, problem by problem),
``export`` (memberships, projects, a map, a deck) and ``profile`` (one kommun)."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import paths
from ..format import number
from .common import amount, language, load, problem_lines, say, write


def add_commands(commands, lang: str) -> None:
    validate = commands.add_parser("validate", help="validera datafilerna; skriver fil:rad:fält: fel")
    validate.add_argument("data_dir", nargs="?", type=Path, default=None, help="mapp med datafilerna (standard: data/)")
    validate.add_argument(
        "--lang", choices=["sv", "en"], default=lang, help="felens språk (standard: miljöns, annars sv)"
    )
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
    export_map.add_argument("--lang", choices=["sv", "en"], default=lang)
    export_map.add_argument("-o", "--output", type=Path, required=True)
    export_map.add_argument("--data-dir", type=Path, default=None)
    export_map.set_defaults(handler=_export_map)

    export_deck = export_kinds.add_parser("deck", help="en PowerPoint-presentation, en bild per nätverk")
    export_deck.add_argument("--networks", required=True, help="nätverkens id, kommaseparerade")
    export_deck.add_argument("--lang", choices=["sv", "en"], default=lang)
    export_deck.add_argument("-o", "--output", type=Path, required=True)
    export_deck.add_argument("--data-dir", type=Path, default=None)
    export_deck.set_defaults(handler=_export_deck)

    profile = commands.add_parser("profile", help="allt om en kommun: nätverk, projekt, grannar, närmaste medlemmar")
    profile.add_argument("kommun", help="kommunens namn eller kod, t.ex. Kiruna, 'Falu kommun' eller 2584")
    profile.add_argument("--format", choices=["text", "json"], default="text")
    profile.add_argument("--data-dir", type=Path, default=None)
    profile.set_defaults(handler=_profile)


def _validate(args, _extra) -> int:
    data_dir = args.data_dir or paths.default_data_dir()
    if not data_dir.is_dir():
        print(say("cli_msg_no_folder", folder=data_dir), file=sys.stderr)
        return 2
    dataset = load(data_dir)
    from .. import population_series

    dataset.problems = dataset.problems + population_series.load(data_dir).problems  # issue 23
    for line in problem_lines(dataset.problems, lang=args.lang):
        print(line)
    counts = say(
        "cli_msg_counts",
        networks=amount(len(dataset.networks)),
        memberships=amount(len(dataset.memberships)),
        projects=amount(len(dataset.projects)),
        places=amount(len(dataset.places)),
    )
    if dataset.problems:
        print(say("cli_msg_problems", n=len(dataset.problems), counts=counts), file=sys.stderr)
        return 1
    print(f"OK: {counts}", file=sys.stderr)  # the same in both languages
    return 0


def _export_memberships(args, _extra) -> int:
    from .. import selection
    from ..outputs import formats

    dataset = load(args.data_dir)
    for line in problem_lines(dataset.problems):
        print(say("cli_msg_warning", text=line), file=sys.stderr)
    frame = formats.memberships_export(selection.membership_table(dataset))
    writer = {"csv": formats.to_csv_bytes, "json": formats.to_json_bytes, "geojson": formats.to_geojson_bytes}[
        args.format
    ]
    write(writer(frame), args.output, len(frame))
    return 0


def _export_projects(args, _extra) -> int:
    from ..outputs import formats

    dataset = load(args.data_dir)
    for line in problem_lines(dataset.problems):
        print(say("cli_msg_warning", text=line), file=sys.stderr)
    frame = formats.projects_export(dataset)
    writer = {"csv": formats.to_csv_bytes, "json": formats.to_json_bytes}[args.format]
    write(writer(frame), args.output, len(frame))
    return 0


def _export_map(args, _extra) -> int:
    from .. import profiles, selection
    from ..i18n import t
    from ..loader import matcher
    from ..names import UnknownKommun
    from ..outputs import downloads

    dataset = load(args.data_dir)
    table = selection.membership_table(dataset)
    try:
        if args.small_multiples is not None:
            if args.format == "html":
                print(say("cli_msg_multiples_format"), file=sys.stderr)
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
    print(say("cli_msg_bytes_to", size=number(len(payload), 0, language()), output=args.output), file=sys.stderr)
    return 0


def _export_deck(args, _extra) -> int:
    from .. import gazetteer, profiles, selection
    from ..outputs import downloads

    dataset = load(args.data_dir)
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
    print(say("cli_msg_slides_to", n=len(ids) + 1, output=args.output), file=sys.stderr)
    return 0


def _profile(args, _extra) -> int:
    import json

    from .. import profiles, selection
    from ..loader import matcher
    from ..names import UnknownKommun

    dataset = load(args.data_dir)
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
