"""Many processes registering calls on one database at once, through the Desk facade as
the console does: every call is stored, numbered without gaps or doubles, and no error
("database is locked", a deadlock, a duplicate number) reaches an operator.

tests/store/test_concurrency.py proves the number counter on its own; this proves whole
registrations (counter, call, history, links, mail, evaluation) under contention.
DESK_RELIABILITY_CALLS sets the calls per writer on PostgreSQL (default 125, so 16
writers store the same 2,000 as SQLite's 4 × 500 within the suite's time budget;
500 there is the full 8,000).
"""

from __future__ import annotations

import os
import queue
import time

import pytest
from sqlalchemy.engine import Engine

from desk_tui.domain.sla import SlaEngine
from tests.reliability.checks import half_written, stored_references
from tests.reliability.writers import WriterResult, cast_of, fork_server, register_many
from tests.world import build_world

SQLITE_WRITERS, SQLITE_CALLS = 4, 500
POSTGRES_WRITERS = 16
POSTGRES_CALLS = int(os.environ.get("DESK_RELIABILITY_CALLS", "125"))
RESULT_TIMEOUT = 300.0


def _run_writers(url: str, world, writers: int, calls: int) -> tuple[list[WriterResult], float]:
    context = fork_server()
    cast = cast_of(world, url)
    start = context.Barrier(writers + 1)
    results = context.Queue()
    processes = [
        context.Process(target=register_many, args=(cast, n, calls, start, results),
                        daemon=True)
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    start.wait(timeout=60)
    began = time.perf_counter()
    collected: list[WriterResult] = []
    try:
        for _ in processes:
            collected.append(results.get(timeout=RESULT_TIMEOUT))
    except queue.Empty:
        codes = [process.exitcode for process in processes]
        raise AssertionError(f"writers did not finish; exit codes {codes}") from None
    finally:
        for process in processes:
            process.join(10)
    return collected, time.perf_counter() - began


@pytest.mark.parametrize(
    ("backend", "writers", "calls"),
    [("sqlite", SQLITE_WRITERS, SQLITE_CALLS), ("postgresql", POSTGRES_WRITERS, POSTGRES_CALLS)],
)
def test_concurrent_writers_store_every_call_and_see_no_error(
    backend: str, writers: int, calls: int, request: pytest.FixtureRequest, sla: SlaEngine,
) -> None:
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import upgrade_database

    url: str = request.getfixturevalue(f"{backend}_url")
    engine: Engine = make_engine(url)
    try:
        upgrade_database(engine)
        world = build_world(engine, sla)
        results, seconds = _run_writers(url, world, writers, calls)
        errors = [error for result in results for error in result.errors]
        returned = [ref for result in results for ref in result.references]
        stored = stored_references(engine)
        print(f"\n{backend}: {writers} writers x {calls} calls: {len(returned)} returned,"
              f" {len(stored)} stored, {len(errors)} errors, {seconds:.1f} s"
              f" ({len(returned) / seconds:.0f} registrations/s)")
        assert errors == []
        assert len(returned) == len(set(returned)) == writers * calls
        assert stored == set(returned)
        assert half_written(engine) == []
    finally:
        engine.dispose()
