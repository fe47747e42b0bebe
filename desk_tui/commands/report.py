"""`desk report invoice --quarter 2026Q3`: the quarterly invoice basis as CSV; the monthly
reports (`availability`, `sla`, `changes`, `queue`) are in monthly_report.

It runs as the operator of --operator (else DESK_OPERATOR, the config file or the OS user)
and needs the report.invoice right: administrators see every organisation, contract and
information managers only their own. Exit 2 for a bad --quarter or --org, an unknown
operator or a refusal; exit 1 when the database or the output file fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desk_tui.commands.guard import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, acting_url, guarded
from desk_tui.commands.operator import (
    acting_actor,
    open_current,
    operator_login,
    quiet_logs,
)
from desk_tui.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from desk_tui.services.invoice import InvoiceLine, Quarter

COMMAND = "desk report invoice"

_INVOICE_DESCRIPTION = """\
Per participating organisation, the number of configuration items per CI type and
configuration that were in service on the quarter's reference date, its last day
(2026Q3: 2026-09-30). A CI counts when on that day:

  - it belongs to a participant (the servicedesk's own infrastructure is not invoiced);
  - it was in service: in service on or before that day, or, without an in-service date,
    registered on or before that day with status in-gebruik or in-reparatie;
  - it was not retired: no retirement date, or one after that day;
  - its status is not gepland or voorraad.

CSV columns: organisation_code, organisation_name, quarter, reference_date, ci_type,
configuration ("" when none), count; sorted by organisation, type and configuration;
UTF-8, comma-separated; on stdout unless --output is given.

Needs the report.invoice right (administrator, contract or information manager); contract
and information managers get their own organisation only.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="report_action", metavar="REPORT", required=True)
    invoice = actions.add_parser(
        "invoice", help="the quarterly invoice basis (CI counts) as CSV",
        description=_INVOICE_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    invoice.add_argument("--quarter", required=True, metavar="YYYYQn",
                         help="the quarter, e.g. 2026Q3")
    invoice.add_argument("--org", metavar="CODE", help="one organisation only (its code)")
    invoice.add_argument("--output", type=Path, metavar="FILE.csv",
                         help="write the CSV to this file instead of stdout")
    from desk_tui.commands import monthly_report

    monthly_report.add_arguments(actions)


def run(
    settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Entry point of `desk report`; failures are one line on stderr, never a traceback."""
    out = out or sys.stdout
    err = err or sys.stderr
    if args.report_action != "invoice":
        return _monthly(settings, args, out, err)
    from desk_tui.services.errors import InvalidInput
    from desk_tui.services.invoice import Quarter

    try:
        quarter = Quarter.parse(args.quarter)
    except InvalidInput as error:
        print(f"{COMMAND}: --quarter: {error}", file=err)
        return EXIT_REFUSED
    configured = acting_url(settings, args, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    login = operator_login(settings, getattr(args, "operator", None))
    quiet_logs()
    return guarded(lambda: _invoice(parsed, login, quarter, args, out, err), shown, err)


def _monthly(settings: Settings, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desk_tui.commands import monthly_report

    configured = acting_url(settings, args, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    login = operator_login(settings, getattr(args, "operator", None))
    quiet_logs()
    return guarded(
        lambda: monthly_report.run(parsed, settings, login, args, out, err), shown, err
    )


def _invoice(
    url: URL, login: str, quarter: Quarter, args: argparse.Namespace, out: TextIO,
    err: TextIO,
) -> int:
    from sqlalchemy import func, select

    from desk_tui.services.errors import Refused
    from desk_tui.services.invoice import invoice_basis
    from desk_tui.store.engine import read_session
    from desk_tui.store.models import Organisation

    engine = open_current(url)
    try:
        actor = acting_actor(engine, login, COMMAND, err)
        if actor is None:
            return EXIT_REFUSED
        with read_session(engine) as session:
            organisation_id = None
            if args.org:
                organisation_id = session.execute(
                    select(Organisation.id)
                    .where(func.lower(Organisation.code) == args.org.strip().lower())
                ).scalar_one_or_none()
                if organisation_id is None:
                    print(f"{COMMAND}: no organisation with code {args.org!r}", file=err)
                    return EXIT_REFUSED
            try:
                lines = invoice_basis(session=session, actor=actor, quarter=quarter,
                                      organisation_id=organisation_id)
            except Refused as error:
                print(f"{COMMAND}: {error}", file=err)
                return EXIT_REFUSED
    finally:
        engine.dispose()
    return _write(lines, quarter, args.output, out, err)


def _write(
    lines: list[InvoiceLine], quarter: Quarter, output: Path | None, out: TextIO, err: TextIO
) -> int:
    from desk_tui.services.invoice import write_invoice_csv

    if output is None:
        write_invoice_csv(lines, out)
        return EXIT_OK
    try:
        with output.open("w", encoding="utf-8", newline="") as stream:
            write_invoice_csv(lines, stream)
    except OSError as error:
        print(f"{COMMAND}: cannot write {output}: {error.strerror or error}", file=err)
        return EXIT_FAILED
    organisations = len({line.organisation_code for line in lines})
    total = sum(line.count for line in lines)
    print(
        f"invoice basis {quarter} (reference date {quarter.reference_date.isoformat()}):"
        f" {total} CIs in {len(lines)} lines for {organisations} organisations -> {output}",
        file=out,
    )
    return EXIT_OK
