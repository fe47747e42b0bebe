"""The queue: every open call with live countdowns; filters and sort by key."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from desk_tui.services.access import Action
from desk_tui.services.views import QueueFilter, QueueRow, QueueSort
from desk_tui.store.references import CENTRAL_SITE
from desk_tui.ui.formats import short_datetime
from desk_tui.ui.i18n import N_, _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.call_queue import CallQueue
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.expiry_banner import ExpiryBanner
from desk_tui.ui.widgets.handover_banner import HandoverBanner

if TYPE_CHECKING:
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.crisis import GripChange
    from desk_tui.services.queries import Choice
    from desk_tui.store.change_feed import DataChange
    from desk_tui.ui.app import Connected, Opened

log = logging.getLogger("desk.ui.queue")

REFRESH_SECONDS = 10.0
EXPIRY_REFRESH_SECONDS = 300.0
HANDOVER_REFRESH_SECONDS = 60.0
SORT_LABELS = {
    QueueSort.DUE: N_("due first"),
    QueueSort.PRIORITY: N_("priority"),
    QueueSort.REGISTERED: N_("oldest first"),
    QueueSort.ORGANISATION: N_("organisation"),
}


class QueueLoaded(Message):
    def __init__(self, rows: list[QueueRow], query: QueueFilter) -> None:
        super().__init__()
        self.rows = rows
        self.query = query


class QueueScreen(DeskScreen[None]):
    """Open calls, first due first; the countdowns tick every second."""

    AUTO_FOCUS = "#queue"  # not the (hidden) filter field before it

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "intake", "New call", id="queue.intake", tooltip="Register a call"),
        Binding("slash", "focus_filter", "Filter", id="queue.filter",
                tooltip="Filter the queue as you type"),
        Binding("m", "toggle('mine')", "Mine", id="queue.mine", tooltip="Only my calls"),
        Binding("u", "toggle('unassigned')", "Unassigned", id="queue.unassigned",
                tooltip="Only calls without a handler", show=False),
        Binding("b", "toggle('breached')", "Breached", id="queue.breached",
                tooltip="Only calls past a target"),
        Binding("w", "toggle('waiting')", "Waiting", id="queue.waiting",
                tooltip="Only calls waiting on the caller", show=False),
        Binding("p", "cycle_priority", "Priority", id="queue.priority",
                tooltip="Filter on priority 1–5"),
        Binding("o", "cycle_organisation", "Organisation", id="queue.organisation",
                tooltip="Filter on organisation", show=False),
        Binding("s", "cycle_sort", "Sort", id="queue.sort", tooltip="Change the order",
                show=False),
        Binding("t", "take", "Take", id="queue.take", tooltip="Take the highlighted call"),
        Binding("f4", "cmdb", "CMDB", id="queue.cmdb",
                tooltip="Search the CMDB and see a CI in full"),
        Binding("e", "expiry", "Expiring", id="queue.expiry",
                tooltip="Certificates, licences and contracts that run out soon"),
        Binding("a", "escalations", "Action", id="queue.escalations",
                tooltip="Calls that need action: warnings, breaches, escalation due"),
        Binding("c", "changes", "Changes", id="queue.changes", show=False,
                tooltip="Open changes with their lead times"),
        Binding("P", "problems", "Problems", id="queue.problems", show=False,
                tooltip="Open problems: their calls, cause, workaround and fix"),
        Binding("R", "reports", "Reports", id="queue.reports", show=False,
                tooltip="Availability, SLA targets, work queues and trends per participant"),
        Binding("escape", "clear_filters", "Clear", id="queue.clear", show=False,
                tooltip="All open calls again: no filter, no text search"),
        Binding("r", "refresh", "Refresh", id="queue.refresh", show=False,
                tooltip="Read the open calls again now"),
        Binding("G", "crisis", "GRIP level", id="queue.crisis", show=False,
                tooltip="Set or clear the GRIP level of a municipality (crisis mode)"),
        Binding("O", "toggle_on_call", "On-call", id="queue.on-call", show=False,
                tooltip="Only what the evening on-call handles, with on-call clocks"),
        Binding("H", "handover", "Handover", id="queue.handover", show=False,
                tooltip="The evening on-call's handover to the morning"),
        Binding("L", "standby", "Standby log", id="queue.standby", show=False,
                tooltip="The standby log of election day and evening"),
        Binding("X", "conflicts", "Offline conflicts", id="queue.conflicts", show=False,
                tooltip="Calls changed both at an election site and centrally: decide"),
    ]

    DEFAULT_CSS = """
    QueueScreen #queue-bar { height: 1; }
    QueueScreen #queue-bar.-stacked { layout: vertical; height: auto; }
    QueueScreen #queue-status { height: 1; padding: 0 1; color: $desk-muted; width: 1fr; }
    QueueScreen #queue-filter { dock: top; height: 3; display: none; }
    QueueScreen #queue-filter.shown { display: block; }
    QueueScreen CallQueue { height: 1fr; }
    """

    def __init__(self, *, on_call: bool = False) -> None:
        super().__init__()
        # On-call mode: only what the evening on-call handles, with its clocks; the
        # evening is handed over by itself at closing time.
        self.on_call = on_call
        self._evening_label = ""
        self._status_width = 0  # columns the status line's text takes
        self.query_filter = QueueFilter()
        self._organisations: list[tuple[object, str]] = []  # (id, code), by name
        self._organisation_names: dict[str, str] = {}  # code -> name, for the G dialog
        # The engine and clock the countdowns tick on, from the first queue or the desk.
        self._clock: tuple[SlaEngine, Callable[[], datetime]] | None = None
        self._painted_once = False
        self._loading = False  # a queue read is under way
        self._read_again = False  # another operator changed something during that read
        self._stale = False  # changed while another screen was on top
        # Kept at hand: the tick runs every second and a DOM query costs more than the tick.
        self._queue = CallQueue(id="queue")
        self._filter_field: Input | None = None
        self._read_failures = 0  # reads failed in a row (the first one is notified)

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner(id="queue-crisis")
        # The filter field is mounted when "/" is first pressed: not in the first frame.
        with Horizontal(id="queue-bar"):
            yield Static(_("Connecting…"), id="queue-status")
            yield HandoverBanner(id="queue-handover")
            # The expiry banner joins when the desk is there: it needs the CMDB, and the
            # first frame is quicker without it.
        # Composed up front and focused from the start: mounting it later moved the focus,
        # and every focus change rebuilds the footer (tens of ms before the first paint).
        yield self._queue
        yield DeskFooter()

    def on_opened(self, message: Opened) -> None:
        """The first queue, read before the desk has loaded: show it and let it tick."""
        first = message.first
        self.show_queue(first.sla, first.clock)
        self.post_message(QueueLoaded(first.rows, first.query))

    async def on_connected(self, message: Connected) -> None:
        """From now on the desk reads the queue, with whatever filter was set meanwhile."""
        self.show_queue(message.desk.sla, message.desk.now)
        self.load_organisations()
        self.reload()
        self.set_interval(REFRESH_SECONDS, self.reload)
        banner = ExpiryBanner(id="queue-expiry")
        await self.query_one("#queue-bar", Horizontal).mount(banner)
        banner.refresh_counts()
        self.set_interval(EXPIRY_REFRESH_SECONDS, banner.refresh_counts)
        self.query_one(CrisisBanner).refresh_levels()
        self.desk_app.data_changed.subscribe(self, self.changed_elsewhere)
        # The morning sees the evening's handover at once, then every minute (once: a
        # timer started on every screen resume would pile up).
        self.load_handover()
        self.set_interval(HANDOVER_REFRESH_SECONDS, self.load_handover)

    def changed_elsewhere(self, change: DataChange) -> None:
        """Another operator (or console) changed calls or GRIP levels: read the queue
        again at once, in a worker; changes arriving during a read make one more read.
        (The crisis banner follows the feed by itself.)"""
        if not self.is_current:
            self._stale = True
        elif self._loading:
            self._read_again = True
        else:
            self.reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Textual also runs DeskScreen's handler (every class's in the MRO): no super().
        if event.worker.group == "queue" and event.state is WorkerState.ERROR:
            self._loading = False  # the next change or refresh (every 10 s, or r) reads again
            self.show_unreadable(event.worker.error)
            if self._read_failures > 1:
                event.prevent_default()  # said once; the status line keeps saying it

    def show_unreadable(self, error: BaseException | None) -> None:
        """The queue could not be read: say so instead of showing an empty queue, and
        that desk keeps trying."""
        from desk_tui.ui.app import friendly_error

        self._read_failures += 1
        if self.query(CallQueue):
            self.query_one(CallQueue).set_unreadable(True)
        line = Text(_("The queue could not be read: {reason}").format(
            reason=visible(friendly_error(error))), style="bold")
        line.append(" · " + _("desk tries again every {seconds} s; r tries now").format(
            seconds=int(REFRESH_SECONDS)))
        self._show_status_line(line)

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.reload()
        self.load_handover()

    def show_queue(self, sla: SlaEngine, now: Callable[[], datetime]) -> None:
        """Give the queue widget its SLA engine and start the tick, once."""
        if self._clock is not None:
            return
        self._clock = (sla, now)
        self._queue.engine = sla
        self.set_interval(1.0, self.tick)

    # -- data ------------------------------------------------------------------------------
    def reload(self) -> None:
        if self.desk_app.desk is not None:
            self._loading = True
            self.load_queue(self.query_filter)

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False,
          description="load the open-call queue")
    def load_queue(self, query: QueueFilter) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        # In either mode: if no console was in on-call mode at closing time, the first
        # queue read after it (the morning's, at the latest) hands the evening over. A
        # read decides it; the write lock is taken only when an evening waits.
        self._hand_over_if_due()
        if self.on_call:
            self._load_on_call(query)
            return
        rows = app.desk.queue(app.actor, query)
        self.post_message(QueueLoaded(rows, query))

    def _hand_over_if_due(self) -> None:
        """In a worker: hand the last closed evening over if nobody has, and say so. A
        failure (another console won the race, the database hiccuped) never keeps the
        queue from loading: the next load tries again."""
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        try:
            handed = app.desk.hand_over_if_due(app.actor)
        except Exception:
            log.warning("handing the evening over failed; the next queue load retries",
                        exc_info=True)
            return
        if handed is not None:
            self.app.call_from_thread(
                self.app.notify,
                _("{open} calls left open, {done} done").format(
                    open=len(handed.open_calls), done=len(handed.done_calls)),
                title=_("Evening handed over to the morning"), timeout=10,
            )
            self.app.call_from_thread(self.load_handover)

    def _load_on_call(self, query: QueueFilter) -> None:
        """In a worker: what on-call handles, with the evening it belongs to, filtered
        and sorted as the keys ask (crisis calls first, as in the day queue)."""
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        view = app.desk.on_call_queue(app.actor, query)
        label = _("On-call: no evening configured")
        if view.evening is not None:
            zone = app.desk.sla.calendars.config.zone
            opens = view.evening.opens.astimezone(zone)
            closes = view.evening.closes.astimezone(zone)
            window = f"{short_datetime(opens)}–{closes:%H:%M}"
            label = (_("On-call now, {window}") if view.open_now
                     else _("On-call next: {window}")).format(window=window)
        self.app.call_from_thread(setattr, self, "_evening_label", label)
        self.post_message(QueueLoaded(view.rows, query))

    def load_handover(self) -> None:
        if self.desk_app.desk is not None:
            self._read_handover()

    @work(thread=True, exclusive=True, group="handover-banner", exit_on_error=False,
          description="look for the evening on-call's handover")
    def _read_handover(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        view = app.desk.pending_handover(app.actor)
        self.app.call_from_thread(self.query_one(HandoverBanner).show_handover, view)

    @work(thread=True, exclusive=True, group="pick-lists", exit_on_error=False,
          description="load organisations")
    def load_organisations(self) -> None:
        app = self.desk_app
        assert app.desk is not None
        choices = app.desk.pick_lists()["organisations"]
        self.app.call_from_thread(self._organisations_loaded, choices)

    def _organisations_loaded(self, choices: list[Choice]) -> None:
        self._organisation_names = {c.detail or c.label: c.label for c in choices}
        self._organisations = [(c.id, c.detail or c.label) for c in choices]

    @on(QueueLoaded)
    def show_rows(self, message: QueueLoaded) -> None:
        if message.query != self.query_filter:
            return  # an older answer overtaken by a newer filter
        self._loading = False
        self._read_failures = 0
        if self._read_again:
            self._read_again = False
            self.reload()
        self.query_one(CallQueue).set_rows(message.rows)
        self.tick()
        self.show_status(len(message.rows))
        if not self._painted_once:
            self._painted_once = True
            self.call_after_refresh(self.desk_app.first_queue_painted)

    def tick(self) -> None:
        """Once a second: one position of "now" for all rows; the widget redraws."""
        if self._clock is not None:
            sla, now = self._clock
            self._queue.set_now(sla.now_positions(now()))

    def show_status(self, count: int) -> None:
        query = self.query_filter
        parts = [_("1 open call") if count == 1 else _("{count} open calls").format(count=count)]
        if self.on_call:
            parts = [self._evening_label or _("On-call"),
                     _("{count} calls for on-call").format(count=count)]
        if query.mine:
            parts.append(_("mine"))
        if query.unassigned:
            parts.append(_("unassigned"))
        if query.breached:
            parts.append(_("breached"))
        if query.waiting:
            parts.append(_("waiting"))
        if query.priority is not None:
            parts.append(_("priority {n}").format(n=query.priority))
        if query.organisation_id is not None:
            parts.append(dict(self._organisations).get(query.organisation_id, "?"))
        if query.text:
            parts.append(f"“{visible(query.text)}”")
        filtered = len(parts) > (2 if self.on_call else 1)
        parts.append(_("sorted: {how}").format(how=_(SORT_LABELS[query.sort])))
        if filtered:  # a filter left on should never hide calls silently
            parts.append(_("Esc shows all"))
        self._show_status_line(Text(" · ".join(parts)))

    def _show_status_line(self, line: Text) -> None:
        # One line of fixed size: no layout pass (it re-renders the whole screen, ~7 ms)
        # unless the notices beside it move to lines of their own or back.
        self._status_width = line.cell_len
        self.query_one("#queue-status", Static).update(line, layout=False)
        self._fit_bar()

    @on(ExpiryBanner.Changed)
    @on(HandoverBanner.Changed)
    def _fit_bar(self) -> None:
        """The notices (handover, certificates) stand beside the status when all fit on
        one line, else each on a line of its own under it: a cut status line would hide
        which filter is on and that Esc shows all."""
        notices = [notice.line for notice in self.query("#queue-bar > .shown")
                   if isinstance(notice, ExpiryBanner | HandoverBanner)]
        padding = 2  # each part has one column either side
        wanted = self._status_width + padding + sum(
            cell_len(line) + padding for line in notices)
        self.query_one("#queue-bar").set_class(wanted > self.size.width, "-stacked")

    def on_resize(self, event: events.Resize) -> None:
        self._fit_bar()

    def set_filter(self, query: QueueFilter) -> None:
        self.query_filter = query
        self.reload()

    # -- actions -------------------------------------------------------------------------
    def action_toggle(self, name: str) -> None:
        current = getattr(self.query_filter, name)
        changes = {name: not current}
        if name == "mine" and not current:
            changes["unassigned"] = False
        if name == "unassigned" and not current:
            changes["mine"] = False
        self.set_filter(replace(self.query_filter, **changes))

    def action_cycle_priority(self) -> None:
        order = [None, 1, 2, 3, 4, 5]
        current = order.index(self.query_filter.priority)
        self.set_filter(replace(self.query_filter, priority=order[(current + 1) % len(order)]))

    def action_cycle_organisation(self) -> None:
        order = [None, *(org_id for org_id, _code in self._organisations)]
        current = order.index(self.query_filter.organisation_id) if (
            self.query_filter.organisation_id in order) else 0
        chosen = order[(current + 1) % len(order)]
        self.set_filter(replace(self.query_filter, organisation_id=chosen))  # type: ignore[arg-type]

    def action_cycle_sort(self) -> None:
        order = list(QueueSort)
        current = order.index(self.query_filter.sort)
        self.set_filter(replace(self.query_filter, sort=order[(current + 1) % len(order)]))

    def action_clear_filters(self) -> None:
        field = self._filter_field
        if field is not None:
            field.value = ""
            field.remove_class("shown")
        self.set_filter(QueueFilter(sort=self.query_filter.sort))
        self.query_one(CallQueue).focus()

    async def action_focus_filter(self) -> None:
        field = self._filter_field
        if field is None:
            # Imported here: it brings Textual's TextArea, not needed for the first frame.
            from desk_tui.ui.widgets.safe_input import SafeInput

            field = self._filter_field = SafeInput(
                placeholder=_("Filter: number, caller, organisation, words…"), id="queue-filter"
            )
            await self.mount(field, before=self.query_one("#queue-bar"))
        field.add_class("shown")
        self.set_focus(field)  # at once: focus() waits a refresh (see on_key)

    async def on_key(self, event: events.Key) -> None:
        """Letters typed right behind "/" belong in the filter field. Bindings run when a key
        has bubbled up to the app, after the screen has seen the keys behind it; so "/" is
        handled here, and the letters that reach the screen after it go into the field
        (they ran queue commands before: "n" opened intake)."""
        field = self._filter_field
        if field is not None and self.focused is field:
            if event.is_printable and event.character:
                event.stop()
                event.prevent_default()
                field.insert_text_at_cursor(event.character)
        elif event.key == "slash":
            event.stop()
            event.prevent_default()
            await self.action_focus_filter()

    def action_refresh(self) -> None:
        self.reload()

    @on(Input.Changed, "#queue-filter")
    def filter_text(self, event: Input.Changed) -> None:
        self.set_filter(replace(self.query_filter, text=event.value))

    @on(Input.Submitted, "#queue-filter")
    def filter_done(self) -> None:
        self.query_one(CallQueue).focus()

    def action_intake(self) -> None:
        if self.desk_app.desk is None:
            return
        from desk_tui.ui.screens.intake import IntakeScreen

        self.app.push_screen(IntakeScreen(), callback=lambda _saved: self.reload())

    def action_take(self) -> None:
        row = self.query_one(CallQueue).selected_row
        if row is not None and self.desk_app.desk is not None:
            self.take_call(row)

    @work(thread=True, exclusive=True, group="call-action", exit_on_error=False,
          description="take a call")
    def take_call(self, row: QueueRow) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        from desk_tui.services.errors import Conflict, WrongState

        try:
            # The version the row was read at: a take by someone else since is refused.
            saved = app.desk.take(app.actor, row.id, row.version)
        except (Conflict, WrongState):
            self.app.call_from_thread(self.reload)  # show the call as it is now
            raise
        self.app.call_from_thread(
            self.app.notify, _("{ref} is yours").format(ref=saved.reference), timeout=3
        )
        self.app.call_from_thread(self.reload)

    @on(CallQueue.Selected)
    def open_call(self, event: CallQueue.Selected) -> None:
        from desk_tui.ui.screens.call import CallScreen

        self.app.push_screen(CallScreen(event.row.id), callback=lambda _r: self.reload())

    def action_cmdb(self) -> None:
        from desk_tui.ui.screens.cmdb import CmdbScreen

        self.app.push_screen(CmdbScreen(), callback=lambda _r: self.reload())

    def action_expiry(self) -> None:
        from desk_tui.ui.screens.expiry import ExpiryScreen

        self.app.push_screen(
            ExpiryScreen(), callback=lambda _r: self.query_one(ExpiryBanner).refresh_counts()
        )

    @on(ExpiryBanner.Clicked)
    def expiry_clicked(self) -> None:
        self.action_expiry()

    def action_toggle_on_call(self) -> None:
        self.on_call = not self.on_call
        self._evening_label = ""
        self.reload()

    def action_handover(self) -> None:
        view = self.query_one(HandoverBanner).view
        if view is None:
            self.app.notify(_("No handover waits to be read"), timeout=3)
            return
        from desk_tui.ui.screens.handover import HandoverScreen

        self.app.push_screen(HandoverScreen(view), callback=lambda _r: self.load_handover())

    @on(HandoverBanner.Clicked)
    def handover_clicked(self) -> None:
        self.action_handover()

    def action_standby(self) -> None:
        from desk_tui.ui.screens.standby import StandbyScreen

        self.app.push_screen(StandbyScreen())

    def action_conflicts(self) -> None:
        from desk_tui.ui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen())

    def action_changes(self) -> None:
        from desk_tui.ui.screens.changes import ChangesScreen

        self.app.push_screen(ChangesScreen())

    def action_problems(self) -> None:
        from desk_tui.ui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(), callback=lambda _r: self.reload())

    def action_escalations(self) -> None:
        from desk_tui.ui.screens.escalations import EscalationsScreen

        self.app.push_screen(EscalationsScreen(), callback=lambda _r: self.reload())

    def action_reports(self) -> None:
        from desk_tui.ui.screens.reports import ReportsScreen

        self.app.push_screen(ReportsScreen())
    def action_crisis(self) -> None:
        """G: pick a municipality, then its GRIP level (or clear it)."""
        from desk_tui.ui.screens.dialogs import ChoicePrompt

        levels = {crisis.code: crisis.level for crisis in self.query_one(CrisisBanner).levels}
        choices = [(code, self._organisation_label(code, levels.get(code)))
                   for _org_id, code in self._organisations]
        self.app.push_screen(ChoicePrompt(_("GRIP level of which organisation?"), choices),
                             callback=lambda code: self._crisis_organisation(code, levels))

    def _organisation_label(self, code: str, level: int | None) -> Text:
        """"Gemeente Enkhuizen (ENK)  GRIP 3": the name as recorded (literally), the code
        the queue shows, and the level set now."""
        label = Text(end="")
        name = self._organisation_names.get(code, "")
        if name and name != code:
            label.append(visible(name) + " ")
        label.append(f"({visible(code)})" if name and name != code else visible(code))
        if level is not None:
            label.append(f"  GRIP {level}", "bold")
        return label

    def _crisis_organisation(self, code: str | None, levels: dict[str, int]) -> None:
        if code is None:
            return
        from desk_tui.ui.screens.dialogs import ChoicePrompt

        labels = {
            0: _("GRIP 0 — routine"),
            1: _("GRIP 1 — incident at a site"),
            2: _("GRIP 2 — effects beyond the site"),
            3: _("GRIP 3 — threat to the population of a municipality"),
            4: _("GRIP 4 — crisis beyond one municipality"),
        }
        choices: list[tuple[int, str]] = list(labels.items())
        if code in levels:
            choices.append((-1, _("Clear: no GRIP level")))
        name = self._organisation_names.get(code, "")
        title = _("GRIP level of {code}").format(
            code=f"{name} ({code})" if name and name != code else code)  # shown literally
        self.app.push_screen(ChoicePrompt(title, choices, current=levels.get(code)),
                             callback=lambda level: self._crisis_level(code, level))

    def _crisis_level(self, code: str, level: int | None) -> None:
        if level is not None:
            self.set_grip_level(code, level)

    @work(thread=True, exclusive=True, group="crisis", exit_on_error=False,
          description="set a GRIP level")
    def set_grip_level(self, code: str, level: int) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        change: GripChange = (app.desk.clear_grip_level(app.actor, code) if level < 0
                              else app.desk.set_grip_level(app.actor, code, level))
        text = (_("{code}: GRIP level cleared") if change.after is None
                else _("{code}: GRIP {level}")).format(code=change.code, level=change.after)
        self.app.call_from_thread(self.app.notify, text, timeout=4)
        self.app.call_from_thread(self.query_one(CrisisBanner).refresh_levels)
        self.app.call_from_thread(self.reload)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what needs a connection until there is one, and what the role lacks."""
        needs = {"cmdb": Action.CMDB_READ, "expiry": Action.CMDB_READ,
                 "reports": Action.REPORT_READ,
                 "crisis": Action.CRISIS_MANAGE,
                 "escalations": Action.CALL_READ, "changes": Action.CALL_READ,
                 "problems": Action.CALL_READ,
                 "intake": Action.CALL_REGISTER,
                 "take": Action.CALL_TAKE, "toggle_on_call": Action.CALL_READ,
                 "handover": Action.CALL_READ, "standby": Action.STANDBY_LOG,
                 "conflicts": Action.OFFLINE_RESOLVE}
        if action in needs:
            actor = self.desk_app.actor
            desk = self.desk_app.desk
            if desk is None or actor is None:
                return None
            if action in ("crisis", "conflicts") and desk.site_code() != CENTRAL_SITE:
                # GRIP levels are set and conflicts decided centrally, not at a site
                return False
            return actor.may(needs[action])
        return True
