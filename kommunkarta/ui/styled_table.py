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
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from pandas.io.formats.style import Styler


def display_styler(frame: pd.DataFrame, formatters: dict[str, Callable[[object], str]]) -> Styler:
    """A Styler of ``frame`` that shows each column of ``formatters`` as its function
    writes the values; equivalent to ``frame.style.format(formatters)`` for Streamlit."""
    styler = frame.style
    body: list[list[dict]] = [[] for _ in range(len(frame))]
    for column, write in formatters.items():
        position = frame.columns.get_loc(column)
        for row, value in enumerate(frame[column].tolist()):
            body[row].append({"id": f"row{row}_col{position}", "display_value": write(value)})
    translated = {"body": body, "cellstyle": [], "table_styles": []}
    # Instance attributes: this one Styler answers with the texts above.
    styler._compute = lambda: styler  # type: ignore[method-assign]
    styler._translate = lambda *args, **kwargs: translated  # type: ignore[method-assign]
    return styler
