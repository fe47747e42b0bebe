"""The PIN prompt at console start, a modal over the still empty queue.

The queue screen paints at once behind it (so the cold start is not held up), but nothing
of the desk is read for the screen until the operator is identified: the connect worker
posts `Connected` only after services/identity.py accepted the PIN.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from desk_tui.ui.i18n import _, error_text
from desk_tui.ui.screens.base import DeskModal
from desk_tui.ui.text import visible


class LoginScreen(DeskModal[None]):
    """Asks the operator's PIN (no echo) and signs in; a refusal is shown, the field
    cleared, and the operator may try again (the fifth wrong PIN locks the account)."""

    DEFAULT_CSS = """
    LoginScreen {
        align: center middle;
        background: $background 85%;
        & > #login-box {
            width: 56;
            max-width: 95%;
            height: auto;
            padding: 1 2;
            background: $surface;
            border: round $primary;
        }
        #login-title { text-style: bold; margin-bottom: 1; }
        #login-message { color: $desk-muted; height: auto; margin-top: 1; display: none; }
        #login-message.shown { display: block; }
        #login-message.error { color: $error; }
        #login-hint { color: $desk-muted; margin-top: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "quit", "Quit", id="login.quit", tooltip="Close desk"),
    ]

    def __init__(self, login: str, reason: str = "") -> None:
        super().__init__(id="login")
        self.login = login
        self.reason = reason
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            title = Text(_("Sign in as") + " ")
            title.append(visible(self.login))  # user text: literal, never markup
            yield Static(title, id="login-title")
            yield Input(placeholder=_("PIN"), password=True, id="login-pin", max_length=128)
            yield Static("", id="login-message")
            yield Static(_("Enter signs in · Esc quits"), id="login-hint")

    def on_mount(self) -> None:
        if self.reason:
            self.refused(self.reason)
        self.query_one("#login-pin", Input).focus()

    @on(Input.Submitted, "#login-pin")
    def _submitted(self, event: Input.Submitted) -> None:
        pin = event.value
        if not pin or self.busy:
            return
        self.busy = True
        self._say(_("Checking…"), error=False)
        self.sign_in(pin)

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False,
          description="check the PIN")
    def sign_in(self, pin: str) -> None:
        from desk_tui.services.identity import IdentityRefused

        try:
            self.desk_app.sign_in(pin)
        except IdentityRefused as error:
            self.app.call_from_thread(self.refused, error_text(error))

    def refused(self, reason: str) -> None:
        """The PIN was not accepted: say why, and let the operator type it again."""
        self.busy = False
        pin = self.query_one("#login-pin", Input)
        pin.value = ""
        pin.focus()
        self._say(reason, error=True)

    def _say(self, text: str, *, error: bool) -> None:
        message = self.query_one("#login-message", Static)
        message.update(Text(visible(text)))
        message.set_class(True, "shown")
        message.set_class(error, "error")

    def action_quit(self) -> None:
        self.app.exit()
