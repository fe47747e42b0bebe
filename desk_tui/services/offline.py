"""Election sites offline (SPEC 10): prepare a self-contained copy for a site's laptop,
know at the site which site this database is, and keep the standby log.

What a site's copy holds, and no more (SPEC 11, collect only what is relevant):

- the site's organisation, its departments and its escalation ladder (a P1 on election
  day needs the managers' numbers);
- the organisation's active staff who may call, with name, phone, login, department and
  job title; e-mail addresses are left out (the laptop sends no mail), as are people of
  other organisations;
- the organisation's CIs (or those at the site's locations) and everything they run on or
  depend on, transitively, plus the network gear they connect to directly, with the
  relations between those; no CI history, no contracts; each person, CI and P1
  evaluation also as prepared (offline_record_base), what export compares with;
- all categories (intake needs them);
- the operators who will work there, with their roles; operators who appear only as the
  handler or author of a copied call come along as an inactive name without roles,
  e-mail or phone; no PIN hashes leave the central database;
- the organisation's open calls with their history, waiting periods and CI links, so the
  site can carry on with them; no closed calls; with them the rules that bind them: their
  data-breach protocol (security incident and steps: a breach call cannot be closed at the
  site while steps are open) and their P1 evaluation;
- the organisation's GRIP levels and crisis contacts (the crisis banner at the site; no
  e-mail addresses);
- role_permission as the central table holds it, replacing the seed of a new database, so
  a right an administrator revoked centrally stays revoked on the laptop;
- the site's identity and the private key that signs its bundles (centrally only the
  public key is kept).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import InvalidInput, NotFound, Phrase, WrongState
from desk_tui.services.offline_bundle import new_key_pair, row_json
from desk_tui.services.offline_records import prepared_bases
from desk_tui.services.text_rules import clean_text
from desk_tui.store.engine import immediate, read_session, write_session
from desk_tui.store.enums import OPEN_CALL_STATUSES, CiRelationKind
from desk_tui.store.models import (
    Call,
    CallCi,
    CallHistory,
    CallPause,
    Category,
    CiRelation,
    ConfigurationItem,
    CrisisContact,
    Department,
    EscalationContact,
    GripLevel,
    OfflineCallBase,
    OfflineRecordBase,
    OfflineSite,
    Operator,
    OperatorRoleGrant,
    Organisation,
    P1Evaluation,
    Person,
    RolePermission,
    SecurityIncident,
    SecurityIncidentStep,
    StandbyEntry,
)
from desk_tui.store.references import CENTRAL_SITE

SITE_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")

# What a site may change on a call and brings back; compared field by field on import.
CALL_FIELDS = (
    "subject", "description", "call_type", "category_id", "impact", "urgency", "priority",
    "status", "handler_id", "line", "supplier", "supplier_reference", "handled_by",
    "escalation_level", "reaction_due", "resolution_due", "reacted_at", "resolved_at",
    "closed_at", "solution", "caller_id", "department_id",
)


@dataclass(frozen=True, slots=True)
class SiteIdentity:
    """Which site this database is (in a site's copy), with the key that signs its bundles."""

    id: uuid.UUID
    code: str
    name: str
    organisation_id: uuid.UUID
    prepared_at: datetime
    private_key: str | None


@dataclass(frozen=True, slots=True)
class PrepareReport:
    site: str
    path: Path
    counts: dict[str, int]

    def describe(self) -> str:
        parts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"site {self.site} prepared in {self.path}: {parts}"


def check_site_code(code: str) -> str:
    code = code.strip().upper()
    if not SITE_CODE.match(code) or code == CENTRAL_SITE.upper():
        raise InvalidInput(
            "site", "a site code is 1 to 8 letters and digits starting with a letter,"
            " e.g. V01 (not “{central}”)", central=CENTRAL_SITE,
        )
    return code


def local_site(session: Session) -> SiteIdentity | None:
    """This database's own site, if it is a site's copy; None for the central database."""
    site = session.execute(select(OfflineSite).where(OfflineSite.here.is_(True))).scalars().first()
    if site is None:
        return None
    return SiteIdentity(site.id, site.code, site.name, site.organisation_id, site.prepared_at,
                        site.private_key)


def refuse_at_site(session: Session, what: Phrase) -> None:
    """Refuse, in an election site's copy, what only the central desk records: a site's
    bundle does not carry it back, so recording it there would lose it."""
    site = local_site(session)
    if site is not None:
        raise WrongState(
            "{what} is recorded centrally, not at election site {site}: the site's bundle"
            " does not carry it back; ask the central desk to record it",
            what=what, site=site.code,
        )


def numbering_site(session: Session, site: str) -> str:
    """The site a new call, change or problem is numbered under: in a site's copy its
    own code (M2026-V01-…, W2026-V01-…), so its numbers never collide with central ones."""
    if site != CENTRAL_SITE:
        return site
    here = local_site(session)
    return CENTRAL_SITE if here is None else here.code


def site_code_of(engine: Engine) -> str:
    """The code new calls are numbered under here: the site's, or the central one."""
    with read_session(engine) as session:
        site = local_site(session)
    return CENTRAL_SITE if site is None else site.code


def call_fields(call: Any, ci_ids: Iterable[uuid.UUID]) -> dict[str, Any]:
    """The fields a site brings back, as JSON values; CI links as a sorted list. `call`
    is a Call or a row mapping of the call table."""
    if isinstance(call, Mapping):
        values = row_json({name: call[name] for name in CALL_FIELDS})
    else:
        values = row_json({name: getattr(call, name) for name in CALL_FIELDS})
    values["ci_ids"] = sorted(str(ci_id) for ci_id in ci_ids)
    return values


# -- prepare ----------------------------------------------------------------------------------
def prepare_site(
    *, central: Engine, actor: Actor, code: str, organisation_code: str, output: Path,
    now: datetime, name: str = "", operator_logins: Sequence[str] = (),
    locations: Sequence[str] = (),
) -> PrepareReport:
    """Register the site centrally (with its public key) and write its copy to `output`,
    a new SQLite file at the current schema. Refuses an existing file or site code."""
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import upgrade_database

    with read_session(central) as session:  # in a session: a refusal reaches the audit log
        require(actor, Action.OFFLINE_PREPARE)
    code = check_site_code(code)
    title = clean_text("name", name, limit=200) or f"Verkiezingslocatie {code}"
    if output.exists():
        raise InvalidInput("output", "{path} exists already; choose a new file", path=str(output))
    keys = new_key_pair()
    with read_session(central) as session:
        organisation = session.execute(
            select(Organisation).where(Organisation.code == organisation_code.strip().upper())
        ).scalars().first()
        if organisation is None:
            raise NotFound("no organisation with code “{code}”", code=organisation_code)
        taken = session.execute(select(OfflineSite.id).where(OfflineSite.code == code)).first()
        if taken is not None:
            raise InvalidInput("site", "site {code} is registered already; choose another code",
                               code=code)
        logins = list(dict.fromkeys([actor.login, *operator_logins]))
        known = set(session.execute(
            select(Operator.login).where(Operator.login.in_(logins), Operator.active.is_(True))
        ).scalars())
        missing = [login for login in logins if login not in known]
        if missing:
            raise NotFound("no active operator with login {logins}",
                           logins=", ".join(map(repr, missing)))
        rows = _site_rows(session.connection(), organisation.id, logins, locations)

    output.parent.mkdir(parents=True, exist_ok=True)
    # Personal data and the site's private key: readable by its owner only, from the start.
    os.close(os.open(output, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    target = make_engine(f"sqlite:///{output}")
    try:
        upgrade_database(target)
        with immediate(target).begin() as connection:
            counts = _write_rows(connection, rows)
            site_row = {
                "id": uuid.uuid4(), "created_at": now, "updated_at": now, "code": code,
                "name": title, "organisation_id": organisation.id,
                "public_key": keys.public_hex, "private_key": keys.private_hex, "here": True,
                "prepared_at": now, "prepared_by_id": actor.id, "active": True,
            }
            connection.execute(insert(OfflineSite.__table__), [site_row])
            bases = _bases(site_row["id"], rows, now)
            if bases:
                connection.execute(insert(OfflineCallBase.__table__), bases)
            record_bases = prepared_bases(site_row["id"], rows, now)
            if record_bases:
                connection.execute(insert(OfflineRecordBase.__table__), record_bases)
    except BaseException:
        target.dispose()
        output.unlink(missing_ok=True)
        raise
    target.dispose()
    with write_session(central, actor) as session:  # registered in the preparer's name
        session.add(OfflineSite(
            id=site_row["id"], code=code, name=title, organisation_id=organisation.id,
            public_key=keys.public_hex, here=False, prepared_at=now, prepared_by_id=actor.id,
            created_at=now, updated_at=now,
        ))
    return PrepareReport(code, output, counts)


def _rows(connection: Connection, table: Table, *where: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in connection.execute(select(table).where(*where)).mappings()]


def _site_rows(
    connection: Connection, organisation_id: uuid.UUID, logins: Sequence[str],
    locations: Sequence[str],
) -> dict[str, list[dict[str, Any]]]:
    """Everything the site's copy holds, read in one snapshot, keyed by table name."""
    org_t = Organisation.__table__
    organisation = _rows(connection, org_t, org_t.c.id == organisation_id)
    departments = _rows(connection, Department.__table__,
                        Department.__table__.c.organisation_id == organisation_id)

    call_t = Call.__table__
    calls = _rows(connection, call_t, call_t.c.organisation_id == organisation_id,
                  call_t.c.status.in_([status.value for status in OPEN_CALL_STATUSES]))
    call_ids = [row["id"] for row in calls]
    history = _in(connection, CallHistory.__table__, "call_id", call_ids)
    pauses = _in(connection, CallPause.__table__, "call_id", call_ids)

    person_t = Person.__table__
    callers = {row["caller_id"] for row in calls if row["caller_id"]}
    people = _rows(connection, person_t, person_t.c.organisation_id == organisation_id,
                   or_(person_t.c.active.is_(True), person_t.c.id.in_(callers)))
    for person in people:
        person["email"] = None  # no mail leaves the laptop: not needed there
    person_ids = {row["id"] for row in people}
    contacts = _rows(connection, EscalationContact.__table__,
                     EscalationContact.__table__.c.organisation_id == organisation_id)
    for contact in contacts:
        if contact["person_id"] not in person_ids:
            contact["person_id"] = None
    for row in organisation:
        for key in ("contract_manager_id", "information_manager_id"):
            if row[key] not in person_ids:
                row[key] = None

    cis = _site_cis(connection, organisation_id, locations)
    ci_ids = {row["id"] for row in cis}
    for item in cis:
        if item["owner_id"] not in person_ids:
            item["owner_id"] = None
        if item["organisation_id"] not in (None, organisation_id):
            item["organisation_id"] = None  # another participant's: kept as a name only
    relation_t = CiRelation.__table__
    relations = [
        row for row in _in(connection, relation_t, "from_ci_id", list(ci_ids))
        if row["to_ci_id"] in ci_ids
    ]
    links = [row for row in _in(connection, CallCi.__table__, "call_id", call_ids)
             if row["ci_id"] in ci_ids]

    incident_t = SecurityIncident.__table__
    incidents = _in(connection, incident_t, "call_id", call_ids)
    steps = _in(connection, SecurityIncidentStep.__table__, "incident_id",
                [row["id"] for row in incidents])
    evaluations = _in(connection, P1Evaluation.__table__, "call_id", call_ids)
    grip_t = GripLevel.__table__
    grip = _rows(connection, grip_t, grip_t.c.organisation_id == organisation_id)
    crisis_t = CrisisContact.__table__
    crisis_contacts = _rows(connection, crisis_t, crisis_t.c.organisation_id == organisation_id)
    for contact in crisis_contacts:
        contact["email"] = None  # the laptop sends no mail
    permissions = _rows(connection, RolePermission.__table__)

    op_t = Operator.__table__
    workers = _rows(connection, op_t, op_t.c.login.in_(list(logins)))
    worker_ids = {row["id"] for row in workers}
    referenced = {
        value for row in calls for value in (row["handler_id"], row["registered_by_id"])
        if value
    } | {row["operator_id"] for row in (*history, *pauses) if row["operator_id"]} | {
        value for row in (*incidents, *steps, *grip)
        for value in (row.get("declared_by_id"), row.get("done_by_id"),
                      row.get("set_by_id"), row.get("ended_by_id"))
        if value
    }
    others = _in(connection, op_t, "id", list(referenced - worker_ids))
    for row in others:  # only a name to show: no contact data, no roles, cannot log in
        row.update(active=False, email=None, phone=None)
    operators = workers + others
    for row in operators:
        row["pin_hash"] = None
        row["failed_pin_attempts"] = 0
        row["pin_failures_since"] = None
        row["locked_until"] = None
        if row["organisation_id"] not in (None, organisation_id):
            row["organisation_id"] = None
    roles = _in(connection, OperatorRoleGrant.__table__, "operator_id", list(worker_ids))
    categories = _rows(connection, Category.__table__)
    return {
        "organisation": organisation, "department": departments, "person": people,
        "escalation_contact": contacts, "category": _parents_first(categories),
        "operator": operators, "operator_role": roles, "configuration_item": cis,
        "ci_relation": relations, "call": calls, "call_history": history,
        "call_pause": pauses, "call_ci": links, "security_incident": incidents,
        "security_incident_step": steps, "p1_evaluation": evaluations, "grip_level": grip,
        "crisis_contact": crisis_contacts, "role_permission": permissions,
    }


def _in(connection: Connection, table: Table, column: str, values: list[Any]) -> list[dict]:
    """Rows whose `column` is one of `values`, in chunks (bind-parameter limits)."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        rows += _rows(connection, table, table.c[column].in_(chunk))
    return rows


# Relations followed from a site's CI to what it needs: what it runs on and depends on
# (transitively); network gear it connects to, one step.
_NEEDS = (CiRelationKind.RUNS_ON.value, CiRelationKind.DEPENDS_ON.value)


def _site_cis(
    connection: Connection, organisation_id: uuid.UUID, locations: Sequence[str]
) -> list[dict[str, Any]]:
    ci_t = ConfigurationItem.__table__
    where = [ci_t.c.organisation_id == organisation_id]
    if locations:
        where.append(or_(*(ci_t.c.location.ilike(f"%{place}%") for place in locations)))
    chosen = set(connection.execute(select(ci_t.c.id).where(*where)).scalars())
    relation_t = CiRelation.__table__
    frontier = set(chosen)
    while frontier:
        found = set()
        for row in _in(connection, relation_t, "from_ci_id", list(frontier)):
            if row["kind"] in _NEEDS and row["to_ci_id"] not in chosen:
                found.add(row["to_ci_id"])
        chosen |= found
        frontier = found
    for row in _in(connection, relation_t, "from_ci_id", list(chosen)):
        if row["kind"] == CiRelationKind.CONNECTED_TO.value:
            chosen.add(row["to_ci_id"])
    return _in(connection, ci_t, "id", sorted(chosen))


def _parents_first(categories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    waiting = list(categories)
    while waiting:
        ready = [row for row in waiting if row["parent_id"] is None or row["parent_id"] in placed]
        if not ready:  # a broken parent chain: keep the rows, drop the link
            for row in waiting:
                row["parent_id"] = None
            ready = waiting
        ordered += ready
        placed |= {row["id"] for row in ready}
        waiting = [row for row in waiting if row["id"] not in placed]
    return ordered


def _write_rows(connection: Connection, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    from desk_tui.store.tables import metadata

    managers: list[dict[str, Any]] = []
    for row in rows["organisation"]:  # the managers are people, written after the people
        managers.append({key: row[key] for key in
                         ("id", "contract_manager_id", "information_manager_id")})
        row["contract_manager_id"] = row["information_manager_id"] = None
    # The central grants, not the seed a new database starts with.
    connection.execute(delete(metadata.tables["role_permission"]))
    for name, table_rows in rows.items():
        if table_rows:
            connection.execute(insert(metadata.tables[name]), table_rows)
    org_t = Organisation.__table__
    for row in managers:
        connection.execute(update(org_t).where(org_t.c.id == row["id"]).values(
            contract_manager_id=row["contract_manager_id"],
            information_manager_id=row["information_manager_id"],
        ))
    return {
        "people": len(rows["person"]), "CIs": len(rows["configuration_item"]),
        "open calls": len(rows["call"]), "operators": len(rows["operator"]),
        "categories": len(rows["category"]),
    }


def _bases(site_id: uuid.UUID, rows: dict[str, list[dict[str, Any]]],
           now: datetime) -> list[dict[str, Any]]:
    """Each copied call as prepared: what export compares the site's work with."""
    links: dict[Any, list[uuid.UUID]] = {}
    for link in rows["call_ci"]:
        links.setdefault(link["call_id"], []).append(link["ci_id"])
    history: dict[Any, list[str]] = {}
    for entry in rows["call_history"]:
        history.setdefault(entry["call_id"], []).append(str(entry["id"]))

    return [
        {
            "site_id": site_id, "call_id": call["id"], "version": call["version"],
            "fields": call_fields(call, links.get(call["id"], [])),
            "history_ids": history.get(call["id"], []), "updated_at": now,
        }
        for call in rows["call"]
    ]


# -- the standby log ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StandbyLine:
    id: uuid.UUID
    site: str
    at: datetime
    operator: str | None
    who: str
    location: str
    what: str
    call_reference: str | None


def log_standby(
    *, session: Session, actor: Actor, now: datetime, who: str, what: str,
    location: str = "", call_reference: str | None = None, at: datetime | None = None,
) -> StandbyLine:
    """Write one line of the standby log, at `at` (default now), here (site or central)."""
    require(actor, Action.STANDBY_LOG)
    who_text = clean_text("who", who, limit=200, required=True)
    what_text = clean_text("what", what, limit=4000, required=True)
    place = clean_text("location", location, limit=200)
    call_id = None
    if call_reference:
        call_id = _call_by_reference(session, call_reference.strip())
    site = local_site(session)
    entry = StandbyEntry(
        site=CENTRAL_SITE if site is None else site.code, at=at or now, operator_id=actor.id,
        who=who_text, location=place, what=what_text, call_id=call_id,
        created_at=now, updated_at=now,
    )
    session.add(entry)
    session.flush()
    return StandbyLine(entry.id, entry.site, entry.at, actor.display_name, who_text, place,
                       what_text, call_reference.strip().upper() if call_reference else None)


def standby_log(*, session: Session, actor: Actor, site: str | None = None) -> list[StandbyLine]:
    """The standby log, oldest first; one site's only if `site` is given."""
    from desk_tui.services.calls import reference_of

    require(actor, Action.STANDBY_LOG)
    statement = (
        select(StandbyEntry, Operator.display_name, Call)
        .outerjoin(Operator, Operator.id == StandbyEntry.operator_id)
        .outerjoin(Call, Call.id == StandbyEntry.call_id)
        .order_by(StandbyEntry.at, StandbyEntry.created_at)
    )
    if site:
        statement = statement.where(StandbyEntry.site == site)
    return [
        StandbyLine(entry.id, entry.site, entry.at, operator, entry.who, entry.location,
                    entry.what, reference_of(call) if call is not None else None)
        for entry, operator, call in session.execute(statement).all()
    ]


def _call_by_reference(session: Session, reference: str) -> uuid.UUID:
    """The call with reference "M2026-000123" or "M2026-V01-000004"."""
    match = re.match(r"^M(\d{4})-(?:([A-Z0-9]+)-)?(\d+)$", reference.upper())
    if match is None:
        raise InvalidInput("call", "“{reference}” is not a call reference like M2026-000123",
                           reference=reference)
    year, site, number = int(match[1]), match[2] or CENTRAL_SITE, int(match[3])
    call_id = session.execute(
        select(Call.id).where(Call.site == site, Call.year == year, Call.number == number)
    ).scalar_one_or_none()
    if call_id is None:
        raise NotFound("no call {reference}", reference=reference)
    return call_id
