"""A one-line notice on the queue: the evening on-call handed calls over to the morning.

Hidden while no handover waits to be read. `show_handover()` sets it; a click posts
`HandoverBanner.Clicked`, so the screen can open the handover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from desk_tui.ui.i18n import _

if TYPE_CHECKING:
    from desk_tui.services.oncall import HandoverView


def handover_text(view: HandoverView | None) -> str:
    if view is None:
        return ""
    return _("On-call {evening}: {open} left open, {done} done (H)").format(
        evening=view.evening, open=len(view.open_calls), done=len(view.done_calls))


class HandoverBanner(Static):
    """The unread handover of the evening on-call, in the warning colour."""

    DEFAULT_CSS = """
    HandoverBanner {
        height: 1;
        width: auto;
        padding: 0 1;
        display: none;
        text-wrap: nowrap;
        color: $sla-warning;
        text-style: bold;
        &.shown { display: block; }
    }
    """

    class Clicked(Message):
        """The operator clicked the notice (open the handover)."""

    class Changed(Message):
        """The notice appeared, went or changed length (the bar may need another line)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.view: HandoverView | None = None
        self.line = ""  # what it shows, "" while hidden

    def show_handover(self, view: HandoverView | None) -> None:
        self.view = view
        text = handover_text(view)
        self.line = "⚑ " + text if text else ""
        self.update(Text(self.line, end=""))
        self.set_class(bool(text), "shown")
        self.post_message(self.Changed())

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked())
