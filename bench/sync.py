"""Sync benchmark: 1M-resident snapshots against a plain COPY of the same file.

    .venv/bin/python -m bench.sync [--scale 1000000] [--url postgresql://...]

Steps, on a fresh database of the given server (default: the machine's, over TCP):
1. a full snapshot into an empty master;
2. the same snapshot with 1% of rows changed and 0.5% removed;
3. that same file again (a duplicate batch: nothing to apply);
4. the same content in a new file (every row compared, none changed).
Each is reported with its ratio to a plain COPY of the same file into an unindexed
table, measured in the same run (median of three). Steps 2 to 4 run --repeat times,
each on a fresh copy of the master loaded in step 1 (CREATE DATABASE ... TEMPLATE),
and report the run with the median ratio of step 2. Each timed step and each COPY
starts after a CHECKPOINT, so none pays for the dirty pages of the one before.
Targets (DESIGN.md section 8): step 2 at most 5x COPY, step 3 at most 1x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
import polars as pl
import psycopg2

from bench.common import (
    DEFAULT_SERVER,
    fresh_database,
    generate_snapshot,
    median,
    timed,
    write_result,
)
from entities.catalogue import refresh_catalogue
from entities.registry import get_dataset
from mdr.db.engine import make_engine, session_factory, unit_of_work
from mdr.db.migrate import upgrade
from sync.service import SyncResult, sync_file


def plain_copy_seconds(url: str, path: Path, columns: list[str], repeat: int = 3) -> float:
    """COPY the file into a fresh unindexed (logged) table of text columns."""
    times = []
    for _ in range(repeat):
        conn = psycopg2.connect(url)
        with conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_plain_copy")
            cur.execute("CREATE TABLE bench_plain_copy ("
                        + ", ".join(f'"{c}" text' for c in columns) + ")")
        with conn, conn.cursor() as cur, path.open("rb") as handle:
            started = time.perf_counter()
            cur.copy_expert("COPY bench_plain_copy FROM STDIN WITH (FORMAT csv, HEADER true)",
                            handle)
            seconds = time.perf_counter() - started
        with conn, conn.cursor() as cur:
            cur.execute("DROP TABLE bench_plain_copy")
        conn.close()
        times.append(seconds)
    return median(times)


def checkpoint(url: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CHECKPOINT")
    conn.close()


def changed_snapshot(source: Path, target: Path, seed: int = 11) -> dict[str, int]:
    """1% of rows with a new name, 0.5% removed, the rest as they were."""
    frame = pl.read_csv(source, infer_schema=False)
    rng = np.random.default_rng(seed)
    n = frame.height
    order = rng.permutation(n)
    changed = np.zeros(n, dtype=bool)
    changed[order[: n // 100]] = True
    removed = np.zeros(n, dtype=bool)
    removed[order[n // 100: n // 100 + n // 200]] = True
    frame = frame.with_columns(
        pl.when(pl.Series(changed)).then(pl.col("name").str.slice(0, 1) + "새이름")
        .otherwise(pl.col("name")).alias("name")
    ).filter(~pl.Series(removed))
    frame.write_csv(target)
    return {"changed": int(changed.sum()), "removed": int(removed.sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--url", default=DEFAULT_SERVER, help="admin URL of the server")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "mdr-bench")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of steps 2-4, each on a fresh copy of the loaded master")
    args = parser.parse_args()

    spec = get_dataset("resident")
    snapshot_dir = generate_snapshot(args.scale, args.data / f"scale-{args.scale}", ["resident"])
    day1 = snapshot_dir / "resident.csv"
    day2 = args.data / f"resident-changed-{args.scale}.csv"
    planted = changed_snapshot(day1, day2)
    day2_again = args.data / f"resident-changed-crlf-{args.scale}.csv"
    url = fresh_database(args.url, "mdr_bench_sync")
    upgrade(url)
    engine = make_engine(url, "bench", pool_size=2)
    with unit_of_work(session_factory(engine)) as session:  # as `mdr db upgrade` does
        refresh_catalogue(session)
    archive = args.data / "archive"
    columns = list(spec.field_names)
    results: dict[str, object] = {"scale": args.scale, "planted": planted}
    jan, feb, mar = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
    # the same content under a new checksum: every row is compared, none applied
    day2_again.write_bytes(day2.read_bytes().replace(b"\n", b"\r\n"))

    copy1 = plain_copy_seconds(url, day1, columns)
    checkpoint(url)
    first, r1 = timed(lambda: sync_file(engine, "resident", day1, archive_dir=archive,
                                        as_of=jan))
    engine.dispose()

    runs = []
    for attempt in range(args.repeat):
        clone = fresh_database(args.url, "mdr_bench_sync_run", template="mdr_bench_sync")
        engine = make_engine(clone, "bench", pool_size=2)
        run: dict[str, tuple[float, float, SyncResult]] = {}
        copies: dict[Path, float] = {}
        for name, path, as_of in (("changed_1pct_removed_0_5pct", day2, feb),
                                  ("same_file_again", day2, feb),
                                  ("same_content_new_file", day2_again, mar)):
            if path not in copies:
                copies[path] = plain_copy_seconds(clone, path, columns)
            copy = copies[path]
            checkpoint(clone)
            seconds, result = timed(partial(sync_file, engine, "resident", path,
                                            archive_dir=archive / str(attempt), as_of=as_of))
            run[name] = (seconds, copy, result)
        engine.dispose()
        seconds, copy, _ = run["changed_1pct_removed_0_5pct"]
        print(f"run {attempt + 1}: changed snapshot {seconds:.2f} s, COPY {copy:.2f} s, "
              f"{seconds / copy:.2f}x")
        runs.append(run)
    ratios = [r["changed_1pct_removed_0_5pct"][0] / r["changed_1pct_removed_0_5pct"][1]
              for r in runs]
    median_run = runs[sorted(range(len(runs)), key=ratios.__getitem__)[len(runs) // 2]]
    results["changed_1pct_ratios_of_each_run"] = [round(r, 2) for r in ratios]

    steps = {"first_load": (first, copy1, r1), **median_run}
    print(f"{'step':32} {'seconds':>8} {'COPY s':>8} {'ratio':>6}  created/changed/ended/"
          "unchanged/quarantined")
    for name, (seconds, copy, result) in steps.items():
        ratio = seconds / copy
        results[name] = {"seconds": round(seconds, 3), "plain_copy_seconds": round(copy, 3),
                         "ratio_to_copy": round(ratio, 2), "status": result.status,
                         "created": result.created, "changed": result.changed,
                         "corrected": result.corrected,
                         "ended": result.ended, "unchanged": result.unchanged,
                         "quarantined": result.quarantined, "checked": result.checked,
                         "stages": result.timings}
        print(f"{name:32} {seconds:8.2f} {copy:8.2f} {ratio:6.2f}  {result.created}/"
              f"{result.changed}/{result.ended}/{result.unchanged}/{result.quarantined}")
    results["targets"] = {"changed_1pct_ratio_max": 5, "same_file_again_ratio_max": 1}
    write_result("sync", results)


if __name__ == "__main__":
    main()
