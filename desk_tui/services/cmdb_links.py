"""Relations between CIs and the contracts CIs fall under: relate, unrelate, register a
contract, link and unlink it. One function = one transaction (the caller's write session);
every change leaves a history row on each CI concerned, with the operator.

History shows names, not ids ("Key2Burgerzaken runs-on SRV-DC-01", "2024-017 Onderhoud
Key2"), so it stays readable after a CI or contract is gone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import Conflict, InvalidInput, NotFound, Phrase, Refused
from desk_tui.services.text_rules import DESCRIPTION_MAX, clean_text, field_name
from desk_tui.store.enums import CiHistoryField, CiRelationKind, ContractKind
from desk_tui.store.models import (
    CiHistory,
    CiRelation,
    ConfigurationItem,
    Contract,
    ContractCi,
    Organisation,
)

__all__ = [
    "NOTICE_MONTHS_MAX",
    "ContractDraft",
    "link_contract",
    "register_contract",
    "relate",
    "unlink_contract",
    "unrelate",
]

# Ten years' notice is already far beyond any contract we know; more is a typing error.
NOTICE_MONTHS_MAX = 120
_NUMBER_MAX = 50
_TITLE_MAX = 200
_SUPPLIER_MAX = 200


@dataclass(frozen=True, slots=True)
class ContractDraft:
    """A contract as the operator describes it; organisation None: the servicedesk's own."""

    number: str
    title: str
    supplier: str
    kind: ContractKind
    starts_on: date
    ends_on: date | None = None
    organisation_id: uuid.UUID | None = None
    notice_months: int = 3
    renews_automatically: bool = False
    notes: str | None = None


# -- shared pieces ---------------------------------------------------------------------------
def _ci(session: Session, actor: Actor, ci_id: uuid.UUID) -> ConfigurationItem:
    item = session.get(ConfigurationItem, ci_id)
    if item is None:
        raise NotFound("configuration item {ci_id} does not exist", ci_id=ci_id)
    require(actor, Action.CMDB_WRITE, item.organisation_id)
    return item


def _contract(session: Session, actor: Actor, contract_id: uuid.UUID) -> Contract:
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise NotFound("contract {contract_id} does not exist", contract_id=contract_id)
    require(actor, Action.CMDB_WRITE, contract.organisation_id)
    return contract


def _history(
    session: Session, ci: ConfigurationItem, actor: Actor, now: datetime,
    field: CiHistoryField, old: str | None, new: str | None,
) -> None:
    session.add(CiHistory(ci_id=ci.id, at=now, operator_id=actor.id, field=field,
                          old_value=old, new_value=new))


def _kind(kind: CiRelationKind | str) -> CiRelationKind:
    try:
        return CiRelationKind(kind)
    except ValueError:
        known = ", ".join(member.value for member in CiRelationKind)
        raise InvalidInput("kind", "unknown relation “{kind}”; choose one of {known}",
                           kind=kind, known=known) from None


def _relation_text(source: ConfigurationItem, kind: CiRelationKind,
                   target: ConfigurationItem) -> str:
    return f"{source.name} {kind.value} {target.name}"


def _contract_text(contract: Contract) -> str:
    return f"{contract.number} {contract.title}"


def _central_only(session: Session, what: Phrase) -> None:
    """Contracts are kept centrally; a relation removed at an election site could not be
    carried back (its bundle adds relations, it never deletes central rows)."""
    from desk_tui.services.offline import refuse_at_site

    refuse_at_site(session, what)


def _site_may_relate(session: Session, *ends: ConfigurationItem) -> None:
    """At an election site one end must be a CI of the site's own organisation: the
    central import refuses relations between other organisations' CIs, and a relation the
    site cannot remove would hold back every later bundle. (The copy keeps another
    organisation's CI without its organisation, so a shared CI cannot be told apart there:
    relations between shared CIs are recorded centrally.)"""
    from desk_tui.services.offline import local_site

    site = local_site(session)
    if site is not None and not any(
            end.organisation_id == site.organisation_id for end in ends):
        raise Refused("at election site {site} a relation needs a CI of the site's own"
                      " organisation at one end; record this one centrally", site=site.code)


# -- relations -------------------------------------------------------------------------------
def relate(
    *, session: Session, actor: Actor, from_ci_id: uuid.UUID, to_ci_id: uuid.UUID,
    kind: CiRelationKind | str, now: datetime,
) -> uuid.UUID:
    """Record that `from` <kind> `to` (an application runs-on a server); its id."""
    require(actor, Action.CMDB_WRITE)
    kind = _kind(kind)
    if from_ci_id == to_ci_id:
        raise InvalidInput("to_ci_id", "a configuration item cannot be related to itself")
    source = _ci(session, actor, from_ci_id)
    target = _ci(session, actor, to_ci_id)
    _site_may_relate(session, source, target)
    text = _relation_text(source, kind, target)
    duplicate = session.execute(
        select(CiRelation.id).where(
            CiRelation.from_ci_id == source.id, CiRelation.to_ci_id == target.id,
            CiRelation.kind == kind,
        )
    ).first()
    if duplicate is not None:
        raise Conflict("already recorded: {relation}", relation=text)
    relation = CiRelation(from_ci_id=source.id, to_ci_id=target.id, kind=kind)
    session.add(relation)
    try:
        session.flush()
    except IntegrityError as error:  # another operator recorded it meanwhile
        raise Conflict("already recorded: {relation}", relation=text) from error
    _history(session, source, actor, now, CiHistoryField.RELATION, None, text)
    _history(session, target, actor, now, CiHistoryField.RELATION, None, text)
    session.flush()
    return relation.id


def unrelate(
    *, session: Session, actor: Actor, from_ci_id: uuid.UUID, to_ci_id: uuid.UUID,
    kind: CiRelationKind | str, now: datetime,
) -> None:
    """Remove the relation `from` <kind> `to`; NotFound when it is not recorded."""
    require(actor, Action.CMDB_WRITE)
    _central_only(session, Phrase("Removing a CI relation"))
    kind = _kind(kind)
    source = _ci(session, actor, from_ci_id)
    target = _ci(session, actor, to_ci_id)
    text = _relation_text(source, kind, target)
    relation = session.execute(
        select(CiRelation).where(
            CiRelation.from_ci_id == source.id, CiRelation.to_ci_id == target.id,
            CiRelation.kind == kind,
        )
    ).scalar_one_or_none()
    if relation is None:
        raise NotFound("not recorded: {relation}", relation=text)
    session.delete(relation)
    _history(session, source, actor, now, CiHistoryField.RELATION, text, None)
    _history(session, target, actor, now, CiHistoryField.RELATION, text, None)
    session.flush()


# -- contracts -------------------------------------------------------------------------------
def _valid_contract(session: Session, draft: ContractDraft) -> dict[str, object]:
    """The draft as column values; InvalidInput naming the first field that cannot be
    stored."""
    number = clean_text("number", draft.number, limit=_NUMBER_MAX, required=True)
    title = clean_text("title", draft.title, limit=_TITLE_MAX, required=True)
    supplier = clean_text("supplier", draft.supplier, limit=_SUPPLIER_MAX, required=True)
    notes = clean_text("notes", draft.notes, limit=DESCRIPTION_MAX) or None
    try:
        kind = ContractKind(draft.kind)
    except ValueError:
        raise InvalidInput("kind", "unknown contract kind “{kind}”", kind=draft.kind) from None
    for name in ("starts_on", "ends_on"):
        value = getattr(draft, name)
        if value is None and name == "ends_on":
            continue
        if not isinstance(value, date) or isinstance(value, datetime):
            raise InvalidInput(name, "{field} must be a date, not “{value}”",
                               field=field_name(name), value=value)
    if draft.ends_on is not None and draft.ends_on < draft.starts_on:
        raise InvalidInput(
            "ends_on", "the contract ends ({ends_on}) before it starts ({starts_on})",
            ends_on=draft.ends_on.isoformat(), starts_on=draft.starts_on.isoformat(),
        )
    notice = draft.notice_months
    if isinstance(notice, bool) or not isinstance(notice, int):
        raise InvalidInput("notice_months", "the notice period must be whole months, not"
                                            " “{notice}”", notice=notice)
    if not 0 <= notice <= NOTICE_MONTHS_MAX:
        raise InvalidInput(
            "notice_months", "the notice period must be 0 to {most} months, not {notice}",
            most=NOTICE_MONTHS_MAX, notice=notice,
        )
    if (
        draft.organisation_id is not None
        and session.get(Organisation, draft.organisation_id) is None
    ):
        raise InvalidInput("organisation_id", "the organisation does not exist")
    taken = session.execute(
        select(Contract.number).where(func.lower(Contract.number) == number.lower())
    ).first()
    if taken is not None:
        raise InvalidInput("number", "contract number {number} is already in use",
                           number=taken.number)
    return {
        "number": number, "title": title, "supplier": supplier, "kind": kind,
        "organisation_id": draft.organisation_id, "starts_on": draft.starts_on,
        "ends_on": draft.ends_on, "notice_months": notice,
        "renews_automatically": bool(draft.renews_automatically), "notes": notes,
    }


def register_contract(
    *, session: Session, actor: Actor, draft: ContractDraft, now: datetime
) -> uuid.UUID:
    """A new contract; its id. It covers no CIs until they are linked."""
    require(actor, Action.CMDB_WRITE, draft.organisation_id)
    _central_only(session, Phrase("A contract"))
    contract = Contract(**_valid_contract(session, draft), created_at=now, updated_at=now)
    session.add(contract)
    try:
        session.flush()
    except IntegrityError as error:  # the same number, registered meanwhile
        raise Conflict("contract number {number} is already in use",
                       number=contract.number) from error
    return contract.id


def link_contract(
    *, session: Session, actor: Actor, contract_id: uuid.UUID, ci_id: uuid.UUID,
    now: datetime,
) -> None:
    """Bring a CI under a contract. A participant's contract covers only that
    participant's CIs (or the servicedesk's own)."""
    require(actor, Action.CMDB_WRITE)
    _central_only(session, Phrase("A CI's contract"))
    contract = _contract(session, actor, contract_id)
    item = _ci(session, actor, ci_id)
    if (
        contract.organisation_id is not None
        and item.organisation_id is not None
        and item.organisation_id != contract.organisation_id
    ):
        raise InvalidInput(
            "ci_id", "{ci} belongs to another organisation than contract {number}",
            ci=item.name, number=contract.number,
        )
    if session.get(ContractCi, (contract.id, item.id)) is not None:
        raise Conflict("{ci} is already covered by contract {number}", ci=item.name,
                       number=contract.number)
    session.add(ContractCi(contract_id=contract.id, ci_id=item.id))
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(
            "{ci} is already covered by contract {number}", ci=item.name,
            number=contract.number,
        ) from error
    _history(session, item, actor, now, CiHistoryField.CONTRACT, None, _contract_text(contract))
    session.flush()


def unlink_contract(
    *, session: Session, actor: Actor, contract_id: uuid.UUID, ci_id: uuid.UUID,
    now: datetime,
) -> None:
    """Take a CI out of a contract; NotFound when the contract does not cover it."""
    require(actor, Action.CMDB_WRITE)
    _central_only(session, Phrase("A CI's contract"))
    contract = _contract(session, actor, contract_id)
    item = _ci(session, actor, ci_id)
    link = session.get(ContractCi, (contract.id, item.id))
    if link is None:
        raise NotFound("{ci} is not covered by contract {number}", ci=item.name,
                       number=contract.number)
    session.delete(link)
    _history(session, item, actor, now, CiHistoryField.CONTRACT, _contract_text(contract), None)
    session.flush()
