"""The CMDB lookup pane, one key away in intake and the call view: search as you type,
Enter links the CI (to the call, or to the call being taken), F8 unlinks one, Ctrl+O shows
the CI in full. The pane does not write: it closes with what the operator chose and the
screen below does the write, with the call version it shows (a stale one is refused).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from desk_tui.services.cmdb_views import CiHit
from desk_tui.services.queries import LinkedCi
from desk_tui.ui.i18n import _
from desk_tui.ui.screens.base import DeskModal
from desk_tui.ui.screens.dialogs import ChoicePrompt
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.ci_search import CiSearch


class LookupAction(StrEnum):
    LINK = "link"
    UNLINK = "unlink"


@dataclass(frozen=True, slots=True)
class LookupResult:
    """What the operator chose: link `ci_id` (the hit is given), or unlink it."""

    action: LookupAction
    ci_id: uuid.UUID
    hit: CiHit | None = None


def linked_ci(hit: CiHit) -> LinkedCi:
    """A hit as the call's list of linked CIs holds it."""
    return LinkedCi(id=hit.id, ci_type=hit.ci_type.value, name=hit.name, hostname=hit.hostname)


class CiLookup(DeskModal[LookupResult | None]):
    """Find a CI; Enter links it, F8 unlinks a linked one, Ctrl+O opens it, Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "unlink", "Unlink", id="lookup.unlink",
                tooltip="Unlink the highlighted linked CI (or choose one)"),
        Binding("ctrl+o", "details", "Details", id="lookup.details",
                tooltip="Show the highlighted CI in full in the CMDB"),
        Binding("f7", "toggle_scope", "All organisations", id="lookup.scope",
                tooltip="Rank every organisation alike, or the call's own items first"),
        Binding("escape", "close", "Close", id="lookup.close", tooltip="Close the lookup"),
    ]
    DEFAULT_CSS = """
    CiLookup {
        align: center middle;
        & > #lookup-box {
            width: 110;
            max-width: 96%;
            height: 80%;
            padding: 1 2;
            background: $surface;
            border: round $primary;
        }
        #lookup-title { text-style: bold; }
        #lookup-linked, #lookup-scope { color: $desk-muted; height: auto; }
        #lookup-message { color: $warning; height: auto; }
        #lookup-message.empty { display: none; }
        CiSearch { margin-top: 1; }
        #lookup-hint { color: $desk-muted; margin-top: 1; }
    }
    """

    def __init__(
        self,
        title: str | Text,
        *,
        organisation_id: uuid.UUID | None = None,
        organisation: str | None = None,
        linked: Sequence[LinkedCi] = (),
        can_link: bool = True,
    ) -> None:
        super().__init__()
        self.lookup_title = title
        self.organisation_id = organisation_id
        self.organisation = organisation
        self.linked = list(linked)
        self.can_link = can_link
        self.all_organisations = organisation_id is None

    def compose(self) -> ComposeResult:
        title = self.lookup_title
        with Vertical(id="lookup-box"):
            yield Static(title if isinstance(title, Text) else Text(visible(title)),
                         id="lookup-title")
            yield Static(self._linked_text(), id="lookup-linked")
            yield Static(self._scope_text(), id="lookup-scope")
            yield CiSearch(organisation_id=self.organisation_id,
                           linked=[ci.id for ci in self.linked], id="lookup-search")
            yield Static("", id="lookup-message", classes="empty")
            yield Static(Text(self._hint()), id="lookup-hint")

    def on_mount(self) -> None:
        self.query_one(CiSearch).focus_field()

    def _linked_text(self) -> Text:
        text = Text(_("Linked") + ": ", end="")
        if not self.linked:
            text.append(_("none"))
        for index, ci in enumerate(self.linked):
            text.append(("✓ " if index == 0 else ", ✓ ") + visible(ci.name))
        return text

    def _scope_text(self) -> Text:
        if self.all_organisations or self.organisation_id is None:
            return Text(_("All organisations alike"))
        text = Text(_("Items of {organisation} first").format(
            organisation=visible(self.organisation or "")), end="")
        text.append("  ·  " + _("F7: all organisations alike"))
        return text

    def _hint(self) -> str:
        if self.can_link:
            return _("Enter links · F8 unlinks · Ctrl+O shows in full · Esc closes")
        return _("Enter or Ctrl+O shows in full · Esc closes")

    def say(self, message: str) -> None:
        line = self.query_one("#lookup-message", Static)
        line.update(Text(message))
        line.set_class(not message, "empty")

    # -- choosing ----------------------------------------------------------------------------
    @on(CiSearch.Chosen, "#lookup-search")
    def _chosen(self, message: CiSearch.Chosen) -> None:
        hit = message.hit
        if not self.can_link:
            self.open_details(hit)
            return
        if hit.id in {ci.id for ci in self.linked}:
            self.say(_("{name} is linked already (F8 unlinks it).").format(
                name=visible(hit.name)))
            return
        self.dismiss(LookupResult(LookupAction.LINK, hit.id, hit))

    @on(CiSearch.Highlighted, "#lookup-search")
    def _highlighted(self) -> None:
        self.say("")

    def action_unlink(self) -> None:
        if not self.can_link or not self.linked:
            self.app.bell()
            return
        hit = self.query_one(CiSearch).highlighted_hit
        if hit is not None and hit.id in {ci.id for ci in self.linked}:
            self.dismiss(LookupResult(LookupAction.UNLINK, hit.id))
            return
        choices = [(ci.id, ci.name) for ci in self.linked]
        self.app.push_screen(ChoicePrompt(_("Unlink CI"), choices), callback=self._unlink_chosen)

    def _unlink_chosen(self, ci_id: uuid.UUID | None) -> None:
        if ci_id is not None:
            self.dismiss(LookupResult(LookupAction.UNLINK, ci_id))

    def action_details(self) -> None:
        hit = self.query_one(CiSearch).highlighted_hit
        if hit is None:
            self.app.bell()
            return
        self.open_details(hit)

    def open_details(self, hit: CiHit) -> None:
        """The full CMDB screen over this pane; Esc there comes back here."""
        from desk_tui.ui.screens.cmdb import CmdbScreen

        self.app.push_screen(CmdbScreen(hit.id, text=self.query_one(CiSearch).text))

    def action_toggle_scope(self) -> None:
        if self.organisation_id is None:
            return
        self.all_organisations = not self.all_organisations
        scope = None if self.all_organisations else self.organisation_id
        self.query_one("#lookup-scope", Static).update(self._scope_text())
        self.query_one(CiSearch).set_scope(scope)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unlink":
            return self.can_link and bool(self.linked)
        if action == "toggle_scope":
            return self.organisation_id is not None
        return True

    def action_close(self) -> None:
        self.dismiss(None)

