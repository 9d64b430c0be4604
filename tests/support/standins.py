"""Loopback stand-ins for the web services the dashboard fetches from on a click, that
behave like the real ones, failures included: Overpass (a ``remark`` on a runtime
error, 429 with ``Retry-After`` and ``/api/status``, 504, a server that accepts and
sends nothing, one that drips a byte every few seconds, answers over a limit, a
redirect to another host, broken elements), SCB's GeoServer WFS (paging with and without
``numberMatched``, a server-side page cap, ``startIndex`` refused without ``sortBy`` as
GeoServer refuses it on a layer without a primary key, swapped axes, a feature without
geometry, 400 with an OGC exception report) and Kolada v3 (``next_url`` paging, 429,
null values, a KPI with K/M rows only, 410 on ``/v2/``).

Every stand-in records its requests (``requests``: method, path, query, body, headers)
and can be told to answer the next requests otherwise (``queue``).
"""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    query: dict
    body: str
    headers: dict


@dataclass
class Reply:
    """One answer. ``body`` as bytes, text, or anything JSON (NaN allowed, as a broken
    server would send it). ``mode``: "normal", "silent" (accept, send nothing),
    "drip" (headers, then one byte every ``drip_every`` seconds)."""

    status: int = 200
    body: object = b""
    headers: dict = field(default_factory=dict)
    mode: str = "normal"
    drip_every: float = 2.0
    content_type: str = "application/json"

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, allow_nan=True).encode("utf-8")


class StandIn:
    """A web service on 127.0.0.1 whose ``answer(request)`` gives a ``Reply``."""

    path = "/"

    def __init__(self):
        self.requests: list[Request] = []
        self.queued: deque[Reply] = deque()
        self.plan: dict[int, Reply] = {}  # the reply to the n-th request (from 1), before the queue
        self.stop = threading.Event()
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self, body: str):
                parts = urllib.parse.urlsplit(self.path)
                request = Request(
                    self.command,
                    parts.path,
                    dict(urllib.parse.parse_qsl(parts.query)),
                    body,
                    {k.lower(): v for k, v in self.headers.items()},
                )
                stand_in.requests.append(request)
                planned = stand_in.plan.pop(len(stand_in.requests), None)
                if planned is not None:
                    reply = planned
                elif stand_in.queued:
                    reply = stand_in.queued.popleft()
                else:
                    reply = stand_in.answer(request)
                stand_in._send(self, reply)

            def do_GET(self):
                self._handle("")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._handle(self.rfile.read(length).decode("utf-8"))

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that hung up (as the client does at its deadline) is no error here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server.server_port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def queue(self, *replies: Reply) -> StandIn:
        self.queued.extend(replies)
        return self

    def answer(self, request: Request) -> Reply:
        raise NotImplementedError

    def _send(self, handler, reply: Reply) -> None:
        if reply.mode == "silent":
            self.stop.wait(120)
            handler.close_connection = True
            return
        payload = reply.payload()
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
            handler.send_header("Content-Length", str(len(payload)))
            for key, value in reply.headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            if reply.mode == "drip":
                for byte in payload:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    if self.stop.wait(reply.drip_every):
                        break
            else:
                handler.wfile.write(payload)
        except OSError:  # the client gave up: as a real server would see it
            handler.close_connection = True

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def redirect_elsewhere(port: int, path: str = "/api/interpreter") -> Reply:
    """A redirect to another host (``localhost`` is another name than 127.0.0.1)."""
    return Reply(302, b"", {"Location": f"http://localhost:{port}{path}"}, content_type="text/html")


# -- Overpass -----------------------------------------------------------------------------

OSM3S = {
    "timestamp_osm_base": "2026-11-20T08:14:02Z",
    "copyright": "The data included in this document is from www.openstreetmap.org. The data is made available under ODbL.",
}


def overpass_answer(elements: list, remark: str | None = None) -> dict:
    answer = {"version": 0.6, "generator": "Overpass API 0.7.62 (stand-in)", "osm3s": OSM3S, "elements": elements}
    if remark:
        answer["remark"] = remark
    return answer


TIMEOUT_REMARK = 'runtime error: Query timed out in "query" at line 1 after 121 seconds.'
MEMORY_REMARK = (
    'runtime error: Query ran out of memory in "query" at line 1. It would need at least 0 MB of RAM to continue.'
)


def too_many_requests(retry_after: str | None = "1") -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Reply(
        429,
        "<html><body><p>Too Many Requests</p></body></html>",
        headers,
        content_type="text/html",
    )


def gateway_timeout() -> Reply:
    return Reply(
        504,
        "<html><body><p>The server is probably too busy to handle your request.</p></body></html>",
        content_type="text/html",
    )


class Overpass(StandIn):
    """Overpass' ``/api/interpreter`` (POST ``data=<QL>``) and ``/api/status``.

    Without ``roads``, every query gets ``elements``. With ``roads`` (nodes
    ``{id: (lat, lon)}`` and ways ``[{"id", "nodes", "tags"}]``), a query's bounding box
    ``(south,west,north,east)`` is honoured as Overpass does: the ways with a node in the
    box, tags and node lists (``out body``), then their nodes (``out skel``)."""

    path = "/api/interpreter"

    def __init__(self, elements: list | None = None, roads: tuple[dict, list] | None = None, slot_in: int = 1):
        self.elements = elements if elements is not None else []
        self.roads = roads
        self.slot_in = slot_in
        super().__init__()

    @property
    def queries(self) -> list[str]:
        return [urllib.parse.parse_qs(r.body).get("data", [""])[0] for r in self.requests if r.path == self.path]

    def answer(self, request: Request) -> Reply:
        if request.path == "/api/status":
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            return Reply(
                200,
                f"Connected as: 1\nCurrent time: {now}\nAnnounced endpoint: none\nRate limit: 2\n"
                f"Slot available after: {now}, in {self.slot_in} seconds.\n"
                "Currently running queries (pid, space limit, time limit, start time):\n",
                content_type="text/plain",
            )
        if request.path != self.path:
            return Reply(404, "not found", content_type="text/plain")
        query = urllib.parse.parse_qs(request.body).get("data", [""])[0]
        if "[out:json]" not in query:
            return Reply(
                400,
                '<html><body><p><strong style="color:#FF0000">Error</strong>: line 1: parse error: '
                "Unknown type</p></body></html>",
                content_type="text/html",
            )
        if self.roads is None:
            return Reply(200, overpass_answer(self.elements))
        return Reply(200, overpass_answer(self._roads_in(query)))

    def _roads_in(self, query: str) -> list:
        box = re.search(r"\((-?[\d.]+),(-?[\d.]+),(-?[\d.]+),(-?[\d.]+)\)", query)
        south, west, north, east = map(float, box.groups())
        nodes, ways = self.roads

        def inside(ref):
            lat, lon = nodes[ref]
            return south <= lat <= north and west <= lon <= east

        chosen = [w for w in ways if any(inside(r) for r in w["nodes"] if r in nodes)]
        wanted = sorted({r for w in chosen for r in w["nodes"] if r in nodes})
        out = [{"type": "way", "id": w["id"], "nodes": w["nodes"], "tags": w["tags"]} for w in chosen]
        return out + [{"type": "node", "id": r, "lat": nodes[r][0], "lon": nodes[r][1]} for r in wanted]


# -- SCB's WFS (GeoServer) ----------------------------------------------------------------


def grid_feature(east: int, north: int, population: int, swapped: bool = False, size: int = 1000) -> dict:
    """One of SCB's 1 km squares as GeoServer gives it in GeoJSON (EPSG:3006, x east)."""
    ring = [[east, north], [east + size, north], [east + size, north + size], [east, north + size], [east, north]]
    if swapped:
        ring = [[y, x] for x, y in ring]
    return {
        "type": "Feature",
        "id": f"befolkning_1km_2025.{east}{north}",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "geometry_name": "geom",
        "properties": {
            "rutid_scb": f"{east}{north}",
            "rutid_inspire": f"SE_CRS3006RES{size}mN{north}E{east}",
            "rutstorl": size,
            "beftotalt": population,
            "ald70_74": 1,
            "referenstid": "2025-12-31",
        },
    }


def exception_report(code: str, text: str, locator: str = "") -> Reply:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">'
        f'<ows:Exception exceptionCode="{code}" locator="{locator}">'
        f"<ows:ExceptionText>{text}</ows:ExceptionText></ows:Exception></ows:ExceptionReport>"
    )
    return Reply(400, body, content_type="application/xml")


class ScbWfs(StandIn):
    """GeoServer's WFS 2.0 GetFeature in GeoJSON for a layer without a primary key:
    ``startIndex`` without ``sortBy`` is refused (400, exception report), as GeoServer
    does; a page holds at most ``server_page`` features whatever ``count`` asks;
    ``numberMatched`` is given unless ``matched`` is False, or is ``matched`` when an
    int (a lie, e.g. 1 000 000). ``endless``: every page holds one more made-up square."""

    path = "/geoserver/stat/wfs"

    def __init__(self, features: list, server_page: int = 10_000, matched: bool | int = True, endless: bool = False):
        self.features = features
        self.server_page = server_page
        self.matched = matched
        self.endless = endless
        super().__init__()

    def answer(self, request: Request) -> Reply:
        q = {k.lower(): v for k, v in request.query.items()}
        if q.get("request", "").lower() != "getfeature":
            return exception_report("OperationNotSupported", "Unknown operation", "request")
        if "startindex" in q and "sortby" not in q:
            return exception_report(
                "NoApplicableCode",
                "java.lang.RuntimeException: java.io.IOException: Cannot do natural order without a primary key, "
                "please add it or specify a manual sort over existing attributes",
            )
        start = int(q.get("startindex", 0))
        count = min(int(q.get("count", 10**9)), self.server_page)
        if self.endless:
            page = [grid_feature(400_000 + (start % 100) * 1000, 6_900_000 + start // 100 * 1000, 3)]
        else:
            page = self.features[start : start + count]
        body = {
            "type": "FeatureCollection",
            "features": page,
            "totalFeatures": len(self.features),
            "numberReturned": len(page),
            "timeStamp": "2026-12-07T10:00:00.000Z",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        }
        if self.matched is True:
            body["numberMatched"] = len(self.features)
        elif self.matched is not False:
            body["numberMatched"] = self.matched
        if self.matched is False:
            body.pop("totalFeatures")
        return Reply(200, body)


# -- Kolada v3 ----------------------------------------------------------------------------

KPIS = {
    "N01951": {
        "id": "N01951",
        "title": "Invånare totalt, antal",
        "description": "Antal invånare totalt. Källa: SCB.",
        "is_divided_by_gender": True,
        "municipality_type": "A",
        "operating_area": "Befolkning",
        "has_ou_data": False,
    },
    "N00002": {
        "id": "N00002",
        "title": "Invånare 0-19 år, andel av befolkningen",
        "description": "Andel invånare 0-19 år.",
        "is_divided_by_gender": False,
        "municipality_type": "K",
        "operating_area": "Befolkning",
        "has_ou_data": False,
    },
    "U00001": {
        "id": "U00001",
        "title": "Ett nyckeltal med bara kvinnor och män",
        "description": "Värden per kön, ingen summa.",
        "is_divided_by_gender": True,
        "municipality_type": "K",
        "operating_area": "Test",
        "has_ou_data": False,
    },
}


def kolada_row(kpi: str, municipality: str, year: int, values: dict) -> dict:
    """One value row: ``values`` maps a gender to (value, count)."""
    return {
        "kpi": kpi,
        "municipality": municipality,
        "period": year,
        "values": [
            {"gender": g, "status": "" if v is not None else "Saknas", "value": v, "count": c}
            for g, (v, c) in values.items()
        ],
    }


class Kolada(StandIn):
    """Kolada's v3: ``/v3/kpi?title=``, ``/v3/kpi/{id}``, ``/v3/data/kpi/{id}/year/{y,y}``
    with ``per_page`` (at most 5000, and at most ``server_page`` here) and ``page``,
    answering ``{"values", "count", "next_url"}``; more than 25 years in a list is
    refused; anything under ``/v2/`` answers 410."""

    path = "/v3"

    def __init__(self, rows: list[dict], kpis: dict | None = None, server_page: int = 5000):
        self.rows = rows
        self.kpis = kpis if kpis is not None else KPIS
        self.server_page = server_page
        super().__init__()

    def _page(self, request: Request, items: list) -> Reply:
        per_page = min(int(request.query.get("per_page", 5000)), 5000, self.server_page)
        page = int(request.query.get("page", 1))
        chunk = items[(page - 1) * per_page : page * per_page]
        body = {"values": chunk, "count": len(chunk)}
        if page * per_page < len(items):
            query = {**request.query, "page": page + 1}
            body["next_url"] = f"http://127.0.0.1:{self.port}{request.path}?{urllib.parse.urlencode(query)}"
        return Reply(200, body)

    def answer(self, request: Request) -> Reply:
        path = request.path
        if path.startswith("/v2"):
            return Reply(410, {"message": "API v2 is discontinued; use https://api.kolada.se/v3"})
        if path == "/v3/kpi":
            text = request.query.get("title", "").casefold()
            return self._page(request, [k for k in self.kpis.values() if text in k["title"].casefold()])
        if m := re.fullmatch(r"/v3/kpi/([^/]+)", path):
            found = [self.kpis[i] for i in m.group(1).split(",") if i in self.kpis]
            return Reply(200, {"values": found, "count": len(found)})
        if m := re.fullmatch(r"/v3/data/kpi/([^/]+)/year/([^/]+)", path):
            years = m.group(2).split(",")
            if len(years) > 25:
                return Reply(400, {"message": "at most 25 values per list"})
            wanted = {int(y) for y in years}
            items = [r for r in self.rows if r["kpi"] == m.group(1) and int(r["period"]) in wanted]
            return self._page(request, items)
        return Reply(404, {"message": "not found"})
