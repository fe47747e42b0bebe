"""`desk sla`: the SLA engine on the command line, one call or a JSON-lines stream."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TextIO

from desk_tui.config import Settings
from desk_tui.domain.calendar import Pause, build_calendars
from desk_tui.domain.changes import parse_change_kind
from desk_tui.domain.classification import CallType, parse_call_type, parse_level
from desk_tui.domain.sla import SlaEngine, worst_state
from desk_tui.timeparse import iso, parse_instant


class FieldError(ValueError):
    """A bad input value, with the name of the field it came from."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def make_engine(settings: Settings) -> SlaEngine:
    return SlaEngine(build_calendars(settings.calendar), settings.sla)


def evaluate(engine: SlaEngine, request: Mapping[str, object]) -> dict[str, object]:
    """Answer one request (the fields of a `--json` line)."""
    zone = engine.calendars.config.zone

    def instant(name: str, value: object) -> datetime:
        try:
            return parse_instant(value, zone)  # type: ignore[arg-type]
        except ValueError as error:
            raise FieldError(name, str(error)) from error

    def required(name: str) -> object:
        if request.get(name) in (None, ""):
            raise FieldError(name, f"{name} is required")
        return request[name]

    registered = instant("registered", required("registered"))
    if request.get("change") not in (None, ""):
        try:
            kind = parse_change_kind(str(request["change"]))
        except ValueError as error:
            raise FieldError("change", str(error)) from error
        change = engine.plan_change(registered, kind)
        return {
            "change": kind.value,
            "standard": change.standard,
            "lead_time_due": iso(change.lead_time_due),
            "own_part_due": iso(change.own_part_due),
            "reaction_due": iso(change.reaction_due),
            "handled_by": "desk",
        }
    try:
        call_type = parse_call_type(str(required("type")))
    except ValueError as error:
        raise FieldError("type", str(error)) from error
    levels = {}
    for name in ("impact", "urgency"):
        value = request.get(name)
        if value in (None, ""):
            if call_type is CallType.STORING:
                raise FieldError(name, f"{name} is required for an incident (storing)")
            levels[name] = None
            continue
        try:
            levels[name] = parse_level(str(value))
        except ValueError as error:
            raise FieldError(name, str(error)) from error
    pauses = _pauses(request.get("pauses"), lambda value: instant("pauses", value))
    plan = engine.plan_call(registered, call_type, levels["impact"], levels["urgency"], pauses)
    answer: dict[str, object] = {
        "priority": plan.priority,
        "reaction_due": iso(plan.reaction_due),
        "resolution_due": iso(plan.resolution_due),
        "handled_by": plan.handled_by.value,
    }
    if request.get("now") not in (None, ""):
        positions = engine.now_positions(instant("now", request["now"]))
        reaction = engine.countdown(plan.reaction, positions)
        answer["reaction_remaining_s"] = _seconds(reaction.remaining_s)
        answer["reaction_state"] = reaction.state.value
        states = [reaction.state]
        if plan.resolution is not None:
            resolution = engine.countdown(plan.resolution, positions)
            answer["resolution_remaining_s"] = _seconds(resolution.remaining_s)
            answer["resolution_state"] = resolution.state.value
            answer["resolution_running"] = resolution.running
            states.append(resolution.state)
        else:
            answer["resolution_remaining_s"] = None
        answer["state"] = worst_state(states).value
    return answer


def _pauses(value: object, instant) -> list[Pause]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise FieldError("pauses", "pauses must be a list of [start, end] pairs")
    pauses: list[Pause] = []
    for pair in value:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise FieldError("pauses", "each pause must be a [start, end] pair (end may be null)")
        start = instant(pair[0])
        end = None if pair[1] is None else instant(pair[1])
        if end is not None and end < start:
            raise FieldError("pauses", "a pause cannot end before it starts")
        pauses.append((start, end))
    return pauses


def _seconds(value: float) -> float | int:
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def run_json_lines(engine: SlaEngine, lines: Iterable[str], out: TextIO) -> int:
    """One answer per input line; a bad line gets an error object and the run goes on.
    Returns the number of lines that failed."""
    failures = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise FieldError("line", "each line must be a JSON object")
            answer = evaluate(engine, request)
            if "id" in request:
                answer = {"id": request["id"], **answer}
        except json.JSONDecodeError as error:
            failures += 1
            answer = {"line": number, "field": None, "error": f"not valid JSON: {error.msg}"}
        except FieldError as error:
            failures += 1
            answer = {"line": number, "field": error.field, "error": str(error)}
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
    out.flush()
    return failures


def run(settings: Settings, args) -> int:
    """Entry point for `desk sla`."""
    engine = make_engine(settings)
    if args.json:
        failures = run_json_lines(engine, sys.stdin, sys.stdout)
        return 1 if failures else 0
    request = {
        "registered": args.registered,
        "type": args.type,
        "impact": args.impact,
        "urgency": args.urgency,
        "change": args.change,
        "now": args.now,
        "pauses": [_split_pause(text) for text in args.pause or []],
    }
    try:
        answer = evaluate(engine, request)
    except FieldError as error:
        print(f"desk sla: {error.field}: {error}", file=sys.stderr)
        return 2
    width = max(len(key) for key in answer)
    for key, value in answer.items():
        shown = "—" if value is None else str(value).lower() if isinstance(value, bool) else value
        print(f"{key.ljust(width)}  {shown}")
    return 0


def _split_pause(text: str) -> list[str | None]:
    start, _, end = text.partition("/")
    return [start, end or None]
