"""A PostgreSQL URL no server can take (issue 19, Low): a user name over PostgreSQL's 63
bytes, or a NUL character, is said to be what it is, by the command line and the page,
never "the database cannot be reached"; valid URLs are taken as before."""

import os

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kommunkarta import paths
from kommunkarta.storage import db

from .conftest import run_cli

LONG = "u" * 201
BAD = {
    "long user": (f"postgresql://{LONG}:pw@127.0.0.1:5432/kommunkarta", "db_name_too_long", "user"),
    "long database": (f"postgresql://anna:pw@127.0.0.1:5432/{'d' * 64}", "db_name_too_long", "database"),
    "escaped NUL in the user": ("postgresql://an%00na:pw@127.0.0.1:5432/kommunkarta", "db_url_nul", "user"),
    "NUL in the password": ("postgresql://anna:p%00w@127.0.0.1:5432/kommunkarta", "db_url_nul", "password"),
    "raw NUL": ("postgresql://an\x00na:pw@127.0.0.1:5432/kommunkarta", "db_url_nul", "URL"),
}


@pytest.mark.parametrize("url, code, part", list(BAD.values()), ids=list(BAD))
def test_urls_no_server_takes_are_refused_by_name(url, code, part):
    with pytest.raises(db.DatabaseURLError) as caught:
        db.make_engine(url)
    assert (caught.value.code, caught.value.params["part"]) == (code, part)
    assert LONG not in str(caught.value) and "pw" not in str(caught.value)  # the part, never its value


def test_valid_urls_are_taken():
    for url in (
        f"postgresql://{'u' * 63}:pw@127.0.0.1:5432/kommunkarta",
        "postgresql+psycopg://anna:lösen@db.example:5432/karta",
        "sqlite:///:memory:",
    ):
        db.check_url(url)
    assert db.make_engine("sqlite:///:memory:").dialect.name == "sqlite"


def test_the_command_line_says_what_is_wrong():
    result = run_cli("db", "upgrade", env={"KOMMUNKARTA_DATABASE_URL": BAD["long user"][0]})
    assert result.returncode == 2
    assert "201 byte" in result.stderr and "63" in result.stderr and "Traceback" not in result.stderr


def test_the_page_says_what_is_wrong(monkeypatch):
    st.cache_resource.clear()
    monkeypatch.setenv("KOMMUNKARTA_DATABASE_URL", BAD["escaped NUL in the user"][0])
    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=60).run()
    st.cache_resource.clear()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "NUL" in errors and "adress" in errors and "går inte att nå" not in errors


@pytest.mark.skipif(not os.environ.get("KOMMUNKARTA_TEST_POSTGRES_URL"), reason="no PostgreSQL server to test against")
def test_a_long_user_name_against_a_server_is_not_unreachable():
    from sqlalchemy.engine import make_url

    url = make_url(os.environ["KOMMUNKARTA_TEST_POSTGRES_URL"]).set(username=LONG)
    with pytest.raises(db.DatabaseURLError):
        db.make_engine(url.render_as_string(hide_password=False))
