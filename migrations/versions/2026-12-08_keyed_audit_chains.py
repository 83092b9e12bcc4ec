"""keyed audit chains: each chain records how its rows are hashed, and under which key

Chain hashes become MACs under a key derived from the server secret, outside the
database, so that a superuser who alters rows cannot re-hash the chain unseen.
Chains opened before this revision keep their plain SHA-256 (scheme ``sha256``,
the column's default, which also describes writers still running the previous
release during a rolling upgrade). Rows from before per-writer chains (chain 0)
get a chain row too, so that every chain in the log has one and a chain whose row
is removed shows. After a downgrade, the previous release's verify cannot check the
keyed chains written meanwhile.

Revision ID: 0015_keyed_audit_chains
Revises: 0014_disclosure_gate
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_keyed_audit_chains"
down_revision: str | None = "0014_disclosure_gate"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "access_log_chain",
        sa.Column("scheme", sa.Text(), server_default="sha256", nullable=False,
                  comment="how its rows are hashed: sha256 (unkeyed, from before keys) or "
                          "blake2b-keyed"),
    )
    op.add_column(
        "access_log_chain",
        sa.Column("key_id", sa.Text(), nullable=True,
                  comment="the public name of the chain key of a keyed chain (never the key)"),
    )
    op.create_check_constraint(
        op.f("ck_access_log_chain_scheme"), "access_log_chain",
        "scheme IN ('sha256', 'blake2b-keyed')",
    )
    op.execute(
        "INSERT INTO access_log_chain (chain_id, opened_at, host, pid) "
        "SELECT 0, min(accessed_at), 'before per-writer chains', 0 FROM access_log "
        "WHERE chain_id = 0 HAVING count(*) > 0"
    )


def downgrade() -> None:
    op.execute("DELETE FROM access_log_chain WHERE chain_id = 0")
    op.drop_constraint(op.f("ck_access_log_chain_scheme"), "access_log_chain", type_="check")
    op.drop_column("access_log_chain", "key_id")
    op.drop_column("access_log_chain", "scheme")
