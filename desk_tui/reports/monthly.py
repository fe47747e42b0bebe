"""The monthly reports of SPEC 9 as tables (Dutch: they go to the participants)."""

from __future__ import annotations

from datetime import date, datetime

from desk_tui.domain.availability import Availability
from desk_tui.reports.tables import Report, Section
from desk_tui.services.change_report import ChangeReport
from desk_tui.services.compliance import Compliance, TargetTally
from desk_tui.services.workload import Workload

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def month_name(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def hours(seconds: float | None) -> str:
    """Work time as h:mm; '—' when there is none."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    sign = "-" if minutes < 0 else ""
    return f"{sign}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"


def percent(share: float) -> str:
    return f"{share * 100:.2f} %".replace(".", ",")


def _when(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M")


def availability_report(result: Availability, organisation: str) -> Report:
    verdict = "voldoet aan" if result.meets_norm else "voldoet NIET aan"
    summary = Section(
        "Beschikbaarheid servicevenster 1",
        ("uren in venster", "uren prio 1", "beschikbaarheid", "norm"),
        ((hours(result.window_seconds), hours(result.unavailable_seconds),
          percent(result.share), percent(result.norm)),),
        notes=(f"De beschikbaarheid {verdict} de norm.",),
        numeric=frozenset({0, 1, 2, 3}),
        verdict=result.meets_norm,
    )
    outages = Section(
        "Prioriteit 1-verstoringen",
        ("van", "tot", "uren in venster", "meldingen"),
        tuple((_when(o.start), _when(o.end), hours(o.window_seconds), ", ".join(o.labels))
              for o in result.outages),
        numeric=frozenset({2}), alerts=frozenset({2}),
    )
    return Report(f"Beschikbaarheid {organisation}", month_name(result.month),
                  (summary, outages))


def availability_overview(results: list[tuple[str, Availability]]) -> Report:
    """Every participant's availability in one table, and the P1 stretches that cost it."""
    month = results[0][1].month if results else None
    summary = Section(
        "Beschikbaarheid servicevenster 1 per deelnemer",
        ("organisatie", "uren in venster", "uren prio 1", "beschikbaarheid", "norm",
         "voldoet"),
        tuple((name, hours(r.window_seconds), hours(r.unavailable_seconds), percent(r.share),
               percent(r.norm), "ja" if r.meets_norm else "NEE") for name, r in results),
        numeric=frozenset({1, 2, 3, 4}),
        verdict=all(r.meets_norm for _, r in results),
    )
    outages = Section(
        "Prioriteit 1-verstoringen",
        ("organisatie", "van", "tot", "uren in venster", "meldingen"),
        tuple((name, _when(o.start), _when(o.end), hours(o.window_seconds),
               ", ".join(o.labels)) for name, r in results for o in r.outages),
        numeric=frozenset({3}), alerts=frozenset({3}),
    )
    return Report("Beschikbaarheid alle deelnemers",
                  month_name(month) if month else "", (summary, outages))


def combined(title: str, parts: list[tuple[str, Report]]) -> Report:
    """One report of several participants' reports: each section under its name."""
    subtitle = parts[0][1].subtitle if parts else ""
    sections = tuple(
        Section(f"{name}: {section.title}", section.columns, section.rows, section.notes,
                section.numeric, section.alerts, section.verdict)
        for name, report in parts for section in report.sections
    )
    return Report(title, subtitle, sections)


def _tally(tally: TargetTally) -> tuple[str, ...]:
    return (str(tally.met), str(tally.missed), str(tally.running),
            hours(tally.average_seconds), hours(tally.worst_seconds))


def compliance_report(result: Compliance, organisation: str) -> Report:
    columns = ("soort", "prio", "meldingen", "reactie gehaald", "gemist", "loopt",
               "gemiddeld", "langst", "oplossing gehaald", "gemist", "loopt", "gemiddeld",
               "langst")
    rows = tuple(
        (row.call_type.value, "—" if row.priority is None else str(row.priority),
         str(row.calls), *_tally(row.reaction), *_tally(row.resolution))
        for row in result.rows
    )
    missed = Section(
        "Gemiste normen", ("melding", "norm", "uren over de norm", "onderwerp"),
        tuple((m.reference, "reactie" if m.target == "reaction" else "oplossing",
               hours(m.over_seconds), m.subject) for m in result.missed),
        numeric=frozenset({2}), alerts=frozenset({2}),
    )
    table = Section("Normen per soort en prioriteit (werktijd, wachttijd niet meegeteld)",
                    columns, rows, numeric=frozenset(range(2, 13)),
                    alerts=frozenset({4, 9}))
    return Report(f"SLA-normen {organisation}", month_name(result.month), (table, missed))


def workload_report(result: Workload, organisation: str | None) -> Report:
    def counts(title: str, label: str, values: dict[str, int]) -> Section:
        return Section(title, (label, "open"), tuple((k, str(v)) for k, v in values.items()),
                       numeric=frozenset({1}))

    def bottlenecks(title: str, items: tuple) -> Section:  # type: ignore[type-arg]
        return Section(
            title, ("melding", "organisatie", "prio", "behandelaar", "lijn", "leeftijd",
                    "over de norm", "onderwerp"),
            tuple((i.row.number, i.row.organisation,
                   "—" if i.row.priority is None else str(i.row.priority),
                   i.row.handler or "(niemand)", i.row.line.value, hours(i.age_seconds),
                   hours(i.over_seconds), i.row.summary) for i in items),
            numeric=frozenset({2, 5, 6}), alerts=frozenset({6}),
        )

    sections = (
        Section("Totaal", ("open meldingen", "over een norm"),
                ((str(result.total), str(result.breached)),), numeric=frozenset({0, 1}),
                alerts=frozenset({1})),
        counts("Per organisatie", "organisatie", result.by_organisation),
        counts("Per lijn", "lijn", result.by_line),
        counts("Per behandelaar", "behandelaar", result.by_handler),
        counts("Per leeftijd (werkdagen van 8 uur)", "leeftijd", result.by_age),
        bottlenecks("Oudste meldingen", result.oldest),
        bottlenecks("Verst over de norm", result.most_overdue),
    )
    who = organisation or "alle deelnemers"
    return Report(f"Werkvoorraad {who}", f"stand {_when(result.at)}", sections)


def changes_report(result: ChangeReport, organisation: str) -> Report:
    kinds = Section(
        "Wijzigingen per soort",
        ("soort", "aangevraagd", "geweigerd", "op tijd", "te laat", "loopt", "te laat"),
        tuple((t.kind.value, str(t.registered), str(t.refused), str(t.met), str(t.missed),
               str(t.running), ", ".join(t.missed_references)) for t in result.kinds),
        numeric=frozenset({1, 2, 3, 4, 5}),
        alerts=frozenset({4}),
    )
    problems = Section("Problemen", ("geopend", "opgelost"),
                       ((str(result.problems_opened), str(result.problems_resolved)),),
                       numeric=frozenset({0, 1}))
    return Report(f"Wijzigingen en problemen {organisation}", month_name(result.month),
                  (kinds, problems))
