"""Validators, normalisers and generators for every natural key and reference.

Each identifier is a small :class:`Identifier` subclass registered in
:data:`VALIDATORS` under a stable name (the ``validator`` of a ``FieldSpec``).
It knows four things:

* its **canonical form** (what is stored and compared). Numeric identifiers are
  canonical as bare digits, which keeps SQL comparison and indexing trivial;
  the exceptions are the CAS number and the building register key, whose
  hyphens are part of how they are written and exchanged (``7732-18-5``,
  ``11680-8520602``);
* how to get there from the usual spellings: :func:`clean` applies NFKC
  (full-width digits and letters), removes spaces, hyphens and dots and
  upper-cases, then the identifier's own pattern decides whether the text is
  *parseable* (right length and character classes);
* which **rules** a parseable value must satisfy (dates, code lists, check
  digits): a broken rule is an error (``ok=False``); a few rules are only
  **warnings** because real numbers legitimately break them (RRN and
  foreigner numbers issued since October 2020 carry random digits where the
  check digit was, and the VIN check digit is mandatory only in North America);
* how to **generate** valid values, vectorised with numpy for bulk synthetic data.

The same rules exist as PostgreSQL functions in :mod:`entities.identifiers_sql`
(``mdr_norm_*``, ``mdr_check_*``, ``mdr_warn_*``) for set-based bulk validation;
error and warning texts are identical in both so results can be compared and
stored side by side. Messages never contain the raw value.

Rules rest only on the value itself, never on today's date, so a value's
verdict never changes and the SQL functions can be ``IMMUTABLE``; plausibility
against the calendar (a birth date in the future) is an integrity check.

One module per family, all re-exported here (``entities.identifiers`` is the import
path): :mod:`~entities.identifiers.base` (cleaning, :class:`Check`, :class:`Identifier`),
:mod:`~entities.identifiers.people`, :mod:`~entities.identifiers.organisations`,
:mod:`~entities.identifiers.places`, :mod:`~entities.identifiers.vehicles` and
:mod:`~entities.identifiers.products`.
"""

from __future__ import annotations

from entities.identifiers.base import (
    SEPARATORS,
    Check,
    Digits,
    Identifier,
    clean,
)
from entities.identifiers.organisations import (
    BRN_WEIGHTS,
    CRN_WEIGHTS,
    BusinessRegistrationNumber,
    CorporationRegistrationNumber,
    FarmBusinessNumber,
    WorkplaceNumber,
    brn_check_digit,
    crn_check_digit,
)
from entities.identifiers.people import (
    LICENCE_REGION_CODES,
    LICENCE_REGIONS,
    RRN_WEIGHTS,
    DriverLicenceNumber,
    ForeignerRegistrationNumber,
    QualificationNumber,
    ResidentRegistrationNumber,
    frn_check_digit,
    rrn_check_digit,
)
from entities.identifiers.places import (
    SIDO_CODES,
    BuildingRegisterNo,
    LegalDongCode,
    ParcelNumber,
    PostalCode,
    RoadAddressId,
)
from entities.identifiers.products import (
    GTIN_WEIGHTS,
    CasNumber,
    GoodsId,
    Gtin13,
    MedicineCode,
    cas_check_digit,
    gtin_check_digit,
)
from entities.identifiers.vehicles import (
    KOREAN_WMIS,
    PLATE_BUSINESS,
    PLATE_DELIVERY,
    PLATE_LETTERS,
    PLATE_PRIVATE,
    PLATE_REGIONS,
    PLATE_RENTAL,
    VIN_ALPHABET,
    VIN_LETTER_VALUES,
    VIN_LETTERS,
    VIN_WEIGHTS,
    VIN_YEAR_CODES,
    VehicleIdentificationNumber,
    VehiclePlate,
    vin_check_char,
)

__all__ = [
    "BRN_WEIGHTS",
    "CRN_WEIGHTS",
    "GTIN_WEIGHTS",
    "KOREAN_WMIS",
    "LICENCE_REGIONS",
    "LICENCE_REGION_CODES",
    "PLATE_BUSINESS",
    "PLATE_DELIVERY",
    "PLATE_LETTERS",
    "PLATE_PRIVATE",
    "PLATE_REGIONS",
    "PLATE_RENTAL",
    "RRN_WEIGHTS",
    "SEPARATORS",
    "SIDO_CODES",
    "VALIDATORS",
    "VIN_ALPHABET",
    "VIN_LETTERS",
    "VIN_LETTER_VALUES",
    "VIN_WEIGHTS",
    "VIN_YEAR_CODES",
    "BuildingRegisterNo",
    "BusinessRegistrationNumber",
    "CasNumber",
    "Check",
    "CorporationRegistrationNumber",
    "Digits",
    "DriverLicenceNumber",
    "FarmBusinessNumber",
    "ForeignerRegistrationNumber",
    "GoodsId",
    "Gtin13",
    "Identifier",
    "LegalDongCode",
    "MedicineCode",
    "ParcelNumber",
    "PostalCode",
    "QualificationNumber",
    "ResidentRegistrationNumber",
    "RoadAddressId",
    "VehicleIdentificationNumber",
    "VehiclePlate",
    "WorkplaceNumber",
    "brn_check_digit",
    "cas_check_digit",
    "check",
    "clean",
    "crn_check_digit",
    "frn_check_digit",
    "gtin_check_digit",
    "normalize",
    "rrn_check_digit",
    "vin_check_char",
]

VALIDATORS: dict[str, Identifier] = {
    v.name: v
    for v in (
        ResidentRegistrationNumber(),
        ForeignerRegistrationNumber(),
        CorporationRegistrationNumber(),
        BusinessRegistrationNumber(),
        LegalDongCode(),
        ParcelNumber(),
        RoadAddressId(),
        BuildingRegisterNo(),
        VehicleIdentificationNumber(),
        VehiclePlate(),
        DriverLicenceNumber(),
        WorkplaceNumber(),
        FarmBusinessNumber(),
        Gtin13(),
        MedicineCode(),
        GoodsId(),
        CasNumber(),
        PostalCode(),
        QualificationNumber(),
    )
}


def _get(kind: str) -> Identifier:
    try:
        return VALIDATORS[kind]
    except KeyError:
        raise KeyError(f"unknown identifier kind {kind!r}") from None


def check(kind: str, raw: str) -> Check:
    """Validate ``raw`` as identifier ``kind`` (a key of :data:`VALIDATORS`)."""
    return _get(kind).check(raw)


def normalize(kind: str, raw: str) -> str:
    """Canonical form of ``raw`` as identifier ``kind``; raises InvalidIdentifier."""
    return _get(kind).normalize(raw)
