"""`mdr users create` (the lead registers ``users_app`` as ``mdr users``)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from mdr.cli.users_cmd import users_app
from mdr.db.migrate import upgrade
from mdr.settings import get_settings

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def users_db(scratch_database) -> str:
    url = scratch_database("console_cli")
    upgrade(url)
    return url


@pytest.fixture
def cli(users_db, monkeypatch, tmp_path):
    monkeypatch.setenv("MDR_DATABASE_URL", users_db)
    monkeypatch.setenv("MDR_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_create_user_from_stdin(cli, users_db) -> None:
    result = cli.invoke(users_app, ["create", "park", "--role", "inspector", "--password-stdin",
                                    "--json"], input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"user_id": 1, "username": "park", "role": "inspector"}
    engine = create_engine(users_db.replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.connect() as conn:
        role, stored = conn.execute(text(
            "SELECT role, password_hash FROM staff_user WHERE username = 'park'")).one()
    engine.dispose()
    assert role == "inspector" and stored.startswith("$argon2id$")
    again = cli.invoke(users_app, ["create", "park", "--role", "steward", "--password-stdin"],
                       input="another long secret\n")
    assert again.exit_code != 0


def test_create_user_prompts_and_checks(cli) -> None:
    prompted = cli.invoke(users_app, ["create", "choi", "--role", "administrator"],
                          input="a long enough secret\na long enough secret\n")
    assert prompted.exit_code == 0, prompted.output
    assert cli.invoke(users_app, ["create", "x", "--role", "king", "--password-stdin"],
                      input="a long enough secret\n").exit_code == 2
    short = cli.invoke(users_app, ["create", "jung", "--role", "steward", "--password-stdin"],
                       input="short\n")
    assert short.exit_code != 0
