"""Normalisation: each spelling agencies use becomes the value linkage compares."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence

import numpy as np
import polars as pl
import pytest

from entities.identifiers import VALIDATORS, normalize
from entities.registry import get_dataset
from entities.spec import FieldType
from mdr.errors import InvalidIdentifier
from reconciliation.normalise import (
    RAW_SUFFIX,
    normalisation_problems,
    normalise_frame,
    normalise_identifier,
    normalise_series,
    parse_dates,
    resolve_code,
)

RESIDENT = get_dataset("resident")


def _series(values: Sequence[str | None]) -> pl.Series:
    return pl.Series("v", values, dtype=pl.String)


@pytest.mark.parametrize(
    "spelling",
    [
        "2024-03-05",
        "2024.03.05",
        "20240305",
        "2024-3-5",
        "2024/03/05",
        "2024년 3월 5일",
        "2024년3월5일",
        "2024. 3. 5.",
        "2024-03-05T09:30:00",
        " 2024-03-05 ",
        "２０２４．０３．０５",
    ],
)
def test_dates_in_every_korean_spelling(spelling: str) -> None:
    assert parse_dates(_series([spelling])).to_list() == [dt.date(2024, 3, 5)]


@pytest.mark.parametrize(
    "bad", ["2024-02-30", "24-03-05", "240305", "2024035", "soon", "2024-13-01"]
)
def test_impossible_or_ambiguous_dates_become_null(bad: str) -> None:
    assert parse_dates(_series([bad])).to_list() == [None]


def test_date_columns_pass_through_and_datetimes_become_dates() -> None:
    dates = pl.Series([dt.date(2020, 1, 2)])
    assert parse_dates(dates).to_list() == [dt.date(2020, 1, 2)]
    stamps = pl.Series([dt.datetime(2020, 1, 2, 13, 0)])
    assert parse_dates(stamps).to_list() == [dt.date(2020, 1, 2)]


def test_rrn_in_hyphenated_spaced_and_full_width_spellings() -> None:
    rrn = VALIDATORS["rrn"].generate_many(np.random.default_rng(1), 1)[0]
    full_width = "".join(chr(0xFF10 + int(c)) for c in rrn)
    spellings = [
        rrn,
        f"{rrn[:6]}-{rrn[6:]}",
        f"{rrn[:6]} - {rrn[6:]}",
        full_width,
        f"{full_width[:6]}－{full_width[6:]}",
    ]
    assert normalise_identifier(_series(spellings), "rrn").to_list() == [rrn] * len(spellings)


def _spellings(value: str, rng: np.random.Generator) -> str:
    """One of the usual ways a canonical identifier is written."""
    style = int(rng.integers(0, 5))
    if style == 1:
        return value.lower()
    if style == 2:
        return " ".join([value[: len(value) // 2], value[len(value) // 2 :]])
    if style == 3:
        return unicodedata.normalize("NFKC", value).translate(
            {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
        )
    if style == 4:
        return "-".join([value[:3], value[3:]])
    return value


@pytest.mark.parametrize("kind", sorted(VALIDATORS))
def test_identifiers_equal_the_python_normaliser(kind: str) -> None:
    """The vectorised path and entities.identifiers.normalize agree on every spelling."""
    rng = np.random.default_rng(7)
    values = VALIDATORS[kind].generate_many(rng, 300)
    raw = [_spellings(v, rng) for v in values] + ["?", "", "12", "가나다"]
    expected: list[str | None] = []
    for r in raw:
        try:
            expected.append(normalize(kind, r))
        except InvalidIdentifier:
            expected.append(None)
    got = normalise_identifier(_series(raw), kind).to_list()
    assert got == expected
    assert got[:300] == [normalize(kind, v) for v in values]


def test_licence_region_names_are_folded_to_codes() -> None:
    assert normalise_identifier(_series(["서울 24-123456-71"]), "driver_licence_no").to_list() == [
        "112412345671"
    ]


def test_identifier_without_validator_is_cleaned_only() -> None:
    assert normalise_identifier(_series(["ab-12 3", "  "]), None).to_list() == ["AB123", None]


def test_hangul_names_lose_spaces_and_are_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "홍길동")
    assert decomposed != "홍길동"
    name = RESIDENT.field_spec("name")
    out = normalise_series(name, _series([decomposed, "홍 길동", " 홍길동 ", "홍·길동", None, " "]))
    assert out.to_list() == ["홍길동", "홍길동", "홍길동", "홍길동", None, None]
    assert unicodedata.is_normalized("NFC", out[0])


def test_romanised_names_are_upper_cased_and_token_sorted() -> None:
    name = get_dataset("foreign_resident").field_spec("name")
    out = normalise_series(name, _series(["Nguyen Van An", "VAN  AN, NGUYEN", "nguyen-van an"]))
    assert out.to_list() == ["AN NGUYEN VAN"] * 3


def test_organisation_names_drop_legal_forms() -> None:
    name = get_dataset("corporation").field_spec("name")
    out = normalise_series(name, _series(["(주)한빛전자", "㈜ 한빛 전자", "한빛전자 주식회사"]))
    assert out.to_list() == ["한빛전자"] * 3


def test_address_short_province_forms_are_expanded() -> None:
    full = get_dataset("address").field_spec("full_address")
    spellings = ["서울시 강남구 테헤란로 1", "서울특별시  강남구, 테헤란로 1"]
    out = normalise_series(full, _series(spellings))
    assert out.to_list() == ["서울특별시 강남구 테헤란로 1"] * 2


@pytest.mark.parametrize(
    ("term", "raw", "code"),
    [
        ("business_status", "폐업", "closed"),
        ("business_status", "폐업자", "closed"),
        ("business_status", "CLOSED", "closed"),
        ("sex", "남", "M"),
        ("sex", "여자", "F"),
        ("sex", "female", "F"),
        ("sex", "m", "M"),
        ("resident_status", "사망", "deceased"),
        ("visa_status", "e9", "E-9"),
        ("visa_status", "비전문취업", "E-9"),
        ("land_category", "대지", "building_site"),
        ("vehicle_use", "영업용", "commercial"),
    ],
)
def test_code_labels_map_to_codes(term: str, raw: str, code: str) -> None:
    assert resolve_code(term, raw) == code


def test_unknown_code_is_null() -> None:
    assert resolve_code("sex", "?") is None
    assert resolve_code("business_status", "업") is None  # too short to be a prefix


def test_normalise_frame_types_every_field_and_keeps_unparseable_raw() -> None:
    rrn = VALIDATORS["rrn"].generate_many(np.random.default_rng(3), 1)[0]
    raw = pl.DataFrame(
        {
            "rrn": [f"{rrn[:6]}-{rrn[6:]}", "not a number"],
            "name": ["홍 길동", "김철수"],
            "birth_date": ["2024년 3월 5일", "2024-02-30"],
            "sex": ["남", "?"],
            "extra": ["kept", "in front"],
        }
    )
    out = normalise_frame(RESIDENT, raw)
    assert out.columns[0] == "extra"
    for field in RESIDENT.fields:
        assert field.name in out.columns
    assert out.schema["birth_date"] == pl.Date
    assert out.schema["move_in_date"] == pl.Date
    assert out.get_column("rrn").to_list() == [rrn, None]
    assert out.get_column("rrn" + RAW_SUFFIX).to_list() == [None, "not a number"]
    assert out.get_column("household_id").null_count() == 2  # absent: typed nulls
    problems = normalisation_problems(RESIDENT, out)
    assert problems.rows() == [
        (1, "birth_date", "2024-02-30"),
        (1, "rrn", "not a number"),
        (1, "sex", "?"),
    ]


def test_numbers_and_flags() -> None:
    building = get_dataset("building")
    decimal = next(f for f in building.fields if f.type is FieldType.DECIMAL)
    assert normalise_series(decimal, _series(["1,234.5", " 12 ", "x"])).to_list() == [
        1234.5,
        12.0,
        None,
    ]
    integer = next(f for f in get_dataset("vehicle").fields if f.type is FieldType.INTEGER)
    assert normalise_series(integer, _series(["2,019", "2019.5"])).to_list() == [2019, None]
    flags = [
        f
        for spec_name in ("building", "land_parcel", "address")
        for f in get_dataset(spec_name).fields
        if f.type is FieldType.BOOLEAN
    ]
    assert flags, "some dataset has a boolean field"
    assert normalise_series(flags[0], _series(["Y", "아니오", "true", "0", "maybe"])).to_list() == [
        True,
        False,
        True,
        False,
        None,
    ]


def test_normalising_a_million_identifiers_is_vectorised() -> None:
    """A coarse guard against a per-row Python fallback sneaking into the hot path."""
    rrns = VALIDATORS["rrn"].generate_many(np.random.default_rng(5), 1000)
    values = pl.Series("v", rrns * 200)  # 200k rows
    import time

    start = time.perf_counter()
    out = normalise_identifier(values.str.slice(0, 6) + "-" + values.str.slice(6), "rrn")
    assert time.perf_counter() - start < 5.0
    assert out.null_count() == 0


def test_repeated_values_are_normalised_once_with_the_same_result() -> None:
    spellings = ["2024.03.05", "20240305", "2024년 3월 5일", None, "bad"] * 4000  # 20k rows
    birth = RESIDENT.field_spec("birth_date")
    via_distinct = normalise_series(birth, _series(spellings))
    direct = parse_dates(_series(spellings))
    assert via_distinct.to_list() == direct.to_list()
    sex = RESIDENT.field_spec("sex")
    codes = normalise_series(sex, _series(["남", "여자", "F", None, "?"] * 4000))
    assert codes.head(5).to_list() == ["M", "F", "F", None, None]
