"""Dates known to a year, a month or a day, as the sources give them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .problems import Invalid

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """An ISO date cut to the precision the source gives: ``2022``, ``2022-09`` or ``2022-09-01``."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.month and self.day:
            return dt.date(self.year, self.month, self.day)
        if self.month:
            next_month = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return next_month - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text


def parse_partial_date(text: str) -> PartialDate | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; empty text is an unknown date (None).

    Raises Invalid (a ValueError whose message is Swedish) for anything else.
    """
    text = (text or "").strip()
    if not text:
        return None
    match = _PARTIAL.match(text)
    if not match:
        raise Invalid("not_a_date", value=text)
    year_text, month_text, day_text = match.groups()
    year = int(year_text)
    month = int(month_text) if month_text else None
    day = int(day_text) if day_text else None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise Invalid("invalid_date", value=text) from None
    return PartialDate(year, month, day)


def check_order(start: PartialDate | None, end: PartialDate | None) -> None:
    """Raise ValueError when an end date lies before its start date."""
    if start and end and end.last_day() < start.first_day():
        raise Invalid("end_before_start", end=str(end), start=str(start))
