"""Crisis mode (SPEC 10): GRIP levels per municipality, crisis calls first in the queue."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk_tui.services import crisis
from desk_tui.services.errors import InvalidInput, NotFound, Refused
from desk_tui.services.queries import QueueFilter, QueueSort, open_queue
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.models import CrisisContact, CrisisContactKind, GripLevel
from tests.services.test_calls import register
from tests.world import World, at

NOON = at("2026-11-30 12:00")


def set_level(world: World, code: str, level: int, now=NOON, actor=None) -> crisis.GripChange:
    with write_session(world.db) as session:
        return crisis.set_level(session=session, actor=actor or world.agent, code=code,
                                level=level, now=now)


def levels(world: World) -> list[crisis.OrganisationCrisis]:
    with read_session(world.db) as session:
        return crisis.current_levels(session=session, actor=world.agent)


def queue(world: World, sort: QueueSort = QueueSort.DUE):
    return world.read(open_queue, actor=world.agent, sla=world.sla, now=at("2026-11-30 14:00"),
                      query=QueueFilter(sort=sort))


def test_setting_raising_and_clearing_a_grip_level_keeps_the_history(world):
    assert set_level(world, "enk", 2, at("2026-11-30 11:00")) == crisis.GripChange("ENK", None, 2)
    assert set_level(world, "ENK", 3, NOON) == crisis.GripChange("ENK", 2, 3)
    assert set_level(world, "ENK", 4, at("2026-11-30 13:00")) == crisis.GripChange("ENK", 3, 4)
    [now] = levels(world)
    assert (now.code, now.level, now.in_crisis) == ("ENK", 4, True)
    assert now.crisis_since == NOON  # the run at GRIP 3+ began at 3, not at 4
    with write_session(world.db) as session:
        cleared = crisis.clear_level(session=session, actor=world.agent, code="ENK",
                                     now=at("2026-11-30 16:00"))
    assert cleared == crisis.GripChange("ENK", 4, None)
    assert levels(world) == []
    with read_session(world.db) as session:
        rows = session.execute(
            select(GripLevel.level, GripLevel.ended_at).order_by(GripLevel.started_at)
        ).all()
    assert rows == [(2, NOON), (3, at("2026-11-30 13:00")), (4, at("2026-11-30 16:00"))]


def test_bad_level_unknown_organisation_and_clearing_nothing_are_refused(world):
    with pytest.raises(InvalidInput, match="0, 1, 2, 3 or 4"):
        set_level(world, "ENK", 5)
    with pytest.raises(NotFound, match="no organisation with code 'XYZ'"):
        set_level(world, "XYZ", 3)
    with write_session(world.db) as session, pytest.raises(NotFound, match="no GRIP level"):
        crisis.clear_level(session=session, actor=world.agent, code="ENK", now=NOON)


@pytest.mark.parametrize("who", ["contract_manager", "specialist", "nobody"])
def test_only_desk_staff_may_set_a_grip_level(world, who):
    with pytest.raises(Refused, match=r"crisis\.manage"):
        set_level(world, "ENK", 3, actor=getattr(world, who))
    assert levels(world) == []


def test_contacts_of_a_municipality_in_crisis_come_with_its_level(world):
    with write_session(world.db) as session:
        session.add_all([
            CrisisContact(organisation_id=world.organisation.id, kind=CrisisContactKind.OOV,
                          role_title="Adviseur OOV", name="Joost Stam", phone="06-12345678"),
            CrisisContact(organisation_id=world.organisation.id,
                          kind=CrisisContactKind.CRISIS_LINE, role_title="Crisislijn 24/7",
                          phone="088-0120112"),
        ])
    set_level(world, "ENK", 3)
    [enk] = levels(world)
    assert [c.phone for c in enk.crisis_lines] == ["088-0120112"]
    assert [(c.name, c.phone) for c in enk.oov_contacts] == [("Joost Stam", "06-12345678")]


@pytest.mark.parametrize("sort", list(QueueSort))
def test_crisis_calls_sort_first_whatever_the_order(world, sort):
    from desk_tui.domain.classification import Level

    before = register(world, now=at("2026-11-30 09:00"), subject="Voor de crisis",
                      impact=Level.HOOG, urgency=Level.HOOG)
    elsewhere = register(world, now=at("2026-11-30 12:30"), subject="Andere gemeente",
                         organisation_id=world.other_organisation.id, caller_id=None)
    during = register(world, now=at("2026-11-30 12:45"), subject="Tijdens de crisis",
                      impact=Level.LAAG, urgency=Level.LAAG)
    set_level(world, "ENK", 3, NOON)
    rows = queue(world, sort)
    assert rows[0].id == during.id and rows[0].crisis
    assert {row.id for row in rows[1:]} == {before.id, elsewhere.id}
    assert not any(row.crisis for row in rows[1:])


def test_below_grip_3_there_are_no_crisis_calls(world):
    register(world, now=at("2026-11-30 12:45"))
    set_level(world, "ENK", 2, NOON)
    assert not any(row.crisis for row in queue(world))
    set_level(world, "ENK", 3, at("2026-11-30 12:30"))  # calls from 12:30 on are crisis calls
    assert all(row.crisis for row in queue(world))
    set_level(world, "ENK", 2, at("2026-11-30 13:30"))
    assert not any(row.crisis for row in queue(world))


def test_the_first_queue_at_start_marks_and_sorts_crisis_calls_as_the_desk_does(world):
    from desk_tui.services.first_queue import read_first_queue, sqlite_file

    path = sqlite_file(str(world.db.url))
    if path is None:
        pytest.skip("the first queue is read from a SQLite file only")
    register(world, now=at("2026-11-30 09:00"), subject="Voor de crisis")
    register(world, now=at("2026-11-30 12:45"), subject="Tijdens de crisis")
    set_level(world, "ENK", 3, NOON)
    found = read_first_queue(path, "agent", sla=world.sla, clock=lambda: at("2026-11-30 14:00"))
    assert found is not None
    assert found.rows == queue(world)
    assert [(row.summary, row.crisis) for row in found.rows] == [
        ("Tijdens de crisis", True), ("Voor de crisis", False)]


def test_a_crisis_call_beyond_the_queue_limit_still_shows_first(world):
    """The queue reads at most `limit` calls by due time; a crisis call registered last,
    due last, must not fall off (both engines)."""
    from desk_tui.domain.classification import Level

    urgent = [register(world, subject=f"Storing {n}", impact=Level.HOOG, urgency=Level.HOOG,
                       now=at("2026-11-30 11:00")) for n in range(3)]
    set_level(world, "ENK", 3, NOON)
    late = register(world, subject="Stembureau zonder stroom", impact=Level.LAAG,
                    urgency=Level.LAAG, now=at("2026-11-30 12:30"))
    rows = world.read(open_queue, actor=world.agent, sla=world.sla,
                      now=at("2026-11-30 14:00"), query=QueueFilter(limit=2))
    assert rows[0].id == late.id and rows[0].crisis
    assert len(rows) == 2 and rows[1].id in {saved.id for saved in urgent}
