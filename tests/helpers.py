"""Small helpers shared by tests."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import psutil


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
