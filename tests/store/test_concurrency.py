"""Several processes writing one database: every write lands, none sees "locked"."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from desk_tui.store.engine import make_engine, read_session, write_session
from desk_tui.store.models import OutboxMessage
from desk_tui.store.numbers import ReferenceKind, next_number

PROCESSES = 3
ROWS = 100


def _write_rows(url: str, worker: int) -> list[str]:
    """In a child process: ROWS write sessions, each reading a counter and then inserting."""
    engine = make_engine(url)
    errors: list[str] = []
    try:
        for index in range(ROWS):
            try:
                with write_session(engine) as session:
                    number = next_number(session, ReferenceKind.CALL, "main", 2026)
                    session.add(
                        OutboxMessage(
                            dedupe_key=f"number-{number}",
                            recipient=f"worker{worker}@example.org",
                            subject=f"row {index}",
                            body="",
                        )
                    )
            except OperationalError as error:
                errors.append(str(error.orig))
    finally:
        engine.dispose()
    return errors


def test_three_processes_write_300_rows_without_locking_errors(store: Engine, db_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=PROCESSES, mp_context=context) as pool:
        results = list(pool.map(_write_rows, [db_url] * PROCESSES, range(PROCESSES)))
    assert [error for errors in results for error in errors] == []
    with read_session(store) as session:
        count = session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()
        keys = set(session.execute(select(OutboxMessage.dedupe_key)).scalars())
    assert count == PROCESSES * ROWS
    assert keys == {f"number-{n}" for n in range(1, PROCESSES * ROWS + 1)}
