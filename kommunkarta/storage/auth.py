"""Who may edit: a user name with a password whose Argon2 hash is in the secrets, or
Streamlit's OIDC login (``st.login``) for addresses the secrets allow.

Failed logins are counted per user name in the database, so that guessing slows
down for every process of a shared deployment: after ``FREE_ATTEMPTS`` failures
each further attempt must wait twice as long as the one before, up to
``MAX_WAIT_SECONDS``. They are counted per client (its address) as well, in the same
table under a key no user name can have, so that trying many names from one place
slows down too: after ``limits.LOGIN_FAILURES_PER_CLIENT`` failures. A name longer than
``limits.LOGIN_NAME_CHARS`` or with control characters is refused before anything is
stored or looked up.

Secrets (``.streamlit/secrets.toml``)::

    [editing.users]
    anna = "$argon2id$v=19$..."        # kommunkarta hash-password

    [editing]
    oidc_editors = ["anna@ljusdal.se", "@regiondalarna.se"]   # with an [auth] section
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from .. import limits
from . import db

FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300
CLIENT_FREE_ATTEMPTS = limits.LOGIN_FAILURES_PER_CLIENT
# The throttle's key for a client: a control character starts it, which no accepted
# user name has.
CLIENT_KEY = "\x1fclient:"
CLIENT_CHARS = 64  # of an address kept as a key
PASSWORD_CHARS = 1_000  # a longer password is refused unchecked (Argon2 would hash it all)

_hasher = PasswordHasher()
# Checked against when the user name is unknown, so that a wrong name takes as long
# as a wrong password and does not tell which names exist.
_UNKNOWN_USER_HASH = _hasher.hash("kommunkartan: no such user")


@dataclass(frozen=True)
class EditingConfig:
    passwords: dict[str, str]  # user name -> Argon2 hash
    oidc: bool  # an [auth] section: st.login is available
    oidc_editors: tuple[str, ...]  # addresses, or "@domain", that may edit after st.login

    @property
    def enabled(self) -> bool:
        return bool(self.passwords) or (self.oidc and bool(self.oidc_editors))


def editing_config(secrets: Mapping) -> EditingConfig:
    editing = secrets.get("editing") or {}
    passwords = {str(name).strip().casefold(): str(h) for name, h in dict(editing.get("users") or {}).items()}
    editors = tuple(str(e).strip().casefold() for e in editing.get("oidc_editors") or [])
    return EditingConfig(passwords, "auth" in secrets, editors)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def oidc_may_edit(config: EditingConfig, email: str | None) -> bool:
    email = (email or "").strip().casefold()
    if not email or not config.oidc:
        return False
    return any(
        email == allowed or (allowed.startswith("@") and email.endswith(allowed)) for allowed in config.oidc_editors
    )


def wait_after(failures: int, free: int = FREE_ATTEMPTS) -> float:
    """Seconds a user name (or, with ``free`` = CLIENT_FREE_ATTEMPTS, a client) must wait
    after this many failures in a row."""
    if failures < free:
        return 0.0
    return float(min(MAX_WAIT_SECONDS, 2 ** (failures - free + 1)))


def _free(key: str) -> int:
    return CLIENT_FREE_ATTEMPTS if key.startswith(CLIENT_KEY) else FREE_ATTEMPTS


def client_key(client: str) -> str:
    return CLIENT_KEY + str(client)[:CLIENT_CHARS]


def name_is_acceptable(name: str) -> bool:
    """A login name that may be looked up: short, and no control characters."""
    return 0 < len(name) <= limits.LOGIN_NAME_CHARS and name.isprintable()


@dataclass(frozen=True)
class LoginResult:
    user: str | None  # the logged-in user name; None if refused
    wait_seconds: float = 0.0  # until the next attempt for this name is checked
    throttled: bool = False  # refused without checking the password: too soon
    bad_name: bool = False  # refused unchecked: the name is too long or has control characters


def attempt_login(
    engine: Engine,
    config: EditingConfig,
    user: str,
    password: str,
    now: dt.datetime | None = None,
    client: str | None = None,
) -> LoginResult:
    """Check a password, at the pace the throttle allows. Every attempt first counts
    itself, as a failure, in one UPDATE whose WHERE clause is the throttle: an attempt
    that comes too soon changes nothing and is refused unchecked. The database applies
    the UPDATEs of parallel attempts one after the other, each seeing the last one's
    count, so 30 attempts at once are 30 counted attempts of which FREE_ATTEMPTS are
    checked; a right password then clears the count. With ``client`` (the visitor's
    address) the attempt is counted for the client first, so that new names from one
    client slow down as well."""
    now = now or dt.datetime.now(dt.UTC)
    keys = [client_key(client)] if client else []
    # Nothing of an unacceptable name is stored or looked up; the client's count still grows.
    name = user.strip().casefold()[: limits.LOGIN_NAME_CHARS + 1]
    acceptable = name_is_acceptable(name) and len(password) <= PASSWORD_CHARS
    keys += [name] if acceptable else []
    for key in keys:
        if _count_attempt(engine, key, now) is None:
            return LoginResult(None, _remaining(engine, key, now), throttled=True)
    if not acceptable:
        return LoginResult(None, bad_name=True)
    if _verify(config.passwords.get(name), password):
        with engine.begin() as connection:
            connection.execute(delete(db.LoginFailure).where(db.LoginFailure.user.in_(keys)))
        return LoginResult(name)
    with engine.connect() as connection:
        failures = connection.execute(
            select(db.LoginFailure.failures).where(db.LoginFailure.user == name)
        ).scalar_one_or_none()
    return LoginResult(None, wait_after(failures or 0))


def _remaining(engine: Engine, key: str, now: dt.datetime) -> float:
    """Seconds until the throttle lets the next attempt for ``key`` through."""
    with engine.connect() as connection:
        row = connection.execute(select(db.LoginFailure).where(db.LoginFailure.user == key)).mappings().first()
    if not row:
        return 0.0
    wait = wait_after(row["failures"], _free(key))
    return max((db.as_utc(row["last_at"]) + dt.timedelta(seconds=wait) - now).total_seconds(), 0.0)


def _allowed(now: dt.datetime, free: int = FREE_ATTEMPTS):
    """The throttle as a condition on the stored row: fewer than ``free`` failures,
    or the last attempt longer ago than the wait for the count."""
    condition = db.LoginFailure.failures < free
    failures = free
    while wait_after(failures, free) < MAX_WAIT_SECONDS:
        since = now - dt.timedelta(seconds=wait_after(failures, free))
        condition = or_(condition, and_(db.LoginFailure.failures == failures, db.LoginFailure.last_at <= since))
        failures += 1
    since = now - dt.timedelta(seconds=MAX_WAIT_SECONDS)
    return or_(condition, and_(db.LoginFailure.failures >= failures, db.LoginFailure.last_at <= since))


def _count_attempt(engine: Engine, name: str, now: dt.datetime) -> int | None:
    """Count an attempt if the throttle lets it through: the new count, or None."""
    for _ in range(3):  # a parallel first attempt may insert the row between our statements
        try:
            with engine.begin() as connection:
                counted = connection.execute(
                    update(db.LoginFailure)
                    .where(db.LoginFailure.user == name, _allowed(now, _free(name)))
                    .values(failures=db.LoginFailure.failures + 1, last_at=now)
                    .returning(db.LoginFailure.failures)
                ).scalar_one_or_none()
                if counted is not None:
                    return counted
                exists = connection.execute(
                    select(db.LoginFailure.user).where(db.LoginFailure.user == name)
                ).scalar_one_or_none()
                if exists is not None:
                    return None  # too soon
                connection.execute(insert(db.LoginFailure).values(user=name, failures=1, last_at=now))
                return 1
        except IntegrityError:
            continue
    raise RuntimeError("could not count the login attempt")


def _verify(stored_hash: str | None, password: str) -> bool:
    try:
        _hasher.verify(stored_hash or _UNKNOWN_USER_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return stored_hash is not None
