"""Work queues: open calls per organisation, line, handler and age; the bottlenecks."""

from __future__ import annotations

from desk_tui.domain.classification import Level
from desk_tui.services import calls, workload
from desk_tui.store.engine import read_session
from desk_tui.store.enums import SupportLine
from tests.services.test_calls import draft, register
from tests.world import World, at

H, M, L = Level.HOOG, Level.MIDDEN, Level.LAAG
HOUR = 3600.0


def test_counts_ages_and_bottlenecks(world: World) -> None:
    old = register(world, impact=L, urgency=L, now=at("2026-11-16 09:00"))  # 10 days + 1 h
    taken = register(world, impact=M, urgency=M, now=at("2026-11-30 09:00"))
    world.write(calls.take, actor=world.agent, call_id=taken.id, now=at("2026-11-30 09:10"))
    world.write(calls.move_line, actor=world.agent, call_id=taken.id,
                now=at("2026-11-30 09:20"), line=SupportLine.TWEEDE_LIJN)
    fresh = register(world, impact=L, urgency=L, now=at("2026-12-01 10:00"))
    done = register(world, impact=L, urgency=L, now=at("2026-11-30 09:00"))
    world.write(calls.resolve, actor=world.agent, call_id=done.id, now=at("2026-11-30 10:00"),
                solution="Klaar")
    world.write(calls.register_call, actor=world.agent, now=at("2026-12-01 09:00"),
                draft=draft(world, organisation_id=world.other_organisation.id,
                            caller_id=world.stranger.id, ci_ids=(), impact=L, urgency=L))
    now = at("2026-12-01 11:00")

    with read_session(world.db) as session:
        everyone = workload.work_queues(session=session, actor=world.agent, sla=world.sla,
                                        now=now)
        own = workload.work_queues(session=session, actor=world.contract_manager,
                                   sla=world.sla, now=now)

    assert everyone.total == 4  # the resolved call is not in a work queue
    assert everyone.by_organisation == {"ENK": 3, "DRE": 1}
    assert everyone.by_line == {"eerste-lijn": 3, "tweede-lijn": 1}
    assert everyone.by_handler == {"(niemand)": 3, "Sanne de Vries": 1}
    # Work time since registration: old 101 h (over 10 days of 8 h), taken 11 h, fresh 1 h.
    assert everyone.by_age == {"< 1 dag": 2, "1–3 dagen": 1, "3–10 dagen": 0,
                               "> 10 dagen": 1}
    assert everyone.oldest[0].row.id == old.id
    assert everyone.oldest[0].age_seconds == 101 * HOUR
    # The old P5: reaction due after 2 h, so 99 h late; the fresh one 0 h late (due 12:00).
    assert everyone.most_overdue[0].row.id == old.id
    assert everyone.most_overdue[0].over_seconds == 99 * HOUR
    assert fresh.id not in [item.row.id for item in everyone.most_overdue]
    # A contract manager sees the queue of their own organisation only.
    assert (own.total, own.by_organisation) == (1, {"DRE": 1})
