"""Log lines: one format for the CLI, scheduler and API; text lines keep their fields."""

from __future__ import annotations

import logging

import pytest

from mdr.logging import TextFormatter
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
