"""The key lookup answered without FastAPI's per-request machinery: the hot path.

``POST /v1/datasets/{dataset}/records:lookup`` carries most agency traffic. Through
FastAPI's routing, dependency solving and body parsing it cost about 0.3 ms more
worker CPU per request than the same service calls made directly, about half of the
worker's time per lookup (measured with bench/api on the same machine). This
middleware answers that one route itself with the same pieces as the documented
route in ``api/routes/records.py``: the same body model, authentication, service
calls and problem bodies, so the two cannot drift apart in what they accept or say.
It sits inside the request-id and body-limit middlewares.
"""

from __future__ import annotations

import re

from pydantic import ValidationError
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps_access import agency_context
from api.json import json_response
from api.problems import mdr_problem, validation_problem
from api.records_service import RecordService
from api.routes.records import LOOKUP_ROUTE, LookupBody
from mdr.errors import MdrError

_LOOKUP_PATH = re.compile(r"/v1/datasets/([^/]+)/records:lookup")


class LookupFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = (_LOOKUP_PATH.fullmatch(scope["path"])
                 if scope["type"] == "http" and scope["method"] == "POST" else None)
        if match is None:
            await self.app(scope, receive, send)
            return
        try:
            response = await _lookup(scope, receive, match[1])
        except MdrError as exc:
            response = mdr_problem(exc, LOOKUP_ROUTE)
        except ValidationError as exc:
            response = validation_problem(
                [{**err, "loc": ("body", *err["loc"])} for err in exc.errors()], LOOKUP_ROUTE)
        await response(scope, receive, send)


async def _lookup(scope: Scope, receive: Receive, dataset: str) -> Response:
    svc: RecordService = scope["app"].state.records
    headers = dict(scope["headers"])
    authorization, purpose = headers.get(b"authorization"), headers.get(b"x-purpose")
    ctx = await agency_context(
        svc, authorization.decode("latin-1") if authorization is not None else None,
        purpose.decode("latin-1") if purpose is not None else None, LOOKUP_ROUTE)
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = LookupBody.model_validate_json(b"".join(chunks))
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, body.fields)
    return json_response(await svc.lookup(ctx, auth, body.keys, body.valid_at, body.recorded_at))

