"""The reference point of DESIGN.md section 8: a bare FastAPI + asyncpg key lookup.

No key, no purpose, no grant, no masking, no access log: the same resident query as
the real lookup, answered with orjson. bench/api serves it with the same server and
worker count as `mdr serve` and drives it like the real API, so the cost of auth and
audit shows as a ratio measured in the same run.

    MDR_DATABASE_URL=... granian --interface asgi --factory bench.bare_lookup:create_app
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


def create_app() -> FastAPI:
    spec = get_dataset("resident")
    columns = ", ".join(f'"{f}"' for f in spec.field_names)
    query = f'SELECT {columns} FROM "{spec.current_table}" WHERE "{spec.key}" = ANY($1::text[])'

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
