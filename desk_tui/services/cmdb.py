"""Reading the CMDB: search, one CI in full, its relations both ways, the impact of an
outage, expiring certificates and licences, and contracts (SPEC 8).

Contract and information managers see only their own organisation's CIs, contracts and
calls: everything else is filtered out (and a CI they may not see does not exist for
them), so nothing of another participant leaks through a relation or a count.
Lists are Core selects of the columns shown; instants come back in `zone`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    false,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from desk_tui.domain.expiry import EXPIRED, days_left, expiry_window, notice_date
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.cmdb_views import (
    CertificateRow,
    CiDetail,
    CiHistoryRow,
    CiHit,
    CiLinkedCall,
    CiLinkedChange,
    CiNeighbour,
    ContractDetail,
    ContractRow,
    Direction,
    ImpactReport,
    LicenceRow,
)
from desk_tui.services.errors import NotFound
from desk_tui.store.enums import OPEN_CALL_STATUSES, CiRelationKind, CiStatus, CiType
from desk_tui.store.models import (
    Call,
    CallCi,
    Change,
    ChangeCi,
    CiHistory,
    CiRelation,
    ConfigurationItem,
    Contract,
    ContractCi,
    Operator,
    Organisation,
    Person,
)
from desk_tui.store.numbers import ReferenceKind, format_reference
from desk_tui.store.search import (
    CANDIDATES,
    matching_ci_ids,
    postgresql_matches,
    postgresql_patterns,
    ranked,
    search_words,
)

__all__ = [
    "CALLS_SHOWN",
    "HISTORY_SHOWN",
    "certificate_warning",
    "ci_detail",
    "contract_detail",
    "contracts",
    "expiring",
    "impact",
    "licences",
    "neighbours",
    "search_cis",
]

CI = ConfigurationItem
# A CI view lists at most this many calls (newest first) and history rows (newest first).
CALLS_SHOWN = 200
HISTORY_SHOWN = 500
# An outage of the `to` CI of these relations affects the `from` CI ("X runs-on Y");
# for USED_BY it is the other way round ("Y used-by X": Y's outage affects X).
_REVERSED = CiRelationKind.USED_BY
_DEFAULT_EXPIRING = (CiType.CERTIFICAAT, CiType.LICENTIE)
_WARNING_DAYS = 30
# Stored enum values to members, for the impact's thousands of rows.
_RELATION_KINDS = {kind.value: kind for kind in CiRelationKind}
_CI_TYPES = {ci_type.value: ci_type for ci_type in CiType}
_CI_STATUSES = {status.value: status for status in CiStatus}
# Up to this many CIs, their open calls are looked up by id; beyond, every open call is.
_CALLS_BY_ID = 1000


# -- shared pieces ---------------------------------------------------------------------------
# The CI's own columns a CiHit is read from.
_HIT_COLUMNS = (
    "id", "ci_type", "name", "asset_tag", "hostname", "ip_address", "serial_number",
    "status", "owner_id", "location", "organisation_id", "expires_on",
)


def _hit_select(item: Any = None) -> Select[Any]:
    """The columns of a CiHit (and the CI's organisation id), owner and organisation
    joined by name; from `item` (a subquery with the CI's _HIT_COLUMNS) or the CI table."""
    columns = CI.__table__.c if item is None else item.c
    return (
        select(
            columns.id, columns.ci_type, columns.name, columns.asset_tag, columns.hostname,
            columns.ip_address, columns.serial_number, columns.status,
            Person.name.label("owner"), columns.location,
            Organisation.name.label("organisation"), columns.expires_on,
            columns.organisation_id,
        )
        .select_from(CI.__table__ if item is None else item)
        .outerjoin(Person, Person.id == columns.owner_id)
        .outerjoin(Organisation, Organisation.id == columns.organisation_id)
    )


def _hit(row: Any) -> CiHit:
    return CiHit(
        id=row.id, ci_type=row.ci_type, name=row.name, asset_tag=row.asset_tag,
        hostname=row.hostname, ip_address=row.ip_address, serial_number=row.serial_number,
        status=row.status, owner=row.owner, location=row.location,
        organisation=row.organisation, expires_on=row.expires_on,
    )


def _ci_visible(actor: Actor, item: Any = CI) -> ColumnElement[bool] | None:
    """The condition limiting `item` (CI or an alias) to what the actor may see; None
    when the actor sees every organisation."""
    if actor.sees_all_organisations:
        return None
    if actor.organisation_id is None:  # a manager of no participant sees nothing
        return false()
    return item.organisation_id == actor.organisation_id


def _only_visible(actor: Actor, statement: Select[Any], item: Any = CI) -> Select[Any]:
    condition = _ci_visible(actor, item)
    return statement if condition is None else statement.where(condition)


def _may_see(actor: Actor, organisation_id: uuid.UUID | None) -> bool:
    return actor.sees_all_organisations or (
        actor.organisation_id is not None and organisation_id == actor.organisation_id
    )


def _visible_hit(session: Session, actor: Actor, ci_id: uuid.UUID) -> Any:
    """The CI's hit row; NotFound when it does not exist or the actor may not see it."""
    row = session.execute(_hit_select().where(CI.id == ci_id)).first()
    if row is None or not _may_see(actor, row.organisation_id):
        raise NotFound("configuration item {ci_id} does not exist", ci_id=ci_id)
    return row


def _local(instant: datetime | None, zone: tzinfo) -> datetime | None:
    return None if instant is None else instant.astimezone(zone)


# -- search ----------------------------------------------------------------------------------
def search_cis(
    *, session: Session, actor: Actor, text: str, limit: int = 50,
    organisation_id: uuid.UUID | None = None,
) -> list[CiHit]:
    """CIs matching every typed word (name, tags, serial, hostname, IP, owner, location,
    organisation), best first; with `organisation_id` that organisation's CIs first."""
    require(actor, Action.CMDB_READ)
    if limit <= 0 or not search_words(text):
        return []
    # Where to look, in order: the actor's own organisation only, the caller's first and
    # then everyone's, or everyone's.
    scopes: list[uuid.UUID | None]
    if not actor.sees_all_organisations:
        if actor.organisation_id is None:
            return []
        scopes = [actor.organisation_id]
    elif organisation_id is not None:
        scopes = [organisation_id, None]
    else:
        scopes = [None]
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _search_in_one_statement(connection, actor, text, limit, scopes)
    ids: list[uuid.UUID] = []
    for scope in scopes:
        if len(ids) >= limit:
            break
        seen = set(ids)
        ids += [
            ci_id for ci_id in matching_ci_ids(connection, text, limit, organisation_id=scope)
            if ci_id not in seen
        ]
    if not ids:
        return []
    ids = ids[:limit]
    # Visibility is checked on the rows: as a condition beside the ids, SQLite would walk
    # the organisation's index (tens of thousands of CIs) instead of looking the ids up.
    rows = [
        row for row in connection.execute(_hit_select().where(CI.id.in_(ids))).all()
        if _may_see(actor, row.organisation_id)
    ]
    position = {ci_id: index for index, ci_id in enumerate(ids)}
    rows.sort(key=lambda row: position[row.id])
    return [_hit(row) for row in rows[:limit]]


@lru_cache(maxsize=64)
def _one_statement(regex: tuple[bool, ...], scoped: tuple[bool, ...]) -> Any:
    """The PostgreSQL search for typed words of these kinds (postgresql_patterns) over
    these scopes (with an organisation or not), built once per shape: building it took
    longer than running it. Parameters: each scope's words and organisation
    (`ci_match_{scope}_w{word}`, `ci_match_{scope}_org`), `limit` and `fetch`.

    A later scope is read only when the ones before it found fewer than `limit`: its
    LIMIT is then 0, and PostgreSQL runs a CTE only as far as it is read."""
    limit = bindparam("limit", type_=Integer())
    fetch = bindparam("fetch", type_=Integer())
    parts = []
    found_before: list[Any] = []
    for index, has_organisation in enumerate(scoped):
        matches = postgresql_matches(regex, _HIT_COLUMNS, has_organisation,
                                     name=f"ci_match_{index}")
        wanted: Any = fetch
        if found_before:
            enough = (
                select(func.count())
                .select_from(union_all(*(select(earlier.c.id) for earlier in found_before))
                             .limit(limit).subquery())
                .scalar_subquery()
            )
            wanted = case((enough >= limit, 0), else_=fetch)
        found_before.append(matches)
        found = select(matches).limit(wanted).subquery(f"ci_found_{index}")
        parts.append(_hit_select(found).add_columns(found.c.search_text,
                                                    literal(index).label("scope")))
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _search_in_one_statement(
    connection: Connection, actor: Actor, text: str, limit: int,
    scopes: Sequence[uuid.UUID | None],
) -> list[CiHit]:
    """PostgreSQL: every scope's candidates with their owner and organisation in one
    statement (one round trip; each costs more than the search itself), ranked here."""
    patterns = postgresql_patterns(text)
    statement = _one_statement(tuple(regex for regex, _ in patterns),
                               tuple(scope is not None for scope in scopes))
    values: dict[str, object] = {"limit": limit, "fetch": max(limit, CANDIDATES)}
    for index, scope in enumerate(scopes):
        values[f"ci_match_{index}_org"] = scope
        for word, (_, pattern) in enumerate(patterns):
            values[f"ci_match_{index}_w{word}"] = pattern
    rows = connection.execute(statement, values).all()
    hits: list[CiHit] = []
    seen: set[uuid.UUID] = set()
    for index in range(len(scopes)):
        in_scope = [row for row in rows if row.scope == index and row.id not in seen]
        for row in ranked(text, in_scope, lambda row: row.search_text):
            if len(hits) >= limit:
                return hits
            seen.add(row.id)
            if _may_see(actor, row.organisation_id):
                hits.append(_hit(row))
    return hits


# -- relations -------------------------------------------------------------------------------
def _has_more(actor: Actor, neighbour_id: Any, came_from: uuid.UUID) -> ColumnElement[bool]:
    """Whether the neighbour has a (visible) relation to a CI other than `came_from`. Two
    EXISTS, one per direction: each is an index lookup, where one EXISTS over "from = n
    OR to = n" made PostgreSQL scan every relation once per neighbour."""
    either_way = []
    for near, far in (("from_ci_id", "to_ci_id"), ("to_ci_id", "from_ci_id")):
        relation = aliased(CiRelation)
        far_end = getattr(relation, far)
        other = (
            select(literal(1))
            .select_from(relation)
            .where(getattr(relation, near) == neighbour_id, far_end != came_from)
        )
        if not actor.sees_all_organisations:
            far_item = aliased(CI)
            other = _only_visible(actor, other.join(far_item, far_item.id == far_end), far_item)
        either_way.append(other.exists())
    return or_(*either_way)


def _neighbours(session: Session, actor: Actor, ci_id: uuid.UUID) -> list[CiNeighbour]:
    found = []
    for direction, near, far in (
        (Direction.OUTGOING, CiRelation.from_ci_id, CiRelation.to_ci_id),
        (Direction.INCOMING, CiRelation.to_ci_id, CiRelation.from_ci_id),
    ):
        statement = (
            select(
                CI.id, CI.ci_type, CI.name, CiRelation.kind, CI.status,
                _has_more(actor, CI.id, ci_id).label("has_more"),
            )
            .join(CI, CI.id == far)
            .where(near == ci_id)
        )
        found.extend(
            CiNeighbour(row.id, row.ci_type, row.name, row.kind, direction, row.status,
                        bool(row.has_more))
            for row in session.execute(_only_visible(actor, statement))
        )
    order = {kind: index for index, kind in enumerate(CiRelationKind)}
    found.sort(key=lambda n: (n.direction != Direction.OUTGOING, order[n.kind], n.name, n.id))
    return found


def neighbours(*, session: Session, actor: Actor, ci_id: uuid.UUID) -> list[CiNeighbour]:
    """The CIs related to this one, either way: what opening a tree node shows."""
    require(actor, Action.CMDB_READ)
    _visible_hit(session, actor, ci_id)
    return _neighbours(session, actor, ci_id)


# -- one CI in full --------------------------------------------------------------------------
def _call_reference(row: Any) -> str:
    return format_reference(ReferenceKind.CALL, row.site, row.year, row.number)


def _linked_calls(
    session: Session, actor: Actor, ci_id: uuid.UUID, zone: tzinfo
) -> tuple[CiLinkedCall, ...]:
    statement = (
        select(Call.id, Call.site, Call.year, Call.number, Call.subject, Call.status,
               Call.priority, Call.registered_at)
        .join(CallCi, CallCi.call_id == Call.id)
        .where(CallCi.ci_id == ci_id)
        .order_by(Call.registered_at.desc(), Call.id.desc())
        .limit(CALLS_SHOWN)
    )
    if not actor.sees_all_organisations:
        statement = statement.where(Call.organisation_id == actor.organisation_id)
    return tuple(
        CiLinkedCall(
            id=row.id, reference=_call_reference(row), subject=row.subject, status=row.status,
            priority=row.priority, registered_at=row.registered_at.astimezone(zone),
            open=row.status in OPEN_CALL_STATUSES,
        )
        for row in session.execute(statement)
    )


def _linked_changes(
    session: Session, actor: Actor, ci_id: uuid.UUID, zone: tzinfo
) -> tuple[CiLinkedChange, ...]:
    statement = (
        select(Change.id, Change.site, Change.year, Change.number, Change.title,
               Change.status, Change.planned_for)
        .join(ChangeCi, ChangeCi.change_id == Change.id)
        .where(ChangeCi.ci_id == ci_id)
        .order_by(Change.registered_at.desc(), Change.id.desc())
        .limit(CALLS_SHOWN)
    )
    if not actor.sees_all_organisations:
        statement = statement.where(Change.organisation_id == actor.organisation_id)
    return tuple(
        CiLinkedChange(
            id=row.id,
            reference=format_reference(ReferenceKind.CHANGE, row.site, row.year, row.number),
            title=row.title, status=row.status, planned_for=_local(row.planned_for, zone),
        )
        for row in session.execute(statement)
    )


def _contract_select(actor: Actor) -> Select[Any]:
    """Contracts with their organisation's name and how many CIs they cover."""
    counts = (
        select(ContractCi.contract_id, func.count().label("ci_count"))
        .group_by(ContractCi.contract_id)
        .subquery()
    )
    statement = (
        select(
            Contract.id, Contract.number, Contract.title, Contract.supplier, Contract.kind,
            Organisation.name.label("organisation"), Contract.starts_on, Contract.ends_on,
            Contract.notice_months, Contract.renews_automatically,
            func.coalesce(counts.c.ci_count, 0).label("ci_count"),
        )
        .outerjoin(Organisation, Organisation.id == Contract.organisation_id)
        .outerjoin(counts, counts.c.contract_id == Contract.id)
    )
    if actor.sees_all_organisations:
        return statement
    if actor.organisation_id is None:
        return statement.where(false())
    return statement.where(Contract.organisation_id == actor.organisation_id)


def _contract_row(row: Any) -> ContractRow:
    notice_by = None if row.ends_on is None else notice_date(row.ends_on, row.notice_months)
    return ContractRow(
        id=row.id, number=row.number, title=row.title, supplier=row.supplier, kind=row.kind,
        organisation=row.organisation, starts_on=row.starts_on, ends_on=row.ends_on,
        notice_months=row.notice_months, renews_automatically=row.renews_automatically,
        ci_count=row.ci_count, notice_by=notice_by,
    )


def _by_end(row: ContractRow) -> tuple[bool, date, str]:
    """Soonest end first; contracts without an end date last."""
    return (row.ends_on is None, row.ends_on or date.max, row.number)


def _history(
    session: Session, ci_id: uuid.UUID, zone: tzinfo
) -> tuple[CiHistoryRow, ...]:
    rows = session.execute(
        select(CiHistory.at, Operator.display_name, CiHistory.field, CiHistory.old_value,
               CiHistory.new_value, CiHistory.note)
        .outerjoin(Operator, Operator.id == CiHistory.operator_id)
        .where(CiHistory.ci_id == ci_id)
        .order_by(CiHistory.at.desc(), CiHistory.id.desc())
        .limit(HISTORY_SHOWN)
    )
    return tuple(
        CiHistoryRow(row.at.astimezone(zone), row.display_name, row.field, row.old_value,
                     row.new_value, row.note)
        for row in rows
    )


def ci_detail(
    *, session: Session, actor: Actor, ci_id: uuid.UUID, today: date, zone: tzinfo = UTC,
) -> CiDetail:
    """Everything the CI view shows. Calls and history newest first; contracts still
    running (on `today`) before ended ones, each soonest end first."""
    require(actor, Action.CMDB_READ)
    hit = _visible_hit(session, actor, ci_id)
    extra = session.execute(
        select(CI.configuration, CI.in_service_on, CI.retired_on, CI.owner_id,
               Person.login, CI.attributes, CI.notes, CI.external_ref)
        .outerjoin(Person, Person.id == CI.owner_id)
        .where(CI.id == ci_id)
    ).one()
    contract_rows = [
        _contract_row(row)
        for row in session.execute(
            _contract_select(actor)
            .join(ContractCi, ContractCi.contract_id == Contract.id)
            .where(ContractCi.ci_id == ci_id)
        )
    ]
    contract_rows.sort(
        key=lambda c: (c.ends_on is not None and c.ends_on < today, *_by_end(c))
    )
    return CiDetail(
        hit=_hit(hit),
        configuration=extra.configuration,
        in_service_on=extra.in_service_on,
        retired_on=extra.retired_on,
        owner_id=extra.owner_id,
        owner_login=extra.login,
        organisation_id=hit.organisation_id,
        attributes=dict(extra.attributes or {}),
        notes=extra.notes,
        external_ref=extra.external_ref,
        relations=tuple(_neighbours(session, actor, ci_id)),
        calls=_linked_calls(session, actor, ci_id, zone),
        changes=_linked_changes(session, actor, ci_id, zone),
        contracts=tuple(contract_rows),
        history=_history(session, ci_id, zone),
    )


# -- impact of an outage ---------------------------------------------------------------------
def _spreads_to(affected: Any) -> ColumnElement[bool]:
    """The relations along which an outage of a CI in `affected` spreads."""
    return or_(
        and_(CiRelation.to_ci_id == affected.c.ci_id, CiRelation.kind != _REVERSED),
        and_(CiRelation.from_ci_id == affected.c.ci_id, CiRelation.kind == _REVERSED),
    )


def _dependent() -> ColumnElement[Any]:
    """The CI a relation's outage spreads to."""
    return case((CiRelation.kind == _REVERSED, CiRelation.to_ci_id),
                else_=CiRelation.from_ci_id)


def _affected_ids(ci_id: uuid.UUID) -> Any:
    """A recursive CTE of the CI and every CI its outage affects, transitively. UNION (not
    UNION ALL) drops rows already found, so a cycle of relations ends the recursion."""
    affected = (
        select(CI.id.label("ci_id")).where(CI.id == ci_id).cte("affected", recursive=True)
    )
    step = select(_dependent().label("ci_id")).join(affected, _spreads_to(affected))
    return affected.union(step)


class _Reached(NamedTuple):
    """How the outage reaches an affected CI: the relation from the CI it depends on."""

    kind: CiRelationKind
    direction: Direction  # seen from `parent`
    depth: int
    parent: uuid.UUID


class _Affected(NamedTuple):
    """What the impact view shows of an affected CI."""

    ci_type: CiType
    name: str
    status: CiStatus
    organisation_id: uuid.UUID | None


def _id_reader(connection: Connection) -> tuple[Any, Any]:
    """(the raw form of an id in this database, from raw back to uuid): the impact's
    graph is built on raw values as the driver returns them (SQLite: 32 hex digits;
    enums by a dict), since typing each end and kind of each relation cost more than
    the query itself."""
    if connection.dialect.name == "sqlite":
        return (lambda ci_id: ci_id.hex), (lambda raw: uuid.UUID(hex=raw))
    return (lambda ci_id: ci_id), (lambda raw: raw)


def _impact_tree(
    connection: Connection, ci_id: uuid.UUID
) -> tuple[dict[uuid.UUID, _Reached], dict[uuid.UUID, _Affected]]:
    """Each affected CI with how the outage reaches it (breadth first from the CI, so by
    the shortest path), and what is shown of it: one statement, the relations the outage
    spreads along with the CI each one reaches, looked up by index from each affected CI
    (where rows read afterwards by id took a statement per thousand CIs)."""
    affected = _affected_ids(ci_id)
    dependent = _dependent()
    edges = connection.execute(
        select(*(type_coerce(column, String).label(label) for column, label in (
            (affected.c.ci_id, "dependency"), (dependent, "dependent"),
            (CiRelation.kind, "kind"), (CI.ci_type, "ci_type"), (CI.name, "name"),
            (CI.status, "status"), (CI.organisation_id, "organisation_id"))))
        .select_from(affected)
        .join(CiRelation, _spreads_to(affected))
        .join(CI, CI.id == dependent)
    ).all()
    raw, from_raw = _id_reader(connection)
    organisations: dict[Any, uuid.UUID | None] = {None: None}
    # dependency -> [(dependent, kind, direction seen from the dependency)], raw ids
    spreads: dict[Any, list[tuple[Any, CiRelationKind, Direction]]] = defaultdict(list)
    rows: dict[Any, _Affected] = {}
    for edge in edges:
        kind = _RELATION_KINDS[edge.kind]
        direction = Direction.OUTGOING if kind == _REVERSED else Direction.INCOMING
        spreads[edge.dependency].append((edge.dependent, kind, direction))
        if edge.dependent not in rows:
            organisation = edge.organisation_id
            if organisation not in organisations:
                organisations[organisation] = from_raw(organisation)
            rows[edge.dependent] = _Affected(_CI_TYPES[edge.ci_type], edge.name,
                                             _CI_STATUSES[edge.status],
                                             organisations[organisation])
    root = raw(ci_id)
    ids = {root: ci_id}
    reached: dict[uuid.UUID, _Reached] = {}
    shown: dict[uuid.UUID, _Affected] = {}
    queue = deque([(root, 0)])
    while queue:
        current, depth = queue.popleft()
        # Sorted (raw ids sort as their UUIDs do): the same data gives the same paths.
        for found, kind, direction in sorted(spreads.get(current, ())):
            if found not in ids:
                ids[found] = from_raw(found)
                reached[ids[found]] = _Reached(kind, direction, depth + 1, ids[current])
                shown[ids[found]] = rows[found]
                queue.append((found, depth + 1))
    return reached, shown


def _open_calls_on(
    connection: Connection, actor: Actor, root: uuid.UUID, depth: dict[uuid.UUID, int],
    names: dict[uuid.UUID, str], zone: tzinfo,
) -> tuple[CiLinkedCall, ...]:
    """Open calls linked to the CI or a (visible) affected CI, the keys of `depth`; a call
    on several of them is listed once, by the CI nearest the outage. One statement: by
    the CIs' ids when they are few, else every open call's links (open calls number in
    the hundreds), kept here when on an affected CI."""
    statement = (
        select(Call.id, Call.site, Call.year, Call.number, Call.subject, Call.status,
               Call.priority, Call.registered_at, CallCi.ci_id)
        .join(CallCi, CallCi.call_id == Call.id)
        .where(Call.status.in_(OPEN_CALL_STATUSES))
    )
    if len(depth) <= _CALLS_BY_ID:
        statement = statement.where(CallCi.ci_id.in_(list(depth)))
    if not actor.sees_all_organisations:
        statement = statement.where(Call.organisation_id == actor.organisation_id)
    best: dict[uuid.UUID, tuple[int, Any]] = {}
    for row in connection.execute(statement):
        rank = depth.get(row.ci_id)
        if rank is not None and (row.id not in best or rank < best[row.id][0]):
            best[row.id] = (rank, row)
    calls = [
        CiLinkedCall(
            id=row.id, reference=_call_reference(row), subject=row.subject, status=row.status,
            priority=row.priority, registered_at=row.registered_at.astimezone(zone),
            open=True, via_ci=None if row.ci_id == root else names[row.ci_id],
        )
        for _, row in best.values()
    ]
    calls.sort(key=lambda c: (c.priority is None, c.priority or 0, c.registered_at,
                              c.reference))
    return tuple(calls)


def impact(
    *, session: Session, actor: Actor, ci_id: uuid.UUID, zone: tzinfo = UTC
) -> ImpactReport:
    """What an outage of this CI takes down: every CI that runs on, depends on or is
    connected to it (or that it is used by), transitively, nearest first; and the open
    calls on it and on them, by priority then registration. An affected CI's kind and
    direction are those of the relation the outage reaches it by, seen from the CI it
    depends on; `has_more`: the outage spreads further through it."""
    require(actor, Action.CMDB_READ)
    root = _visible_hit(session, actor, ci_id)
    connection = session.connection()
    reached, rows = _impact_tree(connection, ci_id)
    onward = {way.parent for way in reached.values()}
    visible = [
        found for found in reached if _may_see(actor, rows[found].organisation_id)
    ]
    visible.sort(key=lambda found: (reached[found].depth, rows[found].name, found))
    affected = tuple(
        CiNeighbour(
            id=found, ci_type=rows[found].ci_type, name=rows[found].name,
            kind=reached[found].kind, direction=reached[found].direction,
            status=rows[found].status, has_more=found in onward,
        )
        for found in visible
    )
    depth = {ci_id: 0} | {found: reached[found].depth for found in visible}
    names = {found: rows[found].name for found in visible}
    calls = _open_calls_on(connection, actor, ci_id, depth, names, zone)
    return ImpactReport(ci=_hit(root), affected=affected, open_calls=calls)


# -- certificates, licences, contracts ------------------------------------------------------
def _expiring_select(
    actor: Actor, types: Iterable[CiType], until: date
) -> Select[Any]:
    statement = (
        select(CI.id, CI.ci_type, CI.name, Organisation.name.label("organisation"),
               CI.expires_on, CI.attributes)
        .outerjoin(Organisation, Organisation.id == CI.organisation_id)
        .where(
            CI.ci_type.in_(list(types)),
            CI.expires_on.is_not(None),
            CI.expires_on <= until,
            CI.status != CiStatus.UIT_GEBRUIK,
        )
        .order_by(CI.expires_on, CI.name, CI.id)
    )
    return _only_visible(actor, statement)


def expiring(
    *, session: Session, actor: Actor, today: date, within_days: int = 90,
    ci_types: Sequence[CiType] = _DEFAULT_EXPIRING,
) -> list[CertificateRow]:
    """Certificates and licences in use that expire within `within_days` (expired ones
    included, with negative days left), soonest first."""
    require(actor, Action.CMDB_READ)
    until = today + timedelta(days=within_days)
    return [
        CertificateRow(
            id=row.id, ci_type=row.ci_type, name=row.name, organisation=row.organisation,
            expires_on=row.expires_on, days_left=days_left(row.expires_on, today),
            attributes=dict(row.attributes or {}),
        )
        for row in session.execute(_expiring_select(actor, ci_types, until))
    ]


def certificate_warning(*, session: Session, actor: Actor, today: date) -> tuple[int, int]:
    """(expired, due within 30 days) certificates in use: the console's warning."""
    require(actor, Action.CMDB_READ)
    statement = _only_visible(
        actor,
        select(CI.expires_on).where(
            CI.ci_type == CiType.CERTIFICAAT,
            CI.expires_on.is_not(None),
            CI.expires_on <= today + timedelta(days=_WARNING_DAYS),
            CI.status != CiStatus.UIT_GEBRUIK,
        ),
    )
    expired = due = 0
    for (expires_on,) in session.execute(statement):
        if expiry_window(days_left(expires_on, today)) == EXPIRED:
            expired += 1
        else:
            due += 1
    return expired, due


def contracts(
    *, session: Session, actor: Actor, today: date, ending_within_days: int | None = None,
) -> list[ContractRow]:
    """All contracts, soonest end first; with `ending_within_days` only those still
    running that end, or must be cancelled, within that many days."""
    require(actor, Action.CMDB_READ)
    statement = _contract_select(actor)
    if ending_within_days is not None:
        statement = statement.where(Contract.ends_on.is_not(None), Contract.ends_on >= today)
    rows = [_contract_row(row) for row in session.execute(statement)]
    if ending_within_days is not None:
        rows = [row for row in rows if row.ends_within(today, ending_within_days)]
    rows.sort(key=_by_end)
    return rows


def contract_detail(
    *, session: Session, actor: Actor, contract_id: uuid.UUID,
) -> ContractDetail:
    """One contract with the CIs it covers that the actor may see, by type then name;
    NotFound when it does not exist or belongs to another organisation."""
    require(actor, Action.CMDB_READ)
    row = session.execute(
        _contract_select(actor).add_columns(Contract.notes).where(Contract.id == contract_id)
    ).first()
    if row is None:
        raise NotFound("contract {contract_id} does not exist", contract_id=contract_id)
    statement = _only_visible(
        actor,
        _hit_select()
        .join(ContractCi, ContractCi.ci_id == CI.id)
        .where(ContractCi.contract_id == contract_id)
        .order_by(CI.ci_type, CI.name, CI.id),
    )
    return ContractDetail(
        contract=_contract_row(row), notes=row.notes,
        cis=tuple(_hit(hit) for hit in session.execute(statement)),
    )


def _count(value: object) -> int | None:
    """A stored seat count as a number; None when missing or not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def licences(*, session: Session, actor: Actor) -> list[LicenceRow]:
    """Licences in use (not retired) the actor may see, soonest expiry first (without an
    expiry date last), each with the CIs that use it."""
    require(actor, Action.CMDB_READ)
    rows = session.execute(_only_visible(
        actor,
        select(CI.id, CI.name, Organisation.name.label("organisation"), CI.expires_on,
               CI.attributes)
        .outerjoin(Organisation, Organisation.id == CI.organisation_id)
        .where(CI.ci_type == CiType.LICENTIE, CI.status != CiStatus.UIT_GEBRUIK),
    )).all()
    users: dict[uuid.UUID, list[str]] = defaultdict(list)
    if rows:
        user = aliased(CI)
        uses = _only_visible(
            actor,
            select(CiRelation.from_ci_id, user.name)
            .join(user, user.id == CiRelation.to_ci_id)
            .join(CI, CI.id == CiRelation.from_ci_id)
            .where(CI.ci_type == CiType.LICENTIE, CiRelation.kind == CiRelationKind.USED_BY),
            user,
        )
        for licence_id, name in session.execute(uses):
            users[licence_id].append(name)
    found = [
        LicenceRow(
            id=row.id, name=row.name, organisation=row.organisation,
            vendor=_text_attribute(row.attributes, "vendor"),
            product=_text_attribute(row.attributes, "product"),
            seats=_count((row.attributes or {}).get("seats")),
            seats_in_use=_count((row.attributes or {}).get("seats_in_use")),
            expires_on=row.expires_on, for_cis=tuple(sorted(users.get(row.id, ()))),
        )
        for row in rows
    ]
    found.sort(key=lambda row: (row.expires_on is None, row.expires_on or date.max,
                                row.name.casefold()))
    return found


def _text_attribute(attributes: dict[str, Any] | None, key: str) -> str | None:
    value = (attributes or {}).get(key)
    return None if value is None or value == "" else str(value)
