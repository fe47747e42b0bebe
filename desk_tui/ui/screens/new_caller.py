"""Registering a caller the desk does not know yet, without leaving the intake."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk_tui.services.errors import InvalidInput, ServiceError
from desk_tui.services.people import PersonDraft
from desk_tui.services.queries import Choice, PersonHit
from desk_tui.ui.i18n import _, error_text
from desk_tui.ui.screens.base import DeskModal
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.safe_input import SafeInput
from desk_tui.ui.widgets.type_ahead import TypeAheadList

if TYPE_CHECKING:
    pass


class NewCallerScreen(DeskModal[PersonHit | None]):
    """Name, phone, mail, organisation and department: only what the call needs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="new-caller.save", priority=True,
                tooltip="Register the caller and choose them for the call"),
        Binding("escape", "dismiss(None)", "Cancel", id="new-caller.cancel",
                tooltip="Back to the call without a new caller"),
    ]
    DEFAULT_CSS = """
    NewCallerScreen { align: center middle; }
    NewCallerScreen > Vertical {
        width: 76; height: auto; max-height: 95%; border: round $primary;
        background: $surface; padding: 0 1;
    }
    NewCallerScreen OptionList { height: 5; }
    NewCallerScreen #new-caller-error { color: $error; height: auto; }
    """

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self._initial_name = name
        self._organisations: list[Choice] = []
        self._departments: list[Choice] = []
        self._shown_departments: list[Choice] = []


    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("New caller"), style="bold"))
            yield Label(_("Name"))
            yield SafeInput(value=self._initial_name, id="new-name", max_length=200)
            yield Label(_("Phone"))
            yield SafeInput(id="new-phone", max_length=40)
            yield Label(_("Mail address"))
            yield SafeInput(id="new-email", max_length=320)
            yield Label(_("Organisation"))
            yield TypeAheadList(id="new-organisation")
            yield Label(_("Department"))
            yield TypeAheadList(id="new-department")
            yield Static("", id="new-caller-error")
            yield Static(Text(_("Ctrl+S saves, Esc cancels"), style="dim"))

    def on_mount(self) -> None:
        self.query_one("#new-name", Input).focus()
        self.load_lists()

    @work(thread=True, exclusive=True, group="new-caller", exit_on_error=False,
          description="load organisations and departments")
    def load_lists(self) -> None:
        desk = self.desk_app.desk
        assert desk is not None
        lists = desk.pick_lists()
        self.app.call_from_thread(self._show_lists, lists["organisations"], lists["departments"])

    def _show_lists(self, organisations: list[Choice], departments: list[Choice]) -> None:
        self._organisations = organisations
        self._departments = departments
        self.query_one("#new-organisation", OptionList).set_options(
            [Option(Text(visible(o.label))) for o in organisations]
        )
        self._filter_departments()

    @on(OptionList.OptionHighlighted, "#new-organisation")
    def _organisation_moved(self) -> None:
        self._filter_departments()

    def _organisation(self) -> Choice | None:
        index = self.query_one("#new-organisation", OptionList).highlighted
        return None if index is None else self._organisations[index]

    def _filter_departments(self) -> None:
        organisation = self._organisation()
        wanted = str(organisation.id) if organisation else None
        self._shown_departments = [d for d in self._departments if d.detail == wanted]
        options = [Option(Text("—"))] + [
            Option(Text(visible(d.label))) for d in self._shown_departments
        ]
        self.query_one("#new-department", OptionList).set_options(options)

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        organisation = self._organisation()
        if organisation is None:
            self.show_error(InvalidInput("organisation", _("Choose the organisation.")))
            return
        index = self.query_one("#new-department", OptionList).highlighted
        department: uuid.UUID | None = None
        if index:
            department = self._shown_departments[index - 1].id
        draft = PersonDraft(
            organisation_id=organisation.id,
            name=self.query_one("#new-name", Input).value,
            phone=self.query_one("#new-phone", Input).value,
            email=self.query_one("#new-email", Input).value,
            department_id=department,
        )
        self.save(draft)

    @work(thread=True, exclusive=True, group="new-caller-save", exit_on_error=False,
          description="register a caller")
    def save(self, draft: PersonDraft) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        try:
            person = app.desk.register_person(app.actor, draft)
        except ServiceError as error:
            self.app.call_from_thread(self.show_error, error)
            return
        self.app.call_from_thread(self.dismiss, person)

    def show_error(self, error: ServiceError) -> None:
        self.query_one("#new-caller-error", Static).update(
            Text(f"{_('Not saved')}: {error_text(error)}"))
        target = {"name": "#new-name", "email": "#new-email", "phone": "#new-phone",
                  "organisation": "#new-organisation"}.get(getattr(error, "field", ""))
        if target:
            self.query_one(target).focus()
