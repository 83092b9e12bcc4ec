"""``mdr reconcile`` and ``mdr steward``: agency copies against the master, and the inbox.

Thin callers of :mod:`reconciliation.service`, :mod:`reconciliation.inbox` and
:mod:`reconciliation.metrics`. ``mdr reconcile`` writes the results CSV of
DESIGN.md section 6 (and ``RESULTS.master_only.csv`` beside it) and prints a
summary, or one JSON document with ``--json``; it exits 0 whatever the copy's
quality. ``mdr steward inbox`` masks personal values; ``mdr steward show`` shows the
item's values to the steward unmasked and logs the read under their name.
"""

from __future__ import annotations

import getpass
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from mdr.cli import common
from mdr.db.engine import make_engine, unit_of_work

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]

steward_app = typer.Typer(
    help="Work the steward inbox: mismatches between agency copies and the master.",
    no_args_is_help=True,
)


class Action(StrEnum):
    master_right = "master_right"
    master_wrong = "master_wrong"
    wrong_link = "wrong_link"
    not_an_issue = "not_an_issue"


class Outcome(StrEnum):
    match_with_differences = "match_with_differences"
    ambiguous = "ambiguous"
    agency_only = "agency_only"
    master_only = "master_only"


class Status(StrEnum):
    open = "open"
    resolved = "resolved"
    all = "all"


def reconcile(
    dataset: Annotated[str, typer.Argument(help="Dataset name, e.g. resident.")],
    file: Annotated[Path, typer.Argument(help="The agency's copy: CSV or Parquet.")],
    agency: Annotated[
        str, typer.Option("--agency", help="Code of the agency whose copy this is, e.g. MOHW.")
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="YAML file mapping the copy's column names to fields (and 'ignore:' ones to drop)."
        ),
    ] = None,
    encoding: common.EncodingOption = None,
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="FIELD=VALUE[,VALUE...] the copy covers, e.g. region_code=11110 "
            "(a region code also matches by prefix); master-only records are counted inside it. "
            "Repeatable, one field each.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write the results CSV here (master-only records to RESULTS.master_only.csv).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Compare an agency's copy of a dataset with the master and store the outcomes.

    Every agency row gets an outcome (match, match_with_differences, agency_only,
    ambiguous) with its evidence; mismatches become steward work items
    (`mdr steward inbox`).
    """
    from mdr.access.secrets import LogKeys
    from reconciliation.disclosure import check_results_path, write_files
    from reconciliation.service import STAGES, operator, reconcile_file

    settings = common.settings()
    if out is not None:
        check_results_path(out)
    db = common.database(settings, "cli")
    common.migrate_if_behind(db, quiet=True)
    engine = make_engine(db.url, "cli", pool_size=2)
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=common.err_console,
            transient=True,
            disable=as_json,
        ) as bar:
            task = bar.add_task(f"reconcile {dataset}", total=len(STAGES))

            def step(stage: str) -> None:
                bar.update(
                    task, completed=STAGES.index(stage), description=f"reconcile {dataset}: {stage}"
                )

            # Whoever runs the command is an operator: every field is compared, and the
            # result files, which reveal master records, are logged under their name.
            who = operator(_default_steward())
            result = reconcile_file(
                engine,
                dataset,
                file,
                agency=agency,
                principal=who,
                mapping_path=mapping,
                encoding=encoding,
                scope=scope,
                progress=step,
            )
        written = None if out is None else write_files(
            engine, result.run_id, who, out, keys=LogKeys.of(settings))
    finally:
        engine.dispose()
    summary = result.as_dict()
    if written is not None:
        summary["results_file"], summary["master_only_file"] = (str(p) for p in written)
    if as_json:
        common.print_json(summary)
    else:
        _print_run(summary)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f}%"


def _print_run(r: dict[str, Any]) -> None:
    out = common.console
    table = Table(
        title=f"Run {r['run_id']}: {r['agency']}'s copy of {r['dataset']} "
        f"({r['agency_records']:,} records)"
    )
    table.add_column("outcome")
    table.add_column("records", justify="right")
    table.add_column("share", justify="right")
    for outcome, count in r["outcomes"].items():
        share = r["outcome_shares"].get(outcome)
        table.add_row(outcome, f"{count:,}", _pct(share) if outcome != "master_only" else "")
    out.print(table)
    out.print(
        f"compared {r['records_compared']:,} linked records; "
        f"{r['records_agreeing']:,} agree on every field ({_pct(r['agreement_rate'])})"
    )
    weak = sorted(
        (
            (f, v["rate"])
            for f, v in r["field_agreement"].items()
            if v["rate"] is not None and v["rate"] < 1.0
        ),
        key=lambda fv: fv[1],
    )
    if weak:
        out.print("field agreement: " + ", ".join(f"{f} {_pct(rate)}" for f, rate in weak))
    mapping = r["mapping"]
    if mapping["fields_not_supplied"]:
        out.print("not in the copy: " + ", ".join(mapping["fields_not_supplied"]))
    if mapping.get("mapping_entries_unused"):  # runs stored before this have none
        out.print("[yellow]mapping entries naming no column (a typo?):[/] "
                  + ", ".join(mapping["mapping_entries_unused"]), highlight=False)
    if mapping["unparseable"]:
        out.print(
            "[yellow]unreadable values[/] (compared as missing): "
            + ", ".join(f"{f} {n:,}" for f, n in mapping["unparseable"].items())
        )
    if r["drift"]:
        d = r["drift"]
        out.print(
            f"drift since run {d['previous_run']}: score {d['score']:.4f}, agreement "
            f"{(d['agreement_rate_change'] or 0) * 100:+.2f} points"
        )
    items = r["items"]
    out.print(
        f"steward inbox: {items['new']:,} new, {items['seen_again']:,} seen again, "
        f"{items['closed']:,} closed (no longer present)"
        + (f", {items['held_back']:,} held back (cap per run)" if items.get("held_back") else "")
    )
    out.print("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in r["timings"].items()))
    if r.get("results_file"):
        out.print(f"results: {r['results_file']} (master-only: {r['master_only_file']})")


# ------------------------------------------------------------------------ steward


def _default_steward() -> str:
    return os.environ.get("MDR_STEWARD") or getpass.getuser()


@steward_app.command("inbox")
def inbox_command(
    dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
    agency: Annotated[str | None, typer.Option(help="Only this agency's copies.")] = None,
    outcome: Annotated[Outcome | None, typer.Option(help="Only this kind of item.")] = None,
    status: Annotated[Status, typer.Option(help="open (default), resolved or all.")] = (
        Status.open
    ),
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open items past their due date.")
    ] = False,
    after: Annotated[
        int | None,
        typer.Option(help="Continue after this item id (next_after of the previous page)."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: JsonOption = False,
) -> None:
    """List work items, oldest first, a page at a time."""
    from reconciliation.inbox import list_items

    with unit_of_work(common.session_maker()) as session:
        page = list_items(
            session.connection(),
            dataset=dataset,
            agency=agency,
            kind=outcome.value if outcome else None,
            status=status.value,
            overdue=overdue,
            after=after,
            limit=limit,
        )
    if as_json:
        common.print_json(page)
        return
    table = Table(title=f"Steward inbox: {page['total']:,} {status.value} items")
    for column in (
        "id",
        "dataset",
        "agency",
        "outcome",
        "master key",
        "differing",
        "age",
        "due",
        "status",
    ):
        table.add_column(column, no_wrap=column in {"id", "outcome", "due"})
    for item in page["items"]:
        due = item["due_at"][:10] + (" [red]overdue[/]" if item["overdue"] else "")
        table.add_row(
            str(item["item_id"]),
            item["dataset"],
            item["agency"],
            item["outcome"],
            item["master_key"] or "",
            ", ".join(item["differing_fields"]),
            f"{item['age_days']}d",
            due,
            item["resolution"] or item["status"],
        )
    common.console.print(table)
    if page["next_after"] is not None:
        common.console.print(f"more: --after {page['next_after']}")


@steward_app.command("show")
def show_command(
    item_id: Annotated[int, typer.Argument(help="Work item id (see `mdr steward inbox`).")],
    as_json: JsonOption = False,
) -> None:
    """Show one item: agency and master values side by side, evidence, history.

    The values are shown unmasked, and the master record is logged as read by you
    (MDR_STEWARD, else your user name) for stewardship."""
    from entities.registry import DATASETS
    from mdr.access.gate import staff_principal
    from mdr.access.secrets import LogKeys
    from reconciliation.inbox import item_detail

    viewer = staff_principal(_default_steward(), "steward", DATASETS)
    with unit_of_work(common.session_maker()) as session:
        item = item_detail(session.connection(), item_id, viewer,
                           keys=LogKeys.of(common.settings()), route="mdr steward show")
    if as_json:
        common.print_json(item)
        return
    out = common.console
    out.print(
        f"[bold]Item {item['item_id']}[/]: {item['outcome']} in {item['agency']}'s copy "
        f"of {item['dataset']} (owner {item['owner']}), {item['status']}, "
        f"{item['age_days']} days old, due {item['due_at'][:10]}"
        + (" [red]overdue[/]" if item["overdue"] else "")
    )
    out.print(
        f"master key {item['master_key'] or '-'}, score {item['score']}, "
        f"tier {item['tier'] or '-'}, rules {item['rule_version'] or '-'}, seen in runs "
        f"{item['first_seen_run']}..{item['last_seen_run']}"
    )
    table = Table()
    for column in ("field", "agency copy", "master", "", "level", "weight"):
        table.add_column(column)
    for f in item["fields"]:
        weight = "" if f["weight"] is None else f"{f['weight']:+.2f}"
        table.add_row(
            f["field"],
            f["agency_value"] or "",
            f["master_value"] or "",
            "[red]differs[/]" if f["differs"] else "",
            f["level"] or "",
            weight,
        )
    out.print(table)
    for flag in item["flags"]:
        out.print(f"flag: {flag['field']} {flag['status']} ({flag['reason']})")
    for action in item["actions"]:
        out.print(
            f"{action['acted_at'][:19]} {action['steward']}: {action['action']} "
            f"({action['reason']})"
        )


@steward_app.command("resolve")
def resolve_command(
    item_id: Annotated[int, typer.Argument(help="Work item id.")],
    action: Annotated[
        Action,
        typer.Option(
            help="master_right: the agency fixes its copy; "
            "master_wrong: the owner corrects the master (the "
            "field is flagged); wrong_link: unlink (and relink "
            "with --master-key); not_an_issue."
        ),
    ],
    reason: Annotated[str, typer.Option(help="Why (required; recorded with the decision).")],
    master_key: Annotated[
        str | None, typer.Option("--master-key", help="wrong_link: the master record to link to.")
    ] = None,
    steward: Annotated[
        str | None, typer.Option(help="Who decides (default $MDR_STEWARD or the login name).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Resolve a work item with a recorded decision (who, when, why)."""
    from reconciliation.inbox import resolve_item

    with unit_of_work(common.session_maker()) as session:
        done = resolve_item(
            session.connection(),
            item_id,
            action=action.value,
            reason=reason,
            steward=steward or _default_steward(),
            master_key=master_key,
        )
    if as_json:
        common.print_json(done)
        return
    extra = []
    if done.get("request_id"):
        extra.append(f"request {done['request_id']} recorded")
    if done.get("flags"):
        extra.append("flagged under investigation: " + ", ".join(done["flags"]))
    if done.get("link_id"):
        extra.append(f"manual link {done['link_id']} applies from the next run")
    common.console.print(
        f"Item {item_id} resolved ({action.value}) by {done['steward']}"
        + ("; " + "; ".join(extra) if extra else "")
    )


@steward_app.command("reopen")
def reopen_command(
    item_id: Annotated[int, typer.Argument(help="Work item id.")],
    reason: Annotated[str, typer.Option(help="Why (required; recorded with the reversal).")],
    steward: Annotated[
        str | None, typer.Option(help="Who decides (default $MDR_STEWARD or the login name).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Reverse the decision on a resolved item: its relink, flags and requests are
    withdrawn and the item is open again."""
    from reconciliation.inbox import reopen_item

    with unit_of_work(common.session_maker()) as session:
        done = reopen_item(session.connection(), item_id, reason=reason,
                           steward=steward or _default_steward())
    if as_json:
        common.print_json(done)
        return
    undone = [f"{len(done[k])} {label}" for k, label in (
        ("links_withdrawn", "manual link(s) withdrawn"), ("flags_cleared", "flag(s) cleared"),
        ("requests_withdrawn", "request(s) withdrawn")) if done[k]]
    common.console.print(f"Item {item_id} reopened by {done['steward']}: {done['reversed']} "
                         "reversed" + ("; " + "; ".join(undone) if undone else ""))


@steward_app.command("metrics")
def metrics_command(
    dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
    agency: Annotated[str | None, typer.Option(help="Only this agency.")] = None,
    history: Annotated[int, typer.Option(min=1, max=100, help="Runs in each trend.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Accuracy of agency copies: agreement per field, outcome shares and drift per run."""
    from entities.registry import get_dataset
    from reconciliation.metrics import accuracy

    if dataset is not None:
        dataset = get_dataset(dataset).name
    with unit_of_work(common.session_maker()) as session:
        report = accuracy(session.connection(), dataset=dataset, agency=agency, history=history)
    if as_json:
        common.print_json(report)
        return
    table = Table(title="Accuracy of agency copies (latest run each)")
    for column in (
        "dataset",
        "agency",
        "run",
        "records",
        "agreement",
        "match",
        "differences",
        "agency only",
        "ambiguous",
        "master only",
        "drift",
    ):
        table.add_column(column)
    for e in report["entries"]:
        latest, drift = e["latest"], e["drift"]
        shares = latest["outcome_shares"]
        table.add_row(
            e["dataset"],
            e["agency"],
            str(latest["run_id"]),
            f"{latest['agency_records']:,}",
            _pct(latest["agreement_rate"]),
            _pct(shares["match"]),
            _pct(shares["match_with_differences"]),
            _pct(shares["agency_only"]),
            _pct(shares["ambiguous"]),
            f"{latest['outcomes']['master_only']:,}",
            f"{drift['score']:.4f}" if drift else "-",
        )
    common.console.print(table)
