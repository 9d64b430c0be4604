"""Kolada's API v3 (https://api.kolada.se/v3, RKA; open data, "Källa: Kolada"), fetched
only when asked, through the one client (``web.client``).

Kolada answers ``{"values": [...], "count": n, "next_url": url}``: ``count`` is the size
of this page and ``next_url`` the next page (absent or empty on the last); ``per_page``
is at most 5000. A list of ids or years in a path holds at most about 25 items, so
longer lists are split. A value row is ``{"kpi", "municipality", "period", "values":
[{"gender": "T"|"K"|"M", "status", "value", "count"}]}``; ``value`` is null where Kolada
has none. ``/v2/`` answers 410.

``fetch_values`` keeps every answer under ``$KOMMUNKARTA_HOME/cache/kolada/`` with its
fetch date, written atomically so every process shares it; ``cached_values`` never asks
the network. An answer is checked in full before it is kept: a KPI that is not the one
asked for, a year not asked for, a gender other than T/K/M, a value that is not a
number, rows past the cap, all refuse the whole answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import pandas as pd

from .. import limits, paths
from . import client
from .client import Deadline, FetchError

SERVICE = "kolada"
PER_PAGE = 5000
MAX_PER_LIST = 25  # ids or years in one path
DEADLINE_S = 120.0
MAX_BYTES = limits.KOLADA_BYTES  # one fetch, all pages
MAX_PAGES = limits.FETCH_PAGES
MAX_ROWS = limits.KOLADA_ROWS  # value rows (municipality × year × gender)
GENDERS = ("T", "K", "M")
COLUMNS = ("municipality", "year", "gender", "value", "count")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
CACHE_FORMAT = 1


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    description: str
    is_divided_by_gender: bool
    municipality_type: str
    operating_area: str


@dataclass(frozen=True)
class KpiValues:
    kpi: Kpi
    years: tuple[int, ...]
    fetched_at: str  # ISO 8601, UTC
    # municipality (str: "0000" Sweden, kommun codes, region ids), year (int),
    # gender ("T", "K", "M"), value (float, NaN where Kolada has none), count (float or NaN)
    values: pd.DataFrame = field(compare=False, hash=False)


def cache_folder():
    return paths.cache_dir() / "kolada"


# -- metadata ---------------------------------------------------------------------------


def search_kpis(text: str, limit: int = 50, *, deadline_s: float = DEADLINE_S) -> list[Kpi]:
    """KPIs whose title contains ``text`` (Kolada's own search), at most ``limit``."""
    base = client.endpoint(SERVICE)
    url = f"{base}/kpi?{urllib.parse.urlencode({'title': text, 'per_page': max(1, min(limit, PER_PAGE))})}"
    found: list[Kpi] = []
    for page in _pages(url, base, Deadline(deadline_s), MAX_BYTES):
        for item in page:
            found.append(_kpi(item, base))
            if len(found) >= limit:
                return found
    return found


def kpi(kpi_id: str, *, deadline_s: float = DEADLINE_S) -> Kpi:
    """One KPI's metadata."""
    return _kpi_by_id(_checked_id(kpi_id), Deadline(deadline_s))


def _kpi_by_id(kpi_id: str, deadline: Deadline) -> Kpi:
    base = client.endpoint(SERVICE)
    url = f"{base}/kpi/{urllib.parse.quote(kpi_id)}"
    answer = client.parse_json(
        client.request(url, service=SERVICE, deadline=deadline, max_bytes=MAX_BYTES), SERVICE, url
    )
    items = answer.get("values") if isinstance(answer, dict) and "values" in answer else [answer]
    if not isinstance(items, list):
        raise _bad(base, "'values' is not a list")
    matching = [i for i in items if isinstance(i, dict) and str(i.get("id", "")).upper() == kpi_id.upper()]
    if not matching:
        raise FetchError("not_found", SERVICE, host=client.host(base), status="-", detail=f"KPI {kpi_id}")
    return _kpi(matching[0], base)


def _kpi(item, base: str) -> Kpi:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("title"), str):
        raise _bad(base, f"a KPI without id or title: {str(item)[:100]}")
    gender = item.get("is_divided_by_gender", False)
    if gender not in (True, False, 0, 1):
        raise _bad(base, f"KPI {item['id']}: is_divided_by_gender = {gender!r}")
    return Kpi(
        id=item["id"],
        title=item["title"],
        description=str(item.get("description") or ""),
        is_divided_by_gender=bool(gender),
        municipality_type=str(item.get("municipality_type") or ""),
        operating_area=str(item.get("operating_area") or ""),
    )


# -- values -----------------------------------------------------------------------------


def fetch_values(
    kpi_id: str,
    years: Sequence[int],
    *,
    deadline_s: float = DEADLINE_S,
    max_bytes: int = MAX_BYTES,
    max_pages: int = MAX_PAGES,
    max_rows: int = MAX_ROWS,
) -> KpiValues:
    """The KPI's values for ``years`` in every municipality and region Kolada has: from
    the shared cache when there, else from Kolada (then cached). Raises ``FetchError``."""
    kpi_id, wanted = _checked_id(kpi_id), _checked_years(years)
    if (cached := cached_values(kpi_id, wanted)) is not None:
        return cached
    deadline = Deadline(deadline_s)
    meta = _kpi_by_id(kpi_id, deadline)
    base = client.endpoint(SERVICE)
    rows: list[tuple] = []
    budget = [max_bytes]
    pages = 0
    for chunk in _chunks(wanted, MAX_PER_LIST):
        url = (
            f"{base}/data/kpi/{urllib.parse.quote(kpi_id)}/year/{','.join(map(str, chunk))}"
            f"?{urllib.parse.urlencode({'per_page': PER_PAGE})}"
        )
        for page in _pages(url, base, deadline, budget):
            pages += 1
            if pages > max_pages:
                raise FetchError(
                    "page_cap", SERVICE, host=client.host(base), pages=max_pages, features=len(rows), matched="?"
                )
            rows += _value_rows(page, kpi_id, set(chunk), base)
            if len(rows) > max_rows:
                raise FetchError("feature_cap", SERVICE, host=client.host(base), features=len(rows), limit=max_rows)
    frame = _frame(rows)
    result = KpiValues(meta, wanted, dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), frame)
    client.atomic_write(cache_file(kpi_id, wanted), _encode(result), SERVICE)
    return result


def cached_values(kpi_id: str, years: Sequence[int]) -> KpiValues | None:
    """The cached values, or None; never asks the network. A cache file that cannot be
    read or checked is removed."""
    kpi_id, wanted = _checked_id(kpi_id), _checked_years(years)
    return client.read_cache(cache_file(kpi_id, wanted), _decode)


def cache_file(kpi_id: str, years: tuple[int, ...]):
    key = ",".join(map(str, years))
    if len(key) > 60:
        key = f"{years[0]}-{years[-1]}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    return cache_folder() / f"{kpi_id.upper()}_{key.replace(',', '-')}.json"


def _checked_id(kpi_id: str) -> str:
    if not isinstance(kpi_id, str) or not _ID.match(kpi_id):
        raise ValueError(f"not a Kolada KPI id: {kpi_id!r}")
    return kpi_id


def _checked_years(years: Sequence[int]) -> tuple[int, ...]:
    wanted = tuple(sorted({int(y) for y in years}))
    if not wanted or any(not 1900 <= y <= 2200 for y in wanted) or any(int(y) != y for y in years):
        raise ValueError(f"years must be whole years between 1900 and 2200: {list(years)!r}")
    return wanted


def _chunks(items: tuple, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _pages(url: str, base: str, deadline: Deadline, budget):
    """Each page's ``values``, following ``next_url`` to the end (on the same host only)."""
    budget = budget if isinstance(budget, list) else [budget]
    seen = set()
    while url:
        if url in seen:
            raise _bad(base, f"next_url repeats a page: {url[:200]}")
        seen.add(url)
        url = _on_base(url, base)
        raw = client.request(url, service=SERVICE, deadline=deadline, max_bytes=budget[0])
        budget[0] -= len(raw)
        answer = client.parse_json(raw, SERVICE, url)
        if not isinstance(answer, dict) or not isinstance(answer.get("values"), list):
            raise _bad(base, "no list of 'values'")
        count = answer.get("count")
        if count is not None and (not isinstance(count, int) or count < len(answer["values"])):
            raise _bad(base, f"count {count!r} is less than the page's {len(answer['values'])} values")
        yield answer["values"]
        following = answer.get("next_url") or answer.get("next_page")
        if following is not None and not isinstance(following, str):
            raise _bad(base, "next_url is not a URL")
        url = urllib.parse.urljoin(url, following) if following else ""


def _on_base(url: str, base: str) -> str:
    """A page's URL on the configured host: a ``next_url`` that names the same host by
    another scheme or port (``http://`` behind a proxy) is asked as the base says; one on
    another host is refused."""
    parts, home = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    if (parts.hostname or "").lower() != (home.hostname or "").lower():
        raise FetchError("redirect", SERVICE, host=client.host(base), target=client.host(url) or "?")
    return urllib.parse.urlunsplit((home.scheme, home.netloc, parts.path, parts.query, ""))


def _value_rows(page: list, kpi_id: str, years: set[int], base: str) -> list[tuple]:
    rows = []
    for n, row in enumerate(page):
        where = f"row {n + 1}"
        if not isinstance(row, dict):
            raise _bad(base, f"{where} is not an object")
        if str(row.get("kpi", "")).upper() != kpi_id.upper():
            raise _bad(base, f"{where}: KPI {row.get('kpi')!r}, asked for {kpi_id}")
        municipality = row.get("municipality")
        if not isinstance(municipality, str) or not _ID.match(municipality):
            raise _bad(base, f"{where}: municipality {municipality!r}")
        period = row.get("period")
        if isinstance(period, str) and period.isdigit():
            period = int(period)
        if not isinstance(period, int) or isinstance(period, bool) or period not in years:
            raise _bad(base, f"{where}: period {row.get('period')!r} was not asked for")
        values = row.get("values")
        if not isinstance(values, list):
            raise _bad(base, f"{where}: 'values' is not a list")
        for value in values:
            if not isinstance(value, dict) or value.get("gender") not in GENDERS:
                raise _bad(base, f"{where}: gender {value.get('gender') if isinstance(value, dict) else value!r}")
            rows.append(
                (
                    municipality,
                    period,
                    value["gender"],
                    _number(value.get("value"), base, where),
                    _number(value.get("count"), base, where),
                )
            )
    return rows


def _number(value, base: str, where: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(base, f"{where}: {value!r} is not a number")
    return float(value)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.astype({"municipality": str, "year": "int64", "gender": str, "value": "float64", "count": "float64"})
    frame = frame.drop_duplicates(["municipality", "year", "gender"], keep="last")
    return frame.sort_values(["municipality", "year", "gender"]).reset_index(drop=True)


def _bad(base: str, detail: str) -> FetchError:
    return FetchError("bad_answer", SERVICE, host=client.host(base), detail=detail)


# -- the cache file ---------------------------------------------------------------------


def _encode(result: KpiValues) -> bytes:
    def plain(x):
        return None if isinstance(x, float) and math.isnan(x) else x

    rows = [
        [m, int(y), g, plain(float(v)), plain(float(c))]
        for m, y, g, v, c in result.values[list(COLUMNS)].itertuples(index=False)
    ]
    payload = {
        "format": CACHE_FORMAT,
        "source": "Kolada",
        "kpi": asdict(result.kpi),
        "years": list(result.years),
        "fetched_at": result.fetched_at,
        "rows": rows,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _decode(raw: bytes) -> KpiValues:
    payload = json.loads(raw.decode("utf-8"))
    if payload.get("format") != CACHE_FORMAT:
        raise ValueError("another cache format")
    meta = Kpi(**payload["kpi"])
    years = tuple(int(y) for y in payload["years"])
    dt.datetime.strptime(payload["fetched_at"], "%Y-%m-%dT%H:%M:%SZ")
    rows = []
    for m, y, g, v, c in payload["rows"]:
        if not isinstance(m, str) or g not in GENDERS or int(y) not in years:
            raise ValueError("a bad cached row")
        rows.append((m, int(y), g, math.nan if v is None else float(v), math.nan if c is None else float(c)))
    return KpiValues(meta, years, payload["fetched_at"], _frame(rows))
