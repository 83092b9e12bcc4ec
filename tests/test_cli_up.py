"""`mdr up` end to end: ready quickly, nothing left behind, data reused."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.helpers import (
    clean_env,
    embedded_data_dir,
    free_port,
    no_postgres_left,
    postgres_processes,
)

pytestmark = pytest.mark.slow


def _start(data_dir: Path, port: int, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mdr.cli.main", *args, "--port", str(port)],
        env=clean_env(MDR_DATA_DIR=str(data_dir), MDR_LOG_FORMAT="json", MDR_DEMO_SCALE="300"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _wait_ready(proc: subprocess.Popen[str], port: int, timeout: float = 120) -> float:
    """Seconds until /readyz answers 200 (a deadline, generous: CI machines are shared;
    how fast it starts is measured by bench, not asserted here)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    # SIGTERM, so the embedded server it started stops too (SIGKILL would orphan it).
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
    raise AssertionError(f"not ready in {timeout}s: {proc.communicate()[1][-2000:]}")


def _leftovers(data_dir: Path, stderr: str) -> str:
    holders = (data_dir / "pg-holders.json").read_text() if (data_dir / "pg-holders.json"
                                                              ).exists() else "none"
    procs = [" ".join(p.info.get("cmdline") or []) for p in postgres_processes(data_dir / "pg")]
    return f"holders: {holders}\nprocesses: {procs}\nstderr tail:\n{stderr[-3000:]}"


def _demo_key_works(proc: subprocess.Popen[str], port: int) -> tuple[str, str]:
    """Read the printed demo key and use it; return it and the stderr read so far."""
    import re

    deadline = time.monotonic() + 10
    assert proc.stderr is not None
    seen = ""
    while "Demo key" not in seen and time.monotonic() < deadline:
        seen += proc.stderr.readline()
    match = re.search(r"(mdr_k[0-9a-f]+_[A-Za-z0-9_-]+)", seen)
    assert match, seen
    key = match[1]
    body = httpx.get(f"http://127.0.0.1:{port}/v1/portal/medicine",
                     params={"serviceKey": key, "numOfRows": 2}).json()
    assert body["response"]["header"]["resultCode"] == "00"
    assert body["response"]["body"]["totalCount"] > 0, "demo data is there"
    return key, seen


def _upload_is_reconciled_by_the_worker(proc: subprocess.Popen[str], port: int,
                                        key: str) -> None:
    """An upload is answered at once and carried out by `mdr worker`, a child process of
    `mdr up`, not by the API's own process."""
    headers = {"Authorization": f"Bearer {key}", "X-Purpose": "demo"}
    base = f"http://127.0.0.1:{port}"
    copy = b"name,birth_date\n\xea\xb9\x80\xec\xb2\xa0\xec\x88\x98,1980-01-01\n"
    answer = httpx.post(f"{base}/v1/reconciliation/runs", headers=headers,
                        data={"dataset": "resident", "agency": "DEMO"},
                        files={"file": ("copy.csv", copy, "text/csv")})
    assert answer.status_code == 202, answer.text
    workers = [c for c in psutil.Process(proc.pid).children(recursive=True)
               if "worker" in (c.cmdline() or [])]
    assert len(workers) == 1, "mdr up runs one reconciliation worker"
    deadline = time.monotonic() + 60
    while (run := httpx.get(f"{base}{answer.headers['location']}", headers=headers).json()
           )["status"] not in ("finished", "failed"):
        assert time.monotonic() < deadline, run
        time.sleep(0.2)
    assert run["status"] == "finished", run


def _stop(proc: subprocess.Popen[str], sig: signal.Signals) -> str:
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=30)
    return stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_up_ready_interrupt_and_reuse(sig: signal.Signals) -> None:
    data_dir = embedded_data_dir("up")
    pgdata = data_dir / "pg"
    port = free_port()

    first = _start(data_dir, port, "up")
    _wait_ready(first, port)
    key, printed = _demo_key_works(first, port)
    _upload_is_reconciled_by_the_worker(first, port, key)
    children = psutil.Process(first.pid).children(recursive=True)
    stderr = printed + _stop(first, sig)
    _, alive = psutil.wait_procs(children, timeout=10)
    assert not [c for c in alive if c.status() != psutil.STATUS_ZOMBIE], "the worker stops too"
    assert f"http://127.0.0.1:{port}" in stderr, "prints the API address"
    assert key in stderr, "prints a demo key"
    assert "Migrating" in stderr
    assert "Loaded demo data" in stderr
    assert no_postgres_left(pgdata), _leftovers(data_dir, stderr)

    created = (pgdata / "PG_VERSION").stat().st_mtime
    second = _start(data_dir, port, "up")
    _wait_ready(second, port)
    body = httpx.get(f"http://127.0.0.1:{port}/readyz").json()
    stderr = _stop(second, sig)
    assert body["status"] == "ready"
    assert "Migrating" not in stderr, "the second run reuses the migrated database"
    assert "Loaded demo data" not in stderr, "demo data is loaded into an empty database only"
    assert (pgdata / "PG_VERSION").stat().st_mtime == created
    assert no_postgres_left(pgdata), _leftovers(data_dir, stderr)
    shutil.rmtree(data_dir, ignore_errors=True)


def test_workers_log_json_with_request_ids_and_stop_together() -> None:
    data_dir = embedded_data_dir("logs")
    port = free_port()
    proc = _start(data_dir, port, "serve", "--access-log", "--workers", "2")
    _wait_ready(proc, port)
    httpx.get(f"http://127.0.0.1:{port}/healthz?serviceKey=key-must-not-be-logged",
              headers={"X-Request-ID": "trace-me-1"})
    workers = psutil.Process(proc.pid).children(recursive=True)
    stderr = _stop(proc, signal.SIGINT)
    # The workers and multiprocessing's resource tracker, which leaves once the
    # supervisor has gone.
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not [w for w in alive if w.status() != psutil.STATUS_ZOMBIE]
    records = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert records, stderr
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    (access,) = [r for r in records if r.get("request_id") == "trace-me-1"]
    assert access["logger"] == "mdr.access"
    assert access["message"].startswith("GET /healthz 200 ")
    assert "key-must-not-be-logged" not in stderr
    assert no_postgres_left(data_dir / "pg")
    shutil.rmtree(data_dir, ignore_errors=True)


def test_serve_refuses_a_port_already_listened_on() -> None:
    import socket

    data_dir = embedded_data_dir("port-taken")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _start(data_dir, port, "serve")
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in stderr
    assert not (data_dir / "pg").exists(), "fails before starting a database"
    shutil.rmtree(data_dir, ignore_errors=True)
