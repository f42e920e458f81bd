"""The analyst's conclusion, the 预警提示函 and the responsible organ's written reply with its deadline.

The reply period is the rule `recommendation_reply` (非法定，可配置): 30 calendar days from the day of
issue, moved to the next working day when it ends on a holiday (default calendar of the test database: none).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories import City, at, build_city, staff
from xinfang.audit.models import Event
from xinfang.documents import services as documents
from xinfang.documents.models import Status as DocumentStatus
from xinfang.org.models import Role
from xinfang.warning import services
from xinfang.warning.models import Alert, Status

from .helpers import burst

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 30)


def _alert() -> tuple[Alert, City]:
    city = build_city()
    burst(city, DAY)
    (alert,) = services.detect(city.bureau, DAY, now=at(DAY.isoformat(), 23))
    return alert, city


def test_a_dismissal_without_a_reason_is_refused() -> None:
    alert, city = _alert()
    analyst = staff(city.bureau, Role.ANALYST)
    with pytest.raises(services.WarningRefused, match="研判理由"):
        services.dismiss(alert, analyst, "  ")
    services.dismiss(alert, analyst, "已由物业公司修复，属个别现象")
    alert.refresh_from_db()
    assert (alert.status, alert.reason) == (Status.DISMISSED, "已由物业公司修复，属个别现象")
    assert Event.objects.filter(action="dismissed_warning", payload__alert=alert.pk).count() == 1
    with pytest.raises(services.WarningRefused, match="已排除"):
        services.dismiss(alert, analyst, "再次排除")


def test_confirming_drafts_a_notice_to_the_department_about_the_problem_and_its_duty() -> None:
    alert, city = _alert()
    analyst = staff(city.bureau, Role.ANALYST, Role.HANDLER)
    document = services.confirm(alert, analyst, "多人反映，呈上升态势", now=at(DAY.isoformat(), 23))
    assert (document.kind, document.status, document.organ) == ("warning_notice", DocumentStatus.DRAFT, city.bureau)
    assert document.content["receiving_organ"] == "甲县住房和城乡建设局"
    assert "幸福花园" in document.content["problem"]
    assert "4件" in document.content["trend"] and "4人" in document.content["trend"]
    assert "源头" in document.content["duty"]
    assert "30日内" in document.content["reply_deadline"]  # recommendation_reply: 30 calendar days
    assert "13800000000" not in str(document.content) and "王某某" not in str(document.content)
    alert.refresh_from_db()
    assert (alert.status, alert.addressee, alert.notice) == (Status.CONFIRMED, city.county_housing, document)


def test_staff_of_another_organ_or_without_the_analyst_role_cannot_conclude() -> None:
    alert, city = _alert()
    with pytest.raises(services.WarningRefused, match="西地市信访局的分析员"):
        services.dismiss(alert, staff(city.county_bureau, Role.ANALYST), "不是本地问题")
    with pytest.raises(services.WarningRefused, match="分析员"):
        services.dismiss(alert, staff(city.bureau, Role.SUPERVISOR), "不是本地问题")


def _issued(alert: Alert, city: City, on: dt.date) -> Alert:
    analyst = staff(city.bureau, Role.ANALYST, Role.HANDLER)
    document = services.confirm(alert, analyst, "呈上升态势", now=at(on.isoformat(), 9))
    documents.approve(document, staff(city.bureau, Role.APPROVER), now=at(on.isoformat(), 10))
    alert.refresh_from_db()
    return services.issue_notice(alert, analyst, now=at(on.isoformat(), 11))


def test_issuing_starts_the_reply_period_and_the_department_replies_in_time() -> None:
    alert, city = _alert()
    alert = _issued(alert, city, dt.date(2026, 3, 31))
    assert alert.notice is not None and alert.notice.number  # numbered by the documents app
    assert alert.reply_due == dt.date(2026, 4, 30)  # 3-31 + 30 calendar days
    assert not alert.reply_due_provisional  # 2026's holiday arrangement is loaded
    assert Event.objects.filter(action="issue_warning_notice", payload__reply_due="2026-04-30").count() == 1
    with pytest.raises(services.WarningRefused, match="主送机关"):
        services.record_reply(alert, staff(city.housing, Role.HANDLER), "已处理")
    department = staff(city.county_housing, Role.LEADER)
    with pytest.raises(services.WarningRefused, match="书面反馈"):
        services.record_reply(alert, department, " ")
    services.record_reply(alert, department, "已成立专班，电梯于4月20日恢复运行", now=at("2026-04-28"))
    alert.refresh_from_db()
    assert alert.reply_text.startswith("已成立专班") and alert.replied_by == department
    assert Event.objects.get(action="reply_warning_notice").payload["late"] is False
    assert services.flag_overdue_replies(dt.date(2026, 5, 10)) == 0


def test_no_reply_after_the_last_day_is_flagged_once() -> None:
    alert, city = _alert()
    _issued(alert, city, dt.date(2026, 3, 31))
    assert services.flag_overdue_replies(dt.date(2026, 4, 30)) == 0  # the last day itself is still in time
    assert services.flag_overdue_replies(dt.date(2026, 5, 1)) == 1
    assert services.flag_overdue_replies(dt.date(2026, 5, 2)) == 0
    alert.refresh_from_db()
    assert alert.reply_overdue
    assert Event.objects.filter(action="warning_reply_overdue", organ=city.county_housing).count() == 1


def test_a_notice_cannot_be_issued_before_its_approval() -> None:
    alert, city = _alert()
    analyst = staff(city.bureau, Role.ANALYST, Role.HANDLER)
    services.confirm(alert, analyst, "呈上升态势", now=at("2026-03-31", 9))
    alert.refresh_from_db()
    with pytest.raises(documents.DocumentRefused, match="审核"):
        services.issue_notice(alert, analyst, now=at("2026-03-31", 11))
    alert.refresh_from_db()
    assert alert.reply_due is None


def test_a_reply_date_counted_through_a_year_without_its_holidays_is_marked_provisional() -> None:
    """A year whose official arrangement is not loaded is never guessed (rules.calendar): the date is shown as a
    temporary result, to the issuing bureau and to the organ that must reply."""
    alert, city = _alert()
    alert = _issued(alert, city, dt.date(2031, 3, 31))
    assert alert.reply_due == dt.date(2031, 4, 30) and alert.reply_due_provisional
    client = Client()
    client.force_login(staff(city.bureau, Role.ANALYST).user)
    page = client.get(f"/work/warning/{alert.pk}/", secure=True).content.decode()
    assert "2031年4月30日" in page and "临时结果" in page
