"""A PowerPoint deck for a network meeting: a title slide, then one slide per network
with its map, key figures and sources."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from pptx import Presentation
from pptx.util import Inches, Pt

from ..format import number
from ..i18n import t
from . import static_maps

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)  # 16:9


@dataclass(frozen=True)
class FigureSlide:
    """A slide of a chart (PNG) beside its figures and its source line."""

    title: str
    image: bytes
    lines: tuple[str, ...] = ()
    source: str = ""


def build_deck(views: list, table, lang: str = "sv", today: dt.date | None = None, figure_slides: tuple = ()) -> bytes:
    """``views`` are network views (profiles.NetworkView), one slide each; then one slide
    per ``figure_slides`` (population development, a Kolada figure)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    title = deck.slides.add_slide(deck.slide_layouts[0])
    title.shapes.title.text = t("deck_title", lang)
    title.placeholders[1].text = t("deck_subtitle", lang, date=(today or dt.date.today()).isoformat(), n=len(views))
    for view in views:
        network, figures = view.network, view.figures
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = network.name
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        figure = static_maps.network_figure(network, table, view.foreign_points, lang=lang)
        picture = io.BytesIO(static_maps.to_bytes(figure, "png"))
        slide.shapes.add_picture(picture, Inches(0.3), Inches(1.3), height=Inches(5.9))
        box = slide.shapes.add_textbox(Inches(8.4), Inches(1.4), Inches(4.6), Inches(5.6)).text_frame
        box.word_wrap = True
        lines = [
            (t("kpi_members_sweden", lang), number(figures.members_sweden, 0, lang)),
            (t("kpi_members_abroad", lang), number(figures.members_abroad, 0, lang)),
            (t("kpi_network_population", lang), number(figures.population, 0, lang)),
            (t("kpi_area", lang), f"{number(round(figures.area_km2), 0, lang)} km²"),
            (t("kpi_lan", lang), ", ".join(figures.lan) or "–"),
        ]
        first = True
        for label, value in lines:
            paragraph = box.paragraphs[0] if first else box.add_paragraph()
            first = False
            paragraph.text = f"{label}: {value}"
            paragraph.font.size = Pt(16)
        if network.unknowns:
            paragraph = box.add_paragraph()
            paragraph.text = f"{t('col_unknowns', lang)}: {network.unknowns}"
            paragraph.font.size = Pt(12)
        paragraph = box.add_paragraph()
        paragraph.text = f"{t('col_source', lang)}: {network.source}"
        paragraph.font.size = Pt(10)
    for figure in figure_slides:
        _figure_slide(deck, figure, lang)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _figure_slide(deck, figure: FigureSlide, lang: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    slide.shapes.title.text = figure.title
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(26)
    slide.shapes.add_picture(io.BytesIO(figure.image), Inches(0.3), Inches(1.4), width=Inches(8.6))
    box = slide.shapes.add_textbox(Inches(9.1), Inches(1.5), Inches(4.0), Inches(5.6)).text_frame
    box.word_wrap = True
    for i, line in enumerate(figure.lines):
        paragraph = box.paragraphs[0] if i == 0 else box.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(13)
    if figure.source:
        paragraph = box.add_paragraph()
        paragraph.text = figure.source
        paragraph.font.size = Pt(10)
