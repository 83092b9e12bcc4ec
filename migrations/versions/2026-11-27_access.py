"""access: agencies, API keys, grants, the append-only hash-chained access log, field flags

Revision ID: 0006_access
Revises: 0005_job_runs
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_access"
down_revision: str | None = "0005_job_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("audit_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("accessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agency_code", sa.Text(), nullable=False),
        sa.Column("key_id", sa.Text(), nullable=False),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.Column("record_key_hash", sa.Text(), nullable=False, comment="HMAC of the record key"),
        sa.Column(
            "subject_hashes",
            postgresql.ARRAY(sa.Text()),
            nullable=False,
            comment="HMACs of the personal identifiers the record is about",
        ),
        sa.Column("fields", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=False),
        sa.Column("route", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.Text(), nullable=False),
        sa.Column("row_hash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", name=op.f("pk_access_log")),
    )
    op.create_index(
        "ix_access_log_record", "access_log", ["dataset", "record_key_hash"], unique=False
    )
    op.create_index(
        "ix_access_log_subject_hashes",
        "access_log",
        ["subject_hashes"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_table(
        "agency",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agency")),
    )
    op.create_table(
        "field_flag",
        sa.Column("flag_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="under_investigation", nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raised_by", sa.Text(), nullable=False),
        sa.Column(
            "raised_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_by", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("flag_id", name=op.f("pk_field_flag")),
    )
    op.create_index(
        "ix_field_flag_open",
        "field_flag",
        ["dataset", "record_key"],
        unique=False,
        postgresql_where=sa.text("cleared_at IS NULL"),
    )
    op.create_table(
        "api_key",
        sa.Column(
            "key_id", sa.Text(), nullable=False, comment="public part of the key, e.g. k7f3a9c2"
        ),
        sa.Column("agency_code", sa.Text(), nullable=False),
        sa.Column("secret_sha256", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agency.code"], name=op.f("fk_api_key_agency_code_agency")
        ),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("secret_sha256", name=op.f("uq_api_key_secret_sha256")),
    )
    op.create_table(
        "access_grant",
        sa.Column("grant_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("key_id", sa.Text(), nullable=False),
        sa.Column(
            "dataset", sa.Text(), nullable=False, comment="a dataset, or a role such as 'inspector'"
        ),
        sa.Column(
            "fields", postgresql.ARRAY(sa.Text()), nullable=True, comment="NULL: every field"
        ),
        sa.Column("purposes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"], ["api_key.key_id"], name=op.f("fk_access_grant_key_id_api_key")
        ),
        sa.PrimaryKeyConstraint("grant_id", name=op.f("pk_access_grant")),
    )
    op.create_index("ix_access_grant_key_id", "access_grant", ["key_id"], unique=False)

    # The access log is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
    op.execute("""
        CREATE FUNCTION mdr_access_log_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'access_log is append-only: % is not allowed', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$
    """)
    op.execute(
        "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
        "FOR EACH ROW EXECUTE FUNCTION mdr_access_log_append_only()"
    )
    op.execute(
        "CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION mdr_access_log_append_only()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS access_log_no_truncate ON access_log")
    op.execute("DROP TRIGGER IF EXISTS access_log_append_only ON access_log")
    op.execute("DROP FUNCTION IF EXISTS mdr_access_log_append_only()")
    op.drop_index("ix_access_grant_key_id", table_name="access_grant")
    op.drop_table("access_grant")
    op.drop_table("api_key")
    op.drop_index(
        "ix_field_flag_open",
        table_name="field_flag",
        postgresql_where=sa.text("cleared_at IS NULL"),
    )
    op.drop_table("field_flag")
    op.drop_table("agency")
    op.drop_index("ix_access_log_subject_hashes", table_name="access_log", postgresql_using="gin")
    op.drop_index("ix_access_log_record", table_name="access_log")
    op.drop_table("access_log")
