"""Column mapping: agency headers onto canonical fields, with clear reports."""

from __future__ import annotations

import polars as pl
import pytest

from entities.registry import get_dataset
from mdr.errors import InvalidInput
from reconciliation.columns import MatchRule, map_columns

RESIDENT = get_dataset("resident")


def test_korean_headers_map_by_label_and_synonym() -> None:
    mapping = map_columns(RESIDENT, ["성명", "주민등록번호", "생년월일", "비고"])
    assert mapping.mapped == {"성명": "name", "주민등록번호": "rrn", "생년월일": "birth_date"}
    assert mapping.unmapped == ("비고",)
    assert mapping.reasons == {"비고": "matches no field"}
    assert "household_id" in mapping.missing
    assert "name" not in mapping.missing
    assert set(mapping.missing) | set(mapping.fields) == set(RESIDENT.field_names)


def test_synonyms_ignore_case_spaces_and_punctuation() -> None:
    mapping = map_columns(RESIDENT, ["Jumin_No", "BIRTH DATE", "주민번호 "])
    assert mapping.mapped["Jumin_No"] == "rrn"
    assert mapping.rules["Jumin_No"] is MatchRule.SYNONYM
    assert mapping.mapped["BIRTH DATE"] == "birth_date"
    # a second column for the same field is reported, not silently dropped
    assert "주민번호 " in mapping.unmapped
    assert "already supplied" in mapping.reasons["주민번호 "]


def test_stronger_rule_wins_a_field() -> None:
    mapping = map_columns(RESIDENT, ["주민번호", "rrn"])
    assert mapping.mapped == {"rrn": "rrn"}
    assert mapping.rules["rrn"] is MatchRule.FIELD_NAME


def test_foreigner_headers_pick_the_right_name_field() -> None:
    spec = get_dataset("foreign_resident")
    mapping = map_columns(spec, ["영문성명", "한글성명", "외국인등록번호", "국적"])
    assert mapping.mapped == {
        "영문성명": "name",
        "한글성명": "name_ko",
        "외국인등록번호": "frn",
        "국적": "nationality",
    }


def test_explicit_mapping_overrides_and_ignores() -> None:
    mapping = map_columns(
        RESIDENT,
        ["이름", "번호", "성명", "메모"],
        {"이름": "name", "번호": "rrn", "성명": None, "메모": ""},
    )
    assert mapping.mapped == {"이름": "name", "번호": "rrn"}
    assert mapping.rules["이름"] is MatchRule.EXPLICIT
    assert mapping.reasons == {"성명": "ignored by the mapping", "메모": "ignored by the mapping"}


def test_mapping_to_an_unknown_field_is_an_error() -> None:
    with pytest.raises(InvalidInput, match="does not have: nickname"):
        map_columns(RESIDENT, ["별명"], {"별명": "nickname"})


def test_duplicate_headers_are_an_error() -> None:
    with pytest.raises(InvalidInput, match="duplicate column names: 성명"):
        map_columns(RESIDENT, ["성명", "성명"])


def test_a_copy_without_the_key_is_fine() -> None:
    mapping = map_columns(RESIDENT, ["성명", "생년월일"])
    assert "rrn" in mapping.missing
    assert mapping.unmapped == ()


def test_apply_renames_and_drops() -> None:
    frame = pl.DataFrame({"성명": ["홍길동"], "주민번호": ["x"], "비고": ["-"]})
    mapping = map_columns(RESIDENT, frame.columns)
    assert mapping.apply(frame).columns == ["name", "rrn"]
