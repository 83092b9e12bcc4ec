"""Request-scoped dependencies: sessions committed or rolled back in one place.

Routes take ``WRITE_SESSION`` or ``READ_SESSION``, never ``Depends(get_session)``:
FastAPI's default scope for a dependency with ``yield`` ends it *after* the answer
is sent, so a client could get its 303 or 200 before the commit (and see the old
state on its next request, or a success for a commit that then failed). The
``function`` scope commits before the answer leaves.

Routers whose routes take ``READ_SESSION`` use :class:`ReadRetryRoute`: a route whose
replica failed under it runs again, once, on the primary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, Final

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from api.replicas import replica_lost
from mdr.db.engine import unit_of_work

log = logging.getLogger(__name__)


def get_session(request: Request) -> Iterator[Session]:
    """A read-write session; committed when the route returns, rolled back if it raises."""
    with unit_of_work(request.app.state.sessions) as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """A READ ONLY session on a usable replica when configured, else on the primary."""
    sessions = request.app.state.read_sessions
    on_primary = getattr(request.state, "read_on_primary", False)
    with unit_of_work(sessions.primary if on_primary else sessions) as session:
        request.state.read_session = session
        yield session


WRITE_SESSION: Final[Any] = Depends(get_session, scope="function")
READ_SESSION: Final[Any] = Depends(get_read_session, scope="function")


class ReadRetryRoute(APIRoute):
    """A route that runs again on the primary when its read session's replica failed
    under it (refused, reset, broken off as down or hung), rather than answering 503."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                session: Session | None = getattr(request.state, "read_session", None)
                replica = session.info.get("replica") if session is not None else None
                if session is None or replica is None or not replica_lost(exc):
                    raise
                log.warning("read on replica %s failed (%s): run again on the primary",
                            replica.name, type(exc).__name__)
                # Its dependency ends after this function returns: nothing is left for it
                # to commit on the broken connection.
                session.close()
                reads = getattr(request.app.state, "reads", None)
                if reads is not None and reads.monitor is not None:
                    reads.monitor.suspect(replica)
                request.state.read_on_primary = True
                return await handler(request)

        return run
