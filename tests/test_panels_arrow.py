"""panels.as_arrow: a table made once as the Arrow table st.dataframe sends, and as it is
when Arrow cannot type a column."""

import pandas as pd
import pyarrow as pa

from kommunkarta.ui.panels import as_arrow


def test_a_table_becomes_the_arrow_table_st_dataframe_would_send():
    frame = pd.DataFrame({"Kommun": ["Kiruna", "Pajala"], "Invånare": [22_000, 6_000]})
    table = as_arrow(frame)
    assert isinstance(table, pa.Table)
    assert table.to_pandas().equals(frame)  # the same cells, the index left out


def test_a_column_of_numbers_and_texts_stays_a_frame_for_streamlits_own_fallback():
    frame = pd.DataFrame({"Värde": [17, "ca 17"]})  # an edit made one cell text
    assert as_arrow(frame) is frame
    pa_error = None
    try:
        pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowTypeError, pa.ArrowInvalid) as err:
        pa_error = err
    assert pa_error is not None  # what the fallback is for
