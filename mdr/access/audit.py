"""The access log: one row per served record, durable before the response is sent.

Rows from concurrent requests are written together (group commit): a request
hands its rows to the process's :class:`AuditWriter` and waits; a free writer
lane inserts everything waiting in one statement (its own transaction), then
releases those requests. Rows arriving while every lane is committing wait for
the next free lane, so batches grow with load and an idle server commits at once.

Each lane owns a hash chain (a row of ``access_log_chain``): it is the chain's
only writer and commits one batch at a time, so it chains rows in memory with no
lock and no read of the last hash, and lanes in every process commit in
parallel. Disclosures outside the async read API (staff views, downloads, exports)
log through :func:`append_entries` inside their own transaction, on a pool of shared
chains whose head is read under a row lock. ``verify_chain`` recomputes every chain.

Chains are keyed: each row's hash is a MAC (keyed BLAKE2b-256) of the previous row's
hash and the row's content under the access-log chain key, which is derived from the
server secret and is not in the database (:func:`mdr.access.secrets.chain_key`), so
that a database superuser who alters or removes rows cannot re-hash the rest to hide
it. Chains opened before keys (scheme ``sha256``) keep their plain SHA-256 and are
reported as unkeyed. What keys cannot show, a chain's last rows or a whole chain
removed, signed checkpoints of every chain head kept outside the database do
(:mod:`mdr.access.checkpoints`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection, text

from mdr.db.held_connection import HeldConnection, Lanes, as_lost

log = logging.getLogger(__name__)

GENESIS = "0" * 64
LEGACY_CHAIN = 0  # rows written before per-writer chains
#: Schemes of a chain's row hashes (``access_log_chain.scheme``).
UNKEYED = "sha256"  # chains from before keys: SHA-256 of the previous hash and the content
KEYED = "blake2b-keyed"  # a MAC: BLAKE2b-256 keyed with a chain key
#: Kinds of chain: a writer lane's own, or one of the pool :func:`append_entries` shares.
LANE, SHARED = "lane", "shared"
COLUMNS = (
    "accessed_at", "agency_code", "key_id", "dataset", "record_key", "record_key_hash",
    "subject_hashes", "fields", "purpose", "request_id", "route", "prev_hash", "row_hash",
)


def insert_sql(first: int = 1, where: str = "") -> str:
    """INSERT of a batch of chained rows, kept only ``where`` a condition holds; its
    parameters from ``first`` are those of :meth:`Chain.link`: the chain id, the
    requests and the rows as JSON texts, and the head the rows follow.

    One round trip and one implicit transaction per batch. What a request's rows share
    (agency, purpose, fields, ...) travels once per request. A parameter per column
    cost the worker about 1.5 microseconds to encode per statement, and JSON with every
    column in every row cost PostgreSQL 7 ms to parse per 1,000 rows; this form, 2 ms
    (bench/api).
    """
    chain, requests, rows, head = (f"${first + i}" for i in range(4))
    return _insert_sql(chain, requests, rows, head, where)


def _insert_sql(chain: str, requests: str, rows: str, head: str, where: str = "") -> str:
    """:func:`insert_sql` with its parameters written as given ($1 for asyncpg, :name for
    SQLAlchemy)."""
    return (
        "INSERT INTO access_log (chain_id, accessed_at, agency_code, key_id, dataset, "
        "record_key, record_key_hash, subject_hashes, fields, purpose, request_id, route, "
        f"prev_hash, row_hash) SELECT CAST({chain} AS int), q.a, q.ag, q.k, q.d, e.rk, e.rkh, "
        "e.sh, q.f, q.p, q.r, q.rt, "
        f"coalesce(lag(e.h) OVER (ORDER BY e.n), CAST({head} AS text)), e.h "
        f"FROM ROWS FROM (json_to_recordset(CAST({rows} AS json)) AS (i int, rk text, "
        "rkh text, sh text[], h text)) WITH ORDINALITY AS e(i, rk, rkh, sh, h, n) "
        f"JOIN ROWS FROM (json_to_recordset(CAST({requests} AS json)) AS (a timestamptz, "
        "ag text, k text, d text, f text[], p text, r text, rt text)) WITH ORDINALITY "
        f"AS q(a, ag, k, d, f, p, r, rt, i) ON q.i = e.i {where} ORDER BY e.n"
    )  # ORDER BY: ids in chain order


INSERT_SQL = insert_sql()
OPEN_CHAIN_SQL = ("INSERT INTO access_log_chain (host, pid, kind, scheme, key_id) "
                  f"VALUES ($1, $2, '{LANE}', '{KEYED}', $3) RETURNING chain_id")


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
    before, after = _request_parts(AuditEntry(at, agency_code, key_id, dataset, "", "", (),
                                              fields, purpose, request_id, route), chain_id)
    return f"{before}{record_key}|{record_key_hash}|{','.join(subject_hashes)}{after}"


def _request_parts(entry: AuditEntry, chain_id: int) -> tuple[str, str]:
    """What a row's canonical text holds before and after its own record (key, key hash,
    subjects): the same for every row of a request."""
    before = [entry.accessed_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
              entry.agency_code, entry.key_id, entry.dataset]
    # The chain id is part of the content, so a row cannot be moved to another chain;
    # chain 0 keeps the form its rows were hashed with.
    if chain_id != LEGACY_CHAIN:
        before.insert(0, str(chain_id))
    after = [",".join(entry.fields), entry.purpose, entry.request_id, entry.route]
    return "|".join(before) + "|", "|" + "|".join(after)


def chain_key_id(key: bytes) -> str:
    """A chain key's public name, kept with each chain so that verification picks the
    key it was written under; it tells nothing of the key."""
    return hashlib.blake2b(b"mdr access log chain key id", key=key, digest_size=8).hexdigest()


class ChainMac:
    """The keyed chain hash under one chain key, keyed once: each row copies the keyed
    state, as :class:`~mdr.access.secrets.IdentifierHasher` does.

    Keyed BLAKE2b (a MAC by design, RFC 7693) rather than HMAC-SHA256, for the hot path:
    :meth:`Chain.link` cost 2.6 µs a row with it, 2.7 µs with the unkeyed SHA-256 before
    it (OpenSSL 3 builds a SHA-256 context per call, BLAKE2b copies a keyed state) and
    4.4 µs with HMAC-SHA256 from a copied ``hmac`` object (1,000 rows of 100 requests,
    best of 60 runs; Python 3.11, OpenSSL 3.0).
    """

    def __init__(self, key: bytes) -> None:
        if not 16 <= len(key) <= hashlib.blake2b.MAX_KEY_SIZE:
            raise ValueError("a chain key has 16 to 64 bytes")
        self.key_id = chain_key_id(key)
        self.keyed = hashlib.blake2b(key=key, digest_size=32)

    def __call__(self, prev_hash: str, text: str) -> str:
        mac = self.keyed.copy()
        mac.update(f"{prev_hash}\n{text}".encode())
        return mac.hexdigest()


@lru_cache(maxsize=16)
def chain_mac(key: bytes) -> ChainMac:
    """The :class:`ChainMac` of ``key``, keyed once per process."""
    return ChainMac(key)


def _unkeyed(prev_hash: str, text: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


def chain_hash(prev_hash: str, entry: AuditEntry | dict[str, Any],
               chain_id: int = LEGACY_CHAIN, key: bytes | None = None) -> str:
    """A row's hash: keyed under ``key``, or the unkeyed SHA-256 of chains from before
    keys when ``key`` is None."""
    mac = _unkeyed if key is None else chain_mac(key)
    return mac(prev_hash, _canonical(entry, chain_id))


def _link(keyed: Any, chain_id: int, head: str,
          entries: Sequence[AuditEntry]) -> tuple[str, str, str]:
    """The requests and rows of ``entries`` chained after ``head`` under the pre-keyed
    BLAKE2b state ``keyed``, as the JSON texts :func:`insert_sql` takes, and the new head.

    The hot path of every served record: what a request's rows share is formatted once,
    and each row costs a copy of the keyed state, an update and a digest.
    """
    requests: dict[tuple[Any, ...], tuple[int, str, str]] = {}
    request_rows, rows = [], []
    for entry in entries:
        shared = (entry.accessed_at, entry.agency_code, entry.key_id, entry.dataset,
                  entry.fields, entry.purpose, entry.request_id, entry.route)
        request = requests.get(shared)
        if request is None:  # the canonical text's parts around the record, once
            request = requests[shared] = (len(requests) + 1, *_request_parts(entry, chain_id))
            request_rows.append(dict(zip(("a", "ag", "k", "d", "f", "p", "r", "rt"),
                                         shared, strict=True)))
        number, before, after = request
        mac = keyed.copy()
        mac.update(f"{head}\n{before}{entry.record_key}|{entry.record_key_hash}|"
                   f"{','.join(entry.subject_hashes)}{after}".encode())
        head = mac.hexdigest()
        rows.append({"i": number, "rk": entry.record_key, "rkh": entry.record_key_hash,
                     "sh": entry.subject_hashes, "h": head})
    return orjson.dumps(request_rows).decode(), orjson.dumps(rows).decode(), head


@dataclass
class Chain:
    """A writer's keyed hash chain (a row of ``access_log_chain``) under ``key``. Its
    writer is its only writer and commits one batch at a time, so it chains rows in
    memory with no lock and no read of the last hash."""

    key: bytes = field(repr=False)
    chain_id: int | None = None
    head: str = GENESIS
    _mac: ChainMac = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._mac = chain_mac(self.key)

    async def open(self, conn: Any) -> None:
        """Start a chain on first use, and after :meth:`break_off`."""
        if self.chain_id is None:
            self.chain_id = int(await conn.fetchval(
                OPEN_CHAIN_SQL, socket.gethostname(), os.getpid(), self._mac.key_id))
            self.head = GENESIS

    def link(self, entries: list[AuditEntry]) -> tuple[list[Any], str]:
        """The parameters of :func:`insert_sql` for ``entries`` after the head, and the
        head once they are committed (the caller moves :attr:`head` then)."""
        assert self.chain_id is not None, "open the chain first"
        requests, rows, head = _link(self._mac.keyed, self.chain_id, self.head, entries)
        return [self.chain_id, requests, rows, self.head], head

    def break_off(self) -> None:
        """After a failed write, whether it committed is unknown: go on in a fresh chain
        rather than risk one whose head is not what this process thinks it is."""
        self.chain_id, self.head = None, GENESIS


@dataclass
class _Lane:
    """One writer: its connection, and its chain."""

    connection: HeldConnection
    chain: Chain


class AuditWriter:
    """Group-commits audit rows in ``lanes`` parallel chains keyed by ``chain_key``,
    each lane on an asyncpg connection of its own from ``connect``."""

    def __init__(self, connect: Callable[[], Awaitable[Any]], lanes: int = 2, *,
                 chain_key: bytes) -> None:
        self._lanes = Lanes([_Lane(HeldConnection(connect), Chain(chain_key))
                             for _ in range(max(1, lanes))], self._dispatch)
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
            lane.chain.break_off()
            lane.connection.discard()
            failure = as_lost(exc)
            for _, future in batch:
                if not future.done():
                    future.set_exception(failure)
        else:
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    async def _write(self, lane: _Lane, entries: list[AuditEntry]) -> None:
        conn = await lane.connection.get()
        await lane.chain.open(conn)
        args, head = lane.chain.link(entries)
        await conn.execute(INSERT_SQL, *args)
        lane.chain.head = head
        self.rows_written += len(entries)
        self.commits += 1


#: Rows per statement of :func:`append_entries` (about 2 MB of JSON).
SHARED_BATCH_ROWS = 10_000

# A free shared chain of this key, locked to the end of the caller's transaction, or a new
# one when every chain is taken. Its head is in its row, not read from access_log: under
# the lock, READ COMMITTED sees the last writer's head (and REPEATABLE READ refuses a row
# changed since its snapshot, where a read of access_log would see an old head).
_TAKE_SHARED_CHAIN = text(f"""
    WITH free AS MATERIALIZED (
        SELECT chain_id, shared_head FROM access_log_chain
        WHERE kind = '{SHARED}' AND scheme = '{KEYED}' AND key_id = :key_id
        ORDER BY chain_id LIMIT 1 FOR UPDATE SKIP LOCKED
    ), opened AS (
        INSERT INTO access_log_chain (host, pid, kind, scheme, key_id, shared_head)
        SELECT :host, :pid, '{SHARED}', '{KEYED}', :key_id, '{GENESIS}'
        WHERE NOT EXISTS (SELECT FROM free)
        RETURNING chain_id, shared_head
    )
    SELECT chain_id, shared_head FROM free UNION ALL SELECT chain_id, shared_head FROM opened
""")
_INSERT_SHARED = text(_insert_sql(":chain", ":requests", ":rows", ":head"))
_MOVE_SHARED_HEAD = text(
    "UPDATE access_log_chain SET shared_head = :head WHERE chain_id = :chain")


def append_entries(conn: Connection, entries: Sequence[AuditEntry], chain_key: bytes) -> None:
    """Write ``entries`` to the access log inside the caller's transaction on ``conn``,
    keyed by ``chain_key``: they are durable when, and only if, that transaction commits.

    For disclosures outside the async read API (staff views, downloads, exports): the
    caller commits before it answers. The rows go to a shared chain taken with
    ``FOR UPDATE SKIP LOCKED`` (a new one when all are taken), so concurrent callers
    never wait for each other, and it stays locked until the caller's transaction ends:
    the head lives in the database, never in this process, so a rollback leaves the
    chain as it was. Rows are inserted in batches of :data:`SHARED_BATCH_ROWS`, in chain
    order, which is also audit_id order. Call it in a READ COMMITTED transaction (the
    default); under REPEATABLE READ, a chain another transaction wrote since this one's
    snapshot raises a serialization failure (retry the transaction).
    """
    if not entries:
        return
    mac = chain_mac(chain_key)
    chain_id, head = conn.execute(_TAKE_SHARED_CHAIN, {
        "key_id": mac.key_id, "host": socket.gethostname(), "pid": os.getpid()}).one()
    for start in range(0, len(entries), SHARED_BATCH_ROWS):
        requests, rows, last = _link(mac.keyed, chain_id, head,
                                     entries[start:start + SHARED_BATCH_ROWS])
        conn.execute(_INSERT_SHARED, {"chain": chain_id, "requests": requests, "rows": rows,
                                      "head": head})
        head = last
    conn.execute(_MOVE_SHARED_HEAD, {"chain": chain_id, "head": head})


# -- verification ----------------------------------------------------------------------------

#: Problems listed per chain; more are counted (a re-hashed chain fails on every row).
PROBLEMS_LISTED_PER_CHAIN = 20
CONTENT_ALTERED = "its content does not match its hash"
ROW_BEFORE_MISSING = "a row before it is missing or altered"


class Expected(NamedTuple):
    """A chain's head as a checkpoint recorded it (``source``: the checkpoint's name)."""

    chain_id: int
    scheme: str
    key_id: str | None
    rows: int
    last_audit_id: int | None
    last_row_hash: str | None
    source: str


@dataclass
class _ChainState:
    """What verification knows of one chain as it walks the rows."""

    chain_id: int
    recorded: bool  # has its row in access_log_chain
    scheme: str | None = None
    key_id: str | None = None
    kind: str | None = None
    shared_head: str | None = None
    mac: Callable[[str, str], str] | None = None  # None: its rows cannot be checked
    head: str = GENESIS
    rows: int = 0
    last_audit_id: int | None = None
    expected: deque[Expected] = field(default_factory=deque)  # still to meet, by last id
    problems: int = 0


class _Report:
    def __init__(self) -> None:
        self.problems: list[dict[str, Any]] = []
        self.total = 0

    def add(self, state: _ChainState | None, audit_id: int | None, problem: str, detail: str,
            checkpoint: str | None = None) -> None:
        self.total += 1
        if state is not None:
            state.problems += 1
            if state.problems > PROBLEMS_LISTED_PER_CHAIN:
                return
        self.problems.append({"chain_id": None if state is None else state.chain_id,
                              "audit_id": audit_id, "problem": problem, "detail": detail,
                              "checkpoint": checkpoint})


def verify_chain(conn: Connection, chain_keys: bytes | Iterable[bytes], *,
                 expected: Iterable[Expected] = (), batch_size: int = 10_000) -> dict[str, Any]:
    """Recompute every chain in one pass in audit_id order and report every problem.

    ``chain_keys``: the key of keyed chains, or every key verification accepts (current
    and retired, :func:`~mdr.access.secrets.access_log_chain_keys`); each chain names its
    key by :func:`chain_key_id`. A chain marked keyed is checked only under its key; one
    marked ``sha256`` (opened before keys) with plain SHA-256, and is listed in
    ``unkeyed``. ``expected``: chain heads from checkpoints; each chain must still hold
    exactly that many rows up to that row, with that hash, under that scheme.

    Within a chain audit_id order is chain order: a lane commits one batch at a time,
    and a shared chain is written by one transaction at a time. Run it in a REPEATABLE
    READ transaction while writers are live (``mdr audit verify`` does), so that it sees
    every chain as of one moment.

    The report keeps ``ok``, ``rows_checked``, ``chains``, ``first_broken_audit_id`` and
    ``reason`` (the first problem's detail) and adds ``problems`` (each with
    ``chain_id``, ``audit_id``, ``problem`` and ``detail``, and the ``checkpoint`` it
    contradicts), ``problems_total``, ``keyed`` and ``unkeyed``.
    """
    keys = [chain_keys] if isinstance(chain_keys, bytes) else list(chain_keys)
    macs = {mac.key_id: mac for mac in map(chain_mac, keys)}
    report = _Report()
    states: dict[int, _ChainState] = {}
    for chain in conn.execute(text(
            "SELECT chain_id, scheme, key_id, kind, shared_head FROM access_log_chain "
            "ORDER BY chain_id")).mappings():
        state = states[chain["chain_id"]] = _ChainState(chain["chain_id"], True, **{
            k: chain[k] for k in ("scheme", "key_id", "kind", "shared_head")})
        if state.scheme == UNKEYED:
            state.mac = _unkeyed
        elif state.scheme != KEYED:
            report.add(state, None, "unknown_scheme", f"unknown hash scheme {state.scheme!r}")
        elif state.key_id in macs:
            state.mac = macs[state.key_id]
        else:
            report.add(state, None, "unknown_key",
                       f"no chain key with id {state.key_id} is configured (a key of an "
                       "earlier server secret belongs in MDR_AUDIT_RETIRED_CHAIN_KEYS_FILE)")
    _expect(states, expected, report)
    checked, last_id = 0, 0
    while True:
        rows = conn.execute(text(
            f"SELECT audit_id, chain_id, {', '.join(COLUMNS)} FROM access_log "
            "WHERE audit_id > :after ORDER BY audit_id LIMIT :n"
        ), {"after": last_id, "n": batch_size}).mappings().all()
        for row in rows:
            if row["chain_id"] not in states:
                states[row["chain_id"]] = _ChainState(row["chain_id"], False)
            walked = states[row["chain_id"]]
            if not walked.recorded and walked.rows == 0:
                report.add(walked, row["audit_id"], "orphaned",
                           "its chain has no row in access_log_chain: the chain's record "
                           "was removed")
            _check_row(walked, row, report)
        checked += len(rows)
        if len(rows) < batch_size:
            break
        last_id = rows[-1]["audit_id"]
    for state in states.values():
        _check_end(state, report)
    unkeyed = sorted(s.chain_id for s in states.values() if s.scheme == UNKEYED)
    broken = [p["audit_id"] for p in report.problems if p["audit_id"] is not None]
    first = min(report.problems, key=lambda p: (p["audit_id"] is None, p["audit_id"] or 0),
                default=None)
    return {"ok": report.total == 0, "rows_checked": checked, "chains": len(states),
            "first_broken_audit_id": min(broken, default=None),
            "reason": None if first is None else first["detail"],
            "keyed": sum(s.scheme == KEYED for s in states.values()), "unkeyed": unkeyed,
            "problems": report.problems, "problems_total": report.total}


def _expect(states: dict[int, _ChainState], expected: Iterable[Expected],
            report: _Report) -> None:
    """Hand each chain the checkpointed heads it must meet, in row order; report changed
    schemes."""
    for head in sorted(set(expected), key=lambda e: (e.chain_id, e.last_audit_id or 0)):
        state = states.get(head.chain_id)
        if state is None:  # gone from access_log_chain: its rows may be gone too
            state = states[head.chain_id] = _ChainState(head.chain_id, False)
        if state.recorded and (head.scheme, head.key_id) != (state.scheme, state.key_id):
            report.add(state, None, "scheme_changed",
                       f"the checkpoint has it {_scheme(head.scheme, head.key_id)}, the "
                       f"database {_scheme(state.scheme, state.key_id)}", head.source)
        state.expected.append(head)


def _scheme(scheme: str | None, key_id: str | None) -> str:
    return "unkeyed (sha256)" if scheme == UNKEYED else f"{scheme} under key {key_id}"


def _check_row(state: _ChainState, row: Any, report: _Report) -> None:
    audit_id = row["audit_id"]
    while state.expected and (state.expected[0].last_audit_id or 0) < audit_id:
        head = state.expected.popleft()
        if head.last_audit_id is not None:
            report.add(state, head.last_audit_id, "removed",
                       f"row {head.last_audit_id}, the chain's last of {head.rows} rows in "
                       "the checkpoint, is gone", head.source)
    state.rows += 1
    if state.mac is not None:
        if state.mac(row["prev_hash"], _canonical(dict(row), state.chain_id)) != row["row_hash"]:
            report.add(state, audit_id, "altered", CONTENT_ALTERED)
        elif row["prev_hash"] != state.head:
            report.add(state, audit_id, "removed", ROW_BEFORE_MISSING)
    # Go on from the row as it stands: one altered row is one problem, not a broken tail.
    state.head, state.last_audit_id = row["row_hash"], audit_id
    while state.expected and state.expected[0].last_audit_id == audit_id:
        head = state.expected.popleft()
        if head.last_row_hash != row["row_hash"]:
            report.add(state, audit_id, "rehashed",
                       "its hash is not the one the checkpoint recorded: the chain was "
                       "rewritten", head.source)
        elif head.rows != state.rows:
            report.add(state, audit_id, "removed" if state.rows < head.rows else "inserted",
                       f"the chain has {state.rows} rows up to it, the checkpoint "
                       f"{head.rows}", head.source)


def _check_end(state: _ChainState, report: _Report) -> None:
    if not state.recorded and state.rows == 0:  # known from checkpoints only
        head = max(state.expected, key=lambda e: e.rows)
        report.add(state, None, "vanished",
                   f"the chain and its rows are gone (the checkpoint has {head.rows} rows)",
                   head.source)
        return
    for head in state.expected:  # checkpointed rows the chain no longer reaches
        if head.last_audit_id is not None:
            report.add(state, head.last_audit_id, "truncated",
                       f"the chain ends at row {state.last_audit_id} with {state.rows} rows; "
                       f"the checkpoint has {head.rows} rows up to row {head.last_audit_id}",
                       head.source)
    if state.kind == SHARED and state.shared_head != state.head:
        report.add(state, None, "truncated",
                   f"it ends at row {state.last_audit_id}, not at the head its writers "
                   "recorded: rows after it are gone")
