"""Serve Leaflet from the app itself, so the map draws with no request to a CDN.

Leaflet's UMD build comes from the PyPI package ``xstatic-leaflet``; it is copied
into the app's ``static/`` folder, which Streamlit serves at ``/app/static/``
(``server.enableStaticServing``). Every folium element's CDN links are replaced by
those local ones, and an element that needs an asset we do not serve is an error
rather than a silent request to a third-party host.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import folium
import xstatic.pkg.leaflet as xleaflet

from .folium_tree import walk

LEAFLET_VERSION = xleaflet.VERSION
VENDOR_SUBDIR = f"vendor/leaflet-{LEAFLET_VERSION}"
STATIC_URL = "/app/static"

# CDN link name in folium -> file under the vendor folder.
_LOCAL_FILES = {"leaflet": "leaflet.js", "leaflet_css": "leaflet.css"}


class UnservedAsset(RuntimeError):
    """A map element wants a script or stylesheet that the app does not serve itself."""


def ensure_static_assets(static_dir: Path) -> Path:
    """Copy Leaflet into ``static_dir`` unless this version is already there. The copy
    is made beside the target and renamed into place, so that processes starting
    together never serve a half-written file."""
    target = static_dir / VENDOR_SUBDIR
    if (target / "leaflet.js").exists() and (target / "images").is_dir():
        return target
    source = Path(xleaflet.BASE_DIR)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".leaflet-", dir=target.parent))
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(source / name, staging / name)
    shutil.copytree(source / "images", staging / "images")
    licence = Path(xleaflet.__file__).parent / "LICENSE"
    if licence.exists():
        shutil.copy2(licence, staging / "LICENSE")
    try:
        staging.rename(target)
    except OSError:  # another process put it there first
        shutil.rmtree(staging, ignore_errors=True)
    return target


def localise(m: folium.Map, base_url: str = STATIC_URL) -> folium.Map:
    """Point every asset link of the map and its children at the app's own server."""
    prefix = f"{base_url}/{VENDOR_SUBDIR}"
    for element in walk(m):
        for attribute in ("default_js", "default_css"):
            links = getattr(element, attribute, None)
            if not links:
                continue
            local = []
            for name, url in links:
                if name in _LOCAL_FILES:
                    local.append((name, f"{prefix}/{_LOCAL_FILES[name]}"))
                elif name in _UNNEEDED:
                    continue
                else:
                    raise UnservedAsset(f"{type(element).__name__} needs {name} ({url}), which the app does not serve")
            setattr(element, attribute, local)
    return m


# folium's Map asks for these by default, but only markers with icons use them;
# the kommun map draws polygons and circle markers, which need Leaflet alone.
_UNNEEDED = {
    "jquery",
    "bootstrap",
    "awesome_markers",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers_font_css",
    "awesome_markers_css",
    "awesome_rotate_css",
}
