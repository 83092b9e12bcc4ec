"""The reconciliation queue: uploaded copies are reconciled by worker processes.

A run of a national copy reads hundreds of megabytes and takes a minute of CPU; in the
API worker that also serves reads it starved them (a 68 MB upload took a worker from
262 MB to 2 GB). The upload route only stores the file and queues its run; ``mdr
worker`` (started by ``mdr up`` and ``mdr scheduler`` as a child process, or run on
its own) carries queued runs out, one at a time per process.

The run ledger is the queue: a queued ``reconciliation_run`` row with its stored upload
is a job. We chose it over a queue library (procrastinate, pgqueuer) because the run
already carries everything a job would (status, options, attempts, errors) in the
transaction that records the upload, and runs of one agency's copy of one dataset must
already be serialised by the advisory lock of :func:`reconciliation.service.run_lock`:
a worker takes a run by taking that lock without waiting, so several workers never
start the same run and a run whose agency is busy waits for the next turn. A worker
killed mid-run releases the lock with its connection; the next worker to take it
queues that run again (:data:`reconciliation.service.MAX_ATTEMPTS`). Workers wake on
``NOTIFY`` (:data:`reconciliation.service.QUEUE_CHANNEL`) and look again every few
seconds whatever happens.
"""

from __future__ import annotations

import logging
import select
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from mdr.db.sql import advisory_lock
from mdr.errors import MdrError, error_text
from reconciliation import service

log = logging.getLogger(__name__)

#: Seconds a worker waits for a NOTIFY before it looks at the queue again.
POLL_SECONDS = 5.0


def run_next(engine: Engine) -> int | None:
    """Carry out the oldest queued upload whose agency and dataset no other run holds;
    return its run id (finished or failed), or None when there is nothing to do."""
    with engine.connect() as conn:
        queued = conn.execute(text(
            "SELECT run_id, dataset, agency FROM reconciliation_run WHERE status = 'queued' "
            "AND upload_path IS NOT NULL ORDER BY run_id LIMIT 100")).all()
        conn.rollback()
        for run_id, dataset, agency in queued:
            with advisory_lock(conn, service.run_lock_name(dataset, agency), wait=False) as held:
                if not held:
                    continue
                row = conn.execute(text(
                    "SELECT dataset, agency, source, scope, status, granted_fields, "
                    "upload_path, options FROM reconciliation_run WHERE run_id = :r"),
                    {"r": run_id}).mappings().one()
                conn.rollback()
                if row["status"] != "queued":  # another worker ran it before we locked
                    continue
                _carry_out(engine, run_id, row)
                return int(run_id)
    return None


def _carry_out(engine: Engine, run_id: int, row: Any) -> None:
    options: dict[str, Any] = dict(row["options"] or {})
    try:
        service.execute_locked(
            engine, run_id, Path(row["upload_path"]), row,
            encoding=options.get("encoding"), mapping=options.get("mapping"),
            format_name=options.get("format"), source_name=row["source"])
    except MdrError as exc:
        log.info("reconciliation run failed", extra={"run_id": run_id, "error": exc.detail})
    except Exception as exc:
        # Not log.exception: a database error's text can quote the agency's rows.
        log.error("reconciliation run failed",
                  extra={"run_id": run_id, "error": error_text(exc)})


def work(engine: Engine, *, stop: Callable[[], bool] = lambda: False,
         once: bool = False, poll_seconds: float = POLL_SECONDS) -> int:
    """Carry out queued uploads until ``stop()`` (or, with ``once``, until none is left);
    return how many runs were carried out."""
    done = 0
    listener = engine.raw_connection()
    try:
        dbapi = listener.dbapi_connection
        assert dbapi is not None
        dbapi.autocommit = True  # LISTEN takes effect at once
        cursor = dbapi.cursor()
        cursor.execute(f"LISTEN {service.QUEUE_CHANNEL}")
        cursor.close()
        while not stop():
            if run_next(engine) is not None:
                done += 1
                continue
            if once:
                break
            _wait(dbapi, poll_seconds, stop)
    finally:
        listener.invalidate()  # not back to the pool: it listens, in autocommit
    return done


def _wait(dbapi: Any, seconds: float, stop: Callable[[], bool]) -> None:
    """Until a NOTIFY arrives, ``seconds`` pass or ``stop()`` (checked every second)."""
    deadline = time.monotonic() + seconds
    while not stop() and (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([dbapi], [], [], min(1.0, left))
        if ready:
            dbapi.poll()
            if dbapi.notifies:
                dbapi.notifies.clear()
                return
