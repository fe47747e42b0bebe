"""The open-call queue, search and caller lookup, on both engines."""

from __future__ import annotations

import pytest

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls
from desk_tui.services.errors import Refused
from desk_tui.services.queries import (
    QueueFilter,
    QueueSort,
    categories,
    find_people,
    open_queue,
    organisations,
    search_calls,
)
from tests.services.test_calls import register
from tests.world import MONDAY_9, World, at

H, M, L = Level.HOOG, Level.MIDDEN, Level.LAAG


def queue(world: World, now=MONDAY_9, actor=None, **filters):
    return world.read(open_queue, actor=actor or world.agent, sla=world.sla, now=now,
                      query=QueueFilter(**filters))


@pytest.fixture
def calls_in_every_state(world):
    low = register(world, subject="Office start traag", impact=L, urgency=L)
    urgent = register(world, subject="Telefooncentrale plat", impact=H, urgency=H,
                      now=at("2026-11-30 09:30"))
    mine = register(world, subject="Scanner werkt niet", impact=M, urgency=M)
    world.write(calls.take, actor=world.agent, call_id=mine.id, now=at("2026-11-30 09:05"))
    waiting = register(world, subject="Wachtwoord vergeten", call_type=CallType.SERVICEVERZOEK,
                       impact=None, urgency=None)
    world.write(calls.take, actor=world.colleague, call_id=waiting.id, now=MONDAY_9)
    world.write(calls.pause, actor=world.colleague, call_id=waiting.id, now=MONDAY_9,
                reason="Gebruiker belt terug")
    done = register(world, subject="Muis kapot", impact=L, urgency=M)
    world.write(calls.resolve, actor=world.agent, call_id=done.id, now=MONDAY_9,
                solution="Nieuwe muis")
    return {"low": low, "urgent": urgent, "mine": mine, "waiting": waiting, "done": done}


def subjects(rows) -> list[str]:
    return [row.summary for row in rows]


def test_only_open_calls_are_in_the_queue_first_due_first(world, calls_in_every_state):
    rows = queue(world, now=at("2026-11-30 09:40"))
    # P1 reaction at 09:45 runs out first; the waiting call's reaction was given.
    assert subjects(rows) == [
        "Telefooncentrale plat", "Office start traag", "Scanner werkt niet",
        "Wachtwoord vergeten",
    ]
    urgent = rows[0]
    assert urgent.number == "M2026-000002" and urgent.organisation == "ENK"
    assert urgent.caller == "Anouk Jansen" and urgent.priority == 1


def test_filters(world, calls_in_every_state):
    assert subjects(queue(world, mine=True)) == ["Scanner werkt niet"]
    assert set(subjects(queue(world, unassigned=True))) == {
        "Office start traag", "Telefooncentrale plat",
    }
    assert subjects(queue(world, waiting=True)) == ["Wachtwoord vergeten"]
    assert subjects(queue(world, priority=1)) == ["Telefooncentrale plat"]
    assert queue(world, organisation_id=world.other_organisation.id) == []


def test_breached_filter_follows_the_clock(world, calls_in_every_state):
    assert queue(world, now=at("2026-11-30 09:40"), breached=True) == []
    late = queue(world, now=at("2026-11-30 09:50"), breached=True)
    assert subjects(late) == ["Telefooncentrale plat"]  # reaction due 09:45, not given


def test_incremental_text_filter(world, calls_in_every_state):
    assert subjects(queue(world, text="telefoon")) == ["Telefooncentrale plat"]
    assert len(queue(world, text="jansen")) == 4
    assert subjects(queue(world, text="M2026-000003")) == ["Scanner werkt niet"]
    assert queue(world, text="100%_") == []


def test_sort_by_priority(world, calls_in_every_state):
    rows = queue(world, sort=QueueSort.PRIORITY)
    assert [r.priority for r in rows] == [1, 3, 5, None]


def test_search_finds_closed_calls_too(world, calls_in_every_state):
    hits = world.read(search_calls, actor=world.agent, sla=world.sla, text="muis")
    assert [h.reference for h in hits] == ["M2026-000005"]


def test_a_contract_manager_sees_only_their_organisation(world, calls_in_every_state):
    assert queue(world, actor=world.contract_manager) == []


def test_an_operator_without_roles_sees_nothing(world):
    with pytest.raises(Refused):
        queue(world, actor=world.nobody)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("anouk", ["Anouk Jansen"]),
        ("jans burgerz", ["Anouk Jansen"]),
        ("351234", ["Anouk Jansen"]),
        ("0228 351", ["Anouk Jansen", "Piet Bakker"]),
        ("ajansen", ["Anouk Jansen"]),
        ("ENK", ["Anouk Jansen", "Piet Bakker"]),
        ("drechterland", ["Kees Visser"]),
        ("%", []),
    ],
)
def test_caller_lookup_as_you_type(world, typed, found):
    hits = world.read(find_people, actor=world.agent, text=typed)
    assert [h.name for h in hits] == found


def test_pick_lists(world):
    assert [c.label for c in world.read(organisations)] == [
        "Gemeente Drechterland", "Gemeente Enkhuizen",
    ]
    [hardware] = world.read(categories)
    assert hardware.suggested_urgency is Level.MIDDEN


def test_a_reference_of_another_site_is_not_the_central_one(world, calls_in_every_state):
    assert queue(world, text="M2026-V01-000003") == []
    assert subjects(queue(world, text="M2026-000003")) == ["Scanner werkt niet"]


def test_the_limit_keeps_the_most_urgent_calls(world, calls_in_every_state):
    rows = queue(world, now=at("2026-11-30 09:40"), limit=1)
    assert subjects(rows) == ["Telefooncentrale plat"]
