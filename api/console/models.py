"""Tables of the staff console: staff users, their server-side sessions, sign-in throttle.

Passwords are kept only as argon2id hashes. A session is a random token held in
an HttpOnly cookie; only its SHA-256 is stored, with the per-session CSRF token
that every form of the console carries.
"""

from __future__ import annotations

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

from mdr.db.base import metadata

ROLES = ("steward", "inspector", "administrator")

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
    CheckConstraint("role IN ('steward', 'inspector', 'administrator')", name="role"),
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
