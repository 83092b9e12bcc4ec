"""The rule catalogue: what "good data" means for each national master dataset.

Most rules are derived from the dataset specs, so a 15th dataset gets its checks
without new code here:

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

Hand-written rules (``<dataset>.consistency.<name>``) check what no single field
says. Of the issue's list, three are exactly a relation rule and are not
duplicated: "an address whose parcel does not exist" is
``address.relation.parcel``, "a farm business farming a parcel that does not
exist" is ``farm_business.relation.parcels``, and the "does not exist" halves of
"a building on a parcel that does not exist or has ended" and "a vehicle owned
by a corporation that does not exist" are ``building.relation.site`` and
``vehicle.relation.owner``; their other halves are
``building.consistency.site_parcel_ended`` and
``vehicle.consistency.corporate_owner_ended``.

``<dataset>.timeliness.last_sync`` reads the sync ledger (``sync_batch``) by
name; ``<dataset>.accuracy.agency_agreement`` reads reconciliation results
(``reconciliation_run``, see :data:`ACCURACY_CONTRACT`) when that table exists
and reports "no data" otherwise.

Row rules are SQL over the dataset's current table aliased ``t``: ``scope``
selects the rows the rule checks (its ``checked_rows``), ``condition`` is true
for a failing row, and ``joins`` add ``LEFT JOIN``s that match at most one row
each (on a target's primary key or a grouped subquery), so the runner can put
all rules of a table into one scan.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from enum import StrEnum
from functools import cache

from entities.identifiers import ForeignerRegistrationNumber, ResidentRegistrationNumber
from entities.identifiers_sql import WARN_NAMES
from entities.licence import MINIMUM_AGE
from entities.registry import DATASETS, get_dataset
from entities.spec import DatasetSpec, FieldSpec, FieldType, RelationSpec
from entities.tables import live_table
from mdr.db.sql import literal, quote_ident
from mdr.errors import NotFound
from mdr.quality.models import Dimension, Severity
from mdr.timezone import TODAY_IN_KOREA_SQL

SAMPLE_LIMIT = 50
"""Most failing keys a rule brings out of the database (DESIGN.md section 7)."""

TODAY = TODAY_IN_KOREA_SQL
"""Today in Korea, the calendar every date of the master data is in."""

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

ACCURACY_TABLE = "reconciliation_run"
ACCURACY_CONTRACT = (
    "reconciliation_run(dataset text, agency text, finished_at timestamptz, "
    "records_compared bigint, records_agreeing bigint[, field_agreement jsonb])"
)
"""Columns the accuracy rules and report read from reconciliation results.

One row per reconciliation run of an agency's copy of a dataset: how many of its
records were linked to a master record and compared, and how many agreed on
every compared field. The optional ``field_agreement`` maps a field name to
``{"compared": n, "agreeing": m}``. The latest finished run per agency counts.
"""



class RuleKind(StrEnum):
    ROW = "row"  # rows of the dataset's current table
    TIMELINESS = "timeliness"  # the dataset's sync ledger
    ACCURACY = "accuracy"  # the dataset's reconciliation results


@dataclass(frozen=True)
class Join:
    """A ``LEFT JOIN`` matching at most one row per row of ``t``."""

    alias: str
    sql: str
    reads: tuple[str, ...] = ()  # datasets it reads


@dataclass(frozen=True)
class Rule:
    id: str
    dataset: str
    dimension: Dimension
    severity: Severity
    description: str
    condition: str = "FALSE"
    scope: str = "TRUE"
    joins: tuple[Join, ...] = ()
    kind: RuleKind = RuleKind.ROW
    derived: bool = True

    @property
    def family(self) -> str:
        """``required``, ``validity``, ``uniqueness``, ``relation``, ``consistency`` ..."""
        return self.id.split(".")[1]

    @property
    def reads(self) -> tuple[str, ...]:
        """Datasets other than its own whose data the rule reads."""
        return tuple(dict.fromkeys(d for j in self.joins for d in j.reads if d != self.dataset))

    @property
    def sql(self) -> str:
        """One statement returning the keys of the failing records (column ``key``)."""
        spec = get_dataset(self.dataset)
        if self.kind is RuleKind.TIMELINESS:
            return (
                f"SELECT {lit(self.dataset)} AS key FROM (SELECT max(finished_at) AS last "
                f"FROM sync_batch WHERE dataset = {lit(self.dataset)} AND status = 'applied') s "
                f"WHERE s.last IS NULL OR s.last < now() - {max_age_sql(spec)}"
            )
        if self.kind is RuleKind.ACCURACY:
            return (
                f"SELECT agency AS key FROM (SELECT DISTINCT ON (agency) agency, "
                f"records_compared, records_agreeing FROM {ACCURACY_TABLE} "
                f"WHERE dataset = {lit(self.dataset)} AND finished_at IS NOT NULL "
                f"ORDER BY agency, finished_at DESC) r WHERE records_agreeing < records_compared"
            )
        joins = "".join(f"\n  {j.sql}" for j in self.joins)
        return (
            f"SELECT t.{q(spec.key)} AS key\nFROM {live_table(spec)} t{joins}\n"
            f"WHERE ({self.scope}) AND ({self.condition})"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "dataset": self.dataset,
            "owner": get_dataset(self.dataset).owner.code,
            "dimension": self.dimension.value,
            "severity": self.severity.value,
            "family": self.family,
            "kind": self.kind.value,
            "derived": self.derived,
            "description": self.description,
            "reads": list(self.reads),
            "sql": self.sql,
        }


# --------------------------------------------------------------------------- SQL helpers


q, lit = quote_ident, literal  # short: rules are written as SQL text full of them


def col(name: str, alias: str = "t") -> str:
    return f"{alias}.{q(name)}"


def max_age_sql(spec: DatasetSpec) -> str:
    return f"interval '{int(spec.cadence.max_age.total_seconds())} seconds'"


def present(f: FieldSpec, alias: str = "t") -> str:
    """SQL: the field holds a value (blank text counts as missing)."""
    c = col(f.name, alias)
    if f.type in (FieldType.TEXT, FieldType.CODE):
        return f"({c} IS NOT NULL AND btrim({c}) <> '')"
    return f"{c} IS NOT NULL"


def codes_sql(dataset: str, field_name: str, *values: str) -> str:
    """``('a', 'b')`` for an ``IN``; every value must be one of the field's codes."""
    allowed = get_dataset(dataset).field_spec(field_name).codes
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"{dataset}.{field_name}: {unknown} are not codes of the field")
    return "(" + ", ".join(lit(v) for v in values) + ")"


def _person_number_checks(
    number: str, birth: str, cls: type[ResidentRegistrationNumber | ForeignerRegistrationNumber]
) -> tuple[str, str, str, str]:
    """SQL pieces comparing a birth date and sex with what an RRN or foreigner number encodes.

    (sex digit known, birth date differs, sex from the number, well-formed). No
    casts: a malformed number is the validity rule's business, so ``well-formed``
    (a regular expression) is only evaluated on rows that already differ.
    """
    digit = f"substr({number}, 7, 1)"
    known = f"{digit} IN (" + ", ".join(lit(d) for d in cls.sex_digits) + ")"
    by_century: dict[int, list[str]] = {}
    for d, (century, _) in cls.sex_digits.items():
        by_century.setdefault(century, []).append(d)
    century_digits = " ".join(
        f"WHEN {birth} < DATE '{century + 100}-01-01' THEN "
        + "ARRAY[" + ", ".join(lit(d) for d in digits) + "]"
        for century, digits in sorted(by_century.items())
    )
    differs = (f"(to_char({birth}, 'YYMMDD') <> left({number}, 6) "
               f"OR {digit} <> ALL (CASE {century_digits} END))")
    sexes = " ".join(
        f"WHEN {lit(d)} THEN {lit('M' if male else 'F')}" for d, (_, male) in cls.sex_digits.items()
    )
    return known, differs, f"(CASE {digit} {sexes} END)", f"{number} ~ '^[0-9]{{13}}$'"


# --------------------------------------------------------------------------- joins


def relation_join(spec: DatasetSpec, rel: RelationSpec, kind: str = "") -> Join:
    """The join resolving one relation (one target kind of a polymorphic one)."""
    target = get_dataset(rel.targets[kind])
    key = q(target.key)
    if rel.many:
        alias = f"r_{rel.name}"
        return Join(
            alias,
            f"LEFT JOIN (SELECT m.{q(spec.key)} AS k, count(*) AS missing "
            f"FROM {live_table(spec)} m CROSS JOIN LATERAL "
            f"unnest(string_to_array(m.{q(rel.field)}, ';')) AS x(v) "
            f"WHERE btrim(x.v) <> '' AND NOT EXISTS (SELECT 1 FROM {live_table(target)} p "
            f"WHERE p.{key} = btrim(x.v)) GROUP BY m.{q(spec.key)}) {alias} "
            f"ON {alias}.k = t.{q(spec.key)}",
            reads=(target.name,),
        )
    if rel.kind_field:
        alias = f"r_{rel.name}_{kind}"
        return Join(
            alias,
            f"LEFT JOIN {live_table(target)} {alias} ON {col(rel.kind_field)} = {lit(kind)} "
            f"AND {alias}.{key} = {col(rel.field)}",
            reads=(target.name,),
        )
    alias = f"r_{rel.name}"
    return Join(
        alias,
        f"LEFT JOIN {live_table(target)} {alias} ON {alias}.{key} = {col(rel.field)}",
        reads=(target.name,),
    )


def _relation(spec: DatasetSpec, name: str) -> RelationSpec:
    return next(r for r in spec.relations if r.name == name)


def _ref(dataset: str, relation: str, kind: str = "") -> tuple[Join, str]:
    """(join, alias) of a relation, for hand-written rules that read the target."""
    spec = get_dataset(dataset)
    join = relation_join(spec, _relation(spec, relation), kind)
    return join, join.alias


# --------------------------------------------------------------------------- derived rules


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


# --------------------------------------------------------------------------- hand-written


def _consistency(
    dataset: str, name: str, description: str, condition: str, *, scope: str = "TRUE",
    joins: tuple[Join, ...] = (), severity: Severity = Severity.ERROR,
) -> Rule:
    return Rule(
        f"{dataset}.consistency.{name}", dataset, Dimension.CONSISTENCY, severity, description,
        condition=condition, scope=scope, joins=joins, derived=False,
    )


def _age_sql(kind: str) -> str:
    cases = " ".join(f"WHEN {lit(k)} THEN {age}" for k, age in MINIMUM_AGE.items())
    return f"(CASE {kind} {cases} END)"


def _region_of_address(dataset: str, relation: str) -> Rule:
    join, a = _ref(dataset, relation)
    spec = get_dataset(dataset)
    rel = _relation(spec, relation)
    return _consistency(
        dataset, "region_code",
        f"region_code differs from the region code of the record's address ({rel.field}).",
        f"{a}.region_code <> t.region_code", joins=(join,), severity=Severity.WARNING,
    )


def _person_number_rules(
    dataset: str, number: str, birth: str, sex: str | None,
    cls: type[ResidentRegistrationNumber | ForeignerRegistrationNumber],
) -> list[Rule]:
    known, differs, sex_from, well_formed = _person_number_checks(
        col(number), col(birth), cls)
    rules = [_consistency(
        dataset, f"{number}_birth_date",
        f"{birth} differs from the birth date encoded in {number} (YYMMDD and century digit).",
        f"{differs} AND {well_formed}", scope=f"{known} AND t.{q(birth)} IS NOT NULL",
    )]
    if sex is not None:
        rules.append(_consistency(
            dataset, f"{number}_sex", f"{sex} differs from the sex digit of {number}.",
            f"t.{q(sex)} <> {sex_from} AND {well_formed}",
            scope=f"{known} AND {present_name(dataset, sex)}",
        ))
    return rules


def present_name(dataset: str, field_name: str) -> str:
    return present(get_dataset(dataset).field_spec(field_name))


def hand_written_rules() -> list[Rule]:
    """Cross-field and cross-dataset rules no single field declares."""
    gone = codes_sql("resident", "status", "deceased", "emigrated")
    owner_join, owner = _ref("vehicle", "owner", "resident")
    corp_join, corp = _ref("vehicle", "owner", "corporation")
    holder_join, holder = _ref("licence", "holder")
    site_join, site = _ref("building", "site")
    wp_business_join, wp_business = _ref("workplace", "business")
    b_corp_join, b_corp = _ref("business", "corporation")
    rrn = ResidentRegistrationNumber
    frn = ForeignerRegistrationNumber
    return [
        # --- people who are gone
        _consistency(
            "vehicle", "deceased_owner",
            "A registered vehicle is owned by a resident who is deceased or emigrated.",
            f"{owner}.status IN {gone}",
            scope=f"t.status IN {codes_sql('vehicle', 'status', 'registered')} "
            f"AND t.owner_kind = 'resident'",
            joins=(owner_join,),
        ),
        _consistency(
            "licence", "deceased_holder",
            "A valid driver licence is held by a resident who is deceased or emigrated.",
            f"{holder}.status IN {gone}",
            scope=f"t.status IN {codes_sql('licence', 'status', 'valid')}", joins=(holder_join,),
        ),
        # --- things that have ended
        _consistency(
            "building", "site_parcel_ended",
            "A standing building's site parcel has been merged away or closed "
            "(a site that is not in the master at all is building.relation.site).",
            f"{site}.status IN {codes_sql('land_parcel', 'status', 'merged', 'closed')}",
            scope=f"t.status IN {codes_sql('building', 'status', 'active')}", joins=(site_join,),
        ),
        _consistency(
            "workplace", "closed_business",
            "An active workplace belongs to a business that has closed (폐업).",
            f"{wp_business}.status IN {codes_sql('business', 'status', 'closed')}",
            scope=f"t.status IN {codes_sql('workplace', 'status', 'active')}",
            joins=(wp_business_join,),
        ),
        _consistency(
            "business", "dissolved_corporation",
            "An active business belongs to a corporation that is dissolved, liquidated or "
            "merged away.",
            f"{b_corp}.status IN "
            f"{codes_sql('corporation', 'status', 'dissolved', 'liquidated', 'merged')}",
            scope=f"t.status IN {codes_sql('business', 'status', 'active')} "
            f"AND {present_name('business', 'crn')}",
            joins=(b_corp_join,),
        ),
        _consistency(
            "vehicle", "corporate_owner_ended",
            "A registered vehicle is owned by a corporation that no longer exists (liquidated "
            "or merged away; one not in the master at all is vehicle.relation.owner).",
            f"{corp}.status IN {codes_sql('corporation', 'status', 'liquidated', 'merged')}",
            scope=f"t.status IN {codes_sql('vehicle', 'status', 'registered')} "
            f"AND t.owner_kind = 'corporation'",
            joins=(corp_join,),
        ),
        # --- ages and periods
        _consistency(
            "licence", "holder_under_age",
            "The holder is younger today than the minimum age for the licence kind "
            "(도로교통법 제82조).",
            f"t.holder_birth_date + make_interval(years => {_age_sql('t.licence_kind')}) "
            f"> {TODAY}",
            scope="t.holder_birth_date IS NOT NULL",
        ),
        _consistency(
            "licence", "expired_but_valid",
            "The renewal or aptitude-test period has ended but the licence is still valid "
            "(도로교통법 제87조).",
            f"t.expiry_date < {TODAY}",
            scope=f"t.status IN {codes_sql('licence', 'status', 'valid')} "
            "AND t.expiry_date IS NOT NULL",
        ),
        _consistency(
            "foreign_resident", "stay_expired_active",
            "The permitted stay has expired but the status is still active (staying).",
            f"t.stay_expiry_date < {TODAY}",
            scope=f"t.status IN {codes_sql('foreign_resident', 'status', 'active')} "
            "AND t.stay_expiry_date IS NOT NULL",
        ),
        # --- what the specs imply
        _consistency(
            "business", "corporate_without_crn",
            "A corporate business (법인사업자) carries no corporation registration number.",
            f"NOT {present_name('business', 'crn')}",
            scope=f"t.business_type IN {codes_sql('business', 'business_type', 'corporate')}",
        ),
        _consistency(
            "business", "individual_with_crn",
            "An individual business (개인사업자) carries a corporation registration number.",
            present_name("business", "crn"),
            scope=f"t.business_type IN {codes_sql('business', 'business_type', 'individual')}",
            severity=Severity.WARNING,
        ),
        _consistency(
            "workplace", "workplace_no_brn",
            "The workplace number does not start with the business registration number of "
            "its business.",
            "left(t.workplace_no, 10) <> t.brn",
            scope=f"{present_name('workplace', 'brn')} AND t.workplace_no ~ '^[0-9]{{11}}$'",
        ),
        _consistency(
            "land_parcel", "region_code",
            "region_code differs from the first 5 digits of the PNU.",
            "t.region_code <> left(t.pnu, 5)", scope="t.pnu ~ '^[0-9]{19}$'",
            severity=Severity.WARNING,
        ),
        _consistency(
            "land_parcel", "legal_dong_code",
            "legal_dong_code differs from the first 10 digits of the PNU.",
            "t.legal_dong_code <> left(t.pnu, 10)", scope="t.pnu ~ '^[0-9]{19}$'",
        ),
        _consistency(
            "address", "region_code",
            "region_code differs from the first 5 digits of the legal-dong code.",
            "t.region_code <> left(t.legal_dong_code, 5)",
            scope="t.legal_dong_code ~ '^[0-9]{10}$'", severity=Severity.WARNING,
        ),
        _consistency(
            "building", "region_code",
            "region_code differs from the first 5 digits of the site parcel's PNU.",
            "t.region_code <> left(t.pnu, 5)", scope="t.pnu ~ '^[0-9]{19}$'",
            severity=Severity.WARNING,
        ),
        _region_of_address("resident", "address"),
        _region_of_address("foreign_resident", "address"),
        _region_of_address("corporation", "head_office"),
        _region_of_address("business", "address"),
        _region_of_address("workplace", "address"),
        _region_of_address("vehicle", "place_of_use"),
        _region_of_address("farm_business", "address"),
        *_person_number_rules("resident", "rrn", "birth_date", "sex", rrn),
        *_person_number_rules("foreign_resident", "frn", "birth_date", "sex", frn),
        *_person_number_rules("licence", "holder_rrn", "holder_birth_date", None, rrn),
        unique_rule(
            get_dataset("licence"), "holder_rrn", ("valid",), derived=False,
            description="A resident holds more than one valid licence number (every class a "
            "person passes is added to one licence).",
        ),
    ]


# --------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class Catalogue:
    rules: tuple[Rule, ...]
    by_id: dict[str, Rule] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ids = [r.id for r in self.rules]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"duplicate rule ids: {sorted(duplicates)}")
        self.by_id.update({r.id: r for r in self.rules})


@cache
def catalogue() -> Catalogue:
    """All rules, in dataset dependency order; within a dataset by family."""
    order = {d: i for i, d in enumerate(DATASETS)}
    families = ("required", "validity", "uniqueness", "relation", "consistency",
                "timeliness", "accuracy")
    rules = [r for spec in DATASETS.values() for r in derived_rules(spec)]
    rules += hand_written_rules()
    rules.sort(key=lambda r: (order[r.dataset], families.index(r.family)))
    return Catalogue(tuple(rules))


def all_rules() -> tuple[Rule, ...]:
    return catalogue().rules


def get_rule(rule_id: str) -> Rule:
    try:
        return catalogue().by_id[rule_id]
    except KeyError:
        raise _unknown_rule(rule_id) from None


def _unknown_rule(pattern: str) -> NotFound:
    near = get_close_matches(pattern, list(catalogue().by_id), n=3)
    hint = f"; did you mean {', '.join(near)}?" if near else "; see `mdr checks list`"
    return NotFound(f"unknown rule {pattern!r}{hint}", rule=pattern)


def select_rules(
    datasets: Iterable[str] | None = None,
    rules: Iterable[str] | None = None,
    dimensions: Iterable[Dimension | str] | None = None,
    *,
    with_dependents: bool = False,
) -> list[Rule]:
    """Rules of ``datasets`` (all when None) matching ``rules`` (ids or shell patterns).

    ``with_dependents`` adds rules of other datasets that read one of ``datasets``
    (after a parcel sync, the references to parcels are rechecked too). Unknown
    datasets raise :class:`~mdr.errors.UnknownDataset`; a rule id or pattern that
    matches nothing raises :class:`~mdr.errors.NotFound`.
    """
    wanted = None if datasets is None else {get_dataset(d).name for d in datasets}
    selected = [
        r for r in all_rules()
        if wanted is None or r.dataset in wanted
        or (with_dependents and any(d in wanted for d in r.reads))
    ]
    if rules is not None:
        patterns = list(rules)
        for pattern in patterns:
            if not any(fnmatch.fnmatchcase(r.id, pattern) for r in all_rules()):
                raise _unknown_rule(pattern)
        selected = [r for r in selected if any(fnmatch.fnmatchcase(r.id, p) for p in patterns)]
    if dimensions is not None:
        dims = {Dimension(d) for d in dimensions}
        selected = [r for r in selected if r.dimension in dims]
    return selected
