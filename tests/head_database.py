"""New test databases at the head revision without creating the schema each time."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy.engine import Engine

from desk_tui.store.engine import make_engine
from desk_tui.store.migrate import upgrade_database


def make_sqlite_at_head(path: Path) -> Path:
    """A SQLite file desk created at the head revision, to copy from."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


def upgrade_to_head(engine: Engine, template: Path) -> None:
    """What upgrade_database does to a new database, faster: a new SQLite file starts as a
    copy of `template` (creating the schema costs ~0.2 s a test); upgrade_database then
    only reads its revision, so a template that fell behind the head would still fail."""
    path = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and path and not Path(path).exists():
        shutil.copyfile(template, path)
    upgrade_database(engine)
