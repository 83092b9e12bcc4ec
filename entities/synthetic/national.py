"""A consistent synthetic national snapshot of the 14 master datasets.

:class:`World` builds every dataset as a polars frame from one seed, so that
every reference resolves and the integrity rules hold:

- people live at addresses that exist, every address stands on a parcel in its
  own legal dong, buildings stand on active parcels at their address;
- vehicles, businesses, licences and farm businesses belong to residents and
  corporations that exist; only living residents hold valid licences or own
  registered vehicles; licence holders were old enough for their licence kind;
- statuses and their dates are coherent (a status date never precedes the
  birth, establishment or opening it follows; closed businesses have no active
  workplace; businesses of dissolved corporations are closed);
- region codes agree with legal-dong codes and PNUs;
- every identifier passes :func:`entities.identifiers.check` without a warning.

Sizes follow Korean national figures per resident (:data:`RATIOS`, see
:func:`planned_rows`); the catalogues of goods, medicines and hazardous
substances are national lists, so they grow sub-linearly.

Randomness: each dataset draws from ``numpy.random.default_rng([seed, i, s])``
where ``i`` is its position in :data:`entities.registry.DATASETS` and ``s`` a
stream number, and the shared geography from ``[seed, 100]``. A dataset
therefore depends only on the seed and the datasets it refers to, never on
which other datasets are generated, and the same seed gives the same frames.

Dates are relative to :data:`REFERENCE_DATE`, not today, so output is
reproducible. Validity periods that are active (licence expiry, a foreigner's
stay) end at least 400 days after it, so the snapshot stays integrity-clean for
a year after the reference date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl

from entities import identifiers
from entities.licence import MINIMUM_AGE
from entities.registry import DATASETS, get_dataset
from entities.synthetic import catalogue as cat
from entities.synthetic import korean as ko
from entities.synthetic import numbers as num
from entities.vocabulary import codes

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Idx = npt.NDArray[np.intp]
Days = npt.NDArray[np.datetime64]
Strs = npt.NDArray[np.str_]
AnyFloats = npt.NDArray[np.floating[Any]]
DayLike = Days | np.datetime64

REFERENCE_DATE: Final = dt.date(2026, 11, 1)
"""The day the snapshot describes; every generated date is on or before it."""

NATIONAL_RESIDENTS: Final = 51_200_000
"""Resident-registered population of Korea the national figures below refer to."""

RATIOS: Final[dict[str, float]] = {
    "foreign_resident": 0.025,  # ~2.7M foreigners staying; registered long-stay ~2.5%
    "address": 0.125,  # ~6.4M road-name addresses
    "land_parcel": 0.30,  # ~39M parcels (0.76/resident); 0.30 keeps the run fast
    "corporation": 0.0216,  # ~1.1M registered corporations
    "business": 0.196,  # ~10M registered businesses
    "workplace": 0.057,  # ~2.9M insured workplaces
    "vehicle": 0.51,  # ~26M registered vehicles
    "licence": 0.667,  # ~34M driver licences
    "farm_business": 0.033,  # ~1.7M farm businesses
}
"""Rows per resident (national count / 51.2M residents)."""

MINIMUM_ROWS: Final[dict[str, int]] = {
    "foreign_resident": 5, "address": 20, "corporation": 10, "business": 20, "workplace": 5,
    "vehicle": 10, "licence": 3, "farm_business": 3, "goods": 10, "medicine": 10,
    "hazardous_substance": 20,
}  # fmt: skip
"""Floors so that every dataset has rows even at tiny scales."""

BUILDINGS_PER_ADDRESS: Final = 1.2
"""Expected buildings per address (apartment complexes have many blocks, ~0.15/resident)."""

GENERATION_ORDER: Final[tuple[str, ...]] = (
    "address", "resident", "foreign_resident", "corporation", "land_parcel", "business",
    "workplace", "building", "vehicle", "licence", "farm_business", "goods", "medicine",
    "hazardous_substance",
)  # fmt: skip
"""Order that builds each dataset after everything it needs (parcel owners need people)."""

_SEED_INDEX: Final = {name: i for i, name in enumerate(DATASETS)}
_GEO_STREAM: Final = 100

#: Korean population by 5-year age group, 0-4 ... 100-104 (thousands, 2025 estimate).
AGE_PYRAMID: Final = (
    1150, 1750, 2300, 2300, 2550, 3350, 3500, 3200, 3800, 3950, 4300, 4150, 4150, 3450, 2500,
    1700, 1300, 750, 280, 70, 12,
)  # fmt: skip
#: Household sizes 1..5 (2020 census shares; 5 stands for 5 or more).
HOUSEHOLD_SIZES: Final = (0.36, 0.29, 0.19, 0.13, 0.03)

#: Households an address of each kind holds on average (capacity weight).
HOUSEHOLD_CAPACITY: Final[dict[str, float]] = {
    "apt": 190.0, "villa": 12.0, "house": 1.6, "shop": 0.12, "religious": 0.05, "civic": 0.05,
    "factory": 0.02,
}  # fmt: skip
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
_PUBLIC_LAND: Final = frozenset(
    {"road", "river", "ditch", "embankment", "railway_site", "waterworks_site", "park"}
)
_FARMLAND: Final = ("dry_field", "paddy", "orchard", "pasture")
_NEW_FUELS: Final = frozenset({"hybrid", "electric", "hydrogen"})
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
_BUILDING_SHAPE: Final[dict[str, tuple[int, int, int, int]]] = {
    # kind: floors above (low, high), floors below (low, high)
    "apt": (10, 35, 1, 3), "villa": (3, 5, 0, 1), "house": (1, 2, 0, 1), "shop": (2, 6, 0, 1),
    "office": (5, 25, 2, 5), "factory": (1, 3, 0, 0), "warehouse": (1, 2, 0, 0),
    "school": (3, 5, 0, 1), "religious": (1, 4, 0, 1), "parking": (1, 6, 0, 2),
    "gas": (1, 1, 0, 0), "sports": (1, 3, 0, 1), "civic": (2, 8, 0, 2), "shed": (1, 1, 0, 0),
}  # fmt: skip
_MAIN_USE: Final[dict[str, dict[str, float]]] = {
    "apt": {"multi_unit_house": 1}, "villa": {"multi_unit_house": 1},
    "house": {"detached_house": 90, "neighbourhood_facility_1": 10},
    "shop": {"neighbourhood_facility_1": 45, "neighbourhood_facility_2": 40, "sales": 10,
             "lodging": 5},
    "office": {"office": 85, "neighbourhood_facility_2": 15}, "factory": {"factory": 1},
    "warehouse": {"warehouse": 1}, "school": {"education_research": 1},
    "religious": {"religious": 1}, "parking": {"vehicle_related": 1},
    "gas": {"hazardous_storage": 1}, "sports": {"sports": 1},
    "civic": {"medical": 25, "elderly_children": 30, "culture_assembly": 20, "office": 25},
    "shed": {"warehouse": 50, "animal_plant": 50},
}  # fmt: skip
_STRUCTURE: Final[dict[str, dict[str, float]]] = {
    "apt": {"reinforced_concrete": 85, "steel_reinforced_concrete": 10, "precast_concrete": 5},
    "villa": {"reinforced_concrete": 80, "masonry": 20},
    "house": {"masonry": 45, "reinforced_concrete": 30, "wood": 15, "light_steel": 5,
              "other": 5},
    "commercial": {"reinforced_concrete": 70, "steel": 15, "masonry": 10, "light_steel": 5},
    "office": {"reinforced_concrete": 50, "steel_reinforced_concrete": 30, "steel": 20},
    "industrial": {"steel": 40, "light_steel": 45, "reinforced_concrete": 15},
    "public": {"reinforced_concrete": 90, "steel": 10},
}  # fmt: skip
_STRUCTURE_GROUP: Final[dict[str, str]] = {
    "apt": "apt", "villa": "villa", "house": "house", "shop": "commercial", "civic": "commercial",
    "religious": "commercial", "office": "office", "factory": "industrial",
    "warehouse": "industrial", "shed": "industrial", "parking": "industrial",
    "gas": "industrial", "school": "public", "sports": "public",
}  # fmt: skip


# ------------------------------------------------------------------------ counts


def planned_rows(scale: int) -> dict[str, int]:
    """Rows per dataset for ``scale`` residents (buildings: expected, they follow addresses).

    Ratio datasets: ``max(floor, round(ratio * scale))``. Land parcels: at least
    20 more than addresses (every address needs its own parcel). National
    catalogues grow sub-linearly with the population share ``f = scale / 51.2M``:
    goods ``600,000 f^0.75`` (the PPS catalogue), medicines ``50,000 f^0.5`` (~50k
    approved products) and hazardous substances ``3,000 f^0.25`` (a few thousand
    designated), each with a floor. Driver licences are capped by the residents
    old enough to hold one (one licence number per person).
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    share = scale / NATIONAL_RESIDENTS
    rows = {
        name: max(MINIMUM_ROWS.get(name, 1), round(ratio * scale)) for name, ratio in RATIOS.items()
    }
    rows["resident"] = scale
    rows["land_parcel"] = max(rows["land_parcel"], rows["address"] + 20)
    rows["building"] = round(rows["address"] * BUILDINGS_PER_ADDRESS)
    rows["goods"] = max(MINIMUM_ROWS["goods"], round(600_000 * share**0.75))
    rows["medicine"] = max(MINIMUM_ROWS["medicine"], round(50_000 * share**0.5))
    rows["hazardous_substance"] = min(
        3000, max(MINIMUM_ROWS["hazardous_substance"], round(3000 * share**0.25))
    )
    return {name: rows[name] for name in DATASETS}


# ---------------------------------------------------------------------- helpers


def _ymd(days: Days) -> tuple[Ints, Ints, Ints]:
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    return year, month, day


def _age(birth: Days, at: np.datetime64) -> Ints:
    """Age in full years at ``at``."""
    by, bm, bd = _ymd(birth)
    ay, am, ad = _ymd(np.array([at], dtype="datetime64[D]"))
    before = (am[0] < bm) | ((am[0] == bm) & (ad[0] < bd))
    return np.asarray(ay[0] - by - before.astype(np.int64), dtype=np.int64)


def _years_after(days: Days, years: Ints | int) -> Days:
    """The date ``years`` full years later (29 February becomes 1 March)."""
    y, m, d = _ymd(days)
    month_start = ((y + years - 1970) * 12 + m - 1).astype("datetime64[M]")
    return np.asarray(month_start.astype("datetime64[D]") + (d - 1), dtype="datetime64[D]")


def _between(rng: np.random.Generator, low: DayLike, high: DayLike) -> Days:
    """Uniform dates in [low, high] (high below low gives low)."""
    lo = np.asarray(low, dtype="datetime64[D]")
    hi = np.asarray(high, dtype="datetime64[D]")
    n = max(lo.size, hi.size)
    span = np.maximum((hi - lo).astype(np.int64), 0)
    return np.asarray(lo + (rng.random(n) * (span + 1)).astype(np.int64), dtype="datetime64[D]")


def _choice(rng: np.random.Generator, table: Mapping[str, float], n: int) -> Strs:
    """``n`` keys of ``table`` drawn with its values as weights."""
    keys = np.array(list(table))
    weights = np.array(list(table.values()), dtype=np.float64)
    return keys[rng.choice(len(keys), n, p=weights / weights.sum())]


def _weighted(rng: np.random.Generator, weights: AnyFloats, n: int) -> Idx:
    """``n`` indices drawn with replacement, proportional to ``weights``."""
    total = weights.sum()
    if total <= 0:
        raise ValueError("no candidates to draw from")
    return rng.choice(len(weights), n, p=weights / total)


def _top_k(rng: np.random.Generator, weights: Floats, k: int) -> Idx:
    """``k`` distinct indices drawn proportional to ``weights`` (Gumbel top-k), sorted."""
    k = min(k, int((weights > 0).sum()))
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    with np.errstate(divide="ignore"):
        keys = np.where(weights > 0, np.log(rng.random(len(weights))) / weights, -np.inf)
    return np.sort(np.argpartition(-keys, k - 1)[:k])


def _pick_within(
    rng: np.random.Generator, item_group: Ints, item_weight: Floats, query_group: Ints
) -> Idx:
    """For each query, an item of the same group drawn by weight (-1 when none has weight)."""
    order = np.argsort(item_group, kind="stable")
    groups = item_group[order]
    cum = np.cumsum(item_weight[order])
    start = np.searchsorted(groups, query_group, side="left")
    end = np.searchsorted(groups, query_group, side="right")
    lo = np.where(start > 0, cum[np.maximum(start - 1, 0)], 0.0)
    hi = np.where(end > 0, cum[np.maximum(end - 1, 0)], 0.0)
    ok = (end > start) & (hi > lo)
    target = lo + rng.random(len(query_group)) * (hi - lo)
    pos = np.clip(np.searchsorted(cum, target, side="right"), start, np.maximum(end - 1, 0))
    return np.where(ok, order[np.minimum(pos, len(order) - 1)], -1)


def _recent(rng: np.random.Generator, lo: Days, hi: Days, mean_years: float) -> Days:
    """Dates ``hi`` minus an exponential number of years, uniform in [lo, hi] when before lo."""
    back = (rng.exponential(mean_years * 365.25, len(hi))).astype(np.int64)
    recent = hi - back
    return np.where(recent < lo, _between(rng, lo, hi), recent)


def _truncated_normal(
    rng: np.random.Generator, mean: float, sd: float, low: float, high: float, *, n: int
) -> Floats:
    """Normal draws within [low, high] (redrawn, not clipped: no pile-up at the bounds)."""
    values = rng.normal(mean, sd, n)
    for _ in range(50):
        bad = (values < low) | (values > high)
        if not bad.any():
            break
        values[bad] = rng.normal(mean, sd, int(bad.sum()))
    return np.clip(values, low, high)


def _lognormal(rng: np.random.Generator, median: Floats, sigma: Floats) -> Floats:
    return np.asarray(median * np.exp(rng.normal(0.0, 1.0, len(median)) * sigma))


def _dates(values: Days, null: Bools | None = None) -> pl.Series:
    series = pl.Series(values.astype("datetime64[D]"))
    if null is not None and null.any():
        series = pl.select(pl.when(pl.Series(null)).then(None).otherwise(series)).to_series()
    return series


def _nullable(values: Strs | Sequence[str], null: Bools) -> pl.Series:
    return pl.select(
        pl.when(pl.Series(null)).then(None).otherwise(pl.Series(values, dtype=pl.Utf8))
    ).to_series()


def _cat(*parts: pl.Series | Strs | str) -> pl.Series:
    """Element-wise string concatenation (nulls propagate)."""
    frame = pl.DataFrame({f"p{i}": p for i, p in enumerate(parts) if not isinstance(p, str)})
    exprs = [pl.lit(p) if isinstance(p, str) else pl.col(f"p{i}") for i, p in enumerate(parts)]
    return frame.select(pl.concat_str(exprs).alias("v"))["v"]


def _zfill(values: Ints, width: int) -> pl.Series:
    return pl.Series(values, dtype=pl.Int64).cast(pl.Utf8).str.zfill(width)


# ------------------------------------------------------------------------ world


class World:
    """Builds, caches and hands out the datasets of one synthetic snapshot.

    ``frame(name)`` is the internal frame (spec columns plus helper columns
    starting with ``_``); ``public(name)`` is the canonical CSV form: the spec's
    columns in order, all text, ``None`` for empty.
    """

    def __init__(self, scale: int, seed: int, reference_date: dt.date = REFERENCE_DATE) -> None:
        if seed < 0:
            raise ValueError("seed must not be negative")
        self.rows = planned_rows(scale)
        self.scale = scale
        self.seed = seed
        self.ref = np.datetime64(reference_date, "D")
        self._cache: dict[str, pl.DataFrame] = {}
        self._geo_cache: tuple[pl.DataFrame, pl.DataFrame] | None = None
        self._builders: dict[str, Callable[[], pl.DataFrame]] = {
            "_parcels": self._parcels,
            "address": self._address,
            "resident": self._resident,
            "foreign_resident": self._foreign_resident,
            "corporation": self._corporation,
            "land_parcel": self._land_parcel,
            "business": self._business,
            "workplace": self._workplace,
            "building": self._building,
            "vehicle": self._vehicle,
            "licence": self._licence,
            "farm_business": self._farm_business,
            "goods": self._goods,
            "medicine": self._medicine,
            "hazardous_substance": self._hazardous_substance,
        }

    def rng(self, dataset: str, stream: int = 0) -> np.random.Generator:
        return np.random.default_rng([self.seed, _SEED_INDEX[dataset], stream])

    def frame(self, name: str) -> pl.DataFrame:
        if name not in self._cache:
            self._cache[name] = self._builders[name]()
        return self._cache[name]

    def public(self, name: str) -> pl.DataFrame:
        spec = get_dataset(name)
        frame = self.frame(name).select(spec.field_names)
        return frame.select(
            pl.col(c).cast(pl.Utf8).replace("", None).alias(c) for c in spec.field_names
        )

    # ---------------------------------------------------------------- geography

    def geo(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(units, roads): legal dongs / ri of every si-gun-gu, and their roads."""
        if self._geo_cache is None:
            self._geo_cache = _build_geo(np.random.default_rng([self.seed, _GEO_STREAM]))
        return self._geo_cache

    # ------------------------------------------------------------------ parcels

    def _parcels(self) -> pl.DataFrame:
        """Parcels without owners; addressed parcels carry the kind of what stands there."""
        rng = self.rng("land_parcel", 0)
        units, _ = self.geo()
        n_addr, n_all = self.rows["address"], self.rows["land_parcel"]
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
            kind[mask] = _choice(rng, table, int(mask.sum()))
        category = np.full(n_all, "", dtype="U20")
        for k, c in _KIND_CATEGORY.items():
            category[kind == k] = c
        for flag, table in zip((False, True), _OTHER_CATEGORIES, strict=True):
            mask = ~addressed & (rural_p == flag)
            category[mask] = _choice(rng, table, int(mask.sum()))

        mountain = ((category == "forest") & (rng.random(n_all) < 0.9)) | (
            (category == "cemetery") & (rng.random(n_all) < 0.4)
        )
        main, sub = _lot_numbers(rng, unit * 2 + mountain)
        ldong = units["ldong"].to_numpy().astype(np.str_)[unit]
        land_kind = np.where(mountain, "2", "1")
        pnu = _cat(ldong, land_kind, _zfill(main, 4), _zfill(sub, 4))
        lot = _cat(
            np.where(mountain, "산", ""),
            pl.Series(main).cast(pl.Utf8),
            pl.Series(np.where(sub > 0, np.char.add("-", sub.astype(np.str_)), "")),
        )

        area_key = np.where(addressed, kind, category)
        median = np.array([_AREA[k][0] for k in area_key])
        sigma = np.array([_AREA[k][1] for k in area_key])
        area = np.round(np.maximum(_lognormal(rng, median, sigma), 15.0), 1)

        sido = units["sido"].to_numpy().astype(np.str_)[unit]
        price = np.array([_PRICE[c] for c in category]) * np.array(
            [_SIDO_PRICE.get(s, 0.6) for s in sido]
        )
        price = price * np.where(rural_p, 0.15, 1.0)
        price = np.round(_lognormal(rng, price, np.full(n_all, 0.5)), -1).astype(np.int64)
        public_land = np.isin(category, list(_PUBLIC_LAND))
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
            zone[mask] = _choice(rng, table, int(mask.sum()))
        no_zone = rng.random(n_all) < 0.02

        ended = ~addressed & (rng.random(n_all) < 0.035)
        status = np.where(
            ended, _choice(rng, {"merged": 35, "split": 35, "closed": 30}, n_all), "active"
        )
        status_date = _between(rng, np.datetime64("1995-01-01"), self.ref)
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
                    pl.when(pl.Series(no_price))
                    .then(None)
                    .otherwise(pl.lit(int(str(self.ref)[:4])))
                ).to_series(),
                "use_zone": _nullable(zone, no_zone),
                "status": status,
                "status_date": _dates(status_date, ~ended),
                "region_code": units["region"].to_numpy().astype(np.str_)[unit],
                "_unit": unit,
                "_addressed": addressed,
                "_akind": kind,
                "_rural": rural_p,
            }
        )

    # ---------------------------------------------------------------- addresses

    def _address(self) -> pl.DataFrame:
        rng = self.rng("address")
        units, roads = self.geo()
        parcels = self.frame("_parcels").filter(pl.col("_addressed"))
        n = len(parcels)
        unit = parcels["_unit"].to_numpy()
        kind = parcels["_akind"].to_numpy().astype(np.str_)
        road = _pick_within(rng, roads["unit"].to_numpy(), roads["weight"].to_numpy(), unit)
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
        address_id = _cat(
            region,
            emd,
            _zfill(r_no, 7),
            np.where(underground, "1", "0"),
            _zfill(main, 5),
            _zfill(sub, 5),
        )
        sgg_idx = units["sgg"].to_numpy()[unit]
        sgg_name = np.array([s.name for s in ko.SIGUNGU])[sgg_idx]
        sido_name = np.array([ko.SIDO[s.code[:2]].name for s in ko.SIGUNGU])[sgg_idx]
        emd_name = units["emd_name"].to_numpy().astype(np.str_)[unit]
        eupmyeon = units["eupmyeon"].to_numpy()[unit]
        number = _cat(
            pl.Series(main).cast(pl.Utf8),
            pl.Series(np.where(sub > 0, np.char.add("-", sub.astype(np.str_)), "")),
        )
        full = _cat(
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
            _between(rng, np.datetime64("2011-07-30"), self.ref - 30),
        )
        status_date = np.where(abolished, _between(rng, assigned + 1, self.ref), assigned)
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
                "postal_code": _zfill(postal, 5),
                "building_name": _building_names(rng, kind, emd_name),
                "pnu": parcels["pnu"],
                "full_address": full,
                "status": np.where(abolished, "abolished", "active"),
                "status_date": _dates(status_date.astype("datetime64[D]")),
                "region_code": region,
                "_unit": unit,
                "_akind": kind,
                "_sido": np.array([s.code[:2] for s in ko.SIGUNGU])[sgg_idx],
                "_parcel_area": parcels["area_m2"],
            }
        )

    def _addresses_for(self, weights: dict[str, float]) -> tuple[Floats, pl.DataFrame]:
        """Per-address weight from its kind (abolished addresses get none)."""
        address = self.frame("address")
        kind = address["_akind"].to_numpy().astype(np.str_)
        w = np.zeros(len(address))
        for k, v in weights.items():
            w[kind == k] = v
        w[address["status"].to_numpy() != "active"] = 0.0
        return w, address

    # ---------------------------------------------------------------- residents

    def _resident(self) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
        rng = self.rng("resident")
        n = self.scale
        ref = self.ref
        pyramid = np.asarray(AGE_PYRAMID, dtype=np.float64)
        group = rng.choice(len(pyramid), n, p=pyramid / pyramid.sum())
        age_days = ((group * 5 + rng.random(n) * 5) * 365.2425).astype(np.int64)
        if not (age_days >= 30 * 366).any():
            age_days[0] = 40 * 365  # tiny scales: someone must be able to own and represent
        birth = ref - 1 - age_days
        age = _age(birth, ref)
        male_share = np.select([age < 60, age < 70, age < 80], [0.51, 0.49, 0.45], 0.35)
        male = rng.random(n) < male_share

        # households: heads are adults; everyone else fills the remaining places
        sizes = rng.choice(np.arange(1, 6), n // 2 + 8, p=HOUSEHOLD_SIZES)
        while sizes.sum() < n:
            sizes = np.r_[sizes, rng.choice(np.arange(1, 6), n // 2 + 8, p=HOUSEHOLD_SIZES)]
        cum = np.cumsum(sizes)
        n_hh = int(np.searchsorted(cum, n) + 1)
        sizes = sizes[:n_hh].copy()
        sizes[-1] -= int(cum[n_hh - 1] - n)
        hh_start = np.cumsum(sizes) - sizes
        adults = np.flatnonzero(age >= 19)
        others = np.flatnonzero(age < 19)
        ranked = np.r_[rng.permutation(adults), others[np.argsort(-age[others])]]
        heads = ranked[:n_hh]
        rest = rng.permutation(ranked[n_hh:])
        slot_person = np.empty(n, dtype=np.int64)
        is_head_slot = np.zeros(n, dtype=bool)
        is_head_slot[hh_start] = True
        slot_person[hh_start] = heads
        slot_person[~is_head_slot] = rest
        household = np.repeat(np.arange(n_hh), sizes)
        birth, age, male = birth[slot_person], age[slot_person], male[slot_person]

        # where each household lives
        units, _ = self.geo()
        cap, address = self._addresses_for(HOUSEHOLD_CAPACITY)
        a_unit = address["_unit"].to_numpy()
        has_room = np.bincount(a_unit, weights=cap, minlength=len(units)) > 0
        unit_w = units["weight"].to_numpy() * has_room
        hh_unit = _weighted(rng, unit_w, n_hh)
        hh_address = _pick_within(rng, a_unit, cap, hh_unit)
        person_address = hh_address[household]

        surname, given, hanja = _korean_names(rng, birth, male)
        move_hh = ref - np.minimum(rng.exponential(7.5 * 365, n_hh), 40 * 365).astype(np.int64)
        move_in = np.maximum(move_hh[household], birth + 1)
        dead_p = np.select([age < 60, age < 75, age < 85], [0.002, 0.01, 0.04], 0.10)
        u = rng.random(n)
        status = np.full(n, "alive", dtype="U17")
        status[u < dead_p] = "deceased"
        adult = age >= 20
        status[adult & (u >= dead_p) & (u < dead_p + 0.005)] = "emigrated"
        status[adult & (u >= dead_p + 0.005) & (u < dead_p + 0.008)] = "residence_unknown"
        if not ((status == "alive") & (age >= 30)).any():
            status[np.argmax(age)] = "alive"
        status_date = _between(rng, move_in, np.full(n, ref))
        region = address["region_code"].to_numpy().astype(np.str_)[person_address]
        sexes = np.where(male, "M", "F")
        rrn = identifiers.VALIDATORS["rrn"].generate_many(
            rng, n, unique=True, birth=birth, sex=sexes
        )
        return pl.DataFrame(
            {
                "rrn": rrn,
                "name": _cat(surname, given),
                "name_hanja": hanja,
                "birth_date": _dates(birth),
                "sex": sexes,
                "address_id": address["road_address_id"].gather(person_address),
                "household_id": _cat(
                    pl.Series(region[hh_start][household]), _zfill(household + 1, 7)
                ),
                "household_role": np.where(is_head_slot, "head", "member"),
                "move_in_date": _dates(move_in),
                "status": status,
                "status_date": _dates(status_date, status == "alive"),
                "region_code": region,
                "_age": age,
                "_alive": status == "alive",
                "_sido": address["_sido"].gather(person_address),
                "_unit": address["_unit"].gather(person_address),
                "_status_date": _dates(status_date),
            }
        )

    def _people(self, min_age: int, weight: Callable[[Ints], AnyFloats] | None = None) -> Floats:
        """Weights over residents: alive, at least ``min_age``, shaped by ``weight(age)``."""
        res = self.frame("resident")
        age = res["_age"].to_numpy()
        w = (res["_alive"].to_numpy() & (age >= min_age)).astype(np.float64)
        if weight is not None:
            w *= weight(age)
        if w.sum() == 0:  # tiny scales: fall back to the oldest living resident
            alive = res["_alive"].to_numpy()
            w[np.argmax(np.where(alive, age, -1))] = 1.0
        return w

    # ------------------------------------------------------------ foreign residents

    def _foreign_resident(self) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
        rng = self.rng("foreign_resident")
        n = self.rows["foreign_resident"]
        ref = self.ref
        nat_share = np.array([x.share for x in cat.NATIONALITIES] + [cat.OTHER_NATIONALITY_SHARE])
        nat_idx = _weighted(rng, nat_share, n)
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
            visa[mask] = _choice(rng, weights, int(mask.sum()))

        male_p = np.full(n, 0.5)
        male_p[np.isin(visa, ["E-9", "E-10", "H-2", "E-8"])] = 0.85
        male_p[visa == "F-6"] = 0.2
        male = rng.random(n) < male_p
        age_years = _truncated_normal(rng, 36, 11, 19, 80, n=n)
        young = np.isin(visa, ["D-2", "D-4", "E-9", "E-8", "H-1"])
        age_years[young] = _truncated_normal(rng, 27, 5, 19, 45, n=int(young.sum()))
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
        expiry[expired] = _between(rng, past[expired], np.full(int(expired.sum()), ref - 1))
        departed = status == "departed"
        expiry[departed] = registered[departed] + rng.integers(180, 1100, int(departed.sum()))
        no_expiry = visa == "F-5"
        status[no_expiry & expired] = "departed"
        status_date = _between(rng, registered + 1, np.full(n, ref))
        status_date = np.where(status == "expired", expiry + 1, status_date)
        status_date = np.minimum(status_date, ref)

        units, _ = self.geo()
        cap, address = self._addresses_for(HOUSEHOLD_CAPACITY)
        a_unit = address["_unit"].to_numpy()
        hotspot = np.array([ko.FOREIGNER_HOTSPOTS.get(r, 1.0) for r in units["region"].to_list()])
        has_room = np.bincount(a_unit, weights=cap, minlength=len(units)) > 0
        f_unit = _weighted(rng, units["weight"].to_numpy() * hotspot * has_room, n)
        where = _pick_within(rng, a_unit, cap, f_unit)
        sexes = np.where(male, "M", "F")
        frn = identifiers.VALIDATORS["frn"].generate_many(
            rng, n, unique=True, birth=birth, sex=sexes
        )
        return pl.DataFrame(
            {
                "frn": frn,
                "name": pl.Series(roman.tolist(), dtype=pl.Utf8),
                "name_ko": _nullable(hangul.astype(np.str_), ~has_hangul),
                "nationality": nationality,
                "birth_date": _dates(birth),
                "sex": sexes,
                "visa_status": visa,
                "stay_expiry_date": _dates(expiry, no_expiry),
                "address_id": address["road_address_id"].gather(where),
                "registered_date": _dates(registered),
                "status": status,
                "status_date": _dates(status_date, status == "active"),
                "region_code": address["region_code"].gather(where),
                "_name_ko": pl.Series(hangul.tolist(), dtype=pl.Utf8),
            }
        )

    # ------------------------------------------------------------- corporations

    def _corporation(self) -> pl.DataFrame:
        rng = self.rng("corporation")
        n = self.rows["corporation"]
        ref = self.ref
        n_pharma = min(n // 3, max(3, round(self.rows["medicine"] / 40)))
        n_maker = min(n // 3, max(2, round(self.rows["goods"] / 16)))
        role = np.full(n, "", dtype="U6")
        role[:n_pharma] = "pharma"
        role[n_pharma : n_pharma + n_maker] = "maker"
        kind = _choice(
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

        res = self.frame("resident")
        rep = _weighted(rng, self._people(30, lambda a: np.where(a < 75, 1.0, 0.2)), n)
        w, address = self._addresses_for({"office": 10, "shop": 2, "factory": 1, "civic": 0.5})
        w = w * np.where(address["_sido"].to_numpy() == "11", 3.0, 1.0)
        office = _weighted(rng, w, n)
        factories, _ = self._addresses_for({"factory": 1})
        if factories.sum() > 0:
            makers = np.flatnonzero(role == "maker")
            office[makers] = _weighted(rng, factories, len(makers))
        established = ref - (np.minimum(rng.exponential(11, n), 70) * 365.25).astype(np.int64) - 1
        established = np.minimum(established, ref - 60)
        capital = np.round(np.exp(rng.normal(np.log(5e7), 1.4, n)), -6).astype(np.int64)
        capital = np.maximum(capital, 1_000_000)
        no_capital = np.isin(kind, ["incorporated_association", "incorporated_foundation"])
        status = _choice(rng, {"active": 88, "dissolved": 6, "liquidated": 4, "merged": 2}, n)
        status[role != ""] = "active"
        status_date = _between(rng, established + 30, np.full(n, ref))
        crn = identifiers.VALIDATORS["crn"].generate_many(rng, n, unique=True)
        shuffled = rng.permutation(n)
        return pl.DataFrame(
            {
                "crn": crn,
                "name": name,
                "corp_kind": kind,
                "representative_name": res["name"].gather(rep),
                "head_office_address_id": address["road_address_id"].gather(office),
                "established_date": _dates(established),
                "capital": pl.select(
                    pl.when(pl.Series(no_capital)).then(None).otherwise(pl.Series(capital))
                ).to_series(),
                "status": status,
                "status_date": _dates(status_date, status == "active"),
                "region_code": address["region_code"].gather(office),
                "_role": role,
                "_word": word,
                "_rep_rrn": res["rrn"].gather(rep),
                "_status_date": _dates(status_date),
                "_unit": address["_unit"].gather(office),
            }
        )[shuffled]

    # -------------------------------------------------------------- land parcels

    def _land_parcel(self) -> pl.DataFrame:
        """Parcels with their principal owner (residents and corporations exist by now)."""
        rng = self.rng("land_parcel", 1)
        parcels = self.frame("_parcels")
        n = len(parcels)
        category = parcels["land_category"].to_numpy().astype(np.str_)
        kind = parcels["_akind"].to_numpy().astype(np.str_)
        u = rng.random(n)
        owner_kind = np.where(u < 0.82, "resident", np.where(u < 0.94, "corporation", ""))
        public = np.isin(category, list(_PUBLIC_LAND))
        owner_kind[public] = np.where(rng.random(int(public.sum())) < 0.85, "", "resident")
        school = category == "school_site"
        owner_kind[school] = np.where(rng.random(int(school.sum())) < 0.7, "corporation", "")
        industrial = np.isin(category, ["factory_site", "warehouse_site"])
        owner_kind[industrial] = np.where(
            rng.random(int(industrial.sum())) < 0.7, "corporation", "resident"
        )
        apt = kind == "apt"
        owner_kind[apt] = np.where(rng.random(int(apt.sum())) < 0.8, "", "corporation")

        res = self.frame("resident")
        corp = self.frame("corporation")
        active_corp = (corp["status"].to_numpy() == "active").astype(np.float64)
        if active_corp.sum() == 0:
            active_corp[:] = 1.0
        people = self._people(20, lambda a: 1.0 + (a > 40) + (a > 55))
        is_res = owner_kind == "resident"
        is_corp = owner_kind == "corporation"
        owner = np.full(n, None, dtype=object)
        owner[is_res] = res["rrn"].gather(_weighted(rng, people, int(is_res.sum()))).to_numpy()
        owner[is_corp] = (
            corp["crn"].gather(_weighted(rng, active_corp, int(is_corp.sum()))).to_numpy()
        )
        return parcels.select(
            "pnu", "legal_dong_code", "lot_number", "land_category", "area_m2",
            "official_price_per_m2", "price_base_year", "use_zone",
            pl.Series("owner_kind", owner_kind).replace("", None),
            pl.Series("owner_id", owner.tolist(), dtype=pl.Utf8),
            "status", "status_date", "region_code", "_unit", "_addressed", "_akind", "_rural",
        )  # fmt: skip

    # ----------------------------------------------------------------- businesses

    def _business(self) -> pl.DataFrame:
        rng = self.rng("business")
        ref = self.ref
        corporate = self._corporate_businesses(rng)
        individual = self._individual_businesses(
            rng, max(self.rows["business"] - len(corporate), 5)
        )
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

    def _corporate_businesses(self, rng: np.random.Generator) -> pl.DataFrame:
        """A head office for every corporation, and branches for some active ones."""
        ref = self.ref
        corp = self.frame("corporation")
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
            _between(rng, established, np.full(m, ref - 1)),
            np.minimum(established + rng.integers(0, 21, m), ref - 1),
        )
        w_addr, address = self._addresses_for({"office": 10, "shop": 4, "factory": 2})
        branch_addr = _weighted(rng, w_addr, m)
        head_ids = corp["head_office_address_id"].to_numpy().astype(np.str_)[owner]
        addr_index = _index_of(address["road_address_id"], head_ids)
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
        status_date = _between(rng, opened + 1, np.full(m, ref))
        status_date = np.where(
            c_status != "active", np.maximum(c_status_date, opened + 1), status_date
        )
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
                "opened_date": _dates(opened),
                "tax_type": np.where(non_profit, "non_profit", "general"),
                "status": status,
                "status_date": _dates(status_date, status == "active"),
                "region_code": address["region_code"].gather(addr_index),
                "_role": np.where(is_branch, "", role),
            }
        )

        return corporate

    def _individual_businesses(self, rng: np.random.Generator, n_ind: int) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
        """Sole proprietors: shops, restaurants, rentals, trucks, small makers ..."""
        ref = self.ref
        res = self.frame("resident")
        w_addr, address = self._addresses_for({"office": 10, "shop": 4, "factory": 2})
        industries = cat.INDIVIDUAL_INDUSTRIES
        ind = _weighted(rng, np.array([i.weight for i in industries]), n_ind)
        maker_ids = np.array([k for k, i in enumerate(industries) if i.maker])
        n_ind_maker = min(n_ind // 3, max(2, round(self.rows["goods"] / 40)))
        ind[:n_ind_maker] = maker_ids[rng.integers(0, len(maker_ids), n_ind_maker)]
        people = self._people(
            20, lambda a: np.select([a < 30, a < 40, a < 60, a < 70], [0.5, 1.2, 1.5, 1.0], 0.4)
        )
        rep = _weighted(rng, people, n_ind)
        rep_birth = res["birth_date"].to_numpy()[rep]
        earliest = np.maximum(_years_after(rep_birth, 20), np.datetime64("1970-01-01"))
        opened_i = _recent(rng, earliest, np.full(n_ind, ref - 1), 6.0)
        site = np.array([i.site for i in industries])[ind]
        w_shop, _ = self._addresses_for({"shop": 1})
        w_office, _ = self._addresses_for({"office": 1, "shop": 0.2})
        w_factory, _ = self._addresses_for({"factory": 1, "warehouse": 0.3})
        where = np.zeros(n_ind, dtype=np.int64)
        home = _index_of(address["road_address_id"], res["address_id"].to_numpy()[rep])
        for s, wts in (("shop", w_shop), ("office", w_office), ("factory", w_factory)):
            mask = site == s
            usable = wts if wts.sum() > 0 else (w_shop if w_shop.sum() > 0 else w_addr)
            where[mask] = _weighted(rng, usable, int(mask.sum()))
        where[site == "house"] = home[site == "house"]
        stems = np.array(ko.NAME_STEMS)[rng.integers(0, len(ko.NAME_STEMS), n_ind)]
        surname = res["name"].to_numpy().astype(np.str_)[rep]
        surname = np.array([s[:1] for s in surname])
        pattern = np.array([rng.integers(0, len(industries[k].patterns)) for k in ind])
        prefix = np.array([industries[k].patterns[p][0] for k, p in zip(ind, pattern, strict=True)])
        slot = np.array([industries[k].patterns[p][1] for k, p in zip(ind, pattern, strict=True)])
        suffix = np.array([industries[k].patterns[p][2] for k, p in zip(ind, pattern, strict=True)])
        trade_i = np.char.add(
            np.char.add(prefix, np.where(slot == "surname", surname, stems)), suffix
        )
        ksic = np.array([i.ksic for i in industries])[ind]
        exempt = np.isin(ksic, ["86201", "86202", "86203", "85501", "68111"])
        kind_i = np.where(exempt, rng.integers(90, 100, n_ind), rng.integers(1, 80, n_ind))
        tax = np.where(exempt, "exempt", np.where(rng.random(n_ind) < 0.6, "general", "simplified"))
        u = rng.random(n_ind)
        status_i = np.where(u < 0.78, "active", np.where(u < 0.80, "suspended", "closed"))
        status_i[:n_ind_maker] = "active"
        status_date_i = _between(rng, opened_i + 1, np.full(n_ind, ref))
        rep_name = res["name"].gather(rep)
        rep_rrn = res["rrn"].gather(rep)
        # a few representatives are foreign residents: name only, no RRN
        foreign = rng.random(n_ind) < 0.01
        foreign[:n_ind_maker] = False
        if foreign.any():
            fr = self.frame("foreign_resident")
            f_active = (fr["status"].to_numpy() == "active").astype(np.float64)
            if f_active.sum() > 0:
                pick = _weighted(rng, f_active, int(foreign.sum()))
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
                "opened_date": _dates(opened_i),
                "tax_type": tax,
                "status": status_i,
                "status_date": _dates(status_date_i, status_i == "active"),
                "region_code": address["region_code"].gather(where),
                "_role": np.where(np.arange(n_ind) < n_ind_maker, "maker", ""),
            }
        )
        return individual

    # ----------------------------------------------------------------- workplaces

    def _workplace(self) -> pl.DataFrame:
        rng = self.rng("workplace")
        ref = self.ref
        biz = self.frame("business")
        n = self.rows["workplace"]
        corporate = biz["business_type"].to_numpy() == "corporate"
        weight = np.where(corporate, 4.0, 0.4)
        chosen = _top_k(rng, weight, max(1, round(n * 0.94)))
        extra_n = n - len(chosen)
        corp_chosen = chosen[corporate[chosen]]
        extra = (
            corp_chosen[rng.integers(0, len(corp_chosen), extra_n)]
            if len(corp_chosen) and extra_n > 0
            else chosen[rng.integers(0, len(chosen), max(extra_n, 0))]
        )
        owner = np.r_[chosen, np.sort(extra)]
        serial = np.r_[np.zeros(len(chosen), dtype=np.int64), _rank_within(np.sort(extra)) + 1]
        keep = serial <= 9
        owner, serial = owner[keep], serial[keep]
        m = len(owner)
        is_extra = serial > 0
        address_w, address = self._addresses_for({"office": 3, "shop": 2, "factory": 3})
        addr = _index_of(address["road_address_id"], biz["address_id"].to_numpy()[owner])
        other = _weighted(rng, address_w, m)
        clash = is_extra & (other == addr)
        other[clash] = (other[clash] + 1) % len(address)
        addr = np.where(is_extra, other, addr)
        opened = biz["opened_date"].to_numpy()[owner]
        b_status = biz["status"].to_numpy().astype(np.str_)[owner]
        b_status_date = biz["_status_date"].to_numpy()[owner]
        closed_biz = b_status == "closed"
        latest = np.where(closed_biz, b_status_date - 1, ref - 1)
        established = _between(rng, opened, np.maximum(latest, opened))
        closed = closed_biz | (rng.random(m) < 0.05)
        status_date = np.where(
            closed_biz, b_status_date, _between(rng, established + 1, np.full(m, ref))
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
                "workplace_no": _cat(biz["brn"].gather(owner), pl.Series(serial).cast(pl.Utf8)),
                "brn": biz["brn"].gather(owner),
                "name": name,
                "address_id": address["road_address_id"].gather(addr),
                "industry_code": biz["industry_code"].gather(owner),
                "employees": employees,
                "insurance": _choice(
                    rng, {"both": 88, "employment": 4, "industrial_accident": 8}, m
                ),
                "established_date": _dates(established),
                "status": np.where(closed, "closed", "active"),
                "status_date": _dates(status_date, ~closed),
                "region_code": address["region_code"].gather(addr),
            }
        )

    # ------------------------------------------------------------------ buildings

    def _building(self) -> pl.DataFrame:
        rng = self.rng("building")
        ref = self.ref
        address = self.frame("address")
        parcels = self.frame("_parcels")
        kind = address["_akind"].to_numpy().astype(np.str_)
        n_addr = len(address)
        blocks = np.where(kind == "apt", np.minimum(2 + rng.poisson(8, n_addr), 40), 1)
        a = np.repeat(np.arange(n_addr), blocks)
        block_no = _rank_within(a)
        # sheds and warehouses on vacant sites and farmland, without an address
        spare = (
            ~parcels["_addressed"].to_numpy()
            & (parcels["status"].to_numpy() == "active")
            & np.isin(
                parcels["land_category"].to_numpy(),
                ["building_site", "warehouse_site", "pasture", "factory_site"],
            )
        )
        n_shed = min(int(spare.sum()), round(0.03 * len(a)))
        shed_parcel = _top_k(rng, spare.astype(np.float64), n_shed)
        m = len(a) + len(shed_parcel)
        b_kind = np.r_[kind[a], np.full(len(shed_parcel), "shed")]
        pnu = pl.concat([address["pnu"].gather(a), parcels["pnu"].gather(shed_parcel)])
        region = pl.concat(
            [address["region_code"].gather(a), parcels["region_code"].gather(shed_parcel)]
        )
        site_area = np.r_[
            address["_parcel_area"].to_numpy()[a], parcels["area_m2"].to_numpy()[shed_parcel]
        ]
        addr_id = pl.concat(
            [address["road_address_id"].gather(a),
             pl.Series([None] * len(shed_parcel), dtype=pl.Utf8)]
        )  # fmt: skip
        is_apt = b_kind == "apt"
        name = pl.concat(
            [address["building_name"].gather(a),
             pl.Series([None] * len(shed_parcel), dtype=pl.Utf8)]
        )  # fmt: skip
        dong = _nullable(
            np.char.add(
                (101 + np.r_[block_no, np.zeros(len(shed_parcel), np.int64)]).astype(str), "동"
            ),
            ~is_apt,
        )
        shape = np.array([_BUILDING_SHAPE[k] for k in b_kind])
        above = rng.integers(shape[:, 0], shape[:, 1] + 1)
        below = rng.integers(shape[:, 2], shape[:, 3] + 1)
        above[b_kind == "house"] = np.where(rng.random(int((b_kind == "house").sum())) < 0.7, 1, 2)
        per_block = np.r_[blocks[a], np.ones(len(shed_parcel), np.int64)]
        coverage = np.where(is_apt, 0.2 / per_block, rng.uniform(0.3, 0.6, m))
        footprint = np.round(np.maximum(site_area * coverage, 12.0), 2)
        total = np.round(
            np.maximum(footprint * (above + below * 0.8) * rng.uniform(0.9, 1.0, m), footprint), 2
        )
        main_use = np.empty(m, dtype="U24")
        structure = np.empty(m, dtype="U26")
        for k in np.unique(b_kind):
            mask = b_kind == k
            main_use[mask] = _choice(rng, _MAIN_USE[str(k)], int(mask.sum()))
            structure[mask] = _choice(rng, _STRUCTURE[_STRUCTURE_GROUP[str(k)]], int(mask.sum()))
        age_years = np.where(is_apt, rng.uniform(0.5, 45, m), rng.uniform(0.5, 55, m))
        approval = ref - (age_years * 365.25).astype(np.int64)
        addr_status = np.r_[
            address["status"].to_numpy().astype(np.str_)[a], np.full(len(shed_parcel), "active")
        ]
        addr_status_date = np.r_[
            address["status_date"].to_numpy()[a], np.full(len(shed_parcel), ref)
        ]
        gone_with_address = addr_status == "abolished"
        demolished = gone_with_address | (~is_apt & (rng.random(m) < 0.02))
        approval = np.where(
            gone_with_address, np.minimum(approval, addr_status_date - 365), approval
        )
        status_date = np.where(
            gone_with_address, addr_status_date, _between(rng, approval + 1, np.full(m, ref))
        )
        register = identifiers.VALIDATORS["building_register_no"].generate_many(
            rng, m, unique=True, sigungu=region.to_numpy().astype(np.str_)
        )
        return pl.DataFrame(
            {
                "building_register_no": register,
                "pnu": pnu,
                "road_address_id": addr_id,
                "name": name,
                "dong_name": dong,
                "main_use": main_use,
                "structure": structure,
                "floors_above": above.astype(np.int64),
                "floors_below": below.astype(np.int64),
                "building_area_m2": footprint,
                "total_floor_area_m2": total,
                "approval_date": _dates(approval),
                "status": np.where(demolished, "demolished", "active"),
                "status_date": _dates(status_date, ~demolished),
                "region_code": region,
            }
        )

    # ------------------------------------------------------------------- vehicles

    def _vehicle(self) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
        rng = self.rng("vehicle")
        ref = self.ref
        n = self.rows["vehicle"]
        res = self.frame("resident")
        corp = self.frame("corporation")
        by_corp = rng.random(n) < 0.12
        active = (corp["status"].to_numpy() == "active").astype(np.float64)
        if active.sum() == 0:
            by_corp[:] = False
        n_corp = int(by_corp.sum())
        people = self._people(
            20, lambda a: np.select([a < 30, a < 70, a < 80], [0.6, 1.0, 0.6], 0.2)
        )
        owner_res = _weighted(rng, people, n - n_corp)
        fleet = active / (1.0 + rng.permutation(len(active))) ** 1.1
        owner_corp = _weighted(rng, fleet, n_corp) if n_corp else np.zeros(0, np.intp)

        use = np.full(n, "private", dtype="U10")
        plate_use = np.full(n, "private", dtype="U8")
        u = rng.random(n)
        corp_use = np.where(u < 0.38, "private", np.where(u < 0.98, "commercial", "official"))
        use[by_corp] = corp_use[by_corp]
        plate_corp = np.select(
            [u < 0.38, u < 0.78, u < 0.93, u < 0.98],
            ["private", "rental", "business", "delivery"],
            "private",
        )
        plate_use[by_corp] = plate_corp[by_corp]
        res_commercial = ~by_corp & (rng.random(n) < 0.03)
        use[res_commercial] = "commercial"
        plate_use[res_commercial] = np.where(
            rng.random(int(res_commercial.sum())) < 0.6, "business", "delivery"
        )

        models = cat.VEHICLE_MODELS
        mtype = np.array([mm.vehicle_type for mm in models])
        share = np.array([mm.share for mm in models])
        commercial_w = share * np.where(mtype == "passenger", 0.3, 3.0)
        model = _weighted(rng, share, n)
        trucks = plate_use == "delivery"
        model[trucks] = _weighted(rng, share * (mtype == "truck"), int(trucks.sum()))
        fleet_mask = by_corp & (plate_use == "business")
        model[fleet_mask] = _weighted(rng, commercial_w, int(fleet_mask.sum()))
        taxi = res_commercial & (plate_use == "business")
        taxi_models = ["쏘나타", "K5", "그랜저", "아이오닉 5"]
        taxi_w = share * np.isin([mm.model for mm in models], taxi_models)
        model[taxi] = _weighted(rng, taxi_w, int(taxi.sum()))
        first = np.array([mm.first_year for mm in models])[model]
        last = np.minimum(np.array([mm.last_year for mm in models])[model], int(str(ref)[:4]))
        year = int(str(ref)[:4]) - np.floor(rng.exponential(7.5, n)).astype(np.int64)
        model_year = np.clip(year, first, last)
        registered = np.datetime64("1970-07-01") + (
            (model_year - 1971) * 365.25 + rng.uniform(0, 365, n)
        ).astype(np.int64)
        registered = np.clip(registered, np.datetime64("1980-01-01"), ref - 1)
        fuel = np.empty(n, dtype="U8")
        for k, mm in enumerate(models):
            mask = model == k
            if mask.any():
                fuel[mask] = _choice(rng, dict(mm.fuels), int(mask.sum()))
                # hybrids from 2011 and electric cars from 2014 (unless the model is only that)
                conventional = next((f for f, _ in mm.fuels if f not in _NEW_FUELS), "")
                early = mask & (
                    ((fuel == "hybrid") & (model_year < 2011))
                    | ((fuel == "electric") & (model_year < 2014))
                )
                if conventional:
                    fuel[early] = conventional
        age = int(str(ref)[:4]) - model_year
        dereg = rng.random(n) < np.minimum(0.005 * age, 0.35)
        status = np.where(
            dereg,
            _choice(rng, {"scrapped": 75, "exported": 19, "deregistered": 6}, n),
            "registered",
        )
        status_date = _between(rng, registered + 30, np.full(n, ref))
        reg_year = registered.astype("datetime64[Y]").astype(np.int64) + 1970
        three = np.where(
            registered >= np.datetime64("2019-09-01"), rng.random(n) < 0.9, rng.random(n) < 0.02
        )
        regional = np.where(
            plate_use == "business", rng.random(n) < 0.5, (reg_year < 2006) & (rng.random(n) < 0.3)
        )
        vtype = mtype[model]

        def draw_plates(rows: Idx) -> Strs:
            return num.plates_many(rng, vtype[rows], plate_use[rows], three[rows], regional[rows])

        plates = num.unique_redraw(draw_plates(np.arange(n)), draw_plates)
        wmi = np.array([mm.wmi for mm in models])[model]
        vins = num.vins_many(rng, wmi, model_year)
        vins = num.unique_redraw(vins, lambda rows: num.vins_many(rng, wmi[rows], model_year[rows]))
        renamed = np.array([mm.renamed for mm in models])[model]
        make = np.where(
            (renamed > 0) & (reg_year < renamed),
            np.array([mm.old_make for mm in models])[model],
            np.array([mm.make for mm in models])[model],
        )

        owner_kind = np.where(by_corp, "corporation", "resident")
        owner_id = np.empty(n, dtype=object)
        owner_id[~by_corp] = res["rrn"].gather(owner_res).to_numpy()
        owner_id[by_corp] = corp["crn"].gather(owner_corp).to_numpy()
        use_addr = np.empty(n, dtype=object)
        use_addr[~by_corp] = res["address_id"].gather(owner_res).to_numpy()
        use_addr[by_corp] = corp["head_office_address_id"].gather(owner_corp).to_numpy()
        region = np.empty(n, dtype=object)
        region[~by_corp] = res["region_code"].gather(owner_res).to_numpy()
        region[by_corp] = corp["region_code"].gather(owner_corp).to_numpy()
        return pl.DataFrame(
            {
                "vin": vins,
                "plate": plates,
                "make": make,
                "model": np.array([mm.model for mm in models])[model],
                "model_year": model_year,
                "fuel": fuel,
                "vehicle_type": vtype,
                "use_kind": use,
                "owner_kind": owner_kind,
                "owner_id": pl.Series(owner_id.tolist(), dtype=pl.Utf8),
                "use_address_id": pl.Series(use_addr.tolist(), dtype=pl.Utf8),
                "registered_date": _dates(registered),
                "status": status,
                "status_date": _dates(status_date, status == "registered"),
                "region_code": pl.Series(region.tolist(), dtype=pl.Utf8),
            }
        )

    # ------------------------------------------------------------------- licences

    def _licence(self) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
        rng = self.rng("licence")
        ref = self.ref
        res = self.frame("resident")
        age = res["_age"].to_numpy()
        male = res["sex"].to_numpy() == "M"
        weight = np.select(
            [age < 18, age < 20, age < 30, age < 60, age < 70, age < 80],
            [0.0, 0.35, 0.75, 0.92, 0.85, 0.6], 0.3,
        ) * np.where(male, 1.0, 0.8)  # fmt: skip
        holders = _top_k(rng, weight, self.rows["licence"])
        holders = rng.permutation(holders)
        n = len(holders)
        h_age = age[holders]
        h_birth = res["birth_date"].to_numpy()[holders]
        kind = _choice(
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
        eligible = _years_after(h_birth, min_age)
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
        expiry[learner] = _years_after(issued[learner], 1)
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
        status_date = _between(rng, issued + 1, np.full(n, ref))
        suspended = status == "suspended"
        status_date[suspended] = _between(
            rng, np.maximum(issued[suspended] + 1, ref - 100), np.full(int(suspended.sum()), ref)
        )
        old_enough = issued < ref - 400
        status[(status == "expired") & ~gone & ~old_enough] = "valid"
        lapsed = (status == "expired") & ~gone
        expiry[lapsed] = _between(rng, issued[lapsed] + 365, np.full(int(lapsed.sum()), ref - 2))
        status_date[lapsed] = expiry[lapsed] + 1
        status_date[gone] = np.minimum(
            h_status_date[gone] + rng.integers(0, 31, int(gone.sum())), ref
        )
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
                "holder_birth_date": _dates(h_birth),
                "licence_kind": kind,
                "automatic_only": automatic,
                "issued_date": _dates(issued),
                "expiry_date": _dates(expiry),
                "status": status,
                "status_date": _dates(status_date, status == "valid"),
            }
        )

    # -------------------------------------------------------------- farm businesses

    def _farm_business(self) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
        rng = self.rng("farm_business")
        ref = self.ref
        res = self.frame("resident")
        units, _ = self.geo()
        rurality = np.where(units["rural"].to_numpy(), 8.0, 0.15)
        kind_of_unit = np.array([ko.SIGUNGU[s].kind for s in units["sgg"].to_list()])
        rurality = np.where((kind_of_unit == "gun") & ~units["rural"].to_numpy(), 2.0, rurality)
        person_rural = rurality[res["_unit"].to_numpy()]
        weight = self._people(25, lambda a: np.where(a >= 60, 3.0, 1.0)) * person_rural
        operators = rng.permutation(_top_k(rng, weight, self.rows["farm_business"]))
        n = len(operators)
        op_unit = res["_unit"].to_numpy()[operators]
        sgg_of_unit = units["sgg"].to_numpy()

        # parcels: active farmland, preferably in the operator's si-gun-gu
        parcels = self.frame("_parcels")
        farmland = np.flatnonzero(
            np.isin(parcels["land_category"].to_numpy(), list(_FARMLAND))
            & (parcels["status"].to_numpy() == "active")
        )
        no_land = rng.random(n) < 0.1
        wanted = np.where(no_land, 0, np.minimum(rng.geometric(0.45, n), 8))
        assigned = _assign_parcels(
            rng, sgg_of_unit[parcels["_unit"].to_numpy()[farmland]], farmland,
            sgg_of_unit[op_unit], wanted,
        )  # fmt: skip
        pnus = parcels["pnu"].to_numpy().astype(np.str_)
        categories = parcels["land_category"].to_numpy().astype(np.str_)
        areas = parcels["area_m2"].to_numpy()
        parcel_text: list[str | None] = []
        area = np.zeros(n)
        crop = np.empty(n, dtype="U14")
        crop_u = rng.random(n)
        for i, plist in enumerate(assigned):
            if not plist:
                parcel_text.append(None)
                area[i] = 0.0
                crop[i] = "livestock" if crop_u[i] < 0.7 else "mushrooms"
                continue
            parcel_text.append(";".join(pnus[plist]))
            area[i] = areas[plist].sum()
            cats = categories[plist]
            if (cats == "paddy").sum() * 2 > len(cats):
                crop[i] = "rice" if crop_u[i] < 0.85 else "food_crops"
            elif (cats == "orchard").any():
                crop[i] = "fruit"
            elif (cats == "pasture").any():
                crop[i] = "livestock"
            else:
                crop[i] = ("vegetables", "food_crops", "special_crops", "flowers", "other")[
                    min(int(crop_u[i] * 5), 4)
                ]
        livestock = crop == "livestock"
        area = np.where(area == 0, np.round(rng.uniform(200, 3000, n), 1), area)
        mushrooms = crop == "mushrooms"
        area[mushrooms] = np.round(rng.uniform(100, 600, int(mushrooms.sum())), 1)
        stems = np.array(ko.NAME_STEMS)[rng.integers(0, len(ko.NAME_STEMS), n)]
        suffix = np.where(livestock, "목장", np.where(crop == "fruit", "농원", "농장"))
        named = rng.random(n) < 0.35
        birth = res["birth_date"].to_numpy()[operators]
        earliest = np.maximum(_years_after(birth, 18), np.datetime64("2009-01-01"))
        registered = _between(rng, np.minimum(earliest, ref - 1), np.full(n, ref - 1))
        cancelled = rng.random(n) < 0.04
        status_date = _between(rng, registered + 1, np.full(n, ref))
        number = identifiers.VALIDATORS["farm_business_no"].generate_many(rng, n, unique=True)
        return pl.DataFrame(
            {
                "farm_business_no": number,
                "operator_rrn": res["rrn"].gather(operators),
                "operator_name": res["name"].gather(operators),
                "farm_name": _nullable(np.char.add(stems, suffix), ~named),
                "parcels": pl.Series(parcel_text, dtype=pl.Utf8),
                "main_crop": crop,
                "area_m2": np.round(area, 1),
                "address_id": res["address_id"].gather(operators),
                "registered_date": _dates(registered),
                "status": np.where(cancelled, "cancelled", "active"),
                "status_date": _dates(status_date, ~cancelled),
                "region_code": res["region_code"].gather(operators),
            }
        )

    # ---------------------------------------------------------------------- goods

    def _goods(self) -> pl.DataFrame:
        rng = self.rng("goods")
        ref = self.ref
        n = self.rows["goods"]
        biz = self.frame("business")
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
        price = np.maximum(np.round(_lognormal(rng, price, np.full(n, 0.35)), -1), 10)
        registered = _between(rng, np.datetime64("2005-01-01"), np.full(n, ref - 1))
        discontinued = rng.random(n) < 0.12
        status_date = _between(rng, registered + 1, np.full(n, ref))
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
                "maker_brn": _nullable(maker_brn, foreign),
                "maker_name": maker_name,
                "unit": np.array([g.unit for g in cat.GOODS_CLASSES])[cls],
                "unit_price": price.astype(np.int64),
                "registered_date": _dates(registered),
                "status": np.where(discontinued, "discontinued", "active"),
                "status_date": _dates(status_date, ~discontinued),
            }
        )

    # ------------------------------------------------------------------ medicines

    def _medicine(self) -> pl.DataFrame:
        rng = self.rng("medicine")
        ref = self.ref
        n = self.rows["medicine"]
        biz = self.frame("business")
        pharma = np.flatnonzero(biz["_role"].to_numpy() == "pharma")
        if len(pharma) == 0:
            pharma = np.flatnonzero(biz["status"].to_numpy() == "active")[:1]
        maker = pharma[_weighted(rng, 1.0 / (1.0 + rng.permutation(len(pharma))) ** 0.8, n)]
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
        serial = _rank_within(year) + rng.integers(1, 3000, len(years))[year_idx]
        product = _cat(pl.Series(year).cast(pl.Utf8), _zfill(np.minimum(serial, 99999), 5))
        # each manufacturer owns a GS1 company prefix; items are numbered within it
        prefixes = rng.permutation(np.arange(1000, 10000))[: len(pharma)]
        company = prefixes[np.searchsorted(pharma, maker)]
        item = _rank_within(company) + rng.integers(1, 5000, 10000)[company]
        u = rng.random(n)
        status = np.where(u < 0.85, "approved", np.where(u < 0.93, "cancelled", "withdrawn"))
        status_date = _between(rng, approval + 1, np.full(n, ref))
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
                "approval_date": _dates(approval),
                "status": status,
                "status_date": _dates(status_date, status == "approved"),
            }
        )

    # ------------------------------------------------------- hazardous substances

    def _hazardous_substance(self) -> pl.DataFrame:
        rng = self.rng("hazardous_substance")
        ref = self.ref
        n = self.rows["hazardous_substance"]
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
        gen_class = np.where(is_new, _choice(rng, new_classes, k), _choice(rng, old_classes, k))
        cls = np.r_[np.array([s.hazard_class for s in curated], dtype="U20"), gen_class]
        new_law = np.datetime64("2025-08-07")
        designated = np.where(
            np.r_[np.zeros(len(curated), bool), is_new],
            _between(rng, new_law, np.full(n, ref - 1)),
            _between(rng, np.datetime64("1991-02-02"), np.full(n, new_law - 1)),
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
        status_date = _between(rng, designated + 1, np.full(n, ref))
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
                "designated_date": _dates(designated),
                "status": np.where(delisted, "delisted", "designated"),
                "status_date": _dates(status_date, ~delisted),
            }
        )


# ----------------------------------------------------------------- module helpers


def _norm(weights: Floats) -> Floats:
    return np.asarray(weights / weights.sum())


def _rank_within(groups: npt.ArrayLike) -> Ints:
    """0-based position of each element among the equal elements before it."""
    values = np.asarray(groups)
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    first = np.r_[True, sorted_values[1:] != sorted_values[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(values)), 0))
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.arange(len(values)) - start
    return rank


def _index_of(keys: pl.Series, wanted: npt.NDArray[np.str_]) -> Idx:
    """Row of each wanted key in ``keys`` (keys are unique)."""
    lookup = pl.DataFrame({"k": keys, "i": np.arange(len(keys))})
    found = pl.DataFrame({"k": pl.Series(wanted, dtype=pl.Utf8)}).join(
        lookup, on="k", how="left", maintain_order="left"
    )
    return found["i"].to_numpy().astype(np.intp)


def _status_date_or_ref(frame: pl.DataFrame, ref: np.datetime64) -> Days:
    """The status date, or the reference date where there is none (for later comparisons)."""
    dates = frame["status_date"].to_numpy()
    return np.where(np.isnat(dates), ref, dates).astype("datetime64[D]")


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


def _assign_parcels(
    rng: np.random.Generator,
    parcel_group: Ints,
    parcel_ids: Ints,
    farm_group: Ints,
    wanted: Ints,
) -> list[list[int]]:
    """Give each farm ``wanted`` distinct parcels, from its own group first, then any."""
    order = rng.permutation(len(parcel_ids))
    by_group: dict[int, list[int]] = {}
    for pos in order:
        by_group.setdefault(int(parcel_group[pos]), []).append(int(parcel_ids[pos]))
    leftovers: list[int] = []
    result: list[list[int]] = [[] for _ in range(len(farm_group))]
    short: list[int] = []
    for i in np.argsort(farm_group, kind="stable"):
        pool = by_group.get(int(farm_group[i]), [])
        take = int(wanted[i])
        result[i] = pool[:take]
        del pool[:take]
        if len(result[i]) < take:
            short.append(int(i))
    for pool in by_group.values():
        leftovers.extend(pool)
    leftovers = [leftovers[j] for j in rng.permutation(len(leftovers))]
    for i in short:
        need = int(wanted[i]) - len(result[i])
        result[i] = result[i] + leftovers[:need]
        del leftovers[:need]
    return result


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


def _korean_names(
    rng: np.random.Generator, birth: Days, male: Bools
) -> tuple[pl.Series, pl.Series, pl.Series]:
    """(surname, given name, Hanja name or null) by birth cohort and sex."""
    n = len(birth)
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    cohort = np.searchsorted(np.asarray(ko.COHORT_STARTS), year, side="right") - 1
    flat: list[str] = []
    offsets: dict[tuple[int, bool], tuple[int, int]] = {}
    for c, (men, women) in enumerate(ko.GIVEN_NAMES):
        for is_male, names in ((True, men), (False, women)):
            offsets[(c, is_male)] = (len(flat), len(names))
            flat.extend(names)
    given = np.zeros(n, dtype=np.int64)
    for (c, is_male), (offset, size) in offsets.items():
        mask = (cohort == c) & (male == is_male)
        weights = 1.0 / (np.arange(size) + 3.0)
        given[mask] = offset + rng.choice(size, int(mask.sum()), p=weights / weights.sum())
    share = np.array([s[2] for s in ko.SURNAMES])
    surname = rng.choice(len(share), n, p=share / share.sum())
    given_hanja = ["".join(ko.NAME_HANJA.get(ch, "?") for ch in name) for name in flat]
    has_hanja = np.array(["?" not in h for h in given_hanja])[given] & (
        rng.random(n) < np.where(year < 2000, 0.6, 0.25)
    )
    surname_text = pl.Series([s[0] for s in ko.SURNAMES]).gather(surname)
    hanja = _cat(
        pl.Series([s[1] for s in ko.SURNAMES]).gather(surname),
        pl.Series(given_hanja).gather(given),
    )
    hanja = pl.select(pl.when(pl.Series(has_hanja)).then(hanja).otherwise(None)).to_series()
    return surname_text, pl.Series(flat).gather(given), hanja


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
    return _nullable(names, ~keep)


def _build_geo(rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:  # noqa: PLR0915 - one pass over the table
    """Legal dongs (and ri) of every si-gun-gu, their postal ranges and roads."""
    unit_rows: dict[str, list[object]] = {
        k: [] for k in ("sgg", "region", "sido", "ldong", "emd", "emd_name", "ri_name",
                        "eupmyeon", "rural", "weight", "postal_base", "postal_span")
    }  # fmt: skip
    road_rows: dict[str, list[object]] = {k: [] for k in ("unit", "road_no", "road_name", "weight")}
    syllables = np.array(ko.PLACE_SYLLABLES)
    stems_all = np.array(ko.ROAD_STEMS)
    sido_pop: dict[str, int] = {}
    for s in ko.SIGUNGU:
        sido_pop[s.code[:2]] = sido_pop.get(s.code[:2], 0) + s.population
    sido_seen: dict[str, int] = {}
    for sgg_index, sgg in enumerate(ko.SIGUNGU):
        sido = ko.SIDO[sgg.code[:2]]
        lo, hi = sido.postal[0] * 1000, (sido.postal[1] + 1) * 1000
        before = sido_seen.get(sido.code, 0)
        sido_seen[sido.code] = before + sgg.population
        p_lo = lo + (hi - lo) * before // sido_pop[sido.code]
        p_hi = max(p_lo + 1, lo + (hi - lo) * (before + sgg.population) // sido_pop[sido.code])
        used_names: set[str] = set()

        def fresh(suffix: str, used: set[str] = used_names) -> str:
            while True:
                stem = "".join(syllables[rng.integers(0, len(syllables), 2)])
                if stem not in used:
                    used.add(stem)
                    return stem + suffix

        units: list[tuple[str, str, str, bool, float]] = []  # emd, emd name, ri name, rural, w
        pop = float(sgg.population)
        if sgg.kind in ("gu", "si"):
            share = 1.0 if sgg.kind == "gu" else 0.8
            n_dong = int(np.clip(round(pop * share / (18 if sgg.kind == "gu" else 20)), 3, 40))
            for k in range(n_dong):
                units.append((f"{101 + k}", fresh("동"), "", False, pop * share / n_dong))
        if sgg.kind in ("si", "gun"):
            share = 0.2 if sgg.kind == "si" else 1.0
            n_em = int(np.clip(round(pop * share / (10 if sgg.kind == "si" else 7)), 2, 13))
            n_eup = 1 if sgg.kind == "si" or pop < 60 else 2
            for k in range(n_em):
                is_eup = k < n_eup
                code = f"{250 + 3 * k}" if is_eup else f"{310 + 10 * (k - n_eup)}"
                em_name = fresh("읍" if is_eup else "면")
                em_weight = pop * share * (0.4 / n_eup if is_eup else 0.6 / max(n_em - n_eup, 1))
                n_ri = int(rng.integers(3, 9 if sgg.kind == "si" else 11))
                for j in range(n_ri):
                    units.append((code + f"{21 + j}", em_name, fresh("리"), True, em_weight / n_ri))
        stems = list(rng.permutation(stems_all))
        road_names: set[str] = set()

        def claim(name: str, stem: str, taken: set[str] = road_names) -> str:
            candidates = [name] + [stem + s for s in ("로", "길", "안길", "중앙로", "동로", "서로")]
            for candidate in candidates:
                if candidate not in taken:
                    taken.add(candidate)
                    return candidate
            i = 1
            while f"{stem}{i}번길" in taken:
                i += 1
            taken.add(f"{stem}{i}번길")
            return f"{stem}{i}번길"

        road_serial = 0
        for k, (emd, emd_name, ri_name, rural, weight) in enumerate(units):
            unit_id = len(unit_rows["sgg"])
            unit_rows["sgg"].append(sgg_index)
            unit_rows["region"].append(sgg.code)
            unit_rows["sido"].append(sgg.code[:2])
            ri = emd[3:] if rural else "00"
            unit_rows["ldong"].append(sgg.code + emd[:3] + ri)
            unit_rows["emd"].append(emd[:3])
            unit_rows["emd_name"].append(emd_name)
            unit_rows["ri_name"].append(ri_name)
            unit_rows["eupmyeon"].append(rural)
            unit_rows["rural"].append(rural or sgg.kind == "gun")
            unit_rows["weight"].append(weight * float(np.exp(rng.normal(0, 0.3))))
            span = max(1, (p_hi - p_lo) // len(units))
            unit_rows["postal_base"].append(p_lo + k * (p_hi - p_lo) // len(units))
            unit_rows["postal_span"].append(span)
            if rural:
                stem = ri_name[:-1]
                main = claim(stem + "길", stem)
                sides = int(rng.integers(0, 4))
            else:
                stem = str(stems[k % len(stems)])
                suffix = ("로", "대로", "길")[int(rng.choice(3, p=[0.8, 0.1, 0.1]))]
                main = claim(stem + suffix, stem)
                sides = int(rng.integers(2, 10))
            names = [main]
            number = 0
            for _ in range(sides):
                number += int(rng.integers(1, 4))
                base = main if not rural else stem
                names.append(claim(f"{base}{number}길", stem))
            for j, road_name in enumerate(names):
                road_rows["unit"].append(unit_id)
                road_rows["road_no"].append(3_000_001 + 3 * road_serial)
                road_rows["road_name"].append(road_name)
                road_rows["weight"].append(3.0 if j == 0 else 1.0)
                road_serial += 1
    units_frame = pl.DataFrame(unit_rows, strict=False).with_columns(
        pl.col("sgg").cast(pl.Int64), pl.col("weight").cast(pl.Float64),
        pl.col("postal_base").cast(pl.Int64), pl.col("postal_span").cast(pl.Int64),
    )  # fmt: skip
    roads_frame = pl.DataFrame(road_rows, strict=False).with_columns(
        pl.col("unit").cast(pl.Int64), pl.col("road_no").cast(pl.Int64),
        pl.col("weight").cast(pl.Float64),
    )  # fmt: skip
    return units_frame, roads_frame
