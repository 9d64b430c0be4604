"""Walking a tree of folium elements (a map, its layers, their children)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator


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
