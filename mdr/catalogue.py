"""The datasets as the core sees them: a registry that ``entities`` fills.

The core names datasets, their fields and the identifiers people are known by (keys and
grants, the disclosure gate, citizens' tokens) but must not import ``entities``, which
is built on the core (DESIGN.md section 2). So the core states here what it needs of a
dataset (:class:`Dataset`) and of the catalogue (:class:`Catalogue`), and
``entities.registry`` registers the 14 specs when it is imported; every program (the
API, the CLI, the scheduler, the tests) imports it before it reads or grants anything.
"""

from __future__ import annotations

from typing import Protocol

from mdr.errors import ConfigurationError


class Dataset(Protocol):
    """What the core needs of a dataset (``entities.spec.DatasetSpec`` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def key(self) -> str: ...

    @property
    def field_names(self) -> tuple[str, ...]: ...

    @property
    def identifier_fields(self) -> tuple[str, ...]:
        """Fields holding a personal identifier: whom a record is about."""
        ...


class Catalogue(Protocol):
    """The datasets, and the identifiers a data subject is known by."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every dataset, in dependency order."""
        ...

    def dataset(self, name: str) -> Dataset:
        """The dataset called ``name``; ``UnknownDataset`` otherwise."""
        ...

    def subject_identifier(self, raw: str) -> str:
        """``raw`` as the canonical registration number of a person (a resident's or a
        foreign resident's); ``InvalidIdentifier`` if it is neither."""
        ...


_registered: list[Catalogue] = []


def register(catalogue: Catalogue) -> None:
    """Make ``catalogue`` the one the core asks (``entities.registry`` does, on import)."""
    _registered[:] = [catalogue]


def catalogue() -> Catalogue:
    if not _registered:
        raise ConfigurationError("no dataset catalogue is registered: import entities.registry "
                                 "before using the core's access functions")
    return _registered[0]
