"""Registered foreign residents (Ministry of Justice), by nationality and visa.

Nationalities and their visa mixes follow the catalogue; work visas are younger
and mostly male, marriage migrants mostly female. Foreigners live at the same
addresses as residents, weighted towards the regions where many live
(:data:`entities.synthetic.korean.FOREIGNER_HOTSPOTS`).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities import identifiers
from entities.foreign_resident import SPEC
from entities.synthetic import catalogue as cat
from entities.synthetic import korean as ko
from entities.synthetic.builders import Builder, register
from entities.synthetic.builders.address import addresses_for
from entities.synthetic.builders.resident import HOUSEHOLD_CAPACITY
from entities.synthetic.draws import (
    Strs,
    between,
    choice,
    dates,
    nullable,
    pick_within,
    truncated_normal,
    weighted,
)
from entities.synthetic.world import World, per_resident
from entities.vocabulary import codes

RATIO: Final = 0.025
"""Foreign residents per resident: ~2.7M foreigners staying, ~2.5% registered long-stay."""


def planned(scale: int) -> int:
    """Foreign residents for ``scale`` residents (at least 5)."""
    return per_resident(scale, RATIO, 5)


def build(world: World) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
    """Foreign residents by nationality and visa, living at residents' addresses."""
    rng = world.rng(SPEC.name)
    n = world.rows["foreign_resident"]
    ref = world.ref
    nat_share = np.array([x.share for x in cat.NATIONALITIES] + [cat.OTHER_NATIONALITY_SHARE])
    nat_idx = weighted(rng, nat_share, n)
    others = [
        c
        for c in codes("nationality")
        if c not in {x.code for x in cat.NATIONALITIES} and c != "KOR"
    ]
    nationality = np.empty(n, dtype="U3")
    pool = np.empty(n, dtype="U16")
    mix = np.empty(n, dtype="U16")
    known = nat_idx < len(cat.NATIONALITIES)
    table = cat.NATIONALITIES
    nationality[known] = np.array([x.code for x in table])[nat_idx[known]]
    pool[known] = np.array([x.names for x in table])[nat_idx[known]]
    mix[known] = np.array([x.visas for x in table])[nat_idx[known]]
    nationality[~known] = np.array(others)[rng.integers(0, len(others), int((~known).sum()))]
    pool[~known] = "WEST"
    mix[~known] = "PROFESSIONAL"
    visa = np.empty(n, dtype="U4")
    for name, weights in cat.VISA_MIXES.items():
        mask = mix == name
        visa[mask] = choice(rng, weights, int(mask.sum()))

    male_p = np.full(n, 0.5)
    male_p[np.isin(visa, ["E-9", "E-10", "H-2", "E-8"])] = 0.85
    male_p[visa == "F-6"] = 0.2
    male = rng.random(n) < male_p
    age_years = truncated_normal(rng, 36, 11, 19, 80, n=n)
    young = np.isin(visa, ["D-2", "D-4", "E-9", "E-8", "H-1"])
    age_years[young] = truncated_normal(rng, 27, 5, 19, 45, n=int(young.sum()))
    children = np.isin(visa, ["F-1", "F-3"]) & (rng.random(n) < 0.3)
    age_years[children] = rng.uniform(1, 18, int(children.sum()))
    birth = ref - 1 - (age_years * 365.2425).astype(np.int64)

    roman, hangul = _foreign_names(rng, pool)
    has_hangul = rng.random(n) < 0.6

    # long-stay visas: registered up to years before; status and expiry follow
    years_here = np.where(np.isin(visa, ["F-5", "F-4", "F-6", "F-2"]), 15.0, 5.0)
    registered = ref - (rng.random(n) * years_here * 365).astype(np.int64) - 1
    registered = np.maximum(registered, birth + 1)
    u = rng.random(n)
    status = np.full(n, "active", dtype="U8")
    status[u < 0.05] = "departed"
    status[(u >= 0.05) & (u < 0.06)] = "expired"
    status[(u >= 0.06) & (u < 0.062)] = "deceased"
    expiry = ref + 400 + rng.integers(0, 700, n)
    past = np.maximum(registered + 90, ref - 400)
    expired = status == "expired"
    expiry[expired] = between(rng, past[expired], np.full(int(expired.sum()), ref - 1))
    departed = status == "departed"
    expiry[departed] = registered[departed] + rng.integers(180, 1100, int(departed.sum()))
    no_expiry = visa == "F-5"
    status[no_expiry & expired] = "departed"
    status_date = between(rng, registered + 1, np.full(n, ref))
    status_date = np.where(status == "expired", expiry + 1, status_date)
    status_date = np.minimum(status_date, ref)

    units, _ = world.geo()
    cap, address = addresses_for(world, HOUSEHOLD_CAPACITY)
    a_unit = address["_unit"].to_numpy()
    hotspot = np.array([ko.FOREIGNER_HOTSPOTS.get(r, 1.0) for r in units["region"].to_list()])
    has_room = np.bincount(a_unit, weights=cap, minlength=len(units)) > 0
    f_unit = weighted(rng, units["weight"].to_numpy() * hotspot * has_room, n)
    where = pick_within(rng, a_unit, cap, f_unit)
    sexes = np.where(male, "M", "F")
    frn = identifiers.VALIDATORS["frn"].generate_many(rng, n, unique=True, birth=birth, sex=sexes)
    return pl.DataFrame(
        {
            "frn": frn,
            "name": pl.Series(roman.tolist(), dtype=pl.Utf8),
            "name_ko": nullable(hangul.astype(np.str_), ~has_hangul),
            "nationality": nationality,
            "birth_date": dates(birth),
            "sex": sexes,
            "visa_status": visa,
            "stay_expiry_date": dates(expiry, no_expiry),
            "address_id": address["road_address_id"].gather(where),
            "registered_date": dates(registered),
            "status": status,
            "status_date": dates(status_date, status == "active"),
            "region_code": address["region_code"].gather(where),
            "_name_ko": pl.Series(hangul.tolist(), dtype=pl.Utf8),
        }
    )


def _foreign_names(rng: np.random.Generator, pool: Strs) -> tuple[Strs, Strs]:
    """Romanised passport names and Hangul transcriptions from each row's name pool."""
    n = len(pool)
    roman = np.empty(n, dtype=object)
    hangul = np.empty(n, dtype=object)
    for group, (surnames, givens) in cat.NAME_POOLS.items():
        mask = pool == group
        k = int(mask.sum())
        s = rng.integers(0, len(surnames), k)
        g = rng.integers(0, len(givens), k)
        share, joiner = cat.SECOND_GIVEN[group]
        g2 = np.where(rng.random(k) < share, rng.integers(0, len(givens), k), -1)
        g2[g2 == g] = -1
        middle = cat.VIETNAMESE_MIDDLE if group == "VNM" else ()
        mid = rng.integers(0, max(len(middle), 1), k)
        romans, hanguls = [], []
        for i, j, j2, mi in zip(s, g, g2, mid, strict=True):
            given_r, given_h = givens[j]
            if j2 >= 0:
                given_r += joiner + givens[j2][0]
                given_h += givens[j2][1]
            if middle:
                given_r = f"{middle[mi][0]} {given_r}"
                given_h = middle[mi][1] + given_h
            romans.append(f"{surnames[i][0]} {given_r}")
            hanguls.append(surnames[i][1] + given_h)
        roman[mask] = romans
        hangul[mask] = hanguls
    return roman, hangul


BUILDER: Final = register(
    Builder(SPEC.name, build, seed_key=3, needs=("address",), spec=SPEC, rows=planned)
)
