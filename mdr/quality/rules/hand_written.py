"""Hand-written rules (``<dataset>.consistency.<name>``): what no single field says.

People who are gone, things that have ended, ages and periods, and what the specs
imply across fields (region codes, PNU parts, the birth date and sex an RRN or a
foreigner number encodes). Of the issue's list, three are exactly a relation rule
and are not duplicated: "an address whose parcel does not exist" is
``address.relation.parcel``, "a farm business farming a parcel that does not
exist" is ``farm_business.relation.parcels``, and the "does not exist" halves of
"a building on a parcel that does not exist or has ended" and "a vehicle owned
by a corporation that does not exist" are ``building.relation.site`` and
``vehicle.relation.owner``; their other halves are
``building.consistency.site_parcel_ended`` and
``vehicle.consistency.corporate_owner_ended``.
"""

from __future__ import annotations

from entities.identifiers import ForeignerRegistrationNumber, ResidentRegistrationNumber
from entities.licence import MINIMUM_AGE
from entities.registry import get_dataset
from mdr.quality.models import Dimension, Severity
from mdr.quality.rules.derived import unique_rule
from mdr.quality.rules.model import (
    TODAY,
    Join,
    Rule,
    codes_sql,
    col,
    lit,
    present_name,
    q,
    reference,
    relation_named,
)


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
    join, a = reference(dataset, relation)
    spec = get_dataset(dataset)
    rel = relation_named(spec, relation)
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


def hand_written_rules() -> list[Rule]:
    """Cross-field and cross-dataset rules no single field declares."""
    gone = codes_sql("resident", "status", "deceased", "emigrated")
    owner_join, owner = reference("vehicle", "owner", "resident")
    corp_join, corp = reference("vehicle", "owner", "corporation")
    holder_join, holder = reference("licence", "holder")
    site_join, site = reference("building", "site")
    wp_business_join, wp_business = reference("workplace", "business")
    b_corp_join, b_corp = reference("business", "corporation")
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
