"""The analyst's conclusion: a dismissal needs a reason; a confirmation drafts the 预警提示函 from the alert."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import City, at, build_city, register, staff
from xinfang.audit.models import Event
from xinfang.documents.models import Status as DocumentStatus
from xinfang.org.models import Role
from xinfang.warning import services
from xinfang.warning.models import Alert, Status

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 30)


def _alert() -> tuple[Alert, City]:
    city = build_city()
    for n in range(4):
        register(
            city, when=(DAY - dt.timedelta(days=n)).isoformat(), request="幸福花园小区电梯停运", contact=f"138{n:08d}"
        )
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


def test_confirming_drafts_a_notice_about_the_problem_and_the_organs_duty() -> None:
    alert, city = _alert()
    analyst = staff(city.bureau, Role.ANALYST, Role.HANDLER)
    document = services.confirm(alert, analyst, "多人反映，呈上升态势", now=at(DAY.isoformat(), 23))
    assert (document.kind, document.status, document.organ) == ("warning_notice", DocumentStatus.DRAFT, city.bureau)
    assert "幸福花园" in document.content["problem"]
    assert "4件" in document.content["trend"] and "4人" in document.content["trend"]
    assert "源头" in document.content["duty"]
    assert document.content["reply_deadline"] == ""  # the drafter writes it
    assert "13800000000" not in str(document.content)  # nothing of a petitioner
    alert.refresh_from_db()
    assert alert.status == Status.CONFIRMED


def test_staff_of_another_organ_cannot_conclude() -> None:
    alert, city = _alert()
    with pytest.raises(services.WarningRefused, match="西地市信访局"):
        services.dismiss(alert, staff(city.county_bureau, Role.ANALYST), "不是本地问题")
