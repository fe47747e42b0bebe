"""Records other than calls that an election site brings back: people, CIs (with their
history and new relations), changes, problems and P1 evaluations.

Each is merged three-way, field by field. `offline_record_base` keeps per site and
record what both sides last agreed on: in the site copy the record as prepared (what
export compares with); centrally the site's values at the last bundle or decision
(what import compares with). A field the site changed is taken over when the central
value is still the base (or already equal); a field changed on both sides to different
values makes the record a conflict for an operator to decide, never overwritten. A
record made at the site is inserted with its own id: importing again finds it there.

What a site has no business recording (contracts, GRIP levels, crisis contacts) is
refused at the site copy itself (offline.refuse_at_site), so nothing can be lost.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from desk_tui.services.errors import Phrase
from desk_tui.services.offline_bundle import BundleRefused, column_value, from_json, row_json
from desk_tui.store import audit
from desk_tui.store.models import (
    Call,
    Change,
    ChangeCi,
    CiHistory,
    CiRelation,
    ConfigurationItem,
    Department,
    OfflineConflict,
    OfflineRecordBase,
    OfflineSite,
    Operator,
    P1Evaluation,
    Person,
    Problem,
    ProblemCall,
)


@dataclass(frozen=True, slots=True)
class RecordKind:
    """One kind of record a bundle carries besides calls."""

    name: str  # in the bundle, offline_record_base and offline_conflict
    model: Any
    fields: tuple[str, ...]  # merged field by field
    what: str  # the operator's word (a Phrase: the console translates it)
    links: str | None = None  # a set of linked ids carried as one field


PERSON = RecordKind("person", Person,
                    ("name", "phone", "email", "job_title", "department_id", "login"),
                    Phrase("person"))
CI = RecordKind("ci", ConfigurationItem, (
    "name", "status", "location", "hostname", "ip_address", "serial_number", "asset_tag",
    "owner_id", "notes", "configuration", "in_service_on", "retired_on", "expires_on",
    "attributes"), Phrase("CI"))
CHANGE = RecordKind("work-change", Change, (
    "title", "description", "status", "assignee_id", "requester_id", "call_id",
    "problem_id", "planned_for", "approved_at", "implemented_at", "closed_at",
    "refusal_reason"), Phrase("change"), links="ci_ids")
PROBLEM = RecordKind("problem", Problem, (
    "title", "description", "status", "manager_id", "root_cause", "workaround",
    "resolved_at", "closed_at"), Phrase("problem"), links="call_ids")
# Keyed by its call: a P1 made at the site gets an evaluation centrally too, under
# another id, and the two are one appointment.
EVALUATION = RecordKind("evaluation", P1Evaluation,
                        ("planned_for", "with_whom", "held_at", "summary"),
                        Phrase("P1 evaluation"))
RELATION = "ci_relation"  # new relations between CIs: inserted, never changed
COPY_MARK = "copy"  # in a site copy: prepared by a desk that keeps bases
KINDS: dict[str, RecordKind] = {kind.name: kind for kind in
                                (PERSON, CI, CHANGE, PROBLEM, EVALUATION)}

# Field names as an operator says them (the CLI); the console translates them.
FIELD_WORDS: dict[str, str] = {
    "subject": "subject", "description": "description", "call_type": "type",
    "category_id": "category", "impact": "impact", "urgency": "urgency",
    "priority": "priority", "status": "status", "handler_id": "handler", "line": "line",
    "supplier": "supplier", "supplier_reference": "supplier's reference",
    "handled_by": "handled by", "escalation_level": "escalation level",
    "reaction_due": "reaction due", "resolution_due": "resolution due",
    "reacted_at": "reacted at", "resolved_at": "resolved at", "closed_at": "closed at",
    "solution": "solution", "caller_id": "caller", "department_id": "department",
    "ci_ids": "linked CIs", "name": "name", "phone": "phone", "email": "e-mail",
    "job_title": "job title", "login": "login", "location": "location",
    "hostname": "host name", "ip_address": "IP address", "serial_number": "serial number",
    "asset_tag": "asset tag", "owner_id": "owner", "notes": "notes",
    "configuration": "configuration", "in_service_on": "in service on",
    "retired_on": "retired on", "expires_on": "expires on", "attributes": "attributes",
    "title": "title", "assignee_id": "assignee", "requester_id": "requester",
    "call_id": "call", "problem_id": "problem", "planned_for": "planned for",
    "approved_at": "approved at", "implemented_at": "implemented at",
    "refusal_reason": "refusal reason", "manager_id": "problem manager",
    "root_cause": "root cause", "workaround": "workaround", "call_ids": "bundled calls",
    "with_whom": "with whom", "held_at": "held at", "summary": "summary",
}


def field_word(name: str) -> str:
    """A stored field name as an operator reads it (`handler_id` -> "handler")."""
    return FIELD_WORDS.get(name, name.replace("_", " "))


def record_fields(kind: RecordKind, row: Mapping[str, Any],
                  links: Iterable[Any] | None = None) -> dict[str, Any]:
    """The fields of `kind` that are merged, as JSON values; linked ids sorted."""
    values = row_json({name: row[name] for name in kind.fields})
    if kind.links:
        values[kind.links] = sorted(str(value) for value in links or ())
    return values


def row_of(session: Session, kind: RecordKind, record_id: uuid.UUID) -> dict[str, Any] | None:
    """The record as a column mapping (for an evaluation: the one of call `record_id`)."""
    table = kind.model.__table__
    key = table.c.call_id if kind is EVALUATION else table.c.id
    found = session.execute(select(table).where(key == record_id)).mappings().first()
    return dict(found) if found is not None else None


def links_of(session: Session, kind: RecordKind, record_id: uuid.UUID) -> list[uuid.UUID]:
    if kind is CHANGE:
        return list(session.execute(select(ChangeCi.ci_id).where(
            ChangeCi.change_id == record_id)).scalars())
    if kind is PROBLEM:
        return list(session.execute(select(ProblemCall.call_id).where(
            ProblemCall.problem_id == record_id)).scalars())
    return []


def current_fields(session: Session, kind: RecordKind,
                   record_id: uuid.UUID) -> dict[str, Any] | None:
    row = row_of(session, kind, record_id)
    if row is None:
        return None
    return record_fields(kind, row, links_of(session, kind, record_id))


def bases(session: Session, site_id: uuid.UUID, kind: str) -> dict[str, dict[str, Any]]:
    """The agreed fields per record id (as text) of one kind at one site."""
    return {str(base.record_id): dict(base.fields) for base in session.execute(
        select(OfflineRecordBase).where(OfflineRecordBase.site_id == site_id,
                                        OfflineRecordBase.kind == kind)).scalars()}


def remember(session: Session, site_id: uuid.UUID, kind: str, record_id: uuid.UUID,
             fields: Mapping[str, Any], now: datetime) -> None:
    """What the site and the desk now agree on for this record."""
    known = session.get(OfflineRecordBase, (site_id, kind, record_id))
    if known is None:
        session.add(OfflineRecordBase(site_id=site_id, kind=kind, record_id=record_id,
                                      fields=dict(fields), updated_at=now))
    elif known.fields != dict(fields):
        known.fields = dict(fields)
        known.updated_at = now


# -- at the site --------------------------------------------------------------------------
def prepared_bases(site_id: uuid.UUID, rows: Mapping[str, list[dict[str, Any]]],
                   now: datetime) -> list[dict[str, Any]]:
    """The people, CIs and P1 evaluations of a new site copy as prepared, and which CI
    relations it started with."""
    found = []
    for kind, table in ((PERSON, "person"), (CI, "configuration_item"),
                        (EVALUATION, "p1_evaluation")):
        for row in rows[table]:
            found.append({
                "site_id": site_id, "kind": kind.name, "updated_at": now,
                "record_id": row["call_id"] if kind is EVALUATION else row["id"],
                "fields": record_fields(kind, row),
            })
    found += [{"site_id": site_id, "kind": RELATION, "record_id": row["id"], "fields": {},
               "updated_at": now} for row in rows["ci_relation"]]
    # This copy keeps bases: a record without one was made at the site.
    found.append({"site_id": site_id, "kind": COPY_MARK, "record_id": site_id,
                  "fields": {}, "updated_at": now})
    return found


def site_records(session: Session, site_id: uuid.UUID, prepared_at: datetime,
                 people: Iterable[uuid.UUID]) -> list[dict[str, Any]]:
    """Every person (named in `people`, new or edited), CI, relation, change, problem
    and P1 evaluation the site recorded, with the base it started from."""
    records: list[dict[str, Any]] = []
    named = set(people)
    # A copy prepared before bases were kept has none: its records go by their times.
    older_copy = session.get(OfflineRecordBase, (site_id, COPY_MARK, site_id)) is None
    for kind in (PERSON, CI, PROBLEM, CHANGE, EVALUATION):
        known = bases(session, site_id, kind.name)
        table = kind.model.__table__
        by_time = older_copy and kind in (PERSON, CI, EVALUATION)
        written = audit.written_rows(session.connection(), table.name)
        for row in session.execute(select(table)).mappings():
            key = row["call_id"] if kind is EVALUATION else row["id"]
            fields = record_fields(kind, row, links_of(session, kind, row["id"]))
            base = known.get(str(key))
            if by_time:
                edited = (row["created_at"] >= prepared_at
                          or row["updated_at"] > prepared_at)
            else:  # no base: made at the site. Written there but back as prepared: sent
                # too, so an open question about an earlier value of it is answered.
                edited = base is None or fields != base or str(row["id"]) in written
            if kind is PERSON and not edited and key in named:
                edited = True  # a caller the calls name: sent, even unchanged
            if not edited:
                continue
            record: dict[str, Any] = {"kind": kind.name, "fields": fields, "base": base}
            record["person" if kind is PERSON else "row"] = row_json(row)
            if kind is CI:
                record["history"] = [row_json(entry) for entry in session.execute(
                    select(CiHistory.__table__).where(CiHistory.ci_id == row["id"])
                    .order_by(CiHistory.at)).mappings()]
            records.append(record)
    # The copy holds no CI history: every line is the site's, also of unchanged CIs.
    carried = {record["row"]["id"] for record in records if record["kind"] == CI.name}
    lines: dict[str, list[dict[str, Any]]] = {}
    for entry in session.execute(select(CiHistory.__table__).order_by(CiHistory.at)
                                 ).mappings():
        if str(entry["ci_id"]) not in carried:
            lines.setdefault(str(entry["ci_id"]), []).append(row_json(entry))
    ci_bases = bases(session, site_id, CI.name) if lines else {}
    for ci_id, history in lines.items():
        row = session.execute(select(ConfigurationItem.__table__).where(
            ConfigurationItem.id == uuid.UUID(ci_id))).mappings().first()
        if row is not None:
            fields = record_fields(CI, row)
            records.append({"kind": CI.name, "row": row_json(row), "fields": fields,
                            "base": ci_bases.get(ci_id, fields), "history": history})
    prepared = bases(session, site_id, RELATION)  # the relations the copy started with
    records += [{"kind": RELATION, "row": row_json(row)} for row in session.execute(
        select(CiRelation.__table__)).mappings() if str(row["id"]) not in prepared]
    return records


# -- centrally ------------------------------------------------------------------------------
@dataclass(slots=True)
class RecordCounts:
    new: int = 0
    updated: int = 0
    conflicts: int = 0


Apply = Callable[[Session, RecordKind, uuid.UUID, Mapping[str, Any], datetime], None]


class RecordMerge:
    """The import of one bundle's non-call records into the central database."""

    def __init__(self, session: Session, site: OfflineSite, bundle_id: str,
                 now: datetime) -> None:
        self.session = session
        self.site = site
        self.bundle_id = bundle_id
        self.now = now
        self.counts: dict[str, RecordCounts] = {}
        self.conflicts_known = 0
        self.conflict_names: list[str] = []
        self.relations = 0
        self.ci_history = 0
        self.new_evaluations: list[uuid.UUID] = []

    def count(self, kind: str) -> RecordCounts:
        return self.counts.setdefault(kind, RecordCounts())

    # -- checks ---------------------------------------------------------------------------
    def refuse(self, what: Phrase) -> BundleRefused:
        return BundleRefused("site {site}'s bundle holds {what}; refused, nothing imported",
                             site=self.site.code, what=what)

    def ours(self, organisation_id: object, what: Phrase, *, none_too: bool = False) -> None:
        if organisation_id == self.site.organisation_id or (none_too and organisation_id
                                                            is None):
            return
        raise self.refuse(Phrase("{what} of another organisation", what=what))

    def named(self, values: Mapping[str, Any], key: str, model: Any, *,
              organisation: bool = False) -> None:
        """An id a record names must exist (and be the site's organisation's)."""
        value = values.get(key)
        if value in (None, ""):
            return
        try:
            row = self.session.get(model, uuid.UUID(str(value)))
        except ValueError:
            row = None
        if row is None or (organisation and row.organisation_id
                           not in (self.site.organisation_id, None)):
            raise self.refuse(Phrase("as {field} “{value}” that is not its organisation's",
                                     field=key, value=str(value)))

    def check_references(self, kind: RecordKind, fields: Mapping[str, Any]) -> None:
        if kind is PERSON:
            self.named(fields, "department_id", Department, organisation=True)
        elif kind is CI:
            self.named(fields, "owner_id", Person, organisation=True)
        elif kind is CHANGE:
            self.named(fields, "requester_id", Person, organisation=True)
            self.named(fields, "call_id", Call, organisation=True)
            self.named(fields, "problem_id", Problem, organisation=True)
            self.named(fields, "assignee_id", Operator)
            for value in fields.get("ci_ids") or []:
                self.named({"ci": value}, "ci", ConfigurationItem)
        elif kind is PROBLEM:
            self.named(fields, "manager_id", Operator)
            for value in fields.get("call_ids") or []:
                self.named({"call": value}, "call", Call, organisation=True)

    # -- merging --------------------------------------------------------------------------
    def merge(self, record: Mapping[str, Any]) -> None:
        kind = KINDS[record["kind"]]
        data = record.get("person" if kind is PERSON else "row")
        if not isinstance(data, dict):
            raise self.refuse(Phrase("a {kind} record without its fields", kind=kind.what))
        values = from_json(kind.model.__table__, data)
        if kind is PERSON:
            self.ours(values.get("organisation_id"), Phrase("a person"))
        fields = record.get("fields")
        if fields is None and kind is PERSON:  # an older bundle: the row only
            fields = record_fields(kind, data)
        expected = set(record_fields(kind, {name: None for name in kind.fields}))
        if not isinstance(fields, dict) or set(fields) != expected:
            raise self.refuse(Phrase("a {kind} record with other fields than a {kind}'s",
                                     kind=kind.what))
        for name in kind.fields:  # the row and its fields must say the same
            if name in data and row_json({name: values.get(name)})[name] != fields[name]:
                raise self.refuse(Phrase("a {kind} record whose {field} differs from its row",
                                         kind=kind.what, field=name))
        record_id = values["call_id"] if kind is EVALUATION else values["id"]
        self.check_references(kind, fields)
        current = row_of(self.session, kind, record_id)
        if current is None:
            self._insert(kind, values, fields, record)
            remember(self.session, self.site.id, kind.name, record_id, fields, self.now)
            return
        refused = self.owned(kind, current)
        # A CI's history lines from the site go in with its fields: held with a conflict
        # until an operator decides (then marked if not taken), never in before.
        history = list(record.get("history") or []) if kind is CI else []
        stored = self.session.get(OfflineRecordBase, (self.site.id, kind.name, record_id))
        base = (dict(stored.fields) if stored is not None
                else record.get("base") if isinstance(record.get("base"), dict)
                else None)
        central = record_fields(kind, current, links_of(self.session, kind, current["id"]))
        if base is None and kind is EVALUATION:  # made at the site: it started empty
            base = {key: None for key in central}
        elif base is None:  # a copy from before bases: the central record as it is now
            base = self._legacy_base(kind, current, central)
        unknown = base is None  # changed on both sides, for all the desk can tell
        if base is None:
            base = {}
            changed = {key: value for key, value in fields.items() if central.get(key) != value}
        else:
            changed = {key: value for key, value in fields.items() if base.get(key) != value}
        # What prepare leaves out of a copy (e-mail addresses, another organisation's
        # owner of a CI) reads None there: "not known at the site", never a change.
        for name in ("email", "owner_id"):
            if name in changed and changed[name] is None and (
                    stored is None and not isinstance(record.get("base"), dict)):
                del changed[name]
        if kind is PERSON and "email" in changed and changed["email"] is None:
            del changed["email"]  # the copy never holds e-mail addresses
        if not changed:
            if history:  # only lines (a relation to it); marked when not the site's own
                self._ci_history(history, record_id,
                                 f"[locatie {self.site.code}]" if refused else None)
            remember(self.session, self.site.id, kind.name, record_id, fields, self.now)
            # The site went back to what both had agreed on: its open question is moot.
            supersede(self.session, self.site.id, kind.name, record_id, self.now)
            return
        both = [key for key, value in changed.items()
                if (unknown or central.get(key) != base.get(key)) and central.get(key) != value]
        if both or refused:
            self._conflict(kind, record_id, current, {
                "fields": fields, "changed": changed,
                "base": {key: base.get(key) for key in changed},
                **({"refused": str(refused)} if refused else {}),
                **({"history": history} if history else {}),
            })
            return
        wanted = {key: value for key, value in changed.items() if central.get(key) != value}
        clash = self.taken_tag(kind, current["id"], wanted)
        if clash:  # unique here: an operator sorts it out, the import goes on
            self._conflict(kind, record_id, current, {
                "fields": fields, "changed": changed, "refused": str(clash),
                "base": {key: base.get(key) for key in changed},
                **({"history": history} if history else {})})
            return
        if history:
            self._ci_history(history, record_id)
        if wanted:
            apply_fields(self.session, kind, current["id"], wanted, self.now)
            self.count(kind.name).updated += 1
        remember(self.session, self.site.id, kind.name, record_id, fields, self.now)
        supersede(self.session, self.site.id, kind.name, record_id, self.now)

    def taken_tag(self, kind: RecordKind, ci_id: uuid.UUID,
                   wanted: Mapping[str, Any]) -> Phrase | None:
        tag = wanted.get("asset_tag") if kind is CI else None
        if not tag:
            return None
        other = self.session.execute(select(ConfigurationItem.name).where(
            ConfigurationItem.asset_tag == tag, ConfigurationItem.id != ci_id)).scalar()
        return None if other is None else Phrase("asset tag “{tag}” is {ci}'s here", tag=tag,
                                                 ci=other)

    def _legacy_base(self, kind: RecordKind, current: Mapping[str, Any],
                     central: dict[str, Any]) -> dict[str, Any] | None:
        """No base known: the central record, when it did not change since prepare; else
        None (every differing field then counts as changed on both sides)."""
        if current.get("updated_at") is not None and current["updated_at"] > (
                self.site.prepared_at):
            return None
        return central

    def owned(self, kind: RecordKind, current: Mapping[str, Any]) -> Phrase | None:
        """Why an existing record is not the site's to change, if it is not."""
        organisation = current.get("organisation_id")
        if kind is EVALUATION:
            call = self.session.get(Call, current["call_id"])
            organisation = None if call is None else call.organisation_id
            self.ours(organisation, Phrase("a P1 evaluation"))
            return None
        if kind is PERSON:
            self.ours(organisation, Phrase("a person"))
            return None
        if organisation in (self.site.organisation_id, None):
            return None
        # The copy shows another participant's CI (one a site's system runs on) without
        # its organisation: a change to it waits for an operator instead.
        return Phrase("this {kind} belongs to another organisation; a site may not change it:"
                      " change it centrally if the site was right", kind=kind.what)

    def _insert(self, kind: RecordKind, values: dict[str, Any], fields: Mapping[str, Any],
                record: Mapping[str, Any]) -> None:
        session = self.session
        if kind is PERSON:
            self.ours(values.get("organisation_id"), Phrase("a person"))
        elif kind is CI:
            self.ours(values.get("organisation_id"), Phrase("a CI"), none_too=True)
            for key, what in (("asset_tag", Phrase("asset tag")),
                              ("external_ref", Phrase("CMDB key"))):
                taken = values.get(key) and session.execute(
                    select(ConfigurationItem.id).where(
                        ConfigurationItem.__table__.c[key] == values[key])).first()
                if taken:  # unique: say which, rather than fail on the insert
                    raise self.refuse(Phrase(
                        "a new CI with {what} “{value}”, which another CI has here; correct it"
                        " at the site and export again", what=what, value=values[key]))
            values["search_text"] = ci_search(session, values)
        elif kind in (CHANGE, PROBLEM):
            self.ours(values.get("organisation_id"), Phrase("a {kind}", kind=kind.what),
                      none_too=kind is PROBLEM)
            if values.get("site") != self.site.code:
                raise self.refuse(Phrase("a {kind} numbered for “{numbered}”", kind=kind.what,
                                         numbered=values.get("site")))
        elif kind is EVALUATION:
            call = session.get(Call, values["call_id"])
            self.ours(None if call is None else call.organisation_id,
                      Phrase("a P1 evaluation"))
            if session.get(P1Evaluation, values["id"]) is not None:
                values["id"] = uuid.uuid4()
        for key in ("assignee_id", "manager_id"):
            if values.get(key) and session.get(Operator, values[key]) is None:
                values[key] = None
        session.execute(insert(kind.model.__table__), [values])
        links = fields.get(kind.links) if kind.links else None
        if links:
            _set_links(session, kind, values["id"], links, self.now)
        if kind is CI:
            self._ci_history(record.get("history") or [], values["id"])
        if kind is EVALUATION:
            self.new_evaluations.append(values["call_id"])
        self.count(kind.name).new += 1

    def _ci_history(self, history: Sequence[Mapping[str, Any]], ci_id: uuid.UUID,
                    note_prefix: str | None = None) -> None:
        self.ci_history += insert_ci_history(self.session, history, ci_id, self.refuse,
                                             note_prefix)

    def relation(self, record: Mapping[str, Any]) -> None:
        values = from_json(CiRelation.__table__, record.get("row") or {})
        ends = [self.session.get(ConfigurationItem, values.get(key))
                for key in ("from_ci_id", "to_ci_id")]
        if any(end is None for end in ends):
            raise self.refuse(Phrase("a relation of a CI this database lacks"))
        present = self.session.execute(select(CiRelation.id).where(
            CiRelation.from_ci_id == values["from_ci_id"],
            CiRelation.to_ci_id == values["to_ci_id"],
            CiRelation.kind == values["kind"])).first()
        if present is not None or self.session.get(CiRelation, values["id"]) is not None:
            return  # known here (a copy prepared without bases sends all it was given)
        if not any(end.organisation_id in (self.site.organisation_id, None)
                   for end in ends if end is not None):
            raise self.refuse("a relation between CIs of another organisation")
        self.session.execute(insert(CiRelation.__table__), [values])
        self.relations += 1

    def _conflict(self, kind: RecordKind, record_id: uuid.UUID, current: Mapping[str, Any],
                  payload: dict[str, Any]) -> None:
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        listed = self.session.execute(select(OfflineConflict).where(
            OfflineConflict.site_id == self.site.id, OfflineConflict.kind == kind.name,
            OfflineConflict.record_id == record_id,
            OfflineConflict.payload_hash == digest)).scalars().first()
        if listed is not None and listed.status == "superseded":
            # The site went back to values a later bundle had replaced (B, C, B again):
            # the earlier question is the current one again, the later one is answered.
            listed.status, listed.resolved_at, listed.updated_at = "open", None, self.now
            listed.bundle_id = self.bundle_id
            self.session.flush()
            supersede(self.session, self.site.id, kind.name, record_id, self.now,
                      keep=listed.id)
            self.conflicts_known += 1
        elif listed is not None:
            self.conflicts_known += 1
        else:
            conflict = OfflineConflict(
                site_id=self.site.id, call_id=None, kind=kind.name, record_id=record_id,
                bundle_id=self.bundle_id, payload=payload, payload_hash=digest,
                central_version=int(current.get("version") or 0),
                created_at=self.now, updated_at=self.now,
            )
            self.session.add(conflict)
            self.session.flush()
            supersede(self.session, self.site.id, kind.name, record_id, self.now,
                      keep=conflict.id)
            self.count(kind.name).conflicts += 1
        self.conflict_names.append(f"{kind.what} {record_label(self.session, kind, current)}")


def insert_ci_history(session: Session, history: Sequence[Mapping[str, Any]],
                      ci_id: uuid.UUID, refuse: Callable[[Phrase], BundleRefused],
                      note_prefix: str | None = None) -> int:
    """Add the site's CI history lines the desk lacks; each must be `ci_id`'s."""
    added = 0
    for entry in history:
        values = from_json(CiHistory.__table__, entry)
        if values.get("ci_id") != ci_id:
            raise refuse(Phrase("a CI history line of CI “{named}” under CI {ci_id}",
                                named=entry.get("ci_id"), ci_id=ci_id))
        if session.get(CiHistory, values["id"]) is not None:
            continue
        if values.get("operator_id") and session.get(Operator, values["operator_id"]) is None:
            values["operator_id"] = None
        if note_prefix:
            values["note"] = f"{note_prefix} {values.get('note') or ''}".strip()
        session.execute(insert(CiHistory.__table__), [values])
        added += 1
    return added


def supersede(session: Session, site_id: uuid.UUID, kind: str, record_id: uuid.UUID,
              now: datetime, keep: uuid.UUID | None = None) -> None:
    """Older open conflicts of this site about this record are answered by a newer
    bundle (bundles are cumulative) or a decision: taking their older site values later
    would undo what came after, so they close as "superseded"."""
    from sqlalchemy import update

    statement = update(OfflineConflict).where(
        OfflineConflict.site_id == site_id, OfflineConflict.kind == kind,
        OfflineConflict.record_id == record_id, OfflineConflict.status == "open")
    if keep is not None:
        statement = statement.where(OfflineConflict.id != keep)
    session.execute(statement.values(status="superseded", resolved_at=now, updated_at=now))


def record_label(session: Session, kind: RecordKind, row: Mapping[str, Any]) -> str:
    """How the list names a record: a person's or CI's name, a change's number, ..."""
    from desk_tui.store.numbers import ReferenceKind, format_reference

    if kind in (PERSON, CI):
        return str(row["name"])
    if kind is CHANGE:
        return format_reference(ReferenceKind.CHANGE, row["site"], row["year"], row["number"])
    if kind is PROBLEM:
        return format_reference(ReferenceKind.PROBLEM, row["site"], row["year"],
                                row["number"])
    from desk_tui.services.calls import reference_of

    call = session.get(Call, row["call_id"])
    return reference_of(call) if call is not None else str(row["call_id"])


def ci_search(session: Session, values: Mapping[str, Any]) -> str:
    from desk_tui.store.models import Organisation
    from desk_tui.store.search import ci_search_text

    owner = session.get(Person, values["owner_id"]) if values.get("owner_id") else None
    organisation = (session.get(Organisation, values["organisation_id"])
                    if values.get("organisation_id") else None)
    return ci_search_text(
        name=values.get("name"), asset_tag=values.get("asset_tag"),
        serial_number=values.get("serial_number"), hostname=values.get("hostname"),
        ip_address=values.get("ip_address"), location=values.get("location"),
        configuration=values.get("configuration"),
        owner_name=owner.name if owner else None, owner_login=owner.login if owner else None,
        organisation_name=organisation.name if organisation else None,
        organisation_code=organisation.code if organisation else None,
    )


def apply_fields(session: Session, kind: RecordKind, row_id: uuid.UUID,
                 changed: Mapping[str, Any], now: datetime) -> None:
    """Set the site's values of `changed` on the record (through the ORM: a versioned
    record's version rises, the audit trail sees the change)."""
    record = session.get(kind.model, row_id)
    assert record is not None  # read just before
    table = kind.model.__table__
    for name, value in changed.items():
        if name == kind.links:
            _set_links(session, kind, row_id, value, now)
        else:
            setattr(record, name, column_value(table, name, value))
    record.updated_at = now
    session.flush()
    if kind is CI:
        record.search_text = ci_search(session, {
            column.name: getattr(record, column.name) for column in table.c})
        session.flush()


def _set_links(session: Session, kind: RecordKind, row_id: uuid.UUID,
               wanted_ids: Sequence[str], now: datetime) -> None:
    wanted = {uuid.UUID(str(value)) for value in wanted_ids}
    have = set(links_of(session, kind, row_id))
    for linked in wanted - have:
        if kind is CHANGE:
            session.add(ChangeCi(change_id=row_id, ci_id=linked))
        else:
            session.add(ProblemCall(problem_id=row_id, call_id=linked, linked_at=now))
    for linked in have - wanted:
        row = session.get(ChangeCi if kind is CHANGE else ProblemCall, (row_id, linked))
        if row is not None:
            session.delete(row)
    session.flush()
