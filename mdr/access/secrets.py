"""The server secret: keys the HMACs of identifiers and signs subject tokens.

Personal identifiers in the access log are kept as HMAC-SHA256 under this
secret, not as plain hashes: the RRN space is small enough that a plain hash
could be reversed by trying every number.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets as _secrets
import tempfile
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
    try:
        # mkstemp creates the file with mode 0600, in the same folder so that it can be linked.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(_secrets.token_hex(SECRET_BYTES))
                handle.flush()
                os.fsync(handle.fileno())
            # Fails if the file exists: another process published first, and its secret wins.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            Path(temporary).unlink()
    except OSError as exc:
        raise ConfigurationError(
            f"invalid setting MDR_DATA_DIR: cannot write {path} ({exc.strerror})"
        ) from None


def server_secret(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    return _from_file((settings.data_dir / "secret.key").resolve())


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
