"""Request id on every response and log line (pure ASGI: no per-request task overhead)."""

from __future__ import annotations

import itertools
import logging
import os
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import mdr_problem, public_path, unexpected_response
from mdr.errors import PayloadTooLarge, scrubbed
from mdr.logging import request_id_var

access_log = logging.getLogger("mdr.access")

REQUEST_ID_HEADER = "x-request-id"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class _RequestIds:
    """A random prefix per process (a forked child draws its own) and a serial."""

    def __init__(self) -> None:
        self.renew()
        os.register_at_fork(after_in_child=self.renew)

    def renew(self) -> None:
        self.prefix, self.serial = os.urandom(8).hex(), itertools.count()

    def new(self) -> str:
        return f"{self.prefix}{next(self.serial):016x}"


_request_ids = _RequestIds()


def request_id_of(scope: Scope) -> str:
    return request_id_for(next((v for k, v in scope["headers"] if k == b"x-request-id"), None))


def request_id_for(given: bytes | None) -> str:
    """The caller's well-formed ``X-Request-ID``, or a new one: 32 hex digits, a random
    prefix per process and a serial (a uuid4 per request cost a system call)."""
    if given is not None and _VALID_ID.match(text := given.decode("latin-1")) \
            and scrubbed(text) == text:  # it is logged and echoed
        return text
    return _request_ids.new()


def log_request(method: str, path: str, status: int, began: float) -> None:
    """One access-log line: method, path without its query string (which may hold a
    portal ``serviceKey``) and without long numbers, status, milliseconds."""
    access_log.info("%s %s %d %.1fms", method, public_path(path), status,
                    (time.perf_counter() - began) * 1000)


class RequestIdMiddleware:
    """Take a caller's well-formed ``X-Request-ID`` or make one; echo it back.

    With ``access_log``, log each request once answered, under its request id: the
    server's own access log runs outside the request's context.
    """

    def __init__(self, app: ASGIApp, access_log: bool = False) -> None:
        self.app, self.access_log = app, access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        token = request_id_var.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        started, status, began = False, 500, time.perf_counter()

        async def send_tracking(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started, status = True, message["status"]
            await send_with_id(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception as exc:
            # Rendered here, inside the request id's scope, rather than by Starlette's
            # outermost error middleware, so a 500 carries its request id too.
            response = unexpected_response(exc, scope["path"])
            if not started:
                await response(scope, receive, send_with_id)
        finally:
            if self.access_log:
                log_request(scope["method"], scope["path"], status, began)
            request_id_var.reset(token)


def declared_too_large(scope: Scope, limit: int) -> bool:
    return too_large(next((v for k, v in scope["headers"] if k == b"content-length"), None),
                     limit)


def too_large(content_length: bytes | None, limit: int) -> bool:
    return content_length is not None and content_length.isdigit() and int(content_length) > limit


def body_too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the request body exceeds {limit:,} bytes")  # no long number


def _replay(chunks: list[bytes], last: Message | None, receive: Receive) -> Receive:
    """A receive that gives a body already read (or the message that ended the read),
    then what the connection says next."""
    pending: list[Message] = [{"type": "http.request", "body": b"".join(chunks),
                               "more_body": False}] if last is None else [last]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


class BodyLimitMiddleware:
    """Refuse request bodies over the limit with 413 (by header, and while streaming).

    File uploads (agency copies for reconciliation) have a limit of their own.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, upload_paths: tuple[str, ...] = (),
                 max_upload_bytes: int = 0) -> None:
        self.app, self.default_max = app, max_bytes
        self.upload_paths, self.max_upload_bytes = upload_paths, max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["path"] in self.upload_paths
        limit = self.max_upload_bytes if upload else self.default_max
        if declared_too_large(scope, limit):
            await self._refuse(scope, receive, send, limit)
            return
        if not upload and not any(k == b"content-length" for k, _ in scope["headers"]):
            # A chunked body is read whole first (it is small by the limit): an error
            # raised while FastAPI reads a body would reach the caller as a 400.
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    await self.app(scope, _replay([], message, receive), send)
                    return
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                more = message.get("more_body", False)
                if size > limit:
                    await self._refuse(scope, receive, send, limit)
                    return
            await self.app(scope, _replay(chunks, None, receive), send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise body_too_large(limit)
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        await mdr_problem(body_too_large(limit), scope["path"])(scope, receive, send)
