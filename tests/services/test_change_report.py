"""Change lead times met or missed, refusals, and problems per month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from desk_tui.domain.changes import ChangeKind
from desk_tui.services import change_report, changes, problems
from desk_tui.services.changes import ChangeDraft
from desk_tui.store.engine import read_session, write_session
from tests.services.test_calls import register
from tests.world import World, at


def write(world: World, use_case: Callable[..., Any], **kwargs: Any) -> Any:
    with write_session(world.db) as session:
        return use_case(session=session, **kwargs)


def change(world: World, kind: ChangeKind, when: str, **values: Any) -> changes.ChangeSaved:
    draft = replace(ChangeDraft(organisation_id=world.organisation.id, kind=kind,
                                title="Wijziging"), **values)
    return write(world, changes.register_change, actor=world.agent, sla=world.sla,
                 draft=draft, now=at(when))


def complete(world: World, saved: changes.ChangeSaved, when: str) -> None:
    write(world, changes.complete_change, actor=world.specialist, change_id=saved.id,
          now=at(when))


def test_lead_times_per_kind_and_problems(world: World) -> None:
    in_time = change(world, ChangeKind.WACHTWOORD, "2026-12-07 09:00")  # due 09:15
    complete(world, in_time, "2026-12-07 09:10")
    late = change(world, ChangeKind.WACHTWOORD, "2026-12-07 10:00")  # due 10:15
    complete(world, late, "2026-12-07 10:30")
    overdue = change(world, ChangeKind.AUTORISATIE, "2026-12-08 09:00")  # due 10:00, open
    running = change(world, ChangeKind.OVERIG_STANDAARD, "2026-12-08 09:00")  # due Wed 16:00
    refused = change(world, ChangeKind.IN_DIENST, "2026-12-08 09:00",
                     requester_id=world.caller.id)  # not a designated submitter
    planned = change(world, ChangeKind.NIET_STANDAARD, "2026-12-01 09:00",
                     planned_for=at("2026-12-05 18:00"))
    complete(world, planned, "2026-12-05 19:00")
    call = register(world, now=at("2026-12-02 09:00"))
    opened = write(world, problems.open_problem, actor=world.agent, sla=world.sla,
                   title="Printers", call_ids=(call.id,), now=at("2026-12-02 10:00"))
    write(world, problems.resolve_problem, actor=world.specialist, sla=world.sla,
          problem_id=opened.id, now=at("2026-12-04 10:00"), solution="Klaar",
          resolve_calls=False)
    change(world, ChangeKind.WACHTWOORD, "2026-11-30 09:00")  # another month

    with read_session(world.db) as session:
        report = change_report.monthly_changes(
            session=session, actor=world.agent, sla=world.sla,
            organisation_id=world.organisation.id, month=date(2026, 12, 1),
            now=at("2026-12-08 12:00"),
        )

    kinds = {tally.kind: tally for tally in report.kinds}
    password = kinds[ChangeKind.WACHTWOORD]
    assert (password.registered, password.met, password.missed) == (2, 1, 1)
    assert password.missed_references == [late.reference]
    assert kinds[ChangeKind.AUTORISATIE].missed_references == [overdue.reference]
    assert kinds[ChangeKind.OVERIG_STANDAARD].running == 1
    assert (kinds[ChangeKind.IN_DIENST].refused, kinds[ChangeKind.IN_DIENST].missed) == (1, 0)
    assert kinds[ChangeKind.NIET_STANDAARD].missed_references == [planned.reference]
    assert (report.problems_opened, report.problems_resolved) == (1, 1)
    assert refused.status.value == "geweigerd" and running.refusal is None
