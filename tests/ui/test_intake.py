"""Intake as an operator on the phone does it: keys in, call stored with the right
priority and due times; failures keep what was typed."""

from __future__ import annotations

from sqlalchemy import select

from desk_tui.store.engine import read_session
from desk_tui.store.models import Call, CallCi, Person
from desk_tui.ui.screens.intake import IntakeScreen
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from desk_tui.ui.widgets.priority_picker import PriorityPicker
from tests.ui.app_harness import (
    APP_SIZE,
    make_test_app,
    wait_for,
)
from tests.world import at


def stored_calls(world) -> list[Call]:
    with read_session(world.db) as session:
        return list(session.execute(select(Call)).scalars())


async def open_intake(app, pilot) -> IntakeScreen:
    await wait_for(pilot, lambda: app.desk is not None and isinstance(app.screen, QueueScreen)
                   and bool(app.screen.query(CallQueue)))
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
    screen = app.screen
    await wait_for(pilot, lambda: screen.query_one("#categories").option_count > 0)
    return screen


async def choose_caller(pilot, screen, typed: str = "jans") -> None:
    await pilot.press(*typed)
    await wait_for(pilot, lambda: not screen.query_one("#caller-hits").has_class("empty"))
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.state.caller is not None)


async def test_a_standard_call_takes_few_keys_after_the_caller(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_intake(app, pilot)
        await choose_caller(pilot, screen)
        keys = ["enter", "h", "enter", "2", "enter"]  # type, category, impact
        await pilot.press(*keys)
        picker = screen.query_one(PriorityPicker)
        assert (picker.impact, picker.urgency, picker.priority) == ("midden", "midden", 3)
        await pilot.press(*"Scanner werkt niet")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        assert len(keys) + 1 <= 10  # the key budget, text not counted
    [call] = stored_calls(ui_world)
    assert call.subject == "Scanner werkt niet" and call.priority == 3
    assert call.category_id == ui_world.category.id and call.caller_id == ui_world.caller.id
    # Registered Monday 10:00 (frozen clock): P3 reaction 0.5 h, midden × midden 3 days.
    assert call.reaction_due == at("2026-11-30 10:30")
    assert call.resolution_due == at("2026-12-02 16:00")


async def test_picker_shows_priority_live_with_arrows(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_intake(app, pilot)
        await choose_caller(pilot, screen)
        await pilot.press("enter", "enter")  # type, first category
        picker = screen.query_one(PriorityPicker)
        assert app.focused is picker
        await pilot.press("3", "3")
        assert picker.priority == 1
        assert "ma 30 nov 10:15" in picker.render().plain  # P1 reaction due, live


async def test_a_failed_save_keeps_what_was_typed_and_says_why(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press("ctrl+s")  # nothing chosen yet
        error = screen.query_one("#intake-error")
        assert "kies eerst de melder" in str(error.render()).lower()
        await choose_caller(pilot, screen)
        await pilot.press("enter", "enter", "2", "2", "enter")
        subject = screen.query_one("#subject")
        subject.value = "[bold]x[/] " + "y" * 10  # markup-looking text stays literal
        screen.query_one("#description").text = "z" * 20_001  # too long for the service
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not screen.query_one("#intake-error").has_class("empty")
                       and "20.000" in str(screen.query_one("#intake-error").render()))
        assert isinstance(app.screen, IntakeScreen)
        assert subject.value == "[bold]x[/] yyyyyyyyyy"
        assert app.focused is screen.query_one("#description")
        assert stored_calls(ui_world) == []
        screen.query_one("#description").text = "Kort"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
    [call] = stored_calls(ui_world)
    assert call.subject == "[bold]x[/] yyyyyyyyyy"


async def test_link_a_ci_at_intake(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_intake(app, pilot)
        await choose_caller(pilot, screen)
        await pilot.press("enter", "enter", "1", "enter", *"Muis", "enter", "tab")
        assert app.focused is screen.query_one("#ci")
        await pilot.press(*"ws-0042")
        await wait_for(pilot, lambda: not screen.query_one("#ci-hits").has_class("empty"))
        await pilot.press("enter", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
    [call] = stored_calls(ui_world)
    with read_session(ui_world.db) as session:
        [link] = session.execute(select(CallCi)).scalars()
    assert link.call_id == call.id and link.ci_id == ui_world.workstation.id


async def test_an_unknown_caller_is_registered_on_the_spot(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Fatima El Amrani", "f3")
        await wait_for(pilot, lambda: app.screen is not screen)
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.query_one("#new-organisation").option_count == 2)
        await pilot.press("enter", *"0228-350000", "enter", *"f.elamrani@example.org", "enter")
        await pilot.press("down")  # Drechterland is first: move to Enkhuizen
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and screen.state.caller is not None)
        assert screen.state.caller.name == "Fatima El Amrani"
        assert screen.state.caller.organisation == "ENK"
    with read_session(ui_world.db) as session:
        person = session.execute(
            select(Person).where(Person.name == "Fatima El Amrani")
        ).scalar_one()
    assert person.phone == "0228-350000" and person.organisation_id == ui_world.organisation.id


async def test_escape_twice_discards_a_typed_call(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"jan", "escape")
        assert app.screen is screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))


async def test_letters_typed_right_behind_n_go_into_the_caller_field(ui_world, clock):
    """A fast typist's "njans" arrives in one read: no letter may be lost on the way to the
    caller field while intake is still being built."""
    from textual import events
    from textual.widgets import Input

    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None and isinstance(app.screen, QueueScreen)
                       and bool(app.screen.query(CallQueue)))
        for character in "njans":
            app.post_message(events.Key(character, character))
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen)
                       and bool(app.screen.query("#caller")))  # composed, on a slow machine
        screen = app.screen
        field = screen.query_one("#caller", Input)
        await wait_for(pilot, lambda: field.value == "jans")
        assert app.focused is field
        await wait_for(pilot, lambda: not screen.query_one("#caller-hits").has_class("empty"))


async def test_at_80_columns_the_fields_keep_room(ui_world, clock):
    """On an 80-column terminal the picker's column narrows so a caller hit fits on two
    lines and the fields are not a sliver beside it."""
    from textual.widgets import Input

    from desk_tui.ui.widgets.call_type import CallTypeChoice

    app = make_test_app(ui_world, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        # the narrow layout follows the breakpoint class on the next refresh
        await wait_for(pilot, lambda: screen.query_one("#intake-side").size.width == 40)
        assert screen.query_one("#caller", Input).size.width >= 28  # was 20
        assert screen.query_one("#intake-side").size.width == 40
        # Every call type can be read, none cut at the edge: they wrap whole.
        choice = screen.query_one(CallTypeChoice)
        shown = " ".join(choice.render_line(y).text for y in range(choice.size.height))
        for label in ("Storing", "Serviceverzoek", "Informatieverzoek", "Wijzigingsverzoek"):
            assert label in shown
        assert all(len(choice.render_line(y).text.rstrip()) <= choice.size.width
                   for y in range(choice.size.height))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_intake(app, pilot)
        assert screen.query_one("#intake-side").size.width == 50  # 52 with its padding
