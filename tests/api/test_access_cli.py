"""`mdr keys`, `mdr subjects token`, `mdr audit verify`."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from typer.testing import CliRunner, Result

from mdr.access.subjects import subject_hash, verify_token
from mdr.cli.main import app
from mdr.settings import get_settings
from tests.api.conftest import SECRET, new_key
from tests.factories import make

pytestmark = pytest.mark.db


@pytest.fixture
def cli(api_db, api_url, monkeypatch, tmp_path):
    monkeypatch.setenv("MDR_DATABASE_URL", api_url)
    monkeypatch.setenv("MDR_DATA_DIR", str(tmp_path / "data"))
    # The API tests' secret: `mdr audit verify` checks the chains they wrote under its key.
    monkeypatch.setenv("MDR_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_keys_create_list_revoke(cli, api, api_db) -> None:
    created = cli.invoke(app, ["keys", "create", "--agency", "MOLIT-CAR", "--grant",
                               "vehicle:plate,make", "--grant", "resident:name",
                               "--purpose", "registration", "--json"])
    assert created.exit_code == 0, created.output
    doc = json.loads(created.stdout)
    assert doc["key"].startswith("mdr_" + doc["key_id"] + "_")
    listed = json.loads(cli.invoke(app, ["keys", "list", "--json"]).stdout)["keys"]
    mine = next(k for k in listed if k["key_id"] == doc["key_id"])
    assert {g["dataset"]: g["fields"] for g in mine["grants"]} == {
        "vehicle": ["plate", "make"], "resident": ["name"]}
    assert doc["key"] not in json.dumps(listed), "the key itself is never listed"
    assert mine["state"] == "active"
    assert cli.invoke(app, ["keys", "revoke", doc["key_id"]]).exit_code == 0
    assert cli.invoke(app, ["keys", "revoke", doc["key_id"]]).exit_code == 1
    refused = cli.invoke(app, ["keys", "create", "--agency", "MOLIT-CAR", "--grant", "vehicle",
                               "--purpose", "p", "--expires", "2020-01-01"])
    assert refused.exit_code != 0 and "has passed" in refused.output
    lapsed_id, _ = new_key(api_db, ["vehicle"], expires_at=dt.datetime(2020, 1, 1,
                                                                      tzinfo=dt.UTC))
    states = {k["key_id"]: k["state"] for k in json.loads(
        cli.invoke(app, ["keys", "list", "--json"]).stdout)["keys"]}
    assert (states[doc["key_id"]], states[lapsed_id]) == ("revoked", "expired")
    table = cli.invoke(app, ["keys", "list"]).stdout
    assert "expired" in table  # the narrow test console wraps the date


def test_grants_of_one_dataset_add_up_and_a_slip_widens_nothing(cli) -> None:
    def create(*grants: str) -> Result:
        args = ["keys", "create", "--agency", "T5", "--purpose", " audit ", "--purpose", "audit",
                "--expires", "2999-01-01", "--json"]
        for grant in grants:
            args += ["--grant", grant]
        return cli.invoke(app, args)

    both = create("vehicle:plate", "vehicle:make")
    assert both.exit_code == 0, both.output
    doc = json.loads(both.stdout)
    assert doc["grants"] == ["vehicle:plate,make"] and doc["purposes"] == ["audit"]
    assert doc["expires_at"] == "2999-01-01T00:00:00+09:00"
    listed = {k["key_id"]: k for k in json.loads(
        cli.invoke(app, ["keys", "list", "--json"]).stdout)["keys"]}[doc["key_id"]]
    assert listed["grants"] == [{"dataset": "vehicle", "fields": ["plate", "make"],
                                 "purposes": ["audit"]}]
    every = json.loads(create("vehicle:plate", "vehicle").stdout)
    assert every["grants"] == ["vehicle"]
    for slip in ("vehicle:", "vehicle: ,", "inspector:plate"):
        result = create(slip)
        assert result.exit_code != 0 and not result.stdout.strip(), slip


def test_keys_create_rejects_unknown_fields(cli) -> None:
    result = cli.invoke(app, ["keys", "create", "--agency", "X", "--grant", "vehicle:colour",
                              "--purpose", "p"])
    assert result.exit_code != 0


@pytest.mark.parametrize("claims", [
    {"sub": "x", "exp": 1e400}, {"sub": ["a"], "exp": 2**40}, {"sub": "x", "exp": True},
    {"sub": "x", "exp": "soon"}, {"sub": "x"}, [1, 2]])
def test_a_signed_but_malformed_subject_token_is_refused(claims: object) -> None:
    from mdr.access.subjects import _b64
    from mdr.errors import Unauthorized

    payload = _b64(json.dumps(claims).encode())
    signature = _b64(hmac.new(b"s", payload.encode(), hashlib.sha256).digest())
    with pytest.raises(Unauthorized, match="malformed"):
        verify_token(b"s", f"{payload}.{signature}")


def test_subject_token_and_audit_verify(cli) -> None:
    rrn = make("resident")["rrn"]
    token = cli.invoke(app, ["subjects", "token", rrn]).stdout.strip()
    secret = SECRET.encode()
    assert verify_token(secret, token) == subject_hash(secret, rrn)
    piped = cli.invoke(app, ["subjects", "token", "-"], input=rrn + "\n").stdout.strip()
    assert verify_token(secret, piped) == subject_hash(secret, rrn)  # kept out of argv
    frn = make("foreign_resident")["frn"]
    foreign = cli.invoke(app, ["subjects", "token", frn])
    assert foreign.exit_code == 0, foreign.output
    assert verify_token(secret, foreign.stdout.strip()) == subject_hash(secret, frn)
    wrong = cli.invoke(app, ["subjects", "token", "9013011234567"])  # no 13th month
    assert wrong.exit_code == 2 and "not a valid resident or foreign" in wrong.output
    verified = cli.invoke(app, ["audit", "verify", "--json"])
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.stdout)["ok"] is True
    told = cli.invoke(app, ["audit", "verify"])
    assert told.exit_code == 0 and "Access log intact" in told.stdout
    assert "writer chains verified" in told.stdout


def test_staff_purposes_are_reserved_for_staff(db_session) -> None:
    """An agency key cannot read "for stewardship": a citizen's log would show its reads
    as a steward's."""
    from mdr.access.keys import create_key
    from mdr.errors import InvalidInput

    with pytest.raises(InvalidInput, match="reserved"):
        create_key(db_session, agency_code="X", grants=["resident"], purposes=["stewardship"])
    create_key(db_session, agency_code="MOIS", grants=["steward"], purposes=["stewardship"])
