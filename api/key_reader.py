"""Live records by key for concurrent requests, read together.

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

Each lane holds a connection of its own (:mod:`mdr.db.held_connection`) that runs only
the key lookup statements, with ``plan_cache_mode = force_generic_plan``: the planner
otherwise re-plans each execution, since a custom plan for a known array length always
looks cheaper than the generic one, and planning cost more than the lookup itself
(bench/api).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from mdr.db.held_connection import HeldConnection, Lanes

log = logging.getLogger(__name__)

SERVER_SETTINGS = {"application_name": "mdr-api-lookup", "plan_cache_mode": "force_generic_plan"}

Rows = dict[str, Any]
_Waiting = list[tuple[list[str], "asyncio.Future[Rows]"]]
_Statement = tuple[str, int, str | None]  # SQL, key position, SQL for keys it misses


class KeyReader:
    """Reads ``SELECT ... WHERE key = ANY($1)`` for many requests at once, in ``lanes``
    parallel statements at most, each lane on a connection from ``connect`` (which
    should set :data:`SERVER_SETTINGS`). ``key_position`` is the key's column."""

    def __init__(self, connect: Callable[[], Awaitable[Any]], lanes: int = 2) -> None:
        self._lanes = Lanes([HeldConnection(connect) for _ in range(max(1, lanes))],
                            self._dispatch)
        self._pending: dict[_Statement, _Waiting] = {}
        self.statements = 0

    def read(self, sql: str, key_position: int, keys: list[str],
             misses_sql: str | None = None) -> asyncio.Future[Rows]:
        """The rows of ``keys`` (and perhaps of other requests' keys), by key; keys that
        ``sql`` does not find are read again with ``misses_sql``, when given."""
        future: asyncio.Future[Rows] = self._lanes.loop.create_future()
        self._pending.setdefault((sql, key_position, misses_sql), []).append((keys, future))
        self._dispatch()
        return future

    async def stop(self) -> None:
        await self._lanes.drain()
        for lane in self._lanes.all:
            await lane.close()

    def _dispatch(self) -> None:
        while self._pending and self._lanes.any_idle:
            batch, self._pending = self._pending, {}
            self._lanes.start(partial(self._read, batch=batch))

    async def _read(self, lane: HeldConnection, batch: dict[_Statement, _Waiting]) -> None:
        for (sql, key_position, misses_sql), waiting in batch.items():
            keys = list({key for keys, _ in waiting for key in keys})
            try:
                connection = await lane.get()
                rows = await connection.fetch(sql, keys)
                if misses_sql is not None and len(rows) < len(keys):
                    found_keys = {row[key_position] for row in rows}
                    rows += await connection.fetch(
                        misses_sql, [key for key in keys if key not in found_keys])
            except Exception as exc:
                log.warning("key lookup failed: %s", type(exc).__name__)
                _fail(waiting, exc)
                lane.discard()
                continue
            self.statements += 1
            found = {row[key_position]: row for row in rows}
            for _, future in waiting:
                if not future.done():
                    future.set_result(found)


def _fail(waiting: _Waiting, exc: BaseException) -> None:
    for _, future in waiting:
        if not future.done():
            future.set_exception(exc)
