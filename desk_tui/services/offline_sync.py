"""Bringing a site's work home: export at the site, import centrally, decide conflicts.

Every record keeps the id it was made with, so importing is idempotent: what is there
already is skipped. Calls made at the site keep their site-prefixed number
(M2026-V01-000004): the number on the paper at the polling station stays valid, and the
unique (site, year, number) cannot collide with the central numbers.

A call both sides knew is merged three-way. The site sends the call as prepared (its
base) and as it is now; centrally `offline_call_base` remembers, per site and call, the
site's values at the last bundle and the central version they went into. When the call
did not change centrally since, the fields the site changed are applied and its history
appended; when it did, the site's changes are kept as a conflict for an operator to
decide (`desk offline conflicts`, `desk offline resolve`), never applied silently.
People, CIs, relations, changes, problems and P1 evaluations are merged field by field
by services/offline_records.py; their conflicts are listed and decided here too.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from desk_tui.domain.sla import SlaEngine
from desk_tui.services import offline_records
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import Conflict, InvalidInput, NotFound, Phrase, WrongState
from desk_tui.services.offline import CALL_FIELDS, call_fields, local_site
from desk_tui.services.offline_bundle import (
    Bundle,
    BundleRefused,
    column_value,
    from_json,
    read_bundle,
    row_json,
    verify,
    write_bundle,
)
from desk_tui.services.text_rules import NOTE_MAX, clean_text
from desk_tui.store import audit
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CallStatus, HistoryField
from desk_tui.store.models import (
    Call,
    CallCi,
    CallHistory,
    CallPause,
    Category,
    ConfigurationItem,
    Department,
    OfflineCallBase,
    OfflineConflict,
    OfflineImport,
    OfflineSite,
    Operator,
    Organisation,
    P1Evaluation,
    Person,
    SecurityIncident,
    SecurityIncidentStep,
    StandbyEntry,
)

# Record kinds in a bundle.
CALL = "call"  # a call made at the site: the whole row
CHANGE = "change"  # a call the site was given and changed (the name older bundles use)
PERSON = offline_records.PERSON.name  # a caller named, or a person made or edited there
STANDBY = "standby"
INCIDENT = "incident"  # a call's data-breach protocol: the incident and its steps
CI = offline_records.CI.name  # a CI made or changed at the site, with its history there
RELATION = offline_records.RELATION  # a relation between CIs recorded at the site
WORK_CHANGE = offline_records.CHANGE.name  # a change (SPEC 6) made at the site
PROBLEM = offline_records.PROBLEM.name
EVALUATION = offline_records.EVALUATION.name  # a P1 evaluation planned or held at the site
AUDIT = "audit"  # one entry of the site's audit trail: who did what there, and when
KINDS = (CALL, CHANGE, PERSON, STANDBY, INCIDENT, CI, RELATION, WORK_CHANGE, PROBLEM,
         EVALUATION, AUDIT)
# What the reports call each kind.
KIND_WORDS = {CALL: "new calls", CHANGE: "changed calls", PERSON: "people",
              STANDBY: "standby entries", INCIDENT: "breach protocols", CI: "CIs",
              RELATION: "CI relations", WORK_CHANGE: "changes", PROBLEM: "problems",
              EVALUATION: "P1 evaluations", AUDIT: "audit entries"}


# -- export (at the site) -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExportReport:
    site: str
    path: Path
    bundle_id: str
    size: int
    counts: dict[str, int]
    # Records made at the site that a bundle does not carry (contracts, GRIP levels: the
    # site copy refuses them, so only a copy changed outside desk has any): said out
    # loud, so nothing is lost without anyone knowing.
    not_carried: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        parts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        text = f"site {self.site}: wrote {self.path} ({self.size} bytes; {parts})"
        if self.not_carried:
            left = ", ".join(f"{count} {name}" for name, count in self.not_carried.items())
            text += (f"\nnot in the bundle (register these centrally by hand): {left}"
                     " made at the site")
        return text


def export_site(*, db: Engine, actor: Actor, output: Path, now: datetime) -> ExportReport:
    """Everything recorded at this site since it was prepared, in one signed bundle.
    Safe to repeat: the newest bundle holds all earlier ones' records too."""
    with read_session(db) as session:
        require(actor, Action.OFFLINE_EXPORT)  # in the session: a refusal is logged
        site = local_site(session)
        if site is None or site.private_key is None:
            raise WrongState(
                "this database is not an election site's copy (made by `desk offline"
                " prepare`); only a site exports a bundle"
            )
        records = _site_records(session, site.code, site.id, site.prepared_at)
        records += [{"kind": AUDIT, "entry": entry}
                    for entry in audit.site_entries(session.connection())]
        not_carried = _not_carried(session, site.prepared_at)
    counts = {kind: sum(1 for record in records if record["kind"] == kind)
              for kind in KINDS}
    bundle_id = str(uuid.uuid4())
    size = write_bundle(
        output, site=site.code, private_hex=site.private_key, records=records,
        manifest={"bundle_id": bundle_id, "exported_at": now.isoformat(),
                  "exported_by": actor.login, "counts": counts},
    )
    return ExportReport(site.code, output, bundle_id, size,
                        {KIND_WORDS[kind]: counts[kind] for kind in KINDS}, not_carried)


def _not_carried(session: Session, prepared_at: datetime) -> dict[str, int]:
    """Records the site made after it was prepared that bundles do not carry."""
    from desk_tui.store.models import Contract, CrisisContact, GripLevel

    found = {}
    for name, table in (("contracts", Contract), ("GRIP levels", GripLevel),
                        ("crisis contacts", CrisisContact)):
        count = session.execute(select(func.count()).select_from(table).where(
            table.created_at >= prepared_at)).scalar_one()
        if count:
            found[name] = int(count)
    return found


def _children(session: Session, call_id: uuid.UUID) -> tuple[list[dict], list[dict], list]:
    history = [row_json(row) for row in session.execute(
        select(CallHistory.__table__).where(CallHistory.call_id == call_id)
        .order_by(CallHistory.at)).mappings()]
    pauses = [row_json(row) for row in session.execute(
        select(CallPause.__table__).where(CallPause.call_id == call_id)
        .order_by(CallPause.started_at)).mappings()]
    links = list(session.execute(select(CallCi.ci_id).where(CallCi.call_id == call_id))
                 .scalars())
    return history, pauses, links


def _site_records(session: Session, code: str, site_id: uuid.UUID,
                  prepared_at: datetime) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    callers: set[uuid.UUID] = set()
    carried: list[uuid.UUID] = []  # every call the bundle speaks of
    for call in session.execute(select(Call).where(Call.site == code)
                                .order_by(Call.number)).scalars():
        history, pauses, links = _children(session, call.id)
        row = row_json(session.execute(select(Call.__table__).where(Call.id == call.id))
                       .mappings().one())
        records.append({"kind": CALL, "call": row, "fields": call_fields(call, links),
                        "history": history, "pauses": pauses})
        carried.append(call.id)
        if call.caller_id:
            callers.add(call.caller_id)
    bases = session.execute(select(OfflineCallBase).where(OfflineCallBase.site_id == site_id))
    for base in bases.scalars():
        call = session.get(Call, base.call_id)
        if call is None:
            continue
        carried.append(call.id)
        history, pauses, links = _children(session, call.id)
        known = set(base.history_ids)
        new_history = [entry for entry in history if entry["id"] not in known]
        fields = call_fields(call, links)
        if fields == base.fields and not new_history and call.version == base.version:
            continue
        records.append({
            "kind": CHANGE, "call_id": str(call.id), "base_version": base.version,
            "base_fields": base.fields, "fields": fields, "history": new_history,
            "pauses": pauses,
        })
        if call.caller_id:
            callers.add(call.caller_id)
    # Callers named, and people, CIs, relations, changes, problems and P1 evaluations
    # made or changed at the site, each with the base it started from.
    records += offline_records.site_records(session, site_id, prepared_at, callers)
    entries = session.execute(select(StandbyEntry.__table__).where(StandbyEntry.site == code)
                              .order_by(StandbyEntry.at)).mappings()
    records += [{"kind": STANDBY, "entry": row_json(row)} for row in entries]
    records += _incident_records(session, carried)
    return records


def _incident_records(session: Session, call_ids: Sequence[uuid.UUID]) -> list[dict]:
    """The breach protocol of every call the bundle carries, with all its steps: the
    import adds what it lacks, so a site that did every step can close the call."""
    records = []
    for incident in session.execute(select(SecurityIncident.__table__).where(
            SecurityIncident.call_id.in_(list(call_ids)))).mappings():
        steps = [row_json(row) for row in session.execute(
            select(SecurityIncidentStep.__table__)
            .where(SecurityIncidentStep.incident_id == incident["id"])
            .order_by(SecurityIncidentStep.position)).mappings()]
        records.append({"kind": INCIDENT, "incident": row_json(incident), "steps": steps})
    return records


# -- import (centrally) -----------------------------------------------------------------------
@dataclass(slots=True)
class ImportReport:
    site: str
    bundle_id: str
    seen_before: bool = False
    new_calls: int = 0
    updated_calls: int = 0
    unchanged_calls: int = 0
    conflicts: int = 0  # new conflicts listed, of calls and of other records
    conflicts_known: int = 0
    people: int = 0
    history: int = 0
    standby: int = 0
    breach_steps: int = 0  # protocol steps (and incidents) recorded at the site, added here
    audit: int = 0  # entries of the site's audit trail added to this one
    confirmations: int = 0  # callers of new calls sent the confirmation the laptop could not
    audit_seq: int = 0  # the last entry of the site's trail this database holds now
    audit_hash: str = ""  # and its hash, which every later bundle must still carry
    people_updated: int = 0  # existing people the site edited, taken over
    # People edited both at the site and centrally since they last agreed: listed as
    # conflicts to decide, named here.
    person_conflicts: list[str] = field(default_factory=list)
    # Per kind of other record (CIs, changes, problems, P1 evaluations):
    # [new, updated, new conflicts].
    records: dict[str, list[int]] = field(default_factory=dict)
    relations: int = 0  # CI relations recorded at the site
    ci_history: int = 0  # CI history lines from the site
    record_conflicts: list[str] = field(default_factory=list)  # e.g. "CI ENK-WS-0042"
    references: list[str] = field(default_factory=list)  # conflicting calls
    new_call_ids: list[uuid.UUID] = field(default_factory=list)
    raised_to_p1: list[uuid.UUID] = field(default_factory=list)  # known calls made P1 there
    # Set when a newer bundle of this site was imported already: nothing was merged.
    older_than: datetime | None = None

    def take(self, merge: offline_records.RecordMerge) -> None:
        """The counts of the non-call records merged."""
        for kind, counts in merge.counts.items():
            if kind == PERSON:
                self.people += counts.new
                self.people_updated += counts.updated
            else:
                self.records[kind] = [counts.new, counts.updated, counts.conflicts]
            self.conflicts += counts.conflicts
        self.conflicts_known += merge.conflicts_known
        self.relations += merge.relations
        self.ci_history += merge.ci_history
        for name in merge.conflict_names:
            if name.startswith(offline_records.PERSON.what + " "):
                self.person_conflicts.append(name.removeprefix("person "))
            self.record_conflicts.append(name)

    @property
    def changed_anything(self) -> bool:
        return bool(self.new_calls or self.updated_calls or self.conflicts or self.people
                    or self.history or self.standby or self.breach_steps or self.audit
                    or self.people_updated or self.relations or self.ci_history
                    or any(new or updated for new, updated, _ in self.records.values()))

    def describe(self) -> str:
        if self.older_than is not None:
            return (f"bundle {self.bundle_id} from site {self.site}: nothing imported; a"
                    f" newer bundle of this site (exported {self.older_than.isoformat()}) was"
                    " imported already and holds everything this one does")
        lines = [
            f"bundle {self.bundle_id} from site {self.site}"
            + (" (imported before)" if self.seen_before else ""),
            f"  new calls       {self.new_calls}",
            f"  updated calls   {self.updated_calls}",
            f"  unchanged       {self.unchanged_calls}",
            f"  history lines   {self.history}",
            f"  people          {self.people} new, {self.people_updated} updated",
        ]
        for kind in (CI, WORK_CHANGE, PROBLEM, EVALUATION):
            new, updated, _ = self.records.get(kind, [0, 0, 0])
            lines.append(f"  {KIND_WORDS[kind]:<15} {new} new, {updated} updated")
        lines += [
            f"  CI relations    {self.relations} new",
            f"  CI history      {self.ci_history} lines",
            f"  standby entries {self.standby}",
            f"  breach steps    {self.breach_steps}",
            f"  audit entries   {self.audit}",
            f"  confirmations   {self.confirmations} queued to callers",
            f"  conflicts       {self.conflicts} new, {self.conflicts_known} already listed",
        ]
        waiting = [*self.references, *self.record_conflicts]
        if waiting:
            lines.append("  to decide: " + ", ".join(waiting) + " (desk offline conflicts)")
        if not self.changed_anything:
            lines.append("  nothing new: everything in this bundle was imported before")
        return "\n".join(lines)


def import_bundle(*, db: Engine, actor: Actor, path: Path, now: datetime,
                  sla: SlaEngine | None = None) -> ImportReport:
    """Verify the bundle against its site's registered key, then merge it in one
    transaction; a refused bundle changes nothing. With `sla`, the managers of a priority
    1 incident made at the site are told now (the laptop could send no mail).

    The rights check runs inside the session, which is opened in the actor's name: the
    merge is written to the audit trail as theirs, and a refusal reaches it too."""
    with write_session(db, actor) as session:
        require(actor, Action.OFFLINE_IMPORT)
        bundle, manifest_bytes, signature = read_bundle(path)
        if local_site(session) is not None:
            raise WrongState("this is a site's copy; import bundles into the central database")
        site = session.execute(
            select(OfflineSite).where(OfflineSite.code == bundle.site)
        ).scalars().first()
        if site is None or not site.active:
            raise BundleRefused(
                "{file} comes from site “{site}”, which is not a registered site of this"
                " database; refused, nothing imported", file=path.name, site=bundle.site,
            )
        verify(path, manifest_bytes, signature, site.public_key, site.code)
        report = ImportReport(site.code, bundle.bundle_id)
        report.seen_before = session.execute(
            select(OfflineImport.id).where(OfflineImport.site_id == site.id,
                                           OfflineImport.bundle_id == bundle.bundle_id)
        ).first() is not None
        exported_at = datetime.fromisoformat(str(bundle.manifest["exported_at"]))
        newest = session.execute(select(func.max(OfflineImport.exported_at)).where(
            OfflineImport.site_id == site.id)).scalar_one_or_none()
        # Ordered by the site's audit trail, which only grows; by the laptop's clock only
        # for bundles of a desk that carried no trail.
        carried = _carried_audit(session, site)
        bundle_seq = _bundle_audit_seq(bundle)
        older = (bundle_seq < carried[0] if bundle_seq is not None and carried[0]
                 else newest is not None and exported_at < newest)
        if newest is not None and older:
            # Bundles are cumulative: a newer one of this site is in already, and merging
            # this one's older values now would undo what came after.
            report.older_than = newest
            return report
        _merge(session, actor, site, bundle, report, now, carried)
        if sla is not None:
            _tell_p1_managers(session, [*report.new_call_ids, *report.raised_to_p1], sla, now)
            report.confirmations = _confirm_site_calls(session, report.new_call_ids, sla, now)
        session.add(OfflineImport(
            site_id=site.id, bundle_id=bundle.bundle_id, imported_at=now,
            exported_at=exported_at, imported_by_id=actor.id,
            summary={key: getattr(report, key) for key in (
                "new_calls", "updated_calls", "unchanged_calls", "conflicts", "people",
                "history", "standby", "breach_steps", "people_updated", "records",
                "relations", "ci_history", "audit", "audit_seq", "audit_hash")},
        ))
    return report


def _merge(session: Session, actor: Actor, site: OfflineSite, bundle: Bundle,
           report: ImportReport, now: datetime, carried: tuple[int, str]) -> None:
    """`carried`: the last entry of the site's trail this database holds (_carried_audit)."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for record in bundle.records:
        kind = record.get("kind") if isinstance(record, dict) else None
        if kind not in KINDS:
            raise BundleRefused("the bundle holds a record of unknown kind “{kind}”", kind=kind)
        by_kind.setdefault(kind, []).append(record)
    def own(organisation_id: object, what: Phrase) -> None:
        """A site works for one organisation; a record of another is refused whole."""
        if organisation_id != site.organisation_id:
            raise BundleRefused("site {site}'s bundle holds {what} of another organisation;"
                                " refused, nothing imported", site=site.code, what=what)

    merge = offline_records.RecordMerge(session, site, bundle.bundle_id, now)
    # People and CIs first: the calls, changes and problems name them.
    for kind in (PERSON, CI):
        for record in by_kind.get(kind, []):
            merge.merge(record)
    for record in by_kind.get(RELATION, []):
        merge.relation(record)
    new_calls = {str(record["call"].get("id")) for record in by_kind.get(CALL, [])
                 if isinstance(record.get("call"), dict)}
    # A call's protocol goes with the call's own record: applied with it, before its
    # status (so a close the site earned by doing every step passes), or held with it
    # when the call conflicts.
    protocols: dict[uuid.UUID, dict[str, Any]] = {}
    later = []  # protocols of calls made at the site: after the call is inserted
    for record in by_kind.get(INCIDENT, []):
        call_id = _incident_call(site, record)
        present = session.get(Call, call_id)
        if present is None and str(call_id) in new_calls:
            later.append(record)
            continue  # the call's own record is checked for the organisation below
        own(None if present is None else present.organisation_id,
            Phrase("a security incident"))
        protocols[call_id] = record
    for record in by_kind.get(CALL, []):
        values = from_json(Call.__table__, record["call"])
        own(values.get("organisation_id"), Phrase("a call"))
        if values.get("site") != site.code:
            raise BundleRefused("site {site}'s bundle holds a call numbered for “{numbered}”",
                                site=site.code, numbered=values.get("site"))
        _own_children(site, record, values["id"])
        _own_references(session, site, record["fields"])
        if session.get(Call, values["id"]) is None:
            _insert_site_call(session, site, values, record, report)
        else:
            _merge_call(session, site, bundle, values["id"], None, None, record, report, now,
                        protocols.pop(values["id"], None))
    for record in by_kind.get(CHANGE, []):
        changed_call = session.get(Call, uuid.UUID(record["call_id"]))
        own(None if changed_call is None else changed_call.organisation_id, Phrase("a call"))
        _own_children(site, record, uuid.UUID(record["call_id"]))
        _own_references(session, site, record["fields"])
        _merge_call(session, site, bundle, uuid.UUID(record["call_id"]),
                    int(record["base_version"]), record["base_fields"], record, report, now,
                    protocols.pop(uuid.UUID(record["call_id"]), None))
    for record in [*protocols.values(), *later]:  # calls the site did not change otherwise
        report.breach_steps += _merge_incident(session, record)
    # Problems before changes (a change may be a problem's fix); evaluations after the
    # calls (a P1 made at the site has its call inserted above).
    for kind in (PROBLEM, WORK_CHANGE, EVALUATION):
        for record in by_kind.get(kind, []):
            merge.merge(record)
    _carry_audit(session, site, by_kind.get(AUDIT, []), report, carried)
    for record in by_kind.get(STANDBY, []):
        values = from_json(StandbyEntry.__table__, record["entry"])
        if values.get("site") != site.code:
            raise BundleRefused("site {site}'s bundle holds a standby entry of “{numbered}”;"
                                " refused, nothing imported", site=site.code,
                                numbered=values.get("site"))
        if values.get("call_id") is not None:  # a line may name a call: one of its own
            named = session.get(Call, values["call_id"])
            own(None if named is None else named.organisation_id,
                Phrase("a standby entry's call"))
        if session.get(StandbyEntry, values["id"]) is None:
            session.execute(insert(StandbyEntry.__table__), [values])
            report.standby += 1
    session.flush()
    report.take(merge)


def _carry_audit(session: Session, site: OfflineSite, records: Sequence[Mapping[str, Any]],
                 report: ImportReport, carried: tuple[int, str]) -> None:
    """The site's audit trail joins this one: entries after the last one an earlier bundle
    brought. The whole trail travels in every bundle and must be an unbroken chain, so
    an entry altered or removed on the laptop refuses the bundle."""
    entries = [record.get("entry") for record in records]
    if not all(isinstance(entry, dict) for entry in entries):
        raise BundleRefused("site {site}'s bundle holds an unreadable audit entry",
                            site=site.code)
    broken = audit.site_chain_break(entries)
    if broken is not None:
        raise BundleRefused("site {site}'s audit trail in the bundle is not the one the site"
                            " kept ({reason}); refused, nothing imported", site=site.code,
                            reason=broken)  # the store's words, English
    earlier, earlier_hash = carried
    if earlier:  # the entries brought before must still be there, unchanged
        kept = next((entry for entry in entries if int(entry["seq"]) == earlier), None)
        if kept is None or kept["hash"] != earlier_hash:
            raise BundleRefused(
                "site {site}'s audit trail in the bundle lacks or changed entry {entry}, which"
                " an earlier bundle brought; refused, nothing imported", site=site.code,
                entry=earlier)
    report.audit = audit.carry_site_entries(
        session, site.code, [entry for entry in entries if int(entry["seq"]) > earlier])
    last = max(entries, key=lambda entry: int(entry["seq"]), default=None)
    if last is not None and int(last["seq"]) > earlier:
        report.audit_seq, report.audit_hash = int(last["seq"]), str(last["hash"])
    else:
        report.audit_seq, report.audit_hash = earlier, earlier_hash


def _carried_audit(session: Session, site: OfflineSite) -> tuple[int, str]:
    """The last entry of the site's trail this database holds: (seq, hash), (0, "")."""
    summaries = session.execute(select(OfflineImport.summary).where(
        OfflineImport.site_id == site.id)).scalars()
    return max(((int(summary.get("audit_seq") or 0), str(summary.get("audit_hash") or ""))
                for summary in summaries), default=(0, ""))


def _bundle_audit_seq(bundle: Bundle) -> int | None:
    """The newest entry of the site's trail the bundle carries (None for a bundle without
    one): what orders a site's bundles, whatever the laptop's clock said."""
    seqs = [record["entry"].get("seq") for record in bundle.records
            if isinstance(record, dict) and record.get("kind") == AUDIT
            and isinstance(record.get("entry"), dict)]
    numbers = [int(seq) for seq in seqs if isinstance(seq, int)]
    return max(numbers) if numbers else None


def _own_children(site: OfflineSite, record: Mapping[str, Any], call_id: Any) -> None:
    """History lines and waiting periods name their call themselves: each must be the
    record's own call (checked against the site's organisation above), or one site's key
    could write history into, and stop the clock of, any call of any organisation."""
    for kind, what in (("history", Phrase("a history line")),
                       ("pauses", Phrase("a waiting period"))):
        for entry in record.get(kind) or []:
            try:
                named = uuid.UUID(str(entry.get("call_id")))
            except (AttributeError, ValueError):
                named = None
            if named != call_id:
                raise BundleRefused(
                    "site {site}'s bundle holds {what} of call “{named}” under call {call_id};"
                    " refused, nothing imported", site=site.code, what=what,
                    named=entry.get("call_id"), call_id=call_id)


def _incident_call(site: OfflineSite, record: Mapping[str, Any]) -> uuid.UUID:
    """The call an incident record is about; its steps must all be that incident's."""
    incident = record.get("incident")
    try:
        call_id = uuid.UUID(str(incident["call_id"]))  # type: ignore[index]
        incident_id = str(uuid.UUID(str(incident["id"])))  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        raise BundleRefused("site {site}'s bundle holds a security incident without its call;"
                            " refused, nothing imported", site=site.code) from None
    for step in record.get("steps") or []:
        if not isinstance(step, dict) or str(step.get("incident_id")) != incident_id:
            named = step.get("incident_id") if isinstance(step, dict) else step
            raise BundleRefused(
                "site {site}'s bundle holds a protocol step of incident “{named}” under"
                " incident {incident}; refused, nothing imported", site=site.code,
                named=named, incident=incident_id)
    return call_id


def _rejected_protocol(session: Session, call_id: Any
                       ) -> tuple[set[str], set[tuple[str, Any]]]:
    """The site's declaration and done steps an operator left out by keeping the central
    version of the call: every later bundle still carries them (bundles are cumulative),
    and the call no longer looks changed, so without this they would slip in after all.
    A step the site does again later (another done_at) is new, and counts."""
    incidents: set[str] = set()
    steps: set[tuple[str, Any]] = set()
    for payload in session.execute(select(OfflineConflict.payload).where(
            OfflineConflict.call_id == call_id,
            OfflineConflict.status == Keep.CENTRAL)).scalars():
        protocol = payload.get("incident") if isinstance(payload, dict) else None
        if not isinstance(protocol, dict):
            continue
        incident = protocol.get("incident")
        if isinstance(incident, dict) and incident.get("id"):
            incidents.add(str(incident["id"]))
        steps |= {(str(step.get("id")), step.get("done_at"))
                  for step in protocol.get("steps") or []
                  if isinstance(step, dict) and step.get("done_at")}
    return incidents, steps


def _merge_incident(session: Session, record: Mapping[str, Any], *,
                    kept_by_operator: bool = False) -> int:
    """Add the incident if the call has none and every step the site recorded that is
    open or missing centrally; a step done on both sides keeps the central record. The
    number of incidents and steps added or completed."""
    values = from_json(SecurityIncident.__table__, record["incident"])
    added = 0
    # An operator who keeps the site's version now takes its protocol whole.
    rejected_incidents, rejected_steps = (set(), set()) if kept_by_operator else (
        _rejected_protocol(session, values["call_id"]))
    incident = session.execute(select(SecurityIncident).where(
        SecurityIncident.call_id == values["call_id"])).scalars().first()
    if incident is None and str(values["id"]) in rejected_incidents:
        return 0  # an operator kept the central call, without the site's declaration
    if incident is None:
        if session.get(SecurityIncident, values["id"]) is not None:  # id of another call
            raise BundleRefused("the bundle reuses security incident {incident} for another"
                                " call; refused, nothing imported", incident=values["id"])
        if values.get("declared_by_id") and session.get(
                Operator, values["declared_by_id"]) is None:
            values["declared_by_id"] = None
        session.execute(insert(SecurityIncident.__table__), [values])
        added += 1
        incident_id = values["id"]
    else:
        incident_id = incident.id  # declared on both sides: the central one holds the steps
    for data in record.get("steps") or []:
        if (str(data.get("id")), data.get("done_at")) in rejected_steps:
            continue  # left out when an operator kept the central call: stays left out
        step = from_json(SecurityIncidentStep.__table__, data)
        if step.get("done_by_id") and session.get(Operator, step["done_by_id"]) is None:
            step["done_by_id"] = None
        present = session.execute(select(SecurityIncidentStep).where(
            SecurityIncidentStep.incident_id == incident_id,
            SecurityIncidentStep.step == step["step"])).scalars().first()
        if present is None:
            if session.get(SecurityIncidentStep, step["id"]) is not None:
                raise BundleRefused("the bundle reuses protocol step {step} of another"
                                    " incident; refused, nothing imported", step=step["id"])
            session.execute(insert(SecurityIncidentStep.__table__),
                            [{**step, "incident_id": incident_id}])
            added += 1 if step.get("done_at") else 0
        elif present.done_at is None and step.get("done_at") is not None:
            present.done_at = step["done_at"]
            present.done_by_id = step.get("done_by_id")
            present.note = step.get("note")
            added += 1
    session.flush()
    return added


def _own_references(session: Session, site: OfflineSite, fields: Mapping[str, Any]) -> None:
    """The people and things a call names must be the site's to name: its caller and
    department of the site's organisation, an operator and CIs that exist. Otherwise one
    site's key could make another organisation's employee the caller of a call."""

    def refuse(what: Phrase, value: object) -> None:
        raise BundleRefused("site {site}'s bundle names {what} “{value}” that is not its"
                            " organisation's; refused, nothing imported", site=site.code,
                            what=what, value=value)

    def named(key: str) -> uuid.UUID | None:
        value = fields.get(key)
        if value in (None, ""):
            return None
        try:
            return uuid.UUID(str(value))
        except ValueError:
            refuse(Phrase("as {field}", field=key), value)
        return None

    for key, table in (("caller_id", Person), ("department_id", Department)):
        wanted = named(key)
        if wanted is not None:
            row = session.get(table, wanted)
            if row is None or row.organisation_id != site.organisation_id:
                refuse(Phrase("as {field}", field=key), str(wanted))
    handler = named("handler_id")
    if handler is not None and session.get(Operator, handler) is None:
        refuse(Phrase("as {field}", field="handler_id"), str(handler))
    for value in fields.get("ci_ids") or []:
        try:
            ci = session.get(ConfigurationItem, uuid.UUID(str(value)))
        except ValueError:
            ci = None
        if ci is None:
            refuse(Phrase("a CI"), value)


def _insert_site_call(session: Session, site: OfflineSite, values: dict[str, Any],
                      record: Mapping[str, Any], report: ImportReport) -> None:
    session.execute(insert(Call.__table__), [values])
    report.history += _insert_history(session, record["history"])
    _upsert_pauses(session, record["pauses"])
    for ci_id in record["fields"]["ci_ids"]:
        session.execute(insert(CallCi.__table__), [{
            "call_id": values["id"], "ci_id": uuid.UUID(ci_id),
            "linked_at": values["registered_at"],
        }])
    if values.get("priority") == 1 and session.execute(
        select(P1Evaluation.id).where(P1Evaluation.call_id == values["id"])
    ).first() is None:  # every P1 is followed by an evaluation (SPEC 5)
        session.add(P1Evaluation(call_id=values["id"]))
    session.add(OfflineCallBase(
        site_id=site.id, call_id=values["id"], version=values["version"],
        fields=record["fields"], history_ids=[entry["id"] for entry in record["history"]],
    ))
    report.new_calls += 1
    report.new_call_ids.append(values["id"])


def _tell_p1_managers(session: Session, call_ids: Sequence[uuid.UUID], sla: SlaEngine,
                      now: datetime) -> None:
    from desk_tui.services import mail
    from desk_tui.services.calls import pauses_of, plan_for, reference_of

    for call_id in call_ids:
        call = session.get(Call, call_id)
        if call is None or call.priority != 1:
            continue
        organisation = session.get(Organisation, call.organisation_id)
        assert organisation is not None  # a foreign key
        plan = plan_for(call, pauses_of(session, call.id), sla)
        mail.queue_p1_notice(session, call=call, reference=reference_of(call),
                             organisation=organisation, plan=plan, now=now)


def _confirm_site_calls(session: Session, call_ids: Sequence[uuid.UUID], sla: SlaEngine,
                        now: datetime) -> int:
    """Every registered call sends its caller a confirmation (SPEC 2); the laptop holds no
    e-mail addresses and sends no mail, so the central database sends it for the calls a
    site registered, with the due times as the SLA set them at registration."""
    from desk_tui.services import mail
    from desk_tui.services.calls import pauses_of, plan_for, reference_of

    queued = 0
    for call_id in call_ids:
        call = session.get(Call, call_id)
        caller = None if call is None or call.caller_id is None else session.get(
            Person, call.caller_id)
        if call is None or caller is None or not caller.email or not caller.active:
            continue
        plan = plan_for(call, pauses_of(session, call.id), sla)
        mail.queue_confirmation(session, call=call, reference=reference_of(call),
                                caller=caller, plan=plan, now=now)
        queued += 1
    return queued


def _merge_call(
    session: Session, site: OfflineSite, bundle: Bundle, call_id: uuid.UUID,
    base_version: int | None, base_fields: dict[str, Any] | None,
    record: Mapping[str, Any], report: ImportReport, now: datetime,
    protocol: Mapping[str, Any] | None = None,
) -> None:
    """Apply the site's changes to a call both knew, with its breach protocol (incident
    and steps) first; or hold all of it as a conflict. The protocol waits with the call:
    its steps are the site's account of the same disputed call, and the decision takes
    or leaves them together with the call's fields (see resolve_conflict)."""
    call = session.get(Call, call_id)
    if call is None:
        raise BundleRefused("the bundle changes call {call_id}, which this database lacks",
                            call_id=call_id)
    known = session.get(OfflineCallBase, (site.id, call_id))
    if known is not None:
        base_version, base_fields = known.version, known.fields
    if base_version is None or base_fields is None:
        base_version, base_fields = -1, {}
    fields: dict[str, Any] = record["fields"]
    changed = {key: value for key, value in fields.items() if base_fields.get(key) != value}
    existing = {str(value) for value in session.execute(
        select(CallHistory.id).where(CallHistory.call_id == call_id)).scalars()}
    new_history = [entry for entry in record["history"] if entry["id"] not in existing]
    new_pauses = _pauses_to_apply(session, record["pauses"])
    if not changed and not new_history and not new_pauses:
        report.unchanged_calls += 1
        if protocol is not None:  # nothing of the call's own to dispute
            report.breach_steps += _merge_incident(session, protocol)
        return
    # "base": what both sides started from, so the operator who decides sees all three.
    payload = {"fields": fields, "changed": changed, "history": new_history,
               "pauses": new_pauses, "base": {key: base_fields.get(key) for key in changed}}
    if protocol is not None:
        payload["incident"] = dict(protocol)
    if call.version != base_version:
        _conflict(session, site, bundle, call, payload, report, now)
        return
    refused = _central_rules(session, call, changed, protocol)
    if refused:  # the site may not do this: an operator decides, nothing is applied
        _conflict(session, site, bundle, call, {**payload, "refused": str(refused)}, report,
                  now)
        return
    raised = changed.get("priority") == 1 and call.priority != 1
    if protocol is not None:
        report.breach_steps += _merge_incident(session, protocol)
    report.history += _apply(session, call, changed, new_history, new_pauses, now)
    _remember(session, site, call, fields, [entry["id"] for entry in record["history"]])
    offline_records.supersede(session, site.id, CALL, call.id, now)
    report.updated_calls += 1
    if raised:
        report.raised_to_p1.append(call.id)


def _conflict(session: Session, site: OfflineSite, bundle: Bundle, call: Call,
              payload: dict[str, Any], report: ImportReport, now: datetime) -> None:
    """Keep the site's changes for an operator to decide (once per distinct payload)."""
    from desk_tui.services.calls import reference_of

    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    listed = session.execute(select(OfflineConflict.id).where(
        OfflineConflict.site_id == site.id, OfflineConflict.kind == CALL,
        OfflineConflict.record_id == call.id,
        OfflineConflict.payload_hash == digest)).first()
    if listed is not None:
        report.conflicts_known += 1
    else:
        listed_now = OfflineConflict(
            site_id=site.id, call_id=call.id, kind=CALL, record_id=call.id,
            bundle_id=bundle.bundle_id, payload=payload,
            payload_hash=digest, central_version=call.version,
            created_at=now, updated_at=now,  # the import's time, not the wall clock
        )
        session.add(listed_now)
        session.flush()
        offline_records.supersede(session, site.id, CALL, call.id, now, keep=listed_now.id)
        report.conflicts += 1
    report.references.append(reference_of(call))


def _central_rules(session: Session, call: Call, changed: Mapping[str, Any],
                   protocol: Mapping[str, Any] | None = None) -> Phrase | None:
    """Why the central rules refuse the site's change of status, if they do: a call that
    is a security incident closes only when its breach protocol is done (as calls.close
    checks), whatever the site's copy knew. The steps the site's protocol record marks
    done count: they are applied first."""
    from desk_tui.services.security import PROTOCOL, open_steps
    from desk_tui.store.enums import BreachStep

    if changed.get("status") == CallStatus.GESLOTEN.value and call.status is not (
            CallStatus.GESLOTEN):
        steps = open_steps(session, call.id)
        done: set[str] = set()
        if protocol is not None:
            site_steps = [step for step in protocol.get("steps") or []
                          if isinstance(step, dict)]
            done = {str(step.get("step")) for step in site_steps if step.get("done_at")}
            if session.execute(select(SecurityIncident.id).where(
                    SecurityIncident.call_id == call.id)).first() is None:
                steps = [BreachStep(step) for step in PROTOCOL]  # declared at the site
        still = [step for step in steps if step.value not in done]
        if still:
            return Phrase("a security incident closes only when its protocol is done; open:"
                          " {steps}", steps=", ".join(step.value for step in still))
    return None


def _pauses_to_apply(session: Session, pauses: Sequence[dict[str, Any]]) -> list[dict]:
    """Waiting periods the site added, or ended, that the central call lacks."""
    wanted = []
    for pause in pauses:
        present = session.get(CallPause, uuid.UUID(pause["id"]))
        if present is not None and str(present.call_id) != str(pause.get("call_id")):
            raise BundleRefused("the bundle ends waiting period {pause} of another call;"
                                " refused, nothing imported", pause=pause["id"])
        if present is None or (present.ended_at is None and pause.get("ended_at")):
            wanted.append(pause)
    return wanted


def _apply(session: Session, call: Call, changed: Mapping[str, Any],
           history: Sequence[dict[str, Any]], pauses: Sequence[dict[str, Any]],
           now: datetime) -> int:
    """Set the site's changed fields on the call (its version rises), append its history
    and waiting periods, link and unlink CIs; the number of history lines added."""
    table = Call.__table__
    for name, value in changed.items():
        if name in CALL_FIELDS:
            setattr(call, name, column_value(table, name, value))
    if "ci_ids" in changed:
        wanted = {uuid.UUID(value) for value in changed["ci_ids"]}
        have = set(session.execute(select(CallCi.ci_id).where(CallCi.call_id == call.id))
                   .scalars())
        for ci_id in wanted - have:
            session.add(CallCi(call_id=call.id, ci_id=ci_id))
        for ci_id in have - wanted:
            link = session.get(CallCi, (call.id, ci_id))
            if link is not None:
                session.delete(link)
        call.updated_at = now  # still a change of the call: its version rises
    session.flush()
    if changed.get("priority") == 1 and session.execute(
        select(P1Evaluation.id).where(P1Evaluation.call_id == call.id)
    ).first() is None:  # made P1 at the site: every P1 is evaluated (SPEC 5)
        session.add(P1Evaluation(call_id=call.id, created_at=now, updated_at=now))
    _upsert_pauses(session, pauses)
    return _insert_history(session, history)


def _remember(session: Session, site: OfflineSite, call: Call, fields: dict[str, Any],
              history_ids: Sequence[str]) -> None:
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict("the call changed while the bundle was imported; import again") from error
    known = session.get(OfflineCallBase, (site.id, call.id))
    if known is None:
        known = OfflineCallBase(site_id=site.id, call_id=call.id, version=call.version)
        session.add(known)
    known.version = call.version
    known.fields = dict(fields)
    known.history_ids = sorted(set(known.history_ids) | set(history_ids))


def _insert_history(session: Session, history: Sequence[dict[str, Any]],
                    note_prefix: str | None = None) -> int:
    added = 0
    for entry in history:
        values = from_json(CallHistory.__table__, entry)
        if session.get(CallHistory, values["id"]) is not None:
            continue
        if note_prefix:
            values["note"] = f"{note_prefix} {values.get('note') or ''}".strip()
        if values.get("operator_id") and session.get(Operator, values["operator_id"]) is None:
            values["operator_id"] = None
        session.execute(insert(CallHistory.__table__), [values])
        added += 1
    return added


def _upsert_pauses(session: Session, pauses: Sequence[dict[str, Any]]) -> None:
    for pause in pauses:
        values = from_json(CallPause.__table__, pause)
        present = session.get(CallPause, values["id"])
        if present is not None and present.call_id != values.get("call_id"):
            raise BundleRefused("the bundle ends waiting period {pause} of another call;"
                                " refused, nothing imported", pause=values["id"])
        if present is None:
            session.execute(insert(CallPause.__table__), [values])
        elif present.ended_at is None and values.get("ended_at") is not None:
            present.ended_at = values["ended_at"]


# -- conflicts --------------------------------------------------------------------------------
class Keep:
    SITE = "site"
    CENTRAL = "central"


@dataclass(frozen=True, slots=True)
class ConflictView:
    id: uuid.UUID
    site: str
    call_id: uuid.UUID | None  # None for a conflict about another kind of record
    reference: str  # the call's number; a person's or CI's name; a change's number
    subject: str
    detected_at: datetime
    status: str
    site_changes: dict[str, tuple[Any, Any]]  # field: (central now, site)
    site_history: int
    base: dict[str, Any] = field(default_factory=dict)  # field: the value both started from
    # Names for the ids in those values (operators, callers, categories, departments,
    # CIs), so whoever decides reads "Sanne de Vries", not a UUID.
    labels: dict[str, str] = field(default_factory=dict)
    refused: str = ""  # why the central rules held the site's change back, if they did
    kind: str = CALL  # call, person, ci, work-change, problem, evaluation
    breach_steps: int = 0  # protocol steps the site recorded, waiting with the call

    @property
    def short_id(self) -> str:
        """The id's last 8 hex digits: the ids are time-ordered, so their first digits
        are the same for every conflict of one import."""
        return self.id.hex[-8:]

    @property
    def what(self) -> str:
        """The kind of record as an operator names it: call, person, CI, ..."""
        kind = offline_records.KINDS.get(self.kind)
        return "call" if kind is None else kind.what


def field_word(name: str) -> str:
    """A stored field name in an operator's words (`handler_id` -> "handler")."""
    return offline_records.field_word(name)


def conflicts(*, session: Session, actor: Actor, include_resolved: bool = False
              ) -> list[ConflictView]:
    """Conflicts to decide (or all), oldest first, each with the central and site values
    of every field the site changed."""
    from desk_tui.services.calls import reference_of

    require(actor, Action.OFFLINE_RESOLVE)
    statement = (
        select(OfflineConflict, OfflineSite.code)
        .join(OfflineSite, OfflineSite.id == OfflineConflict.site_id)
        .order_by(OfflineConflict.created_at)
    )
    if not include_resolved:
        statement = statement.where(OfflineConflict.status == "open")
    views = []
    for conflict, code in session.execute(statement).all():
        payload = conflict.payload
        changed = payload.get("changed", {})
        steps = sum(1 for step in (payload.get("incident") or {}).get("steps") or []
                    if isinstance(step, dict) and step.get("done_at"))
        if conflict.kind == CALL:
            call = session.get(Call, conflict.call_id)
            if call is None:
                continue
            current = call_fields(call, session.execute(
                select(CallCi.ci_id).where(CallCi.call_id == call.id)).scalars())
            base = payload.get("base")
            if base is None:  # listed before the base was kept: the site's last known version
                known = session.get(OfflineCallBase, (conflict.site_id, call.id))
                base = dict(known.fields) if known is not None else {}
            reference, subject = reference_of(call), call.subject
            # Held back as the central rules stand now: a protocol finished since the
            # import no longer holds the site's close back.
            refused = str(payload.get("refused", "")) if conflict.status != "open" else (
                _central_rules(session, call, changed, payload.get("incident")) or "")
        else:
            kind = offline_records.KINDS.get(conflict.kind)
            row = (None if kind is None
                   else offline_records.row_of(session, kind, conflict.record_id))
            if kind is None or row is None:
                continue
            current = offline_records.record_fields(
                kind, row, offline_records.links_of(session, kind, row["id"]))
            base = payload.get("base") or {}
            reference = offline_records.record_label(session, kind, row)
            subject = str(row.get("title") or kind.what)
            refused = str(payload.get("refused", ""))
        views.append(ConflictView(
            conflict.id, code, conflict.call_id, reference, subject, conflict.created_at,
            conflict.status, {key: (current.get(key), value) for key, value in changed.items()},
            len(payload.get("history", [])),
            {key: base.get(key) for key in changed},
            refused=refused, kind=conflict.kind, breach_steps=steps,
        ))
    labels = _labels(session, views)
    return [replace(view, labels=labels) for view in views] if labels else views


_LABELLED = {"handler_id": (Operator, Operator.display_name),
             "assignee_id": (Operator, Operator.display_name),
             "manager_id": (Operator, Operator.display_name),
             "caller_id": (Person, Person.name),
             "requester_id": (Person, Person.name),
             "owner_id": (Person, Person.name),
             "category_id": (Category, Category.name),
             "department_id": (Department, Department.name),
             "ci_ids": (ConfigurationItem, ConfigurationItem.name)}


def _labels(session: Session, views: Sequence[ConflictView]) -> dict[str, str]:
    """Display names of the ids the conflicts' values hold, one query per kind."""
    wanted: dict[str, set[uuid.UUID]] = {}
    for view in views:
        for name, (central, site) in view.site_changes.items():
            if name not in _LABELLED:
                continue
            for value in (central, site, view.base.get(name)):
                for item in value if isinstance(value, list) else [value]:
                    try:
                        wanted.setdefault(name, set()).add(uuid.UUID(str(item)))
                    except ValueError:
                        continue
    labels: dict[str, str] = {}
    for name, ids in wanted.items():
        table, column = _LABELLED[name]
        for id_, label in session.execute(
                select(table.id, column).where(table.id.in_(list(ids)))).all():
            labels[str(id_)] = label
    return labels


def resolve_conflict(*, session: Session, actor: Actor, conflict: str, keep: str,
                     now: datetime, note: str = "", sla: SlaEngine | None = None
                     ) -> ConflictView:
    """Decide a conflict: take the site's changes over the central ones, or keep the
    central record. Either way the site's history lines are kept (marked when not taken)
    and a call's history says who decided. Taking a site's version that makes a call
    priority 1 tells the organisation's managers (with `sla`), as an import does."""
    require(actor, Action.OFFLINE_RESOLVE)
    if keep not in (Keep.SITE, Keep.CENTRAL):
        raise InvalidInput("keep", "keep 'site' or 'central'")
    reason = clean_text("note", note, limit=NOTE_MAX)
    found = _find_conflict(session, conflict)
    if found.status != "open":
        raise WrongState("conflict {conflict} was decided already ({status})",
                         conflict=found.id.hex[-8:], status=found.status)
    site = session.get(OfflineSite, found.site_id)
    assert site is not None  # a foreign key
    if found.kind == CALL:
        _decide_call(session, actor, site, found, keep, reason, now, sla)
    else:
        _decide_record(session, site, found, keep, now)
    found.status = keep
    found.resolved_by_id = actor.id
    found.resolved_at = now
    found.note = reason or None
    session.flush()
    offline_records.supersede(session, site.id, found.kind, found.record_id, now,
                              keep=found.id)
    views = [view for view in conflicts(session=session, actor=actor, include_resolved=True)
             if view.id == found.id]
    return views[0]


def _decide_call(session: Session, actor: Actor, site: OfflineSite, found: OfflineConflict,
                 keep: str, reason: str, now: datetime, sla: SlaEngine | None) -> None:
    call = session.get(Call, found.call_id)
    assert call is not None  # a foreign key
    payload = found.payload
    protocol = payload.get("incident")
    changed = payload.get("changed", {})
    if keep == Keep.SITE:
        refused = _central_rules(session, call, changed, protocol)
        if refused:
            raise WrongState("the site's changes cannot be taken over yet: {reason}",
                             reason=refused)
        raised = changed.get("priority") == 1 and call.priority != 1
        if protocol is not None:  # the steps first: the close they allow comes after
            _merge_incident(session, protocol, kept_by_operator=True)
        _apply(session, call, changed, payload.get("history", []),
               payload.get("pauses", []), now)
        if raised and sla is not None:
            _tell_p1_managers(session, [call.id], sla, now)
        what = f"wijzigingen van locatie {site.code} overgenomen"
    else:
        # The site's history (its protocol steps' lines too) stays readable, marked.
        _insert_history(session, payload.get("history", []),
                        note_prefix=f"[locatie {site.code}, niet overgenomen]")
        what = f"centrale versie behouden; wijzigingen van locatie {site.code} niet overgenomen"
    session.add(CallHistory(
        call_id=call.id, at=now, operator_id=actor.id, field=HistoryField.NOTE,
        note=f"Offline-conflict: {what}" + (f" — {reason}" if reason else ""),
    ))
    call.updated_at = now  # the decision is a change of the call: its version rises
    _remember(session, site, call, payload.get("fields", {}),
              [entry["id"] for entry in payload.get("history", [])])


def _decide_record(session: Session, site: OfflineSite, found: OfflineConflict, keep: str,
                   now: datetime) -> None:
    """A person's, CI's, change's, problem's or evaluation's conflict: the site's changed
    fields set, or none; either way the site's values are now agreed on (its next bundle
    does not raise the same question again)."""
    kind = offline_records.KINDS[found.kind]
    payload = found.payload
    row = offline_records.row_of(session, kind, found.record_id)
    if row is None:
        raise NotFound("the {kind} of conflict {conflict} no longer exists", kind=kind.what,
                       conflict=found.id.hex[-8:])
    history = payload.get("history") or []
    if keep == Keep.SITE:
        changed = payload.get("changed", {})
        merge = offline_records.RecordMerge(session, site, found.bundle_id, now)
        refused = merge.owned(kind, row) or merge.taken_tag(kind, row["id"], changed)
        if refused:  # as the import would say now
            raise WrongState("the site's changes cannot be taken over: {reason}",
                             reason=refused)
        offline_records.apply_fields(session, kind, row["id"], changed, now)
    if history:  # a CI's history lines from the site: kept, marked when not taken
        offline_records.insert_ci_history(
            session, history, row["id"], BundleRefused,
            None if keep == Keep.SITE else f"[locatie {site.code}, niet overgenomen]")
    offline_records.remember(session, site.id, kind.name, found.record_id,
                             payload.get("fields", {}), now)


def _find_conflict(session: Session, text: str) -> OfflineConflict:
    """By id (its 8 last hex digits as listed, or the whole), or by the reference of a
    call with one open conflict."""
    from desk_tui.services.calls import reference_of

    wanted = text.strip().lower().replace("-", "")
    rows = session.execute(select(OfflineConflict, Call)
                           .outerjoin(Call, Call.id == OfflineConflict.call_id)).all()
    matches = [conflict for conflict, _ in rows
               if len(wanted) >= 8 and (conflict.id.hex.endswith(wanted)
                                        or conflict.id.hex == wanted)]
    if not matches:
        matches = [conflict for conflict, call in rows
                   if call is not None and reference_of(call).lower().replace("-", "") == wanted
                   and conflict.status == "open"]
    if not matches:
        raise NotFound("no conflict “{conflict}” (see desk offline conflicts)", conflict=text)
    if len(matches) > 1:
        raise InvalidInput("conflict", "“{conflict}” names {count} conflicts; use the id",
                           conflict=text, count=len(matches))
    return matches[0]
