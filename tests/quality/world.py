"""A small, fully consistent national snapshot built with the factories.

Every reference resolves, every identifier is valid with a correct check digit,
region codes agree with PNUs and addresses, and the records include the
near-misses each hand-written rule must *not* report (a deceased resident who
owns only a scrapped vehicle, a closed workplace of a closed business, a
demolished building on a closed parcel ...), so that every rule checks rows and
passes on it. Faults are injected on top of it by :mod:`tests.quality.faults`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.orm import Session

from entities.identifiers import VALIDATORS
from entities.registry import DATASETS
from tests.factories import make, persist

SIGUNGU = "11110"
LEGAL_DONG = "1111010100"
TODAY = dt.datetime.now(ZoneInfo("Asia/Seoul")).date()


def years_ago(years: int, days: int = 0) -> dt.date:
    return TODAY.replace(year=TODAY.year - years) - dt.timedelta(days=days)


def pnu(i: int) -> str:
    return f"{LEGAL_DONG}1{i:04d}0000"


def road_address_id(i: int) -> str:
    return f"{SIGUNGU}101" + "3000001" + "0" + f"{i:05d}" + "00000"


@dataclass
class World:
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(20261127))

    def new(self, validator: str, **kw: Any) -> str:
        return VALIDATORS[validator].generate(self.rng, **kw)

    def add(self, dataset: str, **values: Any) -> dict[str, Any]:
        record = make(dataset, **values)
        self.records.setdefault(dataset, []).append(record)
        return record

    def keys(self, dataset: str) -> list[str]:
        key = DATASETS[dataset].key
        return [r[key] for r in self.records.get(dataset, [])]


def build_world() -> World:
    w = World()
    # --- land and addresses: 12 parcels, addresses on 1..8
    for i in range(1, 13):
        status = {11: "closed", 12: "merged"}.get(i, "active")
        w.add("land_parcel", pnu=pnu(i), legal_dong_code=LEGAL_DONG, region_code=SIGUNGU,
              lot_number=f"{i}", owner_kind=None, owner_id=None, status=status,
              status_date=years_ago(3) if status != "active" else None)
    for i in range(1, 9):
        w.add("address", road_address_id=road_address_id(i), legal_dong_code=LEGAL_DONG,
              postal_code="03000", pnu=pnu(i), region_code=SIGUNGU, status="active",
              status_date=None, building_main_no=i, building_sub_no=0, underground=False)

    def person(role: str, *, born: dt.date, sex: str = "M", status: str = "alive",
               address: int = 1) -> dict[str, Any]:
        return w.add(
            "resident", rrn=w.new("rrn", birth=born, sex=sex), birth_date=born, sex=sex,
            address_id=road_address_id(address), region_code=SIGUNGU, status=status,
            status_date=years_ago(1) if status != "alive" else None,
            household_id=f"H-{role}",
        )

    plain = [person(f"plain{i}", born=years_ago(40 + i, i), address=2) for i in range(2)]
    owner = person("owner", born=years_ago(45), address=3)  # registered vehicle, no licence
    driver = person("driver", born=years_ago(35), sex="F", address=3)  # licence + vehicle
    holders = [person(f"holder{i}", born=years_ago(30 + i), address=4)  # licence, no vehicle
               for i in range(3)]
    young = person("young", born=years_ago(17, 30), sex="F", address=4)  # moped licence
    farmer = person("farmer", born=years_ago(60), address=5)
    rep = person("rep", born=years_ago(50), sex="F", address=5)  # represents a business
    dead = person("dead", born=years_ago(80), status="deceased", address=6)
    gone = person("gone", born=years_ago(55), status="emigrated", address=6)
    # parcels owned by a resident and (below) a corporation
    w.records["land_parcel"][0].update(owner_kind="resident", owner_id=farmer["rrn"])

    # --- foreign residents
    w.add("foreign_resident", frn=w.new("frn", birth=years_ago(30), sex="M"),
          birth_date=years_ago(30), sex="M", address_id=road_address_id(7), region_code=SIGUNGU,
          status="active", stay_expiry_date=TODAY + dt.timedelta(days=400), status_date=None,
          registered_date=years_ago(2))
    w.add("foreign_resident", frn=w.new("frn", birth=years_ago(28), sex="F"),
          birth_date=years_ago(28), sex="F", address_id=road_address_id(7), region_code=SIGUNGU,
          status="expired", stay_expiry_date=TODAY - dt.timedelta(days=30),
          status_date=TODAY - dt.timedelta(days=29), registered_date=years_ago(3))

    # --- corporations and businesses
    def corporation(status: str) -> dict[str, Any]:
        return w.add("corporation", crn=w.new("crn"), head_office_address_id=road_address_id(8),
                     region_code=SIGUNGU, status=status,
                     status_date=years_ago(1) if status != "active" else None,
                     established_date=years_ago(20))

    corp = corporation("active")  # two active businesses, a registered vehicle
    corp_single = corporation("active")  # exactly one active business
    corp_fleet = corporation("active")  # one registered vehicle, no business
    dissolved = corporation("dissolved")  # its business is closed
    liquidated = corporation("liquidated")  # owns only a deregistered vehicle
    w.records["land_parcel"][1].update(owner_kind="corporation", owner_id=corp["crn"])

    def business(kind: str, status: str, *, crn: str | None = None,
                 rep_rrn: str | None = None) -> dict[str, Any]:
        return w.add("business", brn=w.new("brn"), business_type=kind, crn=crn,
                     representative_rrn=rep_rrn, industry_code="56111",
                     address_id=road_address_id(8), region_code=SIGUNGU, status=status,
                     status_date=years_ago(1) if status != "active" else None,
                     opened_date=years_ago(10))

    b_corp = business("corporate", "active", crn=corp["crn"])
    b_maker = business("corporate", "active", crn=corp["crn"])
    b_single = business("corporate", "active", crn=corp_single["crn"])
    b_ind = business("individual", "active", rep_rrn=rep["rrn"])
    b_closed = business("corporate", "closed", crn=dissolved["crn"])

    # --- workplaces: one active per active business, a closed one of the closed business
    for b, status in ((b_corp, "active"), (b_single, "active"), (b_ind, "active"),
                      (b_closed, "closed")):
        w.add("workplace", workplace_no=w.new("workplace_no", brn=b["brn"]), brn=b["brn"],
              address_id=road_address_id(8), industry_code="56111", region_code=SIGUNGU,
              status=status, status_date=years_ago(1) if status != "active" else None,
              established_date=years_ago(5))

    # --- buildings: standing ones on active parcels, a demolished one on a closed parcel
    for i, (parcel, status) in enumerate(((1, "active"), (2, "active"), (3, "active"),
                                          (11, "demolished"))):
        w.add("building", building_register_no=w.new("building_register_no", sigungu=SIGUNGU),
              pnu=pnu(parcel), road_address_id=road_address_id(parcel) if parcel <= 8 else None,
              region_code=SIGUNGU, status=status,
              status_date=years_ago(2) if status != "active" else None,
              approval_date=years_ago(15 + i))

    # --- vehicles
    plates: set[str] = set()

    def vehicle(owner_kind: str, owner_id: str, status: str) -> dict[str, Any]:
        plate = w.new("plate")
        while plate in plates:
            plate = w.new("plate")
        plates.add(plate)
        return w.add("vehicle", vin=w.new("vin"), plate=plate, owner_kind=owner_kind,
                     owner_id=owner_id, use_address_id=road_address_id(3), region_code=SIGUNGU,
                     status=status, status_date=years_ago(1) if status != "registered" else None,
                     registered_date=years_ago(6), model_year=TODAY.year - 6)

    vehicle("resident", owner["rrn"], "registered")
    vehicle("resident", driver["rrn"], "registered")
    vehicle("resident", dead["rrn"], "scrapped")
    vehicle("corporation", corp["crn"], "registered")
    vehicle("corporation", corp_fleet["crn"], "registered")
    vehicle("corporation", liquidated["crn"], "deregistered")

    # --- licences
    def licence(person_record: dict[str, Any], kind: str, status: str) -> dict[str, Any]:
        valid = status == "valid"
        return w.add("licence", licence_no=w.new("driver_licence_no"),
                     holder_rrn=person_record["rrn"], holder_name=person_record["name"],
                     holder_birth_date=person_record["birth_date"], licence_kind=kind,
                     status=status, issued_date=TODAY - dt.timedelta(days=200),
                     expiry_date=TODAY + dt.timedelta(days=3000) if valid
                     else TODAY - dt.timedelta(days=10),
                     status_date=None if valid else TODAY - dt.timedelta(days=9))

    licence(driver, "class1_ordinary", "valid")
    for h in holders:
        licence(h, "class2_ordinary", "valid")
    licence(young, "class2_moped", "valid")
    licence(dead, "class1_ordinary", "expired")
    licence(gone, "class2_ordinary", "expired")

    # --- farm businesses (one with two parcels, one livestock farm without parcels)
    w.add("farm_business", farm_business_no=w.new("farm_business_no"),
          operator_rrn=farmer["rrn"], operator_name=farmer["name"],
          parcels=f"{pnu(9)};{pnu(10)}", address_id=road_address_id(5), region_code=SIGUNGU,
          status="active", status_date=None, registered_date=years_ago(12))
    w.add("farm_business", farm_business_no=w.new("farm_business_no"),
          operator_rrn=plain[0]["rrn"], operator_name=plain[0]["name"], parcels=None,
          address_id=road_address_id(2), region_code=SIGUNGU, status="active",
          status_date=None, registered_date=years_ago(4))

    # --- catalogues
    w.add("goods", goods_id=w.new("goods_id"), maker_brn=b_maker["brn"], status="active",
          status_date=None)
    w.add("goods", goods_id=w.new("goods_id"), maker_brn=None, status="active", status_date=None)
    for _ in range(3):
        w.add("medicine", product_code=w.new("medicine_code"), standard_code=w.new("gtin13"),
              manufacturer_brn=b_maker["brn"], atc_code="N02BE01", status="approved",
              status_date=None)
    for _ in range(2):
        w.add("hazardous_substance", cas_no=w.new("cas"), un_number="1005",
              status="designated", status_date=None)
    return w


def persist_world(session: Session, world: World, *, synced_hours_ago: float = 1.0) -> None:
    """Write the world to the master and record a recent applied sync of every dataset."""
    for dataset in DATASETS:
        persist(session, dataset, world.records.get(dataset, []))
        session.execute(text(
            "INSERT INTO sync_batch (dataset, mode, source, status, started_at, finished_at)"
            " VALUES (:d, 'full', 'tests', 'applied', now() - make_interval(secs => :s + 60),"
            " now() - make_interval(secs => :s))"
        ), {"d": dataset, "s": synced_hours_ago * 3600})
