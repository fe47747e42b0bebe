"""`desk oncall queue|handover|show|ack`: the evening on-call service (SPEC 4).

`queue` lists what on-call handles (every open P1; counter applications and peripherals of
the municipalities with an evening opening) with on-call reaction clocks; `handover` hands
the last closed evening over to the morning (once; again it shows the same handover);
`show` prints the newest handover; `ack` marks the waiting one as read by the morning.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from desk_tui.commands.guard import EXIT_OK, EXIT_REFUSED, acting_url, guarded
from desk_tui.commands.operator import acting_actor, open_current, operator_login, quiet_logs
from desk_tui.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from desk_tui.domain.oncall import OnCallScope
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.access import Actor


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="oncall_action", metavar="ACTION", required=True)
    queue = actions.add_parser("queue", help="what on-call handles, with its clocks")
    handover = actions.add_parser("handover", help="hand the last evening to the morning")
    for sub in (queue, handover):
        sub.add_argument("--now", help="as at this time, ISO 8601 (no offset: Amsterdam)")
    actions.add_parser("show", help="the newest handover")
    actions.add_parser("ack", help="the morning has read the waiting handover")


def run(settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    command = f"desk oncall {args.oncall_action}"
    configured = acting_url(settings, args, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    login = operator_login(settings, getattr(args, "operator", None))
    quiet_logs()
    zone = settings.calendar.zone
    now = datetime.now(UTC)
    if getattr(args, "now", None):
        try:
            given = datetime.fromisoformat(args.now)
        except ValueError:
            print(f"{command}: --now {args.now!r} is not a time like 2026-11-30T20:00",
                  file=err)
            return EXIT_REFUSED
        now = given.replace(tzinfo=zone) if given.tzinfo is None else given

    def body() -> int:
        from desk_tui.domain.calendar import build_calendars
        from desk_tui.domain.sla import SlaEngine
        from desk_tui.services.errors import ServiceError

        engine = open_current(parsed)
        try:
            actor = acting_actor(engine, login, command, err)
            if actor is None:
                return EXIT_REFUSED
            sla = SlaEngine(build_calendars(settings.calendar), settings.sla)
            try:
                return _ACTIONS[args.oncall_action](engine, actor, sla, now, out,
                                                    settings.on_call)
            except ServiceError as error:
                print(f"{command}: {error}", file=err)
                return EXIT_REFUSED
        finally:
            engine.dispose()

    return guarded(body, shown, err)


def _queue(engine: Engine, actor: Actor, sla: SlaEngine, now: datetime, out: TextIO,
           scope: OnCallScope) -> int:
    from desk_tui.services.oncall import on_call_queue
    from desk_tui.store.engine import read_session

    with read_session(engine) as session:
        view = on_call_queue(session=session, actor=actor, sla=sla, now=now, scope=scope)
    zone = sla.calendars.config.zone
    if view.evening is None:
        print("no on-call window is configured", file=out)
        return EXIT_OK
    opens = view.evening.opens.astimezone(zone)
    closes = view.evening.closes.astimezone(zone)
    state = "open now" if view.open_now else "next"
    print(f"on-call {state}: {opens:%a %Y-%m-%d %H:%M}-{closes:%H:%M}, {len(view.rows)}"
          " call(s)", file=out)
    positions = sla.now_positions(now)
    for row in view.rows:
        if row.reaction.held_at is not None:
            clock = "reacted"
        else:
            left = sla.countdown(row.reaction, positions).remaining_s
            sign = "-" if left < 0 else ""
            minutes = int(abs(left) // 60)
            clock = f"react {sign}{minutes // 60}:{minutes % 60:02d}"
        print(f"  {row.number}  {row.organisation:<4} P{row.priority or '-'}"
              f"  {row.status.value:<14} {clock:<14} {row.handler or '—':<20} {row.summary}",
              file=out)
    return EXIT_OK


def _handover(engine: Engine, actor: Actor, sla: SlaEngine, now: datetime,
              out: TextIO, scope: OnCallScope) -> int:
    from desk_tui.services.oncall import hand_over
    from desk_tui.store.engine import write_session

    with write_session(engine) as session:
        view = hand_over(session=session, actor=actor, sla=sla, now=now, scope=scope)
    if not view.created:
        print("(handed over before)", file=out)
    print(view.describe(sla.calendars.config.zone), file=out)
    return EXIT_OK


def _show(engine: Engine, actor: Actor, sla: SlaEngine, _now: datetime, out: TextIO,
          _scope: OnCallScope) -> int:
    from desk_tui.services.oncall import latest_handover
    from desk_tui.store.engine import read_session

    with read_session(engine) as session:
        view = latest_handover(session=session, actor=actor)
    print("no handover yet" if view is None else view.describe(sla.calendars.config.zone),
          file=out)
    return EXIT_OK


def _ack(engine: Engine, actor: Actor, sla: SlaEngine, now: datetime, out: TextIO,
         _scope: OnCallScope) -> int:
    from desk_tui.services.oncall import acknowledge, pending_handover
    from desk_tui.store.engine import write_session

    with write_session(engine) as session:
        pending = pending_handover(session=session, actor=actor)
        if pending is None:
            print("no handover waits to be read", file=out)
            return EXIT_OK
        acknowledge(session=session, actor=actor, handover_id=pending.id, now=now)
    print(f"handover of the evening of {pending.evening} marked as read", file=out)
    return EXIT_OK


_ACTIONS: dict[str, Callable[..., Any]] = {
    "queue": _queue, "handover": _handover, "show": _show, "ack": _ack,
}
