"""The catalogue of the 14 national master datasets.

:data:`DATASETS` lists them in dependency order: every dataset comes after the
datasets its relations point to, so loading, generating and checking them in
this order always finds a required reference's target already present. The
one relation that points forward is the optional owner of a land parcel
(``land_parcel.owner`` -> resident or corporation): parcels come first because
addresses, and through them residents and corporations, need a parcel.

    land_parcel -> address -> resident, foreign_resident, corporation
    -> business -> workplace -> building -> vehicle -> licence -> farm_business
    -> goods -> medicine -> hazardous_substance
"""

from __future__ import annotations

from entities import (
    address,
    building,
    business,
    corporation,
    farm_business,
    foreign_resident,
    goods,
    hazardous_substance,
    land_parcel,
    licence,
    medicine,
    resident,
    vehicle,
    workplace,
)
from entities.identifiers import check, normalize
from entities.spec import DatasetSpec
from mdr.catalogue import register
from mdr.errors import InvalidIdentifier, UnknownDataset, shown

DATASETS: dict[str, DatasetSpec] = {
    module.SPEC.name: module.SPEC
    for module in (
        land_parcel,
        address,
        resident,
        foreign_resident,
        corporation,
        business,
        workplace,
        building,
        vehicle,
        licence,
        farm_business,
        goods,
        medicine,
        hazardous_substance,
    )
}
"""Every dataset by name, in dependency order (see the module docstring)."""


def dataset_names() -> tuple[str, ...]:
    """Names of all datasets, in dependency order."""
    return tuple(DATASETS)


def get_dataset(name: str) -> DatasetSpec:
    """The spec of dataset ``name``; :class:`UnknownDataset` names the valid ones."""
    try:
        return DATASETS[name]
    except KeyError:
        raise UnknownDataset(
            f"unknown dataset {shown(name)!r}; valid names: {', '.join(DATASETS)}",
            dataset=shown(name),
            valid=list(DATASETS),
        ) from None


#: The identifiers a data subject is known by: Koreans by their resident registration
#: number, foreign residents by their foreign registration number.
SUBJECT_IDENTIFIERS = ("rrn", "frn")


class _SpecCatalogue:
    """The specs as the core's :class:`mdr.catalogue.Catalogue`."""

    @property
    def names(self) -> tuple[str, ...]:
        return dataset_names()

    def dataset(self, name: str) -> DatasetSpec:
        return get_dataset(name)

    def subject_identifier(self, raw: str) -> str:
        for kind in SUBJECT_IDENTIFIERS:
            if check(kind, raw).ok:
                return normalize(kind, raw)
        raise InvalidIdentifier("not a valid resident or foreign registration number")


register(_SpecCatalogue())
