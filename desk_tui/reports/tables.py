"""One report = titled sections of rows; written as an aligned text table, CSV or one
self-contained HTML page (inline style, no scripts) fit to mail to a contract manager.
Every value is escaped for the format it goes into: names and subjects are user text."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    HTML = "html"


@dataclass(frozen=True)
class Section:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Column indexes whose cells are numbers: right-aligned.
    numeric: frozenset[int] = field(default_factory=frozenset)
    # Column indexes where anything but 0 is bad news (missed, late): shown in colour.
    alerts: frozenset[int] = field(default_factory=frozenset)
    # Whether the figures meet their norm (None: no norm): the notes say it in colour.
    verdict: bool | None = None


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    sections: tuple[Section, ...]


def render(report: Report, form: Format) -> str:
    if form is Format.CSV:
        return to_csv(report)
    if form is Format.HTML:
        return to_html(report)
    return to_text(report)


def _printable(text: str) -> str:
    """Control characters of user text made visible, so a name cannot move the cursor."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def to_text(report: Report) -> str:
    out = [report.title, report.subtitle, ""]
    for section in report.sections:
        out.append(section.title)
        out.append("-" * len(section.title))
        rows = [tuple(_printable(cell) for cell in row) for row in section.rows]
        widths = [
            max([len(column)] + [len(row[i]) for row in rows])
            for i, column in enumerate(section.columns)
        ]
        out.append(_line(section.columns, widths, section.numeric))
        out.extend(_line(row, widths, section.numeric) for row in rows)
        if not rows:
            out.append("(geen)")
        out.extend(_printable(note) for note in section.notes)
        out.append("")
    return "\n".join(out)


def _line(cells: Sequence[str], widths: Sequence[int], numeric: frozenset[int]) -> str:
    parts = [
        cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
        for i, cell in enumerate(cells)
    ]
    return "  ".join(parts).rstrip()


def to_csv(report: Report) -> str:
    """One CSV: a first column names the section, so the sections stay apart in a
    spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for section in report.sections:
        writer.writerow(("section", *section.columns))
        for row in section.rows:
            writer.writerow((section.title, *(_defused(cell) for cell in row)))
    return buffer.getvalue()


def _defused(cell: str) -> str:
    """A cell starting with = + - @ would run as a formula in a spreadsheet."""
    if cell and cell[0] in "=+-@" and not _is_number(cell):
        return "'" + cell
    return cell


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return False
    return True


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#1a1a1a}
h1{font-size:1.4em;margin-bottom:0}p.sub{color:#555;margin-top:.2em}
h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}
th,td{padding:.25em .7em;border-bottom:1px solid #e4e4e4;text-align:left}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
p.note{color:#444}p.good{color:#1a6b2f}p.bad{color:#b00020;font-weight:bold}
""".strip()


def to_html(report: Report) -> str:
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        f"<title>{esc(report.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{esc(report.title)}</h1><p class=\"sub\">{esc(report.subtitle)}</p>",
    ]
    for section in report.sections:
        parts.append(f"<h2>{esc(section.title)}</h2><table><thead><tr>")
        parts.extend(f"<th>{esc(column)}</th>" for column in section.columns)
        parts.append("</tr></thead><tbody>")
        for row in section.rows:
            cells = "".join(
                f'<td class="n">{esc(cell)}</td>' if i in section.numeric
                else f"<td>{esc(cell)}</td>"
                for i, cell in enumerate(row)
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table>")
        verdict = {True: " good", False: " bad"}.get(section.verdict, "")  # type: ignore[arg-type]
        parts.extend(f'<p class="note{verdict}">{esc(note)}</p>' for note in section.notes)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
