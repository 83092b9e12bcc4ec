"""Shared plumbing for CLI commands: settings, database, output."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from entities.catalogue import refresh_catalogue
from mdr.db.engine import (
    Database,
    Role,
    check_connection,
    make_engine,
    resolve_database,
    session_factory,
    unit_of_work,
)
from mdr.db.migrate import is_current, upgrade
from mdr.logging import configure_logging
from mdr.settings import Settings, get_settings, log_format_of

console = Console()
err_console = Console(stderr=True)


def settings() -> Settings:
    current = get_settings()
    configure_logging(current.log_level, log_format_of(current))
    return current


def database(current: Settings, role: Role = "cli") -> Database:
    """Resolve the database and prove it is reachable (one clear line if not)."""
    db = resolve_database(current)
    engine = make_engine(db.url, role, pooled=False)
    try:
        check_connection(engine)
    finally:
        engine.dispose()
    return db


def migrate_if_behind(db: Database, quiet: bool = False) -> bool:
    """Upgrade to head when the schema is behind, then refresh the catalogue from the
    specs (they may change without a schema change); return whether migrations ran."""
    engine = make_engine(db.url, "migrate", pooled=False)
    try:
        behind = not is_current(engine)
        if behind:
            if not quiet:
                err_console.print("[bold]Migrating[/] the database schema to the latest revision")
            upgrade(db.url)
        with unit_of_work(session_factory(engine)) as session:
            refresh_catalogue(session)
    finally:
        engine.dispose()
    return behind


def session_maker(role: Role = "cli") -> sessionmaker[Session]:
    """Sessions on the configured database, migrated and with a fresh catalogue."""
    db = database(settings(), role)
    migrate_if_behind(db, quiet=True)
    return session_factory(make_engine(db.url, role, pooled=False))


def print_json(document: Any) -> None:
    # OPT_NON_STR_KEYS: SQLAlchemy row keys are str subclasses, which orjson refuses otherwise
    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    sys.stdout.write(orjson.dumps(document, option=options, default=str).decode())
    sys.stdout.write("\n")


def checked_encoding(value: str | None) -> str | None:
    """``--encoding``: an unsupported one is a bad option (exit 2), before any work."""
    from entities.tabular import normalise_encoding
    from mdr.errors import InvalidInput

    if value is not None:
        try:
            normalise_encoding(value)
        except InvalidInput as exc:
            raise typer.BadParameter(exc.detail) from None
    return value


#: The CSV encoding option of commands that read agencies' files.
EncodingOption = Annotated[str | None, typer.Option(
    help="CSV encoding, e.g. cp949 or euc-kr (default UTF-8).", callback=checked_encoding)]


#: Set in the environment of a worker started by `mdr up` or `mdr scheduler`.
WORKER_CHILD_ENV = "_MDR_WORKER_CHILD"


def start_worker() -> subprocess.Popen[bytes]:
    """`mdr worker` as a child process: reconciliation runs of uploads execute there, not
    in the API worker that serves reads (it inherits the embedded server's URL)."""
    return subprocess.Popen([sys.executable, "-m", "mdr.cli.main", "worker"],
                            env=os.environ | {WORKER_CHILD_ENV: "1"})


def stop_worker(worker: subprocess.Popen[bytes] | None, grace_seconds: float = 30) -> None:
    """Stop a worker from :func:`start_worker`: it finishes the run it is on, if that takes
    less than ``grace_seconds`` (an interrupted run is queued again)."""
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(grace_seconds)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
