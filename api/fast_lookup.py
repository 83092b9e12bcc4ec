"""The key lookup answered before FastAPI's machinery: the hot path.

``POST /v1/datasets/{dataset}/records:lookup`` carries most agency traffic. Through
FastAPI's middleware stack, routing, dependency solving and body parsing it cost
about twice the worker CPU of the same service calls made directly (measured with
bench/api on the same machine). :func:`answer_lookup` answers that one route with the
same pieces as the documented route in ``api/routes/records.py`` and the middlewares
it skips: the same request id, body limit, body model, authentication, service calls
and problem bodies, so the two cannot drift apart in what they accept or say.

Two callers use it: :class:`MdrApi`, before the middleware stack, for any ASGI server
(and the tests' client); and under ``mdr serve``, uvicorn's HTTP protocol itself
(:mod:`api.http_protocol`), before ASGI. Every other request goes through FastAPI.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from pydantic import ValidationError
from starlette.types import Receive, Scope, Send

from api.deps_access import agency_context, repeated_credentials
from api.json import json_bytes
from api.middleware import body_too_large, log_request, request_id_for, too_large
from api.problems import mdr_problem, unexpected_response, validation_problem
from api.records_service import RecordService
from api.routes.records import LOOKUP_ROUTE, LookupBody
from mdr.errors import MdrError, PayloadTooLarge
from mdr.logging import request_id_var

_LOOKUP_PATH = re.compile(r"/v1/datasets/([^/]+)/records:lookup")

Headers = list[tuple[bytes, bytes]]


class MdrApi(FastAPI):
    """FastAPI, with key lookups answered first when ``fast_lookup`` is on (tests turn
    it off to compare the two)."""

    fast_lookup = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.fast_lookup and scope["type"] == "http" and scope["method"] == "POST":
            match = _LOOKUP_PATH.fullmatch(scope["path"])
            # a repeated credential header: the route refuses it
            if match is not None and not repeated_credentials(scope["headers"]):
                await _answer_asgi(self, scope, receive, send, match[1])
                return
        await super().__call__(scope, receive, send)


async def _answer_asgi(app: FastAPI, scope: Scope, receive: Receive, send: Send,
                       dataset: str) -> None:
    limit = app.state.settings.max_request_bytes

    async def read_body() -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise body_too_large(limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    status, headers, body = await answer_lookup(app, scope["path"], dict(scope["headers"]),
                                                dataset, read_body)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def answer_lookup(app: FastAPI, path: str, headers: dict[bytes, bytes], dataset: str,
                        read_body: Callable[[], Awaitable[bytes]]) -> tuple[int, Headers, bytes]:
    """Status, headers and body of the answer to a lookup: what RequestIdMiddleware,
    BodyLimitMiddleware and the route do, in one frame. ``read_body`` gives the whole
    request body, or raises :class:`PayloadTooLarge`; it is called once the key is
    known to be good."""
    settings = app.state.settings
    request_id = request_id_for(headers.get(b"x-request-id"))
    token = request_id_var.set(request_id)
    began, status = time.perf_counter(), 500
    try:
        try:
            body = await _lookup(app.state.records, headers, dataset,
                                 settings.max_request_bytes, read_body)
        except PayloadTooLarge as exc:
            response = mdr_problem(exc, path)
        except MdrError as exc:
            response = mdr_problem(exc, LOOKUP_ROUTE)
        except ValidationError as exc:
            response = validation_problem(
                [{**err, "loc": ("body", *err["loc"])} for err in exc.errors()], LOOKUP_ROUTE)
        except Exception as exc:
            response = unexpected_response(exc, path)
        else:  # the answer as json_response would give it, without a Response object
            status = 200
            return 200, [(b"content-length", b"%d" % len(body)),
                         (b"content-type", b"application/json"),
                         (b"x-request-id", request_id.encode())], body
        status = response.status_code
        return status, [*response.raw_headers, (b"x-request-id", request_id.encode())], \
            bytes(response.body)
    finally:
        if settings.access_log:
            log_request("POST", path, status, began)
        request_id_var.reset(token)


async def _lookup(svc: RecordService, headers: dict[bytes, bytes], dataset: str, limit: int,
                  read_body: Callable[[], Awaitable[bytes]]) -> bytes:
    if too_large(headers.get(b"content-length"), limit):
        raise body_too_large(limit)
    authorization, purpose = headers.get(b"authorization"), headers.get(b"x-purpose")
    ctx = await agency_context(
        svc, authorization.decode("latin-1") if authorization is not None else None,
        purpose.decode("latin-1") if purpose is not None else None, LOOKUP_ROUTE)
    body = LookupBody.model_validate_json(await read_body())
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, body.fields)
    return json_bytes(await svc.lookup(ctx, auth, body.keys, body.valid_at, body.recorded_at))
