"""An election day at one site, timed: prepare, work offline, export, import, import again.

Why: a site's laptop is prepared the day before and its bundle imported the night after
(SPEC 10); both must be quick and the bundle small enough to carry. This builds the
default demo (3,000 calls, 1,500 CIs, 400 people) as the central database, prepares the
largest municipality (MED) as site V01, and at the site registers --calls new calls (a
quarter of them taken and resolved), takes every open call it was given, and writes
--standby lines in the standby log; one of those calls is also taken centrally, which
makes a conflict. It prints the time of each step (in process: no interpreter start-up),
the size of the site's copy and of the bundle, and what the imports reported.

Run from the repository root: `.venv/bin/python bench/offline.py [--calls 200]`.
Figures are reported, never failed; on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--standby", type=int, default=50)
    args = parser.parse_args()

    from desk_tui.demo.build import build_demo
    from desk_tui.demo.options import DemoOptions
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.classification import CallType, Level
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services import calls, offline, offline_sync
    from desk_tui.services.calls import CallDraft
    from desk_tui.services.queries import actor_for
    from desk_tui.store.engine import make_engine, read_session, write_session
    from desk_tui.store.migrate import upgrade_database
    from desk_tui.store.models import Call, Organisation, Person

    zone = ZoneInfo("Europe/Amsterdam")
    day = datetime(2026, 3, 18, 7, 30, tzinfo=zone)  # municipal elections, a Wednesday
    sla = SlaEngine(build_calendars(first_year=2025))
    folder = Path(tempfile.mkdtemp(prefix="desk-offline-bench-"))
    central = make_engine(f"sqlite:///{folder / 'central.sqlite3'}")
    upgrade_database(central)
    started = time.perf_counter()
    build_demo(central, sla, DemoOptions(now=day - timedelta(days=1)))
    print(f"central demo built in {time.perf_counter() - started:.1f} s ({folder})")
    with read_session(central) as session:
        admin = actor_for(session, "admin")
        agent_central = actor_for(session, "agent2")

    copy = folder / "v01.sqlite3"
    started = time.perf_counter()
    report = offline.prepare_site(central=central, actor=admin, code="V01",
                                  organisation_code="MED", output=copy, now=day,
                                  operator_logins=["agent", "oncall"])
    prepare_s = time.perf_counter() - started
    print(f"prepare   {prepare_s * 1000:7.0f} ms  copy {copy.stat().st_size / 1e6:.1f} MB;"
          f" {report.describe()}")

    site = make_engine(f"sqlite:///{copy}")
    with read_session(site) as session:
        agent = actor_for(session, "agent")
        organisation_id = session.execute(
            select(Organisation.id).where(Organisation.code == "MED")).scalar_one()
        callers = list(session.execute(
            select(Person.id).where(Person.organisation_id == organisation_id)).scalars())
        # The calls the site was given that taking changes (not already the agent's).
        given = list(session.execute(select(Call.id).where(
            (Call.handler_id.is_(None)) | (Call.handler_id != agent.id))).scalars())
    started = time.perf_counter()
    for index in range(args.calls):
        now = day + timedelta(minutes=3 * index)
        with write_session(site) as session:
            saved = calls.register_call(
                session=session, actor=agent, sla=sla, site="V01", now=now,
                draft=CallDraft(organisation_id=organisation_id, call_type=CallType.STORING,
                                subject=f"Stembureau {index % 40 + 1}: laptop start niet",
                                caller_id=callers[index % len(callers)],
                                impact=Level.LAAG, urgency=Level.HOOG))
        if index % 4 == 0:
            with write_session(site) as session:
                calls.resolve(session=session, actor=agent, sla=sla, call_id=saved.id,
                              now=now + timedelta(minutes=2), solution="Herstart")
    for call_id in given:
        with write_session(site) as session:
            calls.take(session=session, actor=agent, sla=sla, call_id=call_id,
                       now=day + timedelta(hours=1))
    for index in range(args.standby):
        with write_session(site) as session:
            offline.log_standby(session=session, actor=agent, now=day,
                                who=f"Voorzitter SB {index}", what="Stand-by: alles werkt",
                                location=f"Stembureau {index}",
                                at=day + timedelta(minutes=10 * index))
    work_s = time.perf_counter() - started
    print(f"site work {work_s * 1000:7.0f} ms  ({args.calls} new calls,"
          f" {len(given)} taken, {args.standby} standby lines)")

    if given:  # meanwhile, centrally: a colleague takes one of the site's calls
        with write_session(central) as session:
            calls.take(session=session, actor=agent_central, sla=sla, call_id=given[0],
                       now=day + timedelta(hours=2))

    bundle = folder / "v01.bundle"
    started = time.perf_counter()
    exported = offline_sync.export_site(db=site, actor=agent, output=bundle,
                                        now=day + timedelta(hours=16))
    export_s = time.perf_counter() - started
    print(f"export    {export_s * 1000:7.0f} ms  bundle {exported.size / 1000:.1f} kB;"
          f" {exported.describe()}")
    site.dispose()

    for attempt in ("import", "again"):
        started = time.perf_counter()
        imported = offline_sync.import_bundle(db=central, actor=agent_central, path=bundle,
                                              now=day + timedelta(hours=17), sla=sla)
        print(f"{attempt:<9} {(time.perf_counter() - started) * 1000:7.0f} ms")
        print("  " + imported.describe().replace("\n", "\n  "))
    central.dispose()


if __name__ == "__main__":
    main()
