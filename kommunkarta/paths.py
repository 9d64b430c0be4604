"""Where the project's files are."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
APP_SCRIPT = PROJECT_ROOT / "app.py"
STATIC_DIR = PROJECT_ROOT / "static"


def default_data_dir() -> Path:
    """The curated data: ``$KOMMUNKARTA_DATA_DIR`` if set, else ``data/`` of the project."""
    override = os.environ.get("KOMMUNKARTA_DATA_DIR")
    return Path(override) if override else PROJECT_ROOT / "data"


def home() -> Path:
    """The user's data folder: ``$KOMMUNKARTA_HOME`` if set, else ~/.local/share/kommunkarta."""
    override = os.environ.get("KOMMUNKARTA_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("kommunkarta", appauthor=False))


def cache_dir() -> Path:
    """Derived files that can be rebuilt from installed packages at any time."""
    return home() / "cache"
