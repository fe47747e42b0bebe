"""Automatic warnings (SPEC 5): the console tells the operator, as a notification on any
screen, when a call crosses its warning share or breaches a target, or an escalation
level falls due; once per crossing per call. What already needed action when the console
started is not told again: the queue shows it in colour, and `a` lists it.

The look runs in a thread worker every `[escalation] watch_seconds` (30 s by default), on
the same rules as the needing-action screen; the queue's one-second tick is not touched,
so it costs the queue nothing however many calls are open.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from desk_tui.domain.escalation import Alert, AlertKind, AlertWatch
from desk_tui.ui.i18n import _
from desk_tui.ui.text import clip, visible

if TYPE_CHECKING:
    from collections.abc import Hashable

    from textual.timer import Timer

    from desk_tui.services.escalation import NeedsAction
    from desk_tui.ui.app import DeskApp

log = logging.getLogger("desk.ui")

SHOWN_ONE_BY_ONE = 5  # more new alerts at once than this are summed up
BREACHES = frozenset({AlertKind.REACTION_BREACHED, AlertKind.RESOLUTION_BREACHED})


class AlertNotices:
    """Watches the open calls for the app and notifies what is new."""

    def __init__(self, app: DeskApp) -> None:
        self.app = app
        self.watch = AlertWatch()
        self._lock = threading.Lock()
        self._timer: Timer | None = None
        self._problem: str | None = None  # the last look's failure, logged once

    def start(self, interval: float) -> None:
        """Look now and every `interval` seconds, if the operator may read calls at all."""
        from desk_tui.services.access import Action

        actor = self.app.actor
        if actor is None or not actor.may(Action.CALL_READ):
            return
        self._timer = self.app.set_interval(interval, self.look)
        self.look()

    def look(self) -> None:
        self.app.run_worker(self.read, thread=True, exclusive=True, group="alerts",
                            exit_on_error=False, description="look for new warnings")

    def read(self) -> None:
        """In a worker: what needs action now, compared with the last look."""
        desk, actor = self.app.desk, self.app.actor
        if desk is None or actor is None:
            return
        try:
            items = desk.needing_action(actor)
        except Exception as error:  # the next look tries again; the queue says the rest
            if str(error) != self._problem:
                log.warning("cannot look for warnings: %s", error)
                self._problem = str(error)
            return
        self._problem = None
        by_call = {item.row.id: item for item in items}
        with self._lock:
            first = not self.watch.looked
            fresh = self.watch.update({item.row.id: item.alerts for item in items})
        if fresh and not first:
            self.app.call_from_thread(self.show, fresh, by_call)

    def show(self, fresh: list[tuple[Hashable, Alert]], by_call: dict[Hashable, NeedsAction]
             ) -> None:
        """One notification per new alert; when many cross at once, a sum for the rest."""
        for key, alert in fresh[:SHOWN_ONE_BY_ONE]:
            item = by_call[key]
            self.app.notify(describe_call(item), title=alert_title(alert), markup=False,
                            severity="error" if alert.kind in BREACHES else "warning",
                            timeout=12)
        rest = len(fresh) - SHOWN_ONE_BY_ONE
        if rest > 0:
            self.app.notify(_("…and {n} more (a on the queue lists them)").format(n=rest),
                            title=_("Needs action"), severity="warning", timeout=12)


def alert_title(alert: Alert) -> str:
    from desk_tui.ui.screens.escalations import ALERT_LABELS

    return _(ALERT_LABELS[alert.kind]).format(level=alert.level).capitalize()


def describe_call(item: NeedsAction) -> str:
    """Reference, organisation, priority and subject, as plain text: shown with
    markup=False, since the subject is the caller's words."""
    row = item.row
    priority = "—" if row.priority is None else str(row.priority)
    return f"{row.number}  {row.organisation}  P{priority}  {clip(visible(row.summary), 60)}"
