"""The generated server secret: one per data dir, whoever creates it, never empty."""

from __future__ import annotations

import hashlib
import hmac
import multiprocessing
import stat
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from mdr.access.secrets import (
    SECRET_BYTES,
    _from_file,
    access_log_chain_key,
    access_log_chain_keys,
    chain_key,
    identifier_hmac,
    server_secret,
)
from mdr.errors import ConfigurationError
from mdr.settings import Settings

PROCESSES = 6
ROUNDS = 60


def _read_secret_in_step(barrier: Barrier, folder: str, results: Queue[tuple[int, str]]) -> None:
    """In each round, wait for every process, then read (or create) that round's secret."""
    read_uncached = _from_file.__wrapped__
    for round_number in range(ROUNDS):
        barrier.wait()
        path = Path(folder) / str(round_number) / "secret.key"
        try:
            outcome = read_uncached(path).hex()
        except Exception as exc:  # the parent reports whatever went wrong
            outcome = repr(exc)
        results.put((round_number, outcome))


def test_processes_creating_the_secret_at_once_all_get_the_same_one(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES)
    results: Queue[tuple[int, str]] = context.Queue()
    workers = [context.Process(target=_read_secret_in_step, args=(barrier, str(tmp_path), results))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    outcomes: dict[int, list[str]] = {}
    for _ in range(PROCESSES * ROUNDS):
        round_number, outcome = results.get(timeout=60)
        outcomes.setdefault(round_number, []).append(outcome)
    for worker in workers:
        worker.join(10)
    for round_number, seen in sorted(outcomes.items()):
        assert len(set(seen)) == 1, f"round {round_number}: {seen}"
        assert len(bytes.fromhex(seen[0])) == SECRET_BYTES
        assert seen[0] == (tmp_path / str(round_number) / "secret.key").read_text()
        assert [p.name for p in (tmp_path / str(round_number)).iterdir()] == ["secret.key"], \
            "no temporary file is left behind"


def test_generated_secret_is_private_and_stable(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "new" / "data")
    first = server_secret(settings)
    path = tmp_path / "new" / "data" / "secret.key"
    assert len(first) == SECRET_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _from_file.__wrapped__(path.resolve()) == first


@pytest.mark.parametrize("content", ["", "\n", "not hex at all", "ab" * (SECRET_BYTES - 1)])
def test_an_empty_or_malformed_secret_file_is_refused(tmp_path: Path, content: str) -> None:
    (tmp_path / "secret.key").write_text(content)
    with pytest.raises(ConfigurationError) as caught:
        server_secret(Settings(data_dir=tmp_path))
    assert f"{tmp_path / 'secret.key'} does not hold a secret" in caught.value.detail


def test_secret_key_setting_is_used_as_given(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="s" * 40)
    assert server_secret(settings) == b"s" * 40
    assert not (tmp_path / "secret.key").exists()


def test_a_data_dir_that_is_a_file_names_the_setting(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("")
    with pytest.raises(ConfigurationError) as caught:
        server_secret(Settings(data_dir=not_a_folder))
    assert caught.value.detail == (f"invalid setting MDR_DATA_DIR: cannot write to "
                                   f"{not_a_folder} (it is a file, not a folder)")


def test_chain_keys_are_derived_per_version_and_tell_nothing_of_the_secret() -> None:
    secret = b"s" * 40
    first, second = chain_key(secret), chain_key(secret, 2)
    assert first == hmac.new(secret, b"\xffmdr access log chain", hashlib.sha256).digest()
    assert second == hmac.new(secret, b"\xffmdr access log chain v2", hashlib.sha256).digest()
    assert len({first, second, chain_key(b"t" * 40), secret}) == 4
    # No HMAC of text under the secret (identifiers the log keeps) can be a chain key.
    for text in ("mdr access log chain", "\xffmdr access log chain", "ÿmdr access log chain"):
        assert bytes.fromhex(identifier_hmac(secret, text)) != first
    with pytest.raises(ValueError, match="start at 1"):
        chain_key(secret, 0)


def test_verification_accepts_every_version_and_the_retired_keys(tmp_path: Path) -> None:
    retired = tmp_path / "retired-chain-keys"
    old = chain_key(b"o" * 40)
    retired.write_text(f"# keys of the secret before 2026-12\n{old.hex()}  # key id x\n\n")
    settings = Settings(data_dir=tmp_path, secret_key="s" * 40, audit_chain_key_version=3,
                        audit_retired_chain_keys_file=retired)
    assert access_log_chain_key(settings) == chain_key(b"s" * 40, 3)
    assert access_log_chain_keys(settings) == [
        chain_key(b"s" * 40, 3), chain_key(b"s" * 40, 2), chain_key(b"s" * 40, 1), old]


@pytest.mark.parametrize("line", ["not hex", "ab" * 31 + "zz", "ab" * 8, "ab" * 65])
def test_a_malformed_retired_key_names_the_setting_and_line(tmp_path: Path, line: str) -> None:
    retired = tmp_path / "retired-chain-keys"
    retired.write_text(f"{'cd' * 32}\n{line}\n")
    settings = Settings(data_dir=tmp_path, secret_key="s" * 40,
                        audit_retired_chain_keys_file=retired)
    with pytest.raises(ConfigurationError) as caught:
        access_log_chain_keys(settings)
    assert caught.value.detail.startswith(
        "invalid setting MDR_AUDIT_RETIRED_CHAIN_KEYS_FILE: line 2 of")
    assert "is not a key of 64 to 128 hex digits" in caught.value.detail
