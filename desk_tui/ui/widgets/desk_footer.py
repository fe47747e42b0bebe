"""The footer of every desk screen: Textual's compact footer with the help key kept in
sight. At 80 columns a screen's keys run off the line; F1 (all keys) and Ctrl+P (every
command) stand together at the right edge, so a new operator always sees where to look."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTIONS = frozenset({"help", "app.help"})


class DeskFooter(Footer):
    DEFAULT_CSS = """
    DeskFooter .footer-right {
        dock: right;
        width: auto;
        border-left: vkey $foreground 20%;
        background: $footer-background;
    }
    DeskFooter .footer-right FooterKey.-command-palette {
        dock: none;
        border-left: none;
        padding-right: 1;
        margin-right: 0;
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        right: list[Widget] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and (
                    widget.action in HELP_ACTIONS or widget.has_class("-command-palette")):
                right.append(widget)
            else:
                yield widget
        if right:
            # A class, not an id: a recompose may mount the new group before the old
            # one has gone.
            yield HorizontalGroup(*right, classes="footer-right")
