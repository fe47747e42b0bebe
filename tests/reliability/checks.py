"""What a registration must have written, checked from the database alone.

A registration writes, in one transaction: the number from the call counter, the call, a
status history row (and a priority row when it has one), the links to its CIs, the
confirmation mail when the caller has an address, and for a priority 1 its evaluation.
A call missing any of these, or a counter that disagrees with the calls, is half-written.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from desk_tui.store.engine import read_session
from desk_tui.store.enums import HistoryField
from desk_tui.store.models import (
    Call,
    CallCi,
    CallHistory,
    NumberSequence,
    OutboxMessage,
    P1Evaluation,
)
from desk_tui.store.numbers import ReferenceKind, format_reference, sequence_key
from tests.reliability.writers import SUBJECT


def stored_references(engine: Engine) -> set[str]:
    with read_session(engine) as session:
        rows = session.execute(select(Call.site, Call.year, Call.number)).all()
    return {format_reference(ReferenceKind.CALL, *row) for row in rows}


def half_written(engine: Engine) -> list[str]:
    """Every way the stored calls fall short of whole registrations; [] when all are whole."""
    problems: list[str] = []
    with read_session(engine) as session:
        calls = session.execute(
            select(Call.id, Call.site, Call.year, Call.number, Call.subject, Call.priority)
        ).all()
        history = Counter(
            (call_id, field) for call_id, field in session.execute(
                select(CallHistory.call_id, CallHistory.field)
            )
        )
        linked = Counter(session.execute(select(CallCi.call_id)).scalars())
        mailed = Counter(session.execute(
            select(OutboxMessage.call_id).where(OutboxMessage.dedupe_key.like("call-registered:%"))
        ).scalars())
        evaluated = Counter(session.execute(select(P1Evaluation.call_id)).scalars())
        counters = dict(session.execute(select(NumberSequence.name, NumberSequence.value)).all())
        per_counter: dict[str, list[int]] = {}
        for call in calls:
            per_counter.setdefault(
                sequence_key(ReferenceKind.CALL, call.site, call.year), []
            ).append(call.number)
        orphans = session.execute(
            select(func.count()).select_from(CallHistory)
            .where(CallHistory.call_id.not_in(select(Call.id)))
        ).scalar_one()
    if orphans:
        problems.append(f"{orphans} history rows without their call")
    for key, numbers in per_counter.items():
        # The counter moves in the registration's transaction: no gaps, no doubles.
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            problems.append(f"{key}: numbers are not 1..{len(numbers)} without gaps")
        if counters.get(key) != len(numbers):
            problems.append(f"{key}: counter at {counters.get(key)}, {len(numbers)} calls")
    for call in calls:
        reference = format_reference(ReferenceKind.CALL, call.site, call.year, call.number)
        intent = SUBJECT.match(call.subject)
        if intent is None:
            problems.append(f"{reference}: subject {call.subject!r} is not what was typed")
            continue
        wanted = {
            "status history": (history[(call.id, HistoryField.STATUS)], 1),
            "priority history": (history[(call.id, HistoryField.PRIORITY)],
                                 int(call.priority is not None)),
            "CI link": (linked[call.id], int(intent["ci"])),
            "confirmation mail": (mailed[call.id], int(intent["mail"])),
            "P1 evaluation": (evaluated[call.id], int(intent["p1"])),
        }
        for what, (found, expected) in wanted.items():
            if found != expected:
                problems.append(f"{reference}: {found} {what} row(s), expected {expected}")
        if (call.priority == 1) != (intent["p1"] == "1"):
            problems.append(f"{reference}: priority {call.priority} for {call.subject!r}")
    return problems
