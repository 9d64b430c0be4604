"""Login for editing: password hashes from the secrets, OIDC addresses, and failed
logins slowed down in the database (on SQLite and PostgreSQL)."""

import datetime as dt

from kommunkarta.storage import auth

PASSWORD = "ett långt lösenord"
CONFIG = auth.editing_config({"editing": {"users": {"Anna": auth.hash_password(PASSWORD)}}})
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_config_from_secrets():
    assert not auth.editing_config({}).enabled
    assert CONFIG.enabled and list(CONFIG.passwords) == ["anna"]
    oidc = auth.editing_config(
        {
            "auth": {"redirect_uri": "https://k.se/oauth2callback"},
            "editing": {"oidc_editors": ["Anna@Ljusdal.se", "@regiondalarna.se"]},
        }
    )
    assert oidc.enabled and not oidc.passwords
    assert auth.oidc_may_edit(oidc, "anna@ljusdal.se") and auth.oidc_may_edit(oidc, "Bertil@RegionDalarna.se")
    assert (
        not auth.oidc_may_edit(oidc, "eve@example.se")
        and not auth.oidc_may_edit(oidc, "x@fakeregiondalarna.se.evil")
        and not auth.oidc_may_edit(oidc, None)
    )
    # Addresses alone do not enable editing without an [auth] section for st.login.
    assert not auth.editing_config({"editing": {"oidc_editors": ["anna@ljusdal.se"]}}).enabled


def test_right_password_logs_in_and_names_are_not_case_sensitive(engine):
    assert auth.attempt_login(engine, CONFIG, " ANNA ", PASSWORD, START) == auth.LoginResult("anna")
    assert auth.attempt_login(engine, CONFIG, "anna", PASSWORD.upper(), START).user is None
    assert auth.attempt_login(engine, CONFIG, "okänd", PASSWORD, START).user is None


def test_failed_logins_wait_longer_and_longer(engine):
    now = START
    results = []
    for _ in range(auth.FREE_ATTEMPTS + 2):
        result = auth.attempt_login(engine, CONFIG, "anna", "fel", now)
        results.append(result.wait_seconds)
        now += dt.timedelta(seconds=result.wait_seconds)  # waits exactly as long as told
    assert results == [0, 0, 2, 4, 8]
    # Too soon: refused without checking, even with the right password.
    early = auth.attempt_login(engine, CONFIG, "anna", PASSWORD, now - dt.timedelta(seconds=1))
    assert early.throttled and early.user is None and early.wait_seconds == 1
    # On time, the right password works and the count starts over.
    assert auth.attempt_login(engine, CONFIG, "anna", PASSWORD, now).user == "anna"
    assert auth.attempt_login(engine, CONFIG, "anna", "fel", now).wait_seconds == 0


def test_the_wait_is_capped():
    assert auth.wait_after(50) == auth.MAX_WAIT_SECONDS


def test_hash_password_prints_a_line_for_the_secrets(monkeypatch, capsys):
    import getpass
    import tomllib

    from kommunkarta import cli

    monkeypatch.setattr(getpass, "getpass", lambda prompt="": PASSWORD)
    assert cli.main(["hash-password", "Anna"]) == 0
    printed = capsys.readouterr().out
    secrets = tomllib.loads(printed)
    config = auth.editing_config({"editing": secrets["editing"]})
    assert list(config.passwords) == ["anna"]
    assert auth._verify(config.passwords["anna"], PASSWORD) and not auth._verify(config.passwords["anna"], "fel")

    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "kort")
    assert cli.main(["hash-password", "anna"]) == 2
    assert "minst 12 tecken" in capsys.readouterr().err


# -- smaller: the login throttle counts parallel attempts ------------------------------------------


def test_30_parallel_login_attempts_check_only_the_free_ones(engine, monkeypatch):
    import datetime as dt
    import threading

    import sqlalchemy

    from kommunkarta.storage import auth, db

    config = auth.EditingConfig({"anna": auth.hash_password("rätt lösenord")}, False, ())
    checked = []
    verify = auth._verify
    monkeypatch.setattr(auth, "_verify", lambda *a: checked.append(1) or verify(*a))
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    start = threading.Barrier(30)
    results = []

    def attempt():
        start.wait()
        results.append(auth.attempt_login(engine, config, "anna", "fel lösenord", now))

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 30
    assert len(checked) == auth.FREE_ATTEMPTS
    assert sum(not r.throttled for r in results) == auth.FREE_ATTEMPTS
    with engine.connect() as connection:
        failures = connection.execute(
            sqlalchemy.select(db.LoginFailure.failures).where(db.LoginFailure.user == "anna")
        ).scalar_one()
    assert failures == auth.FREE_ATTEMPTS
    # later, the right password is checked again, and clears the count
    later = now + dt.timedelta(seconds=auth.wait_after(auth.FREE_ATTEMPTS))
    assert auth.attempt_login(engine, config, "anna", "rätt lösenord", later).user == "anna"
