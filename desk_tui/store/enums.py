"""Vocabularies the tables store that the domain does not (yet) define.

Values are lowercase Dutch where the SLA has a term, hyphenated like the domain's own enums.
They are stored as text (no database enum type), but an older desk cannot read a value it
does not know: add a value together with a new (even empty) migration revision, so older
builds refuse the database as too new instead of failing on the row.
"""

from __future__ import annotations

from enum import StrEnum


class CallStatus(StrEnum):
    """The call's status flow (SPEC 1); `wacht` pauses the resolution clock."""

    GEREGISTREERD = "geregistreerd"
    IN_BEHANDELING = "in-behandeling"
    WACHT = "wacht"
    OPGELOST = "opgelost"
    GESLOTEN = "gesloten"


OPEN_CALL_STATUSES = (CallStatus.GEREGISTREERD, CallStatus.IN_BEHANDELING, CallStatus.WACHT)


class Channel(StrEnum):
    """How the caller reached the desk."""

    TELEFOON = "telefoon"
    SELFSERVICE = "selfservice"
    MAIL = "mail"
    BALIE = "balie"  # walk-in


class SupportLine(StrEnum):
    """The functional escalation ladder (SPEC 5)."""

    EERSTE_LIJN = "eerste-lijn"
    TWEEDE_LIJN = "tweede-lijn"
    SPECIALIST = "specialist"
    DERDE_LIJN = "derde-lijn"  # external supplier


class OperatorRole(StrEnum):
    AGENT = "agent"
    SPECIALIST = "specialist"
    ON_CALL = "on_call"
    PROBLEM_MANAGER = "problem_manager"
    CHANGE_MANAGER = "change_manager"
    CONTRACT_MANAGER = "contract_manager"
    INFORMATION_MANAGER = "information_manager"
    ADMINISTRATOR = "administrator"


class EscalationSide(StrEnum):
    """Which side of the hierarchical ladder a contact stands on (SPEC 5)."""

    DEELNEMER = "deelnemer"  # participant
    SERVICEDESK = "servicedesk"


class CiType(StrEnum):
    WERKPLEK = "werkplek"  # workstation
    LAPTOP = "laptop"
    SERVER = "server"
    APPLICATIE = "applicatie"
    NETWERKAPPARAAT = "netwerkapparaat"
    TELEFOON = "telefoon"
    MOBIEL_APPARAAT = "mobiel-apparaat"
    PRINTER = "printer"  # printers and multifunctionals
    CERTIFICAAT = "certificaat"
    LICENTIE = "licentie"


class CiStatus(StrEnum):
    GEPLAND = "gepland"
    IN_GEBRUIK = "in-gebruik"
    IN_REPARATIE = "in-reparatie"
    VOORRAAD = "voorraad"  # in stock
    UIT_GEBRUIK = "uit-gebruik"


class CiRelationKind(StrEnum):
    """Read as "from <kind> to": a database runs-on a server."""

    RUNS_ON = "runs-on"
    DEPENDS_ON = "depends-on"
    CONNECTED_TO = "connected-to"
    USED_BY = "used-by"


class ContractKind(StrEnum):
    ONDERHOUD = "onderhoud"  # maintenance and support of hardware or software
    LICENTIE = "licentie"  # software licences
    LEASE = "lease"
    DIENSTVERLENING = "dienstverlening"  # a service bought from a supplier
    CERTIFICAAT = "certificaat"  # certificates bought from an issuer


class ProblemStatus(StrEnum):
    OPEN = "open"
    IN_ONDERZOEK = "in-onderzoek"
    BEKENDE_FOUT = "bekende-fout"  # known error: cause found, workaround known
    OPGELOST = "opgelost"
    GESLOTEN = "gesloten"


class ChangeStatus(StrEnum):
    AANGEVRAAGD = "aangevraagd"
    GEWEIGERD = "geweigerd"  # refused, e.g. a personnel request from someone not designated
    GOEDGEKEURD = "goedgekeurd"
    GEPLAND = "gepland"
    IN_UITVOERING = "in-uitvoering"
    UITGEVOERD = "uitgevoerd"
    GEANNULEERD = "geannuleerd"
    GESLOTEN = "gesloten"


class HistoryField(StrEnum):
    """What a call-history row records a change of."""

    STATUS = "status"
    PRIORITY = "priority"
    IMPACT = "impact"
    URGENCY = "urgency"
    CALL_TYPE = "call_type"
    CATEGORY = "category"
    HANDLER = "handler"
    LINE = "line"
    HANDLED_BY = "handled_by"
    ESCALATION_LEVEL = "escalation_level"
    NOTE = "note"


class CiHistoryField(StrEnum):
    """What a CI-history row records a change of."""

    CREATED = "created"
    STATUS = "status"
    OWNER = "owner"
    ORGANISATION = "organisation"
    LOCATION = "location"
    CONFIGURATION = "configuration"
    EXPIRES_ON = "expires_on"
    RELATION = "relation"
    CONTRACT = "contract"
    IMPORTED = "imported"
    NOTE = "note"


class BreachStep(StrEnum):
    """The data-breach protocol (Incident Management Responseplan of the data-processor
    statement), in its order."""

    IDENTIFICATIE = "identificatie"
    INDAMMING = "indamming"  # containment
    HERSTEL = "herstel"  # remediation and recovery
    KENNISGEVING = "kennisgeving"  # notification, within 72 hours of discovery
    RAPPORTAGE = "rapportage-evaluatie"  # reporting and evaluation
