"""Configuration items and their relations (SPEC 8): the servicedesk's own datacentre
(organisation None), each participant's applications, sites and devices.

Every item carries what the invoice and the watch lists read (configuration, service
period, expiry) and the search text the services would have written for it; relations
chain far enough for an impact view to mean something (a host carries virtual machines
that carry applications other applications lean on; a core switch feeds site switches
that feed workplaces).
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from desk_tui.demo.ci_history import StatusChange, build_ci_history
from desk_tui.demo.cmdb_catalogue import (
    APPLICATIONS,
    CERTIFICATE_DAYS,
    CERTIFICATE_HOSTS,
    CITRIX,
    DEVICE_CONFIGURATIONS,
    ENVIRONMENTS,
    HOST_MODELS,
    HOST_PART,
    LICENCE_PRODUCTS,
    RETIRED_SERVER_OS,
    ROLE_CODE,
    SERVER_OS,
    SERVER_ROLES,
    SIGN_IN,
    TAG_PREFIX,
    VMS_PER_HOST,
    DeviceConfiguration,
)
from desk_tui.demo.texts import FLOORS
from desk_tui.demo.world import OrganisationInfo, PersonInfo, Row, World, apportion, record
from desk_tui.store.enums import CiRelationKind, CiStatus, CiType
from desk_tui.store.search import ci_search_text

# (share of all CIs, minimum when the demo is not tiny): the infrastructure.
STRUCTURE: dict[CiType, tuple[float, int]] = {
    CiType.APPLICATIE: (0.03, 6),
    CiType.SERVER: (0.05, 4),
    CiType.NETWERKAPPARAAT: (0.04, 3),
    CiType.CERTIFICAAT: (0.02, 6),
    CiType.LICENTIE: (0.015, 3),
    CiType.PRINTER: (0.05, 3),
}
# The rest are end-user devices, in these proportions.
ENDPOINTS: dict[CiType, float] = {
    CiType.WERKPLEK: 0.40,
    CiType.LAPTOP: 0.28,
    CiType.TELEFOON: 0.16,
    CiType.MOBIEL_APPARAAT: 0.16,
}
# Items a call can be about: what is out of service or not yet delivered is not.
LIVE = frozenset({CiStatus.IN_GEBRUIK, CiStatus.IN_REPARATIE})
SERIAL_CHARACTERS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


@dataclass(slots=True)
class CmdbRows:
    items: list[Row]
    relations: list[Row]
    # Items by (organisation id, type): contracts are drawn from them.
    of_type: dict[tuple[uuid.UUID | None, CiType], list[Row]] = field(default_factory=dict)
    status_changes: list[StatusChange] = field(default_factory=list)
    history: list[Row] = field(default_factory=list)  # ci_history rows


def plan_counts(total: int) -> dict[CiType, int]:
    """How many CIs of each type make up `total`."""
    if total <= 0:
        return {}
    structure = {kind: max(minimum, round(share * total)) for kind, (share, minimum)
                 in STRUCTURE.items()}
    if sum(structure.values()) > total * 0.6:  # a tiny CMDB: shares only
        structure = {kind: int(share * total) for kind, (share, _) in STRUCTURE.items()}
    kinds = list(ENDPOINTS)
    endpoints = apportion(total - sum(structure.values()), [ENDPOINTS[k] for k in kinds])
    return structure | dict(zip(kinds, endpoints, strict=True))


class _Builder:
    """Makes the CI rows of one demo; keeps the rows relations are drawn from."""

    def __init__(self, world: World, logins: Mapping[uuid.UUID, str | None]) -> None:
        self.world = world
        self.rng = world.rng
        self.today = world.now.date()
        self.logins = logins
        self.rows = CmdbRows([], [])
        self.tag_counters: dict[CiType, int] = {}
        self.by_name: dict[tuple[uuid.UUID | None, str], Row] = {}
        self.gear: dict[str, list[Row]] = {}

    @staticmethod
    def organisation_id(organisation: OrganisationInfo) -> uuid.UUID | None:
        return None if organisation.own else organisation.id

    def add(
        self, ci_type: CiType, name: str, organisation: OrganisationInfo, *,
        owner: PersonInfo | None = None, location: str | None = None,
        attributes: dict[str, Any] | None = None, hostname: str | None = None,
        ip_address: str | None = None, status: CiStatus = CiStatus.IN_GEBRUIK,
        configuration: str | None = None, in_service_on: date | None = None,
        retired_on: date | None = None, expires_on: date | None = None,
        tagged: bool = True, serial: str | None = None, note: str = "",
    ) -> Row:
        """One item; `note` says why it went out of service when `retired_on` is set."""
        organisation_id = self.organisation_id(organisation)
        asset_tag = None
        if tagged and ci_type in TAG_PREFIX:
            number = self.tag_counters.get(ci_type, 0) + 1
            self.tag_counters[ci_type] = number
            asset_tag = f"{TAG_PREFIX[ci_type]}-{number:06d}"
            serial = "".join(self.rng.choices(SERIAL_CHARACTERS, k=10))
        live = status in LIVE
        # What a status change starts from: an item taken out was in use until then.
        former = CiStatus.IN_GEBRUIK if status is CiStatus.UIT_GEBRUIK else status
        if organisation.calls_until is not None:  # the contract ended: all went out then
            ended = organisation.calls_until.date()
            status, retired_on, note = CiStatus.UIT_GEBRUIK, ended, "Contract beëindigd"
            if in_service_on is not None and in_service_on >= ended:
                in_service_on = ended - timedelta(days=1 + self.rng.randrange(300))
        row = record(self.world) | {
            "ci_type": ci_type,
            "name": name,
            "asset_tag": asset_tag,
            "serial_number": serial,
            "hostname": hostname,
            "ip_address": ip_address,
            "location": location,
            "status": status,
            "owner_id": owner.id if owner else None,
            "organisation_id": organisation_id,
            "attributes": attributes or {},
            "expires_on": expires_on,
            "notes": None,
            "configuration": configuration,
            "in_service_on": in_service_on,
            "retired_on": retired_on,
            "external_ref": None,
            "search_text": ci_search_text(
                name=name, asset_tag=asset_tag, serial_number=serial, hostname=hostname,
                ip_address=ip_address, location=location, configuration=configuration,
                owner_name=owner.name if owner else None,
                owner_login=self.logins.get(owner.id) if owner else None,
                organisation_name=None if organisation.own else organisation.name,
                organisation_code=None if organisation.own else organisation.code,
            ),
        }
        self.rows.items.append(row)
        self.rows.of_type.setdefault((organisation_id, ci_type), []).append(row)
        if retired_on is not None:
            self.rows.status_changes.append(StatusChange(row, former, retired_on, note))
        elif status is CiStatus.IN_REPARATIE:
            sent = self.today - timedelta(days=self.rng.randrange(1, 21))
            self.rows.status_changes.append(StatusChange(
                row, CiStatus.IN_GEBRUIK, sent, "Ingestuurd voor reparatie"))
        if live:  # the ended participant's items were live while it made calls
            self.world.cis.add(row["id"], organisation_id, ci_type, owner.id if owner else None)
        return row

    def relate(self, source: Row, target: Row, kind: CiRelationKind) -> None:
        self.rows.relations.append(record(self.world, source["created_at"]) | {
            "from_ci_id": source["id"], "to_ci_id": target["id"], "kind": kind,
        })

    def of(self, organisation_id: uuid.UUID | None, ci_type: CiType) -> list[Row]:
        return self.rows.of_type.get((organisation_id, ci_type), [])

    def own_gear(self, purpose: str) -> list[Row]:
        """The servicedesk's domain controllers ("sts") or firewalls ("vpn")."""
        if purpose not in self.gear:
            if purpose == "sts":
                self.gear[purpose] = [
                    row for row in self.of(None, CiType.SERVER)
                    if row["attributes"]["role"] == "domeincontroller" and row["status"] in LIVE
                ]
            else:
                self.gear[purpose] = [row for row in self.of(None, CiType.NETWERKAPPARAAT)
                                      if row["attributes"]["kind"] == "firewall"]
        return self.gear[purpose]

    def in_service_since(self, low_days: int, high_days: int) -> date:
        return self.today - timedelta(days=self.rng.randrange(low_days, high_days))

    def retirement(self) -> tuple[date, date]:
        """(in service on, retired on) of an item taken out within the past year."""
        retired = self.today - timedelta(days=self.rng.randrange(1, 380))
        return retired - timedelta(days=self.rng.randrange(3 * 365, 6 * 365)), retired


def build_cmdb(
    world: World, total: int, logins: Mapping[uuid.UUID, str | None] | None = None
) -> CmdbRows:
    """`total` items and their relations; `logins` (person id → login) goes into the
    search text of the items people own."""
    builder = _Builder(world, logins or {})
    counts = plan_counts(total)
    own = next(organisation for organisation in world.organisations if organisation.own)
    _servers(builder, own, counts.get(CiType.SERVER, 0))
    _network(builder, own, counts.get(CiType.NETWERKAPPARAAT, 0))
    _applications(builder, counts.get(CiType.APPLICATIE, 0))
    _certificates(builder, counts.get(CiType.CERTIFICAAT, 0))
    _licences(builder, counts.get(CiType.LICENTIE, 0))
    for ci_type in (CiType.PRINTER, *ENDPOINTS):
        _devices(builder, ci_type, counts.get(ci_type, 0))
    rows = builder.rows
    rows.history = build_ci_history(world, rows.items, rows.status_changes)
    return rows


def _ip(block: int, index: int) -> str:
    return f"10.{block}.{(index // 250) % 250}.{index % 250 + 2}"


def _servers(builder: _Builder, own: OrganisationInfo, count: int) -> None:
    """Physical hosts in both datacentres, each carrying about VMS_PER_HOST virtual
    machines (a machine lives where its host stands)."""
    rng = builder.rng
    numbers: dict[str, int] = {}
    hosts: list[Row] = []
    placed: list[tuple[Row, int]] = []  # virtual machine, the number of its host
    host_count = (count + VMS_PER_HOST) // (VMS_PER_HOST + 1)
    for index in range(count):
        physical = index % (VMS_PER_HOST + 1) == 0
        role = "hypervisor" if physical else SERVER_ROLES[
            (index - len(hosts)) % len(SERVER_ROLES)]
        numbers[role] = numbers.get(role, 0) + 1
        hostname = f"dsm-{ROLE_CODE[role]}-{numbers[role]:03d}"
        host_number = len(hosts) if physical else rng.randrange(host_count)
        status, in_service, retired, note = CiStatus.IN_GEBRUIK, None, None, ""
        if not physical and index % 40 == 39:
            status = CiStatus.UIT_GEBRUIK
            note = "Uitgefaseerd: besturingssysteem niet meer ondersteund"
            in_service, retired = builder.retirement()
        elif not physical and index % 50 == 49:
            status = CiStatus.GEPLAND
        else:
            in_service = builder.in_service_since(365 if physical else 30, 5 * 365)
        attributes: dict[str, Any] = {
            "role": role,
            "os": "VMware ESXi 8.0" if physical else (
                RETIRED_SERVER_OS if retired else rng.choice(SERVER_OS)),
            "vcpu": rng.choice((32, 48, 64) if physical else (2, 4, 8, 16)),
            "ram_gb": rng.choice((512, 768, 1024) if physical else (8, 16, 32, 64)),
            "virtual": not physical,
        }
        if physical:
            attributes["model"] = rng.choice(HOST_MODELS)
        row = builder.add(
            CiType.SERVER, hostname.upper(), own, hostname=hostname,
            ip_address=_ip(10, index), location=own.locations[1 + host_number % 2],
            attributes=attributes, status=status, tagged=physical,
            configuration="fysiek" if physical else "virtueel",
            in_service_on=in_service, retired_on=retired, note=note,
        )
        if physical:
            hosts.append(row)
        elif status is not CiStatus.UIT_GEBRUIK:
            placed.append((row, host_number))
        if status in LIVE:
            builder.world.cis.servers.append(hostname)
    for machine, host_number in placed:
        builder.relate(machine, hosts[host_number], CiRelationKind.RUNS_ON)


def _network(builder: _Builder, own: OrganisationInfo, count: int) -> None:
    """The datacentres' core switches and firewalls; switches and access points at every
    site, the switches uplinked to a core switch, the access points to a switch."""
    sites = [(own, location) for location in own.locations[1:]] + [
        (organisation, location) for organisation in builder.world.organisations
        if not organisation.own for location in organisation.locations
    ]
    rows: list[tuple[str, Row]] = []
    for index in range(count):
        organisation, location = sites[index % len(sites)]
        if organisation.own:
            kind, model = ("core switch", "Aruba 8325") if index % 2 else ("firewall",
                                                                           "FortiGate 200F")
        else:
            kind, model = builder.rng.choice((("switch", "Aruba 6300M"),
                                              ("access point", "Aruba AP-535")))
        hostname = f"{organisation.code.lower()}-{HOST_PART[kind]}-{index + 1:03d}"
        row = builder.add(
            CiType.NETWERKAPPARAAT, f"{kind.capitalize()} {location}", organisation,
            hostname=hostname, ip_address=_ip(20, index), location=location,
            attributes={"kind": kind, "model": model, "firmware": "10.13.1000"},
            configuration=kind, in_service_on=builder.in_service_since(365, 7 * 365),
        )
        rows.append((kind, row))
    core = [row for kind, row in rows if kind == "core switch"]
    firewalls = [row for kind, row in rows if kind == "firewall"]
    switches: dict[tuple[Any, str | None], list[Row]] = {}
    for kind, row in rows:
        if kind == "switch":
            switches.setdefault((row["organisation_id"], row["location"]), []).append(row)
    for server in builder.of(None, CiType.SERVER):
        if not server["attributes"]["virtual"] and (core or firewalls):
            builder.relate(server, builder.rng.choice(core or firewalls),
                           CiRelationKind.CONNECTED_TO)
    for kind, row in rows:
        if kind == "switch" and (core or firewalls):
            builder.relate(row, builder.rng.choice(core or firewalls),
                           CiRelationKind.CONNECTED_TO)
        elif kind == "access point":
            uplinks = switches.get((row["organisation_id"], row["location"])) or core
            if uplinks:
                builder.relate(row, builder.rng.choice(uplinks), CiRelationKind.CONNECTED_TO)
        elif kind == "core switch" and firewalls:
            builder.relate(row, builder.rng.choice(firewalls), CiRelationKind.CONNECTED_TO)


def _applications(builder: _Builder, count: int) -> None:
    """Each organisation's applications per environment, on our servers unless bought as
    a service, leaning on each other, on sign-in (Entra ID) and on Citrix."""
    # The platform everything leans on first, then round the organisations, so even a
    # small CMDB has applications for each.
    organisations = builder.world.organisations
    own = next(organisation for organisation in organisations if organisation.own)
    platform = [(own, name) for name in (SIGN_IN, CITRIX) if name in own.applications]
    longest = max((len(organisation.applications) for organisation in organisations), default=0)
    pairs = platform + [
        (organisation, organisation.applications[rank]) for rank in range(longest)
        for organisation in organisations if rank < len(organisation.applications)
        and (organisation, organisation.applications[rank]) not in platform
    ]
    servers = [s for s in builder.of(None, CiType.SERVER) if s["status"] in LIVE]
    by_role: dict[str, list[Row]] = {}
    for server in servers:
        by_role.setdefault(server["attributes"]["role"], []).append(server)
    made: list[tuple[OrganisationInfo, str, str, Row]] = []
    for index in range(count):
        organisation, application = pairs[index % len(pairs)]
        round_ = index // len(pairs)
        environment = (ENVIRONMENTS[round_] if round_ < len(ENVIRONMENTS)
                       else f" omgeving {round_}")
        facts = APPLICATIONS[application]
        cloud = facts.version == "cloud"
        row = builder.add(
            CiType.APPLICATIE, f"{application} {organisation.code}{environment}", organisation,
            tagged=False, configuration="saas" if cloud else "gehost",
            in_service_on=builder.in_service_since(180, 8 * 365),
            attributes={"vendor": facts.vendor, "version": facts.version,
                        "users": builder.rng.randrange(5, 150),
                        "environment": environment.strip() or "productie"},
        )
        made.append((organisation, application, environment, row))
        builder.by_name[(row["organisation_id"], application + environment)] = row
        if not cloud:
            role = "citrix" if application == CITRIX else "applicatie"
            hosts = by_role.get(role) or by_role.get("applicatie") or servers
            if hosts:
                builder.relate(row, builder.rng.choice(hosts), CiRelationKind.RUNS_ON)
        if facts.has_database and by_role.get("database"):
            builder.relate(row, builder.rng.choice(by_role["database"]),
                           CiRelationKind.DEPENDS_ON)
    sign_in = builder.by_name.get((None, SIGN_IN))
    citrix = builder.by_name.get((None, CITRIX))
    for _organisation, application, environment, row in made:
        facts = APPLICATIONS[application]
        organisation_id = row["organisation_id"]
        needed = [  # the same environment's, else production's
            builder.by_name.get((organisation_id, name + environment))
            or builder.by_name.get((organisation_id, name))
            for name in facts.depends_on
        ]
        if facts.via_citrix:
            needed.append(citrix)
        if application != SIGN_IN:
            needed.append(sign_in)
        for target in needed:
            if target is not None and target is not row:
                builder.relate(row, target, CiRelationKind.DEPENDS_ON)


def _expiry_days(index: int, rng: random.Random) -> int:
    """Days until a certificate expires: a few are late, a tenth falls in each of the
    30/60/90-day watch windows, most run longer. The first four cover every case."""
    if index % 40 == 3:
        return -rng.randrange(1, 30)
    bucket = index % 10
    if bucket == 0:
        return rng.randrange(1, 31)
    if bucket == 1:
        return rng.randrange(31, 61)
    if bucket == 2:
        return rng.randrange(61, 91)
    return rng.randrange(91, CERTIFICATE_DAYS - 1)


def _certificates(builder: _Builder, count: int) -> None:
    organisations = builder.world.organisations
    hosts = CERTIFICATE_HOSTS
    for index in range(count):
        organisation = organisations[index % len(organisations)]
        host = hosts[(index // len(organisations)) % len(hosts)]
        round_ = index // (len(organisations) * len(hosts))
        label = host.label
        if round_:
            label = f"*.omgeving{round_ + 1}" if label == "*" else f"{label}{round_ + 1}"
        common_name = f"{label}.{organisation.domain}"
        alternatives = [common_name]
        if host.label in ("*", "www"):
            alternatives.append(organisation.domain)
        elif host.label == "mail":
            alternatives.append(f"autodiscover.{organisation.domain}")
        expires = builder.today + timedelta(days=_expiry_days(index, builder.rng))
        issued = expires - timedelta(days=CERTIFICATE_DAYS)
        row = builder.add(
            CiType.CERTIFICAAT, f"Certificaat {common_name}", organisation, tagged=False,
            serial=f"{builder.rng.getrandbits(64):016X}", expires_on=expires,
            in_service_on=issued, configuration=host.configuration,
            attributes={"issuer": host.issuer, "common_name": common_name,
                        "san": alternatives, "key": builder.rng.choice(("RSA 3072",
                                                                        "ECDSA P-256")),
                        "valid_from": issued.isoformat(), "wildcard": host.label == "*"},
        )
        user = _certificate_user(builder, organisation, host.used_by)
        if user is not None:
            builder.relate(row, user, CiRelationKind.USED_BY)


def _certificate_user(builder: _Builder, organisation: OrganisationInfo,
                      used_by: str) -> Row | None:
    """The application, server or firewall presenting the certificate."""
    if used_by in ("sts", "vpn"):
        candidates = builder.own_gear(used_by)
        return builder.rng.choice(candidates) if candidates else None
    organisation_id = builder.organisation_id(organisation)
    found = builder.by_name.get((organisation_id, used_by))
    if found is None:
        applications = builder.of(organisation_id, CiType.APPLICATIE)
        found = builder.rng.choice(applications) if applications else None
    return found


def _licences(builder: _Builder, count: int) -> None:
    organisations = builder.world.organisations
    for index in range(count):
        organisation = organisations[index % len(organisations)]
        product = LICENCE_PRODUCTS[(index // len(organisations)) % len(LICENCE_PRODUCTS)]
        expires = builder.today + timedelta(
            days=builder.rng.randrange(20, min(400, product.term_days)))
        seats = builder.rng.choice((25, 50, 100, 250, 500))
        in_use = builder.rng.randrange(seats // 2, seats + 1)
        row = builder.add(
            CiType.LICENTIE, f"{product.product} ({organisation.code})", organisation,
            tagged=False, expires_on=expires, configuration=product.metric,
            in_service_on=expires - timedelta(days=product.term_days),
            attributes={"product": product.product, "vendor": product.vendor,
                        "seats": seats, "seats_in_use": in_use,
                        "metric": product.metric},
        )
        if product.application is not None:
            application = builder.by_name.get((row["organisation_id"], product.application))
            if application is not None:
                builder.relate(row, application, CiRelationKind.USED_BY)


def _devices(builder: _Builder, ci_type: CiType, count: int) -> None:
    """End-user devices and printers, spread over organisations by head count; the
    workplaces and printers on a switch at their site."""
    rng = builder.rng
    organisations = builder.world.organisations
    weights = [max(1, len(organisation.people)) for organisation in organisations]
    configurations = DEVICE_CONFIGURATIONS[ci_type]
    cumulative = list(accumulate(configuration.share for configuration in configurations))
    uplinks = _uplinks(builder)
    citrix = builder.by_name.get((None, CITRIX))
    for index, organisation in enumerate(_weighted(rng, organisations, weights, count)):
        # random.choices(weights=...) per item costs seconds over 100k items
        configuration = configurations[
            bisect(cumulative, rng.random() * cumulative[-1], 0, len(cumulative) - 1)]
        site = rng.choice(organisation.locations)
        status = _device_status(rng)
        in_service, retired, note = _device_dates(builder, status)
        owner = None
        if ci_type is not CiType.PRINTER and status not in (CiStatus.VOORRAAD,
                                                            CiStatus.UIT_GEBRUIK):
            owner = rng.choice(organisation.people) if organisation.people else None
        name, hostname, ip_address, location, attributes = _device_facts(
            builder, ci_type, configuration, organisation, site, index)
        row = builder.add(
            ci_type, name, organisation, owner=owner, location=location, hostname=hostname,
            ip_address=ip_address, attributes=attributes, status=status,
            configuration=configuration.name, in_service_on=in_service, retired_on=retired,
            tagged=configuration.name != "softphone", note=note,
        )
        if ci_type in (CiType.WERKPLEK, CiType.PRINTER) and status is not CiStatus.UIT_GEBRUIK:
            organisation_id = row["organisation_id"]
            switches = uplinks.get((organisation_id, site)) or uplinks.get(organisation_id)
            if switches:
                builder.relate(row, rng.choice(switches), CiRelationKind.CONNECTED_TO)
        if configuration.name == "thin client" and citrix is not None and status in LIVE:
            builder.relate(citrix, row, CiRelationKind.USED_BY)


def _uplinks(builder: _Builder) -> dict[Any, list[Row]]:
    """Switches by (organisation, site) and by organisation; access points or any network
    gear where an organisation has no switch."""
    found: dict[Any, list[Row]] = {}
    fallback: dict[Any, list[Row]] = {}
    for (organisation_id, ci_type), rows in builder.rows.of_type.items():
        if ci_type is not CiType.NETWERKAPPARAAT:
            continue
        for row in rows:
            if row["attributes"]["kind"] in ("switch", "core switch"):
                found.setdefault((organisation_id, row["location"]), []).append(row)
                found.setdefault(organisation_id, []).append(row)
            fallback.setdefault(organisation_id, []).append(row)
    for organisation_id, rows in fallback.items():
        found.setdefault(organisation_id, rows)
    return found


def _device_facts(
    builder: _Builder, ci_type: CiType, configuration: DeviceConfiguration,
    organisation: OrganisationInfo, site: str, index: int,
) -> tuple[str, str | None, str | None, str, dict[str, Any]]:
    """Name, hostname, IP address, location and attributes of one device."""
    rng = builder.rng
    model = rng.choice(configuration.models)
    prefix = TAG_PREFIX[ci_type]
    attributes: dict[str, Any] = {"model": model}
    hostname = ip_address = None
    location = site
    name = f"{prefix}-{organisation.code}-{index + 1:05d}"
    if ci_type in (CiType.WERKPLEK, CiType.LAPTOP):
        hostname = f"{organisation.code.lower()}-{prefix.lower()}-{index + 1:05d}"
        if configuration.name == "thin client":
            attributes |= {"os": "IGEL OS 12", "ram_gb": 8}
        else:
            heavy = configuration.name in ("zwaar", "ontwikkel")
            attributes |= {"os": "Windows 11 Enterprise 23H2",
                           "ram_gb": rng.choice((32, 64) if heavy else (8, 16)),
                           "encrypted": True}
    elif ci_type is CiType.PRINTER:
        floor = rng.choice(FLOORS)
        hostname = f"{organisation.code.lower()}-prn-{index + 1:04d}"
        ip_address = _ip(30, index)
        attributes |= {"multifunctional": configuration.name == "multifunctional",
                       "floor": floor}
        label = "MFP" if configuration.name == "multifunctional" else "Printer"
        name = f"{label} {site} {floor}"
        location = f"{site}, {floor}"
    elif ci_type is CiType.TELEFOON:
        extension = f"{organisation.area_code}-{rng.randrange(300_000, 400_000)}"
        attributes |= {"extension": extension}
        name = f"{'Softphone' if configuration.name == 'softphone' else 'Toestel'} {extension}"
    else:
        attributes |= {"mdm": "Intune", "imei": f"35{rng.randrange(10**12, 10**13)}"}
    return name, hostname, ip_address, location, attributes


def _device_status(rng: random.Random) -> CiStatus:
    draw = rng.random()
    if draw < 0.83:
        return CiStatus.IN_GEBRUIK
    if draw < 0.85:
        return CiStatus.GEPLAND
    if draw < 0.92:
        return CiStatus.VOORRAAD
    if draw < 0.96:
        return CiStatus.IN_REPARATIE
    return CiStatus.UIT_GEBRUIK


def _device_dates(builder: _Builder, status: CiStatus) -> tuple[date | None, date | None, str]:
    """In service since, retired on, and why: stock and planned items were never in
    service; items in use went in within the past five years."""
    if status is CiStatus.UIT_GEBRUIK:
        in_service, retired = builder.retirement()
        reason = builder.rng.choice(("Afgevoerd: einde levensduur",
                                     "Afgevoerd: defect, reparatie niet rendabel",
                                     "Ingeleverd bij uitdiensttreding, afgevoerd"))
        return in_service, retired, reason
    if status in LIVE:
        return builder.in_service_since(20, 5 * 365), None, ""
    return None, None, ""


def _weighted(rng: random.Random, population: list[OrganisationInfo], weights: list[int],
              count: int) -> Iterator[OrganisationInfo]:
    yield from rng.choices(population, weights, k=count)
