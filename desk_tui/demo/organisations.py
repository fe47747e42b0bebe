"""The SLA's participants, the servicedesk's own organisation, their departments, people
and the hierarchical escalation ladder (SPEC 5)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from desk_tui.demo.names import MadeUpName, NameMaker
from desk_tui.demo.options import MINIMUM_PEOPLE
from desk_tui.demo.world import OrganisationInfo, PersonInfo, Row, World, apportion, record
from desk_tui.store.enums import EscalationSide

OWN_CODE = "DSM"
ENDED_CODE = "WSW"  # the participant whose contract ended recently (SPEC 11 test case)
ENDED_DAYS_AGO = 40
OWN_DOMAIN = "desom.example"
OWN_AREA_CODE = "0228"


@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    name: str
    weight: float  # share of the organisation's staff
    personnel_requests: bool = False  # SPEC 6: may submit joiner/leaver/role requests


@dataclass(frozen=True, slots=True)
class OrganisationSpec:
    code: str
    name: str
    domain: str
    area_code: str
    people_share: float
    call_weight: float
    evening_opening: bool
    contract_start: date | None
    departments: tuple[DepartmentSpec, ...]
    locations: tuple[str, ...]
    applications: tuple[str, ...]
    management_department: str  # where the contract and information managers sit
    ict_department: str


_MUNICIPAL_DEPARTMENTS = (
    DepartmentSpec("Burgerzaken", 3),
    DepartmentSpec("Publiekszaken", 2),
    DepartmentSpec("Klantcontactcentrum", 2),
    DepartmentSpec("Belastingen", 2),
    DepartmentSpec("Sociaal Domein", 4),
    DepartmentSpec("Ruimte", 3),
    DepartmentSpec("Openbare Ruimte", 3),
    DepartmentSpec("P&O", 1, personnel_requests=True),
    DepartmentSpec("Financiën", 1.5),
    DepartmentSpec("ICT en Informatievoorziening", 1),
    DepartmentSpec("Bestuursondersteuning", 1),
)
_MUNICIPAL_APPLICATIONS = (
    "Key2Burgerzaken", "Key2Belastingen", "Key2Financiën", "Suite4 Sociaal Domein",
    "Decos JOIN", "Microsoft 365", "iBabs", "Squit XO",
)


def _municipality(
    code: str, place: str, domain: str, area_code: str, share: float, weight: float,
    evening: bool, locations: tuple[str, ...],
) -> OrganisationSpec:
    return OrganisationSpec(
        code=code, name=f"Gemeente {place}", domain=domain, area_code=area_code,
        people_share=share, call_weight=weight, evening_opening=evening,
        contract_start=date(2016, 1, 1), departments=_MUNICIPAL_DEPARTMENTS,
        locations=locations, applications=_MUNICIPAL_APPLICATIONS,
        management_department="Bestuursondersteuning",
        ict_department="ICT en Informatievoorziening",
    )


ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    _municipality("DRE", "Drechterland", "drechterland.example", "0229", 0.15, 16, True,
                  ("Gemeentehuis Hoogkarspel", "Gemeentewerf Venhuizen")),
    _municipality("ENK", "Enkhuizen", "enkhuizen.example", "0228", 0.15, 16, True,
                  ("Stadhuis Enkhuizen", "Gemeentewerf Enkhuizen")),
    _municipality("STB", "Stede Broec", "stedebroec.example", "0228", 0.17, 18, False,
                  ("Gemeentehuis Bovenkarspel", "Gemeentewerf Grootebroek")),
    _municipality("MED", "Medemblik", "medemblik.example", "0229", 0.30, 30, True,
                  ("Gemeentehuis Wognum", "Stadhuis Medemblik", "Gemeentewerf Abbekerk")),
    OrganisationSpec(
        code=ENDED_CODE, name="WerkSaam Westfriesland", domain="werksaam.example",
        area_code="0229", people_share=0.13, call_weight=12, evening_opening=False,
        contract_start=date(2016, 1, 1),
        departments=(
            DepartmentSpec("Werk en Inkomen", 4),
            DepartmentSpec("Participatie", 3),
            DepartmentSpec("Schuldhulpverlening", 2),
            DepartmentSpec("Bijzondere Bijstand", 1.5),
            DepartmentSpec("P&O", 1, personnel_requests=True),
            DepartmentSpec("Financiën", 1),
            DepartmentSpec("Bedrijfsvoering", 1),
        ),
        locations=("Kantoor WerkSaam Hoorn", "Leerwerkbedrijf Zwaag"),
        applications=("Suite4 Sociaal Domein", "Microsoft 365", "AFAS Profit", "Decos JOIN"),
        management_department="Bedrijfsvoering", ict_department="Bedrijfsvoering",
    ),
    OrganisationSpec(
        code=OWN_CODE, name="SSC DeSom", domain=OWN_DOMAIN, area_code=OWN_AREA_CODE,
        people_share=0.10, call_weight=8, evening_opening=False, contract_start=None,
        departments=(
            DepartmentSpec("Servicedesk", 3),
            DepartmentSpec("Technisch Beheer", 3),
            DepartmentSpec("Applicatiebeheer", 3),
            DepartmentSpec("Informatiebeveiliging", 1),
            DepartmentSpec("HR", 1, personnel_requests=True),
            DepartmentSpec("Financiën", 1),
            DepartmentSpec("Directie", 0.5),
        ),
        locations=("Kantoor SSC DeSom", "Datacentrum SSC DeSom", "Uitwijkdatacentrum"),
        applications=("Topdesk", "Citrix Virtual Apps", "Veeam Backup", "Microsoft Entra ID"),
        management_department="Directie", ict_department="Technisch Beheer",
    ),
)

# SPEC 5, lowest level first: (participant side, servicedesk side).
ESCALATION_LADDER: tuple[tuple[str, str], ...] = (
    ("Contractmanager", "Servicemanager / senior servicedeskmedewerker"),
    ("Informatiemanager", "Senior ICT-adviseur / servicemanager"),
    ("Directie (gemeentesecretaris)", "Directeur SSC DeSom"),
    ("Adviescommissie ICT", "Directeur SSC DeSom"),
    ("College van B&W", "Dagelijks bestuur SSC DeSom"),
)
AddPerson = Callable[..., tuple[Row, MadeUpName]]


@dataclass(slots=True)
class PartyRows:
    organisations: list[Row]
    departments: list[Row]
    people: list[Row]
    manager_updates: list[Row]  # organisation ↔ person is a cycle: managers set afterwards
    escalation_contacts: list[Row]
    headed: set[tuple[str, str]] = field(default_factory=set)  # (code, department)


def build_parties(world: World, people: int) -> PartyRows:
    """Organisations, departments, people and escalation contacts; fills `world`."""
    if people < MINIMUM_PEOPLE:
        raise ValueError(f"a demo needs at least {MINIMUM_PEOPLE} people")
    names = NameMaker(world.rng)
    rows = PartyRows([], [], [], [], [])
    department_ids: dict[tuple[str, str], uuid.UUID] = {}
    ended_on = world.now.date() - timedelta(days=ENDED_DAYS_AGO)
    for spec in ORGANISATIONS:
        ended = spec.code == ENDED_CODE
        row = record(world) | {
            "name": spec.name,
            "code": spec.code,
            "contract_start": spec.contract_start,
            "contract_end": ended_on if ended else None,
            "contract_manager_id": None,
            "information_manager_id": None,
            "evening_opening": spec.evening_opening,
            "personal_data_sealed_at": None,
            # A participant whose contract ended takes no new calls; its data stays
            # readable until it is sealed (within 3 months, SPEC 11).
            "active": not ended,
        }
        rows.organisations.append(row)
        world.organisations.append(
            OrganisationInfo(
                id=row["id"], code=spec.code, name=spec.name, domain=spec.domain,
                area_code=spec.area_code, call_weight=spec.call_weight,
                evening_opening=spec.evening_opening, locations=spec.locations,
                own=spec.code == OWN_CODE,
                calls_until=(
                    datetime.combine(ended_on, time(0), world.now.tzinfo) if ended else None
                ),
                departments=[department.name for department in spec.departments],
                applications=list(spec.applications),
            )
        )
        for department in spec.departments:
            department_row = record(world) | {
                "organisation_id": row["id"],
                "name": department.name,
                "personnel_requests_allowed": department.personnel_requests,
                "active": True,
            }
            rows.departments.append(department_row)
            department_ids[(spec.code, department.name)] = department_row["id"]

    def add_person(
        spec: OrganisationSpec, department: str, job_title: str, *, head: bool = False,
        hr_submitter: bool = False,
    ) -> tuple[Row, MadeUpName]:
        organisation = world.organisation(spec.code)
        name = names.name()
        row = record(world) | {
            "organisation_id": organisation.id,
            "department_id": department_ids[(spec.code, department)],
            "name": name.full,
            "phone": names.phone(spec.area_code),
            "email": names.email(name, spec.domain),
            "login": names.login(name, spec.code),
            "job_title": job_title,
            "is_hr_submitter": hr_submitter,
            "is_department_head": head,
            "active": True,
        }
        rows.people.append(row)
        if head:
            rows.headed.add((spec.code, department))
        organisation.people.append(
            PersonInfo(row["id"], organisation.id, row["department_id"], department,
                       name.full, row["email"])
        )
        return row, name

    key_people = _add_key_people(world, rows, add_person)
    _add_staff(world, rows, add_person, people - len(rows.people))
    _add_escalation_contacts(world, rows, key_people)
    return rows


def _add_key_people(
    world: World, rows: PartyRows, add_person: AddPerson
) -> dict[str, dict[str, Row]]:
    """Contract and information managers and a director per organisation."""
    key_people: dict[str, dict[str, Row]] = {}
    for spec in ORGANISATIONS:
        if spec.code == OWN_CODE:
            key_people[spec.code] = {
                "service": add_person(spec, "Servicedesk", "Servicemanager")[0],
                "adviser": add_person(spec, "Technisch Beheer", "Senior ICT-adviseur")[0],
                "director": add_person(spec, "Directie", "Directeur", head=True)[0],
            }
            continue
        contract, _ = add_person(spec, spec.management_department, "Contractmanager ICT")
        information, _ = add_person(spec, spec.ict_department, "Informatiemanager")
        director_title = "Directeur" if spec.code == ENDED_CODE else "Gemeentesecretaris"
        director, _ = add_person(spec, spec.management_department, director_title)
        key_people[spec.code] = {
            "contract": contract, "information": information, "director": director,
        }
        organisation = world.organisation(spec.code)
        rows.manager_updates.append({
            "organisation_id": organisation.id,
            "contract_manager_id": contract["id"],
            "information_manager_id": information["id"],
        })
    return key_people


def _add_staff(world: World, rows: PartyRows, add_person: AddPerson, count: int) -> None:
    """Everyone else: each department gets a head first, then staff by department size."""
    rng = world.rng
    shares = [spec.people_share for spec in ORGANISATIONS]
    per_organisation = apportion(count, shares)
    for spec, organisation_count in zip(ORGANISATIONS, per_organisation, strict=True):
        departments = list(spec.departments)
        weights = [department.weight for department in departments]
        for index in range(organisation_count):
            if index < len(departments):
                department = departments[index]
                head = (spec.code, department.name) not in rows.headed
            else:
                department = rng.choices(departments, weights)[0]
                head = False
            hr = department.personnel_requests and (head or rng.random() < 0.5)
            if head:
                title = f"Teamleider {department.name}"
            elif hr:
                title = "HR-adviseur"
            else:
                title = f"Medewerker {department.name}"
            add_person(spec, department.name, title, head=head, hr_submitter=hr)


def _add_escalation_contacts(
    world: World, rows: PartyRows, key_people: dict[str, dict[str, Row]]
) -> None:
    own = key_people[OWN_CODE]
    desk_people = (own["service"], own["adviser"], own["director"], own["director"], None)
    for spec in ORGANISATIONS:
        if spec.code == OWN_CODE:
            continue
        mine = key_people[spec.code]
        participant_people = (mine["contract"], mine["information"], mine["director"], None, None)
        for level, (titles, ours, theirs) in enumerate(
            zip(ESCALATION_LADDER, participant_people, desk_people, strict=True), start=1
        ):
            participant_title, desk_title = titles
            if spec.code == ENDED_CODE and level == 5:
                participant_title = "Algemeen bestuur WerkSaam"
            for side, title, person, domain, area_code in (
                (EscalationSide.DEELNEMER, participant_title, ours, spec.domain, spec.area_code),
                (EscalationSide.SERVICEDESK, desk_title, theirs, OWN_DOMAIN, OWN_AREA_CODE),
            ):
                rows.escalation_contacts.append(record(world) | {
                    "organisation_id": world.organisation(spec.code).id,
                    "level": level,
                    "side": side,
                    "role_title": title,
                    "person_id": person["id"] if person else None,
                    "person_name": person["name"] if person else f"Secretariaat {title}",
                    "phone": person["phone"] if person else f"{area_code}-36 00 00",
                    "email": person["email"] if person else f"secretariaat@{domain}",
                    "sort_order": 0 if side is EscalationSide.DEELNEMER else 1,
                })
