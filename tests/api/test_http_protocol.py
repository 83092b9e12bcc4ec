"""Key lookups answered in uvicorn's protocol (as under ``mdr serve``), on a real server.

The protocol must answer as the ASGI paths do, and leave HTTP/1.1 as uvicorn keeps it:
keep-alive, pipelined requests in order, ``Connection: close``, large and chunked
bodies, and a client that goes away.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api import fast_lookup, http_protocol
from api.app import create_app
from mdr.db.engine import Database
from tests.api.conftest import api_settings, audit_rows, new_key, store
from tests.api.test_fast_lookup import _comparable
from tests.factories import make
from tests.helpers import live_server

pytestmark = pytest.mark.db

LOOKUP = "/v1/datasets/{}/records:lookup"


@pytest.fixture
def served(api_db: Engine, api_url: str, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    """A live server; the list names the path each lookup took (protocol or ASGI)."""
    taken: list[str] = []
    by_asgi, by_protocol = fast_lookup._answer_asgi, fast_lookup.answer_lookup

    async def asgi(*args: Any, **kwargs: Any) -> None:
        taken.append("asgi")
        await by_asgi(*args, **kwargs)

    async def protocol(*args: Any, **kwargs: Any) -> Any:
        taken.append("protocol")
        return await by_protocol(*args, **kwargs)

    monkeypatch.setattr(fast_lookup, "_answer_asgi", asgi)
    monkeypatch.setattr(http_protocol, "answer_lookup", protocol)
    app = create_app(api_settings(tmp_path), Database(api_url, embedded=False))
    with live_server(app) as base:
        yield base, taken


@pytest.fixture
def people(api_db: Engine) -> tuple[list[dict[str, Any]], str, dict[str, str]]:
    residents = [make("resident") for _ in range(3)]
    store(api_db, "resident", residents)
    key_id, headers = new_key(api_db, ["resident:rrn,name,birth_date"])
    return residents, key_id, headers


def _raw(base: str, data: bytes, wait: float = 5.0) -> bytes:
    """Send ``data`` on one connection; everything read until it closes or goes quiet."""
    host, port = base.removeprefix("http://").split(":")
    received = b""
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(data)
        sock.settimeout(1.0)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            received += chunk
    return received


def _request(path: str, headers: dict[str, str], body: bytes, *, version: str = "1.1",
             extra: str = "") -> bytes:
    lines = [f"POST {path} HTTP/{version}", "Host: test", f"Content-Length: {len(body)}",
             "Content-Type: application/json", *[f"{k}: {v}" for k, v in headers.items()]]
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode() + body


def _responses(raw: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Split a byte stream of HTTP/1.1 responses with Content-Length bodies."""
    answers = []
    while raw:
        head, _, rest = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
        length = int(headers["content-length"])
        answers.append((int(status_line.split()[1]), headers, rest[:length]))
        raw = rest[length:]
    return answers


def test_lookups_are_answered_by_the_protocol_as_the_route_answers_them(
        served: tuple[str, list[str]], people: Any, api_db: Engine, api_url: str,
        tmp_path: Path) -> None:
    base, taken = served
    residents, key_id, headers = people
    keys = [p["rrn"] for p in residents]
    route_only = create_app(api_settings(tmp_path), Database(api_url, embedded=False),
                            fast_lookup=False)
    bodies: list[tuple[str, dict[str, str], Any]] = [
        ("resident", headers, {"keys": [keys[2], "9001011234568", keys[0]]}),
        ("resident", headers, {"keys": keys, "fields": ["name"]}),
        ("resident", headers, {"keys": keys, "fields": ["address_id"]}),  # not granted
        ("resident", headers, {"keys": ["x"] * 1001}),
        ("resident", headers, {"keys": "not a list"}),
        ("resident", headers, [1, 2]),
        ("resident", {**headers, "X-Purpose": "marketing"}, {"keys": keys}),
        ("resident", {"X-Purpose": "verification"}, {"keys": keys}),
        ("vehicle", headers, {"keys": keys}),
        ("no_such_dataset", headers, {"keys": keys}),
    ]
    with httpx.Client(base_url=base) as client, TestClient(route_only) as routed:
        for dataset, sent, body in bodies:
            fast = client.post(LOOKUP.format(dataset), headers=sent, json=body)
            assert _comparable(fast) == _comparable(
                routed.post(LOOKUP.format(dataset), headers=sent, json=body)), (dataset, body)
            assert fast.headers["x-request-id"] and fast.headers["date"]
    assert taken == ["protocol"] * len(bodies)  # one keep-alive connection throughout
    served_twice = [keys[2], keys[0]] * 2 + keys * 2  # by the server, then by the route
    assert [r["record_key"] for r in audit_rows(api_db, key_id)] == served_twice


def test_what_the_protocol_does_not_take_goes_through_asgi(
        served: tuple[str, list[str]], people: Any) -> None:
    base, taken = served
    residents, _, headers = people
    body = json.dumps({"keys": [residents[0]["rrn"]]}).encode()
    chunked = _request(LOOKUP.format("resident"), headers, b"").replace(
        b"Content-Length: 0", b"Transfer-Encoding: chunked") \
        + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    for raw in (
        chunked,
        _request(LOOKUP.format("resident") + "?x=1", headers, body),
        _request(LOOKUP.format("resident"), headers, body, version="1.0"),
    ):
        ((status, _, answer),) = _responses(_raw(base, raw))
        assert status == 200 and json.loads(answer)["records"][0]["data"]["name"] \
            == residents[0]["name"]
    assert taken == ["asgi"] * 3
    # Expect: 100-continue is answered by uvicorn first, then the lookup by ASGI.
    answer = _raw(base, _request(LOOKUP.format("resident"), headers, body,
                                 extra="Expect: 100-continue\r\n"))
    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK")
    # A declared body over the limit is refused before it is read, as before.
    too_big = _request(LOOKUP.format("resident"), headers, b"").replace(
        b"Content-Length: 0", b"Content-Length: 99999999")
    ((status, _, answer),) = _responses(_raw(base, too_big))
    assert status == 413 and json.loads(answer)["type"].endswith("/payload-too-large")
    assert taken == ["asgi"] * 5


def test_pipelined_requests_are_answered_in_order(served: tuple[str, list[str]],
                                                  people: Any) -> None:
    base, taken = served
    residents, _, headers = people
    lookups = [_request(LOOKUP.format("resident"), headers,
                        json.dumps({"keys": [p["rrn"]]}).encode()) for p in residents]
    health = b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"
    answers = _responses(_raw(base, lookups[0] + health + lookups[1] + lookups[2]))
    assert [status for status, _, _ in answers] == [200] * 4
    names = [json.loads(body)["records"][0]["data"]["name"]
             for i, (_, _, body) in enumerate(answers) if i != 1]
    assert names == [p["name"] for p in residents]
    assert json.loads(answers[1][2])["status"] == "ok"
    # The first came while nothing was pending; the ones queued behind it went through
    # uvicorn's own pipeline.
    assert taken[0] == "protocol" and len(taken) == 3


def test_connection_close_and_a_large_body(served: tuple[str, list[str]], people: Any) -> None:
    base, taken = served
    residents, _, headers = people
    answer = _raw(base, _request(LOOKUP.format("resident"), headers,
                                 json.dumps({"keys": [residents[0]["rrn"]]}).encode(),
                                 extra="Connection: close\r\n"))
    ((status, response_headers, _),) = _responses(answer)  # and then the server closed
    assert status == 200 and response_headers["connection"] == "close"
    # Over uvicorn's 64 KiB read buffer, within the body limit: reading resumes.
    keys = [p["rrn"] for p in residents] + ["9" * 120] * 997
    body = json.dumps({"keys": keys}).encode()
    assert len(body) > 100_000
    ((status, _, answer),) = _responses(_raw(base, _request(LOOKUP.format("resident"),
                                                            headers, body)))
    assert status == 200 and len(json.loads(answer)["records"]) == 3
    assert taken == ["protocol", "protocol"]


def test_a_client_that_goes_away_mid_lookup_leaves_the_server_serving(
        served: tuple[str, list[str]], people: Any, api_db: Engine) -> None:
    base, _ = served
    residents, key_id, headers = people
    host, port = base.removeprefix("http://").split(":")
    request = _request(LOOKUP.format("resident"), headers,
                       json.dumps({"keys": [residents[0]["rrn"]]}).encode())
    for _ in range(20):
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(request)  # and close at once, before the answer
    response = httpx.post(base + LOOKUP.format("resident"), headers=headers,
                          json={"keys": [residents[1]["rrn"]]})
    assert response.status_code == 200
    assert response.json()["records"][0]["data"]["name"] == residents[1]["name"]
    # A lookup read before its client went is logged, answered or not. (Not in order:
    # the abandoned lookups may commit on the other reader lane after the last one.)
    rows = [r["record_key"] for r in audit_rows(api_db, key_id)]
    assert rows.count(residents[1]["rrn"]) == 1
    assert set(rows) <= {residents[0]["rrn"], residents[1]["rrn"]}
