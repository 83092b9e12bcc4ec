"""Designated hazardous substances (Ministry of Environment).

The catalogue's real substances first, then composed names with fresh valid
CAS numbers; classes follow the 2025 law (acute, chronic, ecotoxic) for new
designations and the old classes before it.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities import identifiers
from entities.hazardous_substance import SPEC
from entities.synthetic import catalogue as cat
from entities.synthetic.builders import Builder, register
from entities.synthetic.draws import between, choice, dates
from entities.synthetic.world import World, national_share


def planned(scale: int) -> int:
    """Substances for ``scale`` residents: a few thousand designated, ``3,000 f^0.25``
    where ``f`` is the share of Korea's residents (between 20 and 3,000)."""
    growth: float = national_share(scale) ** 0.25
    return min(3000, max(20, round(3000 * growth)))


def build(world: World) -> pl.DataFrame:
    """The catalogue's substances, then composed ones with fresh CAS numbers."""
    rng = world.rng(SPEC.name)
    ref = world.ref
    n = world.rows["hazardous_substance"]
    curated = cat.SUBSTANCES[: min(n, len(cat.SUBSTANCES))]
    k = n - len(curated)
    combos = [
        (p[0] + b[0] + f[0], p[1] + b[1] + f[1])
        for f in cat.SUBSTANCE_FORMS
        for p in cat.SUBSTANCE_PREFIXES
        for b in cat.SUBSTANCE_BASES
    ]
    picked = rng.permutation(len(combos))[:k]
    known = {s.cas for s in curated}
    generated_cas: list[str] = []
    while len(generated_cas) < k:
        for value in identifiers.VALIDATORS["cas"].generate_many(rng, k, unique=True):
            if value not in known and len(generated_cas) < k:
                known.add(value)
                generated_cas.append(value)
    new_classes = {"acute_human_toxic": 10, "chronic_human_toxic": 8, "ecotoxic": 7}
    old_classes = {
        "toxic": 60,
        "restricted": 5,
        "permitted": 2,
        "prohibited": 3,
        "accident_precaution": 5,
    }
    is_new = rng.random(k) < 0.25
    gen_class = np.where(is_new, choice(rng, new_classes, k), choice(rng, old_classes, k))
    cls = np.r_[np.array([s.hazard_class for s in curated], dtype="U20"), gen_class]
    new_law = np.datetime64("2025-08-07")
    designated = np.where(
        np.r_[np.zeros(len(curated), bool), is_new],
        between(rng, new_law, np.full(n, ref - 1)),
        between(rng, np.datetime64("1991-02-02"), np.full(n, new_law - 1)),
    )
    accident = cls == "accident_precaution"
    designated = np.where(
        accident & (designated < np.datetime64("2015-01-01")),
        np.datetime64("2015-01-01"),
        designated,
    )
    d_year = designated.astype("datetime64[Y]").astype(np.int64) + 1970
    notice = np.where(
        designated >= new_law,
        np.char.add(np.char.add("환경부고시 제", d_year.astype(str)), "-"),
        np.char.add(np.char.add("국립환경과학원고시 제", d_year.astype(str)), "-"),
    )
    notice = np.char.add(np.char.add(notice, rng.integers(1, 120, n).astype(str)), "호")
    threshold = np.where(
        accident, rng.choice(np.array([1000, 2000, 5000, 10000, 20000, 50000, 100000]), n), 0
    )
    content = rng.choice(np.array([0.1, 1.0, 3.0, 5.0, 10.0, 25.0, 70.0]), n)
    delisted = np.r_[np.zeros(len(curated), bool), rng.random(k) < 0.03]
    status_date = between(rng, designated + 1, np.full(n, ref))
    un = [s.un_number for s in curated] + [""] * k
    formula = [s.formula for s in curated] + [""] * k
    return pl.DataFrame(
        {
            "cas_no": [s.cas for s in curated] + generated_cas,
            "name_ko": [s.name_ko for s in curated] + [combos[i][0] for i in picked],
            "name_en": [s.name_en for s in curated] + [combos[i][1] for i in picked],
            "formula": pl.Series(formula, dtype=pl.Utf8).replace("", None),
            "hazard_class": cls,
            "un_number": pl.Series(un, dtype=pl.Utf8).replace("", None),
            "threshold_kg": pl.select(
                pl.when(pl.Series(accident)).then(pl.Series(threshold)).otherwise(None)
            ).to_series(),
            "content_threshold_pct": content,
            "notice_no": notice,
            "designated_date": dates(designated),
            "status": np.where(delisted, "delisted", "designated"),
            "status_date": dates(status_date, ~delisted),
        }
    )


BUILDER: Final = register(Builder(SPEC.name, build, seed_key=13, needs=(), spec=SPEC, rows=planned))
