"""``mdr keys``, ``mdr subjects`` and ``mdr audit``: agency access and its log."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import Connection

from mdr.cli import common
from mdr.db.engine import make_engine, unit_of_work
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
def verify_command(
    checkpoints: Annotated[Path | None, typer.Option(
        "--checkpoints", exists=True, file_okay=False, dir_okay=True,
        help="Folder of signed checkpoints (`mdr audit checkpoint`): every chain they name "
             "must still hold the rows they counted, up to their head, with its hash.")] = None,
    public_key: Annotated[list[Path] | None, typer.Option(
        "--public-key", exists=True, dir_okay=False,
        help="Trust only checkpoints signed by the keys in this file (a key list such as "
             "audit-signing.pub, or a PEM public key; repeatable). Default: the signing "
             "key here and the keys it replaced.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Recompute the access log's keyed hash chains and check them against signed
    checkpoints; exit 1 if any row or chain was altered, removed, truncated or re-hashed,
    or a checkpoint does not verify."""
    from mdr.access.checkpoints import trusted_keys, verify_access_log
    from mdr.access.secrets import access_log_chain_keys

    settings = common.settings()
    keys = access_log_chain_keys(settings)
    trusted = trusted_keys(settings.signing_key_file, public_key or ()) if checkpoints else None
    with _snapshot() as conn:
        report = verify_access_log(conn, keys, checkpoints, trusted)
    if as_json:
        common.print_json(report)
    else:
        _print_verification(report)
    if not report["ok"]:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def checkpoint_command(
    out: Annotated[Path, typer.Option("--out", file_okay=False, help="Folder to write the "
                                      "checkpoint into (made if missing); ship it off the "
                                      "machine.")],
    as_json: JsonOption = False,
) -> None:
    """Write a signed checkpoint of every access-log chain head (chain, scheme, rows, last
    row and its hash) into a folder, with the public keys that verify it."""
    from mdr.access.checkpoints import write_checkpoint

    settings = common.settings()
    with _snapshot() as conn:
        written = write_checkpoint(conn, out, settings.signing_key_file)
    if as_json:
        common.print_json(written)
        return
    common.console.print(f"Checkpoint of {written['chains']:,} chains ({written['rows']:,} "
                         f"rows) written to {written['path']}, signed by key "
                         f"{written['signing_key']}.", highlight=False, soft_wrap=True)


@audit_app.command("rotate-signing-key")
def rotate_signing_key_command() -> None:
    """Replace the checkpoints' signing key. The new public key joins the list next to the
    key (audit-signing.pub), which keeps the old one: earlier checkpoints stay verifiable;
    give the new list to whoever verifies elsewhere."""
    from mdr.access.checkpoints import fingerprint, public_keys_file, rotate_signing_key

    settings = common.settings()
    new = rotate_signing_key(settings.signing_key_file)
    common.console.print(f"New signing key {fingerprint(new.public_key())} in "
                         f"{settings.signing_key_file}; public keys in "
                         f"{public_keys_file(settings.signing_key_file)}.", highlight=False,
                         soft_wrap=True)


@audit_app.command("chain-keys")
def chain_keys_command(
    out: Annotated[Path, typer.Option("--out", help="File to append the keys to (made with "
                                      "mode 0600 if missing).")],
) -> None:
    """Append every access-log chain key of the current server secret to a file: before the
    secret is replaced, so that MDR_AUDIT_RETIRED_CHAIN_KEYS_FILE keeps the chains written
    under it verifiable."""
    from mdr.access.audit import chain_key_id
    from mdr.access.secrets import chain_key, server_secret

    current = common.settings()
    secret = server_secret(current)
    written = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    lines = [f"{chain_key(secret, version).hex()}  # key id "
             f"{chain_key_id(chain_key(secret, version))}, version {version}, written {written}\n"
             for version in range(1, current.audit_chain_key_version + 1)]
    try:
        fd = os.open(out, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="ascii") as handle:
            handle.writelines(lines)
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {out} ({exc.strerror})") from None
    common.console.print(f"{len(lines)} chain keys appended to {out}: keep it as secret as "
                         "the server secret.")


@contextmanager
def _snapshot() -> Iterator[Connection]:
    """A read-only REPEATABLE READ transaction on the configured database: the chains as
    of one moment, while writers go on."""
    db = common.database(common.settings())
    common.migrate_if_behind(db, quiet=True)
    engine = make_engine(db.url, "cli", pooled=False)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ",
                                                postgresql_readonly=True) as conn:
            yield conn
    finally:
        engine.dispose()


def _print_verification(report: dict[str, Any]) -> None:
    unkeyed = report["unkeyed"]
    chains = (f"{report['rows_checked']:,} rows in {report['chains']:,} writer chains")
    kinds = f"({report['keyed']:,} keyed, {len(unkeyed):,} unkeyed)"
    if report["ok"]:
        common.console.print(f"Access log intact: {chains} verified {kinds}.")
    else:
        total = report["problems_total"]
        common.console.print(f"[red]Access log broken[/]: {total:,} "
                             f"problem{'' if total == 1 else 's'} in {chains} {kinds}.")
        table = Table(title="Problems")
        for column in ("chain", "row", "problem", "detail", "checkpoint"):
            table.add_column(column, overflow="fold")
        for problem in report["problems"]:
            table.add_row(*(str(problem[k]) if problem[k] is not None else "-" for k in
                            ("chain_id", "audit_id", "problem", "detail", "checkpoint")))
        common.console.print(table)
        more = report["problems_total"] - len(report["problems"])
        if more:
            common.console.print(f"... and {more:,} more in the chains listed.")
    checked = report.get("checkpoints")
    if checked:
        newest = (f"; newest {checked['newest']}, written {checked['newest_written_at']}"
                  if checked["newest"] else "")
        common.console.print(f"Checkpoints: {checked['verified']:,} of {checked['files']:,} "
                             f"in {checked['dir']} verified, naming {checked['chains']:,} "
                             f"chains{newest}.", highlight=False, soft_wrap=True)
    if unkeyed:
        common.console.print(f"Unkeyed chains (plain SHA-256, from before keys): "
                             f"{', '.join(map(str, unkeyed[:20]))}"
                             f"{' ...' if len(unkeyed) > 20 else ''}")
