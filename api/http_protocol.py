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

It also bounds what a connection may cost before a request is whole (DESIGN.md section
7: every request is bounded), which uvicorn's httptools protocol does not:

* A request head (request line and headers) larger than ``MDR_MAX_HEADER_BYTES`` is
  answered 431 and the connection closed. The bytes are counted as they are fed to the
  parser, not in ``on_header``: httptools joins a header's value in its own buffer
  and calls ``on_header`` only once the value ends, so an unterminated header grew
  without bound there (32 MB on each of 8 connections: +358 MiB of worker RSS).
* A head not complete ``MDR_HEADER_TIMEOUT_SECONDS`` after the connection opened or
  its first byte came is closed (408 when part of a head came), and a body that stops
  arriving for ``MDR_BODY_TIMEOUT_SECONDS``; uvicorn closed neither, nor a connection
  that never sent a byte. Time the server spends answering, or not reading (flow
  control), does not count against the client.
* ``MDR_KEEP_ALIVE_SECONDS`` is uvicorn's idle keep-alive timeout.

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
from api.middleware import request_id_for
from api.problems import mdr_problem
from mdr.errors import HeadersTooLarge, MdrError, RequestTimeout
from mdr.logging import request_id_var
from mdr.settings import Settings

# The raw request target: no query string, no percent-escapes (those go through ASGI).
_LOOKUP_TARGET = re.compile(rb"/v1/datasets/([A-Za-z0-9_]+)/records:lookup")


_DEFAULTS = Settings.model_fields
_IDLE, _HEAD, _BODY = 0, 1, 2  # what the connection is reading


class LookupHttpProtocol(HttpToolsProtocol):
    """For ``uvicorn.run(http=...)``; the bounds are the app's settings."""

    _api: MdrApi | None = None
    _max_head: int = _DEFAULTS["max_header_bytes"].default
    _head_timeout: float = _DEFAULTS["header_timeout_seconds"].default
    _body_timeout: float = _DEFAULTS["body_timeout_seconds"].default

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        app: Any = self.app  # the app behind uvicorn's middleware
        while not isinstance(app, MdrApi) and hasattr(app, "app"):
            app = app.app
        self._api = app if isinstance(app, MdrApi) else None
        if self._api is not None:
            settings: Settings = self._api.state.settings
            self._max_head = settings.max_header_bytes
            self._head_timeout = settings.header_timeout_seconds
            self._body_timeout = settings.body_timeout_seconds
            self.timeout_keep_alive = settings.keep_alive_seconds  # type: ignore[assignment]
        # The head being read may take this many more bytes (None: a body is being read).
        self._head_left: int | None = self._max_head
        self._phase = _HEAD  # the first request's time runs from the connection's start
        self._last_read = 0.0
        self._timer: asyncio.TimerHandle | None = self.loop.call_later(
            self._head_timeout, self._read_timed_out)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        left = self._head_left
        if left is not None:
            if len(data) > left:
                self._data_past_head_limit(data, left)
                return
            self._head_left = left - len(data)  # the parser's callbacks may reset it
        super().data_received(data)
        if self._phase != _IDLE:  # a head or body came in part: time the rest
            self._last_read = self.loop.time()
            if self._timer is None:
                self._timer = self.loop.call_later(
                    self._head_timeout if self._phase == _HEAD else self._body_timeout,
                    self._read_timed_out)

    def _data_past_head_limit(self, data: bytes, left: int) -> None:
        """Parse only the bytes the head may still take: it must end within them."""
        self._head_left = 0
        super().data_received(data[:left])
        if self.transport.is_closing():
            return  # refused by the parser
        if self._head_left == 0:  # the same head, still not complete
            self._refuse(HeadersTooLarge(
                f"the request line and headers exceed {self._max_head} bytes"))
            return
        self.data_received(data[left:])  # a body, or the next request

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._phase = _HEAD

    def on_headers_complete(self) -> None:
        self._phase, self._head_left = _BODY, None
        self._stop_timer()
        cycle = self._lookup_cycle()
        if cycle is None:
            super().on_headers_complete()
        else:
            self.cycle = cycle  # type: ignore[assignment]

    def on_message_complete(self) -> None:
        self._phase, self._head_left = _IDLE, self._max_head
        self._stop_timer()
        super().on_message_complete()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _read_timed_out(self) -> None:
        self._timer = None
        if self.transport.is_closing() or self._phase == _IDLE:
            return
        now = self.loop.time()
        answering = self._phase == _HEAD and self.cycle is not None \
            and not self.cycle.response_complete  # a head pipelined behind a request
        if self.flow.read_paused or answering:
            # The server is not reading, or still answering: the client is not late.
            self._last_read = now
            self._timer = self.loop.call_later(
                self._head_timeout if self._phase == _HEAD else self._body_timeout,
                self._read_timed_out)
            return
        if self._phase == _BODY and (wait := self._last_read + self._body_timeout - now) > 0:
            self._timer = self.loop.call_later(wait, self._read_timed_out)  # it came lately
            return
        if self._phase == _HEAD and self._head_left != self._max_head:
            self._refuse(RequestTimeout(
                f"the request headers did not arrive within {self._head_timeout:g} seconds"))
        else:  # nothing sent (or a body stopped mid-way): nothing to answer
            self.transport.close()

    def _refuse(self, error: MdrError) -> None:
        """Answer ``error`` and close, unless an earlier request is still being answered
        on this connection: then close only (an answer cannot be cut into)."""
        self._stop_timer()
        if self.cycle is None or self.cycle.response_complete:
            request_id = request_id_for(None)
            token = request_id_var.set(request_id)
            try:
                response = mdr_problem(error, "*")  # the request target may be what is large
            finally:
                request_id_var.reset(token)
            content = [STATUS_LINE[error.status]]
            for name, value in [*self.server_state.default_headers, *response.raw_headers,
                                (b"x-request-id", request_id.encode()),
                                (b"connection", b"close")]:
                content += (name, b": ", value, b"\r\n")
            content += (b"\r\n", bytes(response.body))
            self.transport.write(b"".join(content))
        self.transport.close()

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
