"""The console on an election site's copy: intake numbers calls for the site, the header
says which site it is, and what was registered there comes home with the bundle."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from desk_tui.services import offline, offline_sync
from desk_tui.services.queries import actor_for
from desk_tui.store.engine import make_engine, read_session, write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.models import Call, Operator, OperatorRoleGrant
from desk_tui.ui.screens.queue import QueueScreen
from tests.ui.app_harness import APP_SIZE, wait_for
from tests.ui.test_intake import choose_caller, open_intake
from tests.world import World, at


def prepared_copy(world: World, path: Path) -> None:
    with write_session(world.db) as session:
        admin = Operator(login="beheer", display_name="Beheerder")
        session.add(admin)
        session.flush()
        session.add(OperatorRoleGrant(operator_id=admin.id, role=OperatorRole.ADMINISTRATOR))
    with read_session(world.db) as session:
        actor = actor_for(session, "beheer")
    offline.prepare_site(central=world.db, actor=actor, code="V01", organisation_code="ENK",
                         output=path, now=at("2026-11-30 08:00"), operator_logins=["agent"])


async def test_intake_at_the_site_and_home_again(ui_world, clock, tmp_path: Path):
    from desk_tui.config import Settings
    from desk_tui.services.desk import Desk
    from desk_tui.ui.app import DeskApp

    copy = tmp_path / "v01.sqlite3"
    prepared_copy(ui_world, copy)
    site_db = make_engine(f"sqlite:///{copy}")
    try:
        app = DeskApp(Settings(language="nl"), lambda: Desk(site_db, ui_world.sla, clock),
                      operator="agent")
        async with app.run_test(size=APP_SIZE) as pilot:
            screen = await open_intake(app, pilot)
            [queue] = [shown for shown in app.screen_stack if isinstance(shown, QueueScreen)]
            assert app.sub_title == "Sanne de Vries (agent) · offline locatie V01"
            # GRIP levels are set, and conflicts decided, centrally: not offered here
            assert queue.check_action("crisis", ()) is False
            assert queue.check_action("conflicts", ()) is False
            await choose_caller(pilot, screen)
            await pilot.press("enter", "h", "enter", "2", "enter")
            await pilot.press(*"Stemmentelprogramma start niet")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        with read_session(site_db) as session:
            [call] = session.execute(select(Call)).scalars().all()
            agent = actor_for(session, "agent")
        assert (call.site, call.number) == ("V01", 1)
        bundle = tmp_path / "v01.bundle"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=clock.now)
    finally:
        site_db.dispose()
    report = offline_sync.import_bundle(db=ui_world.db, actor=ui_world.agent, path=bundle,
                                        now=clock.now)
    assert report.new_calls == 1
    with read_session(ui_world.db) as session:
        home = session.get(Call, call.id)
    assert home is not None and home.subject == "Stemmentelprogramma start niet"
