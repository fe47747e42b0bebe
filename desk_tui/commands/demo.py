"""`desk demo`: create (or upgrade) the configured database and fill it with demo data.

A demo is only written into an empty database: one that holds organisations, operators or
calls is refused (exit 2), or left alone with exit 0 under `--if-missing`, which is what
`make run` uses before it opens the console.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from desk_tui.commands.guard import EXIT_OK, EXIT_REFUSED, configured_url, guarded

if TYPE_CHECKING:
    from desk_tui.config import Settings
    from desk_tui.demo.build import DemoReport, Progress
    from desk_tui.demo.options import DemoOptions



def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `desk demo` options (the CLI's parser stays free of heavy imports)."""
    from desk_tui.demo import options

    parser.add_argument("--calls", type=int, default=options.DEFAULT_CALLS, metavar="N",
                        help=f"calls over the past six months (default {options.DEFAULT_CALLS})")
    parser.add_argument("--cis", type=int, default=options.DEFAULT_CIS, metavar="N",
                        help=f"configuration items (default {options.DEFAULT_CIS})")
    parser.add_argument("--people", type=int, default=options.DEFAULT_PEOPLE, metavar="N",
                        help=f"people at the organisations (default {options.DEFAULT_PEOPLE})")
    parser.add_argument("--seed", type=int, default=options.DEFAULT_SEED, metavar="N",
                        help="random seed: the same seed and --now give the same data")
    parser.add_argument("--now", metavar="ISO",
                        help="the demo's present, ISO 8601 (no offset: Amsterdam);"
                             " default: now")
    parser.add_argument("--if-missing", action="store_true",
                        help="do nothing (exit 0) when the database already holds data")


def run(
    settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Entry point for `desk demo`; failures are one line on stderr, never a traceback."""
    out = out or sys.stdout
    err = err or sys.stderr
    configured = configured_url(settings, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    try:
        options = _options(settings, args)
    except ValueError as error:
        print(f"desk demo: {error}", file=err)
        return EXIT_REFUSED
    return guarded(lambda: _demo(settings, parsed, shown, options, args.if_missing, out, err),
                    shown, err)


def _options(settings: Settings, args: argparse.Namespace) -> DemoOptions:
    from desk_tui.demo.options import DemoOptions
    from desk_tui.timeparse import parse_instant

    now = None
    if args.now:
        now = parse_instant(args.now, settings.calendar.zone)
    options = DemoOptions(
        calls=args.calls, cis=args.cis, people=args.people, seed=args.seed, now=now
    )
    options.check()
    return options


def _demo(
    settings: Settings, url: object, shown: str, options: DemoOptions, if_missing: bool,
    out: TextIO, err: TextIO,
) -> int:
    from desk_tui.demo.build import DemoRefused, build_demo, database_has_data
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import upgrade_database

    engine = make_engine(url)  # type: ignore[arg-type]
    try:
        upgrade_database(engine)
        if database_has_data(engine):
            return _already_filled(shown, if_missing, out, err)
        sla = SlaEngine(build_calendars(settings.calendar), settings.sla)
        try:
            with _progress_bar(err) as progress:
                report = build_demo(engine, sla, options, progress)
        except DemoRefused:  # filled by someone else since the check above
            return _already_filled(shown, if_missing, out, err)
    finally:
        engine.dispose()
    _print_report(report, shown, out)
    return EXIT_OK


def _already_filled(shown: str, if_missing: bool, out: TextIO, err: TextIO) -> int:
    if if_missing:
        print(f"desk demo: the database already holds data, left as it is: {shown}", file=out)
        return EXIT_OK
    print(
        f"desk demo: the database {shown} already holds data; a demo is only written into"
        " an empty database (use --if-missing to skip it, or set DESK_DATABASE_URL to a new"
        " file)",
        file=err,
    )
    return EXIT_REFUSED


def _print_report(report: DemoReport, shown: str, out: TextIO) -> None:
    from desk_tui.demo.staff import DEMO_PIN

    counts = report.counts
    states = ", ".join(
        f"{count} {status.value}" for status, count in sorted(report.open_by_status.items())
    )
    print(f"demo database created in {report.seconds:.1f} s: {shown}", file=out)
    print(
        f"  {counts.get('organisation', 0)} organisations, {counts.get('person', 0)} people,"
        f" {counts.get('configuration_item', 0)} configuration items,"
        f" {counts.get('call', 0)} calls ({report.open_calls} open: {states or 'none'})",
        file=out,
    )
    print(f"  now {report.now.isoformat()}, seed {report.seed}", file=out)
    print("operator logins (work as one with `desk --operator LOGIN` or DESK_OPERATOR;"
          f" every demo PIN is {DEMO_PIN}):",
          file=out)
    for line in report.logins:
        print(f"  {line}", file=out)


@contextmanager
def _progress_bar(stream: TextIO) -> Iterator[Progress]:
    """A rich progress bar on `stream` when it is a terminal; silent otherwise."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(file=stream)
    if not console.is_terminal:
        yield lambda _stage, _done, _total: None
        return
    columns = (TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        tasks: dict[str, object] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=max(total, 1))
            bar.update(tasks[stage], completed=done if total else 1)  # type: ignore[arg-type]

        yield report


