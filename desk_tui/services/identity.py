"""Who is at the keyboard: an operator proves their login with their own PIN.

The PIN is kept only as a salted scrypt hash (stdlib hashlib: memory-hard, no extra
dependency, and the console's fast first-queue path can check it without SQLAlchemy).
Five wrong PINs within 15 minutes lock the account for 15 minutes; every refusal is in
the audit trail. An operator without a PIN is let in only where something else already
proved who they are: a SQLite file owned by the OS user running desk (their own laptop
copy: whoever owns the file can change it anyway), or PostgreSQL connected as the
operator's own database role (`[database] role_per_operator`). Anywhere else they are
refused and told how to get a PIN.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from desk_tui.services.errors import InvalidInput, NotFound, ServiceError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from desk_tui.services.access import Actor
    from desk_tui.store.tables import Operator

# scrypt cost: 16 MiB of memory and ~50 ms per try here; stored with each hash so it can
# be raised later without invalidating existing PINs.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
PIN_MIN = 4
PIN_MAX = 128
SIGN_IN = "operator.sign-in"  # the action named in the audit trail's refusals
SET_PIN = "operator.set-pin"


class IdentityRefused(ServiceError, PermissionError):
    """The operator did not prove who they are; the message says why and what to do."""


class PinRequired(IdentityRefused):
    """The account has a PIN and none was given: ask for it (not counted as a failure)."""


class WrongPin(IdentityRefused):
    """The PIN given does not match."""


class LockedOut(IdentityRefused):
    """Too many wrong PINs: the account is locked until `until`."""

    def __init__(self, template: str, until: datetime, /, **params: object):
        super().__init__(template, **params)
        self.until = until


class NoPinSet(IdentityRefused):
    """The account has no PIN, and this database does not know who is connecting."""


# -- hashing (stdlib only: services/first_queue.py checks PINs before SQLAlchemy loads) --
def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """The stored form: scrypt$N$r$p$salt$hash (base64), a fresh random salt each time."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join((
        "scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
        base64.b64encode(salt).decode(), base64.b64encode(digest).decode(),
    ))


def pin_matches(pin: str, stored: str) -> bool:
    """Whether `pin` is the PIN behind `stored`; compared in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(pin, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except ValueError:  # a damaged hash never matches (and never crashes the sign-in)
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # NFC: the same passphrase typed on another keyboard layout gives the same bytes.
    data = unicodedata.normalize("NFC", pin).encode()
    return hashlib.scrypt(data, salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def check_new_pin(pin: str) -> str:
    """The PIN as it will be kept; InvalidInput when it is too short, too long or odd."""
    if len(pin) < PIN_MIN:
        raise InvalidInput("pin", "a PIN has at least {count} characters", count=PIN_MIN)
    if len(pin) > PIN_MAX:
        raise InvalidInput("pin", "a PIN has at most {count} characters", count=PIN_MAX)
    if any(unicodedata.category(ch).startswith("C") for ch in pin):
        raise InvalidInput("pin", "a PIN has no control characters")
    if pin != pin.strip():
        raise InvalidInput("pin", "a PIN does not begin or end with a space")
    return pin


# -- where a PIN-less operator is trusted ----------------------------------------------
def sqlite_file_is_users_own(path: Path) -> bool:
    """The file belongs to the OS user running desk (their laptop copy)."""
    try:
        return path.stat().st_uid == os.getuid()
    except OSError:
        return False


def sign_in(engine: Engine, login: str, pin: str | None, *, now: datetime) -> Actor:
    """The operator `login` once proven by `pin` (or by the trust rule for an account
    without one); IdentityRefused (audited, counted) otherwise, NotFound when unknown.
    Only a wrong PIN, or a right one after wrong ones, writes: a read-only database file
    still lets an identified operator read."""
    from desk_tui.services.queries import actor_for
    from desk_tui.store import audit
    from desk_tui.store.engine import read_session

    trusted = _connection_proves(engine, login)
    with read_session(engine) as session:
        operator = _operator(session, login)
        actor = actor_for(session, login)
        refusal: IdentityRefused | None = None
        locked = operator.locked_until is not None and now < operator.locked_until
        if locked:
            assert operator.locked_until is not None
            refusal = _locked(login, operator.locked_until)
        elif operator.pin_hash is None:
            if not trusted:
                refusal = NoPinSet(
                    "operator {login} has no PIN, and this shared database cannot tell who"
                    " is connecting: an administrator sets one with"
                    " `desk operator set-pin {login}`", login=login,
                )
        elif pin is None:
            raise PinRequired("operator {login} needs their PIN", login=login)  # asked, not counted
        if refusal is not None:
            audit.note_refusal(actor.id, login, SIGN_IN, str(refusal))  # written at close
            raise refusal
        stale = bool(operator.failed_pin_attempts or operator.pin_failures_since
                     or operator.locked_until)
        right = operator.pin_hash is None or pin_matches(pin or "", operator.pin_hash)
    if right:
        if stale:
            _record(engine, login, now, failed=False)
        return actor
    raise _record(engine, login, now, failed=True) or WrongPin("wrong PIN for {login}", login=login)


def _operator(session: Session, login: str, *, for_update: bool = False) -> Operator:
    from sqlalchemy import select

    from desk_tui.store import audit
    from desk_tui.store.tables import Operator

    query = select(Operator).where(Operator.login == login)
    # FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE serialises anyway): wrong PINs tried
    # in parallel are each counted.
    operator = session.execute(
        query.with_for_update() if for_update else query
    ).scalar_one_or_none()
    if operator is None or not operator.active:
        audit.note_refusal(None, login, SIGN_IN, "no active operator with this login")
        raise NotFound("no active operator with login “{login}”", login=login)
    return operator


def _record(engine: Engine, login: str, now: datetime, *, failed: bool) -> IdentityRefused | None:
    """Count a wrong PIN (and lock at the fifth within the window), or clear the count
    after a right one; the refusal to raise for a wrong one, audited."""
    from desk_tui.store import audit
    from desk_tui.store.engine import write_session

    with write_session(engine) as session:
        operator = _operator(session, login, for_update=True)
        audit.act_as(operator.id, operator.login)  # the counter updates are theirs
        if not failed:
            _clear_failures(operator)
            return None
        if operator.locked_until is not None and now >= operator.locked_until:
            _clear_failures(operator)  # the lock has run out: a fresh window
        since = operator.pin_failures_since
        if since is None or now - since >= FAILURE_WINDOW:
            operator.pin_failures_since = now
            operator.failed_pin_attempts = 1
        else:
            operator.failed_pin_attempts += 1
        refusal: IdentityRefused
        if operator.locked_until is not None:  # locked meanwhile by a parallel attempt
            refusal = _locked(login, operator.locked_until)
        elif operator.failed_pin_attempts >= MAX_FAILURES:
            operator.locked_until = now + LOCKOUT
            refusal = _locked(login, operator.locked_until)
        else:
            left = MAX_FAILURES - operator.failed_pin_attempts
            refusal = WrongPin("wrong PIN for {login}; {left} more wrong within 15 minutes"
                               " locks the account", login=login, left=left)
        audit.note_refusal(operator.id, login, SIGN_IN, str(refusal))
    return refusal


def _locked(login: str, until: datetime) -> LockedOut:
    from zoneinfo import ZoneInfo

    local = until.astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%H:%M")
    return LockedOut(
        "operator {login} is locked after {count} wrong PINs until {time}; "
        "an administrator can set a new PIN sooner", until,
        login=login, count=MAX_FAILURES, time=local,
    )


def _clear_failures(operator: Operator) -> None:
    operator.failed_pin_attempts = 0
    operator.pin_failures_since = None
    operator.locked_until = None


def _connection_proves(engine: Engine, login: str) -> bool:
    """Whether the database connection itself establishes that `login` is at the keyboard."""
    from sqlalchemy import text

    url = engine.url
    if url.get_backend_name() == "sqlite":
        database = url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return True  # private to this process
        return sqlite_file_is_users_own(Path(database))
    if url.get_backend_name() == "postgresql":
        with engine.connect() as connection:
            role = connection.execute(text("SELECT current_user")).scalar_one()
        return role == login  # role_per_operator: the server authenticated this role
    return False


def set_pin(engine: Engine, actor: Actor, login: str, pin: str) -> None:
    """Give `login` a new PIN (and lift a lockout). An operator sets their own once they
    are signed in (with their old PIN, if they had one); anyone else's needs role.manage,
    the administrator's right to manage access."""
    from sqlalchemy import select

    from desk_tui.services.access import Action, require
    from desk_tui.store.engine import write_session
    from desk_tui.store.tables import Operator

    check_new_pin(pin)
    stored = hash_pin(pin)
    with write_session(engine) as session:
        if login != actor.login:
            require(actor, Action.ROLE_MANAGE)
        else:
            from desk_tui.store import audit

            audit.act_as(actor.id, actor.login)
        operator = session.execute(
            select(Operator).where(Operator.login == login)
        ).scalar_one_or_none()
        if operator is None:
            raise NotFound("no operator with login “{login}”", login=login)
        operator.pin_hash = stored
        _clear_failures(operator)
