"""The warning workflow in the browser (issue 14): the analyst opens the risk board, confirms an alert and,
once the bureau's head has signed, issues the 预警提示函; the responsible department sees it with its reply
deadline; a confidential accusation about the same place appears on no page of anyone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import shot
from tests.factories import build_city, register, staff
from tests.warning.helpers import burst
from xinfang.documents import services as documents
from xinfang.documents.models import Document
from xinfang.intake.services import AccusedInput
from xinfang.org.models import Role
from xinfang.warning import services
from xinfang.warning.models import Alert

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
SECRET = "举报幸福花园小区物业经理挪用专项维修资金"


def login(p: Any, person: Any) -> None:
    person.user.set_password("walk-pass")
    person.user.save()
    p.context.clear_cookies()
    p.goto(f"{p.base_url}/work/login/")
    p.get_by_label("用户名").fill(person.user.username)
    p.get_by_label("密码").fill("walk-pass")
    p.get_by_role("button", name="登录").click()
    p.get_by_role("heading", name=re.compile("您好")).wait_for()


def test_the_analyst_confirms_and_issues_and_the_department_sees_its_deadline(page: Any) -> None:
    city = build_city()
    today = timezone.localdate()
    burst(city, today)
    accusations = [
        register(
            city,
            when=(today - dt.timedelta(days=k)).isoformat(),
            request=SECRET,
            contact=f"137{k:08d}",
            accusation=True,
            accused=[AccusedInput(person_name="张某某", person_organ_id=city.county_housing.pk)],
        )
        for k in range(4)
    ]
    services.detect(city.bureau, today)
    analyst = staff(city.bureau, Role.ANALYST)
    p, seen = page, []

    def visit(name: str) -> None:
        seen.append(p.content())
        shot(p, f"warning-{name}")

    login(p, analyst)
    p.get_by_role("link", name="风险预警").click()
    p.get_by_test_id("alerts").get_by_role("link", name="幸福花园").click()
    visit("01-alert")
    assert p.get_by_test_id("factors").is_visible()
    p.get_by_label("研判理由").fill("同一小区一周内多人反映电梯停运，呈上升态势")
    p.get_by_role("button", name="确认并起草预警提示函").click()
    p.get_by_text("已确认本预警").wait_for()
    visit("02-confirmed")

    (notice,) = Document.objects.filter(kind="warning_notice")
    documents.approve(notice, staff(city.bureau, Role.APPROVER))  # the bureau's head signs (办理审核)
    p.reload()
    p.get_by_role("button", name="印发预警提示函").click()
    p.get_by_text("预警提示函已印发").wait_for()
    alert = Alert.objects.get(topic="幸福花园")
    assert alert.reply_due is not None
    due = f"{alert.reply_due.year}年{alert.reply_due.month}月{alert.reply_due.day}日"
    assert due in p.get_by_test_id("notice").inner_text()
    visit("03-issued")
    p.goto(f"{p.base_url}/work/warning/")
    assert "待反馈" in p.get_by_test_id("notices").inner_text()
    visit("04-board")

    login(p, staff(city.county_housing, Role.HANDLER))
    p.get_by_role("link", name="预警提示函").click()
    card = p.get_by_test_id("notice")
    assert "幸福花园" in card.inner_text() and due in card.inner_text()
    visit("05-department")
    p.get_by_label("书面反馈（采纳情况）").fill("已组织维修，电梯恢复运行")
    p.get_by_role("button", name="提交书面反馈").click()
    p.get_by_text("书面反馈已记录").wait_for()
    visit("06-replied")

    # The city government's leader oversees the bureau and may open its board, but works where the accused
    # person works: the accusations reach neither the alert nor any page.
    login(p, staff(city.gov, Role.LEADER))
    p.goto(f"{p.base_url}/work/warning/")
    visit("07-leader-board")
    p.goto(f"{p.base_url}/work/warning/{alert.pk}/")
    visit("08-leader-alert")
    for html in seen:
        assert "挪用" not in html and "举报" not in html
        assert all(case.petition.number not in html for case in accusations)
