"""The embedded PostgreSQL: start, reuse, share between processes, stop with the last."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from mdr.embedded import EmbeddedPostgres
from tests.helpers import clean_env, embedded_data_dir, postgres_processes

pytestmark = pytest.mark.slow


@pytest.fixture
def data_dir() -> Iterator[Path]:
    path = embedded_data_dir("emb")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_starts_reuses_and_stops(data_dir: Path) -> None:
    server = EmbeddedPostgres(data_dir)
    url = server.acquire()
    assert postgres_processes(server.pgdata)
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')")
    conn.close()
    server.release()
    assert not postgres_processes(server.pgdata), "last holder must stop the server"

    again = EmbeddedPostgres(data_dir)
    conn = psycopg2.connect(again.acquire())
    with conn.cursor() as cur:
        cur.execute("SELECT v FROM kept")
        assert cur.fetchone() == ("still here",)
    conn.close()
    again.release()
    assert not postgres_processes(server.pgdata)


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from mdr.embedded import EmbeddedPostgres
    EmbeddedPostgres(Path(sys.argv[1])).acquire()
    print("ready", flush=True)
    time.sleep(120)
""")


def test_shared_between_processes_and_dead_holders_pruned(data_dir: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)], stdout=subprocess.PIPE, text=True,
        env=clean_env(),
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        server = EmbeddedPostgres(data_dir)
        server.acquire()
        assert len(server.holders()) == 2
        server.release()
        assert postgres_processes(server.pgdata), "the other process still holds the server"

        holder.kill()  # no atexit: its hold is left behind
        holder.wait(10)
        again = EmbeddedPostgres(data_dir)
        again.acquire()
        assert again.holders() == [os.getpid()]
        again.release()
        assert not postgres_processes(server.pgdata), "dead holders must not keep it running"
    finally:
        if holder.poll() is None:
            holder.kill()


@pytest.mark.db
def test_databases_created_at_once_by_several_processes_all_succeed(admin_url: str,
                                                                    worker_id_name: str) -> None:
    """Parallel test workers on a fresh clone each ensure the same database; PostgreSQL
    reports the loser of overlapping CREATEs in two ways, both of which mean "it exists"."""
    import threading

    from mdr.embedded import _ensure_database
    from tests.conftest import drop_database

    for round_number in range(5):
        name = f"mdr_race_{worker_id_name}_{round_number}"
        drop_database(admin_url, name)
        start, errors = threading.Barrier(6), list[Exception]()

        def ensure(database: str = name, barrier: threading.Barrier = start,
                   failed: list[Exception] = errors) -> None:
            barrier.wait()
            try:
                _ensure_database(admin_url, database)
            except Exception as exc:  # the failure is the finding
                failed.append(exc)

        threads = [threading.Thread(target=ensure) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        drop_database(admin_url, name)
        assert errors == [], errors
