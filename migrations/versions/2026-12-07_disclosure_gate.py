"""disclosure gate: reconciliation runs carry who asked, why and what they may see

A reconciliation run compares and reports only the fields of the grant it was asked
under, so the run records the caller, the declared purpose and the granted fields.
Uploads are carried out by a worker process, not the API worker: the run keeps the
stored upload and its reading options, and how often a worker started it. Staff
reads are logged under the Ministry that keeps the repository (agency MOIS).

Revision ID: 0014_disclosure_gate
Revises: 0013_out_of_order_batches
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014_disclosure_gate"
down_revision: str | None = "0013_out_of_order_batches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    columns: list[sa.Column[object]] = [
        sa.Column("requested_by", sa.Text(), nullable=True,
                  comment="key id, or staff:<name>, of who asked for the run"),
        sa.Column("purpose", sa.Text(), nullable=True, comment="purpose declared for the run"),
        sa.Column("granted_fields", postgresql.ARRAY(sa.Text()), nullable=True,
                  comment="fields the run may compare and report; null: every field (staff)"),
        sa.Column("upload_path", sa.Text(), nullable=True,
                  comment="stored upload, for the worker"),
        sa.Column("options", postgresql.JSONB(astext_type=sa.Text()), nullable=True,
                  comment="encoding, mapping, format of the upload"),
        sa.Column("attempts", sa.BigInteger(), server_default="0", nullable=False,
                  comment="times a worker started it (an interrupted run is queued again)"),
    ]
    for column in columns:
        op.add_column("reconciliation_run", column)
    op.create_index("ix_reconciliation_run_queued", "reconciliation_run", ["run_id"],
                    postgresql_where=sa.text("status = 'queued'"))
    op.execute("INSERT INTO agency (code, name) VALUES ('MOIS', "
               "'Ministry of the Interior and Safety (행정안전부)') ON CONFLICT (code) DO NOTHING")


def downgrade() -> None:
    op.drop_index("ix_reconciliation_run_queued", table_name="reconciliation_run")
    for name in ("attempts", "options", "upload_path", "granted_fields", "purpose",
                 "requested_by"):
        op.drop_column("reconciliation_run", name)
