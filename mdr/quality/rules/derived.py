"""Rules derived from the dataset specs: a 15th dataset gets its checks without new code.

``<dataset>.required.<field>`` (completeness)
    every required field is present (not NULL, not blank).
``<dataset>.validity.<field>`` (validity)
    identifier rules via the ``mdr_check_<validator>`` SQL functions (a
    polymorphic owner id by the validator of its kind, a ``;``-list element by
    element), closed code lists, maximum lengths.
``<dataset>.validity.<field>_check_digit`` (validity, warning)
    RRN, foreigner number and VIN check digits via ``mdr_warn_*``: numbers
    issued since October 2020 carry none, so a mismatch is a warning, and
    numbers of people born since 2020-10-05 are not checked at all.
``<dataset>.validity.<field>_not_future`` (validity)
    dates of events that have happened (birth, registration, opening ...).
``<dataset>.uniqueness.<field>`` (uniqueness)
    fields declared unique (a plate among registered vehicles, a medicine's
    standard code). Natural keys are not checked: the current table's primary
    key and the version table's exclusion constraint already enforce them.
``<dataset>.relation.<relation>`` (consistency)
    referential integrity of every :class:`~entities.spec.RelationSpec` against
    the *current* table of its target, including polymorphic owners and the
    ``;``-separated parcel list of a farm business.
``<dataset>.timeliness.last_sync`` (timeliness, warning)
    the last successful sync is older than the dataset's cadence allows.
``<dataset>.accuracy.agency_agreement`` (accuracy, warning)
    agency copies disagree with the master in their latest reconciliation.
"""

from __future__ import annotations

from collections.abc import Sequence

from entities.identifiers_sql import WARN_NAMES
from entities.registry import get_dataset
from entities.spec import DatasetSpec, FieldSpec, FieldType, RelationSpec
from entities.tables import live_table
from mdr.quality.models import Dimension, Severity
from mdr.quality.rules.model import (
    TODAY,
    Join,
    Rule,
    RuleKind,
    codes_sql,
    col,
    lit,
    present,
    q,
    relation_join,
)

RRN_REFORM_BIRTHS = "201005"
"""YYMMDD from which (2020-10-05, MOIS reform) RRNs carry no check digit."""

#: Vocabulary terms of dates that record events which have already happened.
PAST_EVENT_TERMS = frozenset({
    "birth_date", "move_in_date", "registered_date", "established_date", "opened_date",
    "issued_date", "use_approval_date", "approval_date", "status_date",
})  # fmt: skip

#: Unique fields that are unique only among records in these statuses.
UNIQUE_AMONG: dict[tuple[str, str], tuple[str, ...]] = {
    ("vehicle", "plate"): ("registered",),  # plates are reissued after deregistration
}


def _required_rules(spec: DatasetSpec) -> list[Rule]:
    return [
        Rule(
            f"{spec.name}.required.{f.name}", spec.name, Dimension.COMPLETENESS, Severity.ERROR,
            f"{f.label_en} ({f.label_ko}) is required and is missing or blank.",
            condition=f"NOT {present(f)}",
        )
        for f in spec.fields
        if f.required
    ]


def _unresolved(spec: DatasetSpec, rel: RelationSpec, kind: str = "") -> tuple[Join, str]:
    """(join, SQL true when the reference does not resolve) for one relation (kind)."""
    join = relation_join(spec, rel, kind)
    return join, f"{join.alias}.{q(get_dataset(rel.targets[kind]).key)} IS NULL"


REFERENCE_NOTE = (
    " Checked where the reference does not resolve: a resolved reference is as valid as its "
    "target's key, which the target's own rule checks."
)


def _validity_rules(spec: DatasetSpec) -> list[Rule]:
    """Identifier rules, code lists, lengths and past-event dates of every field.

    A reference field is validated only where it does not resolve. One that
    resolves equals a live key of its target, whose validity the target's own
    rule reports once, on the record that owns it; skipping the identifier
    function there saves most of its calls (a million residents' address ids).
    """
    rules: list[Rule] = []
    for f in spec.fields:
        rid = f"{spec.name}.validity.{f.name}"
        c = col(f.name)
        relation = next((r for r in spec.relations if r.field == f.name), None)
        if f.validator and relation is not None and not relation.many:
            join, unresolved = _unresolved(spec, relation)
            rules.append(Rule(
                rid, spec.name, Dimension.VALIDITY, Severity.ERROR,
                f"{f.label_en} is not a valid {f.validator} (mdr_check_{f.validator})."
                + REFERENCE_NOTE,
                condition=f"{unresolved} AND mdr_check_{f.validator}({c}) IS NOT NULL",
                scope=present(f), joins=(join,),
            ))
            if f.validator in WARN_NAMES:
                rules.append(_check_digit_rule(spec, f, f.validator, resolved=(join, unresolved)))
        elif f.validator:
            rules.append(Rule(
                rid, spec.name, Dimension.VALIDITY, Severity.ERROR,
                f"{f.label_en} is not a valid {f.validator} (mdr_check_{f.validator}).",
                condition=f"mdr_check_{f.validator}({c}) IS NOT NULL", scope=present(f),
            ))
            if f.validator in WARN_NAMES:
                rules.append(_check_digit_rule(spec, f, f.validator))
        elif relation is not None and relation.kind_field:
            cases, joins, warnings = [], [], []
            for kind, target in relation.targets.items():
                validator = get_dataset(target).key_field.validator
                join, unresolved = _unresolved(spec, relation, kind)
                joins.append(join)
                cases.append(f"WHEN {lit(kind)} THEN {unresolved} "
                             f"AND mdr_check_{validator}({c}) IS NOT NULL")
                if validator in WARN_NAMES:
                    warnings.append(_check_digit_rule(
                        spec, f, validator, kind_field=relation.kind_field, kind=kind,
                        resolved=(join, unresolved)))
            rules.append(Rule(
                rid, spec.name, Dimension.VALIDITY, Severity.ERROR,
                f"{f.label_en} is not a valid key of the dataset its {relation.kind_field} "
                "names." + REFERENCE_NOTE,
                condition=f"(CASE {col(relation.kind_field)} {' '.join(cases)} END)",
                scope=present(f), joins=tuple(joins),
            ))
            rules.extend(warnings)
        elif relation is not None and relation.many:
            validator = get_dataset(relation.target_datasets[0]).key_field.validator
            rules.append(Rule(
                rid, spec.name, Dimension.VALIDITY, Severity.ERROR,
                f"An element of the ';'-separated {f.label_en} is not a valid {validator}.",
                condition=f"EXISTS (SELECT 1 FROM unnest(string_to_array({c}, ';')) AS x(v) "
                f"WHERE btrim(x.v) <> '' AND mdr_check_{validator}(btrim(x.v)) IS NOT NULL)",
                scope=present(f),
            ))
        elif f.type is FieldType.CODE and f.codes:
            allowed = ", ".join(lit(v) for v in f.codes)
            rules.append(Rule(
                rid, spec.name, Dimension.VALIDITY, Severity.ERROR,
                f"{f.label_en} is not one of its {len(f.codes)} codes ({f.term}).",
                condition=f"{c} <> ALL (ARRAY[{allowed}])", scope=present(f),
            ))
        elif f.type is FieldType.TEXT and f.max_length:
            rules.append(Rule(
                rid, spec.name, Dimension.VALIDITY, Severity.ERROR,
                f"{f.label_en} is longer than {f.max_length} characters.",
                condition=f"length({c}) > {int(f.max_length)}", scope=present(f),
            ))
        if f.type is FieldType.DATE and f.term in PAST_EVENT_TERMS:
            rules.append(Rule(
                f"{rid}_not_future", spec.name, Dimension.VALIDITY, Severity.ERROR,
                f"{f.label_en} is in the future (after today in Korea).",
                condition=f"{c} > {TODAY}", scope=present(f),
            ))
    return rules


def _check_digit_rule(
    spec: DatasetSpec, f: FieldSpec, validator: str, *, kind_field: str | None = None,
    kind: str = "", resolved: tuple[Join, str] | None = None,
) -> Rule:
    """The ``mdr_warn_*`` check-digit warning (it is NULL for an invalid value)."""
    c = col(f.name)
    scope = present(f)
    if kind_field is not None:
        scope += f" AND {col(kind_field)} = {lit(kind)}"
    if validator in ("rrn", "frn"):
        # numbers of people born since the reform were all issued without a check digit
        new_digits = "('3', '4')" if validator == "rrn" else "('7', '8')"
        scope += (f" AND NOT (substr({c}, 7, 1) IN {new_digits} "
                  f"AND left({c}, 6) >= {lit(RRN_REFORM_BIRTHS)})")
    condition = f"mdr_warn_{validator}({c}) IS NOT NULL"
    joins: tuple[Join, ...] = ()
    note = ""
    if resolved is not None:
        joins, condition = (resolved[0],), f"{resolved[1]} AND {condition}"
        note = REFERENCE_NOTE
    return Rule(
        f"{spec.name}.validity.{f.name}_check_digit", spec.name, Dimension.VALIDITY,
        Severity.WARNING,
        f"{f.label_en}: the {validator} check digit does not match (valid for numbers issued "
        "without one, so a warning)." + note,
        condition=condition, scope=scope, joins=joins,
    )


def unique_rule(
    spec: DatasetSpec, field_name: str, statuses: Sequence[str] = (), *, derived: bool = True,
    description: str = "",
) -> Rule:
    """Rows sharing a value of ``field_name`` with another row (among ``statuses``)."""
    f = spec.field_spec(field_name)
    alias = f"u_{field_name}"

    def scope(a: str) -> str:
        among = ""
        if statuses:
            among = f" AND {col(spec.status_field or 'status', a)} IN " + codes_sql(
                spec.name, spec.status_field or "status", *statuses)
        return present(f, a) + among

    join = Join(
        alias,
        f"LEFT JOIN (SELECT d.{q(field_name)} AS v FROM {live_table(spec)} d "
        f"WHERE {scope('d')} GROUP BY 1 HAVING count(*) > 1) {alias} "
        f"ON {alias}.v = {col(field_name)}",
    )
    among = f" among records with status {', '.join(statuses)}" if statuses else ""
    return Rule(
        f"{spec.name}.uniqueness.{field_name}", spec.name, Dimension.UNIQUENESS, Severity.ERROR,
        description or f"{f.label_en} is shared by more than one live record{among}.",
        condition=f"{alias}.v IS NOT NULL", scope=scope("t"), joins=(join,), derived=derived,
    )


def _relation_rules(spec: DatasetSpec) -> list[Rule]:
    rules = []
    for rel in spec.relations:
        f = spec.field_spec(rel.field)
        rid = f"{spec.name}.relation.{rel.name}"
        if rel.kind_field:
            joins = tuple(relation_join(spec, rel, kind) for kind in rel.targets)
            condition = " OR ".join(
                f"({col(rel.kind_field)} = {lit(kind)} AND {j.alias}.{q(get_dataset(t).key)} "
                "IS NULL)"
                for (kind, t), j in zip(rel.targets.items(), joins, strict=True)
            )
            kinds = ", ".join(lit(k) for k in rel.targets)
            rules.append(Rule(
                rid, spec.name, Dimension.CONSISTENCY, Severity.ERROR,
                f"{f.label_en} refers to a {' or '.join(rel.target_datasets)} that is not in "
                f"the master ({rel.description or rel.name}).",
                condition=condition, scope=f"{present(f)} AND {col(rel.kind_field)} IN ({kinds})",
                joins=joins,
            ))
            continue
        join = relation_join(spec, rel)
        target = get_dataset(rel.target_datasets[0])
        if rel.many:
            condition = f"{join.alias}.k IS NOT NULL"
            what = f"An element of {f.label_en} refers to a {target.name} that is not in the master"
        else:
            condition = f"{join.alias}.{q(target.key)} IS NULL"
            what = f"{f.label_en} refers to a {target.name} that is not in the master"
        rules.append(Rule(
            rid, spec.name, Dimension.CONSISTENCY, Severity.ERROR,
            f"{what} ({rel.description or rel.name}).",
            condition=condition, scope=present(f), joins=(join,),
        ))
    return rules


def _timeliness_rule(spec: DatasetSpec) -> Rule:
    days = spec.cadence.max_age.days
    return Rule(
        f"{spec.name}.timeliness.last_sync", spec.name, Dimension.TIMELINESS, Severity.WARNING,
        f"The last successful sync is older than {days} days (cadence {spec.cadence.value}), "
        "or there has been none.",
        kind=RuleKind.TIMELINESS,
    )


def _accuracy_rule(spec: DatasetSpec) -> Rule:
    return Rule(
        f"{spec.name}.accuracy.agency_agreement", spec.name, Dimension.ACCURACY,
        Severity.WARNING,
        "Records of agency copies that disagree with the master on some field, in each "
        "agency's latest reconciliation (no data until reconciliations have run).",
        kind=RuleKind.ACCURACY,
    )


def derived_rules(spec: DatasetSpec) -> list[Rule]:
    """Every rule the spec implies by itself."""
    unique = [
        unique_rule(spec, f.name, UNIQUE_AMONG.get((spec.name, f.name), ()))
        for f in spec.fields if f.unique
    ]
    return [
        *_required_rules(spec), *_validity_rules(spec), *unique, *_relation_rules(spec),
        _timeliness_rule(spec), _accuracy_rule(spec),
    ]
