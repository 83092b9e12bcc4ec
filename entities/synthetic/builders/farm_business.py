"""Farm business registrations (Ministry of Agriculture), run by rural residents.

Operators are living residents, older and rural ones more likely; each farm
works distinct active farmland parcels of the cadastre, from its own si-gun-gu
where it can. The main crop follows the parcels (rice on paddies, fruit on
orchards; livestock and mushrooms need no farmland).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities import identifiers
from entities.farm_business import SPEC
from entities.synthetic import korean as ko
from entities.synthetic.builders import Builder, register
from entities.synthetic.builders.cadastre import CADASTRE
from entities.synthetic.builders.resident import people_weights
from entities.synthetic.draws import Ints, between, dates, nullable, top_k, years_after
from entities.synthetic.world import World, per_resident

RATIO: Final = 0.033
"""Farm businesses per resident: ~1.7M farm businesses."""

_FARMLAND: Final = ("dry_field", "paddy", "orchard", "pasture")


def planned(scale: int) -> int:
    """Farm businesses for ``scale`` residents (at least 3)."""
    return per_resident(scale, RATIO, 3)


def build(world: World) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
    """Farm businesses of rural residents, with the farmland parcels they work."""
    rng = world.rng(SPEC.name)
    ref = world.ref
    res = world.frame("resident")
    units, _ = world.geo()
    rurality = np.where(units["rural"].to_numpy(), 8.0, 0.15)
    kind_of_unit = np.array([ko.SIGUNGU[s].kind for s in units["sgg"].to_list()])
    rurality = np.where((kind_of_unit == "gun") & ~units["rural"].to_numpy(), 2.0, rurality)
    person_rural = rurality[res["_unit"].to_numpy()]
    weight = people_weights(world, 25, lambda a: np.where(a >= 60, 3.0, 1.0)) * person_rural
    operators = rng.permutation(top_k(rng, weight, world.rows["farm_business"]))
    n = len(operators)
    op_unit = res["_unit"].to_numpy()[operators]
    sgg_of_unit = units["sgg"].to_numpy()

    # parcels: active farmland, preferably in the operator's si-gun-gu
    parcels = world.frame(CADASTRE)
    farmland = np.flatnonzero(
        np.isin(parcels["land_category"].to_numpy(), list(_FARMLAND))
        & (parcels["status"].to_numpy() == "active")
    )
    no_land = rng.random(n) < 0.1
    wanted = np.where(no_land, 0, np.minimum(rng.geometric(0.45, n), 8))
    assigned = _assign_parcels(
        rng, sgg_of_unit[parcels["_unit"].to_numpy()[farmland]], farmland,
        sgg_of_unit[op_unit], wanted,
    )  # fmt: skip
    pnus = parcels["pnu"].to_numpy().astype(np.str_)
    categories = parcels["land_category"].to_numpy().astype(np.str_)
    areas = parcels["area_m2"].to_numpy()
    parcel_text: list[str | None] = []
    area = np.zeros(n)
    crop = np.empty(n, dtype="U14")
    crop_u = rng.random(n)
    for i, plist in enumerate(assigned):
        if not plist:
            parcel_text.append(None)
            area[i] = 0.0
            crop[i] = "livestock" if crop_u[i] < 0.7 else "mushrooms"
            continue
        parcel_text.append(";".join(pnus[plist]))
        area[i] = areas[plist].sum()
        cats = categories[plist]
        if (cats == "paddy").sum() * 2 > len(cats):
            crop[i] = "rice" if crop_u[i] < 0.85 else "food_crops"
        elif (cats == "orchard").any():
            crop[i] = "fruit"
        elif (cats == "pasture").any():
            crop[i] = "livestock"
        else:
            crop[i] = ("vegetables", "food_crops", "special_crops", "flowers", "other")[
                min(int(crop_u[i] * 5), 4)
            ]
    livestock = crop == "livestock"
    area = np.where(area == 0, np.round(rng.uniform(200, 3000, n), 1), area)
    mushrooms = crop == "mushrooms"
    area[mushrooms] = np.round(rng.uniform(100, 600, int(mushrooms.sum())), 1)
    stems = np.array(ko.NAME_STEMS)[rng.integers(0, len(ko.NAME_STEMS), n)]
    suffix = np.where(livestock, "목장", np.where(crop == "fruit", "농원", "농장"))
    named = rng.random(n) < 0.35
    birth = res["birth_date"].to_numpy()[operators]
    earliest = np.maximum(years_after(birth, 18), np.datetime64("2009-01-01"))
    registered = between(rng, np.minimum(earliest, ref - 1), np.full(n, ref - 1))
    cancelled = rng.random(n) < 0.04
    status_date = between(rng, registered + 1, np.full(n, ref))
    number = identifiers.VALIDATORS["farm_business_no"].generate_many(rng, n, unique=True)
    return pl.DataFrame(
        {
            "farm_business_no": number,
            "operator_rrn": res["rrn"].gather(operators),
            "operator_name": res["name"].gather(operators),
            "farm_name": nullable(np.char.add(stems, suffix), ~named),
            "parcels": pl.Series(parcel_text, dtype=pl.Utf8),
            "main_crop": crop,
            "area_m2": np.round(area, 1),
            "address_id": res["address_id"].gather(operators),
            "registered_date": dates(registered),
            "status": np.where(cancelled, "cancelled", "active"),
            "status_date": dates(status_date, ~cancelled),
            "region_code": res["region_code"].gather(operators),
        }
    )


def _assign_parcels(
    rng: np.random.Generator,
    parcel_group: Ints,
    parcel_ids: Ints,
    farm_group: Ints,
    wanted: Ints,
) -> list[list[int]]:
    """Give each farm ``wanted`` distinct parcels, from its own group first, then any."""
    order = rng.permutation(len(parcel_ids))
    by_group: dict[int, list[int]] = {}
    for pos in order:
        by_group.setdefault(int(parcel_group[pos]), []).append(int(parcel_ids[pos]))
    leftovers: list[int] = []
    result: list[list[int]] = [[] for _ in range(len(farm_group))]
    short: list[int] = []
    for i in np.argsort(farm_group, kind="stable"):
        pool = by_group.get(int(farm_group[i]), [])
        take = int(wanted[i])
        result[i] = pool[:take]
        del pool[:take]
        if len(result[i]) < take:
            short.append(int(i))
    for pool in by_group.values():
        leftovers.extend(pool)
    leftovers = [leftovers[j] for j in rng.permutation(len(leftovers))]
    for i in short:
        need = int(wanted[i]) - len(result[i])
        result[i] = result[i] + leftovers[:need]
        del leftovers[:need]
    return result


BUILDER: Final = register(
    Builder(SPEC.name, build, seed_key=10, needs=("resident", CADASTRE), spec=SPEC, rows=planned)
)
