from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mdr.errors import ConfigurationError
from mdr.settings import ensure_data_dir, load_settings
from tests.helpers import clean_env, free_port


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MDR_DATABASE_URL", "MDR_DATA_DIR", "MDR_API_PORT", "MDR_READ_REPLICA_URLS",
                 "MDR_READ_REPLICA_MAX_LAG_SECONDS", "MDR_READ_REPLICA_CHECK_SECONDS",
                 "MDR_READ_REPLICA_TIMEOUT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.embedded
    assert settings.data_dir == Path(".mdr")
    assert settings.api_port == 8000
    assert settings.read_replica_urls == []
    assert (settings.read_replica_max_lag_seconds, settings.read_replica_check_seconds,
            settings.read_replica_timeout_seconds) == (30, 1, 2)


def test_replica_urls_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "MDR_READ_REPLICA_URLS", "postgresql://r1/mdr, postgresql://r2:5433/mdr"
    )
    assert load_settings().read_replica_urls == ["postgresql://r1/mdr", "postgresql://r2:5433/mdr"]


def test_blank_database_url_means_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MDR_DATABASE_URL", "  ")
    assert load_settings().embedded


def test_blank_secret_key_means_generated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MDR_SECRET_KEY", " ")
    assert load_settings().secret_key is None


def test_access_log_key_and_checkpoint_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MDR_DATA_DIR", "/srv/mdr")
    for name in ("MDR_AUDIT_CHECKPOINT_DIR", "MDR_AUDIT_SIGNING_KEY_FILE",
                 "MDR_AUDIT_RETIRED_CHAIN_KEYS_FILE"):
        monkeypatch.setenv(name, " ")  # blank: unset
    settings = load_settings()
    assert settings.audit_checkpoint_dir is None and settings.audit_retired_chain_keys_file is None
    assert settings.signing_key_file == Path("/srv/mdr/audit-signing.key")
    assert settings.audit_chain_key_version == 1
    monkeypatch.setenv("MDR_AUDIT_CHECKPOINT_DIR", "/mnt/offsite/checkpoints")
    monkeypatch.setenv("MDR_AUDIT_SIGNING_KEY_FILE", "/etc/mdr/signing.pem")
    settings = load_settings()
    assert settings.audit_checkpoint_dir == Path("/mnt/offsite/checkpoints")
    assert settings.signing_key_file == Path("/etc/mdr/signing.pem")
    monkeypatch.setenv("MDR_AUDIT_CHAIN_KEY_VERSION", "0")
    with pytest.raises(ConfigurationError, match="MDR_AUDIT_CHAIN_KEY_VERSION"):
        load_settings()


def test_short_secret_key_is_refused_without_repeating_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MDR_SECRET_KEY", "hunter2-hunter2")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert "hunter2" not in caught.value.detail
    monkeypatch.setenv("MDR_SECRET_KEY", "k" * 32)
    secret_key = load_settings().secret_key
    assert secret_key is not None
    assert secret_key.get_secret_value() == "k" * 32


def test_log_level_is_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MDR_LOG_LEVEL", "debug")
    assert load_settings().log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("MDR_API_PORT", "eighty", "MDR_API_PORT"),
        ("MDR_API_PORT", "70000", "MDR_API_PORT"),
        ("MDR_LOG_LEVEL", "LOUD", "MDR_LOG_LEVEL"),
        ("MDR_DATABASE_URL", "mysql://root@localhost/db", "postgresql://"),
        ("MDR_DATABASE_URL", "not a url", "MDR_DATABASE_URL"),
        ("MDR_READ_REPLICA_URLS", "postgresql://ok/db,sqlite:///x", "MDR_READ_REPLICA_URLS"),
        ("MDR_READ_REPLICA_MAX_LAG_SECONDS", "0", "greater than 0"),
        ("MDR_READ_REPLICA_CHECK_SECONDS", "soon", "MDR_READ_REPLICA_CHECK_SECONDS"),
        ("MDR_READ_REPLICA_TIMEOUT_SECONDS", "-1", "greater than 0"),
        ("MDR_SECRET_KEY", "x", "at least 32 characters"),
        ("MDR_SECRET_KEY", "a" * 31, "at least 32 characters"),
    ],
)
def test_invalid_settings_name_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, words: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert words in caught.value.detail
    assert name in caught.value.detail


def _mdr(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mdr.cli.main", *args],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )


def test_cli_bad_setting_is_one_line_and_exit_2() -> None:
    result = _mdr("status", env=clean_env(MDR_API_PORT="eighty"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("mdr: error: invalid setting MDR_API_PORT")


def test_cli_unreachable_database_is_one_line_and_nonzero() -> None:
    result = _mdr(
        "status", env=clean_env(MDR_DATABASE_URL="postgresql://mdr:secret@127.0.0.1:1/nowhere")
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "cannot connect to PostgreSQL at 127.0.0.1:1/nowhere" in lines[0]
    assert "secret" not in result.stderr


@pytest.mark.parametrize("command", ["status", "up"])
def test_cli_data_dir_that_is_a_file_is_one_line_and_exit_2(tmp_path: Path, command: str) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("")
    args = [command] if command == "status" else [command, "--port", str(free_port())]
    result = _mdr(*args, env=clean_env(MDR_DATA_DIR=str(not_a_folder)))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == (
        f"mdr: error: invalid setting MDR_DATA_DIR: cannot write to {not_a_folder} "
        "(it is a file, not a folder)"
    )


def test_data_dir_that_cannot_be_made_names_the_setting() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ensure_data_dir(Path("/proc/mdr-data"))
    assert caught.value.detail.startswith(
        "invalid setting MDR_DATA_DIR: cannot write to /proc/mdr-data (")
