"""Configuration items and their relations (SPEC 8): the servicedesk's own datacentre
(organisation None), each participant's applications, sites and devices."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from desk_tui.demo.texts import FLOORS
from desk_tui.demo.world import OrganisationInfo, Row, World, apportion, record
from desk_tui.store.enums import CiRelationKind, CiStatus, CiType

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
TAG_PREFIX = {
    CiType.WERKPLEK: "WP", CiType.LAPTOP: "LT", CiType.SERVER: "SRV",
    CiType.NETWERKAPPARAAT: "NET", CiType.TELEFOON: "TEL", CiType.MOBIEL_APPARAAT: "MOB",
    CiType.PRINTER: "PRN",
}
APPLICATION_FACTS: dict[str, tuple[str, str, bool]] = {  # vendor, version, has a database
    "Key2Burgerzaken": ("Centric", "2024.2.3", True),
    "Key2Belastingen": ("Centric", "2024.1.7", True),
    "Key2Financiën": ("Centric", "2023.4.2", True),
    "Suite4 Sociaal Domein": ("Centric", "2024.3.0", True),
    "Decos JOIN": ("Decos", "2024.6.1", True),
    "Microsoft 365": ("Microsoft", "cloud", False),
    "iBabs": ("iBabs", "cloud", False),
    "Squit XO": ("Roxit", "5.12.0", True),
    "AFAS Profit": ("AFAS", "cloud", False),
    "Topdesk": ("Topdesk", "2024.9", True),
    "Citrix Virtual Apps": ("Citrix", "2402 LTSR", False),
    "Veeam Backup": ("Veeam", "12.2.0", True),
    "Microsoft Entra ID": ("Microsoft", "cloud", False),
}
HOST_PART = {"core switch": "cs", "firewall": "fw", "switch": "sw", "access point": "ap"}
ENVIRONMENTS = ("", " acceptatie", " test", " opleiding")
SERVER_ROLES = ("applicatie", "database", "bestand", "domeincontroller", "citrix")
MODELS = {
    CiType.WERKPLEK: ("HP EliteDesk 800 G6", "HP EliteDesk 800 G8", "Dell OptiPlex 7010"),
    CiType.LAPTOP: ("Dell Latitude 5440", "HP EliteBook 840 G9", "Dell Latitude 7430"),
    CiType.TELEFOON: ("Yealink T54W", "Yealink T46U"),
    CiType.MOBIEL_APPARAAT: ("iPhone 13", "iPhone 15", "Samsung Galaxy A54"),
    CiType.PRINTER: ("Canon imageRUNNER ADVANCE DX C5860i", "Canon i-SENSYS X C1533i"),
}
LICENCE_PRODUCTS = (
    ("Microsoft 365 E3", "Microsoft"), ("Adobe Acrobat Pro", "Adobe"),
    ("ArcGIS Pro", "Esri"), ("Centric Key2 suite", "Centric"), ("Zivver", "Zivver"),
)


@dataclass(slots=True)
class CmdbRows:
    items: list[Row]
    relations: list[Row]


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
    """Makes the CI rows of one demo; keeps the ids relations are drawn from."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.items: list[Row] = []
        self.relations: list[Row] = []
        self.tag_counters: dict[CiType, int] = {}
        self.of_type: dict[tuple[uuid.UUID | None, CiType], list[Row]] = {}

    def organisation_id(self, organisation: OrganisationInfo) -> uuid.UUID | None:
        return None if organisation.own else organisation.id

    def add(
        self, ci_type: CiType, name: str, organisation: OrganisationInfo | None, *,
        owner_id: uuid.UUID | None = None, location: str | None = None,
        attributes: dict[str, Any] | None = None, hostname: str | None = None,
        ip_address: str | None = None, status: CiStatus = CiStatus.IN_GEBRUIK,
        expires_on: Any = None, tagged: bool = True, notes: str | None = None,
    ) -> Row:
        organisation_id = None if organisation is None else self.organisation_id(organisation)
        asset_tag = serial = None
        if tagged and ci_type in TAG_PREFIX:
            number = self.tag_counters.get(ci_type, 0) + 1
            self.tag_counters[ci_type] = number
            asset_tag = f"{TAG_PREFIX[ci_type]}-{number:06d}"
            serial = "".join(self.rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", k=10))
        row = record(self.world) | {
            "ci_type": ci_type,
            "name": name,
            "asset_tag": asset_tag,
            "serial_number": serial,
            "hostname": hostname,
            "ip_address": ip_address,
            "location": location,
            "status": status,
            "owner_id": owner_id,
            "organisation_id": organisation_id,
            "attributes": attributes or {},
            "expires_on": expires_on,
            "notes": notes,
        }
        self.items.append(row)
        self.of_type.setdefault((organisation_id, ci_type), []).append(row)
        self.world.cis.add(row["id"], organisation_id, ci_type, owner_id)
        return row

    def relate(self, source: Row, target: Row, kind: CiRelationKind) -> None:
        self.relations.append(record(self.world, source["created_at"]) | {
            "from_ci_id": source["id"], "to_ci_id": target["id"], "kind": kind,
        })

    def pick(self, organisation_id: uuid.UUID | None, ci_type: CiType) -> Row | None:
        candidates = self.of_type.get((organisation_id, ci_type))
        return self.rng.choice(candidates) if candidates else None


def build_cmdb(world: World, total: int) -> CmdbRows:
    builder = _Builder(world)
    counts = plan_counts(total)
    own = next(organisation for organisation in world.organisations if organisation.own)
    _servers(builder, own, counts.get(CiType.SERVER, 0))
    _network(builder, own, counts.get(CiType.NETWERKAPPARAAT, 0))
    _applications(builder, counts.get(CiType.APPLICATIE, 0))
    _certificates(builder, own, counts.get(CiType.CERTIFICAAT, 0))
    _licences(builder, counts.get(CiType.LICENTIE, 0))
    for ci_type in (CiType.PRINTER, *ENDPOINTS):
        _devices(builder, ci_type, counts.get(ci_type, 0))
    return CmdbRows(builder.items, builder.relations)


def _ip(block: int, index: int) -> str:
    return f"10.{block}.{(index // 250) % 250}.{index % 250 + 2}"


def _servers(builder: _Builder, own: OrganisationInfo, count: int) -> None:
    for index in range(count):
        role = SERVER_ROLES[index % len(SERVER_ROLES)]
        hostname = f"dsm-{role[:3]}-{index + 1:03d}"
        builder.add(
            CiType.SERVER, hostname.upper(), own, hostname=hostname,
            ip_address=_ip(10, index),
            location=own.locations[1 + index % 2],
            attributes={
                "role": role,
                "os": builder.rng.choice(("Windows Server 2022", "Windows Server 2019",
                                          "Red Hat Enterprise Linux 9")),
                "vcpu": builder.rng.choice((2, 4, 8, 16)),
                "ram_gb": builder.rng.choice((8, 16, 32, 64)),
                "virtual": True,
            },
        )
        builder.world.cis.servers.append(hostname)


def _network(builder: _Builder, own: OrganisationInfo, count: int) -> None:
    sites = [(own, location) for location in own.locations[1:]] + [
        (organisation, location) for organisation in builder.world.organisations
        if not organisation.own for location in organisation.locations
    ]
    datacentre: list[Row] = []
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
        )
        if organisation.own:
            datacentre.append(row)
    for server in builder.of_type.get((None, CiType.SERVER), []):
        if datacentre:
            builder.relate(server, builder.rng.choice(datacentre), CiRelationKind.CONNECTED_TO)


def _applications(builder: _Builder, count: int) -> None:
    # Round the organisations first, so even a small CMDB has applications for each.
    organisations = builder.world.organisations
    longest = max((len(organisation.applications) for organisation in organisations), default=0)
    pairs = [(organisation, organisation.applications[rank]) for rank in range(longest)
             for organisation in organisations if rank < len(organisation.applications)]
    servers = builder.of_type.get((None, CiType.SERVER), [])
    app_servers = [s for s in servers if s["attributes"]["role"] in ("applicatie", "citrix")]
    db_servers = [s for s in servers if s["attributes"]["role"] == "database"]
    for index in range(count):
        organisation, application = pairs[index % len(pairs)]
        round_ = index // len(pairs)
        environment = (ENVIRONMENTS[round_] if round_ < len(ENVIRONMENTS)
                       else f" omgeving {round_}")
        vendor, version, has_database = APPLICATION_FACTS.get(application, ("", "1.0", False))
        row = builder.add(
            CiType.APPLICATIE, f"{application} {organisation.code}{environment}", organisation,
            tagged=False,
            attributes={"vendor": vendor, "version": version,
                        "users": builder.rng.randrange(5, 150),
                        "environment": environment.strip() or "productie"},
        )
        if version != "cloud" and (app_servers or servers):
            builder.relate(row, builder.rng.choice(app_servers or servers),
                           CiRelationKind.RUNS_ON)
        if has_database and db_servers:
            builder.relate(row, builder.rng.choice(db_servers), CiRelationKind.DEPENDS_ON)


def _expiry_days(index: int, rng: random.Random) -> int:
    """Spread expiry so the 30/60/90-day watch lists all have entries (and one is late)."""
    bucket = index % 6
    if bucket == 0:
        return rng.randrange(3, 31)
    if bucket == 1:
        return rng.randrange(31, 61)
    if bucket == 2:
        return rng.randrange(61, 91)
    if index % 12 == 3:
        return -rng.randrange(2, 20)
    return rng.randrange(91, 800)


def _certificates(builder: _Builder, own: OrganisationInfo, count: int) -> None:
    organisations = builder.world.organisations
    for index in range(count):
        organisation = organisations[index % len(organisations)]
        host = ("mijn", "www", "sts", "vpn", "api", "mail")[(index // len(organisations)) % 6]
        round_ = index // (len(organisations) * 6)
        suffix = f"{round_ + 1}" if round_ else ""
        subject = f"{host}{suffix}.{organisation.domain}"
        issuer = "PKIoverheid (KPN)" if host in ("mijn", "api") else "Sectigo"
        row = builder.add(
            CiType.CERTIFICAAT, f"Certificaat {subject}", organisation, tagged=False,
            expires_on=builder.world.now.date() + timedelta(days=_expiry_days(index,
                                                                              builder.rng)),
            attributes={"subject": f"CN={subject}", "issuer": issuer,
                        "key": "RSA 3072", "wildcard": False},
        )
        application = builder.pick(builder.organisation_id(organisation), CiType.APPLICATIE)
        if application is not None:
            builder.relate(row, application, CiRelationKind.USED_BY)


def _licences(builder: _Builder, count: int) -> None:
    organisations = builder.world.organisations
    for index in range(count):
        organisation = organisations[index % len(organisations)]
        product, vendor = LICENCE_PRODUCTS[(index // len(organisations)) % len(
            LICENCE_PRODUCTS)]
        builder.add(
            CiType.LICENTIE, f"{product} ({organisation.code})", organisation, tagged=False,
            expires_on=builder.world.now.date() + timedelta(days=builder.rng.randrange(20,
                                                                                       400)),
            attributes={"product": product, "vendor": vendor,
                        "seats": builder.rng.choice((25, 50, 100, 250, 500))},
        )


def _devices(builder: _Builder, ci_type: CiType, count: int) -> None:
    """End-user devices and printers, spread over organisations by head count."""
    rng = builder.rng
    organisations = builder.world.organisations
    weights = [max(1, len(organisation.people)) for organisation in organisations]
    prefix = TAG_PREFIX[ci_type]
    for index, organisation in enumerate(_weighted(rng, organisations, weights, count)):
        location = rng.choice(organisation.locations)
        floor = rng.choice(FLOORS)
        model = rng.choice(MODELS[ci_type])
        status = _device_status(rng)
        owner = None
        if ci_type is not CiType.PRINTER and status is not CiStatus.VOORRAAD:
            owner = rng.choice(organisation.people) if organisation.people else None
        hostname = None
        ip_address = None
        attributes: dict[str, Any] = {"model": model}
        if ci_type in (CiType.WERKPLEK, CiType.LAPTOP):
            hostname = f"{organisation.code.lower()}-{prefix.lower()}-{index + 1:05d}"
            attributes |= {"os": "Windows 11 Enterprise 23H2",
                           "ram_gb": rng.choice((8, 16, 32)), "encrypted": True}
            name = f"{prefix}-{organisation.code}-{index + 1:05d}"
        elif ci_type is CiType.PRINTER:
            hostname = f"{organisation.code.lower()}-prn-{index + 1:04d}"
            ip_address = _ip(30, index)
            attributes |= {"multifunctional": "imageRUNNER" in model, "floor": floor}
            name = f"MFP {location} {floor}"
            location = f"{location}, {floor}"
        elif ci_type is CiType.TELEFOON:
            extension = f"{organisation.area_code}-{rng.randrange(300_000, 400_000)}"
            attributes |= {"extension": extension}
            name = f"Toestel {extension}"
        else:
            attributes |= {"mdm": "Intune", "imei": f"35{rng.randrange(10**12, 10**13)}"}
            name = f"{prefix}-{organisation.code}-{index + 1:05d}"
        row = builder.add(
            ci_type, name, organisation, owner_id=owner.id if owner else None,
            location=location, hostname=hostname, ip_address=ip_address,
            attributes=attributes, status=status,
        )
        if ci_type in (CiType.WERKPLEK, CiType.PRINTER):
            switch = builder.pick(builder.organisation_id(organisation),
                                  CiType.NETWERKAPPARAAT)
            if switch is not None:
                builder.relate(row, switch, CiRelationKind.CONNECTED_TO)


def _device_status(rng: random.Random) -> CiStatus:
    draw = rng.random()
    if draw < 0.85:
        return CiStatus.IN_GEBRUIK
    if draw < 0.92:
        return CiStatus.VOORRAAD
    if draw < 0.96:
        return CiStatus.IN_REPARATIE
    return CiStatus.UIT_GEBRUIK


def _weighted(rng: random.Random, population: list[OrganisationInfo], weights: list[int],
              count: int) -> Iterator[OrganisationInfo]:
    yield from rng.choices(population, weights, k=count)
