"""Known faults, injected with SQL on the current tables of a clean snapshot.

Each fault picks its target with SQL over whatever snapshot is loaded (the
factories' small world or the synthetic generator's), choosing records whose
fault has exactly one effect (e.g. a resident who owns exactly one registered
vehicle and holds no valid licence), and declares the failing rows every rule
must then report. Applied in list order, their selections exclude records an
earlier fault made special, so all of them together add up exactly.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CursorResult, text
from sqlalchemy.orm import Session

from entities.identifiers import VALIDATORS

_rng = random.Random(6)
FAKE_CRN = VALIDATORS["crn"].generate(_rng)
FAKE_WORKPLACE_NO = VALIDATORS["workplace_no"].generate(_rng)
TODAY = "(now() AT TIME ZONE 'Asia/Seoul')::date"
FLIP_REGION = "CASE WHEN region_code = '11140' THEN '11110' ELSE '11140' END"
ALIVE_WITHOUT_TIES = """
  substr(r.rrn, 7, 1) IN ('1', '2')
  AND NOT EXISTS (SELECT 1 FROM vehicle v WHERE v.owner_id = r.rrn)
  AND NOT EXISTS (SELECT 1 FROM licence l WHERE l.holder_rrn = r.rrn)
  AND NOT EXISTS (SELECT 1 FROM business b WHERE b.representative_rrn = r.rrn)
  AND NOT EXISTS (SELECT 1 FROM farm_business f WHERE f.operator_rrn = r.rrn)
  AND NOT EXISTS (SELECT 1 FROM land_parcel p WHERE p.owner_id = r.rrn)"""
UNREFERENCED_ADDRESS = """
  NOT EXISTS (SELECT 1 FROM resident x WHERE x.address_id = a.road_address_id)
  AND NOT EXISTS (SELECT 1 FROM foreign_resident x WHERE x.address_id = a.road_address_id)
  AND NOT EXISTS (SELECT 1 FROM corporation x WHERE x.head_office_address_id = a.road_address_id)
  AND NOT EXISTS (SELECT 1 FROM business x WHERE x.address_id = a.road_address_id)
  AND NOT EXISTS (SELECT 1 FROM workplace x WHERE x.address_id = a.road_address_id)
  AND NOT EXISTS (SELECT 1 FROM vehicle x WHERE x.use_address_id = a.road_address_id)
  AND NOT EXISTS (SELECT 1 FROM farm_business x WHERE x.address_id = a.road_address_id)"""
LIQUIDATED = """
  SELECT c.crn FROM corporation c WHERE c.status = 'active'
    AND EXISTS (SELECT 1 FROM vehicle v WHERE v.owner_kind = 'corporation'
                AND v.owner_id = c.crn AND v.status = 'registered')
  ORDER BY (SELECT count(*) FROM business b WHERE b.crn = c.crn AND b.status = 'active'), c.crn
  LIMIT 1"""


@dataclass(frozen=True)
class Fault:
    """SQL that breaks a clean snapshot, and the failing rows each rule must then report.

    An expected count is a number, or a query counting, before the fault is
    applied, the records it will affect (for faults whose reach depends on the
    snapshot, e.g. how many businesses a corporation runs).
    """

    name: str
    family: str
    statements: tuple[str, ...]
    expected: dict[str, int | str]
    params: dict[str, Any] = field(default_factory=dict)

    def apply(self, session: Session) -> dict[str, int]:
        """Inject the fault; return the failing rows per rule it must cause (zeros left out)."""
        counts = {
            rule: value if isinstance(value, int)
            else int(session.execute(text(value), self.params).scalar_one())
            for rule, value in self.expected.items()
        }
        for statement in self.statements:
            result = session.execute(text(statement), self.params)
            assert isinstance(result, CursorResult)
            assert result.rowcount >= 1, f"fault {self.name}: no target for {statement!r}"
        return {rule: n for rule, n in counts.items() if n}


def update_one(table: str, assignments: str, key: str, selection: str) -> str:
    """UPDATE exactly the record whose ``key`` the ``selection`` query returns."""
    return f"UPDATE {table} SET {assignments} WHERE {key} = ({selection})"


FAULTS: tuple[Fault, ...] = (
    # --- completeness
    Fault("blank name", "required", (
        update_one("resident", "name = ''", "rrn", "SELECT min(rrn) FROM resident"),
    ), {"resident.required.name": 1}),
    Fault("whitespace trade name", "required", (
        update_one("business", "trade_name = '   '", "brn", "SELECT min(brn) FROM business"),
    ), {"business.required.trade_name": 1}),
    # --- validity
    Fault("bad postal code", "validity", (
        update_one("address", "postal_code = '99999'", "road_address_id",
                   "SELECT min(road_address_id) FROM address"),
    ), {"address.validity.postal_code": 1}),
    Fault("unknown fuel code", "validity", (
        update_one("vehicle", "fuel = 'steam'", "vin", "SELECT max(vin) FROM vehicle"),
    ), {"vehicle.validity.fuel": 1}),
    Fault("bad GTIN check digit", "validity", (
        update_one("medicine",
                   "standard_code = left(standard_code, 12) "
                   "|| ((right(standard_code, 1)::int + 1) % 10)::text",
                   "product_code", "SELECT max(product_code) FROM medicine"),
    ), {"medicine.validity.standard_code": 1}),
    Fault("RRN check digit (warning)", "validity", (
        update_one("resident", "rrn = left(rrn, 12) || ((right(rrn, 1)::int + 1) % 10)::text",
                   "rrn", f"SELECT min(r.rrn) FROM resident r WHERE {ALIVE_WITHOUT_TIES}"),
    ), {"resident.validity.rrn_check_digit": 1}),
    Fault("opening date in the future", "validity", (
        update_one("business", f"opened_date = {TODAY} + 30", "brn",
                   "SELECT max(brn) FROM business"),
    ), {"business.validity.opened_date_not_future": 1}),
    # --- uniqueness
    Fault("plate shared by two registered vehicles", "uniqueness", (
        update_one("vehicle",
                   "plate = (SELECT plate FROM vehicle WHERE status = 'registered' "
                   "ORDER BY vin LIMIT 1)",
                   "vin", "SELECT vin FROM vehicle WHERE status = 'registered' "
                   "ORDER BY vin LIMIT 1 OFFSET 1"),
    ), {"vehicle.uniqueness.plate": 2}),
    Fault("standard code shared by two medicines", "uniqueness", (
        update_one("medicine",
                   "standard_code = (SELECT standard_code FROM medicine ORDER BY product_code "
                   "LIMIT 1)",
                   "product_code",
                   "SELECT product_code FROM medicine ORDER BY product_code LIMIT 1 OFFSET 1"),
    ), {"medicine.uniqueness.standard_code": 2}),
    Fault("two valid licences of one resident", "uniqueness", (
        "UPDATE licence SET (holder_rrn, holder_birth_date) = (SELECT holder_rrn, "
        "holder_birth_date FROM licence WHERE status = 'valid' ORDER BY licence_no LIMIT 1) "
        "WHERE licence_no = (SELECT licence_no FROM licence WHERE status = 'valid' "
        "AND holder_rrn <> (SELECT holder_rrn FROM licence WHERE status = 'valid' "
        "ORDER BY licence_no LIMIT 1) ORDER BY licence_no LIMIT 1)",
    ), {"licence.uniqueness.holder_rrn": 2}),
    # --- consistency: hand-written
    Fault("deceased owner of a registered vehicle", "consistency", (
        update_one("resident", f"status = 'deceased', status_date = {TODAY} - 10", "rrn", """
            SELECT min(v.owner_id) FROM vehicle v
            WHERE v.owner_kind = 'resident' AND v.status = 'registered'
              AND v.owner_id IN (SELECT owner_id FROM vehicle WHERE owner_kind = 'resident'
                                 AND status = 'registered' GROUP BY 1 HAVING count(*) = 1)
              AND NOT EXISTS (SELECT 1 FROM licence l WHERE l.holder_rrn = v.owner_id
                              AND l.status = 'valid')
              AND EXISTS (SELECT 1 FROM resident r WHERE r.rrn = v.owner_id
                          AND r.status = 'alive')"""),
    ), {"vehicle.consistency.deceased_owner": 1}),
    Fault("emigrated holder of a valid licence", "consistency", (
        update_one("resident", f"status = 'emigrated', status_date = {TODAY} - 10", "rrn", """
            SELECT min(l.holder_rrn) FROM licence l
            WHERE l.status = 'valid'
              AND l.holder_rrn IN (SELECT holder_rrn FROM licence WHERE status = 'valid'
                                   GROUP BY 1 HAVING count(*) = 1)
              AND NOT EXISTS (SELECT 1 FROM vehicle v WHERE v.owner_id = l.holder_rrn
                              AND v.owner_kind = 'resident' AND v.status = 'registered')
              AND EXISTS (SELECT 1 FROM resident r WHERE r.rrn = l.holder_rrn
                          AND r.status = 'alive')"""),
    ), {"licence.consistency.deceased_holder": 1}),
    Fault("standing building on a closed parcel", "consistency", (
        update_one("land_parcel", f"status = 'closed', status_date = {TODAY} - 10", "pnu", """
            SELECT min(b.pnu) FROM building b
            WHERE b.status = 'active'
              AND b.pnu IN (SELECT pnu FROM building WHERE status = 'active'
                            GROUP BY 1 HAVING count(*) = 1)
              AND EXISTS (SELECT 1 FROM land_parcel p WHERE p.pnu = b.pnu
                          AND p.status = 'active')"""),
    ), {"building.consistency.site_parcel_ended": 1}),
    Fault("active business of a dissolved corporation", "consistency", (
        update_one("corporation", f"status = 'dissolved', status_date = {TODAY} - 10", "crn", """
            SELECT min(c.crn) FROM corporation c WHERE c.status = 'active'
              AND (SELECT count(*) FROM business b WHERE b.crn = c.crn
                   AND b.status = 'active') = 1"""),
    ), {"business.consistency.dissolved_corporation": 1}),
    Fault("active workplace of a closed business", "consistency", (
        update_one("business", f"status = 'closed', status_date = {TODAY} - 10", "brn", """
            SELECT min(b.brn) FROM business b WHERE b.status = 'active'
              AND (SELECT count(*) FROM workplace w WHERE w.brn = b.brn
                   AND w.status = 'active') = 1
              AND NOT EXISTS (SELECT 1 FROM corporation c WHERE c.crn = b.crn
                              AND c.status <> 'active')"""),
    ), {"workplace.consistency.closed_business": 1}),
    Fault("registered vehicles of a liquidated corporation", "consistency", (
        update_one("corporation", f"status = 'liquidated', status_date = {TODAY} - 10", "crn",
                   LIQUIDATED),
    ), {
        "vehicle.consistency.corporate_owner_ended":
            "SELECT count(*) FROM vehicle WHERE owner_kind = 'corporation' "
            f"AND status = 'registered' AND owner_id = ({LIQUIDATED})",
        "business.consistency.dissolved_corporation":
            f"SELECT count(*) FROM business WHERE status = 'active' AND crn = ({LIQUIDATED})",
    }),
    Fault("licence holder under age", "consistency", (
        update_one("licence", f"holder_birth_date = {TODAY} - interval '15 years'",
                   "licence_no", "SELECT min(licence_no) FROM licence WHERE status = 'valid'"),
    ), {"licence.consistency.holder_under_age": 1,
        "licence.consistency.holder_rrn_birth_date": 1}),
    Fault("valid licence past its expiry", "consistency", (
        update_one("licence", f"expiry_date = {TODAY} - 3", "licence_no",
                   "SELECT max(licence_no) FROM licence WHERE status = 'valid'"),
    ), {"licence.consistency.expired_but_valid": 1}),
    Fault("foreigner's stay expired, status active", "consistency", (
        update_one("foreign_resident", f"stay_expiry_date = {TODAY} - 5", "frn",
                   "SELECT max(frn) FROM foreign_resident WHERE status = 'active'"),
    ), {"foreign_resident.consistency.stay_expired_active": 1}),
    Fault("corporate business without CRN", "consistency", (
        update_one("business", "crn = NULL", "brn", """
            SELECT max(b.brn) FROM business b WHERE b.business_type = 'corporate'
              AND b.crn IS NOT NULL AND NOT EXISTS (SELECT 1 FROM corporation c
                                                    WHERE c.crn = b.crn
                                                    AND c.status <> 'active')"""),
    ), {"business.consistency.corporate_without_crn": 1}),
    Fault("individual business with CRN", "consistency", (
        update_one("business", "crn = (SELECT min(crn) FROM corporation WHERE status = 'active')",
                   "brn", "SELECT min(brn) FROM business WHERE business_type = 'individual' "
                   "AND crn IS NULL"),
    ), {"business.consistency.individual_with_crn": 1}),
    Fault("workplace number of another business", "consistency", (
        update_one("workplace", "workplace_no = :wpno", "workplace_no",
                   "SELECT min(workplace_no) FROM workplace"),
    ), {"workplace.consistency.workplace_no_brn": 1}, {"wpno": FAKE_WORKPLACE_NO}),
    Fault("parcel legal-dong code off its PNU", "consistency", (
        update_one("land_parcel",
                   "legal_dong_code = left(legal_dong_code, 8) || CASE WHEN "
                   "right(legal_dong_code, 2) = '99' THEN '98' ELSE '99' END",
                   "pnu", "SELECT max(pnu) FROM land_parcel"),
    ), {"land_parcel.consistency.legal_dong_code": 1}),
    Fault("parcel region code off its PNU", "consistency", (
        update_one("land_parcel", f"region_code = {FLIP_REGION}", "pnu",
                   "SELECT min(pnu) FROM land_parcel"),
    ), {"land_parcel.consistency.region_code": 1}),
    Fault("address region code off its legal dong", "consistency", (
        update_one("address", f"region_code = {FLIP_REGION}", "road_address_id",
                   f"SELECT max(a.road_address_id) FROM address a WHERE {UNREFERENCED_ADDRESS}"),
    ), {"address.consistency.region_code": 1}),
    Fault("building region code off its parcel", "consistency", (
        update_one("building", f"region_code = {FLIP_REGION}", "building_register_no",
                   "SELECT min(building_register_no) FROM building"),
    ), {"building.consistency.region_code": 1}),
    *(
        Fault(f"{table} region code off its address", "consistency", (
            update_one(table, f"region_code = {FLIP_REGION}", key,
                       f"SELECT min({key}) FROM {table}"),
        ), {f"{table}.consistency.region_code": 1})
        for table, key in (
            ("resident", "rrn"), ("foreign_resident", "frn"), ("corporation", "crn"),
            ("business", "brn"), ("workplace", "workplace_no"), ("vehicle", "vin"),
            ("farm_business", "farm_business_no"),
        )
    ),
    Fault("birth date off the RRN", "consistency", (
        update_one("resident", "birth_date = birth_date - 1", "rrn",
                   "SELECT max(rrn) FROM resident"),
    ), {"resident.consistency.rrn_birth_date": 1}),
    Fault("sex off the RRN", "consistency", (
        update_one("resident", "sex = CASE sex WHEN 'M' THEN 'F' ELSE 'M' END", "rrn",
                   "SELECT max(rrn) FROM resident"),
    ), {"resident.consistency.rrn_sex": 1}),
    Fault("birth date off the foreigner number", "consistency", (
        update_one("foreign_resident", "birth_date = birth_date + 1", "frn",
                   "SELECT min(frn) FROM foreign_resident"),
    ), {"foreign_resident.consistency.frn_birth_date": 1}),
    Fault("sex off the foreigner number", "consistency", (
        update_one("foreign_resident", "sex = CASE sex WHEN 'M' THEN 'F' ELSE 'M' END", "frn",
                   "SELECT min(frn) FROM foreign_resident"),
    ), {"foreign_resident.consistency.frn_sex": 1}),
    # --- referential integrity (after the corporation faults that pick by vehicle counts)
    Fault("address on a parcel not in the master", "relation", (
        update_one("address", "pnu = left(pnu, 11) || '99989997'", "road_address_id",
                   "SELECT max(road_address_id) FROM address"),
    ), {"address.relation.parcel": 1}),
    Fault("vehicle owned by a corporation not in the master", "relation", (
        update_one("vehicle", "owner_id = :crn", "vin", """
            SELECT min(v.vin) FROM vehicle v JOIN corporation c ON c.crn = v.owner_id
            WHERE v.owner_kind = 'corporation' AND c.status = 'active'"""),
    ), {"vehicle.relation.owner": 1}, {"crn": FAKE_CRN}),
    Fault("farm business farming a parcel not in the master", "relation", (
        update_one("farm_business",
                   "parcels = coalesce(parcels || ';', '') "
                   "|| (SELECT left(min(pnu), 11) || '99979996' FROM land_parcel)",
                   "farm_business_no", "SELECT min(farm_business_no) FROM farm_business"),
    ), {"farm_business.relation.parcels": 1}),
    # --- timeliness
    Fault("stale monthly dataset", "timeliness", (
        "UPDATE sync_batch SET started_at = now() - interval '41 days', "
        "finished_at = now() - interval '40 days' WHERE dataset = 'hazardous_substance'",
    ), {"hazardous_substance.timeliness.last_sync": 1}),
    Fault("dataset never synced successfully", "timeliness", (
        "UPDATE sync_batch SET status = 'failed' WHERE dataset = 'goods'",
    ), {"goods.timeliness.last_sync": 1}),
)


def apply_all(session: Session) -> dict[str, int]:
    """Inject every fault in order; return the failing rows per rule they add up to."""
    total: Counter[str] = Counter()
    for fault in FAULTS:
        total.update(fault.apply(session))
    return dict(total)


def rules_covered() -> set[str]:
    return {rule for fault in FAULTS for rule in fault.expected}
