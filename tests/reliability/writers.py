"""Writer processes for the reliability harnesses: they register calls through the real
Desk facade, as the console does, and report each registration the moment it returns.

The processes are forked from one multiprocessing fork server that has imported desk
once, so a writer is ready in milliseconds instead of the second an import takes; that
keeps 100 kill rounds and 16 concurrent writers within the suite's time budget.

Every call a writer registers says in its subject what its registration should have
written ("ci=1 mail=1 p1=0"), so a check can find a half-written call from the database
alone, including the one a writer was killed in the middle of.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import time
import traceback
import uuid
from dataclasses import dataclass
from functools import cache
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.calls import CallDraft

# What the fork server imports once, before any writer is forked from it.
PRELOAD = [
    "desk_tui.services.desk",
    "desk_tui.services.calls",
    "desk_tui.store.engine",
    "desk_tui.domain.calendar",
    "tests.reliability.writers",
    "tests.world",
]
SUBJECT = re.compile(r"^w(?P<writer>\d+) #(?P<index>\d+) ci=(?P<ci>[01]) p1=(?P<p1>[01])"
                     r" mail=(?P<mail>[01])$")
READY = "ready"
BEGIN = "begin"


@cache
def fork_server() -> BaseContext:
    """The fork-server context, its server preloading desk (started on first use)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


@dataclass(frozen=True, slots=True)
class Cast:
    """The ids a writer needs from the test's world (plain values: they cross processes)."""

    url: str
    login: str
    organisation_id: uuid.UUID
    caller_with_mail_id: uuid.UUID
    caller_without_mail_id: uuid.UUID
    category_id: uuid.UUID
    ci_id: uuid.UUID


def cast_of(world: object, url: str) -> Cast:
    from tests.world import World

    assert isinstance(world, World)
    return Cast(
        url=url, login="agent", organisation_id=world.organisation.id,
        caller_with_mail_id=world.caller.id, caller_without_mail_id=world.caller_without_mail.id,
        category_id=world.category.id, ci_id=world.workstation.id,
    )


@cache
def _sla() -> SlaEngine:
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine

    return SlaEngine(build_calendars(first_year=2026))


def _draft(cast: Cast, writer: int, index: int, rng: random.Random) -> CallDraft:
    """A varied call: with or without a CI, mail to the caller, priority 1."""
    from desk_tui.domain.classification import CallType, Level
    from desk_tui.services.calls import CallDraft

    ci, p1, mail = rng.random() < 0.3, rng.random() < 0.15, rng.random() < 0.6
    levels = (Level.HOOG, Level.HOOG) if p1 else (Level.MIDDEN, rng.choice(list(Level)[:2]))
    return CallDraft(
        organisation_id=cast.organisation_id,
        caller_id=cast.caller_with_mail_id if mail else cast.caller_without_mail_id,
        call_type=CallType.STORING,
        category_id=cast.category_id if rng.random() < 0.5 else None,
        impact=levels[0], urgency=levels[1],
        subject=f"w{writer} #{index} ci={int(ci)} p1={int(p1)} mail={int(mail)}",
        description="De printer op de tweede verdieping geeft een papierstoring. " * 4,
        ci_ids=(cast.ci_id,) if ci else (),
    )


def _desk(cast: Cast):  # -> Desk (imported lazily)
    from desk_tui.services.desk import Desk
    from desk_tui.store.engine import make_engine
    from tests.world import at

    registered_at = at("2026-11-30 10:00")
    return Desk(make_engine(cast.url), _sla(), lambda: registered_at)


def _actor(desk, login: str):  # -> Actor
    """The harness's operator, read directly: a writer process is not someone at a
    keyboard (and the test server's shared role would rightly not vouch for one)."""
    from desk_tui.services.queries import actor_for
    from desk_tui.store.engine import read_session

    with read_session(desk.db) as session:
        return actor_for(session, login)


def register_until_killed(cast: Cast, writer: int, log_path: str) -> None:
    """Register calls until SIGKILL. `log_path` gets "ready", then per call "begin" just
    before the registration and its reference once it has returned: written unbuffered,
    so what the log says returned had returned before the kill."""
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    desk = _desk(cast)
    actor = _actor(desk, cast.login)
    rng = random.Random(writer)
    os.write(log, f"{READY}\n".encode())
    for index in range(1_000_000):
        draft = _draft(cast, writer, index, rng)
        os.write(log, f"{BEGIN}\n".encode())
        saved = desk.register(actor, draft)
        os.write(log, f"{saved.reference}\n".encode())


@dataclass(frozen=True, slots=True)
class WriterResult:
    """What one concurrent writer saw: the references it got and every error it met."""

    references: list[str]
    errors: list[str]
    seconds: float


def register_many(cast: Cast, writer: int, count: int, start, results) -> None:
    """Register `count` calls as fast as it can once every writer is ready (`start`, a
    barrier) and put a WriterResult on `results`; any exception is what an operator would
    have seen, and is counted, not raised."""
    desk = _desk(cast)
    actor = _actor(desk, cast.login)
    rng = random.Random(writer)
    references: list[str] = []
    errors: list[str] = []
    start.wait()
    started = time.perf_counter()
    for index in range(count):
        try:
            references.append(desk.register(actor, _draft(cast, writer, index, rng)).reference)
        except Exception as error:  # everything that would reach the operator
            errors.append("".join(traceback.format_exception_only(error)).strip())
    seconds = time.perf_counter() - started
    desk.db.dispose()
    results.put(WriterResult(references, errors, seconds))
