"""Row models of the curated CSV files in ``data/`` (see data/README.md)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from . import limits, vocab
from .dates import PartialDate, check_order, parse_partial_date
from .geo import in_sweden_bounds
from .problems import Invalid


def _partial_date(value: object) -> PartialDate | None:
    return parse_partial_date(str(value or ""))


def _vocabulary(allowed: dict) -> BeforeValidator:
    def check(value: object) -> str:
        text = str(value or "").strip()
        if text not in allowed:
            raise Invalid("not_in_vocabulary", value=text, allowed=", ".join(allowed))
        return text

    return BeforeValidator(check)


def _decimal(value: object) -> float | None:
    text = str(value or "").strip().replace("\u2212", "-")
    if not text:
        return None
    try:
        return float(text.replace(",", "."))  # Swedish decimal comma
    except ValueError:
        raise Invalid("not_a_number", value=text) from None


# A spreadsheet program runs a cell that starts with one of these as a formula; such
# text is refused, so nothing the dashboard stores or exports can carry a formula. The
# exports (outputs/formats.py) neutralise the same characters.
FORMULA_STARTS = ("=", "+", "-", "@")
# Control characters: none in a single-line field (a carriage return hides a formula on
# a "new row" of a CSV file); tab and line breaks are allowed in long text.
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_NAMES = {"\r": "vagnretur (CR)", "\n": "radbrytning (LF)", "\t": "tabb", "\x00": "NUL"}


def _checked(value: object, multiline: bool) -> str:
    text = str(value or "").strip()
    limit = limits.TEXT_CHARS if multiline else limits.LINE_CHARS
    if len(text) > limit:
        raise ValueError(f"texten har {len(text):,} tecken; högst {limit:,}".replace(",", " "))
    control = (_TEXT_CONTROL if multiline else _LINE_CONTROL).search(text)
    if control:
        char = control.group()
        name = _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")
        raise ValueError(
            f"texten innehåller ett styrtecken, {name}, efter '{text[: control.start()][-30:]}'; "
            + ("ta bort det" if multiline else "fältet ska vara en enda rad")
        )
    if text.startswith(FORMULA_STARTS):
        raise Invalid("formula_start", value=text[:40], first=text[0])
    return text


def _text(value: object) -> str:
    return _checked(value, multiline=False)


def _long_text(value: object) -> str:
    return _checked(value, multiline=True)


Text = Annotated[str, BeforeValidator(_text)]  # one line
LongText = Annotated[str, BeforeValidator(_long_text)]  # may hold line breaks
Required = Annotated[Text, Field(min_length=1)]
MaybeDate = Annotated[PartialDate | None, BeforeValidator(_partial_date)]
Certainty = Annotated[str, _vocabulary(vocab.CERTAINTIES)]
Decimal = Annotated[float | None, BeforeValidator(_decimal)]


def _not_before(start_field: str):
    """A validator for an end date field: it may not lie before ``start_field``."""

    def check(cls, end, info):
        check_order(info.data.get(start_field), end)
        return end

    return classmethod(check)


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NetworkRow(_Row):
    id: Annotated[Required, Field(pattern=r"^[a-z0-9_]+$")]
    name: Required
    short_name: Text = ""
    name_en: Text = ""
    short_name_en: Text = ""
    kind: Annotated[str, _vocabulary(vocab.NETWORK_KINDS)]
    organiser: Text = ""
    funder: Text = ""
    start: MaybeDate = None
    end: MaybeDate = None
    description: LongText = ""
    unknowns: LongText = ""
    related_to: Text = ""
    color: Annotated[Text, Field(pattern=r"^(#[0-9A-Fa-f]{6})?$")] = ""
    source: Required
    certainty: Certainty

    _end_not_before_start = field_validator("end")(_not_before("start"))


class MembershipRow(_Row):
    network_id: Required
    kommun_kod: Text = ""
    name: Text = ""
    country: Annotated[str, _vocabulary(vocab.COUNTRIES)]
    role: Annotated[str, _vocabulary(vocab.ROLES)]
    since: MaybeDate = None
    until: MaybeDate = None
    source: Required
    certainty: Certainty
    note: LongText = ""
    note_en: LongText = ""

    _until_not_before_since = field_validator("until")(_not_before("since"))


class ProjectRow(_Row):
    id: Annotated[Required, Field(pattern=r"^[a-z0-9_]+$")]
    name: Required
    kommuner: Text = ""
    network_id: Text = ""
    start: MaybeDate = None
    end: MaybeDate = None
    funders: Text = ""
    partners: Text = ""
    theme: Text = ""
    description: LongText = ""
    source: Required
    certainty: Certainty

    _end_not_before_start = field_validator("end")(_not_before("start"))


class PlaceRow(_Row):
    id: Annotated[Required, Field(pattern=r"^[a-z0-9_]+$")]
    name: Required
    kommun: Text = ""
    kind: Annotated[str, _vocabulary(vocab.PLACE_KINDS)]
    network_id: Text = ""
    lat: Decimal = None
    lon: Decimal = None
    precision: Annotated[str, _vocabulary(vocab.COORD_PRECISIONS)]
    coord_source: Text = ""
    coord_certainty: Annotated[Text, Field(pattern=r"^(stated|likely|unverified)?$")] = ""
    source: Required
    certainty: Certainty
    note: LongText = ""
    note_en: LongText = ""

    @field_validator("lat", "lon")
    @classmethod
    def _degrees(cls, value: float | None):
        if value is not None and abs(value) > 180:
            raise Invalid("not_degrees", value=value)
        return value

    @field_validator("lon")
    @classmethod
    def _point_in_sweden(cls, lon: float | None, info):
        if "lat" not in info.data:
            return lon  # lat already failed
        lat = info.data["lat"]
        if (lat is None) != (lon is None):
            raise Invalid("lat_and_lon")
        if lat is not None and lon is not None and not in_sweden_bounds(lat, lon):
            if in_sweden_bounds(lon, lat):
                raise Invalid("lat_lon_swapped", lat=lat, lon=lon)
            raise Invalid("outside_sweden", lat=lat, lon=lon)
        return lon

    @field_validator("precision")
    @classmethod
    def _precision_matches_coordinates(cls, precision: str, info):
        if "lat" not in info.data or "lon" not in info.data:
            return precision  # the coordinates themselves were wrong; said already
        has_point = info.data.get("lat") is not None
        if precision in ("site", "locality") and not has_point:
            raise Invalid("precision_needs_point", precision=precision)
        if precision in ("kommun", "unknown") and has_point:
            raise Invalid("precision_without_point", precision=precision)
        return precision

    @field_validator("coord_source")
    @classmethod
    def _coordinates_have_a_source(cls, coord_source: str, info):
        if info.data.get("lat") is not None and not coord_source:
            raise Invalid("point_needs_source")
        return coord_source


def _flag(value: object) -> bool:
    text = str(value or "").strip().lower()
    if text not in ("", "yes", "no"):
        raise Invalid("not_yes_no", value=text)
    return text == "yes"


class FactRow(_Row):
    """A figure or fact a source gives about a network that no other file carries."""

    network_id: Required
    id: Annotated[Required, Field(pattern=r"^[a-z0-9_]+$")]
    label: Required
    label_en: Text = ""
    value: Required
    approximate: Annotated[bool, BeforeValidator(_flag)] = False
    date: MaybeDate = None
    source: Required
    certainty: Certainty
    note: Text = ""
    note_en: Text = ""


class PopulationRow(_Row):
    kommun_kod: Required
    kommun: Text = ""
    population: Annotated[int, Field(ge=0)]
    date: Required
    source: Required


class PopulationSeriesRow(_Row):
    """A kommun's population on 31 December of one year (population_series.csv); its
    source and certainty are those of its year in population_series_sources.csv."""

    kommun_kod: Required
    kommun: Text = ""
    year: Annotated[int, Field(ge=1900, le=2100)]
    population: Annotated[int, Field(ge=0)]


class PopulationSeriesSourceRow(_Row):
    """Where the series' values of a run of years were read, and how surely."""

    from_year: Annotated[int, Field(ge=1900, le=2100)]
    to_year: Annotated[int, Field(ge=1900, le=2100)]
    source: Required
    certainty: Certainty
    note: LongText = ""
    note_en: LongText = ""  # the note in English, for the English interface


class SeatRow(_Row):
    kommun: Required
    seat: Required
    geonameid: int
    source: Required
    certainty: Certainty
    note: LongText = ""


class MunicipalCentreRow(_Row):
    name: Required
    country: Annotated[str, _vocabulary({k: v for k, v in vocab.COUNTRIES.items() if k != "SE"})]
    centre: Required
    geonameid: int
    source: Required
    certainty: Certainty


# File name -> row model. Files not listed in REQUIRED_FILES may be absent.
FILES: dict[str, type[_Row]] = {
    "networks.csv": NetworkRow,
    "memberships.csv": MembershipRow,
    "projects.csv": ProjectRow,
    "places.csv": PlaceRow,
    "population.csv": PopulationRow,
    "seats.csv": SeatRow,
    "municipal_centres.csv": MunicipalCentreRow,
    "facts.csv": FactRow,
}
OPTIONAL_FILES = {"seats.csv", "municipal_centres.csv", "facts.csv"}
# The population series (issue 23): read on its own (loader.load_population_series),
# not part of the Dataset that every page and every write loads.
SERIES_FILES: dict[str, type[_Row]] = {
    "population_series.csv": PopulationSeriesRow,
    "population_series_sources.csv": PopulationSeriesSourceRow,
}


def required_columns(model: type[_Row]) -> list[str]:
    return [name for name, field in model.model_fields.items() if field.is_required()]
