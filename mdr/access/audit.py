"""The access log: one row per served record, durable before the response is sent.

Rows from concurrent requests are written together (group commit): a request
hands its rows to the process's :class:`AuditWriter` and waits; a free writer
lane inserts everything waiting in one statement (its own transaction), then
releases those requests. Rows arriving while every lane is committing wait for
the next free lane, so batches grow with load and an idle server commits at once.

Each lane owns a hash chain (a row of ``access_log_chain``): it is the chain's
only writer and commits one batch at a time, so it chains rows in memory with no
lock and no read of the last hash, and lanes in every process commit in
parallel. ``verify_chain`` recomputes every chain.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from mdr.db.held_connection import HeldConnection, Lanes

log = logging.getLogger(__name__)

GENESIS = "0" * 64
LEGACY_CHAIN = 0  # rows written before per-writer chains
COLUMNS = (
    "accessed_at", "agency_code", "key_id", "dataset", "record_key", "record_key_hash",
    "subject_hashes", "fields", "purpose", "request_id", "route", "prev_hash", "row_hash",
)
# One round trip and one implicit transaction per batch. Arrays of arrays cannot be
# unnested, so the two array columns travel as comma-joined text (hex hashes and
# field names hold no commas).
INSERT_SQL = (
    "INSERT INTO access_log (chain_id, accessed_at, agency_code, key_id, dataset, record_key, "
    "record_key_hash, subject_hashes, fields, purpose, request_id, route, prev_hash, row_hash) "
    "SELECT $1::int, a, ag, k, d, rk, rkh, string_to_array(sh, ','), string_to_array(f, ','), "
    "p, r, rt, ph, h FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], "
    "$6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], "
    "$13::text[], $14::text[]) WITH ORDINALITY "
    "AS t(a, ag, k, d, rk, rkh, sh, f, p, r, rt, ph, h, n) ORDER BY n"  # ids in chain order
)
OPEN_CHAIN_SQL = "INSERT INTO access_log_chain (host, pid) VALUES ($1, $2) RETURNING chain_id"


class AuditEntry(NamedTuple):  # built per served record: a fifth of a frozen dataclass's cost
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


def _canonical(entry: AuditEntry | dict[str, Any], chain_id: int) -> str:
    values = entry if isinstance(entry, AuditEntry) else [entry[k] for k in AuditEntry._fields]
    (at, agency_code, key_id, dataset, record_key, record_key_hash, subject_hashes, fields,
     purpose, request_id, route) = values
    parts = [
        at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        agency_code, key_id, dataset, record_key, record_key_hash, ",".join(subject_hashes),
        ",".join(fields), purpose, request_id, route,
    ]
    # The chain id is part of the content, so a row cannot be moved to another chain;
    # chain 0 keeps the form its rows were hashed with.
    return "|".join(parts if chain_id == LEGACY_CHAIN else [str(chain_id), *parts])


def chain_hash(prev_hash: str, entry: AuditEntry | dict[str, Any],
               chain_id: int = LEGACY_CHAIN) -> str:
    return hashlib.sha256(f"{prev_hash}\n{_canonical(entry, chain_id)}".encode()).hexdigest()


@dataclass
class _Lane:
    """One writer: its connection, and the head of its chain."""

    connection: HeldConnection
    chain_id: int | None = None
    head: str = GENESIS


class AuditWriter:
    """Group-commits audit rows in ``lanes`` parallel chains, each lane on an asyncpg
    connection of its own from ``connect``."""

    def __init__(self, connect: Callable[[], Awaitable[Any]], lanes: int = 2) -> None:
        self._lanes = Lanes([_Lane(HeldConnection(connect)) for _ in range(max(1, lanes))],
                            self._dispatch)
        self._pending: list[tuple[list[AuditEntry], asyncio.Future[None]]] = []
        self.rows_written = 0
        self.commits = 0

    def start(self) -> None:
        """Nothing to start: lanes open their chains on first use (the database may be
        down when the server starts)."""

    async def stop(self) -> None:
        await self._lanes.drain()  # leave no request waiting
        for lane in self._lanes.all:
            await lane.connection.close()

    async def record(self, entries: list[AuditEntry]) -> None:
        """Return once the entries are committed (raise if they could not be)."""
        await self.submit(entries)

    def submit(self, entries: list[AuditEntry]) -> asyncio.Future[None]:
        """Queue the entries; the future is done once they are committed. A writer
        starts on them at the caller's next await."""
        future: asyncio.Future[None] = self._lanes.loop.create_future()
        if not entries:
            future.set_result(None)
            return future
        self._pending.append((entries, future))
        self._dispatch()
        return future

    def _dispatch(self) -> None:
        while self._pending and self._lanes.any_idle:
            batch, self._pending = self._pending, []
            self._lanes.start(partial(self._flush, batch=batch))

    async def _flush(self, lane: _Lane,
                     batch: list[tuple[list[AuditEntry], asyncio.Future[None]]]) -> None:
        try:
            await self._write(lane, [entry for entries, _ in batch for entry in entries])
        except Exception as exc:
            log.exception("access log write failed; the requests are refused")
            # Whether the commit happened is unknown: continue in a fresh chain rather
            # than risk a chain whose head is not what this process thinks it is.
            lane.chain_id, lane.head = None, GENESIS
            lane.connection.discard()
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
        else:
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    async def _write(self, lane: _Lane, entries: list[AuditEntry]) -> None:
        conn = await lane.connection.get()
        if lane.chain_id is None:
            lane.chain_id = int(await conn.fetchval(
                OPEN_CHAIN_SQL, socket.gethostname(), os.getpid()))
            lane.head = GENESIS
        chain_id, head = lane.chain_id, lane.head
        prev_hashes, row_hashes = [], []
        for entry in entries:
            prev_hashes.append(head)
            head = chain_hash(head, entry, chain_id)
            row_hashes.append(head)
        columns = zip(*[(
            e.accessed_at, e.agency_code, e.key_id, e.dataset, e.record_key,
            e.record_key_hash, ",".join(e.subject_hashes), ",".join(e.fields), e.purpose,
            e.request_id, e.route) for e in entries], strict=True)
        await conn.execute(INSERT_SQL, chain_id, *map(list, columns), prev_hashes, row_hashes)
        lane.head = head
        self.rows_written += len(entries)
        self.commits += 1


def verify_chain(conn: Connection, batch_size: int = 10_000) -> dict[str, Any]:
    """Recompute every chain in one pass in audit_id order; report the first break.

    A lane commits one batch at a time, so within a chain audit_id order is the
    order the rows were chained in.
    """
    heads: dict[int, str] = {}
    checked, last_id = 0, 0
    while True:
        rows = conn.execute(text(
            f"SELECT audit_id, chain_id, {', '.join(COLUMNS)} FROM access_log "
            "WHERE audit_id > :after ORDER BY audit_id LIMIT :n"
        ), {"after": last_id, "n": batch_size}).mappings().all()
        if not rows:
            return {"ok": True, "rows_checked": checked, "chains": len(heads),
                    "first_broken_audit_id": None, "reason": None}
        for row in rows:
            chain_id = row["chain_id"]
            prev = heads.get(chain_id, GENESIS)
            if row["prev_hash"] != prev:
                return _broken(checked, len(heads), row["audit_id"],
                               "a row before it is missing or altered")
            if chain_hash(prev, dict(row), chain_id) != row["row_hash"]:
                return _broken(checked, len(heads), row["audit_id"],
                               "its content does not match its hash")
            heads[chain_id] = row["row_hash"]
            checked, last_id = checked + 1, row["audit_id"]


def _broken(checked: int, chains: int, audit_id: int, reason: str) -> dict[str, Any]:
    return {"ok": False, "rows_checked": checked, "chains": chains,
            "first_broken_audit_id": audit_id, "reason": reason}


def subject_access(conn: Connection, subject_hash: str, limit: int = 1000) -> list[dict[str, Any]]:
    """Every logged access to records about one person (newest first)."""
    rows = conn.execute(text(
        "SELECT l.accessed_at, l.agency_code, a.name AS agency_name, l.dataset, l.purpose, "
        "l.fields FROM access_log l LEFT JOIN agency a ON a.code = l.agency_code "
        "WHERE l.subject_hashes @> ARRAY[:h] ORDER BY l.audit_id DESC LIMIT :n"
    ), {"h": subject_hash, "n": limit}).mappings().all()
    return [dict(r) | {"accessed_at": r["accessed_at"].isoformat()} for r in rows]

