"""Small helpers shared by tests."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import Engine


def postgres_processes(pgdata: Path) -> list[psutil.Process]:
    """Live postgres processes serving this data directory."""
    found = []
    target = str(pgdata.resolve())
    for proc in psutil.process_iter(attrs=["name", "cmdline"]):
        cmdline = proc.info.get("cmdline") or []
        if proc.info.get("name") == "postgres" and any(target in part for part in cmdline):
            found.append(proc)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any MDR_ setting, plus the given ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MDR_", "_MDR_"))}
    env.update(extra)
    return env


def no_postgres_left(pgdata: Path, timeout: float = 30.0) -> bool:
    """True once no postgres serves ``pgdata``; children may outlive the postmaster briefly."""
    import time

    deadline = time.monotonic() + timeout
    while postgres_processes(pgdata):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def embedded_data_dir(prefix: str) -> Path:
    """A data dir for an embedded server, outside pytest's temporary tree.

    As root the server runs as another user, and pytest narrows its
    /tmp/pytest-of-<user> folder to mode 0700 whenever a worker sets up its
    temporary base: a server living below it would lose access to its files.
    """
    import tempfile

    path = Path(tempfile.mkdtemp(prefix=f"mdr-{prefix}-"))
    path.chmod(0o755)
    return path


def migrated_engine(url: str, pool_size: int = 3) -> Engine:
    """An engine on ``url`` after `alembic upgrade head` and a fresh catalogue.

    For tests whose code under test commits (sync, API, checks): they get a database
    of their own instead of the rolled-back session.
    """
    from entities.catalogue import refresh_catalogue
    from mdr.db.engine import make_engine, session_factory, unit_of_work
    from mdr.db.migrate import upgrade

    upgrade(url)
    engine = make_engine(url, "test", pool_size=pool_size)
    with unit_of_work(session_factory(engine)) as session:
        refresh_catalogue(session)
    return engine


def empty_master(engine: Engine, *extra_tables: str) -> None:
    """Truncate every dataset's tables, the outbox, quarantine and ledger (and extras).

    The access log is append-only and is never truncated.
    """
    from sqlalchemy import text

    from entities.registry import DATASETS

    tables = [t for spec in DATASETS.values() for t in (spec.current_table, spec.version_table)]
    tables += ["change_event", "sync_quarantine", "sync_batch", *extra_tables]
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free port, as ``mdr serve`` does; yield
    its base URL."""
    import threading
    import time

    import httpx
    import uvicorn

    from api.http_protocol import SERVER_OPTIONS

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           **SERVER_OPTIONS))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(base + "/healthz").status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.1)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(10)
