"""ui.styled_table.display_styler gives Streamlit the same table as pandas' own Styler
(``frame.style.format(...)``), on the dashboard's real tables, but for a missing text
(empty, not pandas' "None"): Streamlit's marshalling
(the code st.dataframe runs) is applied to both and the protos compared."""

import math

import numpy as np
import pandas as pd
import pytest
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from kommunkarta import paths, selection
from kommunkarta.format import number, percent
from kommunkarta.loader import load_dataset
from kommunkarta.ui.styled_table import display_styler


def marshalled(styler) -> ArrowData:
    styler.set_uuid("kk")
    proto = ArrowData()
    marshall_styler(proto, styler, "kk")
    return proto


def display_values(proto: ArrowData) -> pd.DataFrame:
    import pyarrow as pa

    return pa.ipc.open_stream(proto.styler.display_values).read_pandas()


def assert_same(frame: pd.DataFrame, formatters: dict, genuine=None) -> pd.DataFrame:
    genuine = marshalled(genuine if genuine is not None else frame.style.format(formatters))
    ours = marshalled(display_styler(frame, formatters))
    # The texts kept for a frame (made once, then handed over as they are) give the same,
    # the first time and the next.
    for _ in range(2):
        kept = marshalled(display_styler(frame, formatters, key="test"))
        assert kept.styler == ours.styler
        assert arrow_data(frame, display_styler(frame, formatters, key="test")) == arrow_data(frame, frame.style)
    assert ours.styler.styles == genuine.styler.styles
    assert ours.styler.caption == genuine.styler.caption
    mine, theirs = display_values(ours), display_values(genuine)
    # One difference, on purpose: a missing text is left empty, where pandas writes "None".
    missing = mine.isna()
    assert set(theirs.to_numpy()[missing.to_numpy()]) <= {"None", "nan", "<NA>"}
    pd.testing.assert_frame_equal(mine, theirs.mask(missing))
    if not missing.any().any():
        assert ours.styler.display_values == genuine.styler.display_values
    return mine


def arrow_data(frame: pd.DataFrame, styler) -> bytes:
    """The table's values as st.dataframe sends them (its data, beside the texts)."""
    from streamlit import dataframe_util

    data = dataframe_util.convert_anything_to_pandas_df(styler, ensure_copy=False)
    return dataframe_util.convert_pandas_df_to_arrow_bytes(data)


@pytest.fixture(scope="module")
def curated():
    return load_dataset(paths.default_data_dir())


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_overview_table_reads_the_same(curated, lang):
    table = selection.membership_table(curated)
    summary = selection.kommun_summary(selection.apply_filters(table, selection.Filters()), curated, lang)
    formatters = {c: (lambda v: number(v, 0, lang)) for c in ("population", "networks")}
    shown = assert_same(summary, formatters)
    # and the cells are the texts asked for: each population as the language writes it
    assert len(summary) > 50
    assert shown["population"].tolist() == [number(v, 0, lang) for v in summary["population"]]
    assert shown["kommun"].tolist() == summary["kommun"].tolist()
    grouping = "\xa0" if lang == "sv" else ","  # 9 027 (a no-break space) or 9,027
    assert all(grouping in text for text, value in zip(shown["population"], summary["population"]) if value >= 1000)


def test_missing_numbers_shares_and_decimals_read_the_same():
    frame = pd.DataFrame(
        {
            "namn": ["Å", None, "C<b>", "D"],
            "andel": [0.923, np.nan, 1.0, 0.0],
            "km": [12.25, 3.0, np.nan, 1234.5],
            "antal": pd.array([9027, None, 10, 0], dtype="Int64"),
            "ja": [True, False, True, False],
        }
    )
    formatters = {
        "andel": lambda v: percent(v, 1, "sv"),
        "km": lambda v: number(v, 1, "sv"),
        "antal": lambda v: number(v, 0, "sv"),
    }
    shown = assert_same(frame, formatters)
    assert pd.isna(shown.loc[1, "namn"])
    assert shown.loc[0, "andel"] == percent(0.923, 1, "sv")
    assert shown.loc[3, "km"] == number(1234.5, 1, "sv")
    assert not math.isnan(frame.loc[0, "km"])


def test_a_numeric_index_is_shown_as_it_is_either_way():
    frame = pd.DataFrame({"a": [1500, 2], "b": ["x", "y"]}, index=[2020, 2021])
    formatters = {"a": lambda v: number(v, 0, "sv")}
    genuine = frame.style.format(formatters).format_index(lambda v: number(v, 0, "sv"))
    assert_same(frame, formatters, genuine)


def test_a_formatted_column_that_differs_from_str_is_seen():
    # The comparison can fail: a formatter that writes something else is noticed.
    frame = pd.DataFrame({"a": [1500, 2]})
    genuine = marshalled(frame.style.format({"a": lambda v: f"{v} st"}))
    ours = marshalled(display_styler(frame, {"a": lambda v: number(v, 0, "sv")}))
    assert ours.styler.display_values != genuine.styler.display_values


def test_kept_texts_are_made_once_per_frame_and_key_and_go_with_the_frame():
    import gc

    from kommunkarta.ui import styled_table

    frame = pd.DataFrame({"a": [1500.0, 2.5], "b": ["x", "y"]})
    written = []

    def write(value):
        written.append(value)
        return number(value, 1, "sv")

    first = marshalled(display_styler(frame, {"a": write}, key="sv"))
    again = marshalled(display_styler(frame, {"a": write}, key="sv"))
    assert written == [1500.0, 2.5] and again == first  # written once, sent alike
    display_styler(frame, {"a": lambda v: number(v, 1, "en")}, key="en")
    assert display_values(marshalled(display_styler(frame, {}, key="en")))["a"].tolist() == ["1,500.0", "2.5"]
    assert display_values(first)["a"].tolist() == [number(1500.0, 1, "sv"), number(2.5, 1, "sv")]
    # The values stay numbers: what sorts the column in the browser.
    assert display_styler(frame, {}, key="sv").data["a"].tolist() == [1500.0, 2.5]
    kept = id(frame)
    assert kept in styled_table._texts_by_frame
    del frame
    gc.collect()
    assert kept not in styled_table._texts_by_frame
