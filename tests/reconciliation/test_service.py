"""Reconciliation runs end to end on PostgreSQL: storage, results CSV, scope, files, metrics."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, text

from entities.registry import get_dataset
from mdr.access.secrets import LogKeys
from mdr.db.engine import session_factory, unit_of_work
from mdr.errors import InvalidInput
from mdr.quality.scorecards import accuracy as scorecard_accuracy
from reconciliation import disclosure, inbox, service
from reconciliation.disclosure import RESULT_COLUMNS, write_files
from reconciliation.service import operator, reconcile_file
from tests.reconciliation.conftest_db import AGENCY, Snapshot, count, rows

pytestmark = pytest.mark.db

SPEC = get_dataset("resident")
FIELDS = set(SPEC.field_names)
KEYS = LogKeys(b"s" * 32, b"c" * 32)


def write(frame: pl.DataFrame, path: Path, encoding: str = "utf-8") -> Path:
    path.write_bytes(frame.write_csv(null_value="").encode(encoding))
    return path


def test_run_stores_outcomes_evidence_and_the_accuracy_contract(
    rec_db: Engine, snapshot: Snapshot
) -> None:
    result = reconcile_file(rec_db, "resident", snapshot.agency_file, agency=AGENCY)
    agency_rows = snapshot.agency.height
    assert result.status == "finished" and result.agency_records == agency_rows
    assert sum(n for o, n in result.outcomes.items() if o != "master_only") == agency_rows

    run = rows(rec_db, "SELECT * FROM reconciliation_run WHERE run_id = :r", r=result.run_id)[0]
    assert run["status"] == "finished" and run["finished_at"] is not None
    assert run["sha256"] == result.sha256 and run["rule_version"].startswith("mdr-linkage/")
    assert (
        run["records_compared"]
        == result.outcomes["match"] + result.outcomes["match_with_differences"]
    )
    assert run["records_agreeing"] == result.outcomes["match"]
    assert run["field_agreement"]["name"]["compared"] <= run["records_compared"]
    stored = count(
        rec_db,
        "SELECT count(*) FROM reconciliation_outcome WHERE run_id = :r AND agency_row IS NOT NULL",
        r=result.run_id,
    )
    master_only = count(
        rec_db,
        "SELECT count(*) FROM reconciliation_outcome WHERE run_id = :r AND outcome = 'master_only'",
        r=result.run_id,
    )
    assert stored == agency_rows and master_only == result.outcomes["master_only"]
    # every difference has its evidence: compared values and the level
    differing = rows(
        rec_db,
        "SELECT agency_row, differing_fields FROM reconciliation_outcome "
        "WHERE run_id = :r AND outcome = 'match_with_differences'",
        r=result.run_id,
    )
    assert differing
    for row in differing[:20]:
        fields = {
            e["field"]
            for e in rows(
                rec_db,
                "SELECT field FROM reconciliation_evidence WHERE run_id = :r AND agency_row = :a",
                r=result.run_id,
                a=row["agency_row"],
            )
        }
        assert set(row["differing_fields"]) <= fields

    # against the truth: links are right
    truth = snapshot.truth.select(pl.col("agency_row").cast(pl.Int64), "master_key")
    assert result.results is not None
    linked = result.results.filter(pl.col("outcome").is_in(["match", "match_with_differences"]))
    joined = linked.join(truth, on="agency_row", suffix="_true")
    assert (joined["master_key"] == joined["master_key_true"]).sum() >= 0.99 * linked.height

    # the integrity checks' scorecard reads the run through the contract columns
    with unit_of_work(session_factory(rec_db)) as session:
        card = scorecard_accuracy(session)
    assert card["available"]
    (entry,) = [a for a in card["agencies"] if a["agency"] == AGENCY]
    assert entry["records_compared"] == run["records_compared"]


def test_results_csv_has_the_contract_format(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    result = reconcile_file(rec_db, "resident", snapshot.agency_file, agency=AGENCY)
    out, companion = write_files(rec_db, result.run_id, operator("lee"), tmp_path / "RESULTS.csv",
                                 keys=KEYS)
    assert companion == tmp_path / "RESULTS.master_only.csv"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert (
        lines[0]
        == ",".join(RESULT_COLUMNS)
        == ("agency_row,master_key,outcome,score,differing_fields")
    )
    body = lines[1:]
    assert len(body) == snapshot.agency.height
    pattern = re.compile(
        r"^(\d+),(\d*),(match|match_with_differences|agency_only|ambiguous),"
        r"([01](?:\.\d{1,4})?),([a-z_;]*)$"
    )
    for i, line in enumerate(body):
        m = pattern.match(line)
        assert m, line
        assert int(m.group(1)) == i  # one row per agency record, in agency_row order
        score = float(m.group(4))
        assert 0.0 <= score <= 1.0
        differing = [f for f in m.group(5).split(";") if f]
        assert set(differing) <= FIELDS
        assert bool(differing) == (m.group(3) == "match_with_differences") or m.group(3) in (
            "ambiguous",
        )
        if m.group(3) == "agency_only":
            assert m.group(2) == ""
    only = companion.read_text().splitlines()
    assert only[0] == "master_key" and len(only) - 1 == result.outcomes["master_only"]

    # the run's frames (what the library call returns) and the stored run's CSV agree
    with rec_db.connect() as conn:
        stored = disclosure.results(conn, result.run_id, operator("lee"), None, keys=KEYS)
    again = pl.read_csv(stored.body, infer_schema=False)
    assert result.results is not None
    mine = result.results.select(pl.all().cast(pl.String))
    assert again.columns == list(RESULT_COLUMNS)
    assert again.select("agency_row", "master_key", "outcome", "differing_fields").equals(
        mine.select("agency_row", "master_key", "outcome", "differing_fields")
    )


def test_scope_limits_master_only_to_the_declared_region(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    master = snapshot.master
    region = master["region_code"].mode()[0]
    inside = master.filter(pl.col("region_code") == region)
    lacking = inside["rrn"].head(2).to_list()
    copy = write(inside.filter(~pl.col("rrn").is_in(lacking)), tmp_path / "region.csv")

    scoped = reconcile_file(
        rec_db, "resident", copy, agency=AGENCY, scope=[f"region_code={region}"]
    )
    assert scoped.outcomes["match"] == inside.height - 2
    assert scoped.master_only is not None
    assert sorted(scoped.master_only["master_key"].to_list()) == sorted(lacking)
    stored = rows(
        rec_db,
        "SELECT master_key FROM reconciliation_outcome WHERE run_id = :r "
        "AND outcome = 'master_only'",
        r=scoped.run_id,
    )
    assert sorted(r["master_key"] for r in stored) == sorted(lacking)
    assert rows(rec_db, "SELECT scope FROM reconciliation_run WHERE run_id = :r", r=scoped.run_id)[
        0
    ]["scope"] == {"region_code": [region]}

    # a region prefix (the province) covers it too; without a scope every other record counts
    province = reconcile_file(
        rec_db, "resident", copy, agency=AGENCY, scope=[f"region_code={region[:2]}"]
    )
    in_province = master.filter(pl.col("region_code").str.starts_with(region[:2])).height
    assert province.outcomes["master_only"] == in_province - inside.height + 2
    everything = reconcile_file(rec_db, "resident", copy, agency=AGENCY)
    assert everything.outcomes["master_only"] == master.height - inside.height + 2

    with pytest.raises(InvalidInput, match="not a field of resident"):
        reconcile_file(rec_db, "resident", copy, agency=AGENCY, scope=["province=11"])
    with pytest.raises(InvalidInput, match="FIELD=VALUE"):
        reconcile_file(rec_db, "resident", copy, agency=AGENCY, scope=["region_code"])


KOREAN = {
    "rrn": "주민등록번호",
    "name": "성명",
    "birth_date": "생년월일",
    "sex": "성별",
    "address_id": "주소",
    "region_code": "시군구코드",
}


def test_cp949_korean_headers_and_parquet_give_the_same_outcomes(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    agency = snapshot.agency.select(list(KOREAN))
    utf8 = reconcile_file(rec_db, "resident", write(agency, tmp_path / "a.csv"), agency=AGENCY)

    korean = agency.rename(KOREAN)
    cp949 = write(korean, tmp_path / "euckr.csv", encoding="cp949")
    with pytest.raises(InvalidInput, match="give the encoding cp949"):
        reconcile_file(rec_db, "resident", cp949, agency=AGENCY)
    from_cp949 = reconcile_file(rec_db, "resident", cp949, agency=AGENCY, encoding="euc-kr")
    assert from_cp949.mapping["encoding"] == "cp949"
    assert from_cp949.mapping["columns"]["성명"] == "name"

    parquet = tmp_path / "copy.parquet"
    agency.write_parquet(parquet)
    from_parquet = reconcile_file(rec_db, "resident", parquet, agency=AGENCY)

    expected = utf8.results
    assert expected is not None
    for other in (from_cp949, from_parquet):
        assert other.outcomes == utf8.outcomes
        assert other.results is not None and other.results.equals(expected)
    assert set(utf8.mapping["fields_not_supplied"]) == set(SPEC.field_names) - set(KOREAN)


def test_explicit_mapping_file_maps_and_ignores_columns(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    agency = (
        snapshot.agency.select("rrn", "name", "birth_date")
        .rename({"rrn": "ID_NO", "name": "FULL_NM"})
        .with_columns(pl.lit("x").alias("REMARKS"))
    )
    copy = write(agency, tmp_path / "odd.csv")
    with pytest.raises(InvalidInput, match=r"'ID_NO'.*'FULL_NM'.*'REMARKS'.*ignore:"):
        reconcile_file(rec_db, "resident", copy, agency=AGENCY)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  ID_NO: rrn\n  FULL_NM: name\nignore:\n  - REMARKS\n")
    result = reconcile_file(rec_db, "resident", copy, agency=AGENCY, mapping_path=mapping)
    assert result.mapping["columns"] == {
        "ID_NO": "rrn",
        "FULL_NM": "name",
        "birth_date": "birth_date",
    }
    assert result.mapping["ignored"] == ["REMARKS"]
    assert result.mapping["mapping_entries_unused"] == []
    assert result.outcomes["match"] > 0.9 * agency.height
    # A typo in the mapping file is reported, not silently ignored.
    mapping.write_text("columns:\n  ID_NO: rrn\n  FULL_NM: name\n  FULL_NAME_HJ: name_hanja\n"
                       "ignore:\n  - REMARKS\n")
    typo = reconcile_file(rec_db, "resident", copy, agency=AGENCY, mapping_path=mapping)
    assert typo.mapping["mapping_entries_unused"] == ["FULL_NAME_HJ"]


def test_a_copy_without_the_key_still_links_on_other_fields(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    copy = write(snapshot.agency.drop("rrn"), tmp_path / "nokey.csv")
    result = reconcile_file(rec_db, "resident", copy, agency=AGENCY)
    assert "rrn" in result.mapping["fields_not_supplied"]
    linked = result.outcomes["match"] + result.outcomes["match_with_differences"]
    assert linked >= 0.9 * snapshot.agency.height


def _failed_cleanly(engine: Engine) -> str:
    run = rows(
        engine,
        "SELECT status, error, finished_at FROM reconciliation_run ORDER BY run_id DESC LIMIT 1",
    )[0]
    assert run["status"] == "failed" and run["finished_at"] is None
    assert count(engine, "SELECT count(*) FROM reconciliation_outcome") == 0
    assert count(engine, "SELECT count(*) FROM reconciliation_evidence") == 0
    assert count(engine, "SELECT count(*) FROM steward_item") == 0
    return str(run["error"])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("unknown.csv", "nickname,shoe_size\n홍길동,270\n", r"'nickname': matches no field"),
        ("empty.csv", "", r"is empty"),
        ("header_only.csv", "rrn,name\n", r"no data rows"),
        ("ragged.csv", "rrn,name\n1,2,3\n", r"malformed CSV"),
        (
            "dates.csv",
            "name,birth_date\n홍길동,sometime\n김철수,unknown\n",
            r"'birth_date'.*2 of 2",
        ),
        ("copy.xlsx", "rrn\n1\n", r"unknown file extension"),
    ],
)
def test_bad_files_fail_with_a_clear_error_and_store_nothing(
    rec_db: Engine, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        reconcile_file(rec_db, "resident", path, agency=AGENCY)
    if name.endswith(".csv"):  # a file the run accepted to read: recorded as failed
        assert re.search(message, _failed_cleanly(rec_db))
    else:  # refused before a run was recorded
        assert count(rec_db, "SELECT count(*) FROM reconciliation_run") == 0


def test_wrong_encoding_fails_cleanly(rec_db: Engine, snapshot: Snapshot, tmp_path: Path) -> None:
    utf8 = write(snapshot.agency.head(20).rename(KOREAN), tmp_path / "utf8.csv")
    with pytest.raises(InvalidInput, match="not valid CP949"):
        reconcile_file(rec_db, "resident", utf8, agency=AGENCY, encoding="cp949")
    assert "CP949" in _failed_cleanly(rec_db)


def test_a_failure_while_storing_leaves_no_rows(
    rec_db: Engine, snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(inbox, "record_run_items", broken)
    with pytest.raises(RuntimeError):
        reconcile_file(rec_db, "resident", snapshot.agency_file, agency=AGENCY)
    assert "disk full" in _failed_cleanly(rec_db)


def test_metrics_on_a_small_known_copy(rec_db: Engine, snapshot: Snapshot, tmp_path: Path) -> None:
    master = snapshot.master.filter(pl.col("status") == "alive").head(10)
    other_sex = pl.when(pl.col("sex") == "M").then(pl.lit("F")).otherwise(pl.lit("M"))
    first = master.with_columns(
        pl.when(pl.int_range(pl.len()) < 2).then(pl.lit("가나다")).otherwise("name").alias("name"),
        pl.when(pl.int_range(pl.len()) == 2).then(other_sex).otherwise("sex").alias("sex"),
    ).select("rrn", "name", "birth_date", "sex")
    run1 = reconcile_file(rec_db, "resident", write(first, tmp_path / "one.csv"), agency=AGENCY)
    assert run1.outcomes == {
        "match": 7,
        "match_with_differences": 3,
        "agency_only": 0,
        "ambiguous": 0,
        "master_only": snapshot.master.height - 10,
    }
    assert (run1.records_compared, run1.records_agreeing) == (10, 7)
    assert run1.field_agreement["name"] == {"compared": 10, "agreeing": 8}
    assert run1.field_agreement["sex"] == {"compared": 10, "agreeing": 9}
    assert run1.field_agreement["rrn"] == {"compared": 10, "agreeing": 10}
    assert run1.drift is None

    # second run: the name typos fixed, one record dropped, one stranger added
    stranger = pl.DataFrame(
        {"rrn": [None], "name": ["뷁뷁뷁"], "birth_date": ["1901-01-01"], "sex": ["M"]},
        schema=dict.fromkeys(first.columns, pl.String),
    )
    second = pl.concat(
        [
            master.select(first.columns)
            .slice(0, 9)
            .with_columns(
                pl.when(pl.int_range(pl.len()) == 2).then(other_sex).otherwise("sex").alias("sex")
            ),
            stranger,
        ]
    )
    run2 = reconcile_file(rec_db, "resident", write(second, tmp_path / "two.csv"), agency=AGENCY)
    assert run2.outcomes["match"] == 8 and run2.outcomes["match_with_differences"] == 1
    assert run2.outcomes["agency_only"] == 1
    drift = run2.drift
    assert drift is not None and drift["previous_run"] == run1.run_id
    # shares 0.7/0.3/0/0 -> 0.8/0.1/0.1/0: total variation 0.2
    assert drift["score"] == pytest.approx(0.2)
    assert drift["agreement_rate_change"] == pytest.approx(8 / 9 - 0.7, abs=1e-6)
    assert drift["field_agreement_change"]["name"] == pytest.approx(1.0 - 0.8)

    from reconciliation.metrics import accuracy

    with rec_db.connect() as conn:
        report = accuracy(conn, dataset="resident", agency=AGENCY)
    (entry,) = report["entries"]
    assert entry["latest"]["run_id"] == run2.run_id
    assert entry["drift"]["score"] == pytest.approx(0.2)
    assert [t["run_id"] for t in entry["trend"]] == [run2.run_id, run1.run_id]
    assert entry["latest"]["field_agreement"]["sex"]["rate"] == pytest.approx(8 / 9, abs=1e-6)
    with rec_db.connect() as conn:
        summary = service.run_summary(conn, run2.run_id)
    assert summary["drift"]["score"] == pytest.approx(0.2)
    assert summary["agreement_rate"] == pytest.approx(8 / 9, abs=1e-6)


def test_runs_of_one_agency_queue_and_unknown_inputs_are_refused(
    rec_db: Engine, snapshot: Snapshot
) -> None:
    with pytest.raises(InvalidInput, match="agency code"):
        reconcile_file(rec_db, "resident", snapshot.agency_file, agency="no good")
    with pytest.raises(Exception, match="unknown dataset"):
        reconcile_file(rec_db, "nope", snapshot.agency_file, agency=AGENCY)
    run_id = service.create_run(rec_db, "resident", AGENCY, "x.csv")
    service.execute_run(rec_db, run_id, snapshot.agency_file)
    with pytest.raises(InvalidInput, match="not queued"):
        service.execute_run(rec_db, run_id, snapshot.agency_file)
    with rec_db.connect() as conn:
        assert (
            conn.execute(
                text("SELECT status FROM reconciliation_run WHERE run_id = :r"), {"r": run_id}
            ).scalar_one()
            == "finished"
        )
