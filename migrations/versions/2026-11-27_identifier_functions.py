"""identifier functions: mdr_norm_*, mdr_check_*, mdr_warn_* for in-database validation

Sync validates staged rows and the integrity checks validate the master with
these SQL functions, which implement the same rules as entities.identifiers
(tests/entities/test_identifiers.py checks they agree). The statements are
CREATE OR REPLACE, so re-running a later version of them is harmless; a change
to a rule ships as a new migration that runs the new text.

Revision ID: 0003_identifier_functions
Revises: 0002_datasets
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

from entities.identifiers_sql import DROP_SQL_FUNCTIONS, SQL_FUNCTIONS

revision: str = "0003_identifier_functions"
down_revision: str | None = "0002_datasets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for statement in SQL_FUNCTIONS:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_SQL_FUNCTIONS:
        op.execute(statement)
