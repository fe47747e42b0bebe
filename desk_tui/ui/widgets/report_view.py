"""A report on screen: its sections as aligned tables, and the 12-month plots.

The tables are the same `Report` the command line writes, so what the console shows is
what a contract manager gets mailed. Cells are user text (subjects, names): they go in as
plain `Content`, made visible first, never as markup. Colours are theme variables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static
from textual_plotext import PlotextPlot

from desk_tui.reports.tables import Report, Section
from desk_tui.ui import i18n
from desk_tui.ui.i18n import _

if TYPE_CHECKING:
    from desk_tui.services.report_series import MonthFigures
from desk_tui.ui.text import fit, visible

MUTED = "$desk-muted"
BAD = "$sla-breached"
GOOD = "$sla-ok"
WIDEST_CELL = 60  # a subject longer than this is cut with an ellipsis
_QUIET_CELLS = frozenset({"", "0", "—", "0:00"})


def section_lines(section: Section) -> list[Content]:
    """Title, header and rows of one section, aligned like the text report."""
    rows = [tuple(visible(cell) for cell in row) for row in section.rows]
    widths = [
        min(WIDEST_CELL, max([cell_len(column)] + [cell_len(row[i]) for row in rows]))
        for i, column in enumerate(section.columns)
    ]

    def line(cells: Sequence[str], style: str = "", alert: bool = False) -> Content:
        parts: list[tuple[str, str] | str] = []
        for i, cell in enumerate(cells):
            align = "right" if i in section.numeric else "left"
            bad = alert and i in section.alerts and cell not in _QUIET_CELLS
            parts.append((fit(cell, widths[i], align), BAD if bad else style))
            parts.append("  ")
        return Content.assemble(*parts[:-1])

    lines = [Content.styled(visible(section.title), "bold"),
             line(section.columns, MUTED)]
    lines.extend(line(row, alert=True) for row in rows)
    if not rows:
        lines.append(Content.styled(_("(none)"), MUTED))
    note_style = {True: GOOD, False: BAD}.get(section.verdict, "")  # type: ignore[arg-type]
    lines.extend(Content.styled(visible(note), note_style) for note in section.notes)
    return lines


def report_content(report: Report) -> Content:
    lines = [Content.styled(visible(report.title), "bold"),
             Content.styled(visible(report.subtitle), MUTED), Content("")]
    for section in report.sections:
        lines.extend(section_lines(section))
        lines.append(Content(""))
    return Content("\n").join(lines)


class ReportView(VerticalScroll):
    """One report, scrollable; shows a line of its own until the report is there."""

    DEFAULT_CSS = """
    ReportView { height: 1fr; padding: 0 1; }
    ReportView > Static { width: auto; text-wrap: nowrap; }
    """

    def __init__(self, waiting: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._waiting = waiting
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(self._waiting, MUTED), classes="report-text")

    def show(self, report: Report) -> None:
        self.report = report
        self.query_one(".report-text", Static).update(report_content(report))

    def wait(self, text: str) -> None:
        """Say it is reading, keeping the old report on screen would mislead."""
        self.report = None
        self.query_one(".report-text", Static).update(Content.styled(text, MUTED))


def month_label(month: date) -> str:
    return f"{month:%m-%y}"


class TrendPlots(Vertical):
    """Availability against the norm, targets met and calls, per month for a year."""

    DEFAULT_CSS = """
    TrendPlots { height: 1fr; }
    TrendPlots PlotextPlot { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.figures: tuple[MonthFigures, ...] = ()

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="plot-availability")
        yield PlotextPlot(id="plot-compliance")
        yield PlotextPlot(id="plot-calls")

    def show(self, figures: tuple[MonthFigures, ...]) -> None:
        self.figures = figures
        ticks = list(range(len(figures)))
        labels = [month_label(f.month) for f in figures]
        availability = self.query_one("#plot-availability", PlotextPlot)
        plt = availability.plt
        plt.clear_figure()
        shares = [f.availability * 100 for f in figures]
        norm = (figures[0].norm if figures else 0.995) * 100
        lowest = min([*shares, norm]) if shares else norm
        # No legend: it would sit on the line at 100 %; the title says what it shows.
        plt.plot(ticks, shares, marker="braille")
        plt.hline(norm, "red")
        plt.ylim(max(0.0, lowest - (100 - lowest) * 0.2 - 0.1), 100.05)
        plt.xticks(ticks, labels)
        shown = f"{norm:.1f}"
        plt.title(_("Availability per month, norm {norm} %").format(
            norm=shown.replace(".", ",") if i18n.language() == "nl" else shown))
        availability.refresh()

        compliance = self.query_one("#plot-compliance", PlotextPlot)
        plt = compliance.plt
        plt.clear_figure()
        met = [0.0 if f.compliance is None else f.compliance * 100 for f in figures]
        plt.bar(ticks, met, width=0.6)
        plt.ylim(0, 100)
        plt.xticks(ticks, labels)
        plt.title(_("SLA targets met per month (%)"))
        compliance.refresh()

        calls = self.query_one("#plot-calls", PlotextPlot)
        plt = calls.plt
        plt.clear_figure()
        plt.bar(ticks, [f.calls for f in figures], width=0.6)
        plt.xticks(ticks, labels)
        plt.title(_("Calls per month"))
        calls.refresh()
