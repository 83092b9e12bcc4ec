"""Driver licences (licensing authority), at most one number per resident.

Holders are drawn by age and sex, and were old enough for their licence kind
(:data:`entities.licence.MINIMUM_AGE`) when it was issued; a licence of a
deceased or emigrated resident has expired, and an active one is valid for at
least 400 days after the reference date.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities.licence import MINIMUM_AGE, SPEC
from entities.synthetic import korean as ko
from entities.synthetic import numbers as num
from entities.synthetic.builders import Builder, register
from entities.synthetic.draws import between, choice, dates, top_k, years_after
from entities.synthetic.world import World, per_resident

RATIO: Final = 0.667
"""Licences per resident: ~34M driver licences."""


def planned(scale: int) -> int:
    """Licences for ``scale`` residents (at least 3); capped by the residents old enough."""
    return per_resident(scale, RATIO, 3)


def build(world: World) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
    """One driver licence for each of the residents most likely to hold one."""
    rng = world.rng(SPEC.name)
    ref = world.ref
    res = world.frame("resident")
    age = res["_age"].to_numpy()
    male = res["sex"].to_numpy() == "M"
    weight = np.select(
        [age < 18, age < 20, age < 30, age < 60, age < 70, age < 80],
        [0.0, 0.35, 0.75, 0.92, 0.85, 0.6], 0.3,
    ) * np.where(male, 1.0, 0.8)  # fmt: skip
    holders = top_k(rng, weight, world.rows["licence"])
    holders = rng.permutation(holders)
    n = len(holders)
    h_age = age[holders]
    h_birth = res["birth_date"].to_numpy()[holders]
    kind = choice(
        rng,
        {"class1_ordinary": 45, "class2_ordinary": 44, "class1_large": 6, "class2_small": 1,
         "class2_moped": 1.5, "class1_special_large_tractor": 0.4,
         "class1_special_small_tractor": 0.2, "class1_special_wrecker": 0.4,
         "class1_small": 0.5, "learner_class1_ordinary": 0.5,
         "learner_class2_ordinary": 0.5},
        n,
    )  # fmt: skip
    min_age = np.array([MINIMUM_AGE[k] for k in kind])
    kind = np.where(h_age < min_age, "class2_ordinary", kind)
    min_age = np.array([MINIMUM_AGE[k] for k in kind])
    eligible = years_after(h_birth, min_age)
    span = np.maximum((ref - 1 - eligible).astype(np.int64), 0)
    delay = rng.exponential(5 * 365, n).astype(np.int64)
    delay = np.where(delay > span, (rng.random(n) * (span + 1)).astype(np.int64), delay)
    issued = eligible + delay
    learner = np.char.startswith(kind, "learner")
    issued[learner] = np.maximum(
        eligible[learner], ref - 60 + rng.integers(0, 59, int(learner.sum()))
    )
    period = np.select([h_age < 65, h_age < 75], [10, 5], 3)
    expiry = ref + 400 + (rng.random(n) * (period * 365.25 - 400)).astype(np.int64)
    expiry[learner] = years_after(issued[learner], 1)
    h_status = res["status"].to_numpy().astype(np.str_)[holders]
    h_status_date = res["_status_date"].to_numpy()[holders]
    u = rng.random(n)
    status = np.where(
        u < 0.015,
        "suspended",
        np.where(u < 0.04, "revoked", np.where(u < 0.07, "expired", "valid")),
    )
    status[learner] = "valid"
    gone = np.isin(h_status, ["deceased", "emigrated"])
    status[gone] = "expired"
    status_date = between(rng, issued + 1, np.full(n, ref))
    suspended = status == "suspended"
    status_date[suspended] = between(
        rng, np.maximum(issued[suspended] + 1, ref - 100), np.full(int(suspended.sum()), ref)
    )
    old_enough = issued < ref - 400
    status[(status == "expired") & ~gone & ~old_enough] = "valid"
    lapsed = (status == "expired") & ~gone
    expiry[lapsed] = between(rng, issued[lapsed] + 365, np.full(int(lapsed.sum()), ref - 2))
    status_date[lapsed] = expiry[lapsed] + 1
    status_date[gone] = np.minimum(h_status_date[gone] + rng.integers(0, 31, int(gone.sum())), ref)
    status_date = np.maximum(status_date, issued + 1)
    status_date = np.minimum(status_date, ref)
    expiry = np.maximum(expiry, issued + 1)
    sido = res["_sido"].to_numpy().astype(np.str_)[holders]
    region_code = res["region_code"].to_numpy().astype(np.str_)[holders]
    licence_region = np.array([ko.SIDO[s].licence_region for s in sido], dtype=np.int64)
    licence_region[np.isin(region_code, list(ko.GYEONGGI_NORTH))] = 28
    issued_year = issued.astype("datetime64[Y]").astype(np.int64) + 1970

    numbers = num.licence_no_many(rng, licence_region, issued_year)
    numbers = num.unique_redraw(
        numbers, lambda rows: num.licence_no_many(rng, licence_region[rows], issued_year[rows])
    )
    automatic = np.where(kind == "class2_ordinary", rng.random(n) < 0.4, rng.random(n) < 0.05)
    return pl.DataFrame(
        {
            "licence_no": numbers,
            "holder_rrn": res["rrn"].gather(holders),
            "holder_name": res["name"].gather(holders),
            "holder_birth_date": dates(h_birth),
            "licence_kind": kind,
            "automatic_only": automatic,
            "issued_date": dates(issued),
            "expiry_date": dates(expiry),
            "status": status,
            "status_date": dates(status_date, status == "valid"),
        }
    )


BUILDER: Final = register(
    Builder(SPEC.name, build, seed_key=9, needs=("resident",), spec=SPEC, rows=planned)
)
