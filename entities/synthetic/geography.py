"""The shared geography of a synthetic snapshot: legal dongs, ri and their roads.

Several datasets stand on the same places (parcels, addresses, residents' and
farms' regions), so the geography belongs to no dataset: the
:class:`~entities.synthetic.world.World` builds it once per run from its own seed
stream (:data:`SEED_KEY`) and hands it to every builder that asks. Names are
composed from :mod:`entities.synthetic.korean` syllables; codes follow the real
si-gun-gu codes.

``units`` has one row per legal dong (urban) or ri (rural): ``sgg`` (index into
:data:`entities.synthetic.korean.SIGUNGU`), ``region`` (5-digit si-gun-gu code),
``sido``, ``ldong`` (10-digit legal-dong code), ``emd``, ``emd_name``,
``ri_name``, ``eupmyeon``, ``rural``, ``weight`` (share of the population),
``postal_base`` and ``postal_span``. ``roads`` has ``unit``, ``road_no``,
``road_name`` and ``weight`` (main roads weigh more).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from entities.synthetic import korean as ko

SEED_KEY: Final = 100
"""The geography draws from ``default_rng([seed, SEED_KEY])``; no builder may use this key."""


def build_geography(rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:  # noqa: PLR0915 - one pass over the table
    """(units, roads): legal dongs (and ri) of every si-gun-gu, their postal ranges and roads."""
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
