"""reconciliation: runs, outcomes and evidence, steward work items, actions, requests, manual links

Revision ID: 0007_reconciliation
Revises: 0006_quality
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007_reconciliation"
down_revision: str | None = "0006_quality"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reconciliation_run",
        sa.Column("run_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column(
            "agency", sa.Text(), nullable=False, comment="code of the agency whose copy this is"
        ),
        sa.Column("source", sa.Text(), nullable=False, comment="file name of the agency copy"),
        sa.Column("sha256", sa.Text(), nullable=True, comment="checksum of the agency file"),
        sa.Column(
            "scope",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="{field: [values]} the agency declared its copy covers; null: everything",
        ),
        sa.Column("status", sa.Text(), server_default="queued", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column(
            "queued_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "finished_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="set only when the run finished (the accuracy contract reads it)",
        ),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "agency_records", sa.BigInteger(), nullable=True, comment="data rows of the agency copy"
        ),
        sa.Column(
            "records_compared",
            sa.BigInteger(),
            nullable=True,
            comment="agency records linked to a master record and compared",
        ),
        sa.Column(
            "records_agreeing",
            sa.BigInteger(),
            nullable=True,
            comment="compared records with no differing field",
        ),
        sa.Column(
            "field_agreement",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment='{field: {"compared": n, "agreeing": m}} over the compared records',
        ),
        sa.Column("match_count", sa.BigInteger(), nullable=True),
        sa.Column("match_with_differences_count", sa.BigInteger(), nullable=True),
        sa.Column("agency_only_count", sa.BigInteger(), nullable=True),
        sa.Column("ambiguous_count", sa.BigInteger(), nullable=True),
        sa.Column("master_only_count", sa.BigInteger(), nullable=True),
        sa.Column("rule_version", sa.Text(), nullable=True),
        sa.Column(
            "mapping",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="agency column -> field, fields not supplied, unparseable values per field",
        ),
        sa.Column(
            "stats",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
            comment="linkage statistics and timings",
        ),
        sa.CheckConstraint(
            "status <> 'finished' OR finished_at IS NOT NULL",
            name=op.f("ck_reconciliation_run_finished_at"),
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'finished', 'failed')",
            name=op.f("ck_reconciliation_run_status"),
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_reconciliation_run")),
        comment="One comparison of an agency's copy of a dataset with the master",
    )
    op.create_index(
        "ix_reconciliation_run_dataset_agency_finished_at",
        "reconciliation_run",
        ["dataset", "agency", "finished_at"],
        unique=False,
    )
    op.create_table(
        "reconciliation_evidence",
        sa.Column("evidence_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("agency_row", sa.BigInteger(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("agency_value", sa.Text(), nullable=True, comment="normalised agency value"),
        sa.Column("master_value", sa.Text(), nullable=True, comment="normalised master value"),
        sa.Column("level", sa.Text(), nullable=False, comment="agreement level of the comparison"),
        sa.Column(
            "weight",
            sa.Float(),
            nullable=True,
            comment="match weight in bits; null for manual links",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["reconciliation_run.run_id"],
            name=op.f("fk_reconciliation_evidence_run_id_reconciliation_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evidence_id", name=op.f("pk_reconciliation_evidence")),
        comment="Compared values, levels and weights behind each linkage decision",
    )
    op.create_index(
        "ix_reconciliation_evidence_run_id_agency_row",
        "reconciliation_evidence",
        ["run_id", "agency_row"],
        unique=False,
    )
    op.create_table(
        "reconciliation_outcome",
        sa.Column("outcome_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "agency_row",
            sa.BigInteger(),
            nullable=True,
            comment="0-based data row of the agency file; null for master_only",
        ),
        sa.Column("master_key", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "differing_fields",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column("tier", sa.Text(), nullable=True),
        sa.Column(
            "agency_ident",
            sa.Text(),
            nullable=True,
            comment="digest identifying the agency record across runs",
        ),
        sa.Column(
            "agency_values",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="the agency's raw values, kept for rows a steward may have to look at",
        ),
        sa.CheckConstraint(
            "(agency_row IS NULL) = (outcome = 'master_only')",
            name=op.f("ck_reconciliation_outcome_agency_row"),
        ),
        sa.CheckConstraint(
            "outcome IN ('match', 'match_with_differences', 'agency_only', 'ambiguous', 'master_only')",
            name=op.f("ck_reconciliation_outcome_outcome"),
        ),
        sa.CheckConstraint(
            "tier IS NULL OR tier IN ('key', 'secondary', 'probabilistic', 'manual')",
            name=op.f("ck_reconciliation_outcome_tier"),
        ),
        sa.CheckConstraint(
            "score >= 0 AND score <= 1", name=op.f("ck_reconciliation_outcome_score")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["reconciliation_run.run_id"],
            name=op.f("fk_reconciliation_outcome_run_id_reconciliation_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("outcome_id", name=op.f("pk_reconciliation_outcome")),
        comment="The decision for each agency row of a run, and the master-only records",
    )
    op.create_index(
        "ix_reconciliation_outcome_run_id_agency_row",
        "reconciliation_outcome",
        ["run_id", "agency_row"],
        unique=False,
    )
    op.create_table(
        "steward_item",
        sa.Column("item_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "fingerprint",
            sa.UUID(as_uuid=False),
            nullable=False,
            comment="digest of agency, dataset, kind, agency identity, master key and differing fields: the same difference is one item",
        ),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column("agency", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("agency_ident", sa.Text(), nullable=True),
        sa.Column("master_key", sa.Text(), nullable=True),
        sa.Column(
            "differing_fields",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("first_seen_run", sa.BigInteger(), nullable=False),
        sa.Column("last_seen_run", sa.BigInteger(), nullable=False),
        sa.Column(
            "last_agency_row",
            sa.BigInteger(),
            nullable=True,
            comment="the item's agency row in last_seen_run",
        ),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Text(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolution_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(status = 'resolved') = (resolved_at IS NOT NULL)",
            name=op.f("ck_steward_item_resolved"),
        ),
        sa.CheckConstraint(
            "kind IN ('match_with_differences', 'ambiguous', 'agency_only', 'master_only')",
            name=op.f("ck_steward_item_kind"),
        ),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('master_right', 'master_wrong', 'wrong_link', 'not_an_issue', 'no_longer_present')",
            name=op.f("ck_steward_item_resolution"),
        ),
        sa.CheckConstraint("status IN ('open', 'resolved')", name=op.f("ck_steward_item_status")),
        sa.ForeignKeyConstraint(
            ["first_seen_run"],
            ["reconciliation_run.run_id"],
            name=op.f("fk_steward_item_first_seen_run_reconciliation_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["last_seen_run"],
            ["reconciliation_run.run_id"],
            name=op.f("fk_steward_item_last_seen_run_reconciliation_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_steward_item")),
        comment="A steward's work item: one unresolved (or resolved) difference",
    )
    op.create_index(
        "ix_steward_item_last_seen_run", "steward_item", ["last_seen_run"], unique=False
    )
    op.create_index(
        "ix_steward_item_open",
        "steward_item",
        ["dataset", "agency", "item_id"],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index(
        "ix_steward_item_open_due_at",
        "steward_item",
        ["due_at"],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index("uq_steward_item_fingerprint", "steward_item", ["fingerprint"], unique=True)
    op.create_table(
        "reconciliation_manual_link",
        sa.Column("link_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column("agency", sa.Text(), nullable=False),
        sa.Column("agency_ident", sa.Text(), nullable=False),
        sa.Column(
            "master_key", sa.Text(), nullable=True, comment="link to this record; null: no link"
        ),
        sa.Column(
            "rejected_master_key",
            sa.Text(),
            nullable=True,
            comment="the record the engine linked and the steward rejected",
        ),
        sa.Column("item_id", sa.BigInteger(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "decided_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "active",
            sa.Boolean(),
            server_default=sa.text("true"),
            nullable=False,
            comment="false once a later decision replaced it",
        ),
        sa.CheckConstraint(
            "master_key IS NOT NULL OR rejected_master_key IS NOT NULL",
            name=op.f("ck_reconciliation_manual_link_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["steward_item.item_id"],
            name=op.f("fk_reconciliation_manual_link_item_id_steward_item"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("link_id", name=op.f("pk_reconciliation_manual_link")),
        comment="A steward's link decision that later runs of the agency and dataset honour",
    )
    op.create_index(
        "uq_reconciliation_manual_link_active",
        "reconciliation_manual_link",
        ["dataset", "agency", "agency_ident"],
        unique=True,
        postgresql_where=sa.text("active"),
    )
    op.create_table(
        "reconciliation_request",
        sa.Column("request_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "kind",
            sa.Text(),
            nullable=False,
            comment="fix_copy: the agency fixes its copy; correct_master: the owner corrects",
        ),
        sa.Column("to_agency", sa.Text(), nullable=False),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=True),
        sa.Column(
            "fields",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.CheckConstraint(
            "kind IN ('fix_copy', 'correct_master')", name=op.f("ck_reconciliation_request_kind")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'done', 'withdrawn')", name=op.f("ck_reconciliation_request_status")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["steward_item.item_id"],
            name=op.f("fk_reconciliation_request_item_id_steward_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_reconciliation_request")),
        comment="A request to an agency to fix its copy, or to the owner to correct the master",
    )
    op.create_index(
        "ix_reconciliation_request_to_agency_status",
        "reconciliation_request",
        ["to_agency", "status"],
        unique=False,
    )
    op.create_table(
        "steward_action",
        sa.Column("action_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column(
            "steward", sa.Text(), nullable=False, comment="who decided ('system' for automatic)"
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("master_key", sa.Text(), nullable=True, comment="relink target of wrong_link"),
        sa.Column(
            "run_id", sa.BigInteger(), nullable=True, comment="the run behind an automatic action"
        ),
        sa.Column(
            "acted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint(
            "action IN ('master_right', 'master_wrong', 'wrong_link', 'not_an_issue', 'no_longer_present', 'reopened')",
            name=op.f("ck_steward_action_action"),
        ),
        sa.CheckConstraint("length(btrim(reason)) > 0", name=op.f("ck_steward_action_reason")),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["steward_item.item_id"],
            name=op.f("fk_steward_action_item_id_steward_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["reconciliation_run.run_id"],
            name=op.f("fk_steward_action_run_id_reconciliation_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("action_id", name=op.f("pk_steward_action")),
        comment="Every decision on a work item: who, when, why",
    )
    op.create_index("ix_steward_action_item_id", "steward_action", ["item_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_steward_action_item_id", table_name="steward_action")
    op.drop_table("steward_action")
    op.drop_index("ix_reconciliation_request_to_agency_status", table_name="reconciliation_request")
    op.drop_table("reconciliation_request")
    op.drop_index(
        "uq_reconciliation_manual_link_active",
        table_name="reconciliation_manual_link",
        postgresql_where=sa.text("active"),
    )
    op.drop_table("reconciliation_manual_link")
    op.drop_index("uq_steward_item_fingerprint", table_name="steward_item")
    op.drop_index(
        "ix_steward_item_open_due_at",
        table_name="steward_item",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_index(
        "ix_steward_item_open",
        table_name="steward_item",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_index("ix_steward_item_last_seen_run", table_name="steward_item")
    op.drop_table("steward_item")
    op.drop_index(
        "ix_reconciliation_outcome_run_id_agency_row", table_name="reconciliation_outcome"
    )
    op.drop_table("reconciliation_outcome")
    op.drop_index(
        "ix_reconciliation_evidence_run_id_agency_row", table_name="reconciliation_evidence"
    )
    op.drop_table("reconciliation_evidence")
    op.drop_index(
        "ix_reconciliation_run_dataset_agency_finished_at", table_name="reconciliation_run"
    )
    op.drop_table("reconciliation_run")
