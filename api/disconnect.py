"""Work for a client that has gone is stopped, not finished for nobody.

FastAPI does not cancel a route when its client disconnects: a slow search ran on to
its end in PostgreSQL after the client had given up (an outside review measured 17 s),
holding a pooled connection and a backend the whole time. :func:`unless_disconnected`
runs a route's work beside a wait for the ASGI ``http.disconnect`` message and cancels
the work when that comes first; asyncpg then cancels the statement in PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any, TypeVar

from starlette.requests import Request

from mdr.errors import ClientGone

T = TypeVar("T")


async def unless_disconnected(request: Request, work: Coroutine[Any, Any, T]) -> T:
    """``work``'s result, or :class:`ClientGone` once ``work`` is cancelled because the
    client disconnected first. Call it after the body is read (the route's body model
    has read it): the next message is then the disconnect, or the end of the answer."""
    task = asyncio.ensure_future(work)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait((task, gone), return_when=asyncio.FIRST_COMPLETED)
    except BaseException:  # this request was cancelled itself (a shutdown): so is its work
        task.cancel()
        raise
    finally:
        gone.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task  # until asyncpg has cancelled the statement
        raise ClientGone("the client closed the connection before the answer")
    return task.result()


async def _disconnected(request: Request) -> None:
    with contextlib.suppress(Exception):  # a receive that fails: the client is gone too
        while (await request.receive())["type"] != "http.disconnect":
            pass
