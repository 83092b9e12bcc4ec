"""Business registrations (National Tax Service): corporate and individual.

Every corporation has its head office registered, and some active ones
branches; a dissolved corporation's businesses are closed. Individual
businesses (shops, restaurants, rentals, trucks, small makers ...) belong to
living residents of working age, or now and then to a foreign resident (name
only, no RRN). Makers and pharmaceutical companies carry ``_role`` for the
goods and medicine builders.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities.business import SPEC
from entities.synthetic import catalogue as cat
from entities.synthetic import korean as ko
from entities.synthetic import numbers as num
from entities.synthetic.builders import Builder, register
from entities.synthetic.builders.address import addresses_for
from entities.synthetic.builders.resident import people_weights
from entities.synthetic.draws import Days, between, dates, index_of, recent, weighted, years_after
from entities.synthetic.world import World, per_resident

RATIO: Final = 0.196
"""Businesses per resident: ~10M registered businesses."""


def planned(scale: int) -> int:
    """Businesses for ``scale`` residents (at least 20)."""
    return per_resident(scale, RATIO, 20)


def build(world: World) -> pl.DataFrame:
    """Corporate businesses (head offices and branches), then individual ones, shuffled."""
    rng = world.rng(SPEC.name)
    ref = world.ref
    corporate = _corporate_businesses(world, rng)
    individual = _individual_businesses(world, rng, max(world.rows["business"] - len(corporate), 5))
    frame = pl.concat([corporate, individual], how="vertical")
    kinds = frame["_kind"].to_numpy().astype(np.int64)
    brn = num.brn_many(rng, kinds)
    brn = num.unique_redraw(brn, lambda rows: num.brn_many(rng, kinds[rows]))
    frame = frame.select(
        pl.Series("brn", brn),
        pl.exclude("_kind"),
        pl.Series("_status_date", _status_date_or_ref(frame, ref)),
    )
    return frame[rng.permutation(len(frame))]


def _corporate_businesses(world: World, rng: np.random.Generator) -> pl.DataFrame:
    """A head office for every corporation, and branches for some active ones."""
    ref = world.ref
    corp = world.frame("corporation")
    n_corp = len(corp)
    corp_status = corp["status"].to_numpy().astype(np.str_)
    branches = np.where(
        (corp_status == "active") & (rng.random(n_corp) < 0.08),
        np.minimum(rng.geometric(0.5, n_corp), 5),
        0,
    )
    owner = np.r_[np.arange(n_corp), np.repeat(np.arange(n_corp), branches)]
    is_branch = np.r_[np.zeros(n_corp, dtype=bool), np.ones(int(branches.sum()), dtype=bool)]
    m = len(owner)
    kind_codes = corp["corp_kind"].to_numpy().astype(np.str_)[owner]
    non_profit = np.isin(kind_codes, ["incorporated_association", "incorporated_foundation"])
    brn_kind = rng.choice(np.array([81, 81, 81, 81, 86, 87, 88]), m)
    brn_kind[non_profit] = 82
    brn_kind[kind_codes == "foreign_company"] = 84
    brn_kind[is_branch] = 85
    word = corp["_word"].to_numpy().astype(np.str_)[owner]
    industry = np.array([cat.CORPORATION_WORD_KSIC.get(w, cat.COOPERATIVE_KSIC) for w in word])
    industry[non_profit] = cat.NON_PROFIT_KSIC
    established = corp["established_date"].to_numpy()[owner]
    c_status = corp_status[owner]
    c_status_date = corp["_status_date"].to_numpy()[owner]
    role = corp["_role"].to_numpy().astype(np.str_)[owner]
    opened = np.where(
        is_branch,
        between(rng, established, np.full(m, ref - 1)),
        np.minimum(established + rng.integers(0, 21, m), ref - 1),
    )
    w_addr, address = addresses_for(world, {"office": 10, "shop": 4, "factory": 2})
    branch_addr = weighted(rng, w_addr, m)
    head_ids = corp["head_office_address_id"].to_numpy().astype(np.str_)[owner]
    addr_index = index_of(address["road_address_id"], head_ids)
    addr_index = np.where(is_branch, branch_addr, addr_index)
    sido_short = np.array([ko.SIDO[s].short for s in address["_sido"].to_list()])
    corp_name = corp["name"].to_numpy().astype(np.str_)[owner]
    trade = np.where(
        is_branch,
        np.char.add(np.char.add(corp_name, " "), np.char.add(sido_short[addr_index], "지점")),
        corp_name,
    )
    u = rng.random(m)
    status = np.where(u < 0.93, "active", np.where(u < 0.95, "suspended", "closed"))
    status[role != ""] = "active"
    status[c_status != "active"] = "closed"
    status_date = between(rng, opened + 1, np.full(m, ref))
    status_date = np.where(c_status != "active", np.maximum(c_status_date, opened + 1), status_date)
    status_date = np.minimum(status_date, ref)
    corporate = pl.DataFrame(
        {
            "_kind": brn_kind,
            "trade_name": trade,
            "representative_name": corp["representative_name"].gather(owner),
            "representative_rrn": corp["_rep_rrn"].gather(owner),
            "business_type": np.full(m, "corporate"),
            "crn": corp["crn"].gather(owner),
            "industry_code": industry,
            "address_id": address["road_address_id"].gather(addr_index),
            "opened_date": dates(opened),
            "tax_type": np.where(non_profit, "non_profit", "general"),
            "status": status,
            "status_date": dates(status_date, status == "active"),
            "region_code": address["region_code"].gather(addr_index),
            "_role": np.where(is_branch, "", role),
        }
    )

    return corporate


def _individual_businesses(world: World, rng: np.random.Generator, n_ind: int) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
    """Sole proprietors: shops, restaurants, rentals, trucks, small makers ..."""
    ref = world.ref
    res = world.frame("resident")
    w_addr, address = addresses_for(world, {"office": 10, "shop": 4, "factory": 2})
    industries = cat.INDIVIDUAL_INDUSTRIES
    ind = weighted(rng, np.array([i.weight for i in industries]), n_ind)
    maker_ids = np.array([k for k, i in enumerate(industries) if i.maker])
    n_ind_maker = min(n_ind // 3, max(2, round(world.rows["goods"] / 40)))
    ind[:n_ind_maker] = maker_ids[rng.integers(0, len(maker_ids), n_ind_maker)]
    people = people_weights(
        world, 20, lambda a: np.select([a < 30, a < 40, a < 60, a < 70], [0.5, 1.2, 1.5, 1.0], 0.4)
    )
    rep = weighted(rng, people, n_ind)
    rep_birth = res["birth_date"].to_numpy()[rep]
    earliest = np.maximum(years_after(rep_birth, 20), np.datetime64("1970-01-01"))
    opened_i = recent(rng, earliest, np.full(n_ind, ref - 1), 6.0)
    site = np.array([i.site for i in industries])[ind]
    w_shop, _ = addresses_for(world, {"shop": 1})
    w_office, _ = addresses_for(world, {"office": 1, "shop": 0.2})
    w_factory, _ = addresses_for(world, {"factory": 1, "warehouse": 0.3})
    where = np.zeros(n_ind, dtype=np.int64)
    home = index_of(address["road_address_id"], res["address_id"].to_numpy()[rep])
    for s, wts in (("shop", w_shop), ("office", w_office), ("factory", w_factory)):
        mask = site == s
        usable = wts if wts.sum() > 0 else (w_shop if w_shop.sum() > 0 else w_addr)
        where[mask] = weighted(rng, usable, int(mask.sum()))
    where[site == "house"] = home[site == "house"]
    stems = np.array(ko.NAME_STEMS)[rng.integers(0, len(ko.NAME_STEMS), n_ind)]
    surname = res["name"].to_numpy().astype(np.str_)[rep]
    surname = np.array([s[:1] for s in surname])
    pattern = np.array([rng.integers(0, len(industries[k].patterns)) for k in ind])
    prefix = np.array([industries[k].patterns[p][0] for k, p in zip(ind, pattern, strict=True)])
    slot = np.array([industries[k].patterns[p][1] for k, p in zip(ind, pattern, strict=True)])
    suffix = np.array([industries[k].patterns[p][2] for k, p in zip(ind, pattern, strict=True)])
    trade_i = np.char.add(np.char.add(prefix, np.where(slot == "surname", surname, stems)), suffix)
    ksic = np.array([i.ksic for i in industries])[ind]
    exempt = np.isin(ksic, ["86201", "86202", "86203", "85501", "68111"])
    kind_i = np.where(exempt, rng.integers(90, 100, n_ind), rng.integers(1, 80, n_ind))
    tax = np.where(exempt, "exempt", np.where(rng.random(n_ind) < 0.6, "general", "simplified"))
    u = rng.random(n_ind)
    status_i = np.where(u < 0.78, "active", np.where(u < 0.80, "suspended", "closed"))
    status_i[:n_ind_maker] = "active"
    status_date_i = between(rng, opened_i + 1, np.full(n_ind, ref))
    rep_name = res["name"].gather(rep)
    rep_rrn = res["rrn"].gather(rep)
    # a few representatives are foreign residents: name only, no RRN
    foreign = rng.random(n_ind) < 0.01
    foreign[:n_ind_maker] = False
    if foreign.any():
        fr = world.frame("foreign_resident")
        f_active = (fr["status"].to_numpy() == "active").astype(np.float64)
        if f_active.sum() > 0:
            pick = weighted(rng, f_active, int(foreign.sum()))
            f_names = fr["_name_ko"].gather(pick).to_numpy()
            rep_name = rep_name.scatter(np.flatnonzero(foreign), f_names)
            rep_rrn = rep_rrn.scatter(np.flatnonzero(foreign), None)
        else:
            foreign[:] = False
    individual = pl.DataFrame(
        {
            "_kind": kind_i,
            "trade_name": trade_i,
            "representative_name": rep_name,
            "representative_rrn": rep_rrn,
            "business_type": np.full(n_ind, "individual"),
            "crn": pl.Series([None] * n_ind, dtype=pl.Utf8),
            "industry_code": ksic,
            "address_id": address["road_address_id"].gather(where),
            "opened_date": dates(opened_i),
            "tax_type": tax,
            "status": status_i,
            "status_date": dates(status_date_i, status_i == "active"),
            "region_code": address["region_code"].gather(where),
            "_role": np.where(np.arange(n_ind) < n_ind_maker, "maker", ""),
        }
    )
    return individual


def _status_date_or_ref(frame: pl.DataFrame, ref: np.datetime64) -> Days:
    """The status date, or the reference date where there is none (for later comparisons)."""
    status_dates = frame["status_date"].to_numpy()
    return np.where(np.isnat(status_dates), ref, status_dates).astype("datetime64[D]")


BUILDER: Final = register(
    Builder(
        SPEC.name,
        build,
        seed_key=5,
        needs=("corporation", "resident", "foreign_resident", "address"),
        spec=SPEC,
        rows=planned,
    )
)
