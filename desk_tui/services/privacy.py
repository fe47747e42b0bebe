"""Personal data (SPEC 11): made inaccessible once a participant's contract has ended, and
exported for one person on request.

The purge anonymises, it does not delete: calls, their counts, types, priorities, times
and history stay, so the SLA reports over past months keep adding up. What can identify
someone goes: people's names, phone numbers, mail addresses, logins and job titles; the
organisation's operators (contract and information managers), escalation and crisis
contacts; and the free text operators type names and numbers into: of its calls, changes,
problems and mail (subject, description, solution, root cause, workaround, notes, waiting
reasons, who agreed to a P1 evaluation and what it found, the data-breach steps), of the
standby log (who, where, what) of its calls, its election sites and its people, of its
GRIP levels, of the evening handovers that list its calls, and of the offline copies of
its calls (a site's last values and the conflicts waiting for a decision).
The audit trail holds none of those values: store/audit.py logs only that such a field
changed (PERSONAL_FIELDS, and a test fails for any text column left unclassified), so it
need not change.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlmodel import Session

from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import InvalidInput, NotFound
from desk_tui.store.enums import CiHistoryField, HistoryField
from desk_tui.store.models import (
    Call,
    CallHistory,
    CallPause,
    Change,
    CiHistory,
    ConfigurationItem,
    Contract,
    Department,
    EscalationContact,
    Operator,
    Organisation,
    OutboxMessage,
    P1Evaluation,
    Person,
    PurgeRun,
    SecurityIncident,
    SecurityIncidentStep,
)
from desk_tui.store.search import ci_search_text
from desk_tui.store.tables.audit import AuditEntry
from desk_tui.store.tables.base import CENTRAL_SITE
from desk_tui.store.tables.crisis import CrisisContact, GripLevel
from desk_tui.store.tables.offline import (
    OfflineCallBase,
    OfflineConflict,
    OfflineRecordBase,
    OfflineSite,
    StandbyEntry,
)
from desk_tui.store.tables.oncall import OnCallHandover
from desk_tui.store.tables.problems import Problem

ANONYMOUS = "Geanonimiseerd"
WIPED = "[geanonimiseerd]"
# The purge is meant to run daily (deploy/): a last run longer ago than this is a warning.
PURGE_DUE_AFTER = timedelta(days=1)
# Keys of the JSON an offline site's copy of a call and a conflict hold (the call's fields,
# its history and pauses), and of CI attributes, whose values are free text or personal data.
_FREE_TEXT_KEYS = frozenset({
    "subject", "description", "solution", "note", "reason", "old_value", "new_value",
    "name", "phone", "email", "login", "job_title", "who", "what", "location",
    # a site's changes, problems, P1 evaluations and CI notes (offline_record_base)
    "notes", "title", "root_cause", "workaround", "with_whom", "summary", "refusal_reason",
    # and the columns of an imported CMDB sheet that name a person (CI attributes)
    "user", "owner", "contact", "gebruiker", "eigenaar", "naam", "contactpersoon",
    "telefoon", "e-mail", "mail",
})


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What the purge anonymised for one organisation."""

    code: str
    name: str
    contract_end: date
    persons: int
    operators: int
    escalation_contacts: int
    calls: int
    changes: int
    mails: int
    first_time: bool  # False: sealed before, this run only caught what came after
    crisis_contacts: int = 0
    problems: int = 0
    standby_entries: int = 0
    handovers: int = 0  # evening handovers that listed its calls
    offline_records: int = 0  # sites' copies of its calls and conflicts about them
    cis: int = 0  # its CIs whose notes or personal attributes were wiped
    contracts: int = 0  # its contracts whose notes were wiped

    @property
    def changed(self) -> bool:
        return self.first_time or any((
            self.persons, self.operators, self.escalation_contacts, self.calls,
            self.changes, self.mails, self.crisis_contacts, self.problems,
            self.standby_entries, self.handovers, self.offline_records, self.cis,
            self.contracts))

    def describe(self) -> str:
        if not self.changed:
            return f"{self.code} ({self.name}): anonymised before, nothing new"
        return (
            f"{self.code} ({self.name}, contract ended {self.contract_end.isoformat()}):"
            f" {self.persons} persons, {self.operators} operators,"
            f" {self.escalation_contacts} escalation contacts, {self.crisis_contacts} crisis"
            f" contacts anonymised; free text of {self.calls} calls, {self.changes} changes,"
            f" {self.problems} problems, {self.mails} mails, {self.standby_entries} standby"
            f" entries, {self.handovers} handovers, {self.offline_records} offline"
            f" records, {self.cis} CIs and {self.contracts} contracts wiped"
        )


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def due_organisations(
    *, session: Session, today: date, grace_months: int
) -> list[Organisation]:
    """Organisations whose contract ended `grace_months` or more before `today`."""
    ended = session.execute(
        select(Organisation).where(Organisation.contract_end.is_not(None),
                                   Organisation.contract_end <= today)
        .order_by(Organisation.code)
    ).scalars().all()
    return [organisation for organisation in ended
            if organisation.contract_end is not None
            and months_after(organisation.contract_end, grace_months) <= today]


def purge(
    *, session: Session, actor: Actor, today: date, now: datetime, grace_months: int = 3,
    dry_run: bool = False,
) -> list[PurgeReport]:
    """Anonymise the personal data of every organisation whose contract ended
    `grace_months` (SPEC 11: at most 3) or more before `today`. Running it again is
    harmless: it reports only what it changed."""
    require(actor, Action.PRIVACY_PURGE)
    if not 0 <= grace_months <= 3:
        raise InvalidInput("grace_months", "personal data must go within 3 months (SPEC 11)")
    reports = []
    for organisation in due_organisations(session=session, today=today,
                                          grace_months=grace_months):
        reports.append(_purge_one(session, organisation, now, dry_run))
    if not dry_run:  # in the same transaction: recorded exactly when it took effect
        session.add(PurgeRun(
            ran_at=now, operator_id=actor.id, operator_login=actor.login, today=today,
            grace_months=grace_months, organisations=len(reports),
            persons=sum(r.persons for r in reports), operators=sum(r.operators for r in reports),
            escalation_contacts=sum(r.escalation_contacts for r in reports),
            calls=sum(r.calls for r in reports), changes=sum(r.changes for r in reports),
            mails=sum(r.mails for r in reports),
        ))
        session.flush()
    return reports


@dataclass(frozen=True, slots=True)
class PurgeRunView:
    """One recorded purge run."""

    ran_at: datetime
    operator_login: str
    today: date
    grace_months: int
    organisations: int
    persons: int
    operators: int
    escalation_contacts: int
    calls: int
    changes: int
    mails: int

    def describe(self) -> str:
        return (
            f"by {self.operator_login}, counting from {self.today.isoformat()} (grace"
            f" {self.grace_months} months): {self.organisations} organisations;"
            f" {self.persons} persons, {self.operators} operators,"
            f" {self.escalation_contacts} escalation contacts anonymised; free text of"
            f" {self.calls} calls, {self.changes} changes and {self.mails} mails wiped"
        )


@dataclass(frozen=True, slots=True)
class PurgeStatus:
    """Whether the daily purge keeps up: its last run, and organisations whose personal
    data is due to go but was never anonymised."""

    now: datetime
    last: PurgeRunView | None
    runs: tuple[PurgeRunView, ...]  # the newest first
    waiting: tuple[str, ...]  # codes of organisations due and not yet anonymised

    @property
    def overdue(self) -> bool:
        return self.last is None or self.now - self.last.ran_at > PURGE_DUE_AFTER

    def warning(self) -> str | None:
        """One line for an administrator, or None while the purge keeps up."""
        parts = []
        if self.last is None:
            parts.append("the privacy purge has never run")
        elif self.overdue:
            hours = int((self.now - self.last.ran_at).total_seconds() // 3600)
            parts.append(f"the privacy purge last ran {hours} hours ago (it should run daily)")
        if self.waiting:
            parts.append(f"personal data of {', '.join(self.waiting)} is due to be"
                         " anonymised")
        if not parts:
            return None
        return "; ".join(parts) + ": schedule `desk privacy purge` daily (deploy/ in desk)"


def purge_status(
    *, session: Session, actor: Actor, now: datetime, today: date, grace_months: int,
    history: int = 5,
) -> PurgeStatus:
    """The last purge runs and what waits for the next one."""
    require(actor, Action.PRIVACY_PURGE)
    rows = session.execute(
        select(PurgeRun).order_by(PurgeRun.ran_at.desc()).limit(history)
    ).scalars().all()
    runs = tuple(PurgeRunView(
        ran_at=row.ran_at, operator_login=row.operator_login, today=row.today,
        grace_months=row.grace_months, organisations=row.organisations, persons=row.persons,
        operators=row.operators, escalation_contacts=row.escalation_contacts,
        calls=row.calls, changes=row.changes, mails=row.mails,
    ) for row in rows)
    waiting = tuple(
        organisation.code
        for organisation in due_organisations(session=session, today=today,
                                              grace_months=grace_months)
        if organisation.personal_data_sealed_at is None
    )
    return PurgeStatus(now=now, last=runs[0] if runs else None, runs=runs, waiting=waiting)


def _purge_one(
    session: Session, organisation: Organisation, now: datetime, dry_run: bool
) -> PurgeReport:
    org_id = organisation.id
    first_time = organisation.personal_data_sealed_at is None
    persons = session.execute(
        select(Person).where(Person.organisation_id == org_id, or_(
            Person.name != ANONYMOUS, Person.phone.is_not(None), Person.email.is_not(None),
            Person.login.is_not(None), Person.job_title.is_not(None)))
    ).scalars().all()
    operators = session.execute(
        select(Operator).where(Operator.organisation_id == org_id,
                               Operator.display_name != ANONYMOUS)
    ).scalars().all()
    contacts = session.execute(
        select(EscalationContact).where(EscalationContact.organisation_id == org_id, or_(
            EscalationContact.person_name.is_not(None), EscalationContact.phone.is_not(None),
            EscalationContact.email.is_not(None)))
    ).scalars().all()
    call_ids = select(Call.id).where(Call.organisation_id == org_id)
    calls_to_wipe = session.execute(
        select(Call.id).where(Call.organisation_id == org_id, or_(
            Call.subject != WIPED, Call.description != "", Call.solution.is_not(None)))
    ).scalars().all()
    changes_to_wipe = session.execute(
        select(Change.id).where(Change.organisation_id == org_id, or_(
            Change.title != WIPED, Change.description != "",
            Change.refusal_reason.is_not(None)))
    ).scalars().all()
    mails = session.execute(
        select(OutboxMessage.id).where(OutboxMessage.call_id.in_(call_ids),
                                       OutboxMessage.body != "")
    ).scalars().all()
    crisis_contacts = session.execute(
        select(CrisisContact).where(CrisisContact.organisation_id == org_id, or_(
            CrisisContact.name.is_not(None), CrisisContact.phone != "",
            CrisisContact.email.is_not(None)))
    ).scalars().all()
    problems_to_wipe = session.execute(
        select(Problem.id).where(Problem.organisation_id == org_id, or_(
            Problem.title != WIPED, Problem.description != "", Problem.root_cause.is_not(None),
            Problem.workaround.is_not(None)))
    ).scalars().all()
    our_calls = set(session.execute(call_ids).scalars().all())
    standby = _standby_entries(session, org_id, call_ids, our_calls,
                               {person.name for person in persons})
    handovers = _handovers_listing(session, our_calls)
    sites = select(OfflineSite.id).where(OfflineSite.organisation_id == org_id)
    offline = [
        *session.execute(select(OfflineCallBase).where(
            OfflineCallBase.call_id.in_(call_ids))).scalars().all(),
        *session.execute(select(OfflineConflict).where(
            OfflineConflict.call_id.in_(call_ids))).scalars().all(),
        # The organisation's sites' people, CIs, changes, ... as last agreed or disputed.
        *session.execute(select(OfflineRecordBase).where(
            OfflineRecordBase.site_id.in_(sites))).scalars().all(),
        *session.execute(select(OfflineConflict).where(
            OfflineConflict.call_id.is_(None),
            OfflineConflict.site_id.in_(sites))).scalars().all(),
    ]
    offline = [record for record in offline if _wiped_copy(record) != _json_of(record)
               or getattr(record, "note", None) is not None]
    items = [item for item in session.execute(select(ConfigurationItem).where(
        ConfigurationItem.organisation_id == org_id)).scalars().all()
        if item.notes is not None or _scrub(item.attributes or {}) != (item.attributes or {})]
    contracts = session.execute(select(Contract).where(
        Contract.organisation_id == org_id, Contract.notes.is_not(None))).scalars().all()
    report = PurgeReport(
        organisation.code, organisation.name, organisation.contract_end or now.date(),
        len(persons), len(operators), len(contacts), len(calls_to_wipe),
        len(changes_to_wipe), len(mails), first_time, crisis_contacts=len(crisis_contacts),
        problems=len(problems_to_wipe), standby_entries=len(standby),
        handovers=len(handovers), offline_records=len(offline), cis=len(items),
        contracts=len(contracts),
    )
    if dry_run:
        return report

    for person in persons:
        person.name = ANONYMOUS
        person.phone = person.email = person.login = person.job_title = None
        person.active = False
        person.is_hr_submitter = person.is_department_head = False
    for operator in operators:
        operator.display_name = ANONYMOUS
        operator.login = f"geanonimiseerd-{operator.id.hex[:12]}"
        operator.email = operator.phone = operator.pin_hash = None
        operator.active = False
    for contact in contacts:
        contact.person_name = contact.phone = contact.email = None
    for crisis_contact in crisis_contacts:  # the role stays: "OOV-adviseur", unreachable
        crisis_contact.name = crisis_contact.email = None
        crisis_contact.phone = ""
        crisis_contact.updated_at = now
    if calls_to_wipe:
        session.execute(update(Call).where(Call.id.in_(calls_to_wipe)).values(
            subject=WIPED, description="", solution=None,
            version=Call.version + 1, updated_at=now))
    session.execute(update(CallHistory).where(
        CallHistory.call_id.in_(call_ids), CallHistory.note.is_not(None)).values(note=None))
    session.execute(update(CallHistory).where(
        CallHistory.call_id.in_(call_ids), CallHistory.field == HistoryField.NOTE
    ).values(old_value=None, new_value=None))
    session.execute(update(CallPause).where(
        CallPause.call_id.in_(call_ids), CallPause.reason != "").values(reason=""))
    session.execute(update(P1Evaluation).where(
        P1Evaluation.call_id.in_(call_ids),
        or_(P1Evaluation.with_whom.is_not(None), P1Evaluation.summary.is_not(None)),
    ).values(with_whom=None, summary=None))
    incidents = select(SecurityIncident.id).where(SecurityIncident.call_id.in_(call_ids))
    session.execute(update(SecurityIncidentStep).where(
        SecurityIncidentStep.incident_id.in_(incidents),
        SecurityIncidentStep.note.is_not(None)).values(note=None))
    if changes_to_wipe:
        session.execute(update(Change).where(Change.id.in_(changes_to_wipe)).values(
            title=WIPED, description="", refusal_reason=None,
            version=Change.version + 1, updated_at=now))
    if mails:
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(mails)).values(
            recipient="", subject=WIPED, body="", last_error=None, next_attempt_at=None))
    if problems_to_wipe:
        session.execute(update(Problem).where(Problem.id.in_(problems_to_wipe)).values(
            title=WIPED, description="", root_cause=None, workaround=None,
            version=Problem.version + 1, updated_at=now))
    for entry in standby:
        entry.who, entry.location, entry.what = ANONYMOUS, "", WIPED
        entry.updated_at = now
    for handover in handovers:
        handover.summary = _handover_without(handover.summary, our_calls)
    for record in offline:
        if isinstance(record, OfflineCallBase | OfflineRecordBase):
            record.fields = _wiped_copy(record)
        else:
            record.payload = _wiped_copy(record)
            record.note = None
    session.execute(update(GripLevel).where(
        GripLevel.organisation_id == org_id, GripLevel.note.is_not(None)).values(note=None))
    for item in items:  # an imported sheet's columns and notes can name people
        item.notes = None
        item.attributes = _scrub(item.attributes or {})
        item.updated_at = now
    own_cis = select(ConfigurationItem.id).where(ConfigurationItem.organisation_id == org_id)
    session.execute(update(CiHistory).where(
        CiHistory.ci_id.in_(own_cis),
        CiHistory.field.in_((CiHistoryField.NOTE, CiHistoryField.IMPORTED)),
    ).values(old_value=None, new_value=None))
    for contract in contracts:
        contract.notes = None
        contract.updated_at = now
    _reindex_owned_cis(session, organisation, [person.id for person in persons])
    if first_time:
        organisation.personal_data_sealed_at = now
    session.flush()
    return report


def _standby_entries(
    session: Session, org_id: uuid.UUID, call_ids: Any, our_calls: set[uuid.UUID],
    names: set[str],
) -> list[StandbyEntry]:
    """Standby log lines about the organisation: of its calls, logged at its election
    sites, or logged centrally without a call naming one of its people as who called."""
    codes = set(session.execute(
        select(OfflineSite.code).where(OfflineSite.organisation_id == org_id)).scalars())
    named = {name.strip().casefold() for name in names if name != ANONYMOUS}
    candidates = session.execute(
        select(StandbyEntry).where(StandbyEntry.what != WIPED, or_(
            StandbyEntry.call_id.in_(call_ids), StandbyEntry.site.in_(codes),
            (StandbyEntry.call_id.is_(None)) & (StandbyEntry.site == CENTRAL_SITE)))
    ).scalars().all()
    return [entry for entry in candidates
            if entry.call_id in our_calls or entry.site in codes
            or entry.who.strip().casefold() in named]


def _handovers_listing(session: Session, our_calls: set[uuid.UUID]) -> list[OnCallHandover]:
    """Evening handovers that list one of the calls by subject (one row an evening)."""
    ours = {str(call_id) for call_id in our_calls}
    if not ours:
        return []
    found = []
    for handover in session.execute(select(OnCallHandover)).scalars().all():
        summary = handover.summary or {}
        lines = [*summary.get("open", []), *summary.get("done", [])]
        if any(line.get("id") in ours and line.get("subject") != WIPED for line in lines):
            found.append(handover)
    return found


def _handover_without(summary: dict[str, Any], our_calls: set[uuid.UUID]) -> dict[str, Any]:
    """The handover with the subjects of the calls wiped; references and counts stay."""
    ours = {str(call_id) for call_id in our_calls}
    wiped = dict(summary)
    for key in ("open", "done"):
        wiped[key] = [{**line, "subject": WIPED} if line.get("id") in ours else line
                      for line in summary.get(key, [])]
    return wiped


def _json_of(record: OfflineCallBase | OfflineRecordBase | OfflineConflict) -> Any:
    return record.payload if isinstance(record, OfflineConflict) else record.fields


def _wiped_copy(record: OfflineCallBase | OfflineRecordBase | OfflineConflict) -> Any:
    """The record's JSON with every free-text value wiped: which fields changed, the
    versions and ids stay."""
    return _scrub(_json_of(record))


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: (WIPED if key in _FREE_TEXT_KEYS and isinstance(item, str) and item
                      else _scrub(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return value


def _reindex_owned_cis(
    session: Session, organisation: Organisation, person_ids: Sequence[uuid.UUID]
) -> None:
    """CIs are found by their owner's name: take the old names out of the search text and
    out of the CI history of owner changes."""
    if not person_ids:
        return
    items = session.execute(
        select(ConfigurationItem).where(ConfigurationItem.owner_id.in_(person_ids))
    ).scalars().all()
    for item in items:
        owner_org = session.get(Organisation, item.organisation_id) if item.organisation_id \
            else None
        item.search_text = ci_search_text(
            name=item.name, asset_tag=item.asset_tag, serial_number=item.serial_number,
            hostname=item.hostname, ip_address=item.ip_address, location=item.location,
            configuration=item.configuration, owner_name=ANONYMOUS,
            organisation_name=owner_org.name if owner_org else None,
            organisation_code=owner_org.code if owner_org else None,
        )
    session.execute(update(CiHistory).where(
        CiHistory.ci_id.in_([item.id for item in items]),
        CiHistory.field == CiHistoryField.OWNER,
    ).values(old_value=None, new_value=None))


# -- export ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PersonExport:
    """Everything desk holds about one person."""

    person: dict[str, Any]
    organisation: dict[str, Any]
    department: dict[str, Any] | None
    calls_as_caller: list[dict[str, Any]] = field(default_factory=list)
    call_history: list[dict[str, Any]] = field(default_factory=list)
    waiting_periods: list[dict[str, Any]] = field(default_factory=list)
    changes_requested: list[dict[str, Any]] = field(default_factory=list)
    configuration_items_owned: list[dict[str, Any]] = field(default_factory=list)
    escalation_contact_for: list[dict[str, Any]] = field(default_factory=list)
    mails: list[dict[str, Any]] = field(default_factory=list)
    crisis_contact_for: list[dict[str, Any]] = field(default_factory=list)
    standby_entries: list[dict[str, Any]] = field(default_factory=list)
    # Who viewed the person's data, when and what (the audit log's reads): the right of
    # access covers the recipients of the data.
    viewed_by: list[dict[str, Any]] = field(default_factory=list)

    def as_json_ready(self) -> dict[str, Any]:
        return _plain(asdict(self))


def find_person(*, session: Session, actor: Actor, key: str) -> Person:
    """The person by id, login, mail address or phone number; refused unless exactly one
    matches."""
    require(actor, Action.PRIVACY_EXPORT)
    text = key.strip()
    if not text:
        raise InvalidInput("person", "name the person: an id, login, e-mail or phone")
    try:
        found = session.get(Person, uuid.UUID(text))
        if found is not None:
            return found
    except ValueError:
        pass
    matches = session.execute(
        select(Person).where(or_(Person.login == text, Person.email == text,
                                 Person.phone == text))
    ).scalars().all()
    if not matches:
        raise NotFound("no person with id, login, e-mail or phone “{key}”", key=text)
    if len(matches) > 1:
        ids = ", ".join(str(person.id) for person in matches)
        raise InvalidInput("person", "{count} people match “{key}”; give the id of one: {ids}",
                           count=len(matches), key=text, ids=ids)
    return matches[0]


def export_person(*, session: Session, actor: Actor, person_id: uuid.UUID) -> PersonExport:
    """Everything about one person, for a request of the person (through their
    organisation, which is responsible: data statement art. 8)."""
    require(actor, Action.PRIVACY_EXPORT)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person {person_id} does not exist", person_id=person_id)
    organisation = session.get(Organisation, person.organisation_id)
    department = session.get(Department, person.department_id) if person.department_id \
        else None
    calls = session.execute(
        select(Call).where(Call.caller_id == person.id).order_by(Call.registered_at)
    ).scalars().all()
    call_ids = [call.id for call in calls]
    history = session.execute(
        select(CallHistory).where(CallHistory.call_id.in_(call_ids))
        .order_by(CallHistory.at, CallHistory.id)
    ).scalars().all() if call_ids else []
    pauses = session.execute(
        select(CallPause).where(CallPause.call_id.in_(call_ids))
        .order_by(CallPause.started_at)
    ).scalars().all() if call_ids else []
    changes = session.execute(
        select(Change).where(Change.requester_id == person.id).order_by(Change.registered_at)
    ).scalars().all()
    items = session.execute(
        select(ConfigurationItem).where(ConfigurationItem.owner_id == person.id)
        .order_by(ConfigurationItem.name)
    ).scalars().all()
    contacts = session.execute(
        select(EscalationContact).where(EscalationContact.person_id == person.id)
    ).scalars().all()
    about = [OutboxMessage.call_id.in_(call_ids)] if call_ids else []
    if person.email:
        about.append(OutboxMessage.recipient == person.email)
    mails = session.execute(
        select(OutboxMessage).where(or_(*about)).order_by(OutboxMessage.created_at)
    ).scalars().all() if about else []
    crisis = session.execute(
        select(CrisisContact).where(or_(
            (CrisisContact.organisation_id == person.organisation_id)
            & (func.lower(CrisisContact.name) == person.name.lower()),
            *([CrisisContact.email == person.email] if person.email else []),
            *([CrisisContact.phone == person.phone] if person.phone else []),
        )).order_by(CrisisContact.sort_order)
    ).scalars().all()
    standby = _standby_naming(session, person, set(call_ids))
    reads = session.execute(
        select(AuditEntry.at, AuditEntry.actor_login, AuditEntry.detail)
        .where(AuditEntry.event == "read", AuditEntry.table_name == "person",
               AuditEntry.row_key == str(person.id))
        .order_by(AuditEntry.seq)
    ).all()
    return PersonExport(
        person=_row(person),
        organisation={"id": organisation.id, "code": organisation.code,
                      "name": organisation.name} if organisation else {},
        department=_row(department) if department else None,
        calls_as_caller=[_row(call) for call in calls],
        call_history=[_row(entry) for entry in history],
        waiting_periods=[_row(pause) for pause in pauses],
        changes_requested=[_row(change) for change in changes],
        configuration_items_owned=[_row(item, skip={"search_text"}) for item in items],
        escalation_contact_for=[_row(contact) for contact in contacts],
        mails=[_row(mail) for mail in mails],
        crisis_contact_for=[_row(contact) for contact in crisis],
        standby_entries=[_row(entry) for entry in standby],
        viewed_by=[{"at": at, "by": login, "what": _viewed(detail)}
                   for at, login, detail in reads],
    )


def _standby_naming(
    session: Session, person: Person, call_ids: set[uuid.UUID]
) -> list[StandbyEntry]:
    """Standby log lines about the person's calls, or naming them (their name, mail
    address or phone number in who, where or what; case and accents as typed)."""
    needles = [text.casefold() for text in (
        None if person.name == ANONYMOUS else person.name, person.email, person.phone)
        if text and text.strip()]
    entries = session.execute(
        select(StandbyEntry).order_by(StandbyEntry.at, StandbyEntry.created_at)
    ).scalars().all()
    return [entry for entry in entries if entry.call_id in call_ids or any(
        needle in f"{entry.who}\n{entry.location}\n{entry.what}".casefold()
        for needle in needles)]


def _viewed(detail: str) -> str:
    try:
        found = json.loads(detail)
    except ValueError:
        return detail
    return str(found.get("viewed", detail)) if isinstance(found, dict) else detail


def _row(record: Any, skip: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    columns = record.__table__.columns
    return {column.key: getattr(record, column.key) for column in columns
            if column.key not in skip}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    return value
