"""``mdr``: run, migrate and inspect the National Master Data Repository.

Each command is a thin caller of a service; errors from those services are
printed as one line (``mdr: error: ...``) with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from typer import rich_utils

# typer vendors click (0.29 on); its usage errors are these classes, not click's.
from typer._click.exceptions import ClickException as UsageProblem

from mdr.cli import (
    access_cmd,
    checks_cmd,
    common,
    datasets_cmd,
    generate_cmd,
    reconcile_cmd,
    report_cmd,
    sync_cmd,
    users_cmd,
)
from mdr.errors import PROBLEM_BASE, ConfigurationError, MdrError

if TYPE_CHECKING:
    from mdr.db.engine import Database
    from mdr.settings import Settings

app = typer.Typer(
    name="mdr",
    help=(
        "National Master Data Repository: the 14 national master datasets with full "
        "history, integrity checks, reconciliation of agency copies and a read API.\n\n"
        "With MDR_DATABASE_URL unset, mdr runs its own PostgreSQL in MDR_DATA_DIR "
        "(default ./.mdr). Start with `mdr up`."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema: upgrade, downgrade, show the revision.",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(datasets_cmd.app, name="datasets")
app.add_typer(sync_cmd.app, name="sync")
app.add_typer(access_cmd.keys_app, name="keys")
app.add_typer(access_cmd.subjects_app, name="subjects")
app.add_typer(access_cmd.audit_app, name="audit")
app.command("generate")(generate_cmd.generate)
app.command("reconcile")(reconcile_cmd.reconcile)
app.add_typer(reconcile_cmd.steward_app, name="steward")
app.add_typer(users_cmd.users_app, name="users")
app.add_typer(checks_cmd.app, name="checks")
app.command("report")(report_cmd.report)

HostOption = Annotated[
    str | None, typer.Option("--host", help="Address to listen on (default MDR_API_HOST).")
]
PortOption = Annotated[
    int | None, typer.Option("--port", help="Port to listen on (default MDR_API_PORT).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
#: Seconds an API worker may take to answer uvicorn's supervisor (start-up included).
WORKER_HEALTHCHECK_SECONDS = 60


@app.command()
def up(
    host: HostOption = None,
    port: PortOption = None,
    scheduler: Annotated[
        bool, typer.Option(help="Also run the scheduler in this process.")
    ] = True,
) -> None:
    """Start everything: database, migrations, demo data, scheduler and API.

    The database is embedded unless MDR_DATABASE_URL is set. Demo data is loaded
    only into an empty database. Ctrl-C stops it all, embedded PostgreSQL included.
    """
    from mdr.cli.demo import demo_key, load_demo_data
    from mdr.cli.jobs import scheduled_jobs
    from mdr.db.engine import make_engine
    from mdr.scheduler import MdrScheduler

    settings = common.settings()
    _ensure_port_free(host or settings.api_host, port or settings.api_port)
    db = common.database(settings)
    common.migrate_if_behind(db)
    load_demo_data(settings, db)
    key = demo_key(db)
    runner, worker = None, None
    if scheduler:
        runner = MdrScheduler(make_engine(db.url, "scheduler", pool_size=2),
                              scheduled_jobs(settings))
        runner.start()
        worker = common.start_worker()
    try:
        _serve(settings, db, host, port, workers=1, demo_key=key)
    finally:
        if runner is not None:
            runner.shutdown()
        common.stop_worker(worker)


@app.command()
def serve(
    host: HostOption = None,
    port: PortOption = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="API worker processes.")
    ] = 1,
    access_log: Annotated[
        bool, typer.Option(help="Log every request (costs throughput).")
    ] = False,
) -> None:
    """Run the API only (no scheduler), migrating first if the schema is behind."""
    if access_log:
        os.environ["MDR_ACCESS_LOG"] = "1"  # the workers read their settings from it
    settings = common.settings()
    _ensure_port_free(host or settings.api_host, port or settings.api_port)
    db = common.database(settings)
    common.migrate_if_behind(db)
    _serve(settings, db, host, port, workers=workers)


def _ensure_port_free(host: str, port: int) -> None:
    """Fail on a port in use before starting a database, with a plain message."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is fine
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigurationError(
                f"cannot listen on {host}:{port}: {exc.strerror} (another mdr serve?)"
            ) from None


def _serve(settings: Settings, db: Database, host: str | None, port: int | None, *,
           workers: int, demo_key: str | None = None) -> None:
    """Serve the API with uvicorn on uvloop, parsing HTTP with httptools; key lookups are
    answered in the HTTP protocol itself (api/http_protocol.py).

    Measured on the key lookup (bench/api, same run, 2 workers), uvicorn served about
    a fifth more lookups than Granian at 32 and 64 connections: Granian parses HTTP in
    a Rust thread and hands every request and response across to the Python thread,
    and those hand-offs cost more than the parsing saved once the lookup path was lean.
    With more than one worker, the workers are spawned processes that build their own
    app from the environment, which carries the embedded server's URL, so they join it.
    SIGINT and SIGTERM stop the workers gracefully (each commits the access-log rows it
    holds before it exits); SIGHUP restarts them; a worker that dies is replaced.
    """
    import uvicorn

    from mdr.access.secrets import server_secret
    from mdr.logging import configure_logging
    from mdr.settings import log_format_of

    server_secret(settings)  # a bad data dir or secret stops here once, not in each worker
    host = host or settings.api_host
    port = port or settings.api_port
    where = "embedded PostgreSQL" if db.embedded else "PostgreSQL"
    common.err_console.print(
        f"[bold green]mdr API[/] on http://{host}:{port}  "
        f"(OpenAPI: http://{host}:{port}/openapi.json, database: {where})"
    )
    if demo_key:
        common.err_console.print(
            f"Demo key (purpose `demo`, every dataset): [bold]{demo_key}[/]\n"
            f"  curl 'http://{host}:{port}/v1/portal/medicine?serviceKey={demo_key}"
            "&numOfRows=3'",
            highlight=False, soft_wrap=True)
    configure_logging(settings.log_level, log_format_of(settings))
    from api.http_protocol import SERVER_OPTIONS

    uvicorn.run(
        "api.app:create_app", factory=True, host=host, port=port, workers=workers,
        **SERVER_OPTIONS,  # uvloop; httptools, answering key lookups before ASGI
        # uvicorn's records go through our handler (one format on stderr); the request
        # log is ours (api/middleware.py), under each request's id.
        log_config=None, log_level=settings.log_level.lower(), access_log=False,
        server_header=False, timeout_graceful_shutdown=30,
        # A worker still importing the app cannot answer the supervisor's ping; at
        # uvicorn's 5 s a loaded machine saw workers killed and restarted in a loop
        # ("Child process died"). A hung worker is still replaced, after this long.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


@app.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduler alone, without the API.

    Jobs are stored in PostgreSQL and each run holds an advisory lock, so several
    schedulers on one database never run the same job at once.
    """
    from mdr.cli.jobs import scheduled_jobs
    from mdr.db.engine import make_engine
    from mdr.scheduler import MdrScheduler

    settings = common.settings()
    db = common.database(settings, "scheduler")
    common.migrate_if_behind(db)
    common.err_console.print("[bold green]mdr scheduler[/] running; Ctrl-C stops it.")
    runner = MdrScheduler(make_engine(db.url, "scheduler", pool_size=2),
                          scheduled_jobs(settings), blocking=True)
    worker = common.start_worker()
    try:
        runner.start()
    except (KeyboardInterrupt, SystemExit):
        runner.shutdown()
    finally:
        common.stop_worker(worker)


@app.command("worker")
def worker_command(
    once: Annotated[bool, typer.Option(
        "--once", help="Carry out the runs queued now, then exit.")] = False,
) -> None:
    """Carry out reconciliation runs of uploaded copies, one at a time.

    `mdr up` and `mdr scheduler` start one; run more for more parallel runs (several
    workers never start the same run). Runs execute here, not in the API workers.
    """
    import signal

    from mdr.db.engine import make_engine
    from reconciliation.queue import work

    settings = common.settings()
    db = common.database(settings, "worker")
    common.migrate_if_behind(db, quiet=True)
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: stopping.append(signum))
    parent = os.getppid() if os.environ.get(common.WORKER_CHILD_ENV) else None
    engine = make_engine(db.url, "worker", pool_size=2)
    try:
        # A child of `mdr up` stops with its parent, even one killed with -9.
        work(engine, once=once,
             stop=lambda: bool(stopping) or (parent is not None and os.getppid() != parent))
    except KeyboardInterrupt:
        pass
    finally:
        engine.dispose()


@app.command()
def status(as_json: JsonOption = False) -> None:
    """Show the database in use, schema revision, datasets loaded, scheduler heartbeat and
    each read replica (healthy, lagging, down or hung, as the API would find it)."""
    from rich.markup import escape
    from rich.table import Table

    from mdr.db.engine import make_engine
    from mdr.status import service_status

    settings = common.settings()
    db = common.database(settings)
    engine = make_engine(db.url, "cli", pooled=False)
    try:
        report = service_status(db, engine, settings.scheduler_heartbeat_seconds,
                                replica_max_lag=settings.read_replica_max_lag_seconds,
                                replica_timeout=settings.read_replica_timeout_seconds)
    finally:
        engine.dispose()
    if as_json:
        common.print_json(report)
        return
    table = Table(show_header=False, box=None)
    table.add_row("database", f"{report['database']} ({'embedded' if db.embedded else 'external'},"
                  f" PostgreSQL {report['server_version']})")
    behind = "" if report["migrated"] else f"  [red]behind: head is {report['head']}[/]"
    table.add_row("schema revision", f"{report['revision'] or 'none'}{behind}")
    table.add_row("datasets loaded", f"{report['datasets_loaded']} of {len(report['datasets'])}")
    running = "running" if report["scheduler_running"] else "[red]not running[/]"
    table.add_row("scheduler", f"{running} (last heartbeat "
                  f"{report['scheduler_last_heartbeat'] or 'never'})")
    for replica in report["read_replicas"]:
        state = replica["state"] if replica["state"] == "healthy" else \
            f"[red]{replica['state']}[/]"
        lag = "" if replica["lag_seconds"] is None else f", lag {replica['lag_seconds']:g} s"
        detail = f": {escape(replica['detail'])}" if replica["detail"] else ""
        table.add_row("read replica", f"{escape(replica['url'])} {state}{lag}{detail}")
    common.console.print(table)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    from mdr.db import migrate

    settings = common.settings()
    db = common.database(settings, "migrate")
    if revision == "head":
        common.migrate_if_behind(db, quiet=True)
    else:
        migrate.upgrade(db.url, revision)
    _print_revision(db)


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(
        help="Target revision: an id, base, or steps back after `--`, "
        "as in `mdr db downgrade -- -1`.")],
) -> None:
    """Revert migrations down to REVISION (data in dropped tables is lost)."""
    from mdr.db import migrate

    settings = common.settings()
    db = common.database(settings, "migrate")
    migrate.downgrade(db.url, revision)
    _print_revision(db)


def _print_revision(db: Database) -> None:
    """The revision the database is at now, not the one asked for (`head`, `-1`)."""
    from mdr.db import migrate
    from mdr.db.engine import make_engine

    engine = make_engine(db.url, "migrate", pooled=False)
    try:
        revision = migrate.current_revision(engine) or "none (base)"
    finally:
        engine.dispose()
    common.err_console.print(f"Database at revision [bold]{revision}[/].")


@db_app.command("current")
def db_current() -> None:
    """Print the database's revision and the latest one."""
    from mdr.db import migrate
    from mdr.db.engine import make_engine

    settings = common.settings()
    db = common.database(settings, "migrate")
    engine = make_engine(db.url, "migrate", pooled=False)
    try:
        common.console.print(f"current: {migrate.current_revision(engine) or 'none'}")
        common.console.print(f"head:    {migrate.head_revision()}")
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Console entry point: usage errors are typer's message, ours one line; with
    ``--json`` either is also the one JSON document on stdout that scripts read."""
    args = sys.argv[1:] if argv is None else argv
    as_json = "--json" in args
    try:
        outcome = app(args=args, prog_name="mdr", standalone_mode=False)
    except UsageProblem as exc:  # bad option or argument: exit code 2
        rich_utils.rich_format_error(exc)
        if as_json:
            _print_error(USAGE_ERROR, "Bad usage", exc.format_message())
        return exc.exit_code
    except typer.Abort:
        print("Aborted!", file=sys.stderr)
        return 1
    except MdrError as exc:
        print(f"mdr: error: {exc.detail}", file=sys.stderr)
        if as_json:
            _print_error(exc.type_uri, exc.title, exc.detail)
        return 2 if isinstance(exc, ConfigurationError) else 1
    except KeyboardInterrupt:
        return 130
    # Without standalone mode, typer.Exit(code) comes back as the code.
    return outcome if isinstance(outcome, int) and not isinstance(outcome, bool) else 0


USAGE_ERROR = PROBLEM_BASE + "usage-error"


def _print_error(type_uri: str, title: str, detail: str) -> None:
    common.print_json({"error": {"type": type_uri, "title": title, "detail": detail}})


if __name__ == "__main__":
    sys.exit(main())
