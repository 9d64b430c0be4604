"""The session's language and the interface's texts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import format as numbers
from .. import vocab
from ..i18n import t
from . import run_memo


def lang() -> str:
    """The session's language, "sv" or "en"; read once per script run (every text and
    every cached lookup asks for it): sidebar.initialise sets it anew for the run when a
    link names it."""
    return run_memo.remembered("lang", _session_language)


def _session_language() -> str:
    return st.session_state.get("f_lang", "sv")


def tr(key: str, **values) -> str:
    return t(key, lang(), **values)


def num(value, decimals: int = 0) -> str:
    """A number as the reader's language writes it ("2 166 418" / "2,166,418")."""
    return numbers.number(value, decimals, lang())


def pct(share: float, decimals: int = 1) -> str:
    """A share as a percentage in the reader's language ("92,3 %" / "92.3%")."""
    return numbers.percent(share, decimals, lang())


def label(table: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Select and rename columns for display with translated headings."""
    return table[list(columns)].rename(columns={c: tr(k) for c, k in columns.items()})


def certainty_text(certainty: str) -> str:
    text = vocab.label(vocab.CERTAINTIES, certainty, lang())
    return text if certainty == "stated" else f"⚠ {text}"


def role_text(role: str) -> str:
    return vocab.label(vocab.ROLES, role, lang())
