"""sync functions: date and boolean normalisation for in-database validation

Revision ID: 0004_sync_functions
Revises: 0003_identifier_functions
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

from sync.sql_functions import DROP_SQL_FUNCTIONS, SQL_FUNCTIONS

revision: str = "0004_sync_functions"
down_revision: str | None = "0003_identifier_functions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for statement in SQL_FUNCTIONS:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_SQL_FUNCTIONS:
        op.execute(statement)
