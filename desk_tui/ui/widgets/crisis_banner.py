"""The crisis banner: from GRIP 3, one line per municipality in crisis with the 24/7
crisis numbers and the public-order-and-safety (OOV) contacts, so they are at hand
(SPEC 10). Hidden while no organisation stands at GRIP 3 or higher.

Every screen an operator works on shows it under the header (one widget, composed by each
screen). It keeps itself current: it reads the levels when mounted (once connected) and
again whenever the change feed says a GRIP level or a crisis contact changed, so a contact
added or removed at another console reaches every open screen within the feed's delay.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from desk_tui.domain.crisis import CRISIS_FROM_LEVEL
from desk_tui.ui.i18n import _
from desk_tui.ui.text import visible

if TYPE_CHECKING:
    from desk_tui.services.crisis import Contact, OrganisationCrisis
    from desk_tui.store.change_feed import DataChange
    from desk_tui.ui.app import DeskApp



def _contact(contact: Contact) -> str:
    """"Joost Stam 06-12345678": the name, or the role where no name is recorded; the
    full titles are in `desk crisis status`. One line per municipality stays readable."""
    return f"{visible(contact.name or contact.role_title)} {visible(contact.phone)}"


MAX_LINES = 6  # the banner's height at most: the queue must keep room for its calls


def banner_text(levels: Sequence[OrganisationCrisis]) -> Text:
    """The banner's lines, one per municipality at GRIP 3+, user text kept literal. More
    than fit are summed up on the last line by code, so none is left off unseen."""
    crises = [crisis for crisis in levels if crisis.level >= CRISIS_FROM_LEVEL]
    shown = crises if len(crises) <= MAX_LINES else crises[:MAX_LINES - 1]
    text = Text(end="")
    for crisis in shown:
        if text:
            text.append("\n")
        text.append("⚠ " + _("CRISIS GRIP {level}").format(level=crisis.level),
                    style="bold")
        text.append(f"  {visible(crisis.code)} {visible(crisis.name)}")
        if crisis.crisis_lines:
            text.append("  ·  " + _("24/7 crisis number") + ": ")
            text.append(", ".join(visible(c.phone) for c in crisis.crisis_lines))
        else:
            text.append("  ·  " + _("no 24/7 crisis number recorded"))
        if crisis.oov_contacts:
            text.append("  ·  " + _("OOV") + ": ")
            text.append(", ".join(_contact(c) for c in crisis.oov_contacts))
        else:
            text.append("  ·  " + _("no OOV contacts recorded"))
    rest = crises[len(shown):]
    if rest:
        text.append("\n")
        text.append("⚠ " + _("{count} more at GRIP 3+: {codes} (G lists them all)").format(
            count=len(rest), codes=", ".join(visible(crisis.code) for crisis in rest)),
            style="bold")
    return text


class CrisisBanner(Static):
    """Municipalities at GRIP 3 or 4, in the breached colour of the theme."""

    DEFAULT_CSS = """
    /* One line per municipality (the end of a long one gives way, not another's line);
       `desk crisis status` and G show everything. */
    CrisisBanner {
        height: auto;
        max-height: 6;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        padding: 0 1;
        display: none;
        color: $sla-breached;
        background: $boost;
        &.shown { display: block; }
    }
    """

    def __init__(
        self, *, one_organisation: bool = False, id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.levels: list[OrganisationCrisis] = []
        # The call view shows only its call's municipality (set by `show_organisation`,
        # nothing until then); every other screen shows them all.
        self.one_organisation = one_organisation
        self.organisation_id: uuid.UUID | None = None
        self._asked = 0  # reads asked for: only the newest one's answer is shown

    def on_mount(self) -> None:
        signal = getattr(self.app, "data_changed", None)
        if signal is not None:
            signal.subscribe(self, self._changed_elsewhere)
        self.refresh_levels()

    def _changed_elsewhere(self, change: DataChange) -> None:
        """A GRIP level or a crisis contact changed (here or at another console)."""
        if change.crisis:
            self.refresh_levels()

    @property
    def in_crisis(self) -> list[OrganisationCrisis]:
        return [crisis for crisis in self.levels if crisis.level >= CRISIS_FROM_LEVEL]

    def show_organisation(self, organisation_id: uuid.UUID) -> None:
        """From now on only this organisation's crisis (the call view's municipality)."""
        self.organisation_id = organisation_id
        self.show_levels(self.levels)
        self.refresh_levels()

    def show_levels(self, levels: Sequence[OrganisationCrisis]) -> None:
        self.levels = list(levels)
        shown = [crisis for crisis in self.levels if not self.one_organisation
                 or crisis.organisation_id == self.organisation_id]
        text = banner_text(shown)
        self.update(text)
        self.set_class(bool(text), "shown")

    def refresh_levels(self) -> None:
        """Read the levels again, off the UI thread; nothing happens until connected."""
        app: DeskApp = self.app  # type: ignore[assignment]
        if getattr(app, "desk", None) is not None and getattr(app, "actor", None) is not None:
            self._asked += 1
            self._load(self._asked)

    @work(thread=True, exclusive=True, group="crisis-banner", exit_on_error=False,
          description="read the GRIP levels")
    def _load(self, asked: int) -> None:
        app: DeskApp = self.app  # type: ignore[assignment]
        assert app.desk is not None and app.actor is not None
        levels = app.desk.crisis_levels(app.actor)
        self.app.call_from_thread(self._answered, asked, levels)

    def _answered(self, asked: int, levels: list[OrganisationCrisis]) -> None:
        """A read overtaken by a newer one (a second change while it ran) is dropped: a
        cancelled thread worker still finishes, and its older answer may come last."""
        if asked == self._asked:
            self.show_levels(levels)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            report = getattr(self.app, "report_worker_failure", None)
            if report is not None:
                report(event.worker)
