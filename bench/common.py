"""Shared plumbing for the benchmarks: timing, result files, national data, servers."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform()}


def write_result(name: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({**result, "machine": machine(),
                                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")},
                               indent=2, default=str))
    print(f"wrote {path}")
    return path


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ensure_tool(binary: str, package: str) -> str:
    """Find a load tool, installing its Debian package when missing."""
    found = shutil.which(binary)
    if found:
        return found
    print(f"installing {package} (apt-get)...", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", package], check=True,
                   stdout=subprocess.DEVNULL)
    found = shutil.which(binary)
    if not found:
        raise SystemExit(f"{binary} not available after installing {package}")
    return found


def fresh_database(admin_url: str, name: str, template: str | None = None) -> str:
    """Drop and create database ``name`` on the server, empty or as a file copy of
    database ``template`` (no WAL written for every page); return its URL."""
    import psycopg2
    from psycopg2 import sql
    from sqlalchemy.engine import make_url

    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if template is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        else:
            cur.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                sql.Identifier(name), sql.Identifier(template)))
    conn.close()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def mdr(*args: str, env: dict[str, str] | None = None, check: bool = True
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mdr.cli.main", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, check=check)


def generate_snapshot(scale: int, out: Path, datasets: list[str] | None = None,
                      seed: int = 7) -> Path:
    """A national snapshot at ``scale`` residents (kept between runs of a benchmark)."""
    marker = out / ".complete"
    if marker.exists():
        return out
    args = ["generate", "--scale", str(scale), "--out", str(out), "--seed", str(seed)]
    for dataset in datasets or []:
        args += ["--dataset", dataset]
    result = mdr(*args, check=False)
    if result.returncode != 0:
        raise SystemExit(f"mdr generate failed: {result.stderr[-2000:]}")
    marker.touch()
    return out


def loaded_rows(url: str) -> dict[str, int] | None:
    """Live rows per dataset in the database at ``url`` (from its catalogue), or None when
    there is no such database or it holds no master yet."""
    import psycopg2

    try:
        conn = psycopg2.connect(url)
    except psycopg2.OperationalError:
        return None
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT name, row_count FROM dataset_catalogue")
            return {name: int(count) for name, count in cur.fetchall()}
    except psycopg2.Error:
        return None
    finally:
        conn.close()
