"""The database connection of the dashboard (ui/connection.py, app.py): an unreachable
database is said so without its host; and a bad presentation step gets a message."""

from __future__ import annotations

from .support.apptest import all_texts, app

# -- smaller: an unreachable database, a bad presentation step -------------------------------------


def test_an_unreachable_database_says_so_without_its_host(monkeypatch, caplog):
    import streamlit as st

    # a closed port on this machine: refused at once, and nothing leaves the machine
    monkeypatch.setenv("KOMMUNKARTA_DATABASE_URL", "postgresql://kk_user:hemligt@127.0.0.1:1/kommunkarta")
    st.cache_resource.clear()
    try:
        at = app()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert "Databasen går inte att nå just nu" in at.error[0].value
    shown = all_texts(at)
    assert "127.0.0.1" not in shown and "kk_user" not in shown and "hemligt" not in shown
    assert "127.0.0.1" in caplog.text  # for whoever runs it


def test_a_presentation_step_that_is_no_number_gets_a_message():
    at = app(query="step=²")
    at.switch_page("app_pages/present.py").run()
    assert not at.exception
    assert "step=²" in "\n".join(w.value for w in at.warning).replace("\\", "")
    assert "**1 /" in at.markdown[0].value or any("**1 /" in m.value for m in at.markdown)


# -- the secrets: read once while there is no file, read again when one appears ----------------


def test_without_a_secrets_file_streamlit_is_asked_once_until_a_file_appears(tmp_path, monkeypatch):
    import streamlit as st
    from streamlit import config
    from streamlit.runtime.secrets import Secrets

    from kommunkarta.ui import connection

    path = tmp_path / ".streamlit" / "secrets.toml"
    original = config.get_option
    monkeypatch.setattr(config, "get_option", lambda key: [str(path)] if key == "secrets.files" else original(key))
    store = Secrets()
    parses = []
    parse = Secrets._parse
    monkeypatch.setattr(Secrets, "_parse", lambda self: parses.append(1) or parse(self))
    monkeypatch.setattr(st, "secrets", store)
    monkeypatch.setattr(connection, "_no_file", None)

    assert [connection.secrets() for _ in range(5)] == [{}] * 5
    assert len(parses) == 1  # Streamlit looks for the file (under its lock) once, not five times

    path.parent.mkdir()
    path.write_text('[database]\nurl = "sqlite:///elsewhere.sqlite"\n', encoding="utf-8")
    assert connection.secrets() == {"database": {"url": "sqlite:///elsewhere.sqlite"}}

    # A store of its own (AppTest puts one in place) is asked, whatever was seen before.
    given = Secrets()
    object.__setattr__(given, "_secrets", {"tiles": {"url": "http://127.0.0.1/{z}/{x}/{y}.png"}})
    monkeypatch.setattr(st, "secrets", given)
    assert connection.secrets() == {"tiles": {"url": "http://127.0.0.1/{z}/{x}/{y}.png"}}
