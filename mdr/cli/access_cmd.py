"""``mdr keys``, ``mdr subjects`` and ``mdr audit``: agency access and its log."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer
from rich.table import Table

from mdr.cli import common
from mdr.db.engine import unit_of_work
from mdr.timezone import SEOUL

keys_app = typer.Typer(help="Agency API keys and their grants.", no_args_is_help=True)
subjects_app = typer.Typer(help="Data subjects (citizens) and their tokens.",
                           no_args_is_help=True)
audit_app = typer.Typer(help="The append-only access log.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


@keys_app.command("create")
def create_command(
    agency: Annotated[str, typer.Option("--agency", help="Agency code, e.g. MOLIT-CAR.")],
    grant: Annotated[list[str], typer.Option("--grant", help="DATASET or DATASET:FIELD,FIELD "
                                             "(repeatable); 'inspector' or 'steward' for those "
                                             "roles.")],
    purpose: Annotated[list[str], typer.Option("--purpose", help="Purpose code the key may "
                                               "declare (repeatable).")],
    agency_name: Annotated[str | None, typer.Option(help="The agency's name.")] = None,
    expires: Annotated[str | None, typer.Option(
        help="Expiry date (YYYY-MM-DD): the key stops working at 00:00 Korea time that "
             "day.")] = None,
    label: Annotated[str | None, typer.Option(help="A note on what the key is for.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create an API key; the key is printed once and only its hash is stored."""
    from mdr.access.keys import create_key, merge_grants, parse_grant

    expires_at = None
    if expires:
        try:
            expires_at = dt.datetime.combine(dt.date.fromisoformat(expires), dt.time(),
                                             tzinfo=SEOUL)
        except ValueError:
            raise typer.BadParameter(f"{expires!r} is not a date (YYYY-MM-DD)") from None
        if expires_at <= dt.datetime.now(dt.UTC):
            raise typer.BadParameter(f"{expires} has passed: a key must expire later")
    with unit_of_work(common.session_maker()) as session:
        key_id, key = create_key(session, agency_code=agency, grants=grant, purposes=purpose,
                                 agency_name=agency_name, expires_at=expires_at, label=label)
    if as_json:
        granted = [d if fields is None else f"{d}:{','.join(fields)}"
                   for d, fields in merge_grants([parse_grant(g) for g in grant])]
        common.print_json({"key_id": key_id, "key": key, "agency": agency, "grants": granted,
                           "purposes": sorted({p.strip() for p in purpose}),
                           "expires_at": expires_at.isoformat() if expires_at else None})
        return
    common.console.print(f"Key [bold]{key_id}[/] for {agency} (shown once, keep it safe):")
    common.console.print(key, highlight=False, soft_wrap=True)


@keys_app.command("list")
def list_command(as_json: JsonOption = False) -> None:
    """List keys with their agency, grants, purposes and state (never the key itself)."""
    from mdr.access.keys import list_keys

    with unit_of_work(common.session_maker()) as session:
        keys = list_keys(session)
    if as_json:
        common.print_json({"keys": keys})
        return
    table = Table(title="API keys")
    for column in ("key", "agency", "grants", "purposes", "state"):
        table.add_column(column)
    for k in keys:
        state = k["state"] if k["state"] != "active" or not k["expires_at"] \
            else f"active, expires {k['expires_at'][:10]}"
        if k["state"] == "expired":
            state = f"expired {k['expires_at'][:10]}"
        grants = ", ".join(g["dataset"] + (":" + ",".join(g["fields"]) if g["fields"] else "")
                           for g in k["grants"])
        purposes = ", ".join(sorted({p for g in k["grants"] for p in g["purposes"]}))
        table.add_row(k["key_id"], k["agency"], grants, purposes, state)
    common.console.print(table)


@keys_app.command("revoke")
def revoke_command(key_id: Annotated[str, typer.Argument(help="Key id, e.g. k1a2b3c4.")]) -> None:
    """Revoke a key (API processes stop accepting it within seconds)."""
    from mdr.access.keys import revoke_key

    with unit_of_work(common.session_maker()) as session:
        revoke_key(session, key_id)
    common.console.print(f"Key {key_id} revoked.")


@subjects_app.command("token")
def token_command(
    number: Annotated[str, typer.Argument(
        metavar="NUMBER",
        help="The subject's resident (or foreign) registration number, or - to read it "
             "from stdin (keeps it out of the process list and shell history).")],
    ttl: Annotated[int, typer.Option(help="Lifetime in seconds.", min=60, max=86400)] = 3600,
) -> None:
    """Issue a signed subject token (in production the identity provider does this)."""
    from mdr.access.secrets import server_secret
    from mdr.access.subjects import issue_token, subject_identifier
    from mdr.errors import InvalidIdentifier

    if number == "-":
        number = sys.stdin.readline().strip()
    try:
        subject_identifier(number)
    except InvalidIdentifier as exc:
        raise typer.BadParameter(exc.detail) from None
    common.console.print(issue_token(server_secret(common.settings()), number, ttl),
                         highlight=False, soft_wrap=True)


@audit_app.command("verify")
def verify_command(as_json: JsonOption = False) -> None:
    """Recompute the access log's hash chains; exit 1 if any row was altered or removed."""
    from mdr.access.audit import verify_chain

    with unit_of_work(common.session_maker()) as session:
        report = verify_chain(session.connection())
    if as_json:
        common.print_json(report)
    elif report["ok"]:
        common.console.print(f"Access log intact: {report['rows_checked']:,} rows in "
                             f"{report['chains']:,} writer chains verified.")
    else:
        common.console.print(f"[red]Access log broken[/] at row {report['first_broken_audit_id']}"
                             f": {report['reason']} ({report['rows_checked']:,} rows before it "
                             "verified).")
    if not report["ok"]:
        raise typer.Exit(1)
