"""Insured workplaces (Ministry of Employment and Labor), one or more per business.

Corporate businesses are more likely to insure a workplace and to have more
than one (numbered ``<brn><serial>``); a closed business has no active
workplace, and a workplace opens after its business.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities.synthetic.builders import Builder, register
from entities.synthetic.builders.address import addresses_for
from entities.synthetic.draws import (
    between,
    choice,
    concat,
    dates,
    index_of,
    rank_within,
    top_k,
    weighted,
)
from entities.synthetic.world import World, per_resident
from entities.workplace import SPEC

RATIO: Final = 0.057
"""Workplaces per resident: ~2.9M insured workplaces."""


def planned(scale: int) -> int:
    """Workplaces for ``scale`` residents (at least 5)."""
    return per_resident(scale, RATIO, 5)


def build(world: World) -> pl.DataFrame:
    """Workplaces of businesses, corporate ones more often and more than one."""
    rng = world.rng(SPEC.name)
    ref = world.ref
    biz = world.frame("business")
    n = world.rows["workplace"]
    corporate = biz["business_type"].to_numpy() == "corporate"
    weight = np.where(corporate, 4.0, 0.4)
    chosen = top_k(rng, weight, max(1, round(n * 0.94)))
    extra_n = n - len(chosen)
    corp_chosen = chosen[corporate[chosen]]
    extra = (
        corp_chosen[rng.integers(0, len(corp_chosen), extra_n)]
        if len(corp_chosen) and extra_n > 0
        else chosen[rng.integers(0, len(chosen), max(extra_n, 0))]
    )
    owner = np.r_[chosen, np.sort(extra)]
    serial = np.r_[np.zeros(len(chosen), dtype=np.int64), rank_within(np.sort(extra)) + 1]
    keep = serial <= 9
    owner, serial = owner[keep], serial[keep]
    m = len(owner)
    is_extra = serial > 0
    address_w, address = addresses_for(world, {"office": 3, "shop": 2, "factory": 3})
    addr = index_of(address["road_address_id"], biz["address_id"].to_numpy()[owner])
    other = weighted(rng, address_w, m)
    clash = is_extra & (other == addr)
    other[clash] = (other[clash] + 1) % len(address)
    addr = np.where(is_extra, other, addr)
    opened = biz["opened_date"].to_numpy()[owner]
    b_status = biz["status"].to_numpy().astype(np.str_)[owner]
    b_status_date = biz["_status_date"].to_numpy()[owner]
    closed_biz = b_status == "closed"
    latest = np.where(closed_biz, b_status_date - 1, ref - 1)
    established = between(rng, opened, np.maximum(latest, opened))
    closed = closed_biz | (rng.random(m) < 0.05)
    status_date = np.where(
        closed_biz, b_status_date, between(rng, established + 1, np.full(m, ref))
    )
    status_date = np.maximum(status_date, established)
    employees = np.where(
        corporate[owner],
        np.maximum(1, np.round(np.exp(rng.normal(np.log(12), 1.3, m)))),
        1 + rng.poisson(2, m),
    ).astype(np.int64)
    employees = np.where(closed, 0, employees)
    trade = biz["trade_name"].to_numpy().astype(np.str_)[owner]
    name = np.where(
        is_extra,
        np.char.add(np.char.add(trade, " 제"), np.char.add((serial + 1).astype(str), "사업장")),
        trade,
    )
    return pl.DataFrame(
        {
            "workplace_no": concat(biz["brn"].gather(owner), pl.Series(serial).cast(pl.Utf8)),
            "brn": biz["brn"].gather(owner),
            "name": name,
            "address_id": address["road_address_id"].gather(addr),
            "industry_code": biz["industry_code"].gather(owner),
            "employees": employees,
            "insurance": choice(rng, {"both": 88, "employment": 4, "industrial_accident": 8}, m),
            "established_date": dates(established),
            "status": np.where(closed, "closed", "active"),
            "status_date": dates(status_date, ~closed),
            "region_code": address["region_code"].gather(addr),
        }
    )


BUILDER: Final = register(
    Builder(SPEC.name, build, seed_key=6, needs=("business", "address"), spec=SPEC, rows=planned)
)
