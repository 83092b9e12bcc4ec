"""Key lookups of concurrent requests are read together, and each gets its own answer."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.key_reader import SERVER_SETTINGS, KeyReader
from api.problems import DATABASE_LOST, unexpected_response
from api.records_service import _Queries
from entities.registry import get_dataset
from mdr.access.audit import AuditEntry, verify_chain
from mdr.db.engine import Database
from mdr.db.held_connection import ConnectionLost
from tests.api.conftest import CHAIN_KEY, api_settings, audit_rows, new_key, store
from tests.api.test_audit_writer import entry, rows_of, terminate_backends
from tests.factories import make

pytestmark = pytest.mark.db

LOOKUP = "/v1/datasets/{}/records:lookup"


async def _with_reader(url: str, lanes: int, work: Any, name: str = "mdr-test-lookup", *,
                       logs_access: bool = False) -> KeyReader:
    reader = KeyReader(partial(asyncpg.connect, url, server_settings={
        **SERVER_SETTINGS, "application_name": name}), lanes, logs_access=logs_access,
        chain_key=CHAIN_KEY if logs_access else None)
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
        with pytest.raises(DATABASE_LOST):  # a 503 for the request, not a 500
            await reading
        assert person["rrn"] in await reader.read(q.current, q.key_position, [person["rrn"]])

    asyncio.run(_with_reader(api_url, 1, work, name))


class _BrokenMidProtocol:
    """A connection whose statement fails the way asyncpg reports some backend kills."""

    def is_closed(self) -> bool:
        return False

    def terminate(self) -> None:
        pass

    async def fetch(self, *_args: Any) -> Any:
        raise asyncpg.InternalClientError("cannot switch to state 12; another operation "
                                          "(2) is in progress")


def test_a_lane_broken_mid_protocol_answers_503_not_500() -> None:
    async def connect() -> Any:
        return _BrokenMidProtocol()

    async def work() -> BaseException:
        reader = KeyReader(connect, 1)
        try:
            await reader.read("SELECT 1", 0, ["k"])
        except Exception as exc:
            return exc
        raise AssertionError("the read should have failed")

    failure = asyncio.run(work())
    assert isinstance(failure, ConnectionLost)
    assert isinstance(failure.__cause__, asyncpg.InternalClientError)
    answer = unexpected_response(failure, LOOKUP.format("resident"))
    assert answer.status_code == 503 and answer.headers["retry-after"] == "5"


def test_lookup_connections_plan_once(api_url: str) -> None:
    async def work(reader: KeyReader) -> None:
        conn = await reader._lanes.all[0].connection.get()
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


# -- reads that commit their access-log rows -----------------------------------------------
# Stand-ins for a dataset's statements: keys starting with "live" are in the current
# table, keys starting with "later" only among the versions its misses are read from.
CURRENT = "SELECT k FROM unnest($1::text[]) AS k WHERE k LIKE 'live%'"
MISSES = "SELECT k FROM unnest($1::text[]) AS k WHERE k LIKE 'later%'"


def _entries(request_id: str, keys: list[str]) -> list[AuditEntry]:
    return [entry(request_id)._replace(record_key=key) for key in keys]


def _logged(url: str, work: Any) -> KeyReader:
    return asyncio.run(_with_reader(url, 1, work, "mdr-test-logged-lookup", logs_access=True))


def _assert_one_chain(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """The rows follow each other in the lane's own chain, and every chain verifies."""
    assert len({r["chain_id"] for r in rows}) == 1
    assert [r["prev_hash"] for r in rows[1:]] == [r["row_hash"] for r in rows[:-1]]
    with engine.connect() as conn:
        assert verify_chain(conn, CHAIN_KEY)["ok"]


def test_reads_of_found_keys_commit_their_access_log_rows_in_the_same_statement(
        api_url: str, api_db: Engine) -> None:
    prefix = uuid.uuid4().hex
    asked = {f"{prefix}-{i}": [f"live-{prefix}-{i}", f"live-{prefix}-{i % 3}"] for i in range(12)}

    async def burst(reader: KeyReader) -> None:
        found = await asyncio.gather(*(
            reader.read(CURRENT, 0, list(dict.fromkeys(keys)), MISSES,
                        log=_entries(request_id, keys))
            for request_id, keys in asked.items()))
        for keys, rows in zip(asked.values(), found, strict=True):
            assert set(keys) <= set(rows)

    reader = _logged(api_url, burst)
    rows = rows_of(api_db, prefix)
    # One row per record served, a key asked twice by a request included.
    assert sorted((r["request_id"], r["record_key"]) for r in rows) == sorted(
        (request_id, key) for request_id, keys in asked.items() for key in keys)
    assert reader.rows_logged == 24 and reader.statements < 12  # requests shared statements
    _assert_one_chain(api_db, rows)


def test_a_read_that_misses_keys_logs_only_the_records_it_serves(
        api_url: str, api_db: Engine) -> None:
    prefix = uuid.uuid4().hex
    live, later, absent = f"live-{prefix}", f"later-{prefix}", f"absent-{prefix}"

    async def work(reader: KeyReader) -> None:
        # Keys the first statement misses are read again; keys found nowhere are not logged.
        rows = await reader.read(CURRENT, 0, [live, later, absent], MISSES,
                                 log=_entries(f"{prefix}-1", [live, later, absent]))
        assert set(rows) == {live, later}
        rows = await reader.read(CURRENT, 0, [absent], MISSES,
                                 log=_entries(f"{prefix}-2", [absent]))
        assert rows == {}
        await reader.read(CURRENT, 0, [live], MISSES, log=_entries(f"{prefix}-3", [live]))

    reader = _logged(api_url, work)
    rows = rows_of(api_db, prefix)
    assert [(r["request_id"], r["record_key"]) for r in rows] == [
        (f"{prefix}-1", live), (f"{prefix}-1", later), (f"{prefix}-3", live)]
    assert reader.rows_logged == 3
    _assert_one_chain(api_db, rows)


def test_a_failed_logged_read_refuses_its_requests_and_the_lane_goes_on_in_a_new_chain(
        api_url: str, api_db: Engine) -> None:
    prefix = uuid.uuid4().hex
    key = f"live-{prefix}"

    async def work(reader: KeyReader) -> None:
        await reader.read(CURRENT, 0, [key], log=_entries(f"{prefix}-before", [key]))
        with pytest.raises(asyncpg.PostgresError):  # PostgreSQL refuses a NUL in text
            await reader.read(CURRENT, 0, [key], log=_entries(f"{prefix}-bad\x00", [key]))
        await reader.read(CURRENT, 0, [key], log=_entries(f"{prefix}-after", [key]))

    _logged(api_url, work)
    rows = rows_of(api_db, prefix)
    assert [r["request_id"] for r in rows] == [f"{prefix}-before", f"{prefix}-after"]
    assert rows[0]["chain_id"] != rows[1]["chain_id"] and rows[1]["prev_hash"] == "0" * 64
    with api_db.connect() as conn:
        assert verify_chain(conn, CHAIN_KEY)["ok"]


def test_a_reader_on_a_replica_does_not_write_the_access_log(api_url: str) -> None:
    async def work(reader: KeyReader) -> None:
        with pytest.raises(ValueError, match="access log"):
            reader.read(CURRENT, 0, ["live"], log=_entries("x", ["live"]))

    asyncio.run(_with_reader(api_url, 1, work))


def test_with_read_replicas_lookups_are_logged_apart_from_the_read(
        api_db: Engine, api_url: str, tmp_path: Path) -> None:
    people = [make("resident") for _ in range(3)]
    store(api_db, "resident", people)
    key_id, headers = new_key(api_db, ["resident"])
    app = create_app(api_settings(tmp_path), Database(api_url, embedded=False,
                                                      replica_urls=[api_url]))
    with TestClient(app) as client:
        response = client.post(LOOKUP.format("resident"), headers=headers,
                               json={"keys": [p["rrn"] for p in people]})
        assert response.status_code == 200 and len(response.json()["records"]) == 3
        reads = app.state.reads
        assert reads.replicas[0].reads == 1 and reads.primary.reads == 0
        assert reads.replicas[0].reader.logs_access is False
        assert app.state.audit.rows_written == 3
    assert [r["record_key"] for r in audit_rows(api_db, key_id)] == [p["rrn"] for p in people]


def test_lookups_on_the_primary_are_logged_by_their_read_when_the_key_names_the_subject(
        api: TestClient, api_db: Engine) -> None:
    people, cars = [make("resident") for _ in range(3)], [make("vehicle") for _ in range(2)]
    store(api_db, "resident", people)
    store(api_db, "vehicle", cars)
    key_id, headers = new_key(api_db, ["resident", "vehicle"])
    vin = get_dataset("vehicle").key
    records = api.app.state.records  # type: ignore[attr-defined]
    assert api.post(LOOKUP.format("resident"), headers=headers,
                    json={"keys": [p["rrn"] for p in people]}).status_code == 200
    reader = records.reads.primary.reader
    assert (reader.rows_logged, records.audit.rows_written) == (3, 0)
    # A vehicle's subjects are its owner, read with the record: logged after the read.
    assert api.post(LOOKUP.format("vehicle"), headers=headers,
                    json={"keys": [c[vin] for c in cars]}).status_code == 200
    assert (reader.rows_logged, records.audit.rows_written) == (3, 2)
    rows = audit_rows(api_db, key_id)
    assert [r["record_key"] for r in rows] == [p["rrn"] for p in people] + [c[vin] for c in cars]
    hasher = records.hash_identifier
    assert [r["subject_hashes"] for r in rows[:3]] == [[hasher(p["rrn"])] for p in people]
