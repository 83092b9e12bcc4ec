"""Builders for the field and relation patterns every dataset repeats.

Each builder fixes the conventions once, so dataset modules stay short and
consistent:

- a natural key is required text, compared as an identifier;
- a reference holds the target's natural key, is compared as an identifier and
  carries the target key's validator;
- a code field takes its closed list from the standard vocabulary
  (:func:`entities.vocabulary.codes`) and is compared exactly;
- dates compare with :attr:`Comparator.DATE`, amounts and counts with
  :attr:`Comparator.NUMERIC`, free text with :attr:`Comparator.STRING`;
- a lifecycle is a ``status`` code plus a ``status_date``. Status dates are not
  compared in linkage: agencies record the day they processed a change, which
  lags the day it took effect, so a differing status date is noise where a
  differing status is a finding;
- ``region_code`` is the 5-digit si-gun-gu code an agency's scope filters on.
"""

from __future__ import annotations

from entities.spec import PII, Comparator, FieldSpec, FieldType, RelationSpec
from entities.vocabulary import codes

NAME_MAX = 200
ADDRESS_MAX = 300


def key(
    name: str,
    term: str,
    label_ko: str,
    label_en: str,
    description: str,
    *,
    validator: str,
    pii: PII = PII.NONE,
) -> FieldSpec:
    """The natural key: required text checked by ``validator``."""
    return FieldSpec(
        name,
        FieldType.TEXT,
        term,
        label_ko,
        label_en,
        description,
        required=True,
        pii=pii,
        validator=validator,
        compare=Comparator.IDENTIFIER,
    )


def identifier(
    name: str,
    term: str,
    label_ko: str,
    label_en: str,
    description: str,
    *,
    validator: str | None,
    required: bool = False,
    pii: PII = PII.NONE,
    unique: bool = False,
) -> FieldSpec:
    """An identifier: a reference to another dataset's key, or a secondary identifier."""
    return FieldSpec(
        name,
        FieldType.TEXT,
        term,
        label_ko,
        label_en,
        description,
        required=required,
        pii=pii,
        validator=validator,
        compare=Comparator.IDENTIFIER,
        unique=unique,
    )


def text(
    name: str,
    term: str,
    label_ko: str,
    label_en: str,
    description: str,
    *,
    required: bool = False,
    pii: PII = PII.NONE,
    compare: Comparator = Comparator.STRING,
    max_length: int | None = NAME_MAX,
) -> FieldSpec:
    """Free text (names, model names, ingredients)."""
    return FieldSpec(
        name,
        FieldType.TEXT,
        term,
        label_ko,
        label_en,
        description,
        required=required,
        pii=pii,
        compare=compare,
        max_length=max_length,
    )


def code(
    name: str,
    term: str,
    label_ko: str,
    label_en: str,
    description: str,
    *,
    required: bool = False,
    pii: PII = PII.NONE,
    only: tuple[str, ...] | None = None,
) -> FieldSpec:
    """A value of the term's closed code list (``only`` narrows it to a subset)."""
    values = codes(term)
    if only is not None:
        unknown = set(only) - set(values)
        if unknown:
            raise ValueError(f"{name}: codes {sorted(unknown)} are not in {term!r}")
        values = tuple(v for v in values if v in only)
    return FieldSpec(
        name,
        FieldType.CODE,
        term,
        label_ko,
        label_en,
        description,
        required=required,
        pii=pii,
        codes=values,
        compare=Comparator.EXACT,
    )


def date(
    name: str,
    term: str,
    label_ko: str,
    label_en: str,
    description: str,
    *,
    required: bool = False,
    pii: PII = PII.NONE,
    compare: Comparator = Comparator.DATE,
) -> FieldSpec:
    """A calendar date (ISO 8601 on the wire)."""
    return FieldSpec(
        name,
        FieldType.DATE,
        term,
        label_ko,
        label_en,
        description,
        required=required,
        pii=pii,
        compare=compare,
    )


def number(
    name: str,
    term: str,
    label_ko: str,
    label_en: str,
    description: str,
    *,
    integer: bool = False,
    required: bool = False,
    compare: Comparator = Comparator.NUMERIC,
) -> FieldSpec:
    """An amount (DECIMAL) or a count (``integer=True``)."""
    return FieldSpec(
        name,
        FieldType.INTEGER if integer else FieldType.DECIMAL,
        term,
        label_ko,
        label_en,
        description,
        required=required,
        compare=compare,
    )


def flag(
    name: str,
    term: str,
    label_ko: str,
    label_en: str,
    description: str,
    *,
    required: bool = False,
    pii: PII = PII.NONE,
) -> FieldSpec:
    """A yes/no attribute."""
    return FieldSpec(
        name,
        FieldType.BOOLEAN,
        term,
        label_ko,
        label_en,
        description,
        required=required,
        pii=pii,
        compare=Comparator.EXACT,
    )


def address_ref(
    name: str = "address_id",
    *,
    label_ko: str = "주소 관리번호",
    label_en: str = "Address id",
    description: str,
    required: bool = False,
    personal: bool = False,
) -> FieldSpec:
    """A reference to an ``address`` record (its road-name address id).

    ``personal`` marks the address of a natural person (PII.PERSONAL).
    """
    return identifier(
        name,
        "road_address_id",
        label_ko,
        label_en,
        description,
        validator="road_address_id",
        required=required,
        pii=PII.PERSONAL if personal else PII.NONE,
    )


def address_relation(
    field: str = "address_id",
    *,
    name: str = "address",
    required: bool = False,
    description: str = "",
) -> RelationSpec:
    """The relation that goes with :func:`address_ref`."""
    return RelationSpec(name, field, {"": "address"}, required=required, description=description)


def region_code(description: str) -> FieldSpec:
    """The 5-digit si-gun-gu code of the record's jurisdiction (agency scope field)."""
    return FieldSpec(
        "region_code",
        FieldType.TEXT,
        "sigungu_code",
        "시군구코드",
        "Region (si-gun-gu) code",
        description,
        required=True,
        compare=Comparator.EXACT,
        max_length=5,
    )


OWNER_KINDS: dict[str, str] = {"resident": "resident", "corporation": "corporation"}
"""``owner_kind`` value -> dataset the ``owner_id`` refers to."""


def owner_fields(owner: str, *, required: bool) -> tuple[FieldSpec, FieldSpec]:
    """``owner_kind`` and ``owner_id``: a resident (RRN) or a corporation (CRN).

    ``owner_id`` has no single validator: it is checked by the key validator of
    the dataset ``owner_kind`` selects. It may hold an RRN, so it is a unique
    identifier (PII).
    """
    return (
        code(
            "owner_kind",
            "owner_kind",
            "소유자 구분",
            "Owner kind",
            f"Whether the {owner} is owned by a resident (개인) or a corporation (법인).",
            required=required,
        ),
        identifier(
            "owner_id",
            "owner_id",
            "소유자 식별번호",
            "Owner id",
            f"RRN of the resident or CRN of the corporation that owns the {owner}.",
            validator=None,
            required=required,
            pii=PII.UNIQUE_IDENTIFIER,
        ),
    )


def owner_relation(*, required: bool, description: str) -> RelationSpec:
    """The polymorphic owner relation that goes with :func:`owner_fields`."""
    return RelationSpec(
        "owner",
        "owner_id",
        dict(OWNER_KINDS),
        kind_field="owner_kind",
        required=required,
        description=description,
    )


def status_fields(
    term: str,
    *,
    description: str,
    date_description: str,
    pii: PII = PII.NONE,
) -> tuple[FieldSpec, FieldSpec]:
    """``status`` (closed code list of ``term``) and ``status_date``."""
    return (
        code("status", term, "상태", "Status", description, required=True, pii=pii),
        date(
            "status_date",
            "status_date",
            "상태변경일자",
            "Status date",
            date_description,
            pii=pii,
            compare=Comparator.NONE,
        ),
    )
