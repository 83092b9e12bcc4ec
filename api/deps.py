"""Request-scoped dependencies: sessions committed or rolled back in one place."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session


def get_session(request: Request) -> Iterator[Session]:
    """A read-write session; committed when the route returns, rolled back if it raises."""
    session: Session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_read_session(request: Request) -> Iterator[Session]:
    """A READ ONLY session on a replica when configured, else on the primary."""
    session: Session = request.app.state.read_sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
