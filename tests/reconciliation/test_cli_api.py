"""`mdr reconcile`, `mdr steward` and the reconciliation and steward API routes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import typer
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from mdr.cli import reconcile_cmd
from mdr.settings import get_settings
from tests.factories import make
from tests.reconciliation.conftest_db import AGENCY, Snapshot, count, rows, url_of
from tests.reconciliation.helpers import key, poll, upload

pytestmark = pytest.mark.db


def cli_app() -> typer.Typer:
    """The commands as `mdr` registers them (see the lead's mdr/cli/main.py)."""
    app = typer.Typer()
    app.command("reconcile")(reconcile_cmd.reconcile)
    app.add_typer(reconcile_cmd.steward_app, name="steward")
    return app


@pytest.fixture
def cli(rec_db: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[CliRunner]:
    monkeypatch.setenv("MDR_DATABASE_URL", url_of(rec_db))
    monkeypatch.setenv("MDR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MDR_STEWARD", "lee")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def invoke(cli: CliRunner, *args: str) -> Any:
    result = cli.invoke(cli_app(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_reconcile_and_steward_commands(
    cli: CliRunner, snapshot: Snapshot, tmp_path: Path, rec_db: Engine
) -> None:
    out = tmp_path / "results.csv"
    result = invoke(
        cli,
        "reconcile",
        "resident",
        str(snapshot.agency_file),
        "--agency",
        AGENCY,
        "--out",
        str(out),
        "--json",
    )
    summary = json.loads(result.stdout)
    assert summary["status"] == "finished" and summary["agency_records"] == snapshot.agency.height
    # the result files reveal master records: each is logged under whoever ran it
    written = rows(rec_db, "SELECT key_id, purpose, count(*) AS n FROM access_log "
                           "WHERE route = 'mdr reconcile' GROUP BY 1, 2")
    linked = sum(summary["outcomes"][k] for k in ("match", "match_with_differences"))
    assert [(w["key_id"], w["purpose"]) for w in written] == [("staff:lee", "reconciliation")]
    assert written[0]["n"] >= linked + summary["outcomes"]["master_only"]
    assert set(summary["outcomes"]) == {
        "match",
        "match_with_differences",
        "agency_only",
        "ambiguous",
        "master_only",
    }
    assert summary["records_compared"] >= summary["records_agreeing"] > 0
    assert set(summary["timings"]) >= {"reading", "master", "linking", "storing"}
    assert out.read_text().splitlines()[0] == "agency_row,master_key,outcome,score,differing_fields"
    only = (tmp_path / "results.master_only.csv").read_text().splitlines()
    assert len(only) - 1 == summary["outcomes"]["master_only"]

    plain = invoke(cli, "reconcile", "resident", str(snapshot.agency_file), "--agency", AGENCY)
    assert "match_with_differences" in plain.stdout and "drift since run" in plain.stdout

    page = json.loads(
        invoke(
            cli, "steward", "inbox", "--outcome", "match_with_differences", "--limit", "2", "--json"
        ).stdout
    )
    assert len(page["items"]) == 2 and page["next_after"] == page["items"][-1]["item_id"]
    item_id = page["items"][0]["item_id"]
    before = count(rec_db, "SELECT count(*) FROM access_log WHERE route = 'mdr steward show'")
    shown = json.loads(invoke(cli, "steward", "show", str(item_id), "--json").stdout)
    assert shown["item_id"] == item_id and shown["fields"]
    assert "*" not in shown["master_key"]  # the item the steward judges: unmasked, and logged
    assert count(rec_db, "SELECT count(*) FROM access_log WHERE route = 'mdr steward show' "
                         "AND key_id = 'staff:lee' AND purpose = 'stewardship'") == before + 1
    assert "differs" in invoke(cli, "steward", "show", str(item_id)).stdout
    done = json.loads(
        invoke(
            cli,
            "steward",
            "resolve",
            str(item_id),
            "--action",
            "master_right",
            "--reason",
            "copy is stale",
            "--json",
        ).stdout
    )
    assert done["steward"] == "lee" and done["status"] == "resolved"
    reopened = json.loads(invoke(cli, "steward", "reopen", str(item_id), "--reason",
                                 "copy was right after all", "--json").stdout)
    assert reopened["reversed"] == "master_right" and len(reopened["requests_withdrawn"]) == 1
    again = json.loads(invoke(cli, "steward", "resolve", str(item_id), "--action",
                              "master_right", "--reason", "stale after all", "--json").stdout)
    assert again["status"] == "resolved"  # open again, so a new decision is taken
    refused = cli.invoke(
        cli_app(),
        ["steward", "resolve", str(item_id), "--action", "not_an_issue", "--reason", "again"],
    )
    assert refused.exit_code != 0
    listing = invoke(cli, "steward", "inbox", "--status", "all").stdout
    assert "Steward inbox" in listing

    report = json.loads(invoke(cli, "steward", "metrics", "--dataset", "resident", "--json").stdout)
    (entry,) = report["entries"]
    assert entry["agency"] == AGENCY and entry["drift"]["score"] == 0.0
    assert "Accuracy" in invoke(cli, "steward", "metrics").stdout


# ------------------------------------------------------------------------ API


def test_upload_runs_in_the_background_and_can_be_polled(
    api: TestClient, rec_db: Engine, snapshot: Snapshot
) -> None:
    agency = key(rec_db, ["resident"])
    answer = upload(api, agency, snapshot.agency_file, name="주민 사본.CSV")
    assert answer.status_code == 202, answer.text
    run_id = answer.json()["run_id"]
    assert answer.headers["location"] == f"/v1/reconciliation/runs/{run_id}"
    body = poll(api, agency, run_id)
    assert body["status"] == "finished", body
    assert body["source"] == "주민 사본.CSV"
    assert body["agency_records"] == snapshot.agency.height
    assert body["records_compared"] > 0 and body["drift"] is None
    assert body["items"]["new"] == sum(  # no scope: master-only records are not items
        body["outcomes"][k] for k in ("match_with_differences", "ambiguous", "agency_only")
    )

    csv = api.get(f"/v1/reconciliation/runs/{run_id}/results.csv", headers=agency)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == "agency_row,master_key,outcome,score,differing_fields"
    assert len(lines) - 1 == snapshot.agency.height
    only = api.get(f"/v1/reconciliation/runs/{run_id}/results.csv?part=master_only", headers=agency)
    assert only.status_code == 409 and only.json()["type"].endswith("/master-only-needs-scope")
    scoped = poll(api, agency, upload(api, agency, snapshot.agency_file,
                                      scope="region_code=1,2,3,4,5").json()["run_id"])
    only = api.get(f"/v1/reconciliation/runs/{scoped['run_id']}/results.csv?part=master_only",
                   headers=agency)
    assert only.status_code == 200, only.text
    assert len(only.text.splitlines()) - 1 == scoped["outcomes"]["master_only"] > 0

    metrics = api.get("/v1/reconciliation/metrics", headers=agency).json()
    assert [e["agency"] for e in metrics["entries"]] == [AGENCY]
    assert api.get("/v1/reconciliation/metrics?agency=OTHER", headers=agency).status_code == 403
    inspector = key(rec_db, ["inspector"], agency="MOIS")
    assert (
        api.get("/v1/reconciliation/metrics?dataset=resident", headers=inspector).json()["entries"][
            0
        ]["agency"]
        == AGENCY
    )
    stranger = key(rec_db, ["resident"], agency="KNPA")
    assert api.get(f"/v1/reconciliation/runs/{run_id}", headers=stranger).status_code == 403


def test_bad_uploads(api: TestClient, rec_db: Engine, snapshot: Snapshot, tmp_path: Path) -> None:
    agency = key(rec_db, ["resident"])
    assert upload(api, {}, snapshot.agency_file).status_code == 401
    no_grant = key(rec_db, ["medicine"])
    refused = upload(api, no_grant, snapshot.agency_file)
    assert refused.status_code == 403 and refused.json()["type"].endswith("/no-grant")
    assert upload(api, agency, snapshot.agency_file, agency="KNPA").status_code == 403
    assert upload(api, agency, snapshot.agency_file, scope="region=11").status_code == 422
    steward = key(rec_db, ["steward"], agency="MOIS")
    assert upload(api, steward, snapshot.agency_file).status_code == 202  # for any agency

    bad = tmp_path / "bad.csv"
    bad.write_text("nickname\nx\n")
    answer = upload(api, agency, bad)
    assert answer.status_code == 202
    body = poll(api, agency, answer.json()["run_id"])
    assert body["status"] == "failed" and "'nickname': matches no field" in body["error"]
    assert (
        count(
            rec_db,
            "SELECT count(*) FROM reconciliation_outcome WHERE run_id = :r",
            r=body["run_id"],
        )
        == 0
    )

    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("nickname: nick\n")
    with bad.open("rb") as fh, mapping.open("rb") as mh:
        refused = api.post(
            "/v1/reconciliation/runs",
            headers=agency,
            data={"dataset": "resident", "agency": AGENCY},
            files={"file": ("bad.csv", fh), "mapping": ("mapping.yaml", mh)},
        )
    assert refused.status_code == 422 and "nick" in refused.json()["detail"]


def test_steward_routes_need_the_steward_role_and_flags_reach_the_read_api(
    api: TestClient, rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    agency = key(rec_db, ["resident"])
    copy = tmp_path / "copy.csv"
    master = snapshot.master.head(30)
    copy.write_text(
        master.with_columns(
            pl.when(pl.int_range(pl.len()) == 3)
            .then(pl.lit("가나다"))
            .otherwise("name")
            .alias("name")
        ).write_csv(null_value="")
    )
    assert poll(api, agency, upload(api, agency, copy).json()["run_id"])["status"] == "finished"

    for method, path in (
        ("get", "/v1/steward/items"),
        ("get", "/v1/steward/items/1"),
        ("post", "/v1/steward/items/1:resolve"),
    ):
        answer = api.request(
            method.upper(), path, headers=agency, json={"action": "not_an_issue", "reason": "x"}
        )
        assert answer.status_code == 403, (path, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"

    steward = key(rec_db, ["steward"], agency="MOIS")
    page = api.get("/v1/steward/items?outcome=match_with_differences", headers=steward).json()
    (item,) = page["items"]
    assert item["differing_fields"] == ["name"] and "*" in item["master_key"]
    shown = api.get(f"/v1/steward/items/{item['item_id']}", headers=steward).json()
    assert any(f["field"] == "name" and f["differs"] for f in shown["fields"])
    assert (
        api.post(
            f"/v1/steward/items/{item['item_id']}:resolve",
            headers=steward,
            json={"action": "master_wrong", "reason": ""},
        ).status_code
        == 422
    )
    done = api.post(
        f"/v1/steward/items/{item['item_id']}:resolve",
        headers=steward,
        json={"action": "master_wrong", "reason": "court ruling"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["flags"] == ["name"]
    again = api.post(
        f"/v1/steward/items/{item['item_id']}:resolve",
        headers=steward,
        json={"action": "master_wrong", "reason": "court ruling"},
    )
    assert again.status_code == 409
    (action,) = rows(rec_db, "SELECT steward FROM steward_action")
    assert str(action["steward"]).startswith("MOIS/k")

    reader = key(rec_db, ["resident"]) | {"X-Purpose": "verification"}
    looked = api.post(
        "/v1/datasets/resident/records:lookup",
        headers=reader,
        json={"keys": [str(master["rrn"][3])]},
    )
    assert looked.status_code == 200, looked.text
    (record,) = looked.json()["records"]
    assert [(f["field"], f["status"]) for f in record["flags"]] == [("name", "under_investigation")]

    # The decision is reversed: the flag no longer rides on the record.
    reopened = api.post(f"/v1/steward/items/{item['item_id']}:reopen", headers=steward,
                        json={"reason": "the ruling was about another person"})
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["flags_cleared"] == ["name"] and reopened.json()["status"] == "open"
    relooked = api.post("/v1/datasets/resident/records:lookup", headers=reader,
                        json={"keys": [str(master["rrn"][3])]})
    assert relooked.json()["records"][0]["flags"] == []
    assert api.post(f"/v1/steward/items/{item['item_id']}:reopen", headers=steward,
                    json={"reason": "again"}).status_code == 422
    assert api.post(f"/v1/steward/items/{item['item_id']}:reopen", headers=reader,
                    json={"reason": "x"}).status_code == 403


def test_a_nul_character_anywhere_is_a_422_not_a_500(api: TestClient, rec_db: Engine) -> None:
    steward = key(rec_db, ["steward"], agency="MOIS")
    for path in ("/v1/steward/items?agency=%00", "/v1/reconciliation/metrics?agency=a%00b"):
        answer = api.get(path, headers=steward)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["type"].endswith("/invalid-input")
    resolve = api.post("/v1/steward/items/1:resolve", headers=steward,
                       json={"action": "not_an_issue", "reason": "x\u0000y"})
    assert resolve.status_code in (404, 422), resolve.text


def test_a_nul_character_in_an_agency_copy_is_dropped(api: TestClient, rec_db: Engine,
                                                      snapshot: Snapshot, tmp_path: Path) -> None:
    agency = key(rec_db, ["resident"])
    lines = snapshot.agency_file.read_text(encoding="utf-8").splitlines()
    head, first = lines[0], lines[1].split(",")
    first[1] = first[1][:1] + "\x00" + first[1][1:]
    noisy = tmp_path / "noisy.csv"
    noisy.write_text("\n".join([head, ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    answer = upload(api, agency, noisy)
    assert answer.status_code == 202, answer.text
    body = poll(api, agency, answer.json()["run_id"])
    assert body["status"] == "finished", body


def test_reconcile_refuses_an_unwritable_out_path_before_running(
    cli: CliRunner, snapshot: Snapshot, rec_db: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    runs_before = count(rec_db, "SELECT count(*) FROM reconciliation_run")
    result = cli.invoke(cli_app(), ["reconcile", "resident", str(snapshot.agency_file),
                                    "--agency", AGENCY, "--out", str(folder), "--json"])
    assert result.exit_code != 0
    assert "is a directory" in str(result.exception)
    assert count(rec_db, "SELECT count(*) FROM reconciliation_run") == runs_before  # nothing ran


def test_errors_do_not_repeat_a_registration_number_sent_in_any_field(
    api: TestClient, rec_db: Engine, tmp_path: Path
) -> None:
    rrn = make("resident")["rrn"]
    agency, steward = key(rec_db, ["resident"]), key(rec_db, ["steward"], agency="MOIS")
    copy = tmp_path / "copy.csv"
    copy.write_text("rrn,name\n")
    answers = [
        upload(api, agency, copy, scope=f"rrn={rrn}x"),  # not FIELD=VALUE of a known field
        upload(api, agency, copy, scope=f"{rrn}=1"),
        upload(api, agency, copy, name=f"{rrn}.txt"),  # an extension it cannot read
        upload(api, agency, copy, name=f"{rrn[:6]}-{rrn[6:]}.csv"),  # no data rows
        api.get(f"/v1/steward/items/{rrn}", headers=steward),
    ]
    for answer in answers:
        assert rrn not in answer.text and rrn[6:] not in answer.text, answer.text
        if answer.status_code == 202:  # refused in the background: the run says why
            run = poll(api, agency, answer.json()["run_id"])
            assert run["status"] == "failed", run
            assert rrn[6:] not in run["error"] + run["source"], run  # (scope: as asked)
        else:
            assert 400 <= answer.status_code < 500, answer.text
