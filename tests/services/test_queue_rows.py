"""Queue rows from plain column values: plans kept between loads never go stale."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import Handler, SlaEngine
from desk_tui.services.queue import OpenCall, queue_rows
from desk_tui.services.views import QueueSort, Status, SupportLine

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday, the desk is open


def engine() -> SlaEngine:
    return SlaEngine(build_calendars(first_year=2026))


def open_call(**changes: object) -> OpenCall:
    values: dict[str, object] = dict(
        id=uuid.uuid5(uuid.NAMESPACE_URL, "desk:test:queue-rows"), reference="M2026-000001",
        organisation="ENK", caller="Anouk Jansen", subject="Printer balie 2",
        call_type=CallType.STORING, impact=Level.MIDDEN, urgency=Level.HOOG, priority=2,
        status=Status.IN_BEHANDELING, handler=None, line=SupportLine.EERSTE_LIJN,
        handled_by=Handler.DESK, registered_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
        reacted_at=None, resolved_at=None,
    )
    values.update(changes)
    return OpenCall(**values)  # type: ignore[arg-type]


def rows_of(sla: SlaEngine, call: OpenCall, pauses=()) -> list:
    return queue_rows([call], {call.id: list(pauses)}, sla=sla, now=NOW, sort=QueueSort.DUE)


def test_a_reload_gives_the_same_clocks_as_a_fresh_plan():
    sla = engine()
    first = rows_of(sla, open_call())
    again = rows_of(sla, open_call())
    assert again == first == rows_of(engine(), open_call())


def test_a_reaction_given_since_the_last_load_holds_the_reaction_clock():
    sla = engine()
    [before] = rows_of(sla, open_call())
    reacted = datetime(2026, 11, 30, 9, 20, tzinfo=UTC)
    [after] = rows_of(sla, open_call(reacted_at=reacted))
    assert before.reaction.held_at is None
    assert after.reaction.held_at == sla.calendars.service.position(reacted)
    assert after.reaction_due is None  # the queue shows no reaction due once given


def test_a_pause_since_the_last_load_moves_the_resolution_deadline():
    sla = engine()
    [before] = rows_of(sla, open_call())
    pause = (datetime(2026, 11, 30, 10, 0, tzinfo=UTC), datetime(2026, 11, 30, 11, 0, tzinfo=UTC))
    [after] = rows_of(sla, open_call(), pauses=[pause])
    assert before.resolution is not None and after.resolution is not None
    assert after.resolution.deadline == before.resolution.deadline + 3600


def test_a_reclassified_call_is_planned_again():
    sla = engine()
    [before] = rows_of(sla, open_call())
    [after] = rows_of(sla, open_call(impact=Level.HOOG, priority=1))
    assert after.reaction.target_s < before.reaction.target_s
