"""Problems (SPEC 7): similar calls suggested, bundled, analysed, fixed by a change, resolved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from desk_tui.domain.changes import ChangeKind
from desk_tui.services import calls, changes, problems
from desk_tui.services.changes import ChangeDraft
from desk_tui.services.errors import Conflict, InvalidInput, Refused, WrongState
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CallStatus, ChangeStatus, CiType, HistoryField, ProblemStatus
from desk_tui.store.models import Call, CallHistory, Category, ConfigurationItem
from tests.services.test_calls import draft, register
from tests.world import MONDAY_9, World, at


def write(world: World, use_case: Callable[..., Any], **kwargs: Any) -> Any:
    with write_session(world.db) as session:
        return use_case(session=session, **kwargs)


def read(world: World, use_case: Callable[..., Any], **kwargs: Any) -> Any:
    with read_session(world.db) as session:
        return use_case(session=session, **kwargs)


@pytest.fixture
def other_things(world: World) -> tuple[Category, ConfigurationItem]:
    with write_session(world.db) as session:
        category = Category(name="Telefonie")
        printer = ConfigurationItem(ci_type=CiType.PRINTER, name="ENK-PRN-0001",
                                    organisation_id=world.organisation.id)
        session.add_all([category, printer])
    return category, printer


def test_similar_calls_rank_shared_ci_category_and_text(world, other_things):
    telephony, printer = other_things
    base = register(world, subject="Balieprinter geeft papierstoring in lade twee")
    same_ci_text = register(world, subject="Papierstoring balieprinter lade twee",
                            now=MONDAY_9 + timedelta(minutes=5))
    same_category = register(world, subject="Scherm flikkert", ci_ids=(printer.id,),
                             now=MONDAY_9 + timedelta(minutes=6))
    unrelated = register(world, subject="Voicemail werkt niet", category_id=telephony.id,
                         description="Geen berichten", ci_ids=(),
                         now=MONDAY_9 + timedelta(minutes=7))
    elsewhere = world.write(
        calls.register_call, actor=world.agent, now=MONDAY_9,
        draft=replace(draft(world), organisation_id=world.other_organisation.id,
                      caller_id=world.stranger.id, ci_ids=(),
                      subject="Balieprinter papierstoring lade twee"),
    )

    found = read(world, problems.similar_calls, actor=world.agent, call_id=base.id,
                 now=MONDAY_9 + timedelta(minutes=10))

    ids = [hit.id for hit in found]
    assert ids[0] == same_ci_text.id
    assert set(found[0].reasons) == {"same CI", "same category", "same organisation",
                                     "similar text"}
    assert same_category.id in ids
    assert unrelated.id not in ids  # only the organisation in common: below the bar
    assert elsewhere.id in ids  # another municipality, same category and same words


def test_old_closed_calls_are_not_suggested(world):
    old = register(world, now=at("2026-09-01 09:00"))
    new = register(world)
    with write_session(world.db) as session:
        session.get(Call, old.id).status = CallStatus.GESLOTEN

    found = read(world, problems.similar_calls, actor=world.agent, call_id=new.id, now=MONDAY_9)

    assert old.id not in [hit.id for hit in found]


def test_a_problem_bundles_calls_is_analysed_fixed_and_resolves_its_calls(world):
    first, second, third = (register(world, now=MONDAY_9 + timedelta(minutes=m))
                            for m in (0, 1, 2))
    opened = write(world, problems.open_problem, actor=world.agent, sla=world.sla,
                   title="Balieprinters storen", call_ids=(first.id, second.id), now=MONDAY_9)
    added = write(world, problems.add_calls, actor=world.agent, problem_id=opened.id,
                  call_ids=(third.id, first.id), now=MONDAY_9)
    analysed = write(world, problems.record_analysis, actor=world.specialist,
                     problem_id=opened.id, root_cause="Firmware 4.2", now=MONDAY_9,
                     version=added.version)
    known = write(world, problems.record_analysis, actor=world.specialist, problem_id=opened.id,
                  workaround="Lade 1 gebruiken", now=MONDAY_9, version=analysed.version)
    change = write(world, changes.register_change, actor=world.agent, sla=world.sla,
                   now=MONDAY_9, draft=ChangeDraft(
                       organisation_id=world.organisation.id, kind=ChangeKind.NIET_STANDAARD,
                       title="Firmware printers naar 4.3", planned_for=at("2026-12-03 18:00"),
                       release_from="4.2", release_to="4.3"))
    fixed = write(world, problems.link_fix, actor=world.specialist, problem_id=opened.id,
                  change_id=change.id, now=MONDAY_9)
    with pytest.raises(Conflict):
        write(world, problems.resolve_problem, actor=world.specialist, sla=world.sla,
              problem_id=opened.id, now=MONDAY_9, solution="x", resolve_calls=True,
              version=analysed.version)
    resolved = write(world, problems.resolve_problem, actor=world.specialist, sla=world.sla,
                     problem_id=opened.id, now=at("2026-12-04 09:00"),
                     solution="Firmware bijgewerkt", resolve_calls=True, version=fixed.version)

    assert opened.reference == "P2026-000001"
    assert added.call_ids == (first.id, second.id, third.id)
    assert analysed.status is ProblemStatus.IN_ONDERZOEK
    assert known.status is ProblemStatus.BEKENDE_FOUT
    assert fixed.fix_change_ids == (change.id,)
    assert resolved.status is ProblemStatus.OPGELOST and resolved.open_call_ids == ()
    with read_session(world.db) as session:
        solutions = {session.get(Call, c).solution for c in (first.id, second.id, third.id)}
    assert solutions == {"Opgelost via probleem P2026-000001: Firmware bijgewerkt"}
    with pytest.raises(WrongState):
        write(world, problems.add_calls, actor=world.agent, problem_id=opened.id,
              call_ids=(first.id,), now=MONDAY_9)


def test_resolving_without_its_calls_leaves_them_open(world):
    call = register(world)
    opened = write(world, problems.open_problem, actor=world.agent, sla=world.sla,
                   title="Storing", call_ids=(call.id,), now=MONDAY_9)
    resolved = write(world, problems.resolve_problem, actor=world.specialist, sla=world.sla,
                     problem_id=opened.id, now=MONDAY_9, solution="Opgelost",
                     resolve_calls=False)
    assert resolved.open_call_ids == (call.id,)


def test_roles(world):
    call = register(world)
    with pytest.raises(Refused, match=r"problem\.bundle"):
        write(world, problems.open_problem, actor=world.nobody, sla=world.sla, title="x",
              call_ids=(call.id,), now=MONDAY_9)
    opened = write(world, problems.open_problem, actor=world.agent, sla=world.sla, title="x",
                   call_ids=(call.id,), now=MONDAY_9)
    with pytest.raises(Refused, match=r"problem\.manage"):
        write(world, problems.record_analysis, actor=world.agent, problem_id=opened.id,
              root_cause="y", now=MONDAY_9)


# -- the problem screen's services --------------------------------------------------------------
@pytest.fixture
def problem_manager(world: World):
    from desk_tui.services.queries import actor_for
    from desk_tui.store.enums import OperatorRole
    from desk_tui.store.models import Operator, OperatorRoleGrant

    with write_session(world.db) as session:
        operator = Operator(login="pm", display_name="Petra Probleem")
        session.add(operator)
        session.flush()
        session.add(OperatorRoleGrant(operator_id=operator.id, role=OperatorRole.PROBLEM_MANAGER))
    with read_session(world.db) as session:
        return actor_for(session, "pm")


def test_open_problems_list_organisations_calls_and_state(world):
    enk = register(world, subject="Printer storing")
    dre = register(world, subject="Printer storing ook hier", caller_id=world.stranger.id,
                   organisation_id=world.other_organisation.id, ci_ids=())
    opened = write(world, problems.open_problem, actor=world.agent, sla=world.sla,
                   title="Printers", call_ids=(enk.id, dre.id), now=MONDAY_9)
    done = write(world, problems.open_problem, actor=world.agent, sla=world.sla,
                 title="Al opgelost", call_ids=(enk.id,), now=MONDAY_9)
    write(world, problems.resolve_problem, actor=world.specialist, sla=world.sla,
          problem_id=done.id, now=MONDAY_9, solution="x", resolve_calls=False)

    [row] = read(world, problems.open_problems, actor=world.agent)
    assert (row.reference, row.title, row.organisations, row.call_count, row.status) == (
        opened.reference, "Printers", ("DRE", "ENK"), 2, ProblemStatus.OPEN)
    # A contract manager of the other organisation sees it for their own call only.
    [theirs] = read(world, problems.open_problems, actor=world.contract_manager)
    detail = read(world, problems.problem_in_full, actor=world.contract_manager,
                  problem_id=theirs.id)
    assert [line.subject for line in detail.calls] == ["Printer storing ook hier"]


def test_calls_are_added_by_their_numbers_and_the_history_says_so(world):
    first, second, third = (register(world, now=MONDAY_9 + timedelta(minutes=m))
                            for m in (0, 1, 2))
    opened = write(world, problems.open_problem, actor=world.agent, sla=world.sla,
                   title="Netwerk", call_ids=(first.id,), now=MONDAY_9)
    ids = write(world, problems.calls_by_reference, actor=world.agent, sla=world.sla,
                references=f"{second.reference}, 3", now=MONDAY_9)
    assert ids == (second.id, third.id)
    with pytest.raises(InvalidInput, match="there is no call M2026-000099"):
        write(world, problems.calls_by_reference, actor=world.agent, sla=world.sla,
              references="M2026-000099", now=MONDAY_9)
    with pytest.raises(InvalidInput, match="not a call number"):
        write(world, problems.calls_by_reference, actor=world.agent, sla=world.sla,
              references="printer", now=MONDAY_9)
    write(world, problems.add_calls, actor=world.agent, problem_id=opened.id, call_ids=ids,
          now=MONDAY_9)
    detail = read(world, problems.problem_in_full, actor=world.agent, problem_id=opened.id)
    assert [line.reference for line in detail.calls] == [
        first.reference, second.reference, third.reference]
    with read_session(world.db) as session:
        notes = session.execute(
            select(CallHistory.note).where(CallHistory.call_id == third.id,
                                           CallHistory.field == HistoryField.NOTE)
        ).scalars().all()
    assert notes == [f"Gebundeld in probleem {opened.reference}"]


def test_the_problem_manager_registers_the_fix_as_a_change(world, problem_manager):
    call = register(world)
    opened = write(world, problems.open_problem, actor=world.agent, sla=world.sla,
                   title="Firmware", call_ids=(call.id,), now=MONDAY_9)
    draft = ChangeDraft(organisation_id=world.organisation.id, kind=ChangeKind.NIET_STANDAARD,
                        title="Firmware naar 4.3", planned_for=at("2026-12-03 18:00"),
                        release_from="4.2", release_to="4.3")
    with pytest.raises(Refused, match=r"change\.register"):
        write(world, problems.register_fix, actor=world.specialist, sla=world.sla,
              problem_id=opened.id, draft=draft, now=MONDAY_9)
    saved = write(world, problems.register_fix, actor=problem_manager, sla=world.sla,
                  problem_id=opened.id, draft=draft, now=MONDAY_9)
    detail = read(world, problems.problem_in_full, actor=world.agent, problem_id=opened.id)
    [fix] = detail.fixes
    assert (fix.id, fix.reference, fix.status, fix.due) == (
        saved.id, "W2026-000001", ChangeStatus.AANGEVRAAGD, at("2026-12-03 18:00"))
    assert detail.view.fix_change_ids == (saved.id,)


def test_a_refused_fix_is_not_linked_and_a_refused_change_cannot_be_linked(world,
                                                                           problem_manager):
    call = register(world)
    opened = write(world, problems.open_problem, actor=world.agent, sla=world.sla,
                   title="Accounts", call_ids=(call.id,), now=MONDAY_9)
    refused = write(world, problems.register_fix, actor=problem_manager, sla=world.sla,
                    problem_id=opened.id, now=MONDAY_9, draft=ChangeDraft(
                        organisation_id=world.organisation.id, kind=ChangeKind.IN_DIENST,
                        title="Account", requester_id=world.caller.id))
    assert refused.refusal and "not designated" in refused.refusal
    assert read(world, problems.problem_in_full, actor=world.agent,
                problem_id=opened.id).fixes == ()
    with pytest.raises(InvalidInput, match="refused change"):
        write(world, problems.link_fix, actor=world.specialist, problem_id=opened.id,
              change_id=refused.id, now=MONDAY_9)
