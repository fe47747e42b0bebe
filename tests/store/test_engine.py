"""Engines: SQLite durability settings and write locking, PostgreSQL URLs, sessions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from desk_tui.store.engine import (
    ReadOnlySessionError,
    UnsupportedDatabase,
    database_url,
    make_engine,
    mask_url,
    read_session,
    write_session,
)
from desk_tui.store.migrate import upgrade_database
from desk_tui.store.models import NumberSequence, Organisation

from .factories import add_organisation


def _statements(engine: Engine) -> list[str]:
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    return seen


def test_sqlite_pragmas_are_in_force_on_every_connection(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 10_000
    finally:
        engine.dispose()


def test_sqlite_file_and_its_folder_are_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "desk.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with write_session(engine) as session:
            session.execute(select(1))
    finally:
        engine.dispose()
    assert path.is_file()


def test_write_session_begins_immediate_and_waits_for_the_lock(sqlite_url: str) -> None:
    upgrade_database(sqlite_url)
    holder = make_engine(sqlite_url)
    waiter = make_engine(sqlite_url, busy_timeout_ms=200)
    statements = _statements(waiter)
    try:
        with write_session(holder) as session:
            session.add(NumberSequence(name="held", value=1))
            session.flush()  # holds the write lock until the block ends
            started = time.monotonic()
            with pytest.raises(OperationalError, match="locked"), write_session(waiter) as other:
                # Only a read: a deferred BEGIN would not wait here; BEGIN IMMEDIATE does.
                other.execute(select(func.count()).select_from(NumberSequence))
            waited = time.monotonic() - started
        assert "BEGIN IMMEDIATE" in statements
        assert waited >= 0.15
        with write_session(waiter) as other:  # the lock is free again
            other.add(NumberSequence(name="after", value=1))
    finally:
        holder.dispose()
        waiter.dispose()


def test_sqlite_reader_is_not_blocked_by_a_writer(sqlite_url: str) -> None:
    upgrade_database(sqlite_url)
    writer = make_engine(sqlite_url)
    reader = make_engine(sqlite_url, busy_timeout_ms=200)
    statements = _statements(reader)
    try:
        with write_session(writer) as session:
            session.add(NumberSequence(name="uncommitted", value=1))
            session.flush()
            with read_session(reader) as snapshot:
                names = snapshot.execute(select(NumberSequence.name)).scalars().all()
        assert names == []  # WAL: the reader sees the last commit and does not wait
        assert "BEGIN" in statements and "BEGIN IMMEDIATE" not in statements
    finally:
        writer.dispose()
        reader.dispose()


def test_write_session_commits_on_success_and_rolls_back_on_error(store: Engine) -> None:
    with write_session(store) as session:
        add_organisation(session, "ALM")
    with pytest.raises(RuntimeError), write_session(store) as session:
        add_organisation(session, "HLM")
        raise RuntimeError("operator pressed escape")
    with read_session(store) as session:
        codes = session.execute(select(Organisation.code)).scalars().all()
    assert codes == ["ALM"]


def test_read_session_refuses_orm_writes(store: Engine) -> None:
    with pytest.raises(ReadOnlySessionError), read_session(store) as session:
        add_organisation(session)


def test_postgresql_read_session_is_a_read_only_transaction(postgresql_url: str) -> None:
    engine = make_engine(postgresql_url)
    try:
        upgrade_database(engine)
        with pytest.raises(DBAPIError, match="read-only"), read_session(engine) as session:
            session.execute(insert(NumberSequence).values(name="x", value=1))
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://desk@db.example/desk", "postgresql+psycopg"),
        ("postgres://desk@db.example/desk", "postgresql+psycopg"),
        ("postgresql+psycopg://desk@db.example/desk", "postgresql+psycopg"),
        ("sqlite:///tmp/desk.sqlite3", "sqlite"),
    ],
)
def test_database_urls_are_normalised(given: str, driver: str) -> None:
    assert database_url(given).drivername == driver


def test_sqlite_path_expands_home() -> None:
    assert database_url("sqlite:///~/desk.sqlite3").database == str(Path.home() / "desk.sqlite3")


def test_unsupported_database_is_refused_with_the_reason() -> None:
    with pytest.raises(UnsupportedDatabase, match="mysql"):
        make_engine("mysql://desk:secret@db.example/desk")


def test_mask_url_hides_the_password() -> None:
    shown = mask_url(database_url("postgresql://desk:s3cret@db.example:5432/desk"))
    assert "s3cret" not in shown
    assert shown == "postgresql+psycopg://desk:***@db.example:5432/desk"
