"""Both escalation ladders of one call at a glance (SPEC 5): the functional ladder (the
support lines) with the line the call is on, and the hierarchical ladder's five levels
with both sides' roles and the organisation's named contacts, the call's level marked and
the next one to call pointed out. `e` on the call moves it; this view only shows. A
resolved or closed call has no next step: both this view and the call's line pane say it
is finished instead of naming whom to call."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from desk_tui.store.enums import CallStatus, EscalationSide
from desk_tui.ui.formats import short_datetime
from desk_tui.ui.i18n import _
from desk_tui.ui.screens.dialogs import Dialog
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.ladder import FunctionalLadder

if TYPE_CHECKING:
    from desk_tui.services.escalation import Contact, LadderLevel
    from desk_tui.services.queries import CallDetail


def contact_text(contact: Contact) -> str:
    """"Carla Contract 0228-360000 c@enk.example", or the role when nobody is named."""
    parts = [part for part in (contact.name, contact.phone, contact.email) if part]
    return visible(" ".join(parts)) if parts else "—"


def finished_text(detail: CallDetail) -> str | None:
    """"resolved Mon 30 Nov 10:15, no next step" for a resolved or closed call;
    None while the call is open (then the ladder names whom to call next)."""
    if detail.status is CallStatus.GESLOTEN:
        when = detail.closed_at or detail.resolved_at
        line = _("closed {when}, no next step")
    elif detail.status is CallStatus.OPGELOST:
        when = detail.resolved_at
        line = _("resolved {when}, no next step")
    else:
        return None
    shown = line.format(when=short_datetime(when) if when else "")
    return " ".join(shown.split()).replace(" ,", ",")


def hierarchy_text(levels: list[LadderLevel], current: int, finished: str | None = None
                   ) -> Text:
    """Five levels, lowest first: a marker for where the call stands and for the next;
    for a finished call, where it ended and that there is no next step."""
    text = Text(end="")
    if finished is not None:
        text.append("✓ " + _("Finished: ") + finished + "\n", "bold")
    for step in levels:
        if step.level == current:
            marker, style = "▶ ", "bold reverse"
        elif step.level == current + 1 and finished is None:
            marker, style = "→ ", "bold"
        else:
            marker, style = "  ", ""
        text.append(marker + _("level {n}").format(n=step.level), style)
        if step.level == current:
            text.append("  " + (_("(the call is here)") if finished is None
                                else _("(where the call ended)")), "italic")
        elif step.level == current + 1 and finished is None:
            text.append("  " + _("(whom to call next)"), "italic")
        text.append("\n")
        for role, side, label in (
            (step.participant_role, EscalationSide.DEELNEMER, _("participant")),
            (step.servicedesk_role, EscalationSide.SERVICEDESK, _("servicedesk")),
        ):
            named = [contact_text(c) for c in step.contacts if c.side is side]
            text.append(f"    {label}: ", "dim")
            text.append(visible(role))
            if named:
                text.append(" — " + "; ".join(named))
            text.append("\n")
    return text


class LadderDialog(Dialog[None]):
    """The call's place on both ladders; Esc closes."""

    DEFAULT_CSS = """
    LadderDialog > .dialog { width: 110; }
    LadderDialog #ladder-levels { height: auto; max-height: 26; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("L", "cancel", "Close", id="ladder.close", show=False,
                tooltip="Close the ladders"),
    ]

    def __init__(self, title: str | Text, detail: CallDetail, levels: list[LadderLevel]
                 ) -> None:
        super().__init__(title)
        self.detail = detail
        self.levels = levels

    def compose(self) -> ComposeResult:
        detail = self.detail
        with Vertical(classes="dialog"):
            yield self.title_widget()
            yield Static(Text(_("Functional ladder (l moves the call)")), classes="dialog-label")
            yield FunctionalLadder(detail.line, detail.supplier, id="ladder-lines")
            yield Static(Text(_("Hierarchical ladder (e moves the call)")),
                         classes="dialog-label")
            with VerticalScroll(id="ladder-levels"):
                yield Static(hierarchy_text(self.levels, detail.escalation_level,
                                            finished_text(detail)),
                             id="ladder-hierarchy")
            yield self.hint_widget(_("Esc closes"))
