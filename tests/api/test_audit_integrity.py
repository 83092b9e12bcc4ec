"""The access log against a database superuser: keyed chains (and, further down, signed
checkpoints outside the database) make every rewrite show in ``mdr audit verify``.

The attacks run as the superuser the tests connect as, with the append-only triggers
off for their session (``session_replication_role = replica``), on a database of this
module's own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import stat
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from mdr.access.audit import (
    GENESIS,
    KEYED,
    UNKEYED,
    AuditWriter,
    append_entries,
    chain_hash,
    chain_key_id,
    verify_chain,
)
from mdr.access.checkpoints import chain_heads
from mdr.access.secrets import access_log_chain_key, chain_key
from mdr.cli.main import app
from mdr.db.engine import make_engine
from mdr.db.migrate import upgrade
from mdr.settings import get_settings
from tests.api.conftest import CHAIN_KEY, SECRET
from tests.api.test_audit_writer import entry

pytestmark = pytest.mark.db

WRONG_KEY = chain_key(b"a secret that is not the server's secret")


@pytest.fixture(scope="module")
def log_url(scratch_database: Any) -> str:
    url = str(scratch_database("integrity"))
    upgrade(url)
    return url


@pytest.fixture
def log_db(log_url: str) -> Iterator[Engine]:
    """The module's database with an empty access log."""
    engine = make_engine(log_url, "test", pooled=False)
    as_superuser(engine, "TRUNCATE access_log, access_log_chain")
    yield engine
    engine.dispose()


def as_superuser(engine: Engine, *statements: str, **params: Any) -> None:
    """Run ``statements`` as a tampering superuser: the append-only triggers are off."""
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            conn.execute(text(statement), params)


def write_lanes(url: str, requests: int, lanes: int = 2, key: bytes = CHAIN_KEY) -> str:
    """``requests`` requests of two rows each through an :class:`AuditWriter` with
    ``lanes`` lanes, committed one after another; their request ids' prefix."""
    prefix = uuid.uuid4().hex[:12]

    async def work() -> None:
        writer = AuditWriter(partial(asyncpg.connect, url), lanes, chain_key=key)
        try:
            for i in range(0, requests, lanes):  # one request per lane at a time
                await asyncio.gather(*(writer.record([entry(f"{prefix}-{n}", n),
                                                      entry(f"{prefix}-{n}", n + 1)])
                                       for n in range(i, min(i + lanes, requests))))
        finally:
            await writer.stop()

    asyncio.run(work())
    return prefix


def chain_rows(engine: Engine, chain_id: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(
            "SELECT * FROM access_log WHERE chain_id = :c ORDER BY audit_id"),
            {"c": chain_id}).mappings()]


def chain_ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT chain_id FROM access_log_chain ORDER BY chain_id")).scalars())


def verify(engine: Engine, keys: bytes | list[bytes] = CHAIN_KEY, **options: Any
           ) -> dict[str, Any]:
    with engine.connect() as conn:
        return verify_chain(conn, keys, **options)


def rehash(engine: Engine, chain_id: int, from_audit_id: int, key: bytes | None,
           **changes: Any) -> None:
    """Rewrite the chain from ``from_audit_id`` on: that row gets ``changes``, and it and
    every later row are hashed again, under ``key`` (None: plain SHA-256), so that each
    row's prev_hash names the row before it."""
    rows = chain_rows(engine, chain_id)
    head = GENESIS
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for row in rows:
            if row["audit_id"] >= from_audit_id:
                if row["audit_id"] == from_audit_id:
                    row.update(changes)
                row_hash = chain_hash(head, row, chain_id, key)
                conn.execute(text(
                    "UPDATE access_log SET purpose = :purpose, prev_hash = :prev, "
                    "row_hash = :hash WHERE audit_id = :id"),
                    {"purpose": row["purpose"], "prev": head, "hash": row_hash,
                     "id": row["audit_id"]})
                row["row_hash"] = row_hash
            head = row["row_hash"]


def problems(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(p["chain_id"], p["audit_id"], p["problem"]) for p in report["problems"]]


# -- keyed chains ------------------------------------------------------------------------------

def test_lane_rows_are_keyed_and_verify_only_under_their_key(log_url: str,
                                                             log_db: Engine) -> None:
    write_lanes(log_url, 6)
    with log_db.connect() as conn:
        chains = conn.execute(text("SELECT chain_id, scheme, key_id FROM access_log_chain"
                                   )).all()
    assert {(scheme, key_id) for _, scheme, key_id in chains} == {
        (KEYED, chain_key_id(CHAIN_KEY))}
    for chain_id, _, _ in chains:
        rows = chain_rows(log_db, chain_id)
        assert rows[0]["prev_hash"] == GENESIS
        for prev, row in zip([GENESIS] + [r["row_hash"] for r in rows], rows, strict=False):
            assert row["row_hash"] == chain_hash(prev, row, chain_id, CHAIN_KEY)
            assert row["row_hash"] != chain_hash(prev, row, chain_id)  # no plain SHA-256
    report = verify(log_db)
    assert report["ok"] and report["rows_checked"] == 12 and report["keyed"] == len(chains)
    assert report["unkeyed"] == [] and report["problems"] == []
    # Only the key the chains name will do; a retired key next to it does no harm.
    wrong = verify(log_db, WRONG_KEY)
    assert not wrong["ok"]
    assert {p["problem"] for p in wrong["problems"]} == {"unknown_key"}
    assert verify(log_db, [WRONG_KEY, CHAIN_KEY])["ok"]


@pytest.mark.parametrize("key", [None, WRONG_KEY], ids=["plain-sha256", "wrong-key"])
def test_a_forged_row_re_hashed_without_the_key_is_caught(log_url: str, log_db: Engine,
                                                          key: bytes | None) -> None:
    write_lanes(log_url, 10, lanes=1)
    (chain_id,) = chain_ids(log_db)
    rows = chain_rows(log_db, chain_id)
    forged = rows[7]["audit_id"]
    rehash(log_db, chain_id, forged, key, purpose="forged")
    report = verify(log_db)
    assert not report["ok"] and report["first_broken_audit_id"] == forged
    assert report["problems"][0] == {
        "chain_id": chain_id, "audit_id": forged, "problem": "altered",
        "detail": "its content does not match its hash", "checkpoint": None}
    # Every re-hashed row fails: none verifies under the chain's key.
    assert problems(report) == [(chain_id, r["audit_id"], "altered") for r in rows[7:]]


def test_a_row_altered_without_re_hashing_is_named(log_url: str, log_db: Engine) -> None:
    write_lanes(log_url, 10, lanes=1)
    (chain_id,) = chain_ids(log_db)
    altered = chain_rows(log_db, chain_id)[4]["audit_id"]
    as_superuser(log_db, "UPDATE access_log SET fields = '{rrn}' WHERE audit_id = :a",
                 a=altered)
    report = verify(log_db)
    assert problems(report) == [(chain_id, altered, "altered")]
    assert report["reason"] == "its content does not match its hash"


def test_a_removed_row_is_named_by_the_row_after_it(log_url: str, log_db: Engine) -> None:
    write_lanes(log_url, 5, lanes=1)
    (chain_id,) = chain_ids(log_db)
    rows = chain_rows(log_db, chain_id)
    as_superuser(log_db, "DELETE FROM access_log WHERE audit_id = :a", a=rows[3]["audit_id"])
    report = verify(log_db)
    assert problems(report) == [(chain_id, rows[4]["audit_id"], "removed")]
    assert report["reason"] == "a row before it is missing or altered"


def test_rows_whose_chain_record_is_gone_are_reported(log_url: str, log_db: Engine) -> None:
    write_lanes(log_url, 2, lanes=1)
    (chain_id,) = chain_ids(log_db)
    first = chain_rows(log_db, chain_id)[0]["audit_id"]
    as_superuser(log_db, "DELETE FROM access_log_chain WHERE chain_id = :c", c=chain_id)
    assert problems(verify(log_db)) == [(chain_id, first, "orphaned")]


def test_chains_from_before_keys_stay_verifiable_and_are_reported_unkeyed(
        scratch_database: Any) -> None:
    """Rows written by the release before keys (chain 0 from before writer chains, and
    a writer's chain) verify under plain SHA-256 after the upgrade; new chains are keyed."""
    url = str(scratch_database("unkeyed"))
    upgrade(url, "0013_out_of_order_batches")
    engine = make_engine(url, "test", pooled=False)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO access_log_chain (chain_id, host, pid) "
                              "VALUES (5, 'old', 1)"))
            for chain_id in (0, 5, 0, 5):
                row = {"accessed_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                       "agency_code": "A", "key_id": "k", "dataset": "resident",
                       "record_key": "1", "record_key_hash": "h", "subject_hashes": ["s"],
                       "fields": ["name"], "purpose": "p", "request_id": "r", "route": "/"}
                prev = conn.execute(text(
                    "SELECT row_hash FROM access_log WHERE chain_id = :c ORDER BY audit_id "
                    "DESC LIMIT 1"), {"c": chain_id}).scalar() or GENESIS
                conn.execute(text(
                    "INSERT INTO access_log (chain_id, accessed_at, agency_code, key_id, "
                    "dataset, record_key, record_key_hash, subject_hashes, fields, purpose, "
                    "request_id, route, prev_hash, row_hash) VALUES (:chain_id, "
                    ":accessed_at, :agency_code, :key_id, :dataset, :record_key, "
                    ":record_key_hash, :subject_hashes, :fields, :purpose, :request_id, "
                    ":route, :prev, :hash)"),
                    {**row, "chain_id": chain_id, "prev": prev,
                     "hash": chain_hash(prev, row, chain_id)})
        upgrade(url)
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT chain_id, scheme, key_id FROM access_log_chain ORDER BY chain_id")
            ).all() == [(0, UNKEYED, None), (5, UNKEYED, None)]
        write_lanes(url, 2, lanes=1)
        report = verify(engine)
        assert report["ok"], report["problems"]
        assert report["unkeyed"] == [0, 5] and report["keyed"] == 1
        assert report["rows_checked"] == 8
        # A chain marked keyed is held to its key: marking an unkeyed chain keyed fails.
        as_superuser(engine, "UPDATE access_log_chain SET scheme = 'blake2b-keyed', "
                     "key_id = :k WHERE chain_id = 5", k=chain_key_id(CHAIN_KEY))
        assert {p["problem"] for p in verify(engine)["problems"]} == {"altered"}
    finally:
        engine.dispose()


# -- through the CLI ---------------------------------------------------------------------------

@pytest.fixture
def cli(log_url: str, log_db: Engine, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> Iterator[CliRunner]:
    monkeypatch.setenv("MDR_DATABASE_URL", log_url)
    monkeypatch.setenv("MDR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MDR_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def verify_cli(cli: CliRunner, *options: str) -> tuple[int, dict[str, Any]]:
    result = cli.invoke(app, ["audit", "verify", "--json", *options])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_rotating_the_chain_key_and_replacing_the_secret_keep_old_chains_verifiable(
        cli: CliRunner, log_url: str, log_db: Engine, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    write_lanes(log_url, 2, lanes=1)  # version 1
    monkeypatch.setenv("MDR_AUDIT_CHAIN_KEY_VERSION", "2")
    get_settings.cache_clear()
    write_lanes(log_url, 2, lanes=1, key=access_log_chain_key(get_settings()))
    assert access_log_chain_key(get_settings()) == chain_key(SECRET.encode(), 2)
    with log_db.connect() as conn:
        assert set(conn.execute(text("SELECT key_id FROM access_log_chain")).scalars()) == {
            chain_key_id(chain_key(SECRET.encode(), v)) for v in (1, 2)}
    code, report = verify_cli(cli)  # every version under the secret
    assert code == 0 and report["keyed"] == 2, report
    retired = tmp_path / "retired-chain-keys"
    exported = cli.invoke(app, ["audit", "chain-keys", "--out", str(retired)])
    assert exported.exit_code == 0, exported.output
    assert stat.S_IMODE(retired.stat().st_mode) == 0o600
    # A new server secret: the old chains need the retired keys.
    monkeypatch.setenv("MDR_SECRET_KEY", "a-new-server-secret-of-32-characters-or-more")
    monkeypatch.setenv("MDR_AUDIT_CHAIN_KEY_VERSION", "1")
    get_settings.cache_clear()
    code, report = verify_cli(cli)
    assert code == 1 and {p["problem"] for p in report["problems"]} == {"unknown_key"}
    monkeypatch.setenv("MDR_AUDIT_RETIRED_CHAIN_KEYS_FILE", str(retired))
    get_settings.cache_clear()
    code, report = verify_cli(cli)
    assert code == 0 and report["ok"] and report["keyed"] == 2, report


# -- signed checkpoints ------------------------------------------------------------------------

def realistic_log(url: str, engine: Engine) -> None:
    """Rows in two lane chains and a shared chain."""
    write_lanes(url, 6)
    with engine.begin() as conn:
        append_entries(conn, [entry(f"staff-{n}", n) for n in range(4)], CHAIN_KEY)


def checkpoint(cli: CliRunner, folder: Path) -> dict[str, Any]:
    result = cli.invoke(app, ["audit", "checkpoint", "--out", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def last_rows(engine: Engine, chain_id: int, n: int) -> list[int]:
    return [r["audit_id"] for r in chain_rows(engine, chain_id)[-n:]]


def lane_chain(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT min(chain_id) FROM access_log_chain "
                                     "WHERE kind = 'lane'")).scalar_one())


def delete_last_rows(engine: Engine) -> tuple[int, int | None]:
    chain_id = lane_chain(engine)
    gone = last_rows(engine, chain_id, 2)
    as_superuser(engine, "DELETE FROM access_log WHERE audit_id = ANY(:ids)", ids=gone)
    return chain_id, gone[-1]


def delete_a_chain(engine: Engine) -> tuple[int, int | None]:
    chain_id = lane_chain(engine)
    as_superuser(engine, "DELETE FROM access_log WHERE chain_id = :c",
                 "DELETE FROM access_log_chain WHERE chain_id = :c", c=chain_id)
    return chain_id, None


def rehash_plain(engine: Engine) -> tuple[int, int | None]:
    chain_id = lane_chain(engine)
    forged = chain_rows(engine, chain_id)[1]["audit_id"]
    rehash(engine, chain_id, forged, None, purpose="forged")
    return chain_id, forged


def rehash_wrong_key(engine: Engine) -> tuple[int, int | None]:
    chain_id = lane_chain(engine)
    forged = chain_rows(engine, chain_id)[1]["audit_id"]
    rehash(engine, chain_id, forged, WRONG_KEY, purpose="forged")
    return chain_id, forged


def relabel_unkeyed_and_rehash(engine: Engine) -> tuple[int, int | None]:
    """The one rewrite keyed chains alone do not catch: the chain is declared one from
    before keys and re-hashed with plain SHA-256 from its first row."""
    chain_id = lane_chain(engine)
    as_superuser(engine, "UPDATE access_log_chain SET scheme = 'sha256', key_id = NULL "
                 "WHERE chain_id = :c", c=chain_id)
    rehash(engine, chain_id, chain_rows(engine, chain_id)[0]["audit_id"], None,
           purpose="forged")
    return chain_id, None


def alter_a_row(engine: Engine) -> tuple[int, int | None]:
    chain_id = lane_chain(engine)
    altered = chain_rows(engine, chain_id)[2]["audit_id"]
    as_superuser(engine, "UPDATE access_log SET agency_code = 'SOMEONE-ELSE' "
                 "WHERE audit_id = :a", a=altered)
    return chain_id, altered


def truncate_the_log(engine: Engine) -> tuple[int, int | None]:
    chain_id = lane_chain(engine)
    last = last_rows(engine, chain_id, 1)[0]
    as_superuser(engine, "TRUNCATE access_log")
    return chain_id, last


ATTACKS = {
    # attack: (problem reported for the chain, whether keyed chains alone catch it)
    delete_last_rows: ("truncated", False),
    delete_a_chain: ("vanished", False),
    rehash_plain: ("altered", True),
    rehash_wrong_key: ("altered", True),
    relabel_unkeyed_and_rehash: ("rehashed", False),
    alter_a_row: ("altered", True),
    truncate_the_log: ("truncated", True),  # the shared chain's recorded head shows it too
}


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.__name__)
def test_a_superuser_rewrite_is_caught_by_verify_with_checkpoints(
        attack: Any, cli: CliRunner, log_url: str, log_db: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "checkpoints"
    realistic_log(log_url, log_db)
    checkpoint(cli, folder)
    write_lanes(log_url, 2)  # the log goes on after the checkpoint
    assert verify_cli(cli, "--checkpoints", str(folder))[0] == 0
    chain_id, audit_id = attack(log_db)
    problem, caught_without_checkpoints = ATTACKS[attack]
    code, report = verify_cli(cli, "--checkpoints", str(folder))
    assert code == 1 and not report["ok"]
    named = [p for p in report["problems"] if p["chain_id"] == chain_id]
    assert problem in {p["problem"] for p in named}, report["problems"]
    assert all(p["checkpoint"] in (None, *(f.name for f in folder.glob("checkpoint-*")))
               for p in named)
    if audit_id is not None:
        assert audit_id in {p["audit_id"] for p in named}, named
    # Keyed chains alone catch what alters or re-hashes rows; checkpoints the rest.
    assert verify_cli(cli)[0] == (1 if caught_without_checkpoints else 0)
    told = cli.invoke(app, ["audit", "verify", "--checkpoints", str(folder)])
    assert told.exit_code == 1 and "Access log broken" in told.stdout
    assert problem in told.stdout


def test_a_clean_log_verifies_against_every_checkpoint(cli: CliRunner, log_url: str,
                                                       log_db: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "checkpoints"
    realistic_log(log_url, log_db)
    first = checkpoint(cli, folder)
    write_lanes(log_url, 4)
    with log_db.begin() as conn:
        append_entries(conn, [entry("staff-late", 9)], CHAIN_KEY)
    second = checkpoint(cli, folder)
    # The second counts on from the first's heads, and gets the full counts.
    assert second["counted_from"] == Path(first["path"]).name and first["counted_from"] is None
    with log_db.connect() as conn:
        assert second["rows"] == conn.execute(text("SELECT count(*) FROM access_log")
                                              ).scalar_one()
        document = json.loads(Path(second["path"]).read_text())
        assert document["chains"] == chain_heads(conn)  # the same as counting from scratch
    assert {c["kind"] for c in document["chains"]} == {"lane", "shared"}
    code, report = verify_cli(cli, "--checkpoints", str(folder))
    assert code == 0 and report["problems"] == [], report["problems"]
    assert report["checkpoints"]["verified"] == 2 and report["checkpoints"]["chains"] == len(
        document["chains"])
    told = cli.invoke(app, ["audit", "verify", "--checkpoints", str(folder)])
    assert told.exit_code == 0 and "Access log intact" in told.stdout
    assert "Checkpoints: 2 of 2" in told.stdout
    key_file = tmp_path / "data" / "audit-signing.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert (folder / "audit-signing.pub").read_text() == (
        tmp_path / "data" / "audit-signing.pub").read_text()


def test_an_altered_or_foreign_checkpoint_is_reported(cli: CliRunner, log_url: str,
                                                      log_db: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "checkpoints"
    realistic_log(log_url, log_db)
    written = Path(checkpoint(cli, folder)["path"])
    # Someone lowers a count in the file to cover rows removed later: the signature fails.
    document = json.loads(written.read_text())
    document["chains"][0]["rows"] -= 1
    written.write_text(json.dumps(document))
    # And a checkpoint signed by a key of their own is not trusted.
    from mdr.access.checkpoints import write_checkpoint

    with log_db.connect() as conn:
        forged = Path(write_checkpoint(conn, tmp_path / "elsewhere",
                                       tmp_path / "theirs" / "audit-signing.key")["path"])
    forged.rename(folder / forged.name)
    (folder / "checkpoint-garbage.json").write_text("{not json")
    code, report = verify_cli(cli, "--checkpoints", str(folder))
    assert code == 1
    assert sorted((p["checkpoint"], p["problem"]) for p in report["problems"]) == sorted([
        (written.name, "bad_signature"), (forged.name, "untrusted_key"),
        ("checkpoint-garbage.json", "unreadable")])
    told = cli.invoke(app, ["audit", "verify", "--checkpoints", str(folder)])
    assert told.exit_code == 1 and "bad_signature" in told.stdout


def test_verifiers_elsewhere_pin_the_public_keys_and_rotation_keeps_old_ones(
        cli: CliRunner, log_url: str, log_db: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "checkpoints"
    realistic_log(log_url, log_db)
    checkpoint(cli, folder)
    rotated = cli.invoke(app, ["audit", "rotate-signing-key"])
    assert rotated.exit_code == 0, rotated.output
    write_lanes(log_url, 2)
    checkpoint(cli, folder)
    listed = (folder / "audit-signing.pub").read_text().splitlines()
    assert len(listed) == 2  # the old key and the new
    assert verify_cli(cli, "--checkpoints", str(folder))[0] == 0
    pinned = tmp_path / "pinned.pub"
    pinned.write_text(listed[1] + "\n")  # a verifier who only trusts the new key
    code, report = verify_cli(cli, "--checkpoints", str(folder), "--public-key", str(pinned))
    assert code == 1 and [p["problem"] for p in report["problems"]] == ["untrusted_key"]
    pinned.write_text("\n".join(listed) + "\n")
    assert verify_cli(cli, "--checkpoints", str(folder), "--public-key", str(pinned))[0] == 0


def test_an_empty_checkpoint_folder_is_not_a_pass(cli: CliRunner, log_db: Engine,
                                                  tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, report = verify_cli(cli, "--checkpoints", str(tmp_path / "empty"))
    assert code == 1 and report["problems"][0]["problem"] == "no_checkpoints"
    missing = cli.invoke(app, ["audit", "verify", "--checkpoints", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2


# -- the hourly job ----------------------------------------------------------------------------

def test_the_scheduler_writes_a_checkpoint_every_hour(log_url: str, log_db: Engine,
                                                      tmp_path: Path) -> None:
    from mdr.access.checkpoints import trusted_keys, verify_access_log
    from mdr.access.jobs import audit_jobs
    from mdr.cli.jobs import scheduled_jobs
    from mdr.scheduler import run_locked
    from mdr.settings import Settings

    settings = Settings(data_dir=tmp_path / "data", secret_key=SECRET,
                        audit_checkpoint_dir=tmp_path / "checkpoints")
    (job,) = audit_jobs(settings)
    assert job.id in {j.id for j in scheduled_jobs(settings)}
    assert str(job.trigger.fields[job.trigger.FIELD_NAMES.index("minute")]) == "5"
    assert str(job.trigger.fields[job.trigger.FIELD_NAMES.index("hour")]) == "*"
    realistic_log(log_url, log_db)
    assert run_locked(log_db, job)
    (written,) = (tmp_path / "checkpoints").glob("checkpoint-*.json")
    with log_db.connect() as conn:
        summary = conn.execute(text("SELECT status, summary FROM job_run WHERE job_id = "
                                    "'audit-checkpoint' ORDER BY run_id DESC LIMIT 1")).one()
        assert summary.status == "succeeded" and summary.summary["path"] == str(written)
        assert summary.summary["rows"] == 16
        report = verify_access_log(conn, CHAIN_KEY, tmp_path / "checkpoints",
                                   trusted_keys(settings.signing_key_file))
    assert report["ok"] and report["checkpoints"]["verified"] == 1, report["problems"]


def test_without_a_checkpoint_folder_the_job_skips_and_says_so(
        log_db: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mdr.access.jobs import audit_jobs
    from mdr.scheduler import run_locked
    from mdr.settings import Settings

    (job,) = audit_jobs(Settings(data_dir=tmp_path / "data", secret_key=SECRET))
    with caplog.at_level("INFO", logger="mdr.access.jobs"):
        assert run_locked(log_db, job)
    assert "MDR_AUDIT_CHECKPOINT_DIR is not set" in caplog.text
    with log_db.connect() as conn:
        summary = conn.execute(text("SELECT summary FROM job_run WHERE job_id = "
                                    "'audit-checkpoint' ORDER BY run_id DESC LIMIT 1")
                               ).scalar_one()
    assert summary["status"] == "skipped"
    assert not (tmp_path / "data" / "audit-signing.key").exists()
