"""Scale check of the linkage engine on a synthetic resident master and agency copy.

Not a test (too slow for the suite): it measures what DESIGN.md section 8 asks of
reconciliation -- wall time, peak memory, precision and recall -- on data from
:mod:`tests.reconciliation.synthetic`, so the engine's share of the 1M x 1M
budget can be estimated before the full ``bench/reconcile`` exists.

Run: ``.venv/bin/python -m tests.reconciliation.scale_check 200000 [--cache DIR]``.
With ``--cache`` the generated raw frames are kept as Parquet and reused, so a
second run measures normalisation and linkage in a fresh process (peak memory
then excludes the generator).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import polars as pl

from entities.registry import get_dataset
from reconciliation.linkage import LinkSettings, link
from reconciliation.normalise import normalise_frame
from tests.reconciliation.synthetic import agency_copy, precision_recall, residents


def _load(n: int, cache: Path | None) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    if cache is not None:
        paths = [cache / f"{name}_{n}.parquet" for name in ("master", "agency", "truth")]
        if all(p.exists() for p in paths):
            master, agency, truth = (pl.read_parquet(p) for p in paths)
            return master, agency, truth
    case = agency_copy(residents(n, seed=11), seed=12)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        frames = {"master": case.master, "agency": case.agency, "truth": case.truth}
        for name, frame in frames.items():
            frame.write_parquet(cache / f"{name}_{n}.parquet")
    return case.master, case.agency, case.truth


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=200_000)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    spec = get_dataset("resident")

    start = time.perf_counter()
    master_raw, agency_raw, truth = _load(args.rows, args.cache)
    generate = time.perf_counter() - start

    start = time.perf_counter()
    master = normalise_frame(spec, master_raw)
    agency = normalise_frame(spec, agency_raw)
    normalise = time.perf_counter() - start
    del master_raw, agency_raw

    start = time.perf_counter()
    result = link(spec, master, agency, settings=LinkSettings())
    linkage = time.perf_counter() - start

    precision, recall = precision_recall(result.outcomes, truth)
    report: dict[str, object] = {
        "rows": args.rows,
        "agency_rows": agency.height,
        "generate_or_load_s": round(generate, 2),
        "normalise_s": round(normalise, 2),
        "link_s": round(linkage, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "precision": round(precision, 6),
        "recall": round(recall, 6),
        "outcomes": result.stats.outcomes,
        "tier_links": result.stats.tier_links,
        "candidate_pairs": result.stats.candidate_pairs,
        "pairs_per_agency_record": result.stats.pairs_per_agency_record,
        "engine_timings_s": result.stats.timings,
    }
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
