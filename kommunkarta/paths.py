"""Where the project's own files are, and where it writes: the one module that knows.

The app and its files sit at the top of the checkout, as a Streamlit project's do:
``app.py`` (the navigation), ``app_pages/`` (one file per page; not ``pages/``, which Streamlit still runs as a v1 multipage app on a process's first run), ``data/`` (the curated CSV
files that coordinators edit and review in git) and ``geodata/`` (derived geodata written
by ``scripts/build_embedded_data.py``). The wheel carries the same four inside the
package, under ``kommunkarta/_site/`` (setup.py's build step copies them there), so that
an installed ``kommunkarta run`` needs no checkout. The migrations stay in
``storage/migrations``. What is written at run time (the database, stored layers,
caches, the copy of Leaflet that ``kommunkarta run`` serves) goes to the user's data
folder.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The installed wheel: the top-level files copied into the package by the build.
BUNDLED_DIR = PACKAGE_DIR / "_site"
# A checkout (also an editable install): the package's parent folder.
CHECKOUT_DIR = PACKAGE_DIR.parent


def _site_dir() -> Path:
    if (BUNDLED_DIR / "app.py").is_file():
        return BUNDLED_DIR
    return CHECKOUT_DIR


SITE_DIR = _site_dir()
APP_SCRIPT = SITE_DIR / "app.py"
PAGES_DIR = SITE_DIR / "app_pages"
# The curated files (networks, memberships, projects, places, population, seats, …).
DATA_DIR = SITE_DIR / "data"
# Derived geodata shipped with the app (tätorter, mines): rebuilt by scripts/build_embedded_data.py.
GEODATA_DIR = SITE_DIR / "geodata"
# What the build copies into the wheel's _site/: (name, is a folder, file patterns).
SITE_PARTS = (
    ("app.py", False, ()),
    ("app_pages", True, ("*.py",)),
    ("data", True, ("*.csv", "*.md")),
    ("geodata", True, ("*.csv", "*.md", "*.parquet")),
)


def default_data_dir() -> Path:
    """The curated data: ``$KOMMUNKARTA_DATA_DIR`` if set, else ``data/``."""
    override = os.environ.get("KOMMUNKARTA_DATA_DIR")
    return Path(override) if override else DATA_DIR


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
    """The folder ``kommunkarta run`` starts Streamlit in: a short main script that runs
    ``app.py``, with ``static/`` beside it (Streamlit serves the ``static/`` folder next to
    its main script, and an installed package need not be writable)."""
    return cache_dir() / "app"


def static_dir(main_script: Path | None = None) -> Path:
    """The ``static/`` folder Streamlit serves at ``/app/static/``: beside the main script
    it runs (``app.py`` of a checkout, or ``kommunkarta run``'s script)."""
    script = main_script if main_script is not None else runtime_dir() / "streamlit_app.py"
    return Path(script).resolve().parent / "static"
