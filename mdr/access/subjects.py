"""Signed tokens that let a data subject read who accessed their data.

Interface (the identity provider's, in production): a token is
``base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))``
where the payload is JSON ``{"sub": <HMAC-SHA256(secret, RRN or FRN)>, "exp": <unix
time>}``. The number itself never travels: ``sub`` is the same keyed hash the access
log stores for every record about that person. Here ``mdr subjects token NUMBER``
issues such tokens; a production identity provider holding the same secret
issues them after authenticating the citizen (e.g. with a certificate).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import time

from mdr.access.secrets import identifier_hmac
from mdr.catalogue import catalogue
from mdr.errors import Unauthorized


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def subject_identifier(raw: str) -> str:
    """``raw`` in canonical form, if it is a valid resident or foreign registration
    number; else :class:`~mdr.errors.InvalidIdentifier`."""
    return catalogue().subject_identifier(raw)


def subject_hash(secret: bytes, identifier: str) -> str:
    """The keyed hash of a subject's registration number (canonical form): the hash the
    access log keeps for every record about them."""
    return identifier_hmac(secret, subject_identifier(identifier))


def issue_token(secret: bytes, identifier: str, ttl_seconds: int = 3600) -> str:
    payload = _b64(json.dumps({"sub": subject_hash(secret, identifier),
                               "exp": int(time.time()) + ttl_seconds}).encode())
    signature = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())
    return f"{payload}.{signature}"


def verify_token(secret: bytes, token: str) -> str:
    """Return the subject hash of a valid token; raise Unauthorized otherwise."""
    payload, _, signature = token.partition(".")
    expected = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())
    if not signature or not hmac.compare_digest(signature, expected):
        raise Unauthorized("the subject token is not valid")
    try:
        claims = json.loads(_unb64(payload))
        sub, exp = claims["sub"], claims["exp"]
        if not isinstance(sub, str) or isinstance(exp, bool) or not isinstance(
                exp, int | float) or not math.isfinite(exp):
            raise TypeError
    except (ValueError, KeyError, TypeError, OverflowError):
        raise Unauthorized("the subject token is malformed") from None
    if exp < time.time():
        raise Unauthorized("the subject token has expired")
    return sub
