"""future changes: the latest applied as-of date of each dataset, found by one probe

A sync may be as of a later date than today (a change announced to take effect
then). Until that date, the record valid today is a version, not the row of the
current table, and default reads must find it. They check whether any applied batch
of the dataset is as of a later date than today; this index makes that one probe.

Revision ID: 0011_future_changes
Revises: 0010_sync_speed
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_future_changes"
down_revision: str | None = "0010_sync_speed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_sync_batch_dataset_applied_as_of", "sync_batch", ["dataset", "as_of"],
                    postgresql_where=sa.text("status = 'applied'"))


def downgrade() -> None:
    op.drop_index("ix_sync_batch_dataset_applied_as_of", table_name="sync_batch")
