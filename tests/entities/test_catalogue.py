"""The catalogue and vocabulary in the database, and `mdr datasets list|describe`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from entities.catalogue import (
    describe_dataset,
    list_datasets,
    recount,
    refresh_catalogue,
    vocabulary,
)
from entities.registry import DATASETS
from entities.vocabulary import TERMS
from mdr.cli.main import app
from mdr.settings import get_settings
from tests.factories import make, persist

pytestmark = pytest.mark.db


def test_refresh_writes_every_dataset_and_term(db_session) -> None:
    refresh_catalogue(db_session)
    datasets = list_datasets(db_session)
    assert [d["name"] for d in datasets] == list(DATASETS)
    assert {d["owner"] for d in datasets} >= {"MOIS", "MOLIT", "NTS", "MFDS"}
    assert {t["code"] for t in vocabulary(db_session)} == set(TERMS)


def test_recount_tracks_live_rows_and_sync_time(db_session) -> None:
    refresh_catalogue(db_session)
    persist(db_session, "vehicle", [make("vehicle") for _ in range(3)])
    import datetime as dt

    when = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)
    assert recount(db_session, "vehicle", synced_at=when) == 3
    vehicle = next(d for d in list_datasets(db_session) if d["name"] == "vehicle")
    assert vehicle["row_count"] == 3
    assert vehicle["last_sync_at"] == when.isoformat()


def test_describe_has_fields_terms_pii_relations_and_columns(db_session) -> None:
    doc = describe_dataset(db_session, "resident")
    assert doc["csv_columns"] == list(DATASETS["resident"].field_names)
    rrn = next(f for f in doc["fields"] if f["name"] == "rrn")
    assert rrn["pii"] == "unique_identifier"
    assert rrn["validator"] == "rrn"
    assert doc["vocabulary"][rrn["term"]]["name_ko"]
    assert any(r["field"] == "address_id" for r in doc["relations"])
    assert doc["key_is_personal"] is True


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MDR_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_datasets_list_json(cli) -> None:
    result = cli.invoke(app, ["datasets", "list", "--json"])
    assert result.exit_code == 0, result.output
    datasets = json.loads(result.stdout)["datasets"]
    assert len(datasets) == 14
    assert all({"name", "owner", "row_count", "legal_basis"} <= set(d) for d in datasets)


def test_cli_datasets_list_table(cli) -> None:
    result = cli.invoke(app, ["datasets", "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name in ("hazardous_substance", "farm_business", "MOLIT"):
        assert name in result.stdout


def test_cli_describe_prints_canonical_columns(cli) -> None:
    result = cli.invoke(app, ["datasets", "describe", "vehicle"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert ",".join(DATASETS["vehicle"].field_names) in result.stdout
    assert "unique_identifier" in result.stdout  # the owner id's PII class
    doc = json.loads(cli.invoke(app, ["datasets", "describe", "vehicle", "--json"]).stdout)
    assert doc["csv_columns"] == list(DATASETS["vehicle"].field_names)


def test_cli_describe_unknown_dataset_is_one_line() -> None:
    from tests.helpers import clean_env
    from tests.test_settings import _mdr

    result = _mdr("datasets", "describe", "spaceship",
                  env=clean_env(MDR_DATABASE_URL="postgresql://x@127.0.0.1:1/none"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "mdr: error: unknown dataset 'spaceship'; valid names: " + ", ".join(DATASETS)
    ]
    assert result.stdout == ""
    scripted = _mdr("datasets", "describe", "spaceship", "--json",
                    env=clean_env(MDR_DATABASE_URL="postgresql://x@127.0.0.1:1/none"))
    assert scripted.returncode == 1
    error = json.loads(scripted.stdout)["error"]  # one document for a script, errors too
    assert error["type"].endswith("/unknown-dataset") and "spaceship" in error["detail"]


def test_cli_usage_errors_with_json_print_one_document_too() -> None:
    from tests.helpers import clean_env
    from tests.test_settings import _mdr

    env = clean_env(MDR_DATABASE_URL="postgresql://x@127.0.0.1:1/none")
    for args in (("sync", "run", "vehicle", "x.csv", "--mode", "bogus", "--json"),
                 ("sync", "run", "vehicle", "x.csv", "--encoding", "bogus", "--json"),
                 ("sync", "run", "vehicle", "x.csv", "--as-of", "9999-12-31", "--json"),
                 ("sync", "run", "vehicle", "--json")):
        result = _mdr(*args, env=env)
        assert result.returncode == 2, result.stderr
        error = json.loads(result.stdout)["error"]
        assert error["type"].endswith("/usage-error")
        assert ("bogus" in error["detail"]) == ("bogus" in args)
        assert "Usage: mdr sync run" in result.stderr  # typer's message, as without --json
    plain = _mdr("sync", "run", "vehicle", env=env)
    assert plain.returncode == 2 and plain.stdout == ""
