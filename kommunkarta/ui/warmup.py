"""The first visit after a start, made by the server's own machine before anyone else's.

Streamlit runs nothing of the app until a browser opens a session: the first visitor
after a start would wait for the imports, the database, the dataset and the maps (about
five seconds on a loaded machine), and at a meeting that is the presenter. ``kommunkarta
run`` therefore starts this small client beside the server (``python -m
kommunkarta.ui.warmup URL``): it waits until the health check answers (which it does
not delay), then opens the pages that draw the national map over Streamlit's own
websocket, as a browser does: the start page and the presentation first (the pages a
meeting opens first), then every network's page (their names as the server's navigation
lists them) and the kommun profile of one kommun (the shapes, tooltips and figures all
profiles share; each kommun's own map is made at its first visit). So the caches every
session shares are full when the first person arrives. It then exits; it gives up
quietly if the server does not come up, and it never leaves the machine (the URL is the
server's own, on loopback).
"""

from __future__ import annotations

import sys
import time
import urllib.request

# The pages a meeting opens first: the start page (the national map) and the presentation.
PAGES = ("", "presentation")
# Then every page whose URL path starts so (the networks' pages, ui/page_registry.py), and
# the kommun profile with a kommun (page, query string).
NETWORK_PAGE_PREFIX = "natverk-"
PROFILE = ("kommun", "kommun=Kiruna")
HEALTH_WAIT_S = 120.0
RUN_TIMEOUT_S = 120.0


def wait_until_healthy(base_url: str, seconds: float = HEALTH_WAIT_S, alive=lambda: True) -> bool:
    """Poll the server's health check until it answers "ok" (True), or until ``alive()``
    says the server is gone or ``seconds`` have passed (False)."""
    deadline = time.monotonic() + seconds
    while alive() and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base_url + "/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def visit(base_url: str, page: str, timeout: float = RUN_TIMEOUT_S, query: str = "", pages: list | None = None) -> bool:
    """One session's first run of ``page`` (with the URL's ``query`` string); True when
    the run finished. The URL paths of the pages the server's navigation lists are put
    into ``pages`` (when given)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    with urllib.request.urlopen(base_url + "/" + page, timeout=timeout) as response:
        cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
        response.read()
    headers = {"Cookie": "; ".join(cookies)} if cookies else {}
    url = base_url.replace("http", "ws", 1) + "/_stcore/stream"
    with connect(
        url,
        subprotocols=["streamlit"],
        origin=base_url,
        additional_headers=headers,
        max_size=None,
        open_timeout=timeout,
    ) as websocket:
        state = ClientState(query_string=query, page_name=page)
        message = BackMsg()
        message.rerun_script.CopyFrom(state)
        websocket.send(message.SerializeToString())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = ForwardMsg()
            reply.ParseFromString(websocket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.WhichOneof("type") == "navigation" and pages is not None:
                pages[:] = [p.url_pathname for p in reply.navigation.app_pages]
            if reply.WhichOneof("type") == "script_finished":
                if reply.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                    return True
    return False


def main(argv: list[str]) -> int:
    base_url = argv[0].rstrip("/")
    if not wait_until_healthy(base_url):
        return 1
    listed: list[str] = []
    try:
        for page in PAGES:
            visit(base_url, page, pages=listed)
        for page in [p for p in listed if p.startswith(NETWORK_PAGE_PREFIX)]:
            visit(base_url, page)
        visit(base_url, *PROFILE[:1], query=PROFILE[1])
    except Exception:  # a warm-up that fails costs the first visitor time, nothing else
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
