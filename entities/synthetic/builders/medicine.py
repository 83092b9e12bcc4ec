"""Approved medicines (Ministry of Food and Drug Safety).

Made by the pharmaceutical businesses (a few make most); each manufacturer
owns a GS1 company prefix, so standard codes are valid GTIN-13s numbered within
it, and product codes are numbered within their approval year.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities.medicine import SPEC
from entities.synthetic import catalogue as cat
from entities.synthetic import numbers as num
from entities.synthetic.builders import Builder, register
from entities.synthetic.draws import between, concat, dates, rank_within, weighted, zfill
from entities.synthetic.world import World, national_share


def planned(scale: int) -> int:
    """Medicines for ``scale`` residents: ~50k approved products, ``50,000 f^0.5`` where
    ``f`` is the share of Korea's residents (at least 10)."""
    growth: float = national_share(scale) ** 0.5
    return max(10, round(50_000 * growth))


def build(world: World) -> pl.DataFrame:
    """Medicines of the pharmaceutical businesses."""
    rng = world.rng(SPEC.name)
    ref = world.ref
    n = world.rows["medicine"]
    biz = world.frame("business")
    pharma = np.flatnonzero(biz["_role"].to_numpy() == "pharma")
    if len(pharma) == 0:
        pharma = np.flatnonzero(biz["status"].to_numpy() == "active")[:1]
    maker = pharma[weighted(rng, 1.0 / (1.0 + rng.permutation(len(pharma))) ** 0.8, n)]
    ingredient = rng.integers(0, len(cat.INGREDIENTS), n)
    ing = [cat.INGREDIENTS[k] for k in ingredient]
    strength = [x.strengths[rng.integers(0, len(x.strengths))] for x in ing]
    form = np.array([x.forms[rng.integers(0, len(x.forms))] for x in ing])
    ending = np.array(cat.BRAND_ENDINGS)[rng.integers(0, len(cat.BRAND_ENDINGS), n)]
    stem = np.array([x.name[:2] for x in ing])
    suffix = np.array([cat.FORM_SUFFIX[f] for f in form])
    name = np.char.add(
        np.char.add(np.char.add(stem, ending), suffix),
        np.array([s.replace("mg", "밀리그램") for s in strength]),
    )
    approval = ref - 1 - (np.minimum(rng.exponential(12, n), 55) * 365.25).astype(np.int64)
    year = approval.astype("datetime64[Y]").astype(np.int64) + 1970
    years, year_idx = np.unique(year, return_inverse=True)
    serial = rank_within(year) + rng.integers(1, 3000, len(years))[year_idx]
    product = concat(pl.Series(year).cast(pl.Utf8), zfill(np.minimum(serial, 99999), 5))
    # each manufacturer owns a GS1 company prefix; items are numbered within it
    prefixes = rng.permutation(np.arange(1000, 10000))[: len(pharma)]
    company = prefixes[np.searchsorted(pharma, maker)]
    item = rank_within(company) + rng.integers(1, 5000, 10000)[company]
    u = rng.random(n)
    status = np.where(u < 0.85, "approved", np.where(u < 0.93, "cancelled", "withdrawn"))
    status_date = between(rng, approval + 1, np.full(n, ref))
    return pl.DataFrame(
        {
            "product_code": product,
            "standard_code": num.gtin13_many(company, item),
            "name": name,
            "manufacturer_brn": biz["brn"].gather(maker),
            "manufacturer_name": biz["trade_name"].gather(maker),
            "ingredient": [f"{x.name} {s}" for x, s in zip(ing, strength, strict=True)],
            "dosage_form": form,
            "otc_kind": np.where([x.otc for x in ing], "otc", "prescription"),
            "atc_code": [x.atc for x in ing],
            "approval_date": dates(approval),
            "status": status,
            "status_date": dates(status_date, status == "approved"),
        }
    )


BUILDER: Final = register(
    Builder(SPEC.name, build, seed_key=12, needs=("business",), spec=SPEC, rows=planned)
)
