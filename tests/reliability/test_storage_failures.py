"""When the database itself fails: a full disk, a read-only file, another program's
database, a damaged file. Every `desk` command and the console say so in one clear line,
change nothing, lose nothing and show no traceback; a save that fails mid-session keeps
the typed call on screen.

How the failures are made, honestly:
- full disk: a real 4 MB tmpfs filled up (needs root with mount rights, else skipped),
  and everywhere `PRAGMA max_page_count` pinned to the file's size, which SQLite answers
  with the same SQLITE_FULL ("database or disk is full") as a disk with no space left;
- read-only: chmod 444, or for root (whom permissions do not stop) the immutable
  attribute (chattr +i); skipped where neither holds;
- damaged: bytes overwritten in the pages of the call table, as a bad disk would;
- another program's: an SQLite file with its own tables, and a text file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from desk_tui.cli import main
from desk_tui.config import Settings
from desk_tui.domain.sla import SlaEngine
from desk_tui.store.engine import make_engine, read_session, storage_failure, write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.migrate import upgrade_database
from desk_tui.store.models import Call, OutboxMessage
from tests.services.test_cmdb_write import add_operator
from tests.world import World, build_world

CSV = "Objectnummer;Naam;Type;Organisatie\n" + "".join(
    f"X-{n};ENK-PC-{n:04d};pc;ENK\n" for n in range(200)
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def desk_file(tmp_path: Path, sla: SlaEngine, monkeypatch: pytest.MonkeyPatch) -> Iterator[
        tuple[Path, World]]:
    """A desk database file with the test world and an administrator, closed cleanly
    (no -wal left), and DESK_DATABASE_URL pointing at it."""
    path = tmp_path / "desk.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    world = build_world(engine, sla)
    add_operator(world, "beheer", OperatorRole.ADMINISTRATOR)
    engine.dispose()
    monkeypatch.setenv("DESK_DATABASE_URL", f"sqlite:///{path}")
    yield path, world
    world.db.dispose()


def ci_count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM configuration_item").fetchone()[0]


def damage_calls(path: Path) -> None:
    """Overwrite the root pages of the call table and its indexes with noise."""
    with sqlite3.connect(path) as connection:
        roots = [root for (root,) in connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'call' AND rootpage > 0")]
        [size] = connection.execute("PRAGMA page_size").fetchone()
    with path.open("r+b") as file:
        for root in roots:
            file.seek((root - 1) * size)
            file.write(bytes(range(256)) * (size // 256))


def foreign_database(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY, path TEXT)")
        connection.execute("INSERT INTO photo (path) VALUES ('holiday.jpg')")


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file made read-only for this process, then writable again."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    if shutil.which("chattr") is None or subprocess.run(
        ["chattr", "+i", str(path)], capture_output=True, check=False
    ).returncode != 0:
        pytest.skip("running as root and cannot set the immutable attribute: no way to make"
                    " a file read-only for this process")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@contextlib.contextmanager
def pages_pinned(engine: Engine | type[Engine]) -> Iterator[None]:
    """Every new connection of `engine` (or of every engine) may not grow its file:
    SQLITE_FULL, as on a full disk."""

    def pin(dbapi_connection, _record) -> None:
        [count] = dbapi_connection.execute("PRAGMA page_count").fetchone()
        dbapi_connection.execute(f"PRAGMA max_page_count = {count}")

    event.listen(engine, "connect", pin)
    try:
        yield
    finally:
        event.remove(engine, "connect", pin)


# -- the command line -------------------------------------------------------------------------
def test_a_text_file_as_database_is_one_line_and_no_traceback(tmp_path: Path) -> None:
    """End to end through the installed `desk` command, in its own process."""
    path = tmp_path / "notes.sqlite3"
    path.write_text("boodschappen: melk, brood\n")
    before = digest(path)
    environment = {**os.environ, "DESK_DATABASE_URL": f"sqlite:///{path}"}
    result = subprocess.run(
        [sys.executable, "-m", "desk_tui", "--operator", "agent", "report", "queue"],
        capture_output=True, text=True, env=environment, timeout=60, check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"desk: cannot use the database sqlite:///{path}: this file is not an SQLite"
        " database (another program's file, or damaged); desk changes nothing in it"
    ]
    assert digest(path) == before


def test_another_programs_database_is_refused_and_left_alone(tmp_path, monkeypatch, capsys):
    path = tmp_path / "photos.sqlite3"
    foreign_database(path)
    monkeypatch.setenv("DESK_DATABASE_URL", f"sqlite:///{path}")
    before = digest(path)
    assert main(["db", "upgrade"]) == 2
    assert main(["--operator", "agent", "report", "queue"]) == 2
    assert main(["db", "status"]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "desk: this database belongs to another program (its tables: photo); desk changes"
        " nothing in it: point desk at its own database"
    ] * 3
    assert digest(path) == before


def test_a_damaged_file_is_named_damaged_and_not_written(desk_file, capsys) -> None:
    path, _world = desk_file
    damage_calls(path)
    before = digest(path)
    assert main(["--operator", "agent", "report", "queue"]) == 1
    assert "the database file is damaged" in capsys.readouterr().err
    assert digest(path) == before


def test_db_status_names_a_damaged_file_instead_of_up_to_date(desk_file, capsys) -> None:
    path, _world = desk_file
    assert main(["db", "status"]) == 0
    assert "up to date" in capsys.readouterr().out
    damage_calls(path)
    before = digest(path)
    assert main(["db", "status"]) == 1
    captured = capsys.readouterr()
    said = (captured.out + captured.err).strip().splitlines()
    assert len(said) == 1 and "up to date" not in said[0]
    assert "the database file is damaged" in said[0] and "restore it from a backup" in said[0]
    assert "Traceback" not in captured.err
    assert digest(path) == before


def test_db_status_names_the_first_problem_quick_check_finds_in_one_line(desk_file, capsys):
    """A damaged table of many pages: SQLite answers quick_check with a list of problems
    (one row of many lines); desk status names the first and counts the rest."""
    path, _world = desk_file
    with sqlite3.connect(path) as connection:
        connection.execute(
            "WITH RECURSIVE n(i) AS (SELECT 100000 UNION ALL SELECT i + 1 FROM n"
            " WHERE i < 102000) INSERT INTO audit_log SELECT i, '2026-01-01', NULL, 'x',"
            " 'read', 't', '', printf('%0200d', i), 'p', 'h' FROM n")
        roots = [root for (root,) in connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'audit_log'"
            " AND rootpage > 0")]
        [size] = connection.execute("PRAGMA page_size").fetchone()
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the new pages into the file
    with path.open("r+b") as file:
        for root in roots:
            file.seek((root - 1) * size)
            file.write(bytes(range(256)) * (size // 256))
    assert main(["db", "status"]) == 1
    captured = capsys.readouterr()
    [said] = captured.out.strip().splitlines()
    assert said.startswith("the database file is damaged (PRAGMA quick_check: Page ")
    assert "more problems); desk changes nothing in it: restore it from a backup" in said
    assert captured.err == ""


def test_a_read_only_file_still_reads_and_refuses_writes_clearly(desk_file, tmp_path, capsys):
    path, _world = desk_file
    csv = tmp_path / "cis.csv"
    csv.write_text(CSV)
    with read_only(path):
        before = digest(path)
        assert main(["--operator", "agent", "report", "queue"]) == 0
        assert main(["--operator", "beheer", "cmdb", "import", str(csv)]) == 1
        err = capsys.readouterr().err
        assert err.strip().splitlines()[-1].endswith(
            "the database is read-only for desk (file or folder permissions, or a read-only"
            " disk); nothing can be saved")
        assert digest(path) == before
    assert ci_count(path) == 1  # the world's workstation only


def test_a_full_disk_stops_an_import_whole_and_says_so(desk_file, tmp_path, capsys):
    path, _world = desk_file
    csv = tmp_path / "cis.csv"
    csv.write_text(CSV)
    with pages_pinned(Engine):
        assert main(["--operator", "beheer", "cmdb", "import", str(csv)]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].endswith(
        "the disk holding the database is full; free space and try again")
    assert ci_count(path) == 1
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert main(["--operator", "beheer", "cmdb", "import", str(csv)]) == 0  # space again
    assert ci_count(path) == 201


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB file system (tmpfs); skipped where this process may not mount."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None or subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
        capture_output=True, check=False,
    ).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root with mount rights); the"
                    " full disk is covered by max_page_count in the other tests")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_really_full_disk_fails_the_save_and_keeps_the_database(small_disk, sla) -> None:
    from tests.reliability.writers import _draft, cast_of

    url = f"sqlite:///{small_disk / 'desk.sqlite3'}"
    engine = make_engine(url)
    upgrade_database(engine)
    world = build_world(engine, sla)
    from desk_tui.services.desk import Desk
    from tests.world import at

    desk = Desk(engine, sla, lambda: at("2026-11-30 10:00"))
    import random

    cast, rng = cast_of(world, url), random.Random(7)
    saved = desk.register(world.agent, _draft(cast, 0, 0, rng))
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    with filler.open("wb") as file, contextlib.suppress(OSError):
        file.write(b"\0" * free)
    with pytest.raises(OperationalError) as failed:
        for index in range(1, 50):
            desk.register(world.agent, _draft(cast, 0, index, rng))
    assert storage_failure(failed.value) == (
        "the disk holding the database is full; free space and try again")
    filler.unlink()
    desk.register(world.agent, _draft(cast, 0, 99, rng))
    engine.dispose()
    with sqlite3.connect(small_disk / "desk.sqlite3") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        references = connection.execute("SELECT number FROM call ORDER BY number").fetchall()
    assert references[0] == (int(saved.reference[-6:]),)
    assert [n for (n,) in references] == list(range(1, len(references) + 1))


# -- busy: another writer holds the lock ------------------------------------------------------
def _hold_write_lock(
    path: Path, seconds: float, held: threading.Event,
    writing: threading.Event | None = None, released: list[float] | None = None,
) -> None:
    """Hold the write lock for `seconds` (counted from when the writer says it starts,
    if it does, so a slow scheduler cannot let the writer in after the lock is gone)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    held.set()
    if writing is not None:
        writing.wait(5)
    time.sleep(seconds)
    if released is not None:
        released.append(time.monotonic())
    connection.execute("ROLLBACK")
    connection.close()


def _write_outbox_row(engine: Engine, key: str) -> None:
    with write_session(engine) as session:
        session.add(OutboxMessage(dedupe_key=key, recipient="a@example.org", subject="s",
                                  body=""))


def test_a_writer_waits_past_one_busy_timeout_for_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite3"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=200)
    upgrade_database(engine)
    held, writing, released = threading.Event(), threading.Event(), []
    holder = threading.Thread(target=_hold_write_lock,
                              args=(path, 0.45, held, writing, released))
    holder.start()
    held.wait(5)
    writing.set()
    _write_outbox_row(engine, "after-the-lock")  # one busy timeout (0.2 s) is not enough
    finished = time.monotonic()
    holder.join()
    assert released and finished >= released[0]  # it waited for the lock, then wrote
    with read_session(engine) as session:
        assert session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == 1
    engine.dispose()


def test_a_lock_held_too_long_is_reported_as_busy(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite3"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=100)
    upgrade_database(engine)
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 1.0, held))
    holder.start()
    held.wait(5)
    with pytest.raises(OperationalError) as failed:
        _write_outbox_row(engine, "never")
    holder.join()
    assert storage_failure(failed.value) == (
        "the database is busy: another program kept it locked for writing; try again")
    engine.dispose()


# -- the console ------------------------------------------------------------------------------
async def _start_console(url: str) -> list[tuple[str, str]]:
    """Start the console as `desk` does on `url`; the notices it shows once it gave up."""
    from desk_tui.ui.app import make_app
    from tests.ui.app_harness import APP_SIZE, wait_for

    app = make_app(Settings(database_url=url, language="en"), operator="agent")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: bool(app._notifications), timeout=20)
        assert app.is_running
        return [(notice.title, notice.message) for notice in app._notifications]


@pytest.mark.parametrize("case", ["text file", "another program", "damaged"])
async def test_the_console_start_names_the_problem_and_stays_up(case, tmp_path, desk_file):
    path, _world = desk_file
    if case == "text file":
        path.write_text("not a database\n")
        reason = "this file is not an SQLite database"
    elif case == "another program":
        path.unlink()
        foreign_database(path)
        reason = "this database belongs to another program (its tables: photo)"
    else:
        with sqlite3.connect(path) as connection:
            [root] = connection.execute(
                "SELECT rootpage FROM sqlite_master WHERE name = 'operator'").fetchone()
        with path.open("r+b") as file:
            file.seek((root - 1) * 4096)
            file.write(b"\xff" * 4096)
        reason = "the database file is damaged"
    before = digest(path)
    [(title, message)] = await _start_console(f"sqlite:///{path}")
    assert title == "Cannot open the database"
    assert message.startswith(reason) and "Traceback" not in message
    assert digest(path) == before


async def test_a_full_disk_mid_session_keeps_the_typed_call(ui_world, clock) -> None:
    from desk_tui.ui.screens.intake import IntakeScreen
    from desk_tui.ui.screens.queue import QueueScreen
    from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
    from tests.ui.test_intake import choose_caller, open_intake

    app = make_test_app(ui_world, clock)
    description = "De scanner op de afdeling Burgerzaken scant alleen zwarte pagina's. " * 200
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_intake(app, pilot)
        await choose_caller(pilot, screen)
        await pilot.press("enter", "enter", "2", "2", "enter", *"Scanner scant zwart")
        screen.query_one("#description").text = description
        with pages_pinned(ui_world.db):
            ui_world.db.dispose()  # new connections, each pinned to the file's size
            await pilot.press("ctrl+s")
            error = screen.query_one("#intake-error")
            await wait_for(pilot, lambda: not error.has_class("empty"))
        assert str(error.render()) == (
            "Niet opgeslagen: de schijf met de database is vol; maak ruimte en probeer het"
            " opnieuw. De melding blijft hier staan: Ctrl+S probeert het opnieuw.")
        assert isinstance(app.screen, IntakeScreen)
        assert screen.query_one("#subject").value == "Scanner scant zwart"
        assert screen.query_one("#description").text == description
        with read_session(ui_world.db) as session:
            assert session.execute(select(func.count()).select_from(Call)).scalar_one() == 0
        ui_world.db.dispose()  # space again
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
    with read_session(ui_world.db) as session:
        [call] = session.execute(select(Call)).scalars()
    assert (call.subject, call.description) == ("Scanner scant zwart", description.strip())


def test_every_storage_reason_has_a_dutch_translation() -> None:
    from desk_tui.store import engine
    from desk_tui.ui import i18n
    from desk_tui.ui.msgfmt import parse_po

    po = i18n.locale_dir() / "nl" / "LC_MESSAGES" / "desk.po"
    catalogue = {key.decode() for key in parse_po(po.read_text(encoding="utf-8"))}
    reasons = {*engine._SQLITE_REASONS.values(), *engine._POSTGRES_REASONS.values(),
               "the connection to the database server was lost; try again"}
    assert reasons - catalogue == set()


# -- PostgreSQL -------------------------------------------------------------------------------
def test_a_read_only_postgresql_database_is_named_read_only(postgresql_url: str) -> None:
    """A standby, or a database set read-only by its administrator: SQLSTATE 25006."""
    upgrade_database(postgresql_url)
    read_only_url = postgresql_url.replace(
        "options=-csearch_path", "options=-cdefault_transaction_read_only%3Don+-csearch_path")
    engine = make_engine(read_only_url)
    with pytest.raises(DBAPIError) as failed:
        _write_outbox_row(engine, "never")
    engine.dispose()
    assert storage_failure(failed.value) == (
        "the database is read-only (a standby, or a read-only transaction); nothing can be saved")


def test_an_unreachable_server_is_one_line_on_the_command_line(monkeypatch, capsys) -> None:
    monkeypatch.setenv("DESK_DATABASE_URL", "postgresql://desk@127.0.0.1:9/desk")
    assert main(["--operator", "agent", "report", "queue"]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("desk: cannot use the database postgresql+psycopg://desk@127.0.0.1:9"
                           "/desk: the database server cannot be reached (connection failed")


async def test_a_queue_that_cannot_be_read_says_so_and_not_no_open_calls(ui_world, clock):
    """A damaged call table: the console is up (operators read fine), the queue read
    fails; the queue says it could not be read, never "No open calls", and r reads again
    without piling up a notice per try."""
    from desk_tui.ui.widgets.call_queue import CallQueue
    from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for

    path = Path(ui_world.db.url.database)
    ui_world.db.dispose()
    damage_calls(path)
    app = make_test_app(ui_world, clock, language="en")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None and bool(app._notifications))
        screen = app.screen
        await wait_for(pilot, lambda: not screen._loading)
        await pilot.pause()
        queue = screen.query_one(CallQueue)
        first_line = "".join(segment.text for segment in queue.render_line(1))
        assert "No open calls" not in first_line
        assert "The queue could not be read; desk tries again (r: now)" in first_line
        status = str(screen.query_one("#queue-status").render())
        assert status.startswith("The queue could not be read: the database file is damaged")
        assert "r tries now" in status
        [notice] = list(app._notifications)
        assert notice.message.startswith("the database file is damaged")
        reads: list[object] = []
        read_queue = app.desk.queue
        app.desk.queue = lambda *args: (reads.append(args), read_queue(*args))[1]
        await pilot.press("r")
        await wait_for(pilot, lambda: bool(reads) and not screen._loading)
        await pilot.pause()
        assert len(app._notifications) == 1  # told once; the status line keeps saying it
        assert "The queue could not be read" in "".join(
            segment.text for segment in queue.render_line(1))
