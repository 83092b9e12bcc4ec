"""Identifier rules: real-format examples, normalisation, properties, SQL parity."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from entities import identifiers as ids
from entities.identifiers import VALIDATORS, Check, check, normalize
from entities.identifiers_sql import DROP_SQL_FUNCTIONS, SQL_FUNCTIONS, WARN_NAMES
from mdr.errors import InvalidIdentifier

NAMES = sorted(VALIDATORS)
FULLWIDTH = {
    c: chr(ord(c) + 0xFEE0)
    for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-"
}

# (kind, raw spelling, canonical form, warning)
VALID = [
    ("rrn", "900101-1000006", "9001011000006", None),
    ("rrn", "850615 2000019", "8506152000019", None),
    ("rrn", "000229-3000001", "0002293000001", None),  # 2000 is a leap year
    ("rrn", "191231-9000019", "1912319000019", None),  # born 1819
    ("rrn", "900101-1000007", "9001011000007", "check digit mismatch"),  # post-2020 style
    ("frn", "850615-5200166", "8506155200166", None),
    ("frn", "010203-7601787", "0102037601787", None),
    ("frn", "850615-5200167", "8506155200167", "check digit mismatch"),
    ("frn", "850615-5210166", "8506155210166", "check digit mismatch"),  # odd office
    ("crn", "130111-0006246", "1301110006246", None),  # Samsung Electronics
    ("crn", "110111-0085450", "1101110085450", None),  # Hyundai Motor
    ("brn", "124-81-00998", "1248100998", None),  # Samsung Electronics
    ("brn", "220-81-01126", "2208101126", None),
    ("legal_dong_code", "1168010100", "1168010100", None),  # 서울 강남구 역삼동
    ("legal_dong_code", "11-000-000-00", "1100000000", None),  # 서울특별시
    ("legal_dong_code", "5113025021", "5113025021", None),  # 강원특별자치도 code generation
    ("pnu", "1168010100-1-0737-0000", "1168010100107370000", None),
    ("pnu", "4113510900 2 0012 0003", "4113510900200120003", None),  # 산 12-3
    ("road_address_id", "36110110325808500057200000", "36110110325808500057200000", None),
    ("building_register_no", "11680-8520602", "11680-8520602", None),
    ("building_register_no", "11710 21931", "11710-21931", None),
    ("vin", "1M8GDM9AXKP042788", "1M8GDM9AXKP042788", None),
    ("vin", "kmhdh41e5bu123456", "KMHDH41E5BU123456", None),
    ("vin", "KMHDH41E0BU123456", "KMHDH41E0BU123456", "check digit mismatch"),
    ("plate", "12가 3456", "12가3456", None),
    ("plate", "123가4567", "123가4567", None),
    ("plate", "서울 12 가 3456", "서울12가3456", None),
    ("plate", "부산1바1234", "부산1바1234", None),
    ("plate", "30배1234", "30배1234", None),
    ("plate", "101하1234", "101하1234", None),
    ("driver_licence_no", "11-23-123456-00", "112312345600", None),
    ("driver_licence_no", "서울 12-345678-90", "111234567890", None),
    ("driver_licence_no", "경기북부 10-123456-01", "281012345601", None),
    ("workplace_no", "124-81-00998-0", "12481009980", None),
    ("farm_business_no", "1-234-567-890", "1234567890", None),
    ("gtin13", "8801234567893", "8801234567893", None),
    ("gtin13", "978-0-306-40615-7", "9780306406157", None),
    ("medicine_code", "200808876", "200808876", None),
    ("goods_id", "2134 4522", "21344522", None),
    ("cas", "7732-18-5", "7732-18-5", None),  # water
    ("cas", "50-00-0", "50-00-0", None),  # formaldehyde
    ("cas", "0000050-00-0", "50-00-0", None),  # zero-padded spelling
    ("cas", "7440575", "7440-57-5", None),  # gold, without hyphens
    ("postal_code", "06236", "06236", None),
    ("postal_code", "63309", "63309", None),
    ("qualification_no", "24201010001a", "24201010001A", None),
    ("qualification_no", "24201010001", "24201010001", None),
]

# (kind, raw, canonical or None when unparseable, error)
INVALID = [
    ("rrn", "900101-100000", None, "expected 13 digits"),
    ("rrn", "900101-5000006", "9001015000006", "bad sex digit"),
    ("rrn", "901301-1000006", "9013011000006", "bad birth date"),
    ("rrn", "010229-3000001", "0102293000001", "bad birth date"),
    ("rrn", "000229-1000001", "0002291000001", "bad birth date"),  # 1900 is not a leap year
    ("frn", "850615-1201603", "8506151201603", "bad sex digit"),
    ("frn", "850230-5201603", "8502305201603", "bad birth date"),
    ("crn", "130111-0006247", "1301110006247", "bad check digit"),
    ("crn", "13011100062A6", None, "expected 13 digits"),
    ("brn", "124-81-00997", "1248100997", "bad check digit"),
    ("brn", "124-00-00998", "1240000998", "bad kind code"),
    ("legal_dong_code", "9911010100", "9911010100", "unknown sido code"),
    ("legal_dong_code", "1100010100", "1100010100", "bad code hierarchy"),
    ("legal_dong_code", "1168000021", "1168000021", "bad code hierarchy"),
    (
        "pnu",
        "1168000000107370000",
        "1168000000107370000",
        "legal-dong code above eupmyeondong level",
    ),
    ("pnu", "1168010100307370000", "1168010100307370000", "bad land kind"),
    ("pnu", "1168010100100000001", "1168010100100000001", "main lot is zero"),
    ("pnu", "0168010100107370000", "0168010100107370000", "unknown sido code"),
    (
        "road_address_id",
        "36000110325808500057200000",
        "36000110325808500057200000",
        "bad sigungu code",
    ),
    (
        "road_address_id",
        "36110110325808520057200000",
        "36110110325808520057200000",
        "bad underground flag",
    ),
    (
        "road_address_id",
        "36110110325808500000000000",
        "36110110325808500000000000",
        "building number is zero",
    ),
    ("road_address_id", "3611011032580850005720000", None, "expected 26 digits"),
    ("building_register_no", "11680-0000", "11680-0000", "serial is zero"),
    ("building_register_no", "99680-8520602", "99680-8520602", "unknown sido code"),
    ("building_register_no", "11680", None, "expected sigungu code and serial"),
    ("vin", "1M8GDM9AXKP04278", None, "expected 17 letters or digits"),
    ("vin", "1M8GDM9AXKPO42788", "1M8GDM9AXKPO42788", "letters I, O and Q are not allowed"),
    ("plate", "12육3456", "12육3456", "bad usage letter"),
    ("plate", "00가3456", "00가3456", "bad vehicle type code"),
    ("plate", "012가3456", "012가3456", "bad vehicle type code"),
    ("plate", "1가3456", "1가3456", "bad vehicle type code"),
    ("plate", "서울123가4567", "서울123가4567", "bad vehicle type code"),
    ("plate", "평양12가3456", "평양12가3456", "unknown region"),
    ("plate", "12가345", None, "bad plate format"),
    ("driver_licence_no", "27-23-123456-00", "272312345600", "unknown region code"),
    ("driver_licence_no", "평양 12-345678-90", None, "expected 12 digits"),
    ("workplace_no", "124-81-00997-0", "12481009970", "bad check digit"),
    ("farm_business_no", "0-000-000-000", "0000000000", "number is zero"),
    ("gtin13", "8801234567894", "8801234567894", "bad check digit"),
    ("medicine_code", "194912345", "194912345", "bad approval year"),
    ("medicine_code", "202400000", "202400000", "serial is zero"),
    ("goods_id", "00000000", "00000000", "number is zero"),
    ("goods_id", "2134452", None, "expected 8 digits"),
    ("cas", "7732-18-4", "7732-18-4", "bad check digit"),
    ("cas", "18-5", None, "expected CAS number"),
    ("postal_code", "64000", "64000", "bad area prefix"),
    ("postal_code", "00123", "00123", "bad area prefix"),
    ("qualification_no", "2420101000AB", None, "expected 11 digits and an optional letter"),
]


# ---------------------------------------------------------------------- examples


@pytest.mark.parametrize(("kind", "raw", "canonical", "warning"), VALID)
def test_valid_examples(kind: str, raw: str, canonical: str, warning: str | None) -> None:
    assert check(kind, raw) == Check(True, canonical, None, warning)
    assert normalize(kind, raw) == canonical


@pytest.mark.parametrize(("kind", "raw", "canonical", "error"), INVALID)
def test_invalid_examples(kind: str, raw: str, canonical: str | None, error: str) -> None:
    assert check(kind, raw) == Check(False, canonical, error)


def test_every_identifier_has_examples() -> None:
    assert {k for k, *_ in VALID} == set(NAMES)
    assert {k for k, *_ in INVALID} == set(NAMES)


@pytest.mark.parametrize(("kind", "raw", "canonical", "error"), INVALID)
def test_normalize_raises_only_when_unparseable(
    kind: str, raw: str, canonical: str | None, error: str
) -> None:
    if canonical is not None:
        assert normalize(kind, raw) == canonical
        return
    with pytest.raises(InvalidIdentifier) as info:
        normalize(kind, raw)
    assert error in info.value.detail
    assert raw not in info.value.detail  # never echo personal data


def test_unknown_kind() -> None:
    with pytest.raises(KeyError, match="unknown identifier kind"):
        check("passport", "M12345678")


def test_registry_metadata() -> None:
    for name, ident in VALIDATORS.items():
        assert ident.name == name
        assert ident.label and ident.rule
        assert type(ident).__doc__


# ----------------------------------------------------------------- normalisation


def _spellings(value: str, r: random.Random) -> list[str]:
    """The usual ways people and systems write a value."""
    plain = value.replace("-", "")
    cut = r.randrange(1, len(plain))
    return [
        value,
        plain,
        value.lower(),
        f"  {value}\t",
        plain[:cut] + r.choice(["-", " ", ".", "\u2013", "\uff0d", "\u3000"]) + plain[cut:],
        "".join(FULLWIDTH.get(c, c) for c in value),
        "".join(FULLWIDTH.get(c, c) for c in value.lower().replace("-", " ")),
    ]


@pytest.mark.parametrize("kind", NAMES)
@given(r=st.randoms(use_true_random=False))
@settings(max_examples=30, deadline=None)
def test_spellings_normalise_to_canonical(kind: str, r: random.Random) -> None:
    ident = VALIDATORS[kind]
    value = ident.generate(r)
    for spelling in _spellings(value, r):
        assert ident.normalize(spelling) == value, spelling
        assert ident.check(spelling).value == value


def test_fullwidth_and_hyphen_spelling() -> None:
    assert normalize("rrn", "９００１０１－１０００００６") == "9001011000006"
    assert normalize("brn", "１２４‐８１‐００９９８") == "1248100998"
    assert normalize("vin", "ｋｍｈｄｈ４１ｅ５ｂｕ１２３４５６") == "KMHDH41E5BU123456"
    assert normalize("plate", "서울　１２　가　３４５６") == "서울12가3456"


# --------------------------------------------------------------------- properties


@pytest.mark.parametrize("kind", NAMES)
@given(r=st.randoms(use_true_random=False))
@settings(max_examples=50, deadline=None)
def test_generated_values_pass(kind: str, r: random.Random) -> None:
    value = VALIDATORS[kind].generate(r)
    assert check(kind, value) == Check(True, value)


@pytest.mark.parametrize("kind", NAMES)
@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=10, deadline=None)
def test_generate_many_values_pass(kind: str, seed: int) -> None:
    values = VALIDATORS[kind].generate_many(np.random.default_rng(seed), 300)
    assert len(values) == 300
    assert [v for v in values if check(kind, v) != Check(True, v)] == []


@pytest.mark.parametrize("kind", ["rrn", "crn", "brn", "pnu", "vin", "plate", "cas"])
def test_generate_many_unique(kind: str) -> None:
    values = VALIDATORS[kind].generate_many(np.random.default_rng(7), 20_000, unique=True)
    assert len(set(values)) == 20_000


def _replace(value: str, pos: int, digit: str) -> str:
    return value[:pos] + digit + value[pos + 1 :]


def _other_digits(value: str, pos: int) -> list[str]:
    return [d for d in "0123456789" if d != value[pos]]


@pytest.mark.parametrize("kind", ["rrn", "frn"])
@given(r=st.randoms(use_true_random=False))
@settings(max_examples=50, deadline=None)
def test_person_number_check_digit_change_warns(kind: str, r: random.Random) -> None:
    value = VALIDATORS[kind].generate(r)
    for d in _other_digits(value, 12):
        result = check(kind, _replace(value, 12, d))
        assert result.ok
        assert result.warning == "check digit mismatch"


@given(
    r=st.randoms(use_true_random=False),
    birth=st.dates(dt.date(1800, 1, 1), dt.date(2099, 12, 31)),
    sex=st.sampled_from("MF"),
)
@settings(max_examples=100, deadline=None)
def test_rrn_encodes_birth_and_sex(r: random.Random, birth: dt.date, sex: str) -> None:
    value = VALIDATORS["rrn"].generate(r, birth=birth, sex=sex)
    assert value[:6] == birth.strftime("%y%m%d")
    assert (int(value[6]) % 2 == 1) == (sex == "M")
    assert check("rrn", value) == Check(True, value)


def test_frn_encodes_birth_and_rejects_other_centuries() -> None:
    frn = VALIDATORS["frn"]
    value = frn.generate(random.Random(1), birth=dt.date(2003, 7, 9), sex="F")
    assert value[:7] == "0307098"
    with pytest.raises(ValueError, match="centuries"):
        frn.generate(random.Random(1), birth=dt.date(1899, 1, 1))


@pytest.mark.parametrize(
    ("kind", "positions"), [("brn", range(10)), ("gtin13", range(13)), ("workplace_no", range(10))]
)
@given(r=st.randoms(use_true_random=False))
@settings(max_examples=50, deadline=None)
def test_every_single_digit_change_fails(kind: str, positions: range, r: random.Random) -> None:
    value = VALIDATORS[kind].generate(r)
    for pos in positions:
        for d in _other_digits(value, pos):
            assert not check(kind, _replace(value, pos, d)).ok, (pos, d)


@given(r=st.randoms(use_true_random=False))
@settings(max_examples=50, deadline=None)
def test_crn_detects_changes_its_weights_can_see(r: random.Random) -> None:
    """Weights 1,2 mod 10 miss a change of 5 on an even position; all else is caught."""
    value = VALIDATORS["crn"].generate(r)
    for pos in range(13):
        for d in _other_digits(value, pos):
            weight = ids.CRN_WEIGHTS[pos] if pos < 12 else 1
            detected = weight * (int(d) - int(value[pos])) % 10 != 0
            assert check("crn", _replace(value, pos, d)).ok is not detected, (pos, d)


@given(r=st.randoms(use_true_random=False))
@settings(max_examples=50, deadline=None)
def test_cas_detects_changes_its_weights_can_see(r: random.Random) -> None:
    value = VALIDATORS["cas"].generate(r)
    digit_positions = [i for i, ch in enumerate(value) if ch != "-"]
    for rank, pos in enumerate(reversed(digit_positions)):
        for d in _other_digits(value, pos):
            weight = rank if rank else 1  # the check digit itself counts once
            changed = _replace(value, pos, d)
            detected = weight * (int(d) - int(value[pos])) % 10 != 0
            if pos == 0 and d == "0":
                continue  # a leading zero is dropped: the number gets shorter
            assert check("cas", changed).ok is not detected, (pos, d)


@given(r=st.randoms(use_true_random=False))
@settings(max_examples=50, deadline=None)
def test_vin_single_digit_change_warns(r: random.Random) -> None:
    value = VALIDATORS["vin"].generate(r)
    for pos in (i for i, ch in enumerate(value) if ch.isdigit()):
        for d in _other_digits(value, pos):
            result = check("vin", _replace(value, pos, d))
            assert result.ok
            assert result.warning == "check digit mismatch", (pos, d)


def test_generate_keyword_arguments() -> None:
    r = random.Random(3)
    assert VALIDATORS["pnu"].generate(r, legal_dong="1168010100").startswith("1168010100")
    assert VALIDATORS["vin"].generate(r, wmi="KNM").startswith("KNM")
    assert VALIDATORS["plate"].generate(r, usage="rental")[-5] in ids.PLATE_RENTAL
    assert VALIDATORS["workplace_no"].generate(r, brn="1248100998").startswith("1248100998")
    assert VALIDATORS["road_address_id"].generate(r, sigungu="36110").startswith("36110")
    assert VALIDATORS["building_register_no"].generate(r, sigungu="11680").startswith("11680-")
    regional = VALIDATORS["plate"].generate_many(np.random.default_rng(1), 200, regional=1.0)
    assert sum(v[:2] in ids.PLATE_REGIONS for v in regional) > 80
    births = np.array(["1950-05-17", "2010-12-31"], dtype="datetime64[D]")
    pair = VALIDATORS["rrn"].generate_many(
        np.random.default_rng(1), 2, birth=births, sex=["F", "M"]
    )
    assert [v[:7] for v in pair] == ["5005172", "1012313"]


# ----------------------------------------------------------------------------- SQL


def test_function_text_is_complete_and_portable() -> None:
    created = " ".join(SQL_FUNCTIONS)
    for name in NAMES:
        assert f"FUNCTION mdr_norm_{name}(raw text)" in created
        assert f"FUNCTION mdr_check_{name}(raw text)" in created
    assert set(WARN_NAMES) == {"rrn", "frn", "vin"}
    for statement in SQL_FUNCTIONS:
        assert statement.isascii()
        assert "IMMUTABLE" in statement and "PARALLEL SAFE" in statement
    assert len(DROP_SQL_FUNCTIONS) == len(SQL_FUNCTIONS)


def _parity_inputs(kind: str, r: random.Random) -> list[str]:
    """Generated values, their usual spellings and corrupted variants."""
    out = ["", "-", "abc", "서울", "0" * 30]
    for value in VALIDATORS[kind].generate_many(np.random.default_rng(r.getrandbits(32)), 150):
        out += _spellings(value, r)
        for _ in range(6):
            i = r.randrange(len(value))
            out.append(value[:i] + r.choice("0123456789ABIOQX가바육") + value[i + 1 :])
        i = r.randrange(len(value) - 1)
        out += [value[:i] + value[i + 1] + value[i] + value[i + 2 :], value[:-1], value + "1"]
    return out


@pytest.mark.db
def test_sql_matches_python(db_session: Session) -> None:
    """mdr_norm_/mdr_check_/mdr_warn_ agree with Python on valid and corrupted input."""
    r = random.Random(2024)
    for kind in NAMES:
        inputs = _parity_inputs(kind, r)
        warn = f"mdr_warn_{kind}(v)" if kind in WARN_NAMES else "NULL"
        rows = db_session.execute(
            text(
                f"SELECT v, mdr_norm_{kind}(v), mdr_check_{kind}(v), {warn}"
                " FROM unnest(CAST(:vals AS text[])) AS v"
            ),
            {"vals": inputs},
        ).all()
        mismatches = []
        for raw, norm, error, warning in rows:
            expected = check(kind, raw)
            want = (
                expected.value,
                expected.error,
                expected.warning if kind in WARN_NAMES else None,
            )
            if (norm, error, warning) != want:
                mismatches.append((raw, want, (norm, error, warning)))
        assert mismatches == [], kind
        nulls = db_session.execute(
            text(f"SELECT mdr_norm_{kind}(NULL), mdr_check_{kind}(NULL)")
        ).one()
        assert tuple(nulls) == (None, None)
