"""Lanes: the API's key readers and access-log writers, each on a connection it keeps.

Each lane runs one statement at a time (:class:`Lanes` tracks which are idle). Taking a
connection from a pool and giving it back around every statement cost about a tenth
of a worker's CPU per lookup (the pool's timeout, shield and queue; and on Python
3.11 a ``getpid`` system call per event-loop lookup), so each lane opens one
connection and keeps it until it fails or the process stops.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Generic, TypeVar

import asyncpg

LaneT = TypeVar("LaneT")


class ConnectionLost(ConnectionError):
    """A lane's connection broke under its statement: the database went away (the
    request gets a 503 and may retry), not a fault of the request."""


def connection_broke(exc: BaseException) -> bool:
    """Whether asyncpg raised ``exc`` because the connection broke under a statement.

    A backend killed mid-statement surfaces as ConnectionDoesNotExistError, or,
    depending on where in asyncpg's protocol the loss lands, as a plain InterfaceError
    ("another operation is in progress", "connection is closed") or an
    InternalClientError ("cannot switch to state 12"). InterfaceError's subclasses are
    not: they report a bad argument or a configuration (a 422 or a bug, not a 503).
    """
    return isinstance(exc, asyncpg.InternalClientError) or type(exc) is asyncpg.InterfaceError


def as_lost(exc: Exception) -> Exception:
    """``exc`` as the requests of a failed lane statement should see it.

    A lane runs one statement at a time, so asyncpg's client-side state errors
    (:func:`connection_broke`) mean the connection is gone, and the lane drops it:
    they become :class:`ConnectionLost`, with the original as the cause.
    """
    if connection_broke(exc):
        lost = ConnectionLost(f"the connection to PostgreSQL broke ({type(exc).__name__})")
        lost.__cause__ = exc
        return lost
    return exc


async def connect_or_lost(*args: Any, **kwargs: Any) -> Any:
    """``asyncpg.connect``, failing as :class:`ConnectionLost` (a 503) when no server is
    there to refuse: a Unix socket's file is gone while its server is stopped
    (FileNotFoundError, which is no ConnectionError), or a host name does not resolve."""
    try:
        return await asyncpg.connect(*args, **kwargs)
    except OSError as exc:
        if isinstance(exc, ConnectionError | TimeoutError):
            raise
        raise ConnectionLost(f"cannot connect to PostgreSQL ({type(exc).__name__})") from exc


class HeldConnection:
    def __init__(self, connect: Callable[[], Awaitable[Any]]) -> None:
        self._connect = connect
        self._conn: Any = None

    async def get(self) -> Any:
        """The connection, opened on first use and again after :meth:`discard` (the
        database may be down when the server starts)."""
        if self._conn is None or self._conn.is_closed():
            self._conn = await self._connect()
        return self._conn

    def discard(self) -> None:
        """Drop the connection after an error: it may be broken or mid-protocol."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.terminate()

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()


class Lanes(Generic[LaneT]):
    """The lanes of one event loop: which are idle, and the tasks running on the rest.

    ``on_free`` is called each time a lane's task ends, to start waiting work.
    """

    def __init__(self, lanes: list[LaneT], on_free: Callable[[], None]) -> None:
        self.all = list(lanes)
        self._idle = list(lanes)
        self._on_free = on_free
        self._running: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        # Kept: on Python 3.11 each asyncio.get_running_loop() is a getpid system call.
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        return self._loop

    @property
    def any_idle(self) -> bool:
        return bool(self._idle)

    def start(self, run: Callable[[LaneT], Coroutine[Any, Any, None]]) -> None:
        """Run ``run(lane)`` as a task on an idle lane (check :attr:`any_idle` first)."""
        task = self.loop.create_task(self._run(self._idle.pop(), run))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _run(self, lane: LaneT, run: Callable[[LaneT], Coroutine[Any, Any, None]]) -> None:
        try:
            await run(lane)
        finally:
            self._idle.append(lane)
            self._on_free()

    async def drain(self) -> None:
        """Wait until no lane is busy, work started by ending tasks included."""
        while self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
