"""A one-line warning for the queue: "3 certificaten verlopen, 5 binnen 30 dagen".

Hidden while nothing is due. `refresh_counts()` reads the counts in a thread worker (call
it when connected and on the queue's refresh); `show_counts()` sets them directly. A click
posts `ExpiryBanner.Clicked`, so the screen can open the expiry list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from desk_tui.ui.i18n import _

if TYPE_CHECKING:
    from desk_tui.ui.app import DeskApp


def warning_text(expired: int, due: int) -> str:
    """The warning in words; empty when nothing is expired or due within 30 days."""
    if expired and due:
        first = (_("{n} certificate expired") if expired == 1
                 else _("{n} certificates expired")).format(n=expired)
        return f"{first}, " + _("{n} within 30 days").format(n=due)
    if expired:
        return (_("{n} certificate expired") if expired == 1
                else _("{n} certificates expired")).format(n=expired)
    if due:
        return (_("{n} certificate expires within 30 days") if due == 1
                else _("{n} certificates expire within 30 days")).format(n=due)
    return ""


class ExpiryBanner(Static):
    """Certificates expired or due within 30 days, in the SLA colours of the queue."""

    DEFAULT_CSS = """
    ExpiryBanner {
        height: 1;
        width: auto;
        padding: 0 1;
        display: none;
        text-wrap: nowrap;
        &.shown { display: block; }
        &.due { color: $sla-warning; text-style: bold; }
        &.expired { color: $sla-breached; text-style: $sla-breached-text-style; }
    }
    """

    class Clicked(Message):
        """The operator clicked the warning (open the expiry list)."""

    class Changed(Message):
        """The warning appeared, went or changed length (the bar may need another line)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.expired = 0
        self.due = 0
        self.line = ""  # what it shows, "" while hidden

    def show_counts(self, expired: int, due: int) -> None:
        """Show (or hide) the warning for these counts."""
        self.expired, self.due = expired, due
        text = warning_text(expired, due)
        self.line = "⚠ " + text if text else ""
        self.update(Text(self.line, end=""))
        self.set_class(bool(text), "shown")
        self.set_class(expired > 0, "expired")
        self.set_class(expired == 0 and due > 0, "due")
        self.post_message(self.Changed())

    @property
    def text(self) -> str:
        return warning_text(self.expired, self.due)

    def refresh_counts(self) -> None:
        """Read the counts again, off the UI thread; nothing happens until connected, nor for
        an operator who may not read the CMDB."""
        from desk_tui.services.access import Action

        app: DeskApp = self.app  # type: ignore[assignment]
        actor = getattr(app, "actor", None)
        if getattr(app, "desk", None) is not None and actor is not None and actor.may(
                Action.CMDB_READ):
            self._load()

    @work(thread=True, exclusive=True, group="expiry-banner", exit_on_error=False,
          description="count certificates that expire soon")
    def _load(self) -> None:
        app: DeskApp = self.app  # type: ignore[assignment]
        assert app.desk is not None and app.actor is not None
        expired, due = app.desk.certificate_warning(app.actor)
        self.app.call_from_thread(self.show_counts, expired, due)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            report = getattr(self.app, "report_worker_failure", None)
            if report is not None:
                report(event.worker)
