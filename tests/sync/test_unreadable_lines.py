"""Snapshot lines that cannot be read as rows: quarantined with their line and data row
while the other rows are applied; a mostly unreadable file refused whole; a full snapshot
with such a line ends no record."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from mdr.cli.main import app
from mdr.cli.sync_cmd import EXIT_QUARANTINED
from mdr.settings import get_settings
from sync.service import sync_file
from tests.factories import make
from tests.helpers import clean_env
from tests.sync.conftest import frame_of

pytestmark = pytest.mark.db

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
BAD_BYTE = "\ue000"  # written as the byte 0xFF, valid in neither UTF-8 nor CP949


@pytest.fixture
def cli(master, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("MDR_DATABASE_URL", master.url.render_as_string(hide_password=False)
                       .replace("postgresql+psycopg2", "postgresql"))
    monkeypatch.setenv("MDR_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def people(n: int) -> list[dict]:
    return [make("resident", status="alive", status_date=None) for _ in range(n)]


def csv_lines(records: list[dict]) -> tuple[str, list[str]]:
    header, *rows = frame_of("resident", records).write_csv().splitlines()
    return header, rows


def write(path: Path, header: str, rows: list[str], *, encoding: str = "utf-8",
          newline: str = "\n", bom: bool = False) -> Path:
    text_csv = ("\ufeff" if bom else "") + newline.join([header, *rows]) + newline
    path.write_bytes(b"\xff".join(part.encode(encoding) for part in text_csv.split(BAD_BYTE)))
    return path


def cut_short(row: str) -> str:
    """The line as an export cut short after its fifth field."""
    return ",".join(row.split(",")[:5])


def scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def live_keys(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT rrn FROM resident")).scalars())


def test_unreadable_lines_are_quarantined_and_the_other_rows_applied(
        cli, master, tmp_path: Path) -> None:
    records = people(10)
    records[9] = {**records[9], "sex": "X"}  # a bad value after the bad lines
    header, rows = csv_lines(records)
    rows[1] = cut_short(rows[1])
    rows[2] += ",extra"
    rows[3] = rows[3].replace(",", ',"', 1)  # an unbalanced quote in the middle of the file
    rows[4] = rows[4].replace(records[4]["name"], "\x00" + records[4]["name"])
    rows[5] = rows[5].replace(records[5]["name"], BAD_BYTE + records[5]["name"])
    result = cli.invoke(app, ["sync", "run", "resident", str(write(tmp_path / "r.csv", header,
                                                                   rows)), "--json"])
    assert result.exit_code == EXIT_QUARANTINED, result.output
    summary = json.loads(result.stdout)
    assert (summary["rows_read"], summary["created"], summary["quarantined"],
            summary["unreadable"]) == (10, 4, 6, 5)
    # each named by its data row (0-based, header not counted) and its line in the file
    assert [(p["row_number"], p["line"], p["field"], p["reason"])
            for p in summary["problems"][:5]] == [
        (1, 3, None, "line 3 has 5 fields, the header has 12"),
        (2, 4, None, "line 4 has 13 fields, the header has 12"),
        (3, 5, None, "line 5 opens a quoted value it does not close (read as ending with the "
                     "line)"),
        (4, 6, None, "line 6 holds a NUL byte (a damaged line)"),
        (5, 7, None, "line 7 is not valid UTF-8 (first bad byte at byte 15 of the line)"),
    ]
    # the rows after them keep their own numbers
    assert [(p["row_number"], p["line"], p["field"]) for p in summary["problems"][5:]] == [
        (9, None, "sex")]
    assert summary["warnings"] == ["5 lines of the file could not be read as rows (lines 3, "
                                   "4, 5, 6, 7): quarantined, the other rows applied"]
    assert live_keys(master) == {records[i]["rrn"] for i in (0, 6, 7, 8)}
    # the line is kept as it came (a NUL, which JSON cannot hold, as U+FFFD)
    with master.connect() as conn:
        raw = conn.execute(text("SELECT raw FROM sync_quarantine WHERE batch_id = :b "
                                "AND row_number = 4"), {"b": summary["batch_id"]}).scalar_one()
    assert raw == {"_line": 6, "_text": rows[4].replace("\x00", "\ufffd")}
    listing = cli.invoke(app, ["sync", "quarantine", str(summary["batch_id"]), "--json"])
    problems = json.loads(listing.stdout)["problems"]
    assert [(p["row_number"], p["line"]) for p in problems] == [
        (1, 3), (2, 4), (3, 5), (4, 6), (5, 7), (9, None)]
    table = cli.invoke(app, ["sync", "quarantine", str(summary["batch_id"])])
    assert table.exit_code == 0, table.output
    for record in records[1:6]:
        assert record["rrn"] not in listing.stdout + table.stdout, "values are not shown"


def test_a_cp949_delta_with_crlf_quarantines_its_unreadable_lines(
        cli, master, tmp_path: Path) -> None:
    records = people(4)
    day1 = write(tmp_path / "day1.csv", *csv_lines(records))
    assert cli.invoke(app, ["sync", "run", "resident", str(day1), "--as-of", "2026-01-01"]
                      ).exit_code == 0
    renamed = {**records[0], "name": "변경된"}
    newcomers = people(2)
    header, rows = csv_lines([renamed, records[1], records[2], *newcomers])
    rows = [rows[0] + ",upsert", cut_short(rows[1]), rows[2] + ",end", rows[3] + ",",
            rows[4].replace(newcomers[1]["name"], BAD_BYTE) + ","]
    delta = write(tmp_path / "delta.csv", header + ",_op", rows, encoding="cp949",
                  newline="\r\n")
    result = cli.invoke(app, ["sync", "run", "resident", str(delta), "--mode", "delta",
                              "--encoding", "cp949", "--as-of", "2026-02-01"])
    assert result.exit_code == EXIT_QUARANTINED, result.output
    shown = " ".join(result.stdout.split())  # as wrapped to the console's width
    assert "row 1: line 3 has 5 fields, the header has 13" in shown
    assert "row 4: line 6 is not valid CP949/EUC-KR (first bad byte at byte 15 of the line)" \
        in shown
    # the readable rows of the delta applied: a change, an end and a new record
    assert live_keys(master) == {records[0]["rrn"], records[1]["rrn"], records[3]["rrn"],
                                 newcomers[0]["rrn"]}
    assert scalar(master, "SELECT name FROM resident WHERE rrn = :k",
                  k=records[0]["rrn"]) == "변경된"


def test_a_full_snapshot_with_an_unreadable_line_ends_nothing(master, tmp_path: Path) -> None:
    """A line cut short may stand for any live record the snapshot leaves out, as a row
    whose key cannot be read does: the snapshot ends none of them. An empty line stands
    for none. (Classic Mac line breaks and a BOM, to read as the agency sends them.)"""
    records = people(12)

    def mac(name: str, header: str, rows: list[str]) -> Path:
        return write(tmp_path / name, header, rows, newline="\r", bom=True)

    sync_file(master, "resident", mac("day1.csv", *csv_lines(records)), as_of=JAN)
    # the next export cut record 0's line short, and record 11 left the register
    header, rows = csv_lines(records[:11])
    rows[0] = cut_short(rows[0])
    result = sync_file(master, "resident", mac("day2.csv", header, rows), as_of=FEB)
    assert (result.unreadable, result.quarantined, result.ended, result.ends_withheld) == (
        1, 1, 0, 2)
    assert live_keys(master) == {r["rrn"] for r in records}
    assert "1 of its lines cannot be read as rows (see the quarantine)" in result.warnings[1]
    assert result.unchanged == 10  # the rows after the bad line are matched as before
    # fixed, with an empty line in the middle: record 11 ends, and nothing else does
    header, rows = csv_lines(records[:11])
    rows.insert(5, "")
    result = sync_file(master, "resident", mac("day3.csv", header, rows), as_of=MAR)
    assert (result.unreadable, result.quarantined, result.ended, result.ends_withheld) == (
        1, 1, 1, 0)
    assert live_keys(master) == {r["rrn"] for r in records[:11]}


def test_a_mostly_unreadable_file_is_refused_and_nothing_applied(master, tmp_path: Path) -> None:
    records = people(30)
    header, rows = csv_lines(records)
    for i in range(0, 24, 2):  # 12 of 30 lines cut short: a broken export
        rows[i] = cut_short(rows[i])
    path = write(tmp_path / "broken.csv", header, rows)
    url = master.url.render_as_string(hide_password=False).replace(
        "postgresql+psycopg2", "postgresql")
    env = clean_env(MDR_DATABASE_URL=url, MDR_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "mdr.cli.main", "sync", "run", "resident",
                           str(path)], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 1, done.stderr  # refused, nothing applied
    assert ("12 of 30 data rows (40.0%) cannot be read, on lines 2, 4, 6, 8, 10, ... (line 2 "
            "has 5 fields, the header has 12): a broken export, so the file is refused whole "
            "and nothing is applied") in " ".join(done.stderr.split())
    assert not any(r["rrn"] in done.stderr for r in records)
    assert scalar(master, "SELECT count(*) FROM resident_version") == 0
    assert scalar(master, "SELECT count(*) FROM sync_batch") == 0
    assert scalar(master, "SELECT count(*) FROM sync_quarantine") == 0
