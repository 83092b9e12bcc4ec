"""quality: stored integrity check runs and per-rule results (counts, samples, timings)

Revision ID: 0006_quality
Revises: 0006_access
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_quality"
down_revision: str | None = "0006_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "check_run",
        sa.Column("run_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("triggered_by", sa.Text(), nullable=False),
        sa.Column(
            "scope",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
            comment="datasets, rule patterns and dimensions the run was limited to",
        ),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rules_run", sa.Integer(), server_default="0", nullable=False),
        sa.Column("rules_failed", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "triggered_by IN ('cli', 'schedule', 'after_sync', 'api')",
            name=op.f("ck_check_run_triggered_by"),
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_check_run")),
        comment="One run of integrity checks",
    )
    op.create_index("ix_check_run_started_at", "check_run", ["started_at"], unique=False)
    op.create_table(
        "check_result",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column("dimension", sa.Text(), nullable=False),
        sa.Column("severity", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("checked_rows", sa.BigInteger(), nullable=False),
        sa.Column("failing_rows", sa.BigInteger(), nullable=False),
        sa.Column(
            "sample_keys",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
            comment="at most 50 failing record keys, unmasked",
        ),
        sa.Column(
            "duration_ms",
            sa.Float(),
            nullable=False,
            comment="time of the statement that evaluated the rule (shared by a table's rules)",
        ),
        sa.Column("scan", sa.Text(), nullable=False, comment="label of that statement"),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "dimension IN ('completeness', 'validity', 'uniqueness', 'consistency', 'timeliness', 'accuracy')",
            name=op.f("ck_check_result_dimension"),
        ),
        sa.CheckConstraint(
            "severity IN ('error', 'warning', 'info')", name=op.f("ck_check_result_severity")
        ),
        sa.CheckConstraint(
            "status IN ('passed', 'failed', 'no_data', 'error')",
            name=op.f("ck_check_result_status"),
        ),
        sa.CheckConstraint(
            "failing_rows >= 0 AND failing_rows <= checked_rows",
            name=op.f("ck_check_result_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["check_run.run_id"],
            name=op.f("fk_check_result_run_id_check_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "rule_id", name=op.f("pk_check_result")),
        comment="One rule's outcome in one check run",
    )
    op.create_index(
        "ix_check_result_dataset_run_id", "check_result", ["dataset", "run_id"], unique=False
    )
    op.create_index(
        "ix_check_result_rule_id_run_id", "check_result", ["rule_id", "run_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_check_result_rule_id_run_id", table_name="check_result")
    op.drop_index("ix_check_result_dataset_run_id", table_name="check_result")
    op.drop_table("check_result")
    op.drop_index("ix_check_run_started_at", table_name="check_run")
    op.drop_table("check_run")
