"""The inspector report: one self-contained HTML file (``mdr report --out FILE.html``).

It shows the scorecards per owning agency and per dataset, trend charts per
dataset and DAMA dimension, the worst rules with their sample keys (personal
identifiers masked) and the reconciliation accuracy per agency. CSS is inline
and charts are SVG generated in :mod:`mdr.quality.charts`: the file needs no
network to open, prints, and can be archived as the record of an inspection.
Headings are Korean with English alongside.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from html import escape
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from entities.registry import DATASETS
from mdr.quality import charts
from mdr.quality.models import DIMENSIONS
from mdr.quality.rules import all_rules
from mdr.quality.scorecards import (
    Tally,
    accuracy,
    runs,
    scorecards,
    trend,
    worst_rules,
)
from mdr.timezone import SEOUL

SAMPLES_SHOWN = 10
RUNS_LISTED = 15

DIMENSION_KO = {
    "completeness": "완전성", "validity": "유효성", "uniqueness": "유일성",
    "consistency": "일관성", "timeliness": "적시성", "accuracy": "정확성",
}  # fmt: skip


def _template() -> Template:
    return Template(resources.files("mdr.quality").joinpath("report.html").read_text("utf-8"))


def _kst(value: str | dt.datetime | None) -> str:
    if value is None:
        return "—"
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M KST")


def _pct(rate: float | None, digits: int = 1) -> str:
    return "—" if rate is None else f"{rate * 100:.{digits}f}%"


def _tone(rate: float | None) -> str:
    if rate is None:
        return "na"
    return "good" if rate >= 0.99 else "warn" if rate >= 0.9 else "bad"


def _rate_cell(stats: dict[str, Any]) -> str:
    rate = stats["pass_rate"]
    if rate is None:
        return '<td class="num na">—</td>'
    return (f'<td class="num {_tone(rate)}">{_pct(rate)}<br>'
            f'<span class="na">{stats["rules_passed"]}/{stats["rules_run"]}</span></td>')


def _error_cell(stats: dict[str, Any]) -> str:
    rate = stats["error_rate"]
    tone = "na" if rate is None else _tone(1 - rate)
    return f'<td class="num {tone}">{_pct(rate, 3)}</td>'


def _dimension_headers() -> str:
    return "".join(
        f'<th class="num">{DIMENSION_KO[d]}<br><span class="en">{d}</span></th>'
        for d in DIMENSIONS
    )


def _scorecard_rows(entries: list[dict[str, Any]], first_cells: list[str]) -> str:
    rows = []
    for entry, first in zip(entries, first_cells, strict=True):
        overall = entry["overall"]
        rows.append(
            f"<tr>{first}"
            + "".join(_rate_cell(entry["dimensions"][d]) for d in DIMENSIONS)
            + _rate_cell(overall).replace("</td>", charts.bar(overall["pass_rate"]) + "</td>")
            + _error_cell(overall)
            + f'<td class="num">{overall["failing_rows"]:,}<br>'
            f'<span class="na">of {overall["checked_rows"]:,}</span></td>'
            + "</tr>"
        )
    return "".join(rows)


def _agency_table(cards: dict[str, Any]) -> str:
    firsts = [
        f"<td class='first'><b>{escape(a['agency'])}</b> {escape(a['name_ko'])}<br>"
        f'<span class="en">{escape(a["name_en"])}</span><br>'
        f'<span class="keys">{escape(", ".join(a["datasets"]))}</span></td>'
        for a in cards["agencies"]
    ]
    return (
        "<table><thead><tr><th>기관 <span class='en'>agency</span></th>"
        + _dimension_headers()
        + '<th class="num">전체 <span class="en">overall</span></th>'
        '<th class="num">오류율 <span class="en">error rate</span></th>'
        '<th class="num">실패 행 <span class="en">failing rows</span></th></tr></thead><tbody>'
        + _scorecard_rows(cards["agencies"], firsts)
        + "</tbody></table>"
    )


def _dataset_table(cards: dict[str, Any]) -> str:
    firsts = [
        f"<td class='first'><b>{escape(d['dataset'])}</b> {escape(d['label_ko'])}<br>"
        f'<span class="en">{escape(d["label_en"])} · {escape(d["owner"])} · checked '
        f"{escape(_kst(d['last_checked_at']))}</span></td>"
        for d in cards["datasets"]
    ]
    return (
        "<table><thead><tr><th>데이터셋 <span class='en'>dataset</span></th>"
        + _dimension_headers()
        + '<th class="num">전체 <span class="en">overall</span></th>'
        '<th class="num">오류율 <span class="en">error rate</span></th>'
        '<th class="num">실패 행 <span class="en">failing rows</span></th></tr></thead><tbody>'
        + _scorecard_rows(cards["datasets"], firsts)
        + "</tbody></table>"
    )


def _series(points: list[dict[str, Any]]) -> dict[str, list[tuple[dt.datetime, float]]]:
    """Rule pass rate per dimension over the runs that checked it."""
    tallies: dict[tuple[str, int], Tally] = defaultdict(Tally)
    when: dict[int, dt.datetime] = {}
    for p in points:
        tallies[(p["dimension"], p["run_id"])].merge(Tally(
            p["rules_passed"], p["rules_failed"], p["rules_no_data"], p["rules_error"],
            p["checked_rows"], p["failing_rows"],
        ))
        when[p["run_id"]] = dt.datetime.fromisoformat(p["finished_at"])
    series: dict[str, list[tuple[dt.datetime, float]]] = defaultdict(list)
    for (dimension, run_id), tally in tallies.items():
        if tally.rules_run:
            series[dimension].append((when[run_id], tally.rules_passed / tally.rules_run))
    return {d: sorted(series[d]) for d in DIMENSIONS if d in series}


def _trend_charts(points: list[dict[str, Any]]) -> tuple[str, str]:
    """(national chart, one chart per dataset)."""
    national = charts.line_chart(
        _series(points), width=1200, height=220, tz=SEOUL,
        title="전체 규칙 통과율 추이 · National rule pass rate by dimension (KST)",
    )
    by_dataset: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in points:
        by_dataset[p["dataset"]].append(p)
    boxes = []
    for spec in DATASETS.values():
        chart = charts.line_chart(
            _series(by_dataset.get(spec.name, [])), tz=SEOUL,
            title=f"{spec.name} · {spec.label_ko} ({spec.owner.code})",
        )
        boxes.append(f'<div class="chart-box" id="trend-{spec.name}">{chart}</div>')
    return national, "".join(boxes)


def _samples(keys: list[str]) -> str:
    shown = ", ".join(escape(k) for k in keys[:SAMPLES_SHOWN])
    more = len(keys) - SAMPLES_SHOWN
    return shown + (f" … +{more}" if more > 0 else "")


def _worst_table(worst: list[dict[str, Any]]) -> str:
    if not worst:
        return "<p>실패한 규칙이 없습니다. <span class='en'>No rule is failing.</span></p>"
    rows = "".join(
        f"<tr><td><code>{escape(w['rule_id'])}</code><br>"
        f"<span class='en'>{escape(w['description'])}</span></td>"
        f"<td>{escape(w['dataset'])}<br><span class='en'>{escape(w['owner'])}</span></td>"
        f"<td>{DIMENSION_KO[w['dimension']]}<br><span class='en'>{w['dimension']}</span></td>"
        f"<td class='sev-{w['severity']}'>{w['severity']}</td>"
        f"<td class='num'>{w['failing_rows']:,} / {w['checked_rows']:,}</td>"
        f"<td class='num'>{_pct(w['error_rate'], 3)}</td>"
        f"<td class='keys'>{_samples(w['sample_keys'])}</td></tr>"
        for w in worst
    )
    return (
        "<table><thead><tr><th>규칙 <span class='en'>rule</span></th><th>dataset</th>"
        "<th>dimension</th><th>severity</th><th class='num'>failing / checked</th>"
        "<th class='num'>error rate</th><th>sample keys (masked)</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _accuracy_section(acc: dict[str, Any]) -> str:
    if not acc["available"] or not acc["agencies"]:
        return ("<p>아직 대사 실행 기록이 없습니다. <span class='en'>No reconciliation runs "
                "yet: accuracy appears here once agency copies have been reconciled against "
                "the master.</span></p>")
    rows = []
    for agency in acc["agencies"]:
        for entry in agency["datasets"]:
            weakest = sorted(
                ((f, r) for f, r in entry["fields"].items() if r is not None),
                key=lambda fr: fr[1],
            )[:3]
            fields = ", ".join(f"{escape(f)} {_pct(r)}" for f, r in weakest) or "—"
            rows.append(
                f"<tr><td><b>{escape(agency['agency'])}</b> {escape(agency['name_ko'])}</td>"
                f"<td>{escape(entry['dataset'])}</td>"
                f"<td class='num'>{entry['records_agreeing']:,} / "
                f"{entry['records_compared']:,}</td>"
                f"<td class='num {_tone(entry['agreement_rate'])}'>"
                f"{_pct(entry['agreement_rate'], 2)}</td>"
                f"<td>{fields}</td><td>{escape(_kst(entry['finished_at']))}</td></tr>"
            )
    return (
        "<table><thead><tr><th>기관 <span class='en'>agency</span></th><th>dataset</th>"
        "<th class='num'>agreeing / compared records</th><th class='num'>agreement</th>"
        "<th>least agreeing fields</th><th>latest run</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _runs_table(run_list: list[dict[str, Any]]) -> str:
    if not run_list:
        return "<p>점검 실행 기록이 없습니다. <span class='en'>No check runs yet.</span></p>"
    rows = []
    for r in reversed(run_list):
        started = dt.datetime.fromisoformat(r["started_at"])
        finished = dt.datetime.fromisoformat(r["finished_at"])
        scope = ", ".join(f"{k}={v}" for k, v in (r["scope"] or {}).items()) or "all rules"
        rows.append(
            f"<tr><td class='num'>{r['run_id']}</td><td>{escape(r['triggered_by'])}</td>"
            f"<td class='keys'>{escape(scope)}</td><td>{escape(_kst(started))}</td>"
            f"<td class='num'>{(finished - started).total_seconds():.1f} s</td>"
            f"<td class='num'>{r['rules_run']}</td><td class='num'>{r['rules_failed']}</td></tr>"
        )
    return (
        "<table><thead><tr><th class='num'>run</th><th>trigger</th><th>scope</th>"
        "<th>started</th><th class='num'>duration</th><th class='num'>rules</th>"
        f"<th class='num'>failed</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def build_report(
    session: Session, *, run_limit: int = 30, worst: int = 25, now: dt.datetime | None = None
) -> str:
    """The report as one HTML document."""
    cards = scorecards(session)
    run_list = runs(session, RUNS_LISTED)
    national_chart, trend_charts = _trend_charts(trend(session, limit=run_limit))
    overall = cards["overall"]
    generated = now or dt.datetime.now(dt.UTC)
    failing_rules = overall["rules_failed"]
    card_items = [
        ("규칙 통과율 · rule pass rate", _pct(overall["pass_rate"]), _tone(overall["pass_rate"])),
        ("행 기준 통과율 · row pass rate", _pct(overall["row_pass_rate"], 3),
         _tone(overall["row_pass_rate"])),
        ("실패 규칙 · failing rules", f"{failing_rules} / {overall['rules_run']}",
         "good" if not failing_rules else "bad"),
        ("실패 행 · failing rows", f"{overall['failing_rows']:,}", ""),
        ("점검 규칙 · rules in catalogue", f"{cards['rules_in_catalogue']}", ""),
    ]
    html_cards = "".join(
        f'<div class="card"><div class="value {tone}">{escape(value)}</div>'
        f'<div class="label">{escape(label)}</div></div>'
        for label, value, tone in card_items
    )
    meta = (
        f"생성 {escape(_kst(generated))} · latest results as of {escape(_kst(cards['as_of']))}"
        f" · trends over the last {run_limit} runs of each dataset and dimension"
        f" · {len(DATASETS)} datasets, {len(all_rules())} rules"
    )
    rates_note = (
        "Pass rate = rules passing / rules run (rules with nothing to check are not counted); "
        "error rate = failing rows / checked rows over all rules run; from the latest result "
        "of each rule."
    )
    footer = (
        "Integrity checks run inside PostgreSQL as set-based SQL; only counts and at most 50 "
        "sample keys per rule leave the database (mdr, National Master Data Repository)."
    )
    return _template().substitute(
        title="국가 마스터데이터 품질 점검 보고서 · National Master Data Quality Report",
        meta=meta, cards=html_cards, national_chart=national_chart, rates_note=rates_note,
        agency_table=_agency_table(cards), dataset_table=_dataset_table(cards),
        run_count=str(run_limit), trend_charts=trend_charts,
        worst_table=_worst_table(worst_rules(session, worst)),
        accuracy=_accuracy_section(accuracy(session)), runs_table=_runs_table(run_list),
        footer=footer,
    )


def write_report(
    session: Session, out: Path, *, run_limit: int = 30, worst: int = 25
) -> dict[str, Any]:
    """Write the report to ``out``; return where and how big."""
    document = build_report(session, run_limit=run_limit, worst=worst)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(document, encoding="utf-8")
    stored = session.execute(text("SELECT count(*) FROM check_run")).scalar_one()
    return {"path": str(out), "bytes": len(document.encode("utf-8")), "runs": stored}
