"""Benchmark desk's storage on a 100k-call demo database, on SQLite and on PostgreSQL.

Why: an operator's save is one durable transaction (BEGIN IMMEDIATE, synchronous=FULL on
SQLite), and the queue is read on every refresh; both must stay quick when years of closed
calls sit next to the few hundred open ones. This prints:
  - the time to build the demo (`desk demo` without the progress bar);
  - registrations per second through the real service, `register_call`, each in its own
    `write_session` (what pressing "save" at intake does);
  - `open_queue` latency, median and p95, with the default filter, a text filter and the
    "breached" filter.
PostgreSQL runs in a throw-away database on $DESK_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/test) and is skipped, with the reason, when that
server cannot be reached. Figures are reported, never failed.

Run from the repository root: `.venv/bin/python bench/store.py` (or `make bench`).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.engine import URL, Engine
from throwaway_pg import postgres_database  # bench/ is on the path

from desk_tui.demo.build import build_demo
from desk_tui.demo.options import DEFAULT_SEED, DemoOptions
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.calls import CallDraft, register_call
from desk_tui.services.queries import QueueFilter, actor_for, open_queue
from desk_tui.store.engine import make_engine, mask_url, read_session, write_session
from desk_tui.store.models import Call, Category, Organisation, Person

CALLS = 100_000
CIS = 10_000
PEOPLE = 400
REGISTRATIONS = 300
QUERY_RUNS = 30
ZONE = ZoneInfo("Europe/Amsterdam")
QUERIES: tuple[tuple[str, QueueFilter], ...] = (
    ("default filter", QueueFilter()),
    ('text "printer"', QueueFilter(text="printer")),
    ("breached", QueueFilter(breached=True)),
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(action: Callable[[], object], runs: int) -> tuple[list[float], object]:
    """Seconds per run (after one warm-up run) and the last result."""
    result = action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return times, result


def build(engine: Engine, sla: SlaEngine, now: datetime) -> None:
    from desk_tui.store.migrate import upgrade_database

    upgrade_database(engine)
    options = DemoOptions(calls=CALLS, cis=CIS, people=PEOPLE, seed=DEFAULT_SEED, now=now)
    report = build_demo(engine, sla, options)
    history = report.counts.get("call_history", 0)
    print(f"  build demo              {report.seconds:7.1f} s   ({CALLS:,} calls,"
          f" {report.open_calls} open, {history:,} history rows, {CIS:,} CIs)")


def register(engine: Engine, sla: SlaEngine) -> None:
    """One service call per registration, each in its own durable transaction."""
    with read_session(engine) as session:
        actor = actor_for(session, "agent")
        callers = session.execute(
            select(Person.id, Person.organisation_id)
            .join(Organisation, Organisation.id == Person.organisation_id)
            .where(Organisation.active.is_(True))
            .order_by(Person.id)
            .limit(REGISTRATIONS)
        ).all()
        category = session.execute(
            select(Category.id).where(Category.name == "Printen en scannen")
        ).scalar_one()
    latencies = []
    started = time.perf_counter()
    for index in range(REGISTRATIONS):
        caller_id, organisation_id = callers[index % len(callers)]
        draft = CallDraft(
            organisation_id=organisation_id, call_type=CallType.STORING,
            subject=f"Printer 2e verdieping geeft papierstoring ({index})",
            caller_id=caller_id, category_id=category, impact=Level.LAAG, urgency=Level.MIDDEN,
            description="Papierstoring in lade 2; papier is opnieuw geplaatst.",
        )
        begun = time.perf_counter()
        with write_session(engine) as session:
            register_call(session=session, actor=actor, sla=sla, draft=draft,
                          now=datetime.now(ZONE))
        latencies.append(time.perf_counter() - begun)
    elapsed = time.perf_counter() - started
    print(f"  register_call           {REGISTRATIONS / elapsed:7.1f} /s  ({REGISTRATIONS}"
          f" registrations, one write_session each: median"
          f" {statistics.median(latencies) * 1000:.1f} ms, p95"
          f" {percentile(latencies, 0.95) * 1000:.1f} ms)")


def queue(engine: Engine, sla: SlaEngine) -> None:
    with read_session(engine) as session:
        open_calls = session.execute(
            select(func.count()).select_from(Call)
            .where(Call.status.in_(("geregistreerd", "in-behandeling", "wacht")))
        ).scalar_one()
        actor = actor_for(session, "agent")
    print(f"  open calls              {open_calls:7d}")
    for label, query in QUERIES:
        def run(query: QueueFilter = query) -> object:
            with read_session(engine) as session:
                return open_queue(session=session, actor=actor, sla=sla,
                                  now=datetime.now(ZONE), query=query)

        times, rows = timed(run, QUERY_RUNS)
        print(f"  open_queue {label:<16} median {statistics.median(times) * 1000:6.1f} ms,"
              f" p95 {percentile(times, 0.95) * 1000:6.1f} ms  ({len(rows)} rows,"  # type: ignore[arg-type]
              f" {QUERY_RUNS} runs)")


def bench(label: str, url: str | URL, sla: SlaEngine) -> None:
    print(f"{label}: {mask_url(url)}")
    engine = make_engine(url)
    try:
        build(engine, sla, datetime.now(ZONE).replace(microsecond=0) - timedelta(seconds=1))
        queue(engine, sla)
        register(engine, sla)
    finally:
        engine.dispose()


def main() -> int:
    sla = SlaEngine(build_calendars())
    print(f"desk storage benchmark: {CALLS:,}-call demo (seed {DEFAULT_SEED}), {CIS:,} CIs,"
          f" {PEOPLE} people; {REGISTRATIONS} registrations; {QUERY_RUNS} queue reads each")
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as folder:
        path = Path(folder) / "bench.sqlite3"
        bench("SQLite", f"sqlite:///{path}", sla)
        print(f"  database file           {path.stat().st_size / 2**20:7.0f} MiB")
    with postgres_database("desk_bench") as target:
        if isinstance(target, str):
            print(f"PostgreSQL: skipped ({target})")
        else:
            bench("PostgreSQL", target, sla)
    return 0


if __name__ == "__main__":
    sys.exit(main())
