"""Supplier contracts and the CIs they cover (SPEC 8): each participant's hardware
maintenance, licences, telephony and printer lease, and the servicedesk's own contracts
(organisation None) for certificates, network, servers and platform software.

End dates are fixed offsets from the demo's today, so every demo has contracts ending
within 30, 60 and 90 days, some renewing by themselves and some that must be acted on.
A contract links at most LINKED_SAMPLE items: enough to browse, quick to build.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from desk_tui.demo.cmdb import CmdbRows
from desk_tui.demo.cmdb_catalogue import PKIOVERHEID, SECTIGO
from desk_tui.demo.organisations import OWN_CODE
from desk_tui.demo.world import OrganisationInfo, Row, World, record
from desk_tui.store.enums import CiStatus, CiType, ContractKind

LINKED_SAMPLE = 250
Covers = Callable[[CmdbRows, uuid.UUID | None], list[Row]]


@dataclass(slots=True)
class ContractRows:
    contracts: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)  # contract_ci


@dataclass(frozen=True, slots=True)
class ContractSpec:
    """One contract; `{name}` in the title is the organisation's name. `ends_in` holds the
    days from today to the end date, per participant in turn (None: until cancelled)."""

    title: str
    suppliers: tuple[str, ...]  # per participant in turn
    kind: ContractKind
    years: int
    ends_in: tuple[int | None, ...]
    notice_months: int
    renews: tuple[bool, ...]
    covers: Covers
    # Made only for participants that use one of these applications.
    requires: tuple[str, ...] = ()


def _items(*types: CiType, where: Callable[[Row], bool] = lambda _row: True) -> Covers:
    """The organisation's items of `types` that pass `where`."""
    def covers(cmdb: CmdbRows, organisation_id: uuid.UUID | None) -> list[Row]:
        return [
            row for ci_type in types for row in cmdb.of_type.get((organisation_id, ci_type), [])
            if where(row)
        ]
    return covers


def _everywhere(*types: CiType, where: Callable[[Row], bool] = lambda _row: True) -> Covers:
    """Items of `types` of every organisation and the servicedesk (the servicedesk buys
    and manages them for all)."""
    def covers(cmdb: CmdbRows, _organisation_id: uuid.UUID | None) -> list[Row]:
        return [
            row for (_, ci_type), rows in cmdb.of_type.items() if ci_type in types
            for row in rows if where(row)
        ]
    return covers


def _attribute(key: str, *values: object) -> Callable[[Row], bool]:
    return lambda row: row["attributes"].get(key) in values


def _named(*prefixes: str) -> Callable[[Row], bool]:
    return lambda row: row["name"].startswith(prefixes)


PARTICIPANT_CONTRACTS = (
    ContractSpec(
        "Hardware-onderhoud werkplekken en laptops {name}",
        ("Dell Technologies (via Bechtle)", "HP Inc. (via Centralpoint)"),
        ContractKind.ONDERHOUD, 4, (520, 45, 800, 300), 3, (False,),
        _items(CiType.WERKPLEK, CiType.LAPTOP),
    ),
    ContractSpec(
        "Microsoft 365-licenties {name}", ("SoftwareONE",), ContractKind.LICENTIE, 1,
        (20, 200, 140, 260), 1, (True,),
        _items(CiType.LICENTIE, CiType.APPLICATIE, where=_named("Microsoft 365")),
    ),
    ContractSpec(
        "Centric Key2 en Suite4 {name}", ("Centric Public Sector Solutions",),
        ContractKind.LICENTIE, 3, (400, 75, 610, 70), 6, (True, False),
        _items(CiType.APPLICATIE, CiType.LICENTIE,
               where=lambda row: row["attributes"].get("vendor") == "Centric"),
        ("Key2Burgerzaken", "Suite4 Sociaal Domein"),
    ),
    ContractSpec(
        "Onderhoud en support Decos JOIN {name}", ("Decos",), ContractKind.ONDERHOUD, 3,
        (None,), 3, (False,), _items(CiType.APPLICATIE, where=_named("Decos JOIN")),
        ("Decos JOIN",),
    ),
    ContractSpec(
        "Mobiele telefonie {name}", ("Vodafone Business", "KPN Zakelijk"),
        ContractKind.DIENSTVERLENING, 2, (330, 500, 88, 650), 3, (False,),
        _items(CiType.MOBIEL_APPARAAT),
    ),
    ContractSpec(
        "Lease multifunctionals {name}", ("Canon Nederland",), ContractKind.LEASE, 5,
        (900, 560, 380, 120), 6, (False,),
        _items(CiType.PRINTER, where=_attribute("multifunctional", True)),
    ),
)
SERVICEDESK_CONTRACTS = (
    ContractSpec(
        "TLS-certificaten", ("Sectigo (via Xolphin)",), ContractKind.CERTIFICAAT, 3, (230,),
        3, (True,), _everywhere(CiType.CERTIFICAAT, where=_attribute("issuer", SECTIGO)),
    ),
    ContractSpec(
        "PKIoverheid-servercertificaten", ("KPN",), ContractKind.CERTIFICAAT, 2, (55,), 3,
        (False,), _everywhere(CiType.CERTIFICAAT, where=_attribute("issuer", PKIOVERHEID)),
    ),
    ContractSpec(
        "Netwerkbeheer en onderhoud Aruba", ("Axians",), ContractKind.ONDERHOUD, 3, (410,),
        6, (True,), _everywhere(CiType.NETWERKAPPARAAT,
                                where=_attribute("kind", "switch", "access point",
                                                 "core switch")),
    ),
    ContractSpec(
        "Onderhoud en updates FortiGate-firewalls", ("Fortinet (via Proact)",),
        ContractKind.ONDERHOUD, 1, (28,), 2, (True,),
        _items(CiType.NETWERKAPPARAAT, where=_attribute("kind", "firewall")),
    ),
    ContractSpec(
        "Hardware-onderhoud servers", ("Hewlett Packard Enterprise",), ContractKind.ONDERHOUD,
        5, (170,), 3, (False,), _items(CiType.SERVER, where=_attribute("virtual", False)),
    ),
    ContractSpec(
        "VMware vSphere Foundation", ("Broadcom (via SoftwareONE)",), ContractKind.LICENTIE,
        1, (62,), 3, (False,), _items(CiType.SERVER, where=_attribute("virtual", False)),
    ),
    ContractSpec(
        "Citrix Virtual Apps and Desktops", ("Cloud Software Group (via SLTN)",),
        ContractKind.LICENTIE, 3, (310,), 3, (False,),
        _items(CiType.APPLICATIE, where=_named("Citrix")),
    ),
    ContractSpec(
        "Veeam Data Platform", ("Veeam (via Bechtle)",), ContractKind.LICENTIE, 1, (95,), 1,
        (True,), _items(CiType.APPLICATIE, where=_named("Veeam")),
    ),
    ContractSpec(
        "Onderhoud Topdesk", ("Topdesk",), ContractKind.ONDERHOUD, 6, (None,), 6, (False,),
        _items(CiType.APPLICATIE, where=_named("Topdesk")),
    ),
)


def build_contracts(world: World, cmdb: CmdbRows) -> ContractRows:
    """The contracts of every organisation and of the servicedesk, with their items."""
    rows = ContractRows()
    today = world.now.date()
    participants = [organisation for organisation in world.organisations
                    if not organisation.own]
    for spec in PARTICIPANT_CONTRACTS:
        turn = 0
        for organisation in participants:
            if spec.requires and not set(spec.requires) & set(organisation.applications):
                continue
            _add(world, rows, cmdb, spec, organisation, turn, today)
            turn += 1
    for spec in SERVICEDESK_CONTRACTS:
        _add(world, rows, cmdb, spec, None, 0, today)
    return rows


def _add(world: World, rows: ContractRows, cmdb: CmdbRows, spec: ContractSpec,
         organisation: OrganisationInfo | None, turn: int, today: date) -> None:
    ended = None if organisation is None or organisation.calls_until is None else (
        organisation.calls_until.date())
    offset = spec.ends_in[turn % len(spec.ends_in)]
    renews = spec.renews[turn % len(spec.renews)]
    if ended is not None:  # the participant left: its contracts ended with it
        ends_on: date | None = ended
        renews = False
    else:
        ends_on = None if offset is None else today + timedelta(days=offset)
    starts_on = _years_before(ends_on or today - timedelta(days=400), spec.years)
    supplier = spec.suppliers[turn % len(spec.suppliers)]
    name = "SSC DeSom" if organisation is None else organisation.name
    code = OWN_CODE if organisation is None else organisation.code
    contract = record(world) | {
        "number": f"{code}-{starts_on.year}-{len(rows.contracts) + 1:03d}",
        "title": spec.title.format(name=name),
        "supplier": supplier,
        "kind": spec.kind,
        "organisation_id": None if organisation is None else organisation.id,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "notice_months": spec.notice_months,
        "renews_automatically": renews,
        "notes": _terms(spec, renews, ends_on),
    }
    rows.contracts.append(contract)
    covered = spec.covers(cmdb, None if organisation is None else organisation.id)
    if ended is None:  # a running contract covers what is not out of service
        covered = [row for row in covered if row["status"] is not CiStatus.UIT_GEBRUIK]
    for item in _sample(world, covered):
        rows.links.append({"contract_id": contract["id"], "ci_id": item["id"]})


def _sample(world: World, items: Sequence[Row]) -> Sequence[Row]:
    if len(items) <= LINKED_SAMPLE:
        return items
    return sorted(world.rng.sample(list(items), LINKED_SAMPLE), key=lambda row: row["name"])


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _terms(spec: ContractSpec, renews: bool, ends_on: date | None) -> str:
    if ends_on is None:
        return f"Loopt tot opzegging; opzegtermijn {spec.notice_months} maanden."
    if renews:
        return (f"Wordt stilzwijgend met een jaar verlengd, tenzij uiterlijk "
                f"{spec.notice_months} maanden voor de einddatum opgezegd.")
    return (f"Eindigt op de einddatum; verlenging of aanbesteding tijdig voorbereiden "
            f"(opzegtermijn {spec.notice_months} maanden).")
