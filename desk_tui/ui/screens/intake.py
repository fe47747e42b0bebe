"""Intake: the phone call. Caller lookup as you type, type, category, the live priority
picker, subject and description, linked CIs, save — all from the keyboard.

A standard call, caller found, is: Enter (caller) · Enter (type) · a letter + Enter
(category) · a digit + Enter (impact; urgency comes from the category) · the subject ·
Ctrl+S. A failed save keeps every field and says why.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from desk_tui.domain.classification import CallType, Level
from desk_tui.services.calls import CallDraft, Saved
from desk_tui.services.errors import InvalidInput, ServiceError
from desk_tui.services.queries import Choice, LinkedCi, PersonHit
from desk_tui.ui.i18n import _, error_text
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.call_type import CallTypeChoice
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.priority_picker import PriorityPicker
from desk_tui.ui.widgets.safe_input import SafeInput, SafeTextArea
from desk_tui.ui.widgets.type_ahead import TypeAheadList

if TYPE_CHECKING:
    from desk_tui.ui.screens.ci_lookup import LookupResult

log = logging.getLogger("desk.ui")


@dataclass
class IntakeState:
    """What the operator chose so far (the text fields live in their widgets)."""

    caller: PersonHit | None = None
    call_type: CallType = CallType.STORING
    category: Choice | None = None
    cis: tuple[LinkedCi, ...] = ()


class Found(Message):
    def __init__(self, kind: str, text: str, hits: list) -> None:
        super().__init__()
        self.kind = kind
        self.text = text
        self.hits = hits


class IntakeScreen(DeskScreen[Saved | None]):
    """Register a call while the caller is on the line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="intake.save", tooltip="Register the call",
                priority=True),
        Binding("f3", "new_caller", "New caller", id="intake.new-caller",
                tooltip="Register a caller who is not known yet"),
        # In the help and the palette; the footer keeps its three keys.
        Binding("f4", "lookup_ci", "CMDB", id="intake.lookup-ci", show=False,
                tooltip="Look up configuration items and link them to the call"),
        Binding("escape", "cancel", "Cancel", id="intake.cancel",
                tooltip="Back to the queue (twice when something was typed)"),
        Binding("enter", "next_field", "Next", id="intake.next", show=False),
        Binding("tab", "next_field(True)", "Next field", id="intake.tab", show=False),
        Binding("shift+tab", "previous_field", "Previous field", id="intake.back-tab",
                show=False),
    ]
    # The order an intake is taken in; the picker sits in its own column on screen.
    FLOW: ClassVar[tuple[str, ...]] = (
        "#caller", "#call-type", "#categories", "#picker", "#subject", "#description", "#ci",
    )

    # Below 110 columns the picker's column gives way, or the fields shrink to a sliver
    # (at 80 columns: one caller hit over four lines, call types cut off).
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"),
                                                                       (110, "-wide")]
    DEFAULT_CSS = """
    IntakeScreen #intake-fields { width: 1fr; padding: 0 1; }
    IntakeScreen #intake-side { width: 52; padding: 0 1; }
    IntakeScreen.-narrow #intake-side { width: 40; padding: 0; }
    IntakeScreen .label { color: $desk-muted; margin-top: 1; }
    IntakeScreen #caller-hits, IntakeScreen #ci-hits { height: auto; max-height: 7; }
    IntakeScreen #caller-hits.empty, IntakeScreen #ci-hits.empty { display: none; }
    IntakeScreen #categories { height: 5; }
    IntakeScreen #description { height: 5; }
    IntakeScreen #chosen-caller { color: $success; height: auto; }
    IntakeScreen #chosen-cis { height: auto; color: $desk-muted; }
    IntakeScreen #intake-error { color: $error; height: auto; margin-top: 1; }
    IntakeScreen #intake-error.empty { display: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.state = IntakeState()
        self._categories: list[Choice] = []
        self._cancel_armed = False
        self._saving = False
        self._caller_text = ""


    def compose(self) -> ComposeResult:
        yield DeskHeader()
        # During a crisis (GRIP 3+) the crisis number and OOV contacts are at hand here too.
        yield CrisisBanner(id="intake-crisis")
        with Horizontal(id="intake-body"):
            with VerticalScroll(id="intake-fields"):
                yield Label(_("Caller"), classes="label")
                yield SafeInput(placeholder=_("Name, phone, login, department or organisation"),
                            id="caller")
                yield OptionList(id="caller-hits", classes="empty")
                yield Static("", id="chosen-caller")
                yield Label(_("Type"), classes="label")
                yield CallTypeChoice(CallType.STORING, id="call-type")
                yield Label(_("Category"), classes="label")
                yield TypeAheadList(id="categories")
                yield Label(_("Subject"), classes="label")
                yield SafeInput(placeholder=_("What does not work? (one line)"), id="subject",
                            max_length=200)
                yield Label(_("Description"), classes="label")
                yield SafeTextArea(id="description", soft_wrap=True)
                yield Label(_("CIs"), classes="label")
                yield SafeInput(placeholder=_("Workstation, application, hostname… (Enter links)"),
                            id="ci")
                yield OptionList(id="ci-hits", classes="empty")
                yield Static("", id="chosen-cis")
            with Vertical(id="intake-side"):
                yield Label(_("Priority"), classes="label")
                yield PriorityPicker(id="picker", due_times=self._due_times)
                yield Static("", id="intake-error", classes="empty")
        yield DeskFooter()

    def on_mount(self) -> None:
        # At once, not focus() (a refresh later): the letters typed behind "n" are read next.
        self.set_focus(self.query_one("#caller", Input))
        self.load_categories()

    # -- pick lists and lookups ------------------------------------------------------------
    @work(thread=True, exclusive=True, group="intake-lists", exit_on_error=False,
          description="load categories")
    def load_categories(self) -> None:
        desk = self.desk_app.desk
        assert desk is not None
        choices = desk.pick_lists()["categories"]
        self.post_message(Found("categories", "", choices))

    @work(thread=True, exclusive=True, group="caller-lookup", exit_on_error=False,
          description="look up callers")
    def look_up_callers(self, text: str) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(Found("caller", text, app.desk.find_people(app.actor, text)))

    @work(thread=True, exclusive=True, group="ci-lookup", exit_on_error=False,
          description="look up configuration items")
    def look_up_cis(self, text: str, organisation_id: uuid.UUID | None) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(Found("ci", text, app.desk.find_cis(app.actor, text, organisation_id)))

    @on(Found)
    def show_found(self, message: Found) -> None:
        if message.kind == "categories":
            self._categories = message.hits
            categories = self.query_one("#categories", TypeAheadList)
            categories.set_options(
                [Option(Text(visible(c.label)), id=str(c.id)) for c in message.hits]
            )
            return
        field_id, list_id = ("#caller", "#caller-hits") if message.kind == "caller" else (
            "#ci", "#ci-hits")
        if self.query_one(field_id, Input).value != message.text:
            return  # typed on since: a newer lookup is coming
        hits = self.query_one(list_id, OptionList)
        hits.set_options([Option(self._hit_label(message.kind, hit)) for hit in message.hits])
        hits.set_class(not message.hits, "empty")
        hits.highlighted = 0 if message.hits else None
        hits.hit_values = message.hits  # type: ignore[attr-defined]

    @staticmethod
    def _hit_label(kind: str, hit: PersonHit | LinkedCi) -> Text:
        text = Text()
        if isinstance(hit, PersonHit):
            text.append(visible(hit.name), style="bold")
            for part in (hit.organisation, hit.department, hit.phone, hit.login):
                if part:
                    text.append("  ·  ")
                    text.append(visible(part))
            return text
        text.append(visible(hit.name), style="bold")
        text.append(f"  {hit.ci_type}")
        if hit.hostname:
            text.append(f"  {visible(hit.hostname)}")
        return text

    @on(Input.Changed, "#caller")
    def caller_typed(self, event: Input.Changed) -> None:
        self._cancel_armed = False
        if self.state.caller is not None:
            if event.value == self._caller_text:
                return
            self.state.caller = None  # searching again: the earlier choice no longer holds
            self.query_one("#chosen-caller", Static).update("")
        if event.value.strip():
            self.look_up_callers(event.value)
        else:
            self.query_one("#caller-hits", OptionList).add_class("empty")

    @on(Input.Changed, "#ci")
    def ci_typed(self, event: Input.Changed) -> None:
        if event.value.strip():
            caller = self.state.caller
            self.look_up_cis(event.value, caller.organisation_id if caller else None)
        else:
            self.query_one("#ci-hits", OptionList).add_class("empty")

    def on_key(self, event: events.Key) -> None:
        """Up and down in a lookup field move through its hits, focus stays in the field."""
        focused = self.focused
        if event.key not in ("up", "down") or not isinstance(focused, Input):
            return
        list_id = {"caller": "#caller-hits", "ci": "#ci-hits"}.get(focused.id or "")
        if list_id is None:
            return
        hits = self.query_one(list_id, OptionList)
        if hits.option_count:
            if event.key == "down":
                hits.action_cursor_down()
            else:
                hits.action_cursor_up()
            event.stop()

    def _highlighted_hit(self, list_id: str) -> PersonHit | LinkedCi | None:
        hits = self.query_one(list_id, OptionList)
        values = getattr(hits, "hit_values", [])
        if hits.has_class("empty") or hits.highlighted is None or not values:
            return None
        return values[hits.highlighted]

    @on(Input.Submitted, "#caller")
    def caller_chosen(self) -> None:
        hit = self._highlighted_hit("#caller-hits")
        if isinstance(hit, PersonHit):
            self.choose_caller(hit)
        elif self.state.caller is not None:
            self.focus_next_field()

    def choose_caller(self, hit: PersonHit) -> None:
        self.state.caller = hit
        self._caller_text = self.query_one("#caller", Input).value
        self.query_one("#caller-hits", OptionList).add_class("empty")
        line = Text("✓ ")
        line.append(visible(hit.name), style="bold")
        line.append(f"  ·  {visible(hit.organisation_name)}")
        for part in (hit.department, hit.phone, hit.email):
            if part:
                line.append(f"  ·  {visible(part)}")
        self.query_one("#chosen-caller", Static).update(line)
        self.query_one("#call-type", CallTypeChoice).focus()
        self.log_caller_view(hit.id)

    @work(thread=True, group="intake-read-log", exit_on_error=False,
          description="log that the caller's details were shown")
    def log_caller_view(self, person_id: uuid.UUID) -> None:
        """The type-ahead shows names per keystroke; picking one shows the caller's
        details: that is the read the audit trail records (once per 15 minutes)."""
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        app.desk.viewed_person(app.actor, person_id, "caller chosen at intake")

    @on(Input.Submitted, "#ci")
    def ci_chosen(self) -> None:
        hit = self._highlighted_hit("#ci-hits")
        if isinstance(hit, LinkedCi) and hit.id not in {c.id for c in self.state.cis}:
            self.state.cis = (*self.state.cis, hit)
            self.query_one("#ci", Input).value = ""
            self.query_one("#ci-hits", OptionList).add_class("empty")
            self._show_cis()

    def _show_cis(self) -> None:
        text = Text()
        for ci in self.state.cis:
            text.append(f"• {visible(ci.name)}  ")
        self.query_one("#chosen-cis", Static).update(text)

    @on(OptionList.OptionSelected, "#caller-hits")
    def caller_clicked(self, event: OptionList.OptionSelected) -> None:
        hit = getattr(event.option_list, "hit_values", [])[event.option_index]
        self.choose_caller(hit)

    @on(OptionList.OptionSelected, "#categories")
    def category_chosen(self, event: OptionList.OptionSelected) -> None:
        self._set_category(event.option_index)
        self.query_one("#picker", PriorityPicker).focus()

    @on(OptionList.OptionHighlighted, "#categories")
    def category_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._set_category(event.option_index)

    def _set_category(self, index: int) -> None:
        if not 0 <= index < len(self._categories):
            return
        self.state.category = self._categories[index]
        urgency = self.state.category.suggested_urgency
        if urgency is not None:
            self.query_one("#picker", PriorityPicker).suggest_urgency(urgency)

    @on(CallTypeChoice.Changed, "#call-type")
    def type_changed(self, event: CallTypeChoice.Changed) -> None:
        self.state.call_type = event.value
        picker = self.query_one("#picker", PriorityPicker)
        picker.due_times = self._due_times
        picker.refresh()

    def _due_times(self, impact: Level, urgency: Level) -> tuple[datetime, datetime | None]:
        """Pure engine arithmetic (microseconds): fine on the UI thread."""
        desk = self.desk_app.desk
        assert desk is not None
        plan = desk.sla.plan_call(desk.now(), self.state.call_type, impact, urgency)
        return plan.reaction_due, plan.resolution_due

    def action_new_caller(self) -> None:
        from desk_tui.ui.screens.new_caller import NewCallerScreen

        def chosen(person: PersonHit | None) -> None:
            if person is not None:
                self.state.caller = person
                self._caller_text = person.name
                self.query_one("#caller", Input).value = person.name
                self.choose_caller(person)

        typed = self.query_one("#caller", Input).value
        name = "" if any(ch.isdigit() for ch in typed) else typed
        self.app.push_screen(NewCallerScreen(name), callback=chosen)

    def action_lookup_ci(self) -> None:
        """The CMDB lookup pane; once the caller is known, their organisation's items first."""
        from desk_tui.ui.screens.ci_lookup import CiLookup

        caller = self.state.caller
        title = Text(_("Configuration items for the new call"))
        self.app.push_screen(
            CiLookup(title, organisation_id=caller.organisation_id if caller else None,
                     organisation=caller.organisation_name if caller else None,
                     linked=self.state.cis),
            callback=self._looked_up,
        )

    def _looked_up(self, result: LookupResult | None) -> None:
        from desk_tui.ui.screens.ci_lookup import LookupAction, linked_ci

        if result is None:
            return
        if result.action is LookupAction.LINK and result.hit is not None:
            if result.ci_id not in {ci.id for ci in self.state.cis}:
                self.state.cis = (*self.state.cis, linked_ci(result.hit))
        elif result.action is LookupAction.UNLINK:
            self.state.cis = tuple(ci for ci in self.state.cis if ci.id != result.ci_id)
        self._show_cis()

    @on(Input.Submitted, "#subject")
    def subject_done(self) -> None:
        self.focus_next_field()

    # -- moving and saving ----------------------------------------------------------------
    def action_next_field(self, by_tab: bool = False) -> None:
        self.focus_next_field()

    def action_previous_field(self) -> None:
        self._step_field(-1)

    def focus_next_field(self) -> None:
        self._step_field(1)

    def _step_field(self, delta: int) -> None:
        current = self.focused
        ids = [selector[1:] for selector in self.FLOW]
        index = ids.index(current.id) if current is not None and current.id in ids else -1
        self.query_one(self.FLOW[(index + delta) % len(self.FLOW)]).focus()

    def action_cancel(self) -> None:
        typed = any(
            (self.query_one("#caller", Input).value, self.query_one("#subject", Input).value,
             self.query_one("#description", TextArea).text)
        )
        if typed and not self._cancel_armed:
            self._cancel_armed = True
            self.app.notify(_("Press Esc again to discard this call."), timeout=3)
            return
        self.dismiss(None)

    def draft(self) -> CallDraft:
        """The call as filled in; InvalidInput (naming the field) when something is missing."""
        caller = self.state.caller
        if caller is None:
            raise InvalidInput("caller", _("Choose the caller first (type to search, Enter)."))
        picker = self.query_one("#picker", PriorityPicker)
        return CallDraft(
            organisation_id=caller.organisation_id,
            caller_id=caller.id,
            call_type=self.state.call_type,
            category_id=self.state.category.id if self.state.category else None,
            impact=picker.impact,
            urgency=picker.urgency,
            subject=self.query_one("#subject", Input).value,
            description=self.query_one("#description", TextArea).text,
            ci_ids=tuple(ci.id for ci in self.state.cis),
        )

    def action_save(self) -> None:
        if self._saving:
            return
        try:
            draft = self.draft()
        except InvalidInput as error:
            self.show_error(error)
            return
        self._saving = True
        self.save(draft)

    @work(thread=True, exclusive=True, group="intake-save", exit_on_error=False,
          description="register the call")
    def save(self, draft: CallDraft) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        try:
            saved = app.desk.register(app.actor, draft)
        except ServiceError as error:
            self.app.call_from_thread(self.show_error, error)
            return
        except Exception as error:  # the database failed (disk full, read-only, ...)
            from desk_tui.ui.app import friendly_error

            log.error("registering a call failed", exc_info=error)
            self.app.call_from_thread(self.show_failure, friendly_error(error))
            return
        finally:
            self._saving = False
        self.app.call_from_thread(self.saved, saved)

    def saved(self, saved: Saved) -> None:
        priority = f"P{saved.priority}" if saved.priority else "—"
        self.app.notify(
            _("{ref} registered ({priority})").format(ref=saved.reference, priority=priority),
            title=_("Saved"), timeout=5,
        )
        self.dismiss(saved)

    FIELD_WIDGETS: ClassVar[dict[str, str]] = {
        "caller": "#caller", "subject": "#subject", "description": "#description",
        "impact": "#picker", "urgency": "#picker", "category": "#categories", "ci": "#ci",
        "organisation": "#caller",
    }

    def show_error(self, error: ServiceError) -> None:
        """Say why, keep every field, and put the cursor where the problem is."""
        line = self.query_one("#intake-error", Static)
        line.update(Text(f"{_('Not saved')}: {error_text(error)}"))
        line.remove_class("empty")
        if isinstance(error, InvalidInput) and error.field in self.FIELD_WIDGETS:
            self.query_one(self.FIELD_WIDGETS[error.field]).focus()

    def show_failure(self, reason: str) -> None:
        """The save failed for a reason outside the form: say why, keep every field."""
        line = self.query_one("#intake-error", Static)
        line.update(Text(f"{_('Not saved')}: {reason}. "
                         f"{_('The call is kept here: Ctrl+S tries again.')}"))
        line.remove_class("empty")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Enter belongs to the field when it has a use there (lookups, lists, text area);
        # Tab always moves on.
        if action == "next_field" and not parameters:
            return not isinstance(self.focused, Input | OptionList | TextArea)
        return True
