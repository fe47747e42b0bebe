"""Availability from the calls' history: registered P1, raised and lowered, reopened."""

from __future__ import annotations

from datetime import date

import pytest

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import availability, calls
from desk_tui.services.errors import Refused
from desk_tui.store.engine import read_session
from tests.services.test_calls import draft, register
from tests.world import World, at

H, M = Level.HOOG, Level.MIDDEN
HOUR = 3600.0


def test_december_with_p1_time_over_a_weekend_a_raise_and_a_reopen(world: World) -> None:
    weekend = register(world, impact=H, urgency=H, now=at("2026-12-04 16:00"))
    world.write(calls.resolve, actor=world.agent, call_id=weekend.id,
                now=at("2026-12-07 10:00"), solution="Switch vervangen")
    raised = register(world, impact=M, urgency=H, now=at("2026-12-09 10:00"))
    world.write(calls.reclassify, actor=world.agent, call_id=raised.id,
                now=at("2026-12-09 11:00"), call_type=CallType.STORING, impact=H, urgency=H)
    world.write(calls.reclassify, actor=world.agent, call_id=raised.id,
                now=at("2026-12-09 12:00"), call_type=CallType.STORING, impact=M, urgency=H,
                agreed_with="Carla Contract")
    twice = register(world, impact=H, urgency=H, now=at("2026-12-14 09:00"))
    world.write(calls.resolve, actor=world.agent, call_id=twice.id,
                now=at("2026-12-14 10:00"), solution="Herstart")
    world.write(calls.reopen, actor=world.agent, call_id=twice.id,
                now=at("2026-12-14 11:00"), reason="Weer uitgevallen")
    world.write(calls.resolve, actor=world.agent, call_id=twice.id,
                now=at("2026-12-14 11:30"), solution="Voeding vervangen")
    world.write(calls.register_call, actor=world.agent, now=at("2026-12-15 09:00"),
                draft=draft(world, organisation_id=world.other_organisation.id,
                            caller_id=world.stranger.id, impact=H, urgency=H, ci_ids=()))

    with read_session(world.db) as session:
        result = availability.monthly_availability(
            session=session, actor=world.agent, sla=world.sla,
            organisation_id=world.organisation.id, month=date(2026, 12, 1),
            now=at("2027-01-05 09:00"),
        )

    # Fri 16–17 + Mon 08–10 = 3 h; raised 11:00–12:00 = 1 h; 09–10 and 11–11:30 = 1.5 h.
    assert [o.window_seconds / HOUR for o in result.outages] == [3.0, 1.0, 1.0, 0.5]
    assert result.unavailable_seconds == 5.5 * HOUR
    assert result.share == pytest.approx(1 - 5.5 / 198)
    assert not result.meets_norm


def test_a_contract_manager_sees_only_their_own_organisation(world: World) -> None:
    with read_session(world.db) as session, pytest.raises(Refused):
        availability.monthly_availability(
            session=session, actor=world.contract_manager, sla=world.sla,
            organisation_id=world.organisation.id, month=date(2026, 12, 1),
            now=at("2027-01-05 09:00"),
        )
