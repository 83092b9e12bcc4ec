"""The FastAPI application factory."""

from __future__ import annotations

import gc
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import asyncpg
from fastapi import FastAPI

import mdr
from api.console import install_console
from api.fast_lookup import MdrApi
from api.key_reader import SERVER_SETTINGS, KeyReader
from api.middleware import BodyLimitMiddleware, RequestIdMiddleware
from api.problems import PROBLEM_RESPONSES, install_problem_handlers
from api.records_service import RecordService, TokenBucket
from api.replicas import REPLICA_STATEMENT_SECONDS, ReadPools, ReadTarget
from api.routes import (
    catalogue,
    changes,
    health,
    portal,
    quality,
    reconciliation,
    records,
    subject,
)
from mdr.access.audit import AuditWriter
from mdr.access.secrets import LogKeys, access_log_chain_key, server_secret
from mdr.db.engine import (
    Database,
    ReadSessions,
    describe_url,
    resolve_database,
    session_factory,
    statement_limits,
)
from mdr.db.held_connection import connect_or_lost
from mdr.db.replicas import Replica, ReplicaMonitor, connection_breaker
from mdr.logging import configure_logging
from mdr.settings import Settings, get_settings, log_format_of

DESCRIPTION = """
The **National Master Data Repository** serves the 14 national master datasets
(residents, land, buildings, vehicles, corporations, businesses, licences, ...)
as the single authoritative source for government agencies, with full history.

Agency calls carry an API key (`Authorization: Bearer <key>`) and a declared
purpose (`X-Purpose`); every served record is written to an access log that
data subjects can read. Personal identifiers never travel in URLs. Errors are
RFC 9457 `application/problem+json` with a stable `type`.
"""


CONNECT_TIMEOUT_SECONDS = 10


async def _keep_session(_connection: asyncpg.Connection) -> None:
    """Skip asyncpg's reset query on release (a round trip per query): these pools run
    single statements and never change session state (asyncpg still rolls back an open
    transaction)."""


def create_app(settings: Settings | None = None, database: Database | None = None, *,
               fast_lookup: bool = True) -> FastAPI:
    """The API; ``fast_lookup=False`` leaves key lookups to the FastAPI route (tests
    compare the two)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, log_format_of(settings))
    database = database or resolve_database(settings)
    # The statement and lock timeouts go on every connection of the API.
    engine = database.engine("api", pool_size=settings.pool_size,
                             server_settings=(limits := statement_limits(settings)))
    read_engine = database.engine("api", pool_size=settings.pool_size,
                                  server_settings=limits)  # reads, on the primary
    replicas = [Replica(url) for url in database.replica_urls]
    replica_timeout = settings.read_replica_timeout_seconds
    replica_engines = database.replica_engines(
        "api", pool_size=settings.pool_size, connect_timeout=max(2, math.ceil(replica_timeout)),
        statement_timeout_ms=int(REPLICA_STATEMENT_SECONDS * 1000), server_settings=limits)
    # Statements waiting on a replica found down or hung are broken off (psycopg2 would
    # wait for the replica to wake).
    breakers = {replica: connection_breaker(e) for replica, e in zip(
        replicas, replica_engines, strict=True)}

    secret, chain_key = server_secret(settings), access_log_chain_key(settings)

    def read_target(url: str, replica: Replica | None) -> ReadTarget:
        """The pool and key reader of a database reads may go to. A replica's statements
        and connects have timeouts of their own: one that stopped answering must not
        hold requests. On the primary, lookups commit their access-log rows with the
        read itself."""
        timeouts: dict[str, float] = {} if replica is None else {
            "timeout": replica_timeout, "command_timeout": REPLICA_STATEMENT_SECONDS}
        make_pool = partial(asyncpg.create_pool, url, min_size=0, max_size=settings.pool_size,
                            reset=_keep_session, connect=connect_or_lost,
                            server_settings={"application_name": "mdr-api", **limits},
                            **timeouts)
        # Key lookups have connections of their own, one per lane, opened on first use.
        # A connect that cannot succeed fails its requests in seconds, not asyncpg's 60.
        lane_timeouts = {"timeout": CONNECT_TIMEOUT_SECONDS, **timeouts}
        reader = KeyReader(partial(connect_or_lost, url,
                                   server_settings={**SERVER_SETTINGS, **limits},
                                   **lane_timeouts),
                           settings.lookup_readers, logs_access=replica is None,
                           chain_key=chain_key)
        return ReadTarget(describe_url(url), make_pool, reader, replica)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The hot read path and the access log use asyncpg; reads go to the usable
        # replicas (else the primary); key checks and the access log to the primary.
        monitor = ReplicaMonitor(
            replicas, max_lag=settings.read_replica_max_lag_seconds, timeout=replica_timeout,
            interval=settings.read_replica_check_seconds) if replicas else None
        reads = ReadPools(read_target(database.url, None),
                          [read_target(r.url, r) for r in replicas], monitor,
                          on_lost=[lambda replica: breakers[replica]()])
        await reads.start()
        app.state.reads = reads
        # The access log has connections of its own too: reads never wait behind commits.
        audit = AuditWriter(partial(connect_or_lost, database.url,
                                    timeout=CONNECT_TIMEOUT_SECONDS,
                                    server_settings={"application_name": "mdr-api-audit",
                                                     **limits}),
                            settings.audit_writers, chain_key=chain_key)
        audit.start()
        app.state.audit = audit
        app.state.records = RecordService(
            reads, audit, secret,
            TokenBucket(settings.rate_limit_per_second, settings.rate_limit_burst))
        # Everything loaded so far (FastAPI, pydantic, the specs, pandas under the
        # reconciliation routes) lives as long as the process: keep it out of the
        # collector, whose full passes over it were the lookups' 100+ ms p99 (bench/api).
        gc.freeze()
        try:
            yield
        finally:
            await audit.stop()
            await reads.stop()
            engine.dispose()
            read_engine.dispose()
            for replica_engine in replica_engines:
                replica_engine.dispose()

    app = MdrApi(
        title="mdr: National Master Data Repository API",
        version=mdr.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=PROBLEM_RESPONSES,
        # A redirect to the path without its trailing slash would repeat the path (a
        # personal identifier put in a URL, say) in Location: a 404 problem instead.
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.replicas = replicas
    app.state.read_sessions = ReadSessions(read_engine, list(zip(replicas, replica_engines,
                                                            strict=True)))
    # The chain key also serves access-log rows written outside the lanes (append_entries).
    app.state.secret, app.state.chain_key, app.state.log_keys = (
        secret, chain_key, LogKeys(secret, chain_key))
    install_problem_handlers(app)
    install_console(app)  # after the problem handlers: console errors render as HTML pages
    app.fast_lookup = fast_lookup
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes,
                       upload_paths=("/v1/reconciliation/runs",),
                       max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(RequestIdMiddleware, access_log=settings.access_log)
    for router in (health.router, catalogue.router, records.router, changes.router,
                   subject.router, portal.router, reconciliation.router, quality.router):
        app.include_router(router)
    return app
