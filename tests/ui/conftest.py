"""A tiny host app for one widget, and queue rows planned by the real SLA engine.

Time is always passed in (`NOW`), never read from the wall clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TypeVar
from uuid import NAMESPACE_URL, uuid5
from zoneinfo import ZoneInfo

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widget import Widget

from desk_tui.domain.calendar import Pause, build_calendars
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.views import QueueRow, Status, SupportLine
from desk_tui.ui import i18n
from desk_tui.ui.themes import register_themes, stylesheet_path, theme_variable_defaults
from desk_tui.ui.widgets.call_queue import CallQueue
from desk_tui.ui.widgets.priority_picker import PriorityPicker
from desk_tui.ui.widgets.type_ahead import TypeAheadList
from tests.ui.app_harness import clock, ui_sla, ui_store, ui_world  # noqa: F401 (fixtures)

MessageT = TypeVar("MessageT", bound=Message)
AMS = ZoneInfo("Europe/Amsterdam")
L, M, H = Level.LAAG, Level.MIDDEN, Level.HOOG
SIZE = (100, 30)


def ams(text: str) -> datetime:
    """Amsterdam wall time from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=AMS)


NOW = ams("2026-11-30 10:00")  # a Monday, the desk is open


_ENGINE: list[SlaEngine] = []


def sla_engine() -> SlaEngine:
    """One engine for the whole run (building calendars is the slow part)."""
    if not _ENGINE:
        _ENGINE.append(SlaEngine(build_calendars(first_year=2026)))
    return _ENGINE[0]


@pytest.fixture(scope="session")
def engine() -> SlaEngine:
    return sla_engine()


@pytest.fixture
def type_ahead_resets() -> None:
    """Asked for by tests of the type-ahead's own reset time (see below)."""


@pytest.fixture(autouse=True)
def _type_ahead_waits_for_slow_presses(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pilot presses keys one at a time; on a busy machine more than the type-ahead's one
    second can pass between two, and it would start over mid-word (a person types faster)."""
    if "type_ahead_resets" not in request.fixturenames:
        monkeypatch.setattr(TypeAheadList, "RESET_SECONDS", 30.0)


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    """Every test starts in Dutch and leaves the language as it found it."""
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


class WidgetApp(App[None]):
    """Hosts the widgets it is given and records the messages they post."""

    def __init__(self, *widgets: Widget, theme: str = "desk-dark") -> None:
        super().__init__(css_path=stylesheet_path())
        register_themes(self)
        self.theme = theme
        self._widgets = widgets
        self.messages: list[Message] = []

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults(dark=self.current_theme.dark)

    def compose(self) -> ComposeResult:
        yield from self._widgets

    @on(PriorityPicker.Changed)
    @on(CallQueue.Highlighted)
    @on(CallQueue.Selected)
    def record(self, message: Message) -> None:
        self.messages.append(message)

    def of_type(self, kind: type[MessageT]) -> list[MessageT]:
        return [message for message in self.messages if isinstance(message, kind)]


def make_row(
    number: str,
    *,
    registered: datetime,
    impact: Level | None = None,
    urgency: Level | None = None,
    call_type: CallType = CallType.STORING,
    pauses: Sequence[Pause] = (),
    reacted: datetime | None = None,
    organisation: str = "Gemeente Aadorp",
    caller: str = "J. de Vries",
    summary: str = "Kan niet inloggen",
    handler: str | None = "Sanne",
    line: SupportLine = SupportLine.EERSTE_LIJN,
    status: Status = Status.IN_BEHANDELING,
) -> QueueRow:
    """A queue row whose clocks the real engine planned."""
    plan = sla_engine().plan_call(
        registered, call_type, impact, urgency, pauses=pauses, reacted=reacted
    )
    return QueueRow(
        id=uuid5(NAMESPACE_URL, f"desk:call:{number}"),
        number=number,
        organisation=organisation,
        caller=caller,
        summary=summary,
        call_type=call_type,
        impact=impact,
        urgency=urgency,
        priority=plan.priority,
        status=status,
        handler=handler,
        line=line,
        handled_by=plan.handled_by,
        registered_at=registered,
        reaction_due=plan.reaction_due,
        resolution_due=plan.resolution_due,
        reaction=plan.reaction,
        resolution=plan.resolution,
    )


def sample_rows() -> list[QueueRow]:
    """One call in every countdown state at NOW (Mon 30 Nov 2026 10:00)."""
    return [
        make_row(  # reaction 15 min, due 09:45: breached by 15 minutes
            "M26-00101", registered=ams("2026-11-30 09:30"), impact=H, urgency=H,
            organisation="Gemeente Aadorp", caller="P. Bakker", handler=None,
            summary="Burgerzakenapplicatie onbereikbaar op alle balies",
        ),
        make_row(  # reaction 30 min, due 10:06: 80 % used, warning
            "M26-00102", registered=ams("2026-11-30 09:36"), impact=H, urgency=M,
            organisation="Sociale Dienst Midden", caller="A. El Amrani", handler=None,
            summary="Printer 2e verdieping geeft papierstoring",
        ),
        make_row(  # reaction 30 min, due 10:15: half used, ok
            "M26-00103", registered=ams("2026-11-30 09:45"), impact=M, urgency=M,
            organisation="Gemeente Beekdal", caller="K. Jansen", handler=None,
            summary="Outlook vraagt steeds om wachtwoord",
        ),
        make_row(  # reacted in time; waiting on the caller since Friday 14:00
            "M26-00097", registered=ams("2026-11-27 09:00"), impact=M, urgency=L,
            reacted=ams("2026-11-27 09:30"), pauses=[(ams("2026-11-27 14:00"), None)],
            status=Status.WACHT, caller="[bold]x[/]", summary="[/ markup [0] [/tmp/x]",
            handler="Sanne Visser", line=SupportLine.TWEEDE_LIJN,
        ),
        make_row(  # reaction 1 h due 09:00, given at 09:20: late
            "M26-00099", registered=ams("2026-11-30 08:00"), impact=L, urgency=M,
            reacted=ams("2026-11-30 09:20"), caller="Tom\x1b]0;pwned\x07",
            summary="Scherm\tflikkert\nsoms \x9b31m", handler="Ruud", line=SupportLine.SPECIALIST,
        ),
        make_row(  # a service request: reaction only, no resolution target
            "M26-00104", registered=ams("2026-11-30 09:10"),
            call_type=CallType.SERVICEVERZOEK, organisation="Gemeente Cedorp",
            caller="李小龍", summary="Nieuwe medewerker 日本語テキストの長い説明があります",
            handler=None, status=Status.GEREGISTREERD,
        ),
    ]  # fmt: skip
