"""out-of-order batches: the keys each delta named, and each batch's warnings

A batch dated before one already applied must not change or end what that later
batch stated. A later full snapshot stated every live key; a later delta only the
keys on its rows, and a row it found unchanged leaves no version behind, so the
keys of each applied delta are kept here (deltas are small; full snapshots add
nothing). Warnings of a batch (ends withheld, columns absent) are kept with it.

Revision ID: 0013_out_of_order_batches
Revises: 0012_today_views
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_out_of_order_batches"
down_revision: str | None = "0012_today_views"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_delta_key",
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["sync_batch.batch_id"],
                                name=op.f("fk_sync_delta_key_batch_id_sync_batch")),
        sa.PrimaryKeyConstraint("batch_id", "record_key", name=op.f("pk_sync_delta_key")),
        comment="keys named by the valid rows of each applied delta",
    )
    op.add_column("sync_batch", sa.Column(
        "warnings", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"),
        nullable=False))


def downgrade() -> None:
    op.drop_column("sync_batch", "warnings")
    op.drop_table("sync_delta_key")
