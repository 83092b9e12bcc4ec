"""Request-scoped dependencies: sessions committed or rolled back in one place."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
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
