"""``mdr users``: staff accounts of the web console (stewards, inspectors, administrators)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mdr.access.models import StaffRole
from mdr.cli import common
from mdr.db.engine import unit_of_work

users_app = typer.Typer(help="Staff users of the web console (/console).", no_args_is_help=True)

@users_app.callback()
def users() -> None:
    """Staff users of the web console (/console)."""


@users_app.command("create")
def create_command(
    username: Annotated[str, typer.Argument(help="Sign-in name, without spaces.")],
    role: Annotated[StaffRole, typer.Option(help="What the user does in the console.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Create a staff user; the password is prompted for (or read with --password-stdin)."""
    from mdr.access.staff import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with unit_of_work(common.session_maker()) as session:
        user_id = create_user(session, username, role.value, password)
    if as_json:
        common.print_json({"user_id": user_id, "username": username, "role": role.value})
    else:
        common.console.print(f"Staff user {username} ({role.value}) created; sign in at "
                             "/console.")
