"""Live records by key for concurrent requests, read together.

Key lookups are most of the agency traffic, and a statement per request made each
lookup pay a round trip and a statement's fixed cost in both the worker and
PostgreSQL. A request hands its keys to the process's :class:`KeyReader` and
waits; a free reader lane reads every key waiting for a dataset in one statement,
then releases those requests. Keys arriving while every lane is reading wait for
the next free lane, so an idle server reads at once and statements grow with load
(the same scheme as the access log's group commit).

The lanes have connections of their own that run only the key lookup statements,
with ``plan_cache_mode = force_generic_plan``: the planner otherwise re-plans each
execution, since a custom plan for a known array length always looks cheaper than
the generic one, and planning cost more than the lookup itself (bench/api).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

POOL_SETTINGS = {"application_name": "mdr-api-lookup", "plan_cache_mode": "force_generic_plan"}

Rows = dict[str, Any]
_Waiting = list[tuple[list[str], "asyncio.Future[Rows]"]]


class KeyReader:
    """Reads ``SELECT ... WHERE key = ANY($1)`` for many requests at once, in ``lanes``
    parallel statements at most. ``key_position`` is the key's column in the rows."""

    def __init__(self, pool: Any, lanes: int = 2) -> None:
        self._pool = pool
        self._idle = max(1, lanes)
        self._pending: dict[tuple[str, int], _Waiting] = {}
        self._reading: set[asyncio.Task[None]] = set()
        self.statements = 0

    def read(self, sql: str, key_position: int, keys: list[str]) -> asyncio.Future[Rows]:
        """The rows of ``keys`` (and perhaps of other requests' keys), by key."""
        future: asyncio.Future[Rows] = asyncio.get_running_loop().create_future()
        self._pending.setdefault((sql, key_position), []).append((keys, future))
        self._dispatch()
        return future

    async def stop(self) -> None:
        while self._reading:
            await asyncio.gather(*self._reading, return_exceptions=True)

    def _dispatch(self) -> None:
        while self._pending and self._idle:
            self._idle -= 1
            batch, self._pending = self._pending, {}
            task = asyncio.get_running_loop().create_task(self._read(batch))
            self._reading.add(task)
            task.add_done_callback(self._reading.discard)

    async def _read(self, batch: dict[tuple[str, int], _Waiting]) -> None:
        try:
            async with self._pool.acquire() as conn:
                for (sql, key_position), waiting in batch.items():
                    keys = list({key for keys, _ in waiting for key in keys})
                    try:
                        rows = await conn.fetch(sql, keys)
                    except Exception as exc:
                        _fail(waiting, exc)
                        if conn.is_closed():
                            raise
                        continue
                    self.statements += 1
                    found = {row[key_position]: row for row in rows}
                    for _, future in waiting:
                        if not future.done():
                            future.set_result(found)
        except Exception as exc:
            log.warning("key lookup failed: %s", type(exc).__name__)
            for waiting in batch.values():
                _fail(waiting, exc)
        finally:
            self._idle += 1
            self._dispatch()


def _fail(waiting: _Waiting, exc: BaseException) -> None:
    for _, future in waiting:
        if not future.done():
            future.set_exception(exc)
