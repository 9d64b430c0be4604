"""Trees of folium elements (a map, its layers, their children): walking them, copying
them, and rendering an element into its figure without compiling its output again."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator

from branca.element import Element, Figure, MacroElement


def walk(roots) -> Iterator:
    """Every element of ``roots`` (one element or several) and all their descendants."""
    for element in roots if isinstance(roots, Iterable) and not hasattr(roots, "_children") else [roots]:
        yield element
        yield from walk(list(getattr(element, "_children", {}).values()))


def copy_sharing_data(roots):
    """A deep copy of folium elements (one, or a tuple of several) that shares their
    GeoJSON data and the kommun layer's tooltip rows, which are most of their size and
    which folium only reads: it would number features in place only where no property
    identifies them, and every feature of ours carries a unique code."""
    memo = {}
    for element in walk(roots):
        for attribute in ("data", "rows"):
            data = getattr(element, attribute, None)
            if isinstance(data, dict):
                memo[id(data)] = data
    return copy.deepcopy(roots, memo)


class RenderedText(Element):
    """Text a macro has rendered, put into the figure as it is. branca's ``Element(text)``
    compiles the text as a Jinja template and renders it again: for data in the text
    (names, arrays of points) a needless cost, and template syntax in the data would be
    evaluated. As Jinja does, one trailing newline is dropped."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text.removesuffix("\n")

    def render(self, **kwargs) -> str:
        return self.text


def render_macros(element, kwargs: dict) -> None:
    """What branca's MacroElement.render puts into ``element``'s figure (each of its
    template's header, html and script macros, under the element's name; then its
    children rendered), each macro's output kept as text (RenderedText). Children that
    render as a plain MacroElement (folium's ElementAddToElement, say) are rendered so too."""
    figure = element.get_root()
    if not isinstance(figure, Figure):
        raise TypeError("an element is rendered in a Figure")
    macros = element._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(RenderedText(macro(element, kwargs)), name=element.get_name())
    for child in element._children.values():
        if type(child).render is MacroElement.render:
            render_macros(child, kwargs)
        else:
            child.render(**kwargs)
