"""``mdr generate``: write a consistent synthetic national snapshot as CSV files.

A thin caller of :func:`entities.synthetic.generate_snapshot`: it validates the
options, shows a progress bar on stderr (one step per dataset) and prints a
summary table, or one JSON document with ``--json``. Bad input raises an
:class:`mdr.errors.MdrError` subclass, which ``mdr``'s entry point prints as one
line with a non-zero exit.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from mdr.errors import InvalidInput


def generate(
    scale: Annotated[
        int,
        typer.Option("--scale", help="Number of residents; the other datasets scale with it."),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Directory for <dataset>.csv (created if missing).")
    ],
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed writes the same bytes.")
    ] = 42,
    agency_copies: Annotated[
        bool,
        typer.Option(
            "--agency-copies",
            help="Also write agency/<dataset>.csv copies with realistic errors and "
            "agency/<dataset>.truth.csv labels.",
        ),
    ] = False,
    datasets: Annotated[
        list[str] | None,
        typer.Option("--dataset", help="Only this dataset (repeatable; default: all 14)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document on stdout.")
    ] = False,
) -> None:
    """Generate a consistent synthetic national snapshot, one CSV per dataset.

    Every reference resolves (people live at addresses that exist, vehicles
    belong to residents or corporations that exist ...), identifiers carry
    valid check digits and the integrity rules hold. With --agency-copies,
    corrupted agency copies and their truth labels are written under agency/.
    """
    import orjson
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from entities.registry import DATASETS, get_dataset
    from entities.synthetic import REFERENCE_DATE, DatasetResult, generate_snapshot

    if scale < 1:
        raise InvalidInput(f"--scale must be at least 1 (got {scale})")
    if seed < 0:
        raise InvalidInput(f"--seed must not be negative (got {seed})")
    wanted = [get_dataset(name).name for name in datasets] if datasets else list(DATASETS)
    _check_writable(out)

    err = Console(stderr=True)
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=not err.is_terminal,
    ) as progress:
        task = progress.add_task("generating", total=len(wanted))

        def on_start(name: str) -> None:
            progress.update(task, description=name)

        def on_done(result: DatasetResult) -> None:
            progress.advance(task)

        try:
            results = generate_snapshot(
                scale, out, seed=seed, agency_copies=agency_copies, datasets=wanted,
                on_start=on_start, on_done=on_done,
            )  # fmt: skip
        except OSError as exc:
            raise InvalidInput(f"cannot write to {out}: {exc.strerror or exc}") from exc
    seconds = time.perf_counter() - started

    if as_json:
        document = {
            "scale": scale,
            "seed": seed,
            "out": str(out),
            "reference_date": REFERENCE_DATE.isoformat(),
            "agency_copies": agency_copies,
            "seconds": round(seconds, 3),
            "rows": sum(r.rows for r in results),
            "datasets": [r.as_dict() for r in results],
        }
        typer.echo(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())
        return
    table = Table(title=f"Synthetic snapshot: scale {scale:,}, seed {seed}")
    table.add_column("dataset")
    table.add_column("rows", justify="right")
    table.add_column("file")
    if agency_copies:
        table.add_column("agency rows", justify="right")
        table.add_column("agency file")
    for r in results:
        cells = [r.dataset, f"{r.rows:,}", str(r.file)]
        if agency_copies:
            cells += [f"{r.agency_rows or 0:,}", str(r.agency_file)]
        table.add_row(*cells)
    console = Console()
    console.print(table)
    console.print(f"{sum(r.rows for r in results):,} rows in {seconds:.1f} s")


def _check_writable(out: Path) -> None:
    """Create ``out`` and prove it is writable, or raise one clear InvalidInput line."""
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out} exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create --out {out}: {exc.strerror or exc}") from exc
    if not os.access(out, os.W_OK | os.X_OK):
        raise InvalidInput(f"--out {out} is not writable")
