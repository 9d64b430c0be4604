"""Numbers as a reader of the interface's language writes them: in Swedish a no-break
space between thousands, a decimal comma and "%" after a no-break space ("2 166 418",
"92,3 %"); in English a comma between thousands and a decimal point ("2,166,418",
"92.3%"). Tables keep their numbers as numbers (sorting stays numeric) and show them
through ``number``; files meant for machines (CSV, JSON, GeoJSON) keep plain numbers."""

from __future__ import annotations

import math

NBSP = "\u00a0"
MISSING = "–"


def _missing(value) -> bool:
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def number(value, decimals: int = 0, lang: str = "sv") -> str:
    """``value`` with ``decimals`` decimals, grouped by thousands, in ``lang``'s way."""
    if _missing(value):
        return MISSING
    if math.isinf(float(value)):
        return "∞" if float(value) > 0 else "-∞"
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,}"
    if lang == "en":
        return text
    return text.replace(",", NBSP).replace(".", ",")


def percent(share: float, decimals: int = 1, lang: str = "sv") -> str:
    """A share (0.923) as a percentage: "92,3 %" in Swedish, "92.3%" in English."""
    if _missing(share):
        return MISSING
    text = number(share * 100, decimals, lang)
    return f"{text}%" if lang == "en" else f"{text}{NBSP}%"


def swedish_int(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{int(value):,}".replace(",", NBSP)


def swedish_decimal(value: float, decimals: int = 1) -> str:
    if value is None or math.isnan(value):
        return MISSING
    return f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")


def swedish_percent(share: float, decimals: int = 1) -> str:
    return f"{swedish_decimal(share * 100, decimals)}{NBSP}%"


def period(start: str, end: str) -> str:
    """A period as "2018–2020"; an unknown start shows as "?", an unknown end as open."""
    return f"{start or '?'}–{end or ''}"
