"""The key lookup answered before FastAPI's machinery: the hot path.

``POST /v1/datasets/{dataset}/records:lookup`` carries most agency traffic. Through
FastAPI's middleware stack, routing, dependency solving and body parsing it cost
about twice the worker CPU of the same service calls made directly (measured with
bench/api on the same machine). :class:`MdrApi` answers that one route itself,
before the middleware stack, with the same pieces as the documented route in
``api/routes/records.py`` and the middlewares it skips: the same request id, body
limit, body model, authentication, service calls and problem bodies, so the two
cannot drift apart in what they accept or say. Every other request goes through
FastAPI.
"""

from __future__ import annotations

import re
import time

from fastapi import FastAPI
from pydantic import ValidationError
from starlette.types import Receive, Scope, Send

from api.deps_access import agency_context
from api.json import json_bytes
from api.middleware import body_too_large, log_request, request_id_for, too_large
from api.problems import mdr_problem, unexpected_response, validation_problem
from api.records_service import RecordService
from api.routes.records import LOOKUP_ROUTE, LookupBody
from mdr.errors import MdrError, PayloadTooLarge
from mdr.logging import request_id_var

_LOOKUP_PATH = re.compile(r"/v1/datasets/([^/]+)/records:lookup")


class MdrApi(FastAPI):
    """FastAPI, with key lookups answered first when ``fast_lookup`` is on (tests turn
    it off to compare the two paths)."""

    fast_lookup = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.fast_lookup and scope["type"] == "http" and scope["method"] == "POST":
            match = _LOOKUP_PATH.fullmatch(scope["path"])
            if match is not None:
                scope["app"] = self
                await _answer(scope, receive, send, match[1])
                return
        await super().__call__(scope, receive, send)


async def _answer(scope: Scope, receive: Receive, send: Send, dataset: str) -> None:
    """What RequestIdMiddleware, BodyLimitMiddleware and the route do, in one frame."""
    settings = scope["app"].state.settings
    headers = dict(scope["headers"])
    request_id = request_id_for(headers.get(b"x-request-id"))
    token = request_id_var.set(request_id)
    began, status = time.perf_counter(), 500
    try:
        try:
            body = await _lookup(scope, receive, headers, dataset, settings.max_request_bytes)
        except PayloadTooLarge as exc:
            response = mdr_problem(exc, scope["path"])
        except MdrError as exc:
            response = mdr_problem(exc, LOOKUP_ROUTE)
        except ValidationError as exc:
            response = validation_problem(
                [{**err, "loc": ("body", *err["loc"])} for err in exc.errors()], LOOKUP_ROUTE)
        except Exception as exc:
            response = unexpected_response(exc, scope["path"])
        else:  # the answer as json_response would send it, without a Response object
            status = 200
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-length", str(len(body)).encode()),
                (b"content-type", b"application/json"),
                (b"x-request-id", request_id.encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        response.raw_headers.append((b"x-request-id", request_id.encode()))
        status = response.status_code
        await response(scope, receive, send)
    finally:
        if settings.access_log:
            log_request(scope, status, began)
        request_id_var.reset(token)


async def _lookup(scope: Scope, receive: Receive, headers: dict[bytes, bytes], dataset: str,
                  limit: int) -> bytes:
    svc: RecordService = scope["app"].state.records
    if too_large(headers.get(b"content-length"), limit):
        raise body_too_large(limit)
    authorization, purpose = headers.get(b"authorization"), headers.get(b"x-purpose")
    ctx = await agency_context(
        svc, authorization.decode("latin-1") if authorization is not None else None,
        purpose.decode("latin-1") if purpose is not None else None, LOOKUP_ROUTE)
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise body_too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = LookupBody.model_validate_json(b"".join(chunks))
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, body.fields)
    return json_bytes(await svc.lookup(ctx, auth, body.keys, body.valid_at, body.recorded_at))
