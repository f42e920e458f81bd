"""Issue 21's acceptance: a grid worker reports a dispute on a 360 px phone and turns it into a petition whose
text is the report's and whose registrar is the reporter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.axe import serious_violations
from tests.browser.conftest import shot
from tests.factories import build_city, staff
from xinfang.grid import services
from xinfang.grid.models import Report
from xinfang.org.models import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def fits(page: Any, name: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{name}: page is {width} px wide"


def test_a_grid_report_at_360_px_becomes_a_petition(page: Any) -> None:
    city = build_city()
    area = services.add_area("城关镇幸福社区第一网格", city.county_gov)
    worker = staff(city.county_gov, Role.REGISTRAR, name="赵网格")
    services.add_worker(area, worker, dt.date(2026, 1, 1))
    worker.user.set_password("pw")
    worker.user.save()

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base_url}/work/login/")
    page.get_by_label("用户名").fill(worker.user.username)
    page.get_by_label("密码").fill("pw")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="待我办理").wait_for()
    page.goto(f"{page.base_url}/work/grid/")
    page.get_by_test_id("new-report").click()
    fits(page, "上报")
    assert serious_violations(page) == []
    page.get_by_label("纠纷类别").select_option(label="征地补偿")
    page.get_by_label("地点").fill("东村三组")
    page.get_by_label("当事人").fill("张某、东村村民委员会")
    page.get_by_label("纠纷情况").fill("张某对承包地征收补偿款的分配有异议，要求村委会公开分配方案。")
    page.get_by_role("button", name="上报").click()
    assert page.get_by_test_id("report-outcome").inner_text() == "待化解"
    fits(page, "上报详情")
    assert serious_violations(page) == []
    shot(page, "grid-report-360")

    page.get_by_test_id("to-petition").click()
    assert page.get_by_label("诉求").input_value() == "张某对承包地征收补偿款的分配有异议，要求村委会公开分配方案。"
    assert page.get_by_label("信访人姓名（名称）").input_value() == "张某"
    page.get_by_label("住址").fill("东村三组12号")
    fits(page, "转为信访事项")
    page.get_by_role("button", name="登记为信访件").click()
    number = page.get_by_test_id("petition-number").inner_text()
    assert page.get_by_test_id("report-outcome").inner_text() == "转为信访事项"
    shot(page, "grid-petition-360")

    report = Report.objects.select_related("petition").get(area=area)
    assert report.petition is not None and report.petition.number == number
    assert report.petition.request.startswith("张某对承包地征收补偿款") and report.petition.registered_by == worker
    assert report.petition.cases.get().organ == city.county_gov
