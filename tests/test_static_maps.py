"""The matplotlib exports (outputs/static_maps.py) show text as text, and a failed export is
kept to be shown (issue 10.7)."""

from __future__ import annotations

import pytest

from kommunkarta import profiles, selection
from kommunkarta.loader import load_dataset
from kommunkarta.outputs import downloads

# -- 7. matplotlib shows text as text, and a failed export says so --------------------------------

MATH_NAME = "Matte $\\foo{x}$ nät"


def test_exports_of_a_network_named_with_dollars(data_copy):
    import io

    from pptx import Presentation

    from .conftest import edit_rows

    def rename(rows):
        for row in rows:
            if row["id"] == "tornedalsradet":
                row["name"] = row["short_name"] = MATH_NAME

    edit_rows(data_copy / "networks.csv", rename)
    ds = load_dataset(data_copy)
    assert not ds.problems
    table = selection.membership_table(ds)
    png = downloads.network_map_file(profiles.network_view(ds, table, "tornedalsradet"), ds, table, "png")
    assert png.startswith(b"\x89PNG")
    svg = downloads.network_map_file(profiles.network_view(ds, table, "tornedalsradet"), ds, table, "svg").decode()
    assert MATH_NAME in svg  # the name as written, not typeset
    overview = downloads.overview_map_file(ds, table, selection.Filters(), "svg", MATH_NAME).decode()
    assert MATH_NAME in overview
    kiruna = downloads.kommun_map_file(ds, table, "2584", "svg").decode()
    assert MATH_NAME in kiruna  # in the legend of the kommun's networks
    deck = Presentation(io.BytesIO(downloads.deck_file([profiles.network_view(ds, table, "tornedalsradet")], table)))
    titles = [shape.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert MATH_NAME in titles


def test_a_failed_export_is_kept_to_be_shown():
    from kommunkarta.ui import panels

    failures = {}

    def broken():
        raise ValueError("det gick inte")

    with pytest.raises(ValueError):
        panels.guarded(broken, "karta.png", failures)()
    assert failures == {"karta.png": "ValueError: det gick inte"}
    assert panels.guarded(lambda: b"ok", "ok.png", failures)() == b"ok"
