"""The access log: one row per served record, durable before the response is sent.

Rows from concurrent requests are written together (group commit): a request
hands its rows to the process's :class:`AuditWriter` and waits; the writer
inserts everything waiting in one transaction and one COPY, then releases all
the waiting requests. Each row's hash chains to the previous row's, computed
under a transaction-scoped advisory lock so writers in several processes still
form one chain; ``verify_chain`` recomputes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from mdr.scheduler import advisory_key

log = logging.getLogger(__name__)

GENESIS = "0" * 64
AUDIT_LOCK = advisory_key("mdr-access-log-chain")
COLUMNS = (
    "accessed_at", "agency_code", "key_id", "dataset", "record_key", "record_key_hash",
    "subject_hashes", "fields", "purpose", "request_id", "route", "prev_hash", "row_hash",
)


@dataclass(frozen=True)
class AuditEntry:
    accessed_at: dt.datetime
    agency_code: str
    key_id: str
    dataset: str
    record_key: str
    record_key_hash: str
    subject_hashes: tuple[str, ...]
    fields: tuple[str, ...]
    purpose: str
    request_id: str
    route: str


def _canonical(entry: AuditEntry | dict[str, Any]) -> str:
    get = (lambda k: getattr(entry, k)) if isinstance(entry, AuditEntry) else entry.__getitem__
    at: dt.datetime = get("accessed_at")
    return "|".join([
        at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        get("agency_code"), get("key_id"), get("dataset"), get("record_key"),
        get("record_key_hash"), ",".join(get("subject_hashes")), ",".join(get("fields")),
        get("purpose"), get("request_id"), get("route"),
    ])


def chain_hash(prev_hash: str, entry: AuditEntry | dict[str, Any]) -> str:
    return hashlib.sha256(f"{prev_hash}\n{_canonical(entry)}".encode()).hexdigest()


class AuditWriter:
    """Group-commits audit rows through an asyncpg pool."""

    def __init__(self, pool: Any, flush_ms: float = 1.0) -> None:
        self._pool = pool
        self._flush_seconds = flush_ms / 1000
        self._pending: list[tuple[list[AuditEntry], asyncio.Future[None]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.rows_written = 0
        self.commits = 0

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="audit-writer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._pending:  # do not leave a request waiting forever
            await self._flush()

    async def record(self, entries: list[AuditEntry]) -> None:
        """Return once the entries are committed (raise if they could not be)."""
        if not entries:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((entries, future))
        self._wake.set()
        await future

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            if self._flush_seconds:
                await asyncio.sleep(self._flush_seconds)  # let concurrent requests join
            self._wake.clear()
            await self._flush()

    async def _flush(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        try:
            await self._write([entry for entries, _ in batch for entry in entries])
        except Exception as exc:
            log.exception("access log write failed; the requests are refused")
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for _, future in batch:
            if not future.done():
                future.set_result(None)

    async def _write(self, entries: list[AuditEntry]) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", AUDIT_LOCK)
            prev = await conn.fetchval(
                "SELECT row_hash FROM access_log ORDER BY audit_id DESC LIMIT 1"
            ) or GENESIS
            records = []
            for entry in entries:
                row_hash = chain_hash(prev, entry)
                records.append((
                    entry.accessed_at, entry.agency_code, entry.key_id, entry.dataset,
                    entry.record_key, entry.record_key_hash, list(entry.subject_hashes),
                    list(entry.fields), entry.purpose, entry.request_id, entry.route,
                    prev, row_hash,
                ))
                prev = row_hash
            await conn.copy_records_to_table("access_log", records=records, columns=COLUMNS)
        self.rows_written += len(entries)
        self.commits += 1


def verify_chain(conn: Connection, batch_size: int = 10_000) -> dict[str, Any]:
    """Recompute the whole chain in audit_id order; report the first break, if any."""
    prev, checked, last_id = GENESIS, 0, 0
    while True:
        rows = conn.execute(text(
            f"SELECT audit_id, {', '.join(COLUMNS)} FROM access_log WHERE audit_id > :after "
            "ORDER BY audit_id LIMIT :n"
        ), {"after": last_id, "n": batch_size}).mappings().all()
        if not rows:
            return {"ok": True, "rows_checked": checked, "first_broken_audit_id": None,
                    "reason": None}
        for row in rows:
            if row["prev_hash"] != prev:
                return _broken(checked, row["audit_id"], "a row before it is missing or altered")
            if chain_hash(prev, dict(row)) != row["row_hash"]:
                return _broken(checked, row["audit_id"], "its content does not match its hash")
            prev, checked, last_id = row["row_hash"], checked + 1, row["audit_id"]


def _broken(checked: int, audit_id: int, reason: str) -> dict[str, Any]:
    return {"ok": False, "rows_checked": checked, "first_broken_audit_id": audit_id,
            "reason": reason}


def subject_access(conn: Connection, subject_hash: str, limit: int = 1000) -> list[dict[str, Any]]:
    """Every logged access to records about one person (newest first)."""
    rows = conn.execute(text(
        "SELECT l.accessed_at, l.agency_code, a.name AS agency_name, l.dataset, l.purpose, "
        "l.fields FROM access_log l LEFT JOIN agency a ON a.code = l.agency_code "
        "WHERE l.subject_hashes @> ARRAY[:h] ORDER BY l.audit_id DESC LIMIT :n"
    ), {"h": subject_hash, "n": limit}).mappings().all()
    return [dict(r) | {"accessed_at": r["accessed_at"].isoformat()} for r in rows]

