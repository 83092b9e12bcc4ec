"""Blocking: several keys, union of candidates, derived keys, the per-block cap."""

from __future__ import annotations

import datetime as dt

import polars as pl

from entities.registry import get_dataset
from reconciliation.blocking import blocking_keys, candidate_pairs, key_expr

RESIDENT = get_dataset("resident")


def _frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    agency = pl.DataFrame(
        {
            "__a": [0, 1],
            "name": ["홍길동", "김철수"],
            "birth_date": [dt.date(1980, 5, 1), dt.date(1990, 1, 2)],
        }
    )
    master = pl.DataFrame(
        {
            "__m": [0, 1, 2],
            "name": ["홍길동", "김철수", "이영희"],
            # the first person's birth date was mistyped: the birth-date block misses the pair
            "birth_date": [dt.date(1980, 1, 5), dt.date(1990, 1, 2), dt.date(1980, 5, 1)],
        }
    )
    return agency, master


def test_a_pair_is_found_although_one_blocking_key_differs() -> None:
    agency, master = _frames()
    only_birth, _ = candidate_pairs(agency, master, [("birth_date",)], max_block_pairs=100)
    assert (0, 0) not in only_birth.rows()
    both, stats = candidate_pairs(agency, master, [("birth_date",), ("name",)], max_block_pairs=100)
    assert (0, 0) in both.rows()
    assert both.height == len(set(both.rows()))  # union without duplicates
    assert [s.key for s in stats] == ["birth_date", "name"]


def test_blocks_over_the_cap_are_skipped_and_reported() -> None:
    agency = pl.DataFrame({"__a": list(range(20)), "sex": ["M"] * 20})
    master = pl.DataFrame({"__m": list(range(30)), "sex": ["M"] * 30})
    pairs, stats = candidate_pairs(agency, master, [("sex",)], max_block_pairs=500)
    assert pairs.height == 0
    assert (stats[0].skipped_blocks, stats[0].skipped_pairs) == (1, 600)
    pairs, stats = candidate_pairs(agency, master, [("sex",)], max_block_pairs=600)
    assert pairs.height == 600


def test_keys_on_fields_a_frame_lacks_are_skipped() -> None:
    agency, master = _frames()
    pairs, stats = candidate_pairs(agency, master, [("household_id",)], max_block_pairs=100)
    assert pairs.height == 0
    assert stats == []


def test_derived_keys_for_residents() -> None:
    keys = blocking_keys(RESIDENT)
    assert keys[: len(RESIDENT.linkage.blocking)] == RESIDENT.linkage.blocking
    assert ("rrn:head",) in keys
    assert ("rrn:tail",) in keys
    assert ("name:initials", "birth_date") in keys
    assert ("name:initials", "birth_date:year") in keys
    assert ("name:initials", "region_code") in keys
    assert blocking_keys(RESIDENT, derived=False) == RESIDENT.linkage.blocking


def test_key_transforms() -> None:
    frame = pl.DataFrame(
        {
            "rrn": ["8001011234567", "1234"],
            "name": ["홍길동", "KIM MIN JUN"],
            "birth_date": [dt.date(1980, 1, 1), None],
        }
    )

    def values(*key: str) -> list[str | None]:
        return frame.select(key_expr(key, frame.schema)).to_series().to_list()

    assert values("rrn:head") == ["8001011", None]  # short identifiers are not split
    assert values("rrn:tail") == ["234567", None]
    assert values("name:initials") == ["\u1112\u1100\u1103", "KMJ"]  # 초성 ㅎㄱㄷ
    assert values("birth_date:year") == ["1980", None]
    assert values("name:prefix") == ["홍길동", "KIM"]
    assert values("name:initials", "birth_date") == ["\u1112\u1100\u1103\x1f1980-01-01", None]


def test_an_unselective_key_is_dropped_whole() -> None:
    # 20 blocks of 40 x 40: each block is under the cap, but the key adds 40 pairs a record
    agency = pl.DataFrame({"__a": list(range(800)), "region": [str(i % 20) for i in range(800)]})
    master = pl.DataFrame({"__m": list(range(800)), "region": [str(i % 20) for i in range(800)]})
    pairs, stats = candidate_pairs(
        agency, master, [("region",)], max_block_pairs=2_000, max_pairs_per_record=25
    )
    assert pairs.height == 0
    assert stats[0].dropped
    kept, stats = candidate_pairs(agency, master, [("region",)], max_block_pairs=2_000)
    assert kept.height == 20 * 40 * 40
    assert not stats[0].dropped
