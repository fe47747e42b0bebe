"""Monthly reports (SPEC 9) over a 100k-call demo database: time per report for one
participant and for all of them, the statements each sends, and the 12-month series the
console's reports screen plots.

Why: the reports screen computes these in a worker while a manager waits, and the CLI
writes them for the monthly meeting; a report that takes seconds, or whose statements
grow with the number of calls (N+1), shows up here. Reports over ~2 s get their query
plans printed.

The SQLite database is the one bench/ui.py keeps ($TMPDIR/desk-bench/ui-100k-<schema
revision>.sqlite3, `desk demo --calls 100000 --cis 100000`, built on first use);
DESK_BENCH_DB=sqlite:///… uses another. `--postgresql` also copies the demo into a
throw-away PostgreSQL database (bench/throwaway_pg.py; a few minutes) and times it there.
The month reported is the last full month of the demo. Figures are reported, never
failed.

Run from the repository root: `.venv/bin/python bench/reports.py [--postgresql]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.engine import URL, Engine
from throwaway_pg import postgres_database  # bench/ is on the path

from desk_tui.demo.staff import DEMO_PIN  # the demo operators' PIN
from desk_tui.store.revision import HEAD_REVISION

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "desk-bench"
DEFAULT_FILE = CACHE / f"ui-100k-{HEAD_REVISION}.sqlite3"
CALLS = 100_000
RUNS = 3
SLOW_SECONDS = 2.0
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class StatementCounter:
    """Counts the statements an engine sends (transaction control left out)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self.recent: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, parameters: Any,
              _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith(_CONTROL):
            return
        self.count += 1
        self.recent.append((statement, parameters))

    def reset(self) -> None:
        self.count = 0
        self.recent = []


def sqlite_url() -> str:
    configured = os.environ.get("DESK_BENCH_DB")
    if configured:
        return configured
    if not DEFAULT_FILE.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print("  building the 100k-call demo database (once) …", flush=True)
        partial = DEFAULT_FILE.with_suffix(".building")
        subprocess.run(
            [sys.executable, "-m", "desk_tui", "demo", "--calls", str(CALLS), "--cis",
             str(CALLS)],
            env={**os.environ, "DESK_DATABASE_URL": f"sqlite:///{partial}"}, check=True,
            cwd=ROOT,
        )
        partial.rename(DEFAULT_FILE)
    return f"sqlite:///{DEFAULT_FILE}"


def timed(job: Callable[[], object], counter: StatementCounter) -> tuple[float, int, object]:
    """Best of RUNS in seconds, the statements of one run, and its result."""
    seconds = []
    result: object = None
    for _ in range(RUNS):
        counter.reset()
        started = time.perf_counter()
        result = job()
        seconds.append(time.perf_counter() - started)
    return min(seconds), counter.count, result


def explain(engine: Engine, statements: list[tuple[str, Any]]) -> None:
    dialect = engine.dialect.name
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN ANALYZE "
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        for statement, parameters in statements[:6]:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            print(f"      {' '.join(statement.split())[:200]} …")
            cursor.execute(prefix + statement, parameters)
            for row in cursor.fetchall():
                print(f"        {row[-1] if dialect == 'sqlite' else row[0]}")
        cursor.close()
    finally:
        connection.close()


def bench(label: str, url: str | URL) -> None:
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.reports import monthly
    from desk_tui.reports.tables import Format, render
    from desk_tui.services import availability, change_report, compliance
    from desk_tui.services.desk import Desk
    from desk_tui.store.engine import make_engine, mask_url, read_session
    from desk_tui.store.models import Call, Organisation

    engine = make_engine(url)
    try:
        with read_session(engine) as session:
            calls, last = session.execute(
                select(func.count(), func.max(Call.registered_at)).select_from(Call)).one()
            organisations = session.execute(
                select(Organisation.id, Organisation.name, func.count(Call.id))
                .join(Call, Call.organisation_id == Organisation.id)
                .group_by(Organisation.id, Organisation.name)
                .order_by(func.count(Call.id).desc())
            ).all()
        sla = SlaEngine(build_calendars(first_year=last.year - 2))
        now = last + timedelta(hours=1)
        local = now.astimezone(sla.calendars.config.zone).date()
        month = (local.replace(day=1) - timedelta(days=1)).replace(day=1)  # last full month
        desk = Desk(engine, sla, lambda: now)
        actor = desk.actor("agent", DEMO_PIN)
        counter = StatementCounter(engine)
        biggest_id, biggest, biggest_calls = organisations[0]
        print(f"{label}: {mask_url(url)}: {calls:,} calls, {len(organisations)} participants;"
              f" month {month:%Y-%m}, now {now:%Y-%m-%d %H:%M}; best of {RUNS}")

        def monthly_report(kind: str, organisation_id: Any, name: str) -> str:
            with read_session(engine) as session:
                scope: dict[str, Any] = dict(session=session, actor=actor, sla=sla, now=now,
                                             organisation_id=organisation_id, month=month)
                if kind == "availability":
                    report = monthly.availability_report(
                        availability.monthly_availability(**scope), name)
                elif kind == "sla":
                    report = monthly.compliance_report(compliance.monthly_compliance(**scope),
                                                       name)
                else:
                    report = monthly.changes_report(change_report.monthly_changes(**scope),
                                                    name)
            return render(report, Format.TABLE)

        def queue(organisation_id: Any, name: str | None) -> str:
            return render(monthly.workload_report(desk.work_queues(actor, organisation_id),
                                                  name), Format.TABLE)

        rows: list[tuple[str, Callable[[], object]]] = []
        for kind in ("availability", "sla", "changes"):
            rows.append((f"{kind} {biggest}",
                         lambda kind=kind: monthly_report(kind, biggest_id, biggest)))
            rows.append((f"{kind} all {len(organisations)} participants",
                         lambda kind=kind: [monthly_report(kind, i, n)
                                            for i, n, _ in organisations]))
        rows.append((f"queue {biggest}", lambda: queue(biggest_id, biggest)))
        rows.append(("queue all participants", lambda: queue(None, None)))
        rows.append((f"screen: one month of {biggest} (3 reports)",
                     lambda: desk.report_month(actor, biggest_id, month)))
        rows.append((f"screen: 12-month series {biggest}",
                     lambda: desk.report_series(actor, biggest_id, month)))
        rows.append((f"screen: a month back or on (1 new month) {biggest}",
                     lambda: desk.report_series(actor, biggest_id, month, 1)))
        rows.append(("screen: 12-month series, all participants",
                     lambda: [desk.report_series(actor, i, month) for i, _, _ in organisations]))
        print(f"  {biggest} has {biggest_calls:,} calls in all")
        for name, job in rows:
            seconds, statements, result = timed(job, counter)
            flag = "  SLOW" if seconds > SLOW_SECONDS else ""
            print(f"  {name:<48} {seconds * 1000:8.0f} ms  {statements:5} statements{flag}",
                  flush=True)
            if flag:
                explain(engine, counter.recent)
            if name.startswith("screen: 12-month series") and isinstance(result, tuple):
                figures = ", ".join(f"{f.month:%y-%m} {f.calls}" for f in result)
                print(f"    calls per month: {figures}")
    finally:
        engine.dispose()


def postgres(url: URL) -> None:
    from desk_tui.demo.build import build_demo
    from desk_tui.demo.options import DEFAULT_SEED, DemoOptions
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import upgrade_database

    engine = make_engine(url)
    try:
        print(f"  PostgreSQL: building the {CALLS:,}-call demo …", flush=True)
        started = time.perf_counter()
        upgrade_database(engine)
        build_demo(engine, SlaEngine(build_calendars()),
                   DemoOptions(calls=CALLS, cis=10_000, seed=DEFAULT_SEED))
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        engine.dispose()
    bench("PostgreSQL", url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true",
                        help="also on a throw-away PostgreSQL database (builds the demo)")
    args = parser.parse_args(argv)
    print(f"desk monthly reports benchmark ({datetime.now():%Y-%m-%d %H:%M})")
    bench("SQLite", sqlite_url())
    if args.postgresql:
        with postgres_database("desk_bench_reports") as target:
            if isinstance(target, str):
                print(f"PostgreSQL: skipped ({target})")
            else:
                postgres(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
