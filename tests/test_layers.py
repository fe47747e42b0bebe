"""The domain stays pure: importing it loads no UI, terminal or database library."""

import subprocess
import sys

FORBIDDEN = ("textual", "rich", "sqlalchemy", "sqlmodel", "alembic", "psycopg")


def test_domain_imports_no_ui_or_database_modules():
    code = (
        "import sys, importlib, pkgutil, desk_tui.domain as d\n"
        "for m in pkgutil.iter_modules(d.__path__):\n"
        "    importlib.import_module(f'desk_tui.domain.{m.name}')\n"
        f"bad = sorted({{n.split('.')[0] for n in sys.modules}} & set({FORBIDDEN!r}))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
