"""The monthly reports of SPEC 9 as tables. Dutch by default: they go to the
participants; the console asks for its interface language (English available). Call
types, lines and statuses stay the SLA's own terms in both."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from desk_tui.domain.availability import Availability
from desk_tui.reports.tables import Report, Section
from desk_tui.services.change_report import ChangeReport
from desk_tui.services.compliance import Compliance, TargetTally
from desk_tui.services.workload import UNASSIGNED, Workload

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
                   "August", "September", "October", "November", "December")

# Every Dutch text of the reports, in English. A text missing here stays Dutch
# (tests/test_report_tables.py checks that an English report has none left).
ENGLISH = {
    "Beschikbaarheid {organisation}": "Availability {organisation}",
    "Beschikbaarheid servicevenster 1": "Availability in service window 1",
    "uren in venster": "window hours", "uren prio 1": "P1 hours",
    "beschikbaarheid": "availability", "norm": "norm",
    "De beschikbaarheid voldoet aan de norm.": "Availability meets the norm.",
    "De beschikbaarheid voldoet NIET aan de norm.": "Availability does NOT meet the norm.",
    "Prioriteit 1-verstoringen": "Priority 1 incidents", "van": "from", "tot": "to",
    "meldingen": "calls",
    "Beschikbaarheid servicevenster 1 per deelnemer":
        "Availability in service window 1 per participant",
    "organisatie": "organisation", "voldoet": "meets", "ja": "yes", "NEE": "NO",
    "Beschikbaarheid alle deelnemers": "Availability, all participants",
    "SLA-normen {organisation}": "SLA targets {organisation}",
    "Normen per soort en prioriteit (werktijd, wachttijd niet meegeteld)":
        "Targets per type and priority (work time, waiting time left out)",
    "soort": "type", "prio": "prio", "reactie gehaald": "reaction met", "gemist": "missed",
    "loopt": "running", "gemiddeld": "average", "langst": "worst",
    "oplossing gehaald": "resolution met",
    "Gemiste normen": "Missed targets", "melding": "call",
    "uren over de norm": "hours over the target", "onderwerp": "subject",
    "reactie": "reaction", "oplossing": "resolution",
    "Werkvoorraad {organisation}": "Work queues {organisation}",
    "alle deelnemers": "all participants", "stand {moment}": "as of {moment}",
    "Totaal": "Total", "open meldingen": "open calls", "over een norm": "past a target",
    "open": "open", "Per organisatie": "Per organisation", "Per lijn": "Per line",
    "lijn": "line", "Per behandelaar": "Per handler", "behandelaar": "handler",
    "Per leeftijd (werkdagen van 8 uur)": "Per age (work days of 8 hours)",
    "leeftijd": "age", "Oudste meldingen": "Oldest calls",
    "Verst over de norm": "Furthest past a target", "over de norm": "past the target",
    UNASSIGNED: "(nobody)",
    "< 1 dag": "< 1 day", "1–3 dagen": "1–3 days", "3–10 dagen": "3–10 days",
    "> 10 dagen": "> 10 days",
    "Wijzigingen en problemen {organisation}": "Changes and problems {organisation}",
    "Wijzigingen per soort": "Changes per kind", "aangevraagd": "requested",
    "geweigerd": "refused", "op tijd": "in time", "te laat": "late",
    "Problemen": "Problems", "geopend": "opened", "opgelost": "resolved",
}
Words = Callable[[str], str]


def words(language: str = "nl") -> Words:
    if language == "en":
        return lambda text: ENGLISH.get(text, text)
    return lambda text: text


def month_name(month: date, language: str = "nl") -> str:
    names = _ENGLISH_MONTHS if language == "en" else MONTHS
    return f"{names[month.month - 1]} {month.year}"


def hours(seconds: float | None) -> str:
    """Work time as h:mm; '—' when there is none."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    sign = "-" if minutes < 0 else ""
    return f"{sign}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"


def percent(share: float, language: str = "nl") -> str:
    shown = f"{share * 100:.2f} %"
    return shown if language == "en" else shown.replace(".", ",")


def _when(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M")


def availability_report(result: Availability, organisation: str,
                        language: str = "nl") -> Report:
    t = words(language)
    verdict = ("De beschikbaarheid voldoet aan de norm." if result.meets_norm
               else "De beschikbaarheid voldoet NIET aan de norm.")
    summary = Section(
        t("Beschikbaarheid servicevenster 1"),
        tuple(map(t, ("uren in venster", "uren prio 1", "beschikbaarheid", "norm"))),
        ((hours(result.window_seconds), hours(result.unavailable_seconds),
          percent(result.share, language), percent(result.norm, language)),),
        notes=(t(verdict),),
        numeric=frozenset({0, 1, 2, 3}),
        verdict=result.meets_norm,
    )
    outages = Section(
        t("Prioriteit 1-verstoringen"),
        tuple(map(t, ("van", "tot", "uren in venster", "meldingen"))),
        tuple((_when(o.start), _when(o.end), hours(o.window_seconds), ", ".join(o.labels))
              for o in result.outages),
        numeric=frozenset({2}), alerts=frozenset({2}),
    )
    return Report(t("Beschikbaarheid {organisation}").format(organisation=organisation),
                  month_name(result.month, language), (summary, outages))


def availability_overview(results: list[tuple[str, Availability]],
                          language: str = "nl") -> Report:
    """Every participant's availability in one table, and the P1 stretches that cost it."""
    t = words(language)
    month = results[0][1].month if results else None
    summary = Section(
        t("Beschikbaarheid servicevenster 1 per deelnemer"),
        tuple(map(t, ("organisatie", "uren in venster", "uren prio 1", "beschikbaarheid",
                      "norm", "voldoet"))),
        tuple((name, hours(r.window_seconds), hours(r.unavailable_seconds),
               percent(r.share, language), percent(r.norm, language),
               t("ja") if r.meets_norm else t("NEE")) for name, r in results),
        numeric=frozenset({1, 2, 3, 4}),
        verdict=all(r.meets_norm for _, r in results),
    )
    outages = Section(
        t("Prioriteit 1-verstoringen"),
        tuple(map(t, ("organisatie", "van", "tot", "uren in venster", "meldingen"))),
        tuple((name, _when(o.start), _when(o.end), hours(o.window_seconds),
               ", ".join(o.labels)) for name, r in results for o in r.outages),
        numeric=frozenset({3}), alerts=frozenset({3}),
    )
    return Report(t("Beschikbaarheid alle deelnemers"),
                  month_name(month, language) if month else "", (summary, outages))


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


def compliance_report(result: Compliance, organisation: str, language: str = "nl") -> Report:
    t = words(language)
    columns = tuple(map(t, (
        "soort", "prio", "meldingen", "reactie gehaald", "gemist", "loopt", "gemiddeld",
        "langst", "oplossing gehaald", "gemist", "loopt", "gemiddeld", "langst")))
    rows = tuple(
        (row.call_type.value, "—" if row.priority is None else str(row.priority),
         str(row.calls), *_tally(row.reaction), *_tally(row.resolution))
        for row in result.rows
    )
    missed = Section(
        t("Gemiste normen"), tuple(map(t, ("melding", "norm", "uren over de norm",
                                           "onderwerp"))),
        tuple((m.reference, t("reactie") if m.target == "reaction" else t("oplossing"),
               hours(m.over_seconds), m.subject) for m in result.missed),
        numeric=frozenset({2}), alerts=frozenset({2}),
    )
    table = Section(t("Normen per soort en prioriteit (werktijd, wachttijd niet meegeteld)"),
                    columns, rows, numeric=frozenset(range(2, 13)),
                    alerts=frozenset({4, 9}))
    return Report(t("SLA-normen {organisation}").format(organisation=organisation),
                  month_name(result.month, language), (table, missed))


def workload_report(result: Workload, organisation: str | None,
                    language: str = "nl") -> Report:
    t = words(language)

    def counts(title: str, label: str, values: dict[str, int],
               labels: Words = lambda key: key) -> Section:
        return Section(t(title), (t(label), t("open")),
                       tuple((labels(k), str(v)) for k, v in values.items()),
                       numeric=frozenset({1}))

    def bottlenecks(title: str, items: tuple) -> Section:  # type: ignore[type-arg]
        return Section(
            t(title), tuple(map(t, ("melding", "organisatie", "prio", "behandelaar", "lijn",
                                    "leeftijd", "over de norm", "onderwerp"))),
            tuple((i.row.number, i.row.organisation,
                   "—" if i.row.priority is None else str(i.row.priority),
                   i.row.handler or t(UNASSIGNED), i.row.line.value, hours(i.age_seconds),
                   hours(i.over_seconds), i.row.summary) for i in items),
            numeric=frozenset({2, 5, 6}), alerts=frozenset({6}),
        )

    # Only the unassigned row's label is ours: the other keys are handlers' names.
    def handler(name: str) -> str:
        return t(UNASSIGNED) if name == UNASSIGNED else name

    sections = (
        Section(t("Totaal"), (t("open meldingen"), t("over een norm")),
                ((str(result.total), str(result.breached)),), numeric=frozenset({0, 1}),
                alerts=frozenset({1})),
        counts("Per organisatie", "organisatie", result.by_organisation),
        counts("Per lijn", "lijn", result.by_line),
        counts("Per behandelaar", "behandelaar", result.by_handler, handler),
        counts("Per leeftijd (werkdagen van 8 uur)", "leeftijd", result.by_age, t),
        bottlenecks("Oudste meldingen", result.oldest),
        bottlenecks("Verst over de norm", result.most_overdue),
    )
    who = organisation or t("alle deelnemers")
    return Report(t("Werkvoorraad {organisation}").format(organisation=who),
                  t("stand {moment}").format(moment=_when(result.at)), sections)


def changes_report(result: ChangeReport, organisation: str, language: str = "nl") -> Report:
    t = words(language)
    kinds = Section(
        t("Wijzigingen per soort"),
        tuple(map(t, ("soort", "aangevraagd", "geweigerd", "op tijd", "te laat", "loopt",
                      "te laat"))),
        tuple((tk.kind.value, str(tk.registered), str(tk.refused), str(tk.met),
               str(tk.missed), str(tk.running), ", ".join(tk.missed_references))
              for tk in result.kinds),
        numeric=frozenset({1, 2, 3, 4, 5}),
        alerts=frozenset({4}),
    )
    problems = Section(t("Problemen"), (t("geopend"), t("opgelost")),
                       ((str(result.problems_opened), str(result.problems_resolved)),),
                       numeric=frozenset({0, 1}))
    return Report(t("Wijzigingen en problemen {organisation}").format(organisation=organisation),
                  month_name(result.month, language), (kinds, problems))
