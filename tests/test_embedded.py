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
