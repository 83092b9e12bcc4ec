"""Errors about an uploaded file name it as the user gave it, never by where the server
keeps it (``MDR_DATA_DIR/reconciliation/uploads/<uuid>/...``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mdr.errors import error_text
from tests.api.conftest import new_key

pytestmark = pytest.mark.db


@pytest.mark.parametrize(("name", "content", "says"), [
    ("agency mapping.yaml", "a: rrn\nb: c: name\n", "invalid YAML at line 2"),
    ("매핑.yaml", "성명: full_name\n", "mapping targets that are not fields of resident"),
    ("columns.yml", "- rrn\n", "a mapping file is a YAML mapping"),
    ("both.yaml", "columns: {a: rrn}\nignore: [a]\n", "both mapped and ignored"),
])
def test_a_bad_mapping_file_is_named_as_uploaded(api: TestClient, api_db: Engine, tmp_path: Path,
                                                 name: str, content: str, says: str) -> None:
    _, headers = new_key(api_db, ["resident"])
    answer = api.post(
        "/v1/reconciliation/runs", headers=headers,
        data={"dataset": "resident", "agency": "TEST-AGENCY"},
        files={"file": ("copy.csv", b"rrn,name\n", "text/csv"),
               "mapping": (name, content.encode(), "application/yaml")})
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["detail"].startswith(f"{name}: ") and says in problem["detail"]
    assert problem.get("path", name) == name
    data_dir = str((tmp_path / "data").resolve())
    assert "uploads" not in answer.text and data_dir not in answer.text
    assert str(tmp_path) not in answer.text


def test_a_run_that_fails_on_a_file_of_the_server_does_not_name_its_path() -> None:
    where = "/srv/mdr/reconciliation/uploads/4f1c/copy.csv"
    for exc in (PermissionError(13, "Permission denied", where),
                OSError(28, "No space left on device", where)):
        assert error_text(exc) == f"{type(exc).__name__}: {exc.strerror}"
