"""The command palette speaks the interface language, Textual's own entries included."""

from __future__ import annotations

from rich.text import Text
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import Footer

from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded

# Words of Textual's own entries and of the catalogue's header: none may reach the palette.
ENGLISH = ("Theme", "Quit", "Keys", "Screenshot", "Maximize", "palette", "Open the command",
           "Focus", "Copy", "Project-Id-Version", "Content-Type")


def _listed(palette: CommandPalette) -> list[str]:
    """Every line the palette's list shows: each entry's name and its help line."""
    commands = palette.query_one(CommandList)
    lines = []
    for index in range(commands.option_count):
        prompt = commands.get_option_at_index(index).prompt
        for part in getattr(prompt, "renderables", [prompt]):
            lines += (part.plain if isinstance(part, Text) else str(part)).splitlines()
    return lines


async def _open_palette(app, pilot) -> CommandPalette:
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette)
                   and app.screen.query_one(CommandList).option_count > 10)
    return app.screen


async def test_the_palette_is_in_dutch(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
        palette = await _open_palette(app, pilot)
        assert palette.query_one(CommandInput).placeholder == "Zoek een opdracht…"
        listed = _listed(palette)
        assert "Wachtrij: Nieuwe melding" in listed
        assert "Thema kiezen" in listed
        assert [line for line in listed if any(word in line for word in ENGLISH)] == []
        # moving between fields is a key, not a command; every entry says what it does
        assert not [line for line in listed if "veld" in line.lower()]
        names = [line for line in listed if line.startswith(("Wachtrij: ", "Desk: "))]
        assert len(listed) >= 2 * len(names)


async def test_the_palette_key_is_named_in_dutch_in_the_footer(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app)
                       and app.screen.query_one(Footer).query("FooterKey.-command-palette"))
        footer = app.screen.query_one(Footer)
        labels = [str(item.render()) for item in footer.query("FooterKey")]
        assert any("opdrachten" in label for label in labels), labels
        assert not any("palette" in label for label in labels)


async def test_the_theme_entry_offers_desks_three_themes_by_their_dutch_names(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app))
        await _open_palette(app, pilot)
        await pilot.press(*"thema kiezen")
        await wait_for(pilot, lambda: "Thema kiezen" in _listed(app.screen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette)
                       and app.screen.query_one(CommandInput).placeholder == "Zoek een thema…"
                       and app.screen.query_one(CommandList).option_count == 3)
        assert sorted(_listed(app.screen)) == ["Donker", "Hoog contrast", "Licht"]
        await pilot.press(*"hoog", "enter")
        await wait_for(pilot, lambda: app.theme == "desk-high-contrast")


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
