"""The grid map (issue 21, section 4): every populated square coloured by its distance
class in one Web Mercator image. Checked against independent computations: each square's
centre projected exactly with pyproj lands on a pixel of its own class; classes against a
brute-force binning; a click finds the square by brute force; SCB's rutid_scb is the
square's south-west corner; the stored image is reused by another call."""

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pyproj import Transformer
from scipy.spatial import cKDTree

from kommunkarta.outputs import formats, grid_maps
from kommunkarta.service import defaults, grid_map

TO_MERCATOR = Transformer.from_crs(3006, 3857, always_xy=True)
LONLAT_TO_MERCATOR = Transformer.from_crs(4326, 3857, always_xy=True)
TO_LONLAT = Transformer.from_crs(3006, 4326, always_xy=True)


@pytest.fixture(scope="module")
def squares() -> pd.DataFrame:
    """The embedded grid's squares of Gävleborg and Jämtland (about 9,000)."""
    grid = defaults.population_grid()
    return grid[grid["kommun_kod"].str[:2].isin(["21", "23"])].reset_index(drop=True)


def brute_class(km: np.ndarray, edges) -> np.ndarray:
    out = np.empty(len(km), dtype=int)
    for i, value in enumerate(km):
        if not np.isfinite(value):
            out[i] = len(edges) + 1
            continue
        out[i] = sum(value > edge for edge in edges)
    return out


def test_classes_match_a_brute_force_binning():
    values = np.array([0.0, 2.0, 2.01, 5.0, 9.9, 10.0, 19.99, 20.0, 29.9, 30.0, 30.01, 500.0, np.inf])
    assert grid_map.distance_class(values, "km").tolist() == brute_class(values, grid_map.KM_CLASSES).tolist()
    assert grid_map.distance_class(values, "minutes").tolist() == brute_class(values, grid_map.MINUTE_CLASSES).tolist()
    assert grid_map.class_labels("km") == ["0–2 km", "2–5 km", "5–10 km", "10–20 km", "20–30 km", "över 30 km"]
    assert grid_map.class_labels("minutes", "en")[0] == "under 5 min"
    assert grid_map.class_labels("minutes", "en")[-1] == "over 30 min"


def test_every_square_is_drawn_in_its_own_class_where_its_centre_lies(squares):
    x, y = squares["x"].to_numpy(), squares["y"].to_numpy()
    shops = np.array([[560_000.0, 6_850_000.0], [480_000.0, 7_010_000.0], [620_000.0, 6_800_000.0]])
    km = cKDTree(shops).query(np.column_stack([x, y]))[0] / 1000
    classes = grid_map.distance_class(km)
    image = grid_map.render(x, y, classes, grid_map.colours_of("km"))
    pixels = np.array(Image.open(io.BytesIO(image.png)))
    assert pixels.shape == (image.height, image.width)
    (south, west), (north, east) = image.bounds
    left, bottom = LONLAT_TO_MERCATOR.transform(west, south)
    right, top = LONLAT_TO_MERCATOR.transform(east, north)
    mx, my = TO_MERCATOR.transform(x, y)  # every centre exactly, no lattice
    col = ((np.asarray(mx) - left) / (right - left) * image.width).astype(int)
    row = ((top - np.asarray(my)) / (top - bottom) * image.height).astype(int)
    assert (pixels[row, col] == classes).all()
    # Nothing is drawn where no square is: the transparent index outside the squares.
    transparent = len(grid_map.colours_of("km"))
    assert (pixels == transparent).mean() > 0.5
    assert set(np.unique(pixels)) <= set(range(transparent + 1))


def test_a_click_finds_its_square_and_the_id_is_the_south_west_corner(squares):
    rng = np.random.default_rng(21)
    picks = rng.choice(len(squares), 50, replace=False)
    for at in picks:
        cx, cy = squares.loc[at, "x"], squares.loc[at, "y"]
        # a click 300 m north-east of the centre is still in the square
        lon, lat = TO_LONLAT.transform(cx + 300, cy + 300)
        found = grid_map.square_at(squares, lat, lon)
        # brute force: the square whose centre is within half a side on both axes
        inside = np.flatnonzero((abs(squares["x"] - (cx + 300)) < 500) & (abs(squares["y"] - (cy + 300)) < 500))
        assert found == at and list(inside) == [at]
        assert grid_map.square_id(cx, cy) == str(squares.loc[at, "rutid_scb"])
    lon, lat = TO_LONLAT.transform(900_000, 6_200_000)  # the Baltic
    assert grid_map.square_at(squares, lat, lon) is None


def test_the_image_is_stored_once_and_read_by_the_next_call(squares, tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path))
    x, y = squares["x"].to_numpy(), squares["y"].to_numpy()
    calls = []

    def compute():
        calls.append(1)
        return grid_map.render(x, y, np.zeros(len(x), int), grid_map.colours_of("km"))

    key = grid_map.cache_key("grid", "v1", ("grocery",))
    first = grid_map.cached_image(key, compute)
    second = grid_map.cached_image(key, compute)
    assert calls == [1] and second.png == first.png
    assert np.allclose(second.bounds, first.bounds)
    assert (tmp_path / "cache" / "grid_maps" / f"{key}.png").exists()
    assert grid_map.cache_key("grid", "v2", ("grocery",)) != key


def test_the_map_has_the_overlay_and_the_legend_and_works_offline(squares):
    x, y = squares["x"].to_numpy(), squares["y"].to_numpy()
    image = grid_map.render(x, y, grid_map.distance_class(np.full(len(x), 12.0)), grid_map.colours_of("km"))
    m = grid_maps.grid_class_map(image, "km", "km fågelvägen – rutnät", "sv")
    page = formats.standalone_html(m).decode("utf-8")
    assert "L.imageOverlay" in page and image.data_url[:200] in page
    for label in grid_map.class_labels("km"):  # written into the legend's script as JSON
        assert json.dumps(label)[1:-1] in page
    # nothing loaded from anywhere: no script, stylesheet or image from a host
    assert not re.search(r"""<(script|link|img)[^>]*(src|href)=["']?https?://""", page)


def test_a_grid_layers_title_is_text_in_the_legend(squares):
    """A stored grid's title (chosen by whoever imported it) is in the legend as text:
    no script, and no Jinja expression evaluated when folium renders the legend."""
    from .conftest import TEMPLATE_EVALUATED, payload

    x, y = squares["x"].to_numpy(), squares["y"].to_numpy()
    image = grid_map.render(x, y, grid_map.distance_class(np.full(len(x), 12.0)), grid_map.colours_of("km"))
    title = payload(2, "Rutnät")  # </script><script>alert(1)</script> and {{ 7007*1001 }}
    page = formats.standalone_html(grid_maps.grid_class_map(image, "km", title, "sv")).decode("utf-8")
    page = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)  # the legend is JSON
    assert TEMPLATE_EVALUATED not in page and "<script>alert(1)" not in page
    assert "Rutnät &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &#123;&#123; 7007*1001 &#125;&#125;" in page
