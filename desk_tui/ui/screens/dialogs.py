"""Small modal dialogs that `dismiss()` one result: a text, a choice, a reclassification.

Every screen may push them with a callback; Esc always dismisses None. Labels and choices
are user data more often than not, so they are drawn as plain text, never as markup.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from desk_tui.domain.classification import CallType, Level
from desk_tui.services.queries import CallDetail, Choice
from desk_tui.ui.i18n import _
from desk_tui.ui.screens.base import DeskModal
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.call_type import CallTypeChoice
from desk_tui.ui.widgets.priority_picker import DueTimes, PriorityPicker
from desk_tui.ui.widgets.safe_input import SafeInput, SafeTextArea
from desk_tui.ui.widgets.type_ahead import TypeAheadList

ResultT = TypeVar("ResultT")
ValueT = TypeVar("ValueT", bound=Hashable)

DEFAULT_MAX_LENGTH = 2_000  # the services' limit on notes and reasons
MULTILINE_MAX_LENGTH = 20_000  # … and on descriptions and solutions

def plain(text: str | Text) -> Text:
    """User text as a `Text` that shows every character literally (ESC as ␛)."""
    if isinstance(text, Text):
        return text
    return Text(visible(text), end="")


class Dialog(DeskModal[ResultT], Generic[ResultT]):
    """A centred box with a title, a line for what is wrong, and a key hint."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        & > .dialog {
            width: 72;
            max-width: 95%;
            height: auto;
            max-height: 90%;
            padding: 1 2;
            background: $surface;
            border: round $primary;
        }
        .dialog-title { text-style: bold; margin-bottom: 1; }
        .dialog-label { color: $desk-muted; }
        .dialog-message { color: $error; height: auto; display: none; }
        .dialog-message.shown { display: block; margin-top: 1; }
        .dialog-hint { color: $desk-muted; margin-top: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, title: str | Text) -> None:
        super().__init__(classes="dialog-screen")
        self.dialog_title = title
        self.message = ""  # what keeps the dialog open, as shown

    def title_widget(self) -> Static:
        return Static(plain(self.dialog_title), classes="dialog-title")

    def message_widget(self) -> Static:
        return Static("", classes="dialog-message")

    def hint_widget(self, hint: str) -> Static:
        return Static(Text(hint), classes="dialog-hint")

    def say(self, message: str) -> None:
        """Show what keeps the dialog open (empty clears it)."""
        self.message = message
        line = self.query_one(".dialog-message", Static)
        line.update(Text(message))
        line.set_class(bool(message), "shown")

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(Dialog[str | None]):
    """Ask one text: Enter submits a line, Ctrl+S a multi-line text; Esc cancels (None)."""

    DEFAULT_CSS = """
    TextPrompt TextArea { height: 10; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Save", id="dialog.submit", tooltip="Save and close"),
    ]

    def __init__(
        self,
        title: str | Text,
        label: str | Text,
        *,
        initial: str = "",
        required: bool = True,
        multiline: bool = False,
        max_length: int | None = None,
    ) -> None:
        super().__init__(title)
        self.label = label
        self.initial = initial
        self.required = required
        self.multiline = multiline
        self.max_length = max_length or (MULTILINE_MAX_LENGTH if multiline else DEFAULT_MAX_LENGTH)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.title_widget()
            yield Static(plain(self.label), classes="dialog-label")
            if self.multiline:
                yield SafeTextArea(self.initial, soft_wrap=True, tab_behavior="focus",
                               id="prompt-text", classes="prompt-field")
            else:
                yield SafeInput(self.initial, max_length=self.max_length, id="prompt-text",
                            classes="prompt-field")
            yield self.message_widget()
            hint = (_("Ctrl+S saves, Esc cancels") if self.multiline
                    else _("Enter saves, Esc cancels"))
            yield self.hint_widget(hint)

    @property
    def value(self) -> str:
        field = self.query_one("#prompt-text")
        return field.text if isinstance(field, TextArea) else field.value  # type: ignore[attr-defined]

    @on(Input.Submitted, "#prompt-text")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        text = self.value.strip()
        if self.required and not text:
            self.say(_("This cannot be empty."))
            self.query_one("#prompt-text").focus()
            return
        if len(text) > self.max_length:
            self.say(_("At most {n} characters fit.").format(n=f"{self.max_length:,}"))
            return
        self.dismiss(text)


class ChoicePrompt(Dialog[ValueT | None], Generic[ValueT]):
    """Pick one of `choices` (value, label): arrows or first letters, Enter picks."""

    DEFAULT_CSS = """
    ChoicePrompt OptionList { height: auto; max-height: 16; }
    """

    def __init__(
        self,
        title: str | Text,
        choices: Sequence[tuple[ValueT, str | Text]],
        *,
        current: ValueT | None = None,
    ) -> None:
        super().__init__(title)
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(plain(label)) for _value, label in self.choices]
        with Vertical(classes="dialog"):
            yield self.title_widget()
            yield TypeAheadList(*options, id="choices")
            yield self.message_widget()
            yield self.hint_widget(_("Type to jump, Enter picks, Esc cancels"))

    def on_mount(self) -> None:
        options = self.query_one(TypeAheadList)
        values = [value for value, _label in self.choices]
        if self.current is not None and self.current in values:
            options.highlighted = values.index(self.current)
        elif values:
            options.highlighted = 0
        else:
            self.say(_("Nothing to choose from."))
        options.focus()

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index][0])


@dataclass(frozen=True, slots=True)
class Reclassification:
    """What the operator chose in the reclassify dialog."""

    call_type: CallType
    impact: Level | None
    urgency: Level | None
    category_id: uuid.UUID | None
    note: str


class ReclassifyDialog(Dialog[Reclassification | None]):
    """Change type, category, impact and urgency with the new priority and due times live;
    Ctrl+S confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Save", id="dialog.submit", tooltip="Save and close"),
    ]

    DEFAULT_CSS = """
    ReclassifyDialog {
        & > .dialog { width: 96; }
        Grid {
            grid-size: 2;
            grid-columns: 12 1fr;
            grid-rows: auto;
            grid-gutter: 1 1;
            height: auto;
        }
        Select { width: 1fr; }
        /* Compact fields without borders: a tint marks where to type. */
        #reclassify-note, #reclassify-category > SelectCurrent {
            background: $boost;
            padding: 0 1;
        }
        #reclassify-category:focus > SelectCurrent { background: $panel; }
        PriorityPicker { margin: 0; }
    }
    """

    def __init__(
        self,
        detail: CallDetail,
        categories: Sequence[Choice],
        due_times_factory: Callable[[CallType], DueTimes],
    ) -> None:
        title = Text(_("Reclassify"), end="")
        title.append("  ")
        title.append(visible(detail.reference))
        super().__init__(title)
        self.detail = detail
        self.categories = list(categories)
        self.due_times_factory = due_times_factory

    def compose(self) -> ComposeResult:
        detail = self.detail
        known = {choice.id for choice in self.categories}
        category = detail.category_id if detail.category_id in known else Select.NULL
        with Vertical(classes="dialog"):
            yield self.title_widget()
            with Grid():
                yield Static(Text(_("Type")), classes="dialog-label")
                yield CallTypeChoice(detail.call_type, id="reclassify-type")
                yield Static(Text(_("Category")), classes="dialog-label",
                             id="reclassify-category-label")
                yield Select(
                    [(plain(choice.label), choice.id) for choice in self.categories],
                    prompt=_("No category"), value=category, id="reclassify-category",
                    compact=True,
                )
                yield Static(Text(_("Priority")), classes="dialog-label")
                yield PriorityPicker(
                    due_times=self.due_times_factory(detail.call_type),
                    impact=detail.impact, urgency=detail.urgency, id="reclassify-priority",
                )
                yield Static(Text(_("Reason")), classes="dialog-label",
                             id="reclassify-note-label")
                yield SafeInput(placeholder=_("Why (kept in the history)"),
                            max_length=DEFAULT_MAX_LENGTH, id="reclassify-note", compact=True)
            yield self.message_widget()
            yield self.hint_widget(_("Ctrl+S saves, Esc cancels"))

    def on_mount(self) -> None:
        self.query_one(PriorityPicker).focus()

    @on(CallTypeChoice.Changed)
    def _type_changed(self, event: CallTypeChoice.Changed) -> None:
        self.query_one(PriorityPicker).due_times = self.due_times_factory(event.value)

    @on(Input.Submitted, "#reclassify-note")
    def _note_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @property
    def result(self) -> Reclassification:
        """What the dialog would save now."""
        picker = self.query_one(PriorityPicker)
        category = self.query_one(Select).value
        return Reclassification(
            call_type=self.query_one(CallTypeChoice).value,
            impact=picker.impact,
            urgency=picker.urgency,
            category_id=None if category is Select.NULL else category,  # type: ignore[arg-type]
            note=self.query_one("#reclassify-note", Input).value.strip(),
        )

    def action_submit(self) -> None:
        result = self.result
        detail = self.detail
        if result.call_type is CallType.STORING and (result.impact is None
                                                     or result.urgency is None):
            self.say(_("An incident needs both impact and urgency."))
            self.query_one(PriorityPicker).focus()
            return
        unchanged = (
            result.call_type is detail.call_type
            and result.impact == detail.impact
            and result.urgency == detail.urgency
            and result.category_id == detail.category_id
        )
        if unchanged:
            self.say(_("Nothing changed."))
            return
        self.dismiss(result)
