"""Snapshots of the two widgets in the dark and light themes (fixed size, fixed time)."""

import pytest
from textual.containers import Horizontal

from desk_tui.domain.classification import CallType, Level
from desk_tui.ui.widgets.call_queue import CallQueue
from desk_tui.ui.widgets.priority_picker import PriorityPicker
from tests.ui.conftest import NOW, SIZE, H, WidgetApp, sample_rows, sla_engine

THEMES = ["desk-dark", "desk-light"]


def due_times(impact: Level, urgency: Level):
    plan = sla_engine().plan_call(NOW, CallType.STORING, impact, urgency)
    return plan.reaction_due, plan.resolution_due


@pytest.mark.parametrize("theme", THEMES)
def test_priority_picker(snap_compare, theme):
    picker = PriorityPicker(due_times=due_times)
    app = WidgetApp(Horizontal(picker), theme=theme)

    async def choose(pilot):
        picker.focus()
        picker.suggest_urgency(H)
        await pilot.press("2")  # impact midden, urgency hoog suggested: P2

    assert snap_compare(app, terminal_size=SIZE, run_before=choose)


@pytest.mark.parametrize("theme", THEMES)
def test_call_queue(snap_compare, theme):
    engine = sla_engine()
    queue = CallQueue(engine)
    app = WidgetApp(queue, theme=theme)

    async def load(pilot):
        queue.set_rows(sample_rows())
        queue.set_now(engine.now_positions(NOW))
        queue.focus()
        await pilot.press("down")

    assert snap_compare(app, terminal_size=SIZE, run_before=load)
