"""One synthetic national snapshot: the shared context its builders draw from.

:class:`World` runs the builders registered in :mod:`entities.synthetic.builders`
and knows no dataset by name. It holds what every builder shares: the seed and
its random streams, the scale and each dataset's planned row count, the
reference date, the geography (:mod:`entities.synthetic.geography`) and the
frames already built, each built once, on first need, after what it needs.

Consistency (every reference resolves, the integrity rules hold) is each
builder's job, towards the frames it declares it needs: people live at
addresses that exist, vehicles belong to residents and corporations that exist,
statuses and their dates are coherent, region codes agree with legal-dong codes
and PNUs, and every identifier passes :func:`entities.identifiers.check`
without a warning. Sizes follow Korean national figures per resident (each
builder's ``rows``, see :func:`planned_rows`); the national catalogues (goods,
medicines, hazardous substances) grow sub-linearly.

Randomness: a builder draws from ``numpy.random.default_rng([seed, key, s])``
where ``key`` is its fixed seed key and ``s`` a stream number, and the
geography from ``[seed, 100]``. A dataset therefore depends only on the seed
and the frames it needs, never on which other datasets are generated or
registered, and the same seed gives the same frames.

Dates are relative to :data:`REFERENCE_DATE`, not today, so output is
reproducible. Validity periods that are active (licence expiry, a foreigner's
stay) end at least 400 days after it, so the snapshot stays integrity-clean for
a year after the reference date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

import numpy as np
import polars as pl

from entities.registry import DATASETS
from entities.spec import DatasetSpec
from entities.synthetic import geography
from entities.synthetic.builders import Builder, registered

REFERENCE_DATE: Final = dt.date(2026, 11, 1)
"""The day the snapshot describes; every generated date is on or before it."""

NATIONAL_RESIDENTS: Final = 51_200_000
"""Resident-registered population of Korea the national figures per resident refer to."""


def per_resident(scale: int, ratio: float, floor: int = 1) -> int:
    """Rows of a dataset with ``ratio`` rows per resident (national count / 51.2M), at least
    ``floor`` so that every dataset has rows even at tiny scales."""
    return max(floor, round(ratio * scale))


def national_share(scale: int) -> float:
    """The share of Korea's residents that ``scale`` stands for (national catalogues)."""
    return scale / NATIONAL_RESIDENTS


def planned_rows(scale: int, builders: Mapping[str, Builder] | None = None) -> dict[str, int]:
    """Rows per dataset for ``scale`` residents, from each builder's ``rows``.

    Datasets come in :func:`dataset_order`. Buildings are an expected count (they
    follow the addresses), driver licences an upper bound (one per resident old
    enough to hold one).
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    builders = registered() if builders is None else builders
    counts: dict[str, int] = {}
    for name in dataset_order(builders):
        rows = builders[name].rows
        assert rows is not None  # a dataset has planned rows (Builder checks)
        counts[name] = rows(scale)
    return counts


def dataset_order(builders: Mapping[str, Builder]) -> list[str]:
    """The datasets (builders with a spec) in the order results are reported.

    The order of :data:`entities.registry.DATASETS` (dependency order), then
    datasets it does not list in registration order, so reports read the same
    whichever order the builder modules were found in.
    """
    known = {name: i for i, name in enumerate(DATASETS)}
    datasets = [name for name, b in builders.items() if b.is_dataset]
    position = {name: i for i, name in enumerate(datasets)}
    return sorted(datasets, key=lambda n: (n not in known, known.get(n, position[n])))


def generation_order(builders: Mapping[str, Builder]) -> list[str]:
    """Every builder after the ones it needs: a depth-first walk over :func:`dataset_order`.

    Raises ValueError for a need that is not registered and for a cycle, so a
    wrong declaration fails before anything is built.
    """
    order: list[str] = []
    state: dict[str, bool] = {}  # False: on the current path; True: placed

    def visit(name: str, path: tuple[str, ...]) -> None:
        if state.get(name) is True:
            return
        if state.get(name) is False:
            raise ValueError(f"builders need each other: {' -> '.join((*path, name))}")
        if name not in builders:
            raise ValueError(f"{path[-1]} needs {name!r}, which no builder builds")
        state[name] = False
        for need in builders[name].needs:
            visit(need, (*path, name))
        state[name] = True
        order.append(name)

    for name in [*dataset_order(builders), *builders]:
        visit(name, ())
    return order


class World:
    """Builds, caches and hands out the frames of one synthetic snapshot.

    ``frame(name)`` is the internal frame (spec columns plus helper columns
    starting with ``_``); ``public(name)`` is the canonical CSV form: the spec's
    columns in order, all text, ``None`` for empty. ``builders`` defaults to
    every registered builder (:func:`entities.synthetic.builders.registered`).
    """

    def __init__(
        self,
        scale: int,
        seed: int,
        reference_date: dt.date = REFERENCE_DATE,
        *,
        builders: Mapping[str, Builder] | None = None,
    ) -> None:
        if seed < 0:
            raise ValueError("seed must not be negative")
        self._builders = dict(registered() if builders is None else builders)
        self.order: tuple[str, ...] = tuple(generation_order(self._builders))
        """Every builder's name, each after the ones it needs."""
        self.datasets: tuple[str, ...] = tuple(dataset_order(self._builders))
        """The datasets this world can write, in reporting order."""
        self.rows = planned_rows(scale, self._builders)
        self.scale = scale
        self.seed = seed
        self.ref = np.datetime64(reference_date, "D")
        self._cache: dict[str, pl.DataFrame] = {}
        self._building: list[Builder] = []
        self._geo_cache: tuple[pl.DataFrame, pl.DataFrame] | None = None

    def rng(self, name: str, stream: int = 0) -> np.random.Generator:
        """Stream ``stream`` of builder ``name``: ``default_rng([seed, seed_key, stream])``."""
        return np.random.default_rng([self.seed, self._builders[name].seed_key, stream])

    def frame(self, name: str) -> pl.DataFrame:
        """The frame ``name``, built on first use; a builder may read only what it needs."""
        if self._building:
            current = self._building[-1]
            if name not in current.needs:
                raise LookupError(
                    f"builder {current.name!r} reads {name!r} but does not name it in its needs"
                )
        if name not in self._cache:
            builder = self._builders[name]
            self._building.append(builder)
            try:
                self._cache[name] = builder.build(self)
            finally:
                self._building.pop()
        return self._cache[name]

    def spec(self, name: str) -> DatasetSpec:
        """The spec dataset ``name`` is written by; a stage has none (ValueError)."""
        spec = self._builders[name].spec
        if spec is None:
            raise ValueError(f"{name!r} is a stage of the generator, not a dataset")
        return spec

    def public(self, name: str) -> pl.DataFrame:
        """Dataset ``name`` as written: its spec's columns in order, all text, null for empty."""
        spec = self.spec(name)
        frame = self.frame(name).select(spec.field_names)
        return frame.select(
            pl.col(c).cast(pl.Utf8).replace("", None).alias(c) for c in spec.field_names
        )

    def geo(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(units, roads): legal dongs / ri of every si-gun-gu, and their roads."""
        if self._geo_cache is None:
            self._geo_cache = geography.build_geography(
                np.random.default_rng([self.seed, geography.SEED_KEY])
            )
        return self._geo_cache
