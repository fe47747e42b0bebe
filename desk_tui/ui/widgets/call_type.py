"""The call type as one line of four choices: a letter picks, the arrows step."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from desk_tui.domain.classification import CallType
from desk_tui.ui.i18n import N_, _

CALL_TYPE_LABELS: dict[CallType, str] = {
    CallType.STORING: N_("Incident"),
    CallType.SERVICEVERZOEK: N_("Service request"),
    CallType.INFORMATIEVERZOEK: N_("Information request"),
    CallType.WIJZIGINGSVERZOEK: N_("Change request"),
}
CALL_TYPE_KEYS: dict[str, CallType] = {
    "s": CallType.STORING,
    "v": CallType.SERVICEVERZOEK,
    "i": CallType.INFORMATIEVERZOEK,
    "w": CallType.WIJZIGINGSVERZOEK,
}


class CallTypeChoice(Widget, can_focus=True):
    """The call type on one line: a letter picks, the arrows step."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous type", show=False, id="call-type.left"),
        Binding("right", "step(1)", "Next type", show=False, id="call-type.right"),
    ]
    DEFAULT_CSS = """
    CallTypeChoice {
        height: auto;
        width: 1fr;
        & > .call-type--chosen { color: $accent; text-style: bold reverse; }
        & > .call-type--key { color: $desk-muted; }
        &:focus { background: $boost; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"call-type--chosen", "call-type--key"}

    value: reactive[CallType] = reactive(CallType.STORING)

    class Changed(Message):
        def __init__(self, choice: CallTypeChoice, value: CallType) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> CallTypeChoice:
            return self.choice

    def __init__(self, value: CallType, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(CallTypeChoice.value, value)

    def render(self) -> Text:
        return self._lines(self.size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width).split("\n"))

    def _lines(self, width: int) -> Text:
        """The types side by side; where the line is too narrow (80 columns), a type goes
        to the next line whole, never cut."""
        chosen = self.get_component_rich_style("call-type--chosen", partial=True)
        key = self.get_component_rich_style("call-type--key", partial=True)
        text = Text(no_wrap=True, end="")
        letters = {call_type: letter for letter, call_type in CALL_TYPE_KEYS.items()}
        used = 0
        for call_type, label in CALL_TYPE_LABELS.items():
            item = Text(no_wrap=True, end="")
            item.append(f" {_(label)} ", chosen if call_type is self.value else "")
            item.append(letters[call_type], key)
            item.append(" ")
            if used and width > 0 and used + item.cell_len > width:
                text.append("\n")
                used = 0
            text.append_text(item)
            used += item.cell_len
        return text

    def action_step(self, delta: int) -> None:
        order = list(CALL_TYPE_LABELS)
        self.value = order[(order.index(self.value) + delta) % len(order)]

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character in CALL_TYPE_KEYS

    def on_key(self, event: events.Key) -> None:
        if event.character in CALL_TYPE_KEYS:
            event.stop()
            self.value = CALL_TYPE_KEYS[event.character]

    def watch_value(self, value: CallType) -> None:
        self.post_message(self.Changed(self, value))
