"""Land parcels (MOLIT): the cadastre's parcels with their principal owner.

The parcels themselves come from the :mod:`~entities.synthetic.builders.cadastre`
stage; this builder adds the owner, a resident or corporation, which is why it
comes after residents and corporations although addresses, and through them
people, stand on its parcels (the one forward relation of
:mod:`entities.registry`). Public land (roads, rivers, parks) is mostly owned by
the state (no owner), school sites by school corporations, apartment sites by
their residents' shares (no single owner).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities.land_parcel import SPEC
from entities.synthetic.builders import Builder, register
from entities.synthetic.builders.address import planned as planned_addresses
from entities.synthetic.builders.cadastre import CADASTRE, PUBLIC_LAND
from entities.synthetic.builders.resident import people_weights
from entities.synthetic.draws import weighted
from entities.synthetic.world import World, per_resident

RATIO: Final = 0.30
"""Parcels per resident: ~39M parcels nationally (0.76/resident); 0.30 keeps the run fast."""


def planned(scale: int) -> int:
    """Parcels for ``scale`` residents: at least 20 more than addresses (each needs its own)."""
    return max(per_resident(scale, RATIO), planned_addresses(scale) + 20)


def build(world: World) -> pl.DataFrame:
    """Parcels with their principal owner (residents and corporations exist by now)."""
    rng = world.rng(SPEC.name, 1)
    parcels = world.frame(CADASTRE)
    n = len(parcels)
    category = parcels["land_category"].to_numpy().astype(np.str_)
    kind = parcels["_akind"].to_numpy().astype(np.str_)
    u = rng.random(n)
    owner_kind = np.where(u < 0.82, "resident", np.where(u < 0.94, "corporation", ""))
    public = np.isin(category, list(PUBLIC_LAND))
    owner_kind[public] = np.where(rng.random(int(public.sum())) < 0.85, "", "resident")
    school = category == "school_site"
    owner_kind[school] = np.where(rng.random(int(school.sum())) < 0.7, "corporation", "")
    industrial = np.isin(category, ["factory_site", "warehouse_site"])
    owner_kind[industrial] = np.where(
        rng.random(int(industrial.sum())) < 0.7, "corporation", "resident"
    )
    apt = kind == "apt"
    owner_kind[apt] = np.where(rng.random(int(apt.sum())) < 0.8, "", "corporation")

    res = world.frame("resident")
    corp = world.frame("corporation")
    active_corp = (corp["status"].to_numpy() == "active").astype(np.float64)
    if active_corp.sum() == 0:
        active_corp[:] = 1.0
    people = people_weights(world, 20, lambda a: 1.0 + (a > 40) + (a > 55))
    is_res = owner_kind == "resident"
    is_corp = owner_kind == "corporation"
    owner = np.full(n, None, dtype=object)
    owner[is_res] = res["rrn"].gather(weighted(rng, people, int(is_res.sum()))).to_numpy()
    owner[is_corp] = corp["crn"].gather(weighted(rng, active_corp, int(is_corp.sum()))).to_numpy()
    return parcels.select(
        "pnu", "legal_dong_code", "lot_number", "land_category", "area_m2",
        "official_price_per_m2", "price_base_year", "use_zone",
        pl.Series("owner_kind", owner_kind).replace("", None),
        pl.Series("owner_id", owner.tolist(), dtype=pl.Utf8),
        "status", "status_date", "region_code", "_unit", "_addressed", "_akind", "_rural",
    )  # fmt: skip


BUILDER: Final = register(
    Builder(
        SPEC.name,
        build,
        seed_key=0,
        needs=(CADASTRE, "resident", "corporation"),
        spec=SPEC,
        rows=planned,
    )
)  # stream 0 of key 0 is the cadastre's
