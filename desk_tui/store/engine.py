"""Engines and sessions: SQLite tuned for durable multi-process writes, or PostgreSQL.

SQLite follows PITFALLS.md: the driver's own transaction handling is switched off and we
emit BEGIN ourselves, BEGIN IMMEDIATE for sessions that write, so a writer takes the lock
up front and waits (busy timeout) instead of failing with "database is locked".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, create_engine, make_url
from sqlmodel import Session

DEFAULT_BUSY_TIMEOUT_MS = 10_000
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
            cursor.execute("PRAGMA journal_mode = WAL")
            # FULL: an acknowledged commit survives power loss (NORMAL may lose the last).
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine
