"""sync speed: a stored source-row hash on current tables; no batch_id index on versions

A nightly snapshot is compared with the master by joining on key and a hash of
the source row. The stored hash was an md5 that each run recomputed in the
database over every row of the file (most of the compare's time, and the whole
file had to be staged for it). ``<dataset>.raw_hash`` keeps a 64-bit hash of the
row as last received, which the sync computes before staging
(``sync.service.source_row_hash``), so only keys and hashes are staged. Existing
rows start with NULL: the next sync checks them in full once (as it would a new
file), makes no version for unchanged values, and fills the hash in.

Nothing reads versions by batch, and the ``batch_id`` index cost each sync a
random index write per version written or superseded, so it goes.

Revision ID: 0010_sync_speed
Revises: 0009_audit_chains
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_sync_speed"
down_revision: str | None = "0009_audit_chains"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The datasets as of this revision (a later dataset's table is created with its own
# columns, so this list must not follow the registry).
DATASETS = (
    "address", "building", "business", "corporation", "farm_business", "foreign_resident",
    "goods", "hazardous_substance", "land_parcel", "licence", "medicine", "resident",
    "vehicle", "workplace",
)


def upgrade() -> None:
    for name in DATASETS:
        op.add_column(name, sa.Column(
            "raw_hash", sa.BigInteger(), nullable=True,
            comment="hash of the source row as last received (sync change detection)"))
        op.drop_index(f"ix_{name}_version_batch_id", table_name=f"{name}_version")


def downgrade() -> None:
    for name in DATASETS:
        op.create_index(f"ix_{name}_version_batch_id", f"{name}_version", ["batch_id"],
                        unique=False)
        op.drop_column(name, "raw_hash")
