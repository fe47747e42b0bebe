"""Input and TextArea that show control characters while they are being typed or pasted.

Textual's own draw the value as it is: an ESC, CSI or OSC pasted into a field reaches the
terminal (it can clear the screen or retitle the window) and a bidi override reorders the
line; Rich drops BEL, BS and CR, which moves the cursor off its character. These draw
each control character as one visible stand-in (ESC → ␛, NUL → ␀, C1 and bidi → �),
while the value keeps exactly what was typed, so it is stored as typed.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Input, TextArea

from desk_tui.ui.text import visible_in_place


class SafeInput(Input):
    """An Input that never sends control characters of its value to the terminal."""

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(visible_in_place(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text

    def _position_to_cell(self, position: int) -> int:
        # Tabs are drawn as ␉ (one cell), not expanded: count what is drawn.
        return cell_len(visible_in_place(self.value[:position]))


class SafeTextArea(TextArea):
    """A TextArea that draws the control characters of its lines as visible stand-ins
    (a tab stays a tab: the text area indents with it)."""

    def get_line(self, line_index: int) -> Text:
        parts = self.document.get_line(line_index).split("\t")
        return Text("\t".join(visible_in_place(part) for part in parts), end="", no_wrap=True)
