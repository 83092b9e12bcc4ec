"""Tables of access: agencies and their keys and grants, staff users and their sessions,
and the access log of who read what."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY

from mdr.db.base import metadata


class StaffRole(StrEnum):
    """What a member of staff does in the console (and which purpose they read for)."""

    STEWARD = "steward"
    INSPECTOR = "inspector"
    ADMINISTRATOR = "administrator"


agency = Table(
    "agency",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# An API key is shown once; only its SHA-256 is kept. Keys are 256-bit random
# secrets, so a fast hash is enough (no password-style stretching needed) and
# allows the lookup by hash on every request.
api_key = Table(
    "api_key",
    metadata,
    Column("key_id", Text, primary_key=True, comment="public part of the key, e.g. k7f3a9c2"),
    Column("agency_code", Text, ForeignKey("agency.code"), nullable=False),
    Column("secret_sha256", Text, nullable=False, unique=True),
    Column("label", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

access_grant = Table(
    "access_grant",
    metadata,
    Column("grant_id", BigInteger, Identity(), primary_key=True),
    Column("key_id", Text, ForeignKey("api_key.key_id"), nullable=False),
    Column("dataset", Text, nullable=False, comment="a dataset, or a role such as 'inspector'"),
    Column("fields", ARRAY(Text), nullable=True, comment="NULL: every field"),
    Column("purposes", ARRAY(Text), nullable=False),
    Index("ix_access_grant_key_id", "key_id"),
)

# Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). Each row carries
# a MAC of its content chained to the previous row's hash in its writer's chain,
# keyed by a secret outside the database, so removing or altering a row breaks the
# chain (`mdr audit verify`), even for a superuser who lifts the trigger.
access_log = Table(
    "access_log",
    metadata,
    Column("audit_id", BigInteger, Identity(), primary_key=True),
    Column("accessed_at", DateTime(timezone=True), nullable=False),
    Column("agency_code", Text, nullable=False),
    Column("key_id", Text, nullable=False),
    Column("dataset", Text, nullable=False),
    Column("record_key", Text, nullable=False),
    Column("record_key_hash", Text, nullable=False, comment="HMAC of the record key"),
    Column("subject_hashes", ARRAY(Text), nullable=False,
           comment="HMACs of the personal identifiers the record is about"),
    Column("fields", ARRAY(Text), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("request_id", Text, nullable=False),
    Column("route", Text, nullable=False),
    Column("prev_hash", Text, nullable=False),
    Column("row_hash", Text, nullable=False),
    Column("chain_id", Integer, nullable=False, server_default="0",
           comment="the writer's chain (0: rows from before per-writer chains)"),
    Index("ix_access_log_subject_hashes", "subject_hashes", postgresql_using="gin"),
    Index("ix_access_log_record", "dataset", "record_key_hash"),
    Index("ix_access_log_chain_id_audit_id", "chain_id", "audit_id"),  # checkpoints count
)

access_log_chain = Table(
    "access_log_chain",
    metadata,
    Column("chain_id", Integer, Identity(start=1), primary_key=True),
    Column("opened_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("host", Text, nullable=False),
    Column("pid", Integer, nullable=False),
    # The default describes writers from before keys, still running while a rolling
    # upgrade migrates: they open chains without naming a scheme.
    Column("scheme", Text, nullable=False, server_default="sha256",
           comment="how its rows are hashed: sha256 (unkeyed, from before keys) or "
                   "blake2b-keyed"),
    Column("key_id", Text, nullable=True,
           comment="the public name of the chain key of a keyed chain (never the key)"),
    Column("kind", Text, nullable=False, server_default="lane",
           comment="lane: one API writer's own; shared: taken under a row lock by "
                   "transactions that log disclosures outside the read API"),
    Column("shared_head", Text, nullable=True,
           comment="a shared chain's last row hash, read and moved under its row lock"),
    CheckConstraint("scheme IN ('sha256', 'blake2b-keyed')", name="scheme"),
    CheckConstraint("kind IN ('lane', 'shared')", name="kind"),
    comment="One row per access-log writer; its rows in access_log share its chain_id",
)

# Staff: passwords only as argon2id hashes; a session is a random token in an HttpOnly
# cookie, stored as its SHA-256 with the per-session CSRF token every console form carries.


staff_user = Table(
    "staff_user",
    metadata,
    Column("user_id", BigInteger, Identity(), primary_key=True),
    Column("username", Text, nullable=False, unique=True),
    Column("role", Text, nullable=False),
    Column("password_hash", Text, nullable=False, comment="argon2id"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_sign_in_at", DateTime(timezone=True), nullable=True),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
    CheckConstraint(f"role IN ({', '.join(repr(r.value) for r in StaffRole)})", name="role"),
    comment="People who sign in to the web console",
)

staff_session = Table(
    "staff_session",
    metadata,
    Column("token_sha256", Text, primary_key=True),
    Column(
        "user_id",
        BigInteger,
        ForeignKey("staff_user.user_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("csrf_token", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Index("ix_staff_session_user_id", "user_id"),
    comment="Signed-in console sessions (the cookie holds the token; only its hash is kept)",
)

sign_in_throttle = Table(
    "sign_in_throttle",
    metadata,
    Column("subject", Text, primary_key=True,
           comment="HMAC of 'account:<name>' or 'source:<address>'"),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", DateTime(timezone=True), nullable=False),
    Column("blocked_until", DateTime(timezone=True), nullable=False),
    Index("ix_sign_in_throttle_last_failure_at", "last_failure_at"),
    comment="Failed console sign-ins, by account name and by source",
)
