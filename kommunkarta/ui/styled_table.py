"""A table's cell texts for ``st.dataframe`` without pandas' Styler machinery.

``st.dataframe`` shows a number column's cells as a pandas Styler writes them, and
Streamlit reads a Styler through two of its methods: ``_compute()`` (apply the styles)
and ``_translate()`` (every cell's text, CSS and attributes). For a few hundred rows
that took some 20 ms of every rerun, most of the overview's table. ``display_styler``
hands Streamlit a genuine Styler whose two methods answer with the texts of the
formatted columns only: the rest of the cells Streamlit writes as ``str(value)``,
which is what the Styler would write for them too, but for a missing text, which stays
empty where pandas wrote "None". tests/test_styled_table.py holds that the two give
Streamlit the same table otherwise (with the pinned pandas and Streamlit).

Most tables are the same object rerun after rerun (a cached query's result), and
Streamlit still wrote their texts anew every time: every cell's ``str`` (it casts the
whole frame with ``astype(str)``), then each formatted column's texts on top, some
10-25 ms for each of the service page's tables under load. With a ``key`` naming the
formatters (the language, the decimals), ``display_styler`` makes that frame of texts
once, with Streamlit's own function, and keeps it while the table lives; the Styler it
returns hands Streamlit those texts as its data's ``astype(str)`` and no cells to write
over them, so Streamlit sends the same texts without making them again.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable

import pandas as pd
from pandas.io.formats.style import Styler

try:  # Streamlit's own writing of a Styler's cells (the version in constraints.txt has it)
    from streamlit.elements.lib.pandas_styler_utils import _use_display_values
except ImportError:  # another Streamlit: its marshalling writes the texts at every rerun
    _use_display_values = None


def display_styler(
    frame: pd.DataFrame, formatters: dict[str, Callable[[object], str]], key: Hashable | None = None
) -> Styler:
    """A Styler of ``frame`` that shows each column of ``formatters`` as its function
    writes the values; equivalent to ``frame.style.format(formatters)`` for Streamlit.
    With ``key`` (what the formatters depend on beyond the frame: the same key, the same
    texts) the texts are made once per frame object and key, and kept while it lives."""
    if key is None or _use_display_values is None:
        return _answering(frame.style, _translated(frame, formatters))
    texts = _kept_texts(frame, formatters, key)
    return _answering(Styler(_WithTexts(frame, texts)), _translated(frame, {}))


def _translated(frame: pd.DataFrame, formatters: dict[str, Callable[[object], str]]) -> dict:
    """What Styler._translate gives Streamlit: each formatted cell's text, no styles."""
    body: list[list[dict]] = [[] for _ in range(len(frame))]
    for column, write in formatters.items():
        position = frame.columns.get_loc(column)
        for row, value in enumerate(frame[column].tolist()):
            body[row].append({"id": f"row{row}_col{position}", "display_value": write(value)})
    return {"body": body, "cellstyle": [], "table_styles": []}


def _answering(styler: Styler, translated: dict) -> Styler:
    # Instance attributes: this one Styler answers with the texts given.
    styler._compute = lambda: styler  # type: ignore[method-assign]
    styler._translate = lambda *args, **kwargs: translated  # type: ignore[method-assign]
    return styler


class _WithTexts(pd.DataFrame):
    """A table's values (shared, not copied) whose ``astype(str)`` is its texts as made
    before: where Streamlit's marshalling asks for every cell as text. Anything derived
    from it is a plain DataFrame again (pandas' ``_constructor``)."""

    def __init__(self, frame: pd.DataFrame, texts: pd.DataFrame):
        super().__init__(frame)
        object.__setattr__(self, "_kk_texts", texts)

    def astype(self, dtype, *args, **kwargs):
        if dtype is str and not args and not kwargs:
            return self._kk_texts.copy(deep=False)
        return super().astype(dtype, *args, **kwargs)


# Texts of live frames: id(frame) -> {key: texts}; an entry goes with its frame.
_texts_by_frame: dict[int, dict[Hashable, pd.DataFrame]] = {}
_texts_lock = threading.Lock()


def _kept_texts(frame: pd.DataFrame, formatters: dict, key: Hashable) -> pd.DataFrame:
    kept = _texts_by_frame.get(id(frame))
    if kept is not None and key in kept:
        return kept[key]
    # Streamlit's own writing of the cells: the texts are exactly what it would send.
    texts = _use_display_values(frame, _translated(frame, formatters))
    with _texts_lock:
        if id(frame) not in _texts_by_frame:
            _texts_by_frame[id(frame)] = {}
            weakref.finalize(frame, _texts_by_frame.pop, id(frame), None)
        _texts_by_frame[id(frame)][key] = texts
    return texts
