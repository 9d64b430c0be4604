"""Export files, opened and checked: images, offline HTML, workbook, geodata, deck."""

import io
import json
import re
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image

from kommunkarta import geo, profiles, selection
from kommunkarta.outputs import downloads, formats


@pytest.fixture(scope="module")
def summary(dataset, table):
    return selection.kommun_summary(selection.apply_filters(table, selection.Filters()), dataset)


def test_png_map_has_its_size_and_real_content(dataset, table):
    image = Image.open(
        io.BytesIO(
            downloads.network_map_file(profiles.network_view(dataset, table, "tornedalsradet"), dataset, table, "png")
        )
    )
    assert image.size == (1600, 1200)
    pixels = np.asarray(image.convert("RGB"))
    colours = {tuple(c) for c in pixels[::7, ::7].reshape(-1, 3)}
    assert len(colours) > 50  # not a blank canvas
    # Members are filled in the network's colour at 80 % over the light grey base.
    colour = dataset.networks.set_index("id").loc["tornedalsradet", "color"].lstrip("#")
    rgb = np.array([int(colour[i : i + 2], 16) for i in (0, 2, 4)])
    filled = 0.8 * rgb + 0.2 * np.array([0xF4, 0xF4, 0xF2])
    assert (np.abs(pixels.astype(int) - filled).sum(axis=2) < 40).mean() > 0.05


def test_svg_map_has_title_legend_scale_and_sources(dataset, table):
    svg = downloads.network_map_file(
        profiles.network_view(dataset, table, "industrikommuner"), dataset, table, "svg"
    ).decode("utf-8")
    root = ET.fromstring(svg)
    assert root.attrib["width"].startswith("720") and root.attrib["height"].startswith("540")  # 10 × 7.5 in at 72 pt
    assert "Nätverket för starka industrikommuner" in svg and "Länsgräns" in svg
    assert re.search(r">\d+ km<", svg)  # the scale bar
    assert "003_4678b3cb008819f7.txt" in svg
    assert svg.count("<path") > 290


def test_kommun_and_overview_images(dataset, table):
    kiruna = downloads.kommun_map_file(dataset, table, "2584", "svg").decode("utf-8")
    assert "Kiruna" in kiruna and "Tornedalsrådet" in kiruna and "Gällivare" in kiruna  # neighbours named
    overview = downloads.overview_map_file(dataset, table, selection.Filters(lan=("25",)), "png", "Norrbotten")
    assert Image.open(io.BytesIO(overview)).size == (1600, 1200)


def test_small_multiples_have_a_map_per_network_with_its_name_and_member_count(dataset, table):
    """One small map per network of the selection, titled with its name and its number
    of Swedish kommuner taking part, counted here straight from the memberships."""
    from kommunkarta.outputs import static_maps

    chosen = ("tornedalsradet", "industrikommuner", "serviceutveckling_2024")
    filtered = selection.apply_filters(table, selection.Filters(networks=chosen))
    networks = downloads.selected_networks(dataset, filtered)
    assert list(networks["id"]) == [n for n in dataset.networks["id"] if n in chosen]  # the data's order
    fig = static_maps.small_multiples_figure(networks, filtered, "Tre nätverk")
    titles = [ax.get_title() for ax in fig.axes]
    expected = []
    for network in networks.itertuples():
        rows = table[(table["network_id"] == network.id) & (table["country"] == "SE") & table["takes_part"]]
        expected.append(f"{network.short_name}\n{rows['kommun_kod'].nunique()} kommuner deltar")
    assert titles == expected
    assert "Tornedalsrådet\n4 kommuner deltar" in titles
    svg = downloads.small_multiples_file(dataset, table, selection.Filters(networks=chosen), "svg", "Tre nätverk")
    svg = svg.decode("utf-8")
    assert "Tre nätverk" in svg and "Filmpool Nord" not in svg and "004_a16b07d851e55101.txt" in svg
    png = downloads.small_multiples_file(dataset, table, selection.Filters(), "png", "Alla", lang="en")
    assert Image.open(io.BytesIO(png)).size == (2560, 1440)  # 16:9 at 160 dpi
    with pytest.raises(ValueError, match="no network"):
        downloads.small_multiples_file(
            dataset, table, selection.Filters(lan=("25",), networks=("dalalab_stora_etableringar",)), "png", "x", "en"
        )


def test_small_multiples_layout_gives_each_map_the_most_room():
    from kommunkarta.outputs import static_maps

    assert static_maps.multiples_layout(1) == (1, 1)
    assert static_maps.multiples_layout(4) == (4, 1)  # Sweden is tall: side by side on a wide page
    columns, rows = static_maps.multiples_layout(11)
    assert columns * rows >= 11 and (columns - 1) * rows < 11


RESOURCE = re.compile(
    r"""(?:<script[^>]+src|<link[^>]+href|<img[^>]+src)\s*=\s*["']([^"']+)|url\(\s*["']?(https?:[^)"']+)""", re.I
)


def test_html_map_loads_nothing_from_anywhere(dataset, table):
    html_text = downloads.network_map_file(
        profiles.network_view(dataset, table, "tornedalsradet"), dataset, table, "html"
    ).decode("utf-8")
    assert RESOURCE.findall(html_text) == []
    assert "/app/static" not in html_text and "L.map(" in html_text and "data:image/png;base64," in html_text
    overview = downloads.overview_map_file(dataset, table, selection.Filters(), "html", "x").decode("utf-8")
    assert RESOURCE.findall(overview) == []
    # the shapes of all 290 kommuner and their tooltips are written into the page
    assert overview.count("kk.kommuner = JSON.parse(") == 1
    assert len(re.findall(r'kk\.props\["[0-9a-f]+"\] = \{', overview)) == 1
    assert all(f'"{code}":' in overview for code in geo.kommuner()["kommun_kod"])


def test_workbook_has_a_sources_sheet_and_neutralised_cells(dataset, table, summary):
    from openpyxl import load_workbook

    hostile = summary.copy()
    hostile.loc[0, "kommun"] = '=HYPERLINK("http://example.com")'
    book = load_workbook(
        io.BytesIO(formats.to_excel_bytes({"Kommuner": hostile}, downloads.sources_table(dataset, table)))
    )
    assert book.sheetnames == ["Kommuner", "Källor"]
    cell = book["Kommuner"]["B2"]
    assert cell.value == '\'=HYPERLINK("http://example.com")' and cell.data_type == "s"
    sources = list(book["Källor"].iter_rows(values_only=True))
    assert sources[0] == ("nätverk", "kommun", "roll", "källa", "säkerhet")
    assert any(row[3] == "003_4678b3cb008819f7.txt" and row[1] == "Kiruna" for row in sources)


def test_geodata_exports_read_back(summary, tmp_path):
    gdf = formats.kommuner_geodata(summary)
    collection = json.loads(gdf.to_json(drop_id=True))
    assert len(collection["features"]) == len(summary)
    (tmp_path / "k.gpkg").write_bytes(formats.to_geopackage_bytes(gdf))
    back = gpd.read_file(tmp_path / "k.gpkg")
    assert len(back) == len(summary) and back.crs.to_epsg() == 4326
    assert set(back["kommun"]) == set(summary["kommun"])


def test_deck_has_a_title_slide_and_one_slide_per_network(dataset, table):
    from pptx import Presentation

    deck = Presentation(
        io.BytesIO(
            downloads.deck_file(
                [profiles.network_view(dataset, table, n) for n in ["gruvkommuner", "tornedalsradet"]], table
            )
        )
    )
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == ["Kommuner i nätverk", "Nationellt nätverk för gruvkommuner", "Tornedalsrådet"]
    network_slide = deck.slides[2]
    assert any(shape.shape_type == 13 for shape in network_slide.shapes)  # a picture: the map
    text = " ".join(shape.text_frame.text for shape in network_slide.shapes if shape.has_text_frame)
    assert "Kommuner i Finland och Norge: 10" in text and "004_a16b07d851e55101.txt" in text


def test_an_unknown_network_is_named_in_the_error(dataset, table):
    with pytest.raises(KeyError, match="okänt nätverk 'finns_inte'"):
        downloads.network_map_file(profiles.network_view(dataset, table, "finns_inte"), dataset, table, "png")
