"""Residents (MOIS): Korean people by the age pyramid, in households at addresses.

Households are drawn by the census' household sizes, each headed by an adult;
households settle at addresses by their capacity (apartment complexes hold
many, shops few). Names follow birth cohort and sex, RRNs carry birth date, sex
and a valid check digit. :func:`people_weights` is how other builders choose
people: only the living, of a minimum age, weighted by age.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
import polars as pl

from entities import identifiers
from entities.resident import SPEC
from entities.synthetic import korean as ko
from entities.synthetic.builders import Builder, register
from entities.synthetic.builders.address import addresses_for
from entities.synthetic.draws import (
    AnyFloats,
    Bools,
    Days,
    Floats,
    Ints,
    age_at,
    between,
    concat,
    dates,
    pick_within,
    weighted,
    zfill,
)
from entities.synthetic.world import World

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


def planned(scale: int) -> int:
    """``scale`` is the number of residents."""
    return scale


def build(world: World) -> pl.DataFrame:  # noqa: PLR0915 - one flat description of the dataset
    """Residents in households at addresses (``_age``, ``_alive`` ... for other builders)."""
    rng = world.rng(SPEC.name)
    n = world.scale
    ref = world.ref
    pyramid = np.asarray(AGE_PYRAMID, dtype=np.float64)
    group = rng.choice(len(pyramid), n, p=pyramid / pyramid.sum())
    age_days = ((group * 5 + rng.random(n) * 5) * 365.2425).astype(np.int64)
    if not (age_days >= 30 * 366).any():
        age_days[0] = 40 * 365  # tiny scales: someone must be able to own and represent
    birth = ref - 1 - age_days
    age = age_at(birth, ref)
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
    units, _ = world.geo()
    cap, address = addresses_for(world, HOUSEHOLD_CAPACITY)
    a_unit = address["_unit"].to_numpy()
    has_room = np.bincount(a_unit, weights=cap, minlength=len(units)) > 0
    unit_w = units["weight"].to_numpy() * has_room
    hh_unit = weighted(rng, unit_w, n_hh)
    hh_address = pick_within(rng, a_unit, cap, hh_unit)
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
    status_date = between(rng, move_in, np.full(n, ref))
    region = address["region_code"].to_numpy().astype(np.str_)[person_address]
    sexes = np.where(male, "M", "F")
    rrn = identifiers.VALIDATORS["rrn"].generate_many(rng, n, unique=True, birth=birth, sex=sexes)
    return pl.DataFrame(
        {
            "rrn": rrn,
            "name": concat(surname, given),
            "name_hanja": hanja,
            "birth_date": dates(birth),
            "sex": sexes,
            "address_id": address["road_address_id"].gather(person_address),
            "household_id": concat(pl.Series(region[hh_start][household]), zfill(household + 1, 7)),
            "household_role": np.where(is_head_slot, "head", "member"),
            "move_in_date": dates(move_in),
            "status": status,
            "status_date": dates(status_date, status == "alive"),
            "region_code": region,
            "_age": age,
            "_alive": status == "alive",
            "_sido": address["_sido"].gather(person_address),
            "_unit": address["_unit"].gather(person_address),
            "_status_date": dates(status_date),
        }
    )


def people_weights(
    world: World, min_age: int, weight: Callable[[Ints], AnyFloats] | None = None
) -> Floats:
    """Weights over residents: alive, at least ``min_age``, shaped by ``weight(age)``."""
    res = world.frame("resident")
    age = res["_age"].to_numpy()
    w = (res["_alive"].to_numpy() & (age >= min_age)).astype(np.float64)
    if weight is not None:
        w *= weight(age)
    if w.sum() == 0:  # tiny scales: fall back to the oldest living resident
        alive = res["_alive"].to_numpy()
        w[np.argmax(np.where(alive, age, -1))] = 1.0
    return w


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
    hanja = concat(
        pl.Series([s[1] for s in ko.SURNAMES]).gather(surname),
        pl.Series(given_hanja).gather(given),
    )
    hanja = pl.select(pl.when(pl.Series(has_hanja)).then(hanja).otherwise(None)).to_series()
    return surname_text, pl.Series(flat).gather(given), hanja


BUILDER: Final = register(
    Builder(SPEC.name, build, seed_key=2, needs=("address",), spec=SPEC, rows=planned)
)
