"""The console on a real database: start, queue, filters by key."""

from __future__ import annotations

from desk_tui.domain.classification import Level
from desk_tui.services import calls
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from tests.services.test_calls import register
from tests.ui.app_harness import (
    APP_SIZE,
    make_test_app,
    wait_for,
)
from tests.world import at


def queue_of(app) -> CallQueue:
    return app.screen.query_one(CallQueue)


def loaded(app) -> bool:
    """The queue is connected and has shown its rows once. The widget alone is not
    enough: it is composed up front, before anything is read, and a key pressed before
    the desk is connected does nothing."""
    if not isinstance(app.screen, QueueScreen) or app.desk is None:
        return False
    queues = app.screen.query(CallQueue)
    return bool(queues) and queues.first()._loaded


async def test_the_console_starts_on_the_queue_with_the_operator_named(ui_world, clock):
    register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and len(queue_of(app).rows) == 1)
        assert app.sub_title == "Sanne de Vries (agent)"
        assert "Balieprinter" in queue_of(app).render_line(1).text
        status = app.screen.query_one("#queue-status")
        await wait_for(pilot, lambda: str(status.render()).startswith("1 open melding ·")
                       or str(status.render()) == "1 open melding")


async def test_queue_filters_by_key(ui_world, clock):
    first = register(ui_world, now=at("2026-11-30 08:00"), impact=Level.LAAG,
                     urgency=Level.LAAG)
    register(ui_world, now=at("2026-11-30 09:00"), subject="Telefonie plat",
             impact=Level.HOOG, urgency=Level.HOOG)
    ui_world.write(calls.take, actor=ui_world.agent, call_id=first.id, now=at("2026-11-30 08:10"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and len(queue_of(app).rows) == 2)
        await pilot.press("m")
        await wait_for(pilot, lambda: len(queue_of(app).rows) == 1)
        assert queue_of(app).rows[0].id == first.id
        await pilot.press("m", "u")
        await wait_for(pilot, lambda: [r.summary for r in queue_of(app).rows] == ["Telefonie plat"])
        await pilot.press("escape", "p")
        await wait_for(pilot, lambda: [r.priority for r in queue_of(app).rows] == [1])
        await pilot.press("escape", "slash", *"telef")
        await wait_for(pilot, lambda: [r.priority for r in queue_of(app).rows] == [1])
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(queue_of(app).rows) == 2)


async def test_an_unknown_operator_is_told_so(ui_world, clock):
    app = make_test_app(ui_world, clock, login="onbekend")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: bool(app._notifications))
        [notice] = list(app._notifications)
        assert notice.title == "Onbekende medewerker" and "onbekend" in notice.message
        assert app.desk is None


async def test_letters_typed_right_behind_the_slash_go_into_the_filter(ui_world, clock):
    """A fast typist's "/vpn" arrives in one read: the letters must not run queue commands."""
    from textual import events
    from textual.widgets import Input

    register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None and len(queue_of(app).rows) == 1)
        for key, character in [("slash", "/"), ("b", "b"), ("a", "a"), ("n", "n")]:
            app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: bool(app.screen.query("#queue-filter")))
        field = app.screen.query_one("#queue-filter", Input)
        await wait_for(pilot, lambda: field.value == "ban")
        assert isinstance(app.screen, QueueScreen) and app.focused is field
        assert not app.screen.query_filter.breached  # "b" did not toggle the filter
        await wait_for(pilot, lambda: app.screen.query_filter.text == "ban")


async def test_a_filter_left_on_says_so_and_how_to_show_all(ui_world, clock):
    """After "/vpn", Enter and a visit elsewhere the queue is still filtered: its status line
    names the filter and says Esc shows all; Esc does, and the hint goes."""
    register(ui_world, now=at("2026-11-30 09:00"), subject="VPN valt weg")
    register(ui_world, now=at("2026-11-30 09:30"), subject="Printer")
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and len(queue_of(app).rows) == 2)
        status = app.screen.query_one("#queue-status")
        assert "Esc toont alles" not in str(status.render())
        await pilot.press("slash", *"vpn", "enter")
        await wait_for(pilot, lambda: len(queue_of(app).rows) == 1)
        await pilot.press("f1")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        await wait_for(pilot, lambda: "Esc toont alles" in str(status.render()))
        assert "“vpn”" in str(status.render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(queue_of(app).rows) == 2)
        assert "Esc toont alles" not in str(status.render())
