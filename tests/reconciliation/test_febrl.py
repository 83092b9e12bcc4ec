"""A FEBRL4 slice through the engine: no key, so the unanchored EM carries everything."""

from __future__ import annotations

import polars as pl

from bench.reconcile_febrl import SPEC, evaluate, load
from reconciliation.linkage import link
from reconciliation.normalise import normalise_frame


def test_febrl4_slice_links_without_labels() -> None:
    master_raw, agency_raw = load()
    ids = master_raw.get_column("rec_id").str.extract(r"rec-(\d+)-", 1).cast(pl.Int64)
    master_raw = master_raw.filter(ids < 1200)
    agency_ids = agency_raw.get_column("rec_id").str.extract(r"rec-(\d+)-", 1).cast(pl.Int64)
    agency_raw = agency_raw.filter(agency_ids < 1200)
    master = normalise_frame(SPEC, master_raw)
    agency = normalise_frame(SPEC, agency_raw.drop("rec_id"))
    result = link(SPEC, master, agency)
    assert result.stats.model["anchored"] is False
    assert result.stats.tier_links["key"] == 0
    metrics = evaluate(result.outcomes, agency_raw.get_column("rec_id"))
    assert metrics["precision"] >= 0.99
    assert metrics["recall"] >= 0.95
