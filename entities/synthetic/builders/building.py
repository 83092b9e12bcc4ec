"""Buildings (MOLIT building register) on the cadastre's parcels.

Every address has its building (an apartment complex several blocks), and some
vacant sites and farmland a shed or warehouse without an address. Floors, use
and structure follow what stands at the address; a building at an abolished
address is demolished, with the address.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities import identifiers
from entities.building import SPEC
from entities.synthetic.builders import Builder, register
from entities.synthetic.builders.address import planned as planned_addresses
from entities.synthetic.builders.cadastre import CADASTRE
from entities.synthetic.draws import between, choice, dates, nullable, rank_within, top_k
from entities.synthetic.world import World

BUILDINGS_PER_ADDRESS: Final = 1.2
"""Expected buildings per address (apartment complexes have many blocks, ~0.15/resident)."""

_BUILDING_SHAPE: Final[dict[str, tuple[int, int, int, int]]] = {
    # kind: floors above (low, high), floors below (low, high)
    "apt": (10, 35, 1, 3), "villa": (3, 5, 0, 1), "house": (1, 2, 0, 1), "shop": (2, 6, 0, 1),
    "office": (5, 25, 2, 5), "factory": (1, 3, 0, 0), "warehouse": (1, 2, 0, 0),
    "school": (3, 5, 0, 1), "religious": (1, 4, 0, 1), "parking": (1, 6, 0, 2),
    "gas": (1, 1, 0, 0), "sports": (1, 3, 0, 1), "civic": (2, 8, 0, 2), "shed": (1, 1, 0, 0),
}  # fmt: skip
_MAIN_USE: Final[dict[str, dict[str, float]]] = {
    "apt": {"multi_unit_house": 1}, "villa": {"multi_unit_house": 1},
    "house": {"detached_house": 90, "neighbourhood_facility_1": 10},
    "shop": {"neighbourhood_facility_1": 45, "neighbourhood_facility_2": 40, "sales": 10,
             "lodging": 5},
    "office": {"office": 85, "neighbourhood_facility_2": 15}, "factory": {"factory": 1},
    "warehouse": {"warehouse": 1}, "school": {"education_research": 1},
    "religious": {"religious": 1}, "parking": {"vehicle_related": 1},
    "gas": {"hazardous_storage": 1}, "sports": {"sports": 1},
    "civic": {"medical": 25, "elderly_children": 30, "culture_assembly": 20, "office": 25},
    "shed": {"warehouse": 50, "animal_plant": 50},
}  # fmt: skip
_STRUCTURE: Final[dict[str, dict[str, float]]] = {
    "apt": {"reinforced_concrete": 85, "steel_reinforced_concrete": 10, "precast_concrete": 5},
    "villa": {"reinforced_concrete": 80, "masonry": 20},
    "house": {"masonry": 45, "reinforced_concrete": 30, "wood": 15, "light_steel": 5,
              "other": 5},
    "commercial": {"reinforced_concrete": 70, "steel": 15, "masonry": 10, "light_steel": 5},
    "office": {"reinforced_concrete": 50, "steel_reinforced_concrete": 30, "steel": 20},
    "industrial": {"steel": 40, "light_steel": 45, "reinforced_concrete": 15},
    "public": {"reinforced_concrete": 90, "steel": 10},
}  # fmt: skip
_STRUCTURE_GROUP: Final[dict[str, str]] = {
    "apt": "apt", "villa": "villa", "house": "house", "shop": "commercial", "civic": "commercial",
    "religious": "commercial", "office": "office", "factory": "industrial",
    "warehouse": "industrial", "shed": "industrial", "parking": "industrial",
    "gas": "industrial", "school": "public", "sports": "public",
}  # fmt: skip


def planned(scale: int) -> int:
    """Expected buildings for ``scale`` residents: they follow the addresses."""
    return round(planned_addresses(scale) * BUILDINGS_PER_ADDRESS)


def build(world: World) -> pl.DataFrame:
    """The buildings at every address, and sheds on some vacant sites and farmland."""
    rng = world.rng(SPEC.name)
    ref = world.ref
    address = world.frame("address")
    parcels = world.frame(CADASTRE)
    kind = address["_akind"].to_numpy().astype(np.str_)
    n_addr = len(address)
    blocks = np.where(kind == "apt", np.minimum(2 + rng.poisson(8, n_addr), 40), 1)
    a = np.repeat(np.arange(n_addr), blocks)
    block_no = rank_within(a)
    # sheds and warehouses on vacant sites and farmland, without an address
    spare = (
        ~parcels["_addressed"].to_numpy()
        & (parcels["status"].to_numpy() == "active")
        & np.isin(
            parcels["land_category"].to_numpy(),
            ["building_site", "warehouse_site", "pasture", "factory_site"],
        )
    )
    n_shed = min(int(spare.sum()), round(0.03 * len(a)))
    shed_parcel = top_k(rng, spare.astype(np.float64), n_shed)
    m = len(a) + len(shed_parcel)
    b_kind = np.r_[kind[a], np.full(len(shed_parcel), "shed")]
    pnu = pl.concat([address["pnu"].gather(a), parcels["pnu"].gather(shed_parcel)])
    region = pl.concat(
        [address["region_code"].gather(a), parcels["region_code"].gather(shed_parcel)]
    )
    site_area = np.r_[
        address["_parcel_area"].to_numpy()[a], parcels["area_m2"].to_numpy()[shed_parcel]
    ]
    addr_id = pl.concat(
        [address["road_address_id"].gather(a),
         pl.Series([None] * len(shed_parcel), dtype=pl.Utf8)]
    )  # fmt: skip
    is_apt = b_kind == "apt"
    name = pl.concat(
        [address["building_name"].gather(a),
         pl.Series([None] * len(shed_parcel), dtype=pl.Utf8)]
    )  # fmt: skip
    dong = nullable(
        np.char.add(
            (101 + np.r_[block_no, np.zeros(len(shed_parcel), np.int64)]).astype(str), "동"
        ),
        ~is_apt,
    )
    shape = np.array([_BUILDING_SHAPE[k] for k in b_kind])
    above = rng.integers(shape[:, 0], shape[:, 1] + 1)
    below = rng.integers(shape[:, 2], shape[:, 3] + 1)
    above[b_kind == "house"] = np.where(rng.random(int((b_kind == "house").sum())) < 0.7, 1, 2)
    per_block = np.r_[blocks[a], np.ones(len(shed_parcel), np.int64)]
    coverage = np.where(is_apt, 0.2 / per_block, rng.uniform(0.3, 0.6, m))
    footprint = np.round(np.maximum(site_area * coverage, 12.0), 2)
    total = np.round(
        np.maximum(footprint * (above + below * 0.8) * rng.uniform(0.9, 1.0, m), footprint), 2
    )
    main_use = np.empty(m, dtype="U24")
    structure = np.empty(m, dtype="U26")
    for k in np.unique(b_kind):
        mask = b_kind == k
        main_use[mask] = choice(rng, _MAIN_USE[str(k)], int(mask.sum()))
        structure[mask] = choice(rng, _STRUCTURE[_STRUCTURE_GROUP[str(k)]], int(mask.sum()))
    age_years = np.where(is_apt, rng.uniform(0.5, 45, m), rng.uniform(0.5, 55, m))
    approval = ref - (age_years * 365.25).astype(np.int64)
    addr_status = np.r_[
        address["status"].to_numpy().astype(np.str_)[a], np.full(len(shed_parcel), "active")
    ]
    addr_status_date = np.r_[address["status_date"].to_numpy()[a], np.full(len(shed_parcel), ref)]
    gone_with_address = addr_status == "abolished"
    demolished = gone_with_address | (~is_apt & (rng.random(m) < 0.02))
    approval = np.where(gone_with_address, np.minimum(approval, addr_status_date - 365), approval)
    status_date = np.where(
        gone_with_address, addr_status_date, between(rng, approval + 1, np.full(m, ref))
    )
    register = identifiers.VALIDATORS["building_register_no"].generate_many(
        rng, m, unique=True, sigungu=region.to_numpy().astype(np.str_)
    )
    return pl.DataFrame(
        {
            "building_register_no": register,
            "pnu": pnu,
            "road_address_id": addr_id,
            "name": name,
            "dong_name": dong,
            "main_use": main_use,
            "structure": structure,
            "floors_above": above.astype(np.int64),
            "floors_below": below.astype(np.int64),
            "building_area_m2": footprint,
            "total_floor_area_m2": total,
            "approval_date": dates(approval),
            "status": np.where(demolished, "demolished", "active"),
            "status_date": dates(status_date, ~demolished),
            "region_code": region,
        }
    )


BUILDER: Final = register(
    Builder(SPEC.name, build, seed_key=7, needs=("address", CADASTRE), spec=SPEC, rows=planned)
)
