"""Search configuration items as you type: a field, and the hits below it.

The search runs in a thread worker (one at a time: a newer text cancels the older job) a
moment after the last key, so fast typing costs one query. Focus stays in the field: up and
down move through the hits, Enter chooses one. Every hit is user text, drawn literally.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.worker import Worker, WorkerState

from desk_tui.services.cmdb_views import CiHit
from desk_tui.store.enums import CiStatus
from desk_tui.ui.cmdb_labels import ci_status_label, ci_type_label, short_date
from desk_tui.ui.i18n import _
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.option_rows import MUTED, OptionRows
from desk_tui.ui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from desk_tui.ui.app import DeskApp

DEBOUNCE_SECONDS = 0.12
LINKED_MARK = "✓ "
TYPE_WIDTH = 15


def hit_prompt(hit: CiHit, *, linked: bool = False) -> Content:
    """Two lines: the name and type; then tag, host, IP, owner and organisation."""
    parts: list[str | tuple[str, str]] = []
    parts.append((LINKED_MARK, "$success") if linked else "  ")
    parts.append((visible(hit.name), "bold"))
    parts.append((f"  {ci_type_label(hit.ci_type)}", MUTED))
    if hit.status is not CiStatus.IN_GEBRUIK:
        parts.append((f" · {ci_status_label(hit.status)}", "$warning"))
    if hit.expires_on is not None:
        parts.append((f" · {_('expires')} {short_date(hit.expires_on)}", MUTED))
    details = [
        value for value in (hit.asset_tag, hit.hostname, hit.ip_address, hit.owner) if value
    ]
    details.append(hit.organisation or _("own infrastructure"))
    parts.append(("\n    " + " · ".join(visible(value) for value in details), MUTED))
    return Content.assemble(*parts)


class CiHitList(OptionRows[CiHit]):
    """The hits: rows of two lines, the second muted."""

    DEFAULT_CSS = """
    CiHitList { height: 1fr; }
    """


class CiSearch(Widget):
    """A search field over the CMDB and its hits; posts `Chosen` on Enter."""

    DEFAULT_CSS = """
    CiSearch {
        height: 1fr;
        layout: vertical;
        & > Input { margin-bottom: 0; }
        & > #ci-search-status { color: $desk-muted; height: 1; padding: 0 1; }
    }
    """

    can_focus = False

    class Chosen(Message):
        """Enter (or a click) on a hit."""

        def __init__(self, search: CiSearch, hit: CiHit) -> None:
            super().__init__()
            self.search = search
            self.hit = hit

        @property
        def control(self) -> CiSearch:
            return self.search

    class Highlighted(Message):
        """The highlight moved to another hit (None: no hits)."""

        def __init__(self, search: CiSearch, hit: CiHit | None) -> None:
            super().__init__()
            self.search = search
            self.hit = hit

        @property
        def control(self) -> CiSearch:
            return self.search

    class _Found(Message):
        def __init__(self, text: str, organisation_id: uuid.UUID | None,
                     hits: list[CiHit]) -> None:
            super().__init__()
            self.text = text
            self.organisation_id = organisation_id
            self.hits = hits

    NAVIGATION_KEYS: ClassVar[dict[str, str]] = {
        "down": "cursor_down", "up": "cursor_up",
        "pagedown": "page_down", "pageup": "page_up",
    }  # fmt: skip

    def __init__(
        self,
        *,
        organisation_id: uuid.UUID | None = None,
        linked: Collection[uuid.UUID] = (),
        text: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.organisation_id = organisation_id
        self.linked: set[uuid.UUID] = set(linked)
        self._initial_text = text
        self._timer: Timer | None = None
        self._shown_text: str | None = None

    def compose(self) -> ComposeResult:
        yield SafeInput(self._initial_text,
                    placeholder=_("Name, tag, serial, host, IP, user, location…"),
                    id="ci-search-text", max_length=200)
        yield Static("", id="ci-search-status")
        # The field keeps the focus, so the hits' cursor looks focused throughout.
        yield CiHitList(empty_text=_("No configuration item matches"), id="ci-search-hits",
                        classes="-always-focused")

    def on_mount(self) -> None:
        self.query_one(CiHitList).can_focus = False  # the field keeps the focus
        self._say(_("Type to search"))
        if self._initial_text.strip():
            self.search_now()

    # -- state -------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.query_one("#ci-search-text", Input).value

    @property
    def hits(self) -> list[CiHit]:
        return self.query_one(CiHitList).values

    @property
    def shown_text(self) -> str | None:
        """The text whose hits are on screen (None before the first answer)."""
        return self._shown_text

    @property
    def highlighted_hit(self) -> CiHit | None:
        return self.query_one(CiHitList).highlighted_value

    def focus_field(self) -> None:
        # At once, not focus() (a refresh later): keys typed behind F4 are read next.
        self.screen.set_focus(self.query_one("#ci-search-text", Input))

    def set_scope(self, organisation_id: uuid.UUID | None) -> None:
        """Search within one organisation (None: all) and search again."""
        self.organisation_id = organisation_id
        self.search_now()

    def set_linked(self, linked: Collection[uuid.UUID]) -> None:
        """Mark these CIs as linked (a ✓ before their name)."""
        self.linked = set(linked)
        self._show(self.hits)

    # -- searching ---------------------------------------------------------------------------
    @on(Input.Changed, "#ci-search-text")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self.search_now)

    def search_now(self) -> None:
        """Search for the field's text at once (no wait for more keys)."""
        text = self.text.strip()
        if not text:
            self._shown_text = ""
            self.query_one(CiHitList).clear_rows()
            self._say(_("Type to search"))
            self.post_message(self.Highlighted(self, None))
            return
        app: DeskApp = self.app  # type: ignore[assignment]
        if getattr(app, "desk", None) is None or getattr(app, "actor", None) is None:
            return
        self._say(_("Searching…"))
        self.search(self.text, self.organisation_id)

    @work(thread=True, exclusive=True, group="ci-search", exit_on_error=False,
          description="search configuration items")
    def search(self, text: str, organisation_id: uuid.UUID | None) -> None:
        app: DeskApp = self.app  # type: ignore[assignment]
        assert app.desk is not None and app.actor is not None
        hits = app.desk.search_cis(app.actor, text.strip(), organisation_id)
        self.post_message(self._Found(text, organisation_id, hits))

    @on(_Found)
    def _found(self, message: _Found) -> None:
        message.stop()
        if message.text != self.text or message.organisation_id != self.organisation_id:
            return  # typed on since: a newer search is coming
        self._shown_text = message.text
        self._show(message.hits)
        count = len(message.hits)
        self._say(_("1 found") if count == 1 else _("{n} found").format(n=count))
        self.post_message(self.Highlighted(self, self.highlighted_hit))

    def _show(self, hits: list[CiHit]) -> None:
        rows = [(hit, hit_prompt(hit, linked=hit.id in self.linked)) for hit in hits]
        self.query_one(CiHitList).set_rows(rows)

    def _say(self, text: str) -> None:
        self.query_one("#ci-search-status", Static).update(Content(text))

    # -- keys --------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """Up/down and page keys in the field move through the hits."""
        action = self.NAVIGATION_KEYS.get(event.key)
        hits = self.query_one(CiHitList)
        if action is None or not hits.values:
            return
        before = hits.highlighted
        getattr(hits, f"action_{action}")()
        event.stop()
        event.prevent_default()
        if hits.highlighted != before:
            self.post_message(self.Highlighted(self, self.highlighted_hit))

    @on(Input.Submitted, "#ci-search-text")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None and self.text.strip() != (self._shown_text or "").strip():
            # Enter before the pause after typing: search now; the next Enter chooses.
            self._timer.stop()
            self.search_now()
            return
        hit = self.highlighted_hit
        if hit is not None:
            self.post_message(self.Chosen(self, hit))

    @on(OptionList.OptionSelected, "#ci-search-hits")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.query_one(CiHitList).value_at(event.option_index)
        if hit is not None:
            self.post_message(self.Chosen(self, hit))

    @on(OptionList.OptionHighlighted, "#ci-search-hits")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed search is reported like every other background job."""
        if event.state is WorkerState.ERROR:
            self._say(_("Search failed"))
            report = getattr(self.app, "report_worker_failure", None)
            if report is not None:
                report(event.worker)
