"""What each role may do, as an administrator sees and changes it (role_permission).

A change holds for actors loaded after it: the console reads an operator's grants once,
when it starts (services/access.py caches them on the Actor)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlmodel import Session

from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import InvalidInput
from desk_tui.store.enums import OperatorRole
from desk_tui.store.models import RolePermission


@dataclass(frozen=True, slots=True)
class Permission:
    role: OperatorRole
    action: Action


def parse_role(text: str) -> OperatorRole:
    key = text.strip().lower().replace("-", "_")
    try:
        return OperatorRole(key)
    except ValueError:
        choices = ", ".join(role.value for role in OperatorRole)
        raise InvalidInput("role", "unknown role “{role}” (one of: {choices})", role=text,
                           choices=choices) from None


def parse_action(text: str) -> Action:
    try:
        return Action(text.strip().lower())
    except ValueError:
        choices = ", ".join(action.value for action in Action)
        raise InvalidInput("action", "unknown action “{action}” (one of: {choices})",
                           action=text, choices=choices) from None


def permissions(
    *, session: Session, actor: Actor, role: OperatorRole | None = None
) -> list[Permission]:
    """Every grant (of one role), by role and action."""
    require(actor, Action.ROLE_MANAGE)
    statement = select(RolePermission.role, RolePermission.action)
    if role is not None:
        statement = statement.where(RolePermission.role == role)
    known = {action.value for action in Action}
    found = [
        Permission(OperatorRole(found_role), Action(action))
        for found_role, action in session.execute(statement)
        if action in known
    ]
    return sorted(found, key=lambda p: (p.role.value, p.action.value))


def grant(*, session: Session, actor: Actor, role: OperatorRole, action: Action) -> bool:
    """Let `role` do `action`; False when it already could."""
    require(actor, Action.ROLE_MANAGE)
    if session.get(RolePermission, (role, action.value)) is not None:
        return False
    session.add(RolePermission(role=role, action=action.value))
    session.flush()
    return True


def revoke(*, session: Session, actor: Actor, role: OperatorRole, action: Action) -> bool:
    """Take `action` from `role`; False when it could not do it anyway. The last grant of
    role.manage is kept, so that someone can still administer the roles."""
    require(actor, Action.ROLE_MANAGE)
    if session.get(RolePermission, (role, action.value)) is None:
        return False
    if action is Action.ROLE_MANAGE:
        holders = session.execute(
            select(RolePermission.role).where(RolePermission.action == action.value)
        ).scalars().all()
        if len(holders) <= 1:
            raise InvalidInput(
                "action", "role.manage is the last way to change roles; grant it to another"
                " role first")
    session.execute(
        delete(RolePermission).where(
            RolePermission.role == role, RolePermission.action == action.value
        )
    )
    return True
