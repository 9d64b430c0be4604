"""Match the many ways kommuner are written to their four-digit SCB code.

"Falu kommun", "Trollhättans stad", "Region Gotland", "114" and "Malung-Sälens kommun"
all have to find their kommun; anything else is an error that suggests the closest names.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping

from .problems import Invalid

# Genitive forms that are not simply the name plus "s".
_IRREGULAR_GENITIVES = {"falu": "falun"}
_PREFIXES = ("region ", "landskapet ")
_SUFFIXES = (" kommun", " stad", " municipality", " kommune", " kunta")


class UnknownKommun(Invalid):
    """A name or code that matches no kommun; ``suggestions`` holds the closest names."""

    def __init__(self, text: str, suggestions: list[str]):
        self.text = text
        self.suggestions = suggestions
        if suggestions:
            super().__init__("unknown_kommun_hint", value=text, suggestions=", ".join(suggestions))
        else:
            super().__init__("unknown_kommun", value=text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().strip()
    text = re.sub(r"\s*\([^)]*\)", "", text)  # "Tornio (Torneå)" -> "tornio"
    return re.sub(r"\s+", " ", text.replace("–", "-"))


class KommunMatcher:
    """Resolve kommun names and codes against the 290 kommuner."""

    def __init__(self, names_by_code: Mapping[str, str]):
        self.names_by_code = dict(names_by_code)
        self._code_by_key = {_fold(name): code for code, name in self.names_by_code.items()}

    def resolve(self, text: str) -> str:
        """Return the four-digit code for a kommun name or code, or raise UnknownKommun."""
        raw = (text or "").strip()
        if not raw:
            raise UnknownKommun(raw, [])
        if raw.isdigit():
            code = raw.zfill(4)  # Excel drops the leading zero of "0114"
            if code in self.names_by_code:
                return code
            raise UnknownKommun(raw, [])
        for key in self._candidate_keys(_fold(raw)):
            if key in self._code_by_key:
                return self._code_by_key[key]
        raise UnknownKommun(raw, self.suggest(raw))

    def resolve_or_none(self, text: str) -> str | None:
        try:
            return self.resolve(text)
        except UnknownKommun:
            return None

    def name(self, code: str) -> str:
        return self.names_by_code[code]

    def suggest(self, text: str, n: int = 3) -> list[str]:
        key = _fold(text)
        for candidate in self._candidate_keys(key):
            key = candidate  # the stripped form compares best
        keys = difflib.get_close_matches(key, self._code_by_key, n=n, cutoff=0.6)
        return [self.names_by_code[self._code_by_key[k]] for k in keys]

    @staticmethod
    def _candidate_keys(key: str) -> list[str]:
        for prefix in _PREFIXES:
            if key.startswith(prefix):
                key = key[len(prefix) :]
        for suffix in _SUFFIXES:
            if key.endswith(suffix):
                key = key[: -len(suffix)]
        candidates = [key]
        if key in _IRREGULAR_GENITIVES:
            candidates.append(_IRREGULAR_GENITIVES[key])
        if key.endswith("s"):
            candidates.append(key[:-1])  # "Trollhättans" -> "Trollhättan"
        return candidates
