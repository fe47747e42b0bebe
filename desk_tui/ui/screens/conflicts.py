"""Offline conflicts (issue 8): calls, people, CIs, changes, problems and P1 evaluations
an election site changed while the desk changed them too. The import never overwrites
either side; an operator decides here. Each conflict shows, field by field (in the
operator's words), the value both sides started from, the site's and the central one;
`s` keeps the site's version, `c` the central one (the site's history lines are kept
either way). Reads and decisions run in workers."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static

from desk_tui.services.access import Action
from desk_tui.ui.formats import short_datetime
from desk_tui.ui.i18n import N_, _, error_text, phrase_text
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.text import fit, visible
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.option_rows import MUTED, OptionRows

if TYPE_CHECKING:
    from desk_tui.services.offline_sync import ConflictView

FIELD_WIDTH = 18
NAME_MAX = 40  # the longest name the list shows whole (the subject has the rest)
VALUE_WIDTH = 36
KEEP_SITE = "site"
KEEP_CENTRAL = "central"


def field_label(name: str) -> str:
    """A stored field name (`handler_id`) in the operator's words and language
    ("behandelaar"); the English words come from the service, the Dutch from desk.po."""
    from desk_tui.services.offline_records import field_word

    return _(field_word(name))


# The kinds of records a conflict can be about, as the list names them.
KIND_WORDS = {"call": N_("call"), "person": N_("person"), "ci": N_("CI"),
              "work-change": N_("change"), "problem": N_("problem"),
              "evaluation": N_("P1 evaluation")}


def kind_label(kind: str) -> str:
    return _(KIND_WORDS.get(kind, kind))


def conflict_name(view: ConflictView) -> str:
    """What the conflict is about: a call's number, else the kind and its name."""
    return view.reference if view.kind == "call" else (
        f"{kind_label(view.kind)} {visible(view.reference)}")


def name_width(views: Sequence[ConflictView]) -> int:
    """The list's first column: as wide as its longest name ("persoon Anouk Jansen-de
    Boer"), at least a call number's, at most NAME_MAX."""
    return min(max([18, *(len(conflict_name(view)) for view in views)]), NAME_MAX)


def conflict_prompt(view: ConflictView, width: int = 18) -> Content:
    """One line in the list: the call (or person, CI, ...), the site, when it was
    found, the subject."""
    return Content.assemble(
        (fit(conflict_name(view), width), "bold"), " ",
        (fit(view.site, 6), MUTED), " ",
        (fit(short_datetime(view.detected_at), 18), MUTED), " ",
        (visible(view.subject), ""),
    )


def shown_value(name: str, value: Any, labels: Mapping[str, str]) -> str:
    """A field's value as a person reads it: ids by their names, instants in Amsterdam
    time, text literally; none is a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(shown_value(name, item, labels) for item in value)
    text = str(value)
    if text in labels:
        return visible(labels[text])
    if name.endswith(("_at", "_due")):
        try:
            instant = datetime.fromisoformat(text)
        except ValueError:
            return visible(text)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        return short_datetime(instant)
    return visible(text)


def conflict_table(view: ConflictView) -> Content:
    """The versions side by side: field, base, site, central; then the site's history."""
    head = Content.assemble(
        (fit(_("Field"), FIELD_WIDTH), "bold"), " ",
        (fit(_("Base (both started from)"), VALUE_WIDTH), "bold"), " ",
        (fit(_("Site {site}").format(site=view.site), VALUE_WIDTH), "bold"), " ",
        (fit(_("Central (now)"), VALUE_WIDTH), "bold"),
    )
    lines = [head]
    for name, (central, site) in sorted(view.site_changes.items()):
        lines.append(Content.assemble(
            (fit(field_label(name), FIELD_WIDTH), ""), " ",
            (fit(shown_value(name, view.base.get(name), view.labels), VALUE_WIDTH), MUTED), " ",
            (fit(shown_value(name, site, view.labels), VALUE_WIDTH), "$sla-warning"), " ",
            (fit(shown_value(name, central, view.labels), VALUE_WIDTH), ""),
        ))
    if not view.site_changes:
        lines.append(Content.styled(_("No fields changed; only history lines"), MUTED))
    if view.site_history:
        lines.append(Content.styled(
            _("{count} history lines from the site (kept either way)").format(
                count=view.site_history), MUTED))
    if view.breach_steps:  # the protocol's steps wait with the call's decision
        lines.append(Content.styled(
            _("{count} breach protocol steps done at the site (taken with the site's"
              " version)").format(count=view.breach_steps), "$sla-warning"))
    if view.refused:  # the central rules held the site's change back
        lines.append(Content.styled(
            _("Held back: {reason}").format(reason=visible(phrase_text(view.refused))),
            "$sla-breached"))
    lines.append(Content.styled(
        _("s keeps the site's version, c keeps the central one"), MUTED))
    return Content("\n").join(lines)


class ConflictsLoaded(Message):
    def __init__(self, views: list[ConflictView]) -> None:
        super().__init__()
        self.views = views


class ConflictsScreen(DeskScreen[None]):
    """Open offline conflicts, oldest first; the highlighted one in full below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "keep_site", "Keep site", id="conflicts.site",
                tooltip="Take the site's changes over the central ones"),
        Binding("c", "keep_central", "Keep central", id="conflicts.central",
                tooltip="Keep the central call; the site's changes are not taken"),
        Binding("r", "refresh", "Refresh", id="conflicts.refresh", show=False,
                tooltip="Read the conflicts again"),
        Binding("escape", "back", "Back", id="conflicts.back", tooltip="Back to the queue"),
    ]
    DEFAULT_CSS = """
    ConflictsScreen #conflicts-status { height: 1; padding: 0 1; color: $desk-muted; }
    ConflictsScreen #conflicts { height: 1fr; min-height: 3; }
    ConflictsScreen #conflict-detail-box {
        height: 2fr; border-top: solid $desk-muted; padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.views: list[ConflictView] = []
        self._deciding = False

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        yield Static(_("Reading…"), id="conflicts-status")
        yield OptionRows(empty_text=_("No offline conflicts to decide"), id="conflicts")
        with VerticalScroll(id="conflict-detail-box"):
            yield Static("", id="conflict-detail", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one(OptionRows).focus()

    @property
    def current(self) -> ConflictView | None:
        rows: OptionRows[ConflictView] = self.query_one(OptionRows)
        return rows.highlighted_value

    @work(thread=True, exclusive=True, group="conflicts", exit_on_error=False,
          description="read the offline conflicts")
    def load(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(ConflictsLoaded(app.desk.offline_conflicts(app.actor)))

    @on(ConflictsLoaded)
    def _loaded(self, message: ConflictsLoaded) -> None:
        self.views = message.views
        rows: OptionRows[ConflictView] = self.query_one(OptionRows)
        width = name_width(self.views)
        rows.set_rows([(view, conflict_prompt(view, width)) for view in self.views])
        self.query_one("#conflicts-status", Static).update(
            Text(_("{count} offline conflicts to decide").format(count=len(self.views))))
        self._show_current()
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#conflicts")
    def _highlighted(self) -> None:
        self._show_current()

    def _show_current(self) -> None:
        view = self.current
        detail = self.query_one("#conflict-detail", Static)
        detail.update(conflict_table(view) if view is not None else "")

    def action_keep_site(self) -> None:
        self._decide(KEEP_SITE)

    def action_keep_central(self) -> None:
        self._decide(KEEP_CENTRAL)

    def _decide(self, keep: str) -> None:
        """Ask for an optional note (Escape cancels), then decide in a worker."""
        from desk_tui.ui.screens.dialogs import TextPrompt

        view = self.current
        if view is None or self._deciding:
            return
        title = (_("Keep the site's version of {reference}") if keep == KEEP_SITE
                 else _("Keep the central version of {reference}")).format(
                     reference=view.reference)

        def asked(note: str | None) -> None:
            if note is not None:
                self._deciding = True
                self.decide(view.id, view.reference, keep, note)

        self.app.push_screen(
            TextPrompt(title, _("Why (kept in the call's history)? Enter decides"),
                       required=False),
            callback=asked)

    @work(thread=True, exclusive=True, group="conflicts-decide", exit_on_error=False,
          description="decide an offline conflict")
    def decide(self, conflict_id: uuid.UUID, reference: str, keep: str, note: str) -> None:
        from desk_tui.services.errors import ServiceError

        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        try:
            app.desk.resolve_offline_conflict(app.actor, conflict_id, keep, note)
        except ServiceError as error:  # decided elsewhere meanwhile, or the call moved on
            self.app.call_from_thread(self._decided, error_text(error), True)
            return
        said = (_("{reference}: the site's version kept") if keep == KEEP_SITE
                else _("{reference}: the central version kept")).format(reference=reference)
        self.app.call_from_thread(self._decided, said, False)

    def _decided(self, message: str, failed: bool) -> None:
        self._deciding = False
        self.notify(message, severity="error" if failed else "information", markup=False)
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("keep_site", "keep_central"):
            actor = self.desk_app.actor
            if actor is None or not actor.may(Action.OFFLINE_RESOLVE):
                return False
            return True if self.views else None
        return True

    def action_back(self) -> None:
        self.dismiss()
