"""Swedish number formatting: a space between thousands, a decimal comma."""

from __future__ import annotations

import math

NBSP = "\u00a0"


def swedish_int(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{int(value):,}".replace(",", NBSP)


def swedish_decimal(value: float, decimals: int = 1) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")


def swedish_percent(share: float, decimals: int = 1) -> str:
    return f"{swedish_decimal(share * 100, decimals)}{NBSP}%"


def period(start: str, end: str) -> str:
    """A period as "2018–2020"; an unknown start shows as "?", an unknown end as open."""
    return f"{start or '?'}–{end or ''}"
