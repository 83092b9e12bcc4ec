"""Signed checkpoints of the access log's chain heads, kept outside the database.

Keyed chains stop a database superuser from re-hashing rows they altered, but not
from removing a chain's last rows, or a whole chain, since what is left still
verifies. A checkpoint records every chain's head as of one snapshot: its scheme and
key id, its row count, its last row's audit_id and that row's hash. It is signed with
Ed25519 by a key that is not in the database, and it is written to a folder that
operators ship off the machine (the model is X-Road's message log, signed and
archived outside its database). ``mdr audit verify --checkpoints DIR`` then checks
that every checkpointed chain still holds exactly the checkpointed rows up to the
checkpointed row, with the checkpointed hash, and that none has vanished.

The signing key is MDR_AUDIT_SIGNING_KEY_FILE, or ``MDR_DATA_DIR/audit-signing.key``,
generated on first use (PKCS#8 PEM, mode 0600). The public keys of every signing key
used here are kept next to it, in ``audit-signing.pub`` (one line per key:
``ed25519 <base64 raw key> <fingerprint> <added>``), and copied next to the
checkpoints. Verification trusts the current key and that list, or only the public
keys it is given.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import Connection, text

from mdr.access.audit import Expected, verify_chain
from mdr.access.secrets import publish_once
from mdr.errors import ConfigurationError, InvalidInput

log = logging.getLogger(__name__)

FORMAT = "mdr-access-log-checkpoint/1"
PREFIX, SUFFIX = "checkpoint-", ".json"
#: Public keys next to the checkpoints: for verifiers elsewhere to pin (they are not
#: trusted for being there).
PUBLIC_KEYS_NAME = "audit-signing.pub"
SETTING = "MDR_AUDIT_SIGNING_KEY_FILE"

# -- keys --------------------------------------------------------------------------------------


def fingerprint(public: Ed25519PublicKey) -> str:
    """A public key's name in checkpoints and key lists: its SHA-256, first 16 hex digits."""
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_keys_file(key_file: Path) -> Path:
    """The list of every public key that signed here, next to the signing key."""
    return key_file.with_suffix(".pub")


def public_key_line(public: Ed25519PublicKey) -> str:
    added = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return f"ed25519 {base64.b64encode(_raw(public)).decode()} {fingerprint(public)} {added}\n"


def signing_key(key_file: Path) -> Ed25519PrivateKey:
    """The signing key in ``key_file``, generated on first use (one key, whichever of the
    processes starting together wins; its public key joins the list next to it)."""
    if not key_file.exists():
        new = Ed25519PrivateKey.generate()
        publish_once(key_file, _pem(new), SETTING)
        key = _read_private(key_file)
        if fingerprint(key.public_key()) == fingerprint(new.public_key()):
            _remember(key_file, key.public_key())
        return key
    return _read_private(key_file)


def rotate_signing_key(key_file: Path) -> Ed25519PrivateKey:
    """Replace the signing key with a new one. Its public key joins the list first, so
    the checkpoints signed by either key stay verifiable; the old private key is gone."""
    if key_file.exists():
        _remember(key_file, _read_private(key_file).public_key())
    new = Ed25519PrivateKey.generate()
    _remember(key_file, new.public_key())
    try:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=key_file.parent, prefix=".signing-",
                                         suffix=".tmp")  # mode 0600
        with os.fdopen(fd, "w") as handle:
            handle.write(_pem(new))
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(key_file)
    except OSError as exc:
        raise ConfigurationError(f"invalid setting {SETTING}: cannot write {key_file} "
                                 f"({exc.strerror})") from None
    return new


def _pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _read_private(key_file: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    except OSError as exc:
        raise ConfigurationError(f"invalid setting {SETTING}: cannot read {key_file} "
                                 f"({exc.strerror})") from None
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"invalid setting {SETTING}: {key_file} is not an unencrypted "
                                 "Ed25519 private key in PEM")
    return key


def _remember(key_file: Path, public: Ed25519PublicKey) -> None:
    listed = public_keys_file(key_file)
    if fingerprint(public) in read_public_keys(listed, missing_ok=True):
        return
    try:
        with listed.open("a", encoding="ascii") as handle:
            handle.write(public_key_line(public))
    except OSError as exc:
        raise ConfigurationError(f"invalid setting {SETTING}: cannot write {listed} "
                                 f"({exc.strerror})") from None


def read_public_keys(path: Path, *, missing_ok: bool = False) -> dict[str, Ed25519PublicKey]:
    """The public keys in ``path`` by fingerprint: a key list (as above) or a PEM key."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return {}
        raise InvalidInput(f"no public key file {path}") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path} ({exc.strerror})") from None
    keys: list[Ed25519PublicKey] = []
    try:
        if content.lstrip().startswith(b"-----BEGIN"):
            pem = serialization.load_pem_public_key(content)
            if not isinstance(pem, Ed25519PublicKey):
                raise ValueError("not an Ed25519 key")
            keys.append(pem)
        for line in content.decode("ascii").splitlines():
            parts = line.split()
            if parts and parts[0] == "ed25519":
                keys.append(Ed25519PublicKey.from_public_bytes(
                    base64.b64decode(parts[1], validate=True)))
    except (ValueError, IndexError, UnicodeDecodeError):
        raise InvalidInput(f"{path} is not a list of Ed25519 public keys") from None
    return {fingerprint(key): key for key in keys}


def trusted_keys(key_file: Path, given: Sequence[Path] = ()) -> dict[str, Ed25519PublicKey]:
    """The public keys a checkpoint may be signed with: only those ``given``, if any;
    otherwise the current signing key's (when there is one) and those listed next to it."""
    if given:
        return {fp: key for path in given for fp, key in read_public_keys(path).items()}
    trusted = read_public_keys(public_keys_file(key_file), missing_ok=True)
    if key_file.exists():
        public = _read_private(key_file).public_key()
        trusted[fingerprint(public)] = public
    return trusted


# -- writing -----------------------------------------------------------------------------------

# Every chain's head in one statement, so as of one snapshot. A chain whose head in the
# previous checkpoint is still in place (same row, same hash) counts only its rows after
# it, through ix_access_log_chain_id_audit_id, so an hourly checkpoint costs the rows
# written in that hour, not the whole log.
_HEADS = text("""
    SELECT ch.chain_id, ch.kind, ch.scheme, ch.key_id,
           coalesce(anchor.rows, 0) + counted.rows AS rows,
           coalesce(counted.last_audit_id, anchor.audit_id) AS last_audit_id,
           last.row_hash AS last_row_hash
    FROM access_log_chain ch
    LEFT JOIN (
        SELECT p.chain_id, p.rows, a.audit_id
        FROM json_to_recordset(CAST(:previous AS json))
             AS p(chain_id int, rows bigint, last_audit_id bigint, last_row_hash text)
        JOIN access_log a ON a.audit_id = p.last_audit_id AND a.chain_id = p.chain_id
                         AND a.row_hash = p.last_row_hash
    ) anchor ON anchor.chain_id = ch.chain_id
    CROSS JOIN LATERAL (
        SELECT count(*) AS rows, max(a.audit_id) AS last_audit_id FROM access_log a
        WHERE a.chain_id = ch.chain_id AND a.audit_id > coalesce(anchor.audit_id, 0)
    ) counted
    LEFT JOIN access_log last
        ON last.audit_id = coalesce(counted.last_audit_id, anchor.audit_id)
    ORDER BY ch.chain_id
""")


def chain_heads(conn: Connection, previous: Iterable[dict[str, Any]] = ()
                ) -> list[dict[str, Any]]:
    """Every chain's head, counting on from ``previous`` heads where they still stand."""
    anchors = [{k: head[k] for k in ("chain_id", "rows", "last_audit_id", "last_row_hash")}
               for head in previous if head["last_audit_id"] is not None]
    return [dict(row) for row in conn.execute(
        _HEADS, {"previous": orjson.dumps(anchors).decode()}).mappings()]


def write_checkpoint(conn: Connection, out_dir: Path, key_file: Path,
                     now: dt.datetime | None = None) -> dict[str, Any]:
    """Write a signed checkpoint of every chain head into ``out_dir``, and the public keys
    next to it; return what was written (``path``, ``chains``, ``rows``, ``signing_key``)."""
    key = signing_key(key_file)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot write checkpoints to {out_dir} ({exc.strerror})") from None
    trusted = trusted_keys(key_file)
    previous = _latest(out_dir, trusted)
    now = now or dt.datetime.now(dt.UTC)
    heads = chain_heads(conn, previous["chains"] if previous else ())
    body = {"format": FORMAT, "written_at": now.isoformat(timespec="microseconds"),
            "signing_key": fingerprint(key.public_key()), "chains": heads}
    document = {**body, "signature": base64.b64encode(key.sign(_canonical(body))).decode()}
    path = out_dir / f"{PREFIX}{now.astimezone(dt.UTC):%Y%m%dT%H%M%S%fZ}{SUFFIX}"
    _write_atomically(path, orjson.dumps(document, option=orjson.OPT_INDENT_2))
    _write_atomically(out_dir / PUBLIC_KEYS_NAME, _public_keys_text(key_file, key))
    return {"path": str(path), "chains": len(heads), "rows": sum(h["rows"] for h in heads),
            "signing_key": body["signing_key"],
            "counted_from": previous["name"] if previous else None}


def _public_keys_text(key_file: Path, key: Ed25519PrivateKey) -> bytes:
    """The list of public keys next to the signing key, with the current one."""
    try:
        listed = public_keys_file(key_file).read_text(encoding="ascii")
    except FileNotFoundError:
        listed = ""
    if fingerprint(key.public_key()) not in read_public_keys(public_keys_file(key_file),
                                                             missing_ok=True):
        listed += public_key_line(key.public_key())
    return listed.encode()


def _canonical(body: dict[str, Any]) -> bytes:
    """What is signed: the checkpoint without its signature, keys sorted, no spaces."""
    return orjson.dumps({k: v for k, v in body.items() if k != "signature"},
                        option=orjson.OPT_SORT_KEYS)


def _write_atomically(path: Path, content: bytes) -> None:
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".checkpoint-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(0o644)  # public: no secret in it
        Path(temporary).replace(path)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path} ({exc.strerror})") from None


def _latest(out_dir: Path, trusted: dict[str, Ed25519PublicKey]) -> dict[str, Any] | None:
    """The newest checkpoint in ``out_dir`` that is signed by a trusted key."""
    for path in sorted(out_dir.glob(f"{PREFIX}*{SUFFIX}"), reverse=True):
        document, problem = _load(path, trusted)
        if problem is None:
            assert document is not None
            return {**document, "name": path.name}
    return None


# -- verifying ---------------------------------------------------------------------------------


def _load(path: Path, trusted: dict[str, Ed25519PublicKey]
          ) -> tuple[dict[str, Any] | None, tuple[str, str] | None]:
    """A checkpoint, or what is wrong with it: (problem, detail)."""
    try:
        document = orjson.loads(path.read_bytes())
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            return None, ("unreadable", f"not a checkpoint ({FORMAT})")
        signature = base64.b64decode(document["signature"], validate=True)
        signer = document["signing_key"]
        for chain in document["chains"]:  # the shape verification relies on
            _expected(chain, path.name)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, ("unreadable", f"cannot read it ({type(exc).__name__}: {exc})")
    if signer not in trusted:
        return None, ("untrusted_key", f"it is signed by key {signer}, which is not trusted")
    try:
        trusted[signer].verify(signature, _canonical(document))
    except InvalidSignature:
        return None, ("bad_signature", "its signature does not verify: it was altered after "
                                       "it was signed")
    return document, None


def _expected(chain: dict[str, Any], source: str) -> Expected:
    values = (chain["chain_id"], chain["scheme"], chain["key_id"], chain["rows"],
              chain["last_audit_id"], chain["last_row_hash"])
    types: tuple[type | tuple[type, ...], ...] = (
        int, str, (str, type(None)), int, (int, type(None)), (str, type(None)))
    if not all(isinstance(v, t) for v, t in zip(values, types, strict=True)):
        raise TypeError(f"chain {chain.get('chain_id')!r} is malformed")
    return Expected(*values, source=source)


def verify_access_log(conn: Connection, chain_keys: bytes | Iterable[bytes],
                      checkpoint_dir: Path | None = None,
                      trusted: dict[str, Ed25519PublicKey] | None = None) -> dict[str, Any]:
    """:func:`~mdr.access.audit.verify_chain`, and with ``checkpoint_dir`` every chain
    against every checkpoint in it that is signed by one of the ``trusted`` keys.

    A checkpoint that does not verify (unreadable, altered, signed by another key) is a
    problem of its own, and its heads are not used. The report gains ``checkpoints``:
    the folder, the checkpoint files, how many verified, and the newest.
    """
    if checkpoint_dir is None:
        return verify_chain(conn, chain_keys)
    if not checkpoint_dir.is_dir():
        raise InvalidInput(f"{checkpoint_dir} is not a folder of checkpoints")
    expected: dict[tuple[Any, ...], Expected] = {}
    problems: list[dict[str, Any]] = []
    files = sorted(checkpoint_dir.glob(f"{PREFIX}*{SUFFIX}"))
    verified: list[tuple[str, str]] = []
    for path in files:
        document, problem = _load(path, trusted or {})
        if problem is not None:
            problems.append({"chain_id": None, "audit_id": None, "problem": problem[0],
                             "detail": problem[1], "checkpoint": path.name})
            continue
        assert document is not None
        verified.append((document["written_at"], path.name))
        for chain in document["chains"]:  # a head many checkpoints repeat is checked once
            head = _expected(chain, path.name)
            expected.setdefault(head[:-1], head)
    if not files:
        problems.append({"chain_id": None, "audit_id": None, "problem": "no_checkpoints",
                         "detail": f"{checkpoint_dir} holds no checkpoint", "checkpoint": None})
    report = verify_chain(conn, chain_keys, expected=expected.values())
    report["problems"] = problems + report["problems"]
    report["problems_total"] += len(problems)
    report["ok"] = report["ok"] and not problems
    if report["reason"] is None and problems:
        report["reason"] = problems[0]["detail"]
    newest = max(verified, default=None)
    report["checkpoints"] = {
        "dir": str(checkpoint_dir), "files": len(files), "verified": len(verified),
        "chains": len({head.chain_id for head in expected.values()}),
        "newest": None if newest is None else newest[1],
        "newest_written_at": None if newest is None else newest[0],
        "trusted_keys": sorted(trusted or {}),
    }
    return report
