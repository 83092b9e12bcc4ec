"""Reconciliation benchmark: a 1M-row agency copy against a 1M-resident master.

    .venv/bin/python -m bench.reconcile [--scale 1000000] [--service-scale 100000]
                                        [--url postgresql://...] [--skip-service]

1. The snapshot: ``entities.synthetic.writer.generate_snapshot`` with agency copies
   (resident only; kept in ``/tmp/mdr-bench/agency-<scale>`` between runs).
2. The engine, in a child process so its peak memory is its own (``ru_maxrss``):
   read the master CSV and the agency copy (:mod:`reconciliation.intake`, as a run
   reads it), normalise both, link. No database: the number is the engine's.
3. Precision and recall against the truth file: a predicted link
   (``match``/``match_with_differences``) agency_row -> master_key is correct when
   the truth names that master key; recall is over truth rows with a master key;
   ``ambiguous`` counts as no link. Errors are broken down by tier, and misses by
   the corruption ``kind`` of the truth file.
4. The full service path (database, COPY in and out, work items) at a smaller
   scale on a fresh database of the given server: sync the master, then
   ``reconcile_file`` twice (the second run finds every work item again).

Targets (DESIGN.md section 8): 1M x 1M in at most 60 s and 4 GB; precision at
least 0.999, recall at least 0.995. Writes ``bench/results/reconcile.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

from bench.common import DEFAULT_SERVER, REPO, fresh_database, write_result

BENCH_DIR = Path("/tmp/mdr-bench")
TARGET_SECONDS = 60.0
TARGET_MEMORY_MB = 4096.0
TARGET_PRECISION = 0.999
TARGET_RECALL = 0.995
LINKED = ("match", "match_with_differences")


def snapshot(scale: int) -> Path:
    """The resident master and its agency copy at ``scale`` (generated once)."""
    from entities.synthetic.writer import generate_snapshot

    out = BENCH_DIR / f"agency-{scale}"
    marker = out / ".complete"
    if not marker.exists():
        started = time.perf_counter()
        generate_snapshot(scale, out, agency_copies=True, datasets=["resident"])
        marker.touch()
        print(f"generated {out} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


# ------------------------------------------------------------------------ engine (child)


def engine_child(folder: Path, out: Path) -> None:
    """Read, normalise and link; write outcomes to ``out`` and timings to stdout."""
    from entities.registry import get_dataset
    from reconciliation import intake
    from reconciliation.linkage import link
    from reconciliation.normalise import normalise_frame

    spec = get_dataset("resident")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    master_raw = pl.read_csv(folder / "resident.csv", infer_schema=False)
    copy = intake.read_agency_copy(spec, folder / "agency" / "resident.csv")
    timings["read"] = time.perf_counter() - started
    mark = time.perf_counter()
    master = normalise_frame(spec, master_raw)
    agency = normalise_frame(spec, copy.frame)
    timings["normalise"] = time.perf_counter() - mark
    mark = time.perf_counter()
    result = link(spec, master, agency)
    timings["link"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    result.outcomes.select("agency_row", "master_key", "outcome", "score", "tier").write_parquet(
        out
    )
    stats: dict[str, Any] = result.stats.as_dict()
    print(
        json.dumps(
            {
                "timings_s": {k: round(v, 3) for k, v in timings.items()},
                "engine_timings_s": stats["timings"],
                "agency_rows": copy.frame.height,
                "master_rows": master_raw.height,
                "candidate_pairs": stats["candidate_pairs"],
                "pairs_per_agency_record": stats["pairs_per_agency_record"],
                "tier2_agency_rows": stats["tier2_agency_rows"],
                "candidate_pairs_per_tier2_record": round(
                    stats["candidate_pairs"] / stats["tier2_agency_rows"], 3
                )
                if stats["tier2_agency_rows"]
                else 0.0,
                "max_pairs_per_agency_record": stats["max_pairs_per_agency_record"],
                "tier_links": stats["tier_links"],
                "outcomes": stats["outcomes"],
                "master_only": stats["master_only"],
                "rule_version": result.rule_version,
                "model": {
                    k: stats["model"].get(k)
                    for k in ("anchored", "iterations", "converged", "prior")
                },
            }
        )
    )


def measure_engine(folder: Path) -> dict[str, Any]:
    out = folder / "outcomes.parquet"
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-m", "bench.reconcile", "--engine-child", str(folder), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"engine run failed:\n{child.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report["child_wall_s"] = round(wall, 3)
    report["peak_rss_mb"] = round(peak_kb / 1024, 1)
    report["accuracy"] = evaluate(pl.read_parquet(out), folder / "agency" / "resident.truth.csv")
    return report


def evaluate(outcomes: pl.DataFrame, truth_file: Path) -> dict[str, Any]:
    """Precision and recall of the links; where the errors are (tiers, corruption kinds)."""
    truth = pl.read_csv(truth_file, infer_schema=False).select(
        pl.col("agency_row").cast(pl.Int64), pl.col("master_key").alias("true_key"), "kind"
    )
    joined = outcomes.join(truth, on="agency_row", how="left")
    linked = joined.filter(pl.col("outcome").is_in(LINKED))
    correct = linked.filter(pl.col("master_key") == pl.col("true_key"))
    wrong = linked.filter(
        pl.col("true_key").is_null() | (pl.col("master_key") != pl.col("true_key"))
    )
    expected = truth.filter(pl.col("true_key").is_not_null()).height
    missed = joined.filter(pl.col("true_key").is_not_null()).join(
        correct.select("agency_row"), on="agency_row", how="anti"
    )

    def counts(frame: pl.DataFrame, by: str) -> dict[str, int]:
        return {
            str(k): int(n)
            for k, n in frame.get_column(by).fill_null("-").value_counts(sort=True).iter_rows()
        }

    return {
        "links": linked.height,
        "correct_links": correct.height,
        "true_pairs": expected,
        "precision": round(correct.height / linked.height, 6) if linked.height else 1.0,
        "recall": round(correct.height / expected, 6) if expected else 1.0,
        "ambiguous": joined.filter(pl.col("outcome") == "ambiguous").height,
        "wrong_links_by_tier": counts(wrong, "tier"),
        "wrong_links_by_kind": counts(wrong, "kind"),
        "missed_by_kind": counts(missed, "kind"),
        "missed_by_outcome": counts(missed, "outcome"),
        "agency_only_truth": truth.filter(pl.col("true_key").is_null()).height,
        "agency_only_found": joined.filter(
            (pl.col("outcome") == "agency_only") & pl.col("true_key").is_null()
        ).height,
    }


# ------------------------------------------------------------------------ service path


def measure_service(scale: int, url: str) -> dict[str, Any]:
    from mdr.db.engine import make_engine
    from mdr.db.migrate import upgrade
    from reconciliation.service import reconcile_file
    from sync.service import sync_file

    folder = snapshot(scale)
    db = fresh_database(url, "mdr_bench_reconcile")
    upgrade(db)
    engine = make_engine(db, "bench", pool_size=2)
    try:
        started = time.perf_counter()
        sync_file(engine, "resident", folder / "resident.csv")
        sync_seconds = time.perf_counter() - started
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            result = reconcile_file(
                engine, "resident", folder / "agency" / "resident.csv", agency="BENCH"
            )
            runs.append(
                {
                    "run_id": result.run_id,
                    "seconds": round(time.perf_counter() - started, 3),
                    "timings_s": result.timings,
                    "items": result.items,
                    "outcomes": result.outcomes,
                }
            )
    finally:
        engine.dispose()
    return {"scale": scale, "master_sync_s": round(sync_seconds, 3), "runs": runs}


def main(argv: list[str] | None = None) -> dict[str, Any] | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--service-scale", type=int, default=100_000)
    parser.add_argument("--url", default=DEFAULT_SERVER, help="PostgreSQL server (admin URL)")
    parser.add_argument("--skip-service", action="store_true")
    parser.add_argument("--engine-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine_child is not None:
        engine_child(args.engine_child, args.out)
        return None

    folder = snapshot(args.scale)
    engine = measure_engine(folder)
    acc = engine["accuracy"]
    print(
        f"engine {engine['agency_rows']:,} x {engine['master_rows']:,}: "
        f"{engine['timings_s']['total']:.1f} s (read {engine['timings_s']['read']:.1f}, "
        f"normalise {engine['timings_s']['normalise']:.1f}, link "
        f"{engine['timings_s']['link']:.1f}), peak {engine['peak_rss_mb']:.0f} MB, "
        f"{engine['candidate_pairs_per_tier2_record']} candidate pairs per tier-2 record"
    )
    print(
        f"precision {acc['precision']:.6f}, recall {acc['recall']:.6f} "
        f"({acc['wrong_links_by_kind']} wrong, missed {acc['missed_by_kind']})"
    )
    result: dict[str, Any] = {
        "benchmark": "reconcile",
        "scale": args.scale,
        "engine": engine,
        "targets": {
            "seconds": TARGET_SECONDS,
            "memory_mb": TARGET_MEMORY_MB,
            "precision": TARGET_PRECISION,
            "recall": TARGET_RECALL,
        },
        "meets": {
            "seconds": engine["timings_s"]["total"] <= TARGET_SECONDS,
            "memory": engine["peak_rss_mb"] <= TARGET_MEMORY_MB,
            "precision": acc["precision"] >= TARGET_PRECISION,
            "recall": acc["recall"] >= TARGET_RECALL,
        },
    }
    if not args.skip_service:
        service = measure_service(args.service_scale, args.url)
        result["service"] = service
        print(
            f"service path at {args.service_scale:,}: "
            + ", ".join(f"run {r['run_id']} {r['seconds']:.1f} s" for r in service["runs"])
            + f" (master sync {service['master_sync_s']:.1f} s)"
        )
    write_result("reconcile", result)
    return result


if __name__ == "__main__":
    main()
