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
