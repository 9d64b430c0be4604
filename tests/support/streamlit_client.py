"""A Streamlit client without a browser: one session speaking Streamlit's own websocket
protocol, as a browser tab does (the page's HTML and its cookies, ``/_stcore/stream``,
``BackMsg.rerun_script`` with the widgets' states, the ``ForwardMsg``s back until
``script_finished``). Used by the deployment tests (tests/test_deploy.py) and by the load
benchmark (benchmarks/load.py).

Like a browser, a session says it is one (its User-Agent), and so gets a map page's
first view in two runs (ui/map_first.py): the page up to the map, then, when the map's
frame reports it drawn (here: at once, with the value the frame sets), the rest. Both
runs count as the first view. ``browser=False``: a client that draws no map, which
gets the whole page in one run."""

from __future__ import annotations

import asyncio
import contextlib
import http.cookies
import json
import random
import time
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

from kommunkarta.ui.map_first import DRAWN_FLAG

FINISHED = ForwardMsg.ScriptFinishedStatus
RUN_TIMEOUT_S = 120.0
# What a browser's User-Agent starts with (ui/map_first.py tells browsers by it).
BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) kommunkarta-streamlit-client"


# -- one simulated user --------------------------------------------------------------------


class RunFailed(Exception):
    pass


@dataclass
class RunResult:
    seconds: float
    received_bytes: int
    messages: int
    errors: list[str] = field(default_factory=list)
    # A first view: HTML, websocket, first run, and the run of the rest after the map's report
    phases: dict[str, float] = field(default_factory=dict)
    runs: int = 1  # script runs: a map page's first view in a browser takes two


@dataclass
class Widget:
    id: str
    kind: str  # multiselect, selectbox, radio
    options: list[str]


class Session:
    """One browser tab: cookies, a websocket and what the page last showed."""

    def __init__(
        self, base_url: str, page: str, query_string: str, timeout: float = RUN_TIMEOUT_S, browser: bool = True
    ):
        self.base_url = base_url.rstrip("/")
        self.browser = browser
        self.reporting_maps: list[str] = []  # ids of the map components of the last run that will report drawn
        self.page = page
        self.query_string = query_string
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.websocket = None
        self.page_script_hash = ""
        self.widgets: dict[str, Widget] = {}  # by user key
        self.widget_states: dict[str, WidgetState] = {}  # what the browser would send back
        # The browser's message cache: hash -> the run that last used it. It tells the
        # server which large elements it already has; those come back as references.
        self.cached: dict[str, int] = {}
        self.max_cached_age = 2  # new_session's config says
        self.runs = 0
        self.texts: list[str] = []  # markdown, headings, metrics and alerts of the last run

    async def open(self) -> RunResult:
        """The first view: the HTML page, then the websocket and the first script run."""
        start = time.perf_counter()
        path = f"/{self.page}" + (f"?{self.query_string}" if self.query_string else "")
        html = await asyncio.to_thread(self._get, path)
        html_s = time.perf_counter() - start
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        self.websocket = await connect(
            ws_url,
            subprotocols=["streamlit"],
            origin=self.base_url,  # as a browser sends it; Streamlit compares it with Host
            additional_headers=headers,
            **({"user_agent_header": BROWSER_AGENT} if self.browser else {}),
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
        )
        connect_s = time.perf_counter() - start - html_s
        result = await self.rerun(page_name=self.page)
        result.phases = {"html_s": html_s, "connect_s": connect_s, "run_s": result.seconds, "rest_s": 0.0}
        if self.reporting_maps and not result.errors:
            # The map's frame has drawn and says so (its component value): the rest follows.
            drawn = {m: WidgetState(id=m, json_value=json.dumps({DRAWN_FLAG: True})) for m in self.reporting_maps}
            rest = await self.rerun(changes=drawn)
            result.phases["rest_s"] = rest.seconds
            result.received_bytes += rest.received_bytes
            result.messages += rest.messages
            result.errors += rest.errors
            result.runs += 1
        result.seconds = time.perf_counter() - start
        result.received_bytes += len(html)
        return result

    def _get(self, path: str) -> bytes:
        request = urllib.request.Request(self.base_url + path, headers={"Accept": "text/html"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = http.cookies.SimpleCookie()
                cookie.load(header)
                self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
            return response.read()

    async def rerun(self, page_name: str | None = None, changes: dict[str, WidgetState] | None = None) -> RunResult:
        self.widget_states.update(changes or {})
        state = ClientState(query_string=self.query_string, page_script_hash=self.page_script_hash)
        if page_name is not None and not self.page_script_hash:
            state.page_name = page_name
        state.widget_states.widgets.extend(self.widget_states.values())
        state.cached_message_hashes.extend(sorted(self.cached))
        state.context_info.timezone = "Europe/Stockholm"
        state.context_info.locale = "sv-SE"
        message = BackMsg()
        message.rerun_script.CopyFrom(state)
        start = time.perf_counter()
        await self.websocket.send(message.SerializeToString())
        try:
            result = await asyncio.wait_for(self._until_finished(), self.timeout)
        except TimeoutError:
            return RunResult(time.perf_counter() - start, 0, 0, [f"no script_finished within {self.timeout:g} s"])
        result.seconds = time.perf_counter() - start
        return result

    async def _until_finished(self) -> RunResult:
        received = messages = 0
        errors: list[str] = []
        self.texts = []
        self.reporting_maps = []
        self.runs += 1
        while True:
            try:
                raw = await self.websocket.recv()
            except Exception as err:  # the server closed the connection or went away
                errors.append(f"websocket: {type(err).__name__}: {err}")
                return RunResult(0.0, received, messages, errors)
            received += len(raw)
            messages += 1
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            if msg.metadata.cacheable and msg.hash:
                self.cached[msg.hash] = self.runs
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":
                self.cached[msg.ref_hash] = self.runs
            elif kind == "new_session":
                self.max_cached_age = msg.new_session.config.max_cached_message_age or self.max_cached_age
                self.texts = []
            elif kind == "navigation":  # st.navigation: the page this run shows
                self.page_script_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "page_not_found":
                errors.append(f"page not found: {msg.page_not_found.page_name!r}")
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element, errors)
            elif kind == "script_finished":
                status = msg.script_finished
                if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    errors.append("script failed to compile")
                if status != FINISHED.FINISHED_EARLY_FOR_RERUN:  # st.rerun(): the next run follows
                    # Like the browser, forget what the last runs did not use.
                    self.cached = {h: run for h, run in self.cached.items() if self.runs - run < self.max_cached_age}
                    return RunResult(0.0, received, messages, errors)

    def _element(self, element, errors: list[str]) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            errors.append(f"exception on the page: {element.exception.type}: {element.exception.message}")
        elif kind in ("multiselect", "selectbox", "radio"):
            widget = getattr(element, kind)
            key = widget.id.split("-", 2)[-1]
            self.widgets[key] = Widget(widget.id, kind, list(widget.options))
        elif kind == "component_instance" and DRAWN_FLAG in element.component_instance.json_args:
            self.reporting_maps.append(element.component_instance.id)  # a map that will report drawn
        elif kind == "markdown":
            self.texts.append(element.markdown.body)
        elif kind == "heading":
            self.texts.append(element.heading.body)
        elif kind == "metric":
            self.texts.append(f"{element.metric.label}: {element.metric.body}")
        elif kind == "alert":
            self.texts.append(element.alert.body)

    def change(self, key: str, rng: random.Random) -> dict[str, WidgetState]:
        """A new value for the widget with user key ``key``, as the browser sends it."""
        widget = self.widgets.get(key)
        if widget is None or not widget.options:
            raise RunFailed(f"widget {key!r} is not on the page (seen: {sorted(self.widgets)})")
        state = WidgetState(id=widget.id)
        if widget.kind == "multiselect":
            chosen = rng.sample(widget.options, k=min(rng.choice((0, 1, 1, 2)), len(widget.options)))
            state.string_array_value.data.extend(chosen)
        else:
            state.string_value = rng.choice(widget.options)
        return {widget.id: state}

    async def close(self) -> None:
        if self.websocket is not None:
            with contextlib.suppress(Exception):
                await self.websocket.close()
