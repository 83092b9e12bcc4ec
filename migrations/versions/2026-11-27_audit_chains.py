"""audit chains: one hash chain per access-log writer instead of one global chain

A single chain made every API process take one global lock (and read the last
hash) for each audit commit, so audit commits from all processes ran one at a
time. Each writer now opens a chain of its own (``access_log_chain``) and
chains its rows in memory; rows written before this revision form chain 0.

Revision ID: 0009_audit_chains
Revises: 0008_console
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_audit_chains"
down_revision: str | None = "0008_console"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "access_log_chain",
        sa.Column("chain_id", sa.Integer(), sa.Identity(always=False, start=1), nullable=False),
        sa.Column(
            "opened_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("chain_id", name=op.f("pk_access_log_chain")),
        comment="One row per access-log writer; its rows in access_log share its chain_id",
    )
    # A constant default: no table rewrite, existing rows become chain 0.
    op.add_column(
        "access_log",
        sa.Column("chain_id", sa.Integer(), server_default="0", nullable=False,
                  comment="the writer's chain (0: rows from before per-writer chains)"),
    )


def downgrade() -> None:
    op.drop_column("access_log", "chain_id")
    op.drop_table("access_log_chain")
