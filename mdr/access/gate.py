"""The one gate every disclosure of master values passes.

Every door that reveals a master value (the read API, the data.go.kr portal,
reconciliation results and master-only listings, steward and inspector views in the
CLI, API and console, citizen downloads, exports) asks :func:`authorize` which of the
dataset's fields the caller may see for its declared purpose, returns only those,
and writes one access-log row per record revealed (:func:`entries`), durable before
the answer leaves: the read API through its group-committing writers
(:mod:`mdr.access.audit`), every other door through :func:`disclose` inside the
transaction that commits before it answers.

A caller is a :class:`~mdr.access.keys.Principal`: an agency's API key with its
grants, or a member of staff (:func:`staff_principal`), who may see every field of
every dataset but only for the purpose of their role (``stewardship``,
``inspection``), logged under their own name at :data:`STAFF_AGENCY`, so the data
subject's own access log shows staff reads like any other.

The gate knows datasets only through :class:`mdr.catalogue.Dataset` (a dataset spec
has its members): the core does not import the specs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

from sqlalchemy import Connection, text

from mdr.access.audit import AuditEntry, append_entries
from mdr.access.keys import STAFF_PURPOSES, Grant, Principal
from mdr.access.secrets import IdentifierHasher, LogKeys
from mdr.catalogue import Dataset
from mdr.errors import FieldNotGranted, InvalidInput, NoGrant, PurposeNotGranted, shown

#: The agency staff reads are logged under: the Ministry that keeps the repository.
STAFF_AGENCY: Final = "MOIS"
STAFF_AGENCY_NAME: Final = "Ministry of the Interior and Safety (행정안전부)"
#: What ``access_log.key_id`` holds for a staff read: ``staff:<user name>``.
STAFF_PREFIX: Final = "staff:"
Spec = TypeVar("Spec", bound=Dataset)


@dataclass(frozen=True)
class Authorized(Generic[Spec]):
    """What one caller may see of one dataset for one purpose."""

    spec: Spec
    fields: tuple[str, ...]  # what this disclosure returns
    granted: frozenset[str] = frozenset()  # what the grant allows
    purpose: str = ""

    @property
    def key_granted(self) -> bool:
        """Whether records may name their key: a key is a field like any other."""
        return self.spec.key in self.granted

    def data(self, row: Any) -> dict[str, Any]:
        """The returned fields of a row whose first columns are the spec's fields, in
        spec order (every record query selects them so)."""
        positions = _POSITIONS.get((self.spec.name, self.fields))
        if positions is None:
            positions = tuple(self.spec.field_names.index(f) for f in self.fields)
            _POSITIONS[self.spec.name, self.fields] = positions
        return dict(zip(self.fields, [row[i] for i in positions], strict=True))


#: Column positions of returned fields, by dataset and fields (a few per grant).
_POSITIONS: dict[tuple[str, tuple[str, ...]], tuple[int, ...]] = {}


def require_purpose(purpose: str | None) -> str:
    if not purpose:
        raise InvalidInput("declare the purpose of the request in the X-Purpose header",
                           errors=[{"field": "X-Purpose", "message": "required"}])
    return purpose


def authorize(principal: Principal, spec: Spec, purpose: str | None,
              requested: Sequence[str] | None) -> Authorized[Spec]:
    """The fields ``principal`` may see of ``spec`` for ``purpose``: all it is granted
    (``requested`` None) or those requested, refusing any not granted."""
    grant = principal.grants.get(spec.name)
    if grant is None:
        raise NoGrant(f"this key has no grant for {spec.name}")
    purpose = require_purpose(purpose)
    if purpose not in grant.purposes:
        raise PurposeNotGranted(f"purpose {shown(purpose)!r} is not granted for {spec.name}; "
                                f"granted: {', '.join(sorted(grant.purposes))}")
    allowed = spec.field_names if grant.fields is None else tuple(
        f for f in spec.field_names if f in grant.fields)
    if requested is None:
        return Authorized(spec, allowed, frozenset(allowed), purpose)
    unknown = [shown(f) for f in requested if f not in spec.field_names]
    if unknown:
        raise InvalidInput(f"{spec.name} has no field(s): {', '.join(unknown)}",
                           errors=[{"field": "fields", "message": "unknown: "
                                    + ", ".join(unknown)}])
    refused = [f for f in requested if f not in allowed]
    if refused:
        raise FieldNotGranted(f"fields not granted: {', '.join(refused)}", fields=refused)
    return Authorized(spec, tuple(dict.fromkeys(requested)), frozenset(allowed), purpose)


def granted_fields(principal: Principal, spec: Dataset, purpose: str | None,
                   fields: Iterable[str]) -> tuple[str, ...]:
    """Those of ``fields`` the grant allows (in spec order): what a comparison may use."""
    allowed = authorize(principal, spec, purpose, None).granted
    wanted = set(fields)
    return tuple(f for f in spec.field_names if f in wanted and f in allowed)


# ----------------------------------------------------------------------------- staff


def is_staff(principal: Principal) -> bool:
    return principal.staff_role is not None


def staff_principal(username: str, role: str, datasets: Iterable[str], *,
                    agency_code: str = STAFF_AGENCY, actor: str | None = None) -> Principal:
    """A member of staff: every field of ``datasets``, for their role's purpose only.

    ``actor`` names who is logged (default ``staff:<username>``); an agency key holding
    the steward role reads as staff under its own key id and agency.
    """
    if role not in STAFF_PURPOSES:
        raise InvalidInput(f"unknown staff role {shown(role)!r}")
    purposes = frozenset({STAFF_PURPOSES[role]})
    return Principal(actor or f"{STAFF_PREFIX}{username}", agency_code,
                     {name: Grant(name, None, purposes) for name in datasets}, role)


def staff_purpose(role: str) -> str:
    return STAFF_PURPOSES[role]


def purpose_of(principal: Principal, declared: str | None) -> str | None:
    """The purpose a read is logged under: staff read for their role's purpose whatever
    a request declares; an agency for the purpose it declares."""
    return staff_purpose(principal.staff_role) if principal.staff_role else declared


# ----------------------------------------------------------------------------- logging


Hasher = Callable[[str], str]


def entries(principal: Principal, auth: Authorized[Any], rows: Iterable[Mapping[str, Any]], *,
            hash_identifier: Hasher, request_id: str, route: str,
            now: dt.datetime | None = None) -> list[AuditEntry]:
    """One access-log row per record in ``rows`` (mappings holding at least the key and
    the identifier fields): the record's key, its keyed hash, and the keyed hashes of
    the people it is about, so each of them finds the read in their own log."""
    spec, now = auth.spec, now or dt.datetime.now(dt.UTC)
    identifiers = spec.identifier_fields
    made = []
    for row in rows:
        key = str(row[spec.key])
        key_hash = hash_identifier(key)
        subjects = {str(v) for f in identifiers if (v := row.get(f)) is not None}
        subject_hashes = tuple(sorted(
            key_hash if v == key else hash_identifier(v) for v in subjects))
        made.append(AuditEntry(now, principal.agency_code, principal.key_id, spec.name, key,
                               key_hash, subject_hashes, auth.fields, auth.purpose,
                               request_id, route))
    return made


def disclose(conn: Connection, principal: Principal, auth: Authorized[Any],
             rows: Sequence[Mapping[str, Any]], *, keys: LogKeys, request_id: str,
             route: str) -> int:
    """Log the records in ``rows`` as disclosed to ``principal`` inside the caller's
    transaction, which must commit before the answer is sent; return how many."""
    if rows:
        append_entries(conn, entries(principal, auth, rows,
                                     hash_identifier=IdentifierHasher(keys.secret),
                                     request_id=request_id, route=route), keys.chain)
    return len(rows)


def subject_access(conn: Connection, subject_hash: str, limit: int = 1000
                   ) -> list[dict[str, Any]]:
    """Every logged read of records about one person (newest first), agencies' and
    staff's alike: ``reader`` says whether an agency read it for its own purpose or a
    member of staff for their role's (a steward judging a mismatch, say)."""
    roles = {purpose: role for role, purpose in STAFF_PURPOSES.items()}
    rows = conn.execute(text(
        "SELECT l.accessed_at, l.agency_code, a.name AS agency_name, l.dataset, l.purpose, "
        "l.fields FROM access_log l LEFT JOIN agency a ON a.code = l.agency_code "
        "WHERE l.subject_hashes @> ARRAY[:h] ORDER BY l.audit_id DESC LIMIT :n"
    ), {"h": subject_hash, "n": limit}).mappings().all()
    return [dict(r) | {"accessed_at": r["accessed_at"].isoformat(),
                       "reader": roles.get(r["purpose"], "agency")} for r in rows]
