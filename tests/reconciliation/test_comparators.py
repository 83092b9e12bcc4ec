"""Comparators: agreement levels for each kind of field."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from entities.registry import get_dataset
from entities.spec import Comparator, FieldSpec, FieldType
from reconciliation.comparators import MISSING, compare, scheme

RESIDENT = get_dataset("resident")


def _field(compare_as: Comparator, ftype: FieldType = FieldType.TEXT) -> FieldSpec:
    return FieldSpec("f", ftype, "t", "f", "f", "f", compare=compare_as)


def _levels(field: FieldSpec, pairs: list[tuple[object, object]]) -> list[str]:
    left = pl.Series([a for a, _ in pairs])
    right = pl.Series([b for _, b in pairs])
    labels = [*scheme(field).labels]
    return [labels[x] if x != MISSING else "missing" for x in compare(field, left, right)]


def test_identifier_levels() -> None:
    field = RESIDENT.field_spec("rrn")
    assert _levels(
        field,
        [
            ("8001011234567", "8001011234567"),
            ("8001011234567", "8001011234568"),  # one digit
            ("8001011234567", "8001011235467"),  # adjacent transposition
            ("8001011234567", "8001011239999"),
            ("8001011234567", None),
        ],
    ) == ["exact", "one_edit", "one_edit", "different", "missing"]


def test_date_levels() -> None:
    field = RESIDENT.field_spec("birth_date")
    d = dt.date
    assert _levels(
        field,
        [
            (d(1980, 3, 5), d(1980, 3, 5)),
            (d(1980, 3, 5), d(1980, 5, 3)),  # day and month swapped
            (d(1980, 3, 5), d(1980, 3, 6)),  # one-digit slip
            (d(1980, 3, 15), d(1980, 3, 51 - 40)),  # 15 -> 11: one digit
            (d(1980, 3, 5), d(1981, 7, 9)),
        ],
    ) == ["exact", "swap_or_slip", "swap_or_slip", "swap_or_slip", "different"]


def test_hangul_names_compare_by_jamo() -> None:
    field = RESIDENT.field_spec("name")
    levels = _levels(field, [("홍길동", "홍길동"), ("홍길동", "홍길둥"), ("홍길동", "이영희")])
    assert levels[0] == "exact"
    assert levels[1] in ("close", "similar")  # one-jamo typo
    assert levels[2] == "different"


def test_address_levels_ignore_order_and_lost_spaces() -> None:
    field = _field(Comparator.ADDRESS)
    assert _levels(
        field,
        [
            ("서울특별시 강남구 테헤란로 1", "강남구 서울특별시 테헤란로 1"),
            ("BROUGHTONBROOK", "BROUGHTON BROOK"),
            ("서울특별시 강남구 테헤란로 1", "부산광역시 해운대구 우동 2"),
        ],
    ) == ["close", "close", "different"]


def test_numeric_and_exact_levels() -> None:
    numeric = _field(Comparator.NUMERIC, FieldType.DECIMAL)
    assert _levels(numeric, [(100.0, 100.0), (100.0, 103.0), (100.0, 150.0), (0.0, 0.0)]) == [
        "exact",
        "close",
        "different",
        "exact",
    ]
    exact = RESIDENT.field_spec("sex")
    assert _levels(exact, [("M", "M"), ("M", "F"), (None, "F")]) == [
        "exact",
        "different",
        "missing",
    ]


def test_unequal_lengths_and_uncompared_fields_are_refused() -> None:
    with pytest.raises(ValueError, match="aligned"):
        compare(RESIDENT.field_spec("sex"), pl.Series(["M"]), pl.Series(["M", "F"]))
    with pytest.raises(ValueError, match="not compared"):
        compare(RESIDENT.field_spec("status_date"), pl.Series(["x"]), pl.Series(["x"]))
