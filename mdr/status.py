"""What ``mdr status`` reports: database, schema revision, datasets, scheduler, replicas."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, inspect, text

from mdr.db.engine import Database, describe_url
from mdr.db.migrate import current_revision, head_revision
from mdr.db.replicas import check_replicas

#: Heartbeat intervals a scheduler may miss before it is reported as not running.
MISSED_BEATS = 3


def service_status(database: Database, engine: Engine, heartbeat_seconds: int = 60, *,
                   replica_max_lag: float = 30.0,
                   replica_timeout: float = 2.0) -> dict[str, Any]:
    """The report; each read replica is checked once, as the API checks it."""
    current, head = current_revision(engine), head_revision()
    with engine.connect() as conn:
        server_version = conn.execute(text("SHOW server_version")).scalar()
        heartbeat, beat_age = None, None
        if inspect(conn).has_table("scheduler_heartbeat"):
            heartbeat, beat_age = conn.execute(text(
                "SELECT max(beat_at), extract(epoch FROM now() - max(beat_at)) "
                "FROM scheduler_heartbeat")).one()
        datasets: list[dict[str, Any]] = []
        if inspect(conn).has_table("dataset_catalogue"):
            rows = conn.execute(text(
                "SELECT name, row_count, last_sync_at FROM dataset_catalogue ORDER BY name"
            )).mappings()
            datasets = [dict(row) for row in rows]
    return {
        "database": describe_url(database.url),
        "embedded": database.embedded,
        "server_version": server_version,
        "revision": current,
        "head": head,
        "migrated": current == head,
        "read_replicas": [replica.report() for replica in check_replicas(
            database.replica_urls, max_lag=replica_max_lag, timeout=replica_timeout)],
        "scheduler_last_heartbeat": heartbeat.isoformat() if heartbeat else None,
        # No heartbeat for several intervals: no scheduler is running (nightly jobs won't).
        "scheduler_running": beat_age is not None
        and float(beat_age) <= MISSED_BEATS * heartbeat_seconds,
        "datasets": datasets,
        "datasets_loaded": sum(1 for d in datasets if (d.get("row_count") or 0) > 0),
    }
