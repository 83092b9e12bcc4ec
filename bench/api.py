"""API benchmark: key lookups with auth and audit on, against pgbench -S on the same server.

    .venv/bin/python -m bench.api [--scale 1000000] [--workers 1] [--concurrency 8 32 64]

On a fresh database of the server (default: the machine's PostgreSQL over TCP):
load a national resident snapshot with `mdr sync`, start `mdr serve --workers N`,
and drive it from separate processes: wrk (random keys, at each concurrency) for
throughput and latency; `pgbench -S` against the same server at the same
concurrency for the ratio; wrk again at about 1,000 requests per second with random
(Poisson) arrivals for the p99;
then batches of 1,000 keys. Finally the access log must hold exactly one row per
served record, and its chains must verify. The same lookups are then served by the
references of bench/bare_lookup.py (no key, no grant, no access log), the least a
framework, an ASGI server and plain Python can do, for the ceiling of the machine.
Writes bench/results/api.json.

One API worker by default: on a 2-core machine the worker shares the cores with
PostgreSQL and the load generator, and one worker's requests share each lookup
statement and each access-log commit, where two workers' requests split them (fewer
wake-ups per request). Measured on such a machine, one worker served about 40% more
lookups at 8 connections, about a fifth more at 32, and as many at 64.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import polars as pl
import psycopg2
from sqlalchemy.engine import make_url

from bench.common import (
    DEFAULT_SERVER,
    REPO,
    ensure_tool,
    fresh_database,
    generate_snapshot,
    loaded_rows,
    median,
    write_result,
)
from entities.catalogue import refresh_catalogue
from mdr.db.engine import make_engine, session_factory, unit_of_work
from mdr.db.migrate import upgrade
from sync.service import sync_file

LOOKUP = "/v1/datasets/resident/records:lookup"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip()).groups()  # type: ignore[union-attr]
    return float(value) * UNITS[unit]


def run_wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    wrk = ensure_tool("wrk", "wrk")
    out = subprocess.run([wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
                          "--latency", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    result = {"requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])}  # type: ignore[index]
    result["requests"] = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = int(non2xx[1]) if non2xx else 0
    for pct in ("50", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.MULTILINE)
        result[f"p{pct}_ms"] = _ms(match[1]) if match else float("nan")
    return result


def run_pgbench(url: str, connections: int, seconds: int) -> float:
    parsed = make_url(url)
    out = subprocess.run(
        ["pgbench", "-S", "-n", "-c", str(connections), "-j", "2", "-T", str(seconds),
         "-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432),
         "-U", parsed.username or "postgres", parsed.database or "postgres"],
        capture_output=True, text=True, check=True).stdout
    return float(re.search(r"tps = ([\d.]+)", out)[1])  # type: ignore[index]


def run_wrk_at_rate(url: str, script: Path, rate: int, seconds: int) -> dict[str, float]:
    """Latency at about ``rate`` requests per second, arrivals at random.

    Each of 50 connections waits an exponentially distributed pause (mean 50 ms at 1,000
    req/s) before each request, so arrivals are independent, as from many agencies.
    hey's -q was used before: its workers' tickers fire in step, which turned 1,000
    req/s into bursts of 50 requests every 50 ms and measured the queue of a burst.
    """
    connections = 50
    paced = script.with_name("paced.lua")
    paced.write_text(
        f"local mean_delay_ms = {connections * 1000 / rate}\n"
        "function init(args) math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))"
        " end\n"
        "function delay() return math.floor(-math.log(1 - math.random()) * mean_delay_ms) end\n"
        + script.read_text())
    result = run_wrk(url, paced, connections, seconds)
    return {"target_rps": rate, "achieved_rps": result["requests_per_second"],
            "p50_ms": result["p50_ms"], "p90_ms": result["p90_ms"], "p99_ms": result["p99_ms"],
            "ok_responses": result["requests"] - result["non_2xx"]}


def _residents(url: str) -> int | None:
    return (loaded_rows(url) or {}).get("resident")


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer")
        time.sleep(0.3)


REFERENCES = {  # label: (how bench/bare_lookup.py serves it, port)
    "bare FastAPI": ("create_app", 18766),
    "bare ASGI": ("create_asgi_app", 18767),
    "bare protocol": ("", 18768),
}


def _bare_lookups(args: argparse.Namespace, env: dict[str, str], lua: Path,
                  rows: list[dict[str, float]], label: str) -> list[dict[str, float]]:
    """The same lookups against a reference of bench/bare_lookup.py (no auth, no
    audit), same server and workers (the bare protocol: one process, no server):
    what the real API is compared with."""
    factory, port = REFERENCES[label]
    server = _start([sys.executable, "-m", "uvicorn", "--factory", "--host", "127.0.0.1",
                     "--port", str(port), "--workers", str(args.workers), "--loop", "uvloop",
                     "--http", "httptools", "--ws", "none", "--no-access-log",
                     "--log-level", "warning", f"bench.bare_lookup:{factory}"]
                    if factory else [sys.executable, "-m", "bench.bare_lookup", str(port)], env)
    base = f"http://127.0.0.1:{port}"
    results = []
    try:
        _wait_ready(base + "/openapi.json")
        run_wrk(base, lua, 8, 3)
        for real in rows:
            bare = run_wrk(base, lua, int(real["concurrency"]), args.seconds)
            bare["concurrency"] = real["concurrency"]
            bare["ratio_to_pgbench"] = bare["requests_per_second"] / real["pgbench_tps"]
            bare["real_api_share_of_bare"] = real["requests_per_second"] / \
                bare["requests_per_second"]
            results.append(bare)
            print(f"{label} c={real['concurrency']:3.0f}: "
                  f"{bare['requests_per_second']:8.0f} req/s, ratio to pgbench "
                  f"{bare['ratio_to_pgbench']:.3f}; the real API does "
                  f"{bare['real_api_share_of_bare']:.0%} of it")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--url", default=DEFAULT_SERVER)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32, 64])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "mdr-bench")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the master of an earlier run (migrated to head) if it "
                        "holds the scale's residents, instead of loading it again")
    args = parser.parse_args()

    snapshot = generate_snapshot(args.scale, args.data / f"scale-{args.scale}", ["resident"])
    url = make_url(args.url).set(database="mdr_bench_api").render_as_string(
        hide_password=False)
    if not (args.reuse and _residents(url) == args.scale):
        url = fresh_database(args.url, "mdr_bench_api")
    upgrade(url)
    engine = make_engine(url, "bench", pool_size=2)
    with unit_of_work(session_factory(engine)) as session:  # as `mdr db upgrade` does
        refresh_catalogue(session)
    if _residents(url) != args.scale:
        loaded = sync_file(engine, "resident", snapshot / "resident.csv",
                           archive_dir=args.data / "archive")
        print(f"loaded {loaded.created:,} residents")
    from mdr.access.keys import create_key

    with unit_of_work(session_factory(engine)) as session:
        key_id, key = create_key(session, agency_code="BENCH", grants=["resident"],
                                 purposes=["bench"])
    keys = pl.read_csv(snapshot / "resident.csv", columns=["rrn"], infer_schema=False
                       )["rrn"].sample(20_000, seed=3).to_list()
    work = Path(tempfile.mkdtemp(prefix="mdr-bench-api-"))
    (work / "keys.txt").write_text("\n".join(keys) + "\n")
    headers = {"Authorization": f"Bearer {key}", "X-Purpose": "bench",
               "Content-Type": "application/json"}
    lua = work / "lookup.lua"
    lua.write_text(
        'local keys = {}\n'
        f'for line in io.lines("{work / "keys.txt"}") do keys[#keys + 1] = line end\n'
        'wrk.method = "POST"\n'
        + "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items())
        + 'request = function()\n'
        '  local k = keys[math.random(#keys)]\n'
        f'  return wrk.format(nil, "{LOOKUP}", nil, \'{{"keys":["\' .. k .. \'"]}}\')\n'
        'end\n')

    port = 18765
    env = {**os.environ, "MDR_DATABASE_URL": url,
           "MDR_SECRET_KEY": "bench-secret-of-at-least-32-characters",
           "MDR_RATE_LIMIT_PER_SECOND": "1000000", "MDR_RATE_LIMIT_BURST": "1000000",
           "MDR_LOG_LEVEL": "WARNING", "MDR_POOL_SIZE": "8"}
    server = _start([sys.executable, "-m", "mdr.cli.main", "serve", "--port", str(port),
                     "--workers", str(args.workers)], env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base + "/readyz")
        warm_up = run_wrk(base, lua, 8, 3)  # connections, plans, caches
        pgbench_url = fresh_database(args.url, "mdr_bench_pgbench")
        subprocess.run(["pgbench", "-i", "-q", "-s", "10", "-h", "127.0.0.1", "-U", "postgres",
                        "mdr_bench_pgbench"], check=True, capture_output=True)
        rows = []
        for connections in args.concurrency:
            api = run_wrk(base, lua, connections, args.seconds)
            tps = run_pgbench(pgbench_url, connections, args.seconds)
            api["pgbench_tps"] = tps
            api["ratio_to_pgbench"] = api["requests_per_second"] / tps
            api["concurrency"] = connections
            rows.append(api)
            print(f"c={connections:3}: {api['requests_per_second']:8.0f} req/s "
                  f"p50 {api['p50_ms']:.2f} ms p99 {api['p99_ms']:.2f} ms | pgbench -S "
                  f"{tps:8.0f} tps | ratio {api['ratio_to_pgbench']:.3f}")
        fixed = run_wrk_at_rate(base, lua, 1000, args.seconds)
        print(f"fixed 1000 req/s: achieved {fixed['achieved_rps']:.0f}, p50 "
              f"{fixed['p50_ms']:.2f} ms, p99 {fixed['p99_ms']:.2f} ms")
        batch_times = []
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            for i in range(60):
                chunk = keys[(i * 1000) % 19_000:(i * 1000) % 19_000 + 1000]
                started = time.perf_counter()
                response = client.post(LOOKUP, json={"keys": chunk})
                batch_times.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
        batch_times.sort()
        batch = {"batches": len(batch_times), "p50_ms": median(batch_times),
                 "p99_ms": batch_times[int(len(batch_times) * 0.99) - 1]}
        print(f"batch of 1,000 keys: p50 {batch['p50_ms']:.1f} ms, p99 {batch['p99_ms']:.1f} ms")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    bare = _bare_lookups(args, env, lua, rows, "bare FastAPI")
    bare_asgi = _bare_lookups(args, env, lua, rows, "bare ASGI")
    bare_protocol = _bare_lookups(args, env, lua, rows, "bare protocol")
    served = sum(r["requests"] - r["non_2xx"] for r in [warm_up, *rows]) \
        + fixed["ok_responses"] + 60 * 1000
    conn = psycopg2.connect(url)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*), count(DISTINCT chain_id) FROM access_log "
                    "WHERE key_id = %s", (key_id,))
        audited, chains = cur.fetchone()  # type: ignore[misc]
    conn.close()
    from mdr.access.audit import verify_chain
    from mdr.access.secrets import chain_key

    with engine.connect() as sa_conn:
        chain_report = verify_chain(sa_conn, chain_key(env["MDR_SECRET_KEY"].encode()))
    print(f"access log chains: {chains} written in this run; verify: {chain_report}")
    # wrk counts only the responses it read: a request in flight when a run stops is
    # served and audited but not counted, at most one per connection per run.
    in_flight = 8 + sum(args.concurrency) + 50  # warm-up, each run, the paced run
    complete = served <= audited <= served + in_flight
    print(f"records served {served:,}; audit rows {audited:,} (up to {in_flight} requests "
          f"in flight at run ends) {'OK' if complete else 'MISMATCH'}")
    write_result("api", {
        "scale": args.scale, "api_workers": args.workers, "lookups": rows,
        "bare_fastapi_lookups": bare, "bare_asgi_lookups": bare_asgi,
        "bare_protocol_lookups": bare_protocol, "fixed_rate": fixed,
        "batch_1000": batch,
        "audit": {"records_served_counted_by_clients": served, "audit_rows": audited,
                  "max_in_flight_at_run_ends": in_flight, "complete": complete,
                  "chains_written": chains, "verify": chain_report},
        "targets": {"ratio_to_pgbench_min": 0.15, "p99_ms_at_1000_rps_max": 10,
                    "batch_1000_p50_ms_max": 50},
    })


if __name__ == "__main__":
    main()
