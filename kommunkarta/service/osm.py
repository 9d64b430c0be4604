"""Shops from OpenStreetMap through the Overpass API, fetched only when the user asks.

Fetched answers are kept in the cache folder, so a second request for the same area
needs no network; without a network the user gets a clear message, not a stack trace.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from .. import limits, paths

DEFAULT_ENDPOINT = "https://overpass-api.de/api/interpreter"
SHOP_TAGS = ("supermarket", "convenience", "general")
TIMEOUT_S = 120


class Offline(RuntimeError):
    """The Overpass service could not be reached."""


def query_for(kommun_kod: str | None = None, shops=SHOP_TAGS) -> str:
    """Overpass QL for grocery shops in one kommun (by its SCB code) or in all of Sweden."""
    area = (
        f'area["ref:se:kommun:kod"="{kommun_kod}"]->.a;' if kommun_kod else 'area["ISO3166-1"="SE"][admin_level=2]->.a;'
    )
    selectors = "".join(f'nwr["shop"="{tag}"](area.a);' for tag in shops)
    return f"[out:json][timeout:{TIMEOUT_S}];{area}({selectors});out center tags;"


class TooBig(Exception):
    pass


def cache_file(query: str) -> Path:
    return paths.cache_dir() / f"osm-{hashlib.sha256(query.encode()).hexdigest()[:16]}.json"


def fetch(
    query: str, endpoint: str = DEFAULT_ENDPOINT, progress: Callable[[int], None] | None = None, use_cache: bool = True
) -> Path:
    """Run the query and return the path of the (cached) Overpass JSON answer."""
    target = cache_file(query)
    if use_cache and target.exists():
        return target
    request = urllib.request.Request(
        endpoint, data=("data=" + urllib.parse.quote(query)).encode(), headers={"User-Agent": "kommunkarta"}
    )
    received = bytearray()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            while chunk := response.read(64 * 1024):
                received += chunk
                if len(received) > limits.POINT_FILE_BYTES:
                    raise TooBig(len(received))
                if progress:
                    progress(len(received))
    except TooBig:
        raise Offline(
            f"OpenStreetMap svarade med mer än {limits.POINT_FILE_BYTES // limits.MB} MB; välj en kommun i taget"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise Offline(
            f"kunde inte nå OpenStreetMap ({endpoint}): {reason}. Är datorn ansluten till internet? Ladda annars in en fil."
        ) from None
    from .importers import json_depth

    try:
        if json_depth(bytes(received)) > limits.JSON_DEPTH:
            raise ValueError("too deep")
        json.loads(received.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Offline(f"OpenStreetMap svarade med något som inte är JSON ({len(received)} byte)") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(bytes(received))
    return target


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
