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
profiles share; each kommun's own map is made at its first visit). Last, when a layer
of shops is stored, the service page asks the questions a meeting asks there: Sweden
and every network, at each of the preset thresholds (a new question costs about 0.15 s
of CPU; 36 of them, about 30 MB). So the caches every session shares are full when the
first person arrives. It then exits; it gives up quietly if the server does not come
up, and it never leaves the machine (the URL is the server's own, on loopback).
"""

from __future__ import annotations

import contextlib
import sys
import time
import urllib.request
from dataclasses import dataclass

# The pages a meeting opens first: the start page (the national map) and the presentation.
PAGES = ("", "presentation")
# Then every page whose URL path starts so (the networks' pages, ui/page_registry.py), and
# the kommun profile with a kommun (page, query string).
NETWORK_PAGE_PREFIX = "natverk-"
PROFILE = ("kommun", "kommun=Kiruna")
# The service page and its widgets (ui/service_inputs.py): the network (none: Sweden)
# and the threshold, whose options are the presets and, last, the user's own.
SERVICE_PAGE = "service"
SERVICE_NETWORK, SERVICE_THRESHOLD = "sa_network", "sa_threshold_choice"
# The User-Agent this client sends: the server freezes what each of its runs built for
# the garbage collector at once (app.py, gc_policy.script_run).
USER_AGENT = "kommunkarta-warmup"
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


@dataclass
class Choice:
    """A selectbox or radio of the last run: its id and its options as the page shows them."""

    id: str
    options: list[str]


class Tab:
    """One session over Streamlit's websocket, as a browser tab opens it: the page (its
    cookies), the websocket, the first run, then reruns with widgets set."""

    def __init__(self, base_url: str, page: str, query: str = "", timeout: float = RUN_TIMEOUT_S):
        self.base_url, self.page, self.query, self.timeout = base_url, page, query, timeout
        self.page_script_hash = ""
        self.pages: list[str] = []  # the URL paths the server's navigation lists
        self.choices: dict[str, Choice] = {}  # the last run's selectboxes and radios, by key
        self.exceptions: list[str] = []  # the last run's exceptions shown on the page
        self.texts: list[str] = []  # the last run's texts: Markdown, captions, metric labels
        self.states: dict = {}  # widget id -> WidgetState, what the tab sends back
        self.websocket = None
        self._open = contextlib.ExitStack()

    def __enter__(self) -> Tab:
        from websockets.sync.client import connect

        with urllib.request.urlopen(f"{self.base_url}/{self.page}", timeout=self.timeout) as response:
            cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
            response.read()
        self.websocket = self._open.enter_context(
            connect(
                self.base_url.replace("http", "ws", 1) + "/_stcore/stream",
                subprotocols=["streamlit"],
                origin=self.base_url,
                additional_headers={"Cookie": "; ".join(cookies)} if cookies else {},
                user_agent_header=USER_AGENT,
                max_size=None,
                open_timeout=self.timeout,
            )
        )
        return self

    def __exit__(self, *exc) -> None:
        self._open.close()

    def choose(self, key: str, option: str) -> None:
        """Set the selectbox or radio ``key`` to ``option`` for the next run."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget = self.choices[key]
        self.states[widget.id] = WidgetState(id=widget.id, string_value=option)

    def run(self) -> bool:
        """One run of the page with the widgets as set; True when it finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ClientState_pb2 import ClientState
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        state = ClientState(query_string=self.query, page_script_hash=self.page_script_hash)
        if not self.page_script_hash:
            state.page_name = self.page
        state.widget_states.widgets.extend(self.states.values())
        message = BackMsg()
        message.rerun_script.CopyFrom(state)
        self.websocket.send(message.SerializeToString())
        self.choices, self.exceptions, self.texts = {}, [], []
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            reply = ForwardMsg()
            reply.ParseFromString(self.websocket.recv(timeout=max(0.1, deadline - time.monotonic())))
            kind = reply.WhichOneof("type")
            if kind == "navigation":
                self.page_script_hash = reply.navigation.page_script_hash
                self.pages = [p.url_pathname for p in reply.navigation.app_pages]
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                widget = element.WhichOneof("type")
                if widget == "exception":
                    self.exceptions.append(element.exception.type)
                elif widget == "markdown":
                    self.texts.append(element.markdown.body)
                elif widget == "metric":
                    self.texts.append(element.metric.label)
                elif widget in ("selectbox", "radio"):
                    proto = getattr(element, widget)
                    self.choices[proto.id.split("-", 2)[-1]] = Choice(proto.id, list(proto.options))
            elif kind == "script_finished":
                if reply.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                    return True
                self.choices, self.exceptions, self.texts = {}, [], []  # the next run's count
        return False


def visit(base_url: str, page: str, timeout: float = RUN_TIMEOUT_S, query: str = "", pages: list | None = None) -> bool:
    """One session's first run of ``page`` (with the URL's ``query`` string); True when
    the run finished. The URL paths of the pages the server's navigation lists are put
    into ``pages`` (when given)."""
    with Tab(base_url, page, query, timeout) as tab:
        finished = tab.run()
    if pages is not None and tab.pages:
        pages[:] = tab.pages
    return finished


def service_questions(base_url: str, timeout: float = RUN_TIMEOUT_S) -> list[tuple[str, str]]:
    """Ask the service page, in one session, for Sweden and then every network at each
    preset threshold. Returns the questions whose runs finished without an exception, as
    (network, threshold) the page shows them ("" for Sweden), up to the first that did
    not; none when the page asks nothing (no layer of shops stored)."""
    asked: list[tuple[str, str]] = []
    with Tab(base_url, SERVICE_PAGE, timeout=timeout) as tab:
        if not tab.run() or tab.exceptions:
            return asked
        network, threshold = tab.choices.get(SERVICE_NETWORK), tab.choices.get(SERVICE_THRESHOLD)
        if network is None or threshold is None:
            return asked
        presets = threshold.options[:-1]  # the last option is the user's own threshold
        for name in ["", *network.options]:  # Sweden first: a network, once chosen, stays
            if name:
                tab.choose(SERVICE_NETWORK, name)
            for preset in presets:
                tab.choose(SERVICE_THRESHOLD, preset)
                if not tab.run() or tab.exceptions:
                    return asked
                asked.append((name, preset))
    return asked


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
        if SERVICE_PAGE in listed:
            service_questions(base_url)
    except Exception:  # a warm-up that fails costs the first visitor time, nothing else
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
