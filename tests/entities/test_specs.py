"""Every dataset spec is consistent with itself, the vocabulary and the other specs."""

from __future__ import annotations

import importlib
import re

import pytest

from entities import vocabulary
from entities.agencies import AGENCIES
from entities.licence import MINIMUM_AGE
from entities.registry import DATASETS, dataset_names, get_dataset
from entities.spec import PII, Comparator, DatasetSpec, FieldType, SearchKind
from entities.vocabulary import CODE_LABELS, ISO_3166_ALPHA3, TERMS, codes, normalise_label
from mdr.errors import UnknownDataset

NAMES = (
    "resident",
    "foreign_resident",
    "address",
    "land_parcel",
    "building",
    "vehicle",
    "corporation",
    "business",
    "workplace",
    "licence",
    "goods",
    "medicine",
    "hazardous_substance",
    "farm_business",
)
AGREED_VALIDATORS = {
    "rrn",
    "frn",
    "crn",
    "brn",
    "legal_dong_code",
    "pnu",
    "road_address_id",
    "building_register_no",
    "vin",
    "plate",
    "driver_licence_no",
    "workplace_no",
    "farm_business_no",
    "gtin13",
    "medicine_code",
    "goods_id",
    "cas",
    "postal_code",
    "qualification_no",
}
# Relations allowed to point at a dataset later in DATASETS (none may be required).
FORWARD_RELATIONS = {("land_parcel", "owner")}
# National registers: no regional jurisdiction, so no agency scope field.
UNSCOPED = {"licence", "goods", "medicine", "hazardous_substance"}
# Identifiers that are 고유식별정보 (개인정보 보호법 시행령 제19조) when they name a person.
UNIQUE_IDENTIFIER_TERMS = {"rrn", "frn", "driver_licence_no"}
PERSONAL_TERMS = {
    "person_name",
    "person_name_en",
    "person_name_hanja",
    "birth_date",
    "representative_name",
}

# Names of people and organisations: compared with the Hangul-aware name comparator.
NAME_TERMS = {
    "person_name",
    "person_name_en",
    "person_name_hanja",
    "representative_name",
    "corporation_name",
    "trade_name",
    "workplace_name",
    "maker_name",
    "farm_name",
}

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
CODE_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
HANGUL = re.compile(r"[가-힣]")

SPECS = [pytest.param(DATASETS[name], id=name) for name in DATASETS]


# --- the catalogue ------------------------------------------------------------------------


def test_fourteen_datasets_named_after_their_modules() -> None:
    assert len(DATASETS) == 14
    assert set(DATASETS) == set(NAMES)
    assert dataset_names() == tuple(DATASETS)
    for name in NAMES:
        module = importlib.import_module(f"entities.{name}")
        assert module.SPEC.name == name
        assert DATASETS[name] is module.SPEC


def test_get_dataset() -> None:
    assert get_dataset("vehicle") is DATASETS["vehicle"]
    with pytest.raises(UnknownDataset) as raised:
        get_dataset("car")
    message = str(raised.value)
    assert "car" in message
    for name in NAMES:
        assert name in message


def test_dependency_order() -> None:
    position = {name: i for i, name in enumerate(DATASETS)}
    for spec in DATASETS.values():
        for rel in spec.relations:
            for target in rel.target_datasets:
                if position[target] < position[spec.name]:
                    continue
                assert (spec.name, rel.name) in FORWARD_RELATIONS, (
                    f"{spec.name}.{rel.name} points forward to {target}"
                )
                assert not rel.required, f"{spec.name}.{rel.name} is required but forward"


def test_agencies() -> None:
    for code, agency in AGENCIES.items():
        assert code == agency.code
        assert re.fullmatch(r"[A-Z]{2,8}", code)
        assert HANGUL.search(agency.name_ko) and agency.name_en
    for spec in DATASETS.values():
        assert AGENCIES[spec.owner.code] is spec.owner


# --- one dataset at a time ------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS)
def test_header(spec: DatasetSpec) -> None:
    assert HANGUL.search(spec.label_ko) and spec.label_en and spec.description
    assert spec.legal_basis and HANGUL.search(spec.legal_basis)
    module = importlib.import_module(f"entities.{spec.name}")
    assert module.__doc__ is not None
    for law in re.split(r"[;,]\s*", spec.legal_basis):
        assert law.split(" 제")[0] in module.__doc__, f"{law!r} is not cited in the docstring"
    assert 8 <= len(spec.fields) <= 16


@pytest.mark.parametrize("spec", SPECS)
def test_fields_are_well_formed(spec: DatasetSpec) -> None:
    for f in spec.fields:
        where = f"{spec.name}.{f.name}"
        assert SNAKE.match(f.name) and f.name.isascii(), where
        assert HANGUL.search(f.label_ko), where
        assert f.label_en and f.description, where
        assert f.max_length is None or f.max_length > 0, where


@pytest.mark.parametrize("spec", SPECS)
def test_terms_exist_match_types_and_are_used_once(spec: DatasetSpec) -> None:
    seen: dict[str, str] = {}
    for f in spec.fields:
        assert f.term in TERMS, f"{spec.name}.{f.name}: unknown term {f.term!r}"
        assert TERMS[f.term].type == f.type, f"{spec.name}.{f.name}: type differs from term"
        assert f.term not in seen, f"{spec.name}: {f.name} and {seen[f.term]} share a term"
        seen[f.term] = f.name


@pytest.mark.parametrize("spec", SPECS)
def test_validators_are_agreed(spec: DatasetSpec) -> None:
    for f in spec.fields:
        if f.validator is not None:
            assert f.validator in AGREED_VALIDATORS, f"{spec.name}.{f.name}: {f.validator}"
            assert f.type == FieldType.TEXT
            assert f.compare == Comparator.IDENTIFIER, f"{spec.name}.{f.name}"


def test_validators_exist_in_identifiers() -> None:
    from entities.identifiers import VALIDATORS

    known = set(VALIDATORS)
    for spec in DATASETS.values():
        for f in spec.fields:
            if f.validator is not None:
                assert f.validator in known, f"{spec.name}.{f.name}: {f.validator}"


@pytest.mark.parametrize("spec", SPECS)
def test_key(spec: DatasetSpec) -> None:
    key = spec.key_field
    assert key.required
    assert key.type == FieldType.TEXT
    assert key.validator is not None
    assert key.compare == Comparator.IDENTIFIER
    assert spec.field_names[0] == spec.key, "the key is the first column"


@pytest.mark.parametrize("spec", SPECS)
def test_codes(spec: DatasetSpec) -> None:
    for f in spec.fields:
        where = f"{spec.name}.{f.name}"
        if f.type != FieldType.CODE:
            assert not f.codes, where
            continue
        assert f.codes, f"{where}: code field without codes"
        assert len(set(f.codes)) == len(f.codes), where
        assert set(f.codes) <= set(codes(f.term)), where
        assert all(CODE_VALUE.match(c) for c in f.codes), where
        assert f.compare == Comparator.EXACT, where


@pytest.mark.parametrize("spec", SPECS)
def test_status(spec: DatasetSpec) -> None:
    assert spec.status_field == "status"
    status = spec.field_spec("status")
    assert status.type == FieldType.CODE and status.required
    assert all(SNAKE.match(c) for c in status.codes), "status codes are English snake_case"
    assert spec.field_spec("status_date").type == FieldType.DATE


@pytest.mark.parametrize("spec", SPECS)
def test_relations(spec: DatasetSpec) -> None:
    names = [rel.name for rel in spec.relations]
    assert len(set(names)) == len(names)
    for rel in spec.relations:
        where = f"{spec.name}.{rel.name}"
        field = spec.field_spec(rel.field)
        assert rel.targets, where
        assert not rel.required or field.required, f"{where}: required relation, optional field"
        for target_name in rel.target_datasets:
            target = DATASETS[target_name]
            assert field.type == target.key_field.type, where
            if target.key_is_personal:
                assert field.pii == PII.UNIQUE_IDENTIFIER, f"{where}: holds a personal key"
        if rel.kind_field is not None:
            kind = spec.field_spec(rel.kind_field)
            assert kind.type == FieldType.CODE, where
            assert set(kind.codes) == set(rel.targets), f"{where}: kinds differ from targets"
            assert not rel.required or kind.required, where
            assert field.validator is None, f"{where}: polymorphic ids have no single validator"
        elif rel.many:
            assert field.validator is None, f"{where}: a list is checked element by element"
            assert TERMS[field.term].format.endswith("separated by ';'"), where
        else:
            assert set(rel.targets) == {""}, where
            target = DATASETS[rel.target_datasets[0]]
            assert field.validator == target.key_field.validator, (
                f"{where}: validator differs from {target.name}.{target.key}"
            )
            assert field.term == target.key_field.term, where


@pytest.mark.parametrize("spec", SPECS)
def test_searches(spec: DatasetSpec) -> None:
    names = [s.name for s in spec.searches]
    assert names and len(set(names)) == len(names)
    for search in spec.searches:
        assert search.fields and search.description, search.name
        if search.kind == SearchKind.TRIGRAM:
            assert len(search.fields) == 1, search.name
            assert spec.field_spec(search.fields[0]).type == FieldType.TEXT, search.name
        if search.kind == SearchKind.PREFIX:
            assert spec.field_spec(search.fields[-1]).type == FieldType.TEXT, search.name


@pytest.mark.parametrize("spec", SPECS)
def test_linkage(spec: DatasetSpec) -> None:
    link = spec.linkage
    assert link.secondary_keys, "deterministic tier needs a secondary key"
    assert len(link.blocking) >= 2, "one typo must not hide a pair"
    for combo in (*link.secondary_keys, *link.blocking):
        assert combo
        for name in combo:
            spec.field_spec(name)
    if spec.name in UNSCOPED:
        assert link.scope_field is None
    else:
        assert link.scope_field == "region_code"
        scope = spec.field_spec("region_code")
        assert scope.term == "sigungu_code" and scope.required


@pytest.mark.parametrize("spec", SPECS)
def test_pii(spec: DatasetSpec) -> None:
    for f in spec.fields:
        where = f"{spec.name}.{f.name}"
        if f.term in UNIQUE_IDENTIFIER_TERMS:
            assert f.pii == PII.UNIQUE_IDENTIFIER, where
        if f.term in PERSONAL_TERMS:
            assert f.pii == PII.PERSONAL, where
        if f.term in {"corporation_name", "trade_name", "workplace_name"}:
            assert f.pii == PII.NONE, where
    personal_key = spec.key_field.pii != PII.NONE
    assert personal_key == (spec.name in {"resident", "foreign_resident", "licence"})


@pytest.mark.parametrize("spec", SPECS)
def test_comparators(spec: DatasetSpec) -> None:
    for f in spec.fields:
        where = f"{spec.name}.{f.name}"
        if f.type == FieldType.DATE:
            assert f.compare in {Comparator.DATE, Comparator.NONE}, where
        if f.type == FieldType.DECIMAL:
            assert f.compare == Comparator.NUMERIC, where
        if f.type in {FieldType.CODE, FieldType.BOOLEAN}:
            assert f.compare == Comparator.EXACT, where
        if f.term in NAME_TERMS:
            assert f.compare == Comparator.NAME, where
        if f.term == "road_address":
            assert f.compare == Comparator.ADDRESS, where


@pytest.mark.parametrize("spec", SPECS)
def test_column_synonyms_map_to_one_field(spec: DatasetSpec) -> None:
    """An agency column name maps to at most one field (a field's own name wins)."""
    own = {normalise_label(f.name): f.name for f in spec.fields}
    claims: dict[str, set[str]] = {}
    for f in spec.fields:
        term = TERMS[f.term]
        for label in (f.label_ko, f.label_en, term.name_ko, term.name_en, *term.synonyms):
            claims.setdefault(normalise_label(label), set()).add(f.name)
    for label, fields in claims.items():
        if label in own:
            continue
        assert len(fields) == 1, f"{spec.name}: column {label!r} could be {sorted(fields)}"


# --- vocabulary -----------------------------------------------------------------------------


def test_vocabulary_terms() -> None:
    used = {f.term for spec in DATASETS.values() for f in spec.fields}
    for code, term in TERMS.items():
        assert code == term.code and SNAKE.match(code)
        assert HANGUL.search(term.name_ko) and term.name_en and term.definition and term.format
        assert len(term.synonyms) >= 3, f"{code}: be generous with synonyms"
        folded = [normalise_label(s) for s in term.synonyms]
        assert all(folded), code
        assert len(set(folded)) == len(folded), f"{code}: duplicate synonyms {term.synonyms}"
        assert code in used, f"term {code!r} is used by no field"
        if term.type == FieldType.CODE:
            assert codes(code), code


def test_code_labels() -> None:
    for term, labels in CODE_LABELS.items():
        assert TERMS[term].type == FieldType.CODE, term
        assert labels and all(HANGUL.search(v) or v.isupper() for v in labels.values()), term
    assert len(ISO_3166_ALPHA3) == 249 == len(set(ISO_3166_ALPHA3))
    assert {"KOR", "VNM", "CHN", "USA"} <= set(ISO_3166_ALPHA3)
    assert len(codes("land_category")) == 28
    assert "KOR" not in get_dataset("foreign_resident").field_spec("nationality").codes


def test_terms_for_label() -> None:
    assert "person_name" in vocabulary.terms_for_label("성명")
    assert vocabulary.terms_for_label("roadAddr") == ("road_address",)
    assert "rrn" in vocabulary.terms_for_label("JUMIN-NO")


# --- licence ages ---------------------------------------------------------------------------


def test_minimum_age_covers_every_licence_kind() -> None:
    kinds = get_dataset("licence").field_spec("licence_kind").codes
    assert set(MINIMUM_AGE) == set(kinds)
    assert MINIMUM_AGE["class2_moped"] == 16
    assert MINIMUM_AGE["class2_ordinary"] == 18
    assert MINIMUM_AGE["class1_large"] == 19
    assert all(16 <= age <= 19 for age in MINIMUM_AGE.values())
