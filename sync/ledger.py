"""Reading the run ledger: batch history and quarantined rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from entities.masking import mask_field
from entities.registry import get_dataset
from mdr.errors import NotFound
from sync.models import quarantine, sync_batch


def batch_history(session: Session, dataset: str | None = None,
                  limit: int = 50) -> list[dict[str, Any]]:
    """Most recent batches first, with counts, status and timings."""
    query = select(sync_batch).order_by(sync_batch.c.batch_id.desc()).limit(limit)
    if dataset is not None:
        get_dataset(dataset)
        query = query.where(sync_batch.c.dataset == dataset)
    return [
        {
            **{k: v for k, v in row.items() if k not in {"started_at", "finished_at", "as_of"}},
            "as_of": row["as_of"].isoformat() if row["as_of"] else None,
            "started_at": row["started_at"].isoformat(),
            "finished_at": row["finished_at"].isoformat() if row["finished_at"] else None,
        }
        for row in session.execute(query).mappings()
    ]


def quarantined_rows(session: Session, batch_id: int, limit: int = 1000,
                     masked: bool = True) -> dict[str, Any]:
    """A batch's rejected rows with field and reason; personal values masked by default."""
    batch = session.execute(
        select(sync_batch.c.dataset, sync_batch.c.rows_quarantined)
        .where(sync_batch.c.batch_id == batch_id)
    ).first()
    if batch is None:
        raise NotFound(f"no sync batch {batch_id}")
    spec = get_dataset(batch.dataset)
    rows = []
    for row in session.execute(
        select(quarantine).where(quarantine.c.batch_id == batch_id)
        .order_by(quarantine.c.row_number, quarantine.c.quarantine_id).limit(limit)
    ).mappings():
        key = row["raw"].get(spec.key)
        value = row["raw"].get(row["field"]) if row["field"] else None
        rows.append({
            "row_number": row["row_number"],
            # the file's line, for a line that could not be read as a row
            "line": row["raw"].get("_line"),
            "key": mask_field(spec, spec.key, key) if masked else key,
            "field": row["field"],
            "value": mask_field(spec, row["field"], value) if masked and row["field"] else value,
            "reason": row["reason"],
        })
    return {"batch_id": batch_id, "dataset": batch.dataset,
            "rows_quarantined": batch.rows_quarantined, "problems": rows}
