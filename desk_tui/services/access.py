"""Who may do what: every service names its action and checks the actor (default deny)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from desk_tui.services.errors import Refused
from desk_tui.store.enums import OperatorRole, SupportLine

__all__ = ["GRANTS", "Action", "Actor", "Refused", "require"]

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
    # Election sites (SPEC 10): preparing copies personal data onto a laptop, so only an
    # administrator does it; the site exports, the desk imports and decides conflicts.
    OFFLINE_PREPARE = "offline.prepare"
    OFFLINE_EXPORT = "offline.export"
    OFFLINE_IMPORT = "offline.import"
    OFFLINE_RESOLVE = "offline.resolve"
    STANDBY_LOG = "standby.log"  # write and read the standby log of an election day
    ON_CALL_HANDOVER = "on-call.handover"  # hand the evening's calls to the morning


_DESK_WORK = frozenset({
    Action.CALL_READ, Action.CALL_REGISTER, Action.CALL_RECLASSIFY, Action.CALL_TAKE,
    Action.CALL_ASSIGN, Action.CALL_MOVE_LINE, Action.CALL_PAUSE, Action.CALL_RESOLVE,
    Action.CALL_CLOSE, Action.CALL_REOPEN, Action.CALL_LINK_CI, Action.PERSON_REGISTER,
    Action.CMDB_READ, Action.CMDB_WRITE, Action.P1_EVALUATE, Action.CHANGE_REGISTER,
    Action.CALL_ESCALATE, Action.PROBLEM_BUNDLE, Action.REPORT_READ,
    Action.STANDBY_LOG, Action.OFFLINE_EXPORT, Action.OFFLINE_IMPORT, Action.OFFLINE_RESOLVE,
    Action.ON_CALL_HANDOVER,
})

# What each role grants. Anything not listed is refused.
GRANTS: dict[OperatorRole, frozenset[Action]] = {
    OperatorRole.AGENT: _DESK_WORK,
    # Specialists carry changes out; they do not take calls from the phone.
    OperatorRole.SPECIALIST: (
        _DESK_WORK - {Action.CALL_REGISTER, Action.PERSON_REGISTER, Action.CHANGE_REGISTER}
    ) | {Action.CHANGE_MANAGE, Action.PROBLEM_MANAGE},
    OperatorRole.ON_CALL: frozenset({
        Action.CALL_READ, Action.CALL_REGISTER, Action.CALL_TAKE, Action.CALL_PAUSE,
        Action.CALL_RESOLVE, Action.CALL_LINK_CI, Action.CALL_RECLASSIFY,
        Action.PERSON_REGISTER, Action.CMDB_READ, Action.CALL_ESCALATE,
        Action.STANDBY_LOG, Action.OFFLINE_EXPORT, Action.ON_CALL_HANDOVER,
    }),
    OperatorRole.PROBLEM_MANAGER: frozenset({
        Action.CALL_READ, Action.CALL_LINK_CI, Action.CMDB_READ, Action.PROBLEM_BUNDLE,
        Action.PROBLEM_MANAGE, Action.CALL_RESOLVE,
    }),
    OperatorRole.CHANGE_MANAGER: frozenset({
        Action.CALL_READ, Action.CMDB_READ, Action.CMDB_WRITE, Action.CHANGE_REGISTER,
        Action.CHANGE_MANAGE,
    }),
    # Contract and information managers read their own organisation's calls only.
    OperatorRole.CONTRACT_MANAGER: frozenset(
        {Action.CALL_READ, Action.CMDB_READ, Action.REPORT_INVOICE, Action.REPORT_READ}
    ),
    OperatorRole.INFORMATION_MANAGER: frozenset(
        {Action.CALL_READ, Action.CMDB_READ, Action.REPORT_INVOICE, Action.REPORT_READ}
    ),
    OperatorRole.ADMINISTRATOR: frozenset({
        Action.CALL_READ, Action.CALL_ASSIGN, Action.CMDB_READ, Action.CMDB_WRITE,
        Action.CMDB_IMPORT, Action.REPORT_INVOICE, Action.P1_EVALUATE, Action.REPORT_READ,
        Action.OFFLINE_PREPARE, Action.OFFLINE_IMPORT, Action.OFFLINE_RESOLVE,
    }),
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

    def may(self, action: Action) -> bool:
        return self.active and any(action in GRANTS.get(role, ()) for role in self.roles)

    @property
    def sees_all_organisations(self) -> bool:
        """Desk staff see every participant; managers of a participant only their own."""
        return any(role not in _OWN_ORGANISATION_ONLY for role in self.roles)


def require(actor: Actor, action: Action, organisation_id: uuid.UUID | None = None) -> None:
    """Refuse (and log) unless the actor may do `action`, for `organisation_id` if given."""
    if not actor.active:
        _refuse(actor, action, "operator account is not active")
    if not actor.may(action):
        roles = ", ".join(sorted(actor.roles)) or "none"
        _refuse(actor, action, f"no role of {actor.login} (roles: {roles}) grants {action}")
    if (
        organisation_id is not None
        and not actor.sees_all_organisations
        and organisation_id != actor.organisation_id
    ):
        _refuse(actor, action, "only the operator's own organisation is visible")


def _refuse(actor: Actor, action: Action, reason: str) -> None:
    log.warning("refused %s for %s: %s", action, actor.login, reason)
    raise Refused(f"{action} refused: {reason}")
