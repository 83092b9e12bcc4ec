"""uvicorn's HTTP protocol, answering key lookups itself, before ASGI.

Under ``mdr serve`` every request costs uvicorn's ASGI machinery: a scope, a request
cycle with its event, a task running the app behind uvicorn's middleware, and two
``send`` messages written in two system calls. For the key lookup, the hot path, that
was about a fifth of the worker's CPU per request at 8 connections (bench/api), so
:class:`LookupHttpProtocol` answers a plain lookup where uvicorn parsed it, with the
same :func:`~api.fast_lookup.answer_lookup` that the ASGI paths use, in one write.

It takes a request only when nothing about it needs the rest of uvicorn: ``POST`` to
the lookup path, HTTP/1.1, a ``Content-Length`` within the body limit, no
``Expect: 100-continue``, no upgrade, no query string or escapes in the path, and no
earlier request on the connection still being answered (pipelining). Anything else,
and every other route, goes through uvicorn and FastAPI as before. Keep-alive,
pipelined requests behind a lookup, graceful shutdown and a client that goes away use
uvicorn's own handling: the lookup stands in uvicorn's ``cycle`` with the attributes
the protocol reads and sets (:class:`_LookupCycle`).

uvicorn is pinned (constraints.txt); tests/api/test_http_protocol.py drives a real
server through these cases, so an upgrade that changes the protocol's internals fails
there first.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from api.deps_access import repeated_credentials
from api.fast_lookup import MdrApi, answer_lookup

# The raw request target: no query string, no percent-escapes (those go through ASGI).
_LOOKUP_TARGET = re.compile(rb"/v1/datasets/([A-Za-z0-9_]+)/records:lookup")


class LookupHttpProtocol(HttpToolsProtocol):
    """For ``uvicorn.run(http=...)``."""

    _api: MdrApi | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        app: Any = self.app  # the app behind uvicorn's middleware
        while not isinstance(app, MdrApi) and hasattr(app, "app"):
            app = app.app
        self._api = app if isinstance(app, MdrApi) else None

    def on_headers_complete(self) -> None:
        cycle = self._lookup_cycle()
        if cycle is None:
            super().on_headers_complete()
        else:
            self.cycle = cycle  # type: ignore[assignment]

    def _lookup_cycle(self) -> _LookupCycle | None:
        api, parser = self._api, self.parser
        if api is None or not api.fast_lookup or parser.get_method() != b"POST" \
                or self.expect_100_continue or self.limit_concurrency is not None:
            return None
        match = _LOOKUP_TARGET.fullmatch(self.url)
        if match is None or parser.get_http_version() != "1.1" or parser.should_upgrade():
            return None
        if self.cycle is not None and not self.cycle.response_complete:
            return None  # a request before it is still being answered: uvicorn queues it
        if repeated_credentials(self.headers):
            return None  # the route refuses it
        headers = dict(self.headers)
        length = headers.get(b"content-length")
        if length is None or not length.isdigit() or b"transfer-encoding" in headers \
                or int(length) > api.state.settings.max_request_bytes:
            return None  # chunked or too large: the ASGI path streams and refuses it
        return _LookupCycle(self, api, path=self.url.decode("latin-1"), dataset=match[1].decode(),
                            headers=headers, keep_alive=parser.should_keep_alive())


class _LookupCycle:
    """A lookup in the place of uvicorn's ``RequestResponseCycle``: uvicorn's protocol
    adds the body to :attr:`body`, clears :attr:`more_body` at its end, sets
    :attr:`disconnected` when the client goes, clears :attr:`keep_alive` on shutdown,
    and calls ``message_event.set()`` after each of these (here, :meth:`set`)."""

    def __init__(self, protocol: LookupHttpProtocol, api: MdrApi, *, path: str, dataset: str,
                 headers: dict[bytes, bytes], keep_alive: bool) -> None:
        self.protocol, self.api, self.path, self.dataset = protocol, api, path, dataset
        self.headers = headers
        self.keep_alive = keep_alive
        self.body = bytearray()
        self.more_body = True
        self.disconnected = False
        self.response_complete = False
        self.message_event = self
        self._answering = False

    def set(self) -> None:
        if self.disconnected or self._answering:
            return
        if self.more_body:  # uvicorn pauses reading past 64 KiB; the body is within the limit
            self.protocol.flow.resume_reading()
            return
        self._answering = True
        task = self.protocol.loop.create_task(self._answer())
        self.protocol.tasks.add(task)  # a graceful shutdown waits for it
        task.add_done_callback(self.protocol.tasks.discard)

    async def _read_body(self) -> bytes:
        return bytes(self.body)

    async def _answer(self) -> None:
        protocol = self.protocol
        try:
            status, headers, body = await answer_lookup(self.api, self.path, self.headers,
                                                        self.dataset, self._read_body)
        except BaseException:
            protocol.transport.close()  # answer_lookup answers every error: cancelled
            raise
        if self.disconnected or protocol.transport.is_closing():
            return
        content = [STATUS_LINE[status]]
        for name, value in [*protocol.server_state.default_headers, *headers]:
            content += (name, b": ", value, b"\r\n")
        if not self.keep_alive:
            content.append(b"connection: close\r\n")
        content += (b"\r\n", body)
        protocol.transport.write(b"".join(content))
        if protocol.flow.write_paused and not self.disconnected:
            # A client that does not read: take no next request until it has this answer
            # (as uvicorn's send does), or the answers pile up in the worker's memory.
            await protocol.flow.drain()
        self.response_complete = True
        if not self.keep_alive:
            protocol.transport.close()
        protocol.on_response_complete()


#: How ``mdr serve`` runs uvicorn (and the tests' live servers): uvloop, and httptools'
#: protocol answering key lookups itself.
SERVER_OPTIONS: dict[str, Any] = {"loop": "uvloop", "http": LookupHttpProtocol, "ws": "none",
                                  "lifespan": "on"}
