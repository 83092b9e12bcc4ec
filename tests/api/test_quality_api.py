"""Inspectors read scorecards and the report through the API, under their own grant."""

from __future__ import annotations

import pytest

from mdr.db.engine import session_factory, unit_of_work
from mdr.quality.runner import run_checks
from tests.api.conftest import new_key, store
from tests.factories import make

pytestmark = pytest.mark.db


def test_inspector_routes_need_the_inspector_grant(api, api_db) -> None:
    person = make("resident")  # its address does not exist: a relation failure to find
    store(api_db, "resident", [person])
    with unit_of_work(session_factory(api_db)) as session:
        run_checks(session, datasets=["resident"])
    _, inspector = new_key(api_db, ["inspector"])
    _, agency = new_key(api_db, ["resident"])
    cards = api.get("/v1/quality/scorecards", headers=inspector)
    assert cards.status_code == 200, cards.text
    assert any(d["dataset"] == "resident" for d in cards.json()["datasets"])
    worst = api.get("/v1/quality/worst-rules", headers=inspector).json()["rules"]
    assert any(r["dataset"] == "resident" and r["failing_rows"] for r in worst), worst
    assert person["rrn"] not in str(worst), "sample keys are masked"
    report = api.get("/v1/quality/report", headers=inspector)
    assert report.status_code == 200 and "<svg" in report.text
    assert api.get("/v1/quality/trend", headers=inspector).status_code == 200
    denied = api.get("/v1/quality/scorecards", headers=agency)
    assert denied.status_code == 403
