"""月报 / 季报: the figures of the hand-built world (counts in test_world.py) against the previous quarter and the
same quarter last year; requested on the page, built by the task with its progress, downloaded as DOCX and PDF."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from docx import Document as open_docx

from xinfang.analytics.models import Report, ReportStatus
from xinfang.analytics.report import build_content, period_of
from xinfang.analytics.services import recompute
from xinfang.audit.models import Event
from xinfang.org.models import Role

from .world import World, build, day, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    w = build()
    recompute(day("2025-04-01"), day("2026-06-30"), today=day("2026-07-02"))
    return w


def test_periods_by_hand() -> None:
    assert period_of("quarterly", 2026, 2) == (day("2026-04-01"), day("2026-06-30"))
    assert period_of("quarterly", 2026, 4) == (day("2026-10-01"), day("2026-12-31"))
    assert period_of("monthly", 2026, 2) == (day("2026-02-01"), day("2026-02-28"))
    assert period_of("monthly", 2024, 12) == (day("2024-12-01"), day("2024-12-31"))


def test_the_quarterly_figures_against_the_previous_quarter_and_last_year(world: World) -> None:
    content = build_content("quarterly", 2026, 2, world.city.county_gov)
    assert content.title == f"{world.city.county_gov.name}信访工作统计季报" and content.period == "2026年第二季度"
    # Petitions: E in Q2; A–D in Q1 (March); none a year earlier.
    assert content.petitions == (1, 4, 0)
    rows = {h.name: h for h in content.headline}
    on_time = rows["按期办结率"]
    # Q2: 2 of 4 handling periods met on time (test_world.py); Q1 none fell due; Q2 2025 nothing.
    assert (on_time.now.numerator, on_time.now.denominator) == (2, 4)
    assert on_time.before.denominator == 0 and on_time.before.value is None and on_time.last_year.value is None
    # 及时受理率: Q1 3 of 4 receipt notices in time; Q2 E's notice never served, due 06-01 -> 0 of 1.
    timely = rows["及时受理率"]
    assert (timely.before.numerator, timely.before.denominator) == (3, 4)
    assert (timely.now.numerator, timely.now.denominator) == (0, 1)
    assert timely.change(timely.now, timely.before) == pytest.approx(-75.0)
    changed = rows["复查复核改变率"]
    assert (changed.now.numerator, changed.now.denominator) == (1, 1)
    # Overdue by duty in Q2: 2 handling periods (B, D), 1 receipt notice (E).
    titles = dict(content.overdue)
    assert sorted(titles.values()) == [1, 2]
    # Ratings in Q2: A 满意, D 不满意; D's 回访 recorded.
    assert content.ratings == (2, 1, 1)
    # The only category registered: all 1 of Q2's petitions.
    assert [(n, k) for n, k, _ in content.categories] == [(content.categories[0][0], 1)]
    # The county government's departments: 甲县住房和城乡建设局 with 1 petition and 2 of 4 on time.
    name, petitions, figure = content.organs[0]
    assert (name, petitions, figure.numerator, figure.denominator) == (world.city.county_housing.name, 1, 2, 4)


def test_the_page_requests_the_report_the_task_builds_it_with_progress_and_both_files_download(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    analyst = world.city.who(world.city.county_bureau, Role.ANALYST)
    client = Client()
    client.force_login(analyst.user)
    with on("2026-07-02"):
        page = client.get("/work/statistics/reports/").content.decode()
        assert 'value="2026"' in page  # last quarter by default: 2026 Q2
        bad = client.post("/work/statistics/reports/", {"kind": "quarterly", "year": "2026", "number": "5"})
        assert bad.status_code == 400 and "「季度」须为1至4" in bad.content.decode()
        with django_capture_on_commit_callbacks(execute=False) as queued:  # type: ignore[operator]
            response = client.post(
                "/work/statistics/reports/",
                {"kind": "quarterly", "year": "2026", "number": "2", "organ": world.city.county_gov.pk},
            )
    assert response.status_code == 302 and len(queued) == 1  # the task is enqueued once the request commits
    report = Report.objects.get()
    assert report.status == ReportStatus.QUEUED and Event.objects.filter(action="request_report").exists()
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="progress"' in page and "排队中" in page and "analytics/report_progress.js" in page
    assert client.get(f"/work/statistics/reports/{report.pk}/report.pdf").status_code == 404  # not yet built

    from xinfang.analytics.tasks import build_report_task

    build_report_task.call(report.pk)  # what the worker runs (the browser test runs the real worker)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.percent == 100
    progress = client.get(f"/work/statistics/reports/{report.pk}/progress/").json()
    assert progress["status"] == "done" and progress["percent"] == 100

    docx = client.get(f"/work/statistics/reports/{report.pk}/report.docx")
    text = "\n".join(p.text for p in open_docx(io.BytesIO(docx.content)).paragraphs)
    assert "信访工作统计季报" in text and "（2026年第二季度）" in text
    assert "一、总体情况" in text and "六、群众评价" in text
    assert "共登记信访事项1件，上季度4件，去年同期0件" in text
    tables = open_docx(io.BytesIO(docx.content)).tables
    headline = {row.cells[0].text: [c.text for c in row.cells] for row in tables[0].rows}
    assert headline["按期办结率"][:3] == ["按期办结率", "50.00%", "2/4"]
    assert headline["及时受理率"][5] == "-75.00个百分点"
    pdf = client.get(f"/work/statistics/reports/{report.pk}/report.pdf")
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    from pdfminer.high_level import extract_text

    words = re.sub(r"\s+", "", extract_text(io.BytesIO(pdf.content)))
    assert "信访工作统计季报（2026年第二季度）" in words and "按期办结率" in words and "50.00%" in words


def test_a_report_of_another_subtree_is_not_found(world: World) -> None:
    analyst = world.city.who(world.city.county_bureau, Role.ANALYST)
    report = Report.objects.create(
        kind="monthly",
        year=2026,
        number=5,
        root=world.city.gov,
        requested_by=world.city.who(world.city.gov, Role.ANALYST),
        requested_at=world.a.received_at,
    )
    client = Client()
    client.force_login(analyst.user)
    assert client.get(f"/work/statistics/reports/{report.pk}/").status_code == 404
