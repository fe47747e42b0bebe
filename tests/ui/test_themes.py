"""desk's themes: found in a checkout or a wheel, complete, readable, and usable by the app."""

from pathlib import Path

import pytest
from textual.color import Color

from desk_tui.ui import themes
from desk_tui.ui.themes import (
    DOMAIN_VARIABLES,
    THEME_NAMES,
    load_themes,
    parse_theme,
    theme_variable_defaults,
    themes_dir,
)
from desk_tui.ui.widgets.call_queue import CallQueue
from desk_tui.ui.widgets.priority_picker import PriorityPicker
from tests.ui.conftest import SIZE, WidgetApp, sla_engine

DOMAIN_COLOURS = (
    "priority-1", "priority-2", "priority-3", "priority-4", "priority-5",
    "sla-ok", "sla-warning", "sla-breached", "sla-paused", "desk-muted",
)  # fmt: skip


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two opaque colours."""

    def luminance(text: str) -> float:
        def channel(value: int) -> float:
            value_01 = value / 255
            return value_01 / 12.92 if value_01 <= 0.03928 else ((value_01 + 0.055) / 1.055) ** 2.4

        color = Color.parse(text)
        return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_three_themes_are_defined_with_every_domain_variable():
    loaded = load_themes()
    assert set(THEME_NAMES) <= set(loaded)
    for name in THEME_NAMES:
        assert set(DOMAIN_VARIABLES) <= set(loaded[name].variables), name


def test_high_contrast_is_pure_black_and_white():
    theme = load_themes()["desk-high-contrast"]
    assert (theme.background, theme.surface, theme.foreground) == ("#000000", "#000000", "#FFFFFF")


@pytest.mark.parametrize("name", THEME_NAMES)
def test_domain_colours_are_readable_on_every_background_they_meet(name):
    theme = load_themes()[name]
    variables = theme.variables
    backgrounds = [theme.background, theme.surface, variables["desk-header-background"]]
    if Color.parse(variables["desk-cursor-foreground"]).a == 0:  # cells keep their colour
        backgrounds.append(variables["desk-cursor-background"])
    else:
        cursor = (variables["desk-cursor-foreground"], variables["desk-cursor-background"])
        assert contrast(*cursor) >= 7
    minimum = 7 if name == "desk-high-contrast" else 4.5  # WCAG AAA / AA
    for variable in DOMAIN_COLOURS:
        for background in backgrounds:
            ratio = contrast(variables[variable], background)
            assert ratio >= minimum, f"{name}: {variable} on {background} is {ratio:.1f}:1"


def test_a_checkout_finds_the_repository_themes_folder():
    assert themes_dir() == Path(themes.__file__).parents[2] / "themes"
    assert (themes_dir() / "desk.tcss").is_file()


def test_an_installed_wheel_finds_the_packaged_folder_first(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "desk_tui"
    packaged = package / "_data" / "themes"
    packaged.mkdir(parents=True)
    (packaged / "desk.tcss").write_text("")
    monkeypatch.setattr(themes, "PACKAGE", package)
    assert themes_dir() == packaged


def test_a_missing_themes_folder_says_what_is_wrong(tmp_path, monkeypatch):
    monkeypatch.setattr(themes, "PACKAGE", tmp_path / "desk_tui")
    with pytest.raises(FileNotFoundError, match="themes folder"):
        themes_dir()


def test_a_theme_file_with_a_typo_or_a_missing_colour_is_refused():
    complete = {name: "#000000" for name in DOMAIN_VARIABLES}
    with pytest.raises(ValueError, match="unknown theme key"):
        parse_theme({"name": "x", "primary": "#000000", "primay": "#fff", "variables": complete})
    with pytest.raises(ValueError, match="missing variable"):
        parse_theme({"name": "x", "primary": "#000000", "variables": {"priority-1": "#fff"}})


@pytest.mark.parametrize("name", THEME_NAMES)
async def test_each_theme_styles_the_stylesheet_and_both_widgets(name):
    app = WidgetApp(PriorityPicker(), CallQueue(sla_engine()), theme=name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.current_theme.name == name
        assert app.theme_variables["sla-breached"] == load_themes()[name].variables["sla-breached"]


@pytest.mark.parametrize("builtin", ["textual-dark", "textual-light"])
async def test_a_textual_theme_falls_back_to_desks_domain_colours(builtin):
    app = WidgetApp(PriorityPicker(), CallQueue(sla_engine()), theme=builtin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dark = app.current_theme.dark
        assert app.theme_variables["priority-1"] == theme_variable_defaults(dark=dark)["priority-1"]


async def test_f2_names_the_new_theme_in_the_operators_words(ui_world, clock):
    from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for

    app = make_test_app(ui_world, clock)  # Dutch, desk-dark
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None)
        await pilot.press("f2")
        await wait_for(pilot, lambda: bool(app._notifications))
        assert app.theme == "desk-light"
        assert [notice.message for notice in app._notifications] == ["Licht"]
