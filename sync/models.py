"""The run ledger (one row per sync batch) and the outbox of applied changes."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from mdr.db.base import metadata

BATCH_STATUSES = ("running", "applied", "failed", "duplicate")
EVENT_KINDS = ("created", "changed", "corrected", "ended")

sync_batch = Table(
    "sync_batch",
    metadata,
    Column("batch_id", BigInteger, Identity(), primary_key=True),
    Column("dataset", Text, nullable=False),
    Column("mode", Text, nullable=False),
    Column("source", Text, nullable=False, comment="file path, drop folder or source URL"),
    Column("sha256", Text, nullable=True, comment="checksum of the original file"),
    Column("archive_path", Text, nullable=True),
    Column("as_of", Date, nullable=True, comment="valid-from date of the changes"),
    Column("status", Text, nullable=False, server_default="running"),
    Column("rows_read", BigInteger, nullable=False, server_default="0"),
    Column("rows_created", BigInteger, nullable=False, server_default="0"),
    Column("rows_changed", BigInteger, nullable=False, server_default="0"),
    Column("rows_ended", BigInteger, nullable=False, server_default="0"),
    Column("rows_unchanged", BigInteger, nullable=False, server_default="0"),
    Column("rows_quarantined", BigInteger, nullable=False, server_default="0"),
    Column("timings", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("error", Text, nullable=True),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("warnings", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")),
    CheckConstraint("mode IN ('full', 'delta')", name="mode"),
    CheckConstraint(
        "status IN (" + ", ".join(f"'{s}'" for s in BATCH_STATUSES) + ")", name="status"
    ),
    Index("ix_sync_batch_dataset_started", "dataset", "started_at"),
    Index("ix_sync_batch_dataset_sha256", "dataset", "sha256"),
    # Whether a dataset has changes dated after today (api/records_service.py).
    Index("ix_sync_batch_dataset_applied_as_of", "dataset", "as_of",
          postgresql_where=text("status = 'applied'")),
)

# The keys named by the valid rows of each applied delta: a batch dated before it may
# not change or end them (sync.service._Apply._refuse_what_later_batches_stated).
sync_delta_key = Table(
    "sync_delta_key",
    metadata,
    Column("batch_id", BigInteger, ForeignKey("sync_batch.batch_id"), primary_key=True),
    Column("record_key", Text, primary_key=True),
    comment="keys named by the valid rows of each applied delta",
)

# One row per applied change, written in the transaction that applies it. The
# change feed reads it by ``event_id``, which grows in commit order: writers take
# the outbox advisory lock (sync.service.OUTBOX_LOCK) before inserting events and
# hold it to commit. ``txid`` records the writing transaction for diagnosis.
change_event = Table(
    "change_event",
    metadata,
    Column("event_id", BigInteger, Identity(), primary_key=True),
    Column("dataset", Text, nullable=False),
    Column("record_key", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("version_id", BigInteger, nullable=True),
    Column("previous_version_id", BigInteger, nullable=True),
    Column("batch_id", BigInteger, ForeignKey("sync_batch.batch_id"), nullable=True),
    Column("txid", BigInteger, nullable=False,
           server_default=text("(pg_current_xact_id()::text)::bigint")),
    Column("occurred_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint(
        "kind IN (" + ", ".join(f"'{k}'" for k in EVENT_KINDS) + ")", name="kind"
    ),
    Index("ix_change_event_dataset_event", "dataset", "event_id"),
    Index("ix_change_event_batch_id", "batch_id"),
)

quarantine = Table(
    "sync_quarantine",
    metadata,
    Column("quarantine_id", BigInteger, Identity(), primary_key=True),
    Column("batch_id", BigInteger, ForeignKey("sync_batch.batch_id"), nullable=False),
    Column("row_number", Integer, nullable=False, comment="0-based data row of the source"),
    Column("field", Text, nullable=True),
    Column("reason", Text, nullable=False),
    Column("raw", JSONB, nullable=False, comment="the row as received"),
    Index("ix_sync_quarantine_batch_row", "batch_id", "row_number"),
)
