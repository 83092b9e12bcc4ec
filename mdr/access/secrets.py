"""The server secret: keys the HMACs of identifiers and signs subject tokens.

Personal identifiers in the access log are kept as HMAC-SHA256 under this
secret, not as plain hashes: the RRN space is small enough that a plain hash
could be reversed by trying every number.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets as _secrets
from functools import lru_cache
from pathlib import Path

from mdr.settings import Settings


@lru_cache(maxsize=8)
def _from_file(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(_secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


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
