"""The access-log writer: group commit across concurrent requests, one chain per lane."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from functools import partial
from typing import Any

import asyncpg
import pytest
from sqlalchemy import Engine, text

from api.problems import DATABASE_LOST
from mdr.access.audit import AuditEntry, AuditWriter, verify_chain
from tests.api.conftest import CHAIN_KEY


def entry(request_id: str, n: int = 0) -> AuditEntry:
    return AuditEntry(dt.datetime.now(dt.UTC), "TEST-AGENCY", "k-writer", "resident",
                      f"key-{n}", f"hash-{n}", ("s1", "s2") if n % 2 else (),
                      ("name", "birth_date"), "verification", request_id, "/test")


async def _with_writer(url: str, lanes: int, work: Any, name: str = "mdr-test") -> AuditWriter:
    writer = AuditWriter(partial(asyncpg.connect, url,
                                 server_settings={"application_name": name}), lanes,
                         chain_key=CHAIN_KEY)
    writer.start()
    try:
        await work(writer)
    finally:
        await writer.stop()
    return writer


def rows_of(engine: Engine, request_prefix: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(
            "SELECT * FROM access_log WHERE request_id LIKE :p ORDER BY audit_id"),
            {"p": request_prefix + "%"}).mappings()]


def test_concurrent_requests_share_commits_across_parallel_chains(api_url: str,
                                                                  api_db: Engine) -> None:
    prefix = uuid.uuid4().hex

    async def burst(writer: AuditWriter) -> None:
        await asyncio.gather(*(writer.record([entry(f"{prefix}-{i}", i), entry(f"{prefix}-{i}")])
                               for i in range(200)))

    writer = asyncio.run(_with_writer(api_url, 3, burst))
    rows = rows_of(api_db, prefix)
    assert len(rows) == 400 == writer.rows_written
    assert writer.commits < 200  # requests waiting together were committed together
    chains = {r["chain_id"] for r in rows}
    assert 1 < len(chains) <= 3 and 0 not in chains
    for chain in chains:
        mine = [r for r in rows if r["chain_id"] == chain]
        assert [r["prev_hash"] for r in mine[1:]] == [r["row_hash"] for r in mine[:-1]]
    with api_db.connect() as conn:
        opened = conn.execute(text("SELECT count(*) FROM access_log_chain WHERE chain_id = "
                                   "ANY(:c)"), {"c": list(chains)}).scalar_one()
        report = verify_chain(conn, CHAIN_KEY)
    assert opened == len(chains)
    assert report["ok"] and report["chains"] >= len(chains)


def test_a_failed_commit_refuses_its_requests_and_the_writer_goes_on_in_a_new_chain(
        api_url: str, api_db: Engine) -> None:
    prefix = uuid.uuid4().hex

    async def fail_then_succeed(writer: AuditWriter) -> None:
        await writer.record([entry(f"{prefix}-before")])
        with pytest.raises(asyncpg.PostgresError):  # a NUL byte: PostgreSQL refuses the text
            await writer.record([entry(f"{prefix}-bad\x00")])
        await writer.record([entry(f"{prefix}-after")])

    asyncio.run(_with_writer(api_url, 1, fail_then_succeed))
    rows = rows_of(api_db, prefix)
    assert [r["request_id"] for r in rows] == [f"{prefix}-before", f"{prefix}-after"]
    assert rows[0]["chain_id"] != rows[1]["chain_id"]
    assert rows[1]["prev_hash"] == "0" * 64
    with api_db.connect() as conn:
        assert verify_chain(conn, CHAIN_KEY)["ok"]


async def terminate_backends(url: str, application_name: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE application_name = $1", application_name)
    finally:
        await conn.close()


def test_a_lost_connection_is_replaced_and_the_chains_stay_whole(
        api_url: str, api_db: Engine) -> None:
    prefix = uuid.uuid4().hex
    name = f"writer-{prefix[:12]}"
    refused = []

    async def lose_connection(writer: AuditWriter) -> None:
        await writer.record([entry(f"{prefix}-before")])
        await terminate_backends(api_url, name)
        try:  # refused if the write meets the dead connection, else on a new one
            await writer.record([entry(f"{prefix}-lost")])
        except DATABASE_LOST:  # a 503 for the request, not a 500
            refused.append(True)
        await writer.record([entry(f"{prefix}-after")])

    asyncio.run(_with_writer(api_url, 1, lose_connection, name))
    rows = rows_of(api_db, prefix)
    expected = ["before", "after"] if refused else ["before", "lost", "after"]
    assert [r["request_id"] for r in rows] == [f"{prefix}-{x}" for x in expected]
    with api_db.connect() as conn:
        assert verify_chain(conn, CHAIN_KEY)["ok"]
