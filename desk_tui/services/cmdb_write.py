"""Registering and changing configuration items (SPEC 8).

Every write sets the CI's search text from its name, tags, addresses, location, owner and
organisation (the search index is built from it) and leaves a CI-history row. Owner and
organisation appear in the history by name (person "Name (login)", organisation code):
the history stays readable after the person or organisation is gone.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import InvalidInput, NotFound
from desk_tui.services.text_rules import DESCRIPTION_MAX, clean_text, field_name
from desk_tui.store.enums import CiHistoryField, CiStatus, CiType
from desk_tui.store.models import CiHistory, ConfigurationItem, Organisation, Person
from desk_tui.store.search import ci_search_text
from desk_tui.store.types import new_id

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Free-text columns with a length limit; the limits are read from the table itself.
TEXT_FIELDS = (
    "name", "asset_tag", "serial_number", "hostname", "ip_address", "location",
    "configuration", "external_ref",
)
# Changes of these leave a CI-history row each.
HISTORY_FIELDS: dict[str, CiHistoryField] = {
    "status": CiHistoryField.STATUS,
    "owner_id": CiHistoryField.OWNER,
    "organisation_id": CiHistoryField.ORGANISATION,
    "location": CiHistoryField.LOCATION,
    "configuration": CiHistoryField.CONFIGURATION,
    "expires_on": CiHistoryField.EXPIRES_ON,
}
# Changes of these change what the CI is found by.
SEARCHED_FIELDS = frozenset({
    "name", "asset_tag", "serial_number", "hostname", "ip_address", "location",
    "configuration", "owner_id", "organisation_id",
})


@dataclass(frozen=True, slots=True)
class CiDraft:
    """A CI as the operator (or an import row) describes it; organisation None is the
    servicedesk's own infrastructure."""

    ci_type: CiType
    name: str
    asset_tag: str | None = None
    serial_number: str | None = None
    hostname: str | None = None
    ip_address: str | None = None
    location: str | None = None
    status: CiStatus = CiStatus.IN_GEBRUIK
    owner_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = None
    configuration: str | None = None
    in_service_on: date | None = None
    retired_on: date | None = None
    expires_on: date | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    notes: str | None = None
    external_ref: str | None = None


DRAFT_FIELDS = tuple(item.name for item in fields(CiDraft))


class Names(NamedTuple):
    """Owner and organisation as the search text and the history show them."""

    owner_name: str | None = None
    owner_login: str | None = None
    organisation_name: str | None = None
    organisation_code: str | None = None


@cache
def column_limit(column: str) -> int:
    """The length the table allows for a text column."""
    return ConfigurationItem.__table__.c[column].type.length  # type: ignore[attr-defined]


def validate_ci(draft: CiDraft) -> CiDraft:
    """The draft with text trimmed (empty becomes None) and the IP address in its
    canonical form; InvalidInput naming the first field that cannot be stored."""
    try:
        ci_type = CiType(draft.ci_type)
    except ValueError:
        raise InvalidInput("ci_type", "unknown CI type “{ci_type}”",
                           ci_type=draft.ci_type) from None
    try:
        status = CiStatus(draft.status)
    except ValueError:
        raise InvalidInput("status", "unknown status “{status}”", status=draft.status) from None
    texts: dict[str, str | None] = {}
    for name in TEXT_FIELDS:
        texts[name] = clean_text(name, getattr(draft, name), limit=column_limit(name),
                                 required=name == "name") or None
    notes = clean_text("notes", draft.notes, limit=DESCRIPTION_MAX) or None
    if texts["ip_address"] is not None:
        try:
            texts["ip_address"] = str(ipaddress.ip_address(texts["ip_address"]))
        except ValueError:
            raise InvalidInput(
                "ip_address", "“{address}” is not an IP address", address=texts["ip_address"]
            ) from None
    for name in ("in_service_on", "retired_on", "expires_on"):
        value = getattr(draft, name)
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            raise InvalidInput(name, "{field} must be a date, not “{value}”",
                               field=field_name(name), value=value)
    if (
        draft.retired_on is not None and draft.in_service_on is not None
        and draft.retired_on < draft.in_service_on
    ):
        raise InvalidInput(
            "retired_on", "retired on {retired_on} is before in service on {in_service_on}",
            retired_on=draft.retired_on.isoformat(),
            in_service_on=draft.in_service_on.isoformat(),
        )
    if ci_type is CiType.CERTIFICAAT and draft.expires_on is None:
        raise InvalidInput("expires_on", "a certificate needs an expiry date")
    if not isinstance(draft.attributes, Mapping) or not all(
        isinstance(key, str) for key in draft.attributes
    ):
        raise InvalidInput("attributes", "attributes must map names to values")
    return replace(
        draft, ci_type=ci_type, status=status, notes=notes, attributes=dict(draft.attributes),
        **texts,
    )


def ci_values(draft: CiDraft, names: Names, now: datetime) -> dict[str, Any]:
    """The column values of a new CI from a validated draft: what both the ORM and the
    bulk import insert."""
    instant = now.astimezone(UTC)
    values = {name: getattr(draft, name) for name in DRAFT_FIELDS}
    values["attributes"] = dict(draft.attributes)
    return values | {
        "id": new_id(),
        "created_at": instant,
        "updated_at": instant,
        "search_text": search_text_of(draft, names),
    }


def search_text_of(draft: CiDraft, names: Names) -> str:
    return ci_search_text(
        name=draft.name, asset_tag=draft.asset_tag, serial_number=draft.serial_number,
        hostname=draft.hostname, ip_address=draft.ip_address, location=draft.location,
        configuration=draft.configuration, **names._asdict(),
    )


def register_ci(*, session: Session, actor: Actor, draft: CiDraft, now: datetime) -> uuid.UUID:
    """A new CI with a CREATED history row; its id."""
    _require_write(actor, draft.organisation_id)
    draft = validate_ci(draft)
    names = _names(session, draft.owner_id, draft.organisation_id)
    _check_unique(session, draft, None)
    values = ci_values(draft, names, now)
    session.add(ConfigurationItem(**values))
    session.flush()
    session.add(CiHistory(
        ci_id=values["id"], at=now, operator_id=actor.id, field=CiHistoryField.CREATED,
        new_value=draft.name,
    ))
    session.flush()
    return values["id"]


def _site_carries(session: Session, current: CiDraft, wanted: CiDraft) -> None:
    """At an election site, a change its bundle would not carry (the CI's type,
    organisation or CMDB key) is refused: made there, it would be lost without a word."""
    from desk_tui.services.offline import refuse_at_site
    from desk_tui.services.offline_records import CI

    for name in DRAFT_FIELDS:
        if name not in CI.fields and getattr(wanted, name) != getattr(current, name):
            refuse_at_site(session, f"A CI's {name.replace('_', ' ')}")


def update_ci(
    *, session: Session, actor: Actor, ci_id: uuid.UUID, changes: Mapping[str, Any],
    now: datetime, zone: tzinfo = AMSTERDAM,
) -> tuple[str, ...]:
    """Change the fields in `changes` (CiDraft names); returns the fields that changed.

    Status, owner, organisation, location, configuration and expiry each leave a history
    row. Taking a CI out of use dates its retirement today (local date), putting it into
    use dates its start today, unless `changes` gives those dates; putting a retired CI
    back into use clears its retirement date, so the invoice counts it again.
    """
    ci = session.get(ConfigurationItem, ci_id)
    if ci is None:
        raise NotFound("configuration item {ci_id} does not exist", ci_id=ci_id)
    _require_write(actor, ci.organisation_id)
    unknown = sorted(set(changes) - set(DRAFT_FIELDS))
    if unknown:
        raise InvalidInput(unknown[0], "{field} is not a field of a CI", field=unknown[0])
    current = CiDraft(**{name: getattr(ci, name) for name in DRAFT_FIELDS})
    wanted = replace(current, **changes)
    wanted, status_note = _status_dates(current, wanted, changes, now.astimezone(zone).date())
    wanted = validate_ci(wanted)
    _site_carries(session, current, wanted)
    if wanted.organisation_id != current.organisation_id:
        _require_write(actor, wanted.organisation_id)
    _check_unique(session, wanted, ci.id)
    old_names = _names(session, current.owner_id, current.organisation_id)
    new_names = _names(session, wanted.owner_id, wanted.organisation_id)
    changed = []
    for name in DRAFT_FIELDS:
        old, new = getattr(current, name), getattr(wanted, name)
        if old == new:
            continue
        setattr(ci, name, new)
        changed.append(name)
        if name in HISTORY_FIELDS:
            session.add(CiHistory(
                ci_id=ci.id, at=now, operator_id=actor.id, field=HISTORY_FIELDS[name],
                old_value=_shown(name, old, old_names), new_value=_shown(name, new, new_names),
                note=status_note if name == "status" else None,
            ))
    if not changed:
        return ()
    if SEARCHED_FIELDS & set(changed):
        ci.search_text = search_text_of(wanted, new_names)
    ci.updated_at = now.astimezone(UTC)
    session.flush()
    return tuple(changed)


def _status_dates(
    current: CiDraft, wanted: CiDraft, changes: Mapping[str, Any], today: date
) -> tuple[CiDraft, str | None]:
    """The service dates a status change implies, and a note when one was cleared."""
    if wanted.status == current.status:
        return wanted, None
    if wanted.status is CiStatus.UIT_GEBRUIK and wanted.retired_on is None:
        return replace(wanted, retired_on=today), None
    if wanted.status is CiStatus.IN_GEBRUIK:
        note = None
        if wanted.in_service_on is None:
            wanted = replace(wanted, in_service_on=today)
        if wanted.retired_on is not None and "retired_on" not in changes:
            note = f"retired_on {wanted.retired_on.isoformat()} cleared: back in use"
            wanted = replace(wanted, retired_on=None)
        return wanted, note
    return wanted, None


def _shown(name: str, value: Any, names: Names) -> str | None:
    if value is None:
        return None
    if name == "owner_id":
        login = f" ({names.owner_login})" if names.owner_login else ""
        return f"{names.owner_name}{login}"
    if name == "organisation_id":
        return names.organisation_code
    if isinstance(value, date):
        return value.isoformat()
    return str(value.value if hasattr(value, "value") else value)


def _require_write(actor: Actor, organisation_id: uuid.UUID | None) -> None:
    """Registering CIs is CMDB work; an import role may do it too."""
    importer = actor.may(Action.CMDB_IMPORT) and not actor.may(Action.CMDB_WRITE)
    require(actor, Action.CMDB_IMPORT if importer else Action.CMDB_WRITE, organisation_id)


def _names(
    session: Session, owner_id: uuid.UUID | None, organisation_id: uuid.UUID | None
) -> Names:
    """Owner and organisation by name; InvalidInput when either does not exist or the
    owner works elsewhere than the CI's organisation."""
    organisation = None
    if organisation_id is not None:
        organisation = session.execute(
            select(Organisation.name, Organisation.code).where(Organisation.id == organisation_id)
        ).first()
        if organisation is None:
            raise InvalidInput("organisation_id", "the organisation does not exist")
    owner = None
    if owner_id is not None:
        owner = session.execute(
            select(Person.name, Person.login, Person.organisation_id)
            .where(Person.id == owner_id)
        ).first()
        if owner is None:
            raise InvalidInput("owner_id", "the owner does not exist")
        if organisation_id is not None and owner.organisation_id != organisation_id:
            raise InvalidInput("owner_id", "the owner works at another organisation")
    return Names(
        owner_name=owner.name if owner else None,
        owner_login=owner.login if owner else None,
        organisation_name=organisation.name if organisation else None,
        organisation_code=organisation.code if organisation else None,
    )


def _check_unique(session: Session, draft: CiDraft, ci_id: uuid.UUID | None) -> None:
    """Asset tag and external reference belong to one CI each."""
    for name in ("asset_tag", "external_ref"):
        value = getattr(draft, name)
        if value is None:
            continue
        statement = select(ConfigurationItem.name).where(
            getattr(ConfigurationItem, name) == value
        )
        if ci_id is not None:
            statement = statement.where(ConfigurationItem.id != ci_id)
        other = session.execute(statement).first()
        if other is not None:
            raise InvalidInput(name, "{field} “{value}” already belongs to “{ci}”",
                               field=field_name(name), value=value, ci=other.name)
