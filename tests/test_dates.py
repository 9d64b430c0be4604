import pytest

from kommunkarta.dates import PartialDate, check_order, parse_partial_date


def test_precision_follows_the_source():
    assert parse_partial_date("2022").precision == "year"
    assert parse_partial_date("2022-09").precision == "month"
    assert parse_partial_date("2022-09-01").precision == "day"
    assert parse_partial_date("") is None


def test_a_year_spans_the_whole_year():
    year = parse_partial_date("2024")
    assert (str(year.first_day()), str(year.last_day())) == ("2024-01-01", "2024-12-31")
    assert str(parse_partial_date("2024-02").last_day()) == "2024-02-29"


@pytest.mark.parametrize("text", ["2024 (autumn)", "24-01-01", "2022-13", "2023-02-30", "hösten 2024"])
def test_rejects_dates_it_cannot_place(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


def test_order_compares_partial_dates_by_their_span():
    check_order(PartialDate(2022), PartialDate(2022, 1))  # same year: not out of order
    with pytest.raises(ValueError, match="före"):
        check_order(PartialDate(2024, 3), PartialDate(2024, 2))
