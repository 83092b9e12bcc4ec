"""One exception hierarchy for the whole service.

Every error a user can cause or meet derives from :class:`MdrError`. Each class
carries a stable problem ``type`` slug and an HTTP status, so the API maps all
of them to RFC 9457 problem+json in one handler and the CLI prints them as one
line. Messages must never contain personal identifiers.
"""

from __future__ import annotations

import re
from typing import Any

PROBLEM_BASE = "https://mdr.go.kr/problems/"

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,62}")
#: A resident or foreign registration number however it is spelled: the six digits of
#: the birth date and the seven of the serial, apart by up to three separators of any
#: kind (hyphens, dashes, spaces, dots, slashes, underscores; five digits when a leading
#: zero was lost), or together as ten digits or more (a spreadsheet or a JSON number
#: drops the leading zeros of those born in the 2000s: 12 digits, down to 10 for 2000).
#: Digits of any script match (``\d``: full-width too). A longer number is taken whole:
#: a number is no name.
PERSONAL_NUMBER = re.compile(r"\d{5,6}[\W_]{1,3}\d{7}|\d{10,}")
NOT_SHOWN = "(a value that is not a name)"
NUMBER_NOT_SHOWN = "(a number not shown)"
# Hex of 32 characters or more is a digest or an id (SHA-256, a request id), whose runs
# of decimal digits are no number: left as it is, unless it is all digits.
_SCRUBBED = re.compile(r"([0-9A-Fa-f]{32,})|" + PERSONAL_NUMBER.pattern)


def scrubbed(text: str, replacement: str = NUMBER_NOT_SHOWN) -> str:
    """``text`` with anything shaped like a registration number replaced: the last guard
    of the rule that no message, answer, log line, run record or file name repeats a
    personal identifier, whatever a caller's value reached."""
    return _SCRUBBED.sub(lambda match: match[1] if match[1] and not match[1].isdigit()
                         else replacement, text)


def shown(value: str) -> str:
    """A caller's value as an error may repeat it: a name (of a dataset, field, search,
    purpose) as sent, anything else not at all, since it could be a personal identifier
    put in the wrong place."""
    # Six digits or more, however split (r580417_2592179): not a name, maybe a number.
    if _NAME.fullmatch(value) and sum(ch.isdigit() for ch in value) < 6:
        return value
    return NOT_SHOWN


class MdrError(Exception):
    """Base of every expected error. ``slug`` is the stable problem type."""

    slug = "internal-error"
    title = "Internal error"
    status = 500

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    @property
    def type_uri(self) -> str:
        return PROBLEM_BASE + self.slug


class ConfigurationError(MdrError):
    slug = "configuration-error"
    title = "Invalid configuration"


class DatabaseUnavailable(MdrError):
    slug = "database-unavailable"
    title = "Database unavailable"
    status = 503

    def __init__(self, detail: str, retry_after: int | None = None, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.retry_after = retry_after


class DatabaseTimeout(DatabaseUnavailable):
    """A statement was cancelled: it ran past the API's statement_timeout, waited past
    its lock_timeout, or an operator cancelled it. Not the caller's fault as such."""

    slug = "database-timeout"
    title = "The database did not answer in time"


class NotMigrated(MdrError):
    slug = "database-not-migrated"
    title = "Database schema is behind"
    status = 503


class NotFound(MdrError):
    slug = "not-found"
    title = "Not found"
    status = 404


class UnknownDataset(NotFound):
    slug = "unknown-dataset"
    title = "Unknown dataset"


class InvalidInput(MdrError):
    slug = "invalid-input"
    title = "Invalid input"
    status = 422


class InvalidIdentifier(InvalidInput):
    slug = "invalid-identifier"
    title = "Invalid identifier"


class Conflict(MdrError):
    slug = "conflict"
    title = "Conflict"
    status = 409


class MassEndRefused(Conflict):
    """A full snapshot that would end a large share of a register: usually a truncated
    export. Nothing is applied; an operator who means it says so."""

    slug = "mass-end-refused"
    title = "Snapshot would end too many records"


class Unauthorized(MdrError):
    slug = "unauthorized"
    title = "Missing or invalid credentials"
    status = 401


class Forbidden(MdrError):
    slug = "forbidden"
    title = "Forbidden"
    status = 403


class NoGrant(Forbidden):
    slug = "no-grant"
    title = "No grant for this dataset"


class FieldNotGranted(Forbidden):
    slug = "field-not-granted"
    title = "Fields not granted"


class PurposeNotGranted(Forbidden):
    slug = "purpose-not-granted"
    title = "Purpose not granted"


class RecordNotFound(NotFound):
    slug = "record-not-found"
    title = "Record not found"


class PersonalKeyInUrl(MdrError):
    slug = "personal-key-in-url"
    title = "Personal identifiers must not travel in URLs"
    status = 400


class RepeatedHeader(MdrError):
    """A header that must come once came more than once: which one counts is not for
    the server to guess (proxies and frameworks disagree on first or last)."""

    slug = "repeated-header"
    title = "A header that must come once came more than once"
    status = 400


class PayloadTooLarge(MdrError):
    slug = "payload-too-large"
    title = "Request too large"
    status = 413


class RequestTimeout(MdrError):
    """A connection sent part of a request head and then too little, too slowly."""

    slug = "request-timeout"
    title = "The request did not arrive in time"
    status = 408


class HeadersTooLarge(MdrError):
    slug = "headers-too-large"
    title = "Request headers too large"
    status = 431


class ClientGone(MdrError):
    """The client closed the connection before its answer: the work for it was stopped.
    Nobody reads the answer; 499 is how access logs (nginx's) name it."""

    slug = "client-closed-request"
    title = "The client closed the connection"
    status = 499


class RateLimited(MdrError):
    slug = "rate-limited"
    title = "Too many requests"
    status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


#: Characters of an error a run, batch or job records (what a person reads).
ERROR_TEXT_LIMIT = 2000


def error_text(exc: BaseException, limit: int = ERROR_TEXT_LIMIT) -> str:
    """What a failed run, batch or job records and logs about ``exc``.

    The error's class, then: an :class:`MdrError`'s message; an operating system error's
    reason (its file name is a path on the server); any other error's first line (a
    database error's message without the DETAIL and CONTEXT lines, which can quote the
    rows it failed on). Registration numbers are scrubbed
    (:func:`scrubbed`) and the text is capped at ``limit`` characters.
    """
    if isinstance(exc, MdrError):
        text = f"{type(exc).__name__}: {exc.detail}"
    elif isinstance(exc, KeyboardInterrupt):
        text = "interrupted"
    elif isinstance(exc, OSError) and exc.strerror:  # its file name is the server's path
        text = f"{type(exc).__name__}: {exc.strerror}"
    else:
        lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        text = f"{type(exc).__name__}: {lines[0] if lines else ''}"
    return scrubbed(text)[:limit]
