"""The one declaration every dataset is built from.

A :class:`DatasetSpec` names a national master dataset, its owner, legal basis,
refresh cadence, natural key, fields, relations, search types and linkage
settings. Tables, API schemas, validity and referential checks, the synthetic
generator's columns and the reconciliation comparators are all derived from it,
so adding a dataset is one module in ``entities/`` plus one migration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class FieldType(StrEnum):
    """Storage and wire type of a field."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    CODE = "code"  # one value of a closed code list (``FieldSpec.codes``)


class PII(StrEnum):
    """Personal-information class (Personal Information Protection Act)."""

    NONE = "none"
    PERSONAL = "personal"  # names, birth dates, addresses of a person
    UNIQUE_IDENTIFIER = "unique_identifier"  # RRN, foreigner number, licence number


class Comparator(StrEnum):
    """How a field is compared when linking an agency copy to the master."""

    EXACT = "exact"
    STRING = "string"  # Jaro-Winkler on normalised text
    NAME = "name"  # person or organisation name: Hangul-aware similarity
    ADDRESS = "address"  # token-based similarity on normalised address text
    DATE = "date"  # exact, with tolerance for day/month swaps and one-digit slips
    IDENTIFIER = "identifier"  # exact, aware of single-digit errors and transpositions
    NUMERIC = "numeric"  # relative difference
    NONE = "none"  # not compared


class Cadence(StrEnum):
    """How often the owning agency refreshes its source."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"

    @property
    def max_age(self) -> dt.timedelta:
        """Age after which the last successful sync counts as stale."""
        return {
            Cadence.DAILY: dt.timedelta(days=2),
            Cadence.WEEKLY: dt.timedelta(days=8),
            Cadence.MONTHLY: dt.timedelta(days=32),
        }[self]


class SearchKind(StrEnum):
    EXACT = "exact"  # equality on all fields (btree index)
    PREFIX = "prefix"  # equality on all but the last, prefix on the last (btree text_pattern_ops)
    TRIGRAM = "trigram"  # similarity on one text field (pg_trgm GIN index)


@dataclass(frozen=True)
class FieldSpec:
    """One attribute of a dataset.

    ``validator`` names an identifier rule in :mod:`entities.identifiers`
    (``VALIDATORS``); ``codes`` is the closed list for ``FieldType.CODE``.
    """

    name: str
    type: FieldType
    term: str  # standard-vocabulary term code, see entities.vocabulary
    label_ko: str
    label_en: str
    description: str
    required: bool = False
    pii: PII = PII.NONE
    validator: str | None = None
    codes: tuple[str, ...] = ()
    compare: Comparator = Comparator.EXACT
    unique: bool = False  # unique among live records (e.g. a plate number)
    max_length: int | None = None


@dataclass(frozen=True)
class RelationSpec:
    """A reference from this dataset to records of another.

    ``field`` holds the referenced natural key. When the target is one of
    several datasets (a vehicle owner is a resident or a corporation),
    ``kind_field`` holds which, and ``targets`` maps each kind value to a dataset.
    ``required`` means every live record must carry a resolvable reference.
    A multi-valued reference (a farm business's parcels) is a ``;``-separated list.
    """

    name: str
    field: str
    targets: dict[str, str]  # kind value (or "" when not polymorphic) -> dataset name
    kind_field: str | None = None
    required: bool = False
    many: bool = False
    description: str = ""

    @property
    def target_datasets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.targets.values()))


@dataclass(frozen=True)
class SearchSpec:
    """A declared way to search a dataset (each gets an index)."""

    name: str
    fields: tuple[str, ...]
    kind: SearchKind = SearchKind.EXACT
    description: str = ""


@dataclass(frozen=True)
class LinkageSpec:
    """Settings for reconciling agency copies against this dataset.

    ``secondary_keys`` are strong keys tried after the natural key in the
    deterministic tier (each a tuple of fields that together identify a record);
    ``blocking`` lists several blocking keys so one typo does not hide a pair.
    """

    secondary_keys: tuple[tuple[str, ...], ...] = ()
    blocking: tuple[tuple[str, ...], ...] = ()
    scope_field: str | None = None  # field an agency scope (e.g. a region code) filters on


@dataclass(frozen=True)
class Agency:
    code: str
    name_ko: str
    name_en: str


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    label_ko: str
    label_en: str
    description: str
    owner: Agency
    legal_basis: str
    cadence: Cadence
    key: str
    fields: tuple[FieldSpec, ...]
    relations: tuple[RelationSpec, ...] = ()
    searches: tuple[SearchSpec, ...] = ()
    linkage: LinkageSpec = field(default_factory=LinkageSpec)
    status_field: str | None = None  # field carrying the lifecycle status, if any

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate field names")
        if self.key not in names:
            raise ValueError(f"{self.name}: key {self.key!r} is not a field")
        known = set(names)
        for rel in self.relations:
            for f in (rel.field, rel.kind_field):
                if f is not None and f not in known:
                    raise ValueError(f"{self.name}.{rel.name}: unknown field {f!r}")
        for search in self.searches:
            missing = set(search.fields) - known
            if missing:
                raise ValueError(f"{self.name}.{search.name}: unknown fields {sorted(missing)}")
        if self.status_field is not None and self.status_field not in known:
            raise ValueError(f"{self.name}: unknown status field {self.status_field!r}")

    @cached_property  # on every read's path
    def field_names(self) -> tuple[str, ...]:
        """Canonical CSV columns, in order."""
        return tuple(f.name for f in self.fields)

    @cached_property
    def identifier_fields(self) -> tuple[str, ...]:
        """Fields holding a personal identifier: the people a record is about."""
        return tuple(f.name for f in self.fields if f.pii is PII.UNIQUE_IDENTIFIER)

    @property
    def key_field(self) -> FieldSpec:
        return self.field_spec(self.key)

    @property
    def key_is_personal(self) -> bool:
        """True when the natural key identifies a person: it never travels in a URL."""
        return self.key_field.pii is not PII.NONE

    def field_spec(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def version_table(self) -> str:
        return f"{self.name}_version"

    @property
    def current_table(self) -> str:
        return self.name

    @property
    def today_view(self) -> str:
        """The records valid today (see ``entities.tables.today_view_sql``)."""
        return f"{self.name}_today"
