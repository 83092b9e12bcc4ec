"""Write a synthetic snapshot (and agency copies) as CSV files, timing each dataset.

Layout under the output directory:

- ``<dataset>.csv``: the master snapshot, canonical columns of
  :attr:`entities.spec.DatasetSpec.field_names`, UTF-8, empty for null;
- with agency copies, ``agency/<dataset>.csv`` (same columns) and
  ``agency/<dataset>.truth.csv`` (``agency_row,master_key,kind,changed_fields``).

Datasets are built in the world's dependency order (:attr:`World.order
<entities.synthetic.world.World.order>`), whatever builders are registered; a
dataset's time includes building whatever it needs that was not built yet.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from entities.synthetic.agency import agency_copy
from entities.synthetic.world import REFERENCE_DATE, World
from mdr.errors import UnknownDataset, shown

AGENCY_DIR = "agency"
AGENCY_STREAM = 2  # random stream of agency copies (0 and 1 build the datasets)


@dataclass(frozen=True)
class DatasetResult:
    """What was written for one dataset, and how long it took."""

    dataset: str
    rows: int
    file: Path
    seconds: float
    agency_rows: int | None = None
    agency_file: Path | None = None
    truth_file: Path | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "dataset": self.dataset,
            "rows": self.rows,
            "file": str(self.file),
            "seconds": round(self.seconds, 3),
            "agency_rows": self.agency_rows,
            "agency_file": None if self.agency_file is None else str(self.agency_file),
            "truth_file": None if self.truth_file is None else str(self.truth_file),
        }


def generate_snapshot(
    scale: int,
    out: Path,
    *,
    seed: int = 42,
    agency_copies: bool = False,
    datasets: Sequence[str] | None = None,
    reference_date: dt.date = REFERENCE_DATE,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable[[DatasetResult], None] | None = None,
) -> list[DatasetResult]:
    """Generate and write the snapshot; results come back in :attr:`World.datasets` order.

    ``datasets`` limits what is written (dependencies are still built in
    memory, so a dataset's file is the same whichever others are requested);
    by default every dataset that has a registered builder is. Unknown names
    raise :class:`mdr.errors.UnknownDataset` before anything is built.
    """
    world = World(scale, seed, reference_date)
    wanted = set(world.datasets)
    if datasets:
        unknown = [d for d in datasets if d not in wanted]
        if unknown:
            raise UnknownDataset(
                f"unknown dataset {shown(unknown[0])!r}; valid names: {', '.join(world.datasets)}",
                dataset=shown(unknown[0]),
                valid=list(world.datasets),
            )
        wanted = set(datasets)
    out.mkdir(parents=True, exist_ok=True)
    if agency_copies:
        (out / AGENCY_DIR).mkdir(exist_ok=True)
    results: dict[str, DatasetResult] = {}
    for name in world.order:
        if name not in wanted:
            continue
        if on_start is not None:
            on_start(name)
        started = time.perf_counter()
        frame = world.public(name)
        path = out / f"{name}.csv"
        frame.write_csv(path, null_value="")
        result = DatasetResult(name, len(frame), path, 0.0)
        if agency_copies:
            copy, truth = agency_copy(world.spec(name), frame, world.rng(name, AGENCY_STREAM))
            agency_path = out / AGENCY_DIR / f"{name}.csv"
            truth_path = out / AGENCY_DIR / f"{name}.truth.csv"
            copy.write_csv(agency_path, null_value="")
            truth.write_csv(truth_path, null_value="")
            result = DatasetResult(name, len(frame), path, 0.0, len(copy), agency_path, truth_path)
        result = DatasetResult(**{**result.__dict__, "seconds": time.perf_counter() - started})
        results[name] = result
        if on_done is not None:
            on_done(result)
    return [results[name] for name in world.datasets if name in results]
