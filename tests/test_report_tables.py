"""Reports written as text, CSV and HTML: figures right, user text harmless."""

from __future__ import annotations

import csv
import io
from datetime import date

from desk_tui.domain.availability import availability
from desk_tui.domain.calendar import CalendarConfig, build_calendars
from desk_tui.reports.monthly import availability_report, hours, percent
from desk_tui.reports.tables import Format, Report, Section, render
from tests.domain.conftest import AMS, ams

CALENDARS = build_calendars(CalendarConfig(), first_year=2026)
NASTY = "=HYPERLINK(\"x\")<script>alert(1)</script>\x1b[31m"


def december() -> Report:
    result = availability(CALENDARS.service, date(2026, 12, 1), AMS, [
        (ams("2026-12-04 16:00"), ams("2026-12-07 10:00"), NASTY),
    ])
    return availability_report(result, "Gemeente <Enkhuizen>")


def test_formatting_of_work_time_and_shares() -> None:
    assert [hours(s) for s in (0, 59 * 60, 3 * 3600 + 30, -1800, None)] == [
        "0:00", "0:59", "3:00", "-0:30", "—",
    ]
    assert percent(0.99747) == "99,75 %"


def test_text_shows_the_figures_and_makes_control_characters_visible() -> None:
    text = render(december(), Format.TABLE)
    assert "Beschikbaarheid Gemeente <Enkhuizen>" in text
    assert "december 2026" in text
    assert "198:00" in text and "3:00" in text and "98,48 %" in text
    assert "voldoet NIET aan" in text
    assert "\x1b" not in text and "\\x1b[31m" in text


def test_html_escapes_user_text_and_stands_alone() -> None:
    page = render(december(), Format.HTML)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Gemeente &lt;Enkhuizen&gt;" in page
    assert "<link" not in page and "src=" not in page  # nothing fetched from elsewhere


def test_csv_keeps_sections_apart_and_defuses_formulas() -> None:
    rows = list(csv.reader(io.StringIO(render(december(), Format.CSV))))
    assert rows[0] == ["section", "uren in venster", "uren prio 1", "beschikbaarheid", "norm"]
    outage = next(row for row in rows if row[0] == "Prioriteit 1-verstoringen")
    assert outage[4].startswith("'=HYPERLINK")
    numbers = Report("t", "s", (Section("n", ("a",), (("-3",),)),))
    assert list(csv.reader(io.StringIO(render(numbers, Format.CSV))))[1] == ["n", "-3"]


def test_html_marks_a_missed_norm() -> None:
    page = render(december(), Format.HTML)
    assert '<p class="note bad">De beschikbaarheid voldoet NIET aan de norm.</p>' in page


def _texts(report: Report) -> list[str]:
    """What the report says itself: titles, column heads, notes (not the data rows)."""
    found = [report.title, report.subtitle]
    for section in report.sections:
        found += [section.title, *section.columns, *section.notes]
    return found


def test_an_english_report_has_no_dutch_left() -> None:
    from datetime import datetime

    from desk_tui.domain.changes import ChangeKind
    from desk_tui.reports.monthly import (
        availability_overview,
        changes_report,
        compliance_report,
        workload_report,
    )
    from desk_tui.services.change_report import ChangeReport, KindTally
    from desk_tui.services.compliance import Compliance
    from desk_tui.services.workload import Workload

    result = availability(CALENDARS.service, date(2026, 12, 1), AMS, [
        (ams("2026-12-04 16:00"), ams("2026-12-07 10:00"), "M2026-000001")])
    month = date(2026, 12, 1)
    queue = Workload(at=datetime(2026, 12, 1, 9, tzinfo=AMS), total=1,
                     by_organisation={"ENK": 1}, by_line={"eerste-lijn": 1},
                     by_handler={"(niemand)": 1}, by_age={"< 1 dag": 1}, breached=0,
                     oldest=(), most_overdue=())
    def build(language: str) -> list[Report]:
        return [
            availability_report(result, "ENK", language),
            availability_overview([("ENK", result)], language),
            compliance_report(Compliance(month, (), ()), "ENK", language),
            workload_report(queue, None, language),
            changes_report(ChangeReport(month, (KindTally(ChangeKind.WACHTWOORD),), 0, 0),
                           "ENK", language),
        ]

    reports = build("en")
    texts = [text for report in reports for text in _texts(report)]
    dutch = [text for report in build("nl") for text in _texts(report)]
    same_in_both = {"norm", "prio", "open"}
    assert [nl for nl, en in zip(dutch, texts, strict=True)
            if nl == en and nl not in same_in_both] == []
    assert "Availability does NOT meet the norm." in texts and "December 2026" in texts
    assert render(reports[0], Format.TABLE).count("98.48 %") == 1
    rows = [row for report in reports[3:4] for section in report.sections
            for row in section.rows]
    assert ("(nobody)", "1") in rows and ("< 1 day", "1") in rows
