"""SQL pieces the code splices in itself: identifiers, literals, JSON, advisory locks.

Values a caller sends always travel as bind parameters. What is spliced into SQL text is
what the code controls: table and column names from the dataset specs, and the few
values a statement cannot take as parameters (a ``COPY`` or DDL statement, a ``CASE``
built once per dataset). :func:`quote_ident` accepts only plain lower-case identifiers
and refuses anything else (a name that is not one is a bug, never data to escape);
:func:`literal` quotes a string the way PostgreSQL reads it with
``standard_conforming_strings`` on (the default since 9.1).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import orjson
from sqlalchemy import Connection, text

_IDENTIFIER: Final = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def quote_ident(name: str) -> str:
    """``name`` quoted as an SQL identifier; ``ValueError`` unless it is a plain lower-case
    identifier (letters, digits, ``_``; at most 63 characters, PostgreSQL's limit)."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"unsafe SQL identifier {name!r}")
    return f'"{name}"'


def literal(value: str) -> str:
    """``value`` as an SQL string literal (``''`` doubles a quote; NUL is refused, as
    PostgreSQL text cannot hold it)."""
    if "\x00" in value:
        raise ValueError("an SQL literal cannot hold a NUL character")
    return "'" + value.replace("'", "''") + "'"


def json_param(value: Any) -> str:
    """``value`` as JSON text for a ``CAST(:param AS jsonb)`` parameter (dates and other
    non-JSON values as their ``str``)."""
    return orjson.dumps(value, default=str).decode()


def advisory_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for ``name``."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def advisory_lock(conn: Connection, name: str, *, wait: bool = True) -> Iterator[bool]:
    """Hold the session advisory lock ``name`` on ``conn`` for the block; yield whether it
    is held (always, with ``wait``; without, False when another session holds it).

    A session lock outlives transactions, so ``conn``'s own commits and rollbacks in the
    block keep it; the lock ends with the block, or with the connection if the process
    dies. The lock statements are committed at once, so no transaction stays open.
    """
    key = advisory_key(name)
    function = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
    held = conn.execute(text(f"SELECT {function}(:k)"), {"k": key}).scalar() is not False
    conn.commit()
    try:
        yield held
    finally:
        if held:
            if conn.in_transaction():  # what the block left open is its failure
                conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()
