"""Registered vehicles (MOLIT), owned by living residents or active corporations.

Models follow the catalogue's market shares (trucks for deliveries, sedans for
taxis), model years an exponential age, fuels the model (no hybrid before 2011,
no electric car before 2014). Plates and VINs are unique and well-formed; the
use address is the owner's.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities.synthetic import catalogue as cat
from entities.synthetic import numbers as num
from entities.synthetic.builders import Builder, register
from entities.synthetic.builders.resident import people_weights
from entities.synthetic.draws import Idx, Strs, between, choice, dates, weighted
from entities.synthetic.world import World, per_resident
from entities.vehicle import SPEC

RATIO: Final = 0.51
"""Vehicles per resident: ~26M registered vehicles."""

_NEW_FUELS: Final = frozenset({"hybrid", "electric", "hydrogen"})


def planned(scale: int) -> int:
    """Vehicles for ``scale`` residents (at least 10)."""
    return per_resident(scale, RATIO, 10)


def build(world: World) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
    """Vehicles of living residents and active corporations."""
    rng = world.rng(SPEC.name)
    ref = world.ref
    n = world.rows["vehicle"]
    res = world.frame("resident")
    corp = world.frame("corporation")
    by_corp = rng.random(n) < 0.12
    active = (corp["status"].to_numpy() == "active").astype(np.float64)
    if active.sum() == 0:
        by_corp[:] = False
    n_corp = int(by_corp.sum())
    people = people_weights(
        world, 20, lambda a: np.select([a < 30, a < 70, a < 80], [0.6, 1.0, 0.6], 0.2)
    )
    owner_res = weighted(rng, people, n - n_corp)
    fleet = active / (1.0 + rng.permutation(len(active))) ** 1.1
    owner_corp = weighted(rng, fleet, n_corp) if n_corp else np.zeros(0, np.intp)

    use = np.full(n, "private", dtype="U10")
    plate_use = np.full(n, "private", dtype="U8")
    u = rng.random(n)
    corp_use = np.where(u < 0.38, "private", np.where(u < 0.98, "commercial", "official"))
    use[by_corp] = corp_use[by_corp]
    plate_corp = np.select(
        [u < 0.38, u < 0.78, u < 0.93, u < 0.98],
        ["private", "rental", "business", "delivery"],
        "private",
    )
    plate_use[by_corp] = plate_corp[by_corp]
    res_commercial = ~by_corp & (rng.random(n) < 0.03)
    use[res_commercial] = "commercial"
    plate_use[res_commercial] = np.where(
        rng.random(int(res_commercial.sum())) < 0.6, "business", "delivery"
    )

    models = cat.VEHICLE_MODELS
    mtype = np.array([mm.vehicle_type for mm in models])
    share = np.array([mm.share for mm in models])
    commercial_w = share * np.where(mtype == "passenger", 0.3, 3.0)
    model = weighted(rng, share, n)
    trucks = plate_use == "delivery"
    model[trucks] = weighted(rng, share * (mtype == "truck"), int(trucks.sum()))
    fleet_mask = by_corp & (plate_use == "business")
    model[fleet_mask] = weighted(rng, commercial_w, int(fleet_mask.sum()))
    taxi = res_commercial & (plate_use == "business")
    taxi_models = ["쏘나타", "K5", "그랜저", "아이오닉 5"]
    taxi_w = share * np.isin([mm.model for mm in models], taxi_models)
    model[taxi] = weighted(rng, taxi_w, int(taxi.sum()))
    first = np.array([mm.first_year for mm in models])[model]
    last = np.minimum(np.array([mm.last_year for mm in models])[model], int(str(ref)[:4]))
    year = int(str(ref)[:4]) - np.floor(rng.exponential(7.5, n)).astype(np.int64)
    model_year = np.clip(year, first, last)
    registered = np.datetime64("1970-07-01") + (
        (model_year - 1971) * 365.25 + rng.uniform(0, 365, n)
    ).astype(np.int64)
    registered = np.clip(registered, np.datetime64("1980-01-01"), ref - 1)
    fuel = np.empty(n, dtype="U8")
    for k, mm in enumerate(models):
        mask = model == k
        if mask.any():
            fuel[mask] = choice(rng, dict(mm.fuels), int(mask.sum()))
            # hybrids from 2011 and electric cars from 2014 (unless the model is only that)
            conventional = next((f for f, _ in mm.fuels if f not in _NEW_FUELS), "")
            early = mask & (
                ((fuel == "hybrid") & (model_year < 2011))
                | ((fuel == "electric") & (model_year < 2014))
            )
            if conventional:
                fuel[early] = conventional
    age = int(str(ref)[:4]) - model_year
    dereg = rng.random(n) < np.minimum(0.005 * age, 0.35)
    status = np.where(
        dereg,
        choice(rng, {"scrapped": 75, "exported": 19, "deregistered": 6}, n),
        "registered",
    )
    status_date = between(rng, registered + 30, np.full(n, ref))
    reg_year = registered.astype("datetime64[Y]").astype(np.int64) + 1970
    three = np.where(
        registered >= np.datetime64("2019-09-01"), rng.random(n) < 0.9, rng.random(n) < 0.02
    )
    regional = np.where(
        plate_use == "business", rng.random(n) < 0.5, (reg_year < 2006) & (rng.random(n) < 0.3)
    )
    vtype = mtype[model]

    def draw_plates(rows: Idx) -> Strs:
        return num.plates_many(rng, vtype[rows], plate_use[rows], three[rows], regional[rows])

    plates = num.unique_redraw(draw_plates(np.arange(n)), draw_plates)
    wmi = np.array([mm.wmi for mm in models])[model]
    vins = num.vins_many(rng, wmi, model_year)
    vins = num.unique_redraw(vins, lambda rows: num.vins_many(rng, wmi[rows], model_year[rows]))
    renamed = np.array([mm.renamed for mm in models])[model]
    make = np.where(
        (renamed > 0) & (reg_year < renamed),
        np.array([mm.old_make for mm in models])[model],
        np.array([mm.make for mm in models])[model],
    )

    owner_kind = np.where(by_corp, "corporation", "resident")
    owner_id = np.empty(n, dtype=object)
    owner_id[~by_corp] = res["rrn"].gather(owner_res).to_numpy()
    owner_id[by_corp] = corp["crn"].gather(owner_corp).to_numpy()
    use_addr = np.empty(n, dtype=object)
    use_addr[~by_corp] = res["address_id"].gather(owner_res).to_numpy()
    use_addr[by_corp] = corp["head_office_address_id"].gather(owner_corp).to_numpy()
    region = np.empty(n, dtype=object)
    region[~by_corp] = res["region_code"].gather(owner_res).to_numpy()
    region[by_corp] = corp["region_code"].gather(owner_corp).to_numpy()
    return pl.DataFrame(
        {
            "vin": vins,
            "plate": plates,
            "make": make,
            "model": np.array([mm.model for mm in models])[model],
            "model_year": model_year,
            "fuel": fuel,
            "vehicle_type": vtype,
            "use_kind": use,
            "owner_kind": owner_kind,
            "owner_id": pl.Series(owner_id.tolist(), dtype=pl.Utf8),
            "use_address_id": pl.Series(use_addr.tolist(), dtype=pl.Utf8),
            "registered_date": dates(registered),
            "status": status,
            "status_date": dates(status_date, status == "registered"),
            "region_code": pl.Series(region.tolist(), dtype=pl.Utf8),
        }
    )


BUILDER: Final = register(
    Builder(
        SPEC.name, build, seed_key=8, needs=("resident", "corporation"), spec=SPEC, rows=planned
    )
)
