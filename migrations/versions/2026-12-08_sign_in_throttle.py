"""sign-in throttle: failed console sign-ins by account name and by source, not a lock

An account locked after five failures could be locked by anyone who knew its name,
again and again, and a locked account answered unlike an unknown one (429 at once,
against 401 after a password hash). Failures are now counted per account name (known
or not) and per source address, each delaying the next attempt exponentially; the
columns of the lock go.

Revision ID: 0018_sign_in_throttle
Revises: 0017_audit_chain_positions
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_sign_in_throttle"
down_revision: str | None = "0017_audit_chain_positions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("subject", sa.Text(), nullable=False,
                  comment="HMAC of 'account:<name>' or 'source:<address>'"),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_sign_in_throttle")),
        comment="Failed console sign-ins, by account name and by source",
    )
    op.create_index(op.f("ix_sign_in_throttle_last_failure_at"), "sign_in_throttle",
                    ["last_failure_at"])
    op.drop_column("staff_user", "failed_attempts")
    op.drop_column("staff_user", "locked_until")


def downgrade() -> None:
    op.add_column("staff_user", sa.Column("locked_until", sa.DateTime(timezone=True),
                                          nullable=True))
    op.add_column("staff_user", sa.Column("failed_attempts", sa.Integer(), server_default="0",
                                          nullable=False))
    op.drop_index(op.f("ix_sign_in_throttle_last_failure_at"), table_name="sign_in_throttle")
    op.drop_table("sign_in_throttle")
