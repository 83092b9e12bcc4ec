"""Every request is bounded (DESIGN.md section 7), on a real server as ``mdr serve`` runs it:
the head's size and time, the body's pauses, idle keep-alive connections."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from api.app import create_app
from mdr.db.engine import Database
from tests.api.conftest import api_settings
from tests.api.test_http_protocol import _responses
from tests.helpers import live_server

pytestmark = pytest.mark.db

HEAD_TIMEOUT, BODY_TIMEOUT, KEEP_ALIVE = 1.0, 1.0, 1.0


@pytest.fixture
def base(api_db: Engine, api_url: str, tmp_path: Path) -> Iterator[str]:
    settings = api_settings(tmp_path, header_timeout_seconds=HEAD_TIMEOUT,
                            body_timeout_seconds=BODY_TIMEOUT, keep_alive_seconds=KEEP_ALIVE)
    with live_server(create_app(settings, Database(api_url, embedded=False))) as url:
        yield url


def _connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def _until_closed(sock: socket.socket, limit: float = 10.0) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and when it closed."""
    began, received = time.monotonic(), b""
    sock.settimeout(limit)
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        except TimeoutError:
            raise AssertionError(f"the server kept the connection open {limit} s") from None
        if not chunk:
            return received, time.monotonic() - began
        received += chunk


def _send_all(sock: socket.socket, data: bytes) -> int:
    """Send ``data`` until done or the server closes; how much went."""
    sent = 0
    try:
        while sent < len(data):
            sent += sock.send(data[sent:sent + 65536])
    except (BrokenPipeError, ConnectionResetError):
        pass
    return sent


def _problem(raw: bytes, status: int) -> dict[str, Any]:
    ((answered, headers, body),) = _responses(raw)
    assert answered == status and headers["connection"] == "close", raw[:300]
    assert headers["content-type"] == "application/problem+json" and headers["x-request-id"]
    problem: dict[str, Any] = json.loads(body)
    assert problem["status"] == status and problem["request_id"] == headers["x-request-id"]
    return problem


def _get(path: str, *headers: str) -> bytes:
    return ("\r\n".join([f"GET {path} HTTP/1.1", "Host: test", *headers]) + "\r\n\r\n").encode()


def test_a_head_over_16_kib_is_answered_431_and_the_connection_closed(base: str) -> None:
    limit = 16_384
    with _connect(base) as sock:  # a head just within the limit is served
        request = _get("/healthz", "X-Pad: ")
        sock.sendall(request.replace(b"X-Pad: ", b"X-Pad: " + b"a" * (limit - len(request))))
        (status, _, _), = _responses(sock.recv(65536))
        assert status == 200
    for head in (_get("/healthz", "X-Pad: " + "a" * limit),  # one large header
                 _get("/healthz", *[f"X-Pad-{i}: {'b' * 100}" for i in range(200)]),  # many
                 _get("/healthz?" + "q" * limit)):  # a long request target
        with _connect(base) as sock:
            sock.sendall(head)
            raw, _ = _until_closed(sock)
        problem = _problem(raw, 431)
        assert problem["type"].endswith("/headers-too-large") and problem["instance"] == "*"
    # The server is fine afterwards, on a connection that keeps alive.
    with _connect(base) as sock:
        sock.sendall(_get("/healthz") * 2)
        assert [s for s, _, _ in _responses(_recv_responses(sock, 2))] == [200, 200]


def _recv_responses(sock: socket.socket, count: int) -> bytes:
    received, deadline = b"", time.monotonic() + 10
    while received.count(b"HTTP/1.1 ") < count or not received.endswith(b"}"):
        assert time.monotonic() < deadline, received
        received += sock.recv(65536)
    return received


def test_an_unterminated_header_is_not_buffered(base: str) -> None:
    """32 MiB of one header that never ends: refused once the limit is passed, not read."""
    with _connect(base) as sock:
        sent = _send_all(sock, b"POST /v1/datasets/resident/records:lookup HTTP/1.1\r\n"
                         b"Host: test\r\nX-Filler: " + b"a" * (32 << 20))
        raw, _ = _until_closed(sock)
    assert sent < 32 << 20  # the server closed long before the end
    assert _problem(raw, 431)["type"].endswith("/headers-too-large")


def test_a_head_sent_too_slowly_is_closed_after_the_timeout(base: str) -> None:
    with _connect(base) as sock:  # nothing at all: closed without an answer
        raw, closed_after = _until_closed(sock)
    assert raw == b"" and HEAD_TIMEOUT * 0.8 <= closed_after < HEAD_TIMEOUT + 3
    with _connect(base) as sock:  # a byte at a time, each in time: the whole head is late
        began, sent = time.monotonic(), 0
        request = _get("/healthz", "X-Slow: " + "s" * 100)
        try:
            while sent < len(request) - 4:
                sock.sendall(request[sent:sent + 1])
                sent += 1
                time.sleep(0.05)
                assert time.monotonic() - began < HEAD_TIMEOUT + 3, "still open"
        except (BrokenPipeError, ConnectionResetError):
            pass
        raw, _ = _until_closed(sock)
        closed_after = time.monotonic() - began
    assert HEAD_TIMEOUT * 0.8 <= closed_after < HEAD_TIMEOUT + 3
    problem = _problem(raw, 408)
    assert problem["type"].endswith("/request-timeout")


def test_a_body_that_stops_arriving_closes_the_connection(base: str) -> None:
    head = (b"POST /v1/datasets/resident/records:search HTTP/1.1\r\nHost: test\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n")
    with _connect(base) as sock:
        sock.sendall(head + b'{"type": ')
        began = time.monotonic()
        for _ in range(3):  # a trickle within the timeout keeps it open
            time.sleep(BODY_TIMEOUT / 2)
            sock.sendall(b" ")
        raw, closed_after = _until_closed(sock)
    assert raw == b""  # nobody to answer: the body never came
    assert time.monotonic() - began >= BODY_TIMEOUT * 1.5 + BODY_TIMEOUT * 0.8
    assert BODY_TIMEOUT * 0.8 <= closed_after < BODY_TIMEOUT + 3


def test_an_idle_keep_alive_connection_is_closed(base: str) -> None:
    with _connect(base) as sock:
        sock.sendall(_get("/healthz"))
        (status, headers, _), = _responses(_recv_responses(sock, 1))
        assert status == 200 and headers.get("connection") != "close"
        raw, closed_after = _until_closed(sock)
    assert raw == b"" and KEEP_ALIVE * 0.8 <= closed_after < KEEP_ALIVE + 3
