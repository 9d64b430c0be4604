# ruff: noqa: F811 (service_home is a fixture imported from tests/support)
"""The service page's layers (ui/service_layers.py): shared layers need the editor login, a
plain visit computes nothing, bad files get clear messages (issue 10.2, 10.3)."""

from __future__ import annotations

import pandas as pd
import pytest

from kommunkarta.outputs import maps

from .support.apptest import SHOPS_CSV, service_as, service_home, stored_ids  # noqa: F401 (service_home: a fixture)

# -- 2. shared layers need the editor login; 3. a plain visit computes nothing ---------------


def test_a_visitor_cannot_store_or_remove_a_layer_but_can_analyse_a_file(service_home):
    at = service_as(editor=False)
    assert not at.exception
    assert at.button(key="sa_upload_save").disabled
    assert "kräver inloggning som redaktör" in " ".join(c.value for c in at.caption)
    assert not [s for s in at.selectbox if s.key == "sa_remove"]  # no remove for visitors
    at.file_uploader(key="sa_upload").set_value(("mina.csv", SHOPS_CSV.replace(b"ICA", b"Mitt ICA"), "text/csv"))
    at.text_input(key="sa_upload_title").input("Mina butiker")
    at.run()
    assert at.button(key="sa_upload_save").disabled and not at.button(key="sa_upload_use").disabled
    # A forged click on the disabled button (as a hand-made websocket message could
    # send) stores nothing either.
    forged = at.button(key="sa_upload_save")
    forged.proto.disabled = False
    forged.click().run()
    assert stored_ids() == ["butiker"]
    at.button(key="sa_upload_use").click().run()
    assert not at.exception
    assert "används i den här sessionen och sparas inte" in at.success[0].value
    assert stored_ids() == ["butiker"]
    own = [o for o in at.selectbox(key="sa_layer").options if o.startswith("Mina butiker")]
    assert own, at.selectbox(key="sa_layer").options
    assert at.selectbox(key="sa_layer").value.startswith("session-")  # chosen, and analysed
    at.session_state["sa_origin_table_open"] = True  # the table of every place, opened
    at.run()
    nearest = set(at.dataframe[-1].value["Närmaste service"].dropna())
    assert "Mitt ICA Ljusdal" in nearest and "ICA Ljusdal" not in nearest
    # another visitor does not see it
    assert all(not o.startswith("Mina") for o in service_as(editor=False).selectbox(key="sa_layer").options)


def test_an_editor_stores_and_removes_a_layer(service_home):
    at = service_as(editor=True)
    at.file_uploader(key="sa_upload").set_value(("nya.csv", SHOPS_CSV, "text/csv"))
    at.text_input(key="sa_upload_title").input("Nya butiker")
    at.run()
    assert not at.button(key="sa_upload_save").disabled
    at.button(key="sa_upload_save").click().run()
    assert not at.exception
    assert sorted(stored_ids()) == ["butiker", "nya-butiker"]
    at.selectbox(key="sa_remove").set_value("butiker").run()
    at.button(key="sa_remove_button").click().run()
    assert stored_ids() == ["nya-butiker"]


def test_a_layer_title_of_300_characters_gets_a_clear_message(service_home):
    from kommunkarta.service import importers, stored_layers

    long_title = "Butiker i " + "Ljusdal " * 40
    assert len(long_title) > 300
    with pytest.raises(ValueError, match="högst 120"):
        stored_layers.save(importers.read_points("b.csv", SHOPS_CSV), long_title, "facilities")
    # a title just within the limit still makes a file name the file system takes
    info = stored_layers.save(importers.read_points("b.csv", SHOPS_CSV), "Å" * 120, "facilities")
    assert len(info.id) <= 60 and info.title == "Å" * 120
    info = stored_layers.save(importers.read_points("b.csv", SHOPS_CSV), "ä" * 70 + "x" * 50, "facilities")
    assert len(info.id) <= 65 and info.id in stored_ids()  # a numbered id when taken
    # The title defaults to the file's name, which the browser sends as it is.
    at = service_as(editor=True)
    at.file_uploader(key="sa_upload").set_value((long_title + ".csv", SHOPS_CSV, "text/csv"))
    at.run()
    at.button(key="sa_upload_save").click().run()
    assert not at.exception
    assert "högst 120" in at.error[0].value and "File name too long" not in at.error[0].value
    assert len(stored_ids()) == 3  # nothing stored by the refused upload


def test_a_plain_visit_never_recomputes_a_stored_layers_analysis(service_home, monkeypatch):
    from kommunkarta.service import analysis

    calls = []
    original = analysis.vulnerable_facilities

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(analysis, "vulnerable_facilities", counted)
    first = service_as(editor=False)
    assert not first.exception and calls
    calls.clear()
    second = service_as(editor=False)  # another visitor, the same layer and parameters
    assert not second.exception
    assert calls == []
    assert [m.value for m in second.metric] == [m.value for m in first.metric]


def test_a_layer_where_no_shop_is_vulnerable_shows_the_page(tmp_path, monkeypatch):
    """Three shops in one town, nationally: none isolated, none whose closing leaves
    anyone beyond 30 km. The map used to fail with 'The field n is not available'."""
    import streamlit as st

    from kommunkarta.service import importers, stored_layers

    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    st.cache_data.clear()
    st.cache_resource.clear()
    shops = b"id,name,lat,lon\na,A,61.83,16.09\nb,B,61.831,16.091\nc,C,61.832,16.092\n"
    stored_layers.save(importers.read_points("b.csv", shops, kind="grocery"), "Tre butiker", "facilities")
    at = service_as(editor=False)
    assert not at.exception
    vulnerable = [m.value for m in at.metric if m.label.startswith("Butiker vars nästa butik ligger bortom")]
    assert vulnerable == ["0"]  # no vulnerable shop
    assert not maps.access_layers(
        pd.DataFrame(columns=["origin_id", "name", "lat", "lon", "distance_km"]),
        pd.DataFrame(columns=["id", "name", "lat", "lon"]),
        30.0,
    )[0]._children


def test_the_service_page_refuses_a_deeply_nested_geojson_clearly(service_home):
    at = service_as(editor=False)
    at.file_uploader(key="sa_upload").set_value(("djup.geojson", b"[" * 200_000 + b"]" * 200_000, "application/json"))
    at.run()
    at.button(key="sa_upload_use").click().run()
    assert not at.exception
    assert "nästlad 200\u00a0000 nivåer djupt" in at.error[0].value.replace("\\", "")
    assert stored_ids() == ["butiker"] and not at.session_state["sa_own_layers"]
