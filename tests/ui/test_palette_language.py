"""The command palette speaks the interface language, Textual's own entries included."""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette

from desk_tui.ui.commands import DeskCommands
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded


async def test_the_palette_is_in_dutch(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
        queue = app.screen
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        assert app.screen.query_one(CommandInput).placeholder == "Zoek een opdracht…"
        names = [name for name, *_rest in DeskCommands(queue)._commands()]
        assert "Wachtrij: Volgend veld" in names
        assert not [name for name in names if "Focus" in name or "Copy" in name]


def _no_matches_line(palette: CommandPalette) -> str | None:
    """What the palette's list says when nothing matched (None while it says nothing)."""
    commands = palette.query_one(CommandList)
    for index in range(commands.option_count):
        option = commands.get_option_at_index(index)
        if option.disabled and option.id:
            return str(option.prompt.renderable)
    return None


async def test_a_search_without_matches_says_so_in_dutch(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press(*"qqxzzy")
        await wait_for(pilot, lambda: _no_matches_line(palette) is not None)
        assert _no_matches_line(palette) == "Niets gevonden"
