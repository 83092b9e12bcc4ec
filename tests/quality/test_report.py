"""The inspector report: self-contained HTML, every dataset, charts, masked identifiers."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from entities.masking import mask
from entities.registry import DATASETS
from mdr.quality.charts import line_chart
from mdr.quality.report import build_report
from mdr.quality.runner import run_checks
from tests.quality.world import World


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


@pytest.mark.db
def test_report_is_self_contained_and_masks_identifiers(session: Session, world: World) -> None:
    run_checks(session)
    session.execute(text("UPDATE resident SET name = '' WHERE rrn IN "
                         "(SELECT rrn FROM resident ORDER BY rrn LIMIT 3)"))
    session.execute(text("UPDATE licence SET licence_kind = 'lorry' WHERE licence_no = "
                         "(SELECT min(licence_no) FROM licence)"))
    run_checks(session)
    html = build_report(session)

    for name in DATASETS:
        assert name in html
        assert f'id="trend-{name}"' in html
    assert html.count("<svg") >= len(DATASETS) + 1
    assert "<polyline" in html  # two runs make lines, not just dots
    assert "resident.required.name" in html
    assert "No reconciliation runs yet" in html and "아직 대사 실행 기록이 없습니다" in html

    # personal identifiers appear only masked
    for record in world.records["resident"]:
        assert record["rrn"] not in html
    for record in world.records["licence"]:
        assert record["licence_no"] not in html
    failing_rrns = sorted(r["rrn"] for r in world.records["resident"])[:3]
    assert all((mask(rrn) or '-') in html for rrn in failing_rrns)

    # no network: no scripts, stylesheets or images to fetch
    parser = _Tags()
    parser.feed(html)
    assert not {"script", "link", "img", "iframe"} & set(parser.tags)
    assert not re.search(r"""(src|href)\s*=\s*["']https?:""", html)


@pytest.mark.db
def test_report_of_an_empty_history(session: Session) -> None:
    html = build_report(session)
    assert "No check runs yet" in html
    assert all(name in html for name in DATASETS)


def test_line_chart_is_valid_svg_over_time() -> None:
    t0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    hours = [t0 + dt.timedelta(hours=h) for h in range(4)]
    svg = line_chart({"timeliness": [(h, 1.0) for h in hours],
                      "validity": [(hours[0], 0.5), (hours[3], 0.25)],
                      "accuracy": [(hours[2], 0.0)]},
                     title="x < y & z", tz=dt.UTC)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    polylines = root.findall(f"{ns}polyline")
    assert len(polylines) == 2  # a one-point series is a dot only
    validity = polylines[0].get("points", "").split()  # drawn in COLOURS order
    assert len(validity) == 2  # nightly points join across the hourly runs between them
    assert float(validity[0].split(",")[0]) == 40.0  # the first moment at the left edge
    assert len(root.findall(f"{ns}circle")) == 7
    assert "11-01 00:00" in svg and "11-01 03:00" in svg


def test_empty_chart_says_so() -> None:
    svg = line_chart({}, title="nothing")
    ET.fromstring(svg)
    assert "no check runs yet" in svg
