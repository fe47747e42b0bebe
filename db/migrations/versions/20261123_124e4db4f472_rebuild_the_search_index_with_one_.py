"""Rebuild the CMDB search index: SQLite's FTS5 table gains a one-character prefix
index (as-you-type search after one letter); PostgreSQL's trigram index is rebuilt as is.

Revision ID: 124e4db4f472
Revises: 067a9d5c9955
Create Date: 2026-11-23 18:24:23.512409
"""

from collections.abc import Sequence

from alembic import op

from desk_tui.store.search import install_ci_search, remove_ci_search


revision: str = '124e4db4f472'
down_revision: str | Sequence[str] | None = '067a9d5c9955'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    remove_ci_search(op.get_bind())
    install_ci_search(op.get_bind())


def downgrade() -> None:
    # The older prefix set is a subset: the rebuilt index serves the older desk as well.
    remove_ci_search(op.get_bind())
    install_ci_search(op.get_bind())
