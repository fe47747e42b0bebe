"""The footer of every desk screen: Textual's compact footer with the help key kept in
sight. At 80 columns a screen's keys run off the line; F1 (all keys) and Ctrl+P (every
command) stand together at the right edge, so a new operator always sees where to look.

Textual's footer composes empty, then again once the screen says its bindings are ready,
and again on every bindings update (each focus change) even when the keys shown stay the
same. Each recompose mounts and styles a dozen keys: ~15 ms, on the path to a screen's
first frame. This footer shows the screen's keys from its first compose and composes again
only when the keys it would show have changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

HELP_ACTIONS = frozenset({"help", "app.help"})
# What a footer shows: per key shown, its key, text, action, state and tooltip.
Shown = tuple[tuple[str, str, str, bool, str], ...]


class DeskFooter(Footer):
    DEFAULT_CSS = """
    DeskFooter .footer-right {
        dock: right;
        width: auto;
        border-left: vkey $foreground 20%;
        background: $footer-background;
    }
    DeskFooter.-compact FooterLabel {
        margin-right: 1;  /* a group's name ("1234 Tabs") before the next key */
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
        self._shown: Shown | None = None  # what the last compose showed

    def _keys_to_show(self) -> Shown:
        """The keys Footer.compose would show now (the palette key included)."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip or "")
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen) -> None:
        if (self._shown is not None and self.is_attached and screen is self.screen
                and self._keys_to_show() == self._shown):
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if self.is_attached:
            # The screen's bindings are there once the footer is mounted in it.
            self.set_reactive(Footer._bindings_ready, True)
            self._shown = self._keys_to_show()
        right: list[Widget] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The class FooterKey's compact watcher sets right after mounting: set now,
                # it saves each key a second pass of the stylesheet.
                widget.add_class("-compact", update=False)
            if isinstance(widget, FooterKey) and (
                    widget.action in HELP_ACTIONS or widget.has_class("-command-palette")):
                right.append(widget)
            else:
                yield widget
        if right:
            # A class, not an id: a recompose may mount the new group before the old
            # one has gone.
            yield HorizontalGroup(*right, classes="footer-right")
