"""Serve Leaflet from the app itself, so the map draws with no request to a CDN.

Leaflet's UMD build comes from the PyPI package ``xstatic-leaflet``; it is copied
into the app's ``static/`` folder, which Streamlit serves at ``/app/static/``
(``server.enableStaticServing``). Every folium element's CDN links are replaced by
those local ones, and an element that needs an asset we do not serve is an error
rather than a silent request to a third-party host.

The maps' own large, rarely changing data (the kommun shapes, the kommun tooltips of a
data revision) go the same way: ``publish`` puts a script into ``static/kk/`` under a
name that carries a hash of its content, so a browser fetches it once and keeps it for
every map on every page, and a map's script refers to it instead of carrying it.
``standalone_html`` (outputs/formats.py) writes these scripts back into an exported
page, which therefore loads nothing from anywhere.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TypeVar

import xstatic.pkg.leaflet as xleaflet
from branca.element import Element

from .folium_tree import walk

_Tree = TypeVar("_Tree", bound=Element)

LEAFLET_VERSION = xleaflet.VERSION
VENDOR_SUBDIR = f"vendor/leaflet-{LEAFLET_VERSION}"
STATIC_URL = "/app/static"

# CDN link name in folium -> file under the vendor folder.
_LOCAL_FILES = {"leaflet": "leaflet.js", "leaflet_css": "leaflet.css"}


# Published scripts: under STATIC_URL/ASSET_SUBDIR, named <stem>-<hash of the content>.js.
ASSET_SUBDIR = "kk"
# Every name published in this process, with its content (for the folders registered
# later, and for inlining into an exported page); the oldest go first beyond this many
# (one per data revision and language for the tooltips, one for the shapes).
MAX_PUBLISHED = 64
# A published file never changes (its name is its content), so its modification time is
# set far back: a browser then keeps it fresh by itself (heuristic freshness, RFC 9111
# 4.2.2: a tenth of its age) instead of asking again when the next page opens a map.
PUBLISHED_MTIME = 946_684_800  # 2000-01-01
_published: OrderedDict[str, bytes] = OrderedDict()
_kept: dict[str, bytes] = {}  # published with keep=True: never dropped
_served_dirs: list[Path] = []
_lock = threading.Lock()


class UnservedAsset(RuntimeError):
    """A map element wants a script or stylesheet that the app does not serve itself."""


def ensure_static_assets(static_dir: Path) -> Path:
    """Copy Leaflet into ``static_dir`` unless this version is already there. The copy
    is made beside the target and renamed into place, so that processes starting
    together never serve a half-written file."""
    target = static_dir / VENDOR_SUBDIR
    _serve_published_from(static_dir)
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


def _serve_published_from(static_dir: Path) -> None:
    """From now on, publish into ``static_dir`` too; and put what is published already there."""
    static_dir = Path(static_dir)
    with _lock:
        if static_dir in _served_dirs:
            return
        _served_dirs.append(static_dir)
        for name, content in [*_kept.items(), *_published.items()]:
            _write(static_dir, name, content)


def _write(static_dir: Path, name: str, content: bytes) -> None:
    target = static_dir / ASSET_SUBDIR / name
    if target.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_bytes(content)
    os.utime(temporary, (PUBLISHED_MTIME, PUBLISHED_MTIME))
    temporary.replace(target)  # atomic: processes of one deployment share the folder


def asset_name(stem: str, content: bytes) -> str:
    return f"{stem}-{hashlib.sha256(content).hexdigest()[:16]}.js"


def publish(stem: str, script: str, keep: bool = False) -> str:
    """The URL of ``script`` as a file of the app's static folder(s), named by its
    content. Written once into every folder that ``ensure_static_assets`` prepared (and
    into those it prepares later); outside the app it is only remembered, for
    ``published_content`` (an exported page inlines it). ``keep``: never forgotten (the
    shapes); others go, oldest first, beyond MAX_PUBLISHED."""
    content = script.encode("utf-8")
    name = asset_name(stem, content)
    with _lock:
        if name not in _published and name not in _kept:
            for static_dir in _served_dirs:
                _write(static_dir, name, content)
        if keep:
            _kept[name] = content
        else:
            _published[name] = content
            _published.move_to_end(name)
            while len(_published) > MAX_PUBLISHED:
                _published.popitem(last=False)
    return f"{STATIC_URL}/{ASSET_SUBDIR}/{name}"


def published_content(url: str) -> bytes | None:
    """The content of a URL that ``publish`` returned (None for any other URL)."""
    prefix = f"{STATIC_URL}/{ASSET_SUBDIR}/"
    if not url.startswith(prefix):
        return None
    name = url[len(prefix) :]
    with _lock:
        return _kept.get(name) or _published.get(name)


def is_published(url: str) -> bool:
    return url.startswith(f"{STATIC_URL}/{ASSET_SUBDIR}/")


def localise(m: _Tree, base_url: str = STATIC_URL) -> _Tree:
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
                elif is_published(url):
                    local.append((name, url))
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
