"""`desk report availability|sla|queue|changes`: the SPEC 9 reports on the command line,
as a text table, CSV or a self-contained HTML page."""

from __future__ import annotations

import argparse
import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desk_tui.commands.guard import EXIT_FAILED, EXIT_OK, EXIT_REFUSED
from desk_tui.commands.operator import acting_actor, open_current

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

    from desk_tui.config import Settings
    from desk_tui.reports.tables import Report
    from desk_tui.services.access import Actor

MONTHLY = {
    "availability": "availability per month: share of service window 1 without an open P1",
    "sla": "reaction and resolution targets met and missed per type and priority",
    "changes": "change lead times met and missed; problems opened and resolved",
}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def add_arguments(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, summary in MONTHLY.items():
        parser = actions.add_parser(name, help=summary, description=summary)
        parser.add_argument("--month", required=True, metavar="YYYY-MM",
                            help="the calendar month, e.g. 2026-10")
        _common(parser)
    queue = actions.add_parser(
        "queue", help="work queues now: open calls per organisation, line, handler, age",
        description="Open calls now, with the oldest and the most overdue.",
    )
    _common(queue)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--org", metavar="CODE|NAME",
                        help="the organisation (its code or name); without it every"
                             " participant (managers get their own)")
    parser.add_argument("--format", choices=("table", "csv", "html"), default="table")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write to FILE")


def parse_month(text: str) -> date:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"{text!r} is not a month like 2026-10")
    return date(int(match[1]), int(match[2]), 1)


def run(url: URL, settings: Settings, login: str, args: argparse.Namespace, out: TextIO,
        err: TextIO) -> int:
    from desk_tui.reports.tables import Format, render

    command = f"desk report {args.report_action}"
    month = None
    if args.report_action in MONTHLY:
        try:
            month = parse_month(args.month)
        except ValueError as error:
            print(f"{command}: --month: {error}", file=err)
            return EXIT_REFUSED
    engine = open_current(url)
    try:
        actor = acting_actor(engine, login, command, err)
        if actor is None:
            return EXIT_REFUSED
        report = _build(engine, settings, actor, args, month, command, err)
    finally:
        engine.dispose()
    if report is None:
        return EXIT_REFUSED
    text = render(report, Format(args.format))
    if args.output is None:
        out.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"{command}: cannot write {args.output}: {error.strerror or error}", file=err)
        return EXIT_FAILED
    print(f"{report.title}, {report.subtitle} -> {args.output}", file=out)
    return EXIT_OK


def _build(
    engine: Engine, settings: Settings, actor: Actor, args: argparse.Namespace,
    month: date | None, command: str, err: TextIO,
) -> Report | None:
    from sqlalchemy import func, or_, select

    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.reports import monthly
    from desk_tui.services import availability, change_report, compliance, workload
    from desk_tui.services.errors import Refused
    from desk_tui.store.engine import read_session
    from desk_tui.store.models import Organisation

    language = settings.language  # Dutch unless `desk --lang en` or the config says so
    now = datetime.now(settings.calendar.zone)  # shown as the queue's "stand": local time
    sla = SlaEngine(build_calendars(settings.calendar, first_year=(month or now).year - 1),
                    settings.sla)
    with read_session(engine) as session:
        organisation = None
        if args.org:
            wanted = args.org.strip().lower()
            organisation = session.execute(
                select(Organisation).where(or_(func.lower(Organisation.code) == wanted,
                                               func.lower(Organisation.name) == wanted))
            ).scalars().first()
            if organisation is None:
                print(f"{command}: no organisation with code or name {args.org!r}",
                      file=err)
                return None
        elif not actor.sees_all_organisations and actor.organisation_id is not None:
            organisation = session.get(Organisation, actor.organisation_id)
        common: dict[str, object] = dict(session=session, actor=actor, sla=sla, now=now)
        try:
            if args.report_action == "queue":
                result = workload.work_queues(
                    **common, organisation_id=organisation.id if organisation else None
                )
                return monthly.workload_report(result, organisation.name if organisation
                                               else None, language)
            assert month is not None
            # Without --org: every active participant, for the monthly meeting.
            chosen = [organisation] if organisation is not None else list(
                session.execute(select(Organisation).where(Organisation.active.is_(True))
                                .order_by(Organisation.name)).scalars())
            if not chosen:
                print(f"{command}: there are no participants to report on", file=err)
                return None
            parts = []
            for each in chosen:
                scope = dict(common, organisation_id=each.id, month=month)
                if args.report_action == "availability":
                    parts.append((each.name, availability.monthly_availability(**scope)))
                elif args.report_action == "sla":
                    parts.append((each.name, monthly.compliance_report(
                        compliance.monthly_compliance(**scope), each.name, language)))
                else:
                    parts.append((each.name, monthly.changes_report(
                        change_report.monthly_changes(**scope), each.name, language)))
            if organisation is not None:
                name, single = parts[0]
                return (monthly.availability_report(single, name, language)
                        if args.report_action == "availability" else single)
            if args.report_action == "availability":
                return monthly.availability_overview(parts, language)
            t = monthly.words(language)
            title = {"sla": "SLA-normen {organisation}",
                     "changes": "Wijzigingen en problemen {organisation}"}
            return monthly.combined(
                t(title[args.report_action]).format(organisation=t("alle deelnemers")),
                parts)
        except Refused as error:
            print(f"{command}: {error}", file=err)
            return None
