"""Open changes with a countdown to what they answer to (SPEC 6): the catalogue lead time,
the emergency reaction or the date agreed, in work time like the queue; `n` registers a
change request outside a call (change_form.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from desk_tui.domain.changes import CHANGE_RULES, ChangeKind
from desk_tui.domain.worktime import Unit
from desk_tui.services.access import Action
from desk_tui.ui.formats import work_time, work_time_amount
from desk_tui.ui.i18n import _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.text import fit, visible
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.option_rows import MUTED, OptionRows

if TYPE_CHECKING:
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.changes import ChangeRow

REFRESH_SECONDS = 30.0
WARNING_SHARE = 0.25  # under a quarter of the lead time left: warning colour


def kind_choices() -> list[tuple[ChangeKind, str]]:
    """The catalogue as the operator picks from it: kind and what the SLA promises."""
    choices = []
    for kind, rule in CHANGE_RULES.items():
        if rule.lead_time is not None:
            # "binnen 4 uur werktijd", but "binnen 3 werkdagen": days are work time already
            words = (_("within {time} work time") if rule.lead_time.unit is Unit.HOURS
                     else _("within {time}"))
            promise = words.format(time=work_time_amount(rule.lead_time))
        elif rule.reaction is not None:
            words = (_("reaction within {time} work time") if rule.reaction.unit is Unit.HOURS
                     else _("reaction within {time}"))
            promise = words.format(time=work_time_amount(rule.reaction))
        else:
            promise = _("on a date agreed with the participant")
        choices.append((kind, f"{kind.value}: {rule.description} ({promise})"))
    return choices


def countdown_cell(row: ChangeRow, sla: SlaEngine, now: datetime) -> tuple[str, str]:
    if row.due is None:
        return fit("—", 8, "right"), MUTED
    service = sla.calendars.service
    left = service.between(now, row.due)
    total = max(service.between(row.registered_at, row.due), 1.0)
    state = ("$sla-breached" if left <= 0
             else "$sla-warning" if left / total < WARNING_SHARE else "$sla-ok")
    return fit(work_time(left), 8, "right"), state


def change_prompt(row: ChangeRow, sla: SlaEngine, now: datetime) -> Content:
    due = row.due.astimezone(sla.calendars.config.zone) if row.due else None
    return Content.assemble(
        countdown_cell(row, sla, now), "  ",
        (fit(row.reference, 14), "bold"), " ",
        (fit(due.strftime("%d-%m %H:%M") if due else "", 11), MUTED), " ",
        (fit(row.organisation, 5), ""), " ",
        (fit(row.kind.value, 17), MUTED), " ",
        (fit(row.status.value, 13), MUTED), " ",
        (visible(row.title), ""),
    )


class ChangesLoaded(Message):
    def __init__(self, rows: list[ChangeRow]) -> None:
        super().__init__()
        self.rows = rows


class ChangesScreen(DeskScreen[None]):
    """Open changes, the first due first; x marks the highlighted one carried out."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New change", id="changes.new",
                tooltip="Register a change request outside a call"),
        Binding("x", "complete", "Done", id="changes.complete",
                tooltip="The highlighted change has been carried out"),
        Binding("r", "refresh", "Refresh", id="changes.refresh", show=False,
                tooltip="Read the list again"),
        Binding("escape", "back", "Back", id="changes.back", tooltip="Back to the queue"),
    ]
    DEFAULT_CSS = """
    ChangesScreen #changes-status { height: 1; padding: 0 1; color: $desk-muted; }
    ChangesScreen OptionRows { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ChangeRow] = []

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        yield Static(_("Reading…"), id="changes-status")
        yield OptionRows(empty_text=_("No open changes"), id="changes")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(REFRESH_SECONDS, self.load)
        self.set_interval(60.0, self._redraw)
        self.set_focus(self.query_one(OptionRows))  # at once: keys typed behind the opening key

    @work(thread=True, exclusive=True, group="changes", exit_on_error=False,
          description="read the open changes")
    def load(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(ChangesLoaded(app.desk.open_changes(app.actor)))

    @on(ChangesLoaded)
    def _loaded(self, message: ChangesLoaded) -> None:
        self.rows = message.rows
        self._redraw()
        self.refresh_bindings()
        self.query_one("#changes-status", Static).update(
            Text(_("{count} open changes").format(count=len(self.rows))))

    def _redraw(self) -> None:
        desk = self.desk_app.desk
        if desk is None:
            return
        now = desk.now()
        self.query_one(OptionRows).set_rows(
            [(row, change_prompt(row, desk.sla, now)) for row in self.rows])

    def action_complete(self) -> None:
        row = self.query_one(OptionRows).highlighted_value
        if row is not None:
            self.run_job(lambda desk, actor: desk.complete_change(actor, row.id))

    @work(thread=True, exclusive=True, group="change-action", exit_on_error=False,
          description="mark a change carried out")
    def run_job(self, job: Callable[..., object]) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        job(app.desk, app.actor)
        self.app.call_from_thread(self.load)

    def action_refresh(self) -> None:
        self.load()

    def action_new(self) -> None:
        from desk_tui.ui.screens.change_form import ChangeFormScreen

        self.app.push_screen(ChangeFormScreen(), callback=lambda _saved: self.load())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Carrying a change out is for specialists and change managers."""
        actor = self.desk_app.actor
        if action == "complete":
            return actor is not None and actor.may(Action.CHANGE_MANAGE) and bool(self.rows)
        if action == "new":
            return actor is not None and actor.may(Action.CHANGE_REGISTER)
        return True

    def action_back(self) -> None:
        self.dismiss()
