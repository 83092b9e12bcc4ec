"""Log lines: one format for the CLI, scheduler and API; text lines keep their fields."""

from __future__ import annotations

import logging
import sys

import pytest

from mdr.logging import JsonFormatter, TextFormatter
from mdr.settings import Settings, log_format_of


def test_text_lines_carry_the_structured_fields() -> None:
    record = logging.LogRecord("sync", logging.INFO, __file__, 1, "sync applied", (), None)
    record.dataset, record.batch_id = "vehicle", 7
    line = TextFormatter().format(record)
    assert line.endswith("sync: sync applied (dataset=vehicle batch_id=7)")


def test_the_log_format_is_the_setting_when_given_else_by_terminal(
        monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("MDR_LOG_FORMAT", raising=False)
    unset = Settings(data_dir=tmp_path)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert log_format_of(unset) == "text"
    assert log_format_of(Settings(data_dir=tmp_path, log_format="json")) == "json"
    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    assert log_format_of(unset) == "json"
    monkeypatch.setenv("MDR_LOG_FORMAT", "text")
    assert log_format_of(Settings(data_dir=tmp_path)) == "text"


@pytest.mark.parametrize("formatter", [TextFormatter(), JsonFormatter()])
def test_lines_do_not_repeat_a_registration_number_however_spelled(
        formatter: logging.Formatter) -> None:
    spellings = ["900101-1234567", "900101 1234567", "９００１０１．１２３４５６７", "702264607849"]
    try:
        raise ValueError(f"duplicate key {spellings[0]}")
    except ValueError:
        failure = sys.exc_info()
    record = logging.LogRecord("api", logging.ERROR, __file__, 1, "no item %s", (spellings[3],),
                               failure)
    record.source, record.columns = "copy 900101 1234567.csv", [spellings[2]]
    digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    record.sha256 = digest
    line = formatter.format(record)
    assert "1234567" not in line and "１２３４５６７" not in line and "4607849" not in line, line
    assert "no item (a number not shown)" in line and digest in line  # a digest stays
