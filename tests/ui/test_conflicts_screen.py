"""Offline conflicts in the console: X from the queue lists them with the base, site and
central values side by side; s keeps the site's version, c the central one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls, offline, offline_sync
from desk_tui.services.calls import CallDraft
from desk_tui.services.queries import actor_for
from desk_tui.store.engine import make_engine, read_session, write_session
from desk_tui.store.enums import CallStatus, OperatorRole
from desk_tui.store.models import Call, Operator, OperatorRoleGrant
from desk_tui.ui.screens.conflicts import ConflictsScreen
from desk_tui.ui.screens.dialogs import TextPrompt
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.world import MONDAY_9, World

ELECTION_DAY = MONDAY_9 + timedelta(days=2)


def _register(db: Engine, world: World, actor, subject: str, now) -> calls.Saved:
    draft = CallDraft(organisation_id=world.organisation.id, call_type=CallType.STORING,
                      subject=subject, caller_id=world.caller.id, impact=Level.MIDDEN,
                      urgency=Level.MIDDEN, category_id=world.category.id)
    with write_session(db) as session:
        return calls.register_call(session=session, actor=actor, sla=world.sla, draft=draft,
                                   now=now)


def make_conflict(world: World, tmp_path: Path) -> calls.Saved:
    """The site resolves a call while, centrally, a colleague takes it: one conflict."""
    with write_session(world.db) as session:
        if session.execute(select(Operator).where(Operator.login == "beheer")).first() is None:
            operator = Operator(login="beheer", display_name="Beheerder")
            session.add(operator)
            session.flush()
            session.add(OperatorRoleGrant(operator_id=operator.id,
                                          role=OperatorRole.ADMINISTRATOR))
    with read_session(world.db) as session:
        admin = actor_for(session, "beheer")
    disputed = _register(world.db, world, world.agent, "Scanner stembureau 3", MONDAY_9)
    laptop = tmp_path / "site" / "v01.sqlite3"
    offline.prepare_site(central=world.db, actor=admin, code="V01", organisation_code="ENK",
                         output=laptop, now=MONDAY_9 + timedelta(hours=1),
                         operator_logins=["agent"])
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
        with write_session(site_db) as session:
            calls.resolve(session=session, actor=agent, sla=world.sla, call_id=disputed.id,
                          now=ELECTION_DAY, solution="Kabel vervangen")
        bundle = tmp_path / "v01.desk-bundle"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle,
                                 now=ELECTION_DAY + timedelta(hours=1))
    finally:
        site_db.dispose()
    with write_session(world.db) as session:
        calls.take(session=session, actor=world.colleague, sla=world.sla, call_id=disputed.id,
                   now=ELECTION_DAY + timedelta(minutes=20))
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY + timedelta(hours=2))
    assert report.conflicts == 1
    return disputed


async def open_conflicts(pilot, app) -> ConflictsScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen)
                   and app.desk is not None and bool(app.screen.query(CallQueue)))
    await pilot.press("X")
    await wait_for(pilot, lambda: isinstance(app.screen, ConflictsScreen))
    screen = app.screen
    await wait_for(pilot, lambda: bool(screen.views))
    return screen


def status_of(world: World, call_id) -> CallStatus:
    with read_session(world.db) as session:
        return session.get(Call, call_id).status


async def test_x_lists_the_conflict_side_by_side_and_s_keeps_the_site(ui_world, clock,
                                                                      tmp_path):
    disputed = make_conflict(ui_world, tmp_path)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_conflicts(pilot, app)
        detail = str(screen.query_one("#conflict-detail").render())
        assert "Veld" in detail and "Locatie V01" in detail and "Centraal (nu)" in detail
        status = next(line for line in detail.splitlines() if line.startswith("status"))
        # base, site, central: the site resolved what was new; centrally it was taken
        assert status.split() == ["status", "geregistreerd", "opgelost", "in-behandeling"]
        # fields in the operator's words, not as stored
        assert "behandelaar" in detail and "handler_id" not in detail
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"afgestemd", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictsScreen)
                       and not screen.views and not screen._deciding)
    assert status_of(ui_world, disputed.id) is CallStatus.OPGELOST


async def test_c_keeps_the_central_version_and_escape_in_the_note_cancels(ui_world, clock,
                                                                          tmp_path):
    disputed = make_conflict(ui_world, tmp_path)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_conflicts(pilot, app)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press("escape")  # not decided
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictsScreen))
        await pilot.pause(0.1)
        assert len(screen.views) == 1
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press("enter")
        await wait_for(pilot, lambda: not screen.views and not screen._deciding)
    assert status_of(ui_world, disputed.id) is CallStatus.IN_BEHANDELING
    with read_session(ui_world.db) as session:
        assert offline_sync.conflicts(session=session, actor=ui_world.agent) == []


async def test_x_is_not_offered_without_the_right(ui_world, clock):
    app = make_test_app(ui_world, clock, login="cm")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen)
                       and app.desk is not None and bool(app.screen.query(CallQueue)))
        await pilot.press("X")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, ConflictsScreen)


def test_conflicts_screen_snapshot(snap_compare, ui_world, clock, tmp_path):
    make_conflict(ui_world, tmp_path)
    app = make_test_app(ui_world, clock, header_clock=False)

    async def opened(pilot):
        await open_conflicts(pilot, app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=opened)


def make_person_conflict(world: World, tmp_path: Path) -> None:
    """The site corrects a caller's phone number while the desk corrects it too."""
    from desk_tui.store.models import Person

    make_conflict(world, tmp_path)  # prepares site V01 (and lists a call's conflict)
    laptop = tmp_path / "site" / "v01.sqlite3"
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
        with write_session(site_db) as session:
            session.get(Person, world.caller.id).phone = "06-11111111"
        bundle = tmp_path / "v01-second.desk-bundle"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle,
                                 now=ELECTION_DAY + timedelta(hours=3))
    finally:
        site_db.dispose()
    with write_session(world.db) as session:
        session.get(Person, world.caller.id).phone = "0228-000000"
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY + timedelta(hours=4))
    assert report.record_conflicts == ["person Anouk Jansen"]


async def test_a_person_changed_on_both_sides_is_listed_and_decided_on_x(ui_world, clock,
                                                                         tmp_path):
    from desk_tui.store.models import Person

    make_person_conflict(ui_world, tmp_path)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_conflicts(pilot, app)
        await wait_for(pilot, lambda: any(view.kind == "person" for view in screen.views))
        rows = screen.query_one("#conflicts")
        rows.highlighted = next(index for index, view in enumerate(screen.views)
                                if view.kind == "person")
        await pilot.pause()
        # the person's whole name in the list ("persoon Anouk Jansen" is 20 characters)
        listed = rows.get_option_at_index(rows.highlighted).prompt
        assert str(listed).startswith("persoon Anouk Jansen ")
        detail = str(screen.query_one("#conflict-detail").render())
        phone = next(line for line in detail.splitlines() if line.startswith("telefoon"))
        assert phone.split() == ["telefoon", "0228-351234", "06-11111111", "0228-000000"]
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictsScreen)
                       and len(screen.views) == 1 and not screen._deciding)
    with read_session(ui_world.db) as session:
        assert session.get(Person, ui_world.caller.id).phone == "06-11111111"


def test_every_conflict_field_has_operator_words_in_dutch():
    """A field a conflict can show is named in words, and those words are in desk.po."""
    from desk_tui.services.offline import CALL_FIELDS
    from desk_tui.services.offline_records import FIELD_WORDS, KINDS
    from desk_tui.ui.msgfmt import parse_po
    from tests.ui.test_i18n import DUTCH_PO

    names = {*CALL_FIELDS, "ci_ids"} | {
        name for kind in KINDS.values() for name in (*kind.fields, kind.links) if name}
    assert names - set(FIELD_WORDS) == set()
    catalogue = {key.decode() for key in parse_po(DUTCH_PO.read_text(encoding="utf-8"))}
    assert {FIELD_WORDS[name] for name in names} - catalogue == set()
