"""``append_entries``: disclosures logged inside the caller's transaction, on shared chains."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text

from mdr.access import audit
from mdr.access.audit import GENESIS, KEYED, SHARED, AuditEntry, append_entries, chain_key_id
from mdr.db.engine import make_engine
from mdr.db.migrate import upgrade
from tests.api.conftest import CHAIN_KEY
from tests.api.test_audit_integrity import as_superuser, chain_rows, problems, verify
from tests.api.test_audit_writer import entry

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def shared_url(scratch_database: Any) -> str:
    url = str(scratch_database("shared"))
    upgrade(url)
    return url


@pytest.fixture
def shared_db(shared_url: str) -> Iterator[Engine]:
    """The module's database with an empty access log; connections give up on a lock
    after 5 s, so that a writer that waits for another fails instead of hanging."""
    engine = make_engine(shared_url, "test", pool_size=4)
    as_superuser(engine, "TRUNCATE access_log, access_log_chain")
    yield engine
    engine.dispose()


def entries(request_id: str, n: int) -> list[AuditEntry]:
    return [entry(request_id, i)._replace(route="/console/records") for i in range(n)]


def shared_chains(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(
            "SELECT chain_id, kind, scheme, key_id, shared_head FROM access_log_chain "
            "ORDER BY chain_id")).mappings()]


def logged(engine: Engine, request_prefix: str) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT request_id FROM access_log WHERE request_id LIKE :p ORDER BY audit_id"),
            {"p": request_prefix + "%"}).scalars())


def begin(engine: Engine) -> Connection:
    conn = engine.connect()
    conn.execute(text("SET lock_timeout = '5s'"))
    conn.commit()
    return conn


def test_rows_are_written_in_the_callers_transaction_and_chained_after_the_last(
        shared_db: Engine) -> None:
    prefix = uuid.uuid4().hex
    with begin(shared_db) as conn:
        append_entries(conn, entries(f"{prefix}-1", 3), CHAIN_KEY)
        assert logged(shared_db, prefix) == [], "not visible before the caller commits"
        conn.commit()
    assert logged(shared_db, prefix) == [f"{prefix}-1"] * 3
    with begin(shared_db) as conn:
        append_entries(conn, entries(f"{prefix}-2", 2), CHAIN_KEY)
        append_entries(conn, [], CHAIN_KEY)  # nothing to log: nothing written
        conn.commit()
    (chain,) = shared_chains(shared_db)
    assert (chain["kind"], chain["scheme"], chain["key_id"]) == (
        SHARED, KEYED, chain_key_id(CHAIN_KEY))
    rows = chain_rows(shared_db, chain["chain_id"])
    assert [r["request_id"] for r in rows] == [f"{prefix}-1"] * 3 + [f"{prefix}-2"] * 2
    assert [r["prev_hash"] for r in rows] == [GENESIS] + [r["row_hash"] for r in rows[:-1]]
    assert chain["shared_head"] == rows[-1]["row_hash"]
    report = verify(shared_db)
    assert report["ok"] and report["rows_checked"] == 5, report["problems"]


def test_a_rolled_back_transaction_leaves_its_chain_as_it_was(shared_db: Engine) -> None:
    prefix = uuid.uuid4().hex
    for step, outcome in (("kept", "commit"), ("undone", "rollback"), ("after", "commit")):
        with begin(shared_db) as conn:
            append_entries(conn, entries(f"{prefix}-{step}", 2), CHAIN_KEY)
            getattr(conn, outcome)()
    assert logged(shared_db, prefix) == [f"{prefix}-kept"] * 2 + [f"{prefix}-after"] * 2
    assert len(shared_chains(shared_db)) == 1  # the chain was free again, and reused
    report = verify(shared_db)
    assert report["ok"] and report["rows_checked"] == 4, report["problems"]


def test_concurrent_transactions_never_wait_for_each_other_and_both_chains_stay_whole(
        shared_db: Engine) -> None:
    prefix = uuid.uuid4().hex
    with begin(shared_db) as conn:  # a free chain both would take, were it not locked
        append_entries(conn, entries(f"{prefix}-0", 1), CHAIN_KEY)
        conn.commit()
    first, second = begin(shared_db), begin(shared_db)
    try:
        append_entries(first, entries(f"{prefix}-a", 2), CHAIN_KEY)
        started = time.monotonic()
        append_entries(second, entries(f"{prefix}-b", 3), CHAIN_KEY)  # first holds its chain
        assert time.monotonic() - started < 2, "the second writer waited for the first"
        second.commit()
        append_entries(first, entries(f"{prefix}-a2", 1), CHAIN_KEY)
        first.commit()
    finally:
        first.close()
        second.close()
    chains = shared_chains(shared_db)
    assert len(chains) == 2
    by_chain = {c["chain_id"]: [r["request_id"] for r in chain_rows(shared_db, c["chain_id"])]
                for c in chains}
    assert sorted(by_chain.values()) == [[f"{prefix}-0", *[f"{prefix}-a"] * 2, f"{prefix}-a2"],
                                         [f"{prefix}-b"] * 3]
    report = verify(shared_db)
    assert report["ok"] and report["rows_checked"] == 7, report["problems"]


def test_many_writers_committing_and_rolling_back_keep_every_chain_whole(
        shared_db: Engine) -> None:
    prefix = uuid.uuid4().hex
    committed: list[str] = []
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        rng = random.Random(number)
        try:
            for step in range(25):
                request_id = f"{prefix}-{number}-{step}"
                with begin(shared_db) as conn:
                    append_entries(conn, entries(request_id, rng.randint(1, 4)), CHAIN_KEY)
                    if rng.random() < 0.3:
                        conn.rollback()
                    else:
                        conn.commit()
                        committed.append(request_id)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads) and failures == []
    assert sorted(set(logged(shared_db, prefix))) == sorted(committed)
    report = verify(shared_db)
    assert report["ok"], report["problems"]
    assert 1 <= len(shared_chains(shared_db)) <= 4


def test_a_large_call_is_written_in_batches_in_chain_order(
        shared_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "SHARED_BATCH_ROWS", 100)
    prefix = uuid.uuid4().hex
    many = [entry(f"{prefix}-{n // 7}", n) for n in range(1_050)]  # requests span batches
    with begin(shared_db) as conn:
        append_entries(conn, many, CHAIN_KEY)
        conn.commit()
    (chain,) = shared_chains(shared_db)
    rows = chain_rows(shared_db, chain["chain_id"])
    assert [(r["request_id"], r["record_key"]) for r in rows] == [
        (e.request_id, e.record_key) for e in many]
    assert chain["shared_head"] == rows[-1]["row_hash"]
    report = verify(shared_db)
    assert report["ok"] and report["rows_checked"] == 1_050, report["problems"]


def test_a_shared_chain_missing_its_last_rows_is_caught_without_a_checkpoint(
        shared_db: Engine) -> None:
    prefix = uuid.uuid4().hex
    with begin(shared_db) as conn:
        append_entries(conn, entries(prefix, 5), CHAIN_KEY)
        conn.commit()
    (chain,) = shared_chains(shared_db)
    rows = chain_rows(shared_db, chain["chain_id"])
    as_superuser(shared_db, "DELETE FROM access_log WHERE audit_id >= :a",
                 a=rows[3]["audit_id"])
    report = verify(shared_db)
    assert problems(report) == [(chain["chain_id"], None, "truncated")]
    assert f"ends at row {rows[2]['audit_id']}" in report["reason"]


def test_under_repeatable_read_a_chain_written_since_the_snapshot_is_refused_not_forked(
        shared_db: Engine) -> None:
    """A snapshot older than the chain's last write would chain after an old head: the
    row lock refuses it (serialization failure, the caller retries)."""
    from sqlalchemy.exc import OperationalError

    prefix = uuid.uuid4().hex
    with begin(shared_db) as conn:
        append_entries(conn, entries(f"{prefix}-0", 1), CHAIN_KEY)
        conn.commit()
    stale = begin(shared_db).execution_options(isolation_level="REPEATABLE READ")
    try:
        stale.execute(text("SELECT 1"))  # its snapshot
        with begin(shared_db) as conn:
            append_entries(conn, entries(f"{prefix}-1", 1), CHAIN_KEY)
            conn.commit()
        with pytest.raises(OperationalError, match="could not serialize"):
            append_entries(stale, entries(f"{prefix}-stale", 1), CHAIN_KEY)
        stale.rollback()
    finally:
        stale.close()
    assert verify(shared_db)["ok"]
