"""The console in on-call mode, the handover at 20:00 seen by the morning, and the standby
log; with snapshots of the handover and standby screens."""

from __future__ import annotations

from sqlalchemy import select

from desk_tui.config import Settings
from desk_tui.domain.classification import Level
from desk_tui.services.desk import Desk
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.models import Category, OnCallHandover, Organisation, StandbyEntry
from desk_tui.ui.app import DeskApp
from desk_tui.ui.screens.dialogs import TextPrompt
from desk_tui.ui.screens.handover import HandoverScreen
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.screens.standby import StandbyScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from desk_tui.ui.widgets.handover_banner import HandoverBanner
from desk_tui.ui.widgets.option_rows import OptionRows
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, FrozenClock, make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.world import at


def on_call_app(world, clock, *, login: str = "agent", header_clock: bool = True) -> DeskApp:
    return DeskApp(Settings(language="nl"), lambda: Desk(world.db, world.sla, clock),
                   operator=login, header_clock=header_clock, on_call=True)


def an_evening(world) -> tuple:
    """Enkhuizen opens its counters on Monday evening 30 November; Office is no counter
    matter."""
    with write_session(world.db) as session:
        session.get(Organisation, world.organisation.id).evening_opening = True
        office = Category(name="Office", suggested_urgency=Level.LAAG)
        session.add(office)
    counter = register(world, now=at("2026-11-30 17:10"), subject="Paspoortprinter balie 2",
                       category_id=world.category.id)
    other = register(world, now=at("2026-11-30 17:20"), subject="Word crasht",
                     category_id=office.id)
    return counter, other


def rows(app) -> list:
    return app.screen.query_one(CallQueue).rows


def status(app) -> str:
    return str(app.screen.query_one("#queue-status").render())


async def test_on_call_mode_then_the_handover_at_eight(ui_world):
    counter, _other = an_evening(ui_world)
    clock = FrozenClock(at("2026-11-30 18:00"))
    app = on_call_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and "Piket nu" in status(app))
        assert [row.id for row in rows(app)] == [counter.id]
        assert rows(app)[0].reaction_due == at("2026-11-30 17:40")  # on-call's 30 minutes
        assert "1 meldingen voor het piket" in status(app)

        clock.now = at("2026-11-30 20:00")
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.query_one(HandoverBanner).view is not None)
        banner = app.screen.query_one(HandoverBanner)
        assert "Piket 2026-11-30: 1 open overgedragen, 0 afgehandeld" in str(banner.render())
        assert any(n.title == "Avond overgedragen aan de ochtenddienst"
                   for n in app._notifications)
    with read_session(ui_world.db) as session:
        [handover] = session.execute(select(OnCallHandover)).scalars().all()
    assert handover.open_count == 1 and handover.acknowledged_at is None

    morning = make_test_app(ui_world, FrozenClock(at("2026-12-01 08:01")), login="agent2")
    async with morning.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(morning)
                       and morning.screen.query_one(HandoverBanner).view is not None)
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(morning.screen, HandoverScreen))
        line = morning.screen.query_one(OptionRows).render_line(0).text
        assert "open" in line and counter.reference in line
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(morning.screen, QueueScreen)
                       and morning.screen.query_one(HandoverBanner).view is None)
    with read_session(ui_world.db) as session:
        assert session.get(OnCallHandover, handover.id).acknowledged_at == at(
            "2026-12-01 08:01")


async def test_key_o_switches_the_queue_to_on_call_and_back(ui_world):
    an_evening(ui_world)
    app = make_test_app(ui_world, FrozenClock(at("2026-11-30 18:00")))
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and len(rows(app)) == 2)
        await pilot.press("O")
        await wait_for(pilot, lambda: len(rows(app)) == 1)
        await pilot.press("O")
        await wait_for(pilot, lambda: len(rows(app)) == 2)


async def test_writing_the_standby_log(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app))
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, StandbyScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"Voorzitter SB 3", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt)
                       and "Waar" in str(app.screen.label))
        await pilot.press(*"Stembureau 3", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt)
                       and "Wat" in str(app.screen.label))
        await pilot.press(*"Printer [/] weigert", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StandbyScreen)
                       and len(app.screen.lines) == 1)
        text = app.screen.query_one(OptionRows).render_line(0).text
        assert "Voorzitter SB 3" in text and "Printer [/] weigert" in text
    with read_session(ui_world.db) as session:
        [entry] = session.execute(select(StandbyEntry)).scalars().all()
    assert (entry.site, entry.who, entry.location, entry.at) == (
        "main", "Voorzitter SB 3", "Stembureau 3", clock.now)


async def test_no_standby_log_for_a_contract_manager(ui_world, clock):
    app = make_test_app(ui_world, clock, login="cm")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.actor is not None
                       and app.desk is not None)
        assert app.screen.check_action("standby", ()) is False


def test_handover_screen_snapshot(snap_compare, ui_world):
    an_evening(ui_world)
    with write_session(ui_world.db) as session:
        from desk_tui.services import oncall

        oncall.hand_over(session=session, actor=ui_world.agent, sla=ui_world.sla,
                         now=at("2026-11-30 20:00"))
    app = make_test_app(ui_world, FrozenClock(at("2026-12-01 08:01")), header_clock=False)

    async def opened(pilot):
        await wait_for(pilot, lambda: loaded(app)
                       and app.screen.query_one(HandoverBanner).view is not None)
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=opened)


def test_standby_screen_snapshot(snap_compare, ui_world, clock):
    from desk_tui.services import offline

    for when, who, where, what in (
        ("2026-11-30 21:00", "Voorzitter SB 3", "Stembureau 3, Westerstraat",
         "Printer geeft papierstoring"),
        ("2026-11-30 22:35", "Sanne de Vries", "", "Stand-by beëindigd na de telling [/]"),
    ):
        with write_session(ui_world.db) as session:
            offline.log_standby(session=session, actor=ui_world.agent, now=clock.now,
                                at=at(when), who=who, location=where, what=what)
    app = make_test_app(ui_world, clock, header_clock=False)

    async def opened(pilot):
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, StandbyScreen)
                       and len(app.screen.lines) == 2)
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=opened)


async def test_the_handover_screen_shows_an_operator_name_literally(ui_world):
    """A display name with a terminal escape (a window-title change) is shown, not run."""
    from desk_tui.services import oncall
    from desk_tui.store.models import Operator

    an_evening(ui_world)
    with write_session(ui_world.db) as session:
        session.get(Operator, ui_world.agent.id).display_name = "Sanne\x1b]0;pwned\x07"
    with write_session(ui_world.db) as session:
        oncall.hand_over(session=session, actor=ui_world.agent, sla=ui_world.sla,
                         now=at("2026-11-30 20:00"))
    app = make_test_app(ui_world, FrozenClock(at("2026-12-01 08:01")), login="agent2")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app)
                       and app.screen.query_one(HandoverBanner).view is not None)
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverScreen))
        shown = app.screen.summary().plain
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Sanne␛]0;pwned␇" in shown


async def test_a_contract_manager_reads_the_handover_but_cannot_mark_it_read(ui_world):
    from desk_tui.services import oncall

    an_evening(ui_world)
    with write_session(ui_world.db) as session:
        oncall.hand_over(session=session, actor=ui_world.agent, sla=ui_world.sla,
                         now=at("2026-11-30 20:00"))
    app = make_test_app(ui_world, FrozenClock(at("2026-12-01 08:01")), login="cm")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app)
                       and app.screen.query_one(HandoverBanner).view is not None)
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverScreen))
        assert app.screen.lines == []  # Enkhuizen's call: not the manager's organisation
        assert app.screen.check_action("acknowledge", ()) is False
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
    with read_session(ui_world.db) as session:
        [handover] = session.execute(select(OnCallHandover)).scalars().all()
    assert handover.acknowledged_at is None


async def test_the_morning_hands_the_evening_over_when_no_console_was_on_call(ui_world):
    """Nobody had the console in on-call mode at 20:00: the morning's ordinary queue does
    the handover on opening, and shows its notice."""
    counter, _other = an_evening(ui_world)
    with read_session(ui_world.db) as session:
        assert session.execute(select(OnCallHandover)).first() is None
    morning = make_test_app(ui_world, FrozenClock(at("2026-12-01 08:01")), login="agent2")
    async with morning.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(morning)
                       and morning.screen.query_one(HandoverBanner).view is not None)
        assert not morning.screen.on_call
        assert any(n.title == "Avond overgedragen aan de ochtenddienst"
                   for n in morning._notifications)
        view = morning.screen.query_one(HandoverBanner).view
        assert [line["reference"] for line in view.open_calls] == [counter.reference]
    with read_session(ui_world.db) as session:
        [handover] = session.execute(select(OnCallHandover)).scalars().all()
    assert handover.evening.isoformat() == "2026-11-30" and handover.open_count == 1


async def test_the_queue_keys_filter_the_on_call_queue(ui_world):
    """On-call at 18:10: Enkhuizen's counter call (its 30 minutes ran out at 17:40) and
    a P1 of Drechterland; `p` and `b` narrow the rows, not only the status line."""
    from desk_tui.domain.classification import Level as L

    counter, _other = an_evening(ui_world)
    p1 = register(ui_world, now=at("2026-11-30 18:00"), subject="Burgerzaken plat",
                  organisation_id=ui_world.other_organisation.id, caller_id=None,
                  impact=L.HOOG, urgency=L.HOOG)
    app = on_call_app(ui_world, FrozenClock(at("2026-11-30 18:10")))
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and len(rows(app)) == 2)
        assert [row.id for row in rows(app)] == [p1.id, counter.id]
        await pilot.press("p")  # priority 1
        await wait_for(pilot, lambda: [row.id for row in rows(app)] == [p1.id])
        await pilot.press("p", "p", "p", "p", "p")  # round to "any priority"
        await wait_for(pilot, lambda: len(rows(app)) == 2)
        await pilot.press("b")  # past on-call's own target
        await wait_for(pilot, lambda: [row.id for row in rows(app)] == [counter.id])
        assert "1 meldingen voor het piket" in status(app)


async def test_a_failed_handover_does_not_keep_the_queue_from_loading(ui_world):
    """Another console won the race to hand over (or the database hiccuped): the queue
    still loads, and the next load tries again."""
    an_evening(ui_world)
    app = make_test_app(ui_world, FrozenClock(at("2026-12-01 08:01")), login="agent2")
    attempts = []

    def lost_the_race(actor):
        attempts.append(actor.login)
        raise RuntimeError("unique constraint: the evening was handed over meanwhile")

    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and len(rows(app)) == 2)
        app.desk.hand_over_if_due = lost_the_race
        register(ui_world, now=at("2026-12-01 08:00"), subject="Kiestoon weg",
                 category_id=ui_world.category.id)
        await pilot.press("r")
        await wait_for(pilot, lambda: len(rows(app)) == 3 and attempts)
