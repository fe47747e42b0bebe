"""The priority picker: keys, the SLA matrix, suggested urgency, messages and due times."""

import pytest

from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.priority import PRIORITY_MATRIX, suggested_urgency
from desk_tui.ui import i18n
from desk_tui.ui.widgets.priority_picker import Axis, PriorityPicker
from tests.ui.conftest import SIZE, H, L, M, WidgetApp, ams, sla_engine

DIGIT = {L: "1", M: "2", H: "3"}
FRIDAY_LATE = ams("2026-11-27 16:50")  # the SPEC's worked example


def due_times(impact: Level, urgency: Level):
    plan = sla_engine().plan_call(FRIDAY_LATE, CallType.STORING, impact, urgency)
    return plan.reaction_due, plan.resolution_due


def shown(picker: PriorityPicker) -> str:
    return picker.render().plain


async def picker_app(**kwargs) -> tuple[WidgetApp, PriorityPicker]:
    picker = PriorityPicker(**kwargs)
    return WidgetApp(picker), picker


@pytest.mark.parametrize(("impact", "urgency"), list(PRIORITY_MATRIX))
async def test_two_digits_give_the_slas_priority_for_every_cell(impact, urgency):
    app, picker = await picker_app()
    async with app.run_test(size=SIZE) as pilot:
        picker.focus()
        await pilot.press(DIGIT[impact], DIGIT[urgency])
        assert (picker.impact, picker.urgency) == (impact, urgency)
        assert picker.priority == PRIORITY_MATRIX[(impact, urgency)]
        assert app.of_type(PriorityPicker.Changed)[-1].priority == picker.priority


async def test_the_first_digit_sets_impact_then_digits_set_urgency():
    app, picker = await picker_app()
    async with app.run_test(size=SIZE) as pilot:
        picker.focus()
        assert picker.active_axis is Axis.IMPACT
        await pilot.press("2")
        assert (picker.impact, picker.urgency, picker.active_axis) == (M, None, Axis.URGENCY)
        await pilot.press("3")
        assert (picker.impact, picker.urgency, picker.active_axis) == (M, H, Axis.URGENCY)
        await pilot.press("1")  # still urgency: the operator corrects it
        assert (picker.impact, picker.urgency) == (M, L)
        await pilot.press("i", "3")  # back to impact on request
        assert (picker.impact, picker.urgency, picker.active_axis) == (H, L, Axis.URGENCY)


async def test_the_active_axis_is_shown():
    app, picker = await picker_app()
    async with app.run_test(size=SIZE) as pilot:
        picker.focus()
        assert shown(picker).splitlines()[-1].startswith("1 2 3 kiest  Impact")
        await pilot.press("1")
        assert shown(picker).splitlines()[-1].startswith("1 2 3 kiest  Urgentie")


async def test_arrows_move_through_the_matrix_and_stop_at_its_edges():
    app, picker = await picker_app()
    async with app.run_test(size=SIZE) as pilot:
        picker.focus()
        await pilot.press("down")  # from nothing, down enters at the first row
        assert picker.impact is L
        await pilot.press("down", "down", "down")
        assert picker.impact is H
        await pilot.press("up")
        assert picker.impact is M
        await pilot.press("left")  # from nothing, left enters at the last column
        assert picker.urgency is H
        await pilot.press("left", "left", "left")
        assert picker.urgency is L
        await pilot.press("right")
        assert (picker.impact, picker.urgency, picker.priority) == (M, M, 3)


async def test_a_suggested_urgency_is_preselected_but_not_the_operators_choice():
    app, picker = await picker_app()
    async with app.run_test(size=SIZE) as pilot:
        picker.focus()
        assert picker.suggest_urgency(suggested_urgency("Telefonie"))
        await pilot.pause()
        assert (picker.urgency, picker.urgency_suggested) == (H, True)
        assert picker.active_axis is Axis.IMPACT  # the first digit still sets impact
        assert "Prioriteit  —  (urgentie voorgesteld)" in shown(picker)
        await pilot.press("2")
        assert (picker.impact, picker.priority) == (M, 2)
        assert "Prioriteit  P2  (urgentie voorgesteld)" in shown(picker)
        assert picker.suggest_urgency(L)  # another category: another suggestion
        await pilot.press("3")  # the operator decides
        assert (picker.urgency, picker.urgency_suggested) == (H, False)
        assert "voorgesteld" not in shown(picker)
        assert not picker.suggest_urgency(L)  # never overrides the operator
        assert picker.urgency is H


async def test_every_change_posts_one_changed_message():
    app, picker = await picker_app()
    async with app.run_test(size=SIZE) as pilot:
        picker.focus()
        picker.suggest_urgency(M)
        await pilot.pause()
        await pilot.press("3", "3")
        changes = [
            (m.impact, m.urgency, m.priority, m.urgency_suggested)
            for m in app.of_type(PriorityPicker.Changed)
        ]
        assert changes == [(None, M, None, True), (H, M, 2, True), (H, H, 1, False)]
        assert all(m.control is picker for m in app.of_type(PriorityPicker.Changed))
        await pilot.press("3")  # no change, no message
        assert len(app.of_type(PriorityPicker.Changed)) == 3


async def test_the_due_times_follow_the_choice_live():
    app, picker = await picker_app(due_times=due_times)
    async with app.run_test(size=SIZE) as pilot:
        picker.focus()
        assert "Reactie     —" in shown(picker)
        await pilot.press("3", "3")
        text = shown(picker)
        assert "Prioriteit  P1" in text
        assert "Reactie     ma 30 nov 08:05" in text
        assert "Oplossing   ma 30 nov 11:50" in text
        await pilot.press("1")  # hoog × laag: P3, 3 days of 9-hour service days
        assert "Oplossing   wo 2 dec 13:50" in shown(picker)


async def test_labels_switch_to_english():
    i18n.set_language("en")
    app, picker = await picker_app(due_times=due_times, impact=H, urgency=H)
    async with app.run_test(size=SIZE):
        text = shown(picker)
        for label in ("Urgency", "Impact", "low", "medium", "high", "Priority", "Reaction"):
            assert label in text
        assert "Resolution  Mon 30 Nov 11:50" in text


async def test_reset_clears_the_choice_for_the_next_call():
    app, picker = await picker_app(impact=H, urgency=L)
    async with app.run_test(size=SIZE) as pilot:
        assert picker.priority == 3
        picker.reset()
        await pilot.pause()
        assert (picker.impact, picker.urgency, picker.priority) == (None, None, None)
        assert picker.active_axis is Axis.IMPACT
        assert app.of_type(PriorityPicker.Changed)[-1].priority is None
