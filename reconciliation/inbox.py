"""The steward's inbox: work items from reconciliation runs, and the decisions on them.

Every ``match_with_differences``, ``ambiguous``, ``agency_only`` and
``master_only`` outcome of a run becomes a work item, deduplicated across runs:
an item is identified by a fingerprint of agency, dataset, outcome, the agency
record's identity, the master key and the differing fields, so the same
difference seen again is the same item with a newer ``last_seen_run``. Items
carry ``created_at`` and a due date :data:`DUE_DAYS` later.

Lifecycle:

* a decision (:func:`resolve_item`) resolves an item, recording who, when and
  why (a reason is required). A resolved item stays resolved when a later run
  sees the same difference again (its ``last_seen_run`` still moves, so an
  unanswered request to an agency is visibly unfixed): the next run must not
  undo a steward's decision;
* an open item whose difference is absent from a later run of the same agency
  and dataset (covering at least the same scope) is resolved by ``system`` as
  ``no_longer_present``; if that difference comes back, the item reopens.

Decisions:

``master_right``
    the agency's copy is wrong: a ``fix_copy`` request to the agency is recorded;
``master_wrong``
    the master is wrong: a ``correct_master`` request to the owning agency is
    recorded, and each differing master field (the key field for a master-only
    record) gets an open ``field_flag`` "under_investigation", which the read
    API shows with the record;
``wrong_link``
    the engine linked the wrong record: the link is undone and, with
    ``master_key``, the agency record is linked to that record by hand. The
    decision is a ``reconciliation_manual_link`` that later runs apply;
``not_an_issue``
    nothing to do, for the reason given.

Listing is keyset-paginated in SQL (``after`` = the last item id seen), so an
inbox of 100,000 open items pages as fast as one of ten. Personal values are
masked (:mod:`entities.masking`) in listings; one item shows the steward the values
they judge, unmasked, and logs the master record as read by them (:func:`item_detail`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import Connection, text

from entities.identifiers import VALIDATORS
from entities.masking import mask_field
from entities.registry import get_dataset
from entities.spec import DatasetSpec
from mdr.access import gate
from mdr.access.keys import Principal
from mdr.access.secrets import LogKeys
from mdr.db.sql import json_param, quote_ident
from mdr.errors import Conflict, Forbidden, InvalidInput, NotFound
from reconciliation.models import ACTIONS, ITEM_KINDS

DUE_DAYS: Final = 14
"""Days a steward has to resolve a new work item."""
MIN_NEW_ITEMS: Final = 100
MAX_NEW_ITEMS: Final = 20_000
"""Bounds of the new work items one run may open (:func:`new_items_cap`)."""
PAGE_DEFAULT: Final = 50
PAGE_MAX: Final = 1000
SYSTEM: Final = "system"
STATUSES: Final = ("open", "resolved", "all")


class ItemAlreadyResolved(Conflict):
    slug = "item-already-resolved"
    title = "The work item is already resolved"


# ------------------------------------------------------------------------ from runs


def new_items_cap(agency_records: int) -> int:
    """New work items one run may open: twice its rows, at least :data:`MIN_NEW_ITEMS` and
    at most :data:`MAX_NEW_ITEMS`.

    Each row of a copy yields one item at most, and master-only items come from its
    scope; a run that would open more is a broken copy or mapping (a steward's one
    problem, not thousands), or a flood: five 5-row uploads once opened 90,000 items
    and buried every other agency's. Items held back are counted with the run, and the
    next run opens them if they are still there and the inbox has room.
    """
    return max(MIN_NEW_ITEMS, min(MAX_NEW_ITEMS, 2 * agency_records))


def record_run_items(
    conn: Connection, run_id: int, dataset: str, agency: str, scope: Mapping[str, Any] | None,
    *, agency_records: int | None = None,
) -> dict[str, int]:
    """Create, refresh, reopen and close work items for a run's stored outcomes.

    Runs inside the run's storing transaction, set-based over
    ``reconciliation_outcome``. Master-only records become items only when the run had
    a scope (without one they are the whole register less the copy); new items are
    capped by :func:`new_items_cap` (ambiguous first, then differences, agency-only and
    master-only); a difference already open is the same item (by fingerprint).
    """
    params = {"r": run_id, "d": dataset, "a": agency, "due": DUE_DAYS,
              "scoped": scope is not None}
    conn.execute(
        text(
            "CREATE TEMP TABLE rec_fresh ON COMMIT DROP AS "
            "SELECT DISTINCT ON (fp) * FROM ("
            " SELECT md5(concat_ws(E'\\x1f', CAST(:d AS text), CAST(:a AS text), o.outcome,"
            "   coalesce(o.agency_ident, ''), coalesce(o.master_key, ''),"
            "   array_to_string(o.differing_fields, ';')))::uuid AS fp,"
            "  o.outcome, o.agency_ident, o.master_key, o.differing_fields, o.agency_row, o.score"
            " FROM reconciliation_outcome o WHERE o.run_id = :r AND o.outcome <> 'match'"
            " AND (o.outcome <> 'master_only' OR :scoped)) s "
            "ORDER BY fp, agency_row NULLS LAST"
        ),
        params,
    )
    cap = new_items_cap(agency_records if agency_records is not None else conn.execute(
        text("SELECT count(*) FROM reconciliation_outcome WHERE run_id = :r "
             "AND agency_row IS NOT NULL"), params).scalar_one())
    held_back = conn.execute(
        text(
            "DELETE FROM rec_fresh f USING (SELECT n.fp FROM rec_fresh n WHERE NOT EXISTS"
            " (SELECT 1 FROM steward_item i WHERE i.fingerprint = n.fp) ORDER BY"
            " CASE n.outcome WHEN 'ambiguous' THEN 0 WHEN 'match_with_differences' THEN 1"
            " WHEN 'agency_only' THEN 2 ELSE 3 END, n.agency_row NULLS LAST, n.master_key"
            " OFFSET :cap) extra WHERE f.fp = extra.fp"
        ),
        params | {"cap": cap},
    ).rowcount
    reopened = conn.execute(
        text(
            "WITH back AS (UPDATE steward_item i SET status = 'open', resolved_at = NULL,"
            "  resolved_by = NULL, resolution = NULL, resolution_reason = NULL,"
            "  due_at = now() + make_interval(days => :due)"
            " FROM rec_fresh f WHERE i.fingerprint = f.fp AND i.resolution = 'no_longer_present'"
            " RETURNING i.item_id) "
            "INSERT INTO steward_action (item_id, action, steward, reason, run_id) "
            "SELECT item_id, 'reopened', 'system', 'the difference is back in run ' || :r, :r "
            "FROM back"
        ),
        params,
    ).rowcount
    created = (
        conn.execute(
            text(
                "INSERT INTO steward_item AS i (fingerprint, dataset, agency, kind,"
                " agency_ident, master_key, differing_fields, score, first_seen_run,"
                " last_seen_run, last_agency_row, due_at) "
                "SELECT fp, :d, :a, outcome, agency_ident, master_key, differing_fields, score,"
                " :r, :r, agency_row, now() + make_interval(days => :due) FROM rec_fresh "
                "ON CONFLICT (fingerprint) DO UPDATE SET last_seen_run = EXCLUDED.last_seen_run,"
                " last_agency_row = EXCLUDED.last_agency_row, score = EXCLUDED.score "
                "RETURNING (xmax = 0) AS created"
            ),
            params,
        )
        .scalars()
        .all()
    )
    closed = conn.execute(
        text(
            "WITH gone AS (UPDATE steward_item SET status = 'resolved', resolved_at = now(),"
            "  resolved_by = 'system', resolution = 'no_longer_present',"
            "  resolution_reason = 'not present in run ' || :r"
            " WHERE dataset = :d AND agency = :a AND status = 'open' AND last_seen_run <> :r"
            " AND (CAST(:scope AS jsonb) IS NULL OR last_seen_run IN (SELECT run_id FROM"
            "  reconciliation_run WHERE dataset = :d AND agency = :a"
            "  AND scope = CAST(:scope AS jsonb)))"
            " RETURNING item_id) "
            "INSERT INTO steward_action (item_id, action, steward, reason, run_id) "
            "SELECT item_id, 'no_longer_present', 'system', 'not present in run ' || :r, :r "
            "FROM gone"
        ),
        params | {"scope": json_param(scope) if scope else None},
    ).rowcount
    new = sum(1 for c in created if c)
    return {"new": new, "seen_again": len(created) - new, "reopened": reopened, "closed": closed,
            "held_back": held_back}


# ------------------------------------------------------------------------ reading


def list_items(
    conn: Connection,
    *,
    dataset: str | None = None,
    agency: str | None = None,
    kind: str | None = None,
    status: str = "open",
    overdue: bool = False,
    min_age_days: int | None = None,
    after: int | None = None,
    limit: int = PAGE_DEFAULT,
) -> dict[str, Any]:
    """A page of items, oldest first; ``next_after`` continues (None at the end).

    ``min_age_days`` keeps items open (or first raised) at least that many days ago.
    """
    if dataset is not None:
        dataset = get_dataset(dataset).name
    if kind is not None and kind not in ITEM_KINDS:
        raise InvalidInput(f"unknown outcome {kind!r}; items are: {', '.join(ITEM_KINDS)}")
    if status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    if not 1 <= limit <= PAGE_MAX:
        raise InvalidInput(f"limit must be between 1 and {PAGE_MAX}")
    where = (
        "(CAST(:d AS text) IS NULL OR dataset = :d) AND (CAST(:a AS text) IS NULL OR agency = :a)"
        " AND (CAST(:k AS text) IS NULL OR kind = :k)"
        " AND (CAST(:s AS text) = 'all' OR status = :s)"
        " AND (NOT :o OR (status = 'open' AND due_at < now()))"
        " AND (CAST(:age AS integer) IS NULL"
        " OR created_at <= now() - make_interval(days => CAST(:age AS integer)))"
    )
    params = {
        "d": dataset,
        "a": agency,
        "k": kind,
        "s": status,
        "o": overdue,
        "age": min_age_days,
        "after": after or 0,
        "n": limit + 1,
    }
    rows = (
        conn.execute(
            text(
                "SELECT item_id, dataset, agency, kind, master_key, differing_fields, score,"
                " status, created_at, due_at, first_seen_run, last_seen_run, resolution,"
                " resolved_by, resolved_at, now() AS now FROM steward_item "
                f"WHERE {where} AND item_id > :after ORDER BY item_id LIMIT :n"
            ),
            params,
        )
        .mappings()
        .all()
    )
    total = conn.execute(
        text(f"SELECT count(*) FROM steward_item WHERE {where}"), params
    ).scalar_one()
    page = [_summary(dict(row)) for row in rows[:limit]]
    return {
        "items": page,
        "total": int(total),
        "next_after": page[-1]["item_id"] if len(rows) > limit else None,
    }


def _summary(row: Mapping[str, Any]) -> dict[str, Any]:
    spec = get_dataset(row["dataset"])
    now: dt.datetime = row["now"]
    overdue = row["status"] == "open" and row["due_at"] < now
    return {
        "item_id": row["item_id"],
        "dataset": row["dataset"],
        "agency": row["agency"],
        "outcome": row["kind"],
        "master_key": mask_field(spec, spec.key, row["master_key"]),
        "differing_fields": list(row["differing_fields"]),
        "score": row["score"],
        "status": row["status"],
        "created_at": row["created_at"].isoformat(),
        "age_days": (now - row["created_at"]).days,
        "due_at": row["due_at"].isoformat(),
        "overdue": overdue,
        "first_seen_run": row["first_seen_run"],
        "last_seen_run": row["last_seen_run"],
        "resolution": row["resolution"],
        "resolved_by": row["resolved_by"],
        "resolved_at": row["resolved_at"].isoformat() if row["resolved_at"] else None,
    }


def item_detail(conn: Connection, item_id: int, viewer: Principal, *, keys: LogKeys,
                request_id: str = "", route: str = "steward item") -> dict[str, Any]:
    """One item with master and agency values side by side, evidence and history, as a
    steward must see them to judge: unmasked, and the master record logged as read by
    ``viewer`` (a member of staff, :func:`mdr.access.gate.staff_principal`) for their
    role's purpose, in ``conn``'s transaction."""
    if not gate.is_staff(viewer):
        raise Forbidden("work items are for stewards")
    item = _item(conn, item_id)
    spec = get_dataset(item["dataset"])
    outcome = (
        conn.execute(
            text(
                "SELECT o.score, o.tier, o.agency_values, r.rule_version"
                " FROM reconciliation_outcome o JOIN reconciliation_run r USING (run_id)"
                " WHERE o.run_id = :r AND o.agency_row = :row"
            ),
            {"r": item["last_seen_run"], "row": item["last_agency_row"]},
        )
        .mappings()
        .first()
    )
    evidence = (
        conn.execute(
            text(
                "SELECT field, agency_value, master_value, level, weight"
                " FROM reconciliation_evidence WHERE run_id = :r AND agency_row = :row"
                " ORDER BY field"
            ),
            {"r": item["last_seen_run"], "row": item["last_agency_row"]},
        )
        .mappings()
        .all()
    )
    master = _master_record(conn, spec, item["master_key"]) if item["master_key"] else None
    agency_values: dict[str, Any] = dict(outcome["agency_values"] or {}) if outcome else {}
    differing = set(item["differing_fields"])
    by_field = {e["field"]: e for e in evidence}
    fields = []
    for f in spec.fields:
        if f.name not in agency_values and (master is None or master.get(f.name) is None):
            continue
        e = by_field.get(f.name)
        fields.append(
            {
                "field": f.name,
                "label_ko": f.label_ko,
                "agency_value": _text(agency_values.get(f.name)),
                "master_value": master.get(f.name) if master else None,
                "differs": f.name in differing,
                "level": e["level"] if e else None,
                "weight": e["weight"] if e else None,
            }
        )
    actions = (
        conn.execute(
            text(
                "SELECT action, steward, reason, master_key, run_id, acted_at FROM steward_action"
                " WHERE item_id = :i ORDER BY action_id"
            ),
            {"i": item_id},
        )
        .mappings()
        .all()
    )
    requests = (
        conn.execute(
            text(
                "SELECT request_id, kind, to_agency, record_key, fields, reason, requested_by,"
                " requested_at, status FROM reconciliation_request WHERE item_id = :i"
                " ORDER BY request_id"
            ),
            {"i": item_id},
        )
        .mappings()
        .all()
    )
    flags = (
        conn.execute(
            text(
                "SELECT flag_id, field, status, reason, raised_by, raised_at FROM field_flag"
                " WHERE dataset = :d AND record_key = :k AND cleared_at IS NULL ORDER BY flag_id"
            ),
            {"d": spec.name, "k": item["master_key"]},
        )
        .mappings()
        .all()
        if item["master_key"]
        else []
    )
    if item["master_key"]:
        shown = tuple(f.name for f in spec.fields
                      if (master and master.get(f.name) is not None) or f.name in by_field
                      or f.name == spec.key)
        gate.disclose(conn, viewer, gate.authorize(viewer, spec, _purpose(viewer), shown),
                      [master or {spec.key: item["master_key"]}], keys=keys,
                      request_id=request_id or f"item-{item_id}", route=route)
    detail = _summary(item | {"now": conn.execute(text("SELECT now()")).scalar_one()})
    detail["master_key"] = item["master_key"]  # the one record the steward works on
    return detail | {
        "resolution_reason": item["resolution_reason"],
        "owner": spec.owner.code,
        "tier": outcome["tier"] if outcome else None,
        "rule_version": outcome["rule_version"] if outcome else None,  # of the run's linkage
        "master_record_live": master is not None if item["master_key"] else None,
        "fields": fields,
        "evidence": [
            {
                "field": e["field"],
                "agency_value": e["agency_value"],
                "master_value": e["master_value"],
                "level": e["level"],
                "weight": e["weight"],
            }
            for e in evidence
        ],
        "actions": [_plain(dict(a)) for a in actions],
        "requests": [_plain(dict(r)) for r in requests],
        "flags": [_plain(dict(f)) for f in flags],
    }


def _purpose(viewer: Principal) -> str:
    assert viewer.staff_role is not None
    return gate.staff_purpose(viewer.staff_role)


def _item(conn: Connection, item_id: int, *, lock: bool = False) -> dict[str, Any]:
    row = (
        conn.execute(
            text("SELECT * FROM steward_item WHERE item_id = :i" + (" FOR UPDATE" if lock else "")),
            {"i": item_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no work item {item_id}")
    return dict(row)


def _master_record(conn: Connection, spec: DatasetSpec, key: str) -> dict[str, Any] | None:
    columns = ", ".join(f"{quote_ident(f.name)}::text AS {quote_ident(f.name)}"
                        for f in spec.fields)
    row = (
        conn.execute(
            text(f"SELECT {columns} FROM {quote_ident(spec.today_view)} "
                 f"WHERE {quote_ident(spec.key)} = :k"),
            {"k": key},
        )
        .mappings()
        .first()
    )
    return dict(row) if row is not None else None


# ------------------------------------------------------------------------ decisions


def resolve_item(
    conn: Connection,
    item_id: int,
    *,
    action: str,
    reason: str,
    steward: str,
    master_key: str | None = None,
) -> dict[str, Any]:
    """Record a steward's decision on an open item and carry out its consequences."""
    if action not in ACTIONS:
        raise InvalidInput(f"unknown action {action!r}; use one of: {', '.join(ACTIONS)}")
    reason, steward = (reason or "").strip(), (steward or "").strip()
    if not reason:
        raise InvalidInput("give the reason for the decision")
    if not steward:
        raise InvalidInput("say who decides")
    if master_key is not None and action != "wrong_link":
        raise InvalidInput("a master key is given only with wrong_link (to relink by hand)")
    item = _item(conn, item_id, lock=True)
    if item["status"] != "open":
        raise ItemAlreadyResolved(
            f"work item {item_id} is already resolved ({item['resolution']} by "
            f"{item['resolved_by']})"
        )
    spec = get_dataset(item["dataset"])
    outcome: dict[str, Any] = {"item_id": item_id, "action": action}
    if action == "master_right":
        outcome["request_id"] = _request(
            conn, item, "fix_copy", item["agency"], reason=reason, steward=steward
        )
    elif action == "master_wrong":
        outcome["request_id"] = _request(
            conn, item, "correct_master", spec.owner.code, reason=reason, steward=steward
        )
        outcome["flags"] = _flag(conn, spec, item, reason, steward)
    elif action == "wrong_link":
        outcome["link_id"] = _relink(conn, spec, item, master_key, reason=reason, steward=steward)
    conn.execute(
        text(
            "UPDATE steward_item SET status = 'resolved', resolved_at = now(), resolved_by = :s,"
            " resolution = :act, resolution_reason = :why WHERE item_id = :i"
        ),
        {"s": steward, "act": action, "why": reason, "i": item_id},
    )
    conn.execute(
        text(
            "INSERT INTO steward_action (item_id, action, steward, reason, master_key)"
            " VALUES (:i, :act, :s, :why, :k)"
        ),
        {
            "i": item_id,
            "act": action,
            "s": steward,
            "why": reason,
            "k": _canonical_key(spec, master_key) if master_key else None,
        },
    )
    return outcome | {"status": "resolved", "steward": steward, "reason": reason}


def reopen_item(conn: Connection, item_id: int, *, reason: str, steward: str) -> dict[str, Any]:
    """Reverse a steward's decision: undo its consequences and open the item again.

    A relink made by the decision stops applying (the engine's own linkage applies
    from the next run), its flags are cleared and its requests withdrawn; the
    reversal is recorded like any decision (who, when, why).
    """
    reason, steward = (reason or "").strip(), (steward or "").strip()
    if not reason:
        raise InvalidInput("give the reason for reopening")
    if not steward:
        raise InvalidInput("say who decides")
    item = _item(conn, item_id, lock=True)
    if item["status"] != "resolved":
        raise InvalidInput(f"work item {item_id} is open: there is no decision to reverse")
    if item["resolution"] not in ACTIONS:
        raise InvalidInput(
            f"work item {item_id} was closed by the system ({item['resolution']}), not by a "
            "steward: the next run that finds the difference again opens it")
    params = {"i": item_id, "s": steward, "why": reason}
    links = conn.execute(text(
        "UPDATE reconciliation_manual_link SET active = false WHERE item_id = :i AND active "
        "RETURNING link_id"), params).scalars().all()
    flags = conn.execute(text(
        "UPDATE field_flag SET cleared_at = now(), cleared_by = :s WHERE cleared_at IS NULL "
        "AND reason LIKE '%' || :tag RETURNING field"),
        params | {"tag": _flag_tag(item_id)}).scalars().all()
    if flags:
        # Another standing master_wrong decision on the same field kept this flag rather
        # than raise its own: it stays under investigation, now under that decision.
        conn.execute(text(
            "INSERT INTO field_flag (dataset, record_key, field, status, reason, raised_by) "
            "SELECT DISTINCT ON (f) o.dataset, o.master_key, f, 'under_investigation', "
            f"o.resolution_reason || {_flag_tag_sql('o.item_id')}, o.resolved_by "
            "FROM steward_item o, unnest(CAST(:fields AS text[])) AS f "
            "WHERE o.item_id <> :i AND o.dataset = :d AND o.master_key = :k "
            "AND o.status = 'resolved' AND o.resolution = 'master_wrong' "
            "AND (f = ANY(o.differing_fields) OR ((o.kind = 'master_only' "
            "OR cardinality(o.differing_fields) = 0) AND f = :key_field)) "
            "ORDER BY f, o.resolved_at DESC"),
            params | {"fields": list(flags), "d": item["dataset"], "k": item["master_key"],
                      "key_field": get_dataset(item["dataset"]).key})
    requests = conn.execute(text(
        "UPDATE reconciliation_request SET status = 'withdrawn' WHERE item_id = :i "
        "AND status = 'open' RETURNING request_id"), params).scalars().all()
    conn.execute(text(
        "UPDATE steward_item SET status = 'open', resolved_at = NULL, resolved_by = NULL, "
        "resolution = NULL, resolution_reason = NULL WHERE item_id = :i"), params)
    conn.execute(text(
        "INSERT INTO steward_action (item_id, action, steward, reason) "
        "VALUES (:i, 'reopened', :s, :why)"), params)
    return {"item_id": item_id, "status": "open", "reversed": item["resolution"],
            "links_withdrawn": list(links), "flags_cleared": list(flags),
            "requests_withdrawn": list(requests), "steward": steward, "reason": reason}


def _request(
    conn: Connection,
    item: Mapping[str, Any],
    kind: str,
    to_agency: str,
    *,
    reason: str,
    steward: str,
) -> int:
    fields = list(item["differing_fields"])
    return int(
        conn.execute(
            text(
                "INSERT INTO reconciliation_request (item_id, kind, to_agency, dataset, record_key,"
                " fields, reason, requested_by) VALUES (:i, :k, :to, :d, :key, :f, :why, :s)"
                " RETURNING request_id"
            ),
            {
                "i": item["item_id"],
                "k": kind,
                "to": to_agency,
                "d": item["dataset"],
                "key": item["master_key"],
                "f": fields,
                "why": reason,
                "s": steward,
            },
        ).scalar_one()
    )


def _flag_tag(item_id: int) -> str:
    """Ends a flag's reason: the decision that raised it (reversing it clears the flag)."""
    return f" (steward item {item_id})"


def _flag_tag_sql(item_id: str) -> str:
    """:func:`_flag_tag` of the SQL expression ``item_id``."""
    return f"' (steward item ' || {item_id} || ')'"


def _flag(
    conn: Connection, spec: DatasetSpec, item: Mapping[str, Any], reason: str, steward: str
) -> list[str]:
    """Flag the master fields in question, unless an open flag already covers them."""
    if item["master_key"] is None:
        return []  # agency-only: the master has no record to flag; the request says it all
    fields = list(item["differing_fields"])
    if item["kind"] == "master_only" or not fields:
        fields = [spec.key]
    flagged = (
        conn.execute(
            text(
                "INSERT INTO field_flag (dataset, record_key, field, status, reason, raised_by) "
                "SELECT :d, :k, f, 'under_investigation', :why, :s"
                " FROM unnest(CAST(:f AS text[])) f "
                "WHERE NOT EXISTS (SELECT 1 FROM field_flag x WHERE x.dataset = :d"
                " AND x.record_key = :k AND x.field = f AND x.cleared_at IS NULL) RETURNING field"
            ),
            {
                "d": spec.name,
                "k": item["master_key"],
                "f": fields,
                "why": reason + _flag_tag(item["item_id"]),
                "s": steward,
            },
        )
        .scalars()
        .all()
    )
    return list(flagged)


def _relink(
    conn: Connection,
    spec: DatasetSpec,
    item: Mapping[str, Any],
    master_key: str | None,
    *,
    reason: str,
    steward: str,
) -> int:
    kind = item["kind"]
    if kind == "master_only" or item["agency_ident"] is None:
        raise InvalidInput(
            "wrong_link needs an agency record; a master-only item has none "
            "(use master_right or master_wrong)"
        )
    target = _canonical_key(spec, master_key) if master_key is not None else None
    if kind == "agency_only" and target is None:
        raise InvalidInput(
            "this agency record is linked to nothing; give the master key to "
            "link it to (--master-key)"
        )
    if target is not None:
        exists = conn.execute(
            text(f"SELECT 1 FROM {quote_ident(spec.today_view)} "
                 f"WHERE {quote_ident(spec.key)} = :k"), {"k": target}
        ).first()
        if exists is None:
            raise NotFound(f"no live {spec.name} record with that key to link to")
        if target == item["master_key"] and kind != "ambiguous":
            raise InvalidInput(
                "the record is already linked to that master record; choose "
                "master_right, master_wrong or not_an_issue"
            )
    rejected = item["master_key"] if item["master_key"] != target else None
    conn.execute(
        text(
            "UPDATE reconciliation_manual_link SET active = false WHERE dataset = :d"
            " AND agency = :a AND agency_ident = :i AND active"
        ),
        {"d": item["dataset"], "a": item["agency"], "i": item["agency_ident"]},
    )
    return int(
        conn.execute(
            text(
                "INSERT INTO reconciliation_manual_link (dataset, agency, agency_ident, master_key,"
                " rejected_master_key, item_id, decided_by, reason)"
                " VALUES (:d, :a, :i, :k, :rej, :item, :s, :why) RETURNING link_id"
            ),
            {
                "d": item["dataset"],
                "a": item["agency"],
                "i": item["agency_ident"],
                "k": target,
                "rej": rejected,
                "item": item["item_id"],
                "s": steward,
                "why": reason,
            },
        ).scalar_one()
    )


def _canonical_key(spec: DatasetSpec, raw: str | None) -> str | None:
    """A key as typed by a steward, in the master's canonical form."""
    if raw is None or not raw.strip():
        return None
    validator = spec.key_field.validator
    if validator is None:
        return raw.strip()
    value = VALIDATORS[validator].check(raw).value
    if value is None:
        raise InvalidInput(f"that is not a valid {spec.key_field.label_en.lower()}")
    return value


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in row.items()}



