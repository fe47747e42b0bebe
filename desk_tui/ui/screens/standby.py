"""The standby log of an election day and evening (SPEC 10): when, who, where, what, and
the call it led to. `n` writes a line (who, where, what); it works on a site's laptop
without network, and comes back to the central database with the site's bundle."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from desk_tui.services.access import Action
from desk_tui.ui.formats import amsterdam
from desk_tui.ui.i18n import _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.text import fit, visible
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.option_rows import MUTED, OptionRows

if TYPE_CHECKING:
    from desk_tui.services.offline import StandbyLine


def standby_prompt(line: StandbyLine, zone: object) -> Content:
    when = line.at.astimezone(zone).strftime("%d-%m %H:%M")  # type: ignore[arg-type]
    return Content.assemble(
        (fit(when, 11), "bold"), " ",
        (fit(line.site, 5), MUTED), " ",
        (fit(visible(line.who), 24), ""), " ",
        (fit(visible(line.location), 20), MUTED), " ",
        (fit(line.call_reference or "", 17), MUTED), " ",
        (visible(line.what), ""),
    )


class StandbyLoaded(Message):
    def __init__(self, lines: list[StandbyLine]) -> None:
        super().__init__()
        self.lines = lines


class StandbyScreen(DeskScreen[None]):
    """The log, oldest first, the newest line highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_line", "New line", id="standby.new",
                tooltip="Write a line: who, where, what"),
        Binding("r", "refresh", "Refresh", id="standby.refresh", show=False,
                tooltip="Read the log again"),
        Binding("escape", "back", "Back", id="standby.back", tooltip="Back to the queue"),
    ]
    DEFAULT_CSS = """
    StandbyScreen #standby-status { height: 1; padding: 0 1; color: $desk-muted; }
    StandbyScreen OptionRows { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[StandbyLine] = []

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        yield Static(_("Reading…"), id="standby-status")
        yield OptionRows(empty_text=_("The standby log is empty; n writes a line"),
                         id="standby-lines")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one(OptionRows).focus()

    @work(thread=True, exclusive=True, group="standby", exit_on_error=False,
          description="read the standby log")
    def load(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(StandbyLoaded(app.desk.standby_log(app.actor)))

    @on(StandbyLoaded)
    def _loaded(self, message: StandbyLoaded) -> None:
        self.lines = message.lines
        desk = self.desk_app.desk
        zone = desk.sla.calendars.config.zone if desk is not None else amsterdam()
        rows = self.query_one(OptionRows)
        rows.set_rows([(line, standby_prompt(line, zone)) for line in self.lines])
        if self.lines:
            rows.highlighted = len(self.lines) - 1
        self.query_one("#standby-status", Static).update(
            Text(_("{count} lines in the standby log").format(count=len(self.lines))))

    def action_new_line(self) -> None:
        from desk_tui.ui.screens.dialogs import TextPrompt

        title = _("Standby log")

        def asked_what(who: str, where: str, what: str | None) -> None:
            if what:
                self.write_line(who, where, what)

        def asked_where(who: str, where: str | None) -> None:
            if where is None:
                return
            self.app.push_screen(
                TextPrompt(title, _("What happened, or was done?"), max_length=4000),
                callback=lambda what: asked_what(who, where, what))

        def asked_who(who: str | None) -> None:
            if who:
                self.app.push_screen(
                    TextPrompt(title, _("Where (e.g. the polling station)?"), required=False),
                    callback=lambda where: asked_where(who, where))

        self.app.push_screen(TextPrompt(title, _("Who called, or who is on standby?"),
                                        max_length=200), callback=asked_who)

    @work(thread=True, exclusive=True, group="standby-write", exit_on_error=False,
          description="write a line in the standby log")
    def write_line(self, who: str, where: str, what: str) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        app.desk.log_standby(app.actor, who=who, what=what, location=where)
        self.app.call_from_thread(self.load)

    def action_refresh(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_line":
            actor = self.desk_app.actor
            return actor is not None and actor.may(Action.STANDBY_LOG)
        return True

    def action_back(self) -> None:
        self.dismiss()
