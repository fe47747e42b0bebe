"""The reports screen: R from the queue, participant and month by key, the figures of a
small October hand-computed (window Mon–Fri 08:00–17:00: October 2026 has 198 hours)."""

from __future__ import annotations

from datetime import date

import pytest

from desk_tui.domain.classification import Level
from desk_tui.services import calls
from desk_tui.services.errors import Refused
from desk_tui.services.report_series import MonthFigures
from desk_tui.ui.screens import reports
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.screens.reports import ReportsScreen
from desk_tui.ui.widgets.report_view import ReportView, TrendPlots, report_content
from tests.services.test_calls import draft, register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.world import World, at

H, M = Level.HOOG, Level.MIDDEN


def october(world: World) -> None:
    """ENK: a P1 from Friday 16:00 over the weekend to Monday 10:00 (3 window hours),
    taken in 5 minutes; a P3 taken an hour in (reaction missed by 30 minutes). DRE: one
    call left open. ENK: one open call today."""
    p1 = register(world, impact=H, urgency=H, now=at("2026-10-02 16:00"),
                  subject="Alles ligt plat")
    world.write(calls.take, actor=world.agent, call_id=p1.id, now=at("2026-10-02 16:05"))
    world.write(calls.resolve, actor=world.agent, call_id=p1.id, now=at("2026-10-05 10:00"),
                solution="Switch vervangen")
    p3 = register(world, impact=M, urgency=M, now=at("2026-10-06 09:00"),
                  subject="Scanner traag")
    world.write(calls.take, actor=world.agent, call_id=p3.id, now=at("2026-10-06 10:00"))
    world.write(calls.resolve, actor=world.agent, call_id=p3.id, now=at("2026-10-07 09:00"),
                solution="Driver bijgewerkt")
    world.write(calls.register_call, actor=world.agent, now=at("2026-10-08 09:00"),
                draft=draft(world, organisation_id=world.other_organisation.id,
                            caller_id=world.stranger.id, ci_ids=(), impact=M, urgency=M))
    register(world, now=at("2026-11-30 09:00"), subject="Printer")


def text_of(screen: ReportsScreen, view_id: str) -> str:
    report = screen.query_one(f"#{view_id}", ReportView).report
    assert report is not None
    return report_content(report).plain


def showing(app, code: str) -> bool:
    screen = app.screen
    return (isinstance(screen, ReportsScreen) and screen.participant is not None
            and screen.participant[2] == code and screen.month_read is not None
            and bool(screen.series) and screen.workload is not None)


async def open_reports(app, pilot, code: str) -> ReportsScreen:
    await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
    await pilot.press("R")
    await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen)
                   and bool(app.screen.participants))
    screen = app.screen
    while screen.participant[2] != code:
        await pilot.press("o")
    await wait_for(pilot, lambda: showing(app, code))
    return screen


async def test_october_of_a_participant_by_key(ui_world, clock):
    october(ui_world)
    app = make_test_app(ui_world, clock)  # Monday 30 November: October is the last month
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_reports(app, pilot, "ENK")
        assert [code for _id, _name, code in screen.participants] == ["DRE", "ENK"]
        assert screen.month == date(2026, 10, 1)

        availability = text_of(screen, "report-availability")
        assert "198:00" in availability and "98,48 %" in availability
        assert "voldoet NIET aan de norm" in availability
        assert "2026-10-02 16:00  2026-10-05 10:00" in availability  # local time
        assert "M2026-000001" in availability

        await pilot.press("2")
        assert screen.query_one("TabbedContent").active == "sla"
        sla = text_of(screen, "report-sla")
        # P1: reaction 0:05, resolved in 3:00; P3: reaction 1:00 (missed), resolved in 9:00.
        assert "M2026-000002  reactie" in sla and "0:30" in sla
        assert "M2026-000001  " not in sla  # the P1 met both targets
        rows = {(row.call_type.value, row.priority): row
                for row in screen.month_read.compliance.rows}
        assert rows[("storing", 1)].reaction.used == [5 * 60]
        assert rows[("storing", 1)].resolution.used == [3 * 3600]
        assert rows[("storing", 3)].reaction.missed == 1

        await pilot.press("5")
        last = screen.series[-1]
        assert len(screen.series) == 12 and last.month == date(2026, 10, 1)
        assert (last.calls, last.targets_met, last.targets_missed) == (2, 3, 1)
        assert last.availability == pytest.approx(1 - 3 / 198)
        assert screen.series[0].month == date(2025, 11, 1)
        plot = screen.query_one(TrendPlots).query_one("#plot-availability")
        assert "10-26" in plot.plt.build()

        await pilot.press("3")
        queue = text_of(screen, "report-queue")
        assert screen.workload.by_organisation == {"ENK": 1, "DRE": 1}
        assert "Werkvoorraad alle deelnemers" in queue

        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: showing(app, "ENK") and screen.month.month == 9)
        assert "100,00 %" in text_of(screen, "report-availability")
        assert screen.series[-1].month == date(2026, 9, 1)
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


async def test_a_contract_manager_sees_only_their_own_organisation(ui_world, clock):
    october(ui_world)
    app = make_test_app(ui_world, clock, login="cm")  # contract manager of DRE
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_reports(app, pilot, "DRE")
        assert [code for _id, _name, code in screen.participants] == ["DRE"]
        assert screen.check_action("participant", ()) is False
        assert screen.check_action("all_participants", ()) is False
        assert screen.workload.by_organisation == {"DRE": 1}
        assert "100,00 %" in text_of(screen, "report-availability")
        with pytest.raises(Refused, match="own organisation"):
            app.desk.report_month(app.actor, ui_world.organisation.id, date(2026, 10, 1))
        with pytest.raises(Refused, match="own organisation"):
            app.desk.report_series(app.actor, ui_world.organisation.id, date(2026, 10, 1))


async def test_an_operator_without_the_report_right_has_no_reports_key(ui_world, clock):
    app = make_test_app(ui_world, clock, login="specialist")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
        assert app.screen.check_action("reports", ()) is True
    nobody = make_test_app(ui_world, clock, login="nobody")
    async with nobody.run_test(size=APP_SIZE) as pilot:
        # No call.read: its queue never loads; connected is all there is to wait for.
        await wait_for(pilot, lambda: isinstance(nobody.screen, QueueScreen)
                       and nobody.desk is not None)
        assert nobody.screen.check_action("reports", ()) is False
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(nobody.screen, QueueScreen)


async def test_the_work_queues_refresh_by_themselves(ui_world, clock, monkeypatch):
    october(ui_world)
    monkeypatch.setattr(reports, "QUEUE_REFRESH_SECONDS", 0.2)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_reports(app, pilot, "ENK")
        assert screen.workload.total == 2
        register(ui_world, now=at("2026-11-30 09:30"), subject="Nog een")
        await wait_for(pilot, lambda: screen.workload.total == 3)
        await pilot.press("a")  # ENK only
        await wait_for(pilot, lambda: screen.workload.by_organisation == {"ENK": 2})


def test_compliance_share_leaves_running_targets_out() -> None:
    figures = MonthFigures(date(2026, 10, 1), 1.0, calls=4, targets_met=3, targets_missed=1)
    assert figures.compliance == 0.75
    assert MonthFigures(date(2026, 10, 1), 1.0, 0, 0, 0).compliance is None


async def test_quick_month_keys_read_only_the_month_they_stop_at(ui_world, clock,
                                                                   monkeypatch):
    october(ui_world)
    monkeypatch.setattr(reports, "KEY_PAUSE_SECONDS", 1.0)  # a slow test machine's presses
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_reports(app, pilot, "ENK")
        desk = app.desk
        asked: list[date] = []
        read_month = desk.report_month

        def counted(actor, organisation_id, month):
            asked.append(month)
            return read_month(actor, organisation_id, month)

        series_asked: list[tuple[date, int]] = []
        read_series = desk.report_series

        def series_counted(actor, organisation_id, last, months=12):
            series_asked.append((last, months))
            return read_series(actor, organisation_id, last, months)

        desk.report_month = counted
        desk.report_series = series_counted
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        assert screen.month_read is None  # October's figures are not shown as July's
        await wait_for(pilot, lambda: showing(app, "ENK"))
        assert screen.month == date(2026, 7, 1) and asked == [date(2026, 7, 1)]
        # The 12 months to July: the three before November 2025 are read, the rest known.
        assert series_asked == [(date(2025, 10, 1), 3)]
        assert [f.month for f in screen.series] == [
            date(2025, 8, 1), date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1),
            date(2025, 12, 1), *(date(2026, m, 1) for m in range(1, 8))]
        assert screen.series[-4].calls == 0 and screen.series[-1].month == date(2026, 7, 1)
        await pilot.press("right_square_bracket", "right_square_bracket",
                          "right_square_bracket")
        await wait_for(pilot, lambda: showing(app, "ENK") and screen.month.month == 10)
        assert series_asked[1:] == []  # all known now
        assert screen.series[-1].calls == 2  # October's figures as read the first time
        await pilot.press("r")
        await wait_for(pilot, lambda: showing(app, "ENK") and len(series_asked) == 2)
        assert series_asked[1] == (date(2026, 10, 1), 12)


async def test_in_english_the_tables_are_english_too(ui_world, clock):
    october(ui_world)
    app = make_test_app(ui_world, clock, language="en")
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_reports(app, pilot, "ENK")
        availability = text_of(screen, "report-availability")
        assert "Availability Gemeente Enkhuizen" in availability
        assert "October 2026" in availability and "98.48 %" in availability
        assert "Work queues all participants" in text_of(screen, "report-queue")
