"""Identifiers of vehicles: the VIN (ISO 3779) and the registration plate."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from entities.identifiers.base import (
    Identifier,
    _cols,
    _rand,
    _text,
)

#: Plate usage letters, 「자동차 등록번호판 등의 기준에 관한 고시」 art. 5.
PLATE_PRIVATE = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주"
PLATE_BUSINESS = "바사아자"
PLATE_DELIVERY = "배"
PLATE_RENTAL = "하허호"
PLATE_LETTERS = PLATE_PRIVATE + PLATE_BUSINESS + PLATE_DELIVERY + PLATE_RENTAL
#: Region names of regional plates (pre-2006 private plates; business plates keep them).
PLATE_REGIONS: tuple[str, ...] = (
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기",
    "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주",
)  # fmt: skip

#: Korean world manufacturer identifiers (SAE / ISO 3780 assignments).
KOREAN_WMIS: tuple[str, ...] = ("KMH", "KNA", "KNC", "KND", "KPT", "KPA", "KLA", "KL1", "KNM")

VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
#: ISO 3779 / 49 CFR 565.15 transliteration of letters for the check digit.
VIN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
VIN_LETTER_VALUES = "12345678123457923456789"
VIN_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
_VIN_VALUE = {
    **{str(d): d for d in range(10)},
    **dict(zip(VIN_LETTERS, map(int, VIN_LETTER_VALUES), strict=True)),
}


def vin_check_char(vin: str) -> str:
    total = sum(_VIN_VALUE[ch] * w for ch, w in zip(vin, VIN_WEIGHTS, strict=True))
    return "X" if total % 11 == 10 else str(total % 11)


class VehicleIdentificationNumber(Identifier):
    """VIN, ISO 3779: WMI (3) + VDS (6, position 9 check digit) + VIS (8).

    Alphabet: digits and capital letters except I, O, Q. Check digit (ISO 3779
    annex / 49 CFR 565.15, FMVSS 565): transliterate letters, weights
    8,7,6,5,4,3,2,10,0,9,8,7,6,5,4,3,2, sum mod 11, 10 written ``X``. It is
    mandatory only for North America, so a mismatch is a warning.
    ``generate(wmi=...)`` takes a WMI or a sequence to choose from; default:
    Korean WMIs (Hyundai KMH, Kia KNA/KNC/KND, KGM KPT/KPA, GM Korea KLA/KL1,
    Renault Korea KNM).
    """

    name = "vin"
    label = "vehicle identification number"
    rule = "ISO 3779 (17 chars, no I/O/Q); check digit 49 CFR 565.15, warning only"
    pattern = "[0-9A-Z]{17}"
    shape_error = "expected 17 letters or digits"

    def problems(self, value: str) -> tuple[str | None, str | None]:
        if any(ch in "IOQ" for ch in value):
            return "letters I, O and Q are not allowed", None
        if vin_check_char(value) != value[8]:
            return None, "check digit mismatch"
        return None, None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        alphabet = np.array([ord(c) for c in VIN_ALPHABET], dtype=np.int64)
        values = np.array([_VIN_VALUE[c] for c in VIN_ALPHABET], dtype=np.int64)
        wmis = kw.get("wmi") or KOREAN_WMIS
        wmi_codes = np.array([[ord(c) for c in w] for w in np.atleast_1d(wmis)], dtype=np.int64)
        wmi = wmi_codes[rng.integers(0, len(wmi_codes), n)]
        vds = rng.integers(0, len(VIN_ALPHABET), (n, 5))
        year = rng.integers(0, len(VIN_YEAR_CODES), n)
        plant = rng.integers(0, len(VIN_ALPHABET), (n, 1))
        serial = rng.integers(0, 10, (n, 6))
        year_codes = np.array([ord(c) for c in VIN_YEAR_CODES], dtype=np.int64)
        chars = np.hstack(
            [
                wmi,
                alphabet[vds],
                np.zeros((n, 1), np.int64),
                year_codes[year].reshape(-1, 1),
                alphabet[plant],
                serial + 48,
            ]
        )
        lookup = np.zeros(128, dtype=np.int64)
        lookup[alphabet] = values
        rem = (lookup[chars] @ np.asarray(VIN_WEIGHTS, dtype=np.int64)) % 11
        chars[:, 8] = np.where(rem == 10, ord("X"), rem + 48)
        return _text(chars)


class VehiclePlate(Identifier):
    """자동차등록번호 (registration plate), canonical without spaces.

    Motor Vehicle Management Act (자동차관리법) art. 10 and MOLIT notice
    「자동차 등록번호판 등의 기준에 관한 고시」 art. 5. National format: vehicle
    type code (2 digits 01-99, or 3 digits 100-999 since 2019-09) + usage
    letter + 4-digit serial, e.g. ``12가3456``, ``123가4567``. Regional format
    (pre-2006 private plates, still used by business vehicles): region name +
    1-2 digit type code, e.g. ``서울12가3456``. Usage letters: private
    가나다라마 거너더러머버서어저 고노도로모보소오조 구누두루무부수우주,
    business 바사아자, delivery 배, rental 하허호. Diplomatic and military
    plates are outside this register.
    """

    name = "plate"
    label = "vehicle registration plate"
    rule = "자동차 등록번호판 등의 기준에 관한 고시 제5조: [지역]NN(N)+용도기호+NNNN"
    pattern = "([가-힣]{2})?([0-9]{1,3})([가-힣])([0-9]{4})"
    shape_error = "bad plate format"

    def problems(self, value: str) -> tuple[str | None, str | None]:
        m = self._regex.fullmatch(value)
        assert m is not None
        region, code, letter = m.group(1), m.group(2), m.group(3)
        if region is not None and region not in PLATE_REGIONS:
            return "unknown region", None
        if region is None:
            good = (len(code) == 2 and code != "00") or (len(code) == 3 and code[0] != "0")
        else:
            good = len(code) <= 2 and int(code) > 0
        if not good:
            return "bad vehicle type code", None
        if letter not in PLATE_LETTERS:
            return "bad usage letter", None
        return None, None

    _USAGE: ClassVar[dict[str, str]] = {
        "private": PLATE_PRIVATE, "business": PLATE_BUSINESS,
        "delivery": PLATE_DELIVERY, "rental": PLATE_RENTAL,
    }  # fmt: skip

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        """``usage``: private (default), business, delivery or rental; ``regional``: share."""
        letters = np.array([ord(c) for c in self._USAGE[kw.get("usage", "private")]])
        three = rng.random(n) < 0.4
        code = np.where(three, rng.integers(100, 700, n), rng.integers(1, 70, n) * 10)
        body = np.zeros((n, 8), dtype=np.int64)
        body[:, :3] = _cols(code, 3) + 48
        rows, off = np.arange(n), np.where(three, 3, 2)
        body[rows, off] = letters[rng.integers(0, len(letters), n)]
        serial = _rand(rng, n, 1000, 10000, 4) + 48
        for j in range(4):
            body[rows, off + 1 + j] = serial[:, j]
        regional = (rng.random(n) < float(kw.get("regional", 0.0))) & ~three
        out = np.zeros((n, 10), dtype=np.int64)
        out[~regional, :8] = body[~regional]
        names = np.array([[ord(c) for c in r] for r in PLATE_REGIONS], dtype=np.int64)
        out[regional, :2] = names[rng.integers(0, len(names), int(regional.sum()))]
        out[regional, 2:] = body[regional]
        return _text(out)
