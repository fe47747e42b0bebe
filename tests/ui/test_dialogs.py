"""The small dialogs on their own: what they dismiss with, and what keeps them open."""

from __future__ import annotations

import uuid
from typing import Any

from textual.app import App
from textual.widgets import Input, Select, TextArea

from desk_tui.domain.classification import CallType, Level
from desk_tui.services.queries import Choice
from desk_tui.ui.screens.dialogs import (
    ChoicePrompt,
    Reclassification,
    ReclassifyDialog,
    TextPrompt,
)
from desk_tui.ui.themes import register_themes, stylesheet_path, theme_variable_defaults
from desk_tui.ui.widgets.type_ahead import TypeAheadList
from tests.ui.conftest import NOW, sla_engine

SIZE = (100, 40)
NO_RESULT = object()


class DialogApp(App[None]):
    """Pushes one dialog on mount and keeps what it dismissed with."""

    def __init__(self, dialog) -> None:
        super().__init__(css_path=stylesheet_path())
        register_themes(self)
        self.theme = "desk-dark"
        self.dialog = dialog
        self.result: Any = NO_RESULT

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults(dark=self.current_theme.dark)

    def on_mount(self) -> None:
        self.push_screen(self.dialog, callback=self.keep)

    def keep(self, result: Any) -> None:
        self.result = result


async def test_text_prompt_returns_the_text_on_enter():
    app = DialogApp(TextPrompt("Wachten", "Waarop wacht de melding?"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"  toner  ", "enter")
        assert app.result == "toner"


async def test_a_required_text_prompt_stays_open_when_empty():
    app = DialogApp(TextPrompt("Wachten", "Waarop wacht de melding?"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "enter")
        assert app.result is NO_RESULT
        assert app.screen is app.dialog
        assert app.dialog.message == "Dit mag niet leeg zijn."
        await pilot.press(*"klant", "enter")
        assert app.result == "klant"


async def test_an_optional_text_prompt_accepts_empty():
    app = DialogApp(TextPrompt("Notitie", "Iets toevoegen?", required=False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert app.result == ""


async def test_escape_cancels_with_none():
    app = DialogApp(TextPrompt("Wachten", "Waarop?", initial="iets"))
    async with app.run_test(size=SIZE) as pilot:
        assert app.dialog.query_one(Input).value == "iets"
        await pilot.press("escape")
        assert app.result is None


async def test_a_multiline_prompt_keeps_line_breaks_and_saves_on_ctrl_s():
    app = DialogApp(TextPrompt("Oplossen", "Oplossing", multiline=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"regel 1", "enter", *"regel 2")
        assert app.result is NO_RESULT  # Enter is a new line here
        await pilot.press("ctrl+s")
        assert app.result == "regel 1\nregel 2"


async def test_a_multiline_prompt_refuses_too_long_text():
    app = DialogApp(TextPrompt("Oplossen", "Oplossing", multiline=True, max_length=5))
    async with app.run_test(size=SIZE) as pilot:
        app.dialog.query_one(TextArea).text = "zes tekens"
        await pilot.press("ctrl+s")
        assert app.result is NO_RESULT
        assert app.dialog.message == "Er passen hoogstens 5 tekens in."


async def test_labels_and_titles_are_shown_literally():
    app = DialogApp(TextPrompt("[bold]x[/] \x1b]0;t\x07", "[/ label", initial="[0]"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        title = app.dialog.query_one(".dialog-title")
        label = app.dialog.query_one(".dialog-label")
        assert str(title.content) == "[bold]x[/] ␛]0;t␇"
        assert str(label.content) == "[/ label"


async def test_choice_prompt_starts_on_the_current_value_and_enter_picks():
    choices = [("a", "Anouk"), ("b", "Bram"), ("c", "Cor")]
    app = DialogApp(ChoicePrompt("Kies", choices, current="b"))
    async with app.run_test(size=SIZE) as pilot:
        options = app.dialog.query_one(TypeAheadList)
        assert options.highlighted == 1
        await pilot.press("down", "enter")
        assert app.result == "c"


async def test_choice_prompt_jumps_by_first_letters(type_ahead_resets):
    choices = [(1, "Mila de Boer"), (2, "Mark Jansen"), (3, "Ruben Smit"), (4, "Sanne de Vries")]
    app = DialogApp(ChoicePrompt("Toewijzen", choices))
    async with app.run_test(size=SIZE) as pilot:
        options = app.dialog.query_one(TypeAheadList)
        await pilot.press("m", "a")
        assert options.highlighted == 1
        await pilot.pause(TypeAheadList.RESET_SECONDS + 0.1)
        await pilot.press("v")  # no name starts with v: a word does ("de Vries")
        assert options.highlighted == 3
        await pilot.press("enter")
        assert app.result == 4


async def test_choice_prompt_escape_is_none_and_labels_are_literal():
    choices = [(1, "[bold]x[/]"), (2, "[/")]
    app = DialogApp(ChoicePrompt("Kies", choices))
    async with app.run_test(size=SIZE) as pilot:
        options = app.dialog.query_one(TypeAheadList)
        assert [str(options.get_option_at_index(i).prompt) for i in range(2)] == [
            "[bold]x[/]", "[/",
        ]
        await pilot.press("escape")
        assert app.result is None


def _due_times(call_type: CallType):
    def due_times(impact: Level, urgency: Level):
        plan = sla_engine().plan_call(NOW, call_type, impact, urgency)
        return plan.reaction_due, plan.resolution_due

    return due_times


def _detail(**changes):
    from dataclasses import replace

    from desk_tui.services.queries import CallDetail
    from desk_tui.store.enums import CallStatus, Channel, SupportLine

    plan = sla_engine().plan_call(NOW, CallType.STORING, Level.MIDDEN, Level.HOOG)
    base = CallDetail(
        id=uuid.uuid4(), reference="M2026-000042", version=1, call_type=CallType.STORING,
        channel=Channel.TELEFOON, status=CallStatus.IN_BEHANDELING,
        organisation_id=uuid.uuid4(), organisation="Gemeente Enkhuizen", caller="Anouk",
        caller_phone=None, caller_email=None, department=None, category_id=None,
        category=None, subject="Printer", description="", impact=Level.MIDDEN,
        urgency=Level.HOOG, priority=2, handler_id=None, handler=None,
        line=SupportLine.EERSTE_LIJN, supplier=None, registered_at=NOW, reacted_at=None,
        resolved_at=None, closed_at=None, solution=None, sla=plan,
    )
    return replace(base, **changes)


async def test_reclassify_returns_the_new_classification():
    hardware = Choice(uuid.uuid4(), "Hardware", "", Level.MIDDEN)
    dialog = ReclassifyDialog(_detail(), [hardware], _due_times)
    app = DialogApp(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")  # the picker has focus, urgency is the active axis: hoog stays
        await pilot.press("i", "3")  # impact hoog
        dialog.query_one(Select).value = hardware.id
        dialog.query_one("#reclassify-note", Input).value = "Hele afdeling"
        await pilot.press("ctrl+s")
        assert app.result == Reclassification(
            CallType.STORING, Level.HOOG, Level.HOOG, hardware.id, "Hele afdeling"
        )


async def test_reclassify_type_by_letter_and_the_due_times_follow_the_type():
    dialog = ReclassifyDialog(_detail(), [], _due_times)
    app = DialogApp(dialog)
    async with app.run_test(size=SIZE) as pilot:
        picker = dialog.query_one("#reclassify-priority")
        assert picker.due_times(Level.MIDDEN, Level.HOOG)[1] is not None
        dialog.query_one("#reclassify-type").focus()
        await pilot.press("v")  # serviceverzoek: no resolution target
        await pilot.pause()
        assert picker.due_times(Level.MIDDEN, Level.HOOG)[1] is None
        await pilot.press("ctrl+s")
        assert app.result.call_type is CallType.SERVICEVERZOEK
