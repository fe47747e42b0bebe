"""A change request outside a call (SPEC 6): the requester by type-ahead, the organisation,
the kind from the catalogue with its lead time and due date shown live, a description, the
date agreed for a non-standard change, the emergency flag. A refusal (a personnel request
from someone not designated, blocking not from a department head through HR) keeps the
form open with the rule quoted, and nothing typed is lost. The same form registers the
change that fixes a problem, and the change a call asks for (its caller as requester)."""

from __future__ import annotations

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
from textual.widgets import Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from desk_tui.domain.changes import CHANGE_RULES, ChangeKind
from desk_tui.timeparse import parse_instant
from desk_tui.ui.formats import work_time_amount
from desk_tui.ui.i18n import _, error_text, phrase_text
from desk_tui.ui.screens.changes import kind_choices
from desk_tui.ui.screens.dialogs import Dialog
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.safe_input import SafeInput, SafeTextArea
from desk_tui.ui.widgets.type_ahead import TypeAheadList

if TYPE_CHECKING:
    from desk_tui.services.changes import ChangeDraft, ChangeSaved, RequesterHit
    from desk_tui.services.queries import Choice

TITLE_MAX = 200
PERSON_FIELDS = {"requester": "#requester-hits", "via-hr": "#via-hr-hits"}


@dataclass(frozen=True, slots=True)
class ForCall:
    """The call a change is registered for: its caller asks, in its organisation."""

    call_id: uuid.UUID
    reference: str
    organisation_id: uuid.UUID
    caller_id: uuid.UUID | None
    subject: str
    description: str


@dataclass(frozen=True, slots=True)
class FixFor:
    """The problem whose structural fix this change carries out."""

    problem_id: uuid.UUID
    reference: str
    title: str
    organisation_ids: tuple[uuid.UUID, ...]


class PeopleFound(Message):
    def __init__(self, field: str, text: str, hits: list[RequesterHit]) -> None:
        super().__init__()
        self.field = field
        self.text = text
        self.hits = hits


class ListsLoaded(Message):
    def __init__(self, organisations: list[Choice], caller: RequesterHit | None) -> None:
        super().__init__()
        self.organisations = organisations
        self.caller = caller


class Answered(Message):
    """The service's answer: saved (possibly refused), or why it would not save."""

    def __init__(self, saved: ChangeSaved | None, problem: str | None) -> None:
        super().__init__()
        self.saved = saved
        self.problem = problem


def person_label(hit: RequesterHit) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(visible(hit.name), "bold")
    for part in (hit.organisation, hit.department):
        if part:
            text.append("  ·  " + visible(part))
    tags = [tag for tag, on_ in ((_("designated"), hit.designated),
                                 (_("department head"), hit.department_head),
                                 (_("HR"), hit.hr)) if on_]
    if tags:
        text.append("  (" + ", ".join(tags) + ")", "italic")
    return text


class ChangeFormScreen(Dialog["ChangeSaved | None"]):
    """Register a change request; Ctrl+S saves, Esc cancels."""

    DEFAULT_CSS = """
    ChangeFormScreen > .dialog { width: 110; height: 90%; }
    ChangeFormScreen #change-form { height: 1fr; }
    ChangeFormScreen .label { color: $desk-muted; margin-top: 1; }
    ChangeFormScreen .person-hits { height: auto; max-height: 6; }
    ChangeFormScreen .person-hits.empty { display: none; }
    ChangeFormScreen .chosen { height: auto; }
    ChangeFormScreen #kind { height: 8; }
    ChangeFormScreen #lead-time { height: auto; color: $desk-muted; }
    ChangeFormScreen #description { height: 4; }
    ChangeFormScreen .nonstandard, ChangeFormScreen .blocking { display: none; }
    ChangeFormScreen.-nonstandard .nonstandard { display: block; }
    ChangeFormScreen.-blocking .blocking { display: block; }
    ChangeFormScreen #versions { height: auto; }
    ChangeFormScreen #versions Input { width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Save", id="change-form.submit",
                tooltip="Register the change request"),
    ]

    def __init__(self, fix_for: FixFor | None = None, for_call: ForCall | None = None) -> None:
        about = fix_for.reference if fix_for else for_call.reference if for_call else None
        title = (_("Change for {ref}").format(ref=about) if about
                 else _("New change request"))
        super().__init__(title)
        self.fix_for = fix_for
        self.for_call = for_call
        self.requester: RequesterHit | None = None
        self.via_hr: RequesterHit | None = None
        self._chosen_text: dict[str, str] = {}
        self._hits: dict[str, list[RequesterHit]] = {"requester": [], "via-hr": []}
        self._choices = kind_choices()
        self._organisation_ids: set[uuid.UUID] = set()
        self.saving = False

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.title_widget()
            with VerticalScroll(id="change-form"):
                yield Label(_("Requester (type a name, Enter takes the highlighted one)"),
                            classes="label")
                yield SafeInput(placeholder=_("Name, login, department or organisation"),
                            id="requester")
                yield OptionList(id="requester-hits", classes="person-hits empty")
                yield Static("", id="requester-chosen", classes="chosen")
                yield Label(_("Organisation"), classes="label")
                yield Select[uuid.UUID]([], prompt=_("Choose the organisation"),
                                        id="organisation")
                yield Label(_("Kind (type to jump)"), classes="label")
                yield TypeAheadList(*(Option(Text(label)) for _kind, label in self._choices),
                                    id="kind")
                yield Static("", id="lead-time")
                yield Checkbox(_("Emergency change (reaction within 2 work hours)"),
                               id="emergency")
                yield Label(_("Title"), classes="label")
                yield SafeInput(self.fix_for.title if self.fix_for else
                            self.for_call.subject if self.for_call else "",
                            max_length=TITLE_MAX, id="title")
                yield Label(_("Description"), classes="label")
                yield SafeTextArea(self.for_call.description if self.for_call else "",
                               id="description", soft_wrap=True, tab_behavior="focus")
                yield Label(_("Date agreed with the participant (e.g. 2026-12-03 18:00)"),
                            classes="label nonstandard")
                yield SafeInput(max_length=40, id="planned", classes="nonstandard")
                yield Label(_("Version from → to (upgrade, update or patch; optional)"),
                            classes="label nonstandard")
                with Horizontal(id="versions", classes="nonstandard"):
                    yield SafeInput(placeholder="4.2.1", max_length=40, id="release-from")
                    yield SafeInput(placeholder="4.3.0", max_length=40, id="release-to")
                yield Label(_("Through HR: who passed on the department head's request"),
                            classes="label blocking")
                yield SafeInput(placeholder=_("Name of the HR colleague"), id="via-hr",
                            classes="blocking")
                yield OptionList(id="via-hr-hits", classes="person-hits empty blocking")
                yield Static("", id="via-hr-chosen", classes="chosen blocking")
            yield self.message_widget()
            yield self.hint_widget(_("Ctrl+S registers, Esc cancels"))

    def on_mount(self) -> None:
        self.query_one("#kind", TypeAheadList).highlighted = 0
        self._kind_changed()
        self.load_lists()
        # At once (focus() waits a refresh): the keys typed behind "n" are read next.
        self.set_focus(self.query_one("#requester", Input), scroll_visible=False)

    # -- pick lists and lookups --------------------------------------------------------------
    @work(thread=True, exclusive=True, group="change-form-lists", exit_on_error=False,
          description="load organisations")
    def load_lists(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        caller_id = self.for_call.caller_id if self.for_call else None
        caller = app.desk.requester(app.actor, caller_id) if caller_id else None
        self.post_message(ListsLoaded(app.desk.pick_lists()["organisations"], caller))

    @on(ListsLoaded)
    def _lists_loaded(self, message: ListsLoaded) -> None:
        choices = message.organisations
        if self.fix_for is not None and self.fix_for.organisation_ids:
            choices = [c for c in choices if c.id in self.fix_for.organisation_ids] or choices
        select = self.query_one("#organisation", Select)
        self._organisation_ids = {c.id for c in choices}
        select.set_options([
            (Text(visible(f"{c.label} ({c.detail})" if c.detail else c.label)), c.id)
            for c in choices
        ])
        if self.fix_for is not None and len(self.fix_for.organisation_ids) >= 1:
            select.value = self.fix_for.organisation_ids[0]
        if self.for_call is not None:
            select.value = self.for_call.organisation_id
            if message.caller is not None:
                requester = self.query_one("#requester", Input)
                with requester.prevent(Input.Changed):
                    requester.value = message.caller.name
                self._choose("requester", message.caller, logged=True)  # by desk.requester
                self.query_one("#kind").focus()

    @work(thread=True, exclusive=True, group="change-form-people", exit_on_error=False,
          description="look up people")
    def look_up(self, field: str, text: str) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(PeopleFound(field, text, app.desk.find_requesters(app.actor, text)))

    @on(PeopleFound)
    def _people_found(self, message: PeopleFound) -> None:
        if self.query_one(f"#{message.field}", Input).value != message.text:
            return  # typed on since: a newer lookup is coming
        hits = self.query_one(PERSON_FIELDS[message.field], OptionList)
        self._hits[message.field] = message.hits
        hits.set_options([Option(person_label(hit)) for hit in message.hits])
        hits.set_class(not message.hits, "empty")
        hits.highlighted = 0 if message.hits else None

    @on(Input.Changed, "#requester, #via-hr")
    def _person_typed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field in self._chosen_text and event.value != self._chosen_text[field]:
            self._choose(field, None)  # typing again: the earlier choice no longer holds
        if event.value.strip() and field not in self._chosen_text:
            self.look_up(field, event.value)
        elif not event.value.strip():
            self.query_one(PERSON_FIELDS[field], OptionList).add_class("empty")

    def on_key(self, event: events.Key) -> None:
        """Up and down in a person field move through its hits; focus stays in the field."""
        focused = self.focused
        if event.key not in ("up", "down") or not isinstance(focused, Input):
            return
        list_id = PERSON_FIELDS.get(focused.id or "")
        if list_id is None:
            return
        hits = self.query_one(list_id, OptionList)
        if hits.option_count and not hits.has_class("empty"):
            if event.key == "down":
                hits.action_cursor_down()
            else:
                hits.action_cursor_up()
            event.stop()

    @on(Input.Submitted, "#requester, #via-hr")
    def _person_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = event.input.id or ""
        hits = self.query_one(PERSON_FIELDS[field], OptionList)
        found = self._hits[field]
        if not hits.has_class("empty") and hits.highlighted is not None and found:
            self._choose(field, found[hits.highlighted])
        self.focus_next()

    @on(OptionList.OptionSelected, "#requester-hits, #via-hr-hits")
    def _person_clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        field = "requester" if event.option_list.id == "requester-hits" else "via-hr"
        self._choose(field, self._hits[field][event.option_index])

    def _choose(self, field: str, hit: RequesterHit | None, *, logged: bool = False) -> None:
        setattr(self, "requester" if field == "requester" else "via_hr", hit)
        chosen = self.query_one(f"#{field}-chosen", Static)
        if hit is None:
            self._chosen_text.pop(field, None)
            chosen.update("")
            return
        self._chosen_text[field] = self.query_one(f"#{field}", Input).value
        self.query_one(PERSON_FIELDS[field], OptionList).add_class("empty")
        line = Text("✓ ")
        line.append_text(person_label(hit))
        chosen.update(line)
        if field == "requester" and hit.organisation_id in self._organisation_ids:
            self.query_one("#organisation", Select).value = hit.organisation_id
        if not logged:
            self.log_person_view(hit.id, field)

    @work(thread=True, group="change-form-read-log", exit_on_error=False,
          description="log that a person's details were shown")
    def log_person_view(self, person_id: uuid.UUID, field: str) -> None:
        """A person picked from the type-ahead is shown in full: an audited read."""
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        what = "requester of a change" if field == "requester" else "HR submitter of a change"
        app.desk.viewed_person(app.actor, person_id, what)

    # -- the kind and what it promises -------------------------------------------------------
    @property
    def kind(self) -> ChangeKind:
        index = self.query_one("#kind", TypeAheadList).highlighted or 0
        return self._choices[index][0]

    @on(OptionList.OptionHighlighted, "#kind")
    def _kind_highlighted(self) -> None:
        self._kind_changed()

    @on(OptionList.OptionSelected, "#kind")
    def _kind_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.focus_next()

    def _kind_changed(self) -> None:
        kind = self.kind
        self.set_class(kind is ChangeKind.NIET_STANDAARD, "-nonstandard")
        self.set_class(CHANGE_RULES[kind].department_head_via_hr, "-blocking")
        emergency = self.query_one("#emergency", Checkbox)
        if emergency.value != (kind is ChangeKind.NOODWIJZIGING):
            with emergency.prevent(Checkbox.Changed):
                emergency.value = kind is ChangeKind.NOODWIJZIGING
        self.query_one("#lead-time", Static).update(self._promise(kind))

    def _promise(self, kind: ChangeKind) -> Text:
        """What the SLA promises for `kind`, with the due dates if registered now."""
        rule = CHANGE_RULES[kind]
        desk = self.desk_app.desk
        text = Text()
        if rule.lead_time is None and rule.reaction is None:
            text.append(_("Planned on the date agreed with the participant."))
        elif desk is not None:
            zone = desk.sla.calendars.config.zone
            plan = desk.sla.plan_change(desk.now().astimezone(zone), kind)
            def when(due: datetime) -> str:
                return f"{due.astimezone(zone):%d-%m %H:%M}"

            parts = []
            if plan.lead_time_due is not None and rule.lead_time is not None:
                parts.append(_("lead time {time}: due {when}").format(
                    time=work_time_amount(rule.lead_time), when=when(plan.lead_time_due)))
            if plan.own_part_due is not None and rule.own_part is not None:
                parts.append(_("own part {time}: {when}").format(
                    time=work_time_amount(rule.own_part), when=when(plan.own_part_due)))
            if plan.reaction_due is not None and rule.reaction is not None:
                parts.append(_("reaction {time}: due {when}").format(
                    time=work_time_amount(rule.reaction), when=when(plan.reaction_due)))
            text.append("; ".join(parts))
        if rule.personnel_related:
            text.append("\n" + _("Only from designated submitters of the organisation."))
        if rule.department_head_via_hr:
            text.append("\n" + _("Only for a department head, through HR."))
        return text

    @on(Checkbox.Changed, "#emergency")
    def _emergency(self, event: Checkbox.Changed) -> None:
        """Ticking makes it an emergency change; unticking a non-standard one."""
        wanted = ChangeKind.NOODWIJZIGING if event.value else ChangeKind.NIET_STANDAARD
        if (self.kind is ChangeKind.NOODWIJZIGING) != event.value:
            kinds = [kind for kind, _label in self._choices]
            self.query_one("#kind", TypeAheadList).highlighted = kinds.index(wanted)

    # -- saving ------------------------------------------------------------------------------
    def draft(self) -> ChangeDraft | None:
        """The change as typed; None after saying what is missing."""
        from desk_tui.services.changes import ChangeDraft

        organisation = self.query_one("#organisation", Select).value
        if not isinstance(organisation, uuid.UUID):
            return self._missing("#organisation", _("Choose the organisation."))
        title = self.query_one("#title", Input).value.strip()
        if not title:
            return self._missing("#title", _("Give the change a title."))
        kind = self.kind
        rule = CHANGE_RULES[kind]
        if (rule.personnel_related or rule.department_head_via_hr) and self.requester is None:
            return self._missing("#requester", _("Say who asks for this change."))
        planned: datetime | None = None
        release_from = release_to = None
        if kind is ChangeKind.NIET_STANDAARD:
            typed = self.query_one("#planned", Input).value.strip()
            if not typed:
                return self._missing("#planned", _(
                    "A non-standard change is planned with the participant: give the date."))
            desk = self.desk_app.desk
            assert desk is not None
            try:
                planned = parse_instant(typed.replace(" ", "T", 1),
                                        desk.sla.calendars.config.zone)
            except ValueError:
                return self._missing("#planned", _("Not a date and time: {text}").format(
                    text=visible(typed)))
            release_from = self.query_one("#release-from", Input).value.strip() or None
            release_to = self.query_one("#release-to", Input).value.strip() or None
        return ChangeDraft(
            organisation_id=organisation, kind=kind, title=title,
            requester_id=self.requester.id if self.requester else None,
            description=self.query_one("#description", TextArea).text,
            via_hr_id=self.via_hr.id if (self.via_hr and rule.department_head_via_hr) else None,
            planned_for=planned, release_from=release_from, release_to=release_to,
            call_id=self.for_call.call_id if self.for_call else None,
        )

    def _missing(self, selector: str, message: str) -> None:
        self.say(message)
        self.query_one(selector).focus()
        return None

    def action_submit(self) -> None:
        if self.saving:
            return
        draft = self.draft()
        if draft is not None:
            self.saving = True
            self.say("")
            self.save(draft)

    @work(thread=True, exclusive=True, group="change-form-save", exit_on_error=False,
          description="register a change")
    def save(self, draft: ChangeDraft) -> None:
        from desk_tui.services.errors import ServiceError

        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        try:
            if self.fix_for is not None:
                saved = app.desk.register_fix(app.actor, self.fix_for.problem_id, draft)
            else:
                saved = app.desk.register_change(app.actor, draft)
        except ServiceError as error:
            self.post_message(Answered(None, error_text(error)))
            return
        self.post_message(Answered(saved, None))

    @on(Answered)
    def _answered(self, message: Answered) -> None:
        self.saving = False
        saved = message.saved
        if saved is None:
            self.say(message.problem or "")
        elif saved.refusal:
            # Refused and logged: the rule is shown, the form stays as typed.
            self.say(_("{ref} refused: {rule}").format(ref=saved.reference,
                                                       rule=phrase_text(saved.refusal)))
        else:
            self.app.notify(_("{ref} registered").format(ref=saved.reference), timeout=5)
            self.dismiss(saved)
