"""Every populated square of a population grid coloured by its distance class, as one
image for a web map (issue 21, section 4), without sending 100,000 polygons to a browser.

Leaflet stretches an image overlay linearly between its corners in the map's own
projection, Web Mercator (EPSG:3857); the grid's squares are in SWEREF 99 TM (EPSG:3006).
So the image is rendered in EPSG:3857: every output pixel's centre is taken back to
SWEREF 99 TM (exactly, with pyproj, on a coarse lattice, and bilinearly between its
nodes, where the error is far below a metre) and coloured by the square it falls in.
One palette PNG (a colour per class, the rest transparent) is written once per question
under ``$KOMMUNKARTA_HOME/cache/grid_maps`` and shared by every session and process.

The distance classes are the field's (Tillväxtverket, Pipos): in km 0–2, 2–5, 5–10, 10–20,
20–30, over 30; in minutes under 5, 5–10, 10–20, 20–30, over 30.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image
from pyproj import Transformer
from scipy.interpolate import RectBivariateSpline

from .. import paths
from ..i18n import t
from . import figures

KM_CLASSES = figures.KM_EDGES  # upper edges; the last class is "over 30"
MINUTE_CLASSES = figures.MINUTE_EDGES
# Sequential, light to dark, readable by the colour-blind (ColorBrewer YlOrRd, 6 and 5
# classes), then grey for no road connection.
KM_COLOURS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
MINUTE_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_CONNECTION_COLOUR = "#7f7f7f"
CELL_M = 1000.0  # the side of a square
PIXEL_M = 1000.0  # an output pixel's side in Web Mercator metres (a square is 1.8–2.8 pixels wide in Sweden)
LATTICE = 16  # every 16th pixel is projected exactly; the rest are interpolated
FORMAT_VERSION = 1  # part of every cache key: a change of the drawing renders anew

_TO_MERCATOR = Transformer.from_crs(3006, 3857, always_xy=True)
_FROM_MERCATOR = Transformer.from_crs(3857, 3006, always_xy=True)
_TO_LONLAT = Transformer.from_crs(3857, 4326, always_xy=True)
_SWEREF_TO_LONLAT = Transformer.from_crs(3006, 4326, always_xy=True)
_LONLAT_TO_SWEREF = Transformer.from_crs(4326, 3006, always_xy=True)


def bounds_of(measure: str) -> tuple[float, ...]:
    return KM_CLASSES if measure == "km" else MINUTE_CLASSES


def colours_of(measure: str) -> tuple[str, ...]:
    """The classes' colours, then no road connection's."""
    return (KM_COLOURS if measure == "km" else MINUTE_COLOURS) + (NO_CONNECTION_COLOUR,)


def distance_class(values, measure: str = "km") -> np.ndarray:
    """Each value's class (figures.class_of): 0 for the nearest (0–2 km, under 5 min) up to
    the last (over 30); a value on an edge belongs to the class below; no road connection
    (infinite) is one more, ``len(class_labels(measure))``."""
    return figures.class_of(values, measure)


def class_labels(measure: str = "km", lang: str = "sv") -> list[str]:
    """The classes' names with their unit, e.g. "0–2 km" … "över 30 km", "kortare än 5 min" … "över 30 min"."""
    bounds = [f"{b:g}" for b in bounds_of(measure)]
    unit = "km" if measure == "km" else "min"
    first = f"0–{bounds[0]} {unit}" if measure == "km" else t("grid_class_under", lang, value=bounds[0], unit=unit)
    middle = [f"{a}–{b} {unit}" for a, b in itertools.pairwise(bounds)]
    return [first, *middle, t("grid_class_over", lang, value=bounds[-1], unit=unit)]


@dataclass(frozen=True)
class GridImage:
    png: bytes  # palette PNG, transparent where no populated square lies
    bounds: tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east)) in degrees
    width: int
    height: int
    squares: int  # the squares drawn

    @property
    def data_url(self) -> str:
        import base64

        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def render(x: np.ndarray, y: np.ndarray, classes: np.ndarray, colours, pixel_m: float = PIXEL_M) -> GridImage:
    """The squares (centres ``x``, ``y`` in SWEREF 99 TM, ``classes`` 0…len(colours)-1)
    as a Web Mercator image."""
    x, y, classes = np.asarray(x, float), np.asarray(y, float), np.asarray(classes, np.int64)
    if not len(x):
        raise ValueError("no squares to draw")
    x0, y0 = np.floor(x.min() / CELL_M) * CELL_M, np.floor(y.min() / CELL_M) * CELL_M
    col = np.floor((x - x0) / CELL_M).astype(np.int64)
    row = np.floor((y - y0) / CELL_M).astype(np.int64)
    lookup = np.full((row.max() + 1, col.max() + 1), -1, dtype=np.int16)
    lookup[row, col] = classes
    x1, y1 = x0 + lookup.shape[1] * CELL_M, y0 + lookup.shape[0] * CELL_M
    # The box's edges in Web Mercator (densified: a SWEREF 99 TM box is curved there).
    edge = np.linspace(0, 1, 65)
    bx = np.concatenate([x0 + (x1 - x0) * edge, np.full(65, x1), x1 - (x1 - x0) * edge, np.full(65, x0)])
    by = np.concatenate([np.full(65, y0), y0 + (y1 - y0) * edge, np.full(65, y1), y1 - (y1 - y0) * edge])
    mx, my = _TO_MERCATOR.transform(bx, by)
    mx0, mx1 = np.floor(min(mx) / pixel_m) * pixel_m, np.ceil(max(mx) / pixel_m) * pixel_m
    my0, my1 = np.floor(min(my) / pixel_m) * pixel_m, np.ceil(max(my) / pixel_m) * pixel_m
    width, height = int(np.round((mx1 - mx0) / pixel_m)), int(np.round((my1 - my0) / pixel_m))
    # Pixel centres, projected exactly on a lattice, interpolated between; the image's top row first.
    px = mx0 + (np.arange(width) + 0.5) * pixel_m
    py = my0 + (np.arange(height) + 0.5) * pixel_m  # bottom row first; flipped below
    lx = np.unique(np.append(px[::LATTICE], px[-1]))
    ly = np.unique(np.append(py[::LATTICE], py[-1]))
    if len(lx) > 1 and len(ly) > 1:
        gx, gy = np.meshgrid(lx, ly, indexing="ij")
        sx, sy = _FROM_MERCATOR.transform(gx.ravel(), gy.ravel())
        sx, sy = np.asarray(sx).reshape(gx.shape), np.asarray(sy).reshape(gx.shape)
        ex = RectBivariateSpline(lx, ly, sx, kx=1, ky=1)(px, py).T[::-1]
        ey = RectBivariateSpline(lx, ly, sy, kx=1, ky=1)(px, py).T[::-1]
    else:  # a box of one pixel's width or height: every pixel exactly
        ex, ey = _FROM_MERCATOR.transform(*np.meshgrid(px, py[::-1]))
        ex, ey = np.asarray(ex), np.asarray(ey)
    c = np.floor((ex - x0) / CELL_M).astype(np.int64)
    r = np.floor((ey - y0) / CELL_M).astype(np.int64)
    inside = (c >= 0) & (c < lookup.shape[1]) & (r >= 0) & (r < lookup.shape[0])
    pixels = np.full((height, width), len(colours), dtype=np.uint8)  # the transparent index
    found = lookup[np.where(inside, r, 0), np.where(inside, c, 0)]
    drawn = inside & (found >= 0)
    pixels[drawn] = found[drawn]
    image = Image.fromarray(pixels, mode="P")
    palette = [int(h[i : i + 2], 16) for h in colours for i in (1, 3, 5)] + [0, 0, 0]
    image.putpalette(palette)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=len(colours))
    west, south = _TO_LONLAT.transform(mx0, my0)
    east, north = _TO_LONLAT.transform(mx1, my1)
    return GridImage(buffer.getvalue(), ((south, west), (north, east)), width, height, len(x))


def cache_folder() -> Path:
    return paths.home() / "cache" / "grid_maps"


def cache_key(*parts) -> str:
    """A file name for a question (layer ids and versions, kinds, measure, detour, what-if …)."""
    text = json.dumps([FORMAT_VERSION, *[repr(p) for p in parts]])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def cached_image(key: str, compute) -> GridImage:
    """The image stored under ``key``, or ``compute()`` stored there (written to a temporary
    file and renamed, so another process never reads half an image)."""
    folder = cache_folder()
    png, meta = folder / f"{key}.png", folder / f"{key}.json"
    if png.exists() and meta.exists():
        info = json.loads(meta.read_text(encoding="utf-8"))
        (south, west), (north, east) = info["bounds"]
        bounds = ((float(south), float(west)), (float(north), float(east)))
        return GridImage(png.read_bytes(), bounds, info["width"], info["height"], info["squares"])
    image = compute()
    folder.mkdir(parents=True, exist_ok=True)
    for target, data in (
        (png, image.png),
        (
            meta,
            json.dumps(
                {"bounds": image.bounds, "width": image.width, "height": image.height, "squares": image.squares}
            ).encode("utf-8"),
        ),
    ):
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
    return image


def sweref_xy(squares: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The squares' centres in SWEREF 99 TM (their x/y, or projected from lat/lon)."""
    if {"x", "y"} <= set(squares.columns):
        return squares["x"].to_numpy(float), squares["y"].to_numpy(float)
    x, y = _LONLAT_TO_SWEREF.transform(squares["lon"].to_numpy(float), squares["lat"].to_numpy(float))
    return np.asarray(x), np.asarray(y)


def square_at(squares: pd.DataFrame, lat: float, lon: float) -> int | None:
    """The position (in ``squares``) of the square a click at ``lat``, ``lon`` falls in, or None."""
    x, y = _LONLAT_TO_SWEREF.transform(lon, lat)
    sx, sy = sweref_xy(squares)
    hit = np.flatnonzero(
        (np.floor(sx / CELL_M) == np.floor(x / CELL_M)) & (np.floor(sy / CELL_M) == np.floor(y / CELL_M))
    )
    return int(hit[0]) if len(hit) else None


def square_id(x: float, y: float) -> str:
    """SCB's rutid_scb of the 1 km square whose centre is ``x``, ``y``: its south-west corner,
    six digits east then seven north."""
    return f"{int(np.floor(x / CELL_M) * CELL_M):06d}{int(np.floor(y / CELL_M) * CELL_M):07d}"
