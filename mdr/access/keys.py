"""Agencies, API keys and grants.

A key looks like ``mdr_<key id>_<secret>``; it is shown once at creation and
only the SHA-256 of the whole key is stored. A grant gives one key one
dataset, optionally limited to some fields, for a set of declared purposes;
requests must name one of those purposes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from mdr.access.models import access_grant, agency, api_key
from mdr.catalogue import catalogue
from mdr.errors import InvalidInput, NotFound

KEY_PREFIX = "mdr_"
#: Grants that are roles rather than datasets.
ROLES = ("inspector", "steward")
#: The one purpose each staff role reads for (:mod:`mdr.access.gate`); ``operator``:
#: someone running the CLI (a reconciliation written to files for the agency whose copy
#: it is). Reserved: an agency's dataset grant cannot name them, so a citizen's log
#: never shows an agency's read as a steward's.
STAFF_PURPOSES = {
    "steward": "stewardship",
    "inspector": "inspection",
    "administrator": "administration",
    "operator": "reconciliation",
}


@dataclass(frozen=True)
class Grant:
    dataset: str
    fields: frozenset[str] | None  # None: every field
    purposes: frozenset[str]


@dataclass(frozen=True)
class Principal:
    """An authenticated agency key with its grants, or a member of staff
    (:func:`mdr.access.gate.staff_principal`) reading for their role."""

    key_id: str
    agency_code: str
    grants: dict[str, Grant]
    staff_role: str | None = None  # steward, inspector, ...: staff, not an agency


def merge_grants(parsed: list[tuple[str, list[str] | None]]
                 ) -> list[tuple[str, list[str] | None]]:
    """One grant per dataset: several for one dataset grant the union of their fields
    (a grant of every field includes the rest)."""
    merged: dict[str, list[str] | None] = {}
    for dataset, fields in parsed:
        if dataset not in merged:
            merged[dataset] = fields
        elif merged[dataset] is None or fields is None:
            merged[dataset] = None
        else:
            merged[dataset] = list(dict.fromkeys([*(merged[dataset] or []), *fields]))
    return list(merged.items())


def key_digest(presented: str) -> str:
    return hashlib.sha256(presented.encode()).hexdigest()


def parse_grant(text: str) -> tuple[str, list[str] | None]:
    """``DATASET`` or ``DATASET:FIELD,FIELD``, checked against the dataset's spec."""
    dataset, colon, field_list = text.partition(":")
    dataset = dataset.strip()
    if dataset in ROLES:
        if colon:
            raise InvalidInput(f"the {dataset} role takes no field list")
        return dataset, None
    spec = catalogue().dataset(dataset)
    if not colon:
        return dataset, None
    fields = [f.strip() for f in field_list.split(",") if f.strip()]
    if not fields:  # a slip in a field list must not widen the grant to every field
        raise InvalidInput(f"--grant {dataset}: lists no field; give {dataset} alone for "
                           "every field, or the fields after the colon")
    unknown = [f for f in fields if f not in spec.field_names]
    if unknown:
        raise InvalidInput(
            f"{dataset} has no field(s) {', '.join(unknown)}; "
            f"fields are: {', '.join(spec.field_names)}"
        )
    return dataset, fields


def create_key(
    session: Session,
    *,
    agency_code: str,
    grants: list[str],
    purposes: list[str],
    agency_name: str | None = None,
    expires_at: dt.datetime | None = None,
    label: str | None = None,
) -> tuple[str, str]:
    """Create a key with its grants; return (key id, the key itself, shown once)."""
    if not agency_code.strip() or not agency_code.replace("_", "").replace("-", "").isalnum():
        raise InvalidInput("agency code must be letters, digits, '-' or '_'")
    if not grants:
        raise InvalidInput("give at least one --grant DATASET[:FIELD,...]")
    if not purposes or any(not p.strip() for p in purposes):
        raise InvalidInput("give at least one --purpose CODE")
    parsed = merge_grants([parse_grant(g) for g in grants])
    reserved = sorted({p.strip() for p in purposes} & set(STAFF_PURPOSES.values()))
    if reserved and any(dataset not in ROLES for dataset, _ in parsed):
        raise InvalidInput(f"purpose {', '.join(reserved)} is reserved for staff reads; "
                           "name the agency's own purpose")
    session.execute(insert(agency).values(code=agency_code, name=agency_name or agency_code)
                    .on_conflict_do_nothing(index_elements=["code"]))
    key_id = "k" + secrets.token_hex(4)
    presented = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    session.execute(api_key.insert().values(
        key_id=key_id, agency_code=agency_code, secret_sha256=key_digest(presented),
        label=label, expires_at=expires_at,
    ))
    for dataset, fields in parsed:
        session.execute(access_grant.insert().values(
            key_id=key_id, dataset=dataset, fields=fields,
            purposes=sorted({p.strip() for p in purposes}),
        ))
    return key_id, presented


def list_keys(session: Session) -> list[dict[str, Any]]:
    keys = session.execute(select(api_key).order_by(api_key.c.created_at)).mappings().all()
    grants = session.execute(select(access_grant)).mappings().all()
    now = dt.datetime.now(dt.UTC)
    return [
        {
            "key_id": k["key_id"],
            "agency": k["agency_code"],
            "label": k["label"],
            "state": "revoked" if k["revoked_at"] else "expired"
            if k["expires_at"] is not None and k["expires_at"] <= now else "active",
            "created_at": k["created_at"].isoformat(),
            "expires_at": k["expires_at"].isoformat() if k["expires_at"] else None,
            "revoked_at": k["revoked_at"].isoformat() if k["revoked_at"] else None,
            "grants": [
                {"dataset": g["dataset"], "fields": g["fields"], "purposes": g["purposes"]}
                for g in grants if g["key_id"] == k["key_id"]
            ],
        }
        for k in keys
    ]


def revoke_key(session: Session, key_id: str) -> None:
    done = session.execute(
        update(api_key).where(api_key.c.key_id == key_id, api_key.c.revoked_at.is_(None))
        .values(revoked_at=dt.datetime.now(dt.UTC))
    )
    if done.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound(f"no active key {key_id}")


PRINCIPAL_SQL = (
    "SELECT k.key_id, k.agency_code, g.dataset, g.fields, g.purposes FROM api_key k "
    "LEFT JOIN access_grant g ON g.key_id = k.key_id WHERE k.secret_sha256 = $1 "
    "AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())"
)


def principal_from_rows(rows: list[Any]) -> Principal | None:
    """Build a principal from PRINCIPAL_SQL rows (no rows: unknown, revoked or expired)."""
    if not rows:
        return None
    grants = {
        row["dataset"]: Grant(
            row["dataset"],
            frozenset(row["fields"]) if row["fields"] is not None else None,
            frozenset(row["purposes"]),
        )
        for row in rows if row["dataset"] is not None
    }
    return Principal(rows[0]["key_id"], rows[0]["agency_code"], grants)


def authenticate_sync(conn: Connection, presented: str) -> Principal | None:
    """The same lookup on a synchronous connection (CLI, tests)."""
    sql = PRINCIPAL_SQL.replace("$1", ":h")
    rows = conn.execute(text(sql), {"h": key_digest(presented)}).mappings().all()
    return principal_from_rows(list(rows))


DEMO_AGENCY = "DEMO"
DEMO_PURPOSE = "demo"


def rotate_demo_key(session: Session) -> tuple[str, str]:
    """A fresh key for the demo agency on every dataset (older demo keys are revoked).

    `mdr up` prints it so a newcomer can call the API at once; it is not for production.
    """
    session.execute(
        update(api_key).where(api_key.c.agency_code == DEMO_AGENCY,
                              api_key.c.revoked_at.is_(None))
        .values(revoked_at=dt.datetime.now(dt.UTC))
    )
    return create_key(session, agency_code=DEMO_AGENCY, agency_name="Demo agency (mdr up)",
                      grants=[*catalogue().names, *ROLES], purposes=[DEMO_PURPOSE], label="demo")
