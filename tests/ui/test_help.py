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


def test_the_keys_for_everywhere_include_the_palette():
    """Ctrl+P finds every command: a new operator must read about it in the help."""
    from desk_tui.ui.app import DeskApp
    from desk_tui.ui.screens.help import PALETTE_BINDING, bindings_table

    table = bindings_table("Overal", [*DeskApp.BINDINGS, PALETTE_BINDING])
    keys = [str(cell) for cell in table.columns[0].cells]
    texts = [str(cell) for cell in table.columns[1].cells]
    assert "ctrl+p" in keys
    assert texts[keys.index("ctrl+p")] == "Alle opdrachten zoeken en uitvoeren"
    assert PALETTE_BINDING.key == DeskApp.COMMAND_PALETTE_BINDING
