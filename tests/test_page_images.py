"""ui.panels.image: a chart or picture made for the downloads is scaled to the width
Streamlit sends as it is, once, so that Streamlit does not scale it again at every rerun."""

import io

from matplotlib.figure import Figure
from PIL import Image
from streamlit.elements.lib.image_utils import _ensure_image_size_and_format
from streamlit.elements.lib.layout_utils import LayoutConfig

from kommunkarta.outputs import figure_charts, static_maps
from kommunkarta.ui import panels


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def test_a_download_sized_chart_is_scaled_once_to_what_streamlit_sends_as_it_is():
    # A chart the size of the population chart, made as the downloads make it: wider
    # than Streamlit sends.
    chart = static_maps.to_bytes(Figure(figsize=(figure_charts.WIDTH_IN, figure_charts.HEIGHT_IN)), "png")
    assert size(chart)[0] == round(figure_charts.WIDTH_IN * figure_charts.DPI) > panels.PAGE_IMAGE_WIDTH
    shown = panels._page_sized(chart)
    width, height = size(shown)
    assert width == panels.PAGE_IMAGE_WIDTH
    assert abs(height / width - size(chart)[1] / size(chart)[0]) < 0.002  # the same proportions
    # What st.image(width="stretch") does with it: nothing, the bytes go as they are ...
    stretch = LayoutConfig(width="stretch")
    assert _ensure_image_size_and_format(shown, stretch, "PNG") is shown
    # ... where the chart as it was made is decoded, scaled and encoded again.
    assert _ensure_image_size_and_format(chart, stretch, "PNG") != chart


def test_an_image_narrow_enough_is_left_as_it_is():
    small = png(800, 400)
    assert panels._page_sized(small) is small
    assert size(panels._page_sized(png(3000, 1000))) == (panels.PAGE_IMAGE_WIDTH, 487)
