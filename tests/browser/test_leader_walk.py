"""Issue 17's acceptance in the browser, as `leader`: see my cases and what is due, record progress, book an
appointment for the petitioner from the case, close the leader case as 化解."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.browser.conftest import shot
from tests.factories import build_city, register
from xinfang.leaders import services
from xinfang.leaders.models import Appointment, LeaderCase, Outcome
from xinfang.org.models import Role, Staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_leader_records_progress_books_an_appointment_and_closes_as_resolved(page: object) -> None:
    city = build_city()
    user = get_user_model().objects.create_user("leader", password="demo-2026")
    leader = Staff.objects.create(user=user, organ=city.county_gov, roles=[Role.LEADER], display_name="张县长")
    now = timezone.now()
    case = register(city, city.county_housing, when=(timezone.localdate() - dt.timedelta(days=9)).isoformat())
    lc = services.take_case(
        case,
        leader,
        steps="约见信访人\n协调兑现补偿款",
        target_date=timezone.localdate(),
        now=now - dt.timedelta(days=8),
    )
    number = case.petition.number
    p = page
    base = p.base_url  # type: ignore[attr-defined]
    p.goto(f"{base}/work/")  # type: ignore[attr-defined]
    p.get_by_label("用户名").fill("leader")  # type: ignore[attr-defined]
    p.get_by_label("密码").fill("demo-2026")  # type: ignore[attr-defined]
    p.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]
    p.get_by_role("link", name="领导工作").click()  # type: ignore[attr-defined]
    due = p.get_by_test_id("due")  # type: ignore[attr-defined]
    due.get_by_text("应报进展").wait_for()
    shot(p, "leaders-mine")
    due.get_by_role("link", name=number).click()
    p.get_by_label("进展情况").fill("已约见信访人，区住建局核实补偿标准")  # type: ignore[attr-defined]
    p.get_by_role("button", name="记录进展").click()  # type: ignore[attr-defined]
    p.get_by_text("已记录进展").wait_for()  # type: ignore[attr-defined]
    assert "区住建局核实补偿标准" in p.get_by_test_id("notes").inner_text()  # type: ignore[attr-defined]
    slot = timezone.localtime(now + dt.timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    form = p.get_by_test_id("book-form")  # type: ignore[attr-defined]
    form.get_by_label("约访领导").select_option(label="张县长（甲县人民政府）")
    form.get_by_label("约访时间").fill(slot.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("地点").fill("甲县信访接待中心")
    form.get_by_role("button", name="预约约访").click()
    p.get_by_text("已预约领导约访").wait_for()  # type: ignore[attr-defined]
    assert "已预约" in p.get_by_test_id("appointments").inner_text()  # type: ignore[attr-defined]
    shot(p, "leaders-detail")
    close = p.get_by_test_id("close-form")  # type: ignore[attr-defined]
    close.locator("input[name=outcome][value=resolved]").check()
    close.get_by_label("结果说明").fill("补偿款已兑现，信访人表示满意")
    close.get_by_role("button", name="结案").click()
    p.get_by_text("包案已结案").wait_for()  # type: ignore[attr-defined]
    assert "化解" in p.get_by_test_id("lc-status").inner_text()  # type: ignore[attr-defined]
    lc.refresh_from_db()
    assert lc.outcome == Outcome.RESOLVED
    appointment = Appointment.objects.get(case=case)
    assert timezone.localtime(appointment.starts_at) == slot and appointment.leader == leader
    assert LeaderCase.objects.get(pk=lc.pk).notes.count() == 1
