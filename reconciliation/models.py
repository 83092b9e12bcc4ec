"""Reconciliation runs, their stored outcomes and evidence, and the steward's work.

A run compares one agency's copy of one dataset with the master. Its row in
``reconciliation_run`` carries the columns the integrity checks read
(:data:`mdr.quality.rules.ACCURACY_CONTRACT`: ``dataset``, ``agency``,
``finished_at``, ``records_compared``, ``records_agreeing``, ``field_agreement``);
``finished_at`` is set only when a run finished, so a failed run never counts as
the agency's latest accuracy. Outcomes (one per agency row, plus one per
master-only record with a NULL ``agency_row``) and evidence are written with the
run's final status in one transaction: a run is either finished with all its
rows or has none.

Steward work items are deduplicated by ``fingerprint`` (agency, dataset, outcome,
agency identity, master key, differing fields): the same difference seen by a
later run is the same item with a newer ``last_seen_run``. Actions are logged in
``steward_action``; requests to agencies in ``reconciliation_request``; a
steward's "wrong link" decision in ``reconciliation_manual_link``, which later
runs of the same agency and dataset apply.

``agency_ident`` identifies an agency record across runs: ``k:`` and its
normalised natural key or, lacking one, ``r:`` and a digest of all its values
(see :func:`reconciliation.service.agency_identity`).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from mdr.db.base import metadata

RUN_STATUSES = ("queued", "running", "finished", "failed")
OUTCOMES = ("match", "match_with_differences", "agency_only", "ambiguous", "master_only")
TIERS = ("key", "secondary", "probabilistic", "manual")
ITEM_KINDS = ("match_with_differences", "ambiguous", "agency_only", "master_only")
ITEM_STATUSES = ("open", "resolved")
ACTIONS = ("master_right", "master_wrong", "wrong_link", "not_an_issue")
SYSTEM_ACTIONS = ("no_longer_present", "reopened")
REQUEST_KINDS = ("fix_copy", "correct_master")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


reconciliation_run = Table(
    "reconciliation_run",
    metadata,
    Column("run_id", BigInteger, Identity(), primary_key=True),
    Column("dataset", Text, nullable=False),
    Column("agency", Text, nullable=False, comment="code of the agency whose copy this is"),
    Column("source", Text, nullable=False, comment="file name of the agency copy"),
    Column("sha256", Text, nullable=True, comment="checksum of the agency file"),
    Column(
        "scope",
        JSONB,
        nullable=True,
        comment="{field: [values]} the agency declared its copy covers; null: everything",
    ),
    Column("status", Text, nullable=False, server_default="queued"),
    Column("error", Text, nullable=True),
    Column("queued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column(
        "finished_at",
        DateTime(timezone=True),
        nullable=True,
        comment="set only when the run finished (the accuracy contract reads it)",
    ),
    Column("failed_at", DateTime(timezone=True), nullable=True),
    Column("agency_records", BigInteger, nullable=True, comment="data rows of the agency copy"),
    Column(
        "records_compared",
        BigInteger,
        nullable=True,
        comment="agency records linked to a master record and compared",
    ),
    Column(
        "records_agreeing",
        BigInteger,
        nullable=True,
        comment="compared records with no differing field",
    ),
    Column(
        "field_agreement",
        JSONB,
        nullable=True,
        comment='{field: {"compared": n, "agreeing": m}} over the compared records',
    ),
    Column("match_count", BigInteger, nullable=True),
    Column("match_with_differences_count", BigInteger, nullable=True),
    Column("agency_only_count", BigInteger, nullable=True),
    Column("ambiguous_count", BigInteger, nullable=True),
    Column("master_only_count", BigInteger, nullable=True),
    Column("rule_version", Text, nullable=True),
    Column(
        "mapping",
        JSONB,
        nullable=True,
        comment="agency column -> field, fields not supplied, unparseable values per field",
    ),
    Column(
        "stats",
        JSONB,
        nullable=False,
        server_default=text("'{}'::jsonb"),
        comment="linkage statistics and timings",
    ),
    # Who asked, why, and what they may see: a run compares only the fields of the
    # grant it was asked under (the gate's answer at upload, mdr/access/gate.py).
    Column("requested_by", Text, nullable=True,
           comment="key id, or staff:<name>, of who asked for the run"),
    Column("purpose", Text, nullable=True, comment="purpose declared for the run"),
    Column("granted_fields", ARRAY(Text), nullable=True,
           comment="fields the run may compare and report; null: every field (staff)"),
    # A queued upload, for the worker that carries it out (api/routes/reconciliation.py).
    Column("upload_path", Text, nullable=True, comment="stored upload, for the worker"),
    Column("options", JSONB, nullable=True, comment="encoding, mapping, format of the upload"),
    Column("attempts", BigInteger, nullable=False, server_default="0",
           comment="times a worker started it (an interrupted run is queued again)"),
    CheckConstraint(_in("status", RUN_STATUSES), name="status"),
    CheckConstraint("status <> 'finished' OR finished_at IS NOT NULL", name="finished_at"),
    Index("ix_reconciliation_run_dataset_agency_finished_at", "dataset", "agency", "finished_at"),
    Index("ix_reconciliation_run_queued", "run_id", postgresql_where=text("status = 'queued'")),
    comment="One comparison of an agency's copy of a dataset with the master",
)

reconciliation_outcome = Table(
    "reconciliation_outcome",
    metadata,
    Column("outcome_id", BigInteger, Identity(), primary_key=True),
    Column(
        "run_id",
        BigInteger,
        ForeignKey("reconciliation_run.run_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "agency_row",
        BigInteger,
        nullable=True,
        comment="0-based data row of the agency file; null for master_only",
    ),
    Column("master_key", Text, nullable=True),
    Column("outcome", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("differing_fields", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")),
    Column("tier", Text, nullable=True),
    Column(
        "agency_ident",
        Text,
        nullable=True,
        comment="digest identifying the agency record across runs",
    ),
    Column(
        "agency_values",
        JSONB,
        nullable=True,
        comment="the agency's raw values, kept for rows a steward may have to look at",
    ),
    CheckConstraint(_in("outcome", OUTCOMES), name="outcome"),
    CheckConstraint("tier IS NULL OR " + _in("tier", TIERS), name="tier"),
    CheckConstraint("score >= 0 AND score <= 1", name="score"),
    CheckConstraint("(agency_row IS NULL) = (outcome = 'master_only')", name="agency_row"),
    Index("ix_reconciliation_outcome_run_id_agency_row", "run_id", "agency_row"),
    comment="The decision for each agency row of a run, and the master-only records",
)

reconciliation_evidence = Table(
    "reconciliation_evidence",
    metadata,
    Column("evidence_id", BigInteger, Identity(), primary_key=True),
    Column(
        "run_id",
        BigInteger,
        ForeignKey("reconciliation_run.run_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("agency_row", BigInteger, nullable=False),
    Column("field", Text, nullable=False),
    Column("agency_value", Text, nullable=True, comment="normalised agency value"),
    Column("master_value", Text, nullable=True, comment="normalised master value"),
    Column("level", Text, nullable=False, comment="agreement level of the comparison"),
    Column("weight", Float, nullable=True, comment="match weight in bits; null for manual links"),
    Index("ix_reconciliation_evidence_run_id_agency_row", "run_id", "agency_row"),
    comment="Compared values, levels and weights behind each linkage decision",
)

steward_item = Table(
    "steward_item",
    metadata,
    Column("item_id", BigInteger, Identity(), primary_key=True),
    Column(
        "fingerprint",
        UUID(as_uuid=False),
        nullable=False,
        comment="digest of agency, dataset, kind, agency identity, master key and "
        "differing fields: the same difference is one item",
    ),
    Column("dataset", Text, nullable=False),
    Column("agency", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("agency_ident", Text, nullable=True),
    Column("master_key", Text, nullable=True),
    Column("differing_fields", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")),
    Column("score", Float, nullable=True),
    Column(
        "first_seen_run",
        BigInteger,
        ForeignKey("reconciliation_run.run_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "last_seen_run",
        BigInteger,
        ForeignKey("reconciliation_run.run_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "last_agency_row",
        BigInteger,
        nullable=True,
        comment="the item's agency row in last_seen_run",
    ),
    Column("status", Text, nullable=False, server_default="open"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("resolved_by", Text, nullable=True),
    Column("resolution", Text, nullable=True),
    Column("resolution_reason", Text, nullable=True),
    CheckConstraint(_in("kind", ITEM_KINDS), name="kind"),
    CheckConstraint(_in("status", ITEM_STATUSES), name="status"),
    CheckConstraint(
        "resolution IS NULL OR " + _in("resolution", (*ACTIONS, "no_longer_present")),
        name="resolution",
    ),
    CheckConstraint("(status = 'resolved') = (resolved_at IS NOT NULL)", name="resolved"),
    Index("uq_steward_item_fingerprint", "fingerprint", unique=True),
    Index(
        "ix_steward_item_open",
        "dataset",
        "agency",
        "item_id",
        postgresql_where=text("status = 'open'"),
    ),
    Index("ix_steward_item_open_due_at", "due_at", postgresql_where=text("status = 'open'")),
    Index("ix_steward_item_last_seen_run", "last_seen_run"),
    comment="A steward's work item: one unresolved (or resolved) difference",
)

steward_action = Table(
    "steward_action",
    metadata,
    Column("action_id", BigInteger, Identity(), primary_key=True),
    Column(
        "item_id",
        BigInteger,
        ForeignKey("steward_item.item_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("action", Text, nullable=False),
    Column("steward", Text, nullable=False, comment="who decided ('system' for automatic)"),
    Column("reason", Text, nullable=False),
    Column("master_key", Text, nullable=True, comment="relink target of wrong_link"),
    Column(
        "run_id",
        BigInteger,
        ForeignKey("reconciliation_run.run_id", ondelete="CASCADE"),
        nullable=True,
        comment="the run behind an automatic action",
    ),
    Column("acted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint(_in("action", ACTIONS + SYSTEM_ACTIONS), name="action"),
    CheckConstraint("length(btrim(reason)) > 0", name="reason"),
    Index("ix_steward_action_item_id", "item_id"),
    comment="Every decision on a work item: who, when, why",
)

reconciliation_request = Table(
    "reconciliation_request",
    metadata,
    Column("request_id", BigInteger, Identity(), primary_key=True),
    Column(
        "item_id",
        BigInteger,
        ForeignKey("steward_item.item_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "kind",
        Text,
        nullable=False,
        comment="fix_copy: the agency fixes its copy; correct_master: the owner corrects",
    ),
    Column("to_agency", Text, nullable=False),
    Column("dataset", Text, nullable=False),
    Column("record_key", Text, nullable=True),
    Column("fields", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")),
    Column("reason", Text, nullable=False),
    Column("requested_by", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("status", Text, nullable=False, server_default="open"),
    CheckConstraint(_in("kind", REQUEST_KINDS), name="kind"),
    CheckConstraint(_in("status", ("open", "done", "withdrawn")), name="status"),
    Index("ix_reconciliation_request_to_agency_status", "to_agency", "status"),
    comment="A request to an agency to fix its copy, or to the owner to correct the master",
)

reconciliation_manual_link = Table(
    "reconciliation_manual_link",
    metadata,
    Column("link_id", BigInteger, Identity(), primary_key=True),
    Column("dataset", Text, nullable=False),
    Column("agency", Text, nullable=False),
    Column("agency_ident", Text, nullable=False),
    Column("master_key", Text, nullable=True, comment="link to this record; null: no link"),
    Column(
        "rejected_master_key",
        Text,
        nullable=True,
        comment="the record the engine linked and the steward rejected",
    ),
    Column(
        "item_id",
        BigInteger,
        ForeignKey("steward_item.item_id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("decided_by", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column(
        "active",
        Boolean,
        nullable=False,
        server_default=text("true"),
        comment="false once a later decision replaced it",
    ),
    CheckConstraint("master_key IS NOT NULL OR rejected_master_key IS NOT NULL", name="decision"),
    Index(
        "uq_reconciliation_manual_link_active",
        "dataset",
        "agency",
        "agency_ident",
        unique=True,
        postgresql_where=text("active"),
    ),
    comment="A steward's link decision that later runs of the agency and dataset honour",
)
