"""The SPEC 9 reports in the console: per participant and month, availability against the
norm, SLA compliance, changes and problems; the work queues now, refreshed every half
minute; and plots of the last 12 months.

Contract and information managers get their own organisation only: the choice offers
nothing else, and the services refuse any other. Everything is read in workers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TabbedContent, TabPane

from desk_tui.ui import i18n
from desk_tui.ui.i18n import _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.report_view import ReportView, TrendPlots

if TYPE_CHECKING:
    from desk_tui.reports.tables import Report
    from desk_tui.services.report_series import MonthFigures, ReportMonth
    from desk_tui.services.workload import Workload

QUEUE_REFRESH_SECONDS = 30.0
KEY_PAUSE_SECONDS = 0.25  # participant and month keys: read when the keys stop
TABS = ("availability", "sla", "queue", "changes", "trend")


class Participants(Message):
    def __init__(self, choices: list[tuple[uuid.UUID, str, str]]) -> None:
        super().__init__()
        self.choices = choices


class MonthRead(Message):
    """The month's figures and, built in the worker too, the reports that show them."""

    def __init__(self, key: tuple[uuid.UUID, date], month: ReportMonth,
                 tables: dict[str, Report]) -> None:
        super().__init__()
        self.key = key
        self.month = month
        self.tables = tables


class SeriesRead(Message):
    def __init__(self, key: tuple[uuid.UUID, date], figures: tuple[MonthFigures, ...],
                 read: tuple[MonthFigures, ...]) -> None:
        super().__init__()
        self.key = key
        self.figures = figures
        self.read = read  # the months read from the database this time


class QueueRead(Message):
    def __init__(self, scope: uuid.UUID | None, workload: Workload, table: Report) -> None:
        super().__init__()
        self.scope = scope
        self.workload = workload
        self.table = table


def previous_month(today: date) -> date:
    """The last full month: what the monthly meeting discusses."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def shift_month(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class ReportsScreen(DeskScreen[None]):
    """Reports of one participant for one month; o and [ ] choose, 1–5 the tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "participant(1)", "Participant", id="reports.participant",
                tooltip="The next participant"),
        Binding("O", "participant(-1)", "Previous participant", show=False,
                id="reports.participant-back", tooltip="The previous participant"),
        Binding("left_square_bracket", "month(-1)", "Month back", id="reports.month-back",
                tooltip="The month before"),
        Binding("right_square_bracket", "month(1)", "Month on", id="reports.month-on",
                tooltip="The month after"),
        Binding("1", "tab('availability')", "Availability", show=False,
                id="reports.tab-availability", tooltip="Availability against the norm"),
        Binding("2", "tab('sla')", "SLA", show=False, id="reports.tab-sla",
                tooltip="Reaction and resolution targets met and missed"),
        Binding("3", "tab('queue')", "Work queues", show=False, id="reports.tab-queue",
                tooltip="Open calls now and the bottlenecks"),
        Binding("4", "tab('changes')", "Changes", show=False, id="reports.tab-changes",
                tooltip="Change lead times; problems opened and resolved"),
        Binding("5", "tab('trend')", "12 months", show=False, id="reports.tab-trend",
                tooltip="Plots of the last 12 months"),
        Binding("a", "all_participants", "All participants", show=False,
                id="reports.queue-all", tooltip="Work queues of every participant or one"),
        Binding("r", "refresh", "Refresh", id="reports.refresh", tooltip="Read again"),
        Binding("escape", "back", "Back", id="reports.back", tooltip="Back to the queue"),
    ]
    DEFAULT_CSS = """
    ReportsScreen #reports-status { height: 1; padding: 0 1; color: $desk-muted; }
    ReportsScreen TabbedContent { height: 1fr; }
    ReportsScreen TabPane { padding: 0; height: 1fr; }
    """

    def __init__(self, month: date | None = None) -> None:
        super().__init__()
        self.participants: list[tuple[uuid.UUID, str, str]] = []  # id, name, code
        self.chosen = 0
        self.month = month
        self.queue_all = True  # desk staff see every participant's queue at first
        self.month_read: ReportMonth | None = None
        self.series: tuple[MonthFigures, ...] = ()
        self.workload: Workload | None = None
        self._pending: Timer | None = None
        # Past months read once per visit: a month back or on reads one month, not twelve
        # (a second on a large desk). `r` reads them all again.
        self._known: dict[tuple[uuid.UUID, date], MonthFigures] = {}

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        yield Static(_("Reading…"), id="reports-status")
        reading = _("Reading…")
        with TabbedContent(id="reports-tabs"):
            with TabPane(_("1 Availability"), id="availability"):
                yield ReportView(reading, id="report-availability")
            with TabPane(_("2 SLA targets"), id="sla"):
                yield ReportView(reading, id="report-sla")
            with TabPane(_("3 Work queues"), id="queue"):
                yield ReportView(reading, id="report-queue")
            with TabPane(_("4 Changes and problems"), id="changes"):
                yield ReportView(reading, id="report-changes")
            with TabPane(_("5 Last 12 months"), id="trend"):
                yield TrendPlots(id="report-trend")
        yield DeskFooter()

    def on_mount(self) -> None:
        desk = self.desk_app.desk
        if self.month is None and desk is not None:
            self.month = previous_month(desk.today())
        self.load_participants()
        self.set_interval(QUEUE_REFRESH_SECONDS, self.read_queue)

    # -- what is chosen ------------------------------------------------------------------
    @property
    def participant(self) -> tuple[uuid.UUID, str, str] | None:
        return self.participants[self.chosen] if self.participants else None

    @property
    def sees_all(self) -> bool:
        actor = self.desk_app.actor
        return actor is not None and actor.sees_all_organisations

    @property
    def queue_scope(self) -> uuid.UUID | None:
        """None: every participant the actor may see (the service narrows it for managers)."""
        if self.sees_all and self.queue_all:
            return None
        participant = self.participant
        return participant[0] if participant else None

    def show_status(self) -> None:
        participant = self.participant
        if participant is None or self.month is None:
            self.query_one("#reports-status", Static).update(
                Text(_("No participant to report on")))
            return
        _id, name, code = participant
        parts = [f"{visible(name)} ({visible(code)})", f"{self.month:%Y-%m}"]
        if len(self.participants) > 1:
            parts.append(_("o: participant"))
        parts.append(_("[ ]: month"))
        parts.append(_("1–5: report"))
        self.query_one("#reports-status", Static).update(Text(" · ".join(parts)))

    # -- reading -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="report-participants", exit_on_error=False,
          description="read the participants")
    def load_participants(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        actor = app.actor
        choices = [
            (choice.id, choice.label, choice.detail or "")
            for choice in app.desk.pick_lists()["organisations"]
            if actor.sees_all_organisations or choice.id == actor.organisation_id
        ]
        self.post_message(Participants(choices))

    @on(Participants)
    def _participants(self, message: Participants) -> None:
        self.participants = message.choices
        self.chosen = 0
        self.refresh_bindings()
        self.read_all()

    def read_all(self) -> None:
        self.show_status()
        self.read_month()
        self.read_queue()

    def _stale(self) -> None:
        """What is on screen belongs to another choice: say so until the new one is read."""
        for view in self.query(ReportView):
            if view.id != "report-queue":
                view.wait(_("Reading…"))
        self.month_read = None
        self.series = ()

    def read_month(self) -> None:
        participant = self.participant
        if participant is None or self.month is None:
            return
        self._stale()
        key = (participant[0], self.month)
        self.load_month(key, participant[1])
        known = {month: figures for (organisation_id, month), figures in self._known.items()
                 if organisation_id == key[0]}
        self.load_series(key, known)

    def read_queue(self) -> None:
        if self.participants:
            scope = self.queue_scope
            name = None
            if (scope is not None or not self.sees_all) and self.participant is not None:
                name = self.participant[1]
            self.load_queue(scope, name)

    @work(thread=True, exclusive=True, group="report-month", exit_on_error=False,
          description="read the month's reports")
    def load_month(self, key: tuple[uuid.UUID, date], name: str) -> None:
        from desk_tui.reports import monthly

        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        read = app.desk.report_month(app.actor, *key)
        language = i18n.language()
        tables = {
            "report-availability": monthly.availability_report(read.availability, name,
                                                               language),
            "report-sla": monthly.compliance_report(read.compliance, name, language),
            "report-changes": monthly.changes_report(read.changes, name, language),
        }
        self.post_message(MonthRead(key, read, tables))

    @work(thread=True, exclusive=True, group="report-series", exit_on_error=False,
          description="read the last 12 months")
    def load_series(self, key: tuple[uuid.UUID, date],
                    known: dict[date, MonthFigures]) -> None:
        from desk_tui.services.report_series import months_up_to

        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        organisation_id, last = key
        wanted = months_up_to(last)
        missing = [month for month in wanted if month not in known]
        read: tuple[MonthFigures, ...] = ()
        if missing:  # one read over the span of what is missing
            first, last_missing = missing[0], missing[-1]
            span = (last_missing.year - first.year) * 12 + last_missing.month - first.month + 1
            read = app.desk.report_series(app.actor, organisation_id, last_missing, span)
        figures = {**known, **{f.month: f for f in read}}
        self.post_message(SeriesRead(key, tuple(figures[month] for month in wanted), read))

    @work(thread=True, exclusive=True, group="report-queue", exit_on_error=False,
          description="read the work queues")
    def load_queue(self, scope: uuid.UUID | None, name: str | None) -> None:
        from desk_tui.reports import monthly

        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        workload = app.desk.work_queues(app.actor, scope)
        table = monthly.workload_report(workload, name, i18n.language())
        self.post_message(QueueRead(scope, workload, table))

    def _current(self, key: tuple[uuid.UUID, date]) -> bool:
        participant = self.participant
        return participant is not None and key == (participant[0], self.month)

    @on(MonthRead)
    def _month_read(self, message: MonthRead) -> None:
        if not self._current(message.key):
            return  # an answer overtaken by another choice
        self.month_read = message.month
        for view_id, table in message.tables.items():
            self.query_one(f"#{view_id}", ReportView).show(table)

    @on(SeriesRead)
    def _series_read(self, message: SeriesRead) -> None:
        desk = self.desk_app.desk
        this_month = desk.today().replace(day=1) if desk is not None else None
        for figures in message.read:
            if this_month is not None and figures.month < this_month:  # still moving
                self._known[(message.key[0], figures.month)] = figures
        if self._current(message.key):
            self.series = message.figures
            self.query_one(TrendPlots).show(message.figures)

    @on(QueueRead)
    def _queue_read(self, message: QueueRead) -> None:
        if message.scope != self.queue_scope:
            return
        self.workload = message.workload
        self.query_one("#report-queue", ReportView).show(message.table)

    # -- keys ----------------------------------------------------------------------------
    def _read_soon(self, read: Callable[[], None]) -> None:
        """Read once the keys stop: a thread worker cannot be stopped, so five quick
        presses would otherwise compute five months, each for a second on a big desk."""
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(KEY_PAUSE_SECONDS, read)

    def action_participant(self, step: int) -> None:
        if len(self.participants) > 1:
            self.chosen = (self.chosen + step) % len(self.participants)
            self.show_status()
            self._stale()
            self.workload = None
            self._read_soon(self.read_all)

    def action_month(self, step: int) -> None:
        if self.month is not None:
            self.month = shift_month(self.month, step)
            self.show_status()
            self._stale()
            self._read_soon(self.read_month)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_all_participants(self) -> None:
        self.queue_all = not self.queue_all
        self.read_queue()

    def action_refresh(self) -> None:
        self._known.clear()
        self.read_month()
        self.read_queue()

    def action_back(self) -> None:
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Choosing among participants only when there is more than one to see."""
        if action == "participant":
            return len(self.participants) > 1
        if action == "all_participants":
            return self.sees_all
        return True
