"""The service map's points as compact elements (outputs/point_layers, issue 22): every
place in its distance band, every shop and square, each with its name (through map_text)
as its tooltip, read back as the browser reads them and checked against counts made
here from the rows; hostile names stay text, also through a full page render."""

from __future__ import annotations

import copy
import html

import folium
import numpy as np
import pandas as pd
import pytest
from streamlit_folium import _get_feature_group_string

from kommunkarta.format import number
from kommunkarta.i18n import t
from kommunkarta.outputs import maps, point_layers
from kommunkarta.service import defaults

from .conftest import SCRIPT_PAYLOADS
from .support.point_layers import drawn_points

HOSTILE = [*SCRIPT_PAYLOADS, "{{ 7*7 }}", "{{'map_div'}}", "{% raw %}", "a\x00b", "Å & <b>Ö</b>"]


def sent(layers) -> str:
    """The script streamlit-folium sends for the layers."""
    m = folium.Map()
    return "".join(_get_feature_group_string(copy.deepcopy(layer), m, i) for i, layer in enumerate(layers))


def escaped(text: str) -> str:
    """What map_text promises, written out here: HTML-escaped, and ` $ \\ { } as references."""
    text = html.escape(text, quote=True)
    for char, reference in (("`", "&#96;"), ("$", "&#36;"), ("\\", "&#92;"), ("{", "&#123;"), ("}", "&#125;")):
        text = text.replace(char, reference)
    return text


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    """The embedded tätorter with a distance each (the first few with hostile names)."""
    rows = defaults.tatort_origins().reset_index(drop=True)
    rng = np.random.default_rng(7)
    rows = rows.assign(origin_id=rows["id"], distance_km=rng.uniform(0, 45, len(rows)).round(2))
    rows.loc[: len(HOSTILE) - 1, "name"] = HOSTILE
    return rows


def test_every_place_is_drawn_once_in_its_band_with_its_name(places):
    shops = places.iloc[::50][["id", "name", "lat", "lon"]].reset_index(drop=True)
    vulnerable = list(shops["id"].iloc[:3])
    layers = maps.access_layers(places, shops, 30.0, vulnerable_ids=vulnerable)
    drawn = drawn_points(sent(layers))
    assert len(drawn) == 2  # one element for the shops, one for the places
    (_, shop_styles, shop_rows), (_, place_styles, place_rows) = drawn
    # Each band as often as the rows' distances say, counted here.
    km = places["distance_km"].to_numpy()
    expected = {
        maps.ACCESS_COLORS["within"]: int((km <= 20).sum()),
        maps.ACCESS_COLORS["near"]: int(((km > 20) & (km <= 30)).sum()),
        maps.ACCESS_COLORS["beyond"]: int((km > 30).sum()),
    }
    counted = {}
    for row in place_rows:
        color = place_styles[row[2]]["fillColor"]
        counted[color] = counted.get(color, 0) + 1
    assert counted == expected
    # Each place where it is, with its name as its tooltip.
    by_place = sorted((escaped(r.name), r.lat, r.lon) for r in places.itertuples())
    drawn_places = sorted((r[3], r[0], r[1]) for r in place_rows)
    assert [p[0] for p in drawn_places] == [p[0] for p in by_place]
    assert np.abs(np.array([p[1:] for p in drawn_places]) - np.array([p[1:] for p in by_place])).max() <= 0.5e-4 + 1e-9
    # The shops, then the vulnerable ones ringed on top.
    assert [r[3] for r in shop_rows] == [escaped(n) for n in shops["name"]] + [
        escaped(n) for n in shops["name"].iloc[:3]
    ]
    assert [shop_styles[r[2]]["radius"] for r in shop_rows] == [2] * len(shops) + [7] * 3
    assert shop_styles[shop_rows[-1][2]] == point_layers.marker_options(maps.VULNERABLE_STYLE)


def test_hostile_names_are_text_in_the_script_and_the_rendered_page(places):
    layers = maps.access_layers(places.iloc[: len(HOSTILE)], places.iloc[:0][["id", "name", "lat", "lon"]], 30.0)
    script = sent(layers)
    for raw in ("<script>", "{{", "{%", "${alert", "`+alert"):
        assert raw not in script, raw
    [(_, _, rows)] = drawn_points(script)
    assert sorted(r[3] for r in rows) == sorted(escaped(n) for n in HOSTILE)
    assert "{{ 7*7 }}" in [html.unescape(r[3]) for r in rows]  # not 49: no template ran over it
    m = folium.Map()
    for layer in layers:
        layer.add_to(m)
    page = m.get_root().render()
    [(_, _, rendered)] = drawn_points(page)
    assert rendered == rows
    assert "<script>alert" not in page


def test_the_squares_beyond_carry_their_people_and_distance(places):
    squares = pd.DataFrame(
        {
            "lat": [62.0, 62.5, 63.123456],
            "lon": [15.0, 15.5, 16.987654],
            "population": [3, 1234, 3],
            "distance_km": [31.25, 40.0, 55.55],
        }
    )
    for language in ("sv", "en"):
        [(_, styles, rows)] = drawn_points(sent([maps.grid_beyond_layer(squares, language)]))
        assert [r[3] for r in rows] == [
            t("access_grid_square", language, people=number(p, 0, language), km=number(d, 1, language))
            for p, d in zip(squares["population"], squares["distance_km"])
        ]
        assert [r[:2] for r in rows] == [[62.0, 15.0], [62.5, 15.5], [63.1235, 16.9877]]
        assert styles == [point_layers.marker_options(maps.GRID_BEYOND_STYLE)]


def test_map_texts_is_map_text_of_each():
    values = [*HOSTILE, 12, None, "", "Ljusdal"]
    assert maps.map_texts(values) == [maps.map_text(v) for v in values]
    assert maps.map_texts(["Ljusdal", "Los"]) == ["Ljusdal", "Los"]
    assert maps.map_texts([]) == []


def test_no_points_no_element():
    empty = pd.DataFrame(columns=["id", "name", "lat", "lon", "distance_km"])
    layers = maps.access_layers(empty.rename(columns={"id": "origin_id"}), empty, 30.0)
    assert drawn_points(sent(layers)) == []


def test_mines_are_dots_and_the_very_low_ones_dashed_rings_with_their_confidence():
    mines = pd.DataFrame(
        {
            "name": ["Garpenberg", "Aitik </script>", "Gammal {{ gruva }}"],
            "lat": [60.31, 67.07, 64.0],
            "lon": [16.2, 20.95, 18.0],
            "confidence": ["High", "Medium", "Very Low"],
            "uncertain": [False, False, True],
        }
    )
    [(_, styles, rows)] = drawn_points(sent([maps.mines_layer(mines, "en")]))
    assert [r[3] for r in rows] == [
        escaped(f"{n} ({t('mine_confidence', 'en')}: {c})" + (f", {t('mine_uncertain', 'en')}" if u else ""))
        for n, c, u in zip(mines["name"], mines["confidence"], mines["uncertain"])
    ]
    assert [styles[r[2]] for r in rows] == [point_layers.marker_options(maps.MINE_STYLE)] * 2 + [
        point_layers.marker_options(maps.UNCERTAIN_MINE_STYLE)
    ]
    assert styles[rows[2][2]]["dashArray"] == "3 3" and styles[rows[2][2]]["fill"] is False
