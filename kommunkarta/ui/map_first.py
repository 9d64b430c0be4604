"""The map first (issue 22): on a browser's first view of a page, the page ends after
its map, and the rest (the key figures and the kommun panel beside the overview's map,
the kommun profile's figures and downloads beside its map, the figures beside each map
of the presentation, tables, charts, images, downloads, and the sidebar's filters)
follows once the map is drawn. What follows stands beside the map or below it, so that
its coming moves nothing.

Why: each kind of element loads its own code the first time a page draws it (a table
about 1.6 MB of JavaScript, a select box some 17 files), six files at a time, and React
shows the map's frame only when every element of the same render has its code, or
300 ms after it first drew their placeholders. Sent together, the other elements kept
the map's frame from starting for 0.5 to 1 s at a meeting's start. Sent after the map,
they cost it nothing, and the reader looks at the map first anyway.

How: ``report_script()`` is a script the map's frame runs first (folium_component adds
it to the frame's scripts while a map shown with ``hold=True`` is ``pending``). When Leaflet has drawn the
shapes, it sets the component's value with ``kk_drawn`` (a component's value reaches the
server as a rerun, as a click on the map does); ``folium_component.show`` notes the map
as drawn for the session (``mark_drawn``), and in that rerun ``hold_rest`` lets the page
go on. The script reports after at most ``REPORT_DEADLINE_MS`` even when the map is not
drawn by then, and a button below the map shows the rest at once: the rest of a page
never waits for a map that does not come.

The sidebar's widgets (language, filters, background) wait as well: until a browser's
session has a map drawn, app.py draws them after a map page (``first_view``), so a held
page ends before them and they come with the rest, the filters holding their values
meanwhile; a page that ends otherwise (st.stop, an error) still gets them.

A frame that reported in an earlier session (the server restarted, the browser
reconnected) does not report again; its value, which the new session receives with the
first run, still has the flag, and ``folium_component.show`` reads it there too.

Only a browser is held: a client that draws no map (AppTest, a script) gets the whole
page in its first run. A browser is known by its User-Agent, which every browser starts
with ``Mozilla/``; the load benchmark's simulated tabs send one and report the map
drawn as the frame does (tests/support/streamlit_client.py).
"""

from __future__ import annotations

import streamlit as st

from . import run_memo
from .text import tr

# Session state: the keys of the maps whose frame has reported them drawn.
DRAWN = "kk_maps_drawn"
# The container that stands for the rest of the page while it waits (its CSS class is
# st-key-map-first-wait; the browser tests wait for it to go).
WAIT_KEY = "map-first-wait"
REPORT_DEADLINE_MS = 6000
# The value's key that says "drawn"; streamlit-folium's own values never have it.
DRAWN_FLAG = "kk_drawn"

# Runs in the map's frame (streamlit-folium's page: window.Streamlit is its component
# API, window.map the Leaflet map, __GLOBAL_DATA__.previous_data the value it last
# sent). Reports once, two animation frames after the map holds shapes or markers (so
# they are on the screen; or 0.5 s after, as a hidden tab runs no animation frames), or
# at the deadline. The value is the last one sent with
# the flag added: streamlit-folium compares the next value with previous_data, which
# is left as it is, so a later move of the map sends nothing new.
_REPORT = (
    "(function(){var t0=Date.now(),done=false;function report(){if(done)return;done=true;"
    "var g=window.__GLOBAL_DATA__,v={},p=(g&&g.previous_data)||{};"
    "for(var k in p){v[k]=p[k];}v.__FLAG__=true;"
    "if(window.Streamlit)window.Streamlit.setComponentValue(v);}"
    "function wait(){var drawn=window.map&&document.querySelector("
    "'.leaflet-overlay-pane path,.leaflet-marker-pane>*');"
    "if(drawn){requestAnimationFrame(function(){requestAnimationFrame(report);});setTimeout(report,500);}"
    "else if(Date.now()-t0>__DEADLINE__){report();}else{setTimeout(wait,40);}}wait();})();"
)


def report_script() -> str:
    """The reporting script (folium_component puts it first in the frame's scripts)."""
    return _REPORT.replace("__FLAG__", DRAWN_FLAG).replace("__DEADLINE__", str(REPORT_DEADLINE_MS))


def user_agent() -> str:
    """The User-Agent the session's client sent (looked up once per run: reading
    Streamlit's headers costs a millisecond or two); "" outside a session."""
    return run_memo.remembered("user_agent", _read_user_agent)


def _read_user_agent() -> str:
    try:
        return st.context.headers.get("User-Agent") or ""
    except Exception:  # no session (a plain unit test)
        return ""


def _client_is_browser() -> bool:
    """The session's client says it is a browser."""
    return user_agent().startswith("Mozilla/")


def _drawn() -> set[str]:
    return st.session_state.setdefault(DRAWN, set())


def mark_drawn(key: str) -> None:
    """The map ``key`` is drawn in this session's browser: its page is no longer held."""
    _drawn().add(key)


def took_report(key: str, value) -> None:
    """Notes the map drawn when ``value`` (the component's new value) is its report."""
    if isinstance(value, dict) and value.get(DRAWN_FLAG):
        mark_drawn(key)


def pending(key: str) -> bool:
    """True while the rest of the page waits for the map ``key``: a browser's session
    whose frame has not reported that map drawn yet."""
    return key not in _drawn() and _client_is_browser()


def first_view() -> bool:
    """True in a browser's session before any of its maps has reported drawn: app.py then
    draws the sidebar's widgets after a map page (their values held meanwhile), so that a
    page that holds its rest also holds them, and their code loads after the map's."""
    return not _drawn() and _client_is_browser()


def held() -> bool:
    """True when ``hold_rest`` ended this run."""
    return bool(run_memo.remembered("map_first_held", lambda: False))


def holding(key: str) -> None:
    """The map ``key`` is the one this run's page holds its rest for (folium_component)."""
    run_memo.remember("map_first_key", key)


def hold_rest() -> None:
    """Ends the run here while the map this run showed with ``hold=True`` is ``pending``:
    what follows on the page is drawn in the rerun that the map's report starts. In its
    place: a line that says so, and a button that shows it at once. Without such a map
    (the overview's small multiples), nothing."""
    key = run_memo.remembered("map_first_key", lambda: None)
    if key is None or not pending(key):
        return
    with st.container(key=WAIT_KEY):
        st.caption(tr("map_first_wait"))
        st.button(tr("map_first_show_now"), key=f"map_first_now_{key}", on_click=mark_drawn, args=(key,))
    run_memo.remember("map_first_held", True)
    st.stop()
