"""All desk tables; importing this package registers them on `metadata`."""

from desk_tui.store.tables.audit import (
    AuditEntry,
    AuditHead,
    RolePermission,
    SecurityIncident,
    SecurityIncidentStep,
)
from desk_tui.store.tables.base import CENTRAL_SITE, Record, StoreModel, metadata
from desk_tui.store.tables.calls import Call, CallCi, CallHistory, CallPause, Category
from desk_tui.store.tables.changes import Change, ChangeCi
from desk_tui.store.tables.cmdb import (
    CiHistory,
    CiRelation,
    ConfigurationItem,
    Contract,
    ContractCi,
)
from desk_tui.store.tables.crisis import CrisisContact, CrisisContactKind, GripLevel
from desk_tui.store.tables.escalation import P1Evaluation
from desk_tui.store.tables.offline import (
    OfflineCallBase,
    OfflineConflict,
    OfflineImport,
    OfflineRecordBase,
    OfflineSite,
    StandbyEntry,
)
from desk_tui.store.tables.oncall import OnCallHandover
from desk_tui.store.tables.operators import Operator, OperatorRoleGrant
from desk_tui.store.tables.outbox import OutboxMessage
from desk_tui.store.tables.parties import Department, EscalationContact, Organisation, Person
from desk_tui.store.tables.privacy import PurgeRun
from desk_tui.store.tables.problems import Problem, ProblemCall
from desk_tui.store.tables.sequences import NumberSequence

__all__ = [
    "CENTRAL_SITE",
    "AuditEntry",
    "AuditHead",
    "Call",
    "CallCi",
    "CallHistory",
    "CallPause",
    "Category",
    "Change",
    "ChangeCi",
    "CiHistory",
    "CiRelation",
    "ConfigurationItem",
    "Contract",
    "ContractCi",
    "CrisisContact",
    "CrisisContactKind",
    "Department",
    "EscalationContact",
    "GripLevel",
    "NumberSequence",
    "OfflineCallBase",
    "OfflineConflict",
    "OfflineImport",
    "OfflineRecordBase",
    "OfflineSite",
    "OnCallHandover",
    "Operator",
    "OperatorRoleGrant",
    "Organisation",
    "OutboxMessage",
    "P1Evaluation",
    "Person",
    "Problem",
    "ProblemCall",
    "PurgeRun",
    "Record",
    "RolePermission",
    "SecurityIncident",
    "SecurityIncidentStep",
    "StandbyEntry",
    "StoreModel",
    "metadata",
]
