"""A small world for service and console tests: one participant, callers, operators."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import SlaEngine
from desk_tui.services import calls
from desk_tui.services.access import Actor
from desk_tui.services.queries import actor_for
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import (
    CiRelationKind,
    CiStatus,
    CiType,
    ContractKind,
    OperatorRole,
    SupportLine,
)
from desk_tui.store.models import (
    Category,
    CiRelation,
    ConfigurationItem,
    Contract,
    ContractCi,
    Department,
    Operator,
    OperatorRoleGrant,
    Organisation,
    Person,
)
from desk_tui.store.search import ci_search_text
from tests.domain.conftest import ams


@dataclass
class World:
    db: Engine
    sla: SlaEngine
    organisation: Organisation
    other_organisation: Organisation
    caller: Person
    caller_without_mail: Person
    stranger: Person  # belongs to the other organisation
    category: Category
    workstation: ConfigurationItem
    agent: Actor
    colleague: Actor
    specialist: Actor
    contract_manager: Actor  # of the other organisation
    nobody: Actor  # an operator without roles

    def write(self, use_case: Callable[..., Any], **kwargs: Any) -> Any:
        with write_session(self.db) as session:
            return use_case(session=session, sla=self.sla, **kwargs)

    def read(self, use_case: Callable[..., Any], **kwargs: Any) -> Any:
        with read_session(self.db) as session:
            return use_case(session=session, **kwargs)


def _operator(session, login: str, name: str, *roles: OperatorRole, **extra) -> None:
    operator = Operator(login=login, display_name=name, **extra)
    session.add(operator)
    session.flush()
    for role in roles:
        session.add(OperatorRoleGrant(operator_id=operator.id, role=role))


def build_world(store: Engine, sla: SlaEngine) -> World:
    with write_session(store) as session:
        organisation = Organisation(name="Gemeente Enkhuizen", code="ENK")
        other = Organisation(name="Gemeente Drechterland", code="DRE")
        session.add_all([organisation, other])
        session.flush()
        department = Department(organisation_id=organisation.id, name="Burgerzaken")
        session.add(department)
        session.flush()
        caller = Person(
            organisation_id=organisation.id, department_id=department.id, name="Anouk Jansen",
            phone="0228-351234", email="a.jansen@enkhuizen.example", login="ajansen",
        )
        quiet = Person(organisation_id=organisation.id, name="Piet Bakker", phone="0228-351999")
        stranger = Person(organisation_id=other.id, name="Kees Visser", email="k@dre.example")
        category = Category(name="Hardware", suggested_urgency=Level.MIDDEN)
        workstation = ConfigurationItem(
            ci_type=CiType.WERKPLEK, name="ENK-WS-0042", hostname="enk-ws-0042",
            organisation_id=organisation.id,
            search_text=ci_search_text(
                name="ENK-WS-0042", hostname="enk-ws-0042",
                organisation_name=organisation.name, organisation_code=organisation.code,
            ),
        )
        session.add_all([caller, quiet, stranger, category, workstation])
        _operator(session, "agent", "Sanne de Vries", OperatorRole.AGENT)
        _operator(session, "agent2", "Ruben Smit", OperatorRole.AGENT)
        _operator(session, "specialist", "Mila de Boer", OperatorRole.SPECIALIST,
                  line=SupportLine.TWEEDE_LIJN)
        _operator(session, "cm", "Joost Mulder", OperatorRole.CONTRACT_MANAGER,
                  organisation_id=other.id)
        _operator(session, "nobody", "Niemand")
    with read_session(store) as session:
        actors = {login: actor_for(session, login)
                  for login in ("agent", "agent2", "specialist", "cm", "nobody")}
    return World(
        db=store, sla=sla, organisation=organisation, other_organisation=other, caller=caller,
        caller_without_mail=quiet, stranger=stranger, category=category,
        workstation=workstation, agent=actors["agent"], colleague=actors["agent2"],
        specialist=actors["specialist"], contract_manager=actors["cm"], nobody=actors["nobody"],
    )


MONDAY_9 = ams("2026-11-30 09:00")


def at(text: str) -> datetime:
    return ams(text)


# -- the CMDB world: relations, calls on CIs, certificates, contracts ----------------------------
@dataclass
class CmdbWorld:
    """CIs around one datacentre server, for the CMDB tests. Relations ("from kind to"):

    Key2Burgerzaken runs-on SRV-DC-01; Burgerportaal depends-on Key2Burgerzaken;
    SRV-DC-01 connected-to CS-RC-01 and back (a cycle); DRE-WS-0007 connected-to
    CS-RC-01; Microsoft 365 used-by LT-ENK-0100.
    """

    today: date
    frisian_organisation: Organisation
    ci: dict[str, uuid.UUID]  # by name
    contract: dict[str, uuid.UUID]  # by number
    call: dict[str, uuid.UUID]  # by subject

    def __getitem__(self, name: str) -> uuid.UUID:
        return self.ci[name]


def add_ci(session, organisation: Organisation | None = None, owner: Person | None = None,
            **fields: Any) -> ConfigurationItem:
    """A CI with the search text every writer must give it."""
    texts = {key: fields.get(key) for key in (
        "name", "asset_tag", "serial_number", "hostname", "ip_address", "location",
        "configuration",
    )}
    item = ConfigurationItem(
        organisation_id=organisation.id if organisation else None,
        owner_id=owner.id if owner else None,
        search_text=ci_search_text(
            **texts, owner_name=owner.name if owner else None,
            owner_login=owner.login if owner else None,
            organisation_name=organisation.name if organisation else None,
            organisation_code=organisation.code if organisation else None,
        ),
        **fields,
    )
    session.add(item)
    session.flush()
    return item


def build_cmdb(world: World, today: date = date(2026, 11, 30)) -> CmdbWorld:
    """Add the CMDB world to `world`: CIs, relations, certificates around `today`,
    contracts, and calls on the CIs (registered through the call services)."""
    enk, dre = world.organisation, world.other_organisation
    day = timedelta(days=1)
    with write_session(world.db) as session:
        frisian = Organisation(name="Gemeente Súdwest-Fryslân", code="SWF")
        session.add(frisian)
        session.flush()
        made = [
            add_ci(session, ci_type=CiType.SERVER, name="SRV-DC-01", hostname="srv-dc-01",
                    ip_address="10.12.3.14", asset_tag="AT-100231", serial_number="CZ2049XK1",
                    location="Rekencentrum Hoorn", configuration="zwaar"),
            add_ci(session, ci_type=CiType.NETWERKAPPARAAT, name="CS-RC-01",
                    hostname="cs-rc-01", ip_address="10.20.1.5", location="Rekencentrum Hoorn"),
            add_ci(session, enk, ci_type=CiType.APPLICATIE, name="Key2Burgerzaken",
                    attributes={"vendor": "Centric", "version": "2024.2.3"}),
            add_ci(session, enk, ci_type=CiType.APPLICATIE, name="Burgerportaal"),
            add_ci(session, ci_type=CiType.APPLICATIE, name="Microsoft 365"),
            add_ci(session, enk, world.caller, ci_type=CiType.LAPTOP, name="LT-ENK-0100",
                    serial_number="CZC8451KQ7", location="Stadhuis Westerstraat 2e verdieping"),
            add_ci(session, dre, world.stranger, ci_type=CiType.WERKPLEK, name="DRE-WS-0007",
                    hostname="dre-ws-0007"),
            add_ci(session, frisian, ci_type=CiType.WERKPLEK, name="SWF-WS-0001",
                    location="Sneek"),
            add_ci(session, enk, ci_type=CiType.CERTIFICAAT, name="*.enkhuizen.nl",
                    expires_on=today + 30 * day, attributes={"issuer": "Sectigo"}),
            add_ci(session, enk, ci_type=CiType.CERTIFICAAT, name="mail.enkhuizen.nl",
                    expires_on=today + 31 * day),
            add_ci(session, enk, ci_type=CiType.CERTIFICAAT, name="portal.enkhuizen.nl",
                    expires_on=today),
            add_ci(session, dre, ci_type=CiType.CERTIFICAAT, name="vpn.drechterland.nl",
                    expires_on=today - day),
            add_ci(session, enk, ci_type=CiType.CERTIFICAAT, name="oud.enkhuizen.nl",
                    expires_on=today - 10 * day, status=CiStatus.UIT_GEBRUIK),
            add_ci(session, enk, ci_type=CiType.LICENTIE, name="ArcGIS Pro",
                    expires_on=today + 75 * day),
            add_ci(session, enk, ci_type=CiType.LICENTIE, name="Adobe Acrobat Pro",
                    expires_on=today + 91 * day),
        ]
        ci = {item.name: item.id for item in made}
        for source, kind, target in (
            ("Key2Burgerzaken", CiRelationKind.RUNS_ON, "SRV-DC-01"),
            ("Burgerportaal", CiRelationKind.DEPENDS_ON, "Key2Burgerzaken"),
            ("SRV-DC-01", CiRelationKind.CONNECTED_TO, "CS-RC-01"),
            ("CS-RC-01", CiRelationKind.CONNECTED_TO, "SRV-DC-01"),
            ("DRE-WS-0007", CiRelationKind.CONNECTED_TO, "CS-RC-01"),
            ("Microsoft 365", CiRelationKind.USED_BY, "LT-ENK-0100"),
        ):
            session.add(CiRelation(from_ci_id=ci[source], to_ci_id=ci[target], kind=kind))
        contracts = [
            Contract(number="2024-017", title="Onderhoud Key2", supplier="Centric",
                     kind=ContractKind.ONDERHOUD, organisation_id=enk.id,
                     starts_on=date(2024, 1, 1), ends_on=date(2027, 1, 31), notice_months=1),
            Contract(number="2026-050", title="Certificaten", supplier="Sectigo",
                     kind=ContractKind.CERTIFICAAT, organisation_id=enk.id,
                     starts_on=date(2026, 1, 1), ends_on=date(2027, 6, 30), notice_months=6),
            Contract(number="2023-100", title="Lease werkplekken", supplier="Dell Financial",
                     kind=ContractKind.LEASE, organisation_id=dre.id,
                     starts_on=date(2023, 1, 1), ends_on=date(2028, 12, 31)),
            Contract(number="2025-009", title="Microsoft 365", supplier="Microsoft",
                     kind=ContractKind.LICENTIE, starts_on=date(2025, 1, 1)),
            Contract(number="2020-001", title="Oud onderhoud", supplier="Centric",
                     kind=ContractKind.ONDERHOUD, organisation_id=enk.id,
                     starts_on=date(2020, 1, 1), ends_on=date(2025, 12, 31)),
        ]
        session.add_all(contracts)
        session.flush()
        contract = {item.number: item.id for item in contracts}
        for number, name in (
            ("2024-017", "Key2Burgerzaken"), ("2024-017", "SRV-DC-01"),
            ("2020-001", "Key2Burgerzaken"), ("2023-100", "DRE-WS-0007"),
        ):
            session.add(ContractCi(contract_id=contract[number], ci_id=ci[name]))

    high, middle, low = Level.HOOG, Level.MIDDEN, Level.LAAG
    registered: dict[str, uuid.UUID] = {}
    with write_session(world.db) as session:  # one transaction: the world builds quickly
        for subject, names, impact, urgency, minute, organisation, caller in (
            ("Server reageert niet", ("SRV-DC-01",), high, high, 30, enk, world.caller),
            ("Server traag geweest", ("SRV-DC-01",), low, low, 0, enk, world.caller),
            ("Key2 geeft foutmelding", ("Key2Burgerzaken",), middle, middle, 5, enk,
             world.caller),
            ("Portaal en Key2 haperen", ("Burgerportaal", "Key2Burgerzaken"), high, middle,
             10, enk, world.caller),
            ("Werkplek heeft geen netwerk", ("DRE-WS-0007",), low, middle, 15, dre,
             world.stranger),
            ("Outlook start niet", ("LT-ENK-0100",), middle, middle, 20, enk, world.caller),
        ):
            saved = calls.register_call(
                session=session, sla=world.sla, actor=world.agent,
                now=ams(f"2026-11-30 09:{minute:02d}"),
                draft=calls.CallDraft(
                    organisation_id=organisation.id, caller_id=caller.id,
                    call_type=CallType.STORING, subject=subject, impact=impact,
                    urgency=urgency, ci_ids=tuple(ci[name] for name in names),
                ),
            )
            registered[subject] = saved.id
        closed = registered["Server traag geweest"]
        calls.resolve(session=session, sla=world.sla, actor=world.agent, call_id=closed,
                      solution="Herstart", now=ams("2026-11-30 09:40"))
        calls.close(session=session, sla=world.sla, actor=world.agent, call_id=closed,
                    now=ams("2026-11-30 09:45"))
    return CmdbWorld(today=today, frisian_organisation=frisian, ci=ci, contract=contract,
                     call=registered)
