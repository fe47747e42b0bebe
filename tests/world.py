"""A small world for service and console tests: one participant, callers, operators."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from desk_tui.domain.classification import Level
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.access import Actor
from desk_tui.services.queries import actor_for
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CiType, OperatorRole, SupportLine
from desk_tui.store.models import (
    Category,
    ConfigurationItem,
    Department,
    Operator,
    OperatorRoleGrant,
    Organisation,
    Person,
)
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
        workstation = ConfigurationItem(ci_type=CiType.WERKPLEK, name="ENK-WS-0042",
                                        hostname="enk-ws-0042", organisation_id=organisation.id)
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
