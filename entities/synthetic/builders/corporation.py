"""Corporations (court registry), with a representative who is a living resident.

Some corporations have a role the later datasets need: pharmaceutical companies
make the medicines, makers the goods (their numbers follow the planned rows of
``medicine`` and ``goods``); they stay active. Head offices are at office,
shop or factory addresses, Seoul weighted.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities import identifiers
from entities.corporation import SPEC
from entities.synthetic import korean as ko
from entities.synthetic.builders import Builder, register
from entities.synthetic.builders.address import addresses_for
from entities.synthetic.builders.resident import people_weights
from entities.synthetic.draws import between, choice, dates, weighted
from entities.synthetic.world import World, per_resident

RATIO: Final = 0.0216
"""Corporations per resident: ~1.1M registered corporations."""


def planned(scale: int) -> int:
    """Corporations for ``scale`` residents (at least 10)."""
    return per_resident(scale, RATIO, 10)


def build(world: World) -> pl.DataFrame:
    """Corporations, the pharmaceutical companies and makers first (before shuffling)."""
    rng = world.rng(SPEC.name)
    n = world.rows["corporation"]
    ref = world.ref
    n_pharma = min(n // 3, max(3, round(world.rows["medicine"] / 40)))
    n_maker = min(n // 3, max(2, round(world.rows["goods"] / 16)))
    role = np.full(n, "", dtype="U6")
    role[:n_pharma] = "pharma"
    role[n_pharma : n_pharma + n_maker] = "maker"
    kind = choice(
        rng,
        {"stock_company": 92.5, "limited_company": 4, "limited_liability_company": 0.5,
         "limited_partnership": 0.3, "general_partnership": 0.2,
         "incorporated_association": 1.0, "incorporated_foundation": 0.8,
         "cooperative": 0.5, "foreign_company": 0.2},
        n,
    )  # fmt: skip
    kind[role != ""] = "stock_company"
    stem = np.array(ko.NAME_STEMS)[rng.integers(0, len(ko.NAME_STEMS), n)]
    word = np.array(ko.CORPORATION_WORDS, dtype="U16")[
        rng.integers(0, len(ko.CORPORATION_WORDS), n)
    ]
    word[role == "maker"] = np.array(ko.MAKER_WORDS)[
        rng.integers(0, len(ko.MAKER_WORDS), int((role == "maker").sum()))
    ]
    word[role == "pharma"] = np.array(ko.PHARMA_WORDS)[
        rng.integers(0, len(ko.PHARMA_WORDS), int((role == "pharma").sum()))
    ]
    assoc = kind == "incorporated_association"
    found = kind == "incorporated_foundation"
    word[assoc] = np.array(ko.ASSOCIATION_WORDS)[
        rng.integers(0, len(ko.ASSOCIATION_WORDS), int(assoc.sum()))
    ]
    word[found] = np.array(ko.FOUNDATION_WORDS)[
        rng.integers(0, len(ko.FOUNDATION_WORDS), int(found.sum()))
    ]
    word[kind == "cooperative"] = "협동조합"
    region_word = np.where(
        rng.random(n) < 0.15,
        np.array([s.short for s in ko.SIDO.values()])[rng.integers(0, len(ko.SIDO), n)],
        "",
    )
    base = np.char.add(np.char.add(region_word, stem), word)
    form = rng.random(n)
    stock_name = np.select(
        [form < 0.45, form < 0.6, form < 0.9],
        [np.char.add("(주)", base), np.char.add(base, "(주)"), np.char.add("주식회사 ", base)],
        np.char.add(base, " 주식회사"),
    )
    name = np.select(
        [
            kind == "stock_company",
            kind == "limited_company",
            kind == "limited_liability_company",
            kind == "limited_partnership",
            kind == "general_partnership",
            assoc,
            found,
            kind == "foreign_company",
        ],
        [
            stock_name,
            np.char.add("유한회사 ", base),
            np.char.add(base, " 유한책임회사"),
            np.char.add("합자회사 ", base),
            np.char.add("합명회사 ", base),
            np.char.add("사단법인 ", base),
            np.char.add("재단법인 ", base),
            np.char.add(base, " 한국지점"),
        ],
        base,
    )

    res = world.frame("resident")
    rep = weighted(rng, people_weights(world, 30, lambda a: np.where(a < 75, 1.0, 0.2)), n)
    w, address = addresses_for(world, {"office": 10, "shop": 2, "factory": 1, "civic": 0.5})
    w = w * np.where(address["_sido"].to_numpy() == "11", 3.0, 1.0)
    office = weighted(rng, w, n)
    factories, _ = addresses_for(world, {"factory": 1})
    if factories.sum() > 0:
        makers = np.flatnonzero(role == "maker")
        office[makers] = weighted(rng, factories, len(makers))
    established = ref - (np.minimum(rng.exponential(11, n), 70) * 365.25).astype(np.int64) - 1
    established = np.minimum(established, ref - 60)
    capital = np.round(np.exp(rng.normal(np.log(5e7), 1.4, n)), -6).astype(np.int64)
    capital = np.maximum(capital, 1_000_000)
    no_capital = np.isin(kind, ["incorporated_association", "incorporated_foundation"])
    status = choice(rng, {"active": 88, "dissolved": 6, "liquidated": 4, "merged": 2}, n)
    status[role != ""] = "active"
    status_date = between(rng, established + 30, np.full(n, ref))
    crn = identifiers.VALIDATORS["crn"].generate_many(rng, n, unique=True)
    shuffled = rng.permutation(n)
    return pl.DataFrame(
        {
            "crn": crn,
            "name": name,
            "corp_kind": kind,
            "representative_name": res["name"].gather(rep),
            "head_office_address_id": address["road_address_id"].gather(office),
            "established_date": dates(established),
            "capital": pl.select(
                pl.when(pl.Series(no_capital)).then(None).otherwise(pl.Series(capital))
            ).to_series(),
            "status": status,
            "status_date": dates(status_date, status == "active"),
            "region_code": address["region_code"].gather(office),
            "_role": role,
            "_word": word,
            "_rep_rrn": res["rrn"].gather(rep),
            "_status_date": dates(status_date),
            "_unit": address["_unit"].gather(office),
        }
    )[shuffled]


BUILDER: Final = register(
    Builder(SPEC.name, build, seed_key=4, needs=("resident", "address"), spec=SPEC, rows=planned)
)
