"""Personal data never reaches the append-only audit log (SPEC 11): the log is kept for
years and the privacy purge cannot touch it, so every text or JSON column is classified,
and the log of writes to the tables that hold personal data shows that they changed, not
what they held."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, String, Text, select, update
from sqlalchemy.types import TypeDecorator

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls
from desk_tui.services.calls import CallDraft
from desk_tui.store import audit
from desk_tui.store.engine import write_session
from desk_tui.store.models import (
    AuditEntry,
    CrisisContact,
    GripLevel,
    OfflineCallBase,
    OfflineConflict,
    OfflineSite,
    OnCallHandover,
    Person,
    Problem,
    StandbyEntry,
)
from desk_tui.store.tables import metadata
from desk_tui.store.types import StrEnumType
from tests.world import MONDAY_9, World


def _holds_text(column_type: object) -> bool:
    """Text, strings and JSON; an enum column holds one of a fixed set of values."""
    if isinstance(column_type, StrEnumType):
        return False
    if isinstance(column_type, TypeDecorator):
        return _holds_text(column_type.impl_instance)
    return isinstance(column_type, String | Text | JSON)


def _text_columns() -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in metadata.tables.values() if table.name not in audit.UNAUDITED_TABLES
        for column in table.columns if _holds_text(column.type)
    }


def _classified(fields: dict[str, frozenset[str]]) -> set[tuple[str, str]]:
    return {(table, column) for table, columns in fields.items() for column in columns}


def test_every_text_and_json_column_is_classified_personal_or_safe() -> None:
    personal = _classified(dict(audit.PERSONAL_FIELDS))
    safe = _classified(dict(audit.SAFE_FIELDS))
    unclassified = sorted(_text_columns() - personal - safe)
    assert not unclassified, (
        "classify these columns in store/audit.py, PERSONAL_FIELDS (personal data or free"
        f" text: the log says only that they changed) or SAFE_FIELDS: {unclassified}")
    assert not personal & safe, f"both personal and safe: {sorted(personal & safe)}"
    stale = sorted((personal | safe) - {
        (table.name, column.name) for table in metadata.tables.values()
        for column in table.columns})
    assert not stale, f"classified columns that no table has: {stale}"


def test_the_walk_sees_text_json_and_string_columns_but_not_enums() -> None:
    found = _text_columns()
    assert {("standby_entry", "what"), ("standby_entry", "who"),
            ("offline_conflict", "payload"), ("on_call_handover", "summary"),
            ("crisis_contact", "name")} <= found
    assert ("call", "status") not in found and ("call", "priority") not in found


MARK = "Zwartjes"  # a name nobody else in the world has


def _log_details(world: World) -> list[str]:
    with world.db.connect() as connection:
        return list(connection.execute(select(AuditEntry.detail)).scalars())


def test_writes_to_the_new_tables_log_no_personal_value(world: World) -> None:
    with write_session(world.db) as session:
        site = OfflineSite(code="V01", name="Stembureau De Zwaan",
                           organisation_id=world.organisation.id, public_key="ab" * 32,
                           private_key=f"{MARK}-secret")
        session.add(site)
        session.flush()
        session.add_all([
            StandbyEntry(site="main", who=f"Piet {MARK}", location=f"{MARK}straat 4",
                         what=f"{MARK} belde: stemcomputer hapert", at=MONDAY_9),
            CrisisContact(organisation_id=world.organisation.id, role_title="OOV-adviseur",
                          name=f"Els {MARK}", phone="06-99887766",
                          email=f"e.{MARK.lower()}@enkhuizen.example"),
            GripLevel(organisation_id=world.organisation.id, level=1, started_at=MONDAY_9,
                      note=f"{MARK} meldde brand"),
            OnCallHandover(evening=date(2026, 11, 2), handed_over_at=MONDAY_9,
                           summary={"open": [{"subject": f"VPN van {MARK}"}]}),
            Problem(year=2026, number=1, title=f"Mail van {MARK} komt niet aan",
                    description=f"{MARK} en collega's", root_cause=f"{MARK}s regel",
                    workaround=f"{MARK} belt"),
        ])
    saved = world.write(calls.register_call, actor=world.agent, now=MONDAY_9, draft=CallDraft(
        organisation_id=world.organisation.id, call_type=CallType.STORING, subject="Printer",
        caller_id=world.caller.id, impact=Level.LAAG, urgency=Level.MIDDEN))
    with write_session(world.db) as session:
        site_id = session.execute(select(OfflineSite.id)).scalar_one()
        session.add_all([
            OfflineCallBase(site_id=site_id, call_id=saved.id, version=1,
                            fields={"subject": f"Pas van {MARK}"}),
            OfflineConflict(site_id=site_id, call_id=saved.id, record_id=saved.id,
                            bundle_id=uuid.uuid4().hex,
                            payload={"changed": {"description": f"{MARK} opnieuw"}},
                            payload_hash="0" * 64, central_version=1, note=f"{MARK} akkoord"),
        ])
    # A Core statement that picks rows by a personal value: the value stays out too.
    with write_session(world.db) as session:
        session.execute(update(Person).where(Person.email == world.caller.email)
                        .values(active=True))
    details = "\n".join(_log_details(world))
    assert {"standby_entry", "crisis_contact", "grip_level", "on_call_handover", "problem",
            "offline_site", "offline_call_base", "offline_conflict", "person"} <= \
        _tables_logged(world)
    assert MARK not in details and MARK.lower() not in details
    assert "06-99887766" not in details
    assert world.caller.email not in details


def _tables_logged(world: World) -> set[str]:
    with world.db.connect() as connection:
        return set(connection.execute(select(AuditEntry.table_name)).scalars())
