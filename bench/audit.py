"""What the audit trail costs: 1,000 registrations with and without the audit hook.

Why: every write now also appends hash-chained rows to the audit log in its own
transaction (and, on PostgreSQL, waits its turn on the chain's head row). This registers
1,000 calls through the real service, each in its own `write_session` (what "save" at
intake does), once with the session events removed and once with them, alternating in
rounds of 100 so load on a shared machine hits both alike; then prints the time per
registration, the audit rows written and the time `desk audit verify` takes. SQLite file
and, when the test server answers, PostgreSQL. Figures are reported, never failed.

Run from the repository root: `.venv/bin/python bench/audit.py`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.engine import URL, Engine
from throwaway_pg import postgres_database  # bench/ is on the path

from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.calls import CallDraft, register_call
from desk_tui.services.queries import actor_for
from desk_tui.store import audit
from desk_tui.store.engine import make_engine, mask_url, read_session, write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.migrate import upgrade_database
from desk_tui.store.models import AuditEntry, Operator, OperatorRoleGrant, Organisation, Person

REGISTRATIONS = 1_000
ROUND = 100
ZONE = ZoneInfo("Europe/Amsterdam")


def prepare(engine: Engine) -> tuple[object, list[tuple[object, object]]]:
    upgrade_database(engine)
    with write_session(engine) as session:
        organisation = Organisation(name="Gemeente Enkhuizen", code="ENK")
        session.add(organisation)
        session.flush()
        people = [Person(organisation_id=organisation.id, name=f"Beller {n}",
                         email=f"beller{n}@enkhuizen.example") for n in range(50)]
        operator = Operator(login="agent", display_name="Sanne de Vries")
        session.add_all([*people, operator])
        session.flush()
        session.add(OperatorRoleGrant(operator_id=operator.id, role=OperatorRole.AGENT))
    with read_session(engine) as session:
        actor = actor_for(session, "agent")
        callers = session.execute(select(Person.id, Person.organisation_id)).all()
    return actor, [tuple(row) for row in callers]


def register_round(engine: Engine, sla: SlaEngine, actor: object,
                   callers: list[tuple[object, object]], start: int) -> list[float]:
    latencies = []
    for index in range(start, start + ROUND):
        caller_id, organisation_id = callers[index % len(callers)]
        draft = CallDraft(
            organisation_id=organisation_id, call_type=CallType.STORING,  # type: ignore[arg-type]
            subject=f"Printer geeft papierstoring ({index})", caller_id=caller_id,  # type: ignore[arg-type]
            impact=Level.LAAG, urgency=Level.MIDDEN, description="Papierstoring in lade 2.",
        )
        begun = time.perf_counter()
        with write_session(engine) as session:
            register_call(session=session, actor=actor, sla=sla, draft=draft,  # type: ignore[arg-type]
                          now=datetime.now(ZONE))
        latencies.append(time.perf_counter() - begun)
    return latencies


def bench(label: str, url: str | URL, sla: SlaEngine) -> None:
    print(f"{label}: {mask_url(url)}")
    engine = make_engine(url)
    try:
        actor, callers = prepare(engine)
        timings: dict[bool, list[float]] = {False: [], True: []}
        index = 0
        while index < 2 * REGISTRATIONS:
            for audited in (False, True):
                if audited:
                    audit.install()
                else:
                    audit.uninstall()
                timings[audited] += register_round(engine, sla, actor, callers, index)
                index += ROUND
        audit.install()
        with read_session(engine) as session:
            rows = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        started = time.perf_counter()
        with engine.connect() as connection:
            verdict = audit.verify(connection)
        verify_s = time.perf_counter() - started
        for audited in (False, True):
            values = timings[audited]
            name = "with audit hook   " if audited else "without audit hook"
            print(f"  {name}  {sum(values):6.2f} s for {len(values)} registrations:"
                  f" median {statistics.median(values) * 1000:5.1f} ms,"
                  f" mean {statistics.fmean(values) * 1000:5.1f} ms")
        extra = statistics.fmean(timings[True]) - statistics.fmean(timings[False])
        print(f"  cost per registration  {extra * 1000:+.2f} ms"
              f" ({extra / statistics.fmean(timings[False]) * 100:+.0f} %);"
              f" {rows} audit rows ({rows / REGISTRATIONS:.1f} per registration)")
        print(f"  audit verify           {verify_s:6.2f} s  ({verdict.describe()})")
    finally:
        engine.dispose()


def main() -> int:
    sla = SlaEngine(build_calendars())
    print(f"desk audit-trail benchmark: {REGISTRATIONS} registrations with and without"
          f" the hook, alternating rounds of {ROUND}")
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as folder:
        bench("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", sla)
    with postgres_database("desk_bench") as target:
        if isinstance(target, str):
            print(f"PostgreSQL: skipped ({target})")
        else:
            bench("PostgreSQL", target, sla)
    return 0


if __name__ == "__main__":
    sys.exit(main())
