"""The statistics pages: the table, the cases behind a figure (confidential ones counted, not listed), Excel."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.factories import client_for, register
from xinfang.analytics.services import recompute
from xinfang.org.models import Role

from .world import World, build, day, on

pytestmark = pytest.mark.django_db
SPRING = {"start": "2026-04-01", "end": "2026-06-30"}
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def world() -> World:
    w = build()
    # An accusation registered at the same organ in March: confidential (Art. 30(3)).
    register(
        w.city,
        w.city.county_housing,
        when="2026-03-10",
        name="丙某某",
        accusation=True,
        request="检举某工作人员收受好处费",
    )
    with on("2026-06-10"):
        recompute(day("2026-03-01"), day("2026-06-30"))
    return w



def test_the_analyst_sees_the_indicator_table_with_links(world: World) -> None:
    analyst = client_for(world.city.who(world.city.county_bureau, Role.ANALYST))
    page = analyst.get("/work/statistics/", SPRING).content.decode()
    row = page.split('data-indicator="on_time_conclusion"')[1].split("</tr>")[0]
    # Hand count in test_world.py: 2 of 4 handling periods met on time; Wilson 95% interval 15.0%–85.0%.
    assert ">2</a>" in row and ">4</a>" in row and "50.00%" in row and "15.0%–85.0%" in row
    assert "样本少" in row  # 4 cases: marked
    # Wilson by hand: p=0.5, n=4, z=1.96: (0.5 + 0.4802 ± 1.96·√(0.0625 + 0.0600)) / 1.9604 = 0.150, 0.850.
    assert "/work/statistics/on_time_conclusion/denominator/?" in row
    assert "vendor/echarts/echarts.common.min.js" in page


def test_the_cases_behind_a_figure_hide_the_confidential_accusation(world: World) -> None:
    analyst = client_for(world.city.who(world.city.county_bureau, Role.ANALYST))
    page = analyst.get("/work/statistics/repeat_petition/denominator/", MARCH).content.decode()
    # March petitions: A, B, C, D and the accusation = 5; the 县信访局 may read the first four only.
    for case in (world.a, world.b, world.c, world.d):
        assert case.petition.number in page
    assert "另有 1 件计入本数" in page and "收受好处费" not in page and "丙某某" not in page
    late = analyst.get("/work/statistics/on_time_conclusion/numerator/", SPRING).content.decode()
    assert world.a.petition.number in late and world.b.petition.number not in late  # B was never on time


def test_the_late_cases_behind_on_time_conclusion(world: World) -> None:
    analyst = client_for(world.city.who(world.city.county_bureau, Role.ANALYST))
    page = analyst.get("/work/statistics/", SPRING).content.decode()
    row = page.split('data-indicator="on_time_conclusion"')[1].split("</tr>")[0]
    assert "未按期 2 件" in row and "/work/statistics/on_time_conclusion/late/?" in row
    late = analyst.get("/work/statistics/on_time_conclusion/late/", SPRING).content.decode()
    # Hand count (test_world.py): B (never concluded) and D (05-08, after May 6) were late; A and C on time.
    for case, shown in ((world.b, True), (world.d, True), (world.a, False), (world.c, False)):
        assert (case.petition.number in late) is shown, case.petition.number
    assert "其中未在法定最后一日以前完成的" in late
    # A count indicator has no late part.
    assert analyst.get("/work/statistics/repeat_petition/late/", SPRING).status_code == 404


def test_the_excel_export_holds_the_same_numbers_and_the_filters(world: World) -> None:
    analyst = client_for(world.city.who(world.city.county_bureau, Role.ANALYST))
    response = analyst.get("/work/statistics/export.xlsx", {**SPRING, "channel": "visit"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][:2] == ["统计期间", "2026-04-01至2026-06-30"] and rows[5][:2] == ["渠道", "来访"]
    on_time = next(r for r in rows if r[0] == "按期办结率" and not r[1])
    assert on_time[2:5] == [2, 4, 50.0]


def test_only_analysts_leaders_supervisors_and_administrators_see_statistics(world: World) -> None:
    clerk = client_for(world.city.who(world.city.county_housing, Role.REGISTRAR))
    assert clerk.get("/work/statistics/", SPRING).status_code == 403
    assert clerk.get("/work/statistics/export.xlsx", SPRING).status_code == 403


def test_a_bad_period_is_refused_naming_the_field(world: World) -> None:
    analyst = client_for(world.city.who(world.city.county_bureau, Role.ANALYST))
    page = analyst.get("/work/statistics/", {"start": "2026-06-30", "end": "2026-04-01"}).content.decode()
    assert "「截止日期」不得早于「起始日期」" in page
