"""Storage: tables, engines, sessions and migrations.

Names resolve on first use, so `import desk_tui.store` costs nothing until a function is
needed (the tables and Alembic are heavy imports).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk_tui.store.engine import (
        ReadOnlySessionError,
        UnsupportedDatabase,
        database_url,
        make_engine,
        mask_url,
        read_session,
        write_session,
    )
    from desk_tui.store.migrate import (
        DatabaseNeedsUpgrade,
        DatabaseNotDesk,
        DatabaseStateError,
        DatabaseTooNew,
        UpgradeReport,
        check_database,
        head_revision,
        upgrade_database,
    )
    from desk_tui.store.numbers import ReferenceKind, format_reference, next_number

_EXPORTS = {
    "make_engine": "engine",
    "read_session": "engine",
    "write_session": "engine",
    "database_url": "engine",
    "mask_url": "engine",
    "UnsupportedDatabase": "engine",
    "ReadOnlySessionError": "engine",
    "upgrade_database": "migrate",
    "check_database": "migrate",
    "head_revision": "migrate",
    "UpgradeReport": "migrate",
    "DatabaseStateError": "migrate",
    "DatabaseTooNew": "migrate",
    "DatabaseNeedsUpgrade": "migrate",
    "DatabaseNotDesk": "migrate",
    "ReferenceKind": "numbers",
    "next_number": "numbers",
    "format_reference": "numbers",
}

__all__ = [
    "DatabaseNeedsUpgrade",
    "DatabaseNotDesk",
    "DatabaseStateError",
    "DatabaseTooNew",
    "ReadOnlySessionError",
    "ReferenceKind",
    "UnsupportedDatabase",
    "UpgradeReport",
    "check_database",
    "database_url",
    "format_reference",
    "head_revision",
    "make_engine",
    "mask_url",
    "next_number",
    "read_session",
    "upgrade_database",
    "write_session",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
