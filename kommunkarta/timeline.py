"""Projects and networks as bars in time, each end drawn to the precision it is known."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from . import geo
from .dates import parse_partial_date
from .loader import Dataset


def timeline(ds: Dataset, today: dt.date | None = None) -> pd.DataFrame:
    """One row per project and per network with a known start.

    ``start``/``end`` are the widest reading of the dates (a year runs from 1 January to
    31 December); ``*_precision`` says how much of that is known. A missing end is
    drawn to ``today`` and flagged ``open_end``."""
    today = today or dt.date.today()
    names = geo.names_by_code()
    network_names = ds.networks.set_index("id")["name"]
    rows = []
    for p in ds.projects.itertuples():
        rows.append(
            _row(
                "project",
                p.id,
                p.name,
                p.start,
                p.end,
                p.network_id,
                network_names.get(p.network_id, ""),
                "; ".join(names[c] for c in p.kommun_kods),
                p.kommun_kods,
                p.funders,
                p.theme,
                p.source,
                p.certainty,
                today,
            )
        )
    for n in ds.networks.itertuples():
        rows.append(
            _row(
                "network",
                n.id,
                n.name,
                n.start,
                n.end,
                n.id,
                n.name,
                "",
                (),
                n.funder,
                n.kind,
                n.source,
                n.certainty,
                today,
            )
        )
    frame = pd.DataFrame([r for r in rows if r is not None])
    return frame.sort_values(["start", "label"]).reset_index(drop=True)


def _row(
    kind, id_, label, start, end, network_id, network_name, kommuner, codes, funders, theme, source, certainty, today
):
    first, last = parse_partial_date(start), parse_partial_date(end)
    if first is None:
        return None  # nothing to draw; the project is still listed in its tables
    end_day = last.last_day() if last else today
    return {
        "kind": kind,
        "id": id_,
        "label": label,
        "start": pd.Timestamp(first.first_day()),
        "end": pd.Timestamp(end_day),
        "start_text": str(first),
        "end_text": str(last) if last else "",
        "start_precision": first.precision,
        "end_precision": last.precision if last else "unknown",
        "open_end": last is None,
        "network_id": network_id,
        "network_name": network_name,
        "kommuner": kommuner,
        "kommun_kods": tuple(codes),
        "funders": funders,
        "theme": theme,
        "source": source,
        "certainty": certainty,
    }


def filter_timeline(
    frame: pd.DataFrame,
    networks=(),
    kommuner=(),
    funder: str = "",
    theme: str = "",
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Rows matching every given filter; ``funder`` and ``theme`` match as text."""
    mask = pd.Series(True, index=frame.index)
    if networks:
        mask &= frame["network_id"].isin(networks)
    if kommuner:
        mask &= frame["kommun_kods"].map(lambda codes: bool(set(codes) & set(kommuner)))
    if funder:
        mask &= frame["funders"].str.contains(funder, case=False, regex=False)
    if theme:
        mask &= frame["theme"].str.contains(theme, case=False, regex=False)
    if years:
        mask &= (frame["start"].dt.year <= years[1]) & (frame["end"].dt.year >= years[0])
    return frame[mask]
