"""One call in full: who, what, where it stands on the ladder, both SLA clocks live, pauses,
linked CIs and the history; every step of the call's life by one key.

Reads and writes run in thread workers; each write passes the version the operator saw, so
a change by someone else meanwhile is refused (Conflict) and the call is shown afresh.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from desk_tui.domain.breach import hours_minutes
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.escalation import HIERARCHICAL_LADDER
from desk_tui.domain.priority import priority_for
from desk_tui.domain.sla import Countdown, Handler
from desk_tui.services.access import Action
from desk_tui.services.calls import Saved
from desk_tui.services.errors import Conflict, WrongState
from desk_tui.services.queries import CallDetail, Choice, HistoryEntry, LinkedCi, PauseEntry
from desk_tui.store.enums import (
    OPEN_CALL_STATUSES,
    BreachStep,
    CallStatus,
    Channel,
    EscalationSide,
    HistoryField,
    SupportLine,
)
from desk_tui.timeparse import parse_instant
from desk_tui.ui.cmdb_labels import ci_type_label
from desk_tui.ui.formats import amsterdam, short_datetime
from desk_tui.ui.i18n import N_, _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.screens.bundle import Bundle, BundleDialog
from desk_tui.ui.screens.dialogs import (
    ChoicePrompt,
    Reclassification,
    ReclassifyDialog,
    TextPrompt,
)
from desk_tui.ui.screens.ladder import finished_text
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.call_queue import LINE_LABELS, NONE_MARK, countdown_text
from desk_tui.ui.widgets.call_type import CALL_TYPE_LABELS
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.ladder import STEPS, FunctionalLadder
from desk_tui.ui.widgets.priority_picker import LEVEL_LABELS, DueTimes

if TYPE_CHECKING:
    from desk_tui.services.access import Actor
    from desk_tui.services.desk import Desk
    from desk_tui.services.escalation import LadderLevel
    from desk_tui.services.p1 import P1Overview
    from desk_tui.services.problems import SimilarCall
    from desk_tui.services.security import BreachView
    from desk_tui.store.change_feed import DataChange
    from desk_tui.ui.app import Connected
    from desk_tui.ui.screens.ci_lookup import LookupResult

REFRESH_SECONDS = 30.0  # pick up other operators' changes while the call is open
SUPPLIER_MAX = 200

STATUS_LABELS: dict[CallStatus, str] = {
    CallStatus.GEREGISTREERD: N_("Registered"),
    CallStatus.IN_BEHANDELING: N_("In progress"),
    CallStatus.WACHT: N_("Waiting"),
    CallStatus.OPGELOST: N_("Resolved"),
    CallStatus.GESLOTEN: N_("Closed"),
}
CHANNEL_LABELS: dict[Channel, str] = {
    Channel.TELEFOON: N_("Phone"),
    Channel.SELFSERVICE: N_("Self-service"),
    Channel.MAIL: N_("Mail"),
    Channel.BALIE: N_("Walk-in"),
}
FIELD_LABELS: dict[HistoryField, str] = {
    HistoryField.STATUS: N_("Status"),
    HistoryField.PRIORITY: N_("Priority"),
    HistoryField.IMPACT: N_("Impact"),
    HistoryField.URGENCY: N_("Urgency"),
    HistoryField.CALL_TYPE: N_("Type"),
    HistoryField.CATEGORY: N_("Category"),
    HistoryField.HANDLER: N_("Handler"),
    HistoryField.LINE: N_("Line"),
    HistoryField.HANDLED_BY: N_("Handled by"),
    HistoryField.ESCALATION_LEVEL: N_("Escalation level"),
    HistoryField.NOTE: N_("Note"),
}
BREACH_STEP_LABELS: dict[BreachStep, str] = {
    BreachStep.IDENTIFICATIE: N_("Identification"),
    BreachStep.INDAMMING: N_("Containment"),
    BreachStep.HERSTEL: N_("Remediation"),
    BreachStep.KENNISGEVING: N_("Notification"),
    BreachStep.RAPPORTAGE: N_("Reporting and evaluation"),
}
HANDLER_LABELS: dict[Handler, str] = {
    Handler.DESK: N_("servicedesk"),
    Handler.ON_CALL: N_("on call"),
}

# The facts beside the text, top to bottom: (widget id, label msgid).
FACTS: tuple[tuple[str, str], ...] = (
    ("status", N_("Status")),
    ("type", N_("Type")),
    ("priority", N_("Priority")),
    ("organisation", N_("Organisation")),
    ("department", N_("Department")),
    ("caller", N_("Caller")),
    ("phone", N_("Phone")),
    ("email", N_("Mail address")),
    ("channel", N_("Channel")),
    ("category", N_("Category")),
    ("handler", N_("Handler")),
)
TIMES: tuple[tuple[str, str], ...] = (
    ("registered", N_("Registered")),
    ("reacted", N_("Reacted")),
    ("resolved", N_("Resolved")),
    ("closed", N_("Closed")),
)


def literal(text: str) -> Text:
    """Multi-line user text shown as typed: line breaks kept, every other control
    character made visible, no markup."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Text("\n".join(visible(line.expandtabs(4)) for line in lines), end="")


def level_label(level: Level | None) -> str:
    return NONE_MARK if level is None else _(LEVEL_LABELS[Level(level)])


def history_value(field: HistoryField, value: str | None, names: Mapping[str, str]) -> str:
    """A stored history value as the operator reads it, in the interface language."""
    if value is None:
        return ""
    try:
        if field is HistoryField.STATUS:
            return _(STATUS_LABELS[CallStatus(value)])
        if field in (HistoryField.IMPACT, HistoryField.URGENCY):
            return _(LEVEL_LABELS[Level(value)])
        if field is HistoryField.CALL_TYPE:
            return _(CALL_TYPE_LABELS[CallType(value)])
        if field is HistoryField.LINE:
            return _(LINE_LABELS[SupportLine(value)])
        if field is HistoryField.HANDLED_BY:
            return _(HANDLER_LABELS[Handler(value)])
    except (KeyError, ValueError):
        pass
    if field is HistoryField.PRIORITY:
        return f"P{value}"
    if field in (HistoryField.HANDLER, HistoryField.CATEGORY):
        return visible(names.get(value, f"#{value[:8]}"))
    return visible(value)


def pause_span(pause: PauseEntry) -> str:
    """"ma 30 nov 08:30–08:32": the end as a time only when it is the same day."""
    start = short_datetime(pause.started_at)
    if pause.ended_at is None:
        return f"{start} – {_('now')}"
    begin, end = (instant.astimezone(amsterdam()) for instant in (pause.started_at,
                                                                    pause.ended_at))
    if begin.date() == end.date():
        return f"{start}–{end:%H:%M}"
    return f"{start} – {short_datetime(pause.ended_at)}"


def history_change(entry: HistoryEntry, names: Mapping[str, str]) -> str:
    old = history_value(entry.field, entry.old_value, names)
    new = history_value(entry.field, entry.new_value, names)
    if old and new:
        return f"{old} → {new}"
    if old:
        return f"{old} → {NONE_MARK}"
    return new


def history_rows(
    history: tuple[HistoryEntry, ...], names: Mapping[str, str]
) -> list[tuple[str, str, str, str, str]]:
    """(when, who, what, old → new, note) per entry, newest first, as plain text."""
    return [
        (
            short_datetime(entry.at),
            visible(entry.operator or NONE_MARK),
            _(FIELD_LABELS.get(entry.field, entry.field.value)),
            history_change(entry, names),
            visible(" ".join((entry.note or "").split())),
        )
        for entry in reversed(history)
    ]


class DetailLoaded(Message):
    def __init__(
        self, detail: CallDetail, pick_lists: dict[str, list[Choice]] | None,
        p1: P1Overview | None = None, breach: BreachView | None = None,
    ) -> None:
        super().__init__()
        self.detail = detail
        self.pick_lists = pick_lists
        self.p1 = p1
        self.breach = breach


class Written(Message):
    def __init__(self, saved: Saved) -> None:
        super().__init__()
        self.saved = saved


class ReloadWanted(Message):
    """A write was refused because the call changed: show it as it is now."""


class CisFound(Message):
    def __init__(self, detail: CallDetail, text: str, cis: list[LinkedCi]) -> None:
        super().__init__()
        self.detail = detail
        self.text = text
        self.cis = cis


class PlainLines(Widget):
    """Plain text with muted parts, styled when drawn so a theme switch applies at once."""

    DEFAULT_CSS = """
    PlainLines {
        height: auto;
        & > .plain-lines--muted { color: $desk-muted; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"plain-lines--muted"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: list[tuple[str, bool]] = []

    def set_parts(self, parts: list[tuple[str, bool]]) -> None:
        """(text, muted) pieces; the text must already be made visible."""
        self.parts = parts
        self.refresh(layout=True)

    @property
    def plain(self) -> str:
        return "".join(text for text, _muted in self.parts)

    def render(self) -> Text:
        muted = self.get_component_rich_style("plain-lines--muted", partial=True)
        text = Text(end="")
        for part, is_muted in self.parts:
            text.append(part, muted if is_muted else None)
        return text


NARROW_HISTORY = 56  # columns below which the history has no column of its own for who


class HistoryView(Widget):
    """The call's history as a quiet table; notes wrap, nothing is markup."""

    DEFAULT_CSS = """
    HistoryView {
        height: auto;
        & > .history--header { color: $desk-muted; text-style: bold; }
        & > .history--muted { color: $desk-muted; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"history--header", "history--muted"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[str, str, str, str, str]] = []

    def set_rows(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        self.rows = rows
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        header = self.get_component_rich_style("history--header", partial=True)
        muted = self.get_component_rich_style("history--muted", partial=True)
        if not self.rows:
            return Text(_("No history yet"), muted)
        table = Table(box=None, expand=True, show_header=True, header_style=header,
                      padding=(0, 2, 0, 0), show_edge=False)
        # In a narrow pane (80 columns) who did it heads the change: three columns left
        # the change itself no room at all.
        narrow = self.size.width < NARROW_HISTORY
        table.add_column(Text(_("When")), no_wrap=True, style=muted)
        if not narrow:
            table.add_column(Text(_("Who")), no_wrap=True, overflow="ellipsis", max_width=18)
        table.add_column(Text(_("Change")), ratio=1, overflow="fold")
        for when, who, what, change, note in self.rows:
            cell = Text(end="")
            if narrow and who != NONE_MARK:
                cell.append(f"{who}: ")
            cell.append(what, muted)
            if change:
                cell.append("  ")
                cell.append(change)
            if note:
                cell.append("\n" if change else "  ")
                cell.append(note, muted if change else None)
            table.add_row(Text(when), cell) if narrow else table.add_row(
                Text(when), Text(who), cell)
        return table


class CallScreen(DeskScreen[None]):
    """One call, live; Esc goes back to the queue."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "take", "Take", id="call.take", tooltip="Make yourself the handler"),
        Binding("a", "assign", "Assign", id="call.assign", tooltip="Choose the handler"),
        Binding("l", "move_line", "Line", id="call.line",
                tooltip="Move the call to another support line"),
        Binding("w", "pause", "Wait", id="call.wait",
                tooltip="Wait on the caller or a third party: the resolution clock stops"),
        Binding("w", "resume", "Resume", id="call.resume",
                tooltip="The wait is over: the resolution clock runs again"),
        Binding("c", "reclassify", "Reclassify", id="call.reclassify",
                tooltip="Change type, category, impact or urgency"),
        Binding("o", "resolve", "Resolve", id="call.resolve", tooltip="Record the solution"),
        Binding("x", "close_call", "Close", id="call.close", tooltip="Close the resolved call"),
        Binding("h", "reopen", "Reopen", id="call.reopen", tooltip="The solution did not hold"),
        Binding("W", "change", "Change", id="call.change", show=False,
                tooltip="Register a change from the catalogue for this call"),
        Binding("p", "bundle", "Problem", id="call.bundle", show=False,
                tooltip="Similar calls: bundle them with this one into a problem"),
        Binding("v", "evaluate", "Evaluation", id="call.evaluate", show=False,
                tooltip="Plan the evaluation of a priority 1 incident, or record it"),
        Binding("L", "ladders", "Ladders", id="call.ladders", show=False,
                tooltip="Both escalation ladders: the call's line and level, whom to call next"),
        Binding("d", "breach", "Data breach", id="call.breach", show=False,
                tooltip="Declare a security incident (data breach), or record its next"
                " protocol step"),
        Binding("e", "escalate", "Escalate", id="call.escalate", show=False,
                tooltip="Move the call up or down the hierarchical ladder, with a reason"),
        Binding("k", "link_ci", "Link CI", id="call.link-ci",
                tooltip="Link a configuration item"),
        # Not in the footer (it is full at 140 columns); in the help and the palette.
        Binding("K", "unlink_ci", "Unlink CI", id="call.unlink-ci", show=False,
                tooltip="Remove a linked configuration item"),
        Binding("f4", "lookup_ci", "CMDB", id="call.lookup-ci", show=False,
                tooltip="Look up configuration items: link, unlink, see one in full"),
        Binding("r", "refresh", "Refresh", id="call.refresh", show=False,
                tooltip="Read the call again"),
        Binding("escape", "back", "Back", id="call.back", tooltip="Back to the queue"),
    ]

    # Below 120 columns the two columns share the width: a fixed 60-column side left the
    # description and history 13 columns wide at 80.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"),
                                                                       (120, "-wide")]
    DEFAULT_CSS = """
    CallScreen {
        #call-bar {
            height: 1;
            margin: 1 1 0 1;
            padding: 0 1;
            background: $desk-header-background;
        }
        #call-bar > Static { width: auto; margin-right: 2; text-wrap: nowrap; }
        #call-reference { text-style: bold; }
        #call-bar-priority { text-style: bold; }
        #call-bar-status { color: $foreground; }
        #call-subject {
            width: 1fr;
            text-style: bold;
            text-overflow: ellipsis;
        }
        #call-body { height: 1fr; padding: 0 1; }
        #call-main { width: 1fr; }
        #call-side { width: 60; margin-left: 1; scrollbar-size-vertical: 1; }
        &.-narrow #call-side { width: 1fr; }
        &.-narrow .facts { grid-columns: 14 1fr; }
        &.-narrow .sla { grid-columns: 10 8 1fr; }
        &.-narrow .countdown { padding-right: 1; }
        .pane {
            height: auto;
            scrollbar-size-vertical: 1;
            margin-top: 1;
            border-title-color: $desk-muted;
            border-title-style: bold;
        }
        #call-text { height: 2fr; min-height: 6; }
        #call-history-pane { height: 3fr; min-height: 6; }
        #call-description { width: 1fr; }
        #call-solution-pane { display: none; height: auto; max-height: 8; }
        #call-solution-pane.shown { display: block; }
        .facts {
            grid-size: 2;
            grid-columns: 15 1fr;
            grid-rows: 1;
            height: auto;
        }
        .sla {
            grid-size: 3;
            grid-columns: 15 10 1fr;
            grid-rows: 1;
            height: auto;
        }
        .facts > Static, .sla > Static { text-wrap: nowrap; text-overflow: ellipsis; }
        .fact-label { color: $desk-muted; }
        .countdown { text-style: bold; text-align: right; padding-right: 2; }
        .due { color: $desk-muted; }
        #fact-priority-row { height: 1; }
        #fact-priority-row > Static { width: auto; text-wrap: nowrap; }
        #fact-levels { color: $desk-muted; margin-left: 2; }
        #call-times { margin-top: 1; }
        #call-pauses, #call-cis { height: auto; }
    }
    """

    def __init__(self, call_id: uuid.UUID) -> None:
        super().__init__()
        self.call_id = call_id
        self.detail: CallDetail | None = None
        self.p1: P1Overview | None = None
        self.breach: BreachView | None = None
        self.ladder: list[LadderLevel] | None = None
        self.pick_lists: dict[str, list[Choice]] | None = None
        self.saving = False
        """True from a write until the call is shown as that write left it."""
        self._written_version: int | None = None
        self._refused_reload = False  # the next read follows a refused (stale) write
        self._clock_texts: dict[str, str] = {}


    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield DeskHeader()
        # Only while the call's own municipality is at GRIP 3+.
        yield CrisisBanner(one_organisation=True, id="call-crisis")
        with Horizontal(id="call-bar"):
            yield Static(Text(_("Loading…")), id="call-reference")
            yield Static("", id="call-bar-priority")
            yield Static("", id="call-bar-status")
            yield Static("", id="call-subject")
        with Horizontal(id="call-body"):
            with Vertical(id="call-main"):
                with VerticalScroll(id="call-text", classes="pane") as text_pane:
                    text_pane.border_title = _("Description")
                    yield Static("", id="call-description")
                with VerticalScroll(id="call-solution-pane", classes="pane") as solution_pane:
                    solution_pane.border_title = _("Solution")
                    yield Static("", id="call-solution")
                with VerticalScroll(id="call-history-pane", classes="pane") as history_pane:
                    history_pane.border_title = _("History")
                    yield HistoryView(id="call-history")
            with VerticalScroll(id="call-side"):
                with Vertical(classes="pane", id="call-facts-pane") as facts_pane:
                    facts_pane.border_title = _("Call")
                    with Grid(classes="facts", id="call-facts"):
                        for key, label in FACTS:
                            yield Static(Text(_(label)), classes="fact-label")
                            if key == "priority":
                                with Horizontal(id="fact-priority-row"):
                                    yield Static("", id="fact-priority")
                                    yield Static("", id="fact-levels")
                            else:
                                yield Static("", id=f"fact-{key}")
                with Vertical(classes="pane", id="call-sla-pane") as sla_pane:
                    sla_pane.border_title = _("SLA")
                    with Grid(classes="sla"):
                        yield Static(Text(_("Reaction")), classes="fact-label")
                        yield Static("", id="sla-reaction", classes="countdown")
                        yield Static("", id="sla-reaction-due", classes="due")
                        yield Static(Text(_("Resolution")), classes="fact-label")
                        yield Static("", id="sla-resolution", classes="countdown")
                        yield Static("", id="sla-resolution-due", classes="due")
                    with Grid(classes="facts", id="call-times"):
                        for key, label in TIMES:
                            yield Static(Text(_(label)), classes="fact-label")
                            yield Static("", id=f"time-{key}")
                with Vertical(classes="pane", id="call-breach-pane") as breach_pane:
                    breach_pane.border_title = _("Security incident")
                    breach_pane.display = False
                    yield PlainLines(id="call-breach")
                with Vertical(classes="pane", id="call-line-pane") as line_pane:
                    line_pane.border_title = _("Line")
                    yield FunctionalLadder(id="call-ladder")
                    yield PlainLines(id="call-hierarchy")
                with Vertical(classes="pane", id="call-pauses-pane") as pauses_pane:
                    pauses_pane.border_title = _("Waiting periods")
                    yield PlainLines(id="call-pauses")
                with Vertical(classes="pane", id="call-p1-pane") as p1_pane:
                    p1_pane.border_title = _("Priority 1")
                    yield PlainLines(id="call-p1")
                with Vertical(classes="pane", id="call-cis-pane") as cis_pane:
                    cis_pane.border_title = _("Configuration items")
                    yield PlainLines(id="call-cis")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        self.set_interval(REFRESH_SECONDS, self._refresh_shown)
        self.desk_app.data_changed.subscribe(self, self._changed_elsewhere)
        self.reload()

    def _changed_elsewhere(self, change: DataChange) -> None:
        """Another operator changed this call (or, on SQLite, maybe): read it again now."""
        if change.concerns_call(self.call_id):
            self._refresh_shown()

    def on_connected(self, message: Connected) -> None:
        self.reload()

    # -- reading -----------------------------------------------------------------------------
    def reload(self) -> None:
        if self.desk_app.desk is not None and self.desk_app.actor is not None:
            self.load_detail()

    def action_refresh(self) -> None:
        self.reload()

    def _refresh_shown(self) -> None:
        """Periodic re-read, once the call could be read at all (no repeated refusals)."""
        if self.detail is not None and not self.saving:
            self.reload()

    @work(thread=True, exclusive=True, group="call-detail", exit_on_error=False,
          description="load one call")
    def load_detail(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        detail = app.desk.detail(app.actor, self.call_id)
        pick_lists = app.desk.pick_lists() if self.pick_lists is None else None
        p1 = app.desk.p1_overview(app.actor, self.call_id)
        breach = app.desk.breach(app.actor, self.call_id)
        if self.ladder is None:
            self.ladder = app.desk.ladder(app.actor, detail.organisation_id)
        self.post_message(DetailLoaded(detail, pick_lists, p1, breach))

    @on(DetailLoaded)
    def _loaded(self, message: DetailLoaded) -> None:
        if message.pick_lists is not None:
            self.pick_lists = message.pick_lists
        previous = self.detail
        refused, self._refused_reload = self._refused_reload, False
        if (previous is not None and self._written_version is None and not refused
                and message.detail.version > previous.version):
            self.notify(_("{ref} was changed by another operator").format(
                ref=message.detail.reference), timeout=4)
        if previous is None:  # the crisis of this call's municipality, if any
            self.query_one(CrisisBanner).show_organisation(message.detail.organisation_id)
        self.detail = message.detail
        self.p1 = message.p1
        self._show_p1(message.p1)
        self.breach = message.breach
        self._show_breach()
        self._show_hierarchy(message.detail)
        if self._written_version is not None and message.detail.version >= self._written_version:
            self._written_version = None
            self.saving = False  # the next action starts from what was just saved
        self.show(message.detail)
        self.refresh_bindings()

    def _rung_text(self, level: int) -> str:
        """"contractmanager: Carla Contract 0228-360000 / servicemanager: Sem Service"."""
        step = (self.ladder or [])[level - 1] if self.ladder else None
        if step is None:
            return ""
        sides = []
        for role, side in ((step.participant_role, EscalationSide.DEELNEMER),
                           (step.servicedesk_role, EscalationSide.SERVICEDESK)):
            named = [
                " ".join(part for part in (contact.name, contact.phone) if part)
                for contact in step.contacts if contact.side is side
            ]
            sides.append(f"{role}: {', '.join(named)}" if named else role)
        return visible(" / ".join(sides))

    def _show_hierarchy(self, detail: CallDetail) -> None:
        """Where the call stands on the hierarchical ladder, and whom to call next; a
        resolved or closed call has no next step, so it says the call is finished."""
        level = detail.escalation_level
        parts: list[tuple[str, bool]] = [(_("Escalation: "), True)]
        if level == 0:
            parts.append((_("not escalated"), False))
        else:
            parts.append((_("level {n}").format(n=level) + " — " + self._rung_text(level), False))
        finished = finished_text(detail)
        if finished is not None:
            parts.append(("\n" + _("Finished: "), True))
            parts.append((finished, False))
        elif level < len(HIERARCHICAL_LADDER) and self.ladder:
            parts.append(("\n" + _("Next: ") + _("level {n}").format(n=level + 1) + " — ", True))
            parts.append((self._rung_text(level + 1), False))
        self.query_one("#call-hierarchy", PlainLines).set_parts(parts)

    def _show_p1(self, p1: P1Overview | None) -> None:
        """The managers' notification and the evaluation of a (former) priority 1."""
        pane = self.query_one("#call-p1-pane")
        pane.display = p1 is not None and (p1.evaluation is not None or bool(p1.notices))
        if p1 is None or not pane.display:
            return
        states = {"sent": _("sent"), "pending": _("waiting in the outbox"),
                  "failed": _("not delivered")}
        parts: list[tuple[str, bool]] = []
        for notice in p1.notices:
            when = f" {notice.sent_at.astimezone(self._zone()):%d-%m %H:%M}" if (
                notice.sent_at) else ""
            parts.append((_("Told {name}: ").format(name=visible(notice.recipient)), True))
            parts.append((states[notice.state] + when, False))
            if notice.problem:
                parts.append((f" ({visible(notice.problem)})", True))
            parts.append(("\n", False))
        if not p1.notices:
            parts.append((_("Nobody told: the organisation names no contract or information "
                            "manager"), False))
            parts.append(("\n", False))
        evaluation = p1.evaluation
        if evaluation is not None:
            parts.append((_("Evaluation: "), True))
            if evaluation.held_at is not None:
                held = evaluation.held_at.astimezone(self._zone())
                parts.append((_("held {when}").format(when=f"{held:%d-%m-%Y}"), False))
            elif evaluation.planned_for is not None:
                planned = evaluation.planned_for.astimezone(self._zone())
                parts.append((_("planned {when} with {who}").format(
                    when=f"{planned:%d-%m-%Y %H:%M}", who=visible(evaluation.with_whom or "")),
                    False))
            else:
                parts.append((_("still to be planned (v)"), False))
        self.query_one("#call-p1", PlainLines).set_parts(parts)

    def _show_breach(self) -> None:
        """The data-breach protocol: its steps, and the 72 hours to notify counting down."""
        pane = self.query_one("#call-breach-pane")
        breach, desk = self.breach, self.desk_app.desk
        pane.display = breach is not None
        if breach is None or desk is None:
            return
        now = desk.now()
        clock = breach.clock
        due = f"{clock.due.astimezone(self._zone()):%d-%m %H:%M}"
        state = clock.state(now)
        shown = {
            "running": _("{left} left (by {due})"),
            "overdue": _("overdue by {late} (was due {due})"),
            "notified": _("notified in time"),
            "notified-late": _("notified late"),
        }[state].format(left=hours_minutes(clock.left(now)), due=due,
                        late=hours_minutes(-clock.left(now)))
        found = f"{breach.discovered_at.astimezone(self._zone()):%d-%m-%Y %H:%M}"
        parts: list[tuple[str, bool]] = [
            (_("Discovered: "), True), (found, False), ("\n", False),
            (_("Notify within 72 h: "), True), (shown, False),
        ]
        for step in breach.steps:
            parts.append(("\n" + ("✓ " if step.done_at else "· "), True))
            parts.append((_(BREACH_STEP_LABELS[step.step]), step.done_at is None))
            if step.done_at is not None:
                done = f"{step.done_at.astimezone(self._zone()):%d-%m %H:%M}"
                parts.append((f" {done} {visible(step.done_by or '')}", True))
        if breach.next_step is not None:
            parts.append(("\n" + _("d: record the next step"), True))
        self.query_one("#call-breach", PlainLines).set_parts(parts)

    def action_breach(self) -> None:
        """Declare the call a security incident, or record its next protocol step."""
        detail = self.detail
        if detail is None:
            return
        title = self._titled(_("Security incident"), detail)
        if self.breach is None:
            prompt = TextPrompt(title, _("Discovered when (e.g. 2026-12-03 10:00; empty: now)?"),
                                max_length=40, required=False)
            self.app.push_screen(prompt, callback=partial(self._breach_discovered, detail))
            return
        step = self.breach.next_step
        if step is None:
            return
        prompt = TextPrompt(title, _("{step}: what was done?").format(
            step=_(BREACH_STEP_LABELS[step])), multiline=True)
        self.app.push_screen(prompt, callback=partial(self._breach_step, detail, step))

    def _breach_discovered(self, detail: CallDetail, text: str | None) -> None:
        if text is None:
            return
        desk = self.desk_app.desk
        when = desk.now() if desk is not None and not text.strip() else self._typed_instant(text)
        if when is not None:
            self.evaluation_job(lambda desk, actor: desk.declare_breach(actor, detail.id, when))

    def _breach_step(self, detail: CallDetail, step: BreachStep, note: str | None) -> None:
        if note is not None:
            self.evaluation_job(lambda desk, actor: desk.record_breach_step(
                actor, detail.id, step, note))

    def _zone(self) -> tzinfo:
        desk = self.desk_app.desk
        return desk.sla.calendars.config.zone if desk is not None else amsterdam()

    def action_evaluate(self) -> None:
        """Plan the evaluation of a P1, or record that it was held."""
        detail, p1 = self.detail, self.p1
        if detail is None or p1 is None or p1.evaluation is None:
            return
        if p1.evaluation.planned_for is None:
            prompt = TextPrompt(self._titled(_("Evaluation"), detail),
                                _("When (e.g. 2026-12-03 10:00)?"), max_length=40)
            self.app.push_screen(prompt, callback=partial(self._evaluation_when, detail))
        else:
            prompt = TextPrompt(self._titled(_("Evaluation"), detail),
                                _("What came out of the evaluation?"), multiline=True)
            self.app.push_screen(prompt, callback=partial(self._evaluation_held, detail))

    def _typed_instant(self, text: str | None) -> datetime | None:
        """A date and time as typed ("2026-12-03 10:00", local time); None after saying
        what is wrong (or when the prompt was cancelled)."""
        if text is None:
            return None
        try:
            return parse_instant(text.replace(" ", "T", 1), self._zone())
        except ValueError:
            self.notify(_("Not a date and time: {text}").format(text=visible(text)),
                        severity="warning")
            return None

    def _evaluation_when(self, detail: CallDetail, text: str | None) -> None:
        when = self._typed_instant(text)
        if when is None:
            return
        prompt = TextPrompt(self._titled(_("Evaluation"), detail), _("With whom?"),
                            max_length=200)
        self.app.push_screen(prompt, callback=partial(self._evaluation_planned, detail, when))

    def _evaluation_planned(self, detail: CallDetail, when: datetime, who: str | None) -> None:
        if who is not None:
            self.evaluation_job(lambda desk, actor: desk.plan_evaluation(
                actor, detail.id, when, who))

    def _evaluation_held(self, detail: CallDetail, summary: str | None) -> None:
        if summary is not None:
            self.evaluation_job(lambda desk, actor: desk.record_evaluation(
                actor, detail.id, desk.now(), summary))

    @work(thread=True, exclusive=True, group="call-action", exit_on_error=False,
          description="record the P1 evaluation")
    def evaluation_job(self, change: Callable[[Desk, Actor], object]) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        change(app.desk, app.actor)
        self.post_message(ReloadWanted())

    def action_change(self) -> None:
        """The change request form, for this call: its caller asks, in its organisation."""
        from desk_tui.ui.screens.change_form import ChangeFormScreen, ForCall

        detail = self.detail
        if detail is None:
            return
        for_call = ForCall(detail.id, detail.reference, detail.organisation_id, detail.caller_id,
                           detail.subject, detail.description)
        self.app.push_screen(ChangeFormScreen(for_call=for_call),
                             callback=lambda _saved: self.reload())

    def action_bundle(self) -> None:
        if self.detail is not None:
            self.find_similar(self.detail)

    @work(thread=True, exclusive=True, group="call-similar", exit_on_error=False,
          description="find similar calls")
    def find_similar(self, detail: CallDetail) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        similar = app.desk.similar_calls(app.actor, detail.id)
        self.app.call_from_thread(self._ask_bundle, detail, similar)

    def _ask_bundle(self, detail: CallDetail, similar: list[SimilarCall]) -> None:
        dialog = BundleDialog(self._titled(_("Problem"), detail), detail.subject, similar)
        self.app.push_screen(dialog, callback=partial(self._bundled, detail))

    def _bundled(self, detail: CallDetail, bundle: Bundle | None) -> None:
        if bundle is not None:
            self.open_problem(detail, bundle)

    @work(thread=True, exclusive=True, group="call-action", exit_on_error=False,
          description="open a problem")
    def open_problem(self, detail: CallDetail, bundle: Bundle) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        problem = app.desk.open_problem(app.actor, bundle.title,
                                        (detail.id, *bundle.call_ids))
        self.app.call_from_thread(
            self.app.notify, _("{ref} opened with {n} calls").format(
                ref=problem.reference, n=len(problem.call_ids)), timeout=5,
        )

    @on(ReloadWanted)
    def _reload_wanted(self) -> None:
        self._refused_reload = True  # the refusal says it already; no second notice
        self.reload()

    def names(self) -> dict[str, str]:
        """Operator and category names by id, for history values that store an id."""
        lists = self.pick_lists or {}
        return {
            str(choice.id): choice.label
            for key in ("operators", "categories")
            for choice in lists.get(key, [])
        }

    def show(self, detail: CallDetail) -> None:
        """Put one call on screen; user text goes in as plain text only."""

        def put(selector: str, value: str | Text | None) -> None:
            widget = self.query_one(selector, Static)
            empty = value is None or value == ""
            widget.update(Text(NONE_MARK) if empty else value if isinstance(value, Text)
                          else Text(visible(value), end=""))
            widget.set_class(empty, "muted")

        put("#call-reference", detail.reference)
        put("#call-subject", detail.subject)
        status = _(STATUS_LABELS.get(detail.status, detail.status.value))
        put("#call-bar-status", status)
        put("#fact-status", status)
        put("#fact-type", _(CALL_TYPE_LABELS.get(detail.call_type, detail.call_type.value)))
        for selector in ("#call-bar-priority", "#fact-priority"):
            widget = self.query_one(selector, Static)
            for n in range(1, 6):
                widget.set_class(detail.priority == n, f"priority-{n}")
            widget.set_class(detail.priority is None, "muted")
            text = NONE_MARK if detail.priority is None else f"P{detail.priority}"
            widget.update(Text(text))
        levels = Text(end="")
        levels.append(f"{_('Impact').lower()} {level_label(detail.impact)}")
        levels.append(" · ")
        levels.append(f"{_('Urgency').lower()} {level_label(detail.urgency)}")
        put("#fact-levels", levels)
        put("#fact-organisation", detail.organisation)
        put("#fact-department", detail.department)
        put("#fact-caller", detail.caller)
        put("#fact-phone", detail.caller_phone)
        put("#fact-email", detail.caller_email)
        put("#fact-channel", _(CHANNEL_LABELS.get(detail.channel, detail.channel.value)))
        put("#fact-category", detail.category)
        if detail.handler:
            handler: str | None = detail.handler
        elif detail.sla.handled_by is Handler.ON_CALL:
            handler = _("on call")
        else:
            handler = None
        put("#fact-handler", handler)

        description = detail.description.strip()
        put("#call-description", literal(description) if description
            else Text(_("No description"), end=""))
        self.query_one("#call-description").set_class(not description, "muted")
        solution = (detail.solution or "").strip()
        self.query_one("#call-solution-pane").set_class(bool(solution), "shown")
        put("#call-solution", literal(solution) if solution else None)

        put("#time-registered", short_datetime(detail.registered_at))
        put("#time-reacted", detail.reacted_at and short_datetime(detail.reacted_at))
        put("#time-resolved", detail.resolved_at and short_datetime(detail.resolved_at))
        put("#time-closed", detail.closed_at and short_datetime(detail.closed_at))

        ladder = self.query_one(FunctionalLadder)
        ladder.line = detail.line
        ladder.supplier = detail.supplier
        self.query_one(HistoryView).set_rows(history_rows(detail.history, self.names()))
        self.query_one("#call-pauses", PlainLines).set_parts(self._pauses_parts(detail))
        self.query_one("#call-cis", PlainLines).set_parts(self._cis_parts(detail))
        self.tick()

    @staticmethod
    def _pauses_parts(detail: CallDetail) -> list[tuple[str, bool]]:
        if not detail.pauses:
            return [(_("None"), True)]
        parts: list[tuple[str, bool]] = []
        for index, pause in enumerate(detail.pauses):
            parts.append((("\n" if index else "") + pause_span(pause), True))
            parts.append(("  " + visible(" ".join(pause.reason.split())), False))
        return parts

    @staticmethod
    def _cis_parts(detail: CallDetail) -> list[tuple[str, bool]]:
        if not detail.cis:
            return [(_("None"), True)]
        parts: list[tuple[str, bool]] = []
        for index, ci in enumerate(detail.cis):
            parts.append((("\n" if index else "") + visible(ci.name), False))
            kind = ci_type_label(ci.ci_type)
            extra = ", ".join(part for part in (kind, ci.hostname or "") if part)
            if extra:
                parts.append((f"  {visible(extra)}", True))
        return parts

    # -- the clocks ----------------------------------------------------------------------
    def tick(self) -> None:
        """Once a second: both countdowns from one position of "now"."""
        desk = self.desk_app.desk
        detail = self.detail
        if desk is None or detail is None:
            return
        if self.breach is not None:
            self._show_breach()
        positions = desk.sla.now_positions(desk.now())
        plan = detail.sla
        clocks = [plan.reaction] + ([plan.resolution] if plan.resolution is not None else [])
        countdowns = desk.sla.countdowns(clocks, positions)
        self._show_clock("#sla-reaction", countdowns[0], reaction=True)
        # At 80 columns the time alone fits beside the countdown.
        due_words = "{when}" if self.has_class("-narrow") else _("due {when}")
        self._set_text("#sla-reaction-due", due_words.format(
            when=short_datetime(plan.reaction_due)))
        if plan.resolution is None:
            self._show_clock("#sla-resolution", None, reaction=False)
            self._set_text("#sla-resolution-due", _("no resolution target for this type"))
            return
        finished = detail.resolved_at is not None
        self._show_clock("#sla-resolution", countdowns[1], reaction=finished)
        if plan.resolution_due is None:
            self._set_text("#sla-resolution-due", _("clock held while waiting"))
        else:
            self._set_text("#sla-resolution-due", due_words.format(
                when=short_datetime(plan.resolution_due)))

    def _show_clock(self, selector: str, countdown: Countdown | None, *, reaction: bool) -> None:
        widget = self.query_one(selector, Static)
        if countdown is None:
            text, state = NONE_MARK, "muted"
        else:
            text, state = countdown_text(countdown, reaction=reaction)
        for name in ("sla-ok", "sla-warning", "sla-breached", "sla-paused", "muted"):
            widget.set_class(name == state, name)
        self._set_text(selector, text)

    def _set_text(self, selector: str, text: str) -> None:
        """Update a clock's text only when it changed (the tick runs every second)."""
        if self._clock_texts.get(selector) != text:
            self._clock_texts[selector] = text
            self.query_one(selector, Static).update(Text(text))

    # -- which actions apply ---------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"back", "refresh"}:
            return True
        detail = self.detail
        actor = self.desk_app.actor
        if detail is None or actor is None:
            return False
        right = RIGHTS.get(action)
        if right is not None and not actor.may(right):
            return False
        if action == "evaluate":
            evaluation = self.p1.evaluation if self.p1 is not None else None
            return evaluation is not None and evaluation.held_at is None
        if action == "breach":
            return _open(detail, actor) if self.breach is None else (
                self.breach.next_step is not None)
        rule = APPLIES.get(action)
        return rule is None or rule(detail, actor)

    # -- writing ---------------------------------------------------------------------------
    def write(self, description: str, change: Callable[[Desk, Actor], Saved]) -> None:
        """Run one write in a thread; the call is read again afterwards."""
        if self.saving:
            self.app.bell()
            return
        self.saving = True
        self.run_worker(partial(self._write_job, change), thread=True, group="call-write",
                        exit_on_error=False, description=description)

    def _write_job(self, change: Callable[[Desk, Actor], Saved]) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        try:
            saved = change(app.desk, app.actor)
        except (Conflict, WrongState):
            self.post_message(ReloadWanted())  # show the call as it is now
            raise
        self.post_message(Written(saved))

    @on(Written)
    def _written(self, message: Written) -> None:
        self._written_version = message.saved.version
        self.reload()

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        """A failed or overtaken write ends the wait (DeskScreen reports the failure)."""
        group, state = event.worker.group, event.state
        # A newer read cancels an older one (exclusive); only a failed read ends the wait.
        if (group == "call-write" and state in (WorkerState.ERROR, WorkerState.CANCELLED)) or (
            group == "call-detail" and state is WorkerState.ERROR
        ):
            self._written_version = None
            self.saving = False

    def action_back(self) -> None:
        self.dismiss(None)

    def action_take(self) -> None:
        if (detail := self.detail) is not None:
            self.write("take a call",
                       lambda desk, actor: desk.take(actor, detail.id, detail.version))

    def action_assign(self) -> None:
        detail = self.detail
        if detail is None:
            return
        operators = (self.pick_lists or {}).get("operators", [])
        choices = [(choice.id, self._operator_label(choice)) for choice in operators]
        title = _("Assign {ref} to").format(ref=detail.reference)
        self.app.push_screen(ChoicePrompt(title, choices, current=detail.handler_id),
                             callback=partial(self._assign_chosen, detail))

    @staticmethod
    def _operator_label(choice: Choice) -> str:
        try:
            line = _(LINE_LABELS[SupportLine(choice.detail)])
        except (KeyError, ValueError):
            line = choice.detail
        return f"{choice.label} ({line})" if line else choice.label

    def _assign_chosen(self, detail: CallDetail, operator_id: uuid.UUID | None) -> None:
        if operator_id is None or operator_id == detail.handler_id:
            return
        self.write("assign a call", lambda desk, actor: desk.assign(
            actor, detail.id, operator_id, detail.version))

    @staticmethod
    def _titled(action: str, detail: CallDetail) -> Text:
        """A dialog title: what is being done, to which call."""
        title = Text(action, end="")
        title.append("  ")
        title.append(visible(detail.reference))
        return title

    def action_move_line(self) -> None:
        detail = self.detail
        if detail is None:
            return
        choices = [(line, _(LINE_LABELS[line])) for line in STEPS]
        title = _("Move {ref} to").format(ref=detail.reference)
        self.app.push_screen(ChoicePrompt(title, choices, current=detail.line),
                             callback=partial(self._line_chosen, detail))

    def _line_chosen(self, detail: CallDetail, line: object) -> None:
        if not isinstance(line, SupportLine) or line is detail.line:
            return
        if line is SupportLine.DERDE_LIJN:
            prompt = TextPrompt(self._titled(_("3rd line"), detail),
                                _("Which supplier takes the call?"),
                                initial=detail.supplier or "", max_length=SUPPLIER_MAX)
            self.app.push_screen(prompt, callback=partial(self._supplier_given, detail))
            return
        self.write("move a call to another line", lambda desk, actor: desk.move_line(
            actor, detail.id, detail.version, line))

    def _supplier_given(self, detail: CallDetail, supplier: str | None) -> None:
        if supplier is None:
            return
        self.write("move a call to the 3rd line", lambda desk, actor: desk.move_line(
            actor, detail.id, detail.version, SupportLine.DERDE_LIJN, supplier=supplier))

    def action_pause(self) -> None:
        detail = self.detail
        if detail is None:
            return
        prompt = TextPrompt(self._titled(_("Wait"), detail), _("What does the call wait for?"),
                            max_length=500)
        self.app.push_screen(prompt, callback=partial(self._pause_reason, detail))

    def _pause_reason(self, detail: CallDetail, reason: str | None) -> None:
        if reason is not None:
            self.write("put a call on hold", lambda desk, actor: desk.pause(
                actor, detail.id, detail.version, reason))

    def action_resume(self) -> None:
        if (detail := self.detail) is not None:
            self.write("resume a call",
                       lambda desk, actor: desk.resume(actor, detail.id, detail.version))

    def action_reclassify(self) -> None:
        detail = self.detail
        desk = self.desk_app.desk
        if detail is None or desk is None:
            return
        categories = (self.pick_lists or {}).get("categories", [])
        pauses = [(pause.started_at, pause.ended_at) for pause in detail.pauses]

        def due_times_for(call_type: CallType) -> DueTimes:
            def due_times(impact: Level, urgency: Level):
                plan = desk.sla.plan_call(detail.registered_at, call_type, impact, urgency,
                                          pauses, reacted=detail.reacted_at,
                                          resolved=detail.resolved_at)
                return plan.reaction_due, plan.resolution_due

            return due_times

        self.app.push_screen(ReclassifyDialog(detail, categories, due_times_for),
                             callback=partial(self._reclassified, detail))

    def _reclassified(self, detail: CallDetail, result: Reclassification | None) -> None:
        if result is None:
            return
        lowered = detail.priority == 1 and (
            result.impact is None or result.urgency is None
            or priority_for(result.impact, result.urgency) != 1
        )
        if lowered:
            self._ask_agreement(detail, _("Who at the participant agreed to lower priority 1?"),
                                partial(self._reclassify, detail, result))
        else:
            self._reclassify(detail, result, "")

    def _reclassify(self, detail: CallDetail, result: Reclassification, agreed: str) -> None:
        self.write("reclassify a call", lambda desk, actor: desk.reclassify(
            actor, detail.id, detail.version, call_type=result.call_type, impact=result.impact,
            urgency=result.urgency, category_id=result.category_id, note=result.note,
            agreed_with=agreed))

    def _ask_agreement(
        self, detail: CallDetail, question: str, then: Callable[[str], None]
    ) -> None:
        """SLA 4.3.2: a priority 1 is lowered or closed only in consultation."""
        prompt = TextPrompt(self._titled(_("Priority 1"), detail), question, max_length=200)

        def answered(who: str | None) -> None:
            if who is not None:
                then(who)

        self.app.push_screen(prompt, callback=answered)

    def action_resolve(self) -> None:
        detail = self.detail
        if detail is None:
            return
        prompt = TextPrompt(self._titled(_("Resolve"), detail), _("Solution (what was done)"),
                            initial=detail.solution or "", multiline=True)
        self.app.push_screen(prompt, callback=partial(self._solution_given, detail))

    def _solution_given(self, detail: CallDetail, solution: str | None) -> None:
        if solution is not None:
            self.write("resolve a call", lambda desk, actor: desk.resolve(
                actor, detail.id, detail.version, solution))

    def action_close_call(self) -> None:
        detail = self.detail
        if detail is None:
            return
        if detail.priority == 1:
            self._ask_agreement(detail, _("Who at the participant agreed to close it?"),
                                partial(self._close, detail))
        else:
            self._close(detail, "")

    def _close(self, detail: CallDetail, agreed: str) -> None:
        self.write("close a call", lambda desk, actor: desk.close(
            actor, detail.id, detail.version, agreed))

    def action_ladders(self) -> None:
        from desk_tui.ui.screens.ladder import LadderDialog

        detail = self.detail
        if detail is not None and self.ladder is not None:
            self.app.push_screen(LadderDialog(self._titled(_("Ladders"), detail), detail,
                                              self.ladder))

    def action_escalate(self) -> None:
        detail = self.detail
        if detail is None:
            return
        choices = [(0, _("level 0: not escalated"))] + [
            (step.level, _("level {n}").format(n=step.level) + ": " + (
                self._rung_text(step.level) or _("{participant} / {desk}").format(
                    participant=step.participant_role, desk=step.servicedesk_role)))
            for step in HIERARCHICAL_LADDER
        ]
        prompt = ChoicePrompt(self._titled(_("Escalate"), detail), choices,
                              current=detail.escalation_level)
        self.app.push_screen(prompt, callback=partial(self._level_chosen, detail))

    def _level_chosen(self, detail: CallDetail, level: int | None) -> None:
        if level is None or level == detail.escalation_level:
            return
        prompt = TextPrompt(self._titled(_("Escalate"), detail),
                            _("Why (goes into the history)?"), max_length=500)
        self.app.push_screen(prompt, callback=partial(self._escalate, detail, level))

    def _escalate(self, detail: CallDetail, level: int, reason: str | None) -> None:
        if reason is not None:
            self.write("escalate a call", lambda desk, actor: desk.escalate(
                actor, detail.id, detail.version, level, reason))

    def action_reopen(self) -> None:
        detail = self.detail
        if detail is None:
            return
        prompt = TextPrompt(self._titled(_("Reopen"), detail),
                            _("Why does the solution not hold?"), max_length=500)
        self.app.push_screen(prompt, callback=partial(self._reopen_reason, detail))

    def _reopen_reason(self, detail: CallDetail, reason: str | None) -> None:
        if reason is not None:
            self.write("reopen a call", lambda desk, actor: desk.reopen(
                actor, detail.id, detail.version, reason))

    def action_link_ci(self) -> None:
        detail = self.detail
        if detail is None:
            return
        prompt = TextPrompt(self._titled(_("Link CI"), detail),
                            _("Name, hostname, asset tag or serial number"),
                            max_length=200)
        self.app.push_screen(prompt, callback=partial(self._ci_search, detail))

    def _ci_search(self, detail: CallDetail, text: str | None) -> None:
        if text:
            self.find_cis(detail, text)

    @work(thread=True, exclusive=True, group="call-find-cis", exit_on_error=False,
          description="find configuration items")
    def find_cis(self, detail: CallDetail, text: str) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        cis = app.desk.find_cis(app.actor, text, detail.organisation_id)
        self.post_message(CisFound(detail, text, cis))

    @on(CisFound)
    def _cis_found(self, message: CisFound) -> None:
        linked = {ci.id for ci in message.detail.cis}
        cis = [ci for ci in message.cis if ci.id not in linked]
        if not cis:
            self.notify(_("No configuration item matches “{text}”.").format(
                text=visible(message.text)), severity="warning", timeout=4, markup=False)
            return
        choices = [(ci.id, self._ci_label(ci)) for ci in cis]
        self.app.push_screen(ChoicePrompt(self._titled(_("Link CI"), message.detail), choices),
                             callback=partial(self._ci_chosen, message.detail))

    @staticmethod
    def _ci_label(ci: LinkedCi) -> str:
        kind = ci_type_label(ci.ci_type)
        extra = ", ".join(part for part in (kind, ci.hostname or "") if part)
        return f"{ci.name} ({extra})" if extra else ci.name

    def _ci_chosen(self, detail: CallDetail, ci_id: uuid.UUID | None) -> None:
        if ci_id is not None:
            self.write("link a configuration item",
                       lambda desk, actor: desk.link_ci(actor, detail.id, ci_id, detail.version))

    def action_unlink_ci(self) -> None:
        detail = self.detail
        if detail is None or not detail.cis:
            return
        choices = [(ci.id, self._ci_label(ci)) for ci in detail.cis]
        self.app.push_screen(ChoicePrompt(self._titled(_("Unlink CI"), detail), choices),
                             callback=partial(self._ci_unlinked, detail))

    def _ci_unlinked(self, detail: CallDetail, ci_id: uuid.UUID | None) -> None:
        if ci_id is not None:
            self.write("unlink a configuration item",
                       lambda desk, actor: desk.unlink_ci(actor, detail.id, ci_id, detail.version))

    def action_lookup_ci(self) -> None:
        """The CMDB lookup pane; linking there writes with the version shown now."""
        detail = self.detail
        if detail is None:
            return
        from desk_tui.ui.screens.ci_lookup import CiLookup

        can_link = self.check_action("link_ci", ()) is True
        lookup = CiLookup(self._titled(_("Configuration items"), detail),
                          organisation_id=detail.organisation_id,
                          organisation=detail.organisation, linked=detail.cis,
                          can_link=can_link)
        self.app.push_screen(lookup, callback=partial(self._looked_up, detail))

    def _looked_up(self, detail: CallDetail, result: LookupResult | None) -> None:
        from desk_tui.ui.screens.ci_lookup import LookupAction

        if result is None:
            return
        ci_id = result.ci_id
        if result.action is LookupAction.LINK:
            self.write("link a configuration item",
                       lambda desk, actor: desk.link_ci(actor, detail.id, ci_id, detail.version))
        else:
            self.write("unlink a configuration item",
                       lambda desk, actor: desk.unlink_ci(actor, detail.id, ci_id, detail.version))


def _open(detail: CallDetail, actor: Actor) -> bool:
    return detail.status in OPEN_CALL_STATUSES


APPLIES: dict[str, Callable[[CallDetail, Actor], bool]] = {
    "take": lambda d, a: _open(d, a) and d.handler_id != a.id,
    "assign": _open,
    "move_line": _open,
    "pause": lambda d, a: d.status is CallStatus.IN_BEHANDELING,
    "resume": lambda d, a: d.status is CallStatus.WACHT,
    "reclassify": _open,
    "resolve": _open,
    "close_call": lambda d, a: d.status is CallStatus.OPGELOST,
    "reopen": lambda d, a: d.status in (CallStatus.OPGELOST, CallStatus.GESLOTEN),
    "link_ci": lambda d, a: d.status is not CallStatus.GESLOTEN,
    "unlink_ci": lambda d, a: d.status is not CallStatus.GESLOTEN and bool(d.cis),
    "escalate": _open,
    "evaluate": lambda d, a: False,  # decided in check_action: it needs the P1 overview
    "bundle": lambda d, a: True,
    "change": _open,
}
RIGHTS: dict[str, Action] = {
    "take": Action.CALL_TAKE,
    "assign": Action.CALL_ASSIGN,
    "move_line": Action.CALL_MOVE_LINE,
    "pause": Action.CALL_PAUSE,
    "resume": Action.CALL_PAUSE,
    "reclassify": Action.CALL_RECLASSIFY,
    "resolve": Action.CALL_RESOLVE,
    "close_call": Action.CALL_CLOSE,
    "reopen": Action.CALL_REOPEN,
    "link_ci": Action.CALL_LINK_CI,
    "unlink_ci": Action.CALL_LINK_CI,
    "lookup_ci": Action.CMDB_READ,
    "escalate": Action.CALL_ESCALATE,
    "evaluate": Action.P1_EVALUATE,
    "breach": Action.SECURITY_INCIDENT,
    "bundle": Action.PROBLEM_BUNDLE,
    "change": Action.CHANGE_REGISTER,
}
