"""The live queue of open calls, drawn line by line with countdowns computed at render time.

A DataTable re-renders whole screens when one cell changes (PITFALLS: 180–320 ms per
update), too slow for countdowns that tick every second. Here each row's static cells are
rendered once into segments and cached; a tick only formats the two countdown cells of the
rows on screen, from clock positions and one shared "now".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar
from uuid import UUID

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from desk_tui.domain.sla import ClockKind, ClockState, Countdown, Handler, SlaEngine
from desk_tui.services.views import QueueRow, SupportLine
from desk_tui.ui.formats import work_time
from desk_tui.ui.i18n import N_, _, language
from desk_tui.ui.text import clip, fit, visible

LINE_LABELS: dict[SupportLine, str] = {
    SupportLine.EERSTE_LIJN: N_("1st line"),
    SupportLine.TWEEDE_LIJN: N_("2nd line"),
    SupportLine.SPECIALIST: N_("specialist"),
    SupportLine.DERDE_LIJN: N_("3rd line"),
}
CURSOR_MARK = "▌"
NONE_MARK = "—"
HELD_MARK = "⏸"  # not in every terminal font (DejaVu Sans Mono lacks it); "‖" is a safe swap
GIVEN_MARK = "✓"


class Column(Enum):
    NUMBER = "number"
    ORGANISATION = "organisation"
    CALLER = "caller"
    SUMMARY = "summary"
    PRIORITY = "priority"
    HANDLER = "handler"
    LINE = "line"
    REACTION = "reaction"
    RESOLUTION = "resolution"


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    title: str  # msgid, translated when drawn
    width: int  # fixed width, or the minimum of a flexible column
    weight: int = 0  # share of the spare width; 0 = fixed
    right: bool = False


COLUMNS: dict[Column, ColumnSpec] = {
    Column.NUMBER: ColumnSpec(N_("Number"), 8),
    # The queue shows the organisation's short code (ENK, DRE, …): a narrow fixed column.
    Column.ORGANISATION: ColumnSpec(N_("Org."), 4),
    Column.CALLER: ColumnSpec(N_("Caller"), 10, weight=2),
    Column.SUMMARY: ColumnSpec(N_("Description"), 12, weight=5),
    Column.PRIORITY: ColumnSpec(N_("Prio"), 4),
    Column.HANDLER: ColumnSpec(N_("Handler"), 8, weight=2),
    Column.LINE: ColumnSpec(N_("Line"), 10),
    Column.REACTION: ColumnSpec(N_("Reaction"), 9, right=True),
    Column.RESOLUTION: ColumnSpec(N_("Resolution"), 9, right=True),
}
# Dropped in this order when the widget is too narrow; the countdowns always stay.
DROP_ORDER = (Column.LINE, Column.HANDLER, Column.ORGANISATION, Column.CALLER)
MAX_FLEX_WIDTH = {Column.HANDLER: 18, Column.CALLER: 24}
COUNTDOWNS = (Column.REACTION, Column.RESOLUTION)
GUTTER = 1  # the cursor mark
STATIC_CACHE_ROWS = 4096  # rendered rows kept across reloads
SEPARATOR = 1


def layout_columns(
    width: int, number_width: int, titles: Mapping[Column, str] | None = None
) -> list[tuple[Column, int]]:
    """Columns that fit in `width` cells and their widths (flexible ones share the rest).

    A column is at least as wide as its (translated) title, so no title is cut.
    """
    specs = {
        column: ColumnSpec(
            spec.title,
            max(number_width if column is Column.NUMBER else spec.width,
                cell_len(titles[column]) if titles else 0),
            spec.weight,
            spec.right,
        )
        for column, spec in COLUMNS.items()
    }  # fmt: skip
    shown = list(specs)

    def minimum(columns: Sequence[Column]) -> int:
        return GUTTER + sum(specs[c].width + SEPARATOR for c in columns) - SEPARATOR

    for column in DROP_ORDER:
        if minimum(shown) <= width:
            break
        shown.remove(column)
    widths = {column: specs[column].width for column in shown}
    spare = max(width - minimum(shown), 0)
    flexible = [column for column in shown if specs[column].weight]
    # Hand out spare cells by weight; capped columns pass their excess on to the rest.
    while spare > 0 and flexible:
        total_weight = sum(specs[c].weight for c in flexible)
        handed = 0
        for column in list(flexible):
            share = spare * specs[column].weight // total_weight
            cap = MAX_FLEX_WIDTH.get(column)
            if cap is not None and widths[column] + share >= cap:
                share = cap - widths[column]
                flexible.remove(column)
            widths[column] += share
            handed += share
        spare -= handed
        if handed == 0:  # rounding left a few cells: give them to the heaviest column
            if flexible:
                widths[max(flexible, key=lambda c: specs[c].weight)] += spare
            spare = 0
    if minimum(shown) > width and Column.SUMMARY in widths:  # very narrow: squeeze the text
        widths[Column.SUMMARY] = max(0, widths[Column.SUMMARY] - (minimum(shown) - width))
    return [(column, widths[column]) for column in shown]


def countdown_text(countdown: Countdown, *, reaction: bool) -> tuple[str, str]:
    """Text and state class of one countdown cell.

    "1:23" work time left, "-0:12" overdue, "⏸ 2:10" held while waiting, "✓" reaction
    given in time, "✓ -0:12" reaction given late.
    """
    state = countdown.state
    breached = state is ClockState.BREACHED
    remaining = countdown.remaining_s
    left = "-" + work_time(abs(remaining)) if breached else work_time(remaining)
    if countdown.running:
        return left, f"sla-{state.value}"
    if reaction:
        return (f"{GIVEN_MARK} {left}", "sla-breached") if breached else (GIVEN_MARK, "sla-ok")
    return f"{HELD_MARK} {left}", "sla-breached" if breached else "sla-paused"


def _cell_segments(
    text: str, width: int, right: bool, style: Style, padding_style: Style
) -> list[Segment]:
    """A cell's text and its padding as separate segments, so a reverse-video state (high
    contrast) marks the value, not the whole column."""
    clipped = clip(text, width)
    padding = Segment(" " * (width - cell_len(clipped)), padding_style)
    value = Segment(clipped, style)
    if not padding.text:
        return [value]
    return [padding, value] if right else [value, padding]


class CallQueue(ScrollView, can_focus=True):
    """Open calls with their reaction and resolution countdowns; the caller sorts and filters.

    Give it an `engine` before the first tick; feed it with `set_rows()` when the list
    changes and `set_now()` once per tick.
    """

    DEFAULT_CSS = """
    CallQueue {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        overflow-y: auto;
        & > .call-queue--header {
            background: $desk-header-background;
            color: $desk-muted;
            text-style: bold;
        }
        & > .call-queue--cursor {
            background: $desk-cursor-blurred-background;
            color: $desk-cursor-blurred-foreground;
            text-style: $desk-cursor-blurred-text-style;
        }
        &:focus > .call-queue--cursor {
            background: $desk-cursor-background;
            color: $desk-cursor-foreground;
            text-style: $desk-cursor-text-style;
        }
        & > .call-queue--cursor-mark { color: $primary; }
        & > .call-queue--muted { color: $desk-muted; }
        & > .call-queue--p1 { color: $priority-1; text-style: $priority-1-text-style; }
        & > .call-queue--p2 { color: $priority-2; }
        & > .call-queue--p3 { color: $priority-3; }
        & > .call-queue--p4 { color: $priority-4; }
        & > .call-queue--p5 { color: $priority-5; }
        & > .call-queue--sla-ok { color: $sla-ok; }
        & > .call-queue--sla-warning { color: $sla-warning; text-style: bold; }
        & > .call-queue--sla-breached {
            color: $sla-breached;
            text-style: $sla-breached-text-style;
        }
        & > .call-queue--sla-paused { color: $sla-paused; }
    }
    """

    STYLE_NAMES: ClassVar[tuple[str, ...]] = (
        "header", "cursor", "cursor-mark", "muted",
        "p1", "p2", "p3", "p4", "p5",
        "sla-ok", "sla-warning", "sla-breached", "sla-paused",
    )  # fmt: skip
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"call-queue--{name}" for name in STYLE_NAMES}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_by(-1)", "Up", show=False, id="call-queue.cursor-up"),
        Binding("down", "cursor_by(1)", "Down", show=False, id="call-queue.cursor-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="call-queue.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="call-queue.page-down"),
        Binding("home", "cursor_to(0)", "First", show=False, id="call-queue.first"),
        Binding("end", "cursor_to(-1)", "Last", show=False, id="call-queue.last"),
        Binding("enter", "select", "Open", show=False, id="call-queue.open"),
    ]

    cursor_row: reactive[int] = reactive(0, repaint=False)

    class Highlighted(Message):
        """The cursor moved to another call (None when the queue became empty)."""

        def __init__(self, queue: CallQueue, row: QueueRow | None, cursor_row: int) -> None:
            super().__init__()
            self.queue = queue
            self.row = row
            self.cursor_row = cursor_row

        @property
        def control(self) -> CallQueue:
            return self.queue

    class Selected(Message):
        """Enter (or a click on the highlighted row) on a call."""

        def __init__(self, queue: CallQueue, row: QueueRow) -> None:
            super().__init__()
            self.queue = queue
            self.row = row

        @property
        def control(self) -> CallQueue:
            return self.queue

    def __init__(
        self,
        engine: SlaEngine | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        # Set before the first tick; the screen composes the widget before it has one.
        self.engine = engine
        self._rows: list[QueueRow] = []
        self._loaded = False  # "No open calls" only once rows have been set
        self._positions: Mapping[ClockKind, float] | None = None
        self._number_width = COLUMNS[Column.NUMBER].width
        # What a row shows besides its countdowns, with width, theme, language and cursor
        # state → its segments. Keyed by content, not by call: a reload or a filter change
        # draws the calls it had drawn before from here, and a changed call gets a new entry.
        self._static: dict[tuple[object, ...], tuple[list[Segment], int]] = {}
        self._layout: tuple[tuple[int, str, int], list[tuple[Column, int]]] | None = None
        self._styles: dict[str, Style] | None = None
        self._highlighted_id: UUID | None = None
        # Each call's countdown cells as last drawn: a tick redraws only rows that differ.
        self._drawn: dict[UUID, tuple[tuple[str, str], tuple[str, str]]] = {}
        # The last read failed: an empty queue is not "no open calls", it is unknown.
        self._unreadable = False

    # -- data in -------------------------------------------------------------------------
    @property
    def rows(self) -> Sequence[QueueRow]:
        return self._rows

    @property
    def selected_row(self) -> QueueRow | None:
        """The call under the cursor, or None when the queue is empty."""
        if not self._rows:
            return None
        return self._rows[self.cursor_row]

    def set_unreadable(self, unreadable: bool) -> None:
        """The queue could not be read (a damaged database, a lost server): say that
        where "No open calls" would stand, until a read succeeds again."""
        if unreadable != self._unreadable:
            self._unreadable = unreadable
            self.refresh()

    def set_rows(self, rows: Sequence[QueueRow]) -> None:
        """Show `rows` in the given order; the cursor stays on the same call if it is there."""
        self._unreadable = False
        current = self.selected_row
        self._loaded = True
        self._rows = list(rows)
        longest = max((cell_len(visible(row.number)) for row in self._rows), default=0)
        number_width = min(max(longest, COLUMNS[Column.NUMBER].width), 16)
        if number_width != self._number_width or len(self._static) > STATIC_CACHE_ROWS:
            self._static.clear()  # other column widths, or calls long gone
        self._number_width = number_width
        self._drawn.clear()
        self.virtual_size = Size(0, len(self._rows) + 1)
        index = self.cursor_row
        if current is not None:
            index = next((i for i, row in enumerate(self._rows) if row.id == current.id), index)
        self._move_cursor(index, force_message=True)
        self.refresh()

    def set_now(self, positions: Mapping[ClockKind, float]) -> None:
        """The tick: `engine.now_positions(now)`, shared by every row on screen.

        Countdowns show minutes, so most ticks change no cell: only the rows on screen whose
        countdown text or state changed are drawn again (none outside working hours)."""
        self._positions = positions
        top = round(self.scroll_y)
        shown = range(top, min(top + self._body_height, len(self._rows)))
        drawn = self._drawn
        changed = [index for index in shown
                   if drawn.get(self._rows[index].id) != self._countdown_cells(self._rows[index])]
        if len(changed) * 2 > len(shown):
            self.refresh()
        else:
            for index in changed:
                self._refresh_row(index)

    # -- cursor ----------------------------------------------------------------------------
    def validate_cursor_row(self, row: int) -> int:
        return min(max(row, 0), max(len(self._rows) - 1, 0))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        self._announce_highlight()

    def _move_cursor(self, index: int, *, force_message: bool = False) -> None:
        before = self.cursor_row
        self.cursor_row = index
        if self.cursor_row == before and force_message:
            self._scroll_cursor_into_view()
            self._announce_highlight()

    def _announce_highlight(self) -> None:
        row = self.selected_row
        row_id = None if row is None else row.id
        if row_id != self._highlighted_id:
            self._highlighted_id = row_id
            self.post_message(self.Highlighted(self, row, self.cursor_row))

    @property
    def _body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_y)
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + self._body_height:
            self.scroll_to(y=row - self._body_height + 1, animate=False)

    def _refresh_row(self, index: int) -> None:
        self.refresh_line(index + 1)

    def action_cursor_by(self, delta: int) -> None:
        self._move_cursor(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self._move_cursor(self.cursor_row + direction * self._body_height)

    def action_cursor_to(self, index: int) -> None:
        self._move_cursor(index if index >= 0 else len(self._rows) + index)

    def action_select(self) -> None:
        row = self.selected_row
        if row is not None:
            self.post_message(self.Selected(self, row))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = round(self.scroll_y) + event.y - 1
        if 0 <= index < len(self._rows):
            if index == self.cursor_row:
                self.action_select()
            else:
                self._move_cursor(index)

    # -- cache invalidation ----------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._static.clear()

    def on_resize(self) -> None:
        self._static.clear()
        self._scroll_cursor_into_view()

    def on_focus(self) -> None:
        self._refresh_row(self.cursor_row)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor_row)

    # -- rendering -------------------------------------------------------------------------
    def _style_map(self) -> dict[str, Style]:
        """Rich styles of every component class, over the widget's own style."""
        if self._styles is None:
            base = self.rich_style
            get = self.get_component_rich_style
            partial = {name: get(f"call-queue--{name}", partial=True) for name in self.STYLE_NAMES}
            self._styles = {name: base + style for name, style in partial.items()}
            self._styles["base"] = base
            # Laid over a coloured cell: a theme may keep the cell's colour on the cursor row.
            self._styles["cursor-over"] = partial["cursor"]
        return self._styles

    def _columns(self, width: int) -> list[tuple[Column, int]]:
        key = (width, language(), self._number_width)
        if self._layout is None or self._layout[0] != key:
            titles = {column: _(spec.title) for column, spec in COLUMNS.items()}
            # One cell stays free on the right, matching the cursor mark's on the left.
            self._layout = (key, layout_columns(width - GUTTER, self._number_width, titles))
        return self._layout[1]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        styles = self._style_map()
        if y == 0:
            strip = self._header_strip(width, styles)
        else:
            index = round(self.scroll_y) + y - 1
            if 0 <= index < len(self._rows):
                strip = self._row_strip(index, width, styles)
            elif index == 0 and self._unreadable:
                strip = Strip([Segment(fit("  " + _(
                    "The queue could not be read; desk tries again (r: now)"), width),
                    styles["muted"])])
            elif index == 0 and self._loaded:
                strip = Strip([Segment(fit("  " + _("No open calls"), width), styles["muted"])])
            else:
                return Strip.blank(width, styles["base"])
        if strip.cell_length != width:  # only when the widget is too narrow for the columns
            strip = strip.crop_extend(0, width, styles["base"])
        return strip

    def _header_strip(self, width: int, styles: dict[str, Style]) -> Strip:
        style = styles["header"]
        segments = [Segment(" " * GUTTER, style)]
        for column, column_width in self._columns(width):
            spec = COLUMNS[column]
            if len(segments) > 1:
                segments.append(Segment(" " * SEPARATOR, style))
            title = fit(_(spec.title), column_width, "right" if spec.right else "left")
            segments.append(Segment(title, style))
        length = sum(cell_len(segment.text) for segment in segments)
        # The header band spans the full width, past the last column.
        segments.append(Segment(" " * max(width - length, 0), style))
        return Strip(segments, max(width, length))

    def _row_strip(self, index: int, width: int, styles: dict[str, Style]) -> Strip:
        row = self._rows[index]
        cursor_state = 0 if index != self.cursor_row else 2 if self.has_focus else 1
        key = (row.number, row.organisation, row.caller, row.summary, row.priority, row.handler,
               row.handled_by, row.line, width, self.app.theme, language(), cursor_state)
        cached = self._static.get(key)
        if cached is None:
            cached = self._static[key] = self._static_segments(row, width, styles, cursor_state)
        segments, length = cached
        segments = list(segments)
        cursor = styles["cursor"] if cursor_state else None
        plain = cursor or styles["base"]
        columns = self._columns(width)
        cells = self._drawn[row.id] = self._countdown_cells(row)
        for (_column, column_width), (text, state) in zip(columns[-2:], cells, strict=True):
            style = styles[state] if cursor is None else styles[state] + styles["cursor-over"]
            segments.append(Segment(" " * SEPARATOR, plain))
            segments.extend(_cell_segments(text, column_width, True, style, plain))
            length += SEPARATOR + column_width
        if length < width:  # the rest of the line; the cursor band spans it too
            segments.append(Segment(" " * (width - length), plain))
        return Strip(segments, max(width, length))

    def _countdown_cells(self, row: QueueRow) -> tuple[tuple[str, str], tuple[str, str]]:
        """Text and style name of the reaction and resolution cells at the last tick."""
        reaction, resolution = self._countdowns(row)
        empty = ("" if self._positions is None else NONE_MARK, "muted")
        return (
            empty if reaction is None else countdown_text(reaction, reaction=True),
            empty if resolution is None else countdown_text(resolution, reaction=False),
        )

    def _countdowns(self, row: QueueRow) -> tuple[Countdown | None, Countdown | None]:
        positions = self._positions
        engine = self.engine
        if positions is None or engine is None:
            return None, None
        if row.resolution is None:
            return engine.countdowns((row.reaction,), positions)[0], None
        reaction, resolution = engine.countdowns((row.reaction, row.resolution), positions)
        return reaction, resolution

    def _static_segments(
        self, row: QueueRow, width: int, styles: dict[str, Style], cursor_state: int
    ) -> tuple[list[Segment], int]:
        """Segments of every cell but the countdowns; user text goes in as plain text."""
        cursor = styles["cursor"] if cursor_state else None

        def style_of(name: str) -> Style:
            return styles[name] if cursor is None else styles[name] + styles["cursor-over"]

        plain = cursor or styles["base"]
        mark = CURSOR_MARK if cursor_state == 2 else " "
        segments = [Segment(mark, style_of("cursor-mark"))]
        length = GUTTER
        for column, column_width in self._columns(width):
            if column in COUNTDOWNS:
                continue
            if length > GUTTER:
                segments.append(Segment(" " * SEPARATOR, plain))
                length += SEPARATOR
            text, style_name = self._cell(row, column)
            spec = COLUMNS[column]
            style = plain if style_name is None else style_of(style_name)
            segments.extend(_cell_segments(text, column_width, spec.right, style, plain))
            length += column_width
        return segments, length

    @staticmethod
    def _cell(row: QueueRow, column: Column) -> tuple[str, str | None]:
        """Text and style class of one static cell."""
        if column is Column.NUMBER:
            return visible(row.number), None
        if column is Column.ORGANISATION:
            # A crisis call (its municipality at GRIP 3+) carries the breached colour.
            return visible(row.organisation), "sla-breached" if row.crisis else None
        if column is Column.CALLER:
            return visible(row.caller), None
        if column is Column.SUMMARY:
            return visible(row.summary), None
        if column is Column.PRIORITY:
            if row.priority is None:
                return NONE_MARK, "muted"
            return f"P{row.priority}", f"p{row.priority}"
        if column is Column.HANDLER:
            if row.handler:
                return visible(row.handler), None
            if row.handled_by is Handler.ON_CALL:
                return _("on call"), "muted"
            return NONE_MARK, "muted"
        if column is Column.LINE:
            return _(LINE_LABELS.get(row.line, row.line.value)), None
        raise ValueError(f"{column} is drawn per tick")
