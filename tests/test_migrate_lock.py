"""Migrations run by several processes at once, and `mdr db` refusing bad revisions."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from mdr.db.engine import make_engine
from mdr.db.migrate import (
    MIGRATION_LOCK,
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from mdr.db.sql import advisory_key
from mdr.errors import InvalidInput
from tests.helpers import clean_env

pytestmark = pytest.mark.db


def _upgrade_in_step(barrier: Barrier, url: str, results: Queue[str]) -> None:
    barrier.wait()
    try:
        upgrade(url)
    except Exception as exc:  # the parent reports whatever went wrong
        results.put(repr(exc))
    else:
        results.put("upgraded")


def test_two_upgrades_of_a_fresh_database_at_once_both_succeed(scratch_database) -> None:
    # Processes, as with `mdr serve` and `mdr scheduler`: alembic's `context` is global to
    # a process, so two threads could not run migrations side by side even on two databases.
    url = scratch_database("concurrent_upgrade")
    processes = multiprocessing.get_context("fork")
    barrier = processes.Barrier(2)
    results: Queue[str] = processes.Queue()
    migrators = [processes.Process(target=_upgrade_in_step, args=(barrier, url, results))
                 for _ in range(2)]
    for migrator in migrators:
        migrator.start()
    try:
        assert [results.get(timeout=300) for _ in migrators] == ["upgraded", "upgraded"]
    finally:
        for migrator in migrators:
            migrator.join(10)
            if migrator.is_alive():
                migrator.kill()
    engine = make_engine(url, "test", pooled=False)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _waiting_for_an_advisory_lock(engine: Engine, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = 'mdr-migrate' AND wait_event = 'advisory'"
            )).scalar_one()
            conn.rollback()
            if waiting:
                return True
            time.sleep(0.05)
    return False


def test_upgrade_waits_while_another_process_holds_the_migration_lock(scratch_database) -> None:
    url = scratch_database("locked_upgrade")
    engine = make_engine(url, "test", pooled=False)
    finished = threading.Event()

    def upgrade_then_say_so() -> None:
        upgrade(url)
        finished.set()

    try:
        with engine.connect() as other_migrator:
            other_migrator.execute(text("SELECT pg_advisory_lock(:k)"),
                                   {"k": advisory_key(MIGRATION_LOCK)})
            other_migrator.commit()
            waiting = threading.Thread(target=upgrade_then_say_so)
            waiting.start()
            assert _waiting_for_an_advisory_lock(engine, timeout=30)
            assert not finished.is_set()
            assert current_revision(engine) is None
        waiting.join(300)  # closing the connection released the lock
        assert finished.is_set()
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_unknown_revision_is_invalid_input(scratch_database) -> None:
    url = scratch_database("unknown_revision")
    with pytest.raises(InvalidInput, match="cannot migrate to revision 'nosuch'"):
        upgrade(url, "nosuch")


def _mdr_db(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mdr.cli.main", "db", *args],
        capture_output=True, text=True, env=clean_env(MDR_DATABASE_URL=url, COLUMNS="200"),
        timeout=300, check=False,
    )


@pytest.mark.parametrize("args", [("upgrade", "--revision", "nosuch"), ("downgrade", "nosuch")])
def test_cli_unknown_revision_is_one_line_and_exit_1(
    scratch_database, args: tuple[str, ...]
) -> None:
    result = _mdr_db(*args, url=scratch_database("cli_unknown_revision"))
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mdr: error: cannot migrate to revision 'nosuch': ")


def test_cli_downgrade_one_step_prints_the_revision_reached(scratch_database) -> None:
    url = scratch_database("cli_downgrade")
    upgrade(url)
    head = head_revision()
    assert head is not None
    before_head = ScriptDirectory.from_config(alembic_config(url)).get_revision(head).down_revision

    result = _mdr_db("downgrade", "--", "-1", url=url)
    assert result.returncode == 0, result.stderr
    assert f"Database at revision {before_head}." in result.stderr

    result = _mdr_db("upgrade", url=url)
    assert result.returncode == 0, result.stderr
    assert f"Database at revision {head}." in result.stderr


def test_cli_downgrade_help_shows_the_form_that_works() -> None:
    result = _mdr_db("downgrade", "--help", url="postgresql://nobody@127.0.0.1:1/unused")
    assert "mdr db downgrade -- -1" in result.stdout
