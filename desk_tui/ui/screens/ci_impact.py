"""The impact of an outage of one CI: every item that depends on it, however far down, and
the open calls on it and on them. Enter on a call opens the call view; Enter on an item
shows it in the CMDB (the dialog closes with its id)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static

from desk_tui.services.cmdb_views import CiHit, CiLinkedCall, CiNeighbour, ImpactReport
from desk_tui.store.enums import CiStatus
from desk_tui.ui.cmdb_labels import ci_status_label, ci_type_label
from desk_tui.ui.i18n import _
from desk_tui.ui.screens.base import DeskModal
from desk_tui.ui.screens.cmdb import call_prompt
from desk_tui.ui.text import fit, visible
from desk_tui.ui.widgets.option_rows import MUTED, OptionRows


def affected_prompt(item: CiNeighbour) -> Content:
    parts: list[str | tuple[str, str]] = [
        (fit(ci_type_label(item.ci_type), 15), MUTED), " ",
        visible(item.name),
    ]
    if item.status is not CiStatus.IN_GEBRUIK:
        parts.append((f" · {ci_status_label(item.status)}", "$warning"))
    return Content.assemble(*parts)


class ImpactLoaded(Message):
    def __init__(self, report: ImpactReport) -> None:
        super().__init__()
        self.report = report


class ImpactScreen(DeskModal[uuid.UUID | None]):
    """What an outage of `ci` affects; dismisses the id of an item to show, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="impact.close", tooltip="Back to the CMDB"),
        Binding("r", "refresh", "Refresh", id="impact.refresh", show=False,
                tooltip="Read the impact again"),
    ]
    DEFAULT_CSS = """
    ImpactScreen {
        align: center middle;
        & > #impact-box {
            width: 120;
            max-width: 96%;
            height: 85%;
            padding: 1 2;
            background: $surface;
            border: round $primary;
        }
        #impact-title { text-style: bold; }
        #impact-summary { color: $desk-muted; margin-bottom: 1; }
        .impact-label { color: $desk-muted; text-style: bold; }
        #impact-calls { height: 2fr; min-height: 4; }
        #impact-items { height: 3fr; min-height: 4; }
        .impact-hint { color: $desk-muted; margin-top: 1; }
    }
    """

    def __init__(self, ci: CiHit) -> None:
        super().__init__()
        self.ci = ci
        self.report: ImpactReport | None = None

    def compose(self) -> ComposeResult:
        title = Text(_("Impact of an outage") + ": ", end="")
        title.append(visible(self.ci.name))
        with Vertical(id="impact-box"):
            yield Static(title, id="impact-title")
            yield Static(Text(_("Loading…")), id="impact-summary")
            yield Static(Text(_("Open calls")), classes="impact-label")
            yield OptionRows(
                empty_text=_("No open calls on this item or what depends on it"),
                id="impact-calls")
            yield Static(Text(_("Depends on it")), classes="impact-label")
            yield OptionRows(empty_text=_("Nothing depends on this item"),
                                          id="impact-items")
            yield Static(Text(_("Enter opens · Tab switches list · Esc closes")),
                         classes="impact-hint")

    def on_mount(self) -> None:
        self.query_one("#impact-calls").focus()
        self.reload()

    def reload(self) -> None:
        if self.desk_app.desk is not None and self.desk_app.actor is not None:
            self.load_impact(self.ci.id)

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="ci-impact", exit_on_error=False,
          description="work out the impact of an outage")
    def load_impact(self, ci_id: uuid.UUID) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(ImpactLoaded(app.desk.ci_impact(app.actor, ci_id)))

    @on(ImpactLoaded)
    def _loaded(self, message: ImpactLoaded) -> None:
        report = self.report = message.report
        summary = _("{items} items affected · {calls} open calls").format(
            items=len(report.affected), calls=len(report.open_calls))
        self.query_one("#impact-summary", Static).update(Text(summary))
        self.query_one("#impact-calls", OptionRows).set_rows(
            [(call, call_prompt(call, show_via=True)) for call in report.open_calls])
        self.query_one("#impact-items", OptionRows).set_rows(
            [(item, affected_prompt(item)) for item in report.affected])

    @on(OptionList.OptionSelected, "#impact-calls")
    def _call_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        call = self.query_one("#impact-calls", OptionRows).value_at(event.option_index)
        if isinstance(call, CiLinkedCall):
            from desk_tui.ui.screens.call import CallScreen

            self.app.push_screen(CallScreen(call.id), callback=lambda _result: self.reload())

    @on(OptionList.OptionSelected, "#impact-items")
    def _item_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self.query_one("#impact-items", OptionRows).value_at(event.option_index)
        if isinstance(item, CiNeighbour):
            self.dismiss(item.id)

    def action_close(self) -> None:
        self.dismiss(None)
