"""Evening on-call: the queue it sees, its clocks, and the handover at 20:00."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls, oncall
from desk_tui.services.calls import CallDraft
from desk_tui.services.errors import Refused
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import HistoryField
from desk_tui.store.models import CallHistory, Category, Organisation
from tests.services.conftest import World, at


@pytest.fixture
def evening(world: World) -> dict[str, calls.Saved]:
    """Monday 30 November 2026: Enkhuizen opens its counters in the evening, Drechterland
    does not."""
    with write_session(world.db) as session:
        session.get(Organisation, world.organisation.id).evening_opening = True
        office = Category(name="Office", suggested_urgency=Level.LAAG)
        session.add(office)
    hardware = world.category.id

    def register(subject: str, when: str, *, organisation=None, category=hardware,
                 impact=Level.MIDDEN, urgency=Level.MIDDEN) -> calls.Saved:
        draft = CallDraft(organisation_id=(organisation or world.organisation).id,
                          call_type=CallType.STORING, subject=subject, impact=impact,
                          urgency=urgency, category_id=category)
        return world.write(calls.register_call, actor=world.agent, draft=draft, now=at(when))

    made = {
        "counter": register("Pasfotoscanner balie 2", "2026-11-30 17:10"),
        "no_evening": register("Scanner Hoogkarspel", "2026-11-30 17:15",
                               organisation=world.other_organisation),
        "office": register("Word crasht", "2026-11-30 17:20", category=office.id),
        "p1": register("Burgerzaken plat", "2026-11-30 18:00",
                       organisation=world.other_organisation, impact=Level.HOOG,
                       urgency=Level.HOOG),
        "done": register("Printer balie 1", "2026-11-30 17:30"),
        "old": register("Kaartlezer", "2026-11-27 10:00"),
    }
    world.write(calls.resolve, actor=world.agent, call_id=made["done"].id,
                now=at("2026-11-30 19:00"), solution="Papier bijgevuld")
    return made


def test_on_call_sees_only_what_it_handles_with_its_clocks(world: World, evening) -> None:
    view = world.read(oncall.on_call_queue, actor=world.agent, sla=world.sla,
                      now=at("2026-11-30 19:00"))
    assert view.open_now and view.evening.day.isoformat() == "2026-11-30"
    assert [row.id for row in view.rows] == [evening["p1"].id, evening["counter"].id]
    counter = view.rows[1]
    assert counter.reaction_due == at("2026-11-30 17:40")  # 30 minutes of on-call time
    assert view.rows[0].handled_by.value == "on-call"


def test_outside_the_window_the_queue_shows_the_next_evening(world: World, evening) -> None:
    view = world.read(oncall.on_call_queue, actor=world.agent, sla=world.sla,
                      now=at("2026-12-01 10:00"))
    assert not view.open_now and view.evening.day.isoformat() == "2026-12-02"


def test_handover_at_eight(world: World, evening) -> None:
    with write_session(world.db) as session:
        before = oncall.hand_over_if_due(session=session, actor=world.agent, sla=world.sla,
                                         now=at("2026-11-30 19:59"))
    assert before is None  # Thursday's evening is long past its morning; tonight's is open

    with write_session(world.db) as session:
        handover = oncall.hand_over_if_due(session=session, actor=world.agent, sla=world.sla,
                                           now=at("2026-11-30 20:00"))
    assert handover is not None and handover.created
    assert handover.evening == "2026-11-30"
    assert [line["reference"] for line in handover.open_calls] == [
        evening["p1"].reference, evening["counter"].reference]
    assert [line["reference"] for line in handover.done_calls] == [evening["done"].reference]
    assert handover.registered == 5

    with write_session(world.db) as session:  # a second time: nothing new
        assert oncall.hand_over_if_due(session=session, actor=world.agent, sla=world.sla,
                                       now=at("2026-11-30 20:05")) is None
        again = oncall.hand_over(session=session, actor=world.agent, sla=world.sla,
                                 now=at("2026-11-30 20:05"))
    assert not again.created and again.id == handover.id
    with read_session(world.db) as session:
        notes = session.execute(select(CallHistory.note).where(
            CallHistory.call_id == evening["counter"].id,
            CallHistory.field == HistoryField.NOTE)).scalars().all()
    assert notes == [
        "Piket 30-11-2026: open overgedragen aan de ochtenddienst"]

    pending = world.read(oncall.pending_handover, actor=world.colleague)
    assert pending is not None and pending.id == handover.id
    with write_session(world.db) as session:
        oncall.acknowledge(session=session, actor=world.colleague, handover_id=handover.id,
                           now=at("2026-12-01 08:02"))
    assert world.read(oncall.pending_handover, actor=world.colleague) is None
    text = handover.describe(world.sla.calendars.config.zone)
    assert "left open for the morning: 2" in text and "Pasfotoscanner balie 2" in text


def test_handover_needs_the_right(world: World, evening) -> None:
    with write_session(world.db) as session, pytest.raises(Refused):
        oncall.hand_over(session=session, actor=world.contract_manager, sla=world.sla,
                         now=at("2026-11-30 20:00"))
    with write_session(world.db) as session:
        assert oncall.hand_over_if_due(session=session, actor=world.contract_manager,
                                       sla=world.sla, now=at("2026-11-30 20:00")) is None


def test_a_day_call_on_call_takes_stays_in_its_queue(world: World, evening) -> None:
    draft = CallDraft(organisation_id=world.organisation.id, call_type=CallType.STORING,
                      subject="Kassa balie 3", impact=Level.LAAG, urgency=Level.LAAG,
                      category_id=world.category.id)
    day_call = world.write(calls.register_call, actor=world.agent, draft=draft,
                           now=at("2026-11-30 16:40"))
    world.write(calls.take, actor=world.colleague, call_id=day_call.id,
                now=at("2026-11-30 17:45"))
    view = world.read(oncall.on_call_queue, actor=world.agent, sla=world.sla,
                      now=at("2026-11-30 18:00"))
    assert day_call.id in [row.id for row in view.rows]


def test_the_configured_scope_decides_categories_and_municipalities(world: World,
                                                                     evening) -> None:
    """[on_call]: Drechterland (not marked in the database) opens in the evening, Enkhuizen
    is not listed, and Office counts as a counter application."""
    from desk_tui.domain.oncall import OnCallScope
    from desk_tui.services.desk import Desk

    scope = OnCallScope(categories=frozenset({"Hardware", "Office"}),
                        municipalities=frozenset({"DRE"}))
    view = world.read(oncall.on_call_queue, actor=world.agent, sla=world.sla,
                      now=at("2026-11-30 19:00"), scope=scope)
    assert [row.id for row in view.rows] == [evening["p1"].id, evening["no_evening"].id]
    # Office counts now, but only where the counters open: Enkhuizen is not listed.
    enkhuizen = OnCallScope(categories=frozenset({"Office"}),
                            municipalities=frozenset({"ENK"}))
    view = world.read(oncall.on_call_queue, actor=world.agent, sla=world.sla,
                      now=at("2026-11-30 19:00"), scope=enkhuizen)
    assert [row.id for row in view.rows] == [evening["p1"].id, evening["office"].id]
    # The console's desk applies the configured scope.
    desk = Desk(world.db, world.sla, lambda: at("2026-11-30 19:00"), on_call=scope)
    assert [row.id for row in desk.on_call_queue(world.agent).rows] == [
        evening["p1"].id, evening["no_evening"].id]
def test_crisis_calls_come_first_on_call_too(world: World, evening) -> None:
    """GRIP 3 in Enkhuizen: its counter call goes before Drechterland's P1."""
    from desk_tui.services import crisis

    with write_session(world.db) as session:
        crisis.set_level(session=session, actor=world.agent, code="ENK", level=3,
                         now=at("2026-11-30 12:00"))
    view = world.read(oncall.on_call_queue, actor=world.agent, sla=world.sla,
                      now=at("2026-11-30 19:00"))
    assert [row.id for row in view.rows] == [evening["counter"].id, evening["p1"].id]
    assert view.rows[0].crisis and not view.rows[1].crisis


def test_a_manager_sees_only_their_own_lines_and_cannot_dismiss_the_handover(
        world: World, evening) -> None:
    """The contract manager of Drechterland: its P1 is in the handover, Enkhuizen's
    counter call is not; marking it read is the desk's, not a read-only role's."""
    with write_session(world.db) as session:
        handover = oncall.hand_over(session=session, actor=world.agent, sla=world.sla,
                                    now=at("2026-11-30 20:00"))
    assert len(handover.open_calls) == 2 and len(handover.done_calls) == 1
    for read in (oncall.pending_handover, oncall.latest_handover):
        seen = world.read(read, actor=world.contract_manager)
        assert seen is not None and seen.id == handover.id
        assert [line["reference"] for line in seen.open_calls] == [evening["p1"].reference]
        assert seen.done_calls == []  # Enkhuizen's printer
        assert seen.registered == 2  # Drechterland's scanner and P1, not all five
        text = seen.describe(world.sla.calendars.config.zone)
        assert "Pasfotoscanner" not in text and "Printer balie 1" not in text
    with write_session(world.db) as session, pytest.raises(Refused):
        oncall.acknowledge(session=session, actor=world.contract_manager,
                           handover_id=handover.id, now=at("2026-12-01 08:00"))
    assert world.read(oncall.pending_handover, actor=world.agent) is not None


def test_the_queue_filters_and_sorts_apply_on_call(world: World, evening) -> None:
    """The m/u/b/w/p/o/s keys narrow and order the on-call queue as they do by day;
    "breached" judges by on-call's own clocks."""
    from desk_tui.services.views import QueueFilter, QueueSort

    def ids(when: str = "2026-11-30 18:10", **query) -> list:
        view = world.read(oncall.on_call_queue, actor=world.agent, sla=world.sla,
                          now=at(when), query=QueueFilter(**query))
        return [row.id for row in view.rows]

    p1, counter = evening["p1"].id, evening["counter"].id
    assert ids() == [p1, counter]
    assert ids(sort=QueueSort.REGISTERED) == [counter, p1]
    assert ids(organisation_id=world.organisation.id) == [counter]
    assert ids(priority=1) == [p1]
    assert ids(breached=True) == [counter]  # on-call's 30 minutes ran out at 17:40
    assert ids(text="Pasfoto") == [counter]
    assert ids(mine=True) == [] and ids(unassigned=True) == [p1, counter]
    world.write(calls.take, actor=world.agent, call_id=counter, now=at("2026-11-30 18:12"))
    assert ids("2026-11-30 18:15", mine=True) == [counter]
    assert ids("2026-11-30 18:15", unassigned=True) == [p1]
