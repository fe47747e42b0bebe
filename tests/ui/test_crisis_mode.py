"""Crisis mode in the console: the banner from GRIP 3 with the crisis number and the OOV
contacts, crisis calls on top of the queue, and G to set a level (desk staff only)."""

from __future__ import annotations

from sqlalchemy import select

from desk_tui.services import crisis
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.models import CrisisContact, CrisisContactKind, GripLevel
from desk_tui.ui.screens.dialogs import ChoicePrompt
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.world import World, at

HALF_PAST_NINE = at("2026-11-30 09:30")


def grip(world: World, code: str, level: int, now=HALF_PAST_NINE) -> None:
    with write_session(world.db) as session:
        crisis.set_level(session=session, actor=world.agent, code=code, level=level, now=now)


def add_contacts(world: World) -> None:
    with write_session(world.db) as session:
        session.add_all([
            CrisisContact(organisation_id=world.organisation.id,
                          kind=CrisisContactKind.CRISIS_LINE, role_title="Crisislijn",
                          phone="088-0120112"),
            CrisisContact(organisation_id=world.organisation.id, kind=CrisisContactKind.OOV,
                          role_title="Adviseur OOV", name="[b]Joost[/b] Stam",
                          phone="06-12345678"),
        ])


def current_level(world: World, code: str) -> int | None:
    with read_session(world.db) as session:
        return next((c.level for c in crisis.current_levels(session=session, actor=world.agent)
                     if c.code == code), None)


async def ready(pilot, app) -> CrisisBanner:
    await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen)
                   and app.desk is not None and bool(app.screen.query(CallQueue)))
    return app.screen.query_one(CrisisBanner)


async def test_banner_shows_from_grip_3_with_crisis_number_and_oov_contacts(ui_world, clock):
    add_contacts(ui_world)
    grip(ui_world, "ENK", 2)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        banner = await ready(pilot, app)
        await wait_for(pilot, lambda: bool(banner.levels))
        assert not banner.has_class("shown")  # GRIP 2: no banner
        grip(ui_world, "ENK", 3, at("2026-11-30 09:40"))
        banner.refresh_levels()
        await wait_for(pilot, lambda: banner.has_class("shown"))
        text = str(banner.content)
        assert "CRISIS GRIP 3" in text and "Gemeente Enkhuizen" in text
        assert "crisisnummer 24/7: 088-0120112" in text
        assert "OOV: [b]Joost[/b] Stam 06-12345678" in text  # literally


async def test_banner_says_when_no_contacts_are_recorded(ui_world, clock):
    grip(ui_world, "DRE", 4)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        banner = await ready(pilot, app)
        await wait_for(pilot, lambda: banner.has_class("shown"))
        text = str(banner.content)
        assert "CRISIS GRIP 4" in text and "geen crisisnummer 24/7 vastgelegd" in text
        assert "geen OOV-contacten vastgelegd" in text


async def test_crisis_calls_come_first_in_the_queue(ui_world, clock):
    register(ui_world, now=at("2026-11-30 08:00"), subject="Oud probleem")
    grip(ui_world, "ENK", 3, at("2026-11-30 09:00"))
    register(ui_world, now=at("2026-11-30 09:45"), subject="Crisis: balie plat",
             impact=None, urgency=None, call_type=crisis_request_type())
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await ready(pilot, app)
        queue = app.screen.query_one(CallQueue)
        await wait_for(pilot, lambda: len(queue.rows) == 2)
        assert [row.summary for row in queue.rows] == ["Crisis: balie plat", "Oud probleem"]
        assert queue.rows[0].crisis and not queue.rows[1].crisis


def crisis_request_type():
    from desk_tui.domain.classification import CallType

    return CallType.SERVICEVERZOEK  # a low-priority request, yet first in a crisis


async def test_g_sets_and_clears_a_grip_level(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        banner = await ready(pilot, app)
        await wait_for(pilot, lambda: bool(app.screen._organisations))
        await pilot.press("G")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("e", "enter")  # type-ahead: ENK
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt)
                       and "ENK" in str(app.screen.dialog_title))
        await pilot.press("down", "down", "down", "enter")  # GRIP 3
        await wait_for(pilot, lambda: banner.has_class("shown"))
        assert current_level(ui_world, "ENK") == 3
        await pilot.press("G")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("e", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt)
                       and "ENK" in str(app.screen.dialog_title))
        await pilot.press("end", "enter")  # the last choice: clear
        await wait_for(pilot, lambda: not banner.has_class("shown"))
        assert current_level(ui_world, "ENK") is None
    with read_session(ui_world.db) as session:
        ended = session.execute(select(GripLevel.level, GripLevel.ended_at)).all()
    assert [(level, ended_at is not None) for level, ended_at in ended] == [(3, True)]


async def test_g_lists_organisations_by_name_with_their_code_shown_literally(ui_world, clock):
    """An operator told "Enkhuizen" on the phone finds it by name; a name is user text and
    shows as written (markup and control characters included), never interpreted."""
    from desk_tui.store.models import Organisation
    from desk_tui.ui.widgets.type_ahead import TypeAheadList

    with write_session(ui_world.db) as session:
        session.add(Organisation(name="[b]Veiligheidsregio[/b] \x1b]0;x\x07NHN", code="VNH"))
    grip(ui_world, "DRE", 3)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await ready(pilot, app)
        await wait_for(pilot, lambda: len(app.screen._organisations) == 3)
        await wait_for(pilot, lambda: bool(app.screen.query_one(CrisisBanner).levels))
        await pilot.press("G")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        options = app.screen.query_one(TypeAheadList)
        labels = [str(options.get_option_at_index(i).prompt)
                  for i in range(options.option_count)]
        assert labels == ["Gemeente Drechterland (DRE)  GRIP 3",
                          "Gemeente Enkhuizen (ENK)",
                          "[b]Veiligheidsregio[/b] ␛]0;x␇NHN (VNH)"]
        await pilot.press("v", "n", "h")  # the code still finds it
        assert options.highlighted == 2
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        await pilot.press("G")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("e", "enter")  # Enkhuizen, by name
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt)
                       and "Gemeente Enkhuizen (ENK)" in str(app.screen.dialog_title))


async def test_g_is_not_offered_to_a_contract_manager(ui_world, clock):
    grip(ui_world, "DRE", 3)
    app = make_test_app(ui_world, clock, login="cm")
    async with app.run_test(size=APP_SIZE) as pilot:
        banner = await ready(pilot, app)
        await wait_for(pilot, lambda: banner.has_class("shown"))  # they see the crisis
        assert app.screen.check_action("crisis", ()) is False
        await pilot.press("G")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert current_level(ui_world, "DRE") == 3


async def test_the_call_view_shows_the_crisis_of_its_own_municipality_only(ui_world, clock):
    from desk_tui.ui.screens.call import CallScreen

    add_contacts(ui_world)
    grip(ui_world, "ENK", 3)
    enk = register(ui_world, now=at("2026-11-30 09:40"))
    dre = register(ui_world, now=at("2026-11-30 09:41"), caller_id=None,
                   organisation_id=ui_world.other_organisation.id)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await ready(pilot, app)
        for saved, shown in ((enk, True), (dre, False)):
            screen = CallScreen(saved.id)
            await app.push_screen(screen)
            await wait_for(pilot, lambda s=screen: s.detail is not None)
            banner = screen.query_one(CrisisBanner)
            await wait_for(pilot, lambda b=banner: bool(b.levels))
            assert banner.has_class("shown") is shown
            if shown:
                assert "ENK" in str(banner.content) and "088-0120112" in str(banner.content)
            await pilot.press("escape")


async def test_intake_shows_the_crisis_banner_with_the_numbers(ui_world, clock):
    """Whoever registers a call during a crisis has the crisis number and OOV contacts
    on the intake screen, and the banner follows a GRIP change made elsewhere."""
    from desk_tui.store.change_feed import DataChange
    from desk_tui.ui.screens.intake import IntakeScreen

    add_contacts(ui_world)
    grip(ui_world, "ENK", 3)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        banner = app.screen.query_one(CrisisBanner)
        await wait_for(pilot, lambda: banner.has_class("shown"))
        text = str(banner.content)
        assert "CRISIS GRIP 3" in text and "crisisnummer 24/7: 088-0120112" in text
        assert "OOV: [b]Joost[/b] Stam 06-12345678" in text
        grip(ui_world, "ENK", 0, at("2026-11-30 09:50"))
        app.data_changed.publish(DataChange(call_ids=frozenset(), crisis=True))
        await wait_for(pilot, lambda: not banner.has_class("shown"))


WORK_SCREENS = [
    ("desk_tui.ui.screens.changes", "ChangesScreen"),
    ("desk_tui.ui.screens.problems", "ProblemsScreen"),
    ("desk_tui.ui.screens.escalations", "EscalationsScreen"),
    ("desk_tui.ui.screens.cmdb", "CmdbScreen"),
    ("desk_tui.ui.screens.contracts", "ContractsScreen"),
    ("desk_tui.ui.screens.expiry", "ExpiryScreen"),
    ("desk_tui.ui.screens.reports", "ReportsScreen"),
    ("desk_tui.ui.screens.standby", "StandbyScreen"),
    ("desk_tui.ui.screens.conflicts", "ConflictsScreen"),
]


async def test_every_work_screen_shows_the_crisis_banner_and_follows_changes(ui_world, clock):
    """During a crisis the numbers are at hand on every screen an operator works in, not
    only queue, intake and call view; each follows a change made elsewhere."""
    import importlib

    from desk_tui.store.change_feed import DataChange

    add_contacts(ui_world)
    grip(ui_world, "ENK", 3)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await ready(pilot, app)
        for module, name in WORK_SCREENS:
            screen = getattr(importlib.import_module(module), name)()
            await app.push_screen(screen)
            await wait_for(pilot, lambda s=screen: app.screen is s)
            banners = screen.query(CrisisBanner)
            assert len(banners) == 1, name
            banner = banners.first()
            await wait_for(pilot, lambda b=banner: b.has_class("shown"))
            assert banner.region.y == 1, name  # right under the header
            text = str(banner.content)
            assert "CRISIS GRIP 3" in text and "088-0120112" in text, name
            assert "OOV: [b]Joost[/b] Stam 06-12345678" in text, name
            grip(ui_world, "ENK", 4, at("2026-11-30 09:50"))
            app.data_changed.publish(DataChange(call_ids=frozenset(), crisis=True))
            await wait_for(pilot, lambda b=banner: "CRISIS GRIP 4" in str(b.content))
            grip(ui_world, "ENK", 3, at("2026-11-30 09:51"))
            app.pop_screen()
            await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))


def test_every_full_screen_composes_the_one_crisis_banner():
    """A screen added later (or one only reached with an id: one problem, one contract,
    the handover) carries the same banner under its header."""
    import importlib
    import inspect
    import pkgutil

    import desk_tui.ui.screens as screens
    from desk_tui.ui.screens.base import DeskScreen

    for info in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"{screens.__name__}.{info.name}")
    found = {cls.__name__: inspect.getsource(cls.compose)
             for cls in _subclasses(DeskScreen) if "compose" in vars(cls)}
    assert {"ProblemScreen", "ContractScreen", "HandoverScreen", "QueueScreen"} <= set(found)
    for name, source in found.items():
        after_header = source[source.index("yield DeskHeader("):].splitlines()[1:]
        next_widget = next(line for line in after_header if not line.strip().startswith("#"))
        assert next_widget.strip().startswith("yield CrisisBanner("), name


def _subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *_subclasses(direct)}}


async def test_an_older_read_of_the_levels_never_overwrites_a_newer_one(ui_world, clock):
    """Two changes in quick succession: the read started before the second change may
    finish after the read started after it; the banner keeps the newer state."""
    import threading

    grip(ui_world, "ENK", 3)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        banner = await ready(pilot, app)
        await wait_for(pilot, lambda: banner.has_class("shown"))
        desk = app.desk
        read = desk.crisis_levels
        release = threading.Event()
        held: list[bool] = []

        def first_read_answers_last(actor):
            levels = read(actor)
            if not held:
                held.append(True)
                release.wait(5)
            return levels

        desk.crisis_levels = first_read_answers_last
        app._watcher.stop()  # only the two reads below, none the feed would start
        banner.refresh_levels()  # reads GRIP 3, answers late
        await wait_for(pilot, lambda: bool(held))
        grip(ui_world, "ENK", 0, at("2026-11-30 09:50"))
        banner.refresh_levels()  # reads GRIP 0
        await wait_for(pilot, lambda: not banner.has_class("shown"))
        release.set()
        await wait_for(pilot, lambda: not any(
            worker.node is banner and not worker.is_finished for worker in app.workers))
        await pilot.pause(0.1)
        assert not banner.has_class("shown")


def test_more_municipalities_in_crisis_than_the_banner_holds_are_summed_up_by_code():
    """Six lines at most; the sixth names the rest, so none is cut off unseen."""
    import uuid as uuid_module
    from datetime import UTC, datetime

    from desk_tui.services.crisis import Contact, OrganisationCrisis
    from desk_tui.ui.widgets.crisis_banner import MAX_LINES, banner_text

    def crisis(code: str, level: int) -> OrganisationCrisis:
        line = Contact("Crisisnummer", None, "0800-1234", None)
        return OrganisationCrisis(uuid_module.uuid4(), code, f"Gemeente {code}", level,
                                  datetime(2026, 12, 1, tzinfo=UTC), None, (line,), ())

    codes = ["ENK", "MED", "STB", "DRE", "DSM", "OPM", "HRN", "KOG"]
    lines = banner_text([crisis(code, 3) for code in codes]).plain.splitlines()
    assert len(lines) == MAX_LINES
    assert [line.split()[4] for line in lines[:-1]] == codes[:MAX_LINES - 1]
    assert lines[-1] == "⚠ nog 3 op GRIP 3+: OPM, HRN, KOG (G toont ze allemaal)"
    # up to six fit whole; GRIP 1 and 2 are no crisis and take no line
    six = banner_text([crisis(code, 3) for code in codes[:6]] + [crisis("XYZ", 2)])
    assert len(six.plain.splitlines()) == 6 and "nog" not in six.plain
