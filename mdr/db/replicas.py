"""Read replicas: which may serve reads now, as a background health check finds them.

Each API process checks each replica (``MDR_READ_REPLICA_URLS``) every
``MDR_READ_REPLICA_CHECK_SECONDS`` on a connection of its own, with a short timeout
(``MDR_READ_REPLICA_TIMEOUT_SECONDS``) on the connect and on the query. A replica is

* ``healthy``: it answered, no further behind than ``MDR_READ_REPLICA_MAX_LAG_SECONDS``;
* ``lagging``: it answered, but it is further behind (or how far is unknown);
* ``down``: it refused or dropped the connection, or failed the query;
* ``hung``: it did not answer in time (a stopped process accepts connections and
  queries and answers none);
* ``unknown``: not checked yet.

Only a healthy replica serves reads. A down or hung one is checked again after a
backoff that doubles from the check interval up to :data:`MAX_BACKOFF_SECONDS`; when
it turns down or hung, the read paths are told (``on_lost``) so that statements
waiting on it are broken off and retried elsewhere, rather than waiting for it.

Lag is ``now() - pg_last_xact_replay_timestamp()``: the age of the last transaction
replayed. When the primary has been idle that grows although nothing is missing, so
a replica that has replayed all it received (``pg_last_wal_receive_lsn() =
pg_last_wal_replay_lsn()``, see :data:`LAG_SQL`) from a live WAL receiver counts as
lag 0. Without a WAL receiver (cut off from the primary) it does not: what it
received may be all it will get, and its age is the honest measure.

The same check serves ``mdr status`` once (:func:`check_replicas`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import asyncpg
from sqlalchemy import event

from mdr.db.engine import describe_url

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

#: A down or hung replica is checked again after the check interval, doubling with each
#: failed check up to this.
MAX_BACKOFF_SECONDS = 30.0

#: Lag in seconds (NULL: unknown, nothing replayed yet); 0 when not a standby at all.
#:
#: A replica that received WAL up to a page boundary, less than two pages beyond what it
#: replayed, is caught up too. The primary's WAL writer flushes (and so sends) only whole
#: pages of what no commit has flushed: a record that is not a commit (a hint-bit page
#: image, a standby snapshot) may lie across the boundary, its start sent, its end not,
#: until the primary next commits or checkpoints, which an idle primary does not (seen:
#: for minutes). The replica lacks no transaction then; the strict test would count it
#: lagging by the age of the last commit. A commit ends at a page boundary by chance
#: only (about 1 in 1,000), so a replica stalled behind a small commit is judged so.
LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
    "WHEN EXISTS (SELECT FROM pg_stat_wal_receiver) AND (w.replay >= w.receive "
    "OR (mod(w.receive - '0/0'::pg_lsn, w.page) = 0 AND w.receive - w.replay < 2 * w.page)) "
    "THEN 0 "
    "ELSE greatest(0, extract(epoch FROM now() - pg_last_xact_replay_timestamp()))::float8 "
    "END AS lag FROM (SELECT pg_last_wal_receive_lsn() AS receive, "
    "pg_last_wal_replay_lsn() AS replay, current_setting('wal_block_size')::int AS page) w"
)


class ReplicaState(StrEnum):
    UNKNOWN = "unknown"
    HEALTHY = "healthy"
    LAGGING = "lagging"
    DOWN = "down"
    HUNG = "hung"


class Replica:
    """One replica's health as last checked, shared by a process's read paths."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = describe_url(url)  # never the password
        self.state = ReplicaState.UNKNOWN
        self.lag: float | None = None
        self.checked_at: dt.datetime | None = None
        self.detail: str | None = None
        self.failures = 0  # failed checks in a row
        self.due = 0.0  # monotonic time of the next check
        self.suspected = False  # a read failed on it: out of use until checked again

    @property
    def usable(self) -> bool:
        return self.state is ReplicaState.HEALTHY and not self.suspected

    def report(self) -> dict[str, Any]:
        return {
            "url": self.name,
            "state": self.state.value,
            "lag_seconds": None if self.lag is None else round(self.lag, 3),
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "detail": self.detail,
        }


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


class ReplicaMonitor:
    """Checks ``replicas`` in the background of one event loop (:meth:`start`), or once
    (:meth:`check_all`). ``on_lost`` hooks run when a replica turns down or hung."""

    def __init__(self, replicas: Sequence[Replica], *, max_lag: float, timeout: float,
                 interval: float,
                 on_lost: Sequence[Callable[[Replica], Awaitable[None]]] = ()) -> None:
        self.replicas = list(replicas)
        self.max_lag, self.timeout, self.interval = max_lag, timeout, interval
        self.on_lost = list(on_lost)
        self._connections: dict[Replica, Any] = {}
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def check(self, replica: Replica) -> None:
        """Check one replica now and record what was found."""
        was_usable = replica.state in (ReplicaState.HEALTHY, ReplicaState.LAGGING)
        try:
            # One bound on connect and query together: a hung server may take either.
            async with asyncio.timeout(self.timeout):
                lag = await self._lag(replica)
        except TimeoutError:
            self._failed(replica, ReplicaState.HUNG,
                         f"no answer within {self.timeout:g} s")
        except Exception as exc:  # refused, reset, shutting down, authentication, ...
            self._failed(replica, ReplicaState.DOWN, _reason(exc))
        else:
            state = ReplicaState.HEALTHY if lag is not None and lag <= self.max_lag \
                else ReplicaState.LAGGING
            if state is not replica.state:
                log.log(logging.INFO if state is ReplicaState.HEALTHY else logging.WARNING,
                        "read replica %s is %s", replica.name, state.value,
                        extra={"lag_seconds": lag})
            replica.state, replica.lag, replica.failures = state, lag, 0
            replica.detail = None if lag is not None else "nothing replayed yet"
            replica.due = time.monotonic() + self.interval
        finally:
            replica.checked_at = dt.datetime.now(dt.UTC)
            replica.suspected = False
        if was_usable and replica.state in (ReplicaState.DOWN, ReplicaState.HUNG):
            for hook in self.on_lost:
                try:
                    await hook(replica)
                except Exception:
                    log.exception("breaking off reads on replica %s failed", replica.name)

    async def _lag(self, replica: Replica) -> float | None:
        conn = self._connections.get(replica)
        if conn is None or conn.is_closed():
            conn = self._connections[replica] = await asyncpg.connect(
                replica.url, timeout=self.timeout, command_timeout=self.timeout,
                server_settings={"application_name": "mdr-api-health"})
        lag = await conn.fetchval(LAG_SQL)
        return None if lag is None else float(lag)

    def _failed(self, replica: Replica, state: ReplicaState, detail: str) -> None:
        conn = self._connections.pop(replica, None)
        if conn is not None:
            conn.terminate()  # it may be mid-protocol
        if state is not replica.state:
            log.warning("read replica %s is %s: %s", replica.name, state.value, detail)
        replica.failures += 1
        replica.state, replica.lag, replica.detail = state, None, detail
        backoff = min(self.interval * 2 ** (replica.failures - 1),
                      max(MAX_BACKOFF_SECONDS, self.interval))
        replica.due = time.monotonic() + backoff

    async def check_all(self) -> None:
        await asyncio.gather(*(self.check(r) for r in self.replicas))

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._task = self._loop.create_task(self._run())

    def suspect(self, replica: Replica) -> None:
        """A read failed on ``replica`` as if it were lost: out of use until checked again,
        which happens now. Callable from any thread."""
        if replica.state is not ReplicaState.HEALTHY or replica.suspected:
            return
        replica.suspected = True
        replica.due = 0.0
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                self._loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            now = time.monotonic()
            due = [r for r in self.replicas if r.due <= now]
            if due:
                try:
                    await asyncio.gather(*(self.check(r) for r in due))
                except Exception:  # never let the checker die
                    log.exception("checking read replicas failed")
                continue
            wait = min(r.due for r in self.replicas) - now
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for conn in self._connections.values():
            conn.terminate()
        self._connections.clear()


def check_replicas(urls: Sequence[str], *, max_lag: float, timeout: float) -> list[Replica]:
    """Check each replica once (``mdr status``)."""
    replicas = [Replica(url) for url in urls]

    async def check() -> None:
        monitor = ReplicaMonitor(replicas, max_lag=max_lag, timeout=timeout, interval=timeout)
        try:
            await monitor.check_all()
        finally:
            await monitor.stop()

    if replicas:
        asyncio.run(check())
    return replicas


def connection_breaker(engine: Engine) -> Callable[[], int]:
    """A function that breaks every connection ``engine`` holds, returning how many.

    psycopg2 has no client-side timeout, and a server-side one needs a server that
    runs: a statement on a hung replica waits until the replica wakes. Shutting down
    the socket under it makes it fail at once (and the pool replace the connection),
    so that its request can be retried elsewhere.
    """
    held: dict[int, Any] = {}

    @event.listens_for(engine, "connect")
    def _connected(dbapi_connection: Any, _record: Any) -> None:
        for key in [key for key, conn in held.items() if conn.closed]:
            del held[key]
        held[id(dbapi_connection)] = dbapi_connection

    def break_all() -> int:
        broken = 0
        for key, conn in list(held.items()):
            if conn.closed:
                held.pop(key, None)
                continue
            with contextlib.suppress(Exception):  # closed meanwhile
                sock = socket.socket(fileno=os.dup(conn.fileno()))
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                    broken += 1
                finally:
                    sock.close()
        return broken

    return break_all
