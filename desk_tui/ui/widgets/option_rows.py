"""An option list whose options carry values: one line per row, cut with an ellipsis, and
styled with theme variables resolved when drawn (a theme switch restyles it at once).

Rows are `textual.content.Content`: user text goes in as plain text (made visible first),
never as markup; styles are theme variables such as "$desk-muted" or "$sla-breached".
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.content import Content
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

ValueT = TypeVar("ValueT")

MUTED = "$desk-muted"


def row_id(value: object) -> Hashable:
    """What identifies a row across reloads: its `id` attribute, else the value itself."""
    identity = getattr(value, "id", value)
    return identity if isinstance(identity, Hashable) else repr(identity)


class OptionRows(OptionList, Generic[ValueT]):
    """Rows of (value, prompt); the highlight stays on the same value across `set_rows`."""

    DEFAULT_CSS = """
    OptionRows {
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $surface;
        border: none;
        padding: 0;
        &:focus { border: none; }
        /* The queue's cursor row; its foreground is laid over when drawn (render_line). */
        & > .option-list--option-highlighted {
            background: $desk-cursor-blurred-background;
            text-style: $desk-cursor-blurred-text-style;
        }
        &:focus > .option-list--option-highlighted,
        &.-always-focused > .option-list--option-highlighted {
            background: $desk-cursor-background;
            text-style: $desk-cursor-text-style;
        }
    }
    """

    def __init__(
        self, *, empty_text: str = "", id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.values: list[ValueT] = []
        self.empty_text = empty_text

    def set_rows(self, rows: Sequence[tuple[ValueT, Content]]) -> None:
        """Show `rows`; an empty list shows `empty_text` (not selectable)."""
        current = self.highlighted_value
        self.values = [value for value, _prompt in rows]
        if rows:
            self.set_options([Option(prompt) for _value, prompt in rows])
            ids = [row_id(value) for value in self.values]
            wanted = row_id(current) if current is not None else None
            self.highlighted = ids.index(wanted) if wanted in ids else 0
        else:
            empty = Content.styled(self.empty_text, MUTED) if self.empty_text else ""
            self.set_options([Option(empty, disabled=True)] if empty else [])

    def clear_rows(self) -> None:
        """No rows and no empty text: nothing asked yet."""
        self.values = []
        self.clear_options()

    @property
    def highlighted_value(self) -> ValueT | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.values):
            return None
        return self.values[index]

    def value_at(self, index: int) -> ValueT | None:
        return self.values[index] if 0 <= index < len(self.values) else None

    def render_line(self, y: int) -> Strip:
        """A theme's cursor foreground (high contrast: black on white) wins over the
        row's own colours; "transparent" keeps them, as in the queue."""
        strip = super().render_line(y)
        line = self.scroll_offset.y + y
        lines = self._lines
        if self.highlighted is None or not 0 <= line < len(lines) or (
                lines[line][0] != self.highlighted):
            return strip
        focused = self.has_focus or self.has_class("-always-focused")
        name = "desk-cursor-foreground" if focused else "desk-cursor-blurred-foreground"
        colour = self.app.theme_variables.get(name, "transparent")
        if colour == "transparent":
            return strip
        over = Style(color=Color.parse(colour).rich_color)
        return Strip(Segment.apply_style(strip, post_style=over), strip.cell_length)

    def notify_style_update(self) -> None:
        # Rendered rows are cached with their colours: a new theme draws them afresh.
        self._clear_caches()
        super().notify_style_update()
