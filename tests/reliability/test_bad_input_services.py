"""Bad input through every service that stores typed text: markup, control and escape
characters, right-to-left and combining text, emoji, lone surrogates, NUL, empty and
whitespace-only values, and texts far past their limit. Every value is either stored
exactly as typed (less surrounding whitespace; NUL and lone surrogates, which no database
can hold, as visible ␀ and �) or refused with InvalidInput naming the field and the
limit; nothing else ever comes out.

Hypothesis runs on SQLite (modest example counts: the suite has a time budget); every
field at and just past its limit runs on both engines, because only PostgreSQL enforces
column lengths.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.engine import Engine

from desk_tui.domain.changes import ChangeKind
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import SlaEngine
from desk_tui.services import calls, changes, cmdb_links, cmdb_write, p1, people, problems
from desk_tui.services.calls import CallDraft
from desk_tui.services.errors import InvalidInput
from desk_tui.services.text_rules import DESCRIPTION_MAX, NAME_MAX, NOTE_MAX, SUBJECT_MAX
from desk_tui.store.engine import make_engine, read_session
from desk_tui.store.enums import CiType, ContractKind, OperatorRole, SupportLine
from desk_tui.store.migrate import upgrade_database
from desk_tui.store.models import (
    Call,
    CallHistory,
    CallPause,
    Change,
    ConfigurationItem,
    Contract,
    P1Evaluation,
    Person,
    Problem,
)
from tests.services.test_cmdb_write import add_operator
from tests.world import World, at, build_world

NOW = at("2026-11-30 10:00")
MARKUP = ["[bold]", "[/]", "[/bold]", "[b]vet[/b]", "[link=https://example.org]klik[/link]",
          "[0]", "[/tmp/x]", "[@click=app.quit]", "\\[", "[red on white]", "$desk-muted"]
CONTROL = ["\x1b[31m", "\x1b]0;titel\x07", "\x1b[2J", "\x9b", "\x00", "\r", "\n", "\t",
           "\x7f", "\x08", "\x85", "\u202e", "\u2066", "\u200f", "\u2028", "\ufeff"]
SCRIPTS = ["שלום", "مرحبا بالعالم", "e\u0301", "Z\u0336\u0337\u0338", "👩‍👩‍👧", "🇳🇱",
           "漢字テスト", "\ud800", "\udcff", "ǅ", "ß", "İ"]
PIECE = st.one_of(
    st.sampled_from(MARKUP + CONTROL + SCRIPTS),
    st.text(max_size=12),
    st.text(st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Mn", "Zs", "So"]),
            max_size=6),
)
NASTY = st.one_of(
    st.lists(PIECE, max_size=8).map("".join),
    st.sampled_from(["", " ", "\t \n", "\u3000", "\x00"]),
    st.sampled_from([2_000, 20_001, 100_000]).map(lambda n: "é" * n),
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def as_stored(text: str) -> str:
    """What the store should hold for typed `text`."""
    return _SURROGATE.sub("\ufffd", text.replace("\x00", "\u2400")).strip()


# -- one spec per text field: how to store a value, and how to read it back ----------------
@dataclass
class Desk:
    """The world plus what some fields need first (a manager, an administrator)."""

    world: World
    manager: object
    admin: object
    serial: Iterator[int]

    def write(self, use_case: Callable, **kwargs):
        return self.world.write(use_case, **kwargs)

    def get(self, model, id_):
        with read_session(self.world.db) as session:
            return session.get(model, id_)

    def call(self, **draft) -> calls.Saved:
        fields = {"subject": "Printer", "impact": Level.MIDDEN, "urgency": Level.MIDDEN} | draft
        return self.write(
            calls.register_call, actor=self.world.agent, now=NOW,
            draft=CallDraft(organisation_id=self.world.organisation.id,
                            caller_id=self.world.caller.id, call_type=CallType.STORING,
                            **fields),
        )

    def taken(self) -> calls.Saved:
        saved = self.call()
        return self.write(calls.take, actor=self.world.agent, call_id=saved.id, now=NOW)

    def last_note(self, call_id: uuid.UUID) -> str | None:
        with read_session(self.world.db) as session:
            return session.execute(
                select(CallHistory.note).where(CallHistory.call_id == call_id)
                .order_by(CallHistory.at.desc(), CallHistory.id.desc())
            ).scalars().first()

    def unique(self) -> str:
        return f"{next(self.serial)}-"


def _subject(d: Desk, text: str) -> str:
    return d.get(Call, d.call(subject=text).id).subject


def _description(d: Desk, text: str) -> str:
    return d.get(Call, d.call(description=text).id).description


def _pause_reason(d: Desk, text: str) -> str:
    saved = d.taken()
    d.write(calls.pause, actor=d.world.agent, call_id=saved.id, now=NOW, reason=text)
    with read_session(d.world.db) as session:
        return session.execute(select(CallPause.reason).where(CallPause.call_id == saved.id)
                               ).scalar_one()


def _reclassify_note(d: Desk, text: str) -> str | None:
    saved = d.call()
    d.write(calls.reclassify, actor=d.world.agent, call_id=saved.id, now=NOW,
            call_type=CallType.STORING, impact=Level.LAAG, urgency=Level.MIDDEN, note=text)
    return d.last_note(saved.id) or ""


def _line_note(d: Desk, text: str) -> str | None:
    saved = d.call()
    d.write(calls.move_line, actor=d.world.agent, call_id=saved.id, now=NOW,
            line=SupportLine.TWEEDE_LIJN, note=text)
    return d.last_note(saved.id) or ""


def _escalation_reason(d: Desk, text: str) -> str | None:
    saved = d.call()
    d.write(calls.escalate, actor=d.world.agent, call_id=saved.id, now=NOW, level=1,
            reason=text)
    return d.last_note(saved.id)


def _solution(d: Desk, text: str) -> str | None:
    saved = d.taken()
    d.write(calls.resolve, actor=d.world.agent, call_id=saved.id, now=NOW, solution=text)
    return d.get(Call, saved.id).solution


def _reopen_reason(d: Desk, text: str) -> str | None:
    saved = d.taken()
    d.write(calls.resolve, actor=d.world.agent, call_id=saved.id, now=NOW, solution="Klaar")
    d.write(calls.reopen, actor=d.world.agent, call_id=saved.id, now=NOW + timedelta(hours=1),
            reason=text)
    return d.last_note(saved.id)


def _agreed_with(d: Desk, text: str) -> str | None:
    saved = d.call(impact=Level.HOOG, urgency=Level.HOOG)
    d.write(calls.resolve, actor=d.world.agent, call_id=saved.id, now=NOW, solution="Klaar")
    d.write(calls.close, actor=d.world.agent, call_id=saved.id, now=NOW, agreed_with=text)
    return (d.last_note(saved.id) or "").removeprefix("in overleg met ")


def _caller_name(d: Desk, text: str) -> str:
    hit = d.world.write(lambda session, sla, **kw: people.register_person(session=session, **kw),
                        actor=d.world.agent, draft=people.PersonDraft(
                            organisation_id=d.world.organisation.id, name=text))
    return d.get(Person, hit.id).name


def _caller_phone(d: Desk, text: str) -> str:
    hit = d.world.write(lambda session, sla, **kw: people.register_person(session=session, **kw),
                        actor=d.world.agent, draft=people.PersonDraft(
                            organisation_id=d.world.organisation.id, name="Beller", phone=text))
    return d.get(Person, hit.id).phone or ""


def _change(d: Desk, **fields) -> Change:
    draft = changes.ChangeDraft(organisation_id=d.world.organisation.id,
                                kind=ChangeKind.OVERIG_STANDAARD,
                                **({"title": "Wijziging"} | fields))
    saved = d.write(changes.register_change, actor=d.world.agent, draft=draft, now=NOW)
    return d.get(Change, saved.id)


def _problem(d: Desk, **fields) -> Problem:
    view = d.write(problems.open_problem, actor=d.manager, now=NOW,
                   **({"title": "Probleem"} | fields))
    return d.get(Problem, view.id)


def _root_cause(d: Desk, text: str) -> str:
    problem = _problem(d)
    d.world.write(lambda session, sla, **kw: problems.record_analysis(session=session, **kw),
                  actor=d.manager, problem_id=problem.id, now=NOW, root_cause=text)
    return d.get(Problem, problem.id).root_cause or ""


def _ci(d: Desk, **fields) -> ConfigurationItem:
    draft = cmdb_write.CiDraft(ci_type=CiType.WERKPLEK, organisation_id=d.world.organisation.id,
                               **({"name": "ENK-PC"} | fields))
    ci_id = d.world.write(lambda session, sla, **kw: cmdb_write.register_ci(session=session, **kw),
                          actor=d.admin, draft=draft, now=NOW)
    return d.get(ConfigurationItem, ci_id)


def _contract(d: Desk, **fields) -> Contract:
    draft = cmdb_links.ContractDraft(
        kind=ContractKind.ONDERHOUD, starts_on=NOW.date(),
        **({"number": d.unique(), "title": "Onderhoud",
                                         "supplier": "Leverancier"} | fields))
    contract_id = d.world.write(
        lambda session, sla, **kw: cmdb_links.register_contract(session=session, **kw),
        actor=d.admin, draft=draft, now=NOW)
    return d.get(Contract, contract_id)


def _evaluation(d: Desk, field: str, text: str) -> str:
    saved = d.call(impact=Level.HOOG, urgency=Level.HOOG)
    if field == "with_whom":
        d.world.write(lambda session, sla, **kw: p1.plan_evaluation(session=session, **kw),
                      actor=d.world.agent, call_id=saved.id, planned_for=NOW, with_whom=text,
                      now=NOW)
    else:
        d.world.write(lambda session, sla, **kw: p1.record_evaluation(session=session, **kw),
                      actor=d.world.agent, call_id=saved.id, held_at=NOW, summary=text, now=NOW)
    with read_session(d.world.db) as session:
        row = session.execute(select(P1Evaluation).where(P1Evaluation.call_id == saved.id)
                              ).scalar_one()
    return getattr(row, field) or ""


@dataclass(frozen=True)
class Field:
    """A text field: its limit, whether it may be empty, and a round trip through it."""

    name: str
    error_field: str
    limit: int
    required: bool
    store: Callable[[Desk, str], str | None]


FIELDS = [
    Field("call subject", "subject", SUBJECT_MAX, True, _subject),
    Field("call description", "description", DESCRIPTION_MAX, False, _description),
    Field("pause reason", "reason", 500, True, _pause_reason),
    Field("reclassification note", "note", NOTE_MAX, False, _reclassify_note),
    Field("line move note", "note", NOTE_MAX, False, _line_note),
    Field("escalation reason", "reason", NOTE_MAX, True, _escalation_reason),
    Field("solution", "solution", DESCRIPTION_MAX, True, _solution),
    Field("reopen reason", "reason", 500, True, _reopen_reason),
    Field("P1 closed in consultation with", "agreed_with", 200, True, _agreed_with),
    Field("caller name", "name", NAME_MAX, True, _caller_name),
    Field("caller phone", "phone", 40, False, _caller_phone),
    Field("change title", "title", SUBJECT_MAX, True, lambda d, t: _change(d, title=t).title),
    Field("change description", "description", DESCRIPTION_MAX, False,
          lambda d, t: _change(d, description=t).description),
    Field("problem title", "title", SUBJECT_MAX, True, lambda d, t: _problem(d, title=t).title),
    Field("problem description", "description", DESCRIPTION_MAX, False,
          lambda d, t: _problem(d, description=t).description),
    Field("problem root cause", "root_cause", DESCRIPTION_MAX, False, _root_cause),
    Field("CI name", "name", 200, True, lambda d, t: _ci(d, name=t).name),
    Field("CI location", "location", 200, False,
          lambda d, t: _ci(d, location=t).location or ""),
    Field("CI notes", "notes", DESCRIPTION_MAX, False, lambda d, t: _ci(d, notes=t).notes or ""),
    Field("contract title", "title", 200, True, lambda d, t: _contract(d, title=t).title),
    Field("contract supplier", "supplier", 200, True,
          lambda d, t: _contract(d, supplier=t).supplier),
    Field("P1 evaluation with whom", "with_whom", 200, True,
          lambda d, t: _evaluation(d, "with_whom", t)),
    Field("P1 evaluation summary", "summary", DESCRIPTION_MAX, True,
          lambda d, t: _evaluation(d, "summary", t)),
]


def desk_on(engine: Engine, sla: SlaEngine) -> Desk:
    world = build_world(engine, sla)
    return Desk(world, add_operator(world, "probleem", OperatorRole.PROBLEM_MANAGER),
                add_operator(world, "beheer", OperatorRole.ADMINISTRATOR), itertools.count())


def check_round_trip(desk: Desk, field: Field, typed: str) -> None:
    """Stored as typed, or refused naming the field; nothing else."""
    expected = as_stored(typed)
    too_long = len(expected) > field.limit
    missing = field.required and not expected
    try:
        stored = field.store(desk, typed)
    except InvalidInput as refusal:
        assert too_long or missing, f"{field.name}: {typed!r} refused: {refusal}"
        assert refusal.field == field.error_field
        if too_long and not missing:
            assert f"at most {field.limit:,} fit" in str(refusal)
        return
    assert not (missing or too_long), f"{field.name}: {typed[:40]!r} accepted"
    assert stored == expected, f"{field.name}: {typed[:60]!r}"


@pytest.fixture
def sqlite_desk(sqlite_url: str, sla: SlaEngine) -> Iterator[Desk]:
    engine = make_engine(sqlite_url)
    upgrade_database(engine)
    yield desk_on(engine, sla)
    engine.dispose()


EXAMPLES = 150  # over all fields together: about 6 per field


def test_any_text_is_stored_as_typed_or_refused_by_name(sqlite_desk: Desk) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(field=st.sampled_from(FIELDS), typed=NASTY)
    def round_trip(field: Field, typed: str) -> None:
        check_round_trip(sqlite_desk, field, typed)

    round_trip()


# Every piece at once, filling the field to exactly its limit, then one past it.
ALL_AT_ONCE = "".join(MARKUP + CONTROL + SCRIPTS)


def at_limit(limit: int) -> str:
    return (ALL_AT_ONCE * (limit // len(ALL_AT_ONCE) + 1))[:limit].strip().ljust(limit, "x")


def test_every_field_holds_exactly_its_limit_on_both_engines(store: Engine, sla) -> None:
    desk = desk_on(store, sla)
    for field in FIELDS:
        typed = at_limit(field.limit)
        assert len(as_stored(typed)) == field.limit
        check_round_trip(desk, field, typed)
        with pytest.raises(InvalidInput) as refused:
            field.store(desk, at_limit(field.limit + 1))
        assert f"at most {field.limit:,} fit" in str(refused.value), field.name
