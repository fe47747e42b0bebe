"""How CMDB values read on screen: CI types, statuses, relations seen from either end,
attributes per CI type, dates and the day countdown of certificates and contracts.

Labels are msgids (N_), translated when drawn; stored values (enum values, attribute keys
the labels do not know) are shown as they are, made visible.
"""

from __future__ import annotations

import re
from datetime import date

from desk_tui.services.cmdb_views import Direction
from desk_tui.store.enums import CiHistoryField, CiRelationKind, CiStatus, CiType, ContractKind
from desk_tui.ui.formats import MONTHS
from desk_tui.ui.i18n import N_, _
from desk_tui.ui.text import visible

NONE_MARK = "—"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WARNING_DAYS = 30  # a certificate within this many days counts as due (the warning colour)

CI_TYPE_LABELS: dict[CiType, str] = {
    CiType.WERKPLEK: N_("Workstation"),
    CiType.LAPTOP: N_("Laptop"),
    CiType.SERVER: N_("Server"),
    CiType.APPLICATIE: N_("Application"),
    CiType.NETWERKAPPARAAT: N_("Network device"),
    CiType.TELEFOON: N_("Phone"),
    CiType.MOBIEL_APPARAAT: N_("Mobile device"),
    CiType.PRINTER: N_("Printer/MFP"),
    CiType.CERTIFICAAT: N_("Certificate"),
    CiType.LICENTIE: N_("Licence"),
}
CI_STATUS_LABELS: dict[CiStatus, str] = {
    CiStatus.GEPLAND: N_("planned"),
    CiStatus.IN_GEBRUIK: N_("in use"),
    CiStatus.IN_REPARATIE: N_("in repair"),
    CiStatus.VOORRAAD: N_("in stock"),
    CiStatus.UIT_GEBRUIK: N_("retired"),
}
# A relation read from the CI on screen: outgoing "this <kind> that", incoming the reverse.
RELATION_LABELS: dict[tuple[CiRelationKind, Direction], str] = {
    (CiRelationKind.RUNS_ON, Direction.OUTGOING): N_("runs on"),
    (CiRelationKind.RUNS_ON, Direction.INCOMING): N_("hosts"),
    (CiRelationKind.DEPENDS_ON, Direction.OUTGOING): N_("depends on"),
    (CiRelationKind.DEPENDS_ON, Direction.INCOMING): N_("needed by"),
    (CiRelationKind.CONNECTED_TO, Direction.OUTGOING): N_("connected to"),
    (CiRelationKind.CONNECTED_TO, Direction.INCOMING): N_("connected from"),
    (CiRelationKind.USED_BY, Direction.OUTGOING): N_("used by"),
    (CiRelationKind.USED_BY, Direction.INCOMING): N_("uses"),
}
CONTRACT_KIND_LABELS: dict[ContractKind, str] = {
    ContractKind.ONDERHOUD: N_("maintenance"),
    ContractKind.LICENTIE: N_("licences"),
    ContractKind.LEASE: N_("lease"),
    ContractKind.DIENSTVERLENING: N_("service"),
    ContractKind.CERTIFICAAT: N_("certificates"),
}
CI_HISTORY_LABELS: dict[CiHistoryField, str] = {
    CiHistoryField.CREATED: N_("Registered"),
    CiHistoryField.STATUS: N_("Status"),
    CiHistoryField.OWNER: N_("Owner"),
    CiHistoryField.ORGANISATION: N_("Organisation"),
    CiHistoryField.LOCATION: N_("Location"),
    CiHistoryField.CONFIGURATION: N_("Configuration"),
    CiHistoryField.EXPIRES_ON: N_("Expires"),
    CiHistoryField.RELATION: N_("Relation"),
    CiHistoryField.CONTRACT: N_("Contract"),
    CiHistoryField.IMPORTED: N_("Imported"),
    CiHistoryField.NOTE: N_("Note"),
}
ATTRIBUTE_LABELS: dict[str, str] = {
    "role": N_("Role"),
    "os": N_("Operating system"),
    "vcpu": N_("vCPUs"),
    "ram_gb": N_("Memory (GB)"),
    "virtual": N_("Virtual"),
    "kind": N_("Kind"),
    "model": N_("Model"),
    "firmware": N_("Firmware"),
    "vendor": N_("Vendor"),
    "version": N_("Version"),
    "users": N_("Users"),
    "environment": N_("Environment"),
    "subject": N_("Subject"),
    "common_name": N_("Common name"),
    "san": N_("Alternative names"),
    "valid_from": N_("Valid from"),
    "issuer": N_("Issuer"),
    "key": N_("Key"),
    "wildcard": N_("Wildcard"),
    "product": N_("Product"),
    "seats": N_("Seats"),
    "seats_in_use": N_("Seats in use"),
    "metric": N_("Licence metric"),
    "multifunctional": N_("Multifunctional"),
    "floor": N_("Floor"),
    "extension": N_("Extension"),
    "mdm": N_("Device management"),
    "imei": N_("IMEI"),
    "encrypted": N_("Encrypted"),
}
# Per type, the attributes that say most first; others follow in their stored order.
ATTRIBUTE_ORDER: dict[CiType, tuple[str, ...]] = {
    CiType.WERKPLEK: ("model", "os", "ram_gb", "encrypted"),
    CiType.LAPTOP: ("model", "os", "ram_gb", "encrypted"),
    CiType.SERVER: ("role", "os", "vcpu", "ram_gb", "virtual"),
    CiType.APPLICATIE: ("vendor", "version", "environment", "users"),
    CiType.NETWERKAPPARAAT: ("kind", "model", "firmware"),
    CiType.TELEFOON: ("extension", "model"),
    CiType.MOBIEL_APPARAAT: ("model", "imei", "mdm"),
    CiType.PRINTER: ("model", "multifunctional", "floor"),
    CiType.CERTIFICAAT: ("common_name", "subject", "san", "issuer", "valid_from", "key",
                         "wildcard"),
    CiType.LICENTIE: ("product", "vendor", "metric", "seats", "seats_in_use"),
}


def ci_type_label(ci_type: CiType | str) -> str:
    try:
        return _(CI_TYPE_LABELS[CiType(ci_type)])
    except ValueError:
        return visible(str(ci_type))


def ci_status_label(status: CiStatus | str) -> str:
    try:
        return _(CI_STATUS_LABELS[CiStatus(status)])
    except ValueError:
        return visible(str(status))


def relation_label(kind: CiRelationKind, direction: Direction) -> str:
    return _(RELATION_LABELS.get((kind, direction), kind.value))


def contract_kind_label(kind: ContractKind | str) -> str:
    try:
        return _(CONTRACT_KIND_LABELS[ContractKind(kind)])
    except ValueError:
        return visible(str(kind))


def attribute_value(value: object) -> str:
    """One stored attribute as text: yes/no for flags, lists joined, the rest as is."""
    if value is None or value == "":
        return NONE_MARK
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(attribute_value(item) for item in value)
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return short_date(date.fromisoformat(value))
        except ValueError:
            pass
    return visible(" ".join(str(value).split()))


def attribute_rows(ci_type: CiType, attributes: dict[str, object]) -> list[tuple[str, str]]:
    """(label, value) per attribute, the type's telling ones first."""
    order = ATTRIBUTE_ORDER.get(ci_type, ())
    keys = [key for key in order if key in attributes]
    keys += [key for key in attributes if key not in order]
    return [
        (_(ATTRIBUTE_LABELS[key]) if key in ATTRIBUTE_LABELS else visible(key),
         attribute_value(attributes[key]))
        for key in keys
    ]


def attribute_summary(attributes: dict[str, object], keys: tuple[str, ...]) -> str:
    """The values of `keys` that are set, joined: a one-line hint in a list."""
    return " · ".join(
        attribute_value(attributes[key]) for key in keys if attributes.get(key) not in (None, "")
    )


def short_date(day: date | None) -> str:
    """"30 nov 2026"; a dash when there is no date."""
    if day is None:
        return NONE_MARK
    return f"{day.day} {_(MONTHS[day.month - 1])} {day.year}"


def days_text(days_left: int) -> str:
    """A day countdown: "12 d" to go, "-3 d" expired three days ago."""
    return _("{n} d").format(n=days_left)


def days_state(days_left: int) -> str:
    """The queue's colour classes: expired breached, due within 30 days warning, else ok."""
    if days_left < 0:
        return "sla-breached"
    if days_left <= WARNING_DAYS:
        return "sla-warning"
    return "sla-ok"
