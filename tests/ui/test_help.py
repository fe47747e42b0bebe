"""F1 shows the keys of the screen it was pressed on first, and every screen has its keys."""

from __future__ import annotations

from desk_tui.ui.screens.help import HelpScreen
from desk_tui.ui.screens.reports import ReportsScreen
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded


async def test_help_starts_with_the_keys_of_the_screen_it_was_opened_on(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert app.screen.titles[:2] == ["Overal", "Wachtrij"]
        await pilot.press("escape", "R")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert help_screen.titles[:2] == ["Overal", "Rapportages"]
        for title in ("Problemen", "Nieuwe wijziging", "Nieuwe melding", "Melding"):
            assert title in help_screen.titles
