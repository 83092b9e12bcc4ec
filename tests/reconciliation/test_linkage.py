"""The linkage engine on small frames built here: tiers, one-to-one, outcomes, evidence."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import polars as pl
import pytest

from entities.registry import get_dataset
from mdr.errors import InvalidInput
from reconciliation.linkage import OUTCOMES, LinkResult, LinkSettings, link
from reconciliation.normalise import normalise_frame
from tests.reconciliation.synthetic import residents

RESIDENT = get_dataset("resident")


@pytest.fixture(scope="module")
def master_raw() -> pl.DataFrame:
    """3,000 residents in households, values canonical, dates as text."""
    return residents(3000, seed=21).with_columns(pl.col("birth_date", "move_in_date").cast(str))


@pytest.fixture(scope="module")
def master(master_raw: pl.DataFrame) -> pl.DataFrame:
    return normalise_frame(RESIDENT, master_raw)


def _row(master_raw: pl.DataFrame, i: int) -> dict[str, Any]:
    return master_raw.row(i, named=True)


def agency_from(
    master_raw: pl.DataFrame,
    *,
    drop: set[int] | None = None,
    edits: Mapping[int, Mapping[str, Any]] | None = None,
    extra: list[dict[str, Any]] | None = None,
) -> pl.DataFrame:
    """A copy of the master (rows in order, minus ``drop``), edited, plus ``extra`` rows."""
    rows = []
    for i, row in enumerate(master_raw.iter_rows(named=True)):
        if drop and i in drop:
            continue
        rows.append({**row, **(edits or {}).get(i, {})})
    rows.extend(extra or [])
    return pl.DataFrame(rows, schema=master_raw.schema)


def run(master: pl.DataFrame, agency_raw: pl.DataFrame, **settings: Any) -> LinkResult:
    return link(
        RESIDENT, master, normalise_frame(RESIDENT, agency_raw), settings=LinkSettings(**settings)
    )


def outcome_of(result: LinkResult, agency_row: int) -> dict[str, Any]:
    return result.outcomes.filter(pl.col("agency_row") == agency_row).row(0, named=True)


def _unique_person(master_raw: pl.DataFrame, start: int = 0) -> int:
    """A row whose name and birth date are unique and whose household has several members."""
    counts = master_raw.group_by("name", "birth_date").len()
    unique = master_raw.join(counts.filter(pl.col("len") == 1), on=["name", "birth_date"])
    sizes = master_raw.group_by("household_id").len("members")
    pick = unique.join(sizes, on="household_id").filter(pl.col("members") >= 2)
    rrn = pick.get_column("rrn")[start]
    return int(master_raw.with_row_index().filter(pl.col("rrn") == rrn).get_column("index")[0])


def _typo(text: str, position: int) -> str:
    """Change the vowel of one Hangul syllable (a one-jamo typo)."""
    code = ord(text[position]) - 0xAC00
    lead, vowel, tail = code // 588, (code % 588) // 28, code % 28
    changed = chr(0xAC00 + lead * 588 + ((vowel + 4) % 21) * 28 + tail)
    return text[:position] + changed + text[position + 1 :]


def _moved(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "address_id": "11680"
        + row["address_id"][5:-1]
        + str((int(row["address_id"][-1]) + 1) % 10),
        "region_code": "11680",
        "household_id": str(int(row["household_id"]) + 7).zfill(11),
    }


# ------------------------------------------------------------------ tier 1


def test_reformatted_keys_link_in_the_key_tier(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    agency = agency_from(master_raw).with_columns(
        rrn=pl.col("rrn").str.slice(0, 6) + "-" + pl.col("rrn").str.slice(6),
        sex=pl.col("sex").replace_strict({"M": "남", "F": "여"}),
        birth_date=pl.col("birth_date").str.replace_all("-", "."),
    )
    result = run(master, agency)
    assert result.outcomes.height == agency.height
    assert set(result.outcomes.get_column("tier").to_list()) == {"key"}
    assert set(result.outcomes.get_column("outcome").to_list()) == {"match"}
    assert (
        result.outcomes.get_column("master_key").to_list() == master_raw.get_column("rrn").to_list()
    )
    assert result.master_only.height == 0
    assert result.stats.tier_links["key"] == agency.height


def test_field_differences_after_normalisation(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    row = _row(master_raw, 5)
    status = "사망" if row["status"] == "alive" else "생존"
    agency = agency_from(
        master_raw,
        edits={
            5: {"status": status, "name": row["name"][0] + " " + row["name"][1:]},
            6: {"household_role": None},
        },
    ).drop("move_in_date")  # a field the copy does not keep
    result = run(master, agency)
    five, six = outcome_of(result, 5), outcome_of(result, 6)
    assert five["outcome"] == "match_with_differences"
    assert five["differing_fields"] == ["status"]  # the space in the name is not a difference
    assert six["differing_fields"] == ["household_role"]  # null in the copy, a value in the master
    assert "move_in_date" not in result.stats.compared_fields
    evidence = result.evidence.filter(pl.col("agency_row") == 5)
    assert evidence.get_column("field").to_list() == ["status"]
    assert evidence.get_column("level").to_list() == ["different"]


def test_secondary_key_links_a_row_without_its_key(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    i = _unique_person(master_raw)
    agency = agency_from(master_raw, edits={i: {"rrn": None}})
    result = run(master, agency)
    got = outcome_of(result, i)
    assert got["tier"] == "secondary"
    assert got["master_key"] == _row(master_raw, i)["rrn"]
    assert got["outcome"] == "match_with_differences"
    assert got["differing_fields"] == ["rrn"]
    fields = result.evidence.filter(pl.col("agency_row") == i).get_column("field").to_list()
    assert {"name", "birth_date", "address_id"} <= set(fields)


def test_secondary_key_must_be_unique_on_both_sides(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    i = _unique_person(master_raw)
    twin = {**_row(master_raw, i), "rrn": None}
    # the copy holds the person twice without a key: the secondary key is not unique there
    agency = agency_from(master_raw, edits={i: {"rrn": None}}, extra=[twin])
    result = run(master, agency)
    assert outcome_of(result, i)["tier"] != "secondary"
    assert outcome_of(result, agency.height - 1)["tier"] != "secondary"


def test_duplicate_keys_in_the_copy_link_once(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    row = _row(master_raw, 10)
    stale = {**row, "status": "사망" if row["status"] == "alive" else "생존"}
    agency = agency_from(master_raw, extra=[stale])
    result = run(master, agency)
    assert outcome_of(result, 10)["outcome"] == "match"
    dup = outcome_of(result, agency.height - 1)
    assert dup["outcome"] == "ambiguous"
    assert dup["master_key"] == row["rrn"]
    assert dup["tier"] == "key"


# ------------------------------------------------------------------ tier 2


def test_key_typo_and_name_typo_link_probabilistically(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    i = _unique_person(master_raw)
    row = _row(master_raw, i)
    rrn = row["rrn"][:9] + str((int(row["rrn"][9]) + 3) % 10) + row["rrn"][10:]
    agency = agency_from(
        master_raw, edits={i: {"rrn": rrn, "name": _typo(row["name"], 2), **_moved(row)}}
    )
    result = run(master, agency)
    got = outcome_of(result, i)
    assert got["tier"] == "probabilistic"
    assert got["outcome"] == "match_with_differences"
    assert got["master_key"] == row["rrn"]
    assert {"rrn", "name", "address_id"} <= set(got["differing_fields"])
    assert 0.95 <= got["score"] <= 1.0
    levels = dict(
        result.evidence.filter(pl.col("agency_row") == i).select("field", "level").iter_rows()
    )
    assert levels["rrn"] == "one_edit"
    assert levels["name"] in ("close", "similar")
    assert levels["birth_date"] == "exact"


def test_missing_key_with_name_typo_links_probabilistically(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    i = _unique_person(master_raw, start=1)
    row = _row(master_raw, i)
    agency = agency_from(master_raw, edits={i: {"rrn": None, "name": _typo(row["name"], 1)}})
    result = run(master, agency)
    got = outcome_of(result, i)
    assert (got["tier"], got["master_key"]) == ("probabilistic", row["rrn"])
    assert set(got["differing_fields"]) == {"rrn", "name"}


def test_swapped_day_and_month_is_found_through_another_blocking_key(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    i = _unique_person(master_raw, start=2)
    row = _row(master_raw, i)
    year, month, day = row["birth_date"].split("-")
    swapped = f"{year}-{day}-{month}" if int(day) <= 12 and day != month else f"{year}-{month}-01"
    agency = agency_from(master_raw, edits={i: {"rrn": None, "birth_date": swapped}})
    result = run(master, agency)
    got = outcome_of(result, i)
    assert (got["tier"], got["master_key"]) == ("probabilistic", row["rrn"])
    assert "birth_date" in got["differing_fields"]


def test_a_relative_is_not_taken_for_a_missing_person(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    """A newborn only the copy knows must not link to a sibling the copy lacks."""
    i = _unique_person(master_raw, start=3)
    sibling = _row(master_raw, i)
    newborn = {
        **sibling,
        "rrn": None,
        "name": sibling["name"][0] + "다은",
        "birth_date": "2023-07-14",
        "household_role": "member",
    }
    agency = agency_from(master_raw, drop={i}, extra=[newborn])
    result = run(master, agency)
    got = outcome_of(result, agency.height - 1)
    assert got["outcome"] == "agency_only"
    assert sibling["rrn"] in result.master_only.get_column("master_key").to_list()


def test_a_moved_resident_without_key_is_still_found(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    i = _unique_person(master_raw, start=4)
    row = _row(master_raw, i)
    agency = agency_from(
        master_raw, edits={i: {"rrn": None, **_moved(row), "move_in_date": "2024-01-02"}}
    )
    result = run(master, agency)
    got = outcome_of(result, i)
    assert (got["outcome"], got["master_key"]) == ("match_with_differences", row["rrn"])


def test_two_rows_competing_for_one_master_record(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    i = _unique_person(master_raw, start=5)
    row = _row(master_raw, i)
    good = {**row, "rrn": None}
    worse = {
        **row,
        "rrn": None,
        "name": _typo(row["name"], 1),
        "status": "사망",
        "household_role": "세대원" if row["household_role"] == "head" else "세대주",
    }
    agency = agency_from(master_raw, drop={i}, extra=[good, worse])
    result = run(master, agency, use_secondary_keys=False)  # both compete in tier 2
    first, second = outcome_of(result, agency.height - 2), outcome_of(result, agency.height - 1)
    assert (first["outcome"], first["tier"]) == ("match_with_differences", "probabilistic")
    assert first["differing_fields"] == ["rrn"]
    assert first["master_key"] == row["rrn"]
    assert second["outcome"] in ("ambiguous", "agency_only")
    linked = result.outcomes.filter(pl.col("outcome").str.starts_with("match"))
    assert linked.get_column("master_key").is_duplicated().sum() == 0


def test_equal_competitors_are_both_ambiguous(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    i = _unique_person(master_raw, start=6)
    row = {**_row(master_raw, i), "rrn": None}
    agency = agency_from(master_raw, drop={i}, extra=[row, dict(row)])
    result = run(master, agency)
    for r in (agency.height - 2, agency.height - 1):
        got = outcome_of(result, r)
        assert got["outcome"] == "ambiguous"
        assert got["master_key"] == _row(master_raw, i)["rrn"]
    assert _row(master_raw, i)["rrn"] not in result.master_only.get_column("master_key").to_list()


# ------------------------------------------------------------------ outcomes


def test_agency_only_master_only_and_scope(master_raw: pl.DataFrame, master: pl.DataFrame) -> None:
    stranger = residents(1, seed=99).with_columns(pl.col("birth_date", "move_in_date").cast(str))
    dropped = {3, 4, 5}
    agency = agency_from(master_raw, drop=dropped, extra=stranger.to_dicts())
    result = run(master, agency)
    assert outcome_of(result, agency.height - 1)["outcome"] == "agency_only"
    assert outcome_of(result, agency.height - 1)["master_key"] is None
    missing = {_row(master_raw, i)["rrn"] for i in dropped}
    assert set(result.master_only.get_column("master_key").to_list()) == missing

    region = _row(master_raw, 3)["region_code"]
    scoped = run(master, agency, scope=(region,))
    in_scope = {
        _row(master_raw, i)["rrn"]
        for i in dropped
        if _row(master_raw, i)["region_code"].startswith(region)
    }
    assert set(scoped.master_only.get_column("master_key").to_list()) == in_scope
    province = run(master, agency, scope=(region[:2],))
    assert set(province.master_only.get_column("master_key").to_list()) >= in_scope


def test_scope_needs_a_scope_field(master: pl.DataFrame) -> None:
    goods = get_dataset("goods")
    with pytest.raises(InvalidInput, match="scope"):
        link(
            goods,
            pl.DataFrame({"goods_id": ["1"]}),
            pl.DataFrame({"goods_id": ["1"]}),
            settings=LinkSettings(scope=("11",)),
        )


def test_result_frames_have_the_contracted_shape(
    master_raw: pl.DataFrame, master: pl.DataFrame
) -> None:
    rng = np.random.default_rng(4)
    edits: dict[int, dict[str, Any]] = {}
    for i in rng.choice(master_raw.height, 60, replace=False).tolist():
        row = _row(master_raw, i)
        edits[i] = {"rrn": None} if i % 2 else {"name": _typo(row["name"], 2), "rrn": None}
    agency = agency_from(master_raw, drop={1, 2}, edits=edits)
    result = run(master, agency)
    out = result.outcomes
    assert out.columns == [
        "agency_row",
        "master_key",
        "outcome",
        "score",
        "differing_fields",
        "tier",
    ]
    assert out.schema["differing_fields"] == pl.List(pl.String)
    assert out.get_column("agency_row").to_list() == list(range(agency.height))
    assert set(out.get_column("outcome").unique().to_list()) <= set(OUTCOMES)
    scores = out.get_column("score")
    assert scores.min() >= 0.0  # type: ignore[operator]
    assert scores.max() <= 1.0  # type: ignore[operator]
    assert result.evidence.columns == [
        "agency_row",
        "field",
        "agency_value",
        "master_value",
        "level",
        "weight",
    ]
    assert result.master_only.columns == ["master_key"]
    assert result.rule_version.startswith("mdr-linkage/1+")
    assert result.stats.timings.keys() >= {"tier1_key", "tier2_blocking", "tier2_em", "assemble"}
    assert result.stats.model["anchored"] is True
    # every probabilistic link carries evidence for every compared field
    prob = out.filter(pl.col("tier") == "probabilistic").get_column("agency_row")
    per_row = (
        result.evidence.filter(pl.col("agency_row").is_in(prob.implode()))
        .group_by("agency_row")
        .len()
    )
    assert set(per_row.get_column("len").to_list()) == {len(result.stats.compared_fields)}


def test_rule_version_changes_with_settings(master_raw: pl.DataFrame, master: pl.DataFrame) -> None:
    agency = agency_from(master_raw).head(50)
    a = run(master, agency)
    b = run(master, agency, match_threshold=0.99)
    assert a.rule_version != b.rule_version


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="review_threshold"):
        LinkSettings(review_threshold=0.9, match_threshold=0.5)


def test_stats_are_plain_json(master_raw: pl.DataFrame, master: pl.DataFrame) -> None:
    agency = agency_from(master_raw, edits={7: {"rrn": None, "name": "무명씨"}})
    stats = run(master, agency).stats.as_dict()
    text = json.dumps(stats, allow_nan=False)
    assert "tier2_em" in text
    assert isinstance(stats["candidate_pairs"], int)


def test_empty_and_unnormalised_frames(master_raw: pl.DataFrame, master: pl.DataFrame) -> None:
    empty = normalise_frame(RESIDENT, master_raw.head(0))
    nothing = link(RESIDENT, master, empty)
    assert nothing.outcomes.height == 0
    assert nothing.master_only.height == master.height
    no_master = link(RESIDENT, master.head(0), normalise_frame(RESIDENT, master_raw.head(5)))
    assert no_master.outcomes.get_column("outcome").to_list() == ["agency_only"] * 5
    with pytest.raises(InvalidInput, match="normalise both frames"):
        link(RESIDENT, master, master_raw)
