"""Engine factory and session makers.

Every engine names its process to PostgreSQL (``application_name`` = ``mdr-<role>``)
so ``pg_stat_activity`` shows who holds which connection. Sessions are created
here and passed explicitly to services; nothing holds a global session.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from mdr.embedded import EmbeddedPostgres
from mdr.errors import ConfigurationError, DatabaseUnavailable
from mdr.settings import EMBEDDED_URL_ENV, Settings, embedded_url_from_parent

if TYPE_CHECKING:
    from mdr.db.replicas import Replica

Role = Literal["api", "scheduler", "worker", "cli", "sync", "test", "bench", "migrate"]


def sqlalchemy_url(url: str) -> URL:
    """Parse a postgresql:// URL and pin the psycopg2 driver."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError("invalid setting MDR_DATABASE_URL: not a database URL") from exc
    return parsed.set(drivername="postgresql+psycopg2")


def describe_url(url: str | URL) -> str:
    """Where a URL points, without its password (for messages and status)."""
    parsed = make_url(url) if isinstance(url, str) else url
    host = parsed.host or parsed.query.get("host") or "local socket"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{host}{port}/{parsed.database or ''}"


@dataclass
class Database:
    """The resolved database of this process: primary URL, replicas, embedded or not."""

    url: str
    embedded: bool
    replica_urls: list[str] = field(default_factory=list)

    def engine(self, role: Role, *, pool_size: int = 5,
               server_settings: Mapping[str, str] | None = None) -> Engine:
        return make_engine(self.url, role, pool_size=pool_size, server_settings=server_settings)

    def replica_engines(self, role: Role, *, pool_size: int = 5, connect_timeout: int = 10,
                        statement_timeout_ms: int | None = None,
                        server_settings: Mapping[str, str] | None = None) -> list[Engine]:
        """An engine per read replica, with ``server_settings``; a statement running
        longer than ``statement_timeout_ms`` (or theirs, if shorter) on one is cancelled
        by the replica."""
        settings = dict(server_settings or {})
        if statement_timeout_ms is not None:
            settings["statement_timeout"] = str(min(
                statement_timeout_ms, int(settings.get("statement_timeout", statement_timeout_ms))))
        return [make_engine(url, role, pool_size=pool_size,
                            connect_args={"connect_timeout": connect_timeout},
                            server_settings=settings)
                for url in self.replica_urls]


def statement_limits(settings: Settings) -> dict[str, str]:
    """PostgreSQL settings that bound every statement of the API's connections, in
    milliseconds (DESIGN.md section 7): without them, one slow search ran on for as long
    as it took, whether or not its client was still there. The CLI, sync, the scheduler
    and the reconciliation worker run long statements on purpose and do not take them."""
    return {"statement_timeout": str(round(settings.statement_timeout_seconds * 1000)),
            "lock_timeout": str(round(settings.lock_timeout_seconds * 1000))}


def make_engine(url: str, role: Role, *, pool_size: int = 5, pooled: bool = True,
                connect_args: dict[str, Any] | None = None,
                server_settings: Mapping[str, str] | None = None) -> Engine:
    """An engine whose connections say which mdr process they belong to (``connect_args``
    are added to libpq's connection parameters), with ``server_settings`` (e.g.
    :func:`statement_limits`) set on each connection."""
    connect_args = {"application_name": f"mdr-{role}", "connect_timeout": 10,
                    **(connect_args or {})}
    if server_settings:
        connect_args["options"] = " ".join(f"-c {name}={value}"
                                           for name, value in server_settings.items())
    if not pooled:  # one-shot work (migrations, status): no connections linger
        return create_engine(sqlalchemy_url(url), poolclass=NullPool, connect_args=connect_args)
    return create_engine(
        sqlalchemy_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args=connect_args,
    )


_embedded_handle = None


def resolve_database(settings: Settings) -> Database:
    """The database to use: ``MDR_DATABASE_URL``, else the shared embedded server.

    Starting the embedded server also exports its URL to child processes
    (API workers) so they join it rather than start their own.
    """
    global _embedded_handle  # noqa: PLW0603 - one embedded handle per process
    if settings.database_url is not None:
        return Database(settings.database_url, embedded=False,
                        replica_urls=list(settings.read_replica_urls))
    inherited = embedded_url_from_parent()
    if inherited:
        return Database(inherited, embedded=True)
    if _embedded_handle is None:
        _embedded_handle = EmbeddedPostgres(settings.data_dir)
    url = _embedded_handle.acquire()
    os.environ[EMBEDDED_URL_ENV] = url
    return Database(url, embedded=True)


def check_connection(engine: Engine) -> None:
    """Fail with one clear line when PostgreSQL cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection failed"
        raise DatabaseUnavailable(
            f"cannot connect to PostgreSQL at {describe_url(engine.url)}: {reason}"
        ) from None


def session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions for one engine; read-only ones run every transaction READ ONLY."""
    bind = engine.execution_options(postgresql_readonly=True) if read_only else engine
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=False)


class ReadSessions:
    """Read-only sessions, round-robin over the replicas usable now, else on the primary.

    A session on a replica names it in ``session.info["replica"]``.
    """

    def __init__(self, primary: Engine,
                 replicas: Sequence[tuple[Replica, Engine]] = ()) -> None:
        self.primary = session_factory(primary, read_only=True)
        self._replicas = [(replica, session_factory(engine, read_only=True))
                          for replica, engine in replicas]
        self._next = 0

    def __call__(self) -> Session:
        count = len(self._replicas)
        for _ in range(count):
            replica, maker = self._replicas[self._next % count]
            self._next += 1  # threads may race here: the order of a round robin is no promise
            if replica.usable:
                return maker(info={"replica": replica})
        return self.primary()


@contextmanager
def unit_of_work(maker: Callable[[], Session]) -> Iterator[Session]:
    """The one place a request, job or CLI command commits or rolls back."""
    session = maker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
