"""The Streamlit layer: cached access to the package, the shared sidebar and URL state.

Pages import from here, read the filters, call the package and render; nothing
here computes what the package can.
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

import folium
import pandas as pd
import streamlit as st

from .. import distances, gazetteer, geo, paths, profiles, selection, settings, timeline, vocab
from ..i18n import LANGUAGES, t
from ..loader import Dataset, capped_problem_lines
from ..names import KommunMatcher, UnknownKommun
from ..outputs import downloads, leaflet_assets, maps
from ..service import analysis, stored_layers
from ..storage import db, store
from .markdown import md

# Widget keys, and the URL parameter each one is kept in.
_URL_KEYS = {"lan": "f_lan", "fa": "f_fa", "networks": "f_networks", "certainty": "kk_certainty"}


@st.cache_resource(show_spinner=False)
def ensure_assets() -> None:
    leaflet_assets.ensure_static_assets(paths.static_dir())


def secrets() -> dict:
    """The secrets as a plain dict; empty without a secrets file."""
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file: Streamlit raises rather than returning nothing
        return {}


def database():
    """The engine of the configured database (upgraded, and seeded on first use)."""
    return _database(db.database_url(secrets()), str(paths.default_data_dir()))


@st.cache_resource(show_spinner=False)
def _database(url: str, data_dir: str):
    return store.open_database(url, data_dir)


@st.cache_resource(show_spinner=False)
def dataset() -> Dataset:
    # A resource, not cache_data: the frames are read-only, and copying them on every
    # rerun is what cache_data would do. follow_data_revision clears it after a write.
    return store.load_from_database(database())


# Revision of the data each database's caches were built from, in this process.
_seen_revision: dict[str, int] = {}


def follow_data_revision() -> None:
    """Clear what was computed from the data when anyone (any session, any process of a
    shared deployment) has written since: one small query per rerun."""
    engine = database()
    current = db.revision(engine)
    key = str(engine.url)
    if _seen_revision.get(key, current) != current:
        clear_data_caches()
    _seen_revision[key] = current


def clear_data_caches() -> None:
    for cached in (
        dataset,
        membership_table,
        filter_vocabulary,
        _kommun_properties,
        _base_map,
        _network_layers,
        kommun_seats,
        kommun_profile,
        member_points,
        _network_map,
        timeline_rows,
        _filtered,
    ):
        cached.clear()


@st.cache_resource(show_spinner=False)
def membership_table() -> pd.DataFrame:
    return selection.membership_table(dataset())


@st.cache_resource(show_spinner=False)
def filter_vocabulary() -> selection.Vocabulary:
    return selection.vocabulary(dataset())


@st.cache_resource(show_spinner=False)
def kommun_matcher() -> KommunMatcher:
    return KommunMatcher(geo.names_by_code())


@st.cache_resource(show_spinner=False)
def _kommun_properties(language: str) -> pd.DataFrame:
    return maps.kommun_properties(membership_table(), dataset().population, language, dataset().projects)


# streamlit-folium changes the folium objects it is given (it adds the feature groups to
# the map and renames elements), so the cached objects are copied for every rerun: a
# shared object would grow on every rerun and differ between sessions.


@st.cache_resource(show_spinner=False)
def _base_map(tiles: str | None, language: str, large: bool = False) -> folium.Map:
    m = maps.base_map(_kommun_properties(language), dataset().networks, tiles=tiles, lang=language, large=large)
    m.get_root().render()  # once, so st_folium can skip it (render=False)
    return m


def base_map(large: bool = False) -> folium.Map:
    """A fresh copy of the rendered base map for the session's background and language
    (``large``: legend for a projector); pass it to st_folium with render=False."""
    return _copy_sharing_geojson(_base_map(tile_source(), lang(), large))


def _copy_sharing_geojson(element):
    """Deep-copy folium elements but share their GeoJSON data, which is most of their
    size and which folium only reads: it would number features in place only where no
    property identifies them, and every feature of ours carries a unique code."""
    memo = {}
    for child in _walk(element if isinstance(element, list) else [element]):
        data = getattr(child, "data", None)
        if isinstance(data, dict):
            memo[id(data)] = data
    return copy.deepcopy(element, memo)


def _walk(elements):
    for element in elements:
        yield element
        yield from _walk(getattr(element, "_children", {}).values())


@st.cache_resource(show_spinner=False, max_entries=64)
def _network_layers(filter_key: tuple, language: str) -> list[folium.FeatureGroup]:
    filters = _filters_from_key(filter_key)
    filtered = selection.apply_filters(membership_table(), filters)
    return maps.network_layers(filtered, dataset().networks, language)


def network_layers(filters: selection.Filters) -> list[folium.FeatureGroup]:
    return _copy_sharing_geojson(_network_layers(_filter_key(filters), lang()))


@st.cache_resource(show_spinner=False, max_entries=300)
def _selected_layer(kommun_kod: str | None) -> list[folium.FeatureGroup]:
    return maps.selected_layer(kommun_kod)


def selected_layer() -> list[folium.FeatureGroup]:
    """The outline of the chosen kommun, to add to the map's dynamic layers."""
    return _copy_sharing_geojson(_selected_layer(st.session_state.get("kommun")))


@st.cache_resource(show_spinner=False)
def kommun_seats() -> pd.DataFrame:
    return gazetteer.kommun_seats(dataset().seats)


@st.cache_resource(show_spinner=False, max_entries=300)
def kommun_profile(kommun_kod: str) -> dict:
    return profiles.kommun_profile(dataset(), membership_table(), kommun_kod, kommun_seats())


@st.cache_resource(show_spinner=False, max_entries=64)
def member_points(network_id: str) -> pd.DataFrame:
    return distances.member_points(membership_table(), network_id, kommun_seats(), dataset().centres)


@st.cache_resource(show_spinner=False, max_entries=64)
def _network_map(network_id: str, language: str, large: bool = False) -> folium.Map:
    ds, table = dataset(), membership_table()
    related = [
        (network(other), table[table["network_id"] == other])
        for other in profiles.related_networks(ds, network_id)["id"]
        if other != network_id
    ]
    points = member_points(network_id)
    m = maps.network_map(
        network(network_id),
        table[table["network_id"] == network_id],
        _kommun_properties(language),
        points[points["country"] != "SE"],
        profiles.network_places(ds, network_id),
        related,
        lang=language,
        large=large,
    )
    m.get_root().render()
    return m


def network(network_id: str) -> SimpleNamespace:
    """A network's row with its columns as attributes."""
    return downloads.network_record(dataset(), network_id)


_network_pages: dict = {}


def network_url_path(network_id: str) -> str:
    return "natverk-" + network_id.replace("_", "-")


def set_network_pages(pages: dict) -> None:
    """app.py registers the generated network pages so that pages can link to them."""
    _network_pages.update(pages)


def network_page_path(network_id: str):
    return _network_pages[network_id]


@st.cache_resource(show_spinner=False)
def timeline_rows() -> pd.DataFrame:
    return timeline.timeline(dataset())


@st.cache_resource(show_spinner=False)
def gazetteer_origins() -> pd.DataFrame:
    return analysis.gazetteer_origins()


@st.cache_resource(show_spinner=False, max_entries=16)
def stored_layer(layer_id: str, imported_at: str) -> pd.DataFrame:
    # imported_at is part of the key, so a layer saved again under the same id is reread.
    # Projected to SWEREF 99 TM here, once, rather than by every what-if rerun.
    return analysis.with_xy(stored_layers.load(layer_id))


@st.cache_resource(show_spinner=False, max_entries=32)
def facility_index(layer_id: str, imported_at: str, kinds: tuple[str, ...]) -> analysis.Facilities:
    return analysis.Facilities.build(analysis.facilities_of_kinds(stored_layer(layer_id, imported_at), kinds))


@st.cache_resource(show_spinner=False, max_entries=8)
def _outline_map(codes: tuple[str, ...], language: str) -> folium.Map:
    m = maps.outline_map(codes, lang=language)
    m.get_root().render()
    return m


def outline_map(codes: tuple[str, ...]) -> folium.Map:
    return _copy_sharing_geojson(_outline_map(codes, lang()))


def access_scope(kommuner: tuple[str, ...], network_id: str | None) -> tuple[str, ...]:
    """The kommuner an analysis covers: those chosen, plus a network's Swedish members."""
    codes = set(kommuner)
    if network_id:
        table = membership_table()
        codes |= set(table.loc[(table["network_id"] == network_id) & (table["country"] == "SE"), "kommun_kod"])
    return tuple(sorted(codes))


def take_access_click(state: dict | None, adding: bool, measuring: bool = False) -> list[dict]:
    """Act on a new click on the access map: measuring takes two points (a third starts
    over); adding places a hypothetical shop. Returns the hypothetical shops."""
    added = st.session_state.setdefault("sa_added", [])
    measure = st.session_state.setdefault("sa_measure", [])
    clicked = (state or {}).get("last_clicked")
    if clicked and clicked != st.session_state.get("sa_last_click"):
        st.session_state["sa_last_click"] = clicked
        if measuring:
            st.session_state["sa_measure"] = (measure if len(measure) < 2 else []) + [(clicked["lat"], clicked["lng"])]
        elif adding:
            n = len(added) + 1
            added.append(
                {
                    "id": f"tankt-{n}",
                    "name": f"{tr('access_added')} {n}",
                    "kind": "hypothetical",
                    "kommun_kod": "",
                    "lat": clicked["lat"],
                    "lon": clicked["lng"],
                }
            )
    return added


@st.cache_resource(show_spinner=False, max_entries=32)
def closable_facilities(
    layers_key: tuple,
    _facilities: analysis.Facilities,
    _origins: pd.DataFrame,
    scope: tuple[str, ...],
    threshold: float,
    detour: float,
) -> pd.DataFrame:
    """analysis.closable, cached; ``layers_key`` names the facility and origin layers,
    whose objects are not hashed."""
    return analysis.closable(_facilities, _origins, scope, threshold, detour)


@st.cache_resource(show_spinner=False, max_entries=32)
def _grid(scope: tuple[str, ...]) -> pd.DataFrame:
    return analysis.grid_origins(scope or tuple(geo.kommuner()["kommun_kod"]))


@st.cache_data(show_spinner=False, max_entries=64)
def access_result(
    layers_key: tuple,
    _facilities: analysis.Facilities,
    _origins: pd.DataFrame,
    scope: tuple[str, ...],
    threshold: float,
    detour: float,
    added: tuple[dict, ...],
    closed: tuple[str, ...],
    area_share: bool,
) -> analysis.ScopedAccess:
    """analysis.analyse with the session's what-if changes and the cached area grid,
    cached by the layers (``layers_key``: ids and versions, since the layer objects are
    not hashed) and the parameters: a plain visit to a stored layer computes nothing."""
    return analysis.analyse(
        _facilities,
        _origins,
        scope,
        threshold,
        detour,
        added=pd.DataFrame(list(added)) if added else None,
        closed=closed,
        grid=_grid(scope) if area_share else None,
    )


def network_map(network_id: str, large: bool = False) -> folium.Map:
    return _copy_sharing_geojson(_network_map(network_id, lang(), large))


@st.cache_data(show_spinner=False, max_entries=64)
def _filtered(filter_key: tuple) -> tuple[pd.DataFrame, pd.DataFrame, selection.KeyFigures]:
    filters = _filters_from_key(filter_key)
    ds = dataset()
    filtered = selection.apply_filters(membership_table(), filters)
    summary = selection.kommun_summary(filtered, ds)
    return filtered, summary, selection.key_figures(summary, filtered, ds)


def filtered(filters: selection.Filters) -> tuple[pd.DataFrame, pd.DataFrame, selection.KeyFigures]:
    """(memberships passing the filters, one row per kommun, key figures)."""
    return _filtered(_filter_key(filters))


def _filter_key(filters: selection.Filters) -> tuple:
    return tuple(sorted(filters.to_query_params().items()))


def _filters_from_key(key: tuple) -> selection.Filters:
    return selection.Filters.from_query_params(dict(key), filter_vocabulary())[0]


def lang() -> str:
    return st.session_state.get("f_lang", "sv")


def tr(key: str, **values) -> str:
    return t(key, lang(), **values)


def current_filters() -> selection.Filters:
    return st.session_state.get("kk_filters", selection.Filters())


def tiles() -> str | None:
    """The chosen background: None, "osm" or "custom"."""
    choice = st.session_state.get("kk_tiles", "none")
    return None if choice in (None, "none", False) else choice


def custom_tiles():
    try:
        secrets = dict(st.secrets.get("tiles", {}))
    except Exception:  # no secrets file
        secrets = {}
    return settings.custom_tiles(secrets)


def tile_source():
    """What base_map draws under the kommuner for the chosen background."""
    choice = tiles()
    return custom_tiles() if choice == "custom" else choice


def _initialise_from_url() -> None:
    """On a session's first run, put the link's parameters into the widgets."""
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


def sidebar() -> selection.Filters:
    """The shared sidebar: language, filters and the map background. Keeps the URL in step."""
    _initialise_from_url()
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
        st.multiselect(
            tr("filter_networks"),
            list(known.networks),
            format_func=known.networks.get,
            key="f_networks",
            placeholder=tr("filter_all"),
        )
        # The language is bound now: a widget's value is decoded with its own labels,
        # also in the run after a language switch.
        language = lang()
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
            st.slider(tr("filter_period"), selection.FIRST_YEAR, selection.LAST_YEAR, key="f_years")
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
            st.code("\n".join(capped_problem_lines(problems)), language=None)


def label(table: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Select and rename columns for display with translated headings."""
    return table[list(columns)].rename(columns={c: tr(k) for c, k in columns.items()})


def certainty_text(certainty: str) -> str:
    text = vocab.label(vocab.CERTAINTIES, certainty, lang())
    return text if certainty == "stated" else f"⚠ {text}"


def role_text(role: str) -> str:
    return vocab.label(vocab.ROLES, role, lang())
