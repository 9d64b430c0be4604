"""Walking a tree of folium elements (a map, its layers, their children)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


def walk(roots) -> Iterator:
    """Every element of ``roots`` (one element or several) and all their descendants."""
    for element in roots if isinstance(roots, Iterable) and not hasattr(roots, "_children") else [roots]:
        yield element
        yield from walk(list(getattr(element, "_children", {}).values()))
