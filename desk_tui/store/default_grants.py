"""What each role may do in a new database: the seed of the `role_permission` table.

Only a seed: the table is the truth, and an administrator changes it with
`desk role grant|revoke`. Plain strings here (the store does not import services);
services/access.py checks every name is an Action.
"""

from __future__ import annotations

_DESK_WORK = (
    "call.read", "call.register", "call.reclassify", "call.take", "call.assign",
    "call.move-line", "call.pause", "call.resolve", "call.close", "call.reopen",
    "call.link-ci", "person.register", "cmdb.read", "cmdb.write", "p1.evaluate",
    "change.register", "call.escalate", "problem.bundle", "report.read",
    "security.incident",
)
_MANAGER_READS = ("call.read", "cmdb.read", "report.invoice", "report.read")

DEFAULT_GRANTS: dict[str, tuple[str, ...]] = {
    "agent": _DESK_WORK,
    # Specialists carry changes out; they do not take calls from the phone.
    "specialist": (
        *(action for action in _DESK_WORK
          if action not in {"call.register", "person.register", "change.register"}),
        "change.manage", "problem.manage",
    ),
    "on_call": (
        "call.read", "call.register", "call.take", "call.pause", "call.resolve",
        "call.link-ci", "call.reclassify", "person.register", "cmdb.read", "call.escalate",
        "security.incident",
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
        "audit.prune", "privacy.purge", "privacy.export",
    ),
}


def default_grant_rows() -> list[dict[str, str]]:
    """The seed as rows of role_permission."""
    return [
        {"role": role, "action": action}
        for role, actions in DEFAULT_GRANTS.items()
        for action in dict.fromkeys(actions)
    ]
