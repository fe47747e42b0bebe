"""Several operators: the console sees another process's change within 2 seconds, on
SQLite (PRAGMA data_version) and PostgreSQL (LISTEN/NOTIFY), without its 10 s refresh."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from desk_tui.store.engine import make_engine
from desk_tui.store.migrate import upgrade_database
from desk_tui.ui.screens.call import CallScreen
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from tests.services.test_calls import register
from tests.support.other_operator import act_elsewhere
from tests.ui.app_harness import APP_SIZE, FROZEN_NOW, FrozenClock, make_test_app, wait_for
from tests.world import World, at, build_world

SEEN_WITHIN = 2.0


@pytest.fixture
def shared_world(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    # The periodic re-reads must not be what finds the change.
    monkeypatch.setattr("desk_tui.ui.screens.queue.REFRESH_SECONDS", 600.0)
    monkeypatch.setattr("desk_tui.ui.screens.call.REFRESH_SECONDS", 600.0)
    database = make_engine(db_url)  # the `engine` fixture is the SLA engine here
    upgrade_database(database)
    yield build_world(database, SlaEngine(build_calendars(first_year=2026)))
    database.dispose()


async def seen_after(pilot, shown, act, *args) -> tuple[float, float]:
    """Run `act(*args)` (another process) while watching the console: when `shown()`
    first held, and when the other process committed (the monotonic clock is shared).
    Starting that process takes seconds here, so only commit → screen is timed."""
    job = asyncio.create_task(asyncio.to_thread(act, *args))
    await wait_for(pilot, shown, timeout=60)
    seen = time.monotonic()
    return seen, await job


async def until_watching(pilot, app) -> None:
    await wait_for(pilot, lambda: app._watcher is not None and app._watcher.ready.is_set(),
                   timeout=10)


async def test_the_queue_shows_a_take_by_another_process_within_two_seconds(
    shared_world, db_url
):
    saved = register(shared_world, now=at("2026-11-30 09:00"))
    app = make_test_app(shared_world, FrozenClock(FROZEN_NOW))
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen)
                       and bool(app.screen.query(CallQueue))
                       and len(app.screen.query_one(CallQueue).rows) == 1)
        await until_watching(pilot, app)
        queue = app.screen.query_one(CallQueue)
        assert queue.rows[0].handler is None
        seen, committed = await seen_after(
            pilot, lambda: queue.rows[0].handler == "Ruben Smit",
            act_elsewhere, db_url, "agent2", "take", saved.id)
        assert seen - committed < SEEN_WITHIN
        assert "Ruben Smit" in queue.render_line(1).text


async def test_the_open_call_shows_a_change_by_another_process_and_says_so(
    shared_world, db_url
):
    saved = register(shared_world, now=at("2026-11-30 09:00"))
    app = make_test_app(shared_world, FrozenClock(FROZEN_NOW))
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None)
        await until_watching(pilot, app)
        screen = CallScreen(saved.id)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.detail is not None)
        seen, committed = await seen_after(
            pilot, lambda: screen.detail.handler == "Ruben Smit",
            act_elsewhere, db_url, "agent2", "take", saved.id)
        assert seen - committed < SEEN_WITHIN
        await wait_for(pilot, lambda: bool(app._notifications))
        [notice] = list(app._notifications)
        assert "door een andere medewerker gewijzigd" in notice.message
        assert notice.message.startswith(saved.reference)


async def test_a_grip_level_set_elsewhere_shows_the_crisis_banner(shared_world, db_url):
    app = make_test_app(shared_world, FrozenClock(FROZEN_NOW))
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None)
        await until_watching(pilot, app)
        banner = app.screen.query_one(CrisisBanner)
        assert not banner.display or not banner.has_class("shown")
        seen, committed = await seen_after(pilot, lambda: banner.has_class("shown"),
                                           act_elsewhere, db_url, "agent2", "grip:ENK=3")
        assert seen - committed < SEEN_WITHIN
        assert "GRIP 3" in str(banner.content) and "ENK" in str(banner.content)


def _contact_ids(world: World) -> list:
    from desk_tui.services import crisis
    from desk_tui.store.engine import read_session

    with read_session(world.db) as session:
        return [row.id for row in crisis.list_contacts(session=session, actor=world.agent)]


async def test_crisis_contacts_added_or_removed_elsewhere_reach_every_banner(
    shared_world, db_url
):
    """A new OOV contact, and one removed, reach the banners of a console that is open
    (the queue's and the intake's on top of it) without any GRIP level changing."""
    from desk_tui.services import crisis
    from desk_tui.store.engine import write_session
    from desk_tui.ui.screens.intake import IntakeScreen

    with write_session(shared_world.db) as session:
        crisis.set_level(session=session, actor=shared_world.agent, code="ENK", level=3,
                         now=at("2026-11-30 09:30"))
    app = make_test_app(shared_world, FrozenClock(FROZEN_NOW))
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None)
        await until_watching(pilot, app)
        queue_banner = app.screen.query_one(CrisisBanner)
        await app.push_screen(IntakeScreen())
        top_banner = app.screen.query_one(CrisisBanner)
        banners = (queue_banner, top_banner)
        await wait_for(pilot, lambda: all(b.has_class("shown") for b in banners))
        assert all("geen OOV-contacten vastgelegd" in str(b.content) for b in banners)
        seen, committed = await seen_after(
            pilot, lambda: all("06-11112222" in str(b.content) for b in banners),
            act_elsewhere, db_url, "agent2", "contact:ENK=Adviseur OOV=06-11112222")
        assert seen - committed < SEEN_WITHIN
        [contact_id] = _contact_ids(shared_world)
        seen, committed = await seen_after(
            pilot, lambda: not any("06-11112222" in str(b.content) for b in banners),
            act_elsewhere, db_url, "agent2", "uncontact", contact_id)
        assert seen - committed < SEEN_WITHIN
        assert all("geen OOV-contacten vastgelegd" in str(b.content) for b in banners)
