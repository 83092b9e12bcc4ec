"""``mdr report``: the inspector report as one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mdr.cli import common
from mdr.db.engine import unit_of_work


def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.",
                                      dir_okay=False)],
    runs: Annotated[int, typer.Option(min=1, max=1000,
                                      help="Check runs shown in the trend charts.")] = 30,
    worst: Annotated[int, typer.Option(min=1, max=500,
                                       help="Failing rules listed with samples.")] = 25,
    run_checks_first: Annotated[
        bool | None, typer.Option("--run-checks/--no-run-checks",
                                  help="Run all checks first (default: only when no check "
                                  "has run yet).")
    ] = None,
) -> None:
    """Write the inspector report: scorecards per agency and dataset, trends, worst rules
    with masked samples, and reconciliation accuracy. Opens offline (inline CSS and SVG)."""
    from sqlalchemy import text

    from mdr.quality.report import write_report
    from mdr.quality.runner import run_checks

    maker = common.session_maker()
    with unit_of_work(maker) as session:
        has_runs = session.execute(
            text("SELECT EXISTS (SELECT 1 FROM check_run WHERE finished_at IS NOT NULL)")
        ).scalar_one()
        if run_checks_first or (run_checks_first is None and not has_runs):
            common.err_console.print("Running all integrity checks first ...")
            run_checks(session, triggered_by="cli")
    with unit_of_work(maker) as session:
        written = write_report(session, out, run_limit=runs, worst=worst)
    common.err_console.print(
        f"Report written to [bold]{written['path']}[/] ({written['bytes'] / 1024:,.0f} KiB, "
        f"{written['runs']} check runs)."
    )
