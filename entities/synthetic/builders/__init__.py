"""The registry of dataset builders: one module per dataset in this package.

A :class:`Builder` says how to build one frame of the synthetic snapshot: its
name, the spec whose columns it writes, the frames it reads (``needs``), its
seed key and its planned row count. Each module of this package registers its
builders with :func:`register` when imported, and :func:`registered` imports
every module of the package, so a new module is found without an edit here or
in :mod:`entities.synthetic.world`, which orders and runs whatever is registered.

Builders are kept apart from the dataset specs (``entities/<dataset>.py``):
every process (API, sync, checks) loads the specs, and none of them needs
hundreds of lines of numpy and the vocabulary tables to generate data.

A builder without a spec is a *stage*: an intermediate frame several datasets
share (the cadastre of parcels before they have owners), built once and never
written.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from entities.spec import DatasetSpec
from entities.synthetic import geography

if TYPE_CHECKING:
    import polars as pl

    from entities.synthetic.world import World


@dataclass(frozen=True)
class Builder:
    """How one frame of the snapshot is built.

    - ``build(world)`` returns the frame: the spec's columns (any type; the
      writer casts them to text) plus helper columns starting with ``_`` that
      other builders read. It reads other frames only through
      ``world.frame(name)``, and only those named in ``needs``: the world
      refuses any other, so the declared dependencies are the real ones.
    - ``seed_key``: the builder draws from ``world.rng(name, stream)``, that is
      ``numpy.random.default_rng([seed, seed_key, stream])``. A dataset's key
      never changes (its output would), and datasets do not share keys; a stage
      shares the key of the dataset it belongs to and uses another stream.
      Stream 2 of a dataset is taken by its agency copy
      (:data:`entities.synthetic.writer.AGENCY_STREAM`).
    - ``rows(scale)``: the planned row count for ``scale`` residents (datasets
      only); builders read the counts of others from ``world.rows``.
    """

    name: str
    build: Callable[[World], pl.DataFrame]
    seed_key: int
    needs: tuple[str, ...] = ()
    spec: DatasetSpec | None = None
    rows: Callable[[int], int] | None = None

    def __post_init__(self) -> None:
        if self.spec is not None and self.spec.name != self.name:
            raise ValueError(f"builder {self.name!r} writes the spec of {self.spec.name!r}")
        if (self.spec is None) != (self.rows is None):
            raise ValueError(f"builder {self.name!r}: a dataset has a spec and planned rows")
        if self.seed_key == geography.SEED_KEY:
            raise ValueError(f"builder {self.name!r}: seed key {self.seed_key} is the geography's")
        if self.name in self.needs:
            raise ValueError(f"builder {self.name!r} needs itself")

    @property
    def is_dataset(self) -> bool:
        """True when the frame is written (it has a spec); false for a stage."""
        return self.spec is not None


BUILDERS: dict[str, Builder] = {}
"""Every registered builder by name, in registration order."""


def register(builder: Builder) -> Builder:
    """Add ``builder`` to :data:`BUILDERS`; a taken name or dataset seed key raises ValueError."""
    if builder.name in BUILDERS:
        raise ValueError(f"a builder named {builder.name!r} is already registered")
    if builder.is_dataset:
        for other in BUILDERS.values():
            if other.is_dataset and other.seed_key == builder.seed_key:
                raise ValueError(
                    f"builder {builder.name!r}: seed key {builder.seed_key} is taken by "
                    f"{other.name!r}"
                )
    BUILDERS[builder.name] = builder
    return builder


def registered() -> dict[str, Builder]:
    """Every builder: each module of this package is imported (once), which registers it."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(BUILDERS)
