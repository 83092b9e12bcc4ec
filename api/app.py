"""The FastAPI application factory."""

from __future__ import annotations

import gc
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
from mdr.access.secrets import server_secret
from mdr.db.engine import Database, ReadSessions, resolve_database, session_factory
from mdr.db.held_connection import connect_or_lost
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
    engine = database.engine("api", pool_size=settings.pool_size)
    read_engines = database.read_engines("api", pool_size=settings.pool_size)

    secret = server_secret(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The hot read path and the access log use asyncpg; reads may go to a replica,
        # the access log always goes to the primary.
        read_url = (database.replica_urls or [database.url])[0]
        # min_size=0: no connection at start-up, so /healthz answers while the database is
        # down and /readyz says why.
        read_pool = await asyncpg.create_pool(
            read_url, min_size=0, max_size=settings.pool_size, reset=_keep_session,
            connect=connect_or_lost, server_settings={"application_name": "mdr-api"})
        # Key lookups and the access log have connections of their own, one per lane,
        # opened on first use; reads never wait behind commits.
        # A connect that cannot succeed fails its requests in seconds, not asyncpg's 60.
        # On the primary, lookups commit their access-log rows with the read itself.
        reader = KeyReader(partial(connect_or_lost, read_url, timeout=CONNECT_TIMEOUT_SECONDS,
                                   server_settings=SERVER_SETTINGS), settings.lookup_readers,
                           logs_access=not database.replica_urls)
        audit = AuditWriter(partial(connect_or_lost, database.url,
                                    timeout=CONNECT_TIMEOUT_SECONDS,
                                    server_settings={"application_name": "mdr-api-audit"}),
                            settings.audit_writers)
        audit.start()
        app.state.audit = audit
        app.state.records = RecordService(
            read_pool, reader, audit, secret,
            TokenBucket(settings.rate_limit_per_second, settings.rate_limit_burst))
        # Everything loaded so far (FastAPI, pydantic, the specs, pandas under the
        # reconciliation routes) lives as long as the process: keep it out of the
        # collector, whose full passes over it were the lookups' 100+ ms p99 (bench/api).
        gc.freeze()
        try:
            yield
        finally:
            await audit.stop()
            await reader.stop()
            await read_pool.close()
            engine.dispose()
            for read_engine in read_engines:
                read_engine.dispose()

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
    app.state.read_sessions = ReadSessions(read_engines)
    app.state.secret = secret
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
