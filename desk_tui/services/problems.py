"""Problems (SPEC 7): bundle similar calls, record cause and workaround, link the change
that fixes it, and resolve the problem with (if wished) its open calls.

Similar calls are found in two steps: the database narrows the candidates to calls that
share the category, a CI or the organisation and are open or recent; Python then scores
them, so the rule stays readable and the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from desk_tui.domain.changes import ChangeKind
from desk_tui.domain.sla import SlaEngine
from desk_tui.services import calls, changes
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import Conflict, InvalidInput, NotFound, WrongState
from desk_tui.services.text_rules import DESCRIPTION_MAX, SUBJECT_MAX, clean_text
from desk_tui.store.enums import CallStatus, ChangeStatus, HistoryField, ProblemStatus
from desk_tui.store.models import (
    Call,
    CallCi,
    CallHistory,
    Change,
    Organisation,
    Problem,
    ProblemCall,
)
from desk_tui.store.numbers import ReferenceKind, format_reference, next_number
from desk_tui.store.references import CENTRAL_SITE

RECENT = timedelta(days=30)
CANDIDATES = 500  # the newest this many candidates are scored
SHOWN_FROM = 3  # the lowest score worth showing
_WORD = re.compile(r"[^\W\d_]{4,}")  # words of four letters or more carry the meaning
# "M2026-000012", "M2026-V01-000004", "m2026-12", or a bare number (this year, central site)
_CALL_REFERENCE = re.compile(r"^(?:M?(\d{4})-(?:([A-Z0-9]+)-)?)?(\d{1,9})$", re.IGNORECASE)
_FINISHED = (ProblemStatus.OPGELOST, ProblemStatus.GESLOTEN)


@dataclass(frozen=True, slots=True)
class SimilarCall:
    id: uuid.UUID
    reference: str
    subject: str
    status: CallStatus
    registered_at: datetime
    score: int
    reasons: tuple[str, ...]  # "same CI", "same category", ...
    problem: str | None  # the problem it is already bundled into, if any


@dataclass(frozen=True, slots=True)
class ProblemView:
    id: uuid.UUID
    reference: str
    version: int
    title: str
    description: str
    status: ProblemStatus
    root_cause: str | None
    workaround: str | None
    opened_at: datetime
    resolved_at: datetime | None
    call_ids: tuple[uuid.UUID, ...]
    open_call_ids: tuple[uuid.UUID, ...]
    fix_change_ids: tuple[uuid.UUID, ...]


def similar_calls(
    *, session: Session, actor: Actor, call_id: uuid.UUID, now: datetime, limit: int = 20
) -> list[SimilarCall]:
    """Open and recent calls that look like this one, best first."""
    require(actor, Action.CALL_READ)
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound("call {call_id} does not exist", call_id=call_id)
    require(actor, Action.CALL_READ, call.organisation_id)
    cis = set(session.execute(select(CallCi.ci_id).where(CallCi.call_id == call.id)).scalars())
    sharing_ci = select(CallCi.call_id).where(CallCi.ci_id.in_(cis)) if cis else None
    related = [Call.organisation_id == call.organisation_id]
    if call.category_id is not None:
        related.append(Call.category_id == call.category_id)
    if sharing_ci is not None:
        related.append(Call.id.in_(sharing_ci))
    candidates = session.execute(
        select(Call)
        .where(
            Call.id != call.id,
            or_(*related),
            or_(Call.status.in_(calls.OPEN), Call.registered_at >= now - RECENT),
        )
        .order_by(Call.registered_at.desc())
        .limit(CANDIDATES)
    ).scalars().all()
    if not actor.sees_all_organisations:
        candidates = [c for c in candidates if c.organisation_id == actor.organisation_id]
    ci_links = _cis_of(session, [c.id for c in candidates])
    bundled = _problems_of(session, [c.id for c in candidates])
    words = _words(call.subject, call.description)
    found = []
    for other in candidates:
        score, reasons = _score(call, cis, words, other, ci_links.get(other.id, set()))
        if score >= SHOWN_FROM:
            found.append(SimilarCall(
                other.id, calls.reference_of(other), other.subject, other.status,
                other.registered_at, score, reasons, bundled.get(other.id),
            ))
    found.sort(key=lambda hit: (-hit.score, -hit.registered_at.timestamp()))
    return found[:limit]


def open_problem(
    *, session: Session, actor: Actor, sla: SlaEngine, title: str, description: str = "",
    call_ids: tuple[uuid.UUID, ...] = (), now: datetime, site: str = "main",
) -> ProblemView:
    """Open a problem bundling `call_ids` (one of which is usually the call on screen)."""
    require(actor, Action.PROBLEM_BUNDLE)
    organisations = {_call(session, actor, call_id).organisation_id for call_id in call_ids}
    from desk_tui.services.offline import numbering_site

    site = numbering_site(session, site)
    year = calls.local_year(now, sla)
    problem = Problem(
        site=site, year=year, number=next_number(session, ReferenceKind.PROBLEM, site, year),
        title=clean_text("title", title, limit=SUBJECT_MAX, required=True),
        description=clean_text("description", description, limit=DESCRIPTION_MAX),
        manager_id=actor.id, opened_at=now,
        organisation_id=organisations.pop() if len(organisations) == 1 else None,
    )
    session.add(problem)
    session.flush()
    reference = _reference(problem)
    for call_id in dict.fromkeys(call_ids):
        session.add(ProblemCall(problem_id=problem.id, call_id=call_id, linked_at=now,
                                linked_by_id=actor.id))
        _note(session, call_id, actor, now, f"Gebundeld in probleem {reference}")
    session.flush()
    return _view(session, problem)


def add_calls(
    *, session: Session, actor: Actor, problem_id: uuid.UUID, call_ids: tuple[uuid.UUID, ...],
    now: datetime,
) -> ProblemView:
    require(actor, Action.PROBLEM_BUNDLE)
    problem = _problem(session, problem_id)
    if problem.status in _FINISHED:
        raise WrongState("problem {reference} is {status}", reference=_reference(problem),
                         status=problem.status.value)
    for call_id in dict.fromkeys(call_ids):
        _call(session, actor, call_id)
        if session.get(ProblemCall, (problem.id, call_id)) is None:
            session.add(ProblemCall(problem_id=problem.id, call_id=call_id, linked_at=now,
                                    linked_by_id=actor.id))
            _note(session, call_id, actor, now,
                  f"Gebundeld in probleem {_reference(problem)}")
    problem.updated_at = now
    return _finish(session, problem)


def record_analysis(
    *, session: Session, actor: Actor, problem_id: uuid.UUID, now: datetime,
    root_cause: str | None = None, workaround: str | None = None, version: int | None = None,
) -> ProblemView:
    """Cause found and/or workaround known: with a workaround the problem is a known error."""
    problem = _problem_for_update(session, actor, problem_id, version)
    if root_cause is not None:
        problem.root_cause = clean_text("root_cause", root_cause, limit=DESCRIPTION_MAX) or None
    if workaround is not None:
        problem.workaround = clean_text("workaround", workaround, limit=DESCRIPTION_MAX) or None
    problem.status = (
        ProblemStatus.BEKENDE_FOUT if problem.workaround else ProblemStatus.IN_ONDERZOEK
    )
    problem.updated_at = now
    return _finish(session, problem)


def link_fix(
    *, session: Session, actor: Actor, problem_id: uuid.UUID, change_id: uuid.UUID,
    now: datetime,
) -> ProblemView:
    """The structural fix is carried out as this change."""
    problem = _problem_for_update(session, actor, problem_id, None)
    if problem.status in _FINISHED:
        raise WrongState("problem {reference} is {status}", reference=_reference(problem),
                         status=problem.status.value)
    change = session.get(Change, change_id)
    if change is None:
        raise InvalidInput("change", "that change does not exist")
    require(actor, Action.CALL_READ, change.organisation_id)
    if change.status is ChangeStatus.GEWEIGERD:
        raise InvalidInput("change", "a refused change cannot carry out a fix")
    change.problem_id = problem.id
    problem.updated_at = now
    return _finish(session, problem)


def resolve_problem(
    *, session: Session, actor: Actor, sla: SlaEngine, problem_id: uuid.UUID, now: datetime,
    solution: str, resolve_calls: bool, version: int | None = None,
) -> ProblemView:
    """Resolve the problem; with `resolve_calls`, its open calls are resolved with the same
    solution (each through the call's own use case, so their clocks and history are kept)."""
    problem = _problem_for_update(session, actor, problem_id, version)
    if problem.status in _FINISHED:
        raise WrongState("problem {reference} is already {status}",
                         reference=_reference(problem), status=problem.status.value)
    text = clean_text("solution", solution, limit=DESCRIPTION_MAX, required=True)
    problem.status = ProblemStatus.OPGELOST
    problem.resolved_at = now
    problem.updated_at = now
    view = _finish(session, problem)
    if resolve_calls:
        note = f"Opgelost via probleem {view.reference}: {text}"
        for call_id in view.open_call_ids:
            calls.resolve(session=session, actor=actor, sla=sla, call_id=call_id, now=now,
                          solution=note)
        view = _view(session, problem)
    return view


@dataclass(frozen=True, slots=True)
class ProblemRow:
    """An open problem as the problems list shows it."""

    id: uuid.UUID
    reference: str
    title: str
    organisations: tuple[str, ...]  # codes of the organisations its calls come from
    call_count: int
    open_call_count: int
    status: ProblemStatus
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class ProblemCallLine:
    id: uuid.UUID
    reference: str
    subject: str
    organisation: str
    status: CallStatus
    registered_at: datetime


@dataclass(frozen=True, slots=True)
class FixLine:
    """A change that carries out (part of) the structural fix."""

    id: uuid.UUID
    reference: str
    kind: ChangeKind
    title: str
    status: ChangeStatus
    due: datetime | None
    implemented_at: datetime | None


@dataclass(frozen=True, slots=True)
class ProblemDetail:
    view: ProblemView
    manager: str | None
    calls: tuple[ProblemCallLine, ...]
    fixes: tuple[FixLine, ...]
    organisation_ids: tuple[uuid.UUID, ...]  # of its calls, for registering a fix


def open_problems(*, session: Session, actor: Actor) -> list[ProblemRow]:
    """Problems not yet resolved, oldest first; an operator who sees one organisation only
    sees problems with a call of theirs."""
    require(actor, Action.CALL_READ)
    problems = session.execute(
        select(Problem).where(Problem.status.not_in(_FINISHED)).order_by(Problem.opened_at)
    ).scalars().all()
    if not problems:
        return []
    links = session.execute(
        select(ProblemCall.problem_id, Call.status, Organisation.code, Organisation.id)
        .join(Call, Call.id == ProblemCall.call_id)
        .join(Organisation, Organisation.id == Call.organisation_id)
        .where(ProblemCall.problem_id.in_([problem.id for problem in problems]))
    ).all()
    rows = []
    for problem in problems:
        mine = [link for link in links if link.problem_id == problem.id]
        if not actor.sees_all_organisations and not any(
            link.id == actor.organisation_id for link in mine
        ) and problem.organisation_id != actor.organisation_id:
            continue
        rows.append(ProblemRow(
            id=problem.id, reference=_reference(problem), title=problem.title,
            organisations=tuple(sorted({link.code for link in mine})),
            call_count=len(mine),
            open_call_count=sum(1 for link in mine if link.status in calls.OPEN),
            status=problem.status, opened_at=problem.opened_at,
        ))
    return rows


def problem_in_full(*, session: Session, actor: Actor, problem_id: uuid.UUID) -> ProblemDetail:
    """The problem with its calls and the changes that fix it, as the problem screen shows."""
    require(actor, Action.CALL_READ)
    problem = _problem(session, problem_id)
    statement = (
        select(Call, Organisation.code)
        .join(ProblemCall, ProblemCall.call_id == Call.id)
        .join(Organisation, Organisation.id == Call.organisation_id)
        .where(ProblemCall.problem_id == problem.id)
        .order_by(Call.registered_at)
    )
    linked = session.execute(statement).all()
    if not actor.sees_all_organisations:
        if problem.organisation_id != actor.organisation_id and not any(
            call.organisation_id == actor.organisation_id for call, _code in linked
        ):
            require(actor, Action.CALL_READ, problem.organisation_id or uuid.UUID(int=0))
        linked = [(call, code) for call, code in linked
                  if call.organisation_id == actor.organisation_id]
    fixes = session.execute(
        select(Change).where(Change.problem_id == problem.id).order_by(Change.registered_at)
    ).scalars().all()
    from desk_tui.store.models import Operator

    manager = session.get(Operator, problem.manager_id) if problem.manager_id else None
    return ProblemDetail(
        view=_view(session, problem),
        manager=manager.display_name if manager else None,
        calls=tuple(
            ProblemCallLine(call.id, calls.reference_of(call), call.subject, code, call.status,
                            call.registered_at)
            for call, code in linked
        ),
        fixes=tuple(
            FixLine(change.id, changes.reference_of(change), change.kind, change.title,
                    change.status,
                    change.lead_time_due or change.reaction_due or change.planned_for,
                    change.implemented_at)
            for change in fixes
        ),
        organisation_ids=tuple(dict.fromkeys(
            [*([problem.organisation_id] if problem.organisation_id else []),
             *(call.organisation_id for call, _code in linked)]
        )),
    )


def calls_by_reference(
    *, session: Session, actor: Actor, references: str, now: datetime, sla: SlaEngine,
) -> tuple[uuid.UUID, ...]:
    """The calls named in `references` (comma or space separated; a bare number is this
    year's); a number that names no call is refused with the number."""
    require(actor, Action.CALL_READ)
    found: list[uuid.UUID] = []
    tokens = [token for token in re.split(r"[\s,;]+", references.strip()) if token]
    if not tokens:
        raise InvalidInput("calls", "give one or more call numbers")
    for token in tokens:
        match = _CALL_REFERENCE.match(token)
        if match is None:
            raise InvalidInput("calls", "“{token}” is not a call number", token=token)
        year = int(match.group(1)) if match.group(1) else calls.local_year(now, sla)
        site = (match.group(2) or CENTRAL_SITE).lower()
        site = CENTRAL_SITE if site == CENTRAL_SITE else site
        call = session.execute(
            select(Call).where(Call.year == year, Call.number == int(match.group(3)),
                               Call.site.in_({site, site.upper()}))
        ).scalar_one_or_none()
        if call is None:
            raise InvalidInput("calls", "there is no call {token}", token=token)
        require(actor, Action.CALL_READ, call.organisation_id)
        found.append(call.id)
    return tuple(dict.fromkeys(found))


def register_fix(
    *, session: Session, actor: Actor, sla: SlaEngine, problem_id: uuid.UUID,
    draft: changes.ChangeDraft, now: datetime,
) -> changes.ChangeSaved:
    """Register the change that carries out the structural fix and link it to the problem;
    a refused change (the rules of SLA 4.2.3.3 apply here too) is returned unlinked."""
    problem = _problem_for_update(session, actor, problem_id, None)
    if problem.status in _FINISHED:
        raise WrongState("problem {reference} is {status}", reference=_reference(problem),
                         status=problem.status.value)
    saved = changes.register_change(session=session, actor=actor, sla=sla, draft=draft, now=now)
    if saved.refusal is None:
        change = session.get(Change, saved.id)
        assert change is not None
        change.problem_id = problem.id
        problem.updated_at = now
        _finish(session, problem)
    return saved


# -- helpers ----------------------------------------------------------------------------------
def _note(session: Session, call_id: uuid.UUID, actor: Actor, now: datetime, note: str) -> None:
    """A line in the call's history, so every step of the process shows there."""
    session.add(CallHistory(call_id=call_id, operator_id=actor.id, at=now,
                            field=HistoryField.NOTE, note=note))


def _words(*texts: str | None) -> set[str]:
    return {word.lower() for text in texts if text for word in _WORD.findall(text)}


def _score(
    call: Call, cis: set[uuid.UUID], words: set[str], other: Call, other_cis: set[uuid.UUID]
) -> tuple[int, tuple[str, ...]]:
    score = 0
    reasons = []
    if cis & other_cis:
        score += 3
        reasons.append("same CI")
    if call.category_id is not None and other.category_id == call.category_id:
        score += 2
        reasons.append("same category")
    if other.organisation_id == call.organisation_id:
        score += 1
        reasons.append("same organisation")
    other_words = _words(other.subject, other.description)
    if words and other_words:
        overlap = len(words & other_words) / len(words | other_words)
        text_points = 3 if overlap >= 0.5 else 2 if overlap >= 0.25 else 1 if overlap >= 0.1 else 0
        if text_points:
            score += text_points
            reasons.append("similar text")
    return score, tuple(reasons)


def _cis_of(session: Session, call_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    links: dict[uuid.UUID, set[uuid.UUID]] = {}
    if call_ids:
        for call_id, ci_id in session.execute(
            select(CallCi.call_id, CallCi.ci_id).where(CallCi.call_id.in_(call_ids))
        ):
            links.setdefault(call_id, set()).add(ci_id)
    return links


def _problems_of(session: Session, call_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not call_ids:
        return {}
    rows = session.execute(
        select(ProblemCall.call_id, Problem.site, Problem.year, Problem.number)
        .join(Problem, Problem.id == ProblemCall.problem_id)
        .where(ProblemCall.call_id.in_(call_ids))
    ).all()
    return {
        row.call_id: format_reference(ReferenceKind.PROBLEM, row.site, row.year, row.number)
        for row in rows
    }


def _call(session: Session, actor: Actor, call_id: uuid.UUID) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise InvalidInput("calls", "call {call_id} does not exist", call_id=call_id)
    require(actor, Action.CALL_READ, call.organisation_id)
    return call


def _problem(session: Session, problem_id: uuid.UUID) -> Problem:
    problem = session.get(Problem, problem_id)
    if problem is None:
        raise NotFound("problem {problem_id} does not exist", problem_id=problem_id)
    return problem


def _problem_for_update(
    session: Session, actor: Actor, problem_id: uuid.UUID, version: int | None
) -> Problem:
    require(actor, Action.PROBLEM_MANAGE)
    problem = _problem(session, problem_id)
    if version is not None and problem.version != version:
        raise Conflict("problem {reference} was changed by someone else meanwhile",
                       reference=_reference(problem))
    return problem


def _finish(session: Session, problem: Problem) -> ProblemView:
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict(
            "problem {reference} was changed by someone else meanwhile",
            reference=_reference(problem),
        ) from error
    return _view(session, problem)


def _view(session: Session, problem: Problem) -> ProblemView:
    linked = session.execute(
        select(Call.id, Call.status)
        .join(ProblemCall, ProblemCall.call_id == Call.id)
        .where(ProblemCall.problem_id == problem.id)
        .order_by(Call.registered_at)
    ).all()
    fixes = session.execute(
        select(Change.id).where(Change.problem_id == problem.id).order_by(Change.registered_at)
    ).scalars().all()
    return ProblemView(
        id=problem.id, reference=_reference(problem), version=problem.version,
        title=problem.title, description=problem.description, status=problem.status,
        root_cause=problem.root_cause, workaround=problem.workaround,
        opened_at=problem.opened_at, resolved_at=problem.resolved_at,
        call_ids=tuple(row.id for row in linked),
        open_call_ids=tuple(row.id for row in linked if row.status in calls.OPEN),
        fix_change_ids=tuple(fixes),
    )


def _reference(problem: Problem) -> str:
    return format_reference(ReferenceKind.PROBLEM, problem.site, problem.year, problem.number)
