"""The rule catalogue: derived from every spec, well-formed, and valid SQL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from entities.identifiers import VALIDATORS
from entities.identifiers_sql import WARN_NAMES
from entities.registry import DATASETS
from entities.spec import FieldType
from mdr.errors import NotFound, UnknownDataset
from mdr.quality.models import Dimension, Severity
from mdr.quality.rules import (
    RuleKind,
    all_rules,
    codes_sql,
    get_rule,
    select_rules,
)
from tests.quality.world import build_world

ISSUE_RULES = (
    # the issue's cross-dataset rules, by the id that implements each
    "vehicle.consistency.deceased_owner",
    "licence.consistency.deceased_holder",
    "building.relation.site",
    "building.consistency.site_parcel_ended",
    "address.relation.parcel",
    "workplace.consistency.closed_business",
    "business.consistency.dissolved_corporation",
    "farm_business.relation.parcels",
    "licence.consistency.holder_under_age",
    "foreign_resident.consistency.stay_expired_active",
    "vehicle.relation.owner",
    "vehicle.consistency.corporate_owner_ended",
    # implied by the specs
    "business.consistency.corporate_without_crn",
    "address.consistency.region_code",
    "land_parcel.consistency.region_code",
    "workplace.consistency.workplace_no_brn",
)


def test_rule_ids_are_unique_and_well_formed() -> None:
    ids = [r.id for r in all_rules()]
    assert len(ids) == len(set(ids))
    for rule in all_rules():
        assert re.fullmatch(r"[a-z_]+\.[a-z]+\.[a-z0-9_]+", rule.id), rule.id
        assert rule.id.startswith(rule.dataset + ".")
        assert isinstance(rule.dimension, Dimension)
        assert isinstance(rule.severity, Severity)
        assert rule.description.endswith((".", ")"))


def test_every_spec_element_has_its_rule() -> None:
    ids = {r.id for r in all_rules()}
    for spec in DATASETS.values():
        for f in spec.fields:
            if f.required:
                assert f"{spec.name}.required.{f.name}" in ids
            if f.validator or f.type is FieldType.CODE:
                assert f"{spec.name}.validity.{f.name}" in ids
            if f.validator in WARN_NAMES:
                assert f"{spec.name}.validity.{f.name}_check_digit" in ids
            if f.unique:
                assert f"{spec.name}.uniqueness.{f.name}" in ids
        for rel in spec.relations:
            assert f"{spec.name}.relation.{rel.name}" in ids
        assert f"{spec.name}.timeliness.last_sync" in ids
        assert f"{spec.name}.accuracy.agency_agreement" in ids
    assert "vehicle.validity.owner_id_check_digit" in ids  # polymorphic owner, resident kind
    assert "farm_business.validity.parcels" in ids  # the ';'-list, element by element


def test_the_issue_rules_exist_with_the_right_dimension() -> None:
    for rule_id in ISSUE_RULES:
        assert get_rule(rule_id).dimension is Dimension.CONSISTENCY
    assert get_rule("resident.timeliness.last_sync").kind is RuleKind.TIMELINESS
    assert get_rule("vehicle.uniqueness.plate").dimension is Dimension.UNIQUENESS
    assert get_rule("resident.validity.rrn_check_digit").severity is Severity.WARNING


def test_birth_dates_may_not_be_in_the_future_but_expiry_dates_may() -> None:
    ids = {r.id for r in all_rules()}
    assert "resident.validity.birth_date_not_future" in ids
    assert "licence.validity.holder_birth_date_not_future" in ids
    assert "licence.validity.expiry_date_not_future" not in ids
    assert "foreign_resident.validity.stay_expiry_date_not_future" not in ids


def test_selection_by_dataset_rule_pattern_and_dimension() -> None:
    assert {r.dataset for r in select_rules(["vehicle"])} == {"vehicle"}
    consistency = select_rules(["vehicle"], ["vehicle.consistency.*"])
    assert consistency and all(r.family == "consistency" for r in consistency)
    assert [r.id for r in select_rules(rules=["licence.relation.holder"])] == [
        "licence.relation.holder"
    ]
    timely = select_rules(dimensions=["timeliness"])
    assert len(timely) == len(DATASETS)
    after_parcels = {r.id for r in select_rules(["land_parcel"], with_dependents=True)}
    assert {"address.relation.parcel", "building.relation.site",
            "farm_business.relation.parcels",
            "building.consistency.site_parcel_ended"} <= after_parcels
    assert "resident.required.name" not in after_parcels


def test_unknown_names_are_clear_errors() -> None:
    with pytest.raises(UnknownDataset, match=r"unknown dataset 'cars'"):
        select_rules(["cars"])
    with pytest.raises(NotFound, match=r"did you mean vehicle\.uniqueness\.plate"):
        select_rules(rules=["vehicle.uniqueness.plates"])
    with pytest.raises(NotFound, match="unknown rule"):
        get_rule("nothing.at.all")


def test_hand_written_rules_only_use_real_codes() -> None:
    with pytest.raises(ValueError, match="not codes"):
        codes_sql("resident", "status", "dead")


def test_the_small_world_is_valid_by_the_python_validators() -> None:
    """The factories' snapshot the tests build on obeys the identifier rules."""
    world = build_world()
    for dataset, records in world.records.items():
        spec = DATASETS[dataset]
        for record in records:
            for f in spec.fields:
                value = record.get(f.name)
                if f.validator and value is not None:
                    check = VALIDATORS[f.validator].check(str(value))
                    assert check.ok and check.warning is None, (dataset, f.name, value)


@pytest.mark.db
def test_every_rule_is_one_valid_statement(session: Session) -> None:
    """Each rule's standalone SQL (what `checks list --json` shows) runs as written."""
    for rule in all_rules():
        with session.begin_nested():
            session.execute(text(rule.sql)).all()
