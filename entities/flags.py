"""Field flags: a master value a steward has put "under investigation".

When a steward decides the master is wrong, a correction request goes to the
owning agency and the field is flagged until the agency's next sync corrects it
or a steward clears the flag. The read API shows open flags with every record.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Table,
    Text,
    func,
    text,
)

from mdr.db.base import metadata

field_flag = Table(
    "field_flag",
    metadata,
    Column("flag_id", BigInteger, Identity(), primary_key=True),
    Column("dataset", Text, nullable=False),
    Column("record_key", Text, nullable=False),
    Column("field", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="under_investigation"),
    Column("reason", Text, nullable=False),
    Column("raised_by", Text, nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("cleared_at", DateTime(timezone=True), nullable=True),
    Column("cleared_by", Text, nullable=True),
    Index("ix_field_flag_open", "dataset", "record_key",
          postgresql_where=text("cleared_at IS NULL")),
)
