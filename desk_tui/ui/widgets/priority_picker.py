"""The SLA's impact × urgency matrix as a keyboard picker that shows the priority live.

At intake the operator decides the priority together with the caller: two digits (impact,
then urgency) or the arrow keys, and the resulting priority and due times are on screen at
once. Urgency can be pre-selected from the category without counting as the user's choice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from desk_tui.domain.classification import Level
from desk_tui.domain.priority import priority_for
from desk_tui.ui.formats import short_datetime
from desk_tui.ui.i18n import N_, _
from desk_tui.ui.text import fit

DueTimes = Callable[[Level, Level], tuple[datetime, datetime | None]]
"""(impact, urgency) → (reaction due, resolution due or None), e.g. via SlaEngine.plan_call."""

LEVELS: tuple[Level, ...] = (Level.LAAG, Level.MIDDEN, Level.HOOG)
LEVEL_LABELS: dict[Level, str] = {
    Level.LAAG: N_("low"),
    Level.MIDDEN: N_("medium"),
    Level.HOOG: N_("high"),
}
CELL_WIDTH = 8
BLOCK_WIDTH = 6


class Axis(StrEnum):
    """Which of the two choices the digit keys set."""

    IMPACT = "impact"
    URGENCY = "urgency"


def _step(level: Level | None, delta: int) -> Level:
    """The next level in `delta`'s direction; from none, enter at the near edge."""
    if level is None:
        return LEVELS[0] if delta > 0 else LEVELS[-1]
    index = min(max(LEVELS.index(level) + delta, 0), len(LEVELS) - 1)
    return LEVELS[index]


class PriorityPicker(Widget, can_focus=True):
    """Impact (rows) × urgency (columns) → priority, with the due times of the choice."""

    DEFAULT_CSS = """
    PriorityPicker {
        width: auto;
        height: auto;
        padding: 0 1;
        background: $surface;
        border: round $border-blurred;
        &:focus {
            border: round $border;
        }
        /* No reverse for P1 here: in the matrix a block means "chosen". */
        & > .priority-picker--p1 { color: $priority-1; text-style: bold; }
        & > .priority-picker--p2 { color: $priority-2; }
        & > .priority-picker--p3 { color: $priority-3; }
        & > .priority-picker--p4 { color: $priority-4; }
        & > .priority-picker--p5 { color: $priority-5; }
        & > .priority-picker--chosen-cell { text-style: bold reverse; }
        & > .priority-picker--label { color: $desk-muted; }
        & > .priority-picker--chosen-label { color: $foreground; text-style: bold; }
        & > .priority-picker--axis { color: $desk-muted; text-style: bold; }
        & > .priority-picker--axis-active { color: $accent; text-style: bold reverse; }
        & > .priority-picker--value { color: $foreground; text-style: bold; }
        & > .priority-picker--hint { color: $desk-muted; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "priority-picker--p1",
        "priority-picker--p2",
        "priority-picker--p3",
        "priority-picker--p4",
        "priority-picker--p5",
        "priority-picker--chosen-cell",
        "priority-picker--label",
        "priority-picker--chosen-label",
        "priority-picker--axis",
        "priority-picker--axis-active",
        "priority-picker--value",
        "priority-picker--hint",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move_impact(-1)", "Impact", show=False, id="priority-picker.impact-up"),
        Binding("down", "move_impact(1)", "Impact", show=False, id="priority-picker.impact-down"),
        Binding(
            "left", "move_urgency(-1)", "Urgency", show=False, id="priority-picker.urgency-left"
        ),
        Binding(
            "right", "move_urgency(1)", "Urgency", show=False, id="priority-picker.urgency-right"
        ),
        Binding("1", "choose('laag')", "Low", show=False, id="priority-picker.low"),
        Binding("2", "choose('midden')", "Medium", show=False, id="priority-picker.medium"),
        Binding("3", "choose('hoog')", "High", show=False, id="priority-picker.high"),
        Binding("i", "axis('impact')", "Impact", show=False, id="priority-picker.axis-impact"),
        Binding("u", "axis('urgency')", "Urgency", show=False, id="priority-picker.axis-urgency"),
    ]

    # init=False: mounting is not a change, so it posts no Changed message.
    impact: reactive[Level | None] = reactive(None, init=False)
    urgency: reactive[Level | None] = reactive(None, init=False)
    urgency_suggested: reactive[bool] = reactive(False, init=False)
    """True while the urgency is the category's suggestion, not the operator's choice."""
    active_axis: reactive[Axis] = reactive(Axis.IMPACT)

    class Changed(Message):
        """Impact, urgency or whether the urgency is only suggested changed."""

        def __init__(
            self,
            picker: PriorityPicker,
            impact: Level | None,
            urgency: Level | None,
            priority: int | None,
            urgency_suggested: bool = False,
        ) -> None:
            super().__init__()
            self.picker = picker
            self.impact = impact
            self.urgency = urgency
            self.priority = priority
            self.urgency_suggested = urgency_suggested

        @property
        def control(self) -> PriorityPicker:
            return self.picker

    def __init__(
        self,
        *,
        due_times: DueTimes | None = None,
        impact: Level | None = None,
        urgency: Level | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._due_times = due_times
        self._change_pending = False
        self.set_reactive(PriorityPicker.impact, impact)
        self.set_reactive(PriorityPicker.urgency, urgency)
        if impact is not None:
            self.set_reactive(PriorityPicker.active_axis, Axis.URGENCY)

    # -- public API -------------------------------------------------------------------
    @property
    def priority(self) -> int | None:
        """The SLA priority of the chosen cell, or None until both are chosen."""
        if self.impact is None or self.urgency is None:
            return None
        return priority_for(self.impact, self.urgency)

    @property
    def due_times(self) -> DueTimes | None:
        return self._due_times

    @due_times.setter
    def due_times(self, due_times: DueTimes | None) -> None:
        self._due_times = due_times
        self.refresh(layout=True)

    def suggest_urgency(self, level: Level | None) -> bool:
        """Pre-select the category's urgency unless the operator already chose one."""
        if self.urgency is not None and not self.urgency_suggested:
            return False
        self.urgency = level
        self.urgency_suggested = level is not None
        return True

    def reset(self) -> None:
        """Back to nothing chosen, digits setting impact (for the next call)."""
        self.impact = None
        self.urgency = None
        self.urgency_suggested = False
        self.active_axis = Axis.IMPACT

    # -- actions ------------------------------------------------------------------------
    def action_move_impact(self, delta: int) -> None:
        self._choose_impact(_step(self.impact, delta))

    def action_move_urgency(self, delta: int) -> None:
        self._choose_urgency(_step(self.urgency, delta))

    def action_choose(self, level: str) -> None:
        """A digit: set the active axis; impact first, then urgency."""
        if self.active_axis is Axis.IMPACT:
            self._choose_impact(Level(level))
        else:
            self._choose_urgency(Level(level))

    def action_axis(self, axis: str) -> None:
        self.active_axis = Axis(axis)

    def _choose_impact(self, level: Level) -> None:
        self.impact = level
        self.active_axis = Axis.URGENCY

    def _choose_urgency(self, level: Level) -> None:
        self.urgency = level
        self.urgency_suggested = False

    # -- change notification: one Changed per batch of updates --------------------------
    def watch_impact(self) -> None:
        self._schedule_changed()

    def watch_urgency(self) -> None:
        self._schedule_changed()

    def watch_urgency_suggested(self) -> None:
        self._schedule_changed()

    def _schedule_changed(self) -> None:
        if not self._change_pending:
            self._change_pending = True
            self.call_next(self._post_changed)

    def _post_changed(self) -> None:
        self._change_pending = False
        self.post_message(
            self.Changed(self, self.impact, self.urgency, self.priority, self.urgency_suggested)
        )

    # -- rendering ----------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"priority-picker--{name}", partial=True)

    def render(self) -> Text:
        """The matrix, the result and a key hint; user text never appears here."""
        label = self._style("label")
        chosen_label = self._style("chosen-label")
        value = self._style("value")
        hint = self._style("hint")
        levels = {level: _(LEVEL_LABELS[level]) for level in LEVELS}
        result_titles = (_("Priority"), _("Reaction"), _("Resolution"))
        gutter = max(cell_len(text) for text in (*levels.values(), _("Impact"))) + 3
        title_width = max(cell_len(text) for text in result_titles) + 2

        text = Text(no_wrap=True, end="")
        text.append(" " * (gutter - 1))
        self._append_axis(text, Axis.URGENCY, _("Urgency"))
        text.append("\n")
        self._append_axis(text, Axis.IMPACT, _("Impact"))
        text.append(" " * (gutter - cell_len(_("Impact")) - 2))
        for urgency in LEVELS:
            style = chosen_label if urgency is self.urgency else label
            text.append(fit(levels[urgency], CELL_WIDTH, "center"), style)
        text.append("\n")
        for impact in LEVELS:
            marker = "▸ " if impact is self.impact else "  "
            style = chosen_label if impact is self.impact else label
            text.append(fit(f"{marker}{levels[impact]}", gutter), style)
            for urgency in LEVELS:
                priority = priority_for(impact, urgency)
                cell_style = self._style(f"p{priority}")
                if impact is self.impact and urgency is self.urgency:
                    cell_style += self._style("chosen-cell")
                text.append(" " * ((CELL_WIDTH - BLOCK_WIDTH) // 2))
                text.append(fit(f"P{priority}", BLOCK_WIDTH, "center"), cell_style)
                text.append(" " * (CELL_WIDTH - BLOCK_WIDTH - (CELL_WIDTH - BLOCK_WIDTH) // 2))
            text.append("\n")
        text.append("\n")

        priority = self.priority
        text.append(fit(result_titles[0], title_width), label)
        if priority is None:
            text.append("—", label)
        else:
            text.append(f"P{priority}", self._style(f"p{priority}") + Style(bold=True))
        if self.urgency_suggested:
            text.append(f"  ({_('urgency suggested')})", hint)
        text.append("\n")
        reaction_due, resolution_due = self._dues()
        for title, due in zip(result_titles[1:], (reaction_due, resolution_due), strict=True):
            text.append(fit(title, title_width), label)
            if due is None:
                text.append("—", label)
            else:
                text.append(short_datetime(due), value)
            text.append("\n")
        axis_name = _("Impact") if self.active_axis is Axis.IMPACT else _("Urgency")
        text.append(_("1 2 3 set"), hint)
        text.append(" ")
        text.append(f" {axis_name} ", self._style("axis-active"))
        text.append("  " + _("arrows move"), hint)
        return text

    def _append_axis(self, text: Text, axis: Axis, title: str) -> None:
        """An axis title; the one the digits set is drawn as a block."""
        active = axis is self.active_axis
        text.append(f" {title} ", self._style("axis-active" if active else "axis"))

    def _dues(self) -> tuple[datetime | None, datetime | None]:
        if self._due_times is None or self.impact is None or self.urgency is None:
            return None, None
        return self._due_times(self.impact, self.urgency)
