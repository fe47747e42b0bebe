"""Priority 1 in the call view: closing or lowering asks who agreed; escalating by key."""

from __future__ import annotations

from sqlalchemy import select

from desk_tui.domain.classification import Level
from desk_tui.services import calls
from desk_tui.store.engine import read_session
from desk_tui.store.enums import CallStatus, HistoryField
from desk_tui.store.models import Call, CallHistory
from desk_tui.ui.screens.call import CallScreen
from desk_tui.ui.screens.dialogs import ChoicePrompt, TextPrompt
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.world import at


async def open_call(app, pilot, call_id) -> CallScreen:
    await wait_for(pilot, lambda: loaded(app))
    app.push_screen(CallScreen(call_id))
    await wait_for(pilot, lambda: isinstance(app.screen, CallScreen)
                   and app.screen.detail is not None)
    return app.screen


async def test_closing_a_p1_asks_who_agreed_and_records_it(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"), impact=Level.HOOG,
                     urgency=Level.HOOG)
    ui_world.write(calls.resolve, actor=ui_world.agent, call_id=saved.id,
                   now=at("2026-11-30 09:40"), solution="Switch vervangen")
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_call(app, pilot, saved.id)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"Carla Contract", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen)
                       and app.screen.detail.status is CallStatus.GESLOTEN)
    with read_session(ui_world.db) as session:
        note = session.execute(
            select(CallHistory.note).where(CallHistory.new_value == "gesloten")
        ).scalar_one()
    assert note == "in overleg met Carla Contract"


async def test_escalating_by_key_with_a_reason(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(app, pilot, saved.id)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("down", "down", "enter")  # level 2
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"Leverancier reageert niet", "enter")
        await wait_for(pilot, lambda: screen.detail.escalation_level == 2)
    with read_session(ui_world.db) as session:
        step = session.execute(
            select(CallHistory.old_value, CallHistory.new_value, CallHistory.note)
            .where(CallHistory.field == HistoryField.ESCALATION_LEVEL)
        ).one()
        assert session.get(Call, saved.id).escalation_level == 2
    assert tuple(step) == ("0", "2", "Leverancier reageert niet")


async def test_the_p1_pane_shows_the_notice_and_the_evaluation_is_planned_then_held(
    ui_world, clock
):
    saved = register(ui_world, now=at("2026-11-30 09:00"), impact=Level.HOOG,
                     urgency=Level.HOOG)
    plain = register(ui_world, now=at("2026-11-30 09:05"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(app, pilot, plain.id)
        assert not screen.query_one("#call-p1-pane").display
        assert screen.check_action("evaluate", ()) is False
        await pilot.press("escape")
        screen = await open_call(app, pilot, saved.id)
        await wait_for(pilot, lambda: screen.p1 is not None)
        assert screen.query_one("#call-p1-pane").display
        assert "nog te plannen (v)" in screen.query_one("#call-p1").plain
        assert "Niemand ingelicht" in screen.query_one("#call-p1").plain  # no managers named
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"2026-12-03 10:00", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt)
                       and "Met wie" in str(app.screen.label))
        await pilot.press(*"Carla Contract", "enter")
        await wait_for(pilot, lambda: "gepland 03-12-2026 10:00 met Carla Contract"
                       in screen.query_one("#call-p1").plain)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"Firmware switch", "ctrl+s")
        await wait_for(pilot, lambda: "gehouden 30-11-2026" in screen.query_one("#call-p1").plain)
        assert screen.check_action("evaluate", ()) is False


async def test_similar_calls_are_bundled_into_a_problem(ui_world, clock):
    from desk_tui.store.models import ProblemCall
    from desk_tui.ui.screens.bundle import BundleDialog

    first = register(ui_world, now=at("2026-11-30 09:00"), subject="Printer balie storing")
    second = register(ui_world, now=at("2026-11-30 09:10"), subject="Printer balie storing")
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_call(app, pilot, first.id)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, BundleDialog))
        assert [hit.id for hit in app.screen.similar] == [second.id]
        await pilot.press("space", "ctrl+s")
        await wait_for(pilot, lambda: any("P2026-000001" in n.message
                                          for n in app._notifications))
    with read_session(ui_world.db) as session:
        bundled = set(session.execute(select(ProblemCall.call_id)).scalars())
    assert bundled == {first.id, second.id}


async def test_the_line_pane_names_the_next_rung_of_the_ladder(ui_world, clock):
    from desk_tui.store.engine import write_session
    from desk_tui.store.enums import EscalationSide
    from desk_tui.store.models import EscalationContact

    with write_session(ui_world.db) as session:
        session.add(EscalationContact(
            organisation_id=ui_world.organisation.id, level=1, side=EscalationSide.DEELNEMER,
            role_title="Contractmanager", person_name="Carla [b]Contract[/b]",
            phone="0228-360000"))
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(app, pilot, saved.id)
        shown = screen.query_one("#call-hierarchy").plain
    assert "Escalatie: niet geëscaleerd" in shown
    assert ("Volgende: niveau 1 — contractmanager: Carla [b]Contract[/b] 0228-360000"
            " / servicemanager / senior servicedeskmedewerker") in shown


async def test_l_shows_both_ladders_with_the_level_and_whom_to_call_next(ui_world, clock):
    from desk_tui.store.engine import write_session
    from desk_tui.store.enums import EscalationSide, SupportLine
    from desk_tui.store.models import EscalationContact
    from desk_tui.ui.screens.ladder import LadderDialog
    from desk_tui.ui.widgets.ladder import FunctionalLadder

    with write_session(ui_world.db) as session:
        session.add(EscalationContact(
            organisation_id=ui_world.organisation.id, level=2, side=EscalationSide.DEELNEMER,
            role_title="informatiemanager", person_name="Ivo [Info]", phone="0228-360001"))
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    ui_world.write(calls.escalate, actor=ui_world.agent, call_id=saved.id,
                   now=at("2026-11-30 09:30"), level=1, reason="Geen oplossing")
    ui_world.write(calls.move_line, actor=ui_world.agent, call_id=saved.id,
                   now=at("2026-11-30 09:35"), line=SupportLine.TWEEDE_LIJN)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_call(app, pilot, saved.id)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, LadderDialog))
        text = str(app.screen.query_one("#ladder-hierarchy").render())
        assert app.screen.query_one(FunctionalLadder).line is SupportLine.TWEEDE_LIJN
        assert "▶ niveau 1  (hier staat de melding)" in text
        assert "→ niveau 2  (wie u hierna belt)" in text
        assert "informatiemanager — Ivo [Info] 0228-360001" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))


async def test_a_finished_call_has_no_next_rung_on_either_ladder_view(ui_world, clock):
    """Resolved and closed calls: the line pane and L say the call is finished and name
    nobody to call next (the level it ended at stays marked)."""
    from desk_tui.store.engine import write_session
    from desk_tui.store.enums import EscalationSide
    from desk_tui.store.models import EscalationContact
    from desk_tui.ui.screens.ladder import LadderDialog

    with write_session(ui_world.db) as session:
        session.add(EscalationContact(
            organisation_id=ui_world.organisation.id, level=2, side=EscalationSide.DEELNEMER,
            role_title="informatiemanager", person_name="Ivo Info", phone="0228-360001"))
    resolved = register(ui_world, now=at("2026-11-30 09:00"))
    ui_world.write(calls.escalate, actor=ui_world.agent, call_id=resolved.id,
                   now=at("2026-11-30 09:10"), level=1, reason="Geen oplossing")
    ui_world.write(calls.resolve, actor=ui_world.agent, call_id=resolved.id,
                   now=at("2026-11-30 09:30"), solution="Kabel vervangen")
    closed = register(ui_world, now=at("2026-11-30 09:01"))
    ui_world.write(calls.resolve, actor=ui_world.agent, call_id=closed.id,
                   now=at("2026-11-30 09:31"), solution="Herstart")
    ui_world.write(calls.close, actor=ui_world.agent, call_id=closed.id,
                   now=at("2026-11-30 09:45"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        for saved, finished in ((resolved, "Afgehandeld: opgelost ma 30 nov 09:30"),
                                (closed, "Afgehandeld: gesloten ma 30 nov 09:45")):
            screen = await open_call(app, pilot, saved.id)
            pane = screen.query_one("#call-hierarchy").plain
            assert finished + ", geen volgende stap" in pane
            assert "Volgende" not in pane and "Ivo Info" not in pane
            await pilot.press("L")
            await wait_for(pilot, lambda: isinstance(app.screen, LadderDialog))
            text = str(app.screen.query_one("#ladder-hierarchy").render())
            assert "✓ " + finished + ", geen volgende stap" in text
            assert "→" not in text and "wie u hierna belt" not in text
            if saved is resolved:
                assert "▶ niveau 1  (hier eindigde de melding)" in text
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, CallScreen))
