"""Bundle the call on screen and similar calls into a problem (SPEC 7): the similar open
and recent calls are listed with why they look alike; space ticks them, a title names the
problem, Ctrl+S opens it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, SelectionList, Static

from desk_tui.ui.i18n import N_, _
from desk_tui.ui.screens.dialogs import Dialog
from desk_tui.ui.text import clip, visible
from desk_tui.ui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from desk_tui.services.problems import SimilarCall

REASONS = {
    "same CI": N_("same CI"),
    "same category": N_("same category"),
    "same organisation": N_("same organisation"),
    "similar text": N_("similar text"),
}
TITLE_MAX = 200


@dataclass(frozen=True, slots=True)
class Bundle:
    title: str
    call_ids: tuple[uuid.UUID, ...]  # the similar calls ticked (the call itself is added)


def similar_label(hit: SimilarCall) -> Text:
    reasons = ", ".join(_(REASONS.get(reason, reason)) for reason in hit.reasons)
    label = Text(no_wrap=True, overflow="ellipsis")
    label.append(f"{hit.reference}  ")
    label.append(clip(visible(hit.subject), 36).ljust(37))
    label.append(reasons, "dim")
    if hit.problem:
        label.append("  " + _("in {problem}").format(problem=hit.problem), "italic")
    return label


class BundleDialog(Dialog[Bundle | None]):
    DEFAULT_CSS = """
    BundleDialog > .dialog { width: 100; }
    BundleDialog SelectionList { height: auto; max-height: 14; margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Open problem", id="bundle.submit",
                tooltip="Open the problem with the ticked calls"),
    ]

    def __init__(self, title: str | Text, subject: str, similar: list[SimilarCall]) -> None:
        super().__init__(title)
        self.subject = subject
        self.similar = similar

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.title_widget()
            if self.similar:
                yield Static(Text(_("Similar calls (space ticks):")), classes="dialog-label")
                yield SelectionList[int](
                    *((similar_label(hit), index, False) for index, hit in enumerate(self.similar)),
                    id="bundle-calls",
                )
            else:
                yield Static(Text(_("No similar open or recent calls.")),
                             classes="dialog-label")
            yield Static(Text(_("Problem title")), classes="dialog-label")
            yield SafeInput(self.subject, max_length=TITLE_MAX, id="bundle-title")
            yield self.message_widget()
            yield self.hint_widget(_("Ctrl+S opens the problem, Esc cancels"))

    def on_mount(self) -> None:
        if self.similar:
            self.query_one(SelectionList).focus()
        else:
            self.query_one("#bundle-title", Input).focus()

    @on(Input.Submitted, "#bundle-title")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        title = self.query_one("#bundle-title", Input).value.strip()
        if not title:
            self.say(_("This cannot be empty."))
            self.query_one("#bundle-title", Input).focus()
            return
        ticked: list[int] = (
            list(self.query_one(SelectionList).selected) if self.similar else []
        )
        self.dismiss(Bundle(title, tuple(self.similar[i].id for i in sorted(ticked))))
