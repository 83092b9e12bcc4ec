"""Reads over real streaming standbys: key checks on the primary, dead, hung and lagging
standbys dropped, every healthy standby carrying reads, and what /readyz and
``mdr status`` say of each."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import psycopg2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from api.app import create_app
from api.records_service import PRINCIPAL_TTL_SECONDS
from api.replicas import ReadPools
from mdr.access.keys import revoke_key
from mdr.cli.main import app as cli_app
from mdr.db.engine import Database, describe_url, session_factory, unit_of_work
from mdr.settings import get_settings
from tests.api.conftest import api_settings, new_key, store
from tests.factories import make
from tests.replication.cluster import Cluster, Server, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.db]

LOOKUP = "/v1/datasets/resident/records:lookup"
SEARCH = "/v1/datasets/resident/records:search"
#: Reads on a frozen standby must be answered (by the primary) within this.
HUNG_ANSWER_SECONDS = 8.0


#: In the replicas' URLs (the servers trust local connections): never to be shown.
PASSWORD = "replica-secret-pw"


@contextmanager
def serving(cluster: Cluster, standbys: list[Server], tmp_path: Path,
            **settings: Any) -> Iterator[TestClient]:
    """The API on the cluster's primary, reading from ``standbys``."""
    app = create_app(api_settings(tmp_path, **settings), Database(
        cluster.primary.url(), embedded=False,
        replica_urls=[s.url(password=PASSWORD) for s in standbys]))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def reads_of(client: TestClient) -> ReadPools:
    reads: ReadPools = client.app.state.reads  # type: ignore[attr-defined]
    return reads


def residents(engine: Engine, count: int = 20) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(text(
            "SELECT rrn, name, birth_date FROM resident ORDER BY rrn LIMIT :n"),
            {"n": count}).mappings()]


def lookup(client: TestClient, headers: dict[str, str], keys: list[str]) -> httpx.Response:
    return client.post(LOOKUP, headers=headers, json={"keys": keys})


def search(client: TestClient, headers: dict[str, str], person: dict[str, Any]
           ) -> httpx.Response:
    return client.post(SEARCH, headers=headers, json={
        "type": "name_birth_date",
        "params": {"name": person["name"], "birth_date": person["birth_date"].isoformat()}})


def replica_states(client: TestClient) -> dict[str, str]:
    body = client.get("/readyz").json()
    return {r["url"]: r["state"] for r in body["read_replicas"]}


def checked_state(client: TestClient, standby: Server) -> str:
    """The state /readyz reports for ``standby``."""
    return replica_states(client)[describe(standby)]


def describe(server: Server) -> str:
    return describe_url(server.url())


def status_json(cluster: Cluster, standbys: list[Server], monkeypatch: pytest.MonkeyPatch,
                tmp_path: Path, **env: str) -> dict[str, Any]:
    """``mdr status --json`` on the cluster."""
    monkeypatch.setenv("MDR_DATABASE_URL", cluster.primary.url())
    monkeypatch.setenv("MDR_READ_REPLICA_URLS",
                       ",".join(s.url(password=PASSWORD) for s in standbys))
    monkeypatch.setenv("MDR_DATA_DIR", str(tmp_path / "cli"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, ["status", "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {r["url"]: r["state"] for r in report["read_replicas"]}


def standby_connections(standby: Server, application: str) -> int:
    return int(standby.scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", application))


def store_unreplayed(cluster: Cluster, standby: Server, engine: Engine,
                     record: dict[str, Any]) -> None:
    """Store ``record`` on the primary and wait until ``standby`` (replay paused) has
    received it. Its commit must not end at a page boundary, which it does by chance
    about once in 1,000 times; the standby would then pass for caught up (LAG_SQL in
    mdr.db.replicas): another commit follows then."""
    records = [record]
    for _ in range(3):
        store(engine, "resident", records)
        flushed = cluster.primary.scalar("SELECT pg_current_wal_flush_lsn()::text")
        wait_for(partial(standby.scalar, "SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn",
                         flushed), 15, "the standby to receive the commit")
        if not standby.scalar("SELECT mod(pg_last_wal_receive_lsn() - '0/0'::pg_lsn, 8192) = 0"):
            return
        records = [make("resident")]
    raise AssertionError("every commit ended at a page boundary")


def test_key_checks_read_the_primary_while_the_standby_replays_nothing(
        cluster: Cluster, standbys: list[Server], primary_engine: Engine,
        tmp_path: Path) -> None:
    people = [p["rrn"] for p in residents(primary_engine, 3)]
    old_id, old_headers = new_key(primary_engine, ["resident"])
    cluster.wait_replayed()
    standby = standbys[0]
    # A generous timeout: this test is about lag, not about hung replicas.
    with serving(cluster, [standby], tmp_path, read_replica_timeout_seconds=10) as client:
        replica = reads_of(client).replicas[0]
        assert lookup(client, old_headers, people).status_code == 200  # its principal cached
        standby.scalar("SELECT pg_wal_replay_pause()")
        wait_for(lambda: standby.scalar("SELECT pg_get_wal_replay_pause_state()") == "paused",
                 10, "the standby's replay to pause")
        new_id, new_headers = new_key(primary_engine, ["resident"])
        with unit_of_work(session_factory(primary_engine)) as session:
            revoke_key(session, old_id)
        revoked_at = time.monotonic()

        # A key made during the pause works at once; its records still come from the
        # standby, which is within the lag bound.
        served_before = replica.reads
        fresh = lookup(client, new_headers, people)
        assert fresh.status_code == 200 and len(fresh.json()["records"]) == 3
        assert replica.reads == served_before + 1
        # The revoked key is refused once its cached principal is older than the TTL: no
        # request started later than that after the revocation is served.
        deadline = revoked_at + PRINCIPAL_TTL_SECONDS + 5
        while True:
            started = time.monotonic()
            status = lookup(client, old_headers, people).status_code
            if status == 401:
                break
            assert status == 200 and started - revoked_at <= PRINCIPAL_TTL_SECONDS
            assert time.monotonic() < deadline, "the revoked key is still served"
            time.sleep(0.1)  # polling
        # The standby has seen neither the new key nor the revocation all along.
        assert standby.scalar("SELECT count(*) FROM api_key WHERE key_id = %s", new_id) == 0
        assert standby.scalar("SELECT revoked_at IS NULL FROM api_key WHERE key_id = %s",
                              old_id) is True
        assert standby.scalar("SELECT pg_is_wal_replay_paused()") is True
        assert checked_state(client, standby) == "healthy"


@pytest.mark.parametrize("route", ["lookup", "search", "catalogue"])
def test_a_standby_that_dies_under_a_read_is_dropped_and_the_read_retried_on_the_primary(
        route: str, cluster: Cluster, standbys: list[Server], primary_engine: Engine,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    person = residents(primary_engine, 1)[0]
    _, headers = new_key(primary_engine, ["resident"])
    cluster.wait_replayed()
    standby = standbys[0]
    reads: dict[str, Any] = {
        "lookup": lambda c: lookup(c, headers, [person["rrn"]]),
        "search": lambda c: search(c, headers, person),
        "catalogue": lambda c: c.get("/v1/datasets"),
    }
    # Checked only at start-up: the first read after the stop meets the dead standby.
    with serving(cluster, [standby], tmp_path, read_replica_check_seconds=3600) as client:
        replica = reads_of(client).replicas[0]
        assert reads[route](client).status_code == 200
        application = {"lookup": "mdr-api-lookup", "search": "mdr-api",
                       "catalogue": "mdr-api"}[route]
        assert standby_connections(standby, application) >= 1  # the standby served it
        assert reads_of(client).primary.reads == 0
        standby.stop()
        response = reads[route](client)
        assert response.status_code == 200, response.text
        if route != "catalogue":  # counted by the asyncpg reads; the catalogue's is sync
            assert replica.failovers == 1
            assert reads_of(client).primary.reads == 1
        if route == "lookup":
            assert len(response.json()["records"]) == 1
        # The failed read had the standby checked at once.
        wait_for(lambda: checked_state(client, standby) == "down", 10,
                 "the dead standby to be reported down")
        body = client.get("/readyz").json()
        assert body["status"] == "ready" and body["reads_go_to"] == "primary"
        assert "reads go to the primary" in body["detail"]
        for _ in range(3):
            assert reads[route](client).status_code == 200
        assert replica.failovers == (0 if route == "catalogue" else 1)
    report = status_json(cluster, [standby, standbys[1]], monkeypatch, tmp_path)
    assert statuses(report) == {describe(standby): "down", describe(standbys[1]): "healthy"}
    down = report["read_replicas"][0]
    assert down["lag_seconds"] is None and down["checked_at"] and down["detail"]


def test_a_hung_standby_holds_no_request(
        cluster: Cluster, standbys: list[Server], primary_engine: Engine,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    people = residents(primary_engine, 3)
    _, headers = new_key(primary_engine, ["resident"])
    cluster.wait_replayed()
    standby = standbys[0]
    with serving(cluster, [standby], tmp_path) as client:
        reads = reads_of(client)
        replica = reads.replicas[0]
        calls = [lambda: lookup(client, headers, [p["rrn"] for p in people]),
                 lambda: search(client, headers, people[0]),
                 lambda: client.get("/v1/datasets")]
        assert all(call().status_code == 200 for call in calls)
        assert replica.reads == 2 and reads.primary.reads == 0
        standby.freeze()
        try:
            began = time.monotonic()
            # Right after the freeze the standby is still believed healthy: these reads go
            # to it and wait, until the health check finds it hung and breaks them off.
            with ThreadPoolExecutor(len(calls)) as pool:
                timed = list(pool.map(lambda call: (call(), time.monotonic() - began), calls))
            for response, seconds in timed:
                assert response.status_code == 200, response.text
                assert seconds < HUNG_ANSWER_SECONDS
            assert replica.failovers == 2  # the lookup and the search; the catalogue's is sync
            assert checked_state(client, standby) == "hung"
            body = client.get("/readyz").json()
            assert body["status"] == "ready" and body["reads_go_to"] == "primary"
            # While it stays hung, reads do not go near it.
            began = time.monotonic()
            assert all(call().status_code == 200 for call in calls)
            assert time.monotonic() - began < 2.0
            report = status_json(cluster, [standby], monkeypatch, tmp_path)
            assert statuses(report) == {describe(standby): "hung"}
        finally:
            standby.cont()
        # Checked again (with backoff) and taken back into use.
        wait_for(lambda: checked_state(client, standby) == "healthy", 45,
                 "the continued standby to be healthy again", interval=0.2)
        served = replica.reads
        assert calls[0]().status_code == 200
        assert replica.reads == served + 1


def test_a_standby_beyond_the_lag_bound_is_skipped_and_one_caught_up_is_not(
        cluster: Cluster, standbys: list[Server], primary_engine: Engine,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, headers = new_key(primary_engine, ["resident"])
    cluster.wait_replayed()
    standby = standbys[0]
    with serving(cluster, [standby], tmp_path, read_replica_max_lag_seconds=1,
                 read_replica_timeout_seconds=10) as client:
        reads = reads_of(client)
        replica = reads.replicas[0]
        # Caught up: lag 0, however long ago the primary last committed.
        wait_for(lambda: standby.scalar(
            "SELECT now() - pg_last_xact_replay_timestamp() > interval '1.5 seconds'"),
            15, "the last replayed commit to be older than the bound", interval=0.1)
        idle_since = dt.datetime.now(dt.UTC)

        def caught_up() -> bool:
            body = client.get("/readyz").json()["read_replicas"][0]
            return dt.datetime.fromisoformat(body["checked_at"]) > idle_since \
                and (body["state"], body["lag_seconds"]) == ("healthy", 0)

        wait_for(caught_up, 10, "a check finding the idle standby caught up", interval=0.1)

        standby.scalar("SELECT pg_wal_replay_pause()")
        newcomer = make("resident")
        store_unreplayed(cluster, standby, primary_engine, newcomer)
        wait_for(lambda: checked_state(client, standby) == "lagging", 15,
                 "the paused standby to be reported lagging", interval=0.1)
        lagging = client.get("/readyz").json()["read_replicas"][0]
        assert lagging["lag_seconds"] > 1
        served = replica.reads
        found = lookup(client, headers, [newcomer["rrn"]])
        assert found.status_code == 200 and len(found.json()["records"]) == 1
        assert replica.reads == served  # the primary answered: the standby has not the record
        assert standby.scalar("SELECT count(*) FROM resident WHERE rrn = %s",
                              newcomer["rrn"]) == 0
        report = status_json(cluster, [standby], monkeypatch, tmp_path,
                             MDR_READ_REPLICA_MAX_LAG_SECONDS="1")
        assert statuses(report) == {describe(standby): "lagging"}

        standby.scalar("SELECT pg_wal_replay_resume()")
        wait_for(lambda: checked_state(client, standby) == "healthy", 15,
                 "the resumed standby to be healthy again", interval=0.1)
        assert lookup(client, headers, [newcomer["rrn"]]).status_code == 200
        assert replica.reads == served + 1


def test_a_transaction_open_on_the_primary_does_not_make_a_standby_lag(
        cluster: Cluster, standbys: list[Server], primary_engine: Engine,
        tmp_path: Path) -> None:
    """A long write (a sync's COPY, say) that has not committed: the primary flushes its
    WAL in whole pages, the standby replays all but the record across the last page
    boundary, and no commit is missing however old the last one is."""
    standby = standbys[0]
    cluster.primary.scalar("CREATE TABLE IF NOT EXISTS wal_filler (n int, filler text)",
                           database="postgres")
    writer = psycopg2.connect(cluster.primary.dsn("postgres"))

    def write_across_a_page() -> bool:
        """More uncommitted WAL; whether the standby now has received up to a page
        boundary inside a record (not so when a record ends right at the boundary)."""
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO wal_filler SELECT g, repeat('x', 100) "
                           "FROM generate_series(1, 100) g")  # pages of WAL
        # The WAL writer flushes the whole pages within its delay (200 ms).
        wait_for(lambda: standby.scalar(
            "SELECT pg_last_wal_receive_lsn() + 8192 > %s::pg_lsn",
            cluster.primary.scalar("SELECT pg_current_wal_insert_lsn()::text")),
            10, "the standby to receive the full pages")
        return bool(standby.scalar(
            "SELECT mod(pg_last_wal_receive_lsn() - '0/0'::pg_lsn, 8192) = 0 "
            "AND pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()"))

    try:
        assert any(write_across_a_page() for _ in range(5))
        with serving(cluster, [standby], tmp_path, read_replica_max_lag_seconds=1,
                     read_replica_timeout_seconds=10) as client:
            # Older than the bound: by the age of the last commit replayed, lagging.
            wait_for(lambda: standby.scalar(
                "SELECT now() - pg_last_xact_replay_timestamp() > interval '1.5 seconds'"),
                15, "the last replayed commit to be older than the bound", interval=0.1)
            since = dt.datetime.now(dt.UTC)

            def checked_healthy() -> bool:
                body = client.get("/readyz").json()["read_replicas"][0]
                return dt.datetime.fromisoformat(body["checked_at"]) > since \
                    and (body["state"], body["lag_seconds"]) == ("healthy", 0)

            wait_for(checked_healthy, 10, "a check finding the standby caught up",
                     interval=0.1)
    finally:
        writer.rollback()
        writer.close()


def test_every_healthy_standby_carries_reads(
        cluster: Cluster, standbys: list[Server], primary_engine: Engine,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    people = residents(primary_engine, 20)
    key_id, headers = new_key(primary_engine, ["resident"])
    cluster.wait_replayed()
    with serving(cluster, standbys, tmp_path, read_replica_timeout_seconds=10) as client:
        reads = reads_of(client)
        served = 0
        for person in people:
            response = lookup(client, headers, [person["rrn"]])
            assert response.status_code == 200 and len(response.json()["records"]) == 1
            served += 1
        assert [t.reads for t in reads.replicas] == [10, 10]  # in turn
        for person in people:
            response = search(client, headers, person)
            assert response.status_code == 200 and response.json()["records"]
            served += len(response.json()["records"])
            assert client.get("/v1/datasets").status_code == 200
        assert [t.reads for t in reads.replicas] == [20, 20]
        assert reads.primary.reads == 0
        for standby in standbys:  # each standby's connections of each kind served reads
            assert standby_connections(standby, "mdr-api-lookup") >= 1
            assert standby_connections(standby, "mdr-api") >= 2  # asyncpg's and the sync pool
        readyz = client.get("/readyz")
        assert PASSWORD not in readyz.text
        body = readyz.json()
        assert body["reads_go_to"] == "replicas" and "detail" not in body
        assert [r["state"] for r in body["read_replicas"]] == ["healthy", "healthy"]
        assert client.app.state.audit.rows_written == served  # type: ignore[attr-defined]
    with primary_engine.connect() as conn:
        logged = conn.execute(text("SELECT count(*) FROM access_log WHERE key_id = :k"),
                              {"k": key_id}).scalar()
    assert logged == served  # every record served is logged, on the primary
    report = status_json(cluster, standbys, monkeypatch, tmp_path)
    assert set(statuses(report).values()) == {"healthy"} and len(report["read_replicas"]) == 2
    assert all(r["lag_seconds"] is not None and r["checked_at"] for r in report["read_replicas"])


def test_with_the_primary_down_reads_are_refused_even_from_a_healthy_standby(
        cluster: Cluster, standbys: list[Server], primary_engine: Engine,
        tmp_path: Path) -> None:
    people = [p["rrn"] for p in residents(primary_engine, 2)]
    key_id, headers = new_key(primary_engine, ["resident"])
    cluster.wait_replayed()
    with serving(cluster, standbys[:1], tmp_path, read_replica_timeout_seconds=10) as client:
        assert lookup(client, headers, people).status_code == 200  # its principal cached
        primary_engine.dispose()
        cluster.primary.stop()
        # The standby answers the read, but the access log cannot be written: no record.
        response = lookup(client, headers, people)
        assert response.status_code == 503
        assert people[0] not in response.text
        assert client.get("/readyz").status_code == 503
    cluster.heal()
    with primary_engine.connect() as conn:
        logged = conn.execute(text("SELECT count(*) FROM access_log WHERE key_id = :k"),
                              {"k": key_id}).scalar()
    assert logged == 2  # the first lookup's records only
