"""shared audit chains: a pool of chains for disclosures logged inside their own transaction

Staff views, downloads and exports log their disclosures in the transaction that
makes them (``mdr.access.audit.append_entries``), which may roll back, so their
writer cannot hold a chain's head in memory as an API lane does. They take a free
``shared`` chain under a row lock and read and move its head in its row
(``shared_head``); lanes keep their own chains (``lane``, the default, which also
describes chains opened by the previous release).

Revision ID: 0016_shared_audit_chains
Revises: 0015_keyed_audit_chains
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_shared_audit_chains"
down_revision: str | None = "0015_keyed_audit_chains"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "access_log_chain",
        sa.Column("kind", sa.Text(), server_default="lane", nullable=False,
                  comment="lane: one API writer's own; shared: taken under a row lock by "
                          "transactions that log disclosures outside the read API"),
    )
    op.add_column(
        "access_log_chain",
        sa.Column("shared_head", sa.Text(), nullable=True,
                  comment="a shared chain's last row hash, read and moved under its row lock"),
    )
    op.create_check_constraint(
        op.f("ck_access_log_chain_kind"), "access_log_chain", "kind IN ('lane', 'shared')")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_access_log_chain_kind"), "access_log_chain", type_="check")
    op.drop_column("access_log_chain", "shared_head")
    op.drop_column("access_log_chain", "kind")
