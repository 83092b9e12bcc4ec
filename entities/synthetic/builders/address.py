"""Road-name addresses (MOIS), one per addressed parcel of the cadastre.

Each addressed parcel of the :mod:`~entities.synthetic.builders.cadastre` gets
an address on a road of its legal dong, numbered upwards along the road (shared
main numbers get sub-numbers), with its postal code from the legal dong's range
and the name of what stands there. :func:`addresses_for` is how other builders
choose addresses: by the kind of what stands there, never an abolished one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import polars as pl

from entities.address import SPEC
from entities.synthetic import korean as ko
from entities.synthetic.builders import Builder, register
from entities.synthetic.builders.cadastre import CADASTRE
from entities.synthetic.draws import (
    Floats,
    Strs,
    between,
    concat,
    dates,
    nullable,
    pick_within,
    zfill,
)
from entities.synthetic.world import World, per_resident

RATIO: Final = 0.125
"""Addresses per resident: ~6.4M road-name addresses nationally."""


def planned(scale: int) -> int:
    """Addresses for ``scale`` residents (at least 20)."""
    return per_resident(scale, RATIO, 20)


def build(world: World) -> pl.DataFrame:
    """One address per addressed parcel of the cadastre, on a road of its legal dong."""
    rng = world.rng(SPEC.name)
    units, roads = world.geo()
    parcels = world.frame(CADASTRE).filter(pl.col("_addressed"))
    n = len(parcels)
    unit = parcels["_unit"].to_numpy()
    kind = parcels["_akind"].to_numpy().astype(np.str_)
    road = pick_within(rng, roads["unit"].to_numpy(), roads["weight"].to_numpy(), unit)
    # number the addresses along each road: ascending mains, sub-numbers for shared mains
    gap = rng.choice(np.array([0, 1, 2, 2, 2, 4, 6]), n)
    order = np.lexsort((rng.random(n), road))
    r_sorted = road[order]
    first = np.r_[True, r_sorted[1:] != r_sorted[:-1]]
    g_sorted = np.where(first, 1 + rng.integers(0, 12, n), gap[order])
    cum = np.cumsum(g_sorted)
    group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    main_sorted = cum - cum[group_start] + g_sorted[group_start]
    new_main = first | (g_sorted > 0)
    main_start = np.maximum.accumulate(np.where(new_main, np.arange(n), 0))
    sub_sorted = np.arange(n) - main_start
    main = np.empty(n, dtype=np.int64)
    sub = np.empty(n, dtype=np.int64)
    main[order] = np.minimum(main_sorted, 99999)
    sub[order] = sub_sorted
    underground = (kind == "shop") & (rng.random(n) < 0.02)

    r_name = roads["road_name"].to_numpy().astype(np.str_)[road]
    r_no = roads["road_no"].to_numpy()[road]
    region = units["region"].to_numpy().astype(np.str_)[unit]
    emd = units["emd"].to_numpy().astype(np.str_)[unit]
    address_id = concat(
        region,
        emd,
        zfill(r_no, 7),
        np.where(underground, "1", "0"),
        zfill(main, 5),
        zfill(sub, 5),
    )
    sgg_idx = units["sgg"].to_numpy()[unit]
    sgg_name = np.array([s.name for s in ko.SIGUNGU])[sgg_idx]
    sido_name = np.array([ko.SIDO[s.code[:2]].name for s in ko.SIGUNGU])[sgg_idx]
    emd_name = units["emd_name"].to_numpy().astype(np.str_)[unit]
    eupmyeon = units["eupmyeon"].to_numpy()[unit]
    number = concat(
        pl.Series(main).cast(pl.Utf8),
        pl.Series(np.where(sub > 0, np.char.add("-", sub.astype(np.str_)), "")),
    )
    full = concat(
        sido_name,
        pl.Series(np.where(sgg_name == sido_name, "", " " + sgg_name)),
        pl.Series(np.where(eupmyeon, " " + emd_name, "")),
        " ",
        r_name,
        pl.Series(np.where(underground, " 지하 ", " ")),
        number,
    )
    postal = units["postal_base"].to_numpy()[unit] + (
        rng.random(n) * units["postal_span"].to_numpy()[unit]
    ).astype(np.int64)

    abolished = np.isin(kind, ["house", "shop"]) & (rng.random(n) < 0.012)
    assigned = np.where(
        rng.random(n) < 0.7,
        np.datetime64("2011-07-29"),
        between(rng, np.datetime64("2011-07-30"), world.ref - 30),
    )
    status_date = np.where(abolished, between(rng, assigned + 1, world.ref), assigned)
    return pl.DataFrame(
        {
            "road_address_id": address_id,
            "road_name": r_name,
            "building_main_no": main,
            "building_sub_no": sub,
            "underground": underground,
            "sido": sido_name,
            "sigungu": sgg_name,
            "eupmyeondong": emd_name,
            "legal_dong_code": parcels["legal_dong_code"],
            "postal_code": zfill(postal, 5),
            "building_name": _building_names(rng, kind, emd_name),
            "pnu": parcels["pnu"],
            "full_address": full,
            "status": np.where(abolished, "abolished", "active"),
            "status_date": dates(status_date.astype("datetime64[D]")),
            "region_code": region,
            "_unit": unit,
            "_akind": kind,
            "_sido": np.array([s.code[:2] for s in ko.SIGUNGU])[sgg_idx],
            "_parcel_area": parcels["area_m2"],
        }
    )


def addresses_for(world: World, weights: dict[str, float]) -> tuple[Floats, pl.DataFrame]:
    """Per-address weight from its kind (abolished addresses get none)."""
    address = world.frame("address")
    kind = address["_akind"].to_numpy().astype(np.str_)
    w = np.zeros(len(address))
    for k, v in weights.items():
        w[kind == k] = v
    w[address["status"].to_numpy() != "active"] = 0.0
    return w, address


def _building_names(rng: np.random.Generator, kind: Strs, dong_name: Strs) -> pl.Series:
    """Names of what stands at each address: complexes, villas, buildings, schools ..."""
    n = len(kind)
    place = np.array([d[:-1] for d in dong_name]) if n else np.zeros(0, dtype=np.str_)
    stem = np.array(ko.NAME_STEMS)[rng.integers(0, len(ko.NAME_STEMS), n)]
    brand = np.array(ko.APARTMENT_BRANDS)[rng.integers(0, len(ko.APARTMENT_BRANDS), n)]
    u = rng.random(n)
    numbered = rng.integers(1, 6, n).astype(str)
    apt = np.select(
        [u < 0.35, u < 0.65, u < 0.85],
        [
            np.char.add(place, brand),
            np.char.add(np.char.add(brand, " "), place),
            np.char.add(np.char.add(np.char.add(place, brand), numbered), "차"),
        ],
        np.char.add(np.char.add(np.char.add(place, "주공"), numbered), "단지"),
    )
    pick = rng.integers(0, 1000, n)

    def suffixes(options: Sequence[str]) -> Strs:
        return np.array(options)[pick % len(options)]

    villa = np.char.add(stem, suffixes(ko.VILLA_SUFFIXES))
    commercial = np.char.add(stem, suffixes(ko.COMMERCIAL_SUFFIXES))
    school = np.char.add(place, suffixes(("초등학교", "중학교", "고등학교")))
    religious = np.char.add(place, suffixes(("교회", "성당", "사")))
    civic = np.char.add(place, suffixes(("주민센터", "우체국", "보건지소", "노인복지관", "도서관")))
    names = np.select(
        [kind == "apt", kind == "villa", np.isin(kind, ["shop", "office"]), kind == "school",
         kind == "religious", kind == "civic", kind == "gas", kind == "parking",
         kind == "sports", kind == "warehouse"],
        [apt, villa, commercial, school, religious, civic, np.char.add(stem, "주유소"),
         np.char.add(place, "공영주차장"), np.char.add(place, "체육관"),
         np.char.add(stem, "물류센터")],
        "",
    )  # fmt: skip
    keep = np.select(
        [np.isin(kind, ["apt", "villa", "school", "civic", "gas", "parking", "sports"]),
         np.isin(kind, ["shop", "office"]), kind == "religious", kind == "warehouse"],
        [np.ones(n, bool), u < 0.5, u < 0.8, u < 0.3],
        False,
    )  # fmt: skip
    return nullable(names, ~keep)


BUILDER: Final = register(
    Builder(SPEC.name, build, seed_key=1, needs=(CADASTRE,), spec=SPEC, rows=planned)
)
