"""The one object the console talks to: opens a session per use case and passes the
acting operator, the SLA engine and the clock. Every method blocks on the database, so
the UI calls them from thread workers only."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.escalation import EscalationPolicy
from desk_tui.domain.oncall import OnCallScope
from desk_tui.domain.sla import SlaEngine
from desk_tui.services import (
    audit_trail,
    calls,
    changes,
    cmdb,
    cmdb_links,
    crisis,
    escalation,
    offline,
    oncall,
    p1,
    people,
    privacy,
    problems,
    queries,
    report_series,
    security,
    workload,
)
from desk_tui.services.access import Actor
from desk_tui.services.calls import CallDraft, Saved
from desk_tui.services.cmdb_links import ContractDraft
from desk_tui.services.cmdb_views import (
    CertificateRow,
    CiDetail,
    CiHit,
    CiNeighbour,
    ContractDetail,
    ContractRow,
    ImpactReport,
    LicenceRow,
)
from desk_tui.services.people import PersonDraft
from desk_tui.services.queries import (
    CallDetail,
    CallHit,
    Choice,
    LinkedCi,
    PersonHit,
    QueueFilter,
)
from desk_tui.services.views import QueueRow
from desk_tui.store.engine import is_sqlite, read_session, write_session
from desk_tui.store.enums import BreachStep, CiRelationKind, SupportLine

Clock = Callable[[], datetime]
READ_LOG_SECONDS = 15 * 60  # a person's data viewed again within this: no new audit entry


if TYPE_CHECKING:
    from desk_tui.services.offline_sync import ConflictView


class Desk:
    """Use cases bound to one database, one SLA engine and one clock."""

    def __init__(
        self, db: Engine, sla: SlaEngine, clock: Clock,
        policy: EscalationPolicy | None = None, on_call: OnCallScope | None = None,
    ):
        self.db = db
        self.sla = sla
        self.clock = clock
        self.policy = policy or EscalationPolicy()
        self.on_call = on_call or OnCallScope()  # [on_call]: what the evening on-call handles
        self._read_logged: dict[tuple[uuid.UUID, uuid.UUID, str], float] = {}
        self._site: str | None = None

    def site_code(self) -> str:
        """The site new calls are numbered under: an election site's copy numbers its own
        (M2026-V01-000004), the central database "main"."""
        if self._site is None:
            from desk_tui.services.offline import site_code_of

            self._site = site_code_of(self.db)
        return self._site

    def now(self) -> datetime:
        return self.clock()

    # -- reading ------------------------------------------------------------------------
    def actor(self, login: str, pin: str | None = None) -> Actor:
        """The operator `login`, once identified (services/identity.py): their PIN, or
        for an account without one a connection that proves who they are. Raises
        IdentityRefused (PinRequired: ask for the PIN) or NotFound."""
        from desk_tui.services import identity

        return identity.sign_in(self.db, login, pin, now=self.now())

    def set_pin(self, actor: Actor, login: str, pin: str) -> None:
        from desk_tui.services import identity

        identity.set_pin(self.db, actor, login, pin)

    def queue(self, actor: Actor, query: QueueFilter) -> list[QueueRow]:
        with read_session(self.db) as session:
            return queries.open_queue(
                session=session, actor=actor, sla=self.sla, now=self.now(), query=query
            )

    def detail(self, actor: Actor, call_id: uuid.UUID) -> CallDetail:
        with read_session(self.db) as session:
            found = queries.call_detail(session=session, actor=actor, sla=self.sla,
                                        call_id=call_id)
        if found.caller_id is not None:  # the caller's data was shown: an audited read
            self._viewed(actor, found.caller_id, f"caller of call {found.reference}")
        return found

    def viewed_person(self, actor: Actor, person_id: uuid.UUID, what: str) -> None:
        """The console showed this person's details (the caller picked at intake, the
        requester picked in a change form): an audited read, de-duplicated like the rest."""
        self._viewed(actor, person_id, what)

    def _viewed(self, actor: Actor, person_id: uuid.UUID, what: str) -> None:
        """Log a view of a person's data; the call view re-reads every 30 s, so one
        entry per operator and person per READ_LOG_SECONDS, not one per refresh."""
        key = (actor.id, person_id, what)
        now = time.monotonic()
        if now - self._read_logged.get(key, -READ_LOG_SECONDS) < READ_LOG_SECONDS:
            return
        audit_trail.viewed_person(self.db, actor, person_id, what)
        self._read_logged[key] = now

    def search(self, actor: Actor, text: str) -> list[CallHit]:
        with read_session(self.db) as session:
            return queries.search_calls(session=session, actor=actor, text=text, sla=self.sla)

    def find_people(self, actor: Actor, text: str) -> list[PersonHit]:
        with read_session(self.db) as session:
            return queries.find_people(session=session, actor=actor, text=text)

    def find_cis(
        self, actor: Actor, text: str, organisation_id: uuid.UUID | None = None
    ) -> list[LinkedCi]:
        with read_session(self.db) as session:
            return queries.find_cis(
                session=session, actor=actor, text=text, organisation_id=organisation_id
            )

    def pick_lists(self) -> dict[str, list[Choice]]:
        with read_session(self.db) as session:
            return {
                "organisations": queries.organisations(session=session),
                "categories": queries.categories(session=session),
                "operators": queries.operators(session=session),
                "departments": people.departments(session=session),
            }

    # -- writing ------------------------------------------------------------------------
    def _write(self, use_case: Callable[..., Saved], actor: Actor, **kwargs: Any) -> Saved:
        with write_session(self.db) as session:
            return use_case(session=session, actor=actor, sla=self.sla, now=self.now(), **kwargs)

    def register(self, actor: Actor, draft: CallDraft) -> Saved:
        return self._write(calls.register_call, actor, draft=draft, site=self.site_code())

    def register_person(self, actor: Actor, draft: PersonDraft) -> PersonHit:
        with write_session(self.db) as session:
            return people.register_person(session=session, actor=actor, draft=draft)

    def take(self, actor: Actor, call_id: uuid.UUID, version: int | None) -> Saved:
        return self._write(calls.take, actor, call_id=call_id, version=version)

    def assign(
        self, actor: Actor, call_id: uuid.UUID, operator_id: uuid.UUID, version: int | None
    ) -> Saved:
        return self._write(
            calls.assign, actor, call_id=call_id, operator_id=operator_id, version=version
        )

    def reclassify(
        self, actor: Actor, call_id: uuid.UUID, version: int | None, *, call_type: CallType,
        impact: Level | None, urgency: Level | None, category_id: uuid.UUID | None, note: str,
        agreed_with: str = "",
    ) -> Saved:
        return self._write(
            calls.reclassify, actor, call_id=call_id, version=version, call_type=call_type,
            impact=impact, urgency=urgency, category_id=category_id, note=note,
            agreed_with=agreed_with,
        )

    def move_line(
        self, actor: Actor, call_id: uuid.UUID, version: int | None, line: SupportLine,
        note: str = "", supplier: str | None = None,
    ) -> Saved:
        return self._write(
            calls.move_line, actor, call_id=call_id, version=version, line=line, note=note,
            supplier=supplier,
        )

    def pause(self, actor: Actor, call_id: uuid.UUID, version: int | None, reason: str) -> Saved:
        return self._write(calls.pause, actor, call_id=call_id, version=version, reason=reason)

    def resume(self, actor: Actor, call_id: uuid.UUID, version: int | None) -> Saved:
        return self._write(calls.resume, actor, call_id=call_id, version=version)

    def resolve(
        self, actor: Actor, call_id: uuid.UUID, version: int | None, solution: str
    ) -> Saved:
        return self._write(calls.resolve, actor, call_id=call_id, version=version,
                           solution=solution)

    def close(
        self, actor: Actor, call_id: uuid.UUID, version: int | None, agreed_with: str = ""
    ) -> Saved:
        return self._write(calls.close, actor, call_id=call_id, version=version,
                           agreed_with=agreed_with)

    # -- escalation --------------------------------------------------------------------
    def escalate(
        self, actor: Actor, call_id: uuid.UUID, version: int | None, level: int, reason: str
    ) -> Saved:
        return self._write(calls.escalate, actor, call_id=call_id, version=version,
                           level=level, reason=reason)

    def ladder(self, actor: Actor, organisation_id: uuid.UUID) -> list[escalation.LadderLevel]:
        with read_session(self.db) as session:
            return escalation.ladder(session=session, actor=actor,
                                     organisation_id=organisation_id)

    def needing_action(self, actor: Actor) -> list[escalation.NeedsAction]:
        with read_session(self.db) as session:
            return escalation.needing_action(session=session, actor=actor, sla=self.sla,
                                             now=self.now(), policy=self.policy)

    # -- reports (SPEC 9) -----------------------------------------------------------------
    def report_month(
        self, actor: Actor, organisation_id: uuid.UUID, month: date
    ) -> report_series.ReportMonth:
        with read_session(self.db) as session:
            return report_series.report_month(session=session, actor=actor, sla=self.sla,
                                              organisation_id=organisation_id, month=month,
                                              now=self.now())

    def report_series(
        self, actor: Actor, organisation_id: uuid.UUID, last_month: date,
        months: int = report_series.SERIES_MONTHS,
    ) -> tuple[report_series.MonthFigures, ...]:
        with read_session(self.db) as session:
            return report_series.monthly_series(session=session, actor=actor, sla=self.sla,
                                                organisation_id=organisation_id,
                                                last_month=last_month, now=self.now(),
                                                months=months)

    def work_queues(
        self, actor: Actor, organisation_id: uuid.UUID | None = None
    ) -> workload.Workload:
        with read_session(self.db) as session:
            return workload.work_queues(session=session, actor=actor, sla=self.sla,
                                        now=self.now(), organisation_id=organisation_id)

    # -- crisis (GRIP levels) ----------------------------------------------------------
    def crisis_levels(self, actor: Actor) -> list[crisis.OrganisationCrisis]:
        with read_session(self.db) as session:
            return crisis.current_levels(session=session, actor=actor)

    def set_grip_level(
        self, actor: Actor, code: str, level: int, note: str = ""
    ) -> crisis.GripChange:
        with write_session(self.db) as session:
            return crisis.set_level(session=session, actor=actor, code=code, level=level,
                                    now=self.now(), note=note)

    def clear_grip_level(self, actor: Actor, code: str) -> crisis.GripChange:
        with write_session(self.db) as session:
            return crisis.clear_level(session=session, actor=actor, code=code, now=self.now())

    # -- changes -----------------------------------------------------------------------
    def register_change(self, actor: Actor, draft: changes.ChangeDraft) -> changes.ChangeSaved:
        with write_session(self.db) as session:
            return changes.register_change(session=session, actor=actor, sla=self.sla,
                                           draft=draft, now=self.now())

    def open_changes(self, actor: Actor) -> list[changes.ChangeRow]:
        with read_session(self.db) as session:
            return changes.open_changes(session=session, actor=actor)

    def find_requesters(self, actor: Actor, text: str) -> list[changes.RequesterHit]:
        with read_session(self.db) as session:
            return changes.find_requesters(session=session, actor=actor, text=text)

    def requester(self, actor: Actor, person_id: uuid.UUID) -> changes.RequesterHit:
        """A person as a change's requester (a call's caller): shown, so an audited read."""
        with read_session(self.db) as session:
            found = changes.requester(session=session, actor=actor, person_id=person_id)
        self._viewed(actor, person_id, "requester of a change")
        return found

    def complete_change(self, actor: Actor, change_id: uuid.UUID) -> changes.ChangeSaved:
        with write_session(self.db) as session:
            return changes.complete_change(session=session, actor=actor, change_id=change_id,
                                           now=self.now())

    # -- problems ----------------------------------------------------------------------
    def similar_calls(self, actor: Actor, call_id: uuid.UUID) -> list[problems.SimilarCall]:
        with read_session(self.db) as session:
            return problems.similar_calls(session=session, actor=actor, call_id=call_id,
                                          now=self.now())

    def open_problem(
        self, actor: Actor, title: str, call_ids: tuple[uuid.UUID, ...], description: str = ""
    ) -> problems.ProblemView:
        with write_session(self.db) as session:
            return problems.open_problem(session=session, actor=actor, sla=self.sla,
                                         title=title, description=description,
                                         call_ids=call_ids, now=self.now())

    def open_problems(self, actor: Actor) -> list[problems.ProblemRow]:
        with read_session(self.db) as session:
            return problems.open_problems(session=session, actor=actor)

    def problem(self, actor: Actor, problem_id: uuid.UUID) -> problems.ProblemDetail:
        with read_session(self.db) as session:
            return problems.problem_in_full(session=session, actor=actor, problem_id=problem_id)

    def record_analysis(
        self, actor: Actor, problem_id: uuid.UUID, version: int | None, *,
        root_cause: str | None = None, workaround: str | None = None,
    ) -> problems.ProblemView:
        with write_session(self.db) as session:
            return problems.record_analysis(session=session, actor=actor, problem_id=problem_id,
                                            now=self.now(), root_cause=root_cause,
                                            workaround=workaround, version=version)

    def add_problem_calls(
        self, actor: Actor, problem_id: uuid.UUID, references: str
    ) -> problems.ProblemView:
        """Add the calls named by their numbers ("M2026-000012, 13")."""
        with write_session(self.db) as session:
            call_ids = problems.calls_by_reference(session=session, actor=actor,
                                                   references=references, now=self.now(),
                                                   sla=self.sla)
            return problems.add_calls(session=session, actor=actor, problem_id=problem_id,
                                      call_ids=call_ids, now=self.now())

    def link_fix(
        self, actor: Actor, problem_id: uuid.UUID, change_id: uuid.UUID
    ) -> problems.ProblemView:
        with write_session(self.db) as session:
            return problems.link_fix(session=session, actor=actor, problem_id=problem_id,
                                     change_id=change_id, now=self.now())

    def register_fix(
        self, actor: Actor, problem_id: uuid.UUID, draft: changes.ChangeDraft
    ) -> changes.ChangeSaved:
        with write_session(self.db) as session:
            return problems.register_fix(session=session, actor=actor, sla=self.sla,
                                         problem_id=problem_id, draft=draft, now=self.now())

    def resolve_problem(
        self, actor: Actor, problem_id: uuid.UUID, version: int | None, solution: str,
        resolve_calls: bool,
    ) -> problems.ProblemView:
        with write_session(self.db) as session:
            return problems.resolve_problem(session=session, actor=actor, sla=self.sla,
                                            problem_id=problem_id, now=self.now(),
                                            solution=solution, resolve_calls=resolve_calls,
                                            version=version)
    # -- privacy -------------------------------------------------------------------------
    def purge_status(self, actor: Actor, grace_months: int) -> privacy.PurgeStatus:
        """Whether the daily privacy purge keeps up (an administrator's console warns)."""
        with read_session(self.db) as session:
            return privacy.purge_status(session=session, actor=actor, now=self.now(),
                                        today=self.today(), grace_months=grace_months)

    # -- security incidents ------------------------------------------------------------
    def breach(self, actor: Actor, call_id: uuid.UUID) -> security.BreachView | None:
        with read_session(self.db) as session:
            return security.overview(session=session, actor=actor, call_id=call_id)

    def declare_breach(
        self, actor: Actor, call_id: uuid.UUID, discovered_at: datetime
    ) -> security.BreachView:
        with write_session(self.db) as session:
            return security.declare(session=session, actor=actor, call_id=call_id,
                                    discovered_at=discovered_at, now=self.now())

    def record_breach_step(
        self, actor: Actor, call_id: uuid.UUID, step: BreachStep, note: str
    ) -> security.BreachView:
        with write_session(self.db) as session:
            return security.record_step(session=session, actor=actor, call_id=call_id,
                                        step=step, note=note, now=self.now())

    # -- priority 1 --------------------------------------------------------------------
    def p1_overview(self, actor: Actor, call_id: uuid.UUID) -> p1.P1Overview:
        with read_session(self.db) as session:
            return p1.overview(session=session, actor=actor, call_id=call_id)

    def open_evaluations(self, actor: Actor) -> list[p1.Evaluation]:
        with read_session(self.db) as session:
            return p1.open_evaluations(session=session, actor=actor)

    def plan_evaluation(
        self, actor: Actor, call_id: uuid.UUID, planned_for: datetime, with_whom: str
    ) -> p1.Evaluation:
        with write_session(self.db) as session:
            return p1.plan_evaluation(session=session, actor=actor, call_id=call_id,
                                      planned_for=planned_for, with_whom=with_whom,
                                      now=self.now())

    def record_evaluation(
        self, actor: Actor, call_id: uuid.UUID, held_at: datetime, summary: str
    ) -> p1.Evaluation:
        with write_session(self.db) as session:
            return p1.record_evaluation(session=session, actor=actor, call_id=call_id,
                                        held_at=held_at, summary=summary, now=self.now())

    def reopen(self, actor: Actor, call_id: uuid.UUID, version: int | None, reason: str) -> Saved:
        return self._write(calls.reopen, actor, call_id=call_id, version=version, reason=reason)

    def link_ci(
        self, actor: Actor, call_id: uuid.UUID, ci_id: uuid.UUID, version: int | None = None
    ) -> Saved:
        return self._write(calls.link_ci, actor, call_id=call_id, ci_id=ci_id, version=version)

    def unlink_ci(
        self, actor: Actor, call_id: uuid.UUID, ci_id: uuid.UUID, version: int | None = None
    ) -> Saved:
        return self._write(calls.unlink_ci, actor, call_id=call_id, ci_id=ci_id,
                           version=version)

    # -- CMDB ---------------------------------------------------------------------------
    def today(self) -> date:
        """Today's date where the SLA is kept: expiry and notice dates are local days."""
        return self.now().astimezone(self.sla.calendars.config.zone).date()

    def search_cis(
        self, actor: Actor, text: str, organisation_id: uuid.UUID | None = None
    ) -> list[CiHit]:
        # On PostgreSQL the search is one statement, a snapshot of its own: without a
        # transaction around it, BEGIN and ROLLBACK (two of its four round trips) go.
        engine = self.db if is_sqlite(self.db) else self.db.execution_options(
            isolation_level="AUTOCOMMIT")
        with read_session(engine) as session:
            return cmdb.search_cis(
                session=session, actor=actor, text=text, organisation_id=organisation_id
            )

    def ci_detail(self, actor: Actor, ci_id: uuid.UUID) -> CiDetail:
        """The CI in full; its owner's name and login are shown, so an audited read."""
        with read_session(self.db) as session:
            found = cmdb.ci_detail(session=session, actor=actor, ci_id=ci_id,
                                   today=self.today(), zone=self.sla.calendars.config.zone)
        if found.owner_id is not None:
            self._viewed(actor, found.owner_id, f"owner of CI {found.hit.name}")
        return found

    def ci_neighbours(self, actor: Actor, ci_id: uuid.UUID) -> list[CiNeighbour]:
        with read_session(self.db) as session:
            return cmdb.neighbours(session=session, actor=actor, ci_id=ci_id)

    def ci_impact(self, actor: Actor, ci_id: uuid.UUID) -> ImpactReport:
        with read_session(self.db) as session:
            return cmdb.impact(session=session, actor=actor, ci_id=ci_id,
                               zone=self.sla.calendars.config.zone)

    def expiring(self, actor: Actor, within_days: int = 90) -> list[CertificateRow]:
        with read_session(self.db) as session:
            return cmdb.expiring(session=session, actor=actor, today=self.today(),
                                 within_days=within_days)

    def certificate_warning(self, actor: Actor) -> tuple[int, int]:
        """(expired, due within 30 days) certificates: the console's warning."""
        with read_session(self.db) as session:
            return cmdb.certificate_warning(session=session, actor=actor, today=self.today())

    def contracts(
        self, actor: Actor, ending_within_days: int | None = None
    ) -> list[ContractRow]:
        with read_session(self.db) as session:
            return cmdb.contracts(session=session, actor=actor, today=self.today(),
                                  ending_within_days=ending_within_days)

    def licences(self, actor: Actor) -> list[LicenceRow]:
        with read_session(self.db) as session:
            return cmdb.licences(session=session, actor=actor)

    def contract_detail(self, actor: Actor, contract_id: uuid.UUID) -> ContractDetail:
        with read_session(self.db) as session:
            return cmdb.contract_detail(session=session, actor=actor, contract_id=contract_id)

    def relate(
        self, actor: Actor, from_ci_id: uuid.UUID, to_ci_id: uuid.UUID, kind: CiRelationKind
    ) -> uuid.UUID:
        with write_session(self.db) as session:
            return cmdb_links.relate(session=session, actor=actor, from_ci_id=from_ci_id,
                                     to_ci_id=to_ci_id, kind=kind, now=self.now())

    def unrelate(
        self, actor: Actor, from_ci_id: uuid.UUID, to_ci_id: uuid.UUID, kind: CiRelationKind
    ) -> None:
        with write_session(self.db) as session:
            cmdb_links.unrelate(session=session, actor=actor, from_ci_id=from_ci_id,
                                to_ci_id=to_ci_id, kind=kind, now=self.now())

    def register_contract(self, actor: Actor, draft: ContractDraft) -> uuid.UUID:
        with write_session(self.db) as session:
            return cmdb_links.register_contract(session=session, actor=actor, draft=draft,
                                                now=self.now())

    def link_contract(self, actor: Actor, contract_id: uuid.UUID, ci_id: uuid.UUID) -> None:
        with write_session(self.db) as session:
            cmdb_links.link_contract(session=session, actor=actor, contract_id=contract_id,
                                     ci_id=ci_id, now=self.now())

    def unlink_contract(self, actor: Actor, contract_id: uuid.UUID, ci_id: uuid.UUID) -> None:
        with write_session(self.db) as session:
            cmdb_links.unlink_contract(session=session, actor=actor, contract_id=contract_id,
                                       ci_id=ci_id, now=self.now())

    # -- evening on-call and election sites -------------------------------------------
    def on_call_queue(self, actor: Actor,
                      query: QueueFilter | None = None) -> oncall.OnCallQueue:
        with read_session(self.db) as session:
            return oncall.on_call_queue(session=session, actor=actor, sla=self.sla,
                                        now=self.now(), scope=self.on_call,
                                        query=query or QueueFilter())

    def hand_over_if_due(self, actor: Actor) -> oncall.HandoverView | None:
        """Read first: the write lock is taken only when an evening waits for handover."""
        with read_session(self.db) as session:
            if not oncall.handover_due(session=session, actor=actor, sla=self.sla,
                                       now=self.now()):
                return None
        with write_session(self.db) as session:
            return oncall.hand_over_if_due(session=session, actor=actor, sla=self.sla,
                                           now=self.now(), scope=self.on_call)

    def pending_handover(self, actor: Actor) -> oncall.HandoverView | None:
        with read_session(self.db) as session:
            return oncall.pending_handover(session=session, actor=actor)

    def acknowledge_handover(self, actor: Actor, handover_id: uuid.UUID) -> None:
        with write_session(self.db) as session:
            oncall.acknowledge(session=session, actor=actor, handover_id=handover_id,
                               now=self.now())

    def offline_conflicts(self, actor: Actor) -> list[ConflictView]:
        """Calls, people and other records changed both centrally and at an election
        site, still to decide."""
        from desk_tui.services.offline_sync import conflicts

        with read_session(self.db) as session:
            return conflicts(session=session, actor=actor)

    def resolve_offline_conflict(
        self, actor: Actor, conflict_id: uuid.UUID, keep: str, note: str = ""
    ) -> ConflictView:
        """Keep the site's version ("site") or the central one ("central")."""
        from desk_tui.services.offline_sync import resolve_conflict

        with write_session(self.db) as session:
            return resolve_conflict(session=session, actor=actor, conflict=conflict_id.hex,
                                    keep=keep, now=self.now(), note=note, sla=self.sla)

    def standby_log(self, actor: Actor) -> list[offline.StandbyLine]:
        with read_session(self.db) as session:
            return offline.standby_log(session=session, actor=actor)

    def log_standby(
        self, actor: Actor, who: str, what: str, location: str = "",
        call_reference: str | None = None,
    ) -> offline.StandbyLine:
        with write_session(self.db) as session:
            return offline.log_standby(session=session, actor=actor, now=self.now(), who=who,
                                       what=what, location=location,
                                       call_reference=call_reference)

