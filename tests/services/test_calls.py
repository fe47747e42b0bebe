"""Call use cases on both engines: what is stored, the due times, the history, refusals."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import Handler
from desk_tui.services import calls
from desk_tui.services.calls import CallDraft
from desk_tui.services.errors import Conflict, InvalidInput, Refused, WrongState
from desk_tui.services.queries import call_detail
from desk_tui.store.engine import read_session
from desk_tui.store.enums import CallStatus, HistoryField, SupportLine
from desk_tui.store.models import Call, CallHistory, OutboxMessage
from tests.world import MONDAY_9, World, at

H, M, L = Level.HOOG, Level.MIDDEN, Level.LAAG


def draft(world: World, **changes) -> CallDraft:
    base = CallDraft(
        organisation_id=world.organisation.id, caller_id=world.caller.id,
        call_type=CallType.STORING, subject="Balieprinter geeft papierstoring",
        description="Sinds vanochtend; lade 2.", impact=M, urgency=H,
        category_id=world.category.id, ci_ids=(world.workstation.id,),
    )
    return replace(base, **changes)


def register(world: World, now=MONDAY_9, **changes) -> calls.Saved:
    return world.write(calls.register_call, actor=world.agent, draft=draft(world, **changes),
                       now=now)


def detail(world: World, saved: calls.Saved):
    return world.read(call_detail, actor=world.agent, sla=world.sla, call_id=saved.id)


def test_register_stores_priority_due_times_history_and_confirmation(world):
    saved = register(world)
    assert saved.reference == "M2026-000001" and saved.priority == 2
    assert saved.sla.reaction_due == at("2026-11-30 09:30")
    assert saved.sla.resolution_due == at("2026-11-30 17:00")  # 1 day = 8 h
    with read_session(world.db) as session:
        call = session.get(Call, saved.id)
        assert call.status is CallStatus.GEREGISTREERD
        assert call.reaction_due == at("2026-11-30 09:30")
        assert call.registered_by_id == world.agent.id
        mail = session.execute(select(OutboxMessage)).scalar_one()
        history = session.execute(select(CallHistory.field, CallHistory.new_value)).all()
    assert mail.recipient == "a.jansen@enkhuizen.example"
    assert "M2026-000001" in mail.subject and "Prioriteit: 2" in mail.body
    assert sorted(history) == [(HistoryField.PRIORITY, "2"), (HistoryField.STATUS, "geregistreerd")]
    shown = detail(world, saved)
    assert shown.cis[0].name == "ENK-WS-0042" and shown.department == "Burgerzaken"


def test_numbers_count_up_per_year(world):
    first = register(world)
    second = register(world)
    next_year = register(world, now=at("2027-01-04 09:00"))
    assert (first.reference, second.reference, next_year.reference) == (
        "M2026-000001", "M2026-000002", "M2027-000001",
    )


def test_priority_1_after_hours_goes_to_on_call(world):
    saved = register(world, now=at("2026-11-30 18:10"), impact=H, urgency=H)
    assert saved.sla.handled_by is Handler.ON_CALL
    with read_session(world.db) as session:
        assert session.get(Call, saved.id).handled_by is Handler.ON_CALL


def test_no_mail_without_an_address(world):
    register(world, caller_id=world.caller_without_mail.id)
    with read_session(world.db) as session:
        assert session.execute(select(func.count()).select_from(OutboxMessage)).scalar() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"description": "y" * 20_001}, "description"),
        ({"impact": None}, "impact"),
        ({"urgency": None}, "urgency"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(world, changes, field):
    with pytest.raises(InvalidInput) as refused:
        register(world, **changes)
    assert refused.value.field == field
    with read_session(world.db) as session:
        assert session.execute(select(func.count()).select_from(Call)).scalar() == 0


def test_a_caller_of_another_organisation_is_refused(world):
    with pytest.raises(InvalidInput, match="does not belong"):
        register(world, caller_id=world.stranger.id)


def test_text_is_stored_exactly_as_typed(world):
    subject = "[bold]Printer[/] \x1b[31m rood [/tmp/x] 🙂 עברית"
    saved = register(world, subject=subject, description="a\x00b\n[link=x]y")
    shown = detail(world, saved)
    assert shown.subject == subject
    assert shown.description == "a\u2400b\n[link=x]y"


def test_requests_need_no_impact_and_have_a_two_hour_reaction(world):
    saved = register(world, call_type=CallType.SERVICEVERZOEK, impact=None, urgency=None)
    assert saved.priority is None and saved.sla.resolution_due is None
    assert saved.sla.reaction_due == at("2026-11-30 11:00")


class TestRefusals:
    def test_an_operator_without_roles_may_do_nothing(self, world):
        with pytest.raises(Refused, match=r"call\.register"):
            world.write(calls.register_call, actor=world.nobody, draft=draft(world), now=MONDAY_9)

    def test_a_specialist_does_not_register_calls(self, world):
        with pytest.raises(Refused):
            world.write(calls.register_call, actor=world.specialist, draft=draft(world),
                        now=MONDAY_9)

    def test_a_contract_manager_reads_only_their_own_organisation(self, world):
        saved = register(world)
        with pytest.raises(Refused, match="own organisation"):
            world.read(call_detail, actor=world.contract_manager, sla=world.sla,
                       call_id=saved.id)
        with pytest.raises(Refused):
            world.write(calls.take, actor=world.contract_manager, call_id=saved.id,
                        now=MONDAY_9)


class TestLifecycle:
    def test_take_gives_the_reaction_and_keeps_history(self, world):
        saved = register(world)
        taken = world.write(calls.take, actor=world.agent, call_id=saved.id,
                            now=at("2026-11-30 09:10"), version=saved.version)
        assert taken.status is CallStatus.IN_BEHANDELING
        assert taken.sla.reaction.held_at is not None  # the reaction clock stopped
        shown = detail(world, taken)
        assert shown.handler == "Sanne de Vries"
        assert shown.reacted_at == at("2026-11-30 09:10")
        fields = [h.field for h in shown.history]
        assert HistoryField.HANDLER in fields and fields.count(HistoryField.STATUS) == 2

    def test_two_operators_taking_the_same_call_one_is_told(self, world):
        saved = register(world)
        world.write(calls.take, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                    version=saved.version)
        with pytest.raises(Conflict, match="changed by someone else"):
            world.write(calls.take, actor=world.colleague, call_id=saved.id, now=MONDAY_9,
                        version=saved.version)
        assert detail(world, saved).handler == "Sanne de Vries"

    def test_waiting_holds_the_resolution_clock_and_resume_moves_the_due_time(self, world):
        saved = register(world, impact=M, urgency=H)  # 8 h, registered Mon 09:00
        world.write(calls.take, actor=world.agent, call_id=saved.id, now=MONDAY_9)
        waiting = world.write(calls.pause, actor=world.agent, call_id=saved.id,
                              now=at("2026-11-30 11:00"), reason="Wacht op gebruiker")
        assert waiting.status is CallStatus.WACHT and waiting.sla.resolution_due is None
        resumed = world.write(calls.resume, actor=world.agent, call_id=saved.id,
                              now=at("2026-12-01 14:00"))
        assert resumed.sla.resolution_due == at("2026-12-02 11:00")  # the SPEC's example
        with read_session(world.db) as session:
            assert session.get(Call, saved.id).resolution_due == at("2026-12-02 11:00")
        assert detail(world, saved).pauses[0].reason == "Wacht op gebruiker"

    def test_only_a_call_in_behandeling_can_wait(self, world):
        saved = register(world)
        with pytest.raises(WrongState):
            world.write(calls.pause, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                        reason="x")

    def test_reclassify_recomputes_from_registration_and_keeps_history(self, world):
        saved = register(world, impact=L, urgency=L)  # P5, 10 days
        changed = world.write(calls.reclassify, actor=world.agent, call_id=saved.id,
                              now=at("2026-11-30 10:00"), call_type=CallType.STORING,
                              impact=H, urgency=H, note="Hele afdeling ligt plat")
        assert changed.priority == 1
        assert changed.sla.resolution_due == at("2026-11-30 13:00")  # 4 h from 09:00
        history = {(h.field, h.old_value, h.new_value) for h in detail(world, saved).history}
        assert (HistoryField.PRIORITY, "5", "1") in history
        assert (HistoryField.IMPACT, "laag", "hoog") in history

    def test_move_line_up_the_ladder_to_a_supplier(self, world):
        saved = register(world)
        world.write(calls.move_line, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                    line=SupportLine.DERDE_LIJN, supplier="Centric", note="Bug in module")
        shown = detail(world, saved)
        assert shown.line is SupportLine.DERDE_LIJN and shown.supplier == "Centric"
        with pytest.raises(WrongState, match="already"):
            world.write(calls.move_line, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                        line=SupportLine.DERDE_LIJN)

    def test_resolve_close_and_reopen(self, world):
        saved = register(world, impact=M, urgency=H)
        world.write(calls.take, actor=world.agent, call_id=saved.id, now=MONDAY_9)
        resolved = world.write(calls.resolve, actor=world.agent, call_id=saved.id,
                               now=at("2026-11-30 10:00"), solution="Lade 2 vrijgemaakt")
        assert resolved.status is CallStatus.OPGELOST
        closed = world.write(calls.close, actor=world.agent, call_id=saved.id,
                             now=at("2026-12-01 09:00"))
        assert closed.status is CallStatus.GESLOTEN
        with pytest.raises(WrongState):
            world.write(calls.close, actor=world.agent, call_id=saved.id, now=MONDAY_9)
        reopened = world.write(calls.reopen, actor=world.agent, call_id=saved.id,
                               now=at("2026-12-02 09:00"), reason="Storing terug")
        # 1 h used before resolving; resolved Mon 10:00 until Wed 09:00 does not count.
        assert reopened.status is CallStatus.IN_BEHANDELING
        assert reopened.sla.resolution_due == at("2026-12-02 16:00")

    def test_a_resolved_call_cannot_be_resolved_again(self, world):
        saved = register(world)
        world.write(calls.resolve, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                    solution="Uitleg gegeven")
        with pytest.raises(WrongState):
            world.write(calls.resolve, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                        solution="nog eens")

    def test_link_and_unlink_a_ci(self, world):
        saved = register(world, ci_ids=())
        world.write(calls.link_ci, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                    ci_id=world.workstation.id)
        assert [c.name for c in detail(world, saved).cis] == ["ENK-WS-0042"]
        world.write(calls.unlink_ci, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                    ci_id=world.workstation.id)
        assert detail(world, saved).cis == ()
