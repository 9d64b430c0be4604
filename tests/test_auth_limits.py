"""Login names of any size and guessing across names (issue 19, item 4): a name past the
limit is refused before anything is stored or looked up, and failed attempts are counted
per client as well as per name (SQLite here; PostgreSQL with KOMMUNKARTA_TEST_POSTGRES_URL)."""

import datetime as dt

from sqlalchemy import func, select

from kommunkarta import limits
from kommunkarta.storage import auth, db

PASSWORD = "ett långt lösenord"
CONFIG = auth.editing_config({"editing": {"users": {"Anna": auth.hash_password(PASSWORD)}}})
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def stored_keys(engine) -> list[tuple[str, int]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(db.LoginFailure.user, db.LoginFailure.failures))]


def longest_key(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.max(func.length(db.LoginFailure.user)))).scalar() or 0


def test_a_huge_name_is_refused_before_anything_is_stored(engine):
    huge = "a" * 5_000_000
    for i in range(10):
        result = auth.attempt_login(engine, CONFIG, huge, "fel", START + dt.timedelta(seconds=i))
        assert result.user is None and result.bad_name
    assert stored_keys(engine) == []  # no client given: nothing to count
    result = auth.attempt_login(engine, CONFIG, huge, "fel", START, client="10.0.0.7")
    assert result.bad_name
    assert stored_keys(engine) == [(auth.client_key("10.0.0.7"), 1)]
    assert longest_key(engine) < 100


def test_names_up_to_the_limit_are_looked_up_and_control_characters_are_not(engine):
    at_limit = "b" * limits.LOGIN_NAME_CHARS
    assert not auth.attempt_login(engine, CONFIG, at_limit, "fel", START).bad_name
    assert auth.attempt_login(engine, CONFIG, at_limit + "b", "fel", START).bad_name
    assert auth.attempt_login(engine, CONFIG, "anna\x00", PASSWORD, START).bad_name
    # A key of the client throttle cannot be reached by typing it as a name (its control
    # character is stripped or refused).
    auth.attempt_login(engine, CONFIG, auth.client_key("10.0.0.7"), "fel", START)
    assert auth.attempt_login(engine, CONFIG, "x" + auth.client_key("10.0.0.7"), "fel", START).bad_name
    assert sorted(k for k, _ in stored_keys(engine)) == [at_limit, "client:10.0.0.7"]
    # The right name and password still log in.
    assert auth.attempt_login(engine, CONFIG, "Anna", PASSWORD, START).user == "anna"


def test_new_names_from_one_client_slow_down(engine):
    """Each new name has its own free attempts; the client's count stops the guessing."""
    results = [
        auth.attempt_login(engine, CONFIG, f"namn{i}", "fel", START, client="192.0.2.1")
        for i in range(auth.CLIENT_FREE_ATTEMPTS + 5)
    ]
    checked = [r for r in results if not r.throttled]
    assert len(checked) == auth.CLIENT_FREE_ATTEMPTS
    assert all(r.throttled for r in results[auth.CLIENT_FREE_ATTEMPTS + 1 :])
    # Another client is not slowed down by this one, and logs in.
    assert auth.attempt_login(engine, CONFIG, "anna", PASSWORD, START, client="192.0.2.2").user == "anna"
    # The throttled client may try again once its wait is over.
    wait = results[-1].wait_seconds
    assert wait > 0
    later = START + dt.timedelta(seconds=wait)
    assert auth.attempt_login(engine, CONFIG, "anna", PASSWORD, later, client="192.0.2.1").user == "anna"
    # A right password clears the client's count.
    assert auth.client_key("192.0.2.1") not in dict(stored_keys(engine))


def test_the_login_form_says_a_name_is_too_long(tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from kommunkarta import paths

    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=60)
    at.secrets["editing"] = {"users": {"Anna": auth.hash_password(PASSWORD)}}
    at.run()
    at.switch_page("app_pages/edit.py").run()
    at.text_input(key="kk_login_user").input("a" * 100_000)
    at.text_input(key="kk_login_password").input("fel")
    next(b for b in at.button if b.label == "Logga in").click().run()
    st.cache_data.clear()
    st.cache_resource.clear()
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"Användarnamnet kan inte tas emot: högst {limits.LOGIN_NAME_CHARS} tecken och inga styrtecken."
    ]
    assert "kk_editor" not in at.session_state
