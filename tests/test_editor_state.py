"""Widget state crafted into a session (issue 19, Low): a table editor state this page
never made (unknown columns, positions past the rows, no dict at all) starts a fresh
editing round instead of ending the page in a KeyError; a real edit still saves."""

import pytest
from streamlit.testing.v1 import AppTest

from kommunkarta.storage import auth, db, store, uploads

from .support.apptest import app, fresh_caches  # noqa: F401 (fresh_caches: an autouse fixture)

EDITORS = {"editing": {"users": {"Anna": auth.hash_password("lösenord")}}}
KEY = "kk_editor_networks_alla_0"  # the networks table's editor in the first round


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))


def edit_page() -> AppTest:
    at = app(secrets=EDITORS, timeout=60)
    at.session_state["kk_editor"] = "anna"
    return at.switch_page("app_pages/edit.py").run()


CRAFTED = {
    "unknown column": {"edited_rows": {"0": {"nope": 1}}, "added_rows": [], "deleted_rows": []},
    "row past the end": {"edited_rows": {"99999": {"name": "x"}}, "added_rows": [], "deleted_rows": []},
    "deleted past the end": {"edited_rows": {}, "added_rows": [], "deleted_rows": [99999]},
    "added unknown column": {"edited_rows": {}, "added_rows": [{"nope": "x"}], "deleted_rows": []},
    "not a position": {"edited_rows": {"x": {"name": "y"}}, "added_rows": [], "deleted_rows": []},
    "not a dict": "garbage",
}


@pytest.mark.parametrize("crafted", list(CRAFTED.values()), ids=list(CRAFTED))
def test_crafted_editor_state_starts_afresh(crafted):
    at = edit_page()
    assert not at.exception
    at.session_state[KEY] = crafted
    at.run()
    assert not at.exception
    assert at.session_state["kk_edit_generation"] == 1  # a new round, a new editor
    at.button(key="kk_edit_save").click().run()
    assert not at.exception


def test_the_check_takes_what_the_editor_makes():
    columns = db.DATA_COLUMNS["networks"]
    made = {
        "edited_rows": {"0": {"name": "Nytt namn"}, 2: {"source": ""}},
        "added_rows": [{"id": "ny"}],
        "deleted_rows": [1],
    }
    assert uploads.editor_state_ok(made, 3, columns)
    assert uploads.editor_state_ok({}, 0, columns)
    for crafted in CRAFTED.values():
        assert not uploads.editor_state_ok(crafted, 3, columns)


def test_a_real_edit_still_saves():
    at = edit_page()
    rows = list(store.current_state(store.open_database(db.database_url({})), ("networks",))["networks"].values())
    first = rows[0].values
    at.session_state[KEY] = {
        "edited_rows": {"0": {"description": "ändrad i test"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert at.session_state["kk_edit_generation"] == 0
    at.button(key="kk_edit_save").click().run()
    assert not at.exception
    after = store.current_state(store.open_database(db.database_url({})), ("networks",))["networks"]
    changed = next(r for r in after.values() if r.values["id"] == first["id"])
    assert changed.values["description"] == "ändrad i test"
