"""``kommunkarta figures``: how a network's members are doing, as CSV or JSON: population
development from the curated series, and any Kolada figure."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import load, problem_lines, say, write


def add_commands(commands, lang: str) -> None:
    figures_cmd = commands.add_parser("figures", help="hur det går för ett nätverks medlemmar: folkmängd, Kolada-tal")
    kinds = figures_cmd.add_subparsers(dest="figures_command", required=True)
    population = kinds.add_parser(
        "population", help="folkmängd: varje medlem, medlemmarna tillsammans, länen, övriga och riket, med förändringen"
    )
    population.add_argument("--network", required=True, help="nätverkets id (se data/networks.csv)")
    population.add_argument(
        "--from", dest="from_year", type=int, default=None, help="förändring från år (standard: första)"
    )
    population.add_argument("--to", dest="to_year", type=int, default=None, help="förändring till år (standard: sista)")
    population.add_argument("--format", choices=["csv", "json"], default="csv")
    population.add_argument("--lang", choices=["sv", "en"], default=lang)
    population.add_argument("-o", "--output", type=Path, default=None)
    population.add_argument("--data-dir", type=Path, default=None)
    population.set_defaults(handler=_figures_population)
    kolada = kinds.add_parser("kolada", help="ett nyckeltal ur Kolada (hämtas om det inte redan finns sparat)")
    kolada.add_argument("kpi_id", help="Koladas id, t.ex. N07530")
    kolada.add_argument("--years", default="2015-2024", help="år: 2015-2024 eller 2018,2020 (standard: 2015-2024)")
    kolada.add_argument("--network", default=None, help="nätverkets id: medlemmarna mot länen, övriga och riket")
    kolada.add_argument("--format", choices=["csv", "json"], default="csv")
    kolada.add_argument("--lang", choices=["sv", "en"], default=lang)
    kolada.add_argument("-o", "--output", type=Path, default=None)
    kolada.add_argument("--data-dir", type=Path, default=None)
    kolada.set_defaults(handler=_figures_kolada)


SCB_POPULATION = "SCB, folkmängd 31 december per kommun, dagens gränser (BE0101)"


def _figures_writer(fmt: str):
    from ..outputs import formats

    return formats.to_csv_bytes if fmt == "csv" else formats.to_json_bytes


def _network_or_message(data_dir, network_id: str):
    from .. import profiles, selection

    dataset = load(data_dir)
    try:
        network = profiles.network(dataset, network_id)
    except KeyError as err:
        print(str(err).strip("'\""), file=sys.stderr)
        return None, None
    return network, selection.membership_table(dataset)


def _figures_population(args, _extra) -> int:
    from .. import figures, population_series
    from ..figures.population import change_table

    network, table = _network_or_message(args.data_dir, args.network)
    if network is None:
        return 2
    series = population_series.load(args.data_dir)
    for problem in problem_lines(series.problems, lang=args.lang):
        print(say("cli_msg_warning", text=problem), file=sys.stderr)
    query = figures.network_query(table, network.id, network.name, from_year=args.from_year, to_year=args.to_year)
    view = figures.population_view(series, query, args.lang)
    if view.empty:
        print(say("cli_msg_no_population_series", network=network.id), file=sys.stderr)
        return 1
    for asked, used, what in ((args.from_year, view.from_year, "--from"), (args.to_year, view.to_year, "--to")):
        if asked is not None and asked != used:
            print(say("cli_msg_year_missing", option=what, asked=asked, used=used), file=sys.stderr)
    frame = change_table(view)
    used = view.sources[view.sources["year"].isin({view.from_year, view.to_year})]
    frame = frame.assign(
        statistics=SCB_POPULATION,
        source="; ".join(dict.fromkeys(used["source"])),
        certainty="stated" if set(used["certainty"]) == {"stated"} else "likely",
    )
    write(_figures_writer(args.format)(frame), args.output, len(frame))
    return 0


def _parse_years(text: str) -> tuple[int, ...]:
    text = text.strip()
    if "-" in text and "," not in text:
        first, _, last = text.partition("-")
        years = tuple(range(int(first), int(last) + 1))
    else:
        years = tuple(int(y) for y in text.split(",") if y.strip())
    if not years or any(not 1900 <= y <= 2200 for y in years):
        raise ValueError(text)
    return years


def _figures_kolada(args, _extra) -> int:
    import pandas as pd

    from .. import figures, population_series
    from ..web import kolada
    from ..web.client import FetchError

    try:
        years = _parse_years(args.years)
    except ValueError:
        print(say("cli_msg_years_format", years=args.years), file=sys.stderr)
        return 2
    codes: tuple[str, ...] = ()
    label = "Riket" if args.lang == "sv" else "Sweden"
    if args.network:
        network, table = _network_or_message(args.data_dir, args.network)
        if network is None:
            return 2
        codes = figures.network_query(table, network.id, network.name).codes
        label = network.name
    try:
        values = kolada.fetch_values(args.kpi_id, years)
    except ValueError as err:
        print(str(err), file=sys.stderr)
        return 2
    except FetchError as err:
        print(err.message(args.lang), file=sys.stderr)
        return 1
    series = population_series.load(args.data_dir)
    view = figures.kolada_view(
        values, figures.KoladaQuery(values.kpi.id, values.years, codes, label), series, args.lang
    )
    source = view.source_line(args.lang)
    groups = view.series if args.network else view.series[view.series["group"] == "sweden"]
    groups = groups.assign(kind="group", kommun_kod="", value=groups[view.shown], shown=view.shown)
    rows = view.members if args.network else view.kommuner.drop(columns="member").assign(year=view.map_year)
    rows = rows.assign(
        kind="member" if args.network else "kommun", group="members" if args.network else "", label=rows["kommun"]
    )
    columns = [
        "kind",
        "group",
        "kommun_kod",
        "label",
        "year",
        "value",
        "mean",
        "count",
        "kommuner",
        "weighted",
        "kolada",
        "shown",
        "rank",
    ]
    frame = pd.concat([groups, rows], ignore_index=True).reindex(columns=columns)
    frame = frame.astype({c: "Int64" for c in ("year", "count", "kommuner", "rank")})
    frame = frame.assign(
        gender=view.gender, kpi_id=values.kpi.id, kpi_title=values.kpi.title, fetched_at=view.fetched_at, source=source
    )
    write(_figures_writer(args.format)(frame), args.output, len(frame))
    return 0
