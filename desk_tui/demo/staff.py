"""The servicedesk's operators: at least one login per role, so every view can be tried."""

from __future__ import annotations

from dataclasses import dataclass

from desk_tui.demo.world import OperatorInfo, Row, World, record
from desk_tui.services.identity import hash_pin
from desk_tui.store.enums import OperatorRole, SupportLine

Role = OperatorRole
Line = SupportLine
# Every demo operator's PIN (README): a demo database is for trying desk, not a credential.
DEMO_PIN = "0000"


@dataclass(frozen=True, slots=True)
class OperatorSpec:
    login: str
    display_name: str
    roles: tuple[OperatorRole, ...]
    line: SupportLine = SupportLine.EERSTE_LIJN
    organisation: str | None = None  # managers of a participant: its code
    note: str = ""  # shown in the login list


# Named logins first: the README and the console's sign-in point people at them.
OPERATORS: tuple[OperatorSpec, ...] = (
    OperatorSpec("agent", "Sanne de Vries", (Role.AGENT,), note="servicedesk, 1e lijn"),
    OperatorSpec("agent2", "Daan Bakker", (Role.AGENT,), note="servicedesk, 1e lijn"),
    OperatorSpec("specialist", "Fatima el Amrani", (Role.SPECIALIST,), Line.SPECIALIST,
                 note="2e-lijns specialist, applicaties"),
    OperatorSpec("oncall", "Jeroen Schipper", (Role.ON_CALL,), note="piket, avondopenstelling"),
    OperatorSpec("probleem", "Marloes Kuiper", (Role.PROBLEM_MANAGER,),
                 note="probleemmanager"),
    OperatorSpec("change", "Koen Dijkstra", (Role.CHANGE_MANAGER,), note="wijzigingsbeheer"),
    OperatorSpec("admin", "Ingrid Vermeulen", (Role.ADMINISTRATOR,), note="beheerder"),
    OperatorSpec("cm-med", "Contractmanager Medemblik", (Role.CONTRACT_MANAGER,),
                 organisation="MED", note="contractmanager Gemeente Medemblik"),
    OperatorSpec("im-enk", "Informatiemanager Enkhuizen", (Role.INFORMATION_MANAGER,),
                 organisation="ENK", note="informatiemanager Gemeente Enkhuizen"),
    # More desk staff, so the workload spreads as it does in a real team.
    OperatorSpec("agent3", "Noor Visser", (Role.AGENT,)),
    OperatorSpec("agent4", "Bram Mulder", (Role.AGENT,)),
    OperatorSpec("agent5", "Esther de Haan", (Role.AGENT,)),
    OperatorSpec("tweedelijn", "Wouter Brouwer", (Role.SPECIALIST,), Line.TWEEDE_LIJN,
                 note="2e lijn"),
    OperatorSpec("tweedelijn2", "Priya Ramdin", (Role.SPECIALIST,), Line.TWEEDE_LIJN),
    OperatorSpec("specialist2", "Stijn Pronk", (Role.SPECIALIST,), Line.SPECIALIST),
    OperatorSpec("oncall2", "Hanneke Sijm", (Role.ON_CALL, Role.AGENT)),
)


def build_operators(world: World, managers: dict[str, str]) -> tuple[list[Row], list[Row]]:
    """Operator rows and their role grants; `managers` maps a manager's login (cm-med) to
    the name of the person it stands for, so the login shows who that is."""
    operators: list[Row] = []
    grants: list[Row] = []
    for spec in OPERATORS:
        organisation_id = None
        display_name = spec.display_name
        if spec.organisation is not None:
            organisation_id = world.organisation(spec.organisation).id
            display_name = managers.get(spec.login, display_name)
        row = record(world) | {
            "login": spec.login,
            "display_name": display_name,
            "email": f"{spec.login}@desom.example",
            "phone": None,
            "line": spec.line,
            "organisation_id": organisation_id,
            "pin_hash": hash_pin(DEMO_PIN),  # a salt of its own per operator
            "failed_pin_attempts": 0,
            "locked_until": None,
            "active": True,
        }
        operators.append(row)
        grants.extend({"operator_id": row["id"], "role": role} for role in spec.roles)
        world.operators[spec.login] = OperatorInfo(
            row["id"], spec.login, display_name, frozenset(spec.roles), spec.line
        )
    return operators, grants


def login_lines(world: World) -> list[str]:
    """"login  name  roles  note" lines, aligned, for the end of `desk demo`."""
    notes = {spec.login: spec.note for spec in OPERATORS}
    table = [
        (login, operator.display_name, ", ".join(sorted(r.value for r in operator.roles)),
         notes.get(login, ""))
        for login, operator in world.operators.items()
    ]
    widths = [max(len(row[column]) for row in table) for column in range(3)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, [*widths, 0], strict=True))
        .rstrip()
        for row in table
    ]
