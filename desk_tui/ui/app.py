"""DeskApp: connects in a worker, then shows the live queue; every screen hangs off it.

On a SQLite file the queue is first read with the stdlib driver and painted while the
worker goes on to load SQLAlchemy and the services (services/first_queue.py says why).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.signal import Signal
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from desk_tui.config import Settings
from desk_tui.store.references import CENTRAL_SITE
from desk_tui.ui import collector, i18n
from desk_tui.ui.i18n import _, error_text
from desk_tui.ui.text import visible, visible_lines
from desk_tui.ui.themes import (
    THEME_LABELS,
    THEME_NAMES,
    register_themes,
    resolve_theme_name,
    stylesheet_path,
    theme_variable_defaults,
)

if TYPE_CHECKING:
    # Services pull in SQLAlchemy (~0.4 s): they load in the connect worker, off the
    # path to the first frame.
    from textual.screen import Screen

    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.access import Actor
    from desk_tui.services.desk import Desk
    from desk_tui.services.first_queue_preload import FirstQueuePreload
    from desk_tui.services.privacy import PurgeStatus
    from desk_tui.services.views import FirstQueue
    from desk_tui.store.change_feed import ChangeWatcher, DataChange
    from desk_tui.ui.alerts import AlertNotices

log = logging.getLogger("desk.ui")

DeskFactory = Callable[[], "Desk"]
# The operator's login -> their first queue, or None to wait for the desk.
FirstQueueReader = Callable[[str], "FirstQueue | None"]
# The operator's login -> whether the reader answers at once (the preload is done).
FirstQueueReady = Callable[[str], bool]
# How long the worker holds back loading the rest for the first queue to be painted.
FIRST_PAINT_WAIT_SECONDS = 2.0
# How often a running console re-reads the operator's roles and rights (three small
# selects): a right revoked with `desk role revoke` stops working within this. Another
# console's change (the change feed) makes it look sooner.
RIGHTS_RECHECK_SECONDS = 2.0
RIGHTS_RECHECK_MIN_SECONDS = 0.5  # the change feed may fire twice a second: not more often
PURGE_CHECK_SECONDS = 3600.0  # an administrator's console looks hourly whether the purge ran
# How often the console looks whether its terminal is still there (a dropped SSH session,
# a closed tmux): Textual reads a vanished terminal as endless empty input, which keeps a
# core busy for good, so desk closes itself instead.
TERMINAL_CHECK_SECONDS = 2.0
TERMINAL_GONE = 129  # the exit status of a process whose terminal hung up (128 + SIGHUP)


def translate_bindings(node: DOMNode) -> None:
    """Show binding descriptions in the interface language. Textual copies a class's
    bindings into each instance; we replace the copies, never the class's own."""
    key_map = node._bindings.key_to_bindings
    for key, bindings in list(key_map.items()):
        key_map[key] = [
            # _("") is the catalogue's header, never a description
            replace(b, description=_(b.description) if b.description else "",
                    tooltip=_(b.tooltip) if b.tooltip else "",
                    group=replace(b.group, description=_(b.group.description))
                    if b.group is not None and b.group.description else b.group)
            for b in bindings
        ]


class Connected(Message, bubble=False):
    """The database answered and the operator is known (sent to the app, then the screen)."""

    def __init__(self, desk: Desk, actor: Actor) -> None:
        super().__init__()
        self.desk = desk
        self.actor = actor


class Opened(Message, bubble=False):
    """The operator's first queue, read before the desk has loaded (sent to the app, then
    the screen); Connected follows."""

    def __init__(self, first: FirstQueue) -> None:
        super().__init__()
        self.first = first


class NeedsPin(Message, bubble=False):
    """The operator's account has a PIN and it was not given (or not right): ask for it.
    Nothing of the desk is shown until `sign_in` accepts one."""

    def __init__(self, desk: Desk, reason: str) -> None:
        super().__init__()
        self.desk = desk
        self.reason = reason


class DataChanged(Message, bubble=False):
    """The database changed (another operator, another console): posted by the change
    watcher's thread to the app, which publishes it on `DeskApp.data_changed`."""

    def __init__(self, change: DataChange) -> None:
        super().__init__()
        self.change = change


class DeskApp(App[None]):
    """The servicedesk console."""

    TITLE = "desk"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Close desk"),
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="All keys"),
        Binding("f2", "cycle_theme", "Theme", id="app.theme", tooltip="Next colour theme"),
    ]

    def __init__(
        self,
        settings: Settings,
        desk_factory: DeskFactory,
        *,
        operator: str | None = None,
        header_clock: bool = True,
        first_queue: FirstQueueReader | None = None,
        first_queue_ready: FirstQueueReady | None = None,
        on_call: bool = False,
        pin: str | None = None,
    ) -> None:
        i18n.set_language(settings.language)
        super().__init__(css_path=stylesheet_path())
        translate_bindings(self)
        self.settings = settings
        self._desk_factory = desk_factory
        self._read_first_queue = first_queue
        self._first_queue_ready = first_queue_ready
        # Whether the first queue was read on mount (None: not; the worker reads it) and
        # shown (True) or not there (False).
        self._first_queue_shown: bool | None = None
        self._first_queue_painted = threading.Event()
        self.operator_login = operator or settings.operator or ""
        self._pin = pin  # DESK_PIN, for scripts; else the login screen asks
        self._unidentified_desk: Desk | None = None  # connected, operator not yet proven
        self.header_clock = header_clock  # snapshot tests turn the wall clock off
        self.on_call = on_call  # start the queue in on-call mode (desk --on-call)
        self.desk: Desk | None = None
        self.actor: Actor | None = None
        self._started = time.perf_counter()
        self._mail_timer: Timer | None = None
        self._mail_problem: str | None = None
        self.alert_notices: AlertNotices | None = None  # from the connection on
        self._watcher: ChangeWatcher | None = None
        self._rights_checked = 0.0  # time.monotonic() of the last re-read of the rights
        self._purge_warning: str | None = None  # the privacy purge warning last shown
        self.terminal_fd: int | None = None  # watched while the console runs in a terminal
        # Screens subscribe: the queue reloads, the open call view reloads its call.
        self.data_changed: Signal[DataChange] = Signal(self, "data-changed")
        register_themes(self)
        self.theme = resolve_theme_name(self, settings.theme)
        from desk_tui.ui.commands import DeskCommands

        self.COMMANDS = App.COMMANDS | {DeskCommands}

    def run(self, **options: Any) -> Any:  # type: ignore[override]
        """Run the console with Python's cyclic garbage collector held until the desk has
        loaded (ui/collector.py says why); `desk` holds it from before the imports."""
        collector.hold()
        try:
            return super().run(**options)  # what exit() was given: snapshot tests pass an SVG
        finally:
            collector.end()

    async def on_event(self, event: events.Event) -> None:
        """Each key remembers the screen it was sent to (see _on_key and DeskScreen.on_key)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            event.desk_screen = self.screen  # type: ignore[attr-defined]
            event.desk_unfocused = self.focused is None  # type: ignore[attr-defined]
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """A key bubbles back here after its screen has seen the keys typed behind it, so a key
        that opens a screen ("n": intake) runs its binding only then; the letters typed right
        behind it arrive here from the old screen and would be lost. They belong to the screen
        that is now on top: sent again, they reach its focused field in the order typed."""
        origin = getattr(event, "desk_screen", None)
        if origin is not None and origin is not self.screen:
            event.prevent_default()  # App._on_key would run the new screen's bindings
            self.post_message(events.Key(event.key, event.character))
        # Otherwise App._on_key runs next: Textual calls each class's handler in turn.

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults(dark=self.current_theme.dark)

    def on_mount(self) -> None:
        from desk_tui.ui.screens.queue import QueueScreen

        self.push_screen(QueueScreen(on_call=self.on_call))
        self._open_if_read()
        self.connect()
        stdin = sys.__stdin__
        if not self.is_headless and stdin is not None and os.isatty(stdin.fileno()):
            self.terminal_fd = stdin.fileno()
        self.set_interval(TERMINAL_CHECK_SECONDS, self.check_terminal)

    def check_terminal(self) -> None:
        """Close the console when its terminal has gone: what was saved stays saved (every
        write is its own transaction), and the database is released for the next start."""
        fd = self.terminal_fd
        if fd is not None and not os.isatty(fd):
            self.terminal_fd = None
            log.warning("the terminal went away: closing the console")
            self.exit(return_code=TERMINAL_GONE)

    def _open_if_read(self) -> None:
        """The first queue into the screen's first frame when the preload has read it
        already (as it has, on a second core, by the time Textual is up): one layout and
        one frame, not a "Connecting…" frame first, and no wait for the worker's thread."""
        reader, ready = self._read_first_queue, self._first_queue_ready
        if reader is None or ready is None or not ready(self.operator_login):
            return
        first = reader(self.operator_login)  # answers at once: no I/O on the UI thread
        self._first_queue_shown = first is not None
        if first is not None:
            self._opened(Opened(first))

    @work(thread=True, exclusive=True, group="connect", exit_on_error=False,
          description="connect to the database")
    def connect(self) -> None:
        shown = self._first_queue_shown
        if self._read_first_queue is not None and shown is None:
            first = self._read_first_queue(self.operator_login)
            if first is not None:
                self.post_message(Opened(first))
                shown = True
        if shown:
            # Importing the rest holds the GIL for a good part of a second: it would
            # halve the speed of the first paint.
            self._first_queue_painted.wait(FIRST_PAINT_WAIT_SECONDS)
        from desk_tui.services.identity import LockedOut, PinRequired, WrongPin

        desk = self._desk_factory()
        pin, self._pin = self._pin, None  # not kept in memory longer than needed
        try:
            actor = desk.actor(self.operator_login, pin)
        except (PinRequired, WrongPin, LockedOut) as refusal:
            reason = "" if isinstance(refusal, PinRequired) else error_text(refusal)
            self.post_message(NeedsPin(desk, reason))
            return
        desk.site_code()  # read here, off the UI thread: an election site's copy says so
        self.post_message(Connected(desk, actor))

    def sign_in(self, pin: str) -> None:
        """From the login screen's worker: prove the operator with `pin`, then connect.
        Raises IdentityRefused (wrong, locked), which the login screen shows."""
        desk = self._unidentified_desk
        assert desk is not None
        actor = desk.actor(self.operator_login, pin)
        self._unidentified_desk = None
        desk.site_code()
        self.post_message(Connected(desk, actor))

    @on(NeedsPin)
    def _needs_pin(self, message: NeedsPin) -> None:
        from desk_tui.ui.screens.login import LoginScreen

        self._unidentified_desk = message.desk
        log.info("PIN asked after %.0f ms", (time.perf_counter() - self._started) * 1000)
        self.push_screen(LoginScreen(self.operator_login, message.reason))

    def first_queue_painted(self) -> None:
        """The queue screen's first rows are on screen: the worker may go on loading."""
        self._first_queue_painted.set()

    @on(Opened)
    def _opened(self, message: Opened) -> None:
        self._show_operator(message.first.actor)
        log.info("first queue in %.0f ms", (time.perf_counter() - self._started) * 1000)
        self._tell_screens(lambda: Opened(message.first))

    @on(Connected)
    async def _connected(self, message: Connected) -> None:
        from desk_tui.ui.screens.login import LoginScreen

        if isinstance(self.screen, LoginScreen):  # signed in: on to the queue behind
            await self.pop_screen()
        self.desk = message.desk
        self._show_operator(message.actor)
        site = message.desk.site_code()  # cached by the connect worker
        if site != CENTRAL_SITE:
            self.sub_title += " · " + _("offline site {code}").format(code=site)
        log.info("connected in %.0f ms", (time.perf_counter() - self._started) * 1000)
        collector.release()
        self._tell_screens(lambda: Connected(message.desk, message.actor))
        self.watch_changes(message.desk)
        if self.settings.mail.enabled:
            self._mail_timer = self.set_interval(self.settings.mail.interval, self.send_mail)
            self.send_mail()
        from desk_tui.ui.alerts import AlertNotices

        self.alert_notices = AlertNotices(self)
        self.alert_notices.start(self.settings.alert_watch_seconds)
        self._rights_checked = time.monotonic()
        self.set_interval(RIGHTS_RECHECK_SECONDS, self.recheck_rights)
        self.check_purge()
        self.set_interval(PURGE_CHECK_SECONDS, self.check_purge)

    def check_purge(self) -> None:
        """An administrator is told when the daily privacy purge did not run."""
        from desk_tui.services.access import Action

        if self.desk is not None and self.actor is not None and self.actor.may(
                Action.PRIVACY_PURGE):
            self._read_purge_status(self.desk, self.actor)

    @work(thread=True, exclusive=True, group="purge-status", exit_on_error=False,
          description="look whether the daily privacy purge ran")
    def _read_purge_status(self, desk: Desk, actor: Actor) -> None:
        warning = purge_warning(desk.purge_status(actor, self.settings.privacy.grace_months))
        if warning != self._purge_warning:  # told once; again only when it changes
            self._purge_warning = warning
            if warning is not None:
                self.call_from_thread(self.notify, warning, title=_("Privacy purge overdue"),
                                      severity="warning", timeout=60)

    def recheck_rights(self) -> None:
        """Re-read the operator's roles and rights (in a worker), at most twice a second."""
        if self.desk is None or self.actor is None:
            return
        if time.monotonic() - self._rights_checked < RIGHTS_RECHECK_MIN_SECONDS:
            return
        self._rights_checked = time.monotonic()
        self._read_rights(self.desk, self.actor)

    @work(thread=True, exclusive=True, group="rights", exit_on_error=False,
          description="re-read the operator's rights")
    def _read_rights(self, desk: Desk, actor: Actor) -> None:
        """An operator made inactive or removed loses every right at once (fail secure);
        a database that does not answer keeps the rights as they were (the services
        fail anyway, and say so)."""
        from desk_tui.services.errors import NotFound

        try:
            fresh = desk.actor(actor.login)
        except NotFound:
            fresh = replace(actor, active=False, grants=frozenset(), roles=frozenset())
        except Exception:
            log.debug("could not re-read the rights of %s", actor.login, exc_info=True)
            return
        if (fresh.grants, fresh.roles, fresh.active) != (actor.grants, actor.roles,
                                                         actor.active):
            self.call_from_thread(self._rights_changed, actor, fresh)

    def _rights_changed(self, before: Actor, after: Actor) -> None:
        """From now on every check uses the new rights; the footer and the command
        palette of every open screen show only what they allow."""
        if self.actor is None or self.actor.id != before.id:
            return
        self.actor = after
        for screen in self.screen_stack:
            screen.refresh_bindings()
        lost = sorted(before.grants - after.grants) if after.active else []
        gained = sorted(after.grants - before.grants)
        parts = []
        if not after.active:
            parts.append(_("your account is no longer active: nothing is allowed"))
        if lost:
            parts.append(_("no longer: {actions}").format(actions=", ".join(lost)))
        if gained:
            parts.append(_("now also: {actions}").format(actions=", ".join(gained)))
        log.info("rights of %s changed: %s", after.login, "; ".join(parts))
        self.notify("; ".join(parts) or _("your roles changed"),
                    title=_("Your rights changed"), severity="warning", timeout=10)

    def watch_changes(self, desk: Desk) -> None:
        """Start the thread that hears of other operators' changes (LISTEN on PostgreSQL,
        PRAGMA data_version on SQLite); it posts DataChanged, never touching the screen."""
        from desk_tui.store.change_feed import ChangeWatcher

        if self._watcher is None:
            self._watcher = ChangeWatcher(
                desk.db, lambda change: self.post_message(DataChanged(change))
            )
            self._watcher.start()

    @on(DataChanged)
    def _data_changed(self, message: DataChanged) -> None:
        self.data_changed.publish(message.change)
        self.recheck_rights()  # a grant may have changed with it: look now, not later

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.stop(timeout=0)

    def _tell_screens(self, make: Callable[[], Message]) -> None:
        """Every screen in the stack, not only the top one: help may have been opened on
        the queue before it loaded."""
        for screen in self.screen_stack:
            screen.post_message(make())

    @work(thread=True, exclusive=True, group="mail", exit_on_error=False,
          description="send the outbox")
    def send_mail(self) -> None:
        """Send what is due; a server out of reach is said once, and the mail waits."""
        from desk_tui.secrets import SecretUnavailable
        from desk_tui.services.mail_sender import send_outbox, smtp_password

        desk = self.desk
        assert desk is not None
        mail = self.settings.mail
        try:
            password = smtp_password(mail)
        except SecretUnavailable as error:
            self.call_from_thread(self._mail_stopped, str(error))
            return
        report = send_outbox(desk.db, mail, desk.now, password=password)
        if report.sent or report.given_up:
            log.info("outbox: %s", report.describe())
        if report.problem != self._mail_problem:
            self._mail_problem = report.problem
            if report.problem:
                self.call_from_thread(
                    self.notify, report.problem, title=_("Mail waits in the outbox"),
                    severity="warning", timeout=10,
                )

    def _mail_stopped(self, reason: str) -> None:
        if self._mail_timer is not None:
            self._mail_timer.stop()
        self.notify(reason, title=_("Mail is not sent"), severity="warning", timeout=30)

    def _show_operator(self, actor: Actor) -> None:
        self.actor = actor
        self.sub_title = f"{visible(actor.display_name)} ({visible(actor.login)})"
        # The footer was drawn before the rights were known: offer what they allow.
        for screen in self.screen_stack:
            screen.refresh_bindings()

    def notify(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information",
        timeout: float | None = None, markup: bool = False,
    ) -> None:
        """Every notice is plain text: messages carry user text and error text (a path,
        "[Errno 13]", "[/]"), which as markup would be restyled or crash the console.
        Widgets pass markup=True by default; it is ignored."""
        super().notify(visible_lines(message), title=visible(title), severity=severity,
                       timeout=timeout, markup=False)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.report_worker_failure(event.worker)

    def report_worker_failure(self, worker: Worker[object]) -> None:
        """One place that turns a failed background job into a message for the operator;
        screens forward their workers' failures here."""
        from desk_tui.services.errors import ServiceError

        error = worker.error
        if worker.group == "connect":
            collector.release()
            # Without a database or an operator nothing works: say so, and keep it shown.
            from desk_tui.services.errors import NotFound
            from desk_tui.services.identity import IdentityRefused

            if isinstance(error, IdentityRefused):  # e.g. no PIN on a shared database
                self.notify(error_text(error), title=_("Not signed in"), severity="error",
                            timeout=60)
                return
            if not isinstance(error, NotFound):
                log.error("cannot connect", exc_info=error)
            title = _("Unknown operator") if isinstance(error, NotFound) else _(
                "Cannot open the database")
            self.notify(friendly_error(error), title=title, severity="error", timeout=60)
            return
        if isinstance(error, ServiceError):
            self.notify(error_text(error), title=_("Not done"), severity="warning", timeout=8)
            return
        log.error("background job failed: %s", worker.description, exc_info=error)
        self.notify(friendly_error(error), title=_("Something went wrong"), severity="error",
                    timeout=10)

    def action_command_palette(self) -> None:
        """Textual's palette, with its search field in the interface language; not while
        the PIN is asked: nothing may be done before the operator is known."""
        from desk_tui.ui.commands import DeskCommandPalette
        from desk_tui.ui.screens.login import LoginScreen

        if isinstance(self.screen, LoginScreen):
            return
        if self.use_command_palette and not DeskCommandPalette.is_open(self):
            self.push_screen(DeskCommandPalette(id="--command-palette",
                                                placeholder=_("Search for commands…")))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette entries, in the interface language and only those desk
        needs: quitting and the keys are desk's own commands already, and a screenshot
        would write the callers on screen to a file."""
        yield SystemCommand(_("Choose theme"), _("Dark, light or high contrast"),
                            self.action_choose_theme)
        if screen.maximized is not None:
            yield SystemCommand(_("Restore"), _("Back to the normal size"),
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(_("Maximise"), _("The focused part over the whole screen"),
                                screen.action_maximize)

    def action_choose_theme(self) -> None:
        from desk_tui.ui.commands import DeskCommandPalette, DeskThemes

        self.push_screen(DeskCommandPalette(providers=[DeskThemes],
                                            placeholder=_("Search for a theme…")))

    def action_help(self) -> None:
        from desk_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(type(self.screen).__name__))

    def action_cycle_theme(self) -> None:
        names = list(THEME_NAMES)
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        label = THEME_LABELS.get(self.theme)
        self.notify(_(label) if label else self.theme, title=_("Theme"), timeout=2)


def purge_warning(status: PurgeStatus) -> str | None:
    """The console's words for services.privacy.PurgeStatus.warning(), translated."""
    if not status.overdue and not status.waiting:
        return None
    parts = []
    if status.last is None:
        parts.append(_("The privacy purge has never run."))
    elif status.overdue:
        hours = int((status.now - status.last.ran_at).total_seconds() // 3600)
        parts.append(_("The privacy purge last ran {hours} hours ago; it should run daily.")
                     .format(hours=hours))
    if status.waiting:
        parts.append(_("Personal data of {codes} is due to be anonymised.").format(
            codes=", ".join(status.waiting)))
    parts.append(_("Schedule `desk privacy purge` daily (deploy/ in desk)."))
    return " ".join(parts)


def friendly_error(error: BaseException | None) -> str:
    """A one-line reason for an unexpected failure, no traceback on screen."""
    from desk_tui.services.errors import NotFound
    from desk_tui.store.migrate import DatabaseStateError

    if isinstance(error, NotFound):
        return error_text(error)
    if isinstance(error, DatabaseStateError):
        return str(error)
    if error is None:
        return _("unknown error")
    from desk_tui.store.engine import storage_failure

    reason = storage_failure(error)
    if reason is not None:
        return _(reason)  # the reasons are in the catalogue (tests/reliability checks)
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first_line}"[:300]


def make_app(
    settings: Settings,
    *,
    operator: str | None = None,
    clock: Callable[[], datetime] | None = None,
    on_call: bool = False,
    pin: str | None = None,
    preload: FirstQueuePreload | None = None,
) -> DeskApp:
    """The app on the configured database; nothing connects until the app runs, except
    what `preload` (started with the same clock) already reads."""
    zone = settings.calendar.zone
    now = clock or (lambda: datetime.now(zone))

    @cache
    def sla() -> SlaEngine:
        """One engine for the first queue and the desk: their clock positions must agree."""
        from desk_tui.domain.calendar import build_calendars
        from desk_tui.domain.sla import SlaEngine

        early = preload.sla() if preload is not None else None
        return early or SlaEngine(build_calendars(settings.calendar), settings.sla)

    def first_queue(login: str) -> FirstQueue | None:
        if preload is not None and preload.login == login:
            return preload.first_queue()
        from desk_tui.services.first_queue import read_first_queue, sqlite_file

        path = sqlite_file(settings.resolved_database_url())
        if path is None:
            return None
        return read_first_queue(path, login, sla=sla(), clock=now, pin=pin)

    def connect() -> Desk:
        from desk_tui.secrets import operator_database_url
        from desk_tui.services.desk import Desk
        from desk_tui.store.engine import make_engine
        from desk_tui.store.migrate import check_database

        url = operator_database_url(
            settings.resolved_database_url(), operator or settings.operator or "",
            role_per_operator=settings.database_role_per_operator,
        )
        db = make_engine(url)
        check_database(db)
        return Desk(db, sla(), now, settings.escalation, settings.on_call)

    def first_queue_ready(login: str) -> bool:
        return preload is not None and preload.login == login and preload.ready()

    return DeskApp(settings, connect, operator=operator, first_queue=first_queue,
                   first_queue_ready=first_queue_ready, on_call=on_call, pin=pin)
