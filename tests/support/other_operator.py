"""Another operator's console, in a process of its own, for the tests that check one
console sees what another did (no shared memory, no shared connection pool)."""

from __future__ import annotations

import time
import uuid
from typing import Any


def _run(url: str, login: str, step: str, call_id: str, results: Any) -> None:
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services import calls, crisis
    from desk_tui.services.queries import actor_for
    from desk_tui.store.engine import make_engine, read_session, write_session
    from tests.world import at

    engine = make_engine(url)
    try:
        with read_session(engine) as session:
            actor = actor_for(session, login)
        with write_session(engine) as session:
            if step == "take":
                calls.take(session=session, actor=actor,
                           sla=SlaEngine(build_calendars(first_year=2026)),
                           call_id=uuid.UUID(call_id), now=at("2026-11-30 09:55"))
            elif step.startswith("grip:"):
                code, level = step.removeprefix("grip:").split("=")
                crisis.set_level(session=session, actor=actor, code=code, level=int(level),
                                 now=at("2026-11-30 09:55"))
            elif step.startswith("contact:"):
                from desk_tui.store.models import CrisisContactKind

                code, role, phone = step.removeprefix("contact:").split("=")
                crisis.add_contact(session=session, actor=actor, code=code,
                                   kind=CrisisContactKind.OOV, role_title=role, phone=phone,
                                   now=at("2026-11-30 09:55"))
            elif step == "uncontact":
                crisis.remove_contact(session=session, actor=actor,
                                      contact_id=uuid.UUID(call_id))
        results.put(("committed", time.monotonic()))
    except Exception as error:
        results.put(("error", repr(error)))
    finally:
        engine.dispose()


def act_elsewhere(url: str, login: str, step: str, call_id: uuid.UUID | None = None) -> float:
    """Do `step` ("take", "grip:ENK=3", "contact:ENK=ROLE=PHONE", "uncontact" with the
    contact's id as `call_id`) as `login` in another process (a new Python, not a
    fork); the monotonic instant it committed (one clock for all processes here)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.other_operator", url, login, step, str(call_id)],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )
    kind, _, value = done.stdout.strip().rpartition("\n")[2].partition(" ")
    assert kind == "committed", done.stdout + done.stderr
    return float(value)


class _Printer:
    def put(self, item: tuple[str, object]) -> None:
        print(*item, flush=True)


if __name__ == "__main__":
    import sys

    _run(*sys.argv[1:5], _Printer())
