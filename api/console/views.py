"""What the console pages show: read queries, masking per role, inline SVG charts.

Services do the work (:mod:`reconciliation.inbox`, :mod:`mdr.quality`); this
module shapes their answers for pages and holds the few read-only queries the
console needs of its own (record search and history, access log, counts).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, Final
from urllib.parse import urlencode

from sqlalchemy import text
from sqlalchemy.orm import Session

from api.records_service import Cursors, search_value
from entities.masking import mask_field
from entities.registry import DATASETS, get_dataset
from entities.spec import DatasetSpec, SearchKind
from entities.tables import sql_type
from mdr.access import gate
from mdr.access.keys import Principal
from mdr.access.secrets import LogKeys, identifier_hmac
from mdr.access.staff import StaffUser
from mdr.db.sql import quote_ident
from mdr.errors import InvalidInput, RecordNotFound
from mdr.quality import charts
from mdr.quality import scorecards as quality
from mdr.quality.models import DIMENSIONS
from mdr.quality.rules import get_rule
from mdr.quality.runner import mask_samples
from mdr.timezone import SEOUL
from reconciliation.models import ACTIONS

ACCESS_ROWS: Final = 50


def sees_access_log(user: StaffUser) -> bool:
    return user.role == "administrator"


def viewer(user: StaffUser) -> Principal:
    """A signed-in member of staff at the gate: every field, for their role's purpose."""
    return gate.staff_principal(user.username, user.role, DATASETS)


def shown(spec: DatasetSpec, field: str, value: Any, *, masked: bool) -> str:
    """A value as a page shows it: listings mask personal values for every role; the
    record a member of staff opens (logged) shows them."""
    if value is None:
        return ""
    plain = value.isoformat() if isinstance(value, dt.date | dt.datetime) else str(value)
    return mask_field(spec, field, plain) or "" if masked else plain


def _cursors(secret: bytes) -> Cursors:
    return Cursors(secret)


def _cursor_query(spec: DatasetSpec, search: str, params: Mapping[str, str],
                  user: StaffUser) -> dict[str, Any]:
    """What a console cursor is bound to: the search, and the signed-in session (its CSRF
    token), so a cursor is worthless in another session or search."""
    wanted = {k: v for k, v in sorted(params.items()) if k.startswith("p_")}
    return {"dataset": spec.name, "params": wanted,
            "session": hashlib.sha256(user.csrf_token.encode()).hexdigest()[:32]}


def pct(rate: float | None, digits: int = 1) -> str:
    return "—" if rate is None else f"{rate * 100:.{digits}f}%"


# ----------------------------------------------------------------------------- records


def search_records(
    session: Session,
    spec: DatasetSpec,
    search_name: str,
    params: Mapping[str, str],
    *,
    after: str | None,
    limit: int,
    user: StaffUser,
    secret: bytes,
) -> dict[str, Any]:
    """One page of the current table by a declared search type, in key order (keyset).

    Values are masked; ``after`` is the opaque cursor of the previous page, bound to
    this session and search (it names a key, often a personal identifier)."""
    search = next((s for s in spec.searches if s.name == search_name), None)
    if search is None:
        raise InvalidInput(f"{spec.name} has no search type {search_name!r}")
    missing = [spec.field_spec(f).label_en for f in search.fields
               if not (params.get(f"p_{f}") or "").strip()]
    if missing:
        raise InvalidInput("fill in: " + ", ".join(missing))
    clauses, args = [], {}
    for position, field in enumerate(search.fields):
        name = f"p{position}"
        value = search_value(spec, field, params[f"p_{field}"],
                             name=spec.field_spec(field).label_en)
        last = position == len(search.fields) - 1
        if search.kind is SearchKind.TRIGRAM:
            clauses.append(f"{quote_ident(field)} % :{name}")
            args[name] = str(value)
        elif search.kind is SearchKind.PREFIX and last:
            escaped = str(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append(f"{quote_ident(field)} LIKE :{name} || '%'")
            args[name] = escaped
        else:
            kind = sql_type(spec.field_spec(field).type)
            clauses.append(f"{quote_ident(field)} = CAST(:{name} AS {kind})")
            args[name] = value
    bound = _cursor_query(spec, search_name, params, user)
    if after:
        clauses.append(f"{quote_ident(spec.key)} > :after")
        args["after"] = _cursors(secret).decode(after, search_name, bound)
    cols = ", ".join(quote_ident(f.name) for f in spec.fields)
    rows = session.execute(
        text(
            f"SELECT {cols}, version_id FROM {quote_ident(spec.current_table)} "
            f"WHERE {' AND '.join(clauses)} ORDER BY {quote_ident(spec.key)} LIMIT :n"
        ),
        args | {"n": limit + 1},
    ).mappings().all()
    page = rows[:limit]
    listed = [spec.key_field, *(f for f in spec.fields if f.name != spec.key)][:6]
    return {
        "columns": listed,
        "rows": [
            {"version_id": r["version_id"],
             "values": [shown(spec, f.name, r[f.name], masked=True) for f in listed]}
            for r in page
        ],
        "after": _cursors(secret).encode(search_name, bound, str(page[-1][spec.key]))
        if len(rows) > limit else None,
    }


def record(
    session: Session, spec: DatasetSpec, version_id: int, user: StaffUser, keys: LogKeys,
    *, request_id: str = "", route: str = "console record", logged: bool = False,
) -> dict[str, Any]:
    """A record by any of its versions: current values, provenance, history, flags, access.

    The member of staff sees it unmasked, and the read is logged under their name and
    their role's purpose (:mod:`mdr.access.gate`), so the data subject sees it too
    (``logged``: the caller has logged this read already, in the same transaction)."""
    version = quote_ident(spec.version_table)
    key = session.execute(
        text(f"SELECT {quote_ident(spec.key)} FROM {version} WHERE version_id = :v"),
        {"v": version_id},
    ).scalar_one_or_none()
    if key is None:
        raise RecordNotFound(f"no {spec.name} version {version_id}")
    cols = ", ".join(quote_ident(f.name) for f in spec.fields)
    current = session.execute(
        text(
            f"SELECT c.{cols.replace(', ', ', c.')}, c.version_id, c.valid_from, c.recorded_at,"
            f" c.batch_id, v.source_row, b.source, b.mode, b.as_of"
            f" FROM {quote_ident(spec.current_table)} c JOIN {version} v USING (version_id)"
            f" LEFT JOIN sync_batch b ON b.batch_id = c.batch_id"
            f" WHERE c.{quote_ident(spec.key)} = :k"
        ),
        {"k": key},
    ).mappings().first()
    history = session.execute(
        text(
            f"SELECT {cols}, version_id, valid_from, valid_to, recorded_at, superseded_at,"
            f" batch_id FROM {version} WHERE {quote_ident(spec.key)} = :k"
            " ORDER BY recorded_at, valid_from, version_id"
        ),
        {"k": key},
    ).mappings().all()
    flags = session.execute(
        text(
            "SELECT field, status, reason, raised_by, raised_at FROM field_flag"
            " WHERE dataset = :d AND record_key = :k AND cleared_at IS NULL ORDER BY flag_id"
        ),
        {"d": spec.name, "k": str(key)},
    ).mappings().all()
    flagged = {f["field"] for f in flags}
    who = viewer(user)
    if not logged:
        gate.disclose(session.connection(), who,
                      gate.authorize(who, spec, gate.staff_purpose(user.role), None),
                      [dict(current or history[-1])], keys=keys,
                      request_id=request_id or f"console-{version_id}", route=route)
    access: list[dict[str, Any]] | None = None
    if sees_access_log(user):
        access = [dict(r) for r in session.execute(
            text(
                "SELECT accessed_at, agency_code, key_id, purpose, route, fields"
                " FROM access_log WHERE dataset = :d AND record_key_hash = :h"
                " ORDER BY audit_id DESC LIMIT :n"
            ),
            {"d": spec.name, "h": identifier_hmac(keys.secret, str(key)), "n": ACCESS_ROWS},
        ).mappings()]
    changed: list[set[str]] = []
    previous: Any = None
    for row in history:
        changed.append({f.name for f in spec.fields
                        if previous is not None and row[f.name] != previous[f.name]})
        previous = row
    return {
        "key": shown(spec, spec.key, key, masked=False),
        "live": current is not None,
        "fields": [
            {"name": f.name, "label_ko": f.label_ko, "label_en": f.label_en,
             "value": shown(spec, f.name, current[f.name], masked=False) if current else "",
             "personal": f.pii.value != "none", "flagged": f.name in flagged}
            for f in spec.fields
        ],
        "provenance": dict(current) if current else None,
        "history": [
            {"version_id": r["version_id"], "valid_from": r["valid_from"],
             "valid_to": r["valid_to"], "recorded_at": _kst(r["recorded_at"]),
             "superseded_at": _kst(r["superseded_at"]), "batch_id": r["batch_id"],
             "changed": [f.name for f in spec.fields if f.name in changes],
             "values": {f.name: shown(spec, f.name, r[f.name], masked=False)
                        for f in spec.fields}}
            for r, changes in zip(history, changed, strict=True)
        ],
        "flags": [
            {**f, "raised_at": _kst(f["raised_at"]),
             "label": spec.field_spec(f["field"]).label_ko if f["field"] in spec.field_names
             else f["field"]}
            for f in flags
        ],
        "access": access,
    }


def _kst(value: dt.datetime | None) -> str:
    return value.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S KST") if value else ""


def master_version(session: Session, dataset: str, item_id: int) -> int | None:
    """The current version id of an item's master record, if it is live."""
    spec = get_dataset(dataset)
    version_id = session.execute(
        text(
            f"SELECT c.version_id FROM steward_item i JOIN {quote_ident(spec.current_table)} c"
            f" ON c.{quote_ident(spec.key)}::text = i.master_key WHERE i.item_id = :i"
        ),
        {"i": item_id},
    ).scalar_one_or_none()
    return int(version_id) if version_id is not None else None


# ----------------------------------------------------------------------------- quality


def _series(points: Sequence[Mapping[str, Any]]) -> dict[str, list[tuple[dt.datetime, float]]]:
    """Rule pass rate per dimension and run."""
    tallies: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    when: dict[int, dt.datetime] = {}
    for p in points:
        t = tallies[(p["dimension"], p["run_id"])]
        t[0] += int(p["rules_passed"])
        t[1] += int(p["rules_run"])
        when[p["run_id"]] = dt.datetime.fromisoformat(p["finished_at"])
    series: dict[str, list[tuple[dt.datetime, float]]] = defaultdict(list)
    for (dimension, run_id), (passed, run) in tallies.items():
        if run:
            series[dimension].append((when[run_id], passed / run))
    return {d: sorted(series[d]) for d in DIMENSIONS if d in series}


def trend_charts(session: Session) -> dict[str, Any]:
    """Inline SVG trend charts: national, per dataset and per owning agency."""
    by_dataset = quality.trend(session, by="dataset")
    by_agency = quality.trend(session, by="agency")
    national = charts.line_chart(
        _series(by_dataset), width=900, height=220, tz=SEOUL,
        title="전체 규칙 통과율 추이 · National rule pass rate by dimension",
    )
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in by_dataset:
        grouped[p["dataset"]].append(p)
    datasets = {
        name: charts.line_chart(_series(grouped[name]), tz=SEOUL,
                                title=f"{name} · {spec.label_ko}")
        for name, spec in DATASETS.items() if name in grouped
    }
    agency_points: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in by_agency:
        agency_points[p["agency"]].append(p)
    agencies = {
        code: charts.line_chart(_series(points), tz=SEOUL, title=f"{code} · 기관 · agency")
        for code, points in sorted(agency_points.items())
    }
    return {"national": national, "datasets": datasets, "agencies": agencies,
            "legend": charts.COLOURS}


def drill_down(session: Session, spec: DatasetSpec, dimension: str | None) -> dict[str, Any]:
    """A dataset's dimensions, and the latest result of each rule with masked sample keys."""
    results = quality.latest_results(session, [spec.name])
    per_dimension: dict[str, quality.Tally] = defaultdict(quality.Tally)
    rules = []
    for row in results:
        per_dimension[row["dimension"]].add(row["status"], int(row["checked_rows"]),
                                            int(row["failing_rows"]))
        if dimension is not None and row["dimension"] != dimension:
            continue
        rule = get_rule(row["rule_id"])
        rules.append({
            "rule_id": row["rule_id"], "dimension": row["dimension"],
            "severity": row["severity"], "status": row["status"],
            "description": rule.description, "checked_rows": row["checked_rows"],
            "failing_rows": row["failing_rows"],
            "samples": mask_samples(rule, list(row["sample_keys"] or [])[:10]),
            "checked_at": _kst(row["checked_at"]),
        })
    return {
        "dimensions": {d: per_dimension[d].as_dict() for d in DIMENSIONS
                       if d in per_dimension},
        "rules": rules,
    }


# ----------------------------------------------------------------------------- inbox


def inbox_counts(session: Session, filters: Mapping[str, Any]) -> dict[str, Any]:
    """Items per outcome and overdue, for the filters other than outcome (one SQL pass)."""
    rows = session.execute(
        text(
            "SELECT kind, count(*) AS n,"
            " count(*) FILTER (WHERE status = 'open' AND due_at < now()) AS overdue"
            " FROM steward_item WHERE (CAST(:d AS text) IS NULL OR dataset = :d)"
            " AND (CAST(:a AS text) IS NULL OR agency = :a)"
            " AND (CAST(:s AS text) = 'all' OR status = :s)"
            " AND (CAST(:age AS integer) IS NULL"
            " OR created_at <= now() - make_interval(days => CAST(:age AS integer)))"
            " GROUP BY kind"
        ),
        {"d": filters["dataset"], "a": filters["agency"], "s": filters["status"],
         "age": filters.get("min_age")},
    ).mappings().all()
    by_kind = {r["kind"]: int(r["n"]) for r in rows}
    return {"by_kind": by_kind, "total": sum(by_kind.values()),
            "overdue": sum(int(r["overdue"]) for r in rows)}


def query_string(filters: Mapping[str, Any], **extra: Any) -> str:
    values = {k: ("true" if v is True else v) for k, v in (dict(filters) | extra).items()
              if v not in (None, False, "")}
    return urlencode(values)


class MixedKinds(InvalidInput):
    slug = "bulk-mixed-kinds"
    title = "Bulk resolution takes items of one kind"


def check_bulk(session: Session, item_ids: Sequence[int], action: str) -> None:
    """Bulk decisions: at least one item, all open, all of one kind, an action without a key."""
    if not item_ids:
        raise InvalidInput("choose at least one item · 항목을 선택하세요")
    if action not in ACTIONS or action == "wrong_link":
        raise InvalidInput("bulk resolution takes master_right, master_wrong or not_an_issue")
    kinds = session.execute(
        text("SELECT DISTINCT kind FROM steward_item WHERE item_id = ANY(:ids)"),
        {"ids": list(item_ids)},
    ).scalars().all()
    if len(kinds) > 1:
        raise MixedKinds("the chosen items are of different kinds: " + ", ".join(sorted(kinds)))


def evidence_chart(evidence: Sequence[Mapping[str, Any]], width: int = 560) -> str:
    """Per-field linkage weights as horizontal bars (agreement right, disagreement left)."""
    weighted = [e for e in evidence if e.get("weight") is not None]
    if not weighted:
        return ""
    row_h, label_w, top = 24, 150, 26
    height = top + row_h * len(weighted) + 24
    biggest = max(abs(float(e["weight"])) for e in weighted) or 1.0
    half = (width - label_w - 110) / 2  # room for the value labels on both sides
    zero = label_w + 50 + half
    title = "필드별 연계 가중치 · Linkage weight per field"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{title}"><title>{title}</title>',
        f'<text x="4" y="16" class="chart-title">{title}</text>',
        f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{top - 4}" y2="{height - 20}" '
        'stroke="#333" stroke-width="1"/>',
    ]
    for i, e in enumerate(weighted):
        weight = float(e["weight"])
        y = top + i * row_h
        length = half * abs(weight) / biggest
        x = zero if weight >= 0 else zero - length
        colour = "#0072B2" if weight >= 0 else "#D55E00"
        name = escape(str(e["field"]))
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{name}</text>'
            f'<rect x="{x:.1f}" y="{y + 3}" width="{max(length, 1):.1f}" height="{row_h - 8}" '
            f'fill="{colour}"><title>{name}: {weight:+.2f}</title></rect>'
            f'<text x="{(zero + length + 4) if weight >= 0 else (zero - length - 4):.1f}" '
            f'y="{y + 15}" font-size="11" text-anchor="{"start" if weight >= 0 else "end"}">'
            f"{weight:+.2f}</text>"
        )
    parts.append(
        f'<text x="{zero:.1f}" y="{height - 6}" font-size="11" text-anchor="middle">'
        "← 불일치 · disagree | 일치 · agree →</text></svg>"
    )
    return "".join(parts)



def accuracy_charts(session: Session, limit: int = 30) -> dict[str, str]:
    """Agreement of each agency's copies with the master over its latest runs (inline SVG)."""
    exists = session.execute(text("SELECT to_regclass('reconciliation_run') IS NOT NULL"))
    if not exists.scalar_one():
        return {}
    rows = session.execute(text(
        "SELECT agency, dataset, finished_at, records_agreeing::float / records_compared AS rate"
        " FROM (SELECT *, row_number() OVER (PARTITION BY agency, dataset"
        "                                    ORDER BY finished_at DESC) AS recent"
        "       FROM reconciliation_run WHERE finished_at IS NOT NULL"
        "       AND records_compared > 0) r WHERE recent <= :n ORDER BY agency, finished_at"
    ), {"n": limit}).mappings().all()
    series: dict[str, dict[str, list[tuple[dt.datetime, float]]]] = defaultdict(
        lambda: defaultdict(list))
    for row in rows:
        series[row["agency"]][row["dataset"]].append((row["finished_at"], float(row["rate"])))
    return {
        agency: charts.line_chart(
            by_dataset, tz=SEOUL, title=f"{agency} · 사본 일치율 · copy agreement over time")
        for agency, by_dataset in series.items()
    }
