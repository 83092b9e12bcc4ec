"""Every error, as RFC 9457 ``application/problem+json``, mapped in one place.

:class:`mdr.errors.MdrError` subclasses carry their own type and status; HTTP
errors raised by routing (404, 405), request validation (422) and anything
unexpected (500) are mapped here too. Bodies never carry a traceback or a
personal identifier; the request id ties a problem to its log lines.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from http import HTTPStatus
from typing import Any

import asyncpg
import orjson
import psycopg2.errors
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from mdr.db.held_connection import connection_broke
from mdr.errors import (
    PERSONAL_NUMBER,
    PROBLEM_BASE,
    DatabaseTimeout,
    DatabaseUnavailable,
    InvalidInput,
    MdrError,
    scrubbed,
    shown,
)
from mdr.logging import request_id_var

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class Problem(BaseModel):
    """RFC 9457 problem details; ``type`` is stable per kind of error."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None


def _documented(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


#: Documented on every operation: the errors any request may meet.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented("Bad request (e.g. a personal identifier in a URL)"),
    401: _documented("Missing, unknown, revoked or expired API key or token"),
    403: _documented("No grant for the dataset, fields or purpose"),
    404: _documented("Unknown dataset or record"),
    405: _documented("Method not allowed"),
    408: _documented("The request head did not arrive in time (the connection is closed)"),
    413: _documented("Request too large"),
    422: _documented("Invalid input; `errors` names each field"),
    429: _documented("Rate limit exceeded; see Retry-After"),
    431: _documented("Request headers too large (the connection is closed)"),
    500: _documented("Unexpected error (quote the request id)"),
    503: _documented("Database unavailable, too slow to answer (a statement ran out of "
                     "time), or not migrated; see Retry-After"),
}

_HTTP_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "payload-too-large",
    415: "unsupported-media-type",
    429: "too-many-requests",
}


#: A path segment holding a run of six or more digits: it may be a personal identifier
#: (a resident registration number put in a URL, which the API refuses, but an error
#: body or the log would repeat); a corporation or building number looks no different.
_NUMBER_SEGMENT = re.compile(r"[^/]*\d[\d-]{5,}[^/]*")


def public_path(path: str) -> str:
    """A request path fit for logs and error bodies."""
    return _NUMBER_SEGMENT.sub("{redacted}", path)


def _instance(request: Request) -> str:
    """The route template when one matched: a concrete path may hold a personal identifier."""
    route = request.scope.get("route")
    return str(getattr(route, "path", None) or request.url.path)


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    request: Request | str,
    *,
    extra: dict[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": _scrubbed(detail),
        "instance": public_path(request if isinstance(request, str) else _instance(request)),
    }
    request_id = request_id_var.get()
    if request_id:
        body["request_id"] = request_id
    if extra:
        body.update(_scrubbed(extra))
    return Response(
        orjson.dumps(body), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def mdr_problem(exc: MdrError, request: Request | str) -> Response:
    if exc.status >= 500:
        log.error("request failed: %s", exc.detail, extra={"problem": exc.slug})
    return problem_response(
        exc.status, exc.slug, exc.title, exc.detail, request, extra=exc.extra or None,
        headers=problem_headers(exc) or None,
    )


def problem_headers(exc: MdrError) -> dict[str, str]:
    """The headers an error's answer carries, in whatever body format."""
    retry_after = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    if exc.status == 401:  # RFC 9110: a 401 names the scheme to authenticate with
        headers["WWW-Authenticate"] = "Bearer"
    return headers


async def _mdr_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MdrError)
    return mdr_problem(exc, request)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    slug = _HTTP_SLUGS.get(status, "http-error")
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else {
        404: f"no route for {request.method} {public_path(request.url.path)}",
        405: f"{request.method} is not allowed on {public_path(request.url.path)}",
    }.get(status, phrase)
    return problem_response(status, slug, phrase, detail, request, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return validation_problem(exc.errors(), request)


def _location_part(part: Any) -> str:
    """A member name echoed in a 422 only if it reads as a name (see :func:`shown`): an
    unknown member named like a resident registration number is not repeated."""
    if isinstance(part, int) or (isinstance(part, str) and shown(part) == part):
        return str(part)
    return "(a member not shown)"


def _scrubbed(value: Any) -> Any:
    """``value`` with anything shaped like a resident or foreign registration number
    replaced: the last guard of the rule that no error repeats a personal identifier,
    whatever message a caller's value reached (a file name, a scope, an id)."""
    if isinstance(value, str):
        return scrubbed(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return scrubbed(str(value)) if PERSONAL_NUMBER.search(str(value)) else value
    if isinstance(value, list | tuple):
        return [_scrubbed(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items()}
    return value


def validation_problem(raw_errors: Sequence[Any], request: Request | str) -> Response:
    """422 naming each invalid field; ``raw_errors`` as pydantic reports them, each
    location starting with where the value was ("body", "query", ...)."""
    errors = [
        {
            # location without the leading "body"/"query" noise, e.g. "keys.3"
            "field": ".".join(_location_part(part) for part in err.get("loc", ())[1:])
            or "(body)",
            "in": str(err.get("loc", ("body",))[0]),
            "message": err.get("msg", "invalid"),
        }
        for err in raw_errors
    ]
    named = ", ".join(sorted({e["field"] for e in errors}))
    return problem_response(
        422, "invalid-input", "Invalid input", f"invalid value for: {named}", request,
        extra={"errors": errors},
    )


def unexpected_problem(path: str) -> Response:
    """The 500 answer: no traceback, no message from the exception, just the request id."""
    return problem_response(
        500, "internal-error", "Internal error",
        "an unexpected error occurred; quote the request id when reporting it", path,
    )


#: Errors that mean the database went away (refused, closed, shutting down), not a bug.
DATABASE_LOST: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError, asyncpg.AdminShutdownError,
    ConnectionError, TimeoutError, sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.DisconnectionError,
)
DATABASE_RETRY_AFTER_SECONDS = 5


NUL_REFUSED = (
    asyncpg.CharacterNotInRepertoireError, asyncpg.UntranslatableCharacterError,
    psycopg2.errors.CharacterNotInRepertoire, psycopg2.errors.UntranslatableCharacter,
)

#: A statement cancelled: past the API's statement_timeout or lock_timeout
#: (mdr.db.engine.statement_limits), or by an operator (pg_cancel_backend).
STATEMENT_CANCELLED = (
    asyncpg.QueryCanceledError, asyncpg.LockNotAvailableError,
    psycopg2.errors.QueryCanceled, psycopg2.errors.LockNotAvailable,
)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it wraps: SQLAlchemy's ``orig`` (the driver's error), causes."""
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = getattr(seen, "orig", None) or seen.__cause__


def holds_nul(exc: BaseException) -> bool:
    """Whether the database refused a value for a NUL character, which PostgreSQL text
    cannot hold (psycopg2 refuses it before sending, the server when it arrives)."""
    return any(isinstance(seen, NUL_REFUSED)
               or (isinstance(seen, ValueError) and "NUL" in str(seen))
               for seen in _causes(exc))


def statement_cancelled(exc: BaseException) -> bool:
    return any(isinstance(seen, STATEMENT_CANCELLED) for seen in _causes(exc))


def unexpected_response(exc: BaseException, path: str) -> Response:
    """The answer to an exception no handler expected: 503 (retry later) when a statement
    ran out of time or was cancelled, or the database went away (or a connection to it
    broke mid-statement), 422 for a NUL character no check caught, else 500 (logged
    with its traceback)."""
    if statement_cancelled(exc):  # before DATABASE_LOST: psycopg2's are OperationalErrors
        return mdr_problem(DatabaseTimeout(
            "a database statement took too long and was cancelled; retry later",
            retry_after=DATABASE_RETRY_AFTER_SECONDS), path)
    if isinstance(exc, DATABASE_LOST) or connection_broke(exc):
        return mdr_problem(DatabaseUnavailable(
            "the database is unavailable; retry later",
            retry_after=DATABASE_RETRY_AFTER_SECONDS), path)
    if holds_nul(exc):
        return mdr_problem(InvalidInput(
            "a value holds a NUL character, which no field can hold",
            errors=[{"field": "(a value)", "message": "NUL character not allowed"}]), path)
    log.exception("unhandled error", exc_info=exc)
    return unexpected_problem(path)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    return unexpected_response(exc, request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(MdrError, _mdr_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
