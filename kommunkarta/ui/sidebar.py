"""The shared sidebar (language, filters, background map) and the URL that keeps them:
a copied link reproduces the view."""

from __future__ import annotations

import streamlit as st

from .. import selection, vocab
from ..i18n import LANGUAGES, t
from ..loader import capped_problem_lines
from ..names import UnknownKommun
from . import run_memo
from .data import dataset, filter_vocabulary, kommun_matcher
from .maps import custom_tiles, tiles
from .markdown import md
from .text import lang, tr

# Widget keys, and the URL parameter each one is kept in.
_URL_KEYS = {"lan": "f_lan", "fa": "f_fa", "networks": "f_networks", "certainty": "kk_certainty"}


def current_filters() -> selection.Filters:
    return st.session_state.get("kk_filters", selection.Filters())


def initialise() -> None:
    """On a session's first run, put the link's parameters into the widgets (app.py calls
    it before anything is named in the session's language)."""
    if st.session_state.get("kk_initialised"):
        return
    st.session_state["kk_initialised"] = True
    params = st.query_params.to_dict()
    filters, ignored = selection.Filters.from_query_params(params, filter_vocabulary())
    for name, key in _URL_KEYS.items():
        st.session_state[key] = list(getattr(filters, name))
    st.session_state["f_period_on"] = filters.years is not None
    st.session_state["f_years"] = filters.years or (2012, selection.LAST_YEAR)
    st.session_state["kk_tiles"] = params.get("tiles") if params.get("tiles") in ("osm", "custom") else "none"
    language = params.get("lang", "sv")
    st.session_state["f_lang"] = language if language in LANGUAGES else "sv"
    run_memo.remember("lang", st.session_state["f_lang"])  # this run is in the link's language
    if language not in LANGUAGES:
        ignored.append(f"lang={language}")
    if "kommun" in params:
        select_kommun_from_text(params["kommun"])
    st.session_state["kk_ignored_params"] = ignored


def select_kommun_from_text(text: str) -> None:
    try:
        st.session_state["kommun"] = kommun_matcher().resolve(text)
        st.session_state.pop("kk_unknown_kommun", None)
    except UnknownKommun as err:
        st.session_state["kommun"] = None
        st.session_state["kk_unknown_kommun"] = err


def _translated_widget(widget, value_key: str, label: str, options: list, **kwargs) -> None:
    """A select widget whose option labels are translated. Streamlit keeps such a
    widget's value as its shown label, so a language switch would lose the choice: the
    choice is kept under ``value_key`` and each language has a widget of its own."""
    key = f"{value_key}_{lang()}"
    st.session_state[key] = st.session_state.get(value_key, [] if widget is st.multiselect else options[0])

    def keep():
        st.session_state[value_key] = st.session_state[key]

    widget(label, options, key=key, on_change=keep, **kwargs)


# The sidebar's widgets that keep their own value in the session.
_WIDGET_KEYS = ("f_lang", "f_lan", "f_fa", "f_period_on", "f_years", "kk_tiles")


def sidebar(show: bool = True) -> selection.Filters:
    """The shared sidebar: language, filters and the map background. Keeps the URL in step.

    ``show=False`` (the presentation, whose sidebar is hidden): the filters hold as they
    are, with no widget drawn; a browser would load the code of each kind of widget and
    draw it before the map, for nothing."""
    initialise()
    if not show:
        # A widget not drawn in a run loses its value: the values are kept as the session's own.
        for key in _WIDGET_KEYS:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
        return _filters(bool(st.session_state.get("f_period_on")))
    known = filter_vocabulary()
    with st.sidebar:
        st.radio(t("language", "sv"), list(LANGUAGES), format_func=LANGUAGES.get, key="f_lang", horizontal=True)
        st.header(tr("filters"))
        st.multiselect(
            tr("filter_lan"), list(known.lan), format_func=known.lan.get, key="f_lan", placeholder=tr("filter_all")
        )
        st.multiselect(
            tr("filter_fa"),
            list(known.fa),
            format_func=lambda k: f"{k} {known.fa[k]}",
            key="f_fa",
            placeholder=tr("filter_all"),
        )
        # The language is bound now: a widget's value is decoded with its own labels,
        # also in the run after a language switch.
        language = lang()
        # Networks are named in the session's language (known.networks is built for it).
        _translated_widget(
            st.multiselect,
            "f_networks",
            tr("filter_networks"),
            list(known.networks),
            format_func=known.networks.get,
            placeholder=tr("filter_all"),
        )
        _translated_widget(
            st.multiselect,
            "kk_certainty",
            tr("filter_certainty"),
            list(known.certainty),
            format_func=lambda c: vocab.label(vocab.CERTAINTIES, c, language),
            placeholder=tr("filter_all"),
        )
        period_on = st.toggle(tr("filter_period_on"), key="f_period_on")
        if period_on:
            # The period the link or a crafted session holds, made one the slider can show.
            years = selection.valid_years(st.session_state.get("f_years"), (2012, selection.LAST_YEAR))
            st.session_state["f_years"] = years
            st.slider(tr("filter_period"), selection.FIRST_YEAR, selection.period_slider_end(years), key="f_years")
        st.button(tr("filter_reset"), on_click=_reset_filters)
        st.divider()
        options = ["none", "osm"] + (["custom"] if custom_tiles() else [])
        if st.session_state.get("kk_tiles") not in options:
            st.session_state["kk_tiles"] = "none"
        # The option names are the same in both languages (Streamlit keeps a selectbox's
        # value as its shown label); the label above says what "—" means.
        names = {
            "none": "—",
            "osm": "OpenStreetMap",
            "custom": custom_tiles().attribution if "custom" in options else "",
        }
        st.selectbox(tr("tiles"), options, format_func=names.get, key="kk_tiles", help=tr("tiles_help"))
        st.caption(tr("share_link"))
    return _filters(period_on)


def _filters(period_on: bool) -> selection.Filters:
    """The filters the session holds, kept for the pages (``current_filters``) and the URL."""
    filters = selection.Filters(
        lan=tuple(st.session_state["f_lan"]),
        fa=tuple(st.session_state["f_fa"]),
        networks=tuple(st.session_state["f_networks"]),
        certainty=tuple(st.session_state["kk_certainty"]),
        years=tuple(st.session_state["f_years"]) if period_on else None,
    )
    st.session_state["kk_filters"] = filters
    sync_url()
    return filters


# The URL parameters the shared sidebar owns; pages may keep others of their own.
_OWNED_PARAMS = ("lan", "fa", "networks", "certainty", "years", "tiles", "lang", "kommun")


def sync_url() -> None:
    """Write the filters, background, language and chosen kommun into the URL, leaving
    any parameter a page keeps for itself (a presentation's views and step) alone."""
    params = current_filters().to_query_params()
    if tiles():
        params["tiles"] = tiles()
    if lang() != "sv":
        params["lang"] = lang()
    if st.session_state.get("kommun"):
        params["kommun"] = st.session_state["kommun"]
    current = st.query_params.to_dict()
    for key in _OWNED_PARAMS:
        if key in params and current.get(key) != params[key]:
            st.query_params[key] = params[key]
        elif key not in params and key in current:
            del st.query_params[key]


def _reset_filters() -> None:
    for key in _URL_KEYS.values():
        st.session_state[key] = []
    st.session_state["f_period_on"] = False


def show_notices() -> None:
    """Warnings every page shares: rejected data rows and ignored link parameters."""
    ignored = st.session_state.get("kk_ignored_params")
    if ignored:
        st.warning(tr("ignored_params", values=md(", ".join(ignored))))
    problems = dataset().problems
    if problems:
        with st.expander(f"⚠ {tr('rejected_rows', n=len(problems))}", expanded=False):
            st.caption(tr("rejected_help"))
            st.code("\n".join(capped_problem_lines(problems, lang=lang())), language=None)
