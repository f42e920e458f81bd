"""The risk board's pages: who may open them, one line per topic, the analyst's confirmation drafting the notice."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from tests.factories import at, build_city, register, staff
from xinfang.documents import services as documents
from xinfang.documents.models import Document
from xinfang.org.models import Role, Staff
from xinfang.warning import services

from .helpers import burst

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 30)


def _client(person: Staff) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_the_board_lists_a_topic_once_and_only_for_supervisors_analysts_and_leaders() -> None:
    city = build_city()
    for n in range(5):
        register(
            city, when=(DAY - dt.timedelta(days=n)).isoformat(), request="幸福花园小区电梯停运", contact=f"138{n:08d}"
        )
    services.detect(city.bureau, DAY - dt.timedelta(days=1))
    services.detect(city.bureau, DAY)
    with time_machine.travel(at(DAY.isoformat(), 23), tick=False):
        page = _client(staff(city.bureau, Role.SUPERVISOR)).get("/work/warning/").content.decode()
        assert page.count(">幸福花园</a>") == 1
        assert _client(staff(city.bureau, Role.REGISTRAR)).get("/work/warning/").status_code == 403
        assert (
            _client(staff(city.county_bureau, Role.ANALYST)).get("/work/warning/").content.decode().count("幸福花园")
            == 0
        )  # another organ's alert


def test_the_analyst_confirms_on_the_page_and_the_notice_is_drafted_issued_and_replied() -> None:
    city = build_city()
    burst(city, DAY)
    (alert,) = services.detect(city.bureau, DAY)
    analyst = staff(city.bureau, Role.ANALYST)  # the 预警提示函 is the analysts' document
    client = _client(analyst)
    with time_machine.travel(at(DAY.isoformat(), 23), tick=False):
        detail = client.get(f"/work/warning/{alert.pk}/").content.decode()
        assert "确认并起草预警提示函" in detail and "新增信访人" in detail  # the factors with their weights
        response = client.post(f"/work/warning/{alert.pk}/conclude/", {"action": "confirm", "reason": "呈上升态势"})
        assert response.status_code == 302
        (document,) = Document.objects.filter(kind="warning_notice", organ=city.bureau)
        refused = client.post(f"/work/warning/{alert.pk}/issue/", follow=True).content.decode()
        assert "审核签发" in refused  # not before the bureau's head approves
        documents.approve(document, staff(city.bureau, Role.APPROVER))
        issued = client.post(f"/work/warning/{alert.pk}/issue/", follow=True).content.decode()
        assert "书面反馈期满日：2026年4月29日" in issued  # 3-30 + 30 days (recommendation_reply)
    department = _client(staff(city.county_housing, Role.HANDLER))
    with time_machine.travel(at("2026-04-02"), tick=False):
        page = department.get("/work/warning/notices/").content.decode()
        assert "幸福花园" in page and "2026年4月29日" in page and "超期" not in page
        assert "13800000000" not in page and "王某某" not in page
        department.post(f"/work/warning/notices/{alert.pk}/reply/", {"text": "已组织维修，电梯恢复运行"})
    alert.refresh_from_db()
    assert alert.reply_text == "已组织维修，电梯恢复运行"
    with time_machine.travel(at("2026-04-02"), tick=False):
        board = _client(staff(city.bureau, Role.SUPERVISOR)).get("/work/warning/").content.decode()
    assert "已反馈（2026-04-02）" in board


def test_an_overdue_reply_shows_on_the_board_and_to_the_organ() -> None:
    city = build_city()
    burst(city, DAY)
    (alert,) = services.detect(city.bureau, DAY)
    analyst = staff(city.bureau, Role.ANALYST, Role.HANDLER)
    document = services.confirm(alert, analyst, now=at(DAY.isoformat(), 9))
    documents.approve(document, staff(city.bureau, Role.APPROVER), now=at(DAY.isoformat(), 10))
    alert.refresh_from_db()
    services.issue_notice(alert, analyst, now=at(DAY.isoformat(), 11))
    services.flag_overdue_replies(dt.date(2026, 4, 30))
    with time_machine.travel(at("2026-04-30"), tick=False):
        board = _client(staff(city.bureau, Role.SUPERVISOR)).get("/work/warning/").content.decode()
        notices = _client(staff(city.county_housing, Role.LEADER)).get("/work/warning/notices/").content.decode()
    assert "超期未反馈" in board and "超期未反馈" in notices


def test_the_board_shows_a_weak_signal_with_its_factors_and_exports_every_table() -> None:
    city = build_city()
    burst(city, DAY, n=1)
    for k in (1, 2):
        register(city, when=(DAY - dt.timedelta(days=k)).isoformat(), request="幸福花园小区电梯停运",
                 contact=f"139{k:08d}", collective=True, headcount=9)  # fmt: skip
    services.detect(city.bureau, DAY)
    client = _client(staff(city.bureau, Role.ANALYST))
    with time_machine.travel(at(DAY.isoformat(), 23), tick=False):
        board = client.get("/work/warning/").content.decode()
        export = client.get("/work/warning/export.xlsx")
    assert "上升中的问题" in board and "集体访 2×2.0" in board
    assert "甲县" in board  # the region table names the region, never its code
    assert "990102" not in board
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["今日预警", "上升中的问题", "预警提示函", "地区", "类别趋势", "地区趋势", "每日件数"]
    assert [c.value for c in book["上升中的问题"][2]][:5] == ["幸福花园", "弱信号", "西地市信访局", 3, 3]
    assert [c.value for c in book["地区"][2]] == ["甲县", 3, 0, 12.0]
