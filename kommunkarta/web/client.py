"""The one HTTP client for every fetch the dashboard makes on a user's click (Overpass,
SCB's WFS, Kolada), and the atomic cache those fetches share.

What it guarantees, whatever the server does:

* **One deadline per fetch**, not per read: a ``Deadline`` covers connecting, waiting for
  the answer, every read, every retry and every wait between them. A watchdog shuts the
  socket at the deadline, so a server that accepts and sends nothing, or drips one byte
  every few seconds, ends there.
* **A byte cap** per fetch (``max_bytes``): a ``Content-Length`` above it is refused
  before the body is read; a body that grows past it is cut off. Large answers can go
  straight to a file (``sink``) instead of memory.
* **Backoff** on 429 (rate-limited) and 503/504 (busy): ``Retry-After`` (seconds or an
  HTTP date) is honoured, or a service's own advice (``status_wait``: Overpass'
  ``/api/status``), or a doubling pause; never past the deadline.
* **No redirect to another host** (scheme, host or port): the answer would be cached
  under the service's name. Redirects on the same host are followed (at most 5).
* **One exception**, ``FetchError``, with a ``kind`` (see ``KINDS``) and a message in
  Swedish and English that says what happened: no network is never confused with a 429.
* **An identifying User-Agent**: ``kommunkarta/<version>``, plus the operator's contact
  when one is set (``KOMMUNKARTA_CONTACT`` or ``[services] contact`` in
  ``.streamlit/secrets.toml``).

Endpoints are settable and read at call time: ``KOMMUNKARTA_OVERPASS_URL``,
``KOMMUNKARTA_SCB_WFS_URL``, ``KOMMUNKARTA_KOLADA_URL`` in the environment, else
``overpass_url``, ``scb_wfs_url``, ``kolada_url`` under ``[services]`` in
``.streamlit/secrets.toml`` (read with tomllib: this package never imports Streamlit).
"""

from __future__ import annotations

import email.utils
import html
import http.client
import json
import os
import re
import socket
import ssl
import tempfile
import threading
import time
import tomllib
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from .. import __version__

SERVICES = {
    "overpass": ("KOMMUNKARTA_OVERPASS_URL", "overpass_url", "https://overpass-api.de/api/interpreter"),
    "scb_wfs": ("KOMMUNKARTA_SCB_WFS_URL", "scb_wfs_url", "https://geodata.scb.se/geoserver/stat/wfs"),
    "kolada": ("KOMMUNKARTA_KOLADA_URL", "kolada_url", "https://api.kolada.se/v3"),
}

KINDS = (
    "offline",  # no connection (DNS, refused, unreachable)
    "cut_off",  # the connection broke off in the middle of the answer
    "busy",  # 503/504, or the server gave up on the query
    "rate_limited",  # 429
    "refused",  # 403/406: the server refuses this client (its User-Agent)
    "service_error",  # 400 and other errors, with the server's own explanation
    "not_found",  # 404 (and Kolada's unknown KPI)
    "gone",  # 410 (Kolada's v2)
    "redirect",  # a redirect to another host
    "too_big",  # the answer is over the byte cap
    "deadline",  # the fetch's deadline passed
    "page_cap",  # more pages than allowed
    "feature_cap",  # more features or rows than allowed
    "bad_answer",  # not what the service promises (not JSON, bad coordinates, a runtime remark)
    "bad_endpoint",  # a configured endpoint that is no http(s) URL
    "cache_write",  # the answer arrived but could not be kept (disk full)
)

CHUNK = 4 * 1024 * 1024  # one read: progress and the byte cap are checked between reads
MAX_REDIRECTS = 5
ERROR_BODY_BYTES = 64 * 1024  # what is read of an error answer to explain it
DETAIL_CHARS = 500


class FetchError(RuntimeError):
    """A fetch that did not give a usable answer. ``kind`` is one of ``KINDS``;
    ``message(lang)`` says what happened in Swedish ("sv") or English ("en");
    ``str()`` is the Swedish message. ``retry_after`` is the seconds the service asked
    to wait, when it said."""

    def __init__(self, kind: str, service: str, retry_after: float | None = None, **values):
        if kind not in KINDS:
            raise ValueError(f"unknown fetch error kind {kind!r}")
        self.kind = kind
        self.service = service
        self.retry_after = retry_after
        self.values = values
        super().__init__(self.message("sv"))

    def message(self, lang: str = "sv") -> str:
        from ..i18n.web import SERVICE_NAMES

        pick = 1 if lang == "en" else 0
        label = SERVICE_NAMES[self.service][pick] if self.service in SERVICE_NAMES else self.service
        text = _texts()[f"web_{self.kind}"][pick]
        values = {k: _shown(v, lang) for k, v in self.values.items()}
        return text.format_map(_Values(values, service=label))


class _Values(dict):
    def __missing__(self, key):
        return "?"


def _texts():
    from ..i18n import TEXTS

    return TEXTS


def _shown(value, lang: str) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0" if lang == "sv" else ",")
    if isinstance(value, float):
        return f"{value:.0f}" if value >= 10 else f"{value:.1f}"
    return str(value)


class Deadline:
    """A point in time by which a whole fetch must be done."""

    def __init__(self, seconds: float):
        self.seconds = float(seconds)
        self.at = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0


# -- settings ---------------------------------------------------------------------------


def secrets() -> dict:
    """``.streamlit/secrets.toml`` as Streamlit reads it (the user's, then the working
    folder's, which wins), without importing Streamlit. Empty when there is none or it
    cannot be read."""
    merged: dict = {}
    for path in (Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"):
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError):
            continue
        for key, value in data.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    return merged


def _services_setting(key: str) -> str:
    section = secrets().get("services")
    value = section.get(key) if isinstance(section, dict) else None
    return value.strip() if isinstance(value, str) else ""


def endpoint(service: str) -> str:
    """The service's URL, read now: the environment, else ``[services]`` in
    ``.streamlit/secrets.toml``, else the public service."""
    variable, key, default = SERVICES[service]
    url = os.environ.get(variable, "").strip() or _services_setting(key) or default
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("bad_endpoint", service, url=url, variable=variable)
    return url.rstrip("/") if service == "kolada" else url


def contact() -> str:
    """The operator's contact (an e-mail address or URL) for the User-Agent, if set."""
    return os.environ.get("KOMMUNKARTA_CONTACT", "").strip() or _services_setting("contact")


def user_agent() -> str:
    """``kommunkarta/<version>``, with the operator's contact when set."""
    who = re.sub(r"[\x00-\x1f\x7f()]", "", contact())[:200]
    return f"kommunkarta/{__version__}" + (f" ({who})" if who else "")


def host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc


def _origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, (parts.hostname or "").lower(), port


def same_origin(a: str, b: str) -> bool:
    return _origin(a) == _origin(b)


# -- the request ------------------------------------------------------------------------


@dataclass
class _Answer:
    status: int
    headers: http.client.HTTPMessage
    response: http.client.HTTPResponse
    connection: http.client.HTTPConnection


@overload
def request(
    url: str,
    *,
    service: str,
    deadline: Deadline | float,
    max_bytes: int,
    data: bytes | None = None,
    headers: dict | None = None,
    progress: Callable[[int], None] | None = None,
    sink: None = None,
    retries: int = 3,
    backoff_s: float = 5.0,
    status_wait: Callable[[Deadline], float | None] | None = None,
) -> bytes: ...


@overload
def request(
    url: str,
    *,
    service: str,
    deadline: Deadline | float,
    max_bytes: int,
    data: bytes | None = None,
    headers: dict | None = None,
    progress: Callable[[int], None] | None = None,
    sink: Path,
    retries: int = 3,
    backoff_s: float = 5.0,
    status_wait: Callable[[Deadline], float | None] | None = None,
) -> int: ...


def request(
    url: str,
    *,
    service: str,
    deadline: Deadline | float,
    max_bytes: int,
    data: bytes | None = None,
    headers: dict | None = None,
    progress: Callable[[int], None] | None = None,
    sink: Path | None = None,
    retries: int = 3,
    backoff_s: float = 5.0,
    status_wait: Callable[[Deadline], float | None] | None = None,
) -> bytes | int:
    """GET ``url`` (or POST ``data``) and return the body, or write it to ``sink`` and
    return its size. Raises ``FetchError``. ``progress(bytes so far)`` after each read.
    ``status_wait(deadline)`` gives a service's own advice, in seconds, on how long to
    wait after a 429 without ``Retry-After``."""
    deadline = deadline if isinstance(deadline, Deadline) else Deadline(deadline)
    attempt = 0
    redirects = 0
    first = url
    while True:
        if deadline.expired():
            raise FetchError("deadline", service, seconds=deadline.seconds, host=host(first))
        answer = _open(url, service, deadline, data, headers)
        watchdog = _watchdog(answer.connection, deadline)
        try:
            status = answer.status
            if status in (301, 302, 303, 307, 308):
                location = answer.headers.get("Location", "")
                target = urllib.parse.urljoin(url, location)
                if not location or not same_origin(target, first):
                    raise FetchError("redirect", service, host=host(first), target=host(target) or "?")
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise FetchError(
                        "bad_answer", service, host=host(first), detail=f"more than {MAX_REDIRECTS} redirects"
                    )
                if status == 303:
                    data = None
                url = target
                continue
            if status in (429, 503, 504):
                wait = _retry_after(answer.headers.get("Retry-After"))
                if wait is None and status == 429 and status_wait is not None:
                    _close(answer)
                    wait = status_wait(deadline)
                kind = "rate_limited" if status == 429 else "busy"
                if wait is None:
                    wait = backoff_s * 2**attempt
                if attempt >= retries or wait > deadline.remaining() - 1:
                    raise FetchError(kind, service, retry_after=wait, host=host(first), seconds=wait, status=status)
                attempt += 1
                _close(answer)
                time.sleep(max(0.0, min(wait, deadline.remaining())))
                continue
            if status >= 400:
                detail = explain(_read_some(answer, deadline, ERROR_BODY_BYTES))
                kind = {403: "refused", 406: "refused", 404: "not_found", 410: "gone"}.get(status, "service_error")
                raise FetchError(kind, service, host=host(first), status=status, detail=detail or "-")
            if status != 200:
                raise FetchError("bad_answer", service, host=host(first), detail=f"HTTP {status}")
            return _read_body(answer, service, first, deadline, max_bytes, progress, sink)
        finally:
            watchdog.cancel()
            _close(answer)


def _open(url, service, deadline: Deadline, data, headers) -> _Answer:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("bad_endpoint", service, url=url, variable=SERVICES.get(service, ("-",))[0])
    timeout = max(0.05, deadline.remaining())
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    proxy = _proxy(parts)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        context = ssl.create_default_context()
        if proxy:  # a CONNECT tunnel through the proxy
            connection = http.client.HTTPSConnection(*proxy, timeout=timeout, context=context)
            connection.set_tunnel(parts.hostname, parts.port or 443)
        else:
            connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout, context=context)
    elif proxy:  # the whole URL to the proxy
        connection = http.client.HTTPConnection(*proxy, timeout=timeout)
        path = url
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    sent = {"User-Agent": user_agent(), "Accept-Encoding": "identity", **(headers or {})}
    if data is not None:
        sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
    watchdog = _watchdog(connection, deadline)
    try:
        connection.request("POST" if data is not None else "GET", path, body=data, headers=sent)
        response = connection.getresponse()
    except FetchError:
        connection.close()
        raise
    except (OSError, http.client.HTTPException) as err:
        connection.close()
        if deadline.expired() or isinstance(err, TimeoutError | socket.timeout):
            raise FetchError("deadline", service, seconds=deadline.seconds, host=parts.netloc) from None
        if isinstance(err, http.client.RemoteDisconnected | http.client.BadStatusLine):
            raise FetchError("cut_off", service, host=parts.netloc, received=0) from None
        raise FetchError("offline", service, host=parts.netloc, reason=reason_of(err)) from None
    finally:
        watchdog.cancel()
    return _Answer(response.status, response.headers, response, connection)


def _proxy(parts: urllib.parse.SplitResult) -> tuple[str, int] | None:
    """The proxy the environment names for this URL (``https_proxy``, ``http_proxy``,
    ``no_proxy``), as urllib would use it: its host and port (80 when it names none); None
    for none."""
    import urllib.request

    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    found = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return (found.hostname, found.port or 80) if found.hostname else None


def reason_of(err: BaseException) -> str:
    reason = getattr(err, "strerror", None) or getattr(err, "reason", None) or str(err) or type(err).__name__
    return str(reason)[:200]


def _watchdog(connection: http.client.HTTPConnection, deadline: Deadline) -> threading.Timer:
    """Shut the connection's socket at the deadline, whatever read is waiting on it."""

    def kill():
        sock = connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(max(0.0, deadline.remaining()), kill)
    timer.daemon = True
    timer.start()
    return timer


def _close(answer: _Answer) -> None:
    try:
        answer.connection.close()
    except OSError:
        pass


def _set_timeout(answer: _Answer, deadline: Deadline) -> None:
    if answer.connection.sock is not None:
        answer.connection.sock.settimeout(max(0.05, deadline.remaining()))


def _read_some(answer: _Answer, deadline: Deadline, limit: int) -> bytes:
    body = bytearray()
    try:
        while len(body) < limit and not deadline.expired():
            _set_timeout(answer, deadline)
            chunk = answer.response.read1(min(CHUNK, limit - len(body)))
            if not chunk:
                break
            body += chunk
    except (OSError, http.client.HTTPException):
        pass
    return bytes(body)


def _read_body(answer, service, url, deadline, max_bytes, progress, sink) -> bytes | int:
    length = answer.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError("too_big", service, host=host(url), mb=_mb(int(length)), limit_mb=_mb(max_bytes))
    received = 0
    body: list[bytes] = []
    out = sink.open("wb") if sink is not None else None
    try:
        while True:
            if deadline.expired():
                raise FetchError("deadline", service, seconds=deadline.seconds, host=host(url))
            _set_timeout(answer, deadline)
            try:
                # read(n) may wait for several reads of the socket: the watchdog ends any of
                # them at the deadline, so the deadline still holds.
                chunk = answer.response.read(max(1, min(CHUNK, max_bytes - received + 1)))
            except (OSError, http.client.HTTPException) as err:
                if deadline.expired() or isinstance(err, TimeoutError | socket.timeout):
                    raise FetchError("deadline", service, seconds=deadline.seconds, host=host(url)) from None
                raise FetchError("cut_off", service, host=host(url), received=received) from None
            if not chunk:
                if deadline.expired():
                    raise FetchError("deadline", service, seconds=deadline.seconds, host=host(url))
                break
            received += len(chunk)
            if received > max_bytes:
                raise FetchError("too_big", service, host=host(url), mb=f"> {_mb(max_bytes)}", limit_mb=_mb(max_bytes))
            if out is not None:
                out.write(chunk)
            else:
                body.append(chunk)
            if progress:
                progress(received)
        if length and length.isdigit() and received < int(length):
            raise FetchError("cut_off", service, host=host(url), received=received)
    except OSError as err:  # writing the sink
        raise FetchError("cache_write", service, reason=reason_of(err)) from None
    finally:
        if out is not None:
            out.close()
    if sink is not None:
        return received
    return body[0] if len(body) == 1 else b"".join(body)


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f}" if n >= 2**20 else f"{n / 2**20:.2f}"


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


_EXCEPTION_TEXT = re.compile(r"<(?:\w+:)?ExceptionText>(.*?)</(?:\w+:)?ExceptionText>", re.S)
_OVERPASS_ERROR = re.compile(r"<strong[^>]*>\s*Error\s*</strong>\s*:?(.*?)</p>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")


def explain(body: bytes) -> str:
    """The server's own explanation in an error answer: an OGC exception report's
    ``ExceptionText``, Overpass' ``Error:`` lines, a JSON ``message``/``error``, else the
    text without markup; shortened to ``DETAIL_CHARS``."""
    text = body.decode("utf-8", errors="replace")
    found = _EXCEPTION_TEXT.findall(text) or _OVERPASS_ERROR.findall(text)
    if not found and text.lstrip().startswith("{"):
        try:
            parsed = json.loads(text)
            found = [str(parsed.get(k)) for k in ("message", "error", "detail", "remark") if parsed.get(k)]
        except (ValueError, AttributeError):
            found = []
    detail = " ".join(found) if found else _TAGS.sub(" ", text)
    detail = re.sub(r"\s+", " ", html.unescape(detail)).strip()
    return detail[:DETAIL_CHARS] + ("…" if len(detail) > DETAIL_CHARS else "")


# -- the cache --------------------------------------------------------------------------


def atomic_write(path: Path, data: bytes, service: str = "cache") -> Path:
    """Write ``data`` to a temporary name beside ``path`` and rename it into place, so a
    reader never sees half a file. A failed write (a full disk) leaves nothing behind and
    raises ``FetchError`` ("cache_write")."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise FetchError("cache_write", service, reason=reason_of(err)) from None
    return path


def temporary_beside(path: Path) -> Path:
    """A fresh temporary file name beside ``path`` (for a ``sink``), to rename into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    return Path(temporary)


def read_cache(path: Path, validate: Callable[[bytes], object]):
    """``validate(bytes)`` of a cache entry, or None when there is none. An entry that
    cannot be read or does not validate is removed (and fetched again by the caller)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        path.unlink(missing_ok=True)
        return None
    try:
        return validate(raw)
    except Exception:  # any failure to validate: the entry is discarded, never replayed
        path.unlink(missing_ok=True)
        return None


def reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(raw: bytes, service: str, url: str):
    """Strict JSON of an answer: UTF-8, no NaN or Infinity, not nested past Python's
    limit. Anything else is a ``FetchError`` ("bad_answer") naming what was wrong."""
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_constant=reject_constant)
    except UnicodeDecodeError:
        raise FetchError("bad_answer", service, host=host(url), detail="not UTF-8 text") from None
    except RecursionError:
        raise FetchError("bad_answer", service, host=host(url), detail="JSON nested too deep") from None
    except ValueError as err:
        snippet = explain(raw[:2000]) if raw[:1] not in (b"{", b"[") else str(err)
        raise FetchError(
            "bad_answer", service, host=host(url), detail=f"not JSON ({len(raw)} bytes): {snippet}"
        ) from None
