"""The evening on-call's handover to the morning: what was done, what was left open.
Enter opens a call; `a` marks the handover read, which takes the notice off the queue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList, Static

from desk_tui.services.access import Action
from desk_tui.ui.formats import amsterdam
from desk_tui.ui.i18n import _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.text import fit, visible
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.option_rows import MUTED, OptionRows

if TYPE_CHECKING:
    from desk_tui.services.oncall import HandoverView


@dataclass(frozen=True, slots=True)
class HandoverLine:
    id: uuid.UUID
    left_open: bool
    reference: str
    organisation: str
    priority: int | None
    status: str
    subject: str


def lines_of(view: HandoverView) -> list[HandoverLine]:
    """Open calls first (the morning's work), then what the evening did."""
    return [
        HandoverLine(uuid.UUID(item["id"]), left_open, item["reference"],
                     item["organisation"], item["priority"], item["status"], item["subject"])
        for left_open, items in ((True, view.open_calls), (False, view.done_calls))
        for item in items
    ]


def line_prompt(line: HandoverLine) -> Content:
    state = _("open") if line.left_open else _("done")
    return Content.assemble(
        (fit(state, 6), "$sla-warning" if line.left_open else "$sla-ok"), " ",
        (fit(line.reference, 17), "bold"), " ",
        (fit(line.organisation, 5), ""), " ",
        (fit(f"P{line.priority}" if line.priority else "—", 3), MUTED), " ",
        (fit(line.status, 15), MUTED), " ",
        (visible(line.subject), ""),
    )


class HandoverScreen(DeskScreen[bool]):
    """One handover; dismissed with True when the operator marked it read."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "acknowledge", "Read", id="handover.acknowledge",
                tooltip="Mark the handover read: the notice leaves the queue"),
        Binding("escape", "back", "Back", id="handover.back", tooltip="Back to the queue"),
    ]
    DEFAULT_CSS = """
    HandoverScreen #handover-summary { height: auto; padding: 0 1; }
    HandoverScreen OptionRows { height: 1fr; }
    """

    def __init__(self, view: HandoverView) -> None:
        super().__init__()
        self.view = view
        self.lines = lines_of(view)

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        yield Static(self.summary(), id="handover-summary")
        yield OptionRows(empty_text=_("Nothing was handed over"), id="handover-lines")
        yield DeskFooter()

    def summary(self) -> Text:
        desk = self.desk_app.desk
        zone = desk.sla.calendars.config.zone if desk is not None else amsterdam()
        when = self.view.handed_over_at.astimezone(zone).strftime("%d-%m-%Y %H:%M")
        text = Text(_("On-call evening of {evening}, handed over {when}").format(
            evening=self.view.evening, when=when), style="bold", end="")
        if self.view.by:
            text.append(" · " + _("by {name}").format(name=visible(self.view.by)))
        text.append("\n" + _("{registered} registered this evening · {done} done · {open} left"
                             " open for the morning").format(
            registered=self.view.registered, done=len(self.view.done_calls),
            open=len(self.view.open_calls)))
        return text

    def on_mount(self) -> None:
        rows = self.query_one(OptionRows)
        rows.set_rows([(line, line_prompt(line)) for line in self.lines])
        rows.focus()

    @on(OptionList.OptionSelected, "#handover-lines")
    def open_call(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        line = self.query_one(OptionRows).highlighted_value
        if line is not None:
            from desk_tui.ui.screens.call import CallScreen

            self.app.push_screen(CallScreen(line.id))

    def action_acknowledge(self) -> None:
        self.acknowledge()

    @work(thread=True, exclusive=True, group="handover", exit_on_error=False,
          description="mark the handover read")
    def acknowledge(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        app.desk.acknowledge_handover(app.actor, self.view.id)
        self.app.call_from_thread(self.dismiss, True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Marking the handover read takes it off everyone's queue: only for those with
        the handover right (a manager may read it, not dismiss it)."""
        if action == "acknowledge":
            actor = self.desk_app.actor
            return actor is not None and actor.may(Action.ON_CALL_HANDOVER)
        return True

    def action_back(self) -> None:
        self.dismiss(False)
