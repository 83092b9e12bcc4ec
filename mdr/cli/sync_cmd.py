"""``mdr sync``: load snapshots and deltas, and read the run ledger."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from mdr.cli import common
from mdr.db.engine import make_engine, unit_of_work
from mdr.errors import InvalidInput, UnknownDataset

app = typer.Typer(help="Load owning agencies' snapshots and deltas into the master.",
                  no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]

#: Exit code of `mdr sync run` when the batch applied but some rows were quarantined.
EXIT_QUARANTINED = 3

STAGES = ("reading", "master_keys", "compare", "validate", "classify", "apply")


class Mode(StrEnum):
    full = "full"
    delta = "delta"


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from sync.service import check_as_of

    try:
        return check_as_of(dt.date.fromisoformat(value))
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None
    except InvalidInput as exc:
        raise typer.BadParameter(exc.detail) from None


@app.command("run")
def run_command(
    dataset: Annotated[str, typer.Argument(help="Dataset name, e.g. resident.")],
    file: Annotated[Path, typer.Argument(help="Snapshot or delta file: CSV or Parquet.",
                                         exists=True, dir_okay=False)],
    mode: Annotated[Mode, typer.Option(help="full: the file is the whole register (keys "
                                       "absent from it end); delta: only the rows given "
                                       "(a `_op` column with `end` ends a record).")] = Mode.full,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Valid-from date of the changes "
                                              "(YYYY-MM-DD; default today in Korea).")] = None,
    encoding: common.EncodingOption = None,
    mapping: Annotated[Path | None, typer.Option(help="YAML file mapping the source's column "
                                                 "names to canonical ones.")] = None,
    allow_mass_end: Annotated[bool, typer.Option(
        "--allow-mass-end", help="Apply a full snapshot even if it ends more than half of "
        "the live records (or is empty); refused otherwise, as a truncated export usually "
        "is.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Apply one snapshot or delta file to the master, with full history.

    Bad rows are quarantined with their reasons (see `mdr sync quarantine BATCH`) and the
    good rows are applied. The same file applied twice changes nothing the second time
    (a full snapshot sent again after other batches brings the master back to it).

    Exit codes: 0 applied (or nothing to do), 3 applied with rows quarantined, 1 refused
    or failed with nothing applied (the reason on stderr), 2 a bad option.
    """
    from entities.registry import get_dataset
    from sync.service import sync_file

    try:
        get_dataset(dataset)
    except UnknownDataset as exc:  # a bad argument (exit 2), before any database work
        raise typer.BadParameter(exc.detail, param_hint="DATASET") from None
    when = _parse_date(as_of)
    settings = common.settings()
    db = common.database(settings, "sync")
    common.migrate_if_behind(db, quiet=True)
    engine = make_engine(db.url, "sync", pool_size=2)
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=common.err_console, transient=True,
                      disable=as_json) as bar:
            task = bar.add_task(f"sync {dataset}", total=len(STAGES))

            def step(stage: str) -> None:
                done = STAGES.index(stage) if stage in STAGES else 0
                bar.update(task, completed=done, description=f"sync {dataset}: {stage}")

            result = sync_file(engine, dataset, file, mode=mode.value, as_of=when,
                               encoding=encoding, mapping_path=mapping,
                               archive_dir=settings.data_dir / "archive", progress=step,
                               allow_mass_end=allow_mass_end)
    finally:
        engine.dispose()
    document = result.as_dict()
    if result.quarantined:  # the first rejected rows, each naming its row and field
        document["problems"] = _first_problems(result.batch_id)
    if as_json:
        common.print_json(document)
    else:
        _print_summary(document)
    if result.quarantined:
        raise typer.Exit(EXIT_QUARANTINED)


#: Rejected rows that `sync run` shows itself; `mdr sync quarantine BATCH` lists them all.
SHOWN_PROBLEMS = 20


def _first_problems(batch_id: int) -> list[dict[str, object]]:
    from sync.ledger import quarantined_rows

    with unit_of_work(common.session_maker()) as session:
        problems: list[dict[str, object]] = quarantined_rows(
            session, batch_id, SHOWN_PROBLEMS)["problems"]
    return problems


def _print_summary(r: dict[str, object]) -> None:
    out = common.console
    if r["status"] == "duplicate":
        out.print(f"[yellow]Nothing to do:[/] this file was already applied as batch "
                  f"{r['duplicate_of']} (recorded as batch {r['batch_id']}).")
        _print_warnings(r)
        return
    table = Table(title=f"Batch {r['batch_id']}: {r['dataset']} ({r['mode']}, as of {r['as_of']})")
    table.add_column("rows")
    table.add_column("count", justify="right")
    for label, key in (("read", "rows_read"), ("created", "created"), ("changed", "changed"),
                       ("corrected", "corrected"), ("ended", "ended"),
                       ("unchanged", "unchanged"), ("quarantined", "quarantined")):
        table.add_row(label, f"{r[key]:,}")
    out.print(table)
    quarantined, problems = r["quarantined"], r.get("problems") or []
    if quarantined:
        assert isinstance(quarantined, int) and isinstance(problems, list)
        out.print(f"[red]{quarantined:,} rows were quarantined[/] (good rows applied; "
                  "data rows counted from 0):")
        for p in problems:
            field = f", {p['field']}" if p["field"] else ""
            out.print(f"  row {p['row_number']}{field}: {p['reason']}", highlight=False)
        which = "all of them" if len(problems) < quarantined else "them with values"
        out.print(f"See {which}: `mdr sync quarantine {r['batch_id']}`.")
    _print_warnings(r)


def _print_warnings(r: dict[str, object]) -> None:
    warnings = r.get("warnings") or []
    assert isinstance(warnings, list)
    for warning in warnings:
        common.console.print(f"[yellow]warning:[/] {warning}", highlight=False)


@app.command("history")
def history_command(
    dataset: Annotated[str | None, typer.Argument(help="Only this dataset.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: JsonOption = False,
) -> None:
    """List sync batches, newest first, with counts and status."""
    from sync.ledger import batch_history

    with unit_of_work(common.session_maker()) as session:
        batches = batch_history(session, dataset, limit)
    if as_json:
        common.print_json({"batches": batches})
        return
    table = Table(title="Sync batches")
    for column in ("batch", "dataset", "mode", "status", "as of", "read", "created", "changed",
                   "ended", "unchanged", "quarantined", "started"):
        table.add_column(column, no_wrap=column in {"dataset", "status"})
    for b in batches:
        table.add_row(str(b["batch_id"]), b["dataset"], b["mode"], b["status"], b["as_of"] or "",
                      *(f"{b[k]:,}" for k in ("rows_read", "rows_created", "rows_changed",
                                              "rows_ended", "rows_unchanged", "rows_quarantined")),
                      b["started_at"][:19])
    common.console.print(table)
    for b in batches:
        for warning in b.get("warnings") or ():
            common.console.print(f"[yellow]batch {b['batch_id']}:[/] {warning}", highlight=False)


@app.command("quarantine")
def quarantine_command(
    batch: Annotated[int, typer.Argument(help="Batch id (see `mdr sync history`).")],
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 1000,
    as_json: JsonOption = False,
) -> None:
    """Show a batch's rejected rows: row number, field and reason (personal values masked)."""
    from sync.ledger import quarantined_rows

    with unit_of_work(common.session_maker()) as session:
        report = quarantined_rows(session, batch, limit)
    if as_json:
        common.print_json(report)
        return
    table = Table(title=f"Batch {batch} ({report['dataset']}): "
                        f"{report['rows_quarantined']:,} rows quarantined",
                  caption="data row: counted from 0, the header not counted")
    for column in ("data row", "key", "field", "value", "reason"):
        table.add_column(column)
    for p in report["problems"]:
        table.add_row(str(p["row_number"]), p["key"] or "", p["field"] or "", p["value"] or "",
                      p["reason"])
    common.console.print(table)
