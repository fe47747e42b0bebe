"""The one object the console talks to: opens a session per use case and passes the
acting operator, the SLA engine and the clock. Every method blocks on the database, so
the UI calls them from thread workers only."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine

from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import SlaEngine
from desk_tui.services import (
    calls,
    changes,
    cmdb,
    cmdb_links,
    escalation,
    p1,
    people,
    problems,
    queries,
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
from desk_tui.store.enums import CiRelationKind, SupportLine

Clock = Callable[[], datetime]


class Desk:
    """Use cases bound to one database, one SLA engine and one clock."""

    def __init__(self, db: Engine, sla: SlaEngine, clock: Clock):
        self.db = db
        self.sla = sla
        self.clock = clock

    def now(self) -> datetime:
        return self.clock()

    # -- reading ------------------------------------------------------------------------
    def actor(self, login: str) -> Actor:
        with read_session(self.db) as session:
            return queries.actor_for(session, login)

    def queue(self, actor: Actor, query: QueueFilter) -> list[QueueRow]:
        with read_session(self.db) as session:
            return queries.open_queue(
                session=session, actor=actor, sla=self.sla, now=self.now(), query=query
            )

    def detail(self, actor: Actor, call_id: uuid.UUID) -> CallDetail:
        with read_session(self.db) as session:
            return queries.call_detail(session=session, actor=actor, sla=self.sla, call_id=call_id)

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
        return self._write(calls.register_call, actor, draft=draft)

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
                                             now=self.now())

    # -- changes -----------------------------------------------------------------------
    def register_change(self, actor: Actor, draft: changes.ChangeDraft) -> changes.ChangeSaved:
        with write_session(self.db) as session:
            return changes.register_change(session=session, actor=actor, sla=self.sla,
                                           draft=draft, now=self.now())

    def open_changes(self, actor: Actor) -> list[changes.ChangeRow]:
        with read_session(self.db) as session:
            return changes.open_changes(session=session, actor=actor)

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
        with read_session(self.db) as session:
            return cmdb.ci_detail(session=session, actor=actor, ci_id=ci_id, today=self.today(),
                                  zone=self.sla.calendars.config.zone)

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
