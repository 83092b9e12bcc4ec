"""The cadastre: every parcel of every legal dong, before parcels have owners.

A stage, not a dataset: addresses, buildings, farm businesses and land parcels
all stand on the same parcels, but the parcels' owners (residents and
corporations) live at addresses, so the parcels are laid out first and the
owners added by :mod:`entities.synthetic.builders.land_parcel`.

Each parcel has its PNU, lot number, land category, area, official price, use
zone and status; the parcels that get a road-name address (``_addressed``)
carry the kind of what stands there (``_akind``: apartment complex, house,
shop, factory ...), which the address and building builders follow. The stage
belongs to ``land_parcel`` and draws from its seed key, stream 0.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities.synthetic.builders import Builder, register
from entities.synthetic.draws import (
    Floats,
    Ints,
    between,
    choice,
    concat,
    dates,
    lognormal,
    nullable,
    zfill,
)
from entities.synthetic.world import World

CADASTRE: Final = "cadastre"
"""The name of the stage, for the builders that need it."""

#: Address kinds (what stands at the address) by urban and rural legal dongs.
ADDRESS_KINDS: Final[tuple[dict[str, float], dict[str, float]]] = (
    {"apt": 1.5, "villa": 10, "house": 40, "shop": 28, "office": 5, "factory": 4,
     "warehouse": 1.5, "school": 1, "religious": 2, "parking": 1, "gas": 0.5,
     "sports": 0.5, "civic": 5},
    {"apt": 0.3, "villa": 1.2, "house": 70.5, "shop": 12, "office": 1, "factory": 5,
     "warehouse": 3, "school": 1, "religious": 2, "parking": 0.5, "gas": 1, "sports": 0.5,
     "civic": 2},
)  # fmt: skip
_KIND_CATEGORY: Final[dict[str, str]] = {
    "apt": "building_site", "villa": "building_site", "house": "building_site",
    "shop": "building_site", "office": "building_site", "civic": "building_site",
    "factory": "factory_site", "warehouse": "warehouse_site", "school": "school_site",
    "religious": "religious_site", "parking": "parking_lot", "gas": "gas_station_site",
    "sports": "sports_site",
}  # fmt: skip
#: Land categories of parcels without an address (urban, rural), relative weights.
_OTHER_CATEGORIES: Final[tuple[dict[str, float], dict[str, float]]] = (
    {"road": 35, "building_site": 18, "dry_field": 10, "forest": 8, "park": 4,
     "school_site": 1, "river": 3, "ditch": 3, "miscellaneous": 4, "parking_lot": 2,
     "sports_site": 1, "religious_site": 1, "railway_site": 2, "embankment": 1,
     "waterworks_site": 1, "recreation_site": 0.5, "historic_site": 0.5, "cemetery": 1,
     "paddy": 3, "warehouse_site": 1},
    {"dry_field": 26, "paddy": 26, "forest": 15, "road": 9, "ditch": 4, "orchard": 4,
     "building_site": 4, "river": 2, "pasture": 2, "miscellaneous": 1.5, "cemetery": 1.5,
     "reservoir": 1, "warehouse_site": 1, "fish_farm": 0.5, "embankment": 1,
     "mineral_spring": 0.1, "salt_field": 0.3, "factory_site": 1},
)  # fmt: skip
#: Median area (m²) and log-sd by land category; addressed sites by address kind.
_AREA: Final[dict[str, tuple[float, float]]] = {
    "apt": (15000, 0.6), "villa": (400, 0.4), "house": (230, 0.5), "shop": (330, 0.6),
    "office": (1200, 0.7), "civic": (1500, 0.7), "factory": (3300, 0.8),
    "warehouse": (1500, 0.7), "school": (12000, 0.5), "religious": (800, 0.6),
    "parking": (600, 0.6), "gas": (1000, 0.4), "sports": (5000, 0.8),
    "dry_field": (1200, 0.8), "paddy": (1800, 0.7), "orchard": (2500, 0.7),
    "pasture": (5000, 0.9), "forest": (15000, 1.2), "road": (350, 1.0), "river": (3000, 1.0),
    "ditch": (400, 0.9), "reservoir": (2000, 1.0), "embankment": (800, 0.8),
    "park": (5000, 1.0), "cemetery": (800, 0.8), "miscellaneous": (900, 0.9),
    "building_site": (300, 0.6), "railway_site": (2500, 1.0), "waterworks_site": (1000, 0.8),
    "recreation_site": (8000, 1.0), "historic_site": (3000, 1.0), "fish_farm": (3000, 0.8),
    "salt_field": (10000, 0.8), "mineral_spring": (500, 0.5), "school_site": (12000, 0.5),
    "parking_lot": (600, 0.6), "sports_site": (5000, 0.8), "religious_site": (800, 0.6),
    "warehouse_site": (1500, 0.7), "factory_site": (3300, 0.8),
}  # fmt: skip
#: Official land price (KRW/m², urban median) by land category group.
_PRICE: Final[dict[str, float]] = {
    "building_site": 1_500_000, "factory_site": 600_000, "warehouse_site": 500_000,
    "school_site": 900_000, "religious_site": 900_000, "parking_lot": 1_000_000,
    "gas_station_site": 1_200_000, "sports_site": 500_000, "dry_field": 90_000,
    "paddy": 70_000, "orchard": 70_000, "pasture": 40_000, "forest": 15_000,
    "road": 300_000, "river": 30_000, "ditch": 60_000, "reservoir": 30_000,
    "embankment": 50_000, "park": 300_000, "cemetery": 40_000, "miscellaneous": 250_000,
    "railway_site": 200_000, "waterworks_site": 150_000, "recreation_site": 200_000,
    "historic_site": 100_000, "fish_farm": 60_000, "salt_field": 30_000,
    "mineral_spring": 100_000,
}  # fmt: skip
_SIDO_PRICE: Final[dict[str, float]] = {
    "11": 8.0, "41": 2.5, "28": 2.0, "26": 2.0, "27": 1.6, "30": 1.4, "29": 1.3, "31": 1.3,
    "36": 1.5, "50": 1.0,
}  # fmt: skip
#: Land categories mostly owned by the state (roads, rivers, parks ...).
PUBLIC_LAND: Final = frozenset(
    {"road", "river", "ditch", "embankment", "railway_site", "waterworks_site", "park"}
)
#: Use zones by (land group, rural).
_ZONES: Final[dict[tuple[str, bool], dict[str, float]]] = {
    ("res", False): {"residential_general_1": 25, "residential_general_2": 35,
                     "residential_general_3": 20, "residential_semi": 8,
                     "residential_exclusive_1": 2, "commercial_neighbourhood": 5,
                     "green_natural": 5},
    ("res", True): {"management_planned": 40, "management_production": 20,
                    "agricultural_forest": 20, "residential_general_1": 20},
    ("com", False): {"commercial_general": 35, "commercial_neighbourhood": 20,
                     "commercial_central": 8, "residential_semi": 17,
                     "residential_general_2": 15, "commercial_distribution": 5},
    ("com", True): {"management_planned": 50, "residential_general_1": 30,
                    "commercial_neighbourhood": 20},
    ("ind", False): {"industrial_general": 40, "industrial_semi": 40,
                     "industrial_exclusive": 5, "green_natural": 15},
    ("ind", True): {"management_planned": 60, "industrial_general": 25,
                    "management_production": 15},
    ("farm", False): {"green_natural": 60, "green_production": 40},
    ("farm", True): {"agricultural_forest": 50, "management_production": 25,
                     "management_planned": 15, "green_production": 10},
    ("forest", False): {"green_natural": 70, "green_conservation": 30},
    ("forest", True): {"agricultural_forest": 50, "management_conservation": 25,
                       "nature_conservation": 10, "green_natural": 15},
    ("other", False): {"residential_general_2": 30, "green_natural": 30,
                       "commercial_general": 10, "residential_general_1": 30},
    ("other", True): {"management_planned": 40, "agricultural_forest": 40,
                      "management_conservation": 20},
}  # fmt: skip


def build(world: World) -> pl.DataFrame:
    """Parcels without owners; addressed parcels carry the kind of what stands there."""
    rng = world.rng(CADASTRE, 0)
    units, _ = world.geo()
    n_addr, n_all = world.rows["address"], world.rows["land_parcel"]
    weight = units["weight"].to_numpy()
    rural = units["rural"].to_numpy()
    addr = rng.multinomial(n_addr, _norm(weight * np.where(rural, 2.5, 1.0)))
    other = rng.multinomial(n_all - n_addr, _norm(weight * np.where(rural, 8.0, 1.0)))
    total = addr + other
    unit = np.repeat(np.arange(len(units)), total)
    start = np.repeat(np.cumsum(total) - total, total)
    addressed = (np.arange(n_all) - start) < np.repeat(addr, total)
    rural_p = rural[unit]

    kind = np.full(n_all, "", dtype="U9")
    for flag, table in zip((False, True), ADDRESS_KINDS, strict=True):
        mask = addressed & (rural_p == flag)
        kind[mask] = choice(rng, table, int(mask.sum()))
    category = np.full(n_all, "", dtype="U20")
    for k, c in _KIND_CATEGORY.items():
        category[kind == k] = c
    for flag, table in zip((False, True), _OTHER_CATEGORIES, strict=True):
        mask = ~addressed & (rural_p == flag)
        category[mask] = choice(rng, table, int(mask.sum()))

    mountain = ((category == "forest") & (rng.random(n_all) < 0.9)) | (
        (category == "cemetery") & (rng.random(n_all) < 0.4)
    )
    main, sub = _lot_numbers(rng, unit * 2 + mountain)
    ldong = units["ldong"].to_numpy().astype(np.str_)[unit]
    land_kind = np.where(mountain, "2", "1")
    pnu = concat(ldong, land_kind, zfill(main, 4), zfill(sub, 4))
    lot = concat(
        np.where(mountain, "산", ""),
        pl.Series(main).cast(pl.Utf8),
        pl.Series(np.where(sub > 0, np.char.add("-", sub.astype(np.str_)), "")),
    )

    area_key = np.where(addressed, kind, category)
    median = np.array([_AREA[k][0] for k in area_key])
    sigma = np.array([_AREA[k][1] for k in area_key])
    area = np.round(np.maximum(lognormal(rng, median, sigma), 15.0), 1)

    sido = units["sido"].to_numpy().astype(np.str_)[unit]
    price = np.array([_PRICE[c] for c in category]) * np.array(
        [_SIDO_PRICE.get(s, 0.6) for s in sido]
    )
    price = price * np.where(rural_p, 0.15, 1.0)
    price = np.round(lognormal(rng, price, np.full(n_all, 0.5)), -1).astype(np.int64)
    public_land = np.isin(category, list(PUBLIC_LAND))
    no_price = (public_land & (rng.random(n_all) < 0.7)) | (rng.random(n_all) < 0.01)

    group = np.full(n_all, "other", dtype="U6")
    group[np.isin(kind, ["apt", "villa", "house"])] = "res"
    group[
        np.isin(
            kind, ["shop", "office", "civic", "religious", "school", "parking", "gas", "sports"]
        )
    ] = "com"
    group[np.isin(category, ["factory_site", "warehouse_site"])] = "ind"
    group[np.isin(category, ["dry_field", "paddy", "orchard", "pasture", "fish_farm"])] = "farm"
    group[np.isin(category, ["forest", "cemetery"])] = "forest"
    zone = np.full(n_all, "", dtype="U26")
    for (g, flag), table in _ZONES.items():
        mask = (group == g) & (rural_p == flag)
        zone[mask] = choice(rng, table, int(mask.sum()))
    no_zone = rng.random(n_all) < 0.02

    ended = ~addressed & (rng.random(n_all) < 0.035)
    status = np.where(
        ended, choice(rng, {"merged": 35, "split": 35, "closed": 30}, n_all), "active"
    )
    status_date = between(rng, np.datetime64("1995-01-01"), world.ref)
    return pl.DataFrame(
        {
            "pnu": pnu,
            "legal_dong_code": ldong,
            "lot_number": lot,
            "land_category": category,
            "area_m2": area,
            "official_price_per_m2": pl.select(
                pl.when(pl.Series(no_price)).then(None).otherwise(pl.Series(price))
            ).to_series(),
            "price_base_year": pl.select(
                pl.when(pl.Series(no_price)).then(None).otherwise(pl.lit(int(str(world.ref)[:4])))
            ).to_series(),
            "use_zone": nullable(zone, no_zone),
            "status": status,
            "status_date": dates(status_date, ~ended),
            "region_code": units["region"].to_numpy().astype(np.str_)[unit],
            "_unit": unit,
            "_addressed": addressed,
            "_akind": kind,
            "_rural": rural_p,
        }
    )


def _norm(weights: Floats) -> Floats:
    return np.asarray(weights / weights.sum())


def _lot_numbers(rng: np.random.Generator, group: Ints) -> tuple[Ints, Ints]:
    """Distinct (main, sub) lot numbers within each group, dense like a real cadastre."""
    n = len(group)
    order = np.lexsort((rng.random(n), group))
    g = group[order]
    first = np.r_[True, g[1:] != g[:-1]]
    new_main = first | (rng.random(n) < 0.62)
    step = np.where(new_main, rng.choice(np.array([1, 1, 1, 2, 3]), n), 0)
    cum = np.cumsum(step)
    start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    main_sorted = cum - cum[start] + 1
    main_start = np.maximum.accumulate(np.where(new_main, np.arange(n), 0))
    sub_sorted = np.arange(n) - main_start
    wrap = (main_sorted - 1) // 9999  # past 9999 main lots: reuse mains with 1000+ subs
    main_sorted = (main_sorted - 1) % 9999 + 1
    sub_sorted = sub_sorted + wrap * 1000
    main = np.empty(n, dtype=np.int64)
    sub = np.empty(n, dtype=np.int64)
    main[order] = main_sorted
    sub[order] = sub_sorted
    return main, sub


BUILDER: Final = register(Builder(CADASTRE, build, seed_key=0))  # land_parcel's key, stream 0
