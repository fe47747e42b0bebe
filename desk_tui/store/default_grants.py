"""What each role may do in a new database: the seed of the `role_permission` table.

Only a seed: the table is the truth, and an administrator changes it with
`desk role grant|revoke`. Plain strings here (the store does not import services);
services/access.py checks every name is an Action.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # services/access.py reads the seed on the console's path to its first frame, before
    # SQLAlchemy loads (~0.1 s): only the migration helpers below need it.
    from sqlalchemy import Connection

_DESK_WORK = (
    "call.read", "call.register", "call.reclassify", "call.take", "call.assign",
    "call.move-line", "call.pause", "call.resolve", "call.close", "call.reopen",
    "call.link-ci", "person.register", "cmdb.read", "cmdb.write", "p1.evaluate",
    "change.register", "call.escalate", "problem.bundle", "report.read",
    "security.incident", "standby.log", "offline.export", "offline.import",
    "offline.resolve", "on-call.handover",
)
# Desk staff on the phone (day and on-call) record a GRIP level when it is declared.
_CRISIS = ("crisis.manage",)
_MANAGER_READS = ("call.read", "cmdb.read", "report.invoice", "report.read")

DEFAULT_GRANTS: dict[str, tuple[str, ...]] = {
    "agent": (*_DESK_WORK, *_CRISIS),
    # Specialists carry changes out; they do not take calls from the phone.
    "specialist": (
        *(action for action in _DESK_WORK
          if action not in {"call.register", "person.register", "change.register"}),
        "change.manage", "problem.manage",
    ),
    "on_call": (
        "call.read", "call.register", "call.take", "call.pause", "call.resolve",
        "call.link-ci", "call.reclassify", "person.register", "cmdb.read", "call.escalate",
        "security.incident", "standby.log", "offline.export", "on-call.handover", *_CRISIS,
    ),
    "problem_manager": (
        "call.read", "call.link-ci", "cmdb.read", "problem.bundle", "problem.manage",
        "call.resolve", "change.register",  # the structural fix is requested as a change
    ),
    "change_manager": (
        "call.read", "cmdb.read", "cmdb.write", "change.register", "change.manage",
    ),
    # Contract and information managers read their own organisation's calls only.
    "contract_manager": _MANAGER_READS,
    "information_manager": _MANAGER_READS,
    "administrator": (
        "call.read", "call.assign", "cmdb.read", "cmdb.write", "cmdb.import",
        "report.invoice", "p1.evaluate", "report.read", "role.manage", "audit.read",
        "audit.prune", "privacy.purge", "privacy.export", "offline.prepare",
        "offline.import", "offline.resolve", *_CRISIS,
    ),
}


def default_grant_rows() -> list[dict[str, str]]:
    """The seed as rows of role_permission."""
    return [
        {"role": role, "action": action}
        for role, actions in DEFAULT_GRANTS.items()
        for action in dict.fromkeys(actions)
    ]


def grant_added_action(connection: Connection, action: str, roles: Iterable[str]) -> None:
    """A migration that adds an action gives it to its roles. The seed above is read by
    the migration that created the table, so a database created later already holds the
    grant: a present row is left alone."""
    from sqlalchemy import text

    held = set(connection.execute(
        text("SELECT role FROM role_permission WHERE action = :action"), {"action": action}
    ).scalars())
    missing = [{"role": role, "action": action} for role in roles if role not in held]
    if missing:
        connection.execute(
            text("INSERT INTO role_permission (role, action) VALUES (:role, :action)"), missing
        )


def revoke_removed_action(connection: Connection, action: str) -> None:
    """The downgrade of such a migration: nobody keeps an action the code no longer has."""
    from sqlalchemy import text

    connection.execute(text("DELETE FROM role_permission WHERE action = :action"),
                       {"action": action})
