"""Key lookups of concurrent requests are read together, and each gets its own answer."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import asyncpg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.key_reader import SERVER_SETTINGS, KeyReader
from api.records_service import _Queries
from entities.registry import get_dataset
from tests.api.conftest import audit_rows, new_key, store
from tests.api.test_audit_writer import terminate_backends
from tests.factories import make

pytestmark = pytest.mark.db

LOOKUP = "/v1/datasets/{}/records:lookup"


async def _with_reader(url: str, lanes: int, work: Any,
                       name: str = "mdr-test-lookup") -> KeyReader:
    reader = KeyReader(partial(asyncpg.connect, url, server_settings={
        **SERVER_SETTINGS, "application_name": name}), lanes)
    try:
        await work(reader)
    finally:
        await reader.stop()
    return reader


def test_concurrent_requests_are_read_in_few_statements(api_url: str, api_db: Engine) -> None:
    residents = [make("resident") for _ in range(30)]
    vehicles = [make("vehicle") for _ in range(5)]
    store(api_db, "resident", residents)
    store(api_db, "vehicle", vehicles)
    people, cars = _Queries(get_dataset("resident")), _Queries(get_dataset("vehicle"))
    answers: list[tuple[list[str], dict[str, Any]]] = []

    async def burst(reader: KeyReader) -> None:
        asked = [([r["rrn"], "9001011234568"], people) for r in residents] \
            + [([v[get_dataset("vehicle").key]], cars) for v in vehicles]
        found = await asyncio.gather(*(reader.read(q.current, q.key_position, keys)
                                       for keys, q in asked))
        answers.extend((keys, rows) for (keys, _), rows in zip(asked, found, strict=True))

    reader = asyncio.run(_with_reader(api_url, 2, burst))
    assert reader.statements < len(answers)  # requests waiting together shared statements
    for keys, rows in answers:
        assert keys[0] in rows and rows[keys[0]][0] == keys[0]
        assert "9001011234568" not in rows


def test_a_failing_statement_fails_only_its_requests(api_url: str, api_db: Engine) -> None:
    person = make("resident")
    store(api_db, "resident", [person])
    q = _Queries(get_dataset("resident"))

    async def work(reader: KeyReader) -> None:
        bad = reader.read("SELECT no_such_column FROM resident WHERE rrn = ANY($1::text[])",
                          0, [person["rrn"]])
        good = reader.read(q.current, q.key_position, [person["rrn"]])
        done = await asyncio.gather(bad, good, return_exceptions=True)
        assert isinstance(done[0], asyncpg.UndefinedColumnError)
        assert isinstance(done[1], dict) and person["rrn"] in done[1]
        again = await reader.read(q.current, q.key_position, [person["rrn"]])  # lane is back
        assert person["rrn"] in again

    asyncio.run(_with_reader(api_url, 1, work))


def test_a_connection_lost_mid_read_fails_that_read_and_the_next_gets_a_new_one(
        api_url: str, api_db: Engine) -> None:
    person = make("resident")
    store(api_db, "resident", [person])
    q = _Queries(get_dataset("resident"))
    name = f"reader-{uuid.uuid4().hex[:12]}"
    slow = "SELECT k FROM unnest($1::text[]) AS k, pg_sleep(2)"

    async def work(reader: KeyReader) -> None:
        reading = reader.read(slow, 0, [person["rrn"]])
        await asyncio.sleep(0.3)  # the statement is running
        await terminate_backends(api_url, name)
        with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError,
                            asyncpg.InternalClientError, OSError)):
            await reading
        assert person["rrn"] in await reader.read(q.current, q.key_position, [person["rrn"]])

    asyncio.run(_with_reader(api_url, 1, work, name))


def test_lookup_connections_plan_once(api_url: str) -> None:
    async def work(reader: KeyReader) -> None:
        conn = await reader._lanes.all[0].get()
        assert await conn.fetchval("SHOW plan_cache_mode") == "force_generic_plan"

    asyncio.run(_with_reader(api_url, 1, work))


def test_concurrent_lookups_with_different_grants_get_only_their_fields(
        api: TestClient, api_db: Engine) -> None:
    people = [make("resident") for _ in range(40)]
    store(api_db, "resident", people)
    narrow_id, narrow = new_key(api_db, ["resident:name"])
    wide_id, wide = new_key(api_db, ["resident"])

    def ask(i: int) -> tuple[int, Any]:
        headers = narrow if i % 2 else wide
        keys = [people[i]["rrn"], people[(i + 1) % 40]["rrn"]]
        return i, api.post(LOOKUP.format("resident"), headers=headers, json={"keys": keys})

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(ask, range(40)))
    for i, response in answers:
        assert response.status_code == 200
        records = response.json()["records"]
        assert [r["data"]["name"] for r in records] == [people[i]["name"],
                                                        people[(i + 1) % 40]["name"]]
        assert all(("key" in r) is (i % 2 == 0) for r in records)  # rrn is not in narrow
        for record in records:
            assert set(record["data"]) == ({"name"} if i % 2 else
                                           set(get_dataset("resident").field_names))
    assert len(audit_rows(api_db, narrow_id)) == len(audit_rows(api_db, wide_id)) == 40
