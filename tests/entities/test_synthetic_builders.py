"""The generator is a registry of builders: a new dataset is one new builder, no shared edit.

A toy 15th dataset (pet registrations, owned by residents) is registered here, in
the test, and must come out of :func:`entities.synthetic.generate_snapshot` like the
14, without shifting a byte of theirs. The registry refuses wrong declarations
before anything is built, and a builder may read only the frames it declares.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from entities import common_fields as cf
from entities.agencies import MOIS
from entities.registry import DATASETS
from entities.spec import PII, Cadence, Comparator, DatasetSpec, FieldSpec, FieldType
from entities.synthetic import World, generate_snapshot, planned_rows
from entities.synthetic.builders import BUILDERS, Builder, register, registered

SHARED_MODULES = ("world.py", "writer.py", "draws.py", "geography.py", "builders/__init__.py")

PET_SPEC = DatasetSpec(
    name="pet",
    label_ko="반려동물 등록",
    label_en="Pet registration",
    description="A toy 15th dataset: registered dogs and their owners.",
    owner=MOIS,
    legal_basis="동물보호법 제15조",
    cadence=Cadence.DAILY,
    key="registration_no",
    fields=(
        FieldSpec("registration_no", FieldType.TEXT, "registration_no", "등록번호",
                  "Registration number", "Registration number.", required=True,
                  compare=Comparator.IDENTIFIER),
        cf.identifier("owner_rrn", "rrn", "소유자 주민등록번호", "Owner RRN", "The owner.",
                      validator="rrn", required=True, pii=PII.UNIQUE_IDENTIFIER),
        cf.text("name", "pet_name", "이름", "Name", "The pet's name.", required=True),
        cf.text("species", "species", "종류", "Species", "Dog or cat.", required=True),
    ),
)  # fmt: skip


def _pets(world: World) -> pl.DataFrame:
    rng = world.rng("pet")
    residents = world.frame("resident")
    n = world.rows["pet"]
    owners = rng.integers(0, len(residents), n)
    return pl.DataFrame(
        {
            "registration_no": [f"41{i:013d}" for i in range(1, n + 1)],
            "owner_rrn": residents["rrn"].gather(owners),
            "name": np.array(["초코", "보리", "콩이", "두부"])[rng.integers(0, 4, n)],
            "species": np.where(rng.random(n) < 0.8, "dog", "cat"),
        }
    )


PET = Builder(
    "pet", _pets, seed_key=14, needs=("resident",), spec=PET_SPEC, rows=lambda s: max(3, s // 10)
)


@contextmanager
def _registered(builder: Builder) -> Iterator[Builder]:
    registered()  # the 14 first, so the toy comes 15th
    register(builder)
    try:
        yield builder
    finally:
        del BUILDERS[builder.name]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


# ------------------------------------------------------------------ the registry


def test_every_dataset_has_one_builder_with_its_spec() -> None:
    builders = registered()
    datasets = {name: b for name, b in builders.items() if b.is_dataset}
    assert set(datasets) == set(DATASETS)
    for name, spec in DATASETS.items():
        assert datasets[name].spec is spec, name
    assert len({b.seed_key for b in datasets.values()}) == len(datasets)


def test_every_builder_comes_after_what_it_needs() -> None:
    world = World(10, 1)
    assert world.datasets == tuple(DATASETS)
    for position, name in enumerate(world.order):
        needs = BUILDERS[name].needs
        assert set(needs) <= set(world.order[:position]), name
    assert world.order.index("cadastre") < world.order.index("address")
    assert world.order.index("corporation") < world.order.index("land_parcel")


def test_shared_modules_name_no_dataset() -> None:
    """What a 15th dataset would have to edit: nothing outside its own builder module."""
    root = Path(__file__).resolve().parents[2] / "entities" / "synthetic"
    for module in SHARED_MODULES:
        source = (root / module).read_text(encoding="utf-8")
        named = [name for name in DATASETS if f'"{name}"' in source or f"'{name}'" in source]
        assert not named, f"{module} names {named}"


# ---------------------------------------------------------------- a 15th dataset


def test_a_registered_toy_dataset_is_generated_and_shifts_nothing(tmp_path: Path) -> None:
    with _registered(PET):
        results = generate_snapshot(200, tmp_path / "with", seed=5, agency_copies=True)
        alone = generate_snapshot(200, tmp_path / "alone", seed=5, datasets=["pet"])
        assert planned_rows(200)["pet"] == 20
    assert [r.dataset for r in results] == [*DATASETS, "pet"]
    pets = pl.read_csv(tmp_path / "with" / "pet.csv", infer_schema=False)
    assert pets.columns == list(PET_SPEC.field_names)
    assert len(pets) == 20
    residents = pl.read_csv(tmp_path / "with" / "resident.csv", infer_schema=False)
    assert set(pets["owner_rrn"]) <= set(residents["rrn"])
    assert (tmp_path / "with" / "agency" / "pet.truth.csv").exists()
    assert [r.dataset for r in alone] == ["pet"]
    assert _files(tmp_path / "alone") == {"pet.csv": _files(tmp_path / "with")["pet.csv"]}

    assert "pet" not in BUILDERS
    generate_snapshot(200, tmp_path / "without", seed=5, agency_copies=True)
    for folder in (Path(), Path("agency")):
        with_pets = _files(tmp_path / "with" / folder)
        pet_files = sorted(name for name in with_pets if name.startswith("pet."))
        assert pet_files == (["pet.csv"] if folder == Path() else ["pet.csv", "pet.truth.csv"])
        for name in pet_files:
            del with_pets[name]
        assert with_pets == _files(tmp_path / "without" / folder)


def test_an_existing_builder_under_another_name_draws_the_same() -> None:
    """The registry keys builders by name; a builder's frame depends on its seed key only."""
    licence = registered()["licence"]
    assert licence.spec is not None
    spec = dataclasses.replace(licence.spec, name="licence_copy")
    copy = dataclasses.replace(licence, name="licence_copy", spec=spec)
    world = World(300, 2, builders={**registered(), "licence_copy": copy})
    assert world.frame("licence_copy").equals(world.frame("licence"))


# ------------------------------------------------------------ wrong declarations


def test_a_builder_reads_only_what_it_needs() -> None:
    sneaky = Builder("sneaky", lambda w: w.frame("vehicle"), seed_key=20, needs=("resident",))
    world = World(50, 1, builders={**registered(), "sneaky": sneaky})
    with pytest.raises(LookupError, match="'sneaky' reads 'vehicle'"):
        world.frame("sneaky")


def test_wrong_declarations_fail_before_anything_is_built() -> None:
    builders = registered()
    lost = Builder("lost", _pets, seed_key=20, needs=("unicorn",))
    with pytest.raises(ValueError, match="no builder builds"):
        World(50, 1, builders={**builders, "lost": lost})
    a = Builder("a", _pets, seed_key=20, needs=("b",))
    b = Builder("b", _pets, seed_key=21, needs=("a",))
    with pytest.raises(ValueError, match="need each other"):
        World(50, 1, builders={**builders, "a": a, "b": b})
    with pytest.raises(ValueError, match="already registered"):
        register(builders["vehicle"])
    with pytest.raises(ValueError, match="taken by 'vehicle'"):
        register(dataclasses.replace(PET, seed_key=builders["vehicle"].seed_key))
    with pytest.raises(ValueError, match="geography"):
        dataclasses.replace(PET, seed_key=100)
    with pytest.raises(ValueError, match="writes the spec of"):
        dataclasses.replace(PET, name="dog")
    assert "pet" not in BUILDERS
