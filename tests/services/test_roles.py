"""Roles live in the database: nothing is allowed unless granted, and an administrator
changes what a role may do."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import delete, select

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls, queries, roles
from desk_tui.services.access import Action
from desk_tui.services.calls import CallDraft
from desk_tui.services.errors import InvalidInput, NotFound, Refused
from desk_tui.store.engine import write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.models import AuditEntry, Operator, OperatorRoleGrant, RolePermission
from tests.world import MONDAY_9, World


def _admin(world: World):
    with world.db.begin() as connection:
        connection.execute(Operator.__table__.insert().values(
            id=uuid.uuid4(), login="admin", display_name="Beheer",
            line="eerste-lijn", failed_pin_attempts=0, active=True,
            created_at=MONDAY_9, updated_at=MONDAY_9))
        admin_id = connection.execute(
            select(Operator.id).where(Operator.login == "admin")).scalar_one()
        connection.execute(OperatorRoleGrant.__table__.insert().values(
            operator_id=admin_id, role="administrator"))
    return world.read(queries.actor_for, login="admin")


def _change(world: World, use_case, **kwargs):
    with write_session(world.db) as session:
        return use_case(session=session, **kwargs)


def _draft(world: World) -> CallDraft:
    return CallDraft(organisation_id=world.organisation.id, call_type=CallType.STORING,
                     subject="Printer weigert", caller_id=world.caller.id,
                     impact=Level.LAAG, urgency=Level.LAAG)


def _refusals(world: World) -> list[dict[str, str]]:
    with world.db.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.actor_login, AuditEntry.detail, AuditEntry.at)
            .where(AuditEntry.event == "refused").order_by(AuditEntry.seq)
        ).all()
    return [{"login": login, **json.loads(detail), "at": at} for login, detail, at in rows]


# What each role may do, written out by hand (not read from the seed), so that a right
# dropped from or added to store/default_grants.py shows up here.
_DESK_CALLS = {
    "call.read", "call.register", "call.reclassify", "call.take", "call.assign",
    "call.move-line", "call.pause", "call.resolve", "call.close", "call.reopen",
    "call.link-ci", "call.escalate",
}
EXPECTED_RIGHTS = {
    OperatorRole.AGENT: _DESK_CALLS | {
        "person.register", "cmdb.read", "cmdb.write", "p1.evaluate", "change.register",
        "problem.bundle", "report.read", "security.incident", "crisis.manage",
        "standby.log", "offline.export", "offline.import", "offline.resolve",
        "on-call.handover",
    },
    OperatorRole.SPECIALIST: (_DESK_CALLS - {"call.register"}) | {
        "cmdb.read", "cmdb.write", "p1.evaluate", "problem.bundle", "report.read",
        "security.incident", "standby.log", "offline.export", "offline.import",
        "offline.resolve", "on-call.handover", "change.manage", "problem.manage",
    },
    OperatorRole.ON_CALL: {
        "call.read", "call.register", "call.take", "call.pause", "call.resolve",
        "call.link-ci", "call.reclassify", "call.escalate", "person.register", "cmdb.read",
        "security.incident", "standby.log", "offline.export", "on-call.handover",
        "crisis.manage",
    },
    OperatorRole.PROBLEM_MANAGER: {
        "call.read", "call.link-ci", "call.resolve", "cmdb.read", "problem.bundle",
        "problem.manage", "change.register",
    },
    OperatorRole.CHANGE_MANAGER: {
        "call.read", "cmdb.read", "cmdb.write", "change.register", "change.manage",
    },
    OperatorRole.CONTRACT_MANAGER: {"call.read", "cmdb.read", "report.invoice", "report.read"},
    OperatorRole.INFORMATION_MANAGER: {
        "call.read", "cmdb.read", "report.invoice", "report.read",
    },
    OperatorRole.ADMINISTRATOR: {
        "call.read", "call.assign", "cmdb.read", "cmdb.write", "cmdb.import",
        "report.invoice", "report.read", "p1.evaluate", "role.manage", "audit.read",
        "audit.prune", "privacy.purge", "privacy.export", "crisis.manage",
        "offline.prepare", "offline.import", "offline.resolve",
    },
}


def test_a_new_database_grants_each_role_exactly_its_rights(world: World) -> None:
    with world.db.connect() as connection:
        rows = connection.execute(select(RolePermission.role, RolePermission.action)).all()
    seeded: dict[OperatorRole, set[str]] = {}
    for role, action in rows:
        seeded.setdefault(OperatorRole(role), set()).add(action)
    assert seeded == EXPECTED_RIGHTS
    assert world.agent.grants == frozenset(Action(a) for a in EXPECTED_RIGHTS[OperatorRole.AGENT])
    assert world.nobody.grants == frozenset()


def test_a_revoked_grant_refuses_and_the_refusal_is_in_the_audit_trail(world: World) -> None:
    admin = _admin(world)
    saved = world.write(calls.register_call, actor=world.agent, draft=_draft(world),
                        now=MONDAY_9)
    world.write(calls.resolve, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                solution="Papier bijgevuld")
    changed = _change(world, roles.revoke, actor=admin, role=OperatorRole.AGENT,
                          action=Action.CALL_CLOSE)
    assert changed is True
    agent = world.read(queries.actor_for, login="agent")  # a new sign-in reads the table

    assert not agent.may(Action.CALL_CLOSE)
    with pytest.raises(Refused, match=r"call\.close"):
        world.write(calls.close, actor=agent, call_id=saved.id, now=MONDAY_9)

    [refusal] = _refusals(world)
    assert (refusal["login"], refusal["action"]) == ("agent", "call.close")
    assert "grants call.close" in refusal["reason"]
    # What was not revoked still works.
    world.write(calls.reopen, actor=agent, call_id=saved.id, now=MONDAY_9, reason="toch niet")


def test_an_action_absent_from_the_table_is_refused(world: World) -> None:
    with world.db.begin() as connection:
        connection.execute(delete(RolePermission).where(RolePermission.role == "agent"))
    agent = world.read(queries.actor_for, login="agent")
    assert agent.grants == frozenset()
    with pytest.raises(Refused):
        world.write(calls.register_call, actor=agent, draft=_draft(world), now=MONDAY_9)
    assert [r["action"] for r in _refusals(world)] == ["call.register"]


def test_a_grant_allows_and_only_an_administrator_changes_grants(world: World) -> None:
    admin = _admin(world)
    with pytest.raises(Refused):
        _change(world, roles.grant, actor=world.agent, role=OperatorRole.AGENT,
                    action=Action.CMDB_IMPORT)
    assert _change(world, roles.grant, actor=admin, role=OperatorRole.AGENT,
                       action=Action.CMDB_IMPORT) is True
    assert _change(world, roles.grant, actor=admin, role=OperatorRole.AGENT,
                       action=Action.CMDB_IMPORT) is False
    assert world.read(queries.actor_for, login="agent").may(Action.CMDB_IMPORT)
    listed = world.read(roles.permissions, actor=admin, role=OperatorRole.AGENT)
    assert Action.CMDB_IMPORT in {p.action for p in listed}


def test_the_last_grant_of_role_management_is_kept(world: World) -> None:
    admin = _admin(world)
    with pytest.raises(InvalidInput, match=r"role\.manage"):
        _change(world, roles.revoke, actor=admin, role=OperatorRole.ADMINISTRATOR,
                    action=Action.ROLE_MANAGE)


def test_unknown_roles_and_actions_are_named(world: World) -> None:
    with pytest.raises(InvalidInput, match="unknown role 'boss'"):
        roles.parse_role("boss")
    with pytest.raises(InvalidInput, match=r"unknown action 'call\.delete'"):
        roles.parse_action("call.delete")
    assert roles.parse_role("Contract-Manager") is OperatorRole.CONTRACT_MANAGER


def test_a_contract_manager_reads_only_their_own_organisation(world: World) -> None:
    manager = world.contract_manager  # of the other organisation
    own = world.write(
        calls.register_call, actor=world.agent, now=MONDAY_9,
        draft=CallDraft(organisation_id=world.other_organisation.id,
                        call_type=CallType.INFORMATIEVERZOEK, subject="Vraag",
                        caller_id=world.stranger.id))
    theirs = world.write(calls.register_call, actor=world.agent, draft=_draft(world),
                         now=MONDAY_9)
    detail = world.read(queries.call_detail, actor=manager, sla=world.sla, call_id=own.id)
    assert detail.reference == own.reference
    with pytest.raises((Refused, NotFound)):
        world.read(queries.call_detail, actor=manager, sla=world.sla, call_id=theirs.id)
    # Read-only: no write of any kind.
    for action in manager.grants:
        assert action in {Action.CALL_READ, Action.CMDB_READ, Action.REPORT_READ,
                          Action.REPORT_INVOICE}
    with pytest.raises(Refused):
        world.write(calls.take, actor=manager, call_id=own.id, now=MONDAY_9)
    with pytest.raises(Refused):
        world.write(calls.register_call, actor=manager, now=MONDAY_9, draft=CallDraft(
            organisation_id=world.other_organisation.id, call_type=CallType.INFORMATIEVERZOEK,
            subject="Zelf melden"))
    assert {r["action"] for r in _refusals(world)} >= {"call.read", "call.take",
                                                        "call.register"}
