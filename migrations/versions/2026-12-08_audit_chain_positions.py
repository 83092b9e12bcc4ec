"""audit chain positions: an index of each chain's rows in order, for hourly checkpoints

A signed checkpoint counts each chain's rows. Counting only the rows after the
previous checkpoint's head needs a chain's rows by audit_id; without this index
every checkpoint would read the whole log.

Built inside the migration's transaction, so inserts into the access log (and with
them the API's reads) wait while it is built. On a large log, build it beforehand
without blocking them, then migrate:

    CREATE INDEX CONCURRENTLY ix_access_log_chain_id_audit_id
        ON access_log (chain_id, audit_id);

Not CONCURRENTLY here: that waits for every older transaction, among them a process
waiting for the migration lock (``mdr serve`` workers starting together), which waits
for this one: a deadlock.

Revision ID: 0017_audit_chain_positions
Revises: 0016_shared_audit_chains
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_audit_chain_positions"
down_revision: str | None = "0016_shared_audit_chains"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A CONCURRENTLY build that failed leaves an invalid index behind: build it again.
    op.execute("""
        DO $$ BEGIN
            IF EXISTS (SELECT FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                       WHERE c.relname = 'ix_access_log_chain_id_audit_id'
                       AND NOT i.indisvalid) THEN
                DROP INDEX ix_access_log_chain_id_audit_id;
            END IF;
        END $$
    """)
    op.execute("CREATE INDEX IF NOT EXISTS ix_access_log_chain_id_audit_id "
               "ON access_log (chain_id, audit_id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_access_log_chain_id_audit_id")
