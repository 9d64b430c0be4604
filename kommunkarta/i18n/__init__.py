"""Interface strings in Swedish (default) and English, one table per area of the
interface. Names from the data are never translated: they stay as the sources write them.

Add a text to the area it belongs to (or a new area module listed in ``_AREAS``);
a key may stand in one area only.
"""

from __future__ import annotations

from . import access_core, access_page, columns, editing, maps, pages, problems, service

LANGUAGES = {"sv": "Svenska", "en": "English"}

_AREAS = (pages, columns, maps, editing, problems, service, access_core, access_page)


def _merged() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for area in _AREAS:
        for key, value in area.TEXTS.items():
            if key in merged:
                raise RuntimeError(f"text key {key!r} stands in two areas (second: {area.__name__})")
            merged[key] = value
    return merged


TEXTS: dict[str, tuple[str, str]] = _merged()


def t(key: str, lang: str = "sv", **values) -> str:
    """The text ``key`` in ``lang`` with ``values`` filled in. With ``n`` = 1, the key's
    singular form ``<key>_one`` where there is one ("1 row", "1 rad")."""
    if values.get("n") == 1 and f"{key}_one" in TEXTS:
        key = f"{key}_one"
    sv, en = TEXTS[key]
    text = en if lang == "en" else sv
    return text.format(**values) if values else text
