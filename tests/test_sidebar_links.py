"""Links and error details (issue 19, item 7 and the Low items): a period up to ten years
past this year opens the page (the slider reaches as far as the link), 10 000 unknown
``lan=`` values give a short warning, and visitors are never shown a stack trace (the
option is set in the config file and on ``kommunkarta run``'s command line)."""

import tomllib

from streamlit.testing.v1 import AppTest

from kommunkarta import limits, paths, selection
from kommunkarta.cli.run import STREAMLIT_OPTIONS

from .support.apptest import app, fresh_caches  # noqa: F401 (fresh_caches: an autouse fixture)


def run(query_params) -> AppTest:
    return app(query=query_params, timeout=60)


def test_a_period_past_this_year_opens_the_page_with_the_slider_reaching_it():
    last = selection.LAST_YEAR + 4
    at = run({"years": f"2012-{last}"})
    assert not at.exception
    slider = at.slider(key="f_years")
    assert slider.value == (2012, last) and slider.max == last and slider.min == selection.FIRST_YEAR
    assert at.query_params["years"] == f"2012-{last}"
    assert not at.warning  # the link's period was taken, not ignored


def test_the_link_check_and_the_slider_agree():
    known = selection.Vocabulary()
    farthest = selection.LAST_YEAR + selection.YEARS_AHEAD
    taken, ignored = selection.Filters.from_query_params({"years": f"2012-{farthest}"}, known)
    assert taken.years == (2012, farthest) and not ignored
    assert selection.period_slider_end(taken.years) == farthest
    refused, ignored = selection.Filters.from_query_params({"years": f"2012-{farthest + 1}"}, known)
    assert refused.years is None and ignored == [f"years=2012-{farthest + 1}"]
    # A period a crafted session holds becomes the default, not an exception.
    default = (2012, selection.LAST_YEAR)
    for crafted in (None, "x", (1900, 2000), (2020, 2010), ("a", "b"), (2012,)):
        assert selection.valid_years(crafted, default) == default
    assert selection.valid_years([2015, 2020], default) == (2015, 2020)


def test_ten_thousand_unknown_lan_values_give_a_short_warning():
    at = run({"lan": ",".join(f"x{i}" for i in range(10_000))})
    assert not at.exception
    text = " ".join(w.value for w in at.warning).replace("\\", "")  # Markdown escapes
    assert "x0" in text and f"x{limits.UNKNOWN_VALUES_SHOWN - 1}" in text
    assert f"x{limits.UNKNOWN_VALUES_SHOWN}," not in text
    assert "(+9 980)" in text
    assert len(text) < 2_000


def test_visitors_never_see_error_details():
    config = tomllib.loads((paths.PACKAGE_DIR.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    options = list(STREAMLIT_OPTIONS)
    assert options[options.index("--client.showErrorDetails") + 1] == "none"
