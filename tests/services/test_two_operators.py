"""Two operators, two processes, one call: one wins, the other is told, nothing is
overwritten silently (optimistic version check). On SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from desk_tui.domain.classification import CallType, Level
from desk_tui.store.engine import read_session
from desk_tui.store.enums import HistoryField
from desk_tui.store.models import Call, CallHistory
from tests.services.test_calls import register
from tests.world import World, at

NOW = at("2026-11-30 09:30")


def _operator_process(url: str, login: str, step: str, call_id: str, version: int,
                      start: Any, results: Any) -> None:
    """One operator's console in a process of its own: wait for the other, then write."""
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services import calls
    from desk_tui.services.errors import Conflict
    from desk_tui.services.queries import actor_for
    from desk_tui.store.engine import make_engine, write_session

    engine = make_engine(url)
    sla = SlaEngine(build_calendars(first_year=2026))
    with read_session(engine) as session:
        actor = actor_for(session, login)
    kwargs: dict[str, Any] = {}
    use_case = calls.take
    if step == "reclassify":
        use_case = calls.reclassify
        kwargs = {"call_type": CallType.STORING, "impact": Level.HOOG, "urgency": Level.HOOG}
    start.wait(timeout=60)
    try:
        with write_session(engine) as session:
            use_case(session=session, actor=actor, sla=sla, call_id=uuid.UUID(call_id),
                     now=NOW, version=version, **kwargs)
        results.put((login, "saved"))
    except Conflict as error:
        results.put((login, f"conflict: {error}"))
    except Exception as error:  # anything else fails the test, with its reason
        results.put((login, f"error: {error!r}"))
    finally:
        engine.dispose()


def run_two_operators(url: str, steps: dict[str, str], call_id: uuid.UUID,
                      version: int) -> dict[str, str]:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(steps))
    results = context.Queue()
    processes = [
        context.Process(target=_operator_process,
                        args=(url, login, step, str(call_id), version, start, results))
        for login, step in steps.items()
    ]
    for process in processes:
        process.start()
    outcome = dict(results.get(timeout=90) for _ in processes)
    for process in processes:
        process.join(30)
        assert process.exitcode == 0
    return outcome


@pytest.fixture
def url(world: World, db_url: str) -> str:
    return db_url


def test_two_operators_taking_the_same_call_in_two_processes(world, url):
    saved = register(world, now=at("2026-11-30 09:00"))
    outcome = run_two_operators(url, {"agent": "take", "agent2": "take"}, saved.id,
                                saved.version)
    winners = [login for login, result in outcome.items() if result == "saved"]
    assert len(winners) == 1, outcome
    [loser] = set(outcome) - set(winners)
    assert "changed by someone else meanwhile" in outcome[loser]
    assert "nothing was overwritten" in outcome[loser]
    names = {"agent": "Sanne de Vries", "agent2": "Ruben Smit"}
    with read_session(world.db) as session:
        call = session.get(Call, saved.id)
        handlers = session.execute(
            select(CallHistory.new_value).where(CallHistory.field == HistoryField.HANDLER)
        ).scalars().all()
        from desk_tui.store.models import Operator

        handler = session.get(Operator, call.handler_id)
    assert handler.display_name == names[winners[0]]
    assert len(handlers) == 1  # the loser left no trace
    assert call.version == saved.version + 1


def test_a_take_and_a_reclassification_at_once_do_not_mix(world, url):
    saved = register(world, now=at("2026-11-30 09:00"), impact=Level.LAAG, urgency=Level.LAAG)
    outcome = run_two_operators(url, {"agent": "take", "agent2": "reclassify"}, saved.id,
                                saved.version)
    assert sorted(result.split(":")[0] for result in outcome.values()) == ["conflict", "saved"]
    with read_session(world.db) as session:
        call = session.get(Call, saved.id)
    if outcome["agent"] == "saved":  # taken: the reclassification did not happen
        assert call.handler_id == world.agent.id and call.priority == 5
    else:  # reclassified: nobody took it
        assert call.handler_id is None and call.priority == 1
