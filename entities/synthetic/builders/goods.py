"""The procurement goods catalogue (Public Procurement Service).

Goods are made by the businesses with the maker role (each with a line of
neighbouring classes and its own model numbers) or by foreign makers (no
business registration number).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities import identifiers
from entities.goods import SPEC
from entities.synthetic import catalogue as cat
from entities.synthetic.builders import Builder, register
from entities.synthetic.draws import between, dates, lognormal, nullable
from entities.synthetic.world import World, national_share


def planned(scale: int) -> int:
    """Goods for ``scale`` residents: the PPS catalogue, ``600,000 f^0.75`` where ``f`` is
    the share of Korea's residents (at least 10)."""
    growth: float = national_share(scale) ** 0.75
    return max(10, round(600_000 * growth))


def build(world: World) -> pl.DataFrame:
    """Goods of the maker businesses and of foreign makers."""
    rng = world.rng(SPEC.name)
    ref = world.ref
    n = world.rows["goods"]
    biz = world.frame("business")
    makers = np.flatnonzero(biz["_role"].to_numpy() == "maker")
    foreign = rng.random(n) < 0.15
    if len(makers) == 0:
        foreign[:] = True
    maker = makers[rng.integers(0, max(len(makers), 1), n)] if len(makers) else np.zeros(n, int)
    # each maker has a line of neighbouring classes; foreign makers sell anything
    n_cls = len(cat.GOODS_CLASSES)
    home = rng.integers(0, n_cls, len(biz))
    cls = np.where(
        foreign, rng.integers(0, n_cls, n), (home[maker] + rng.integers(0, 3, n)) % n_cls
    )
    spec_text = []
    model_serial: dict[tuple[int, str], int] = {}
    models = []
    foreign_maker = rng.integers(0, len(cat.FOREIGN_MAKERS), n)
    for i in range(n):
        gc = cat.GOODS_CLASSES[cls[i]]
        parts = [opts[rng.integers(0, len(opts))] for opts in gc.specs]
        spec_text.append(", ".join(parts))
        key = (-1 - int(foreign_maker[i]) if foreign[i] else int(maker[i]), gc.prefix)
        serial = model_serial.get(key, int(rng.integers(100, 900)) * 10)
        serial += int(rng.integers(1, 40))
        model_serial[key] = serial
        models.append(f"{gc.prefix}-{serial}{'ABCDEFGHJK'[int(rng.integers(0, 10))]}")
    price = np.array([cat.GOODS_CLASSES[c].price for c in cls], dtype=np.float64)
    price = np.maximum(np.round(lognormal(rng, price, np.full(n, 0.35)), -1), 10)
    registered = between(rng, np.datetime64("2005-01-01"), np.full(n, ref - 1))
    discontinued = rng.random(n) < 0.12
    status_date = between(rng, registered + 1, np.full(n, ref))
    maker_name = np.where(
        foreign,
        np.array(cat.FOREIGN_MAKERS)[foreign_maker],
        biz["trade_name"].to_numpy().astype(np.str_)[maker],
    )
    maker_brn = biz["brn"].to_numpy().astype(np.str_)[maker]
    return pl.DataFrame(
        {
            "goods_id": identifiers.VALIDATORS["goods_id"].generate_many(rng, n, unique=True),
            "classification_code": np.array([g.code for g in cat.GOODS_CLASSES])[cls],
            "name": np.array([g.name for g in cat.GOODS_CLASSES])[cls],
            "model_name": models,
            "specification": spec_text,
            "maker_brn": nullable(maker_brn, foreign),
            "maker_name": maker_name,
            "unit": np.array([g.unit for g in cat.GOODS_CLASSES])[cls],
            "unit_price": price.astype(np.int64),
            "registered_date": dates(registered),
            "status": np.where(discontinued, "discontinued", "active"),
            "status_date": dates(status_date, ~discontinued),
        }
    )


BUILDER: Final = register(
    Builder(SPEC.name, build, seed_key=11, needs=("business",), spec=SPEC, rows=planned)
)
