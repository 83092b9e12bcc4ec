"""today views: each dataset's records valid today, for checks, reconciliation and counts

The current table holds each key's latest version, which after a sync dated later
than today is not valid yet. ``<dataset>_today`` is what is true today: the current
rows already valid, and, while such a sync is pending, the versions it replaces or
ends (entities/tables.py, ``today_view_sql``). A later migration that changes a
dataset's columns drops and recreates its view.

Revision ID: 0012_today_views
Revises: 0011_future_changes
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from entities.registry import DATASETS
from entities.tables import today_view_sql

revision: str = "0012_today_views"
down_revision: str | None = "0011_future_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The fields as the tables have them at this revision (reflected), not as the specs
    # may later have them: a later spec change cannot break this migration.
    inspector = sa.inspect(op.get_bind())
    for spec in DATASETS.values():
        present = {c["name"] for c in inspector.get_columns(spec.current_table)}
        op.execute(today_view_sql(spec, [f for f in spec.field_names if f in present]))


def downgrade() -> None:
    for spec in DATASETS.values():
        op.execute(f'DROP VIEW "{spec.today_view}"')
