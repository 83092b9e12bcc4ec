"""Identifiers of land, buildings and addresses, and the postal code.

The legal-dong code, PNU, road-name address management number and building register
number all begin with a 법정동 or 시군구 code and share its rules (:data:`SIDO_CODES`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from entities.identifiers.base import (
    Digits,
    Identifier,
    _cols,
    _digit_text,
    _Digits,
    _rand,
    _str_digits,
    _text,
)

#: 시도 prefixes of the 법정동코드 (code.go.kr). Gangwon moved from 42 to 51 on
#: 2023-06-11 and Jeonbuk from 45 to 52 on 2024-01-18; both generations occur in data.
SIDO_CODES: tuple[str, ...] = (
    "11", "26", "27", "28", "29", "30", "31", "36", "41", "42",
    "43", "44", "45", "46", "47", "48", "50", "51", "52",
)  # fmt: skip
_CURRENT_SIDO = np.array([c for c in SIDO_CODES if c not in ("42", "45")], dtype=np.int64)


def _legal_dong_error(code: str) -> str | None:
    """Rules shared by every identifier that embeds a 법정동코드 or 시군구코드 prefix."""
    if code[:2] not in SIDO_CODES:
        return "unknown sido code"
    if len(code) == 10 and (
        (code[2:5] == "000" and code[5:] != "00000") or (code[5:8] == "000" and code[8:] != "00")
    ):
        return "bad code hierarchy"
    if len(code) == 5 and code[2:] == "000":
        return "bad sigungu code"
    return None


def _sigungu(rng: np.random.Generator, n: int) -> Digits:
    """Plausible 시군구 codes: a current sido and a district number 110..790."""
    sido = rng.choice(_CURRENT_SIDO, n)
    return _cols(sido * 1000 + rng.integers(11, 80, n) * 10, 5)


def _dong(rng: np.random.Generator, n: int) -> Digits:
    """Plausible 읍면동 (3) + 리 (2): urban dongs 101-199 without ri, or eup/myeon with ri."""
    urban = rng.random(n) < 0.6
    emd = np.where(urban, rng.integers(101, 200, n), rng.integers(25, 46, n) * 10)
    ri = np.where(urban, 0, rng.integers(21, 46, n))
    return _cols(emd * 100 + ri, 5)


def _legal_dong(rng: np.random.Generator, n: int) -> Digits:
    return np.hstack([_sigungu(rng, n), _dong(rng, n)])


class LegalDongCode(_Digits):
    """법정동코드: sido (2) + sigungu (3) + eupmyeondong (3) + ri (2).

    Administrative standard code (행정표준코드관리시스템, code.go.kr). The sido
    prefix must be a real one (Gangwon 42/51, Jeonbuk 45/52 both accepted), and
    the code is hierarchical: a zero sigungu implies zeros below it, a zero
    eupmyeondong implies ri 00.
    """

    name = "legal_dong_code"
    label = "legal-dong code"
    rule = "행정표준코드 법정동코드: SS-GGG-EEE-RR, real sido prefix, hierarchical zeros"
    length = 10

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return _legal_dong_error(value), None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        return _digit_text(_legal_dong(rng, n))


class ParcelNumber(_Digits):
    """PNU 필지고유번호: legal-dong code (10) + land kind (1) + main lot (4) + sub lot (4).

    MOLIT land-register key (공간정보의 구축 및 관리 등에 관한 법률; KLIS/부동산종합공부).
    Land kind 1 = land register (ordinary), 2 = forest register (산, mountain).
    The legal-dong code must be at eupmyeondong level and pass its own rules;
    the main lot is never 0000. ``generate(legal_dong=...)`` fixes the dong.
    """

    name = "pnu"
    label = "parcel number (PNU)"
    rule = "PNU: 법정동코드(10) + 대장구분(1: 토지, 2: 임야) + 본번(4) + 부번(4), 본번 > 0"
    length = 19

    def problems(self, value: str) -> tuple[str | None, str | None]:
        if value[:2] not in SIDO_CODES:
            return "unknown sido code", None
        if value[2:5] == "000" or value[5:8] == "000":
            return "legal-dong code above eupmyeondong level", None
        if value[10] not in "12":
            return "bad land kind", None
        if value[11:15] == "0000":
            return "main lot is zero", None
        return None, None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        ld = kw.get("legal_dong")
        dong = _legal_dong(rng, n) if ld is None else _str_digits(ld, n, 10)
        kind = 1 + (rng.random(n) < 0.06)
        main = np.minimum(rng.geometric(0.004, n), 9999)
        sub = np.where(rng.random(n) < 0.55, 0, rng.geometric(0.08, n) % 10000)
        return _digit_text(np.hstack([dong, _cols(kind, 1), _cols(main, 4), _cols(sub, 4)]))


class RoadAddressId(_Digits):
    """도로명주소 관리번호 (26 digits).

    Road Name Address Act (도로명주소법); layout published by the 도로명주소
    도움센터 (business.juso.go.kr, 2023-04-05): 시군구코드 (5) + 읍면동 (3) +
    도로명번호 (7) + 지하여부 (1: 0 above ground, 1 underground) + 건물본번 (5) +
    건물부번 (5). The sigungu code has a real sido prefix and a non-zero
    district; the building main number is never zero.
    """

    name = "road_address_id"
    label = "road-name address management number"
    rule = "juso.go.kr 도로명주소관리번호: 시군구(5)+읍면동(3)+도로명(7)+지하(1)+본번(5)+부번(5)"
    length = 26

    def problems(self, value: str) -> tuple[str | None, str | None]:
        error = _legal_dong_error(value[:5])
        if error is None and value[15] not in "01":
            error = "bad underground flag"
        if error is None and value[16:21] == "00000":
            error = "building number is zero"
        return error, None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        sgg = kw.get("sigungu")
        sigungu = _sigungu(rng, n) if sgg is None else _str_digits(sgg, n, 5)
        road = rng.integers(2, 5, n) * 10**6 + rng.integers(0, 10**6, n)
        under = rng.random(n) < 0.02
        main = np.minimum(rng.geometric(0.01, n), 99999)
        sub = np.where(rng.random(n) < 0.8, 0, rng.integers(1, 50, n))
        parts = [
            sigungu,
            _rand(rng, n, 101, 200, 3),
            _cols(road, 7),
            _cols(under, 1),
            _cols(main, 5),
            _cols(sub, 5),
        ]
        return _digit_text(np.hstack(parts))


class BuildingRegisterNo(Identifier):
    """건축물대장 관리번호: the 관리건축물대장PK ``SSSSS-N…`` (e.g. ``11680-8520602``).

    As issued by MOLIT's building register (세움터/건축HUB 건축물대장정보 서비스,
    field ``mgmBldrgstPk``, at most 33 characters): the 시군구코드 (5), a hyphen
    and a serial of 1-27 digits. Canonical form keeps the hyphen, as the source
    systems exchange it. Structural checks only: real sido prefix, non-zero
    district and serial.
    """

    name = "building_register_no"
    label = "building register management number"
    rule = "건축HUB 관리건축물대장PK: 시군구코드(5) '-' 일련번호(1-27)"
    pattern = "[0-9]{6,32}"
    shape_error = "expected sigungu code and serial"

    def canonical(self, cleaned: str) -> str | None:
        if self._regex.fullmatch(cleaned) is None:
            return None
        return f"{cleaned[:5]}-{cleaned[5:]}"

    def problems(self, value: str) -> tuple[str | None, str | None]:
        error = _legal_dong_error(value[:5])
        if error is None and not value[6:].strip("0"):
            error = "serial is zero"
        return error, None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        sgg = kw.get("sigungu")
        sigungu = _sigungu(rng, n) if sgg is None else _str_digits(sgg, n, 5)
        width = rng.integers(4, 9, n)
        serial = rng.integers(10 ** (width - 1), 10**width)
        # left-align the serial in 8 columns; NUL padding is dropped by _text
        digits = _cols(serial * 10 ** (8 - width), 8) + 48
        digits[np.arange(8) >= width[:, None]] = 0
        hyphen = np.full((n, 1), ord("-"))
        return _text(np.hstack([sigungu + 48, hyphen, digits]))


class PostalCode(_Digits):
    """우편번호: 5-digit 국가기초구역 code (Korea Post, since 2015-08-01).

    The first two digits identify the sido area and run 01-63.
    """

    name = "postal_code"
    label = "postal code"
    rule = "우정사업본부 국가기초구역 우편번호: 5 digits, area prefix 01-63"
    length = 5

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return (None if 1 <= int(value[:2]) <= 63 else "bad area prefix"), None

    _AREAS = np.array([*range(1, 9), *range(10, 19), *range(21, 64)], dtype=np.int64)

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        return _digit_text(
            np.hstack([_cols(rng.choice(self._AREAS, n), 2), _rand(rng, n, 0, 1000, 3)])
        )
