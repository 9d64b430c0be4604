"""Shops from OpenStreetMap through the Overpass API, fetched only when the user asks.

The fetch goes through the one web client (``kommunkarta.web``): the endpoint is read at
call time (``KOMMUNKARTA_OVERPASS_URL`` or ``[services] overpass_url``), the client waits
longer than the query's own ``[timeout:]``, and an answer is kept in the cache folder
only after it is checked in full (no runtime ``remark``, elements with finite
positions) and read by the point importer, so a second request for the same area needs
no network and a bad answer is never replayed. Errors are ``FetchError`` (``Offline``
here, for the callers that knew it by that name), with a kind and a message in both
languages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from .. import limits, paths
from ..web import overpass
from ..web.client import SERVICES, FetchError

DEFAULT_ENDPOINT = SERVICES["overpass"][2]
SHOP_TAGS = ("supermarket", "convenience", "general")
TIMEOUT_S = 120  # the query's own [timeout:]; the client waits longer

Offline = FetchError  # every failure of a fetch, not only a missing network


def query_for(kommun_kod: str | None = None, shops=SHOP_TAGS) -> str:
    """Overpass QL for grocery shops in one kommun (by its SCB code) or in all of Sweden."""
    area = (
        f'area["ref:se:kommun:kod"="{kommun_kod}"]->.a;' if kommun_kod else 'area["ISO3166-1"="SE"][admin_level=2]->.a;'
    )
    selectors = "".join(f'nwr["shop"="{tag}"](area.a);' for tag in shops)
    return f"[out:json][timeout:{TIMEOUT_S}];{area}({selectors});out center tags;"


def cache_file(query: str) -> Path:
    return paths.cache_dir() / f"osm-{hashlib.sha256(query.encode()).hexdigest()[:16]}.json"


def current_endpoint() -> str:
    """The Overpass endpoint in use (read now)."""
    return overpass.endpoint()


def fetch(
    query: str,
    endpoint: str | None = None,
    progress: Callable[[int], None] | None = None,
    use_cache: bool = True,
    deadline_s: float | None = None,
    max_bytes: int = limits.POINT_FILE_BYTES,
    backoff_s: float = 5.0,
) -> Path:
    """Run the query and return the path of the (cached) Overpass JSON answer. Raises
    ``FetchError`` (alias ``Offline``) saying what happened."""
    return overpass.fetch_points(
        query,
        cache_file(query),
        url=endpoint,
        progress=progress,
        use_cache=use_cache,
        deadline_s=deadline_s,
        max_bytes=max_bytes,
        backoff_s=backoff_s,
    )


def national_query() -> str:
    """Every grocery shop in Sweden (supermarket, convenience, general)."""
    return query_for(None)


def data_date(answer: Path) -> str:
    """The date of the OpenStreetMap data in an Overpass answer ("" when not stated)."""
    try:
        stamp = json.loads(answer.read_text(encoding="utf-8")).get("osm3s", {}).get("timestamp_osm_base", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return str(stamp)[:10]
