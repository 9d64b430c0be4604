"""OpenStreetMap's Overpass API through the one client: shops (one answer, cached) and
roads (tiles of at most 50 × 50 km, as osmnx splits its queries, stored only when every
tile arrived).

What Overpass does that a client must know (Overpass API documentation; osmnx's client):

* A query states its own ``[timeout:N]``; the client waits longer than that, so the
  server is never left working on one of the user's two slots after the client gave up.
* When a query times out or runs out of memory on the server, Overpass still answers
  HTTP 200, with a ``remark`` ("runtime error: Query timed out …") and whatever elements
  it had: such an answer is an error, never cached, never stored.
* 429 means the client's slots are taken: ``/api/status`` says when one is free
  ("Slot available after: …, in N seconds."); 504 means the server is too busy.
* ``out skel qt`` gives nodes as id and position only, the compact form for the
  thousands of road nodes.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import overload

from .. import limits
from . import client
from .client import Deadline, FetchError

SERVICE = "overpass"
CLIENT_MARGIN_S = 60.0  # the client waits this much longer than the query's own [timeout:]
DEFAULT_SERVER_TIMEOUT_S = 180  # Overpass' default when a query states none
STATUS_BYTES = 64 * 1024
ROAD_TILE_M = 50_000.0
ROADS_DEADLINE_S = 3600.0  # all tiles of one road fetch together
ROAD_TILE_BYTES = limits.OVERPASS_ROAD_TILE_BYTES  # one tile's answer, streamed to disk
ROAD_BYTES = limits.OVERPASS_ROADS_BYTES  # all tiles together
_TIMEOUT = re.compile(r"\[timeout:(\d+)\]")
_SLOT = re.compile(r"Slot available after: [^,]+, in (-?\d+) seconds?\.")
_NOW = re.compile(r"^\d+ slots? available now\.", re.M)


def endpoint(override: str | None = None) -> str:
    """The Overpass interpreter's URL: ``override``, else the configured one."""
    return override or client.endpoint(SERVICE)


def server_timeout(query: str) -> int:
    """The query's own ``[timeout:N]`` (Overpass' default 180 s when it states none)."""
    found = _TIMEOUT.search(query)
    return int(found.group(1)) if found else DEFAULT_SERVER_TIMEOUT_S


def client_deadline(query: str) -> float:
    """How long the client waits for a query: longer than the server may work on it."""
    return server_timeout(query) + CLIENT_MARGIN_S


def status_wait(url: str) -> Callable[[Deadline], float | None]:
    """Overpass' own advice after a 429: the seconds until a slot is free, from
    ``/api/status`` on the same server (None when it cannot say)."""

    def wait(deadline: Deadline) -> float | None:
        status_url = re.sub(r"/interpreter/?$", "/status", url)
        if status_url == url:
            return None
        try:
            text = client.request(
                status_url, service=SERVICE, deadline=min(10.0, max(0.1, deadline.remaining())), max_bytes=STATUS_BYTES
            ).decode("utf-8", errors="replace")
        except FetchError:
            return None
        if _NOW.search(text):
            return 0.0
        seconds = [int(s) for s in _SLOT.findall(text)]
        return float(max(0, min(seconds))) if seconds else None

    return wait


@overload
def run(
    query: str,
    *,
    url: str | None = None,
    deadline: Deadline | float | None = None,
    max_bytes: int,
    progress: Callable[[int], None] | None = None,
    sink: None = None,
    retries: int = 3,
    backoff_s: float = 5.0,
) -> bytes: ...


@overload
def run(
    query: str,
    *,
    url: str | None = None,
    deadline: Deadline | float | None = None,
    max_bytes: int,
    progress: Callable[[int], None] | None = None,
    sink: Path,
    retries: int = 3,
    backoff_s: float = 5.0,
) -> int: ...


def run(
    query: str,
    *,
    url: str | None = None,
    deadline: Deadline | float | None = None,
    max_bytes: int,
    progress: Callable[[int], None] | None = None,
    sink: Path | None = None,
    retries: int = 3,
    backoff_s: float = 5.0,
) -> bytes | int:
    """POST the query; the raw answer (or its size, written to ``sink``)."""
    import urllib.parse

    url = endpoint(url)
    return client.request(
        url,
        service=SERVICE,
        deadline=deadline if deadline is not None else client_deadline(query),
        max_bytes=max_bytes,
        data=urllib.parse.urlencode({"data": query}).encode(),
        progress=progress,
        sink=sink,
        retries=retries,
        backoff_s=backoff_s,
        status_wait=status_wait(url),
    )


# -- checking an answer -----------------------------------------------------------------


def parse(raw: bytes, url: str) -> dict:
    """The answer as a dict, checked: JSON (no NaN), no runtime ``remark``, ``elements``
    a list of objects with a type, an integer id and, where given, finite positions."""
    answer = client.parse_json(raw, SERVICE, url)
    check(answer, url)
    return answer


def check(answer, url: str, roads: bool = False) -> None:
    def bad(detail: str) -> FetchError:
        return FetchError("bad_answer", SERVICE, host=client.host(url), detail=detail)

    if not isinstance(answer, dict):
        raise bad("the answer is not a JSON object")
    remark = answer.get("remark")
    if isinstance(remark, str) and "error" in remark.lower():
        raise FetchError("service_error", SERVICE, host=client.host(url), status=200, detail=remark[:500])
    elements = answer.get("elements")
    if not isinstance(elements, list):
        raise bad(f"'elements' is {type(elements).__name__}, not a list")
    for n, element in enumerate(elements, start=1):
        if not isinstance(element, dict):
            raise bad(f"element {n} is {type(element).__name__}, not an object")
        kind = element.get("type")
        if kind not in ("node", "way", "relation", "area"):
            raise bad(f"element {n}: type {str(kind)[:40]!r}")
        if not isinstance(element.get("id"), int) or isinstance(element.get("id"), bool):
            raise bad(f"element {n}: id {str(element.get('id'))[:40]!r}")
        where = f"element {n} ({kind} {element['id']})"
        if "lat" in element or "lon" in element or (kind == "node" and roads):
            _position(element, where, bad)
        if "center" in element:
            if not isinstance(element["center"], dict):
                raise bad(f"{where}: center is not an object")
            _position(element["center"], f"{where} center", bad)
        if "tags" in element and not isinstance(element["tags"], dict):
            raise bad(f"{where}: tags is not an object")
        if roads and kind == "way":
            refs = element.get("nodes")
            if not isinstance(refs, list) or not all(isinstance(r, int) and not isinstance(r, bool) for r in refs):
                raise bad(f"{where}: nodes is not a list of node ids")


def _position(holder: dict, where: str, bad) -> None:
    for field, limit in (("lat", 90.0), ("lon", 180.0)):
        value = holder.get(field)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad(f"{where}: {field} = {str(value)[:40]!r} is not a number")
        if not math.isfinite(value) or abs(value) > limit:
            raise bad(f"{where}: {field} = {value!r} is outside ±{limit:g}")


# -- shops: one answer ------------------------------------------------------------------


def fetch_points(
    query: str,
    target: Path,
    *,
    url: str | None = None,
    progress: Callable[[int], None] | None = None,
    use_cache: bool = True,
    deadline_s: float | None = None,
    max_bytes: int = limits.POINT_FILE_BYTES,
    backoff_s: float = 5.0,
) -> Path:
    """Run a query for points (shops) and keep the answer at ``target``, only after it
    is checked in full and read by the point importer. A cached answer that fails to read
    or check is fetched again."""
    if use_cache and client.read_cache(target, lambda raw: parse(raw, str(target))) is not None:
        return target
    url = endpoint(url)
    raw = run(
        query,
        url=url,
        deadline=deadline_s if deadline_s is not None else client_deadline(query),
        max_bytes=max_bytes,
        progress=progress,
        backoff_s=backoff_s,
    )
    parse(raw, url)
    _importable(raw, url)
    return client.atomic_write(target, raw, SERVICE)


def _importable(raw: bytes, url: str) -> None:
    """The point importer reads the answer (the same reader the page then uses)."""
    from ..service.importers import ImportFailed, read_points

    try:
        read_points("overpass.json", raw)
    except ImportFailed as err:
        raise FetchError("bad_answer", SERVICE, host=client.host(url), detail=str(err)[:500]) from None
    except Exception as err:  # whatever the importer cannot read is a bad answer, not a traceback
        raise FetchError("bad_answer", SERVICE, host=client.host(url), detail=str(err)[:500]) from None


# -- roads: tiles -----------------------------------------------------------------------


def tiles(bbox: tuple[float, float, float, float], size_m: float = ROAD_TILE_M) -> list[tuple]:
    """``bbox`` (west, south, east, north, degrees) cut into a grid of boxes no side of
    which is longer than ``size_m`` (measured on the sphere at its widest latitude)."""
    west, south, east, north = bbox
    if not (west < east and south < north):
        raise ValueError(f"an empty bounding box: {bbox}")
    # A radius above any of the ellipsoid's (at most 6 399.6 km), so no side is underestimated.
    metres_per_degree = 6_400_000.0 * math.pi / 180
    widest = math.cos(math.radians(min(abs(south), abs(north)) if south * north > 0 else 0.0))
    rows = max(1, math.ceil((north - south) * metres_per_degree / size_m))
    columns = max(1, math.ceil((east - west) * metres_per_degree * widest / size_m))
    dy, dx = (north - south) / rows, (east - west) / columns
    return [
        (west + c * dx, south + r * dy, west + (c + 1) * dx, south + (r + 1) * dy)
        for r in range(rows)
        for c in range(columns)
    ]


def _downloaded(progress: Callable[[str, int, int | None], None] | None, base: int) -> Callable[[int], None] | None:
    """A tile's progress (its bytes so far) as the whole download's, after ``base`` bytes."""
    if progress is None:
        return None
    return lambda n: progress("download", base + n, None)


def fetch_road_tiles(
    bbox: tuple[float, float, float, float],
    query_for: Callable[[tuple], str],
    target: Path,
    *,
    url: str | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
    use_cache: bool = True,
    deadline_s: float = ROADS_DEADLINE_S,
    tile_bytes: int = ROAD_TILE_BYTES,
    max_bytes: int = ROAD_BYTES,
    tile_m: float = ROAD_TILE_M,
    backoff_s: float = 5.0,
) -> Path:
    """The roads of ``bbox``, one query per tile (``query_for(tile)``), merged into one
    Overpass answer at ``target`` (ways and nodes once each). Each tile's answer is
    streamed to disk and checked; ``target`` is written only when every tile arrived."""
    if use_cache and client.read_cache(target, _merged_ok) is not None:
        return target
    url = endpoint(url)
    deadline = Deadline(deadline_s)
    boxes = tiles(bbox, tile_m)
    merged = client.temporary_beside(target)
    scratch = client.temporary_beside(target.with_name(target.name + ".tile"))
    seen_ways: set[int] = set()
    seen_nodes: set[int] = set()
    received = 0
    osm3s: dict = {}
    try:
        with merged.open("w", encoding="utf-8") as out:
            out.write('{"version":0.6,"generator":"kommunkarta (merged Overpass tiles)","elements":[')
            first = True
            for i, box in enumerate(boxes):
                if progress:
                    progress("tiles", i, len(boxes))
                query = query_for(box)
                if deadline.expired():
                    raise FetchError("deadline", SERVICE, seconds=deadline.seconds, host=client.host(url))
                tile_deadline = Deadline(min(client_deadline(query), deadline.remaining()))
                base = received
                size = run(
                    query,
                    url=url,
                    deadline=tile_deadline,
                    max_bytes=min(tile_bytes, max_bytes - received),
                    progress=_downloaded(progress, base),
                    sink=scratch,
                    backoff_s=backoff_s,
                )
                received += size
                answer = client.parse_json(scratch.read_bytes(), SERVICE, url)
                check(answer, url, roads=True)
                osm3s = answer.get("osm3s") if isinstance(answer.get("osm3s"), dict) else osm3s
                for element in answer["elements"]:
                    seen = seen_ways if element["type"] == "way" else seen_nodes
                    if element["type"] not in ("way", "node") or element["id"] in seen:
                        continue
                    seen.add(element["id"])
                    out.write(("" if first else ",") + json.dumps(element, separators=(",", ":")))
                    first = False
                del answer
            out.write(f'],"osm3s":{json.dumps(osm3s)},"tiles":{len(boxes)}}}')
            if progress:
                progress("tiles", len(boxes), len(boxes))
        merged.replace(target)
    except OSError as err:
        raise FetchError("cache_write", SERVICE, reason=client.reason_of(err)) from None
    finally:
        merged.unlink(missing_ok=True)
        scratch.unlink(missing_ok=True)
    return target


def _merged_ok(raw: bytes) -> bool:
    answer = json.loads(raw.decode("utf-8"), parse_constant=client.reject_constant)
    check(answer, "cache", roads=True)
    if not isinstance(answer.get("tiles"), int):
        raise ValueError("not a merged answer")
    return True


def data_date(answer: dict) -> str:
    """The date of the OpenStreetMap data in an answer ("" when not stated)."""
    stamp = (answer.get("osm3s") or {}).get("timestamp_osm_base", "") if isinstance(answer, dict) else ""
    return str(stamp)[:10]
