"""The one client for on-click fetches, against loopback stand-ins that misbehave as real
servers do. Deadlines are seconds here (parameters), never minutes."""

import time

import pytest

from kommunkarta import __version__
from kommunkarta.web import client
from kommunkarta.web.client import Deadline, FetchError

from .support.standins import Reply, StandIn, exception_report, redirect_elsewhere, too_many_requests


class Script(StandIn):
    """Answers ``default`` unless something is queued."""

    path = "/svc"

    def __init__(self, default: Reply | None = None):
        self.default = default or Reply(200, {"ok": True})
        super().__init__()

    def answer(self, request):
        return self.default


@pytest.fixture
def svc():
    with Script() as stand_in:
        yield stand_in


def get(url, **kw):
    kw.setdefault("deadline", 10)
    kw.setdefault("max_bytes", 10_000)
    kw.setdefault("backoff_s", 0.2)
    return client.request(url, service="overpass", **kw)


def test_a_plain_answer_with_an_identifying_user_agent(svc, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KOMMUNKARTA_CONTACT", raising=False)
    assert get(svc.url) == b'{"ok": true}'
    assert svc.requests[0].headers["user-agent"] == f"kommunkarta/{__version__}"
    monkeypatch.setenv("KOMMUNKARTA_CONTACT", "gis@ljusdal.se")
    get(svc.url, data=b"data=x")
    assert svc.requests[1].headers["user-agent"] == f"kommunkarta/{__version__} (gis@ljusdal.se)"
    assert svc.requests[1].method == "POST" and svc.requests[1].body == "data=x"


def test_endpoints_and_contact_are_read_at_call_time_from_the_environment_or_secrets(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    for variable in (
        "KOMMUNKARTA_OVERPASS_URL",
        "KOMMUNKARTA_SCB_WFS_URL",
        "KOMMUNKARTA_KOLADA_URL",
        "KOMMUNKARTA_CONTACT",
    ):
        monkeypatch.delenv(variable, raising=False)
    assert client.endpoint("overpass") == "https://overpass-api.de/api/interpreter"
    assert client.endpoint("kolada") == "https://api.kolada.se/v3"
    assert client.endpoint("scb_wfs") == "https://geodata.scb.se/geoserver/stat/wfs"
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        '[services]\noverpass_url = "https://overpass.example.se/api/interpreter"\ncontact = "it@kommun.se"\n',
        encoding="utf-8",
    )
    assert client.endpoint("overpass") == "https://overpass.example.se/api/interpreter"
    assert client.user_agent().endswith("(it@kommun.se)")
    monkeypatch.setenv("KOMMUNKARTA_OVERPASS_URL", "http://127.0.0.1:1/api/interpreter")
    assert client.endpoint("overpass") == "http://127.0.0.1:1/api/interpreter"  # the environment wins
    monkeypatch.setenv("KOMMUNKARTA_KOLADA_URL", "file:///etc/passwd")
    with pytest.raises(FetchError) as caught:
        client.endpoint("kolada")
    assert caught.value.kind == "bad_endpoint" and "KOMMUNKARTA_KOLADA_URL" in str(caught.value)


def test_a_server_that_accepts_and_sends_nothing_ends_at_the_deadline(svc):
    svc.default = Reply(mode="silent")
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        get(svc.url, deadline=1.0)
    assert caught.value.kind == "deadline" and "1.0 s" in str(caught.value)
    assert time.monotonic() - started < 5


def test_a_server_dripping_a_byte_at_a_time_ends_at_the_deadline_not_per_read(svc):
    svc.default = Reply(200, b"x" * 100, mode="drip", drip_every=0.3)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        get(svc.url, deadline=1.5)
    elapsed = time.monotonic() - started
    assert caught.value.kind == "deadline"
    assert 1.4 < elapsed < 5  # every read was well within its own timeout; the whole was not


def test_an_answer_over_the_limit_is_refused_by_its_length_and_by_counting(svc):
    svc.default = Reply(200, b"x" * 50_000)
    with pytest.raises(FetchError) as caught:
        get(svc.url, max_bytes=10_000)
    assert caught.value.kind == "too_big" and "Välj ett mindre område" in str(caught.value)
    # Without a Content-Length (as a chunked answer), the count stops it.
    svc.default = Reply(200, b"x" * 50_000)
    import http.client

    original = http.client.HTTPMessage.get

    def no_length(self, name, default=None):
        return None if name.lower() == "content-length" else original(self, name, default)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(http.client.HTTPMessage, "get", no_length)
        with pytest.raises(FetchError) as caught:
            get(svc.url, max_bytes=10_000)
    assert caught.value.kind == "too_big"


def test_a_redirect_to_another_host_is_not_followed(svc):
    svc.default = redirect_elsewhere(svc.port, "/svc")
    with pytest.raises(FetchError) as caught:
        get(svc.url)
    assert caught.value.kind == "redirect" and f"localhost:{svc.port}" in str(caught.value)
    assert len(svc.requests) == 1  # the other host was never asked


def test_a_redirect_on_the_same_host_is_followed(svc):
    svc.queue(Reply(301, b"", {"Location": "/svc?moved=1"}))
    assert get(svc.url) == b'{"ok": true}'
    assert [r.query for r in svc.requests] == [{}, {"moved": "1"}]


def test_429_waits_as_retry_after_says_then_succeeds(svc):
    svc.queue(too_many_requests("1"))
    started = time.monotonic()
    assert get(svc.url) == b'{"ok": true}'
    assert time.monotonic() - started >= 0.9 and len(svc.requests) == 2


def test_429_longer_than_the_deadline_is_rate_limited_never_no_internet(svc):
    svc.default = too_many_requests("120")
    with pytest.raises(FetchError) as caught:
        get(svc.url, deadline=3)
    err = caught.value
    assert err.kind == "rate_limited" and err.retry_after == 120 and len(svc.requests) == 1
    assert "ansluten" not in str(err) and "Internetanslutningen fungerar" in str(err)


def test_429_with_an_http_date_and_a_status_advice(svc):
    svc.queue(too_many_requests(None))
    waits = []
    assert get(svc.url, status_wait=lambda d: waits.append(d.remaining()) or 0.2) == b'{"ok": true}'
    assert len(waits) == 1
    assert 0 <= client._retry_after(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))) <= 31


@pytest.mark.parametrize("status", [503, 504])
def test_busy_is_retried_with_backoff_then_said(svc, status):
    svc.queue(Reply(status, "busy", content_type="text/html"))
    assert get(svc.url) == b'{"ok": true}'
    svc.default = Reply(status, "busy", content_type="text/html")
    with pytest.raises(FetchError) as caught:
        get(svc.url, retries=2)
    assert caught.value.kind == "busy" and f"HTTP {status}" in str(caught.value)
    assert "upptagen" in str(caught.value) and "busy" in caught.value.message("en")


@pytest.mark.parametrize("status", [403, 406])
def test_a_refused_user_agent_is_said(svc, status):
    svc.default = Reply(status, "<html><body>Your user agent is not allowed</body></html>", content_type="text/html")
    with pytest.raises(FetchError) as caught:
        get(svc.url)
    assert caught.value.kind == "refused" and "KOMMUNKARTA_CONTACT" in str(caught.value)
    assert "Your user agent is not allowed" in str(caught.value)


def test_a_wfs_exception_report_is_shown(svc):
    svc.default = exception_report("InvalidParameterValue", "Unknown type name stat:nope", "typeNames")
    with pytest.raises(FetchError) as caught:
        get(svc.url)
    assert caught.value.kind == "service_error" and "HTTP 400" in str(caught.value)
    assert "Unknown type name stat:nope" in str(caught.value) and "<ows" not in str(caught.value)


def test_no_network_is_offline(tmp_path):
    with pytest.raises(FetchError) as caught:
        get("http://127.0.0.1:9/svc")
    assert caught.value.kind == "offline" and "Är datorn ansluten till internet" in str(caught.value)
    assert "Is the computer online" in caught.value.message("en")


def test_a_deadline_already_past_asks_nothing(svc):
    deadline = Deadline(0.01)
    time.sleep(0.02)
    with pytest.raises(FetchError) as caught:
        get(svc.url, deadline=deadline)
    assert caught.value.kind == "deadline" and not svc.requests


def test_atomic_write_and_a_cache_entry_that_fails_to_validate_is_discarded(tmp_path, monkeypatch):
    target = tmp_path / "cache" / "a.json"
    client.atomic_write(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}' and [p.name for p in target.parent.iterdir()] == ["a.json"]
    import json

    assert client.read_cache(target, json.loads) == {"a": 1}
    target.write_bytes(b'{"a": ')  # cut short
    assert client.read_cache(target, json.loads) is None and not target.exists()
    assert client.read_cache(target, json.loads) is None  # none at all

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(client.os, "fsync", full_disk)
    with pytest.raises(FetchError) as caught:
        client.atomic_write(target, b"x" * 1000, "overpass")
    assert caught.value.kind == "cache_write" and "No space left" in str(caught.value)
    assert list(target.parent.iterdir()) == []  # no partial file left behind


def test_a_proxy_named_by_the_environment_is_used_as_urllib_would(svc, monkeypatch):
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{svc.port}")
    monkeypatch.setenv("no_proxy", "")
    assert get("http://overpass.example.invalid/svc?x=1") == b'{"ok": true}'
    [seen] = svc.requests
    assert seen.headers["host"] == "overpass.example.invalid" and seen.query == {"x": "1"}
    monkeypatch.setenv("no_proxy", "overpass.example.invalid")
    with pytest.raises(FetchError) as caught:
        get("http://overpass.example.invalid/svc")
    assert caught.value.kind == "offline"  # asked directly, and no such host
