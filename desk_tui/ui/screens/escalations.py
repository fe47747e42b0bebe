"""Calls that need someone to act: clocks in warning or run out, and ladder levels due
(SPEC 5); below them the priority 1 evaluations not yet held, tracked until they are.
Enter opens the call; Tab moves between the lists; they refresh every half minute."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from desk_tui.domain.escalation import AlertKind
from desk_tui.ui.i18n import N_, _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.text import clip, visible
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader

if TYPE_CHECKING:
    from datetime import tzinfo

    from desk_tui.services.escalation import NeedsAction
    from desk_tui.services.p1 import Evaluation

REFRESH_SECONDS = 30.0
ALERT_LABELS = {
    AlertKind.LEVEL_DUE: N_("level {level} due"),
    AlertKind.REACTION_BREACHED: N_("reaction missed"),
    AlertKind.REACTION_WARNING: N_("reaction nearly due"),
    AlertKind.RESOLUTION_BREACHED: N_("resolution missed"),
    AlertKind.RESOLUTION_WARNING: N_("resolution nearly due"),
}
_STYLE = {
    AlertKind.LEVEL_DUE: "bold",
    AlertKind.REACTION_BREACHED: "bold",
    AlertKind.RESOLUTION_BREACHED: "bold",
}


class ActionsLoaded(Message):
    def __init__(self, items: list[NeedsAction], evaluations: list[Evaluation]) -> None:
        super().__init__()
        self.items = items
        self.evaluations = evaluations


def describe_evaluation(evaluation: Evaluation, zone: tzinfo) -> Text:
    """One line: reference, when and with whom it is planned (or that it is not), subject."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{evaluation.reference:<14}")
    if evaluation.planned_for is not None:
        when = evaluation.planned_for.astimezone(zone)
        planned = _("planned {when} with {who}").format(
            when=f"{when:%d-%m-%Y %H:%M}", who=visible(evaluation.with_whom or ""))
        text.append(f"{clip(planned, 52):<54}")
    else:
        text.append(f"{_('still to be planned (v)'):<54}", "bold")
    text.append(visible(evaluation.subject))
    return text


def describe(item: NeedsAction) -> Text:
    """One line: reference, organisation, priority, level, what is wrong, subject."""
    row = item.row
    alerts = ", ".join(
        _(ALERT_LABELS[alert.kind]).format(level=alert.level) for alert in item.alerts
    )
    priority = "—" if row.priority is None else str(row.priority)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{row.number:<14}")
    text.append(f"{clip(visible(row.organisation), 6):<7}")
    text.append(f"P{priority}  ")
    text.append(_("level {n}").format(n=item.level) + "  ")
    # Wide enough for all three alerts, so the subjects line up under each other.
    text.append(f"{alerts:<50} ", _STYLE.get(item.alerts[0].kind, ""))
    text.append(visible(row.summary))
    return text


class EscalationsScreen(DeskScreen[None]):
    """What needs action now, most urgent first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh", id="escalations.refresh",
                tooltip="Read the list again"),
        Binding("escape", "back", "Back", id="escalations.back", tooltip="Back to the queue"),
    ]
    DEFAULT_CSS = """
    EscalationsScreen #escalations-status { height: 1; padding: 0 1; color: $desk-muted; }
    EscalationsScreen #escalations { height: 2fr; }
    EscalationsScreen #evaluations-label { height: 1; padding: 0 1; color: $desk-muted; }
    EscalationsScreen #evaluations { height: 1fr; }
    /* One line per call: a long reason or subject ends in "…", it never wraps. */
    EscalationsScreen OptionList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[NeedsAction] = []
        self.evaluations: list[Evaluation] = []

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        yield Static(_("Reading…"), id="escalations-status")
        yield OptionList(id="escalations")
        yield Static(_("Priority 1 evaluations not yet held"), id="evaluations-label")
        yield OptionList(id="evaluations")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(REFRESH_SECONDS, self.load)
        self.query_one("#escalations", OptionList).focus()

    @work(thread=True, exclusive=True, group="escalations", exit_on_error=False,
          description="read the calls needing action")
    def load(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(ActionsLoaded(app.desk.needing_action(app.actor),
                                        app.desk.open_evaluations(app.actor)))

    @on(ActionsLoaded)
    def show(self, message: ActionsLoaded) -> None:
        self.items = message.items
        self.evaluations = message.evaluations
        self._show_evaluations()
        options = self.query_one("#escalations", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(describe(item), id=str(item.row.id))
                             for item in self.items])
        if self.items:
            options.highlighted = min(highlighted or 0, len(self.items) - 1)
        status = _("{count} calls need action").format(count=len(self.items))
        self.query_one("#escalations-status", Static).update(Text(status))

    def _show_evaluations(self) -> None:
        desk = self.desk_app.desk
        if desk is None:
            return
        zone = desk.sla.calendars.config.zone
        options = self.query_one("#evaluations", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(describe_evaluation(evaluation, zone))
                             for evaluation in self.evaluations])
        if self.evaluations:
            options.highlighted = min(highlighted or 0, len(self.evaluations) - 1)
        self.query_one("#evaluations-label", Static).update(Text(
            _("Priority 1 evaluations not yet held: {n}").format(n=len(self.evaluations))))

    @on(OptionList.OptionSelected, "#escalations")
    def open_call(self, event: OptionList.OptionSelected) -> None:
        item = self.items[event.option_index]
        self._open(item.row.id)

    @on(OptionList.OptionSelected, "#evaluations")
    def open_evaluated_call(self, event: OptionList.OptionSelected) -> None:
        self._open(self.evaluations[event.option_index].call_id)

    def _open(self, call_id: object) -> None:
        from desk_tui.ui.screens.call import CallScreen

        self.app.push_screen(CallScreen(call_id), callback=lambda _r: self.load())  # type: ignore[arg-type]

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()
