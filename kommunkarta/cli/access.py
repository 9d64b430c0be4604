"""What the distance commands (``service-access``, ``vulnerable-shops``, ``import-grid``,
``layers`` and their ``--roads`` variants) share: points and population grids read from a
file, a stored layer or the embedded data, and the ``--classes`` file."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import amount, problem_lines, say, write


def report_layer(layer, path: Path) -> None:
    for line in problem_lines(layer.problems):
        print(line, file=sys.stderr)
    if layer.outside_sweden:
        print(say("cli_msg_outside_sweden", file=path.name, n=amount(layer.outside_sweden)), file=sys.stderr)


def points_from(source: str, role: str, reader=None):
    """Points from a file, a stored layer id, or (origins) the embedded tätorter or the
    gazetteer; problems to stderr."""
    from ..service import analysis, defaults, stored_layers
    from ..service.importers import ImportFailed, read_points

    if role == "origins" and source == "gazetteer":
        return analysis.gazetteer_origins()
    if role == "origins" and source == "tatorter":
        return defaults.tatort_origins()
    path = Path(source)
    if path.exists():
        try:
            layer = (reader or read_points)(path)
        except ImportFailed as err:
            for line in problem_lines(err.problems):
                print(line, file=sys.stderr)
            raise SystemExit(1) from None
        report_layer(layer, path)
        return layer.points
    if source in {info.id for info in stored_layers.list_layers()}:
        return stored_layers.load(source)
    print(say("cli_msg_no_file_or_layer", source=source), file=sys.stderr)
    raise SystemExit(2)


def grid_population(args):
    """The population grid the arguments ask for: the embedded SCB grid 2024 by default, a
    file or stored layer with --grid, none with --grid none."""
    from ..service import defaults, grid
    from ..service.view import Population

    if args.grid and args.grid.lower() == "none":
        return None
    if args.grid:
        return Population("grid", Path(args.grid).name, points_from(args.grid, "origins", grid.read_grid))
    return Population("grid", defaults.GRID_TITLE, defaults.population_grid())


def rows_are_squares(args) -> bool:
    """With no --origins, the output has one row per populated square."""
    return not args.origins and not (args.grid and args.grid.lower() == "none")


def classes_file(args, parts) -> None:
    """With --classes: population by distance class per kommun, län and Sweden, one block per
    (rows, value column, measure, population title, basis)."""
    if not args.classes:
        return
    import pandas as pd

    from ..outputs import formats
    from ..service import figures

    frames = [
        figures.distance_classes(
            rows[column].to_numpy(dtype=float),
            rows["population"].to_numpy(),
            rows["kommun_kod"].astype(str).to_numpy(),
            measure,
            title,
            basis,
            levels=("sweden", "lan", "kommun"),
            ages={"population_70": rows["population_70"].to_numpy()} if "population_70" in rows else None,
        )
        for rows, column, measure, title, basis in parts
    ]
    table = figures.labelled(pd.concat(frames, ignore_index=True), args.lang)
    write(formats.to_csv_bytes(table), args.classes, len(table))
