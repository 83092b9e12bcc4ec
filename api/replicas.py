"""Record reads over the read replicas usable now, with the primary behind them.

Each database a read may go to is a :class:`ReadTarget`: an asyncpg pool (searches,
history, the change feed, the portal, reads as of a past time) and a
:class:`~api.key_reader.KeyReader` (lookups of today's records), both connecting on
first use. :class:`ReadPools` sends each read to the next usable replica in turn
(:mod:`mdr.db.replicas` checks them in the background), or to the primary when none
is usable. Key checks, the access log and anything else that must see the latest
state use :meth:`ReadPools.fetch_primary`.

A read that fails on a replica as a lost replica fails (refused, reset, a connection
broken mid-statement, no answer within the statement timeout, a recovery conflict)
is retried once on the next usable target, another replica or the primary, and the
replica is out of use until the health check, run at once, has looked at it again.
When the check finds a replica down or hung, every connection to it is broken off:
reads waiting on it fail now and are retried, rather than waiting for a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import asyncpg
import sqlalchemy.exc

from api.key_reader import KeyReader, Rows
from api.problems import DATABASE_LOST
from mdr.access.audit import AuditEntry
from mdr.db.held_connection import connection_broke
from mdr.db.replicas import Replica, ReplicaMonitor

log = logging.getLogger(__name__)

T = TypeVar("T")

#: A replica read taking longer than this is abandoned (its connection dropped) and
#: retried elsewhere: a replica that stopped answering must not hold requests.
REPLICA_STATEMENT_SECONDS = 10.0

#: Failures of a read on a replica that another database may not share: retried there.
_FAILOVER: tuple[type[BaseException], ...] = (
    *DATABASE_LOST, OSError, asyncpg.TooManyConnectionsError,
    asyncpg.SerializationError,  # "canceling statement due to conflict with recovery"
)


def replica_lost(exc: BaseException) -> bool:
    """Whether a read failed with ``exc`` because of the replica it ran on."""
    return isinstance(exc, _FAILOVER) or connection_broke(exc) or (
        isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated)


class ReadTarget:
    """One database reads may go to: the primary (``replica`` None) or a replica."""

    def __init__(self, name: str, make_pool: Callable[[], Awaitable[Any]], reader: KeyReader,
                 replica: Replica | None = None) -> None:
        self.name, self.replica, self.reader = name, replica, reader
        self._make_pool = make_pool
        self.pool: Any = None
        self.reads = 0  # reads sent here (a lookup counts once, however it is batched)
        self.failovers = 0  # reads that failed here and were retried elsewhere

    async def open(self) -> None:
        # min_size=0: no connection at start-up, so /healthz answers while the database is
        # down and /readyz says why.
        self.pool = await self._make_pool()

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        self.reads += 1
        if self.replica is None:
            return await self.pool.fetch(sql, *args)  # type: ignore[no-any-return]
        return await self._on_replica(lambda conn: conn.fetch(sql, *args))  # type: ignore[no-any-return]

    async def fetchval(self, sql: str, *args: Any) -> Any:
        self.reads += 1
        if self.replica is None:
            return await self.pool.fetchval(sql, *args)
        return await self._on_replica(lambda conn: conn.fetchval(sql, *args))

    async def _on_replica(self, run: Callable[[Any], Awaitable[Any]]) -> Any:
        pool = self.pool
        conn = await pool.acquire()
        try:
            return await run(conn)
        except BaseException as exc:
            # A timed-out statement would hold its connection in the pool until the
            # replica acknowledged the cancel: drop it instead.
            if isinstance(exc, asyncio.CancelledError) or replica_lost(exc):
                conn.terminate()
            raise
        finally:
            with contextlib.suppress(asyncpg.InterfaceError):  # the pool was broken off
                await pool.release(conn)

    async def read_keys(self, sql: str, key_position: int, keys: list[str],
                        misses_sql: str | None,
                        log: Callable[[], list[AuditEntry]] | None) -> tuple[Rows, bool]:
        """The rows of ``keys`` through this target's key reader, and whether the access
        log rows from ``log`` were committed with them (on the primary only)."""
        self.reads += 1
        if log is not None and self.reader.logs_access:
            return await self.reader.read(sql, key_position, keys, misses_sql, log=log()), True
        return await self.reader.read(sql, key_position, keys, misses_sql), False

    async def break_off(self) -> None:
        """Fail every read waiting on this database now: it died or hung."""
        self.reader.abort()
        broken, self.pool = self.pool, await self._make_pool()
        if broken is not None:
            broken.terminate()

    async def close(self, timeout: float) -> None:
        await self.reader.stop()
        if self.pool is not None:
            try:
                await asyncio.wait_for(self.pool.close(), timeout)
            except TimeoutError:  # a hung server never acknowledges
                self.pool.terminate()


class ReadPools:
    """Reads spread over the usable replicas, falling back to the primary."""

    def __init__(self, primary: ReadTarget, replicas: Sequence[ReadTarget] = (),
                 monitor: ReplicaMonitor | None = None, *,
                 on_lost: Sequence[Callable[[Replica], object]] = ()) -> None:
        self.primary, self.replicas, self.monitor = primary, list(replicas), monitor
        self._by_replica = {t.replica: t for t in self.replicas}
        self._on_lost = list(on_lost)
        self._next = 0

    @property
    def targets(self) -> list[ReadTarget]:
        return [self.primary, *self.replicas]

    async def start(self) -> None:
        """Open the pools and check every replica once (within the check's timeout),
        so that a new process reads from the usable ones from its first request."""
        for target in self.targets:
            await target.open()
        if self.monitor is not None:
            self.monitor.on_lost.append(self._lost)
            await self.monitor.check_all()
            self.monitor.start()

    async def stop(self, timeout: float = 5.0) -> None:
        if self.monitor is not None:
            await self.monitor.stop()
        for target in self.targets:
            await target.close(timeout)

    async def _lost(self, replica: Replica) -> None:
        for hook in self._on_lost:
            hook(replica)
        await self._by_replica[replica].break_off()

    def pick(self, exclude: ReadTarget | None = None) -> ReadTarget:
        """The next usable replica in turn, else the primary."""
        count = len(self.replicas)
        for _ in range(count):
            target = self.replicas[self._next % count]
            self._next += 1
            if target is not exclude and target.replica is not None and target.replica.usable:
                return target
        return self.primary

    async def _read(self, read: Callable[[ReadTarget], Awaitable[T]]) -> T:
        target = self.pick()
        try:
            return await read(target)
        except Exception as exc:
            if target.replica is None or not replica_lost(exc):
                raise
            target.failovers += 1
            log.warning("read on replica %s failed (%s): retried elsewhere", target.name,
                        type(exc).__name__)
            if self.monitor is not None:
                self.monitor.suspect(target.replica)
            retry = self.pick(exclude=target)
        return await read(retry)

    async def fetch_primary(self, sql: str, *args: Any) -> list[Any]:
        """Rows from the primary, whatever the replicas: for what must be current (key
        checks); not counted as a record read."""
        return await self.primary.pool.fetch(sql, *args)  # type: ignore[no-any-return]

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        if not self.replicas:
            return await self.primary.fetch(sql, *args)
        return await self._read(lambda target: target.fetch(sql, *args))

    async def fetchval(self, sql: str, *args: Any) -> Any:
        if not self.replicas:
            return await self.primary.fetchval(sql, *args)
        return await self._read(lambda target: target.fetchval(sql, *args))

    def read_keys(self, sql: str, key_position: int, keys: list[str],
                  misses_sql: str | None = None, *,
                  log: Callable[[], list[AuditEntry]] | None = None
                  ) -> Awaitable[tuple[Rows, bool]]:
        """The rows of ``keys`` by key (see :meth:`KeyReader.read`), and whether the
        access-log rows ``log`` makes were committed with the read: only on the primary,
        whose reader logs; otherwise the caller logs the records served."""
        if not self.replicas:  # the hot path: no coroutine of its own
            return self.primary.read_keys(sql, key_position, keys, misses_sql, log)
        return self._read(
            lambda target: target.read_keys(sql, key_position, keys, misses_sql, log))

    def report(self) -> dict[str, Any]:
        """What /readyz says of the replicas."""
        replicas = [t.replica.report() | {"reads": t.reads, "failovers": t.failovers}
                    for t in self.replicas if t.replica is not None]
        return replica_summary(replicas, self.primary.reads)


def replica_summary(replicas: list[dict[str, Any]], primary_reads: int) -> dict[str, Any]:
    usable = sum(1 for r in replicas if r["state"] == "healthy")
    summary: dict[str, Any] = {"reads_go_to": "replicas" if usable else "primary",
                               "primary_reads": primary_reads, "read_replicas": replicas}
    if not replicas:
        return summary
    if usable < len(replicas):
        idle = ", ".join(f"{r['url']} {r['state']}" for r in replicas
                         if r["state"] != "healthy")
        summary["detail"] = (f"{len(replicas) - usable} of {len(replicas)} read replicas not "
                             f"in use ({idle}); reads go to "
                             + ("the others" if usable else "the primary"))
    return summary
