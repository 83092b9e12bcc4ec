"""The server secret: keys the HMACs of identifiers and signs subject tokens.

Personal identifiers in the access log are kept as HMAC-SHA256 under this
secret, not as plain hashes: the RRN space is small enough that a plain hash
could be reversed by trying every number.

The access log's hash chains are keyed by a chain key derived from this secret
(:func:`chain_key`), so that whoever holds only the database, a superuser included,
cannot re-hash a chain after altering it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets as _secrets
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mdr.errors import ConfigurationError
from mdr.settings import Settings, ensure_data_dir

#: Bytes of a generated secret, written as twice as many hex digits; a secret file
#: holding fewer is refused.
SECRET_BYTES = 32


@lru_cache(maxsize=8)
def _from_file(path: Path) -> bytes:
    """The secret in ``path``, generated on first use.

    Processes starting together (API workers, the scheduler) may all find no file;
    each writes a secret in full to a file of its own and links it to ``path``, which
    only the first link succeeds in doing, so all of them read that one secret and no
    reader ever sees an empty or half-written file.
    """
    try:
        return _read_secret(path)
    except (FileNotFoundError, NotADirectoryError):
        pass  # no secret yet, or no data dir: making one says what is wrong with it
    _publish_new_secret(path)
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise
    except OSError as exc:
        raise ConfigurationError(
            f"invalid setting MDR_DATA_DIR: cannot read {path} ({exc.strerror})"
        ) from None
    try:
        secret = bytes.fromhex(raw.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        secret = b""
    if len(secret) < SECRET_BYTES:
        # Never fall back to a short or empty key: every HMAC under it would be guessable.
        raise ConfigurationError(
            f"{path} does not hold a secret of at least {SECRET_BYTES * 2} hex digits; "
            "restore it, or remove it to generate a new one (earlier subject tokens and "
            "access-log identifier HMACs then no longer match)"
        )
    return secret


def _publish_new_secret(path: Path) -> None:
    ensure_data_dir(path.parent)
    publish_once(path, _secrets.token_hex(SECRET_BYTES))


def publish_once(path: Path, content: str, setting: str = "MDR_DATA_DIR") -> None:
    """Write ``content`` to ``path`` (mode 0600) unless a file is there already.

    The content is written in full to a file of its own and then linked to ``path``,
    which only the first of processes doing so at once succeeds in: all of them then
    read that one file, and no reader ever sees an empty or half-written one.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp creates the file with mode 0600, in the same folder so that it can be linked.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            # Fails if the file exists: another process published first, and its file wins.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            Path(temporary).unlink()
    except OSError as exc:
        raise ConfigurationError(
            f"invalid setting {setting}: cannot write {path} ({exc.strerror})"
        ) from None


def server_secret(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    return _from_file((settings.data_dir / "secret.key").resolve())


#: Domain separation. The label starts with a byte no UTF-8 text holds: every other HMAC
#: under the secret is of text (identifiers, subject tokens), so none of them, some of which
#: the database keeps, can ever equal a chain key.
CHAIN_KEY_LABEL = b"\xffmdr access log chain"
#: Longest chain key (a BLAKE2b key).
MAX_CHAIN_KEY_BYTES = 64


def chain_key(secret: bytes, version: int = 1) -> bytes:
    """The access-log chain key ``version`` under the server secret:
    HMAC-SHA256(secret, 0xFF "mdr access log chain"), from version 2 on with " v<version>"
    appended to the label. Raising the version (MDR_AUDIT_CHAIN_KEY_VERSION) rotates the
    key without touching the secret, whose identifier HMACs must stay as they are."""
    if version < 1:
        raise ValueError("chain key versions start at 1")
    label = CHAIN_KEY_LABEL if version == 1 else CHAIN_KEY_LABEL + f" v{version}".encode()
    return hmac.new(secret, label, hashlib.sha256).digest()


def access_log_chain_key(settings: Settings) -> bytes:
    """The key new access-log chains are written under."""
    return chain_key(server_secret(settings), settings.audit_chain_key_version)


@dataclass(frozen=True)
class LogKeys:
    """What writing the access log takes: the server secret (the keyed hashes of
    identifiers) and the key new chains are written under."""

    secret: bytes
    chain: bytes

    @classmethod
    def of(cls, settings: Settings) -> LogKeys:
        return cls(server_secret(settings), access_log_chain_key(settings))


def access_log_chain_keys(settings: Settings) -> list[bytes]:
    """Every key ``mdr audit verify`` accepts, the current one first: each version up to
    the current one under the server secret, then the retired keys of
    MDR_AUDIT_RETIRED_CHAIN_KEYS_FILE (chains written under an earlier secret)."""
    secret = server_secret(settings)
    keys = [chain_key(secret, version)
            for version in range(settings.audit_chain_key_version, 0, -1)]
    if settings.audit_retired_chain_keys_file is not None:
        keys += read_chain_keys(settings.audit_retired_chain_keys_file)
    return list(dict.fromkeys(keys))


def read_chain_keys(path: Path) -> list[bytes]:
    """The keys of a chain-key file: one hex key per line, ``#`` starts a comment."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"invalid setting MDR_AUDIT_RETIRED_CHAIN_KEYS_FILE: cannot "
                                 f"read {path} ({getattr(exc, 'strerror', None) or exc})"
                                 ) from None
    keys = []
    for number, line in enumerate(lines, 1):
        value = line.split("#", 1)[0].strip()
        if not value:
            continue
        try:
            key = bytes.fromhex(value)
        except ValueError:
            key = b""
        if not SECRET_BYTES <= len(key) <= MAX_CHAIN_KEY_BYTES:
            raise ConfigurationError(f"invalid setting MDR_AUDIT_RETIRED_CHAIN_KEYS_FILE: line "
                                     f"{number} of {path} is not a key of "
                                     f"{SECRET_BYTES * 2} to {MAX_CHAIN_KEY_BYTES * 2} hex "
                                     "digits")
        keys.append(key)
    return keys


def identifier_hmac(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


class IdentifierHasher:
    """:func:`identifier_hmac` for many values: the keyed state is set up once."""

    def __init__(self, secret: bytes) -> None:
        self._keyed = hmac.new(secret, digestmod=hashlib.sha256)

    def __call__(self, value: str) -> str:
        mac = self._keyed.copy()
        mac.update(value.encode())
        return mac.hexdigest()
