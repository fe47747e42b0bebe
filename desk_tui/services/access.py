"""Who may do what: every service names its action and checks the actor (default deny)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from desk_tui.services.errors import Phrase, Refused
from desk_tui.store import audit_context as audit
from desk_tui.store.default_grants import DEFAULT_GRANTS
from desk_tui.store.enums import OperatorRole, SupportLine

__all__ = ["GRANTS", "Action", "Actor", "Refused", "grants_for", "require"]

log = logging.getLogger("desk.access")


class Action(StrEnum):
    CALL_READ = "call.read"
    CALL_REGISTER = "call.register"
    CALL_RECLASSIFY = "call.reclassify"
    CALL_TAKE = "call.take"
    CALL_ASSIGN = "call.assign"
    CALL_MOVE_LINE = "call.move-line"
    CALL_PAUSE = "call.pause"
    CALL_RESOLVE = "call.resolve"
    CALL_CLOSE = "call.close"
    CALL_REOPEN = "call.reopen"
    CALL_LINK_CI = "call.link-ci"
    CALL_ESCALATE = "call.escalate"  # move a call on the hierarchical ladder
    PERSON_REGISTER = "person.register"
    CMDB_READ = "cmdb.read"  # search, CI detail, relations, impact, certificates, contracts
    CMDB_WRITE = "cmdb.write"  # register and change CIs, relations, contracts
    CMDB_IMPORT = "cmdb.import"  # load an existing CMDB from CSV
    REPORT_INVOICE = "report.invoice"  # the quarterly invoice basis
    REPORT_READ = "report.read"  # availability, SLA compliance, work queues
    CHANGE_REGISTER = "change.register"  # take a change request from a participant
    CHANGE_MANAGE = "change.manage"  # plan, carry out and close changes
    PROBLEM_BUNDLE = "problem.bundle"  # open a problem from similar calls, add calls
    PROBLEM_MANAGE = "problem.manage"  # cause, workaround, fix, resolve
    P1_EVALUATE = "p1.evaluate"  # plan and record the evaluation of a priority 1 incident
    SECURITY_INCIDENT = "security.incident"  # declare a data breach, record protocol steps
    ROLE_MANAGE = "role.manage"  # grant and revoke what roles may do
    AUDIT_READ = "audit.read"  # verify and read the audit trail
    AUDIT_PRUNE = "audit.prune"  # remove audit rows past their retention
    PRIVACY_PURGE = "privacy.purge"  # anonymise participants whose contract ended
    PRIVACY_EXPORT = "privacy.export"  # everything about one person, on request
    CRISIS_MANAGE = "crisis.manage"  # set or clear a municipality's GRIP level (SPEC 10)
    # Election sites (SPEC 10): preparing copies personal data onto a laptop, so only an
    # administrator does it; the site exports, the desk imports and decides conflicts.
    OFFLINE_PREPARE = "offline.prepare"
    OFFLINE_EXPORT = "offline.export"
    OFFLINE_IMPORT = "offline.import"
    OFFLINE_RESOLVE = "offline.resolve"
    STANDBY_LOG = "standby.log"  # write and read the standby log of an election day
    ON_CALL_HANDOVER = "on-call.handover"  # hand the evening's calls to the morning


# What a new database grants each role (the seed of the role_permission table, which is
# the truth: an administrator changes it with `desk role grant|revoke`).
GRANTS: dict[OperatorRole, frozenset[Action]] = {
    OperatorRole(role): frozenset(Action(action) for action in actions)
    for role, actions in DEFAULT_GRANTS.items()
}

_OWN_ORGANISATION_ONLY = frozenset(
    {OperatorRole.CONTRACT_MANAGER, OperatorRole.INFORMATION_MANAGER}
)


@dataclass(frozen=True, slots=True)
class Actor:
    """The operator on whose behalf a service runs."""

    id: uuid.UUID
    login: str
    display_name: str
    roles: frozenset[OperatorRole] = field(default_factory=frozenset)
    line: SupportLine = SupportLine.EERSTE_LIJN
    organisation_id: uuid.UUID | None = None
    active: bool = True
    # What the roles grant, read from role_permission once when the actor is loaded (no
    # query per check); empty: nothing is allowed.
    grants: frozenset[Action] = field(default_factory=frozenset)

    def may(self, action: Action) -> bool:
        return self.active and action in self.grants

    @property
    def sees_all_organisations(self) -> bool:
        """Desk staff see every participant; managers of a participant only their own."""
        return any(role not in _OWN_ORGANISATION_ONLY for role in self.roles)


def require(actor: Actor, action: Action, organisation_id: uuid.UUID | None = None) -> None:
    """Refuse (and log, also in the audit trail) unless the actor may do `action`, for
    `organisation_id` if given. What passes makes the actor the author of this session's
    writes in the audit trail."""
    audit.act_as(actor.id, actor.login)
    if not actor.active:
        _refuse(actor, action, Phrase("operator account is not active"))
    if not actor.may(action):
        roles = ", ".join(sorted(actor.roles)) or Phrase("none")
        _refuse(actor, action, Phrase(
            "no role of {login} (roles: {roles}) grants {action}",
            login=actor.login, roles=roles, action=str(action),
        ))
    if (
        organisation_id is not None
        and not actor.sees_all_organisations
        and organisation_id != actor.organisation_id
    ):
        _refuse(actor, action, Phrase("only the operator's own organisation is visible"))


def _refuse(actor: Actor, action: Action, reason: Phrase) -> None:
    log.warning("refused %s for %s: %s", action, actor.login, reason)
    audit.note_refusal(actor.id, actor.login, str(action), str(reason))
    raise Refused("{action} refused: {reason}", action=str(action), reason=reason)


def grants_for(roles: frozenset[OperatorRole], rows: list[tuple[str, str]]) -> frozenset[Action]:
    """The actions `rows` (role, action) of role_permission grant these roles; names this
    build does not know are ignored (default deny)."""
    known = {action.value for action in Action}
    return frozenset(
        Action(action) for role, action in rows if role in roles and action in known
    )
