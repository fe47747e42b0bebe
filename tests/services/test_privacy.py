"""SPEC 11: personal data of a participant whose contract ended is made inaccessible within
3 months, the statistics stay; a person's data can be exported on request."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import audit_trail, calls, privacy, queries
from desk_tui.services.calls import CallDraft
from desk_tui.services.errors import InvalidInput, NotFound, Refused
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import BreachStep, OperatorRole
from desk_tui.store.models import (
    Call,
    CallHistory,
    CrisisContact,
    GripLevel,
    OfflineCallBase,
    OfflineConflict,
    OfflineRecordBase,
    OfflineSite,
    OnCallHandover,
    Operator,
    OperatorRoleGrant,
    Organisation,
    P1Evaluation,
    Person,
    Problem,
    SecurityIncident,
    SecurityIncidentStep,
    StandbyEntry,
)
from desk_tui.store.tables import metadata
from tests.world import MONDAY_9, World

TODAY = date(2026, 11, 30)


def _admin(world: World):
    with write_session(world.db) as session:
        operator = Operator(login="admin", display_name="Beheer")
        session.add(operator)
        session.flush()
        session.add(OperatorRoleGrant(operator_id=operator.id, role=OperatorRole.ADMINISTRATOR))
    return world.read(queries.actor_for, login="admin")


def _contract_ends(world: World, organisation: Organisation, day: date | None) -> None:
    with write_session(world.db) as session:
        session.get(Organisation, organisation.id).contract_end = day


def _call(world: World, organisation: Organisation, caller: Person, subject: str):
    return world.write(calls.register_call, actor=world.agent, now=MONDAY_9, draft=CallDraft(
        organisation_id=organisation.id, call_type=CallType.STORING, subject=subject,
        caller_id=caller.id, impact=Level.HOOG, urgency=Level.MIDDEN,
        description=f"{caller.name} belde over {subject}"))


def _purge(world: World, admin, today: date = TODAY, **options):
    with write_session(world.db) as session:
        return privacy.purge(session=session, actor=admin, today=today, now=MONDAY_9,
                             **options)


def test_purge_anonymises_only_the_participant_whose_contract_ended_3_months_ago(
    world: World,
) -> None:
    admin = _admin(world)
    _contract_ends(world, world.other_organisation, date(2026, 7, 31))  # 4 months ago
    _contract_ends(world, world.organisation, date(2026, 10, 15))  # ended, not yet due
    ended = _call(world, world.other_organisation, world.stranger, "VPN van Kees")
    world.write(calls.resolve, actor=world.agent, call_id=ended.id, now=MONDAY_9,
                solution="Kees opnieuw ingelogd")
    kept = _call(world, world.organisation, world.caller, "Printer van Anouk")

    [report] = _purge(world, admin)

    assert (report.code, report.persons, report.operators, report.calls) == ("DRE", 1, 1, 1)
    with read_session(world.db) as session:
        stranger = session.get(Person, world.stranger.id)
        assert (stranger.name, stranger.email, stranger.phone, stranger.login) == (
            privacy.ANONYMOUS, None, None, None)
        manager = session.get(Operator, world.contract_manager.id)
        assert manager.display_name == privacy.ANONYMOUS and not manager.active
        assert "Joost" not in manager.login
        call = session.get(Call, ended.id)
        # The statistics stay: the call, its priority, times and status.
        assert (call.priority, call.status.value, call.registered_at) == (
            ended.priority, "opgelost", MONDAY_9)
        assert (call.subject, call.description, call.solution) == (privacy.WIPED, "", None)
        assert call.caller_id == world.stranger.id
        sealed = session.get(Organisation, world.other_organisation.id)
        assert sealed.personal_data_sealed_at == MONDAY_9
        # The participant still under its grace period keeps everything.
        caller = session.get(Person, world.caller.id)
        assert (caller.name, caller.email) == ("Anouk Jansen", "a.jansen@enkhuizen.example")
        assert session.get(Call, kept.id).subject == "Printer van Anouk"
        counts = dict(session.execute(
            select(Call.organisation_id, func.count()).group_by(Call.organisation_id)).all())
        assert counts == {world.other_organisation.id: 1, world.organisation.id: 1}
        assert session.execute(select(func.count()).select_from(CallHistory).where(
            CallHistory.call_id == ended.id)).scalar() >= 3


def test_purge_counts_from_the_contract_end_and_runs_again_harmlessly(world: World) -> None:
    admin = _admin(world)
    _contract_ends(world, world.other_organisation, date(2026, 8, 31))
    assert _purge(world, admin, today=date(2026, 11, 29)) == []  # one day short of 3 months
    [first] = _purge(world, admin, today=date(2026, 11, 30))
    assert first.persons == 1 and first.changed
    [again] = _purge(world, admin, today=date(2026, 12, 1))
    assert not again.changed
    assert "nothing new" in again.describe()


def test_a_dry_run_reports_and_changes_nothing(world: World) -> None:
    admin = _admin(world)
    _contract_ends(world, world.other_organisation, date(2026, 1, 31))
    with write_session(world.db) as session:
        [report] = privacy.purge(session=session, actor=admin, today=TODAY, now=MONDAY_9,
                                 dry_run=True)
        session.rollback()
    assert report.persons == 1
    with read_session(world.db) as session:
        assert session.get(Person, world.stranger.id).name == "Kees Visser"


def test_purge_needs_the_right_and_a_grace_of_at_most_3_months(world: World) -> None:
    admin = _admin(world)
    with pytest.raises(Refused):
        _purge(world, world.agent)
    with pytest.raises(InvalidInput, match="3 months"):
        _purge(world, admin, grace_months=4)


def test_a_person_is_exported_with_their_calls_and_history(world: World) -> None:
    admin = _admin(world)
    saved = _call(world, world.organisation, world.caller, "Wachtwoord verlopen")
    _call(world, world.other_organisation, world.stranger, "Niet van Anouk")
    with read_session(world.db) as session:
        person = privacy.find_person(session=session, actor=admin, key="ajansen")
        export = privacy.export_person(session=session, actor=admin, person_id=person.id)
    document = json.loads(json.dumps(export.as_json_ready()))
    assert document["person"]["name"] == "Anouk Jansen"
    assert document["organisation"]["code"] == "ENK"
    assert [c["id"] for c in document["calls_as_caller"]] == [str(saved.id)]
    assert {entry["call_id"] for entry in document["call_history"]} == {str(saved.id)}
    assert document["mails"] and document["mails"][0]["recipient"] == world.caller.email


def test_an_export_names_exactly_one_person(world: World) -> None:
    admin = _admin(world)
    with read_session(world.db) as session:
        with pytest.raises(NotFound):
            privacy.find_person(session=session, actor=admin, key="onbekend")
        with pytest.raises(Refused):
            privacy.find_person(session=session, actor=world.agent, key="ajansen")
        by_id = privacy.find_person(session=session, actor=admin, key=str(world.caller.id))
        assert by_id.id == world.caller.id


def _fill(world: World, organisation: Organisation, call_id: uuid.UUID, mark: str) -> None:
    """A row naming `mark` in every table that holds personal data or free text about an
    organisation's calls, sites and people."""
    with write_session(world.db) as session:
        site = OfflineSite(code=f"V{organisation.code}", name=f"Stembureau {organisation.code}",
                           organisation_id=organisation.id, public_key="ab" * 32)
        session.add(site)
        session.flush()
        incident = SecurityIncident(call_id=call_id, discovered_at=MONDAY_9)
        session.add(incident)
        session.flush()
        session.add_all([
            CrisisContact(organisation_id=organisation.id, role_title="OOV-adviseur",
                          name=f"{mark} Crisis", phone="06-11112222",
                          email=f"{mark.lower()}.crisis@example.org"),
            GripLevel(organisation_id=organisation.id, level=3, started_at=MONDAY_9,
                      crisis_since=MONDAY_9, note=f"{mark} meldt brand"),
            Problem(year=2026, number=len(mark), title=f"Mail van {mark}",
                    organisation_id=organisation.id, description=f"{mark} en collega's",
                    root_cause=f"regel van {mark}", workaround=f"{mark} belt"),
            StandbyEntry(site="main", at=MONDAY_9, who=f"{mark} (balie)",
                         location=f"{mark}straat 1", what=f"{mark} belde", call_id=call_id),
            StandbyEntry(site=site.code, at=MONDAY_9, who="voorzitter",
                         location="sporthal", what=f"{mark} vroeg om toner"),
            OfflineCallBase(site_id=site.id, call_id=call_id, version=1,
                            fields={"subject": f"Pas van {mark}", "priority": 2}),
            OfflineConflict(site_id=site.id, call_id=call_id, record_id=call_id,
                            bundle_id=f"b-{organisation.code}",
                            payload={"changed": {"description": f"{mark} opnieuw"},
                                     "history": [{"id": "1", "note": f"{mark} belde"}]},
                            payload_hash=organisation.code.ljust(64, "0"), central_version=1,
                            note=f"{mark} akkoord"),
            # A person the site edited: as last agreed, and disputed.
            OfflineRecordBase(site_id=site.id, kind="person", record_id=call_id,
                              fields={"name": f"{mark} de voorzitter", "phone": "06-12121212"}),
            OfflineConflict(site_id=site.id, call_id=None, kind="person", record_id=call_id,
                            bundle_id=f"p-{organisation.code}",
                            payload={"changed": {"job_title": f"{mark}s chef"},
                                     "fields": {"name": f"{mark} de voorzitter"}},
                            payload_hash=organisation.code.ljust(64, "1"), central_version=0),
            P1Evaluation(call_id=call_id, with_whom=f"{mark} en de wethouder",
                         summary=f"{mark} tevreden"),
            SecurityIncidentStep(incident_id=incident.id, step=BreachStep.IDENTIFICATIE,
                                 position=1, note=f"laptop van {mark} gestolen"),
        ])


def _every_text(world: World) -> str:
    """Every row of every table, the audit log included, as one text."""
    with world.db.connect() as connection:
        return "\n".join(
            json.dumps([dict(row) for row in connection.execute(select(table)).mappings()],
                       default=str, ensure_ascii=False)
            for table in metadata.sorted_tables)


def test_purge_wipes_every_table_that_names_the_organisations_people(world: World) -> None:
    admin = _admin(world)
    _contract_ends(world, world.other_organisation, date(2026, 7, 31))
    ended = _call(world, world.other_organisation, world.stranger, "VPN van Kees")
    kept = _call(world, world.organisation, world.caller, "Printer van Anouk")
    _fill(world, world.other_organisation, ended.id, "Kees")
    _fill(world, world.organisation, kept.id, "Anouk")

    def line(call: Any, code: str, subject: str) -> dict[str, Any]:
        return {"id": str(call.id), "reference": "M2026-000001", "organisation": code,
                "subject": subject, "priority": 2, "status": "opgelost", "handler": None}

    with write_session(world.db) as session:
        session.add_all([
            OnCallHandover(evening=date(2026, 11, 2), handed_over_at=MONDAY_9, done_count=2,
                           summary={"open": [], "registered": 2, "done": [
                               line(ended, "DRE", "VPN van Kees"),
                               line(kept, "ENK", "Printer van Anouk")]}),
            # Logged centrally without a call, naming one of the ended organisation's people.
            StandbyEntry(site="main", at=MONDAY_9, who="Kees Visser", what="wachtwoord kwijt"),
            StandbyEntry(site="main", at=MONDAY_9, who="Anouk Jansen", what="toner op"),
        ])
    with write_session(world.db) as session:
        [dry] = privacy.purge(session=session, actor=admin, today=TODAY, now=MONDAY_9,
                              dry_run=True)
        session.rollback()
    assert "Kees" in _every_text(world)

    [report] = _purge(world, admin)

    assert report == dry
    assert (report.crisis_contacts, report.problems, report.standby_entries,
            report.handovers, report.offline_records) == (1, 1, 3, 1, 4)
    assert "1 crisis contacts" in report.describe() and "3 standby entries" in report.describe()
    everything = _every_text(world)
    # Nothing of the ended organisation's people is left anywhere, the audit log included.
    for trace in ("Kees", "Visser", "k@dre.example", "kees.crisis@example.org"):
        assert trace not in everything, trace
    with read_session(world.db) as session:
        # What the statistics and the protocol need stays.
        handover = session.execute(select(OnCallHandover)).scalar_one()
        assert [entry["subject"] for entry in handover.summary["done"]] == [
            privacy.WIPED, "Printer van Anouk"]
        assert handover.done_count == 2
        crisis = session.execute(select(CrisisContact).where(
            CrisisContact.organisation_id == world.other_organisation.id)).scalar_one()
        assert (crisis.role_title, crisis.name, crisis.phone) == ("OOV-adviseur", None, "")
        grip = session.execute(select(GripLevel).where(
            GripLevel.organisation_id == world.other_organisation.id)).scalar_one()
        assert (grip.level, grip.note) == (3, None)
        conflict = session.execute(select(OfflineConflict).where(
            OfflineConflict.call_id == ended.id)).scalar_one()
        assert conflict.payload["changed"] == {"description": privacy.WIPED}
        step = session.execute(select(SecurityIncidentStep).join(SecurityIncident).where(
            SecurityIncident.call_id == ended.id)).scalar_one()
        assert (step.step, step.note) == (BreachStep.IDENTIFICATIE, None)
        # The participant still under contract keeps everything.
        assert "Anouk" in session.get(Problem, session.execute(select(Problem.id).where(
            Problem.organisation_id == world.organisation.id)).scalar_one()).title
        kept_lines = session.execute(select(StandbyEntry.who).where(
            StandbyEntry.who.like("Anouk%"))).scalars().all()
        assert sorted(kept_lines) == ["Anouk (balie)", "Anouk Jansen"]
        assert session.execute(select(P1Evaluation.summary).where(
            P1Evaluation.call_id == kept.id)).scalar_one() == "Anouk tevreden"
        assert session.execute(select(OfflineCallBase.fields).where(
            OfflineCallBase.call_id == kept.id)).scalar_one()["subject"] == "Pas van Anouk"
    [again] = _purge(world, admin, today=date(2026, 12, 1))
    assert not again.changed


def test_an_export_holds_standby_lines_crisis_rows_and_who_viewed_the_person(
    world: World,
) -> None:
    admin = _admin(world)
    saved = _call(world, world.organisation, world.caller, "Stempas kwijt")
    with write_session(world.db) as session:
        session.add_all([
            StandbyEntry(site="main", at=MONDAY_9, who="voorzitter", what="pas kwijt",
                         call_id=saved.id),
            StandbyEntry(site="main", at=MONDAY_9, who="ANOUK JANSEN", what="belt terug"),
            StandbyEntry(site="main", at=MONDAY_9, who="balie",
                         what=f"mail naar {world.caller.email} gestuurd"),
            StandbyEntry(site="main", at=MONDAY_9, who="Kees Visser", what="niet van haar"),
            CrisisContact(organisation_id=world.organisation.id, role_title="OOV-adviseur",
                          name="Anouk Jansen", phone="06-12345678"),
            CrisisContact(organisation_id=world.other_organisation.id,
                          role_title="Crisislijn", phone="0229-000000"),
        ])
    audit_trail.viewed_person(world.db, world.agent, world.caller.id, "caller of a call")
    audit_trail.viewed_person(world.db, admin, world.stranger.id, "someone else")

    with read_session(world.db) as session:
        export = privacy.export_person(session=session, actor=admin,
                                       person_id=world.caller.id)
    document = json.loads(json.dumps(export.as_json_ready()))

    assert sorted(entry["who"] for entry in document["standby_entries"]) == [
        "ANOUK JANSEN", "balie", "voorzitter"]
    assert [row["role_title"] for row in document["crisis_contact_for"]] == ["OOV-adviseur"]
    [read] = document["viewed_by"]
    assert (read["by"], read["what"]) == ("agent", "caller of a call")
    assert datetime.fromisoformat(read["at"]).tzinfo is not None


def test_purge_wipes_the_notes_and_personal_attributes_of_its_cis_and_contracts(
    world: World,
) -> None:
    """An imported CMDB sheet can carry a user's name in a CI's attributes or notes, and
    a contract's notes can name a contact: the ended participant's are wiped, the type,
    configuration and counts that the invoice needs stay."""
    from desk_tui.store.enums import CiHistoryField, CiType, ContractKind
    from desk_tui.store.models import CiHistory, ConfigurationItem, Contract

    admin = _admin(world)
    _contract_ends(world, world.other_organisation, date(2026, 7, 31))
    with write_session(world.db) as session:
        ended_ci = ConfigurationItem(
            ci_type=CiType.LAPTOP, name="LT-DRE-0042", organisation_id=world.other_organisation.id,
            configuration="standaard", notes="Uitgeleend aan Kees Visser",
            attributes={"name": "Kees Visser", "memory_gb": 16})
        kept_ci = ConfigurationItem(
            ci_type=CiType.LAPTOP, name="LT-ENK-0007", organisation_id=world.organisation.id,
            notes="Uitgeleend aan Anouk", attributes={"name": "Anouk Jansen"})
        session.add_all([ended_ci, kept_ci])
        session.flush()
        session.add_all([
            CiHistory(ci_id=ended_ci.id, at=MONDAY_9, field=CiHistoryField.NOTE,
                      old_value=None, new_value="Uitgeleend aan Kees Visser"),
            Contract(number="C-DRE-1", title="Onderhoud laptops", supplier="Leverancier",
                     kind=ContractKind.ONDERHOUD, organisation_id=world.other_organisation.id,
                     starts_on=date(2024, 1, 1), notes="Contactpersoon Kees Visser"),
            Contract(number="C-ENK-1", title="Onderhoud laptops", supplier="Leverancier",
                     kind=ContractKind.ONDERHOUD, organisation_id=world.organisation.id,
                     starts_on=date(2024, 1, 1), notes="Contactpersoon Anouk"),
        ])
        ended_id, kept_id = ended_ci.id, kept_ci.id

    [report] = _purge(world, admin)

    assert (report.cis, report.contracts) == (1, 1)
    with read_session(world.db) as session:
        ended = session.get(ConfigurationItem, ended_id)
        assert ended.notes is None and ended.attributes == {"name": privacy.WIPED,
                                                            "memory_gb": 16}
        assert (ended.ci_type, ended.configuration) == (CiType.LAPTOP, "standaard")
        assert session.execute(select(CiHistory.new_value).where(
            CiHistory.ci_id == ended_id)).scalars().all() == [None]
        assert session.get(ConfigurationItem, kept_id).notes == "Uitgeleend aan Anouk"
        notes = dict(session.execute(select(Contract.number, Contract.notes)).all())
        assert notes == {"C-DRE-1": None, "C-ENK-1": "Contactpersoon Anouk"}
    [again] = _purge(world, admin, today=date(2026, 12, 1))
    assert not again.changed
