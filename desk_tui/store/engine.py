"""Engines and sessions: SQLite tuned for durable multi-process writes, or PostgreSQL.

SQLite follows PITFALLS.md: the driver's own transaction handling is switched off and we
emit BEGIN ourselves, BEGIN IMMEDIATE for sessions that write, so a writer takes the lock
up front and waits (busy timeout) instead of failing with "database is locked".
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, create_engine, make_url
from sqlmodel import Session

DEFAULT_BUSY_TIMEOUT_MS = 10_000
# BEGIN IMMEDIATE is tried again until this many busy timeouts have passed: SQLite's busy
# handler is not fair, so under a burst one writer can lose every race for a while.
BEGIN_ATTEMPT_WINDOW = 3
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_IMMEDIATE = "desk_sqlite_immediate"  # execution option read by the begin listener
_POSTGRES_SCHEMES = {"postgres", "postgresql", "postgresql+psycopg"}


class UnsupportedDatabase(ValueError):
    """A database URL for an engine desk does not support."""


class ReadOnlySessionError(RuntimeError):
    """A read session was asked to write."""


def database_url(url: str | URL) -> URL:
    """Parse and normalise: `postgresql://` and `postgres://` use psycopg 3; a SQLite
    path gets `~` expanded."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in _POSTGRES_SCHEMES:
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in {"sqlite", "sqlite+pysqlite"}:
        path = _sqlite_path(parsed)
        return parsed if path is None else parsed.set(database=str(path))
    raise UnsupportedDatabase(
        f"desk supports sqlite:///PATH and postgresql://... URLs, not {parsed.drivername!r}"
        f" ({mask_url(parsed)})"
    )


def mask_url(url: str | URL) -> str:
    """The URL with any password replaced by ***."""
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.render_as_string(hide_password=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(
    url: str | URL, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, echo: bool = False
) -> Engine:
    """An engine for a SQLite file (its folder is created) or a PostgreSQL database."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, busy_timeout_ms, echo)
    return create_engine(
        parsed,
        echo=echo,
        pool_pre_ping=True,
        connect_args={"application_name": "desk", "connect_timeout": 10},
    )


@contextmanager
def write_session(engine: Engine, actor: Any = None) -> Iterator[Session]:
    """A session for one use case that writes: BEGIN IMMEDIATE on SQLite, commit on
    success, rollback on any exception. Its writes land in the audit trail (store/audit.py)
    as `actor`'s (anything with an id and a login), else as the operator `require()` last
    checked in this session, else as "system"."""
    from desk_tui.store import audit

    audit.install()
    audit.begin_session()
    try:
        with Session(immediate(engine), expire_on_commit=False) as session:
            if actor is not None:
                session.info["actor"] = audit.AuditActor(actor.id, actor.login)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
    finally:
        audit.end_session(engine)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session that only reads: one consistent snapshot, ended without commit; an ORM
    flush raises, and on PostgreSQL the transaction itself is READ ONLY. Closing (not
    rolling back) leaves loaded objects readable, detached."""
    from desk_tui.store import audit

    bind = engine if is_sqlite(engine) else engine.execution_options(postgresql_readonly=True)
    audit.begin_session()
    try:
        with Session(bind, autoflush=False) as session:
            event.listen(session, "before_flush", _refuse_flush)
            yield session
    finally:
        audit.end_session(engine)  # refusals met while reading are written now


def immediate(engine: Engine) -> Engine:
    """The engine whose transactions start with BEGIN IMMEDIATE on SQLite (for Core
    writers outside a session, e.g. migrations); the engine itself elsewhere."""
    return engine.execution_options(**{_IMMEDIATE: True}) if is_sqlite(engine) else engine


def _refuse_flush(session: Session, *_: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlySessionError("this is a read session; write in write_session()")


def _sqlite_path(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().absolute()


def _sqlite_engine(url: URL, busy_timeout_ms: int, echo: bool) -> Engine:
    path = _sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # No implicit BEGIN from the driver; the begin listener below sends ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # busy_timeout first: switching to WAL itself may wait for another process.
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if _wal_wanted(cursor):
                cursor.execute("PRAGMA journal_mode = WAL")
            # FULL: an acknowledged commit survives power loss (NORMAL may lose the last).
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(_IMMEDIATE, False):
            _begin_immediate(connection, busy_timeout_ms * BEGIN_ATTEMPT_WINDOW / 1000)
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def _wal_wanted(cursor: Any) -> bool:
    """WAL for a new file or a desk database not in WAL yet; never for another program's
    database, whose file header the switch would rewrite (desk only refuses to use it)."""
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return False
    if cursor.execute("PRAGMA page_count").fetchone()[0] == 0:
        return True
    ours = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    return cursor.execute(ours).fetchone() is not None


def _begin_immediate(connection: Any, window_seconds: float) -> None:
    """BEGIN IMMEDIATE, tried again while the database stays busy (each try waits up to
    the busy timeout) until `window_seconds` have passed; nothing has happened in the
    transaction yet, so a retry is safe. The last try goes through SQLAlchemy, so a
    failure surfaces as its OperationalError like any other."""
    import sqlite3

    raw = connection.connection.driver_connection
    deadline = time.monotonic() + window_seconds
    pause = 0.005
    while time.monotonic() < deadline:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", 0) & 0xFF not in (_SQLITE_BUSY, _SQLITE_LOCKED):
                break  # not a matter of waiting: let SQLAlchemy raise it below
            time.sleep(random.uniform(0, pause))  # jitter: waiting writers do not collide
            pause = min(pause * 2, 0.1)
    connection.exec_driver_sql("BEGIN IMMEDIATE")


# -- failures an operator can act on --------------------------------------------------------
_SQLITE_REASONS = {
    3: "desk may not open the database file (file or folder permissions)",  # PERM
    _SQLITE_BUSY: "the database is busy: another program kept it locked for writing;"
                  " try again",
    _SQLITE_LOCKED: "the database is busy: another program kept it locked for writing;"
                    " try again",
    8: "the database is read-only for desk (file or folder permissions, or a read-only"
       " disk); nothing can be saved",  # READONLY
    10: "the database file could not be read or written (an input/output error of the"
        " disk)",  # IOERR
    11: "the database file is damaged (SQLite reports it corrupt); desk changes nothing in"
        " it: restore it from a backup",  # CORRUPT
    13: "the disk holding the database is full; free space and try again",  # FULL
    14: "the database file cannot be opened (a missing folder, or no permission)",  # CANTOPEN
    26: "this file is not an SQLite database (another program's file, or damaged); desk"
        " changes nothing in it",  # NOTADB
}
_POSTGRES_REASONS = {
    "53100": "the disk of the database server is full; try again once it has space",
    "53200": "the database server is out of memory; try again",
    "25006": "the database is read-only (a standby, or a read-only transaction);"
             " nothing can be saved",
    "40P01": "two saves blocked each other on the database server; try again",
    "40001": "another save got in between on the database server; try again",
    "55P03": "the database is busy: a record is locked by another operator; try again",
    "57P03": "the database server is starting up or shutting down; try again shortly",
    "XX001": "the database server reports damaged data; ask its administrator",
    "XX002": "the database server reports a damaged index; ask its administrator",
}


def storage_failure(error: BaseException | None) -> str | None:
    """A one-line reason an operator can act on for a failure of the database itself
    (disk full, read-only, damaged, not a database, busy, unreachable); None when
    `error` is something else. Looks through SQLAlchemy's wrapper to the driver's error."""
    import sqlite3

    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, sqlite3.Error):
            code = getattr(error, "sqlite_errorcode", None)
            if code is not None and code & 0xFF in _SQLITE_REASONS:
                return _SQLITE_REASONS[code & 0xFF]
            return None
        sqlstate = getattr(error, "sqlstate", None)
        if isinstance(sqlstate, str) and type(error).__module__.startswith("psycopg"):
            if sqlstate in _POSTGRES_REASONS:
                return _POSTGRES_REASONS[sqlstate]
            if sqlstate.startswith("08"):
                return "the connection to the database server was lost; try again"
            return None
        if type(error).__module__.startswith("psycopg") and type(error).__name__ in (
            "OperationalError", "InterfaceError"
        ):
            # No SQLSTATE: the server could not be reached at all.
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            return f"the database server cannot be reached ({first})"
        error = getattr(error, "orig", None) or error.__cause__
    return None
