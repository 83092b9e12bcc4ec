"""The reference points of DESIGN.md section 8: bare key lookups with asyncpg.

No key, no purpose, no grant, no masking, no access log: the same resident query as
the real lookup, answered with orjson. ``create_app`` is a bare FastAPI route (the
reference DESIGN.md names); ``create_asgi_app`` is a plain ASGI callable with no
framework at all, a statement per request: about the least a Python ASGI server can
do per lookup. bench/api serves each with the same server and worker count as
`mdr serve` and drives it like the real API, so the cost of auth and audit, and the
ceiling of the machine, show as ratios measured in the same run.

    MDR_DATABASE_URL=... uvicorn --factory bench.bare_lookup:create_app
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson
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
