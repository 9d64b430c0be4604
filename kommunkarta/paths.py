"""Where the package's own files are, and where it writes.

Everything the installed command needs ships inside the package: the app script and
its pages (``ui/``), the migrations (``storage/migrations``) and the curated data that
seeds a new database (``data/``). What is written at run time (the database, stored
layers, caches, the Leaflet copy that Streamlit serves) goes to the user's data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
APP_SCRIPT = PACKAGE_DIR / "ui" / "app.py"
PAGES_DIR = PACKAGE_DIR / "ui" / "app_pages"
EMBEDDED_DATA_DIR = PACKAGE_DIR / "data"


def default_data_dir() -> Path:
    """The curated data: ``$KOMMUNKARTA_DATA_DIR`` if set, else the embedded ``data/``."""
    override = os.environ.get("KOMMUNKARTA_DATA_DIR")
    return Path(override) if override else EMBEDDED_DATA_DIR


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


def runtime_dir() -> Path:
    """The folder ``kommunkarta run`` starts Streamlit in: a two-line main script that
    calls the packaged app, with ``static/`` beside it (Streamlit serves the ``static/``
    folder next to its main script, and an installed package need not be writable)."""
    return cache_dir() / "app"


def static_dir() -> Path:
    return runtime_dir() / "static"
