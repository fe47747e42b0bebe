"""The screen of calls needing action, opened from the queue with one key."""

from __future__ import annotations

from textual.widgets import OptionList

from desk_tui.domain.classification import Level
from desk_tui.ui.screens.call import CallScreen
from desk_tui.ui.screens.escalations import EscalationsScreen
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.world import at


async def test_a_key_lists_what_needs_action_and_enter_opens_the_call(ui_world, clock):
    urgent = register(ui_world, now=at("2026-11-30 09:00"), subject="[b]Alles[/b] plat",
                      impact=Level.HOOG, urgency=Level.HOOG)
    register(ui_world, now=at("2026-11-30 09:55"), impact=Level.LAAG, urgency=Level.LAAG)
    app = make_test_app(ui_world, clock)  # 10:00: the P1 is an hour past its reaction
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app))
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, EscalationsScreen)
                       and bool(app.screen.items))
        screen = app.screen
        assert [item.row.id for item in screen.items] == [urgent.id]
        line = str(screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "niveau 1 nodig" in line and "reactie te laat" in line
        assert "[b]Alles[/b] plat" in line  # shown literally
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EscalationsScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, EscalationsScreen))


async def test_p1_evaluations_are_listed_until_they_are_held(ui_world, clock):
    from desk_tui.services import p1
    from desk_tui.store.engine import write_session

    held = register(ui_world, now=at("2026-11-30 08:00"), subject="Netwerk plat",
                    impact=Level.HOOG, urgency=Level.HOOG)
    planned = register(ui_world, now=at("2026-11-30 08:30"), subject="Telefonie weg",
                       impact=Level.HOOG, urgency=Level.HOOG)
    open_ = register(ui_world, now=at("2026-11-30 09:00"), subject="Zaaksysteem plat",
                     impact=Level.HOOG, urgency=Level.HOOG)
    with write_session(ui_world.db) as session:
        p1.plan_evaluation(session=session, actor=ui_world.agent, call_id=planned.id,
                           planned_for=at("2026-12-02 10:00"), with_whom="Carla Contract",
                           now=at("2026-11-30 09:30"))
        p1.record_evaluation(session=session, actor=ui_world.agent, call_id=held.id,
                             held_at=at("2026-11-30 09:30"), summary="Besproken",
                             now=at("2026-11-30 09:40"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app))
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, EscalationsScreen)
                       and bool(app.screen.evaluations))
        screen = app.screen
        assert [e.call_id for e in screen.evaluations] == [planned.id, open_.id]
        lines = [str(screen.query_one("#evaluations", OptionList).get_option_at_index(i).prompt)
                 for i in range(2)]
        assert "02-12-2026 10:00" in lines[0] and "Carla Contract" in lines[0]
        assert "nog te plannen" in lines[1] and "Zaaksysteem plat" in lines[1]
        screen.query_one("#evaluations", OptionList).focus()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen)
                       and app.screen.call_id == open_.id)


def test_a_long_list_of_alerts_does_not_run_into_the_subject():
    from types import SimpleNamespace

    from desk_tui.domain.escalation import Alert, AlertKind
    from desk_tui.services.escalation import NeedsAction
    from desk_tui.ui.screens.escalations import describe

    row = SimpleNamespace(number="M2026-002930", organisation="DRE", priority=2,
                          summary="Netwerkschijf H: niet beschikbaar")
    item = NeedsAction(row=row, level=0, alerts=(  # type: ignore[arg-type]
        Alert(AlertKind.LEVEL_DUE, 1), Alert(AlertKind.RESOLUTION_BREACHED),
        Alert(AlertKind.REACTION_BREACHED)))
    line = describe(item).plain
    assert "reactie te laat Netwerkschijf" in line  # it ran on: "te laatNetwerkschijf"
    short = describe(NeedsAction(row=row, level=0,  # type: ignore[arg-type]
                                 alerts=(Alert(AlertKind.REACTION_BREACHED),))).plain
    assert short.index("Netwerkschijf") - short.index("reactie") == 51  # its column kept
    # three alerts fit the column too: the subjects line up under each other
    assert line.index("Netwerkschijf") == short.index("Netwerkschijf")
