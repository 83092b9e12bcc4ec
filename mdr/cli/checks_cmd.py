"""``mdr checks``: the integrity rule catalogue and check runs.

A failing rule is data, not a crash: ``mdr checks run`` exits 0 whatever the
rules find, stores the run, and prints (or with ``--json`` emits) the results
with personal identifiers in sample keys masked.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.table import Table

from mdr.cli import common
from mdr.db.engine import unit_of_work
from mdr.quality.models import ResultStatus, Severity

app = typer.Typer(help="Integrity checks: the rule catalogue and check runs.",
                  no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
DatasetOption = Annotated[
    list[str] | None,
    typer.Option("--dataset", "-d", help="Only rules of this dataset (repeatable)."),
]

STATUS_STYLE = {ResultStatus.PASSED: "green", ResultStatus.FAILED: "red",
                ResultStatus.NO_DATA: "dim", ResultStatus.ERROR: "bold red"}
SEVERITY_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "dim"}


@app.command("list")
def list_command(dataset: DatasetOption = None, as_json: JsonOption = False) -> None:
    """List the rules: id, dataset, DAMA dimension, severity and what each checks."""
    from mdr.quality.rules import select_rules

    rules = select_rules(dataset)
    if as_json:
        common.print_json({"rules": [r.as_dict() for r in rules]})
        return
    table = Table(title=f"Integrity rules ({len(rules)})", box=box.SIMPLE_HEAD)
    table.add_column("rule", no_wrap=True, min_width=max((len(r.id) for r in rules), default=4))
    table.add_column("dimension", no_wrap=True, min_width=5)
    table.add_column("severity", no_wrap=True, min_width=4)
    table.add_column("description", min_width=20)
    for r in rules:
        table.add_row(r.id, r.dimension.value,
                      f"[{SEVERITY_STYLE[r.severity]}]{r.severity.value}[/]", r.description)
    common.console.print(table)


@app.command("run")
def run_command(
    dataset: DatasetOption = None,
    rule: Annotated[
        list[str] | None,
        typer.Option("--rule", "-r", help="Only this rule id or shell pattern, e.g. "
                     "'vehicle.consistency.*' (repeatable)."),
    ] = None,
    failing_only: Annotated[
        bool, typer.Option("--failing", help="Show only failing rules in the table.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Run integrity checks inside PostgreSQL and store the results.

    Prints per rule the rows checked, rows failing and the error rate. Exits 0 even
    when rules fail; an unknown dataset or rule is an error.
    """
    from mdr.quality.rules import select_rules
    from mdr.quality.runner import run_checks

    select_rules(dataset, rule)  # unknown names fail before any database work
    with unit_of_work(common.session_maker()) as session:
        summary = run_checks(session, datasets=dataset, rules=rule, triggered_by="cli")
    document = summary.as_dict(mask=True)
    if as_json:
        common.print_json(document)
        return
    table = Table(title=f"Check run {summary.run_id}", box=box.SIMPLE_HEAD)
    # Rule ids never wrap or truncate (output is often piped); the other columns give way.
    longest = max((len(r["rule_id"]) for r in document["results"]), default=4)
    table.add_column("rule", no_wrap=True, min_width=longest)
    table.add_column("dimension", no_wrap=True, min_width=5)
    table.add_column("severity", no_wrap=True, min_width=4)
    table.add_column("result", no_wrap=True, min_width=6)
    for column in ("checked", "failing", "error rate"):
        table.add_column(column, justify="right", no_wrap=True)
    for r in document["results"]:
        if failing_only and r["status"] in (ResultStatus.PASSED, ResultStatus.NO_DATA):
            continue
        rate = "" if r["error_rate"] is None else f"{r['error_rate']:.3%}"
        table.add_row(
            r["rule_id"], r["dimension"],
            f"[{SEVERITY_STYLE[r['severity']]}]{r['severity']}[/]",
            f"[{STATUS_STYLE[r['status']]}]{r['status'].replace('_', ' ')}[/]",
            f"{r['checked_rows']:,}", f"{r['failing_rows']:,}", rate,
        )
    common.console.print(table)
    common.console.print(
        f"{document['rules_run']} rules in {document['seconds']:.1f} s: "
        f"[green]{document['rules_passed']} passed[/], "
        f"[red]{document['rules_failed']} failed[/], {document['rules_no_data']} with no data"
        + (f", [bold red]{document['rules_error']} could not run[/]"
           if document["rules_error"] else "")
        + f". Stored as run {summary.run_id}; `mdr report --out FILE.html` shows the trend."
    )
