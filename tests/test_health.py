from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from mdr.db.engine import Database
from mdr.db.migrate import head_revision
from mdr.settings import Settings

pytestmark = [pytest.mark.db, pytest.mark.smoke]


def test_healthz_is_alive(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_migrated_revision(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "revision": head_revision(),
                               "reads_go_to": "primary", "primary_reads": 0,
                               "read_replicas": []}


def test_readyz_is_503_when_schema_is_behind(settings: Settings, scratch_database) -> None:
    url = scratch_database("unmigrated")
    with TestClient(create_app(settings, Database(url, embedded=False))) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert body["type"].endswith("/database-not-migrated")
    assert "mdr db upgrade" in body["detail"]


def test_readyz_is_503_when_database_is_unreachable(settings: Settings) -> None:
    url = "postgresql://postgres@127.0.0.1:1/nothing"
    with TestClient(create_app(settings, Database(url, embedded=False))) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["type"].endswith("/database-unavailable")
    assert "Traceback" not in response.text
