"""Benchmark ``mdr generate``: a synthetic national snapshot at a given scale.

Usage::

    .venv/bin/python -m bench.generate [--scale 1000000] [--repeat 3] [--agency-copies]

Each run generates all 14 datasets into a fresh temporary directory, in this
process (interpreter start-up and imports are not timed; they are the same for
every scale), and records wall time per dataset (building it, anything it
needs that was not built yet, and writing its CSV) and in total. The summary
is the median over repeats. With ``--agency-copies`` the runs are repeated with
agency copies and truth files, reported separately. The target (DESIGN.md §8)
is at most 60 s for 1M residents and the rest.

Writes ``bench/results/generate.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "generate.json"
TARGET_SECONDS = 60.0


def run_once(scale: int, seed: int, agency_copies: bool) -> dict[str, Any]:
    from entities.synthetic import generate_snapshot

    gc.collect()
    with tempfile.TemporaryDirectory(prefix="mdr-bench-generate-") as tmp:
        started = time.perf_counter()
        results = generate_snapshot(scale, Path(tmp), seed=seed, agency_copies=agency_copies)
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*.csv"))
    return {
        "agency_copies": agency_copies,
        "seconds": round(seconds, 3),
        "rows": sum(r.rows for r in results),
        "agency_rows": sum(r.agency_rows or 0 for r in results) if agency_copies else None,
        "bytes": size,
        "per_dataset": {r.dataset: round(r.seconds, 3) for r in results},
        "rows_per_dataset": {r.dataset: r.rows for r in results},
    }


def summarise(runs: list[dict[str, Any]], scale: int) -> dict[str, Any]:
    median = statistics.median(r["seconds"] for r in runs)
    datasets = list(runs[0]["per_dataset"])
    return {
        "median_seconds": round(median, 3),
        "residents_per_second": round(scale / median),
        "per_dataset": {
            d: round(statistics.median(r["per_dataset"][d] for r in runs), 3) for d in datasets
        },
        "rows": runs[0]["rows"],
        "rows_per_dataset": runs[0]["rows_per_dataset"],
    }


def machine() -> dict[str, Any]:
    import numpy
    import polars

    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "polars": polars.__version__,
    }
    try:
        import psutil

        info["memory_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    return info


def print_table(title: str, summary: dict[str, Any]) -> None:
    print(f"\n{title}")
    print(f"{'dataset':<22}{'rows':>12}{'seconds':>10}")
    for dataset, seconds in summary["per_dataset"].items():
        print(f"{dataset:<22}{summary['rows_per_dataset'][dataset]:>12,}{seconds:>10.2f}")
    print(f"{'total':<22}{summary['rows']:>12,}{summary['median_seconds']:>10.2f}")
    print(f"residents per second: {summary['residents_per_second']:,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="residents (default 1M)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode (median reported)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--agency-copies", action="store_true", help="also time runs with agency copies"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)

    runs = []
    modes = [False, True] if args.agency_copies else [False]
    for agency_copies in modes:
        for i in range(args.repeat):
            run = run_once(args.scale, args.seed, agency_copies)
            runs.append(run)
            label = "with agency copies" if agency_copies else "snapshot only"
            print(f"run {i + 1}/{args.repeat} ({label}): {run['seconds']:.2f} s", flush=True)

    plain = summarise([r for r in runs if not r["agency_copies"]], args.scale)
    document: dict[str, Any] = {
        "benchmark": "generate",
        "scale": args.scale,
        "seed": args.seed,
        "repeat": args.repeat,
        "target_seconds": TARGET_SECONDS,
        "median_seconds": plain["median_seconds"],
        "residents_per_second": plain["residents_per_second"],
        "per_dataset": plain["per_dataset"],
        "rows": plain["rows"],
        "rows_per_dataset": plain["rows_per_dataset"],
        "within_target": plain["median_seconds"] <= TARGET_SECONDS,
        "runs": runs,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "machine": machine(),
    }
    print_table(f"snapshot, scale {args.scale:,} (median of {args.repeat})", plain)
    if args.agency_copies:
        with_copies = summarise([r for r in runs if r["agency_copies"]], args.scale)
        document["agency_copies"] = with_copies
        print_table(f"with agency copies, scale {args.scale:,}", with_copies)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
