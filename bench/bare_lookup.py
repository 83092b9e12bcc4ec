"""The reference points of DESIGN.md section 8: bare key lookups with asyncpg.

No key, no purpose, no grant, no masking, no access log: the same resident query as
the real lookup, answered with orjson. ``create_app`` is a bare FastAPI route (the
reference DESIGN.md names); ``create_asgi_app`` is a plain ASGI callable with no
framework at all, a statement per request: about the least a Python ASGI server can
do per lookup; and ``python -m bench.bare_lookup PORT`` serves the lookup from an
asyncio protocol on httptools with no server framework either (as ``mdr serve``
answers lookups, api/http_protocol.py): about the least Python can do per lookup.
bench/api serves each with the same server and worker count as `mdr serve` and drives
it like the real API, so the cost of auth and audit, and the ceiling of the machine,
show as ratios measured in the same run.

    MDR_DATABASE_URL=... uvicorn --factory bench.bare_lookup:create_app
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httptools
import orjson
import uvloop
from fastapi import FastAPI, Request
from pydantic import BaseModel
from starlette.responses import Response

from entities.registry import get_dataset


class Keys(BaseModel):
    keys: list[str]


def _query() -> str:
    spec = get_dataset("resident")
    columns = ", ".join(f'"{f}"' for f in spec.field_names)
    return f'SELECT {columns} FROM "{spec.current_table}" WHERE "{spec.key}" = ANY($1::text[])'


def create_app() -> FastAPI:
    query = _query()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(os.environ["MDR_DATABASE_URL"],
                                                   min_size=1, max_size=8)
        yield
        await app.state.pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/v1/datasets/resident/records:lookup")
    async def lookup(body: Keys, request: Request) -> Response:
        rows: list[Any] = await request.app.state.pool.fetch(query, body.keys)
        return Response(orjson.dumps({"records": [dict(r) for r in rows]}),
                        media_type="application/json")

    return app


def create_asgi_app() -> Any:
    query = _query()
    state: dict[str, Any] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    state["pool"] = await asyncpg.create_pool(
                        os.environ["MDR_DATABASE_URL"], min_size=1, max_size=8)
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await state["pool"].close()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        answer = b"{}"
        if scope["method"] == "POST":
            rows = await state["pool"].fetch(query, orjson.loads(body)["keys"])
            answer = orjson.dumps({"records": [dict(r) for r in rows]})
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": answer})

    return app


class _BareProtocol(asyncio.Protocol):
    """HTTP/1.1 keep-alive, every request a lookup; one task and one statement each."""

    def __init__(self, pool: Any, query: str) -> None:
        self.pool, self.query = pool, query
        self.parser = httptools.HttpRequestParser(self)
        self.body: list[bytes] = []

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        body, self.body = b"".join(self.body), []
        asyncio.get_running_loop().create_task(self.answer(body))

    async def answer(self, body: bytes) -> None:
        keys = orjson.loads(body)["keys"] if body else []
        rows = await self.pool.fetch(self.query, keys)
        answer = orjson.dumps({"records": [dict(r) for r in rows]})
        self.transport.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                             b"content-length: %d\r\n\r\n%s" % (len(answer), answer))


async def serve_protocol(port: int) -> None:
    pool = await asyncpg.create_pool(os.environ["MDR_DATABASE_URL"], min_size=1, max_size=8)
    query = _query()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _BareProtocol(pool, query), "127.0.0.1", port)
    await server.serve_forever()


if __name__ == "__main__":
    uvloop.run(serve_protocol(int(sys.argv[1])))
