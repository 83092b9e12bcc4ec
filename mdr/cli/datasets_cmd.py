"""``mdr datasets``: the catalogue of national master datasets."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from entities.catalogue import describe_dataset, list_datasets
from entities.registry import get_dataset
from mdr.cli import common
from mdr.db.engine import unit_of_work

app = typer.Typer(help="The 14 national master datasets: catalogue and specs.",
                  no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


@app.command("list")
def list_command(as_json: JsonOption = False) -> None:
    """List the datasets with owner, legal basis, cadence, live row count and last sync."""
    with unit_of_work(common.session_maker()) as session:
        datasets = list_datasets(session)
    if as_json:
        common.print_json({"datasets": datasets})
        return
    table = Table(title="National master datasets")
    # Identifiers never wrap or truncate (output is often piped); labels absorb the squeeze.
    table.add_column("dataset", no_wrap=True)
    table.add_column("name")
    table.add_column("owner", no_wrap=True)
    table.add_column("cadence", no_wrap=True)
    table.add_column("rows", justify="right", no_wrap=True)
    table.add_column("last sync", no_wrap=True)
    for d in datasets:
        last = d["last_sync_at"][:16].replace("T", " ") if d["last_sync_at"] else "never"
        table.add_row(d["name"], d["label_ko"], d["owner"], d["cadence"],
                      f"{d['row_count']:,}", last)
    common.console.print(table)


@app.command("describe")
def describe_command(
    dataset: Annotated[str, typer.Argument(help="Dataset name, e.g. resident or vehicle.")],
    as_json: JsonOption = False,
) -> None:
    """Describe one dataset: fields with vocabulary terms and PII class, relations,
    searches, and the canonical CSV columns that snapshot files must use."""
    get_dataset(dataset)  # an unknown name fails before any database work
    with unit_of_work(common.session_maker()) as session:
        doc = describe_dataset(session, dataset)
    if as_json:
        common.print_json(doc)
        return
    out = common.console
    out.print(f"[bold]{doc['name']}[/]  {doc['label_ko']} ({doc['label_en']})")
    out.print(doc["description"])
    out.print(f"owner: {doc['owner']['name_en']} ({doc['owner']['code']}, "
              f"{doc['owner']['name_ko']})   legal basis: {doc['legal_basis']}")
    out.print(f"key: {doc['key']}   cadence: {doc['cadence']}   rows: {doc['row_count']:,}")
    fields = Table(title="Fields")
    for column in ("field", "type", "term", "vocabulary", "required", "PII", "validator",
                   "compare"):
        fields.add_column(column, no_wrap=column in {"field", "PII"})
    for f in doc["fields"]:
        term = doc["vocabulary"][f["term"]]
        fields.add_row(f["name"], f["type"], f["term"], f"{term['name_ko']} / {term['name_en']}",
                       "yes" if f["required"] else "", f["pii"], f["validator"] or "",
                       f["compare"])
    out.print(fields)
    if doc["relations"]:
        relations = Table(title="Relations")
        for column in ("relation", "field", "targets", "required"):
            relations.add_column(column)
        for r in doc["relations"]:
            targets = ", ".join(f"{k}: {v}" if k else v for k, v in r["targets"].items())
            relations.add_row(r["name"], r["field"] + (" (list)" if r["many"] else ""),
                              targets, "yes" if r["required"] else "")
        out.print(relations)
    if doc["searches"]:
        out.print("searches: " + ", ".join(
            f"{s['name']} ({s['kind']}: {', '.join(s['fields'])})" for s in doc["searches"]))
    out.print("\n[bold]CSV columns[/] (header row of snapshot files):")
    out.print(",".join(doc["csv_columns"]), soft_wrap=True, highlight=False)
