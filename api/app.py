"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import mdr
from api.middleware import RequestIdMiddleware
from api.problems import install_problem_handlers
from api.routes import health
from mdr.db.engine import Database, ReadSessions, resolve_database, session_factory
from mdr.logging import configure_logging
from mdr.settings import Settings, get_settings

DESCRIPTION = """
The **National Master Data Repository** serves the 14 national master datasets
(residents, land, buildings, vehicles, corporations, businesses, licences, ...)
as the single authoritative source for government agencies, with full history.

Agency calls carry an API key (`Authorization: Bearer <key>`) and a declared
purpose (`X-Purpose`); every served record is written to an access log that
data subjects can read. Personal identifiers never travel in URLs. Errors are
RFC 9457 `application/problem+json` with a stable `type`.
"""


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    database = database or resolve_database(settings)
    engine = database.engine("api", pool_size=settings.pool_size)
    read_engines = database.read_engines("api", pool_size=settings.pool_size)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()
        for read_engine in read_engines:
            read_engine.dispose()

    app = FastAPI(
        title="mdr: National Master Data Repository API",
        version=mdr.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.read_sessions = ReadSessions(read_engines)
    install_problem_handlers(app)
    app.add_middleware(RequestIdMiddleware)
    app.include_router(health.router)
    return app
