"""Request-scoped dependencies: sessions committed or rolled back in one place.

Routes take ``WRITE_SESSION`` or ``READ_SESSION``, never ``Depends(get_session)``:
FastAPI's default scope for a dependency with ``yield`` ends it *after* the answer
is sent, so a client could get its 303 or 200 before the commit (and see the old
state on its next request, or a success for a commit that then failed). The
``function`` scope commits before the answer leaves.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from mdr.db.engine import unit_of_work


def get_session(request: Request) -> Iterator[Session]:
    """A read-write session; committed when the route returns, rolled back if it raises."""
    with unit_of_work(request.app.state.sessions) as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """A READ ONLY session on a replica when configured, else on the primary."""
    with unit_of_work(request.app.state.read_sessions) as session:
        yield session


WRITE_SESSION: Final[Any] = Depends(get_session, scope="function")
READ_SESSION: Final[Any] = Depends(get_read_session, scope="function")
