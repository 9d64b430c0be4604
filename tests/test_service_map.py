"""The service page's maps through the project's map component (issue 22): the component
gets exactly what st_folium would send it, computed once per query for all sessions; a
what-if click sends new layers to the map already drawn (same script, same component key:
not remounted); the class tables do not depend on the threshold and are made once."""

import numpy as np
import pandas as pd
import pytest
import streamlit_folium

from kommunkarta.distances import to_sweref
from kommunkarta.outputs import maps
from kommunkarta.outputs.point_layers import marker_options
from kommunkarta.service import defaults, importers, query, stored_layers
from kommunkarta.ui import grid_panel, service_map
from kommunkarta.ui.cache import follow_data_revision
from kommunkarta.ui.maps import outline_map

from .support.apptest import app, fresh_caches  # noqa: F401 (fresh_caches: an autouse fixture)
from .support.calls import calls_to
from .support.map_component import as_st_folium_sends, comparable
from .support.point_layers import drawn_points
from .support.service_sources import PlainSources

SHOPS_CSV = (
    "id,name,lat,lon\nica,ICA Ljusdal,61.83,16.09\ncoop,Coop Järvsö,61.716,16.17\nlos,Handlarn Los,61.736,15.169\n"
)


@pytest.fixture
def shops(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    path = tmp_path / "butiker.csv"
    path.write_text(SHOPS_CSV, encoding="utf-8")
    info = stored_layers.save(importers.read_points(path, kind="grocery"), "Butiker", "facilities")
    return info, stored_layers.load(info.id)


def _view(shops, scope=(), added=()) -> query.PageView:
    info, points = shops
    asked = query.ServiceQuery(
        query.LayerRef.of(info),
        ("grocery",),
        query.TATORTER,
        grid=query.embedded_grid(),
        scope=scope,
        threshold_km=30.0,
        added=added,
    )
    return query.page_view(asked, PlainSources(points), "sv", closable_shops=points)


@pytest.mark.parametrize("scope", [(), ("2161", "2132")])
def test_the_places_map_gets_what_st_folium_would_send(component, shops, scope):
    follow_data_revision()
    page = _view(shops, scope)
    rings = query.ring(page.service.rows, page.service.rows["origin_id"].iloc[0], 12.0)
    measure = service_map.measure_spec([(61.83, 16.09), (61.73, 15.17)], "Uppmätt: 48 km")
    streamlit_folium.st_folium(
        outline_map(scope),
        feature_group_to_add=service_map.layers(page, rings, measure, "sv"),
        returned_objects=["last_clicked"],
        key="access_map",
        render=False,
        height=620,
        use_container_width=True,
    )
    service_map.show(page.query, page, rings, measure)
    service_map.show(page.query, page, rings, measure)  # from the cache
    direct = comparable(component[0])
    cached, again = (as_st_folium_sends(c) for c in component[1:])
    assert cached == direct and again == direct
    # The grid's squares beyond 30 km are on the map, as many as the view draws.
    drawn = [row for _, styles, rows in drawn_points(direct["feature_group"]) for row in rows]
    grid_style = marker_options(maps.GRID_BEYOND_STYLE)
    squares = [
        row for _, styles, rows in drawn_points(direct["feature_group"]) for row in rows if styles[row[2]] == grid_style
    ]
    assert len(squares) == len(page.service.grid_beyond) > 0
    assert len(drawn) >= len(page.service.grid_beyond) + len(page.service.rows)


def test_a_hypothetical_shop_is_sent_to_the_map_already_drawn(component, shops):
    follow_data_revision()
    before = _view(shops)
    after = _view(shops, added=((62.3, 15.3),))
    service_map.show(before.query, before, (), ())
    service_map.show(after.query, after, (), ())
    first, second = component
    assert first["key"] == second["key"] and first["script"] == second["script"]  # not remounted

    def added(arguments):
        return [
            row[:2]
            for _, styles, rows in drawn_points(arguments["feature_group"])
            for row in rows
            if styles[row[2]] == marker_options(maps.ADDED_STYLE)
        ]

    assert added(first) == [] and added(second) == [[62.3, 15.3]]
    # Fewer squares beyond 30 km with the shop, as a brute force over the grid counts.
    squares = defaults.population_grid()
    sx, sy = to_sweref(pd.Series([61.83, 61.716, 61.736, 62.3]), pd.Series([16.09, 16.17, 15.169, 15.3]))
    km = np.hypot(squares["x"].to_numpy()[:, None] - sx[None, :], squares["y"].to_numpy()[:, None] - sy[None, :])
    assert after.service.grid.origins_beyond == int((km.min(axis=1) / 1000 > 30).sum())
    assert after.service.grid.origins_beyond < before.service.grid.origins_beyond


def test_the_class_tables_are_made_once_whatever_the_threshold(shops, monkeypatch):
    made = calls_to(monkeypatch, "grid_class_table", grid_panel)
    at = app().switch_page("app_pages/service.py").run()
    assert not at.exception and len(made) == 1

    def class_table():
        return next(d.value for d in at.dataframe if "Avståndsklass" in d.value.columns)

    first = class_table()
    at.radio(key="sa_threshold_choice").set_value("driftstod").run()
    assert not at.exception and len(made) == 1
    assert next(m.label for m in at.metric if m.label.startswith("Orter bortom")) == "Orter bortom 10 km"
    pd.testing.assert_frame_equal(class_table(), first)
    at.selectbox(key="sa_network").set_value("serviceutveckling_2022").run()
    assert not at.exception and len(made) == 2  # another scope: other areas


def test_the_tables_of_every_place_and_area_are_made_when_their_expander_opens(shops):
    at = app().switch_page("app_pages/service.py").run()
    assert not at.exception

    def frames(column: str) -> list[pd.DataFrame]:
        return [d.value for d in at.dataframe if column in d.value.columns]

    assert not frames("Avstånd, km")  # the places' table: not made while its expander is closed
    classes = frames("Avståndsklass")
    assert len(classes) == 1 and set(classes[0]["Nivå"]) == {"Sverige"}
    at.session_state["sa_origin_table_open"] = True
    at.session_state["sa_classes_all_open"] = True
    at.run()
    assert not at.exception
    tatorter = defaults.tatort_origins()
    places = frames("Avstånd, km")
    assert len(places) == 1 and len(places[0]) == len(tatorter)
    assert set(places[0]["Namn"]) == set(tatorter["name"])
    every_area = frames("Avståndsklass")[1]
    assert {"Län", "Kommun"} <= set(every_area["Nivå"])
    grid_kommuner = set(defaults.population_grid()["kommun_kod"])
    assert set(every_area.loc[every_area["Nivå"] == "Kommun", "Kod"]) == grid_kommuner
