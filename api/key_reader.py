"""Live records by key for concurrent requests, read together, and logged as they are read.

Key lookups are most of the agency traffic, and a statement per request made each
lookup pay a round trip and a statement's fixed cost in both the worker and
PostgreSQL. A request hands its keys to the process's :class:`KeyReader` and
waits; a free reader lane reads every key waiting for a dataset in one statement,
then releases those requests. Keys arriving while every lane is reading wait for
the next free lane, so an idle server reads at once and statements grow with load
(the same scheme as the access log's group commit). Keys a statement misses may be
read again by a second one on the same lane (for lookups: the versions valid today
that a change dated after today has replaced or ended, api/records_service.py), so
that reads of keys that exist cost one statement.

When a request's access-log rows are known before the read (the record's data
subjects follow from its key: residents, and datasets naming no person), they ride
in the read itself: the lane's statement reads the keys and inserts those rows, in
one round trip and one commit, chained on the lane's own keyed hash chain
(:class:`~mdr.access.audit.Chain`). The insert is kept only if every key was found;
otherwise the lane logs the rows of the keys it found in a second statement, so the
chain holds exactly the records served. Reading and logging apart cost a statement,
a round trip and a commit wait more per batch (bench/api). A lane that may log is on
the primary; with read replicas, reads go there and the access log is written apart.

Each lane holds a connection of its own (:mod:`mdr.db.held_connection`) that runs only
the key lookup statements, with ``plan_cache_mode = force_generic_plan``: the planner
otherwise re-plans each execution, since a custom plan for a known array length always
looks cheaper than the generic one, and planning cost more than the lookup itself
(bench/api).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

from mdr.access.audit import INSERT_SQL, AuditEntry, Chain, insert_sql
from mdr.db.held_connection import HeldConnection, Lanes, as_lost

log = logging.getLogger(__name__)

SERVER_SETTINGS = {"application_name": "mdr-api-lookup", "plan_cache_mode": "force_generic_plan"}

Rows = dict[str, Any]


class Statement(NamedTuple):
    """How a dataset's keys are read: ``sql`` takes the keys as ``$1``; ``key_position``
    is the key's column; keys ``sql`` misses are read again with ``misses_sql``."""

    sql: str
    key_position: int
    misses_sql: str | None = None

    @property
    def logged_sql(self) -> str:
        return _logged_sql(self.sql)


@functools.cache
def _logged_sql(sql: str) -> str:
    """``sql``, inserting the access-log rows (:func:`insert_sql` from ``$2``) when it
    finds every key (``$1`` holds distinct keys)."""
    return (f"WITH found AS MATERIALIZED ({sql}), logged AS ("
            + insert_sql(2, "WHERE (SELECT count(*) FROM found) = cardinality($1)")
            + ") SELECT * FROM found")


class _Request(NamedTuple):
    keys: list[str]
    entries: list[AuditEntry] | None  # rows to log, one per key asked (found or not)
    future: asyncio.Future[Rows]


@dataclass
class _Lane:
    connection: HeldConnection
    chain: Chain | None


class KeyReader:
    """Reads ``SELECT ... WHERE key = ANY($1)`` for many requests at once, in ``lanes``
    parallel statements at most, each lane on a connection from ``connect`` (which
    should set :data:`SERVER_SETTINGS`). With ``logs_access`` (a connection to the
    primary), reads may carry their access-log rows, chained under ``chain_key``."""

    def __init__(self, connect: Callable[[], Awaitable[Any]], lanes: int = 2, *,
                 logs_access: bool = False, chain_key: bytes | None = None) -> None:
        if logs_access and chain_key is None:
            raise ValueError("a reader that writes the access log needs the chain key")
        self.logs_access = logs_access
        self._lanes = Lanes([_Lane(HeldConnection(connect),
                                   None if chain_key is None else Chain(chain_key))
                             for _ in range(max(1, lanes))], self._dispatch)
        self._pending: dict[tuple[Statement, bool], list[_Request]] = {}
        self.statements = 0
        self.rows_logged = 0
        self._dispatch_scheduled = False

    def read(self, sql: str, key_position: int, keys: list[str],
             misses_sql: str | None = None, *,
             log: list[AuditEntry] | None = None) -> asyncio.Future[Rows]:
        """The rows of ``keys`` (and perhaps of other requests' keys), by key; keys that
        ``sql`` does not find are read again with ``misses_sql``, when given.

        ``log`` (a reader with :attr:`logs_access` only) holds an access-log row for each
        of ``keys`` (``record_key`` the key): the rows of the keys found are committed
        before the future is done.
        """
        if log is not None and not self.logs_access:
            raise ValueError("this reader does not write the access log")
        future: asyncio.Future[Rows] = self._lanes.loop.create_future()
        statement = Statement(sql, key_position, misses_sql)
        self._pending.setdefault((statement, log is not None), []).append(
            _Request(keys, log, future))
        if not self._dispatch_scheduled:
            # At the end of this turn of the event loop: the requests whose data came in
            # with this one join its statement.
            self._dispatch_scheduled = True
            self._lanes.loop.call_soon(self._dispatch)
        return future

    async def stop(self) -> None:
        await self._lanes.drain()
        for lane in self._lanes.all:
            await lane.connection.close()

    def abort(self) -> None:
        """Break off every lane's connection (its server died or hung): the statements
        waiting on them fail now, and each lane connects again for its next statement."""
        for lane in self._lanes.all:
            lane.connection.discard()

    def _dispatch(self) -> None:
        self._dispatch_scheduled = False
        while self._pending and self._lanes.any_idle:
            batch, self._pending = self._pending, {}
            self._lanes.start(partial(self._read, batch=batch))

    async def _read(self, lane: _Lane,
                    batch: dict[tuple[Statement, bool], list[_Request]]) -> None:
        for (statement, logged), waiting in batch.items():
            keys = list({key for request in waiting for key in request.keys})
            try:
                connection = await lane.connection.get()
                if logged:
                    assert lane.chain is not None  # logs_access: every lane has a chain
                    found = await self._read_logged(connection, lane.chain, statement, keys,
                                                    [e for r in waiting for e in r.entries or ()])
                else:
                    found = await _read(connection, statement, keys)
            except Exception as exc:
                log.warning("key lookup failed: %s", type(exc).__name__)
                failure = as_lost(exc)
                for request in waiting:
                    if not request.future.done():
                        request.future.set_exception(failure)
                if lane.chain is not None:
                    lane.chain.break_off()  # a commit may or may not have happened
                lane.connection.discard()
                continue
            self.statements += 1
            for request in waiting:
                if not request.future.done():
                    request.future.set_result(found)

    async def _read_logged(self, connection: Any, chain: Chain, statement: Statement,
                           keys: list[str], entries: list[AuditEntry]) -> Rows:
        await chain.open(connection)
        args, head = chain.link(entries)
        rows = await connection.fetch(statement.logged_sql, keys, *args)
        if len(rows) == len(keys):  # the condition of the insert: it was committed
            chain.head = head
            self.rows_logged += len(entries)
            return {row[statement.key_position]: row for row in rows}
        found = await _read(connection, statement, keys, rows)
        served = [entry for entry in entries if entry.record_key in found]
        if served:
            args, head = chain.link(served)
            await connection.execute(INSERT_SQL, *args)
            chain.head = head
            self.rows_logged += len(served)
        return found


async def _read(connection: Any, statement: Statement, keys: list[str],
                rows: list[Any] | None = None) -> Rows:
    """The rows of ``keys`` by key (``rows``: those ``statement.sql`` has already read)."""
    if rows is None:
        rows = await connection.fetch(statement.sql, keys)
    if statement.misses_sql is not None and len(rows) < len(keys):
        found_keys = {row[statement.key_position] for row in rows}
        rows = [*rows, *await connection.fetch(
            statement.misses_sql, [key for key in keys if key not in found_keys])]
    return {row[statement.key_position]: row for row in rows}
