"""Integrity-check benchmark: every rule over a national snapshot of 1M residents.

    .venv/bin/python -m bench.checks [--scale 1000000] [--url postgresql://...] [--repeat 3]

Steps, on a fresh database ``mdr_bench_checks`` of the given server (default: the
machine's, over TCP):

1. generate the synthetic national snapshot at ``--scale`` residents (all 14
   datasets; kept in ``--data`` between runs) and apply each CSV with the sync
   service, as production loads it, then ``VACUUM ANALYZE``;
2. run all rules as ``mdr checks run`` does (one scan per table), ``--repeat``
   times; the median is the number against the target (DESIGN.md section 8: all
   checks at national demo scale in at most 60 s);
3. time every row rule alone (its own scan), to name the slowest rules: in step
   2 a table's rules share one scan, so their separate costs cannot be told apart.

Results are rolled back (the benchmark stores no check runs). ``--reuse`` skips
step 1 when the database already holds a snapshot of the scale. Writes
``bench/results/checks.json``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.common import DEFAULT_SERVER, fresh_database, loaded_rows, median, write_result
from entities.catalogue import refresh_catalogue
from entities.registry import DATASETS
from mdr.db.engine import make_engine, session_factory, unit_of_work
from mdr.db.migrate import upgrade
from mdr.quality.rules import all_rules
from mdr.quality.runner import RunSummary, run_checks

TARGET_SECONDS = 60.0
DATABASE = "mdr_bench_checks"


def _loaded_rows(admin_url: str) -> dict[str, int] | None:
    """Live rows per dataset of an earlier run's database, or None when there is none."""
    return loaded_rows(make_url(admin_url).set(database=DATABASE).render_as_string(
        hide_password=False))


def snapshot(scale: int, seed: int, data: Path) -> Path:
    """The national snapshot's CSVs, generated once per scale and seed."""
    from entities.synthetic import generate_snapshot

    out = data / f"national-{scale}-seed{seed}"
    marker = out / ".complete"
    if not marker.exists():
        started = time.perf_counter()
        generate_snapshot(scale, out, seed=seed)
        marker.touch()
        print(f"generated the snapshot in {time.perf_counter() - started:.1f} s: {out}")
    return out


def load(engine: Engine, folder: Path) -> dict[str, int]:
    """Apply every dataset's CSV with the sync service; return live rows per dataset."""
    from sync.service import sync_file

    rows = {}
    for dataset in DATASETS:
        started = time.perf_counter()
        result = sync_file(engine, dataset, folder / f"{dataset}.csv")
        if result.quarantined:
            raise SystemExit(f"{dataset}: {result.quarantined} rows quarantined")
        rows[dataset] = result.created
        print(f"  synced {dataset:20} {result.created:>10,} rows "
              f"in {time.perf_counter() - started:6.1f} s")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return rows


def checks(engine: Engine, *, combine: bool) -> RunSummary:
    with Session(engine) as session:
        summary = run_checks(session, combine=combine)
        session.rollback()
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", default=DEFAULT_SERVER, help="admin URL of the server")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "mdr-bench")
    parser.add_argument("--reuse", action="store_true",
                        help=f"reuse {DATABASE} when it holds a snapshot of this scale")
    parser.add_argument("--no-per-rule", action="store_true",
                        help="skip timing each rule alone (step 3)")
    args = parser.parse_args()

    rows = _loaded_rows(args.url) if args.reuse else None
    if rows is not None and rows.get("resident") == args.scale:
        url = make_url(args.url).set(database=DATABASE).render_as_string(hide_password=False)
        upgrade(url)
        engine = make_engine(url, "bench", pool_size=2)
        print(f"reusing the loaded snapshot in {DATABASE}")
    else:
        folder = snapshot(args.scale, args.seed, args.data)
        url = fresh_database(args.url, DATABASE)
        upgrade(url)
        engine = make_engine(url, "bench", pool_size=2)
        with unit_of_work(session_factory(engine)) as session:
            refresh_catalogue(session)
        print(f"loading the snapshot ({args.scale:,} residents) with the sync service ...")
        rows = load(engine, folder)

    runs: list[RunSummary] = []
    for i in range(args.repeat):
        summary = checks(engine, combine=True)
        runs.append(summary)
        print(f"run {i + 1}: {len(summary.results)} rules in {summary.seconds:.2f} s, "
              f"{len(summary.failed)} failing")
    total = median([r.seconds for r in runs])
    last = runs[-1]
    scans: dict[str, float] = {}
    for result in last.results:
        scans[result.scan] = result.duration_ms / 1000
    slowest_scans = sorted(scans.items(), key=lambda kv: -kv[1])[:10]

    document: dict[str, Any] = {
        "benchmark": "checks",
        "scale": args.scale,
        "seed": args.seed,
        "rows": rows,
        "total_rows": sum(rows.values()),
        "rules": len(all_rules()),
        "repeat": args.repeat,
        "seconds_per_run": [round(r.seconds, 3) for r in runs],
        "median_seconds": round(total, 3),
        "target_seconds": TARGET_SECONDS,
        "within_target": total <= TARGET_SECONDS,
        "failing_rules_on_clean_data": sorted(r.rule.id for r in last.failed),
        "statements": len(scans),
        "slowest_statements": [{"statement": s, "seconds": round(t, 3)}
                               for s, t in slowest_scans],
    }
    print(f"\nall {len(all_rules())} rules over {sum(rows.values()):,} rows: "
          f"median {total:.2f} s (target {TARGET_SECONDS:.0f} s)")
    print("slowest statements:")
    for statement, seconds in slowest_scans:
        print(f"  {seconds:7.2f} s  {statement}")

    if not args.no_per_rule:
        started = time.perf_counter()
        alone = checks(engine, combine=False)
        per_rule = sorted(
            ((r.rule.id, r.duration_ms / 1000) for r in alone.results
             if r.scan.endswith(" alone")),
            key=lambda kv: -kv[1],
        )
        document["per_rule_pass_seconds"] = round(time.perf_counter() - started, 3)
        document["per_rule_sum_seconds"] = round(sum(t for _, t in per_rule), 3)
        document["slowest_rules"] = [{"rule": rule, "seconds": round(t, 3)}
                                     for rule, t in per_rule[:10]]
        print(f"each row rule alone: {document['per_rule_sum_seconds']:.1f} s in total "
              "(what one scan per table saves)\nslowest rules, each timed alone:")
        for rule, seconds in per_rule[:10]:
            print(f"  {seconds:7.2f} s  {rule}")
    engine.dispose()
    write_result("checks", document)


if __name__ == "__main__":
    main()
