"""Data for console tests: staff users, a resident with a steward work item, check runs."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from mdr.access.staff import create_user
from mdr.quality.rules import all_rules
from tests.factories import make, persist

PASSWORD = "correct horse battery"


def add_user(session: Session, username: str, role: str, password: str = PASSWORD) -> int:
    return create_user(session, username, role, password)


def add_item(session: Session, *, agency: str = "AGENCY-X") -> dict[str, Any]:
    """A live resident and an open match_with_differences item on its name."""
    resident = make("resident")
    persist(session, "resident", [resident])
    run_id = session.execute(text(
        "INSERT INTO reconciliation_run (dataset, agency, source, status, started_at,"
        " finished_at, records_compared, records_agreeing) VALUES ('resident', :a,"
        " 'copy.csv', 'finished', now(), now(), 10, 9) RETURNING run_id"), {"a": agency}
    ).scalar_one()
    agency_values = {"rrn": resident["rrn"], "name": resident["name"] + "수",
                     "birth_date": resident["birth_date"].isoformat()}
    session.execute(text(
        "INSERT INTO reconciliation_outcome (run_id, agency_row, master_key, outcome, score,"
        " differing_fields, tier, agency_ident, agency_values) VALUES (:r, 0, :k,"
        " 'match_with_differences', 0.93, ARRAY['name'], 'key', :ident, CAST(:v AS jsonb))"),
        {"r": run_id, "k": resident["rrn"], "ident": "k:" + resident["rrn"],
         "v": json.dumps(agency_values)})
    for field, level, weight in (("rrn", "exact", 9.5), ("name", "disagree", -3.2),
                                 ("birth_date", "exact", 6.1)):
        session.execute(text(
            "INSERT INTO reconciliation_evidence (run_id, agency_row, field, agency_value,"
            " master_value, level, weight) VALUES (:r, 0, :f, :av, :mv, :l, :w)"),
            {"r": run_id, "f": field, "av": str(agency_values[field]),
             "mv": str(resident[field].isoformat() if isinstance(resident[field], dt.date)
                       else resident[field]), "l": level, "w": weight})
    item_id = session.execute(text(
        "INSERT INTO steward_item (fingerprint, dataset, agency, kind, agency_ident, master_key,"
        " differing_fields, score, first_seen_run, last_seen_run, last_agency_row, due_at)"
        " VALUES (:fp, 'resident', :a, 'match_with_differences', :ident, :k, ARRAY['name'],"
        " 0.93, :r, :r, 0, now() + interval '14 days') RETURNING item_id"),
        {"fp": str(uuid.uuid4()), "a": agency, "ident": "k:" + resident["rrn"],
         "k": resident["rrn"], "r": run_id}).scalar_one()
    version_id = session.execute(
        text("SELECT version_id FROM resident WHERE rrn = :k"), {"k": resident["rrn"]}
    ).scalar_one()
    return {"item_id": item_id, "resident": resident, "run_id": run_id,
            "version_id": version_id}


def add_check_runs(session: Session, sample_key: str) -> str:
    """Two finished check runs on a resident rule, the latest failing with ``sample_key``."""
    rule = next(r for r in all_rules() if r.dataset == "resident" and r.kind.value == "row")
    for days, failing in ((2, 0), (1, 3)):
        run_id = session.execute(text(
            "INSERT INTO check_run (triggered_by, started_at, finished_at, rules_run,"
            " rules_failed) VALUES ('schedule', now() - make_interval(days => :d),"
            " now() - make_interval(days => :d), 1, :f) RETURNING run_id"),
            {"d": days, "f": 1 if failing else 0}).scalar_one()
        session.execute(text(
            "INSERT INTO check_result (run_id, rule_id, dataset, dimension, severity, status,"
            " checked_rows, failing_rows, sample_keys, duration_ms, scan) VALUES (:r, :id,"
            " 'resident', :dim, :sev, :st, 100, :f, :s, 1.0, 'test')"),
            {"r": run_id, "id": rule.id, "dim": rule.dimension.value,
             "sev": rule.severity.value, "st": "failed" if failing else "passed",
             "f": failing, "s": [sample_key] if failing else []})
    return rule.id


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/console/login")
    return client.post("/console/login", data={
        "csrf_token": csrf_of(page.text), "username": username, "password": password})
