"""One asyncpg connection kept by a single user across statements.

The API's reader and writer lanes each run one statement at a time. Taking a
connection from a pool and giving it back around every statement cost about a tenth
of a worker's CPU per lookup (the pool's timeout, shield and queue; and on Python
3.11 a ``getpid`` system call per event-loop lookup), so each lane opens one
connection and keeps it until it fails or the process stops.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any


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
